//! Edits of JSON and JSONC text that touch only the bytes they change.
//!
//! The parser gives each value its byte range; an edit inserts or deletes text at those ranges
//! and leaves every other byte (formatting, key order, comments) as it was. Removing an item is
//! the exact inverse of appending it, which is what makes install followed by uninstall give
//! the original file back.

use jsonc_parser::ast::{Array, Object, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};
use serde_json::Value;

use super::InstallError;

/// Parses `text` strictly: JSON, plus comments when `comments` is set (JSONC).
pub fn parse(text: &str, comments: bool) -> Result<Option<Ast<'_>>, InstallError> {
    let options = ParseOptions {
        allow_comments: comments,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(result) => Ok(result.value),
        Err(e) => {
            let kind = e.kind().to_string();
            let mut chars = kind.chars();
            let message = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default();
            Err(InstallError::Syntax {
                line: e.line_display(),
                column: e.column_display(),
                message,
            })
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The value of a parsed node, for comparing with what harness would write.
pub fn to_value(node: &Ast<'_>) -> Value {
    match node {
        Ast::StringLit(s) => Value::String(s.value.to_string()),
        Ast::NumberLit(n) => serde_json::from_str(n.value).unwrap_or(Value::Null),
        Ast::BooleanLit(b) => Value::Bool(b.value),
        Ast::Object(o) => Value::Object(
            o.properties
                .iter()
                .map(|p| (p.name.as_str().to_owned(), to_value(&p.value)))
                .collect(),
        ),
        Ast::Array(a) => Value::Array(a.elements.iter().map(to_value).collect()),
        Ast::NullKeyword(_) => Value::Null,
    }
}

/// How the file is formatted, so that new text looks like the old.
pub struct Style {
    unit: String,
    newline: &'static str,
    /// `"a": 1, "b"` rather than `"a":1,"b"` when writing on one line.
    spaced: bool,
    /// The whole document is on one line: new text goes on one line too.
    one_line: bool,
}

impl Style {
    pub fn detect(text: &str, root: &Object<'_>) -> Style {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let range = root.range;
        let one_line = !root.properties.is_empty() && !text[range.start..range.end].contains('\n');
        let mut unit = String::from("  ");
        let mut spaced = true;
        if let Some(first) = root.properties.first() {
            if starts_line(text, first.range.start) {
                let outer = line_indent(text, range.start);
                let inner = line_indent(text, first.range.start);
                if let Some(u) = inner.strip_prefix(outer).filter(|u| !u.is_empty()) {
                    u.clone_into(&mut unit);
                }
            }
            let between = &text[first.name.range().end..first.value.range().start];
            spaced = between.ends_with(' ') || between.ends_with('\t');
        }
        Style {
            unit,
            newline,
            spaced,
            one_line,
        }
    }

    /// `value` as text at `layout`.
    pub fn render(&self, value: &Value, layout: &Layout) -> String {
        let mut out = String::new();
        self.write(value, layout, &mut out);
        out
    }

    /// `"key": value` as text at `layout`.
    pub fn render_member(&self, key: &str, value: &Value, layout: &Layout) -> String {
        let mut out = json_string(key);
        out.push_str(if self.spaced || matches!(layout, Layout::Pretty(_)) {
            ": "
        } else {
            ":"
        });
        self.write(value, layout, &mut out);
        out
    }

    fn write(&self, value: &Value, layout: &Layout, out: &mut String) {
        let (open, close, items): (char, char, Vec<(Option<&str>, &Value)>) = match value {
            Value::Object(map) if !map.is_empty() => (
                '{',
                '}',
                map.iter().map(|(k, v)| (Some(k.as_str()), v)).collect(),
            ),
            Value::Array(list) if !list.is_empty() => {
                ('[', ']', list.iter().map(|v| (None, v)).collect())
            }
            scalar => {
                out.push_str(&scalar.to_string());
                return;
            }
        };
        out.push(open);
        let inner = match layout {
            Layout::Pretty(indent) => Layout::Pretty(format!("{indent}{}", self.unit)),
            Layout::OneLine => Layout::OneLine,
        };
        for (i, (key, item)) in items.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match &inner {
                Layout::Pretty(indent) => {
                    out.push_str(self.newline);
                    out.push_str(indent);
                }
                Layout::OneLine if i > 0 && self.spaced => out.push(' '),
                Layout::OneLine => {}
            }
            match key {
                Some(k) => out.push_str(&self.render_member(k, item, &inner)),
                None => self.write(item, &inner, out),
            }
        }
        if let Layout::Pretty(indent) = layout {
            out.push_str(self.newline);
            out.push_str(indent);
        }
        out.push(close);
    }
}

/// Where new text goes: on one line, or on lines indented by the given prefix.
pub enum Layout {
    OneLine,
    Pretty(String),
}

/// Replace `text[start..end]` with `with`.
#[derive(Debug)]
pub struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// `text` with `edits` applied; they must not overlap.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(e.start..e.end, &e.with);
    }
    out
}

