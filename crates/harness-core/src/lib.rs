//! The knowledge model of harness and its one result type, the finding.
//!
//! Everything else in harness reads a [`KnowledgeBase`] (loaded from `harness.toml`,
//! `.harness/rules/*.yml` and ast-grep projects) and produces [`Finding`]s, which the
//! renderers in [`render`] turn into text for agents, people, CI and code-scanning tools.
//!
//! The one design choice to know: loading is strict. Unknown keys, bad globs, bad regexes,
//! unknown languages, duplicate ids and rules without a matcher are all [`ConfigError`]s with a
//! `file:line:col` location and a hint, never a panic.
//!
//! ```
//! use harness_core::rule::parse_rule_file;
//! let rules = parse_rule_file(
//!     "id: no-console\npriority: P2\nmessage: no console.log\nregex:\n  pattern: 'console\\.log'\n",
//!     std::path::Path::new("rules.yml"),
//! ).unwrap();
//! assert_eq!(rules[0].id, "no-console");
//! ```

pub mod astgrep_rule;
pub mod config;
mod coverage_rule;
pub mod error;
pub mod finding;
pub mod fs;
pub mod glob;
pub mod guidance;
pub mod lazy_regex;
pub mod load;
mod parse_cache;
pub mod path;
pub mod priority;
pub mod render;
pub mod rule;
pub mod salt;
pub mod schema;
pub mod template;
pub mod yaml;

pub use config::Config;
pub use error::{ConfigError, LoadError, SourceLocation};
pub use finding::{Finding, Span};
pub use load::{KnowledgeBase, find_root, load, load_guidance};
pub use priority::Priority;
pub use rule::Rule;
