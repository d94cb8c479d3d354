//! The Gemini API (`generativelanguage` v1beta) as Gemini CLI uses it: `streamGenerateContent`
//! answers and the text of requests.
//!
//! Tool calls carry the scripted call's id in `functionCall.id`, an optional field of the API
//! that Gemini CLI echoes in the matching `functionResponse.id` (it makes up an id of its own
//! only when the model sends none), so [`tool_output`] matches by id as for the other wires.

use serde_json::{Map, Value, json};

use crate::script::{Block, CallInput, Turn};

fn parts(turn: &Turn) -> Vec<Value> {
    turn.blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => json!({"text": text}),
            Block::Call(call) => {
                let CallInput::Json(args) = &call.input else {
                    panic!("the Gemini API has no freeform tools ({})", call.name)
                };
                json!({"functionCall": {"id": call.id, "name": call.name, "args": args}})
            }
        })
        .collect()
}

/// The whole answer as one `GenerateContentResponse`: a candidate with every part, ended by
/// `STOP` (the API's reason for tool calls too), and the token counts. `model` is the id from
/// the request's path.
pub fn response(turn: &Turn, model: &str, n: usize) -> Value {
    json!({
        "candidates": [{
            "content": {"role": "model", "parts": parts(turn)},
            "finishReason": "STOP",
            "index": 0,
        }],
        "usageMetadata": {
            "promptTokenCount": turn.input_tokens,
            "candidatesTokenCount": 10,
            "totalTokenCount": turn.input_tokens + 10,
        },
        "modelVersion": model,
        "responseId": format!("resp_{n:04}"),
    })
}

/// The model id in a path such as `/v1beta/models/gemini-2.5-pro:streamGenerateContent`.
pub fn model_of(route: &str) -> &str {
    let name = route.rsplit('/').next().unwrap_or_default();
    name.split(':').next().unwrap_or_default()
}

/// The values of a `functionResponse.response`: `output` for a tool's result, `error` for a
/// failure, anything else as JSON.
fn response_text(response: &Value, out: &mut Vec<String>) {
    for value in response.as_object().into_iter().flat_map(Map::values) {
        match value {
            Value::String(text) => out.push(text.clone()),
            Value::Null => {}
            other => out.push(other.to_string()),
        }
    }
}

fn content_text(content: &Value, out: &mut Vec<String>) {
    for part in content["parts"].as_array().into_iter().flatten() {
        if let Some(text) = part["text"].as_str() {
            out.push(text.to_owned());
        } else if let Some(response) = part.get("functionResponse") {
            response_text(&response["response"], out);
        }
    }
}

fn contents(body: &Value) -> impl DoubleEndedIterator<Item = &Value> {
    body["contents"].as_array().into_iter().flatten()
}

/// The text of every content in a request body, one part per line: text parts of any role and
/// tool results. Not the system instruction.
pub fn text(body: &Value) -> String {
    let mut out = Vec::new();
    for content in contents(body) {
        content_text(content, &mut out);
    }
    out.join("\n")
}

/// The result of the `functionResponse` whose `id` is `call_id`, if the request carries one.
pub fn tool_output(body: &Value, call_id: &str) -> Option<String> {
    let parts = contents(body)
        .filter_map(|c| c["parts"].as_array())
        .flatten();
    let response = parts
        .rev()
        .find(|p| p["functionResponse"]["id"] == call_id)?;
    let mut out = Vec::new();
    response_text(&response["functionResponse"]["response"], &mut out);
    Some(out.join("\n"))
}

/// The text of the last `user` content (tool results are `user` contents too).
pub fn last_user_text(body: &Value) -> String {
    let mut out = Vec::new();
    if let Some(last) = contents(body).rev().find(|c| c["role"] == "user") {
        content_text(last, &mut out);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_flattens_parts_and_function_responses() {
        let body = json!({"contents": [
            {"role": "user", "parts": [{"text": "<session_context>…</session_context>"}, {"text": "hi"}]},
            {"role": "model", "parts": [{"functionCall": {"id": "w", "name": "write_file", "args": {}}}]},
            {"role": "user", "parts": [{"functionResponse": {"id": "w", "name": "write_file", "response": {"output": "ok"}}}]},
            {"role": "model", "parts": [{"functionCall": {"id": "s", "name": "run_shell_command", "args": {}}}]},
            {"role": "user", "parts": [{"functionResponse": {"id": "s", "name": "run_shell_command", "response": {"error": "blocked"}}}]},
        ]});
        assert_eq!(
            text(&body),
            "<session_context>…</session_context>\nhi\nok\nblocked"
        );
        assert_eq!(last_user_text(&body), "blocked");
        assert_eq!(tool_output(&body, "w").as_deref(), Some("ok"));
        assert_eq!(tool_output(&body, "x"), None);
    }

    #[test]
    fn calls_carry_their_ids_and_the_model_comes_from_the_path() {
        let turn = Turn::tool("w1", "write_file", json!({"file_path": "a"})).and_text("t");
        let model = model_of("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        let answer = response(&turn, model, 1);
        assert_eq!(
            answer["candidates"][0]["content"]["parts"],
            json!([{"functionCall": {"id": "w1", "name": "write_file", "args": {"file_path": "a"}}}, {"text": "t"}])
        );
        assert_eq!(answer["modelVersion"], "gemini-2.5-pro");
    }
}
