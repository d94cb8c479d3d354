//! The agents `harness sync` writes for, one file each; [`TARGETS`] is the registry.

pub mod claude;
pub mod copilot;
pub mod cursor;
pub mod gemini;

use crate::MARKER;
use crate::model::Model;

/// One agent's instruction files.
#[derive(Debug)]
pub struct Target {
    pub name: &'static str,
    /// The files for the knowledge base: repository path and text.
    pub(crate) render: fn(&Model<'_>) -> Vec<(String, String)>,
    /// Folders (and the file-name ending) where generated files of this target may be left
    /// over from an earlier sync: those with the marker and no longer rendered are removed.
    pub folders: &'static [(&'static str, &'static str)],
    /// Files at fixed paths this target may have written earlier.
    pub files: &'static [&'static str],
    /// Whether harness wrote this text, so that it may change or remove it.
    pub is_ours: fn(&str) -> bool,
    /// Whether a hand-written file already does what the generated one would (a CLAUDE.md
    /// that imports AGENTS.md), so there is nothing to say about it.
    pub accepts: fn(&str) -> bool,
    /// Whether a symbolic link to AGENTS.md at the path does the job.
    pub link_to_agents_md: bool,
    /// What to do about a hand-written file at a generated path.
    pub hint: &'static str,
}

/// Every target, in the order `harness sync` reports them.
pub static TARGETS: [&Target; 4] = [
    &cursor::TARGET,
    &copilot::TARGET,
    &claude::TARGET,
    &gemini::TARGET,
];

/// The marker on a line of its own near the top (after any front matter).
pub fn has_marker(text: &str) -> bool {
    text.lines().take(12).any(|l| l.trim_end() == MARKER)
}

fn never(_: &str) -> bool {
    false
}

/// A line importing AGENTS.md, as Claude Code and Gemini CLI read `@path` imports.
fn imports_agents_md(text: &str) -> bool {
    harness_hooks::install::claude::imports_agents_md(text)
        || text.lines().any(|l| l.trim() == "@./AGENTS.md")
}
