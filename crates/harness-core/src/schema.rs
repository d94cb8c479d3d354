//! JSON Schemas of `harness.toml` and of a rule file, generated from the types that parse them.

use crate::config::Config;
use crate::rule::SerializableRule;

/// The JSON Schema of `harness.toml`.
pub fn config_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
}

/// The JSON Schema of one rule document in `.harness/rules/*.yml`.
pub fn rule_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(SerializableRule)).unwrap_or_default()
}
