//! The small lexer behind [`super::function_bodies`]: tokens with comments, strings, template
//! literals, regex literals, char literals and lifetimes told apart, so braces can be paired.

use super::Dialect;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    Punct(u8),
    Literal,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// A line break separates this token from the previous one.
    pub(super) newline_before: bool,
}

/// Item-level function bodies of `text`, in order. Empty when the lexer meets something it
fn is_ident_start(c: char, dialect: Dialect) -> bool {
    c.is_alphabetic() || c == '_' || (dialect == Dialect::TypeScript && c == '$')
}

pub(super) fn is_ident_continue(c: char, dialect: Dialect) -> bool {
    c.is_alphanumeric() || c == '_' || (dialect == Dialect::TypeScript && c == '$')
}

const TS_REGEX_AFTER_WORD: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "await",
    "yield",
    "instanceof",
];

pub(super) fn tokenize(dialect: Dialect, text: &str) -> Option<Vec<Token>> {
    let bytes = text.as_bytes();
    let mut tokens: Vec<Token> = Vec::new();
    // For TypeScript: one entry per open `{` (false) or template interpolation `${` (true).
    let mut braces: Vec<bool> = Vec::new();
    let mut newline = false;
    let mut i = 0;
    let push = |tokens: &mut Vec<Token>, kind, start, end, newline: &mut bool| {
        tokens.push(Token {
            kind,
            start,
            end,
            newline_before: *newline,
        });
        *newline = false;
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                newline = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(dialect, bytes, i)?;
            }
            b'"' => {
                let end = string_end(bytes, i + 1, b'"')?;
                push(&mut tokens, Kind::Literal, i, end, &mut newline);
                i = end;
            }
            b'\'' if dialect == Dialect::TypeScript => {
                let end = string_end(bytes, i + 1, b'\'')?;
                push(&mut tokens, Kind::Literal, i, end, &mut newline);
                i = end;
            }
            b'\'' => {
                // A char literal, or a lifetime or label.
                let end = rust_quote_end(text, i);
                push(&mut tokens, Kind::Literal, i, end, &mut newline);
                i = end;
            }
            b'`' if dialect == Dialect::TypeScript => {
                let (end, interpolation) = template_end(bytes, i + 1)?;
                push(&mut tokens, Kind::Literal, i, end, &mut newline);
                i = end;
                if interpolation {
                    braces.push(true);
                }
            }
            b'}' if dialect == Dialect::TypeScript && braces.last() == Some(&true) => {
                braces.pop();
                let (end, interpolation) = template_end(bytes, i + 1)?;
                push(&mut tokens, Kind::Literal, i, end, &mut newline);
                i = end;
                if interpolation {
                    braces.push(true);
                }
            }
            b'/' if dialect == Dialect::TypeScript && ambiguous_slash(bytes, i, tokens.last()) => {
                return None;
            }
            b'/' if dialect == Dialect::TypeScript && regex_allowed(text, tokens.last()) => {
                if let Some(end) = regex_end(bytes, i + 1) {
                    push(&mut tokens, Kind::Literal, i, end, &mut newline);
                    i = end;
                } else {
                    push(&mut tokens, Kind::Punct(b), i, i + 1, &mut newline);
                    i += 1;
                }
            }
            b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                push(&mut tokens, Kind::Literal, start, i, &mut newline);
            }
            _ if b.is_ascii_punctuation() => {
                if dialect == Dialect::TypeScript {
                    if b == b'{' {
                        braces.push(false);
                    } else if b == b'}' {
                        braces.pop();
                    }
                }
                push(&mut tokens, Kind::Punct(b), i, i + 1, &mut newline);
                i += 1;
            }
            _ => {
                let c = text[i..].chars().next()?;
                if !is_ident_start(c, dialect) {
                    // Other whitespace or a stray character.
                    i += c.len_utf8();
                    continue;
                }
                let start = i;
                i += c.len_utf8();
                while let Some(c) = text[i..].chars().next() {
                    if !is_ident_continue(c, dialect) {
                        break;
                    }
                    i += c.len_utf8();
                }
                if dialect == Dialect::Rust
                    && let Some(end) = rust_prefixed_string(bytes, start, i)
                {
                    push(&mut tokens, Kind::Literal, start, end, &mut newline);
                    i = end;
                    continue;
                }
                push(&mut tokens, Kind::Ident, start, i, &mut newline);
            }
        }
    }
    Some(tokens)
}

