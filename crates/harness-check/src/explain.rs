//! A rule's full text, as `harness explain` and the MCP `explain_rule` tool give it.

use std::fmt::Write as _;

use harness_core::KnowledgeBase;
use harness_core::rule::{Matcher, Rule};

/// An id that is neither a built-in rule nor one of the knowledge base's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    /// Known ids that contain the given one or are contained in it, at most five.
    pub close: Vec<String>,
    /// Every id of the knowledge base, sorted.
    pub known: Vec<String>,
}

/// The text of a built-in rule, which needs no knowledge base.
pub fn builtin(id: &str) -> Option<String> {
    crate::builtin::find(id).map(|b| {
        format!(
            "{} ({}, built in)\n\n{}\n\n{}\n",
            b.id,
            b.priority,
            b.message,
            b.doc.trim_end()
        )
    })
}

/// The full text of rule `id`: message, why, fix, runbook, scope, matcher and where it is
/// defined.
pub fn explain(kb: &KnowledgeBase, id: &str) -> Result<String, UnknownRule> {
    if let Some(text) = builtin(id) {
        return Ok(text);
    }
    let Some(rule) = kb.rule(id) else {
        let mut known: Vec<String> = kb.rules.iter().map(|r| r.id.clone()).collect();
        known.sort_unstable();
        let close = known
            .iter()
            .filter(|k| !id.is_empty() && (k.contains(id) || id.contains(k.as_str())))
            .take(5)
            .cloned()
            .collect();
        return Err(UnknownRule { close, known });
    };
    Ok(describe(rule))
}

fn describe(rule: &Rule) -> String {
    let state = if rule.enabled { "" } else { ", off" };
    let mut text = format!(
        "{} ({}, {}{state})\n\n{}\n",
        rule.id,
        rule.priority,
        rule.matcher.kind(),
        rule.message
    );
    if let Some(why) = &rule.why {
        let _ = writeln!(text, "\nwhy: {}", why.trim_end());
    }
    if let Some(fix) = &rule.fix {
        let _ = writeln!(text, "fix: {}", fix.trim_end());
    }
    if let Some(see) = &rule.runbook {
        let _ = writeln!(text, "see: {see}");
    }
    text.push('\n');
    match &rule.filter.paths {
        Some(p) => {
            let _ = writeln!(text, "applies to: {}", p.patterns.join(", "));
        }
        None => text.push_str("applies to: every file\n"),
    }
    if let Some(i) = &rule.filter.ignores {
        let _ = writeln!(text, "except: {}", i.patterns.join(", "));
    }
    let _ = writeln!(text, "matcher: {}", matcher(&rule.matcher));
    let _ = writeln!(text, "defined at: {}", rule.origin);
    text
}

fn matcher(m: &Matcher) -> String {
    match m {
        Matcher::MaxLines(s) => format!(
            "more than {} {}",
            s.max,
            if s.code_only { "code lines" } else { "lines" }
        ),
        Matcher::RequireFile(r) => format!(
            "needs one of {}",
            r.one_of
                .iter()
                .map(|t| t.source.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Matcher::ForbidImport(f) => format!("may not import {}", f.from.patterns.join(", ")),
        Matcher::Regex(r) => format!(
            "regex {}{}",
            r.regex.as_str(),
            if r.multiline { " (multiline)" } else { "" }
        ),
        Matcher::Coverage(c) => format!(
            "coverage of {} in {}{}{}",
            crate::rules::coverage::needs(c),
            c.reports.patterns.join(", "),
            if c.missing == harness_core::rule::Missing::Ignore {
                "; files not in a report are left alone"
            } else {
                "; a file not in a report counts as 0%"
            },
            if c.diff {
                "; with --changed or --staged, changed lines only"
            } else {
                ""
            }
        ),
        Matcher::Ast(a) => format!(
            "ast-grep ({}): {}",
            a.language,
            a.config
                .get("rule")
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
    }
}
