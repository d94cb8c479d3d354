//! `harness schema [config|rule]`.

use std::io::Write;

use harness_core::schema::{config_schema, rule_schema};

use crate::args::{SchemaArgs, SchemaWhich};
use crate::exit;

pub fn run(args: &SchemaArgs, out: &mut dyn Write) -> u8 {
    let value = match args.which {
        Some(SchemaWhich::Config) => config_schema(),
        Some(SchemaWhich::Rule) => rule_schema(),
        None => serde_json::json!({ "harness.toml": config_schema(), "rule": rule_schema() }),
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    let _ = writeln!(out, "{text}");
    exit::CLEAN
}
