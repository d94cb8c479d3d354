//! The `check` tool: findings for paths or the working-tree diff, in the agent format.

use std::path::Path;

use harness_check::{CheckOptions, Targets};
use harness_core::render::{Format, RenderOptions, render, shell_word};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::Server;
use crate::reply::{Refusal, all_inside};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// Files or directories to check, relative to the repository root (absolute paths inside
    /// the repository work too). Leave out, with `changed` false, to check the whole
    /// repository.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Check the files changed in the working tree instead of `paths`: modified against HEAD
    /// (or `base`), plus untracked files. Needs git.
    #[serde(default)]
    pub changed: bool,
    /// The git ref to compare the working tree against, e.g. "origin/main" (a branch is
    /// compared from its merge base). Implies `changed`. Default HEAD.
    pub base: Option<String>,
    /// Only these rule ids (see `list_rules`). Default: every rule.
    #[serde(default)]
    pub rules: Vec<String>,
    /// The most bytes of findings to return, default `output.max_bytes` of harness.toml
    /// (4000); 0 for no bound. The first line, the verdict, is always kept.
    pub max_bytes: Option<usize>,
}

#[tool_router(router = check_router, vis = "pub(crate)")]
impl Server {
    /// Run the team's static guardrails (harness.toml and .harness/rules) and return the
    /// findings. Line 1 is the verdict with counts (`harness: 2 blocking (P1 1, P2 1), …` or
    /// `harness: clean …`); then the most severe findings first, each as
    /// `path:line  priority rule-id  message` with `fix:` and `see:` lines. Blocking findings
    /// (P2 and above by default) must be fixed before the work is done; `explain_rule` gives
    /// a rule's full text. Call it after editing, with the paths you changed or
    /// `changed: true`.
    #[tool(
        name = "check",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn check_tool(&self, Parameters(params): Parameters<CheckParams>) -> CallToolResult {
        self.run(move |root| check(root, &params)).await
    }
}

fn check(root: &Path, params: &CheckParams) -> Result<String, Refusal> {
    let changed = params.changed || params.base.is_some();
    if changed && !params.paths.is_empty() {
        return Err(Refusal::new(
            "both `paths` and `changed` were given",
            "pass `paths` to check those files, or `changed: true` (and `base`) to check what \
             changed in the working tree, not both",
        ));
    }
    let paths = all_inside(root, &params.paths)?;
    let kb = harness_core::load(root)?;
    let targets = if changed {
        Targets::Changed {
            base: params.base.clone().filter(|b| b != "HEAD"),
        }
    } else if paths.is_empty() || paths.iter().any(|p| p == ".") {
        Targets::All
    } else {
        Targets::Paths(paths)
    };
    let options = CheckOptions {
        targets,
        rules: params.rules.clone(),
        cache: true,
        baseline: true,
    };
    let report = harness_check::check(&kb, &options)?;
    let render_options = RenderOptions {
        max_bytes: params.max_bytes.unwrap_or(kb.config.output.max_bytes),
        group_after: kb.config.output.group_after,
        rest_command: rest_command(params),
        color: false,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    Ok(render(&report, Format::Agent, &render_options))
}

/// The command that shows every finding of this check, for an agent with a shell.
fn rest_command(params: &CheckParams) -> String {
    let mut cmd = String::from("harness check");
    for p in &params.paths {
        cmd.push(' ');
        cmd.push_str(&shell_word(p));
    }
    match &params.base {
        Some(base) if base != "HEAD" => cmd.push_str(&format!(" --changed={}", shell_word(base))),
        _ if params.changed || params.base.is_some() => cmd.push_str(" --changed"),
        _ => {}
    }
    for r in &params.rules {
        cmd.push_str(&format!(" --rule {}", shell_word(r)));
    }
    cmd.push_str(" --format human");
    cmd
}
