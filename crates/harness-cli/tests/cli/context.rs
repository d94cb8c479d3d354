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
        "context", "--path", "src/db/users.ts", "--budget", "40", "--format", "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["included"].as_array().unwrap().len(), 1);
    assert_eq!(value["left_out"].as_array().unwrap().len(), 2);
    assert!(value["tokens"].as_u64().unwrap() <= 40);
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
    repo.write("harness.toml", "").write(".harness/rules/many.yml", &rules);
    let run = repo.harness(&["context", "--path", "src/api/users.ts", "--budget", "1000"]);
    assert_eq!(run.code, 0);
    let tokens = harness_context::count_tokens(&run.stdout);
    // The header and the left-out lines come on top of the entries' budget.
    assert!(tokens <= 1000 + 120, "{tokens} tokens");
    assert!(run.stdout.contains("left out "), "{}", run.stdout);
    assert!(
        run.stdout
            .trim_end()
            .ends_with("see all: harness context --path src/api/users.ts --budget 8000"),
        "{}",
        run.stdout
    );
}

#[test]
fn nothing_to_give_context_for_is_a_usage_error() {
    let run = repo().harness(&["context"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}
