//! The reference docs under docs/reference/ are generated from the code. This test fails when
//! they are stale; `HARNESS_UPDATE_DOCS=1 cargo test -p harness-cli --test docs` rewrites them.
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::CommandFactory;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference")
}

fn cli_reference() -> String {
    let mut out = String::from(
        "# CLI reference\n\nGenerated from the code by `HARNESS_UPDATE_DOCS=1 cargo test -p harness-cli --test docs`.\n",
    );
    let mut cmd = harness_cli::Cli::command().term_width(100);
    cmd.build();
    let help = cmd.render_long_help().to_string();
    write!(out, "\n## harness\n\n```text\n{}\n```\n", help.trim_end()).unwrap();
    for sub in cmd.get_subcommands_mut() {
        let name = sub.get_name().to_owned();
        if name == "help" {
            continue;
        }
        let help = sub.render_long_help().to_string();
        write!(
            out,
            "\n## harness {name}\n\n```text\n{}\n```\n",
            help.trim_end()
        )
        .unwrap();
    }
    out
}

fn builtin_rules() -> String {
    let mut out = String::from(
        "# Built-in rules\n\nGenerated from crates/harness-check/src/builtin/ by `HARNESS_UPDATE_DOCS=1 cargo test -p harness-cli --test docs`.\n",
    );
    for rule in harness_check::builtin::ALL {
        let doc = rule.doc.trim_end().replace("\n## ", "\n### ");
        let doc = doc
            .strip_prefix("## ")
            .map_or(doc.clone(), |d| format!("### {d}"));
        write!(
            out,
            "\n## {} ({})\n\n{}\n\n{doc}\n",
            rule.id, rule.priority, rule.message
        )
        .unwrap();
    }
    out
}

fn json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap();
    s.push('\n');
    s
}

#[test]
fn reference_docs_are_fresh() {
    let files = [
        ("cli.md", cli_reference()),
        ("builtin-rules.md", builtin_rules()),
        (
            "harness.toml.schema.json",
            json(&harness_core::schema::config_schema()),
        ),
        (
            "rule.schema.json",
            json(&harness_core::schema::rule_schema()),
        ),
    ];
    let update = std::env::var_os("HARNESS_UPDATE_DOCS").is_some();
    let dir = reference_dir();
    let mut stale = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, content).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale docs in docs/reference: {stale:?}; run `HARNESS_UPDATE_DOCS=1 cargo test -p harness-cli --test docs`"
    );
}
