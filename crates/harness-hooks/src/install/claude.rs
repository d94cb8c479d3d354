//! Claude Code: `.claude/settings.json`, and a `CLAUDE.md` that imports `AGENTS.md`.

use super::{Event, Handler, Settings};

/// The tools that write files.
const EDITS: &str = "Write|Edit|MultiEdit|NotebookEdit";

pub static SETTINGS: Settings = Settings {
    path: ".claude/settings.json",
    comments: false,
    handler: Handler {
        name: None,
        command: "harness hook claude",
        timeout: 30,
    },
    events: &[
        Event {
            name: "SessionStart",
            matcher: None,
        },
        Event {
            name: "PreToolUse",
            matcher: Some("Write|Edit|MultiEdit|NotebookEdit|Bash"),
        },
        Event {
            name: "PostToolUse",
            matcher: Some(EDITS),
        },
        Event {
            name: "PostCompact",
            matcher: None,
        },
        Event {
            name: "Stop",
            matcher: None,
        },
    ],
};

/// Claude Code reads CLAUDE.md, not AGENTS.md; this file imports the latter. The comment marks
/// it as harness's, so uninstall removes only a CLAUDE.md that install wrote.
pub const MEMORY_PATH: &str = "CLAUDE.md";
pub const MEMORY: &str = "<!-- Written by `harness install claude`; `harness uninstall claude` removes it. -->\n@AGENTS.md\n";

/// CLAUDE.md after install: as it was, or the import when there is none.
pub fn memory_install(before: Option<&str>) -> String {
    before.unwrap_or(MEMORY).to_owned()
}

/// CLAUDE.md after uninstall: `None` (delete it) when it is still exactly what install wrote.
pub fn memory_uninstall(before: &str) -> Option<String> {
    (before != MEMORY).then(|| before.to_owned())
}

/// Whether a CLAUDE.md imports AGENTS.md.
pub fn imports_agents_md(memory: &str) -> bool {
    memory.lines().any(|l| l.trim() == "@AGENTS.md")
}
