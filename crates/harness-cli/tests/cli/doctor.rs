//! `harness doctor` without agent CLIs: configuration and generated files. The agents'
//! versions, hooks and trust are tested with the real CLIs in `tests/agents/doctor.rs`.

use crate::common::{Repo, Run, only_git};

fn doctor(repo: &Repo) -> Run {
    let path = only_git();
    repo.harness_with(".", &["doctor"], &[("PATH", path.path())])
}

#[test]
fn a_broken_rule_file_is_named_with_its_place() {
    let repo = Repo::new();
    repo.git(&["init", "-q"]);
    repo.write("harness.toml", "").write(
        ".harness/rules/a.yml",
        "id: a\npriority: P9\nmessage: m\nregex:\n  pattern: x\n",
    );
    let run = doctor(&repo);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn stale_generated_files_are_named() {
    let repo = Repo::new();
    repo.git(&["init", "-q"]);
    repo.write("harness.toml", "").write(
        ".harness/rules/a.yml",
        "id: a\npriority: P2\nmessage: m\npaths: [\"src/**\"]\nregex:\n  pattern: x\n",
    );
    assert_eq!(repo.harness(&["sync"]).code, 0);
    assert_eq!(doctor(&repo).code, 0, "{}", doctor(&repo).snapshot());
    repo.write(
        ".harness/rules/a.yml",
        "id: a\npriority: P2\nmessage: changed\npaths: [\"src/**\"]\nregex:\n  pattern: x\n",
    );
    let run = doctor(&repo);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("fix  generated files:"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(line.ends_with("; run `harness sync`"), "{line}");
}

#[test]
fn a_repository_not_set_up_is_told_to_run_init() {
    let repo = Repo::new();
    repo.git(&["init", "-q"]);
    repo.write("sub/a.ts", "");
    let path = only_git();
    let run = repo.harness_with("sub", &["doctor"], &[("PATH", path.path())]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.snapshot()
            .contains("\nfix  config: no harness.toml in [ROOT]; run `harness init`\n"),
        "{}",
        run.snapshot()
    );
    assert!(
        !repo.path().join(".harness").exists(),
        "doctor set something up"
    );
}

#[test]
fn hooks_that_cannot_find_harness_are_a_fix() {
    let repo = Repo::new();
    repo.git(&["init", "-q"]);
    repo.write("harness.toml", "");
    let path = only_git();
    let install = repo.harness_with(".", &["install", "claude"], &[("PATH", path.path())]);
    assert_eq!(install.code, 0, "{}", install.snapshot());
    let run = doctor(&repo);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("fix  harness: not on PATH, and the installed hooks run")),
        "{}",
        run.stdout
    );
}
