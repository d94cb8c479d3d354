//! The Markdown the instruction files share: the body of a scoped file and of the file every
//! agent session reads. Short lines an agent can act on, as `harness context` words them.

use std::fmt::Write as _;

use harness_core::Priority;
use harness_core::guidance::GuidanceKind;
use harness_core::rule::Matcher;

use crate::MARKER;
use crate::model::{Group, GuidanceItem, Model, RuleItem};

/// The body of the file for one path scope.
pub(crate) fn scoped(model: &Model<'_>, group: &Group<'_>) -> String {
    let mut out = format!("{MARKER}\n# Guardrails for {}\n\n", list(&group.globs));
    if !group.rules.is_empty() {
        let _ = writeln!(
            out,
            "`harness check` enforces these rules; findings at {} block a merge.\n",
            blocking(model.block_at)
        );
    }
    rules(&mut out, "Rules", &group.rules);
    for item in &group.guidance {
        guidance(&mut out, item);
    }
    trim_end(out)
}

/// The body of the file applied to every request.
pub(crate) fn everywhere(model: &Model<'_>) -> String {
    let mut out = format!("{MARKER}\n# Team guardrails\n\n");
    if model.facts.agents_md {
        out.push_str(
            "Read AGENTS.md first: it is the procedure every change follows and the map of where the rest is.\n\n",
        );
    }
    policy(model, &mut out);
    out.push_str(
        "Guardrails for particular paths come with the files they govern. `harness context --path <file>` prints all that applies to a file.\n\n",
    );
    let (all, some): (Vec<&RuleItem<'_>>, Vec<&RuleItem<'_>>) = model
        .everywhere
        .rules
        .iter()
        .partition(|r| r.only.is_none());
    rules(&mut out, "Rules for every file", &all);
    rules(&mut out, "Rules for some files", &some);
    for item in &model.everywhere.guidance {
        guidance(&mut out, item);
    }
    if !model.unscoped.is_empty() {
        out.push_str("## Decisions and journeys\n\n");
        for g in &model.unscoped {
            let _ = write!(
                out,
                "- {} **{}** ({})",
                label(g.kind),
                one_line(&g.title),
                code(&g.path)
            );
            if let Some(d) = &g.description {
                let _ = write!(out, ": {}", one_line(d));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    trim_end(out)
}

fn policy(model: &Model<'_>, out: &mut String) {
    let _ = writeln!(
        out,
        "After changing files, run `harness check --changed` and fix what it reports; findings at {} block a merge (P0 drop everything, P1 must fix, P2 fix before merge, P3 nit).\n",
        blocking(model.block_at)
    );
}

fn blocking(block_at: Priority) -> String {
    match block_at {
        Priority::P0 => "P0".to_owned(),
        p => format!("P0 to {p}"),
    }
}

fn rules<'a, T: std::borrow::Borrow<RuleItem<'a>>>(out: &mut String, title: &str, items: &[T]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title}\n");
    for item in items {
        let item = item.borrow();
        let rule = item.rule;
        let _ = write!(out, "- **{}** {}", rule.priority, code(&rule.id));
        if let Matcher::Ast(ast) = &rule.matcher {
            let _ = write!(out, " ({})", ast.language);
        }
        let _ = writeln!(out, ": {}", one_line(&rule.message));
        for (label, value) in [
            ("why", &rule.why),
            ("fix", &rule.fix),
            ("see", &rule.runbook),
        ] {
            if let Some(v) = value {
                let _ = writeln!(out, "  - {label}: {}", one_line(v));
            }
        }
        if let Some(only) = &item.only {
            let _ = writeln!(out, "  - applies only to: {}", list(only));
        }
        if !item.exceptions.is_empty() {
            let _ = writeln!(out, "  - does not apply to: {}", list(&item.exceptions));
        }
    }
    out.push('\n');
}

fn guidance(out: &mut String, item: &GuidanceItem<'_>) {
    let g = item.guidance;
    let _ = writeln!(out, "## {}: {}\n", heading(g.kind), one_line(&g.title));
    let _ = write!(out, "From {}", code(&g.path));
    if let Some(d) = &g.description {
        let _ = write!(out, ": {}", one_line(d));
    }
    out.push_str(".\n");
    if let Some(only) = &item.only {
        let _ = writeln!(out, "Applies only to {}.", list(only));
    }
    // A decision's bullets are mostly the options it weighed: the file itself says which won.
    if g.kind == GuidanceKind::Adr || g.bullets.is_empty() {
        out.push_str("Read it before changing these files.\n");
    } else {
        out.push('\n');
        for b in &g.bullets {
            let _ = writeln!(out, "- {}", one_line(b));
        }
    }
    out.push('\n');
}

fn heading(kind: GuidanceKind) -> &'static str {
    match kind {
        GuidanceKind::Persona => "Reviewer lens",
        GuidanceKind::Adr => "Decision",
        GuidanceKind::Journey => "Journey",
    }
}

fn label(kind: GuidanceKind) -> &'static str {
    match kind {
        GuidanceKind::Persona => "persona",
        GuidanceKind::Adr => "decision",
        GuidanceKind::Journey => "journey",
    }
}

/// Exactly one newline at the end.
pub(crate) fn trim_end(mut text: String) -> String {
    let len = text.trim_end().len();
    text.truncate(len);
    text.push('\n');
    text
}

/// Whitespace (line breaks included) collapsed to single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inline code, with a longer fence when the text holds a backtick.
pub(crate) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

pub(crate) fn list(items: &[String]) -> String {
    items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
}

/// A YAML double-quoted scalar: a glob starting with `*` is an alias unquoted, and `true`
/// quoted is a string, so every string value is quoted and nothing else is.
pub(crate) fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
