//! `harness doctor` without agent CLIs: configuration and generated files. The agents'
//! versions, hooks and trust are tested with the real CLIs in `tests/agents/doctor.rs`.

use std::path::PathBuf;

use crate::common::{Repo, Run};

/// A folder holding only a link to git, used as the whole PATH.
fn only_git() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git: PathBuf = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .unwrap();
    std::os::unix::fs::symlink(git, dir.path().join("git")).unwrap();
    dir
}

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
