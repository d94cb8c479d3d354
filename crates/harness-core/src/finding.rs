use serde::{Deserialize, Serialize};

use crate::Priority;

/// One result of any stage: a rule that fired, a suppression that went unused, a reviewer's remark.
///
/// Paths are relative to the repository root with `/` separators; lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id (or persona name) that produced the finding.
    pub rule: String,
    pub priority: Priority,
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<String>,
    /// Stable across unrelated edits: see [`fingerprint`].
    pub fingerprint: String,
    /// The source text the finding points at (first line only, trimmed), for code frames.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub snippet: String,
}

/// A span inside a file, 1-based and inclusive of the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Span {
    pub fn line(line: u32) -> Self {
        Span {
            line,
            column: 1,
            end_line: line,
            end_column: 1,
        }
    }
}

impl Finding {
    /// Builds a finding; the fingerprint is filled in by [`assign_fingerprints`].
    pub fn new(rule: &str, priority: Priority, path: &str, span: Span, message: String) -> Self {
        Finding {
            rule: rule.to_owned(),
            priority,
            path: path.to_owned(),
            line: span.line,
            column: span.column,
            end_line: span.end_line,
            end_column: span.end_column,
            message,
            fix: None,
            runbook: None,
            fingerprint: String::new(),
            snippet: String::new(),
        }
    }

    /// Sort key: most severe first, then by place.
    pub fn sort_key(&self) -> (crate::Priority, &str, u32, u32, &str) {
        (
            self.priority,
            &self.path,
            self.line,
            self.column,
            &self.rule,
        )
    }
}

/// Hash of what a finding is about, independent of its line number, so a finding keeps its
/// fingerprint when code above it moves. Identical snippets in one file are told apart by
/// their order (`occurrence`).
pub fn fingerprint(rule: &str, path: &str, snippet: &str, occurrence: u32) -> String {
    let normalized: String = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut data = Vec::with_capacity(rule.len() + path.len() + normalized.len() + 8);
    for part in [rule.as_bytes(), path.as_bytes(), normalized.as_bytes()] {
        data.extend_from_slice(part);
        data.push(0);
    }
    data.extend_from_slice(&occurrence.to_le_bytes());
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&data))
}

/// Gives every finding its fingerprint. Findings must be sorted by place first so the
/// occurrence index is stable.
pub fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen: std::collections::HashMap<(&str, &str, &str), u32> =
        std::collections::HashMap::with_capacity(findings.len());
    let prints: Vec<String> = findings
        .iter()
        .map(|f| {
            let n = seen.entry((&f.rule, &f.path, &f.snippet)).or_insert(0);
            let print = fingerprint(&f.rule, &f.path, &f.snippet, *n);
            *n += 1;
            print
        })
        .collect();
    for (f, print) in findings.iter_mut().zip(prints) {
        f.fingerprint = print;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_whitespace_and_line() {
        let a = fingerprint("r", "a.ts", "let  x = 1;", 0);
        let b = fingerprint("r", "a.ts", "let x = 1;", 0);
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("r", "a.ts", "let x = 1;", 1));
        assert_ne!(a, fingerprint("other", "a.ts", "let x = 1;", 0));
    }
}
