//! The one internal event every agent's hook payload is normalised into.

use std::path::PathBuf;

use serde_json::Value;

/// A hook call, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Incoming {
    /// The agent's session id (Codex: its thread id).
    pub session: String,
    /// The agent's working directory; relative paths in the payload are relative to it.
    pub cwd: PathBuf,
    /// The agent's own name for the event, for messages and the answer.
    pub event_name: String,
    /// The subagent this call comes from (Claude Code and Codex send `agent_id` inside one);
    /// a subagent has its own context, so it is told what the main agent was told again.
    pub subagent: Option<String>,
    pub event: Event,
}

/// What happened, in harness's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A session started or resumed; after compaction when `compacted`.
    SessionStart { source: String, compacted: bool },
    /// The agent compacted its context (no answer is possible; memory is re-armed).
    Compacted,
    /// About to write these files.
    PreEdit { paths: Vec<PathBuf> },
    /// These files were written.
    PostEdit { paths: Vec<PathBuf> },
    /// These files were read (agents that cannot take context before an edit get it here).
    Read { paths: Vec<PathBuf> },
    /// About to run a shell command.
    PreShell { command: String },
    /// The agent wants to end its turn; `active` when it is already continuing because a stop
    /// hook blocked it.
    Stop { active: bool },
    /// An event of the agent's protocol harness has nothing to say about.
    Ignored,
}

/// Why a payload could not be understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PayloadError {
    #[error("empty hook input")]
    Empty,
    #[error("hook input is not JSON ({0})")]
    NotJson(String),
    #[error("hook input is not a JSON object")]
    NotObject,
    #[error("hook input has no `{0}`")]
    Missing(&'static str),
    #[error("unknown hook event `{0}`")]
    UnknownEvent(String),
}

/// Reads the JSON object of a payload.
pub(crate) fn object(input: &[u8]) -> Result<serde_json::Map<String, Value>, PayloadError> {
    if input.iter().all(u8::is_ascii_whitespace) {
        return Err(PayloadError::Empty);
    }
    match serde_json::from_slice::<Value>(input) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(PayloadError::NotObject),
        Err(e) => Err(PayloadError::NotJson(e.to_string())),
    }
}

/// A required string field.
pub(crate) fn string<'a>(
    map: &'a serde_json::Map<String, Value>,
    key: &'static str,
) -> Result<&'a str, PayloadError> {
    map.get(key)
        .and_then(Value::as_str)
        .ok_or(PayloadError::Missing(key))
}

/// The common fields: session id, working directory, event name and subagent.
pub(crate) struct Common {
    pub session: String,
    pub cwd: PathBuf,
    pub event_name: String,
    pub subagent: Option<String>,
}

impl Common {
    pub fn read(map: &serde_json::Map<String, Value>) -> Result<Common, PayloadError> {
        Ok(Common {
            session: string(map, "session_id")?.to_owned(),
            cwd: PathBuf::from(string(map, "cwd")?),
            event_name: string(map, "hook_event_name")?.to_owned(),
            subagent: map
                .get("agent_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }

    pub fn with(self, event: Event) -> Incoming {
        Incoming {
            session: self.session,
            cwd: self.cwd,
            event_name: self.event_name,
            subagent: self.subagent,
            event,
        }
    }
}

/// `tool_input.<key>` as a path, if present.
pub(crate) fn input_path(map: &serde_json::Map<String, Value>, keys: &[&str]) -> Vec<PathBuf> {
    let input = map.get("tool_input");
    keys.iter()
        .find_map(|k| input.and_then(|i| i.get(k)).and_then(Value::as_str))
        .map(|p| vec![PathBuf::from(p)])
        .unwrap_or_default()
}

/// `tool_input.command` of a shell tool.
pub(crate) fn input_command(map: &serde_json::Map<String, Value>) -> Result<String, PayloadError> {
    map.get("tool_input")
        .and_then(|i| i.get("command"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(PayloadError::Missing("tool_input.command"))
}

/// `stop_hook_active`, false when absent.
pub(crate) fn stop_active(map: &serde_json::Map<String, Value>) -> bool {
    map.get("stop_hook_active")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// A `SessionStart`: its `source`, and whether the session's context was just emptied or
/// compacted (then its memory is re-armed). `fresh` lists the sources that mean so.
pub(crate) fn session_start(map: &serde_json::Map<String, Value>, fresh: &[&str]) -> Event {
    let source = map
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("startup")
        .to_owned();
    Event::SessionStart {
        compacted: fresh.contains(&source.as_str()),
        source,
    }
}
