//! `harness install`: wiring harness into agents' hook settings and git's pre-commit hook.
//!
//! Everything here is text in, text out: the command reads the files, these functions say what
//! each file should hold, and the command writes them. Edits keep every byte harness did not
//! add, so `uninstall` after `install` gives each file back as it was.
//!
//! ```
//! use harness_hooks::install::claude;
//!
//! let before = "{\n  \"model\": \"opus\"\n}\n";
//! let after = claude::SETTINGS.install(Some(before)).unwrap();
//! assert!(after.contains("harness hook claude"));
//! assert_eq!(claude::SETTINGS.uninstall(&after).unwrap().as_deref(), Some(before));
//! ```

pub mod claude;
pub mod codex;
mod diff;
pub mod gemini;
pub mod git;
mod jsonc;
mod settings;

pub use codex::codex_trust_snippet;
pub use diff::unified_diff;
pub use settings::{COMMAND_PREFIX, Event, Handler, Settings};

use crate::Agent;

/// What `harness install` can wire in: an agent's hooks, or git's pre-commit hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Agent(Agent),
    Git,
}

impl Target {
    /// In the order `harness install all` installs them.
    pub fn all() -> Vec<Target> {
        Agent::ALL
            .into_iter()
            .map(Target::Agent)
            .chain([Target::Git])
            .collect()
    }

    pub fn name(self) -> &'static str {
        match self {
            Target::Agent(agent) => agent.name(),
            Target::Git => "git",
        }
    }

    /// The target called `name`.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::all().into_iter().find(|t| t.name() == name)
    }

    /// The agent's project settings file; `None` for git.
    pub fn settings(self) -> Option<&'static Settings> {
        match self {
            Target::Agent(agent) => Some(agent.settings()),
            Target::Git => None,
        }
    }
}

/// Why a file cannot be edited.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// Not valid JSON (or JSONC where comments are allowed).
    #[error("{message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON, but not the shape the agent reads (`hooks` not an object, …).
    #[error("{message}")]
    Shape {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the pre-commit hook is a `{interpreter}` script, not a shell script")]
    NotShell { interpreter: String },
    #[error("the harness block that starts on line {line} has no end marker")]
    OpenBlock { line: usize },
    #[error("the edit did not settle (a bug in harness)")]
    NoProgress,
}

#[cfg(test)]
mod tests;
