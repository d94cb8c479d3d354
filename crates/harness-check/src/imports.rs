//! Language-aware extraction of import specifiers, for the `forbid-import` rule kind.
//!
//! Design: a small hand-written O(n) lexer per language turns the text into tokens,
//! dropping comments and reducing every string literal to one opaque token (so an
//! `import` that only appears inside a comment or a string never counts); then a
//! per-language scanner walks the tokens looking for the import forms. No parser.

use memchr::{memchr, memchr_iter, memchr2, memchr3, memmem};

/// Source languages whose imports are understood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportLanguage {
    /// JavaScript and TypeScript, including JSX and TSX.
    JsTs,
    /// Rust.
    Rust,
    /// Python.
    Python,
    /// Go.
    Go,
}

impl ImportLanguage {
    /// Guess from a repository-relative path's extension: .ts .tsx .mts .cts .js .jsx .mjs .cjs -> `JsTs`,
    /// .rs -> `Rust`, .py .pyi -> `Python`, .go -> `Go`.
    #[must_use]
    pub fn from_path(path: &str) -> Option<ImportLanguage> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        let is = |e: &str| ext.eq_ignore_ascii_case(e);
        if ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"]
            .iter()
            .any(|e| is(e))
        {
            Some(ImportLanguage::JsTs)
        } else if is("rs") {
            Some(ImportLanguage::Rust)
        } else if is("py") || is("pyi") {
            Some(ImportLanguage::Python)
        } else if is("go") {
            Some(ImportLanguage::Go)
        } else {
            None
        }
    }
}

/// One import as written in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module specifier as written: `../db/client`, `pg`, `crate::db::pool`, `app.db.models`, `.models`, `github.com/acme/x/db`.
    pub specifier: String,
    /// 1-based line and column of the start of the specifier.
    ///
    /// Columns count `char`s. For a specifier assembled from several pieces (a Rust use tree
    /// `a::{b, c}`, or Python's `from . import x`) this is the start of its first piece.
    pub line: u32,
    /// 1-based column (in `char`s) of the start of the specifier.
    pub column: u32,
}

/// Extract the imports of `text`, in source order.
///
/// - `JsTs`: `import … from 'm'`, `import 'm'`, `export … from 'm'`, `require('m')`, `import('m')`.
/// - `Rust`: `use` trees expanded to full paths (`use a::{b, c::d}` -> `a::b`, `a::c::d`;
///   globs report their module, `a::*` -> `a`; `a::{self}` -> `a`), and `extern crate foo`.
/// - `Python`: `import a.b`, `from a.b import c` -> `a.b`, `from . import x` -> `.x`.
/// - `Go`: `import "x"` and grouped `import ( … )`.
#[must_use]
pub fn extract(language: ImportLanguage, text: &str) -> Vec<Import> {
    if !might_import(language, text) {
        return Vec::new();
    }
    let mut raw = Vec::new();
    match language {
        ImportLanguage::JsTs => scan_js(&Stream::new(text, lex_js(text)), &mut raw),
        ImportLanguage::Rust => scan_rust(&Stream::new(text, lex_rust(text)), &mut raw),
        ImportLanguage::Python => scan_python(&Stream::new(text, lex_python(text)), &mut raw),
        ImportLanguage::Go => scan_go(&Stream::new(text, lex_go(text)), &mut raw),
    }
    let mut locator = Locator::new(text);
    raw.into_iter()
        .filter(|(spec, _)| !spec.is_empty())
        .map(|(specifier, offset)| {
            let (line, column) = locator.locate(offset);
            Import {
                specifier,
                line,
                column,
            }
        })
        .collect()
}

