//! Every bad knowledge-base input is an error with the exact message, `file:line:col`, a `hint:`
//! line and exit code 2.

use insta::assert_snapshot;

use crate::common::Repo;

const GOOD_RULE: &str = "id: ok\npriority: P2\nmessage: ok\nregex:\n  pattern: 'x'\n";

fn with_rule(rule: &str) -> String {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(".harness/rules/r.yml", rule);
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    run.snapshot()
}

fn with_config(config: &str) -> String {
    let repo = Repo::new();
    repo.write("harness.toml", config)
        .write(".harness/rules/r.yml", GOOD_RULE);
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    run.snapshot()
}

#[test]
fn unknown_key_in_config() {
    assert_snapshot!(with_config("[policy]\nblock_at = \"P1\"\nblok = 1\n"));
}

#[test]
fn unknown_section_in_config() {
    assert_snapshot!(with_config("[polcy]\nblock_at = \"P1\"\n"));
}

#[test]
fn bad_priority_in_config() {
    assert_snapshot!(with_config("[policy]\nblock_at = \"P7\"\n"));
}

#[test]
fn bad_glob_in_config() {
    assert_snapshot!(with_config("[check]\nexclude = [\"src/[a\"]\n"));
}

#[test]
fn toml_syntax_error() {
    assert_snapshot!(with_config("[policy\nblock_at = \"P1\"\n"));
}

#[test]
fn unknown_key_in_rule() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nregex:\n  pattern: x\nseverity: error\n"
    ));
}

#[test]
fn unknown_key_in_matcher() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nregex:\n  patern: x\n"
    ));
}

#[test]
fn bad_glob_in_rule() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\npaths: [\"src/**\", \"src/{a,b\"]\nregex:\n  pattern: x\n"
    ));
}

#[test]
fn bad_regex() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nregex:\n  pattern: 'fetch\\((?!timeout)'\n"
    ));
}

#[test]
fn unknown_language() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nast:\n  language: cobol\n  rule:\n    pattern: x\n"
    ));
}

#[test]
fn unknown_language_in_astgrep_rule() {
    assert_snapshot!(with_rule("id: a\nlanguage: cobol\nrule:\n  pattern: x\n"));
}

#[test]
fn duplicate_rule_ids_across_files() {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(".harness/rules/a.yml", GOOD_RULE)
        .write(".harness/rules/b.yml", &format!("# second\n{GOOD_RULE}"));
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}

#[test]
fn duplicate_rule_ids_in_one_file() {
    assert_snapshot!(with_rule(&format!("{GOOD_RULE}---\n{GOOD_RULE}")));
}

#[test]
fn rule_with_no_matcher() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\npaths: [\"src/**\"]\n"
    ));
}

#[test]
fn rule_with_two_matchers() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nregex:\n  pattern: x\nmax-lines:\n  max: 3\n"
    ));
}

#[test]
fn bad_priority_in_rule() {
    assert_snapshot!(with_rule(
        "id: a\npriority: high\nmessage: m\nregex:\n  pattern: x\n"
    ));
}

#[test]
fn missing_message() {
    assert_snapshot!(with_rule("id: a\npriority: P2\nregex:\n  pattern: x\n"));
}

#[test]
fn bad_template_placeholder() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nrequire-file:\n  one-of: [\"{dir}/{basename}.test.ts\"]\n"
    ));
}

#[test]
fn invalid_astgrep_rule_body() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: m\nast:\n  language: typescript\n  rule:\n    patern: fetch($A)\n"
    ));
}

#[test]
fn yaml_syntax_error() {
    assert_snapshot!(with_rule(
        "id: a\npriority: P2\nmessage: [unclosed\nregex:\n  pattern: x\n"
    ));
}

#[test]
fn errors_in_later_documents_point_at_their_line() {
    assert_snapshot!(with_rule(&format!(
        "{GOOD_RULE}---\nid: b\npriority: P2\nmessage: m\nregex:\n  pattern: '('\n"
    )));
}

