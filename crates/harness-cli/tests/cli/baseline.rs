//! `harness baseline`: a legacy repository adopts rules and sees only new findings.

use insta::assert_snapshot;

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/r.yml",
            "id: no-eval\npriority: P1\nmessage: eval is forbidden\nregex:\n  pattern: 'eval\\('\n",
        )
        .write("src/old.ts", "eval(a);\neval(b);\n");
    repo
}

#[test]
fn baseline_hides_old_findings_and_shows_new_ones() {
    let repo = repo();
    let run = repo.harness(&["baseline"]);
    assert_eq!(run.code, 0);
    assert_snapshot!("baseline_written", run.snapshot());
    let saved = std::fs::read_to_string(repo.path().join(".harness/baseline.json")).unwrap();
    assert!(saved.contains("\"rule\": \"no-eval\""));

    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_snapshot!("baseline_clean", run.snapshot());

    // Code moves down: the old findings keep their fingerprints.
    repo.write("src/old.ts", "// header\n\neval(a);\neval(b);\n");
    assert_eq!(repo.harness(&["check"]).code, 0);

    // A new violation is reported.
    repo.write("src/new.ts", "eval(c);\n");
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!("baseline_new_finding", run.snapshot());

    // --no-baseline shows everything.
    let run = repo.harness(&["check", "--format", "agent", "--no-baseline"]);
    assert!(
        run.stdout.starts_with("harness: 3 blocking"),
        "{}",
        run.stdout
    );
}

#[test]
fn damaged_baseline_is_an_error() {
    let repo = repo();
    repo.write(".harness/baseline.json", "{ not json");
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}