/// An object's or array's brackets and the ranges of its items (members or elements).
pub struct Container {
    open: usize,
    close: usize,
    items: Vec<(usize, usize)>,
}

impl From<&Object<'_>> for Container {
    fn from(o: &Object<'_>) -> Self {
        Container {
            open: o.range.start,
            close: o.range.end - 1,
            items: o
                .properties
                .iter()
                .map(|p| (p.range.start, p.range.end))
                .collect(),
        }
    }
}

impl From<&Array<'_>> for Container {
    fn from(a: &Array<'_>) -> Self {
        Container {
            open: a.range.start,
            close: a.range.end - 1,
            items: a
                .elements
                .iter()
                .map(|v| (v.range().start, v.range().end))
                .collect(),
        }
    }
}

impl Container {
    /// Adds an item after the last one; `render` writes it at the layout chosen here.
    pub fn append(
        &self,
        text: &str,
        style: &Style,
        render: &dyn Fn(&Layout) -> String,
    ) -> Vec<Edit> {
        let Some(&(last_start, last_end)) = self.items.last() else {
            let inner = &text[self.open + 1..self.close];
            if style.one_line {
                return vec![insert(self.open + 1, render(&Layout::OneLine))];
            }
            let indent = line_indent(text, self.open);
            let child = format!("{indent}{}", style.unit);
            let item = render(&Layout::Pretty(child.clone()));
            let nl = style.newline;
            if inner.trim().is_empty() {
                return vec![Edit {
                    start: self.open + 1,
                    end: self.close,
                    with: format!("{nl}{child}{item}{nl}{indent}"),
                }];
            }
            // Keep comments inside an otherwise empty container, after the new item.
            return vec![insert(self.open + 1, format!("{nl}{child}{item}"))];
        };
        let indent = line_indent(text, last_start).to_owned();
        let (sep, layout) = if starts_line(text, last_start) {
            (format!("{}{indent}", style.newline), Layout::Pretty(indent))
        } else if text[self.open..self.close].contains('\n') {
            (self.one_line_sep(text, style), Layout::Pretty(indent))
        } else {
            (self.one_line_sep(text, style), Layout::OneLine)
        };
        let item = render(&layout);
        match same_line_comment_end(text, last_end) {
            // `"a": 1 // note` keeps its note: the comma goes after the value, the item after it.
            Some(end) => vec![
                insert(last_end, ",".into()),
                insert(end, format!("{sep}{item}")),
            ],
            None => vec![insert(last_end, format!(",{sep}{item}"))],
        }
    }

