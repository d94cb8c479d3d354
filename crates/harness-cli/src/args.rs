//! Command-line arguments.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use harness_core::render::Format;
use harness_hooks::Agent;
use harness_hooks::install::Target;

/// Guardrails for code written by AI agents: fast static checks whose findings an agent can act on.
#[derive(Debug, Parser)]
#[command(name = "harness", version)]
#[command(
    after_help = "Examples:\n  harness check                     check the whole repository\n  harness check --changed           only files changed since HEAD\n  harness check --staged            the staged content (pre-commit)\n  harness check src --format sarif  SARIF for code scanning\n  harness explain no-any            a rule's full text\n\nExit codes: 0 clean, 1 blocking findings, 2 usage, configuration or internal error."
)]
pub struct Cli {
    /// Repository root (default: the nearest directory at or above the current one with
    /// harness.toml, else sgconfig.yml).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up harness in this repository: harness.toml, AGENTS.md, starter rules and personas
    /// for the languages found, a first decision record. Never overwrites a file.
    #[command(after_help = "Examples:\n  harness init\n  harness init --yes")]
    Init(InitArgs),
    /// Run the static guardrails and print findings.
    #[command(
        after_help = "Examples:\n  harness check\n  harness check src/api --rule no-fetch-without-timeout\n  harness check --changed=origin/main --format github\n  harness check --staged --format agent --max-bytes 2000"
    )]
    Check(CheckArgs),
    /// Record today's findings so only new ones are reported from now on.
    Baseline(BaselineArgs),
    /// Run the ast-grep rule tests (valid/invalid cases) of the knowledge base.
    Test(TestArgs),
    /// Print the guidance that applies to paths or a task: rules, personas, decisions and
    /// journeys, most specific first, within a token budget.
    #[command(
        after_help = "Examples:\n  harness context --path src/db/users.ts\n  harness context --diff=origin/main --budget 4000\n  harness context --task \"add Apple Pay to checkout\" --format json"
    )]
    Context(ContextArgs),
    /// Answer an agent's hook call: reads its hook JSON on stdin, prints the answer in that
    /// agent's protocol. Wired in by `harness install`.
    #[command(
        after_help = "Example (what Claude Code runs before a write):\n  echo '{\"session_id\":\"s1\",\"cwd\":\".\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"file_path\":\"src/a.ts\",\"content\":\"\"}}' | harness hook claude"
    )]
    Hook(HookArgs),
    /// Wire harness into agents' hook settings and git's pre-commit hook.
    #[command(
        after_help = "Examples:\n  harness install claude\n  harness install all --dry-run\n  harness install codex git"
    )]
    Install(InstallArgs),
    /// Remove what `harness install` added, leaving everything else as it was.
    #[command(
        after_help = "Examples:\n  harness uninstall all --dry-run\n  harness uninstall codex"
    )]
    Uninstall(InstallArgs),
    /// Render the knowledge base into the instruction files of agents that read files rather
    /// than run hooks (Cursor, GitHub Copilot, Claude Code's CLAUDE.md, Gemini's GEMINI.md).
    #[command(after_help = "Examples:\n  harness sync\n  harness sync --check")]
    Sync(SyncArgs),
    /// Serve guidance, checks and feedback to any MCP client over stdio.
    #[command(
        after_help = "Example (an MCP client's server entry):\n  {\"command\": \"harness\", \"args\": [\"mcp\"]}"
    )]
    Mcp(McpArgs),
    /// Check the setup and say what to fix: config, hooks per agent, Codex trust, generated
    /// files, the event store.
    Doctor(DoctorArgs),
    /// Print a rule's full text: message, why, fix, runbook, scope and matcher.
    Explain(ExplainArgs),
    /// Print the JSON Schema of harness.toml and of rule files.
    Schema(SchemaArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the whole repository).
    pub paths: Vec<PathBuf>,
    /// Only files changed against BASE (default HEAD; a branch is compared from its merge base),
    /// plus untracked files.
    #[arg(long, value_name = "BASE", num_args = 0..=1, require_equals = true, default_missing_value = "HEAD", conflicts_with_all = ["staged", "paths"])]
    pub changed: Option<String>,
    /// Only staged files, as staged (for a pre-commit hook).
    #[arg(long, conflicts_with = "paths")]
    pub staged: bool,
    /// Output format (default: human on a terminal, agent otherwise).
    #[arg(long, value_parser = format_parser())]
    pub format: Option<Format>,
    /// Byte bound of the agent format (default: `output.max_bytes`, 4000); 0 for no bound.
    #[arg(long, value_name = "N")]
    pub max_bytes: Option<usize>,
    /// Only these rules.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Report findings the baseline records too.
    #[arg(long)]
    pub no_baseline: bool,
}

fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Format::NAMES).try_map(|s| s.parse::<Format>())
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Only these rules.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Only the tests of these rules.
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ContextArgs {
    /// A path about to be touched (repeatable).
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<String>,
    /// The paths changed against BASE (default HEAD), plus untracked files.
    #[arg(long, value_name = "BASE", num_args = 0..=1, require_equals = true, default_missing_value = "HEAD")]
    pub diff: Option<String>,
    /// The task in words: guidance whose title or tags share a word with it is included.
    #[arg(long)]
    pub task: Option<String>,
    /// The most tokens to print, counted with the o200k tokenizer of current GPT models.
    #[arg(long, default_value_t = 2000, value_name = "TOKENS")]
    pub budget: usize,
    #[arg(long, value_enum, default_value_t = ContextFormat::Text)]
    pub format: ContextFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ContextFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// The agent whose protocol to speak.
    #[arg(value_parser = agent_name())]
    pub agent: Agent,
}

/// The agents with hook adapters, by name.
fn agent_name() -> impl TypedValueParser<Value = Agent> {
    PossibleValuesParser::new(Agent::ALL.map(Agent::name))
        // Only listed names reach the map.
        .try_map(|name| Agent::from_name(&name).ok_or("not an agent"))
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Agents, `git`'s pre-commit hook, or `all`.
    #[arg(required = true, value_parser = install_target())]
    pub targets: Vec<InstallTarget>,
    /// Show the changes as a diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallTarget {
    One(Target),
    All,
}

/// Everything `harness install` can wire in, by name, and `all`.
fn install_target() -> impl TypedValueParser<Value = InstallTarget> {
    let names = Target::all().into_iter().map(Target::name).chain(["all"]);
    // Only listed names reach the map.
    PossibleValuesParser::new(names).try_map(|name| match Target::from_name(&name) {
        Some(target) => Ok(InstallTarget::One(target)),
        None if name == "all" => Ok(InstallTarget::All),
        None => Err("not a target"),
    })
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Accept every default without asking (for scripts; prompts appear only on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Write nothing; exit 1 when a generated file is missing or stale (for CI).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct McpArgs {}

#[derive(Debug, Args)]
pub struct DoctorArgs {}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id.
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema (default: both, as one JSON object).
    #[arg(value_enum)]
    pub which: Option<SchemaWhich>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaWhich {
    Config,
    Rule,
}
