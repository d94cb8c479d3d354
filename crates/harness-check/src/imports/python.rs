//! Python: lexer and import scanner.

use memchr::memchr2;

use super::lex::{Kind, Stream, Tok, is_ident_byte, is_space, line_end, scan_quoted, word_end};

pub(super) fn lex_python(src: &str) -> Vec<Tok> {
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
pub(super) fn scan_python_string(b: &[u8], at: usize) -> usize {
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
pub(super) fn python_dotted(s: &Stream<'_>, j: &mut usize) -> Option<(String, usize)> {
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

pub(super) fn scan_python(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
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
