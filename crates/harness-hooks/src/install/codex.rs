//! Codex: `.codex/hooks.json`, and the two trust steps Codex needs before it runs project hooks.
//!
//! Codex runs a project's hooks only when the project is trusted and each hook's exact content
//! is recorded as trusted in the user's `config.toml`, keyed by the hook's place in hooks.json.
//! harness cannot write the user's config; it computes the entries and prints them.

use std::fmt::Write as _;

use jsonc_parser::ast::Value as Ast;
use sha2::{Digest, Sha256};

use super::jsonc::{self, json_string};
use super::settings::is_ours;
use super::{Event, Handler, Settings};

pub static SETTINGS: Settings = Settings {
    path: ".codex/hooks.json",
    comments: false,
    handler: Handler {
        name: None,
        command: "harness hook codex",
        timeout: 30,
    },
    events: &[
        Event {
            name: "SessionStart",
            matcher: None,
        },
        Event {
            name: "PreToolUse",
            matcher: Some("^(apply_patch|Edit|Write|Bash)$"),
        },
        Event {
            name: "PostToolUse",
            matcher: Some("^(apply_patch|Edit|Write)$"),
        },
        Event {
            name: "PostCompact",
            matcher: None,
        },
        Event {
            name: "Stop",
            matcher: None,
        },
    ],
};

/// Codex's names for hook events in trust keys.
const EVENT_LABELS: [&str; 11] = [
    "session_start",
    "user_prompt_submit",
    "pre_tool_use",
    "permission_request",
    "post_tool_use",
    "pre_compact",
    "post_compact",
    "stop",
    "session_end",
    "subagent_start",
    "subagent_stop",
];

/// One setting of Codex's `config.toml`: `field = "value"` in the table at `table`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub table: Vec<String>,
    pub field: &'static str,
    pub value: String,
}

/// What Codex's `config.toml` needs so that it runs harness's hooks in `hooks_json_text`:
/// the project trusted, then one trusted hash per harness handler.
pub fn trust_entries(repo_abs: &str, hooks_json_abs: &str, hooks_json_text: &str) -> Vec<Trust> {
    let mut out = vec![Trust {
        table: vec!["projects".into(), repo_abs.into()],
        field: "trust_level",
        value: "trusted".into(),
    }];
    out.extend(handler_entries(hooks_json_abs, hooks_json_text, true));
    out
}

/// The user's own handlers whose trust moved: trusted in `config_toml` before the change, but
/// at another position after it (Codex keys trust by position), so Codex would skip them.
pub fn moved_user_entries(
    config_toml: &str,
    hooks_json_abs: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Vec<Trust> {
    let entries = |text: Option<&str>| {
        text.map_or_else(Vec::new, |t| handler_entries(hooks_json_abs, t, false))
    };
    let before = entries(before);
    let untrusted_before = missing(config_toml, before.clone());
    let trusted_hashes: Vec<String> = before
        .into_iter()
        .filter(|e| !untrusted_before.contains(e))
        .map(|e| e.value)
        .collect();
    missing(config_toml, entries(after))
        .into_iter()
        .filter(|e| trusted_hashes.contains(&e.value))
        .collect()
}

/// One trusted hash per handler that is harness's (`ours`) or the user's (`!ours`).
fn handler_entries(hooks_json_abs: &str, hooks_json_text: &str, ours: bool) -> Vec<Trust> {
    let mut out = Vec::new();
    let Ok(Some(Ast::Object(root))) = jsonc::parse(hooks_json_text, false) else {
        return out;
    };
    let Some(hooks) = root.get_object("hooks") else {
        return out;
    };
    for event in &hooks.properties {
        let label = snake_case(event.name.as_str());
        let (true, Ast::Array(groups)) = (EVENT_LABELS.contains(&label.as_str()), &event.value)
        else {
            continue;
        };
        for (g, group) in groups.elements.iter().enumerate() {
            let Some(group) = group.as_object() else {
                continue;
            };
            let matcher = group.get_string("matcher").map(|m| m.value.as_ref());
            let Some(handlers) = group.get_array("hooks") else {
                continue;
            };
            for (h, handler) in handlers.elements.iter().enumerate() {
                let Some(fields) = handler.as_object().filter(|_| is_ours(handler) == ours) else {
                    continue;
                };
                let command = fields
                    .get_string("command")
                    .map_or("", |c| c.value.as_ref());
                let timeout = fields
                    .get_number("timeout")
                    .and_then(|t| t.value.parse().ok())
                    // Codex's own default when a handler names none.
                    .unwrap_or(if ours { SETTINGS.handler.timeout } else { 600 });
                out.push(Trust {
                    table: vec![
                        "hooks".into(),
                        "state".into(),
                        format!("{hooks_json_abs}:{label}:{g}:{h}"),
                    ],
                    field: "trusted_hash",
                    value: trusted_hash(&label, matcher, command, timeout),
                });
            }
        }
    }
    out
}

/// The TOML to add to Codex's `config.toml` so that it runs harness's hooks.
pub fn codex_trust_snippet(repo_abs: &str, hooks_json_abs: &str, hooks_json_text: &str) -> String {
    render(&trust_entries(repo_abs, hooks_json_abs, hooks_json_text))
}

/// `entries` as TOML tables, one blank line apart.
pub fn render(entries: &[Trust]) -> String {
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let table: Vec<String> = e.table.iter().map(|k| toml_key(k)).collect();
        let _ = writeln!(out, "[{}]", table.join("."));
        let _ = writeln!(out, "{} = {}", e.field, toml_string(&e.value));
    }
    out
}

/// The entries `config_toml` does not hold yet (all of them when it is not valid TOML).
pub fn missing(config_toml: &str, entries: Vec<Trust>) -> Vec<Trust> {
    let Ok(config) = config_toml.parse::<toml::Table>() else {
        return entries;
    };
    entries
        .into_iter()
        .filter(|e| {
            let mut table = Some(&config);
            for key in &e.table {
                table = table
                    .and_then(|t| t.get(key))
                    .and_then(toml::Value::as_table);
            }
            let value = table
                .and_then(|t| t.get(e.field))
                .and_then(toml::Value::as_str);
            value != Some(e.value.as_str())
        })
        .collect()
}

/// `sha256:` and the hex digest of the handler's canonical JSON, as Codex computes it: keys
/// sorted, no whitespace, non-ASCII as is.
pub fn trusted_hash(
    event_label: &str,
    matcher: Option<&str>,
    command: &str,
    timeout: u64,
) -> String {
    let mut canonical = format!(
        "{{\"event_name\":{},\"hooks\":[{{\"async\":false,\"command\":{},\"timeout\":{timeout},\"type\":\"command\"}}]",
        json_string(event_label),
        json_string(command),
    );
    if let Some(m) = matcher {
        let _ = write!(canonical, ",\"matcher\":{}", json_string(m));
    }
    canonical.push('}');
    let digest = Sha256::digest(canonical.as_bytes());
    let mut out = String::from("sha256:");
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// `PreToolUse` → `pre_tool_use`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
