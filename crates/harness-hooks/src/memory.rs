//! What a session was already told and did, read back from its recorded events.
//!
//! Nothing here is stored apart from the events: `context` events name the guidance given,
//! a `rearm` event (after the agent compacted its context) forgets it, `edit` events name the
//! files written, and `stop_blocked`/`stop_allowed` count blocked stops in a row.

use std::collections::HashSet;

use harness_store::Event;
use serde_json::Value;

/// Event kinds, as recorded in the store.
pub mod kind {
    pub const SESSION_START: &str = "session_start";
    pub const REARM: &str = "rearm";
    pub const CONTEXT: &str = "context";
    pub const EDIT: &str = "edit";
    pub const FINDINGS: &str = "findings";
    pub const DENIED: &str = "denied";
    pub const STOP_BLOCKED: &str = "stop_blocked";
    pub const STOP_ALLOWED: &str = "stop_allowed";
    pub const FAILURE: &str = "failure";
    pub const ALLOWED: &str = "allowed";
}

/// A session's memory.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Keys of the guidance given to this (sub)agent since the session started or compacted.
    pub given: HashSet<String>,
    /// The files git saw changed when the session first started, when that was recorded: the
    /// files changed since then by any means (a shell command too) are the session's.
    pub changed_at_start: Option<Vec<String>>,
    /// Repository-relative paths the session wrote, in first-written order.
    pub touched: Vec<String>,
    /// Stops blocked in a row, counting from the last stop the agent made on its own.
    pub stop_blocks: u32,
}

/// The memory of the session whose `events` these are, as seen by `subagent` (`None`: the main
/// agent).
pub fn recall(events: &[Event], subagent: Option<&str>) -> Memory {
    let mut memory = Memory::default();
    for event in events {
        match event.kind.as_str() {
            kind::SESSION_START
                if memory.changed_at_start.is_none() && event.data.get("changed").is_some() =>
            {
                memory.changed_at_start = Some(strings(&event.data, "changed"));
            }
            kind::REARM => memory.given.clear(),
            kind::CONTEXT if event.data.get("subagent").and_then(Value::as_str) == subagent => {
                memory.given.extend(strings(&event.data, "keys"));
            }
            kind::EDIT => {
                for path in strings(&event.data, "paths") {
                    if !memory.touched.contains(&path) {
                        memory.touched.push(path);
                    }
                }
            }
            kind::STOP_BLOCKED => {
                let active = event.data.get("active").and_then(Value::as_bool) == Some(true);
                memory.stop_blocks = if active { memory.stop_blocks + 1 } else { 1 };
            }
            kind::STOP_ALLOWED => memory.stop_blocks = 0,
            _ => {}
        }
    }
    memory
}

fn strings(data: &Value, key: &str) -> Vec<String> {
    data.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &str, data: Value) -> Event {
        Event {
            id: 0,
            at_ms: 0,
            kind: kind.to_owned(),
            agent: None,
            session: None,
            external_id: None,
            data,
        }
    }

    #[test]
    fn compaction_forgets_what_was_given_but_not_what_was_written() {
        let events = [
            event(kind::CONTEXT, json!({"keys": ["rule:a", "adr:x"]})),
            event(kind::EDIT, json!({"paths": ["src/a.ts"]})),
            event(kind::REARM, json!({})),
            event(kind::CONTEXT, json!({"keys": ["rule:b"]})),
            event(kind::EDIT, json!({"paths": ["src/b.ts", "src/a.ts"]})),
        ];
        let m = recall(&events, None);
        assert_eq!(m.given, HashSet::from(["rule:b".to_owned()]));
        assert_eq!(m.touched, ["src/a.ts", "src/b.ts"]);
    }

    #[test]
    fn blocked_stops_count_in_a_row() {
        let blocked = |active| event(kind::STOP_BLOCKED, json!({ "active": active }));
        let m = recall(&[blocked(false), blocked(true), blocked(true)], None);
        assert_eq!(m.stop_blocks, 3);
        let m = recall(&[blocked(false), blocked(true), blocked(false)], None);
        assert_eq!(m.stop_blocks, 1);
        let m = recall(
            &[blocked(false), event(kind::STOP_ALLOWED, json!({}))],
            None,
        );
        assert_eq!(m.stop_blocks, 0);
    }

    #[test]
    fn a_subagent_is_told_again() {
        let events = [
            event(kind::CONTEXT, json!({"keys": ["rule:a"]})),
            event(kind::CONTEXT, json!({"keys": ["rule:b"], "subagent": "x"})),
        ];
        assert_eq!(
            recall(&events, None).given,
            HashSet::from(["rule:a".to_owned()])
        );
        assert_eq!(
            recall(&events, Some("x")).given,
            HashSet::from(["rule:b".to_owned()])
        );
    }

    #[test]
    fn the_first_start_says_what_was_changed_before() {
        let events = [
            event(
                kind::SESSION_START,
                json!({"source": "startup", "changed": ["a.ts"]}),
            ),
            event(
                kind::SESSION_START,
                json!({"source": "resume", "changed": ["a.ts", "b.ts"]}),
            ),
        ];
        assert_eq!(
            recall(&events, None).changed_at_start,
            Some(vec!["a.ts".to_owned()])
        );
    }

    #[test]
    fn malformed_event_data_is_skipped() {
        let m = recall(&[event(kind::CONTEXT, json!({"keys": "rule:a"}))], None);
        assert!(m.given.is_empty());
    }
}
