//! `coverage` rules over reports made by the real tools, files missing from a report, broken and
//! stale reports, and diff coverage on a real git history.

use std::path::Path;
use std::time::{Duration, SystemTime};

use insta::assert_snapshot;

use crate::common::{Repo, copy_dir};

/// The reports (and the projects they describe) made by `make.sh` in harness-coverage.
fn real() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../harness-coverage/tests/fixtures")
}

const FULL: &str = "id: fully-tested
priority: P1
message: code needs full coverage
fix: add a test that runs the lines and takes both sides of the branch named
paths: [\"src/**\", \"app/**\"]
ignores: [\"**/__init__.py\"]
coverage:
  reports: [\"coverage/*\"]
";

/// A checkout of `project` whose tests wrote `report` into `coverage/`, checked against `rule`.
fn checked(project: &str, report: &str, thresholds: &str) -> String {
    let repo = Repo::new();
    copy_dir(&real().join("src").join(project), repo.path());
    // Checked out before the tests ran, which is when the reports record they were written.
    backdate(repo.path());
    repo.write("harness.toml", "")
        .write(".harness/rules/cov.yml", &format!("{FULL}{thresholds}"));
    std::fs::create_dir_all(repo.path().join("coverage")).unwrap();
    std::fs::copy(
        real().join(report),
        repo.path().join("coverage").join(report),
    )
    .unwrap();
    set_report_time(&repo, &format!("coverage/{report}"), 0);
    repo.harness(&["check", "--format", "agent"]).snapshot()
}

/// Sets every file under `dir` to 2001, before any report was made.
fn backdate(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            backdate(&entry.path());
        } else {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000))
                .unwrap();
        }
    }
}

/// Sets `rel`'s modification time: with `minutes` ≥ 0, an hour and `minutes` from now, after
/// every file the test wrote; with `minutes` < 0, two hours and `-minutes` ago, before them.
fn set_report_time(repo: &Repo, rel: &str, minutes: i64) {
    let now = SystemTime::now() + Duration::from_secs(3600);
    let at = if minutes >= 0 {
        now + Duration::from_secs(minutes.unsigned_abs() * 60)
    } else {
        now - Duration::from_secs(minutes.unsigned_abs() * 60 + 7200)
    };
    let file = std::fs::File::options()
        .write(true)
        .open(repo.path().join(rel))
        .unwrap();
    file.set_modified(at).unwrap();
}

#[test]
/// Fires on app/shapes.py:4: line 6 not run, the branch on line 4 not taken.
fn cobertura_from_coverage_py_names_the_line_not_run_and_the_branch_not_taken() {
    assert_snapshot!(checked(
        "python",
        "python-coverage.xml",
        "  lines: 100\n  branches: 100\n"
    ));
}

#[test]
/// Fires on app/shapes.py:4, as from the Cobertura report of the same run.
fn lcov_from_coverage_py_names_the_line_not_run_and_the_branch_not_taken() {
    assert_snapshot!(checked(
        "python",
        "python-lcov.info",
        "  lines: 100\n  branches: 100\n"
    ));
}

#[test]
/// Fires on src/shapes.js:8: one of four branches not taken.
fn istanbul_json_from_c8_names_the_branch_not_taken() {
    assert_snapshot!(checked("js", "js-coverage-final.json", "  branches: 100\n"));
}

#[test]
/// Fires on src/shapes.js:8 for branches; 8 of 9 lines meets `lines: 80`.
fn lcov_from_c8_names_the_branch_not_taken() {
    assert_snapshot!(checked(
        "js",
        "js-lcov.info",
        "  lines: 80\n  branches: 100\n"
    ));
}

#[test]
/// Fires on src/lib.rs:7: lines 7-8 not run, 86.6% against 90%.
fn llvm_cov_json_from_rustc_names_the_lines_not_run() {
    assert_snapshot!(checked("rust", "rust-llvm-cov.json", "  lines: 90\n"));
}

