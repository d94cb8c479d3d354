//! JavaScript and TypeScript: lexer and import scanner.

use memchr::memchr3;

use super::lex::{
    Kind, Stream, Tok, block_comment_end, is_ident_byte, is_space, line_end, scan_quoted,
    skip_shebang, word_end,
};

pub(super) fn lex_js(src: &str) -> Vec<Tok> {
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
pub(super) fn scan_js_template(
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
pub(super) fn js_regex_allowed(src: &str, toks: &[Tok]) -> bool {
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
pub(super) fn scan_js_regex(b: &[u8], from: usize) -> usize {
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

pub(super) fn scan_js(s: &Stream<'_>, out: &mut Vec<(String, usize)>) {
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
pub(super) fn js_from_clause(s: &Stream<'_>, mut j: usize) -> Option<Tok> {
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
pub(super) fn js_skip_braces(s: &Stream<'_>, mut j: usize) -> Option<usize> {
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
