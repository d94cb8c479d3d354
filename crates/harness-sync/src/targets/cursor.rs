//! Cursor: project rules in `.cursor/rules/*.mdc`.
//!
//! An `.mdc` file is Markdown after YAML front matter with three keys: `alwaysApply` (a YAML
//! boolean; `true` puts the rule in every request and ignores the rest), `globs` (one string of
//! comma-separated globs; with `alwaysApply: false` the rule is attached when a matching file
//! is in the conversation) and `description` (what the agent reads to fetch a rule it was not
//! given). Cursor also reads AGENTS.md by itself, so nothing here imports it.

use harness_core::config::CursorGlobs;

use super::{Target, has_marker, never};
use crate::content::{self, yaml_string};
use crate::model::Model;

pub static TARGET: Target = Target {
    name: "cursor",
    render,
    folders: &[(".cursor/rules", ".mdc")],
    files: &[],
    is_ours: has_marker,
    accepts: never,
    link_to_agents_md: false,
    hint: "harness needs this name for its own rule: rename your file, then run `harness sync` again",
};

fn render(model: &Model<'_>) -> Vec<(String, String)> {
    let mut out = vec![(
        ".cursor/rules/harness.mdc".to_owned(),
        format!(
            "---\ndescription: {}\nalwaysApply: true\n---\n{}",
            yaml_string("Team guardrails checked by harness: read for every change"),
            content::everywhere(model)
        ),
    )];
    for group in &model.groups {
        let globs = group.globs.join(",");
        out.push((
            format!(".cursor/rules/harness-{}.mdc", group.stem),
            format!(
                "---\ndescription: {}\nglobs: {}\nalwaysApply: false\n---\n{}",
                yaml_string(&format!("Guardrails for files matching {globs}")),
                match model.cursor_globs {
                    CursorGlobs::Bare if bare_is_safe(&globs) => globs.clone(),
                    _ => yaml_string(&globs),
                },
                content::scoped(model, group)
            ),
        ));
    }
    out
}

/// Whether `globs` can stand bare on the `globs:` line: no character that would end the line or
/// start a comment for a YAML reader. Any other glob is quoted, whatever harness.toml asks.
pub(crate) fn bare_is_safe(globs: &str) -> bool {
    !globs.chars().any(char::is_control) && !globs.contains(" #") && !globs.contains(": ")
}
