//! Inline suppressions: `harness-ignore: <rule-id> -- <reason>` in a comment on the line or the
//! line above, and `harness-ignore-file: <rule-id> -- <reason>` for the whole file.

use serde::{Deserialize, Serialize};

use crate::text::{CommentSyntax, comment_syntax, to_u32};

const MARKER: &str = "harness-ignore";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Line of the comment.
    pub line: u32,
    pub column: u32,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// Lines it covers; empty for a whole-file suppression.
    pub covers: Vec<u32>,
    pub whole_file: bool,
    /// The comment's text, for fingerprints.
    pub text: String,
}

impl Suppression {
    pub fn applies(&self, rule: &str, line: u32) -> bool {
        self.reason.is_some()
            && self.rules.iter().any(|r| r == rule)
            && (self.whole_file || self.covers.contains(&line))
    }
}

/// Finds every suppression comment in `text`.
pub fn parse(path: &str, text: &str) -> Vec<Suppression> {
    if memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_none() {
        return Vec::new();
    }
    let syntax = comment_syntax(path);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let Some(opener) = comment_start(line, at, syntax) else {
            continue;
        };
        if inside_string(&line[..opener], syntax) {
            continue;
        }
        // The marker opens its comment (`// harness-ignore: ...`); prose that mentions it
        // further into a comment is not a suppression.
        let between = &line[opener..at];
        if !between
            .trim_start_matches(|c: char| "/#*!-<;".contains(c))
            .trim()
            .is_empty()
        {
            continue;
        }
        let rest = &line[at + MARKER.len()..];
        let (whole_file, rest) = match rest.strip_prefix("-file") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let Some(rest) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        let rest = syntax
            .block
            .and_then(|(_, close)| rest.find(close).map(|c| &rest[..c]))
            .unwrap_or(rest);
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => (ids, Some(reason.trim()).filter(|r| !r.is_empty())),
            None => (rest, None),
        };
        if ids.split([',', ' ']).any(|t| {
            !t.is_empty()
                && !t
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c))
        }) {
            // `harness-ignore: <rule-id>` in documentation, not a suppression.
            continue;
        }
        let rules: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let line_no = to_u32(i + 1);
        let code_before = !line[..opener].trim().is_empty();
        let covers = if whole_file {
            Vec::new()
        } else if code_before {
            vec![line_no]
        } else {
            // A comment on its own line covers itself and the next line.
            vec![line_no, line_no + 1]
        };
        out.push(Suppression {
            line: line_no,
            column: to_u32(line[..at].chars().count() + 1),
            rules,
            reason: reason.map(str::to_owned),
            covers,
            whole_file,
            text: line.trim().to_owned(),
        });
    }
    out
}

/// Byte offset of the comment opener that starts before `at` on this line, if the marker is in
/// a comment.
fn comment_start(line: &str, at: usize, syntax: CommentSyntax) -> Option<usize> {
    let before = &line[..at];
    let mut best: Option<usize> = None;
    for opener in syntax
        .line
        .iter()
        .copied()
        .chain(syntax.block.map(|(o, _)| o))
    {
        if let Some(i) = before.rfind(opener) {
            best = Some(best.map_or(i, |b: usize| b.min(i)));
        }
    }
    // Inside a block comment that started on an earlier line: accept a line starting with `*`.
    if best.is_none() && syntax.block.is_some() && before.trim_start().starts_with('*') {
        return Some(0);
    }
    best
}

/// True when `before` leaves a string literal open, so what follows is string content.
fn inside_string(before: &str, syntax: CommentSyntax) -> bool {
    let quotes: &[char] = if syntax.line.contains(&"#") {
        &['"', '\'']
    } else {
        &['"']
    };
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in before.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match (c, open) {
            ('\\', Some(_)) => escaped = true,
            (q, None) if quotes.contains(&q) => open = Some(q),
            (q, Some(o)) if q == o => open = None,
            _ => {}
        }
    }
    open.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_line_and_file_suppressions() {
        let text = "// harness-ignore: a, b -- legacy\nx();\ny(); // harness-ignore: c\n/* harness-ignore-file: d -- generated */\n";
        let s = parse("f.ts", text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].rules, ["a", "b"]);
        assert_eq!(s[0].covers, [1, 2]);
        assert_eq!(s[0].reason.as_deref(), Some("legacy"));
        assert_eq!(s[1].covers, [3]);
        assert_eq!(s[1].reason, None);
        assert!(s[2].whole_file);
        assert_eq!(s[2].reason.as_deref(), Some("generated"));
    }

    #[test]
    fn ignores_prose_and_placeholders() {
        assert!(
            parse(
                "f.rs",
                "//! Write `harness-ignore: a -- b` to silence a rule\n"
            )
            .is_empty()
        );
        assert!(parse("f.rs", "// harness-ignore: <rule-id> -- <reason>\n").is_empty());
        assert!(parse("f.md", "// harness-ignore: a -- b\n").is_empty());
        assert!(parse("f.rs", "let s = \"// harness-ignore: a -- b\";\n").is_empty());
        assert_eq!(parse("f.md", "<!-- harness-ignore: a -- b -->\n").len(), 1);
    }

    #[test]
    fn ignores_marker_outside_comments() {
        assert!(parse("f.py", "x = 'harness-ignore: a -- b'\n").is_empty());
        assert_eq!(parse("f.py", "x = 1  # harness-ignore: a -- b\n").len(), 1);
    }
}
