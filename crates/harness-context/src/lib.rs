//! Just-in-time guidance: what in the knowledge base applies to the paths an agent is about to
//! touch or to the task it was given, ranked and fitted to a token budget.
//!
//! The one design choice to know: selection is pure and deterministic. [`select`] turns a
//! [`KnowledgeBase`] and a [`Request`] into ranked [`Entry`]s; [`fit`] keeps the best that fit
//! the budget and lists the rest, so the caller can say exactly what was left out. Hooks keep
//! per-session memory of entry [`Entry::key`]s to avoid repeating themselves.
//!
//! ```
//! use harness_context::{fit, Entry, Source};
//! let entries = vec![Entry::for_test("rule:a", "keep the API stable")];
//! let fitted = fit(entries, 100);
//! # let _ = Source::Rule;
//! assert_eq!(fitted.included.len(), 1);
//! ```

mod select;
mod tokens;

use std::fmt::Write as _;

pub use select::{Request, select};
pub use tokens::count_tokens;

use harness_core::Priority;
use serde::Serialize;

/// What an entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Rule,
    Adr,
    Journey,
    Persona,
}

impl Source {
    fn label(self) -> &'static str {
        match self {
            Source::Rule => "rule",
            Source::Adr => "ADR",
            Source::Journey => "journey",
            Source::Persona => "persona",
        }
    }
}

/// Why an entry was selected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "lowercase")]
pub enum Reason {
    /// It governs this path.
    Path { path: String },
    /// Its title or tags share these words with the task.
    Task { words: Vec<String> },
}

/// One piece of guidance.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Stable across runs: `rule:<id>`, `persona:<path>`, `adr:<path>`, `journey:<path>`.
    pub key: String,
    pub source: Source,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    /// How narrowly its globs match (longer literal globs are more specific).
    pub specificity: usize,
    pub reason: Reason,
    /// The guidance itself, as it is shown: a few short lines.
    pub text: String,
    /// Keys of entries that said the same and were merged into this one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl Entry {
    /// An entry with just a key and a text, for examples and tests.
    pub fn for_test(key: &str, text: &str) -> Entry {
        Entry {
            key: key.to_owned(),
            source: Source::Rule,
            title: key.to_owned(),
            priority: None,
            specificity: 0,
            reason: Reason::Path {
                path: String::new(),
            },
            text: text.to_owned(),
            also: Vec::new(),
        }
    }
}

/// The entries that fit a budget, and those that did not.
#[derive(Clone, Debug, Serialize)]
pub struct Fitted {
    pub included: Vec<Entry>,
    pub left_out: Vec<Entry>,
    /// Tokens the output takes, or its size in bytes when that is within the budget (bytes
    /// bound tokens from above).
    pub tokens: usize,
    pub budget: usize,
}

/// Keeps, in order, each entry that still fits `budget` tokens. Entries are counted only when
/// their total size in bytes (an upper bound on their tokens) exceeds the budget.
pub fn fit(entries: Vec<Entry>, budget: usize) -> Fitted {
    fit_with(entries, budget, &count_tokens)
}

/// [`fit`], counting with `count` (for a caller that keeps counts between runs).
pub fn fit_with(entries: Vec<Entry>, budget: usize, count: &dyn Fn(&str) -> usize) -> Fitted {
    let bytes: usize = entries.iter().map(|e| e.text.len() + 1).sum();
    let exact = bytes > budget;
    let mut included = Vec::new();
    let mut left_out = Vec::new();
    let mut used = 0;
    for entry in entries {
        let cost = if exact {
            count(&entry.text) + 1
        } else {
            entry.text.len() + 1
        };
        if used + cost <= budget {
            used += cost;
            included.push(entry);
        } else {
            left_out.push(entry);
        }
    }
    Fitted {
        included,
        left_out,
        tokens: used,
        budget,
    }
}

/// Fits `entries` and renders them with `render`, so that the whole text, header and footer
/// included, stays within `budget` tokens: entries are dropped from the end until it does.
pub fn fit_text(
    entries: Vec<Entry>,
    budget: usize,
    render: &dyn Fn(&Fitted) -> String,
) -> (Fitted, String) {
    fit_rendered(entries, budget, render, &count_tokens, &|text, _| {
        count_tokens(text)
    })
}

/// [`fit_text`], counting the entries with `count` and the rest of the text (header and
/// footer, which name paths and change with every call) by its bytes, which bound its tokens
/// from above: for a caller that keeps entries' counts between runs.
pub fn fit_text_with(
    entries: Vec<Entry>,
    budget: usize,
    render: &dyn Fn(&Fitted) -> String,
    count: &dyn Fn(&str) -> usize,
) -> (Fitted, String) {
    fit_rendered(entries, budget, render, count, &|text, fitted| {
        let entry_bytes: usize = fitted.included.iter().map(|e| e.text.len() + 1).sum();
        let entry_tokens: usize = fitted.included.iter().map(|e| count(&e.text) + 1).sum();
        entry_tokens + text.len().saturating_sub(entry_bytes)
    })
}