fn block_comment_end(dialect: Dialect, bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            depth += 1;
            i += 2;
            if dialect == Dialect::TypeScript && depth > 1 {
                depth = 1;
            }
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// The end of a string whose opening quote is just before `i`.
fn string_end(bytes: &[u8], mut i: usize, quote: u8) -> Option<usize> {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end of a template literal chunk starting at `i` (after a backtick or an
/// interpolation's `}`), and whether it stops at an interpolation `${`.
fn template_end(bytes: &[u8], mut i: usize) -> Option<(usize, bool)> {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return Some((i + 1, false)),
            b'$' if bytes.get(i + 1) == Some(&b'{') => return Some((i + 2, true)),
            _ => i += 1,
        }
    }
    None
}

fn regex_allowed(text: &str, prev: Option<&Token>) -> bool {
    match prev {
        None => true,
        Some(t) => match t.kind {
            Kind::Punct(p) => !matches!(p, b')' | b']'),
            Kind::Ident => TS_REGEX_AFTER_WORD.contains(&&text[t.start..t.end]),
            Kind::Literal => false,
        },
    }
}

/// A `/` after `)`, `]`, `}`, `!`, `+` or `-` may start a regex or be a division, and the two
/// readings differ when a brace, quote or backtick comes before the next `/` on the line.
fn ambiguous_slash(bytes: &[u8], at: usize, prev: Option<&Token>) -> bool {
    let Some(Kind::Punct(b')' | b']' | b'}' | b'!' | b'+' | b'-')) = prev.map(|t| t.kind) else {
        return false;
    };
    let line = bytes[at + 1..]
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    // Without a second `/` on the line it cannot be a regex.
    let Some(next) = memchr::memchr(b'/', line) else {
        return false;
    };
    line[..next]
        .iter()
        .any(|b| matches!(b, b'{' | b'}' | b'\'' | b'"' | b'`'))
}

/// The end of a regex literal whose `/` is just before `i`, or `None` if the line ends first
/// (then the `/` was a division).
fn regex_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => return None,
            b'\\' => i += 2,
            b'[' => {
                class = true;
                i += 1;
            }
            b']' => {
                class = false;
                i += 1;
            }
            b'/' if !class => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return Some(i);
            }
            _ => i += 1,
        }
    }
    None
}

/// A Rust `'`: a char literal (`'a'`, `'\n'`, `'\u{1F600}'`) or a lifetime or label (`'a`).
fn rust_quote_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(start + 1) == Some(&b'\\') {
        let mut i = start + 3;
        while i < bytes.len() && bytes[i] != b'\'' && bytes[i] != b'\n' {
            i += 1;
        }
        return (i + 1).min(bytes.len());
    }
    let mut chars = text[start + 1..].char_indices();
    if let (Some(_), Some((at, '\''))) = (chars.next(), chars.next()) {
        return start + 1 + at + 1;
    }
    // A lifetime: the quote and the identifier after it.
    let mut i = start + 1;
    while let Some(c) = text[i..].chars().next() {
        if !is_ident_continue(c, Dialect::Rust) {
            break;
        }
        i += c.len_utf8();
    }
    i
}

/// A string with a prefix (`b"…"`, `r#"…"#`, `br"…"`, `c"…"`, `b'x'`): `word` is the
/// identifier just read, `start..end`. Returns the end of the literal.
fn rust_prefixed_string(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let word = &bytes[start..end];
    let next = bytes.get(end).copied();
    match word {
        b"b" | b"c" if next == Some(b'"') => string_end(bytes, end + 1, b'"'),
        b"b" if next == Some(b'\'') => string_end(bytes, end + 1, b'\''),
        b"r" | b"br" | b"cr" if matches!(next, Some(b'"' | b'#')) => {
            let mut i = end;
            let mut hashes = 0;
            while bytes.get(i) == Some(&b'#') {
                hashes += 1;
                i += 1;
            }
            if bytes.get(i) != Some(&b'"') {
                // A raw identifier (`r#type`), read on as an identifier.
                return None;
            }
            let mut j = i + 1;
            while j < bytes.len() {
                if bytes[j] == b'"'
                    && bytes.len() >= j + 1 + hashes
                    && bytes[j + 1..j + 1 + hashes].iter().all(|&h| h == b'#')
                {
                    return Some(j + 1 + hashes);
                }
                j += 1;
            }
            Some(bytes.len())
        }
        _ => None,
    }
}
