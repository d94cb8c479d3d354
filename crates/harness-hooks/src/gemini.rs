//! Gemini CLI: `.gemini/settings.json` hooks.
//!
//! Gemini names its events and tools differently (`BeforeTool`/`AfterTool`, `write_file`,
//! `replace`, `run_shell_command`, `AfterAgent` for the end of a turn) and answers with
//! `decision: "deny"` rather than a permission decision. It ignores context on `BeforeTool`, so
//! guidance for a file is given when the file is read or, at the latest, with the check after
//! it is written. It has no event after compression: `PreCompress` fires before every model
//! call, so only a manual compression re-arms the session's memory.

use serde_json::json;

use crate::Minimum;
use crate::answer::{self, Answer, Decision};
use crate::event::{
    Common, Event, Incoming, PayloadError, input_command, input_path, object, session_start,
    stop_active, string,
};

/// Gemini has no spill limit; harness keeps to the same bound as the other agents.
pub const LIMIT_BYTES: usize = 9_000;

/// The first release that runs project hooks without a setting to turn them on.
pub const MINIMUM: Minimum = Minimum {
    version: "0.26.0",
    feature: "hooks on by default",
};

const EVENTS: [&str; 11] = [
    "BeforeTool",
    "AfterTool",
    "BeforeAgent",
    "AfterAgent",
    "BeforeModel",
    "AfterModel",
    "BeforeToolSelection",
    "SessionStart",
    "SessionEnd",
    "PreCompress",
    "Notification",
];

const CONTEXT_EVENTS: [&str; 3] = ["SessionStart", "AfterTool", "BeforeAgent"];

pub fn parse(input: &[u8]) -> Result<Incoming, PayloadError> {
    let map = object(input)?;
    let common = Common::read(&map)?;
    let event = match common.event_name.as_str() {
        "SessionStart" => session_start(&map, &["clear"]),
        "PreCompress" => {
            let manual = map.get("trigger").and_then(serde_json::Value::as_str) == Some("manual");
            if manual {
                Event::Compacted
            } else {
                Event::Ignored
            }
        }
        "BeforeTool" | "AfterTool" => {
            let before = common.event_name == "BeforeTool";
            match string(&map, "tool_name")? {
                "write_file" | "replace" => {
                    let paths = input_path(&map, &["file_path", "absolute_path"]);
                    if paths.is_empty() {
                        return Err(PayloadError::Missing("tool_input.file_path"));
                    }
                    if before {
                        Event::PreEdit { paths }
                    } else {
                        Event::PostEdit { paths }
                    }
                }
                "read_file" if !before => Event::Read {
                    paths: input_path(&map, &["file_path", "absolute_path"]),
                },
                "run_shell_command" if before => Event::PreShell {
                    command: input_command(&map)?,
                },
                _ => Event::Ignored,
            }
        }
        "AfterAgent" => Event::Stop {
            active: stop_active(&map),
        },
        other if EVENTS.contains(&other) => Event::Ignored,
        other => return Err(PayloadError::UnknownEvent(other.to_owned())),
    };
    Ok(common.with(event))
}

pub fn answer(event_name: &str, decision: &Decision) -> Answer {
    match decision {
        // Findings after a write go in as context: a deny would replace the tool's result.
        Decision::Context(text) | Decision::Block(text) if CONTEXT_EVENTS.contains(&event_name) => {
            answer::context(event_name, text)
        }
        Decision::Nothing | Decision::Context(_) | Decision::Block(_) => Answer::nothing(),
        Decision::Deny(reason) | Decision::BlockStop(reason) => {
            Answer::json(&json!({"decision": "deny", "reason": reason}))
        }
        Decision::Notice(message) => Answer::json(&json!({"systemMessage": message})),
    }
}