#[test]
fn every_error_is_reported_at_once() {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/a.yml",
            "id: a\npriority: P2\nmessage: m\nregex:\n  pattern: '('\n",
        )
        .write(".harness/rules/b.yml", "id: b\npriority: P2\nmessage: m\n");
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}

#[test]
fn no_config_anywhere() {
    let repo = Repo::new();
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: no harness.toml or sgconfig.yml in "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\nhint: run `harness init` at the top of the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_sgconfig() {
    let repo = Repo::new();
    repo.write("sgconfig.yml", "ruleDirs: [rules]\nruleDir: x\n");
    let run = repo.harness(&["check"]);
    assert_eq!(run.code, 2);
    assert_snapshot!(run.snapshot());
}

#[test]
fn usage_error_exits_2() {
    let repo = Repo::new();
    repo.write("harness.toml", "");
    let run = repo.harness(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
}

fn with_file(path: &str, text: &str) -> String {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(".harness/rules/r.yml", GOOD_RULE)
        .write(path, text);
    // `check` does not read guidance; `context` does.
    assert_eq!(repo.harness(&["check"]).code, 0);
    let run = repo.harness(&["context", "--task", "anything"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    run.snapshot()
}

#[test]
fn unknown_key_in_persona() {
    assert_snapshot!(with_file(
        ".harness/personas/reliability.md",
        "---\nname: reliability\ndescription: failure modes\napplies_to: [\"src/**\"]\nowner: sre\n---\n- Timeouts on every call\n"
    ));
}

#[test]
fn bad_glob_in_persona() {
    assert_snapshot!(with_file(
        ".harness/personas/reliability.md",
        "---\nname: reliability\ndescription: failure modes\napplies_to:\n  - src/**\n  - src/[a\n---\n- Timeouts on every call\n"
    ));
}

#[test]
fn persona_without_guardrails() {
    assert_snapshot!(with_file(
        ".harness/personas/reliability.md",
        "---\nname: reliability\ndescription: failure modes\napplies_to: [\"**\"]\n---\nBe reliable.\n"
    ));
}

#[test]
fn persona_without_front_matter() {
    assert_snapshot!(with_file(
        ".harness/personas/reliability.md",
        "- Timeouts on every call\n"
    ));
}

#[test]
fn unknown_status_in_decision() {
    assert_snapshot!(with_file(
        "docs/adr/0001-postgres.md",
        "---\nstatus: maybe\napplies_to: [\"src/db/**\"]\n---\n# Use Postgres\n"
    ));
}

#[test]
fn unclosed_front_matter_in_journey() {
    assert_snapshot!(with_file(
        "docs/journeys/checkout.md",
        "---\napplies_to: [\"src/checkout/**\"]\n# Checkout\n"
    ));
}

#[test]
fn coverage_threshold_over_100() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"lcov.info\"]\n  lines: 100\n  branches: 150\n"
    ));
}

#[test]
fn coverage_without_threshold() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"lcov.info\"]\n"
    ));
}

#[test]
fn coverage_without_reports() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: []\n  lines: 80\n"
    ));
}

#[test]
fn coverage_missing_must_be_fail_or_ignore() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"lcov.info\"]\n  lines: 80\n  missing: skip\n"
    ));
}

#[test]
fn coverage_threshold_that_is_no_number() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"lcov.info\"]\n  lines: eighty\n"
    ));
}

#[test]
fn coverage_without_paths() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\ncoverage:\n  reports: [\"lcov.info\"]\n  lines: 80\n"
    ));
}

#[test]
fn coverage_threshold_written_as_a_fraction() {
    assert_snapshot!(with_rule(
        "id: cov\npriority: P1\nmessage: m\npaths: [\"src/**\"]\ncoverage:\n  reports: [\"lcov.info\"]\n  lines: 0.8\n"
    ));
}
