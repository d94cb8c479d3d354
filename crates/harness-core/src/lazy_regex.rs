//! A `regex` rule's pattern, compiled on first use: a hook call loads every rule but searches
//! with few of them, and a knowledge base read from the rule cache was checked when it was
//! written.

use std::ops::Deref;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// A pattern as a `regex` rule compiles it: `^`/`$` at line ends, `.` across lines only for a
/// `multiline` rule. Dereferences to the compiled [`Regex`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LazyRegex {
    pattern: String,
    multiline: bool,
    #[serde(skip)]
    compiled: OnceLock<Regex>,
}

impl LazyRegex {
    /// Compiles `pattern` now, to report a bad one where it is written.
    pub fn compile(pattern: &str, multiline: bool) -> Result<LazyRegex, regex::Error> {
        let compiled = OnceLock::new();
        let _ = compiled.set(build(pattern, multiline)?);
        Ok(LazyRegex {
            pattern: pattern.to_owned(),
            multiline,
            compiled,
        })
    }

    /// The pattern as written, without compiling it.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

fn build(pattern: &str, multiline: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .multi_line(true)
        .dot_matches_new_line(multiline)
        .size_limit(50 * 1024 * 1024)
        .build()
}

impl Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled.get_or_init(|| {
            // Only a hand-edited rule cache gets here with a bad pattern: it matches nothing.
            build(&self.pattern, self.multiline)
                .or_else(|_| Regex::new(r"[^\s\S]"))
                .unwrap_or_else(|_| unreachable!("a regex that matches nothing compiles"))
        })
    }
}
