//! Inline suppressions: `harness-ignore: <rule-id> -- <reason>` on or above the line, in the
//! file's own comment syntax; a reason is required and unused suppressions are findings.

use insta::assert_snapshot;

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "").write(
        ".harness/rules/r.yml",
        "id: no-eval\npriority: P1\nmessage: eval is forbidden\nregex:\n  pattern: 'eval\\('\n---\nid: short\npriority: P2\nmessage: too long\nmax-lines:\n  max: 3\n",
    );
    repo
}

#[test]
fn suppressions_in_each_comment_syntax() {
    let repo = repo();
    repo.write(
        "src/a.ts",
        "// harness-ignore: no-eval -- sandboxed interpreter, reviewed in #12\neval(a);\neval(b); // harness-ignore: no-eval -- test double\n",
    )
    .write("src/b.py", "x = eval(s)  # harness-ignore: no-eval -- trusted config file\n")
    .write("src/c.sql", "-- harness-ignore: no-eval -- stored procedure name\nselect eval(1);\n")
    .write(
        "src/long.rs",
        "// harness-ignore-file: short -- generated bindings\nfn a() {}\nfn b() {}\nfn c() {}\n",
    );
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

#[test]
fn suppression_without_reason_does_not_suppress() {
    let repo = repo();
    repo.write("src/a.ts", "eval(a); // harness-ignore: no-eval\n");
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn unused_and_unknown_suppressions_are_findings() {
    let repo = repo();
    repo.write(
        "src/a.ts",
        "// harness-ignore: no-eval -- was needed once\nsafe();\nrun(); // harness-ignore: no-evl -- typo\n",
    );
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}

#[test]
fn suppression_covers_only_its_line_and_the_next() {
    let repo = repo();
    repo.write(
        "src/a.ts",
        "// harness-ignore: no-eval -- reviewed\n\neval(a);\n",
    );
    let run = repo.harness(&["check", "--format", "agent", "--rule", "no-eval"]);
    assert!(
        run.stdout.contains("src/a.ts:3  P1 no-eval"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("harness/unused-suppression"),
        "{}",
        run.stdout
    );
}