#[test]
/// Fires at the report: stable Rust records no branches.
fn llvm_cov_lcov_without_branches_cannot_meet_a_branch_rule() {
    assert_snapshot!(checked("rust", "rust-llvm-cov.info", "  branches: 100\n"));
}

#[test]
fn thresholds_met_pass() {
    let out = checked("js", "js-lcov.info", "  lines: 88\n  branches: 75\n");
    assert!(out.starts_with("exit: 0\n"), "{out}");
}

fn small_repo(rule: &str) -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(".harness/rules/cov.yml", rule)
        .write("src/a.ts", "a\nb\nc\nd\n")
        .write("src/b.ts", "a\nb\n")
        .write("src/c.ts", "a\n");
    repo
}

const LCOV_AB: &str = "SF:/ci/app/src/a.ts\nDA:1,1\nDA:2,0\nDA:3,0\nDA:4,1\nBRDA:1,0,0,1\nBRDA:1,0,1,0\nend_of_record\nSF:./src/b.ts\nDA:1,1\nDA:2,1\nend_of_record\n";

#[test]
fn a_file_missing_from_the_report_counts_as_zero() {
    let rule = "id: cov\npriority: P2\nmessage: src needs 80% of lines\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 80\n";
    let repo = small_repo(rule);
    repo.write("coverage/lcov.info", LCOV_AB);
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
    // Opting out leaves c.ts alone.
    repo.write(
        ".harness/rules/cov.yml",
        &rule.replace("  lines: 80\n", "  lines: 80\n  missing: ignore\n"),
    );
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(!run.stdout.contains("src/c.ts"), "{}", run.stdout);
    assert!(run.stdout.contains("src/a.ts:2"), "{}", run.stdout);
}

#[test]
fn two_reports_of_one_file_add_up() {
    let rule = "id: cov\npriority: P2\nmessage: src is fully run\npaths: [\"src/a.ts\"]\ncoverage:\n  reports: [\"coverage/**/lcov.info\"]\n  lines: 100\n";
    let repo = small_repo(rule);
    repo.write(
        "coverage/unit/lcov.info",
        "SF:src/a.ts\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n",
    )
    .write(
        "coverage/e2e/lcov.info",
        "SF:src/a.ts\nDA:1,0\nDA:2,0\nDA:3,3\nDA:4,0\nend_of_record\n",
    );
    set_report_time(&repo, "coverage/unit/lcov.info", 0);
    set_report_time(&repo, "coverage/e2e/lcov.info", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("lines 3/4 (75%, needs 100%), not run: line 4"),
        "{}",
        run.stdout
    );
}

