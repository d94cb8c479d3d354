//! Gemini CLI: `.gemini/settings.json`, a JSONC file (comments are kept).

use super::{Event, Handler, Settings};

pub static SETTINGS: Settings = Settings {
    path: ".gemini/settings.json",
    comments: true,
    handler: Handler {
        name: Some("harness"),
        command: "harness hook gemini",
        // Gemini CLI counts hook timeouts in milliseconds.
        timeout: 30_000,
    },
    events: &[
        Event {
            name: "SessionStart",
            matcher: None,
        },
        Event {
            name: "BeforeTool",
            matcher: Some("write_file|replace|run_shell_command"),
        },
        Event {
            name: "AfterTool",
            matcher: Some("write_file|replace|read_file"),
        },
        Event {
            name: "AfterAgent",
            matcher: None,
        },
        Event {
            name: "PreCompress",
            matcher: None,
        },
    ],
};

/// Gemini CLI runs project hooks only in a trusted folder.
pub const TRUST_NOTE: &str = "Gemini CLI runs project hooks only in a trusted folder: trust this one when Gemini CLI asks (it is recorded in ~/.gemini/trustedFolders.json), or set GEMINI_CLI_TRUST_WORKSPACE=true";
