//! `--changed[=BASE]` and `--staged` on real git repositories, and the cache across edits.

use insta::assert_snapshot;

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo::fixture("require-file");
    repo.write(
        ".harness/rules/eval.yml",
        "id: no-eval\npriority: P1\nmessage: eval is forbidden\nregex:\n  pattern: 'eval\\('\n",
    )
    .write("src/old.ts", "eval(legacy);\n");
    repo.git(&["init", "-q"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "base"]);
    repo
}

#[test]
fn changed_checks_only_changed_and_untracked_files() {
    let repo = repo();
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    repo.write("src/new.ts", "eval(x);\n");
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn changed_against_a_branch_uses_the_merge_base() {
    let repo = repo();
    repo.git(&["checkout", "-qb", "feature"]);
    repo.write("src/feature.ts", "eval(f);\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "feature"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.write("src/main-only.ts", "eval(m);\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "main moves on"]);
    repo.git(&["checkout", "-q", "feature"]);
    let run = repo.harness(&["check", "--changed=main", "--format", "agent"]);
    assert!(run.stdout.contains("src/feature.ts"), "{}", run.stdout);
    assert!(!run.stdout.contains("main-only"), "{}", run.stdout);
    assert!(!run.stdout.contains("src/old.ts"), "{}", run.stdout);
}

#[test]
fn deleting_a_companion_flags_its_source() {
    let repo = repo();
    repo.remove("src/components/__snapshots__/Button.test.tsx.snap");
    let run = repo.harness(&["check", "--changed", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn checking_a_companion_by_name_checks_its_source() {
    let repo = Repo::fixture("require-file");
    let run = repo.harness(&[
        "check",
        "--format",
        "agent",
        "src/components/forms/Input.stories.tsx",
    ]);
    assert!(
        run.stdout.starts_with("harness: clean (2 files checked)"),
        "{}",
        run.stdout
    );
    // Card.tsx has no companion; naming a new snapshot for it re-checks Card.tsx, now clean.
    let snap = "src/components/__snapshots__/Card.test.tsx.snap";
    let run = repo.harness(&["check", "--format", "agent", "src/components/Card.tsx"]);
    assert!(
        run.stdout.contains("Card.tsx:1  P2 component-snapshot"),
        "{}",
        run.stdout
    );
    repo.write(snap, "exports[`Card 1`] = `null`;\n");
    let run = repo.harness(&["check", "--format", "agent", snap]);
    assert!(
        run.stdout.starts_with("harness: clean (2 files checked)"),
        "{}",
        run.stdout
    );
}

#[test]
fn staged_checks_the_index_not_the_worktree() {
    let repo = repo();
    repo.write("src/a.ts", "eval(staged);\n");
    repo.git(&["add", "src/a.ts"]);
    // Fixed in the worktree but not staged: the commit would still contain eval.
    repo.write("src/a.ts", "safe();\n");
    repo.write("src/b.ts", "eval(unstaged);\n");
    let run = repo.harness(&["check", "--staged", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn changed_outside_a_git_repository_is_an_error() {
    let repo = Repo::fixture("regex");
    let run = repo.harness(&["check", "--changed"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: `git "), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: --changed and --staged need a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn cache_is_used_when_size_and_mtime_are_unchanged() {
    let repo = repo();
    let path = repo.path().join("src/old.ts");
    assert!(
        repo.harness(&["check", "--format", "agent"])
            .stdout
            .contains("src/old.ts")
    );
    // Same size, same modification time, different content: the cache answers, proving it was
    // read rather than the file.
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, "safe(legacy);\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let cached = repo.harness(&["check", "--format", "agent"]);
    assert!(
        cached.stdout.contains("src/old.ts:1  P1 no-eval"),
        "{}",
        cached.stdout
    );
    let fresh = repo.harness(&["check", "--format", "agent", "--no-cache"]);
    assert!(!fresh.stdout.contains("src/old.ts"), "{}", fresh.stdout);
}

#[test]
fn cache_gives_the_same_answer_after_edits() {
    let repo = repo();
    let first = repo.harness(&["check", "--format", "json"]);
    let shards = repo.path().join(".harness/state/check-cache");
    assert!(std::fs::read_dir(&shards).unwrap().count() > 0);
    let again = repo.harness(&["check", "--format", "json"]);
    assert_eq!(first.stdout, again.stdout);
    // Edit one file: its findings change, the others come from the cache.
    repo.write("src/old.ts", "eval(a);\neval(b);\n");
    let edited = repo.harness(&["check", "--format", "json"]);
    let uncached = repo.harness(&["check", "--format", "json", "--no-cache"]);
    assert_eq!(edited.stdout, uncached.stdout);
    assert!(edited.stdout.contains("\"line\": 2"), "{}", edited.stdout);
    // A rule change drops the cache.
    repo.write(
        ".harness/rules/eval.yml",
        "id: no-eval\npriority: P1\nmessage: eval is forbidden\nregex:\n  pattern: 'legacy'\n",
    );
    repo.write("src/old.ts", "eval(legacy);\n");
    let changed_rule = repo.harness(&["check", "--format", "json"]);
    let uncached = repo.harness(&["check", "--format", "json", "--no-cache"]);
    assert_eq!(changed_rule.stdout, uncached.stdout);
    // A damaged cache is ignored.
    for shard in std::fs::read_dir(&shards).unwrap() {
        std::fs::write(shard.unwrap().path(), b"garbage").unwrap();
    }
    assert_eq!(
        repo.harness(&["check", "--format", "json"]).stdout,
        uncached.stdout
    );
}
