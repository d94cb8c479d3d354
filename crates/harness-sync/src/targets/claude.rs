//! Claude Code: it reads CLAUDE.md, not AGENTS.md, and follows `@path` imports in it, so
//! CLAUDE.md imports AGENTS.md. The text is exactly what `harness install claude` writes, so the
//! two commands agree and `harness uninstall claude` still removes it. Claude Code gets the
//! path-scoped guardrails from its hooks (`harness install claude`), not from files.

use harness_hooks::install::claude::{MEMORY, MEMORY_PATH};

use super::{Target, has_marker, imports_agents_md};
use crate::model::Model;

pub static TARGET: Target = Target {
    name: "claude",
    render,
    folders: &[],
    files: &[MEMORY_PATH],
    is_ours,
    accepts: imports_agents_md,
    link_to_agents_md: true,
    hint: "add the line `@AGENTS.md` to it so that Claude Code reads AGENTS.md",
};

fn render(model: &Model<'_>) -> Vec<(String, String)> {
    if model.facts.agents_md {
        vec![(MEMORY_PATH.to_owned(), MEMORY.to_owned())]
    } else {
        Vec::new()
    }
}

fn is_ours(text: &str) -> bool {
    text == MEMORY || has_marker(text)
}
