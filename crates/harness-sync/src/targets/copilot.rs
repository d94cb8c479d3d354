//! GitHub Copilot: `.github/copilot-instructions.md` for every request, and
//! `.github/instructions/NAME.instructions.md` files whose front matter `applyTo` (one string of
//! comma-separated globs, relative to the repository root) says which files they are for.
//! The coding agent and code review read both; VS Code does too, and reads AGENTS.md itself.
//! `excludeAgent` is not used: code review should see the same guardrails.

use super::{Target, has_marker, never};
use crate::content::{self, yaml_string};
use crate::model::Model;

pub static TARGET: Target = Target {
    name: "copilot",
    render,
    folders: &[(".github/instructions", ".instructions.md")],
    files: &[".github/copilot-instructions.md"],
    is_ours: has_marker,
    accepts: never,
    link_to_agents_md: false,
    hint: "to let harness write it, move your text into AGENTS.md (Copilot reads it too), delete the file and run `harness sync` again",
};

fn render(model: &Model<'_>) -> Vec<(String, String)> {
    // A hand-written copilot-instructions.md keeps its path; what applies everywhere then
    // goes to an instructions file for every file, which no one else writes.
    let mut out = vec![if model.facts.copilot_instructions_taken {
        (
            ".github/instructions/harness.instructions.md".to_owned(),
            format!(
                "---\napplyTo: {}\n---\n{}",
                yaml_string("**"),
                content::everywhere(model)
            ),
        )
    } else {
        (
            ".github/copilot-instructions.md".to_owned(),
            content::everywhere(model),
        )
    }];
    for group in &model.groups {
        out.push((
            format!(
                ".github/instructions/harness-{}.instructions.md",
                group.stem
            ),
            format!(
                "---\napplyTo: {}\n---\n{}",
                yaml_string(&group.globs.join(",")),
                content::scoped(model, group)
            ),
        ));
    }
    out
}
