//! One fixture per rule kind; each fixture file's first line says what must fire.

use insta::assert_snapshot;

use crate::common::Repo;

fn check(fixture: &str) -> String {
    let repo = Repo::fixture(fixture);
    repo.harness(&["check", "--format", "agent", "--max-bytes", "0"])
        .snapshot()
}

#[test]
fn max_lines() {
    assert_snapshot!(check("max-lines"));
}

#[test]
fn require_file() {
    assert_snapshot!(check("require-file"));
}

#[test]
fn forbid_import() {
    assert_snapshot!(check("forbid-import"));
}

#[test]
fn regex() {
    assert_snapshot!(check("regex"));
}

#[test]
fn ast() {
    assert_snapshot!(check("ast"));
}

#[test]
fn human_format_has_code_frames() {
    let repo = Repo::fixture("ast");
    assert_snapshot!(repo.harness(&["check", "--format", "human"]).snapshot());
}

#[test]
fn rule_filter_runs_only_that_rule() {
    let repo = Repo::fixture("regex");
    assert_snapshot!(
        repo.harness(&["check", "--format", "agent", "--rule", "todo-needs-issue"])
            .snapshot()
    );
}

#[test]
fn unknown_rule_filter_is_a_usage_error() {
    let repo = Repo::fixture("regex");
    assert_snapshot!(repo.harness(&["check", "--rule", "nope"]).snapshot());
}

#[test]
fn explain_prints_the_whole_rule() {
    let repo = Repo::fixture("require-file");
    assert_snapshot!(repo.harness(&["explain", "component-snapshot"]).snapshot());
}

#[test]
fn explain_builtin_rule() {
    let repo = Repo::fixture("regex");
    assert_snapshot!(
        repo.harness(&["explain", "harness/unused-suppression"])
            .snapshot()
    );
}

#[test]
fn explain_unknown_rule_suggests() {
    let repo = Repo::fixture("regex");
    assert_snapshot!(repo.harness(&["explain", "console"]).snapshot());
}

#[test]
fn paths_limit_the_check() {
    let repo = Repo::fixture("forbid-import");
    let run = repo.harness(&["check", "--format", "agent", "app"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("app/api/views.py"));
    assert!(!run.stdout.contains("src/ui"));
    let run = repo.harness_in("app/api", &["check", "--format", "agent", "views.py"]);
    assert!(run.stdout.contains("app/api/views.py:3"), "{}", run.stdout);
}

#[test]
fn missing_path_is_an_error() {
    let repo = Repo::fixture("regex");
    assert_snapshot!(repo.harness(&["check", "src/nope.ts"]).snapshot());
}
