//! The `explain_rule` and `list_rules` tools: a rule's full text, and the rule ids.

use std::fmt::Write as _;
use std::path::Path;

use harness_core::KnowledgeBase;
use harness_core::rule::{Matcher, Rule};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::Server;
use crate::reply::{Refusal, inside};

/// Rules `list_rules` names before it asks for a narrower question.
const LIST_LIMIT: usize = 100;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainParams {
    /// The rule id, as a finding or `list_rules` shows it, e.g. "no-fetch-without-timeout".
    pub rule: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only the rules that check this file, relative to the repository root (it need not
    /// exist yet). Default: every rule.
    pub path: Option<String>,
}

#[tool_router(router = rules_router, vis = "pub(crate)")]
impl Server {
    /// A rule's full text: priority, message, why it exists, how to fix a finding, runbook
    /// link, which paths it applies to, what it matches and where it is defined. Use it when
    /// a finding's one line is not enough to fix it properly.
    #[tool(
        name = "explain_rule",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn explain_rule_tool(
        &self,
        Parameters(params): Parameters<ExplainParams>,
    ) -> CallToolResult {
        self.run(move |root| explain(root, params.rule.trim()))
            .await
    }

    /// The rules of this repository, one line each: priority, id, message, most severe first;
    /// disabled rules are marked `(off)`. Pass `path` for only the rules that check that file.
    #[tool(
        name = "list_rules",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_rules_tool(&self, Parameters(params): Parameters<ListParams>) -> CallToolResult {
        self.run(move |root| list(root, params.path.as_deref()))
            .await
    }
}

fn explain(root: &Path, id: &str) -> Result<String, Refusal> {
    if let Some(b) = harness_check::builtin::find(id) {
        return Ok(format!(
            "{} ({}, built in)\n\n{}\n\n{}\n",
            b.id,
            b.priority,
            b.message,
            b.doc.trim_end()
        ));
    }
    let kb = harness_core::load(root)?;
    let Some(rule) = kb.rule(id) else {
        return Err(unknown_rule(&kb, id));
    };
    Ok(describe_rule(rule))
}

/// An unknown id, with the ids it may have meant.
pub fn unknown_rule(kb: &KnowledgeBase, id: &str) -> Refusal {
    let mut ids: Vec<&str> = kb.rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let close: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|known| !id.is_empty() && (known.contains(id) || id.contains(known)))
        .take(5)
        .collect();
    let hint = if close.is_empty() {
        "call `list_rules` for the rule ids".to_owned()
    } else {
        format!(
            "did you mean {}? `list_rules` gives every id",
            close.join(", ")
        )
    };
    Refusal::new(&format!("unknown rule `{id}`"), &hint)
}

fn describe_rule(rule: &Rule) -> String {
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
    let _ = writeln!(text, "matcher: {}", describe_matcher(&rule.matcher));
    let _ = writeln!(text, "defined at: {}", rule.origin);
    text
}

fn describe_matcher(m: &Matcher) -> String {
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

fn list(root: &Path, path: Option<&str>) -> Result<String, Refusal> {
    let path = path.map(|p| inside(root, p)).transpose()?;
    let kb = harness_core::load(root)?;
    let applies = harness_check::rule_applies(&kb);
    let mut rules: Vec<&Rule> = kb
        .rules
        .iter()
        .filter(|r| path.as_deref().is_none_or(|p| applies(r, p)))
        .collect();
    rules.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.id.cmp(&b.id)));
    let mut text = match &path {
        Some(p) => format!(
            "{} {} check {p}",
            rules.len(),
            if rules.len() == 1 { "rule" } else { "rules" }
        ),
        None => format!(
            "{} {}",
            rules.len(),
            if rules.len() == 1 { "rule" } else { "rules" }
        ),
    };
    text.push_str("; `explain_rule` gives one's full text\n");
    for rule in rules.iter().take(LIST_LIMIT) {
        let off = if rule.enabled { "" } else { " (off)" };
        let message = rule.message.lines().next().unwrap_or_default();
        let _ = writeln!(text, "{} {}{off}: {message}", rule.priority, rule.id);
    }
    if rules.len() > LIST_LIMIT {
        let _ = writeln!(
            text,
            "… and {} more: pass `path` for the rules of one file",
            rules.len() - LIST_LIMIT
        );
    }
    if path.is_none() {
        let builtins: Vec<String> = harness_check::builtin::ALL
            .iter()
            .map(|b| format!("{} ({})", b.id, b.priority))
            .collect();
        let _ = writeln!(text, "built in: {}", builtins.join(", "));
    }
    Ok(text)
}
