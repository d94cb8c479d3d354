//! A scripted model endpoint: an HTTP/1.1 server on 127.0.0.1 that records every generation
//! request and answers it from a [`Script`], in the wire format its path asks for.
//!
//! `POST /v1/messages` speaks the Anthropic Messages API (Claude Code), `POST /v1/responses` the
//! OpenAI Responses API (Codex), `POST /v1beta/models/<model>:streamGenerateContent` (and
//! `:generateContent`) the Gemini API (Gemini CLI). Other paths get small answers that keep the
//! CLIs going.

use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;

use serde_json::{Value, json};

use crate::http::{self, HttpRequest, HttpResponse};
use crate::script::{Answered, Script, Turn};
use crate::{anthropic, gemini_api, responses};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    Anthropic,
    Responses,
    Gemini,
}

/// A recorded generation request.
#[derive(Clone, Debug)]
pub struct Request {
    pub wire: Wire,
    /// Path and query, e.g. `/v1/messages?beta=true`.
    pub path: String,
    pub body: Value,
    pub answered: Answered,
}

impl Request {
    /// The text of every message: text blocks (system reminders included) and tool results for
    /// Anthropic; message items and `*_call_output` outputs for Responses; text parts and
    /// `functionResponse` results for Gemini. Not the system prompt.
    pub fn text(&self) -> String {
        match self.wire {
            Wire::Anthropic => anthropic::text(&self.body),
            Wire::Responses => responses::text(&self.body),
            Wire::Gemini => gemini_api::text(&self.body),
        }
    }

    /// The text of the last user message.
    pub fn last_user_text(&self) -> String {
        match self.wire {
            Wire::Anthropic => anthropic::last_user_text(&self.body),
            Wire::Responses => responses::last_user_text(&self.body),
            Wire::Gemini => gemini_api::last_user_text(&self.body),
        }
    }

    /// The agent's result for tool call `id`: Anthropic `tool_result` content, Responses
    /// `*_call_output` output, Gemini `functionResponse` (matched by the id the scripted call
    /// sent, see [`gemini_api`]). `None` when this request does not carry it.
    pub fn tool_output(&self, id: &str) -> Option<String> {
        match self.wire {
            Wire::Anthropic => anthropic::tool_output(&self.body, id),
            Wire::Responses => responses::tool_output(&self.body, id),
            Wire::Gemini => gemini_api::tool_output(&self.body, id),
        }
    }

    /// A summary when this is the agent's compaction request, which the queue must not answer.
    /// Gemini CLI compresses only past a share of the model's context window, which no test
    /// reaches, so its requests are never taken for one.
    pub fn compaction_answer(&self) -> Option<Turn> {
        match self.wire {
            Wire::Anthropic => anthropic::compaction_answer(self),
            Wire::Responses => responses::compaction_answer(self),
            Wire::Gemini => None,
        }
    }
}

struct State {
    script: Script,
    requests: Vec<Request>,
    /// `METHOD path` of every other request, to explain failures.
    other: Vec<String>,
}

