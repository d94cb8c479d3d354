//! The static guardrail engine behind `harness check` and `harness test`.
//!
//! [`check`] walks a repository in parallel (honouring `.gitignore`), runs the knowledge base's
//! rules over each file, applies inline suppressions and the baseline, and returns one
//! [`Report`] of findings that any renderer can print.
//!
//! The design choice to know: work is keyed by content. A per-file cache under
//! `.harness/state/` holds every content rule's findings by size, modification time and hash,
//! so a re-check after a one-file edit reads and parses one file; `require-file` and `coverage`
//! verdicts depend on other files (companions, coverage reports) and are recomputed each run. Every call into the
//! ast-grep crates is in the `astgrep` module.
//!
//! ```no_run
//! let kb = harness_core::load(std::path::Path::new(".")).unwrap();
//! let report = harness_check::check(&kb, &harness_check::CheckOptions::default()).unwrap();
//! println!("{}", report.verdict());
//! ```

pub mod astgrep;
pub mod baseline;
pub mod builtin;
mod cache;
mod coverage_reports;
mod engine;
pub mod explain;
pub mod git;
pub mod imports;
mod prefilter;
mod regions;
pub mod rule_tests;
mod rules;
pub mod suppress;
mod text;
pub mod walk;

use harness_core::render::Report;
use harness_core::{KnowledgeBase, LoadError};

pub use baseline::Baseline;

/// Which files to check.
#[derive(Clone, Debug, Default)]
pub enum Targets {
    /// The whole repository.
    #[default]
    All,
    /// These files and directories (relative to the repository root).
    Paths(Vec<String>),
    /// Files changed against a base (default `HEAD`), plus untracked files.
    Changed { base: Option<String> },
    /// The staged content of staged files.
    Staged,
}

/// How to run a check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub targets: Targets,
    /// Only these rule ids (all when empty).
    pub rules: Vec<String>,
    pub cache: bool,
    /// Hide findings recorded in the baseline.
    pub baseline: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            targets: Targets::All,
            rules: Vec::new(),
            cache: true,
            baseline: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Config(#[from] LoadError),
    #[error("unknown rule `{0}`")]
    UnknownRule(String),
    #[error("path not found: {0}")]
    PathNotFound(String),
    #[error(transparent)]
    Git(#[from] git::GitError),
    #[error(transparent)]
    Baseline(#[from] baseline::BaselineError),
}

/// Runs the knowledge base's rules as `options` says.
pub fn check(kb: &KnowledgeBase, options: &CheckOptions) -> Result<Report, CheckError> {
    engine::run(kb, options)
}

/// Whether a rule checks a path, as [`check`] decides it: the rule's globs, `[check] exclude`
/// and, for an AST rule, the language of the file. For surfacing guidance about a path.
pub fn rule_applies(kb: &KnowledgeBase) -> impl Fn(&harness_core::Rule, &str) -> bool + use<> {
    use harness_core::rule::Matcher;
    let exclude = harness_core::glob::Globs::new(&kb.config.check.exclude).ok();
    let language_globs: Vec<(astgrep::AstLanguage, harness_core::glob::Globs)> = kb
        .language_globs
        .iter()
        .filter_map(|(name, globs)| astgrep::parse_language(name).map(|l| (l, globs.clone())))
        .collect();
    move |rule: &harness_core::Rule, path: &str| {
        if !rule.filter.applies(path) || exclude.as_ref().is_some_and(|g| g.is_match(path)) {
            return false;
        }
        match &rule.matcher {
            Matcher::Ast(ast) => astgrep::parse_language(&ast.language).is_some_and(|l| {
                astgrep::language_of(path, &language_globs).is_some_and(|of| of == l)
            }),
            _ => true,
        }
    }
}
