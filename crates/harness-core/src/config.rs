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
    #[serde(default)]
    pub hooks: HooksConfig,
    #[serde(default)]
    pub sync: SyncConfig,
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
    /// Coverage reports larger than this many bytes are refused with a finding. Default 128 MiB
    /// (a hook reads the report on each edit).
    #[serde(default = "default_max_report_bytes")]
    pub max_report_bytes: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            max_file_bytes: default_max_file_bytes(),
            exclude: Vec::new(),
            baseline: default_baseline(),
            max_report_bytes: default_max_report_bytes(),
        }
    }
}

fn default_max_file_bytes() -> u64 {
    2 * 1024 * 1024
}

fn default_max_report_bytes() -> u64 {
    128 * 1024 * 1024
}

fn default_baseline() -> String {
    ".harness/baseline.json".to_owned()
}

/// How `harness hook` behaves inside an agent session.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HooksConfig {
    /// What a hook does when harness itself fails (bad payload, unreadable config, store error):
    /// `open` lets the agent go on (one line on stderr), `closed` blocks the action. Default `open`.
    #[serde(default)]
    pub fail: FailMode,
    /// How many times in a row a stop is blocked while blocking findings remain before the agent
    /// is let go anyway (so a session can never loop forever). Default 3.
    #[serde(default = "default_max_stop_blocks")]
    pub max_stop_blocks: u32,
    /// Tokens of guidance given before an edit (never more than the agent accepts). Default 1500.
    #[serde(default = "default_context_budget")]
    pub context_budget: usize,
    /// Deny the built-in dangerous commands: force pushes, `rm -rf` outside the repository and
    /// writes to `protected` paths. Default true.
    #[serde(default = "default_true")]
    pub deny_builtin: bool,
    /// Globs of paths no agent may write, by an edit tool or a shell command. Default: `.git/**`
    /// and the hook settings `harness install` writes (`.claude/settings.json`,
    /// `.codex/hooks.json`, `.gemini/settings.json`).
    #[serde(default = "default_protected")]
    pub protected: Vec<String>,
    /// Shell commands to deny, each a regex over the whole command and the reason the agent is given.
    #[serde(default)]
    pub deny: Vec<DenyCommand>,
}

impl Default for HooksConfig {
    fn default() -> Self {
        HooksConfig {
            fail: FailMode::default(),
            max_stop_blocks: default_max_stop_blocks(),
            context_budget: default_context_budget(),
            deny_builtin: true,
            protected: default_protected(),
            deny: Vec::new(),
        }
    }
}

/// See [`HooksConfig::fail`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailMode {
    #[default]
    Open,
    Closed,
}

/// How `harness sync` writes instruction files.
#[derive(Clone, Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// How globs are written in Cursor's `.mdc` front matter. `quoted` (the default) is valid
    /// YAML for every glob; `bare` is what Cursor's own rule reader matches (it keeps quote
    /// characters as part of the glob), but a bare glob starting with `*` is not valid YAML.
    #[serde(default)]
    pub cursor_globs: Option<CursorGlobs>,
}

/// How Cursor's globs are written: `quoted` or `bare`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CursorGlobs {
    #[default]
    Quoted,
    Bare,
}

/// A shell command pattern to deny.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyCommand {
    /// A regex (Rust syntax) searched in the command.
    pub pattern: String,
    /// Why, and what to do instead: the agent reads this.
    pub reason: String,
}

fn default_max_stop_blocks() -> u32 {
    3
}

fn default_context_budget() -> usize {
    1500
}

fn default_true() -> bool {
    true
}

fn default_protected() -> Vec<String> {
    // Git's own files, and the hook settings an agent could otherwise switch harness off with.
    [
        ".git/**",
        ".claude/settings.json",
        ".codex/hooks.json",
        ".gemini/settings.json",
    ]
    .map(str::to_owned)
    .to_vec()
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
        for deny in &config.hooks.deny {
            if let Err(e) = regex::Regex::new(&deny.pattern) {
                let first = e.to_string().lines().last().unwrap_or_default().to_owned();
                return Err(ConfigError::new(
                    format!("invalid regex in `hooks.deny`: {first}"),
                    locate(text, &deny.pattern, path),
                    "fix the pattern (Rust regex syntax; in TOML prefer single quotes so backslashes stay literal)",
                ));
            }
            if deny.reason.trim().is_empty() {
                return Err(ConfigError::new(
                    "`hooks.deny` entry has an empty reason".to_owned(),
                    locate(text, &deny.pattern, path),
                    "say why the command is denied and what to do instead; the agent reads it",
                ));
            }
        }
        for (key, globs) in [
            ("files", &config.rules.files),
            ("exclude", &config.check.exclude),
            ("protected", &config.hooks.protected),
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

/// `hooks.fail` read leniently from `harness.toml` text, for when the file as a whole does not
/// load: a hook that cannot load its configuration must still know whether to fail closed.
pub fn fail_mode_of(text: &str) -> FailMode {
    let closed = if let Ok(t) = text.parse::<toml::Table>() {
        t.get("hooks")
            .and_then(|h| h.get("fail"))
            .and_then(toml::Value::as_str)
            == Some("closed")
    } else {
        // Not even TOML: a `fail = "closed"` line in the `[hooks]` table still counts.
        let mut in_hooks = false;
        text.lines().map(str::trim).any(|line| {
            if line.starts_with('[') {
                in_hooks = line == "[hooks]";
                return false;
            }
            in_hooks && line.replace(' ', "").starts_with("fail=\"closed\"")
        })
    };
    if closed {
        FailMode::Closed
    } else {
        FailMode::Open
    }
}

#[cfg(test)]
mod fail_mode_tests {
    use super::*;

    #[test]
    fn closed_is_found_even_in_a_broken_file() {
        assert_eq!(
            fail_mode_of("[hooks]\nfail = \"closed\"\n"),
            FailMode::Closed
        );
        assert_eq!(
            fail_mode_of("[hooks\n[hooks]\nfail=\"closed\"\n"),
            FailMode::Closed
        );
        assert_eq!(
            fail_mode_of("[policy\n[check]\nfail = \"closed\"\n"),
            FailMode::Open
        );
        assert_eq!(fail_mode_of(""), FailMode::Open);
    }
}
