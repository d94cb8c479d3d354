//! `regex`: a pattern searched over the whole file; without `multiline`, a match stays in its line.

use harness_core::Span;
use harness_core::rule::RegexMatcher;

use crate::text::LineIndex;

/// Every match as a span and the text of its first line.
pub fn check(m: &RegexMatcher, text: &str, index: &LineIndex) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    for found in m.regex.find_iter(text) {
        if !m.multiline && found.as_str().contains('\n') {
            // The pattern crossed a line end; search the lines it covers one by one instead.
            let (first, _) = index.position(text, found.start());
            let (last, _) = index.position(text, found.end());
            for line in first..=last {
                let line_text = index.line_text(text, line);
                if let Some(inner) = m.regex.find(line_text) {
                    let col = line_text[..inner.start()].chars().count();
                    let end_col = line_text[..inner.end()].chars().count();
                    let span = Span {
                        line,
                        column: crate::text::to_u32(col + 1),
                        end_line: line,
                        end_column: crate::text::to_u32(end_col + 1),
                    };
                    if !out.iter().any(|(s, _): &(Span, String)| *s == span) {
                        out.push((span, line_text.trim().to_owned()));
                    }
                }
            }
            continue;
        }
        let (line, column) = index.position(text, found.start());
        let (end_line, end_column) = index.position(text, found.end());
        out.push((
            Span {
                line,
                column,
                end_line,
                end_column,
            },
            index.line_text(text, line).trim().to_owned(),
        ));
    }
    out
}
