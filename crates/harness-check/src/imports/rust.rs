//! Rust: lexer and import scanner.

use memchr::{memchr, memchr2};

use super::lex::{Kind, Stream, Tok, is_ident_byte, is_space, line_end, scan_quoted, word_end};

pub(super) fn lex_rust(src: &str) -> Vec<Tok> {
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
pub(super) fn rust_block_comment_end(b: &[u8], from: usize) -> usize {
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
pub(super) fn rust_quote_end(src: &str, i: usize) -> usize {
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
pub(super) fn rust_raw_string_end(b: &[u8], from: usize, hashes: usize) -> usize {
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

pub(super) fn scan_rust(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
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
pub(super) fn push_rust_segment(path: &mut String, seg: &str) {
    if !path.is_empty() && !path.ends_with("::") {
        path.push_str("::");
    }
    path.push_str(seg);
}

/// Record one expanded use path (a trailing `::self` names its module).
pub(super) fn emit_rust_path(path: &str, start: usize, out: &mut Vec<(String, usize)>) {
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
pub(super) fn rust_use_tree(
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
