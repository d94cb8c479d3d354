//! Gemini CLI: it reads GEMINI.md (and every name listed in `context.fileName` of
//! `.gemini/settings.json`) and follows `@file.md` imports, so GEMINI.md imports AGENTS.md —
//! unless the settings already name AGENTS.md, when a GEMINI.md would say it twice.

use super::{Target, has_marker, imports_agents_md};
use crate::MARKER;
use crate::model::Model;

pub static TARGET: Target = Target {
    name: "gemini",
    render,
    folders: &[],
    files: &["GEMINI.md"],
    is_ours: has_marker,
    accepts: imports_agents_md,
    link_to_agents_md: true,
    hint: "add the line `@AGENTS.md` to it, or add \"AGENTS.md\" to `context.fileName` in .gemini/settings.json, so that Gemini CLI reads AGENTS.md",
};

fn render(model: &Model<'_>) -> Vec<(String, String)> {
    if model.facts.agents_md && !model.facts.gemini_reads_agents_md {
        vec![("GEMINI.md".to_owned(), format!("{MARKER}\n@AGENTS.md\n"))]
    } else {
        Vec::new()
    }
}