#[test]
fn broken_reports_are_findings_at_the_report() {
    let rules = [
        ("malformed", "coverage/malformed.info"),
        ("truncated", "coverage/truncated.info"),
        ("empty", "coverage/empty.info"),
        ("huge", "coverage/huge.info"),
        ("unknown", "coverage/notes.txt"),
        ("absent", "coverage/never-written.info"),
    ]
    .map(|(id, report)| {
        format!(
            "id: {id}\npriority: P1\nmessage: m\npaths: [\"src/a.ts\"]\ncoverage:\n  reports: [\"{report}\"]\n  lines: 50\n"
        )
    })
    .join("---\n");
    let repo = small_repo(&rules);
    repo.write("harness.toml", "[check]\nmax_report_bytes = 1000\n")
        .write(
            "coverage/malformed.info",
            "SF:src/a.ts\nDA:1,1\nDA:two,1\nend_of_record\n",
        )
        .write("coverage/truncated.info", "SF:src/a.ts\nDA:1,1\n")
        .write("coverage/empty.info", "\n")
        .write("coverage/huge.info", &"SF:src/a.ts\n".repeat(100))
        .write("coverage/notes.txt", "hello\n");
    let run = repo.harness(&["check", "--format", "human"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn a_report_older_than_a_file_it_describes_is_a_warning() {
    let rule = "id: cov\npriority: P2\nmessage: src needs 50% of lines\npaths: [\"src/**\"]\nignores: [\"src/c.ts\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 50\n";
    let repo = small_repo(rule);
    repo.write("coverage/lcov.info", LCOV_AB);
    set_report_time(&repo, "coverage/lcov.info", -10);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.snapshot());
}

#[test]
fn a_report_rule_is_not_read_when_no_file_of_the_run_needs_it() {
    let rule = "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 50\n";
    let repo = small_repo(rule);
    repo.write("docs/x.md", "x\n");
    let run = repo.harness(&["check", "docs/x.md", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let run = repo.harness(&["check", "src/a.ts", "--format", "agent"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("no coverage report at coverage/lcov.info"),
        "{}",
        run.stdout
    );
}

/// A file of 10 lines whose lines 1-5 were committed and 6-10 added since; the report ran
/// lines 1-3 and 6-9.
fn diff_repo(diff: bool) -> Repo {
    let rule = format!(
        "id: cov\npriority: P2\nmessage: new code is tested\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 100\n  diff: {diff}\n"
    );
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(".harness/rules/cov.yml", &rule)
        .write(".gitignore", "coverage/\n")
        .write("src/old.ts", "1\n2\n3\n4\n5\n")
        .write("src/untouched.ts", "1\n");
    repo.git(&["init", "-q"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "base"]);
    repo.write("src/old.ts", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n")
        .write("src/new.ts", "1\n2\n");
    let mut lcov = String::from("SF:src/old.ts\n");
    for line in 1..=10 {
        let hits = u8::from((1..=3).contains(&line) || (6..=9).contains(&line));
        lcov.push_str(&format!("DA:{line},{hits}\n"));
    }
    lcov.push_str("end_of_record\nSF:src/new.ts\nDA:1,1\nDA:2,0\nend_of_record\n");
    lcov.push_str("SF:src/untouched.ts\nDA:1,0\nend_of_record\n");
    repo.write("coverage/lcov.info", &lcov);
    set_report_time(&repo, "coverage/lcov.info", 0);
    repo
}

#[test]
fn diff_coverage_counts_only_the_lines_a_change_added() {
    let repo = diff_repo(true);
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
    // Without --changed the whole of every file counts.
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout.contains("src/old.ts:4") && run.stdout.contains("src/untouched.ts:1"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_coverage_follows_the_base_branch() {
    let repo = diff_repo(true);
    repo.git(&["checkout", "-qb", "feature"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "feature work"]);
    // Committed on the branch: the lines still count against main.
    let run = repo.harness(&["check", "--changed=main", "--format", "agent"]);
    assert!(
        run.stdout.contains("src/old.ts:10") && run.stdout.contains("src/new.ts:2"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("src/old.ts:4"), "{}", run.stdout);
    // Against the branch itself nothing changed.
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
}

#[test]
fn changed_without_diff_judges_changed_files_whole() {
    let repo = diff_repo(false);
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert!(run.stdout.contains("src/old.ts:4"), "{}", run.stdout);
    assert!(!run.stdout.contains("untouched"), "{}", run.stdout);
}

#[test]
fn a_file_checked_alone_is_mapped_as_in_a_whole_run() {
    let rule = "id: cov\npriority: P2\nmessage: m\npaths: [\"packages/**\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 100\n";
    let repo = Repo::new();
    repo.write("harness.toml", "[check]\nexclude = [\"vendor/**\"]\n")
        .write(".harness/rules/cov.yml", rule)
        .write(".gitignore", "coverage/\n")
        .write("packages/web/src/a.ts", "1\n")
        .write("packages/api/src/a.ts", "1\n")
        // Excluded from every check, so `web/src/b.ts` names one file.
        .write("packages/web/src/b.ts", "1\n")
        .write("vendor/web/src/b.ts", "1\n")
        .write("packages/old/src/c.ts", "1\n")
        .write(
            "coverage/lcov.info",
            "SF:/ci/app/packages/web/src/a.ts\nDA:1,1\nend_of_record\n\
             SF:/ci/app/web/src/b.ts\nDA:1,1\nend_of_record\n\
             SF:/ci/app/src/c.ts\nDA:1,1\nend_of_record\n",
        );
    set_report_time(&repo, "coverage/lcov.info", 0);
    repo.git(&["init", "-q"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "base"]);
    // Untracked, it makes `src/c.ts` name two files.
    repo.write("packages/new/src/c.ts", "1\n");
    let whole = repo.harness(&["check", "--format", "agent"]);
    for file in [
        "packages/web/src/a.ts",
        "packages/api/src/a.ts",
        "packages/web/src/b.ts",
        "packages/old/src/c.ts",
    ] {
        let alone = repo.harness(&["check", file, "--format", "agent"]);
        let line = |out: &str| out.lines().find(|l| l.starts_with(file)).map(str::to_owned);
        assert_eq!(line(&alone.stdout), line(&whole.stdout), "{}", alone.stdout);
    }
    let flagged: Vec<&str> = whole
        .stdout
        .lines()
        .filter_map(|l| l.split_once(':').map(|(path, _)| path))
        .filter(|p| p.starts_with("packages/"))
        .collect();
    assert_eq!(
        flagged,
        [
            "packages/api/src/a.ts",
            "packages/new/src/c.ts",
            "packages/old/src/c.ts"
        ],
        "{}",
        whole.stdout
    );
}

#[test]
fn a_cobertura_timestamp_dates_the_report_wherever_it_was_copied() {
    let repo = Repo::new();
    copy_dir(&real().join("src/python"), repo.path());
    repo.write("harness.toml", "")
        .write(".harness/rules/cov.yml", &format!("{FULL}  lines: 50\n"));
    // Downloaded just now, but the tests ran before the sources were written.
    let xml = std::fs::read_to_string(real().join("python-coverage.xml")).unwrap();
    let (head, rest) = xml.split_once("timestamp=\"").unwrap();
    let xml = format!(
        "{head}timestamp=\"1000000000000{}",
        &rest[rest.find('"').unwrap()..]
    );
    repo.write("coverage/coverage.xml", &xml);
    set_report_time(&repo, "coverage/coverage.xml", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout
            .contains("coverage/coverage.xml:1  P3 harness/stale-coverage  the report is older than 1 file it describes (app/shapes.py)"),
        "{}",
        run.stdout
    );
}

#[test]
fn percent_signs_one_report_alone_and_files_no_test_loads() {
    let rule = "id: cov\npriority: P2\nmessage: src is tested\npaths: [\"src/**\"]\ncoverage:\n  reports: coverage/lcov.info\n  lines: \"75%\"\n";
    let repo = small_repo(rule);
    repo.write(
        "coverage/lcov.info",
        "SF:src/a.ts\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,0\nend_of_record\nSF:src/b.ts\nDA:1,0\nDA:2,0\nend_of_record\nSF:src/c.ts\nDA:1,3\nend_of_record\n",
    );
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(
        run.stdout.lines().nth(1),
        Some("src/b.ts:1  P2 cov  src is tested (no test runs it: lines 0/2; needs 75% of lines)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("src/a.ts"), "{}", run.stdout);
}

#[test]
fn a_file_newer_than_its_report_says_so_in_its_finding() {
    let rule = "id: cov\npriority: P2\nmessage: src is tested\npaths: [\"src/a.ts\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 100\n";
    let repo = small_repo(rule);
    repo.write("coverage/lcov.info", LCOV_AB);
    set_report_time(&repo, "coverage/lcov.info", -10);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout.contains(
            "src/a.ts:2  P2 cov  src is tested (lines 2/4 (50%, needs 100%), not run: lines 2-3; the report is older than this file)"
        ),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn reports_are_read_only_inside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "token=hunter2\n").unwrap();
    let rule = "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"coverage/lcov.info\"]\n  lines: 50\n";
    let repo = small_repo(rule);
    std::fs::create_dir_all(repo.path().join("coverage")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        repo.path().join("coverage/lcov.info"),
    )
    .unwrap();
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout.contains(
            "coverage/lcov.info:1  P1 harness/coverage-report  leads out of the repository"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("hunter2"), "{}", run.stdout);
    // A rule cannot name a report outside it either.
    repo.write(
        ".harness/rules/cov.yml",
        &rule.replace("coverage/lcov.info", "../coverage/lcov.info"),
    );
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(
        run.stderr.contains("outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_coverage_under_staged_counts_the_staged_lines_only() {
    let repo = diff_repo(true);
    // Lines 6-8 staged (all run); 9-10 only in the worktree (10 not run).
    repo.write("src/old.ts", "1\n2\n3\n4\n5\n6\n7\n8\n");
    repo.git(&["add", "src/old.ts"]);
    repo.write("src/old.ts", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    set_report_time(&repo, "coverage/lcov.info", 0);
    let staged = repo.harness(&["check", "--staged", "--format", "agent"]);
    assert!(!staged.stdout.contains("src/old.ts"), "{}", staged.stdout);
    let changed = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert!(
        changed.stdout.contains("src/old.ts:10  P2 cov  new code is tested (in changed lines: lines 4/5 (80%, needs 100%), not run: line 10)"),
        "{}",
        changed.stdout
    );
}

#[test]
fn diff_coverage_names_the_changed_lines_not_run_in_a_file_the_tests_load() {
    let repo = diff_repo(true);
    repo.write("src/old.ts", "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "up to 9"]);
    repo.write("src/old.ts", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert!(
        run.stdout.contains("src/old.ts:10  P2 cov  new code is tested (in changed lines: lines 0/1 (0%, needs 100%), not run: line 10)"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_coverage_counts_no_line_of_a_renamed_file() {
    let repo = diff_repo(true);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "more"]);
    repo.git(&["mv", "src/untouched.ts", "src/moved.ts"]);
    let lcov = repo
        .read_text("coverage/lcov.info")
        .replace("src/untouched.ts", "src/moved.ts");
    repo.write("coverage/lcov.info", &lcov);
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert!(!run.stdout.contains("src/moved.ts"), "{}", run.stdout);
    // Without the rename seen, the moved file would count whole: line 1 is not run.
    let whole = repo.harness(&["check", "src/moved.ts", "--format", "agent"]);
    assert!(whole.stdout.contains("src/moved.ts:1"), "{}", whole.stdout);
}

#[test]
fn a_glob_passes_over_files_that_are_no_report_and_a_report_of_elsewhere_says_so() {
    let rule = "id: cov\npriority: P2\nmessage: m\npaths: [\"src/a.ts\"]\ncoverage:\n  reports: [\"coverage/**\"]\n  lines: 50\n  missing: ignore\n";
    let repo = small_repo(rule);
    repo.write("coverage/lcov.info", LCOV_AB)
        .write("coverage/lcov-report/index.html", "<!doctype html>\n")
        .write("coverage/lcov-report/base.css", "body { margin: 0 }\n");
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    // A data file that is no report is one the tests got wrong: it is not passed over.
    std::fs::write(repo.path().join("coverage/unit.info"), b"\xff\xfeS\0F\0:\0").unwrap();
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout
            .contains("coverage/unit.info:1  P2 harness/coverage-report  the coverage report is not UTF-8 text"),
        "{}",
        run.stdout
    );
    repo.remove("coverage/unit.info");
    // Paths of another project: nothing maps, and `missing: ignore` would otherwise pass it.
    repo.write(
        "coverage/lcov.info",
        "SF:/ci/other/lib/x.py\nDA:1,1\nend_of_record\n",
    );
    set_report_time(&repo, "coverage/lcov.info", 0);
    let run = repo.harness(&["check", "--format", "agent"]);
    assert!(
        run.stdout.contains(
            "coverage/lcov.info:1  P3 harness/coverage-report  no path in the report names a file of this repository (1 listed, e.g. `/ci/other/lib/x.py`)"
        ),
        "{}",
        run.stdout
    );
}
