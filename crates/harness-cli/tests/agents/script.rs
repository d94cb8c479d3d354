//! What the scripted model says: a queue of turns, and responders for special requests.

use std::collections::VecDeque;

use serde_json::Value;

use crate::model::Request;

/// One answer of the model: text and tool calls, in order.
#[derive(Clone, Debug)]
pub struct Turn {
    pub blocks: Vec<Block>,
    /// The prompt size reported in `usage`; a large value makes Codex compact before its next call.
    pub input_tokens: u64,
}

#[derive(Clone, Debug)]
pub enum Block {
    Text(String),
    Call(Call),
}

/// A tool call with the id the agent must answer with a tool result.
#[derive(Clone, Debug)]
pub struct Call {
    pub id: String,
    pub name: String,
    pub input: CallInput,
}

#[derive(Clone, Debug)]
pub enum CallInput {
    /// JSON arguments: an Anthropic `tool_use`, a Responses `function_call`.
    Json(Value),
    /// Raw text for a freeform tool: a Responses `custom_tool_call` (Codex's `apply_patch`).
    Freeform(String),
}

impl Turn {
    pub const DEFAULT_INPUT_TOKENS: u64 = 100;

    fn new(block: Block) -> Turn {
        Turn {
            blocks: vec![block],
            input_tokens: Turn::DEFAULT_INPUT_TOKENS,
        }
    }

    /// A final text answer.
    pub fn text(text: &str) -> Turn {
        Turn::new(Block::Text(text.to_owned()))
    }

    /// A call of a tool with JSON arguments, e.g. Claude's `Write` or Codex's `exec_command`.
    pub fn tool(id: &str, name: &str, input: Value) -> Turn {
        Turn::new(Block::Call(Call::json(id, name, input)))
    }

    /// A call of a freeform tool with raw text input (Responses API only).
    pub fn freeform(id: &str, name: &str, input: &str) -> Turn {
        Turn::new(Block::Call(Call::freeform(id, name, input)))
    }

    /// Codex's `apply_patch` with a whole patch (`*** Begin Patch` … `*** End Patch`).
    pub fn apply_patch(id: &str, patch: &str) -> Turn {
        Turn::freeform(id, "apply_patch", patch)
    }

    /// Adds another tool call to the same answer (parallel tool calls).
    #[must_use]
    pub fn and_tool(mut self, id: &str, name: &str, input: Value) -> Turn {
        self.blocks.push(Block::Call(Call::json(id, name, input)));
        self
    }

    /// Adds text to the same answer.
    #[must_use]
    pub fn and_text(mut self, text: &str) -> Turn {
        self.blocks.push(Block::Text(text.to_owned()));
        self
    }

    #[must_use]
    pub fn with_input_tokens(mut self, input_tokens: u64) -> Turn {
        self.input_tokens = input_tokens;
        self
    }

    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Call(call) => Some(call),
            Block::Text(_) => None,
        })
    }
}

impl Call {
    pub fn json(id: &str, name: &str, input: Value) -> Call {
        Call {
            id: id.to_owned(),
            name: name.to_owned(),
            input: CallInput::Json(input),
        }
    }

    pub fn freeform(id: &str, name: &str, input: &str) -> Call {
        Call {
            id: id.to_owned(),
            name: name.to_owned(),
            input: CallInput::Freeform(input.to_owned()),
        }
    }
}

/// Answers a request without taking a turn from the queue, or passes (`None`).
pub type Responder = Box<dyn Fn(&Request) -> Option<Turn> + Send>;

/// What the model says, in order. Responders see each request first; the first that answers wins.
/// Then the next queued turn answers; once the queue is empty every request gets the text "done".
pub struct Script {
    turns: VecDeque<Turn>,
    responders: Vec<Responder>,
}

impl Default for Script {
    fn default() -> Script {
        Script::new()
    }
}

impl Script {
    /// An empty queue. The agents' compaction requests are answered without it, see
    /// [`Request::compaction_answer`]; queue turns for all runs of a test up front.
    pub fn new() -> Script {
        Script {
            turns: VecDeque::new(),
            responders: Vec::new(),
        }
    }

    /// Scripted turns not yet used.
    pub fn turns_left(&self) -> usize {
        self.turns.len()
    }

    #[must_use]
    pub fn turn(mut self, turn: Turn) -> Script {
        self.turns.push_back(turn);
        self
    }

    /// Answers special requests, e.g. `|r| r.last_user_text().contains("X").then(|| Turn::text("Y"))`.
    #[must_use]
    pub fn respond(
        mut self,
        responder: impl Fn(&Request) -> Option<Turn> + Send + 'static,
    ) -> Script {
        self.responders.push(Box::new(responder));
        self
    }

    /// The answer to `request`, and which part of the script gave it.
    pub fn answer(&mut self, request: &Request) -> (Turn, Answered) {
        if let Some(turn) = self.responders.iter().find_map(|r| r(request)) {
            return (turn, Answered::Responder);
        }
        if let Some(turn) = request.compaction_answer() {
            return (turn, Answered::Compaction);
        }
        match self.turns.pop_front() {
            Some(turn) => (turn, Answered::Script),
            None => (Turn::text("done"), Answered::Done),
        }
    }
}

/// Which part of the script answered a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answered {
    Responder,
    Compaction,
    Script,
    /// The queue was empty.
    Done,
}