    /// Removes item `k`, with the separator `append` would have added for it.
    pub fn remove(&self, text: &str, k: usize) -> Vec<Edit> {
        let (start, end) = self.items[k];
        if self.items.len() == 1 {
            let before = &text[self.open + 1..start];
            let after = &text[end..self.close];
            return match (before.trim().is_empty(), after.trim().is_empty()) {
                (true, true) => vec![delete(self.open + 1, self.close)],
                (true, false) => vec![delete(self.open + 1, end)],
                _ => vec![delete(start, end)],
            };
        }
        let prev = (k > 0).then(|| self.items[k - 1].1);
        let before = prev.map(|p| (p, scan_gap(&text[p..start])));
        let last = k + 1 == self.items.len();
        match before {
            // The exact inverse of `append`.
            Some((p, gap)) if gap.comments.is_empty() => vec![delete(p, end)],
            Some((p, gap)) if last => {
                let comma = p + gap.comma.unwrap_or_default();
                match gap.comments.iter().rev().find(|c| p + c.0 > comma) {
                    // The inverse of `append` after a same-line comment.
                    Some(&(_, comment_end)) => {
                        vec![delete(comma, comma + 1), delete(p + comment_end, end)]
                    }
                    None => vec![delete(comma, end)],
                }
            }
            // First, or after comments: the item and the comma after it go.
            _ => {
                let next = self.items[k + 1].0;
                let gap = scan_gap(&text[end..next]);
                match (gap.comments.is_empty(), gap.comma) {
                    (false, Some(c)) => vec![delete(start, end + c + 1)],
                    _ => vec![delete(start, next)],
                }
            }
        }
    }

    /// Replaces item `k` with `render`'s text, at the layout of the item it replaces.
    pub fn replace(&self, text: &str, k: usize, render: &dyn Fn(&Layout) -> String) -> Vec<Edit> {
        let (start, end) = self.items[k];
        let layout = if text[self.open..self.close].contains('\n') {
            Layout::Pretty(line_indent(text, start).to_owned())
        } else {
            Layout::OneLine
        };
        vec![Edit {
            start,
            end,
            with: render(&layout),
        }]
    }

    /// The separator between items of a container on one line: as between its last two items.
    fn one_line_sep(&self, text: &str, style: &Style) -> String {
        if let [.., (_, a), (b, _)] = self.items[..] {
            let gap = &text[a..b];
            if let Some(after) = gap.trim_start().strip_prefix(',')
                && after.chars().all(|c| c == ' ' || c == '\t')
            {
                return after.to_owned();
            }
        }
        if style.spaced {
            " ".into()
        } else {
            String::new()
        }
    }
}

fn insert(at: usize, with: String) -> Edit {
    Edit {
        start: at,
        end: at,
        with,
    }
}

fn delete(start: usize, end: usize) -> Edit {
    Edit {
        start,
        end,
        with: String::new(),
    }
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

/// The spaces and tabs that start the line holding `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..len]
}

/// Whether only spaces and tabs stand before `pos` on its line.
fn starts_line(text: &str, pos: usize) -> bool {
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    text[start..pos].chars().all(|c| c == ' ' || c == '\t')
}

/// Where the comments that follow `pos` on its line end, when only comments follow it there.
fn same_line_comment_end(text: &str, pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = pos;
    let mut end = None;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'\r' | b'\n' => break,
            b'/' if bytes[i + 1..].starts_with(b"/") => {
                let line = text[i..].find(['\r', '\n']).map_or(text.len(), |e| i + e);
                return Some(line);
            }
            b'/' if bytes[i + 1..].starts_with(b"*") => {
                let close = text[i + 2..].find("*/").map(|e| i + 2 + e + 2)?;
                if text[i..close].contains('\n') {
                    return None;
                }
                end = Some(close);
                i = close;
            }
            _ => return None,
        }
    }
    end
}

/// What lies between two items: whitespace, at most one comma, comments.
struct Gap {
    comma: Option<usize>,
    comments: Vec<(usize, usize)>,
}

/// `gap` is text the parser skipped between two tokens: whitespace, commas and comments.
fn scan_gap(gap: &str) -> Gap {
    let bytes = gap.as_bytes();
    let mut out = Gap {
        comma: None,
        comments: Vec::new(),
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"//") {
            let end = gap[i..].find(['\r', '\n']).map_or(gap.len(), |e| i + e);
            out.comments.push((i, end));
            i = end;
        } else if bytes[i..].starts_with(b"/*") {
            let end = gap[i + 2..].find("*/").map_or(gap.len(), |e| i + 2 + e + 2);
            out.comments.push((i, end));
            i = end;
        } else {
            if bytes[i] == b',' && out.comma.is_none() {
                out.comma = Some(i);
            }
            i += 1;
        }
    }
    out
}