/// Resolve a relative specifier against the importing file (both repository-relative, `/`-separated), returning the repository path it names (no extension added), or None for a non-relative specifier.
///
/// - `JsTs` and `Go`: `./x`, `../x` (and `.`, `..`) relative to the importer's directory.
/// - `Python`: leading dots (`.models` = same package, `..db` = parent package), dotted rest
///   joined with `/`: importer `app/api/views.py`, `..db.models` -> `app/db/models`.
/// - `Rust`: `self::x` and `super::x` relative to the module's directory (`src/ui/widget.rs`
///   is the module directory `src/ui/widget`; `mod.rs`, `lib.rs` and `main.rs` name their own
///   directory); trailing item names stay as path components. `crate::`, `::x` and external
///   crates are not resolved.
///
/// Paths that climb above the repository root give `None`; the root itself is `""`.
#[must_use]
pub fn resolve(language: ImportLanguage, importer: &str, specifier: &str) -> Option<String> {
    match language {
        ImportLanguage::JsTs | ImportLanguage::Go => {
            let relative = specifier == "."
                || specifier == ".."
                || specifier.starts_with("./")
                || specifier.starts_with("../");
            if !relative {
                return None;
            }
            let mut segs = dir_segments(importer)?;
            push_segments(&mut segs, specifier.split('/'))?;
            Some(segs.join("/"))
        }
        ImportLanguage::Python => {
            let dots = specifier.bytes().take_while(|&b| b == b'.').count();
            if dots == 0 {
                return None;
            }
            let mut segs = dir_segments(importer)?;
            for _ in 1..dots {
                segs.pop()?;
            }
            push_segments(&mut segs, specifier[dots..].split('.'))?;
            Some(segs.join("/"))
        }
        ImportLanguage::Rust => {
            let parts: Vec<&str> = specifier.split("::").collect();
            let mut segs = normalized(importer)?;
            let file = segs.pop()?;
            let stem = file.strip_suffix(".rs").unwrap_or(file);
            if !matches!(stem, "mod" | "lib" | "main") {
                segs.push(stem);
            }
            let mut idx = 0;
            if parts.first() == Some(&"self") {
                idx = 1;
            }
            while parts.get(idx) == Some(&"super") {
                segs.pop()?;
                idx += 1;
            }
            if idx == 0 {
                return None;
            }
            push_segments(&mut segs, parts[idx..].iter().copied())?;
            Some(segs.join("/"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Paths

/// The `/`-separated components of a repository path, with `.` removed and `..` applied.
fn normalized(path: &str) -> Option<Vec<&str>> {
    let mut segs = Vec::new();
    push_segments(&mut segs, path.split('/'))?;
    Some(segs)
}

/// The components of the directory holding `path`.
fn dir_segments(path: &str) -> Option<Vec<&str>> {
    let mut segs = normalized(path)?;
    segs.pop();
    Some(segs)
}

/// Append components, skipping empty ones and `.`, applying `..`; `None` when climbing above the root.
fn push_segments<'a>(segs: &mut Vec<&'a str>, parts: impl Iterator<Item = &'a str>) -> Option<()> {
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            _ => segs.push(part),
        }
    }
    Some(())
}

// ---------------------------------------------------------------------------------------------
// Positions

/// Turns byte offsets into 1-based (line, char column); cheap for non-decreasing offsets.
struct Locator<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    col: u32,
}

impl<'a> Locator<'a> {
    fn new(src: &'a str) -> Self {
        Locator {
            src,
            pos: 0,
            line: 1,
            col: 1,
        }
    }

    fn locate(&mut self, offset: usize) -> (u32, u32) {
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

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
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
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Tok {
    fn new(kind: Kind, start: usize, end: usize) -> Self {
        Tok { kind, start, end }
    }
}

/// Tokens plus the text they point into. Every `start`/`end` is a char boundary: tokens
/// only begin and end next to ASCII bytes or at the ends of the text.
struct Stream<'a> {
    src: &'a str,
    toks: Vec<Tok>,
}

impl<'a> Stream<'a> {
    fn new(src: &'a str, toks: Vec<Tok>) -> Self {
        Stream { src, toks }
    }

    fn text(&self, t: Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        let t = *self.toks.get(i)?;
        (t.kind == Kind::Word).then(|| self.text(t))
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    fn is_punct(&self, i: usize, p: &str) -> bool {
        self.toks
            .get(i)
            .is_some_and(|&t| t.kind == Kind::Punct && self.text(t) == p)
    }

    fn string(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied().filter(|t| t.kind == Kind::Str)
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// Record the string token's content as a specifier.
    fn push_str(&self, t: Tok, out: &mut Vec<(String, usize)>) {
        out.push((self.text(t).to_owned(), t.start));
    }
}

/// Cheap pre-filter: a file without the keywords cannot import anything.
fn might_import(language: ImportLanguage, text: &str) -> bool {
    let has = |needle: &str| memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    match language {
        ImportLanguage::JsTs => has("import") || has("require") || has("export"),
        ImportLanguage::Rust => has("use") || has("extern"),
        ImportLanguage::Python | ImportLanguage::Go => has("import"),
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing helpers

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// End of the identifier run starting at `i` (`$` counts when `dollar`).
fn word_end(b: &[u8], mut i: usize, dollar: bool) -> usize {
    while i < b.len() && (is_ident_byte(b[i]) || (dollar && b[i] == b'$')) {
        i += 1;
    }
    i
}

/// Position of the next `\n` at or after `from`, or the end of the text.
fn line_end(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    memchr(b'\n', &b[from..]).map_or(b.len(), |k| from + k)
}

/// Position just after the `*/` closing a (non-nesting) block comment whose body starts at `from`.
fn block_comment_end(b: &[u8], from: usize) -> usize {
    let from = from.min(b.len());
    memmem::find(&b[from..], b"*/").map_or(b.len(), |k| from + k + 2)
}

/// Skip a leading `#!` line.
fn skip_shebang(b: &[u8]) -> usize {
    if b.starts_with(b"#!") && !b.starts_with(b"#![") {
        line_end(b, 0)
    } else {
        0
    }
}

/// Scan a quoted string whose content starts at `from`. Returns `(content_end, next)`.
/// Backslash escapes the next byte (a backslash-CRLF pair is skipped whole). Unless
/// `multiline`, an unescaped newline ends the (unterminated) string and is left for the caller.
fn scan_quoted(b: &[u8], from: usize, quote: u8, multiline: bool) -> (usize, usize) {
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

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript

fn lex_js(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let len = b.len();
    let mut toks = Vec::new();
    // One entry per open `{`: true when it opened a template substitution `${`.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = skip_shebang(b);
    while i < len {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if is_space(c) {
            i += 1;
        } else if c == b'/' && next == Some(b'/') {
            i = line_end(b, i);
        } else if c == b'/' && next == Some(b'*') {
            i = block_comment_end(b, i + 2);
        } else if c == b'/' && js_regex_allowed(src, &toks) {
            let end = scan_js_regex(b, i + 1);
            toks.push(Tok::new(Kind::Opaque, i, end));
            i = end;
        } else if c == b'\'' || c == b'"' {
            let (content_end, after) = scan_quoted(b, i + 1, c, false);
            toks.push(Tok::new(Kind::Str, i + 1, content_end));
            i = after;
        } else if c == b'`' {
            i = scan_js_template(b, i + 1, true, &mut toks, &mut braces);
        } else if c == b'{' {
            braces.push(false);
            toks.push(Tok::new(Kind::Punct, i, i + 1));
            i += 1;
        } else if c == b'}' {
            if braces.pop() == Some(true) {
                i = scan_js_template(b, i + 1, false, &mut toks, &mut braces);
            } else {
                toks.push(Tok::new(Kind::Punct, i, i + 1));
                i += 1;
            }
        } else if is_ident_byte(c) || c == b'$' {
            let end = word_end(b, i, true);
            toks.push(Tok::new(Kind::Word, i, end));
            i = end;
        } else {
            toks.push(Tok::new(Kind::Punct, i, i + 1));
            i += 1;
        }
    }
    toks
}

/// Scan template text from `from` (just after `` ` `` or the `}` closing a substitution) up to
/// the closing backtick or the next `${`. A whole template without substitutions becomes a
/// `Str` token; every other piece is `Opaque`. Returns the position to resume lexing.
fn scan_js_template(
    b: &[u8],
    from: usize,
    whole: bool,
    toks: &mut Vec<Tok>,
    braces: &mut Vec<bool>,
) -> usize {
    let len = b.len();
    let mut i = from.min(len);
    loop {
        let Some(k) = memchr3(b'`', b'\\', b'$', &b[i..]) else {
            toks.push(Tok::new(Kind::Opaque, from, len));
            return len;
        };
        let j = i + k;
        match b[j] {
            b'\\' => i = (j + 2).min(len),
            b'`' => {
                let kind = if whole { Kind::Str } else { Kind::Opaque };
                toks.push(Tok::new(kind, from, j));
                return j + 1;
            }
            _ if b.get(j + 1) == Some(&b'{') => {
                braces.push(true);
                toks.push(Tok::new(Kind::Opaque, from, j));
                return j + 2;
            }
            _ => i = j + 1,
        }
    }
}

/// Whether a `/` here starts a regular expression (rather than a division), judged by the previous token.
fn js_regex_allowed(src: &str, toks: &[Tok]) -> bool {
    let Some(t) = toks.last() else {
        return true;
    };
    let text = src.get(t.start..t.end).unwrap_or("");
    match t.kind {
        Kind::Word => matches!(
            text,
            "return"
                | "typeof"
                | "instanceof"
                | "in"
                | "of"
                | "new"
                | "delete"
                | "void"
                | "throw"
                | "case"
                | "do"
                | "else"
                | "yield"
                | "await"
        ),
        Kind::Str | Kind::Opaque => false,
        Kind::Punct => !matches!(text, ")" | "]" | "}"),
        Kind::Newline => true,
    }
}

/// Scan a regex literal body starting at `from` (after the opening `/`); returns the end
/// including flags. An unterminated regex ends at the newline.
fn scan_js_regex(b: &[u8], from: usize) -> usize {
    let len = b.len();
    let mut i = from;
    let mut in_class = false;
    while i < len {
        match b[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b'[' => {
                in_class = true;
                i += 1;
            }
            b']' => {
                in_class = false;
                i += 1;
            }
            b'/' if !in_class => return word_end(b, i + 1, true),
            _ => i += 1,
        }
    }
    len
}

fn scan_js(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
    for i in 0..s.toks.len() {
        let Some(w) = s.word(i) else { continue };
        if i > 0 && s.is_punct(i - 1, ".") {
            continue;
        }
        match w {
            "import" => {
                if s.is_punct(i + 1, "(") {
                    if let Some(t) = s.string(i + 2)
                        && (s.is_punct(i + 3, ")") || s.is_punct(i + 3, ","))
                    {
                        s.push_str(t, out);
                    }
                } else if let Some(t) = s.string(i + 1) {
                    s.push_str(t, out);
                } else if let Some(t) = js_from_clause(s, i + 1) {
                    s.push_str(t, out);
                }
            }
            "export" => {
                if let Some(t) = js_from_clause(s, i + 1) {
                    s.push_str(t, out);
                }
            }
            "require" => {
                if s.is_punct(i + 1, "(")
                    && let Some(t) = s.string(i + 2)
                    && s.is_punct(i + 3, ")")
                {
                    s.push_str(t, out);
                }
            }
            _ => {}
        }
    }
}

/// After `import` / `export`: scan an import/export clause (`x`, `type`, `* as ns`, `{ a, b as c }`,
/// commas) up to `from 'm'`, returning the string token. Anything else ends the search.
fn js_from_clause(s: &Stream<'_>, mut j: usize) -> Option<Tok> {
    let mut words = 0u32;
    loop {
        let t = *s.toks.get(j)?;
        let text = s.text(t);
        match t.kind {
            Kind::Word => {
                if text == "from"
                    && let Some(st) = s.string(j + 1)
                {
                    return Some(st);
                }
                if matches!(text, "import" | "export") {
                    return None;
                }
                words += 1;
                if words > 6 {
                    return None;
                }
            }
            Kind::Punct if text == "*" || text == "," => {}
            Kind::Punct if text == "{" => {
                j = js_skip_braces(s, j + 1)?;
                return if s.is_word(j, "from") {
                    s.string(j + 1)
                } else {
                    None
                };
            }
            _ => return None,
        }
        j += 1;
    }
}

/// Skip a `{ … }` list of names (words, strings, commas) starting after `{`; returns the index after `}`.
fn js_skip_braces(s: &Stream<'_>, mut j: usize) -> Option<usize> {
    loop {
        match s.kind(j)? {
            Kind::Word | Kind::Str => {}
            Kind::Punct if s.is_punct(j, ",") => {}
            Kind::Punct if s.is_punct(j, "}") => return Some(j + 1),
            _ => return None,
        }
        j += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Rust

fn lex_rust(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let len = b.len();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < len {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if is_space(c) {
            i += 1;
        } else if c == b'/' && next == Some(b'/') {
            i = line_end(b, i);
        } else if c == b'/' && next == Some(b'*') {
            i = rust_block_comment_end(b, i + 2);
        } else if c == b'"' {
            let (_, after) = scan_quoted(b, i + 1, b'"', true);
            toks.push(Tok::new(Kind::Opaque, i, after));
            i = after;
        } else if c == b'\'' {
            let end = rust_quote_end(src, i);
            let kind = if end == i + 1 {
                Kind::Punct
            } else {
                Kind::Opaque
            };
            toks.push(Tok::new(kind, i, end));
            i = end;
        } else if c == b':' && next == Some(b':') {
            toks.push(Tok::new(Kind::Punct, i, i + 2));
            i += 2;
        } else if is_ident_byte(c) {
            let end = word_end(b, i, false);
            let word = &b[i..end];
            let mut hashes = 0;
            while b.get(end + hashes) == Some(&b'#') {
                hashes += 1;
            }
            let quote_at = end + hashes;
            if matches!(word, b"r" | b"br" | b"cr") && b.get(quote_at) == Some(&b'"') {
                let after = rust_raw_string_end(b, quote_at + 1, hashes);
                toks.push(Tok::new(Kind::Opaque, i, after));
                i = after;
            } else if word == b"r"
                && hashes == 1
                && b.get(quote_at).is_some_and(|&x| is_ident_byte(x))
            {
                // Raw identifier `r#name`.
                let after = word_end(b, quote_at, false);
                toks.push(Tok::new(Kind::Word, i, after));
                i = after;
            } else {
                toks.push(Tok::new(Kind::Word, i, end));
                i = end;
            }
        } else {
            toks.push(Tok::new(Kind::Punct, i, i + 1));
            i += 1;
        }
    }
    toks
}

/// Position after the `*/` closing a nesting block comment whose body starts at `from`.
fn rust_block_comment_end(b: &[u8], from: usize) -> usize {
    let len = b.len();
    let mut depth = 1u32;
    let mut i = from.min(len);
    while let Some(k) = memchr2(b'/', b'*', &b[i..]) {
        let j = i + k;
        let next = b.get(j + 1).copied();
        if b[j] == b'/' && next == Some(b'*') {
            depth += 1;
            i = j + 2;
        } else if b[j] == b'*' && next == Some(b'/') {
            depth -= 1;
            i = j + 2;
            if depth == 0 {
                return i;
            }
        } else {
            i = j + 1;
        }
    }
    len
}

/// At a `'`: the end of a char literal, or `i + 1` when it is a lifetime or label.
fn rust_quote_end(src: &str, i: usize) -> usize {
    let b = src.as_bytes();
    let len = b.len();
    if b.get(i + 1) == Some(&b'\\') {
        // Escaped char literal: `'\''`, `'\n'`, `'\u{1F600}'`.
        let from = (i + 3).min(len);
        return match memchr2(b'\'', b'\n', &b[from..]) {
            Some(k) if b[from + k] == b'\'' => from + k + 1,
            Some(k) => from + k,
            None => len,
        };
    }
    let char_len = src
        .get(i + 1..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    if char_len > 0 && b.get(i + 1 + char_len) == Some(&b'\'') {
        i + 2 + char_len
    } else {
        i + 1
    }
}

/// Position after a raw string whose body starts at `from`, closed by `"` plus `hashes` `#`s.
fn rust_raw_string_end(b: &[u8], from: usize, hashes: usize) -> usize {
    let len = b.len();
    let mut i = from.min(len);
    while let Some(k) = memchr(b'"', &b[i..]) {
        let q = i + k;
        let closes = b
            .get(q + 1..q + 1 + hashes)
            .is_some_and(|tail| tail.iter().all(|&x| x == b'#'));
        if closes {
            return q + 1 + hashes;
        }
        i = q + 1;
    }
    len
}

fn scan_rust(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
    for i in 0..s.toks.len() {
        match s.word(i) {
            Some("use") => {
                let mut j = i + 1;
                // A malformed tree (macro fragments, `use<'a>` bounds) just stops early.
                let _ = rust_use_tree(s, &mut j, "", None, 0, out);
            }
            Some("extern") if s.is_word(i + 1, "crate") => {
                if let Some(t) = s.toks.get(i + 2).copied()
                    && t.kind == Kind::Word
                {
                    out.push((s.text(t).to_owned(), t.start));
                }
            }
            _ => {}
        }
    }
}

/// Append a path segment.
fn push_rust_segment(path: &mut String, seg: &str) {
    if !path.is_empty() && !path.ends_with("::") {
        path.push_str("::");
    }
    path.push_str(seg);
}

/// Record one expanded use path (a trailing `::self` names its module).
fn emit_rust_path(path: &str, start: usize, out: &mut Vec<(String, usize)>) {
    let path = match path.strip_suffix("::self") {
        Some(module) if !module.is_empty() && module != "::" => module,
        _ => path,
    };
    if !path.is_empty() && path != "::" {
        out.push((path.to_owned(), start));
    }
}

/// Parse one use tree at `*i`, expanding it under `prefix`; `start` is where the reported
/// specifier begins (inherited from the root of the tree). Returns false on malformed input.
fn rust_use_tree(
    s: &Stream<'_>,
    i: &mut usize,
    prefix: &str,
    start: Option<usize>,
    depth: u32,
    out: &mut Vec<(String, usize)>,
) -> bool {
    if depth > 32 {
        return false;
    }
    let Some(first) = s.toks.get(*i) else {
        return false;
    };
    let start = start.unwrap_or(first.start);
    let mut path = prefix.to_owned();
    if s.is_punct(*i, "::") {
        path.push_str("::");
        *i += 1;
    }
    loop {
        if let Some(w) = s.word(*i) {
            if w == "as" {
                return false;
            }
            push_rust_segment(&mut path, w);
            *i += 1;
            if s.is_punct(*i, "::") {
                *i += 1;
                continue;
            }
            break;
        }
        if s.is_punct(*i, "*") {
            *i += 1;
            emit_rust_path(&path, start, out);
            return true;
        }
        if !s.is_punct(*i, "{") {
            return false;
        }
        *i += 1;
        let child_start = if path.is_empty() { None } else { Some(start) };
        loop {
            if s.is_punct(*i, "}") {
                *i += 1;
                return true;
            }
            if !rust_use_tree(s, i, &path, child_start, depth + 1, out) {
                return false;
            }
            if s.is_punct(*i, ",") {
                *i += 1;
            } else if !s.is_punct(*i, "}") {
                return false;
            }
        }
    }
    if s.is_word(*i, "as") {
        if s.word(*i + 1).is_none() {
            return false;
        }
        *i += 2;
    }
    emit_rust_path(&path, start, out);
    true
}

// ---------------------------------------------------------------------------------------------
// Python

fn lex_python(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let len = b.len();
    let mut toks: Vec<Tok> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < len {
        let c = b[i];
        if c == b'\n' {
            if depth == 0 && toks.last().is_some_and(|t| t.kind != Kind::Newline) {
                toks.push(Tok::new(Kind::Newline, i, i + 1));
            }
            i += 1;
        } else if is_space(c) {
            i += 1;
        } else if c == b'#' {
            i = line_end(b, i);
        } else if c == b'\\' {
            // Line continuation (or a stray backslash).
            i += if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                3
            } else {
                2
            };
        } else if c == b'\'' || c == b'"' {
            let end = scan_python_string(b, i);
            toks.push(Tok::new(Kind::Opaque, i, end));
            i = end;
        } else if is_ident_byte(c) {
            let end = word_end(b, i, false);
            let is_prefix = end - i <= 2 && b[i..end].iter().all(|x| b"rRbBuUfFtT".contains(x));
            if is_prefix && matches!(b.get(end), Some(b'\'' | b'"')) {
                let after = scan_python_string(b, end);
                toks.push(Tok::new(Kind::Opaque, i, after));
                i = after;
            } else {
                toks.push(Tok::new(Kind::Word, i, end));
                i = end;
            }
        } else {
            match c {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            toks.push(Tok::new(Kind::Punct, i, i + 1));
            i += 1;
        }
    }
    toks
}

/// Position after the Python string literal whose opening quote is at `at`.
fn scan_python_string(b: &[u8], at: usize) -> usize {
    let len = b.len();
    let q = b[at];
    if b.get(at + 1) == Some(&q) && b.get(at + 2) == Some(&q) {
        let mut i = at + 3;
        while let Some(k) = memchr2(q, b'\\', b.get(i..).unwrap_or(&[])) {
            let j = i + k;
            if b[j] == b'\\' {
                i = (j + 2).min(len);
            } else if b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
                return j + 3;
            } else {
                i = j + 1;
            }
        }
        len
    } else {
        scan_quoted(b, at + 1, q, false).1
    }
}

/// Parse a dotted name at `*j` (`a.b.c`), advancing past it.
fn python_dotted(s: &Stream<'_>, j: &mut usize) -> Option<(String, usize)> {
    let first = s.word(*j).filter(|w| !matches!(*w, "import" | "as"))?;
    let start = s.toks[*j].start;
    let mut name = first.to_owned();
    *j += 1;
    while s.is_punct(*j, ".")
        && let Some(w) = s.word(*j + 1)
    {
        name.push('.');
        name.push_str(w);
        *j += 2;
    }
    Some((name, start))
}

fn scan_python(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
    for i in 0..s.toks.len() {
        let Some(kw) = s.word(i).filter(|w| matches!(*w, "import" | "from")) else {
            continue;
        };
        let statement_start = i == 0
            || s.kind(i - 1) == Some(Kind::Newline)
            || s.is_punct(i - 1, ";")
            || s.is_punct(i - 1, ":");
        if !statement_start {
            continue;
        }
        let mut j = i + 1;
        if kw == "import" {
            // import a.b as c, d
            while let Some(found) = python_dotted(s, &mut j) {
                out.push(found);
                if s.is_word(j, "as") {
                    j += 2;
                }
                if !s.is_punct(j, ",") {
                    break;
                }
                j += 1;
            }
            continue;
        }
        // from <dots><dotted name> import …
        let Some(first) = s.toks.get(j) else { continue };
        let start = first.start;
        let mut dots = String::new();
        while s.is_punct(j, ".") {
            dots.push('.');
            j += 1;
        }
        let name = python_dotted(s, &mut j).map(|(n, _)| n);
        if !s.is_word(j, "import") {
            continue;
        }
        if let Some(name) = name {
            out.push((format!("{dots}{name}"), start));
            continue;
        }
        if dots.is_empty() {
            continue;
        }
        // from . import x, y as z   /   from .. import (x,\n y)   /   from . import *
        j += 1;
        if s.is_punct(j, "(") {
            j += 1;
        }
        loop {
            if let Some(w) = s.word(j).filter(|w| *w != "as") {
                out.push((format!("{dots}{w}"), start));
                j += 1;
                if s.is_word(j, "as") {
                    j += 2;
                }
            } else if s.is_punct(j, "*") {
                out.push((dots.clone(), start));
                j += 1;
            } else {
                break;
            }
            if !s.is_punct(j, ",") {
                break;
            }
            j += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Go

fn lex_go(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let len = b.len();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < len {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if is_space(c) {
            i += 1;
        } else if c == b'/' && next == Some(b'/') {
            i = line_end(b, i);
        } else if c == b'/' && next == Some(b'*') {
            i = block_comment_end(b, i + 2);
        } else if c == b'"' {
            let (content_end, after) = scan_quoted(b, i + 1, b'"', false);
            toks.push(Tok::new(Kind::Str, i + 1, content_end));
            i = after;
        } else if c == b'`' {
            let from = i + 1;
            let content_end = memchr(b'`', &b[from.min(len)..]).map_or(len, |k| from + k);
            toks.push(Tok::new(Kind::Str, from, content_end));
            i = (content_end + 1).min(len);
        } else if c == b'\'' {
            let (_, after) = scan_quoted(b, i + 1, b'\'', false);
            toks.push(Tok::new(Kind::Opaque, i, after));
            i = after;
        } else if is_ident_byte(c) {
            let end = word_end(b, i, false);
            toks.push(Tok::new(Kind::Word, i, end));
            i = end;
        } else {
            toks.push(Tok::new(Kind::Punct, i, i + 1));
            i += 1;
        }
    }
    toks
}

fn scan_go(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
    for i in 0..s.toks.len() {
        if !s.is_word(i, "import") || (i > 0 && s.is_punct(i - 1, ".")) {
            continue;
        }
        if s.is_punct(i + 1, "(") {
            let mut j = i + 2;
            while let Some(kind) = s.kind(j) {
                match kind {
                    Kind::Str => s.push_str(s.toks[j], out),
                    Kind::Word => {}
                    Kind::Punct if s.is_punct(j, ".") || s.is_punct(j, ";") => {}
                    _ => break,
                }
                j += 1;
            }
        } else {
            let mut j = i + 1;
            if s.word(j).is_some() || s.is_punct(j, ".") {
                j += 1;
            }
            if let Some(t) = s.string(j) {
                s.push_str(t, out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn specs(language: ImportLanguage, text: &str) -> Vec<String> {
        extract(language, text)
            .into_iter()
            .map(|i| i.specifier)
            .collect()
    }

    fn found(language: ImportLanguage, text: &str) -> Vec<(String, u32, u32)> {
        extract(language, text)
            .into_iter()
            .map(|i| (i.specifier, i.line, i.column))
            .collect()
    }

    fn s(items: &[&str]) -> Vec<String> {
        items.iter().map(|x| (*x).to_owned()).collect()
    }

    use ImportLanguage::{Go, JsTs, Python, Rust};

    // --- from_path ------------------------------------------------------------------------

    #[test]
    fn language_from_path() {
        for p in [
            "a.ts", "a.tsx", "a.mts", "a.cts", "a.js", "a.jsx", "a.mjs", "a.cjs", "x/y.d.ts",
        ] {
            assert_eq!(ImportLanguage::from_path(p), Some(JsTs), "{p}");
        }
        assert_eq!(ImportLanguage::from_path("src/lib.rs"), Some(Rust));
        assert_eq!(ImportLanguage::from_path("app/x.py"), Some(Python));
        assert_eq!(ImportLanguage::from_path("app/x.pyi"), Some(Python));
        assert_eq!(ImportLanguage::from_path("cmd/main.go"), Some(Go));
        assert_eq!(ImportLanguage::from_path("README.md"), None);
        assert_eq!(ImportLanguage::from_path("Makefile"), None);
        assert_eq!(ImportLanguage::from_path("dir.rs/Makefile"), None);
    }

    // --- general ----------------------------------------------------------------------------

    #[test]
    fn empty_input() {
        for lang in [JsTs, Rust, Python, Go] {
            assert!(extract(lang, "").is_empty());
            assert!(extract(lang, "\n\r\n  ").is_empty());
        }
    }

    #[test]
    fn truncated_input_does_not_panic() {
        let samples = [
            "import x from '",
            "import(\"",
            "`${",
            "/* import",
            "/[/",
            "use a::{b",
            "use a::",
            "r#\"",
            "'",
            "'\\",
            "from . import (",
            "\"\"\"",
            "import \\",
            "import (",
            "import `",
            "'é",
        ];
        for text in samples {
            for lang in [JsTs, Rust, Python, Go] {
                let _ = extract(lang, text);
            }
        }
    }

    // --- JS / TS ----------------------------------------------------------------------------

    #[test]
    fn js_import_forms() {
        let src = r#"
import x from 'default-mod';
import {a, b} from "named";
import {
  c,
  d as e,
} from '../db/client';
import * as ns from 'namespace';
import 'side-effect';
import type {X} from 'types-only';
import { type Y, z } from './mixed';
import def, { f } from "def-and-named";
import def2, * as ns2 from "def-and-ns";
export {a} from 'reexport';
export * from 'star';
export * as sns from 'star-as';
export type { T } from './t';
const r = require('pg');
const lazy = import('./lazy');
import data from './d.json' with { type: 'json' };
const m = await import("./m.js", { with: { type: "json" } });
import fs = require("fs");
"#;
        assert_eq!(
            specs(JsTs, src),
            s(&[
                "default-mod",
                "named",
                "../db/client",
                "namespace",
                "side-effect",
                "types-only",
                "./mixed",
                "def-and-named",
                "def-and-ns",
                "reexport",
                "star",
                "star-as",
                "./t",
                "pg",
                "./lazy",
                "./d.json",
                "./m.js",
                "fs",
            ])
        );
    }

    #[test]
    fn js_positions() {
        let src = "import x from 'm';\nimport {\n  a,\n} from \"../db\";\n  const q = require('q')";
        assert_eq!(
            found(JsTs, src),
            vec![
                ("m".to_owned(), 1, 16),
                ("../db".to_owned(), 4, 9),
                ("q".to_owned(), 5, 22),
            ]
        );
    }

    #[test]
    fn js_comments_and_strings_are_ignored() {
        let src = r#"
// import a from 'line-comment';
/* import b from 'block-comment';
   require('block-comment-2') */
const s1 = "import c from 'in-string'";
const s2 = 'require("in-string")';
const t = `import d from 'in-template'`;
/** @example import('jsdoc') */
const re = /import e from 'in-regex'/g;
import real from 'real'; // import f from 'trailing'
"#;
        assert_eq!(specs(JsTs, src), s(&["real"]));
    }

    #[test]
    fn js_not_imports() {
        let src = r"
const meta = import.meta.url;
obj.require('not-this');
obj.import('nor-this');
export const from = 'not-a-specifier';
export default function f() { return 1; }
export class C { m() {} }
export { a, b };
const o = { import: 'x', require: 'y' };
require(name);
import(`./dyn/${name}`);
function require(x) {}
";
        assert!(specs(JsTs, src).is_empty(), "{:?}", specs(JsTs, src));
    }

    #[test]
    fn js_templates_and_regex() {
        let src = r"
const a = `${require('inside-substitution')}`;
const b = `nested ${`inner ${x}`} text 'quote`;
const c = require(`plain-template`);
const ratio = total / 2; const other = x / y; // it's fine
const re = /['`]/;
import after from 'after';
";
        assert_eq!(
            specs(JsTs, src),
            s(&["inside-substitution", "plain-template", "after"])
        );
    }

    #[test]
    fn js_jsx_text_apostrophe_is_contained() {
        let src = "const el = <p>Don't do it</p>;\nimport x from 'x';\n";
        assert_eq!(specs(JsTs, src), s(&["x"]));
    }

    #[test]
    fn js_crlf_and_non_ascii() {
        let src = "// héllo wörld\r\nconst é = \"ü\"; import x from 'mödule';\r\nimport {\r\n a } from \"b\";\r\n";
        assert_eq!(
            found(JsTs, src),
            vec![("mödule".to_owned(), 2, 31), ("b".to_owned(), 4, 12)]
        );
    }

    #[test]
    fn js_shebang() {
        let src = "#!/usr/bin/env node\nconst x = require('x');\n";
        assert_eq!(specs(JsTs, src), s(&["x"]));
    }

    // --- Rust -------------------------------------------------------------------------------

    #[test]
    fn rust_use_forms() {
        let src = r"
use a::b::c;
use a::b::{c, d::e};
use a::b as x;
pub use crate::db::pool;
pub(crate) use super::sibling::Thing;
pub(in crate::x) use self::child;
extern crate foo;
extern crate bar as baz;
use ::std::x;
use std::{
    collections::{HashMap, HashSet as Set},
    io::{self, Read},
    fmt,
};
use glob::*;
use g::h::{self};
use {top1, top2::inner};
use r#type::x;
";
        assert_eq!(
            specs(Rust, src),
            s(&[
                "a::b::c",
                "a::b::c",
                "a::b::d::e",
                "a::b",
                "crate::db::pool",
                "super::sibling::Thing",
                "self::child",
                "foo",
                "bar",
                "::std::x",
                "std::collections::HashMap",
                "std::collections::HashSet",
                "std::io",
                "std::io::Read",
                "std::fmt",
                "glob",
                "g::h",
                "top1",
                "top2::inner",
                "r#type::x",
            ])
        );
    }

    #[test]
    fn rust_positions_are_tree_roots() {
        let src = "fn f() {}\n    use crate::{\n        db::pool,\n    };\nuse {a, b};";
        assert_eq!(
            found(Rust, src),
            vec![
                ("crate::db::pool".to_owned(), 2, 9),
                ("a".to_owned(), 5, 6),
                ("b".to_owned(), 5, 9),
            ]
        );
    }

    #[test]
    fn rust_comments_strings_chars_and_lifetimes() {
        let src = r##"
// use line::comment;
/* use block::comment; /* nested */ use still::comment; */
/// use doc::comment;
const S: &str = "use in::string;";
const R: &str = r#"use in::raw; "quoted" "#;
const B: &[u8] = br"use in::raw_bytes;";
const Q: char = '"'; use after::dquote_char;
const E: char = '\''; use after::escaped_char;
const U: char = 'é'; use after::unicode_char;
fn f<'a>(x: &'a str) -> &'a str { 'outer: loop { break 'outer; } x }
use after::lifetimes;
mod not_an_import;
fn g() -> impl Sized + use<> {}
macro_rules! m { ($p:path) => { use $p; }; }
"##;
        assert_eq!(
            specs(Rust, src),
            s(&[
                "after::dquote_char",
                "after::escaped_char",
                "after::unicode_char",
                "after::lifetimes",
            ])
        );
    }

    #[test]
    fn rust_crlf_and_non_ascii() {
        let src = "// ünïcode\r\nconst X: &str = \"日本\"; use a::b;\r\nuse c::{\r\n  d,\r\n};\r\n";
        assert_eq!(
            found(Rust, src),
            vec![("a::b".to_owned(), 2, 27), ("c::d".to_owned(), 3, 5)]
        );
    }

    // --- Python -----------------------------------------------------------------------------

    #[test]
    fn python_import_forms() {
        let src = "
import os
import a.b
import a.b as c, d
from a.b import c
from . import x, y
from .. import z as w
from .m import x
from ..db.models import Model
from a import (b,
    c)
from . import (p,
    q as r,
)
from . import *
from ... import deep
from __future__ import annotations
x = 1; import inline
if True: import guarded
def f():
    import nested.mod
import e, \\
    f
";
        assert_eq!(
            specs(Python, src),
            s(&[
                "os",
                "a.b",
                "a.b",
                "d",
                "a.b",
                ".x",
                ".y",
                "..z",
                ".m",
                "..db.models",
                "a",
                ".p",
                ".q",
                ".",
                "...deep",
                "__future__",
                "inline",
                "guarded",
                "nested.mod",
                "e",
                "f",
            ])
        );
    }

    #[test]
    fn python_positions() {
        let src = "import a.b as c, d\nfrom . import x, y\n    from .m import z";
        assert_eq!(
            found(Python, src),
            vec![
                ("a.b".to_owned(), 1, 8),
                ("d".to_owned(), 1, 18),
                (".x".to_owned(), 2, 6),
                (".y".to_owned(), 2, 6),
                (".m".to_owned(), 3, 10),
            ]
        );
    }

    #[test]
    fn python_comments_and_strings_are_ignored() {
        let src = r#"
"""Module docstring.

import not_this
from not.this import either
"""
# import commented
x = "import in_string"
y = 'from in.string import z'
z = f"import {in_fstring}"
w = rb'import in_bytes'
v = '''
import in_triple
'''
u = "unterminated
import real
def g():
    raise ValueError() from exc
    yield from gen()
    return {"import": 1}
"#;
        assert_eq!(specs(Python, src), s(&["real"]));
    }

    #[test]
    fn python_crlf_and_non_ascii() {
        let src = "# ñ\r\nnamé = 'ü'; import mod\r\nfrom pkg import (\r\n  a,\r\n  b)\r\n";
        assert_eq!(
            found(Python, src),
            vec![("mod".to_owned(), 2, 20), ("pkg".to_owned(), 3, 6)]
        );
    }

    // --- Go ---------------------------------------------------------------------------------

    #[test]
    fn go_import_forms() {
        let src = r#"
package main

import "fmt"
import alias "github.com/acme/x/db"
import (
	"os"
	b "github.com/acme/b" // trailing comment
	_ "github.com/lib/pq"
	. "math"
	/* "commented/out" */
	// "also/commented"
	`raw/path`
)
import ("x"; "y")
"#;
        assert_eq!(
            specs(Go, src),
            s(&[
                "fmt",
                "github.com/acme/x/db",
                "os",
                "github.com/acme/b",
                "github.com/lib/pq",
                "math",
                "raw/path",
                "x",
                "y",
            ])
        );
    }

    #[test]
    fn go_comments_strings_crlf_non_ascii() {
        let src = "// import \"no\"\r\n/* import \"nope\" */\r\npackage mäin\r\nimport (\r\n\t\"ok\"\r\n)\r\nvar s = \"import \\\"str\\\"\"\r\nvar r = 'é'\r\n";
        assert_eq!(found(Go, src), vec![("ok".to_owned(), 5, 3)]);
        let src = "package p // ünï\nimport \"a\"";
        assert_eq!(found(Go, src), vec![("a".to_owned(), 2, 9)]);
    }

    // --- resolve ----------------------------------------------------------------------------

    #[test]
    fn resolve_js() {
        let r = |imp, spec| resolve(JsTs, imp, spec);
        assert_eq!(r("src/ui/a.ts", "./b"), Some("src/ui/b".to_owned()));
        assert_eq!(
            r("src/ui/a.ts", "../db/client"),
            Some("src/db/client".to_owned())
        );
        assert_eq!(r("src/ui/a.ts", "../../x"), Some("x".to_owned()));
        assert_eq!(
            r("src/ui/a.ts", "./x/../y/./z"),
            Some("src/ui/y/z".to_owned())
        );
        assert_eq!(r("src/ui/a.ts", "."), Some("src/ui".to_owned()));
        assert_eq!(r("src/ui/a.ts", ".."), Some("src".to_owned()));
        assert_eq!(r("a.ts", "./b"), Some("b".to_owned()));
        assert_eq!(r("src/a.ts", "../../b"), None);
        assert_eq!(r("src/a.ts", "pg"), None);
        assert_eq!(r("src/a.ts", "@scope/pkg"), None);
        assert_eq!(r("src/a.ts", "/abs"), None);
        assert_eq!(r("src/a.ts", ".hidden"), None);
        assert_eq!(
            resolve(Go, "cmd/x/main.go", "./util"),
            Some("cmd/x/util".to_owned())
        );
        assert_eq!(resolve(Go, "cmd/x/main.go", "github.com/acme/x"), None);
    }

    #[test]
    fn resolve_python() {
        let r = |imp, spec| resolve(Python, imp, spec);
        assert_eq!(
            r("app/api/views.py", "..db.models"),
            Some("app/db/models".to_owned())
        );
        assert_eq!(
            r("app/api/views.py", ".models"),
            Some("app/api/models".to_owned())
        );
        assert_eq!(r("app/api/views.py", "."), Some("app/api".to_owned()));
        assert_eq!(r("app/api/views.py", ".."), Some("app".to_owned()));
        assert_eq!(r("app/api/__init__.py", ".x"), Some("app/api/x".to_owned()));
        assert_eq!(r("app/api/views.py", "...x"), Some("x".to_owned()));
        assert_eq!(r("app/api/views.py", "....x"), None);
        assert_eq!(r("app/api/views.py", "app.db.models"), None);
    }

    #[test]
    fn resolve_rust() {
        let r = |imp, spec| resolve(Rust, imp, spec);
        assert_eq!(
            r("src/ui/widget.rs", "self::x"),
            Some("src/ui/widget/x".to_owned())
        );
        assert_eq!(
            r("src/ui/widget.rs", "super::x::Y"),
            Some("src/ui/x/Y".to_owned())
        );
        assert_eq!(r("src/ui/mod.rs", "self::x"), Some("src/ui/x".to_owned()));
        assert_eq!(r("src/ui/mod.rs", "super::db"), Some("src/db".to_owned()));
        assert_eq!(
            r("src/ui/widget.rs", "super::super::db"),
            Some("src/db".to_owned())
        );
        assert_eq!(r("src/ui/widget.rs", "super"), Some("src/ui".to_owned()));
        assert_eq!(r("src/lib.rs", "self::db"), Some("src/db".to_owned()));
        assert_eq!(r("lib.rs", "super::x"), None);
        assert_eq!(r("src/ui/widget.rs", "crate::db::pool"), None);
        assert_eq!(r("src/ui/widget.rs", "::std::x"), None);
        assert_eq!(r("src/ui/widget.rs", "std::x"), None);
    }
}
