//! Go: lexer and import scanner.

use memchr::memchr;

use super::lex::{
    Kind, Stream, Tok, block_comment_end, is_ident_byte, is_space, line_end, scan_quoted, word_end,
};

pub(super) fn lex_go(src: &str) -> Vec<Tok> {
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

pub(super) fn scan_go(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
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
