//! Claude Code: `.claude/settings.json` hooks.
//!
//! Answers are JSON on stdout with exit 0; context goes in `hookSpecificOutput.additionalContext`
//! with `hookEventName` equal to the event; a tool is refused with `permissionDecision: "deny"`;
//! `decision: "block"` with a `reason` feeds the reason back after an edit or keeps a stop from
//! happening. Context over 10,000 characters is spilled to a file, so answers stay below.

use serde_json::json;

use crate::Minimum;
use crate::answer::{self, Answer, Decision};
use crate::event::{
    Common, Event, Incoming, PayloadError, input_command, input_path, object, session_start,
    stop_active, string,
};

/// The most bytes of context Claude Code takes inline (it spills above 10,000 characters).
pub const LIMIT_BYTES: usize = 9_000;

/// The first release with every hook event this adapter answers (its changelog).
pub const MINIMUM: Minimum = Minimum {
    version: "2.1.76",
    feature: "the PostCompact hook",
};

const EVENTS: [&str; 30] = [
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PostToolBatch",
    "Notification",
    "UserPromptSubmit",
    "UserPromptExpansion",
    "SessionStart",
    "SessionEnd",
    "Stop",
    "StopFailure",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "PermissionRequest",
    "PermissionDenied",
    "Setup",
    "TeammateIdle",
    "TaskCreated",
    "TaskCompleted",
    "Elicitation",
    "ElicitationResult",
    "ConfigChange",
    "WorktreeCreate",
    "WorktreeRemove",
    "InstructionsLoaded",
    "CwdChanged",
    "FileChanged",
    "MessageDisplay",
];

/// Events whose answer may carry `hookSpecificOutput.additionalContext`.
const CONTEXT_EVENTS: [&str; 5] = [
    "SessionStart",
    "PreToolUse",
    "PostToolUse",
    "UserPromptSubmit",
    "Stop",
];

pub fn parse(input: &[u8]) -> Result<Incoming, PayloadError> {
    let map = object(input)?;
    let common = Common::read(&map)?;
    let event = match common.event_name.as_str() {
        "SessionStart" => session_start(&map, &["compact", "clear"]),
        "PostCompact" => Event::Compacted,
        "PreToolUse" | "PostToolUse" => {
            let pre = common.event_name == "PreToolUse";
            match string(&map, "tool_name")? {
                "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => {
                    let paths = input_path(&map, &["file_path", "notebook_path"]);
                    if paths.is_empty() {
                        return Err(PayloadError::Missing("tool_input.file_path"));
                    }
                    if pre {
                        Event::PreEdit { paths }
                    } else {
                        Event::PostEdit { paths }
                    }
                }
                "Bash" if pre => Event::PreShell {
                    command: input_command(&map)?,
                },
                _ => Event::Ignored,
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
        Decision::Deny(reason) => answer::deny_tool(reason),
        Decision::Block(reason) | Decision::BlockStop(reason) => {
            Answer::json(&json!({"decision": "block", "reason": reason}))
        }
        Decision::Notice(message) => Answer::json(&json!({"systemMessage": message})),
    }
}
