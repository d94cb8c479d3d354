//! Output formats: agent bound and grouping, json, SARIF (validated against the SARIF 2.1.0
//! schema), GitHub annotations and reviewdog's rdjson.

use std::fmt::Write as _;
use std::path::PathBuf;

use insta::assert_snapshot;

use crate::common::Repo;

/// A repository with 500 findings of one rule over many directories, plus a few others.
fn noisy_repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/r.yml",
            "id: no-any\npriority: P2\nmessage: no any\nfix: type it\nrunbook: docs/types.md\nregex:\n  pattern: ': any'\n---\nid: no-eval\npriority: P0\nmessage: eval is forbidden\nfix: remove eval\nregex:\n  pattern: 'eval\\('\n---\nid: nit\npriority: P3\nmessage: trailing space\nregex:\n  pattern: ' +$'\n",
        )
        .write("src/danger.ts", "eval(input);\n");
    for dir in 0..10 {
        let mut text = String::new();
        for i in 0..50 {
            writeln!(text, "export const v{i}: any = {i};").unwrap();
        }
        repo.write(&format!("src/api/m{dir}/values.ts"), &text);
    }
    repo.write("src/x.ts", "const a = 1; \n");
    repo
}

#[test]
fn agent_format_is_bounded_and_grouped() {
    let repo = noisy_repo();
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.len() <= 4000, "{} bytes", run.stdout.len());
    assert_snapshot!(run.snapshot());
}

#[test]
fn agent_format_tiny_bound_keeps_the_verdict() {
    let repo = noisy_repo();
    for bound in [1, 80, 200, 300] {
        let run = repo.harness(&[
            "check",
            "--format",
            "agent",
            "--max-bytes",
            &bound.to_string(),
        ]);
        let first = run.stdout.lines().next().unwrap();
        assert_eq!(
            first,
            "harness: 501 blocking (P0 1, P2 500), 1 advisory (P3 1) in 12 files"
        );
        if bound >= 200 {
            assert!(
                run.stdout.len() <= bound,
                "bound {bound}: {} bytes\n{}",
                run.stdout.len(),
                run.stdout
            );
            assert!(
                run.stdout.trim_end().ends_with("--format human"),
                "{}",
                run.stdout
            );
        }
    }
    let run = repo.harness(&["check", "--format", "agent", "--max-bytes", "300"]);
    assert_snapshot!(run.snapshot());
}

#[test]
fn agent_format_unbounded_shows_group_summaries() {
    let repo = noisy_repo();
    let run = repo.harness(&["check", "--format", "agent", "--max-bytes", "0"]);
    assert!(
        run.stdout.contains("… and 497 more in src/api/**"),
        "{}",
        run.stdout
    );
}

#[test]
fn clean_verdict() {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/r.yml",
            "id: a\npriority: P1\nmessage: m\nregex:\n  pattern: 'eval'\n",
        )
        .write("src/a.ts", "ok();\n");
    assert_snapshot!(repo.harness(&["check", "--format", "agent"]).snapshot());
}

#[test]
fn advisory_findings_exit_zero() {
    let repo = Repo::new();
    repo.write("harness.toml", "[policy]\nblock_at = \"P1\"\n")
        .write(
            ".harness/rules/r.yml",
            "id: a\npriority: P2\nmessage: m\nregex:\n  pattern: 'eval'\n",
        )
        .write("src/a.ts", "eval();\n");
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.snapshot());
}

fn sample() -> Repo {
    let repo = Repo::fixture("ast");
    repo.write("src/ui/ça va.ts", "console.log('x'); // é\n");
    repo.write(
        ".harness/rules/log.yml",
        "id: no-log\npriority: P3\nmessage: console.log\nrunbook: https://example.com/logging\nregex:\n  pattern: 'console\\.log'\n",
    );
    repo
}

#[test]
fn json_format() {
    assert_snapshot!(sample().harness(&["check", "--format", "json"]).snapshot());
}

#[test]
fn github_format() {
    assert_snapshot!(
        sample()
            .harness(&["check", "--format", "github"])
            .snapshot()
    );
}

#[test]
fn rdjson_format() {
    let run = sample().harness(&["check", "--format", "rdjson"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["source"]["name"], "harness");
    assert_eq!(value["diagnostics"].as_array().unwrap().len(), 3);
    assert_snapshot!(run.snapshot());
}

fn sarif_schema() -> serde_json::Value {
    let path = std::env::var_os("HARNESS_TEST_SARIF_SCHEMA").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../.tools/npm/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
        },
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "SARIF schema not found at {} ({e}); run scripts/test.sh, which installs it",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let run = sample().harness(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&sarif_schema())
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );
    // What GitHub code scanning needs beyond the schema.
    let run0 = &sarif["runs"][0];
    assert_eq!(sarif["version"], "2.1.0");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for result in run0["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let loc = &result["locations"][0]["physicalLocation"];
        assert!(
            !loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(
            result["partialFingerprints"]
                .as_object()
                .is_some_and(|o| !o.is_empty())
        );
    }
    assert!(
        run.stdout.contains("src/ui/%C3%A7a%20va.ts"),
        "{}",
        run.stdout
    );
    assert_snapshot!(run.snapshot());
}

#[test]
fn schema_command_prints_both_schemas() {
    let repo = Repo::new();
    let run = repo.harness(&["schema"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["harness.toml"]["title"], "harness.toml");
    assert_eq!(value["rule"]["title"], "harness rule");
    let props = value["rule"]["properties"].as_object().unwrap();
    for key in [
        "id",
        "priority",
        "message",
        "why",
        "fix",
        "runbook",
        "paths",
        "ignores",
        "max-lines",
        "require-file",
        "forbid-import",
        "regex",
        "ast",
    ] {
        assert!(props.contains_key(key), "rule schema lacks {key}");
    }
    let run = repo.harness(&["schema", "config"]);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(value["properties"]["policy"].is_object());
}
