//! `harness context`: what applies to paths or a task, ranked, within a token budget.

use insta::assert_snapshot;

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/db.yml",
            "id: db-no-raw-sql\npriority: P1\nmessage: raw SQL outside the query layer\n\
             fix: use the query builder in src/db/query.ts\nrunbook: docs/runbooks/sql.md\n\
             paths: [\"src/db/**\"]\nignores: [\"src/db/query.ts\"]\nregex:\n  pattern: 'SELECT '\n",
        )
        .write(
            ".harness/personas/reliability.md",
            "---\nname: reliability\ndescription: how it fails\napplies_to: [\"src/**\"]\n---\n\
             - Every network call has a timeout\n- Retries back off with jitter\n",
        )
        .write(
            "docs/adr/0001-postgres.md",
            "---\nstatus: accepted\napplies_to: [\"src/db/**\"]\n---\n# Use Postgres\n\nAll data lives in Postgres.\n",
        )
        .write(
            "docs/journeys/checkout.md",
            "---\ntags: [payments]\n---\n# Checkout\n\n- A declined card offers a retry\n",
        );
    repo
}

#[test]
fn guidance_for_a_path_most_specific_first() {
    let run = repo().harness(&["context", "--path", "src/db/users.ts"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.snapshot());
}

#[test]
fn guidance_for_a_task() {
    let run = repo().harness(&["context", "--task", "Accept payments by card"]);
    assert_snapshot!(run.snapshot());
}

#[test]
fn json_lists_what_was_left_out() {
    let run = repo().harness(&[
        "context",
        "--path",
        "src/db/users.ts",
        "--budget",
        "100",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let included = value["included"].as_array().unwrap().len();
    let left_out = value["left_out"].as_array().unwrap();
    assert!(included >= 1 && !left_out.is_empty(), "{}", run.stdout);
    assert_eq!(included + left_out.len(), 3);
    assert!(
        left_out[0]["text"].is_null(),
        "left-out entries are named, not printed"
    );
    assert!(value["tokens"].as_u64().unwrap() <= 100);
}

#[test]
fn five_hundred_rules_stay_within_the_budget() {
    let repo = Repo::new();
    let mut rules = String::new();
    for i in 0..500 {
        rules.push_str(&format!(
            "id: rule-{i:03}\npriority: P2\nmessage: guidance number {i} for the API layer\n\
             fix: follow the API guide, section {i}\npaths: [\"src/api/**\"]\nregex:\n  pattern: 'x{i}y'\n---\n"
        ));
    }
    repo.write("harness.toml", "")
        .write(".harness/rules/many.yml", &rules);
    let run = repo.harness(&["context", "--path", "src/api/users.ts", "--budget", "1000"]);
    assert_eq!(run.code, 0);
    let tokens = harness_context::count_tokens(&run.stdout);
    assert!(tokens <= 1000, "{tokens} tokens");
    assert!(run.stdout.contains("left out "), "{}", run.stdout);
    let rest = run.stdout.trim_end().rsplit("see all: ").next().unwrap();
    assert!(
        rest.starts_with("harness context --path src/api/users.ts --budget "),
        "{rest}"
    );
    // The command it names shows everything.
    let budget = rest.rsplit(' ').next().unwrap();
    let all = repo.harness(&["context", "--path", "src/api/users.ts", "--budget", budget]);
    assert!(!all.stdout.contains("left out"), "{}", all.stdout);
    assert_eq!(all.stdout.matches("\nrule rule-").count(), 500);
}

#[test]
fn a_long_task_stays_within_the_budget() {
    let task = "payments ".repeat(2000);
    let run = repo().harness(&["context", "--task", &task, "--budget", "300"]);
    assert_eq!(run.code, 0);
    assert!(
        harness_context::count_tokens(&run.stdout) <= 300,
        "{}",
        run.stdout
    );
}

#[test]
fn paths_are_resolved_from_the_working_directory_and_absolute() {
    let repo = repo();
    let abs = repo.path().join("src/db/users.ts");
    let run = repo.harness(&["context", "--path", abs.to_str().unwrap()]);
    assert!(run.stdout.contains("rule db-no-raw-sql"), "{}", run.stdout);
    let run = repo.harness(&["context", "--path", "../outside.ts"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is outside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_ast_rule_is_not_offered_for_another_language() {
    let repo = Repo::new();
    repo.write("harness.toml", "").write(
        ".harness/rules/r.yml",
        "id: rs-unwrap\npriority: P2\nmessage: no unwrap\nast:\n  language: rust\n  rule:\n    pattern: $X.unwrap()\n",
    );
    let run = repo.harness(&["context", "--path", "src/a.ts"]);
    assert!(run.stdout.contains("nothing applies"), "{}", run.stdout);
    let run = repo.harness(&["context", "--path", "src/a.rs"]);
    assert!(run.stdout.contains("rule rs-unwrap"), "{}", run.stdout);
}

#[test]
fn nothing_to_give_context_for_is_a_usage_error() {
    let run = repo().harness(&["context"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}

#[test]
fn diff_gives_context_for_the_changed_files() {
    let repo = repo();
    repo.git(&["init", "-q"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "base"]);
    let run = repo.harness(&["context", "--diff"]);
    assert_eq!(
        run.stdout,
        "harness context: no files changed against HEAD\n"
    );
    repo.write("src/db/users.ts", "export const q = 1;\n");
    let run = repo.harness(&["context", "--diff"]);
    assert!(
        run.stdout
            .starts_with("harness context: 3 of 3 for src/db/users.ts\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_outside_git_is_an_error() {
    let run = repo().harness(&["context", "--diff"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("hint: --diff needs a git repository"),
        "{}",
        run.stderr
    );
}
