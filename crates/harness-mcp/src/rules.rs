//! The `explain_rule` and `list_rules` tools: a rule's full text, and the rule ids.

use std::fmt::Write as _;
use std::path::Path;

use harness_core::rule::Rule;
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
    if let Some(text) = harness_check::explain::builtin(id) {
        return Ok(text);
    }
    let kb = harness_core::load(root)?;
    harness_check::explain::explain(&kb, id).map_err(|u| unknown_rule(id, &u.close))
}

/// An unknown id, with the ids it may have meant.
pub fn unknown_rule(id: &str, close: &[String]) -> Refusal {
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
