//! An existing ast-grep project works unchanged: its rule tests pass through `harness test`,
//! and `harness check` finds exactly what the `ast-grep` CLI finds on the same files.

use std::path::PathBuf;
use std::process::Command;

use insta::assert_snapshot;

use crate::common::Repo;

const FIXTURE: &str = "astgrep-project";

#[test]
fn rule_tests_pass() {
    let repo = Repo::fixture(FIXTURE);
    let run = repo.harness(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

#[test]
fn rule_test_failures_are_reported_exactly() {
    let repo = Repo::fixture(FIXTURE);
    repo.write(
        "rule-tests/no-console-log-test.yml",
        "id: no-console-log\nvalid:\n  - console.error(1)\n  - \"if (x) {\\n  console.log(x)\\n}\"\ninvalid:\n  - console.log(1)\n  - console.info(1)\n",
    );
    let run = repo.harness(&["test"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn rule_tests_for_one_rule() {
    let repo = Repo::fixture(FIXTURE);
    let run = repo.harness(&["test", "--rule", "bare-except"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "harness test: 4 passed, 0 failed (13 test files)\n"
    );
}

#[test]
fn check_maps_severity_to_priority() {
    let repo = Repo::fixture(FIXTURE);
    assert_snapshot!(
        repo.harness(&["check", "--format", "agent", "--max-bytes", "0"])
            .snapshot()
    );
}

/// The ast-grep CLI: `HARNESS_TEST_AST_GREP`, else `ast-grep` on PATH.
fn ast_grep() -> PathBuf {
    let candidate = std::env::var_os("HARNESS_TEST_AST_GREP")
        .map_or_else(|| PathBuf::from("ast-grep"), PathBuf::from);
    let works = Command::new(&candidate)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "the ast-grep CLI ({}) is not runnable; run scripts/test.sh, which installs ast-grep-cli from PyPI",
        candidate.display()
    );
    candidate
}

type Match = (String, String, u64, u64, u64, u64);

#[test]
fn same_matches_as_the_ast_grep_cli() {
    let repo = Repo::fixture(FIXTURE);
    let out = Command::new(ast_grep())
        .args(["scan", "--json=stream"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    let mut theirs: Vec<Match> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let m: serde_json::Value = serde_json::from_str(l).unwrap();
            let at = |end: &str, key: &str| m["range"][end][key].as_u64().unwrap() + 1;
            (
                m["ruleId"].as_str().unwrap().to_owned(),
                m["file"].as_str().unwrap().to_owned(),
                at("start", "line"),
                at("start", "column"),
                at("end", "line"),
                at("end", "column"),
            )
        })
        .collect();
    let run = repo.harness(&["check", "--format", "json", "--no-cache"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut ours: Vec<Match> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap(),
                f["end_column"].as_u64().unwrap(),
            )
        })
        .collect();
    theirs.sort();
    ours.sort();
    let only_theirs: Vec<&Match> = theirs.iter().filter(|m| !ours.contains(m)).collect();
    let only_ours: Vec<&Match> = ours.iter().filter(|m| !theirs.contains(m)).collect();
    assert!(
        only_theirs.is_empty() && only_ours.is_empty(),
        "matches differ\nonly ast-grep: {only_theirs:#?}\nonly harness: {only_ours:#?}"
    );
    let mut rules: Vec<&str> = ours.iter().map(|m| m.0.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    let defined = std::fs::read_dir(repo.path().join("rules"))
        .unwrap()
        .count();
    assert_eq!(
        rules.len(),
        defined,
        "every rule matches at least once: {rules:?}"
    );
    // The fixture puts a match after non-ASCII text, so columns are checked to count characters.
    assert!(
        ours.iter()
            .any(|m| m.0 == "no-console-log" && m.2 == 1 && m.3 == 35),
        "{ours:?}"
    );
}
