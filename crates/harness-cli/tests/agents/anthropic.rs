//! The Anthropic Messages API as Claude Code uses it: streamed answers and the text of requests.

use serde_json::{Value, json};

use crate::model::Request;
use crate::script::{Block, CallInput, Turn};

/// Starts the last user message of Claude Code's summary request (`/compact` and auto-compaction).
pub const COMPACTION_PROMPT: &str =
    "Your task is to create a detailed summary of the conversation so far";

/// Claude Code keeps what is inside `<summary>`; an empty answer fails the compaction.
pub fn compaction_answer(request: &Request) -> Option<Turn> {
    request
        .last_user_text()
        .contains(COMPACTION_PROMPT)
        .then(|| Turn::text("<summary>\nSummary of the conversation so far.\n</summary>"))
}

fn content(turn: &Turn) -> Vec<Value> {
    turn.blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => json!({"type": "text", "text": text}),
            Block::Call(call) => {
                let CallInput::Json(input) = &call.input else {
                    panic!("the Messages API has no freeform tools ({})", call.name)
                };
                json!({"type": "tool_use", "id": call.id, "name": call.name, "input": input})
            }
        })
        .collect()
}

fn stop_reason(turn: &Turn) -> &'static str {
    if turn.calls().next().is_some() {
        "tool_use"
    } else {
        "end_turn"
    }
}

fn usage(turn: &Turn) -> Value {
    json!({
        "input_tokens": turn.input_tokens,
        "output_tokens": 10,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    })
}

/// The answer as a non-streamed message.
pub fn message(turn: &Turn, request: &Value, n: usize) -> Value {
    json!({
        "id": format!("msg_{n:04}"),
        "type": "message",
        "role": "assistant",
        "model": request["model"],
        "content": content(turn),
        "stop_reason": stop_reason(turn),
        "stop_sequence": null,
        "usage": usage(turn),
    })
}

/// The answer as server-sent events: one block per text or `tool_use`, the input as one delta.
pub fn events(turn: &Turn, request: &Value, n: usize) -> Vec<Value> {
    let mut start = message(turn, request, n);
    start["content"] = json!([]);
    start["stop_reason"] = Value::Null;
    let mut events = vec![json!({"type": "message_start", "message": start})];
    for (index, block) in content(turn).into_iter().enumerate() {
        let (empty, delta) = if block["type"] == "text" {
            (
                json!({"type": "text", "text": ""}),
                json!({"type": "text_delta", "text": block["text"]}),
            )
        } else {
            (
                json!({"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}),
                json!({"type": "input_json_delta", "partial_json": block["input"].to_string()}),
            )
        };
        events.push(json!({"type": "content_block_start", "index": index, "content_block": empty}));
        events.push(json!({"type": "content_block_delta", "index": index, "delta": delta}));
        events.push(json!({"type": "content_block_stop", "index": index}));
    }
    events.push(json!({
        "type": "message_delta",
        "delta": {"stop_reason": stop_reason(turn), "stop_sequence": null},
        "usage": {"output_tokens": 10},
    }));
    events.push(json!({"type": "message_stop"}));
    events
}

/// Text blocks and tool results of one message's content (a string or a list of blocks).
fn content_text(content: &Value, out: &mut Vec<String>) {
    match content {
        Value::String(text) => out.push(text.clone()),
        Value::Array(blocks) => {
            for block in blocks {
                match block["type"].as_str() {
                    Some("text") => out.extend(block["text"].as_str().map(str::to_owned)),
                    Some("tool_result") => content_text(&block["content"], out),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// The text of every message in a request body, one block per line.
pub fn text(body: &Value) -> String {
    let mut out = Vec::new();
    for message in body["messages"].as_array().into_iter().flatten() {
        content_text(&message["content"], &mut out);
    }
    out.join("\n")
}

/// The content of the `tool_result` for `tool_use_id`, if the request carries one.
pub fn tool_output(body: &Value, tool_use_id: &str) -> Option<String> {
    let messages = body["messages"].as_array().into_iter().flatten();
    let blocks = messages.filter_map(|m| m["content"].as_array()).flatten();
    let result = blocks
        .rev()
        .find(|b| b["type"] == "tool_result" && b["tool_use_id"] == tool_use_id)?;
    let mut out = Vec::new();
    content_text(&result["content"], &mut out);
    Some(out.join("\n"))
}

pub fn last_user_text(body: &Value) -> String {
    let mut out = Vec::new();
    let messages = body["messages"].as_array().into_iter().flatten();
    if let Some(last) = messages.rev().find(|m| m["role"] == "user") {
        content_text(&last["content"], &mut out);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_flattens_strings_blocks_and_tool_results() {
        let body = json!({"messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "Write", "input": {}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "ok"}]},
                {"type": "text", "text": "<system-reminder>R</system-reminder>"},
            ]},
        ]});
        assert_eq!(text(&body), "hi\nok\n<system-reminder>R</system-reminder>");
        assert_eq!(
            last_user_text(&body),
            "ok\n<system-reminder>R</system-reminder>"
        );
        assert_eq!(tool_output(&body, "t").as_deref(), Some("ok"));
        assert_eq!(tool_output(&body, "u"), None);
    }
}
