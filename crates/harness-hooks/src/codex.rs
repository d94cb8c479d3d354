//! Codex CLI: `.codex/hooks.json` hooks.
//!
//! Codex reads the same shapes as Claude Code but rejects the whole answer when it holds a key
//! the event does not accept (its output types deny unknown fields), so each answer carries only
//! what its event takes: no `additionalContext` on `Stop` or `PostCompact`, never `ask`, and a
//! deny always with a reason. File edits arrive as `apply_patch` with the patch text in
//! `tool_input.command`; the shell tool is reported as `Bash`. Hook output over about 2,500
//! tokens is spilled to a file, so answers stay below.

use serde_json::json;

use crate::Minimum;
use crate::answer::{self, Answer, Decision};
use crate::event::{
    Common, Event, Incoming, PayloadError, input_command, input_path, object, session_start,
    stop_active, string,
};

/// The most bytes of context Codex takes inline (2,500 tokens, counted as 4 bytes each).
pub const LIMIT_BYTES: usize = 9_000;

/// The first release with every hook feature this adapter needs (its release tags).
pub const MINIMUM: Minimum = Minimum {
    version: "0.129.0",
    feature: "trusted project hooks and PostCompact",
};

const EVENTS: [&str; 11] = [
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "PreCompact",
    "PostCompact",
    "Stop",
    "SessionEnd",
    "SubagentStart",
    "SubagentStop",
];

const CONTEXT_EVENTS: [&str; 4] = [
    "SessionStart",
    "PreToolUse",
    "PostToolUse",
    "UserPromptSubmit",
];

pub fn parse(input: &[u8]) -> Result<Incoming, PayloadError> {
    let map = object(input)?;
    let common = Common::read(&map)?;
    let event = match common.event_name.as_str() {
        "SessionStart" => session_start(&map, &["compact", "clear"]),
        "PostCompact" => Event::Compacted,
        "PreToolUse" | "PostToolUse" => {
            let pre = common.event_name == "PreToolUse";
            let paths = match string(&map, "tool_name")? {
                "apply_patch" => Some(crate::patch::paths(&input_command(&map)?)),
                "Write" | "Edit" => Some(input_path(&map, &["file_path"])),
                "Bash" if pre => {
                    let command = input_command(&map)?;
                    return Ok(common.with(Event::PreShell { command }));
                }
                _ => None,
            };
            match paths {
                Some(paths) if pre => Event::PreEdit { paths },
                Some(paths) => Event::PostEdit { paths },
                None => Event::Ignored,
            }
        }
        "Stop" => Event::Stop {
            active: stop_active(&map),
        },
        other if EVENTS.contains(&other) => Event::Ignored,
        other => return Err(PayloadError::UnknownEvent(other.to_owned())),
    };
    Ok(common.with(event))
}

pub fn answer(event_name: &str, decision: &Decision) -> Answer {
    match decision {
        Decision::Context(text) if CONTEXT_EVENTS.contains(&event_name) => {
            answer::context(event_name, text)
        }
        Decision::Nothing | Decision::Context(_) => Answer::nothing(),
        Decision::Deny(reason) => answer::deny_tool(non_empty(reason)),
        Decision::Block(reason) | Decision::BlockStop(reason) => {
            Answer::json(&json!({"decision": "block", "reason": non_empty(reason)}))
        }
        Decision::Notice(message) => Answer::json(&json!({"systemMessage": message})),
    }
}

/// Codex refuses a deny or block without a reason, and then lets the action through.
fn non_empty(reason: &str) -> &str {
    if reason.trim().is_empty() {
        "refused by harness policy"
    } else {
        reason
    }
}
