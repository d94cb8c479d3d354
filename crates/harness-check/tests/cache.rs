//! One-file checks from a warm cache: they compile the ast-grep rules only when a file needs
//! them, and must find what a check without the cache finds, and fail on a broken rule.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use harness_check::{CheckError, CheckOptions, Targets, check};

const RULES: &str = "id: no-legacy
priority: P1
message: no legacy
ast:
  language: typescript
  rule:
    pattern: legacy($$$A)
---
id: no-eval
priority: P2
message: no eval
regex:
  pattern: 'eval\\('
---
id: no-debugger
priority: P3
message: no debugger
regex:
  pattern: 'debugger'
";

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "harness.toml", "");
    write(dir.path(), ".harness/rules/rules.yml", RULES);
    write(dir.path(), "src/a.ts", "legacy(1);\neval(x);\n");
    write(dir.path(), "src/b.ts", "modern(1);\n");
    dir
}

/// The findings of checking `paths`, one line each.
fn findings(root: &Path, paths: &[&str], cache: bool) -> Result<Vec<String>, CheckError> {
    let kb = harness_core::load(root).unwrap();
    let options = CheckOptions {
        targets: Targets::Paths(paths.iter().map(|p| (*p).to_owned()).collect()),
        cache,
        ..CheckOptions::default()
    };
    let report = check(&kb, &options)?;
    Ok(report
        .findings
        .iter()
        .map(|f| format!("{}:{} {} {}", f.path, f.line, f.rule, f.message))
        .collect())
}

#[test]
fn one_file_from_a_warm_cache_is_checked_as_without_it() {
    let dir = repo();
    let root = dir.path();
    let warm = findings(root, &["src"], true).unwrap();
    assert_eq!(warm.len(), 2, "{warm:?}");
    for paths in [&["src/a.ts"][..], &["src/b.ts"], &["src/b.ts", "src/a.ts"]] {
        assert_eq!(
            findings(root, paths, true).unwrap(),
            findings(root, paths, false).unwrap()
        );
    }
    // An edited file is read again and needs the ast-grep rules.
    write(root, "src/b.ts", "legacy(2);\nlegacy(3);\n");
    let edited = findings(root, &["src/b.ts"], true).unwrap();
    assert_eq!(edited, findings(root, &["src/b.ts"], false).unwrap());
    assert_eq!(edited.len(), 2, "{edited:?}");
}

#[test]
fn a_broken_ast_rule_fails_a_one_file_check_after_a_warm_cache() {
    let dir = repo();
    let root = dir.path();
    findings(root, &["src"], true).unwrap();
    write(
        root,
        ".harness/rules/rules.yml",
        &RULES.replace("pattern: legacy($$$A)", "patern: legacy($$$A)"),
    );
    for cache in [true, false] {
        let Err(CheckError::Config(e)) = findings(root, &["src/b.ts"], cache) else {
            panic!("a broken rule must fail the check");
        };
        assert!(e.to_string().contains("unknown field `patern`"), "{e}");
    }
}
