//! The OpenAI Responses API as Codex uses it: streamed answers and the text of requests.

use serde_json::{Value, json};

use crate::model::Request;
use crate::script::{Block, CallInput, Turn};

/// Starts the last user message of Codex's compaction request.
pub const COMPACTION_PROMPT: &str = "You are performing a CONTEXT CHECKPOINT COMPACTION";

pub fn compaction_answer(request: &Request) -> Option<Turn> {
    request
        .last_user_text()
        .trim_start()
        .starts_with(COMPACTION_PROMPT)
        .then(|| Turn::text("Summary of the conversation so far."))
}

/// The answer as server-sent events: one `response.output_item.done` per item, then
/// `response.completed` (which Codex requires, with an id).
pub fn events(turn: &Turn, n: usize) -> Vec<Value> {
    let id = format!("resp_{n:04}");
    let mut events = vec![json!({"type": "response.created", "response": {"id": id}})];
    for (index, block) in turn.blocks.iter().enumerate() {
        let item = match block {
            Block::Text(text) => json!({
                "type": "message",
                "id": format!("msg_{n:04}_{index}"),
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }),
            Block::Call(call) => match &call.input {
                CallInput::Json(arguments) => json!({
                    "type": "function_call",
                    "id": format!("fc_{n:04}_{index}"),
                    "call_id": call.id,
                    "name": call.name,
                    "arguments": arguments.to_string(),
                    "status": "completed",
                }),
                CallInput::Freeform(input) => json!({
                    "type": "custom_tool_call",
                    "id": format!("ctc_{n:04}_{index}"),
                    "call_id": call.id,
                    "name": call.name,
                    "input": input,
                    "status": "completed",
                }),
            },
        };
        events.push(
            json!({"type": "response.output_item.done", "output_index": index, "item": item}),
        );
    }
    events.push(json!({
        "type": "response.completed",
        "response": {
            "id": id,
            "status": "completed",
            "usage": {
                "input_tokens": turn.input_tokens,
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens": 10,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": turn.input_tokens + 10,
            },
        },
    }));
    events
}

/// The text of a message item's content (a string or a list of `input_text`/`output_text` parts),
/// or of a tool output (a string or a list of parts).
fn parts_text(content: &Value, out: &mut Vec<String>) {
    match content {
        Value::String(text) => out.push(text.clone()),
        Value::Array(parts) => {
            out.extend(
                parts
                    .iter()
                    .filter_map(|p| p["text"].as_str().map(str::to_owned)),
            );
        }
        _ => {}
    }
}

fn item_text(item: &Value, out: &mut Vec<String>) {
    match item["type"].as_str() {
        Some("message") => parts_text(&item["content"], out),
        Some("function_call_output" | "custom_tool_call_output") => {
            parts_text(&item["output"], out);
        }
        _ => {}
    }
}

/// The text of every input item in a request body: messages of any role and tool outputs.
pub fn text(body: &Value) -> String {
    let mut out = Vec::new();
    for item in body["input"].as_array().into_iter().flatten() {
        item_text(item, &mut out);
    }
    out.join("\n")
}

/// The output of the `function_call_output` or `custom_tool_call_output` for `call_id`.
pub fn tool_output(body: &Value, call_id: &str) -> Option<String> {
    let items = body["input"].as_array().into_iter().flatten();
    let is_output = |i: &Value| {
        i["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("_call_output"))
    };
    let output = items
        .rev()
        .find(|i| is_output(i) && i["call_id"] == call_id)?;
    let mut out = Vec::new();
    parts_text(&output["output"], &mut out);
    Some(out.join("\n"))
}

pub fn last_user_text(body: &Value) -> String {
    let mut out = Vec::new();
    let items = body["input"].as_array().into_iter().flatten();
    if let Some(last) = items
        .rev()
        .find(|i| i["type"] == "message" && i["role"] == "user")
    {
        parts_text(&last["content"], &mut out);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_flattens_messages_and_tool_outputs() {
        let body = json!({"input": [
            {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "dev"}]},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            {"type": "custom_tool_call", "call_id": "p", "name": "apply_patch", "input": "x"},
            {"type": "custom_tool_call_output", "call_id": "p", "output": "patched"},
            {"type": "function_call_output", "call_id": "s", "output": "ran"},
        ]});
        assert_eq!(text(&body), "dev\nhi\npatched\nran");
        assert_eq!(last_user_text(&body), "hi");
        assert_eq!(tool_output(&body, "p").as_deref(), Some("patched"));
        assert_eq!(tool_output(&body, "x"), None);
    }
}
