//! What harness decided, before it is worded in an agent's protocol.

/// A decision about one hook call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Say nothing: the agent goes on.
    Nothing,
    /// Guidance or findings for the model, added to its context.
    Context(String),
    /// Refuse the tool call, with the reason the model reads.
    Deny(String),
    /// Findings after an edit that policy says must be fixed: the model is told to act.
    Block(String),
    /// Keep the agent from ending its turn, with the reason it must go on.
    BlockStop(String),
    /// A note for the person watching, not the model.
    Notice(String),
}

/// An answer in an agent's protocol: what to print and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    pub stdout: String,
    pub stderr: String,
    pub exit: u8,
}

impl Answer {
    pub fn json(value: &serde_json::Value) -> Answer {
        Answer {
            stdout: format!("{value}\n"),
            ..Answer::default()
        }
    }

    pub fn nothing() -> Answer {
        Answer::default()
    }
}

/// `hookSpecificOutput.additionalContext` for `event_name`: the shape all three agents read.
pub(crate) fn context(event_name: &str, text: &str) -> Answer {
    Answer::json(&serde_json::json!({
        "hookSpecificOutput": {"hookEventName": event_name, "additionalContext": text}
    }))
}

/// A `PreToolUse` deny with its reason, as Claude Code and Codex read it.
pub(crate) fn deny_tool(reason: &str) -> Answer {
    Answer::json(&serde_json::json!({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }
    }))
}
