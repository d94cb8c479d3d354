//! Tokens, positions and byte-level helpers shared by the language scanners.

use memchr::{memchr, memchr_iter, memchr2, memchr3, memmem};

use super::ImportLanguage;

/// Turns byte offsets into 1-based (line, char column); cheap for non-decreasing offsets.
pub(super) struct Locator<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    pub(super) line: u32,
    pub(super) col: u32,
}

impl<'a> Locator<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Locator {
            src,
            pos: 0,
            line: 1,
            col: 1,
        }
    }

    pub(super) fn locate(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        if offset < self.pos {
            *self = Locator::new(self.src);
        }
        let seg = &self.src.as_bytes()[self.pos..offset];
        let mut newlines = 0usize;
        let mut last = None;
        for k in memchr_iter(b'\n', seg) {
            newlines += 1;
            last = Some(k);
        }
        let count = |s: &str| u32::try_from(s.chars().count()).unwrap_or(u32::MAX);
        if let Some(k) = last {
            let added = u32::try_from(newlines).unwrap_or(u32::MAX);
            self.line = self.line.saturating_add(added);
            let line_start = self.pos + k + 1;
            self.col = count(self.src.get(line_start..offset).unwrap_or("")).saturating_add(1);
        } else {
            let piece = self.src.get(self.pos..offset).unwrap_or("");
            self.col = self.col.saturating_add(count(piece));
        }
        self.pos = offset;
        (self.line, self.col)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Identifier, keyword or number.
    Word,
    /// One ASCII punctuation byte, or `::` in Rust.
    Punct,
    /// A string literal that may be a specifier; `start..end` is its content without quotes.
    Str,
    /// Any other literal: regex, template with substitutions, char, prefixed or raw string.
    Opaque,
    /// Python: end of a logical line (only emitted outside brackets).
    Newline,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Tok {
    pub(super) fn new(kind: Kind, start: usize, end: usize) -> Self {
        Tok { kind, start, end }
    }
}

/// Tokens plus the text they point into. Every `start`/`end` is a char boundary: tokens
/// only begin and end next to ASCII bytes or at the ends of the text.
pub(super) struct Stream<'a> {
    pub(super) src: &'a str,
    pub(super) toks: Vec<Tok>,
}

impl<'a> Stream<'a> {
    pub(super) fn new(src: &'a str, toks: Vec<Tok>) -> Self {
        Stream { src, toks }
    }

    pub(super) fn text(&self, t: Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    pub(super) fn word(&self, i: usize) -> Option<&'a str> {
        let t = *self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| self.text(t))
    }

    pub(super) fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    pub(super) fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|&t| t.kind == Kind::Punct && self.text(t) == p)
    }

    pub(super) fn string(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied().filter(|t| t.kind == Kind::Str)
    }

    pub(super) fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// Record the string token's content as a specifier.
    pub(super) fn push_str(&self, t: Tok, out: &mut Vec<(String, usize)>) {
        out.push((self.text(t).to_owned(), t.start));
    }
}

/// Cheap pre-filter: a file without the keywords cannot import anything.
pub(super) fn might_import(language: ImportLanguage, text: &str) -> bool {
    let has = |needle: &str| memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    match language {
        ImportLanguage::JsTs => has("import") || has("require") || has("export"),
        ImportLanguage::Rust => has("use") || has("extern"),
        ImportLanguage::Python | ImportLanguage::Go => has("import"),
    }
}

pub(super) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// End of the identifier run starting at `i` (`$` counts when `dollar`).
pub(super) fn word_end(b: &[u8], mut i: usize, dollar: bool) -> usize {
    while i < b.len() && (is_ident_byte(b[i]) || (dollar && b[i] == b'$')) {
        i += 1;
    }
    i
}

/// Position of the next `\n` at or after `from`, or the end of the text.
pub(super) fn line_end(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    memchr(b'\n', &b[from..]).map_or(b.len(), |k| from + k)
}

/// Position just after the `*/` closing a (non-nesting) block comment whose body starts at `from`.
pub(super) fn block_comment_end(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    memmem::find(&b[from..], b"*/").map_or(b.len(), |k| from + k + 2)
}

/// Skip a leading `#!` line.
pub(super) fn skip_shebang(b: &[u8]) -> usize {
    if b.starts_with(b"#!") && !b.starts_with(b"#![") {
        line_end(b, 0)
    } else {
        0
    }
}

/// Scan a quoted string whose content starts at `from`. Returns `(content_end, next)`.
/// Backslash escapes the next byte (a backslash-CRLF pair is skipped whole). Unless
/// `multiline`, an unescaped newline ends the (unterminated) string and is left for the caller.
pub(super) fn scan_quoted(b: &[u8], from: usize, quote: u8, multiline: bool) -> (usize, usize) {
    let len = b.len();
    let mut i = from.min(len);
    loop {
        let rest = &b[i..];
        let hit = if multiline {
            memchr2(quote, b'\\', rest)
        } else {
            memchr3(quote, b'\\', b'\n', rest)
        };
        let Some(k) = hit else {
            return (len, len);
        };
        let j = i + k;
        if b[j] == b'\\' {
            let skip = if b.get(j + 1) == Some(&b'\r') && b.get(j + 2) == Some(&b'\n') {
                3
            } else {
                2
            };
            i = (j + skip).min(len);
        } else if b[j] == b'\n' {
            return (j, j);
        } else {
            return (j, j + 1);
        }
    }
}
