//! Reports made by the real tools (`tests/fixtures/make.sh` says how): each parser finds the one
//! line and the one branch the fixture projects' tests leave unrun.

use harness_coverage::{FileCoverage, Report, cobertura, istanbul, lcov, llvm_cov};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn file<'a>(report: &'a Report, path: &str) -> &'a FileCoverage {
    report
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} in {:?}",
                report.files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        })
}

/// Lines with no hits, and (line, place) of branches never taken.
fn unrun(file: &FileCoverage) -> (Vec<u32>, Vec<(u32, u32)>) {
    let lines = file
        .lines
        .iter()
        .filter(|(_, h)| **h == 0)
        .map(|(l, _)| *l)
        .collect();
    let branches = file
        .branches
        .iter()
        .filter(|(_, t)| **t == 0)
        .map(|(k, _)| *k)
        .collect();
    (lines, branches)
}

#[test]
fn coverage_py_cobertura() {
    let report = cobertura::parse(&fixture("python-coverage.xml")).unwrap();
    assert_eq!(report.sources, ["/ci/python"]);
    let shapes = file(&report, "app/shapes.py");
    assert_eq!(unrun(shapes), (vec![6], vec![(4, 1)]));
    assert_eq!((shapes.lines.len(), shapes.branches.len()), (6, 4));
}

#[test]
fn coverage_py_lcov() {
    let report = lcov::parse(&fixture("python-lcov.info")).unwrap();
    let shapes = file(&report, "app/shapes.py");
    assert_eq!(unrun(shapes), (vec![6], vec![(4, 1)]));
    assert_eq!((shapes.lines.len(), shapes.branches.len()), (6, 4));
}

#[test]
fn c8_istanbul_json() {
    let report = istanbul::parse(&fixture("js-coverage-final.json")).unwrap();
    let shapes = file(&report, "/ci/js/src/shapes.js");
    assert_eq!(unrun(shapes).0, vec![8]);
    assert_eq!(shapes.branches_hit(), 3);
    assert_eq!(shapes.branches.len(), 4);
}

#[test]
fn c8_lcov() {
    let report = lcov::parse(&fixture("js-lcov.info")).unwrap();
    let shapes = file(&report, "src/shapes.js");
    assert_eq!(unrun(shapes), (vec![8], vec![(8, 0)]));
    assert_eq!((shapes.lines.len(), shapes.branches.len()), (9, 4));
}

#[test]
fn llvm_cov_json_lines_are_llvm_covs_own() {
    let json = llvm_cov::parse(&fixture("rust-llvm-cov.json")).unwrap();
    let own = lcov::parse(&fixture("rust-llvm-cov.info")).unwrap();
    let path = "/ci/rust/src/lib.rs";
    // The LCOV export is llvm-cov's own line reading of the same segments.
    assert_eq!(file(&json, path).lines, file(&own, path).lines);
    assert_eq!(unrun(file(&json, path)).0, vec![7, 8]);
}
