//! The `context` tool: the guidance that applies to paths or a task.

use std::path::Path;

use harness_context::{Request, fit_text, render_text, select, total_tokens};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::Server;
use crate::reply::{Refusal, all_inside};

/// The budget when none is given, as `harness context` has it.
const DEFAULT_BUDGET: usize = 2000;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContextParams {
    /// Files you are about to create or edit, relative to the repository root (absolute paths
    /// inside the repository work too). Files that do not exist yet are fine.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The task in a few words, e.g. "add Apple Pay to checkout": guidance whose title or tags
    /// share a word with it is included.
    pub task: Option<String>,
    /// The most tokens to return (o200k tokenizer), default 2000. What does not fit is named
    /// at the end with the budget that shows everything.
    pub budget: Option<usize>,
}

#[tool_router(router = context_router, vis = "pub(crate)")]
impl Server {
    /// The team's guidance for files you are about to touch or a task: the rules that check
    /// those paths (message, fix, runbook), review personas, architecture decisions and
    /// critical user journeys that apply, most specific first, within a token budget. Call it
    /// before editing. Pass `paths`, `task`, or both.
    #[tool(
        name = "context",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn context_tool(&self, Parameters(params): Parameters<ContextParams>) -> CallToolResult {
        self.run(move |root| context(root, &params)).await
    }
}

fn context(root: &Path, params: &ContextParams) -> Result<String, Refusal> {
    let task = params
        .task
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if params.paths.is_empty() && task.is_none() {
        return Err(Refusal::new(
            "nothing to give context for",
            "pass `paths` (the files you are about to touch), `task` (what you are doing), or both",
        ));
    }
    let paths = all_inside(root, &params.paths)?;
    let kb = harness_core::load(root)?;
    let guidance = harness_core::load_guidance(root)?;
    let request = Request {
        paths: paths.clone(),
        task: task.map(str::to_owned),
    };
    let applies = harness_check::rule_applies(&kb);
    let entries = select(&kb, &guidance, &request, &applies);
    let needed = (total_tokens(&entries) + 200).div_ceil(1000) * 1000;
    let subject = harness_context::subject(&paths, task);
    let rest = format!("call `context` again with \"budget\": {needed}");
    let budget = params.budget.unwrap_or(DEFAULT_BUDGET);
    let (_, text) = fit_text(entries, budget, &|f| render_text(f, &subject, &rest));
    Ok(text)
}
