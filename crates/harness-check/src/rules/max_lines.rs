//! `max-lines`: a file over its line budget.

use harness_core::rule::MaxLinesSpec;

use crate::text::{code_lines, comment_syntax, to_u32};

/// `Some((counted, first_line_over))` when the file is over budget.
pub fn check(spec: &MaxLinesSpec, path: &str, text: &str) -> Option<(u32, u32)> {
    let counted = if spec.code_only {
        code_lines(text, comment_syntax(path))
    } else {
        let n = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let unterminated = usize::from(!text.is_empty() && !text.ends_with('\n'));
        to_u32(n + unterminated)
    };
    (counted > spec.max).then(|| (counted, spec.max.saturating_add(1).min(counted)))
}

pub fn message(base: &str, spec: &MaxLinesSpec, counted: u32) -> String {
    let what = if spec.code_only {
        "code lines"
    } else {
        "lines"
    };
    format!("{base} ({counted} {what}, budget {})", spec.max)
}