fn fit_rendered(
    entries: Vec<Entry>,
    budget: usize,
    render: &dyn Fn(&Fitted) -> String,
    count: &dyn Fn(&str) -> usize,
    count_text: &dyn Fn(&str, &Fitted) -> usize,
) -> (Fitted, String) {
    let order: std::collections::HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.clone(), i))
        .collect();
    let mut fitted = fit_with(entries, budget, count);
    loop {
        let text = render(&fitted);
        let tokens = if text.len() <= budget {
            text.len()
        } else {
            count_text(&text, &fitted)
        };
        if tokens <= budget || fitted.included.is_empty() {
            fitted.tokens = tokens;
            return (fitted, text);
        }
        if let Some(last) = fitted.included.pop() {
            fitted.left_out.push(last);
            fitted
                .left_out
                .sort_by_key(|e| order.get(&e.key).copied().unwrap_or(usize::MAX));
        }
    }
}

/// Tokens of all `entries` together, an upper bound when they are small: what a budget must
/// be to show them all.
pub fn total_tokens(entries: &[Entry]) -> usize {
    total_tokens_with(entries, &count_tokens)
}

/// [`total_tokens`], counting with `count`.
pub fn total_tokens_with(entries: &[Entry], count: &dyn Fn(&str) -> usize) -> usize {
    let bytes: usize = entries.iter().map(|e| e.text.len() + 1).sum();
    if bytes <= 8_000 {
        bytes
    } else {
        entries.iter().map(|e| count(&e.text) + 1).sum()
    }
}

/// What guidance is for, in a few words, for the header line: the path (or the first and how
/// many more) and the start of the task.
pub fn subject(paths: &[String], task: Option<&str>) -> String {
    let mut parts = Vec::new();
    match paths {
        [] => {}
        [one] => parts.push(one.clone()),
        [first, rest @ ..] => parts.push(format!("{first} and {} more", rest.len())),
    }
    if let Some(t) = task {
        let short: String = t.chars().take(60).collect();
        let more = if short.len() < t.len() { "…" } else { "" };
        parts.push(format!("the task \"{short}{more}\""));
    }
    parts.join(" and ")
}

/// The text an agent reads: a header line, the entries, and what was left out with the
/// command that shows it. `rest` is that command.
pub fn render_text(fitted: &Fitted, subject: &str, rest: &str) -> String {
    let mut out = String::new();
    let total = fitted.included.len() + fitted.left_out.len();
    if total == 0 {
        let _ = writeln!(out, "harness context: nothing applies to {subject}");
        return out;
    }
    let _ = writeln!(
        out,
        "harness context: {} of {total} for {subject}",
        fitted.included.len()
    );
    for entry in &fitted.included {
        out.push_str(&entry.text);
        if !entry.text.ends_with('\n') {
            out.push('\n');
        }
    }
    if !fitted.left_out.is_empty() {
        let names: Vec<String> = fitted
            .left_out
            .iter()
            .take(5)
            .map(|e| format!("{} {}", e.source.label(), e.title))
            .collect();
        let more = fitted.left_out.len().saturating_sub(names.len());
        let _ = write!(
            out,
            "left out {} over the {}-token budget: {}",
            fitted.left_out.len(),
            fitted.budget,
            names.join(", ")
        );
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        let _ = writeln!(out, "\nsee all: {rest}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, text: &str) -> Entry {
        Entry::for_test(key, text)
    }

    #[test]
    fn a_given_counter_counts_entries_only() {
        let long = "word ".repeat(100);
        let asked = std::cell::RefCell::new(Vec::new());
        let count = |text: &str| {
            asked.borrow_mut().push(text.to_owned());
            count_tokens(text)
        };
        let entries = vec![entry("a", &long), entry("b", &long)];
        let (fitted, text) = fit_text_with(
            entries,
            235,
            &|f| render_text(f, "src/a.ts", "harness context --path src/a.ts"),
            &count,
        );
        // Both entries fit the budget, but not with the header: one is left out.
        assert_eq!(fitted.included.len(), 1);
        assert!(fitted.tokens <= 235, "{}", fitted.tokens);
        assert!(text.starts_with("harness context: 1 of 2 for src/a.ts"));
        assert!(
            asked.borrow().iter().all(|t| *t == long),
            "{:?}",
            asked.borrow()
        );
    }

    #[test]
    fn everything_fits_without_counting() {
        let f = fit(vec![entry("a", "short"), entry("b", "also short")], 1000);
        assert_eq!(f.included.len(), 2);
        assert!(f.left_out.is_empty());
    }

    #[test]
    fn entries_over_the_budget_are_left_out_in_order() {
        let long = "word ".repeat(100);
        let f = fit(
            vec![entry("a", &long), entry("b", &long), entry("c", "tail")],
            150,
        );
        let kept: Vec<&str> = f.included.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(kept, ["a", "c"]);
        assert_eq!(f.left_out[0].key, "b");
        assert!(f.tokens <= 150);
    }

    #[test]
    fn the_text_names_what_was_left_out_and_how_to_see_it() {
        let long = "word ".repeat(100);
        let f = fit(vec![entry("a", &long), entry("b", &long)], 150);
        let text = render_text(
            &f,
            "src/a.ts",
            "harness context --path src/a.ts --budget 4000",
        );
        assert!(
            text.starts_with("harness context: 1 of 2 for src/a.ts\n"),
            "{text}"
        );
        assert!(
            text.contains("left out 1 over the 150-token budget: rule b\n"),
            "{text}"
        );
        assert!(text.ends_with("see all: harness context --path src/a.ts --budget 4000\n"));
    }
}
