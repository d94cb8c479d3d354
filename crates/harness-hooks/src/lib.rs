//! Agent hook adapters: harness speaking Claude Code's, Codex's and Gemini CLI's hook protocols.
//!
//! Each agent is one file that turns its hook JSON into one internal [`Event`] and words a
//! [`Decision`] as that agent expects (its event names, fields, exit codes and size limits).
//! [`run`] sits between them: it gives the guidance for files about to be edited, checks files
//! right after they are written, denies commands policy forbids, blocks a stop while blocking
//! findings remain, and records every decision in the event store, from which the session's
//! memory (what it was already told) is read back.
//!
//! The one design choice to know: a hook never breaks the agent. Bad input and internal
//! errors are answered as `hooks.fail` says (open by default: exit 0 and one line on stderr).
//!
//! ```no_run
//! use harness_hooks::{Agent, Environment, run};
//! let env = Environment { cwd: std::env::current_dir().unwrap(), home: None };
//! let answer = run(Agent::Claude, br#"{"hook_event_name":"Stop"}"#, &env);
//! print!("{}", answer.stdout);
//! ```

mod answer;
mod claude;
mod codex;
mod event;
mod gemini;
mod map;
mod memory;
mod patch;
mod run;
mod shell;
mod tokens;

pub use answer::{Answer, Decision};
pub use event::{Event, Incoming, PayloadError};
pub use memory::kind;
pub use run::{Environment, refuse, run};

/// The agents harness has hook adapters for: the registry of adapters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agent {
    Claude,
    Codex,
    Gemini,
}

impl Agent {
    pub const ALL: [Agent; 3] = [Agent::Claude, Agent::Codex, Agent::Gemini];

    pub fn name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Codex => "codex",
            Agent::Gemini => "gemini",
        }
    }

    /// The agent called `name` (as in `harness hook <name>`).
    pub fn from_name(name: &str) -> Option<Agent> {
        Agent::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The oldest release of the agent's CLI with every hook feature harness uses.
    pub fn minimum(self) -> Minimum {
        match self {
            Agent::Claude => claude::MINIMUM,
            Agent::Codex => codex::MINIMUM,
            Agent::Gemini => gemini::MINIMUM,
        }
    }

    /// Where `harness install` puts this agent's hooks.
    pub fn settings(self) -> &'static install::Settings {
        match self {
            Agent::Claude => &install::claude::SETTINGS,
            Agent::Codex => &install::codex::SETTINGS,
            Agent::Gemini => &install::gemini::SETTINGS,
        }
    }

    /// Normalises a hook payload.
    pub fn parse(self, input: &[u8]) -> Result<Incoming, PayloadError> {
        match self {
            Agent::Claude => claude::parse(input),
            Agent::Codex => codex::parse(input),
            Agent::Gemini => gemini::parse(input),
        }
    }

    /// Words a decision for `event_name` in this agent's protocol.
    pub fn answer(self, event_name: &str, decision: &Decision) -> Answer {
        match self {
            Agent::Claude => claude::answer(event_name, decision),
            Agent::Codex => codex::answer(event_name, decision),
            Agent::Gemini => gemini::answer(event_name, decision),
        }
    }

    /// The most bytes one answer's text may take so the agent keeps it inline.
    pub fn limit_bytes(self) -> usize {
        match self {
            Agent::Claude => claude::LIMIT_BYTES,
            Agent::Codex => codex::LIMIT_BYTES,
            Agent::Gemini => gemini::LIMIT_BYTES,
        }
    }

    /// Whether context given before an edit reaches the model (Gemini ignores it).
    pub fn context_before_edit(self) -> bool {
        self != Agent::Gemini
    }
}

/// An agent CLI's oldest usable release, and the feature that makes it so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Minimum {
    pub version: &'static str,
    pub feature: &'static str,
}

pub mod install;
