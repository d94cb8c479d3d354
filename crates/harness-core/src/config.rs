//! `harness.toml`: policy, output limits and where the rules live.

use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::Priority;
use crate::error::{ConfigError, SourceLocation};

/// The file name harness looks for at the repository root.
pub const CONFIG_FILE: &str = "harness.toml";

/// `harness.toml`, as written by the user. Every section is optional.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "harness.toml")]
pub struct Config {
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub output: Output,
    #[serde(default)]
    pub rules: RuleSources,
    #[serde(default)]
    pub check: CheckConfig,
}

/// The merge policy, computed by harness and never by a model.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Findings at this priority or more severe block (exit code 1). Default `P2`.
    #[serde(default = "default_block_at")]
    pub block_at: Priority,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            block_at: default_block_at(),
        }
    }
}

fn default_block_at() -> Priority {
    Priority::P2
}

/// Output limits.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Output {
    /// Upper bound, in bytes, of the `agent` format. Default 4000. `0` means unbounded.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: usize,
    /// Findings of one rule shown in full before the rest are grouped. Default 3.
    #[serde(default = "default_group_after")]
    pub group_after: usize,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            max_bytes: default_max_bytes(),
            group_after: default_group_after(),
        }
    }
}

fn default_max_bytes() -> usize {
    4000
}

fn default_group_after() -> usize {
    3
}

/// Where rules are read from.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSources {
    /// Globs, relative to the repository root, of rule files. Default `[".harness/rules/**/*.yml",
    /// ".harness/rules/**/*.yaml"]`.
    #[serde(default = "default_rule_files")]
    pub files: Vec<String>,
    /// ast-grep project files (`sgconfig.yml`) whose rule, util and test directories are included.
    #[serde(default)]
    pub sgconfig: Vec<String>,
}

impl Default for RuleSources {
    fn default() -> Self {
        RuleSources {
            files: default_rule_files(),
            sgconfig: Vec::new(),
        }
    }
}

fn default_rule_files() -> Vec<String> {
    vec![
        ".harness/rules/**/*.yml".to_owned(),
        ".harness/rules/**/*.yaml".to_owned(),
    ]
}

/// How `harness check` walks the repository.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Files larger than this many bytes are skipped with a note. Default 2 MiB.
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    /// Extra globs to leave out of every check, on top of `.gitignore`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The baseline file written by `harness baseline`. Default `.harness/baseline.json`.
    #[serde(default = "default_baseline")]
    pub baseline: String,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            max_file_bytes: default_max_file_bytes(),
            exclude: Vec::new(),
            baseline: default_baseline(),
        }
    }
}

fn default_max_file_bytes() -> u64 {
    2 * 1024 * 1024
}

fn default_baseline() -> String {
    ".harness/baseline.json".to_owned()
}

impl Config {
    /// Parses `harness.toml` text. `path` is only used in error locations.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let location = e
                .span()
                .map(|s| SourceLocation::at_offset(path, text, s.start));
            let message = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let hint = if message.starts_with("unknown field") {
                "remove the key or fix its spelling; `harness schema config` lists every key"
            } else {
                "fix the value; `harness schema config` describes every key"
            };
            ConfigError::new(message, location, hint)
        })?;
        for (key, globs) in [
            ("files", &config.rules.files),
            ("exclude", &config.check.exclude),
        ] {
            for glob in globs {
                if let Err(e) = crate::glob::compile(glob) {
                    return Err(ConfigError::new(
                        format!("invalid glob `{glob}` in `{key}`: {e}"),
                        locate(text, glob, path),
                        "globs use `*`, `**`, `?`, `[...]` and `{a,b}`; check brackets and braces",
                    ));
                }
            }
        }
        Ok(config)
    }
}

/// Location of the first quoted occurrence of `value` in `text`, for errors on checked values.
pub(crate) fn locate(text: &str, value: &str, path: &Path) -> Option<SourceLocation> {
    for quote in ['"', '\''] {
        if let Some(i) = text.find(&format!("{quote}{value}{quote}")) {
            return Some(SourceLocation::at_offset(path, text, i + 1));
        }
    }
    text.find(value)
        .map(|i| SourceLocation::at_offset(path, text, i))
}