/// A running scripted model; stops accepting connections when dropped.
pub struct Model {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Model {
    pub fn start(script: Script) -> Model {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the model endpoint");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            script,
            requests: Vec::new(),
            other: Vec::new(),
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (accept_state, accept_stop) = (Arc::clone(&state), Arc::clone(&stop));
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&accept_state);
                thread::spawn(move || {
                    // A client hanging up mid-request is not the test's concern.
                    let _ = http::serve(stream, |request| answer(&state, request));
                });
            }
        });
        Model { addr, state, stop }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash or `/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Every generation request so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// Request `i` (from 0); panics with a summary of all requests when there is none.
    pub fn request(&self, i: usize) -> Request {
        let state = self.lock();
        match state.requests.get(i) {
            Some(request) => request.clone(),
            None => panic!("no request {i}\n{}", summary(&state)),
        }
    }

    /// The flattened message text of request `i`, see [`Request::text`].
    pub fn request_text(&self, i: usize) -> String {
        self.request(i).text()
    }

    /// The requests from index `n` on, e.g. those after a step that made `n` requests.
    pub fn requests_after(&self, n: usize) -> Vec<Request> {
        self.lock().requests.iter().skip(n).cloned().collect()
    }

    /// Scripted turns not yet used.
    pub fn turns_left(&self) -> usize {
        self.lock().script.turns_left()
    }

    /// One line per request, for assertion messages.
    pub fn summary(&self) -> String {
        summary(&self.lock())
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

/// The state even after a panic on another thread (a failed test's assertion message needs it).
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn summary(state: &State) -> String {
    let mut out = String::new();
    for (i, r) in state.requests.iter().enumerate() {
        let last = r.last_user_text();
        let head: String = last.chars().take(80).collect();
        let _ = writeln!(
            out,
            "request {i}: {} {:?} last user: {head:?}",
            r.path, r.answered
        );
    }
    let _ = writeln!(out, "other requests: {:?}", state.other);
    out
}

fn answer(state: &Mutex<State>, http: &HttpRequest) -> HttpResponse {
    let route = http.path.split('?').next().unwrap_or_default();
    let generate = route.starts_with("/v1beta/models/")
        && (route.ends_with(":streamGenerateContent") || route.ends_with(":generateContent"));
    let wire = match (http.method.as_str(), route) {
        ("POST", "/v1/messages") => Wire::Anthropic,
        ("POST", "/v1/responses") => Wire::Responses,
        ("POST", _) if generate => Wire::Gemini,
        (method, _) => {
            lock(state).other.push(format!("{method} {}", http.path));
            return match (method, route) {
                ("POST", "/v1/messages/count_tokens") => {
                    HttpResponse::json(200, &json!({"input_tokens": Turn::DEFAULT_INPUT_TOKENS}))
                }
                ("POST", _) if route.ends_with(":countTokens") => {
                    HttpResponse::json(200, &json!({"totalTokens": Turn::DEFAULT_INPUT_TOKENS}))
                }
                ("GET", "/v1beta/models") => HttpResponse::json(200, &json!({"models": []})),
                ("HEAD" | "GET", _) => HttpResponse::json(200, &json!({})),
                _ => HttpResponse::json(
                    404,
                    &json!({"error": {"type": "not_found_error", "message": "not scripted"}}),
                ),
            };
        }
    };
    let Ok(body) = serde_json::from_slice::<Value>(&http.body) else {
        lock(state)
            .other
            .push(format!("{} {} (not JSON)", http.method, http.path));
        return HttpResponse::json(400, &json!({"error": {"message": "the body is not JSON"}}));
    };
    let mut request = Request {
        wire,
        path: http.path.clone(),
        body,
        answered: Answered::Done,
    };
    let (turn, n) = {
        let mut state = lock(state);
        let (turn, answered) = state.script.answer(&request);
        request.answered = answered;
        state.requests.push(request.clone());
        (turn, state.requests.len())
    };
    match wire {
        Wire::Anthropic if request.body["stream"] == json!(true) => {
            HttpResponse::sse(&anthropic::events(&turn, &request.body, n))
        }
        Wire::Anthropic => HttpResponse::json(200, &anthropic::message(&turn, &request.body, n)),
        Wire::Responses => HttpResponse::sse(&responses::events(&turn, n)),
        Wire::Gemini => {
            let answer = gemini_api::response(&turn, gemini_api::model_of(route), n);
            if route.ends_with(":streamGenerateContent") {
                HttpResponse::sse_data(&[answer])
            } else {
                HttpResponse::json(200, &answer)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};

    use super::*;

    fn read_response(reader: &mut impl BufRead) -> String {
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            if line.trim().is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        String::from_utf8(body).unwrap()
    }

    #[test]
    fn answers_both_wires_on_one_connection_from_the_script_then_done() {
        let model = Model::start(
            Script::new()
                .respond(|r| {
                    r.last_user_text()
                        .contains("special")
                        .then(|| Turn::text("S"))
                })
                .turn(
                    Turn::tool("t1", "Write", json!({"file_path": "a"}))
                        .and_tool("t2", "Bash", json!({}))
                        .and_text("both"),
                ),
        );
        let stream = TcpStream::connect(model.addr).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let special = json!({"stream": true, "messages": [{"role": "user", "content": "special"}]});
        let special = special.to_string();
        write!(
            writer,
            "POST /v1/messages?beta=true HTTP/1.1\r\ncontent-length: {}\r\n\r\n{special}",
            special.len()
        )
        .unwrap();
        assert!(read_response(&mut reader).contains(r#""text":"S""#));
        let body =
            json!({"stream": true, "messages": [{"role": "user", "content": "go"}]}).to_string();
        write!(
            writer,
            "POST /v1/messages HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .unwrap();
        let sse = read_response(&mut reader);
        assert!(
            sse.contains(r#""partial_json":"{\"file_path\":\"a\"}""#),
            "{sse}"
        );
        assert!(sse.contains(r#""stop_reason":"tool_use""#), "{sse}");
        assert!(
            sse.contains(r#""index":2,"delta":{"type":"text_delta","text":"both"}"#),
            "{sse}"
        );
        let body = json!({"input": []}).to_string();
        write!(
            writer,
            "POST /v1/responses HTTP/1.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let sse = read_response(&mut reader);
        assert!(sse.contains(r#""text":"done""#), "{sse}");
        assert!(sse.contains("event: response.completed"), "{sse}");
        let answered: Vec<Answered> = model.requests().iter().map(|r| r.answered).collect();
        assert_eq!(
            answered,
            [Answered::Responder, Answered::Script, Answered::Done]
        );
        assert_eq!(model.turns_left(), 0);
    }

    #[test]
    fn answers_the_gemini_wire_streamed_or_whole_and_counts_tokens() {
        let model = Model::start(
            Script::new()
                .turn(Turn::tool("w1", "write_file", json!({"file_path": "a"})))
                .turn(Turn::text("whole")),
        );
        let stream = TcpStream::connect(model.addr).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        let body = json!({"contents": [{"role": "user", "parts": [{"text": "go"}]}]}).to_string();
        for path in [
            "/v1beta/models/m:streamGenerateContent?alt=sse",
            "/v1beta/models/m:generateContent",
            "/v1beta/models/m:countTokens",
        ] {
            write!(
                writer,
                "POST {path} HTTP/1.1\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        let sse = read_response(&mut reader);
        let data = sse
            .strip_prefix("data: ")
            .and_then(|d| d.strip_suffix("\n\n"));
        let streamed: Value = serde_json::from_str(data.unwrap_or_default()).unwrap();
        assert_eq!(
            streamed["candidates"][0]["content"]["parts"][0]["functionCall"],
            json!({"id": "w1", "name": "write_file", "args": {"file_path": "a"}}),
            "{sse}"
        );
        let whole: Value = serde_json::from_str(&read_response(&mut reader)).unwrap();
        assert_eq!(
            whole["candidates"][0]["content"]["parts"][0]["text"],
            "whole"
        );
        assert!(read_response(&mut reader).contains("totalTokens"));
        let requests = model.requests();
        assert_eq!(requests.len(), 2);
        assert!(requests.iter().all(|r| r.wire == Wire::Gemini));
        assert_eq!(requests[0].last_user_text(), "go");
    }
}
