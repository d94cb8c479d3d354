//! Finding the function bodies that a parse may leave out.
//!
//! When no rule can match anything inside a function body, the body need not be parsed: the
//! file is parsed with that body's interior excluded (tree-sitter's included ranges), which
//! yields the same tree with an empty block there. This module finds candidate bodies with a
//! small lexer: item-level functions and methods in Rust, top-level functions and class
//! methods in TypeScript. It only proposes; the caller checks the tree it gets (no syntax
//! error, each body an empty block of an item-level function) and parses the whole file when
//! a check fails. Where the lexer cannot tell a regex from a division in a way that could move
//! a brace, it proposes nothing.

/// A language whose function bodies this module can find.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Rust,
    TypeScript,
}

/// A function body: byte offsets of its `{` and of its matching `}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Body {
    pub open: usize,
    pub close: usize,
}

impl Dialect {
    /// The node kind of a body.
    pub fn block_kind(self) -> &'static str {
        match self {
            Dialect::Rust => "block",
            Dialect::TypeScript => "statement_block",
        }
    }

    /// Node kinds a body may belong to.
    pub fn function_kinds(self) -> &'static [&'static str] {
        match self {
            Dialect::Rust => &["function_item"],
            Dialect::TypeScript => &[
                "function_declaration",
                "generator_function_declaration",
                "method_definition",
            ],
        }
    }

    /// Every node kind that may contain a left-out body: the body and its function, and the
    /// kinds that may enclose those. A rule that could look at the structure of one of these
    /// would see the difference, so such rules turn body skipping off.
    pub fn containers(self) -> &'static [&'static str] {
        match self {
            Dialect::Rust => &[
                "source_file",
                "mod_item",
                "impl_item",
                "trait_item",
                "declaration_list",
                "function_item",
                "block",
            ],
            Dialect::TypeScript => &[
                "program",
                "export_statement",
                "class_declaration",
                "abstract_class_declaration",
                "class_body",
                "function_declaration",
                "generator_function_declaration",
                "method_definition",
                "statement_block",
            ],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ident,
    Punct(u8),
    Literal,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    /// A line break separates this token from the previous one.
    newline_before: bool,
}

/// Item-level function bodies of `text`, in order. Empty when the lexer meets something it
/// does not understand (an unterminated comment or string, an ambiguous `/`).
pub fn function_bodies(dialect: Dialect, text: &str) -> Vec<Body> {
    let Some(tokens) = tokenize(dialect, text) else {
        return Vec::new();
    };
    let mut finder = Finder {
        text,
        tokens: &tokens,
        bodies: Vec::new(),
    };
    match dialect {
        Dialect::Rust => {
            finder.rust_items(0);
        }
        Dialect::TypeScript => {
            finder.ts_level(0, false);
        }
    }
    finder.bodies
}

fn is_ident_start(c: char, dialect: Dialect) -> bool {
    c.is_alphabetic() || c == '_' || (dialect == Dialect::TypeScript && c == '$')
}

fn is_ident_continue(c: char, dialect: Dialect) -> bool {
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

fn tokenize(dialect: Dialect, text: &str) -> Option<Vec<Token>> {
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

struct Finder<'a> {
    text: &'a str,
    tokens: &'a [Token],
    bodies: Vec<Body>,
}

impl Finder<'_> {
    fn word(&self, i: usize) -> &str {
        match self.tokens.get(i) {
            Some(t) if t.kind == Kind::Ident => &self.text[t.start..t.end],
            _ => "",
        }
    }

    fn punct(&self, i: usize) -> Option<u8> {
        match self.tokens.get(i)?.kind {
            Kind::Punct(p) => Some(p),
            _ => None,
        }
    }

    /// The index just after the `}` matching the `{` at `open`.
    fn skip_block(&self, open: usize) -> usize {
        let mut depth = 0usize;
        for i in open..self.tokens.len() {
            match self.punct(i) {
                Some(b'{') => depth += 1,
                Some(b'}') => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        }
        self.tokens.len()
    }

    fn record(&mut self, open: usize, after: usize) {
        if let Some(close) = after.checked_sub(1)
            && self.punct(close) == Some(b'}')
        {
            self.bodies.push(Body {
                open: self.tokens[open].start,
                close: self.tokens[close].start,
            });
        }
    }

    /// Rust items from token `i` to the end of the enclosing block; returns the index after
    /// its closing `}`.
    fn rust_items(&mut self, mut i: usize) -> usize {
        let mut item_start = i;
        let mut depth = 0usize;
        while i < self.tokens.len() {
            match self.punct(i) {
                Some(b'(' | b'[') => {
                    depth += 1;
                    i += 1;
                }
                Some(b')' | b']') => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                Some(b';') if depth == 0 => {
                    i += 1;
                    item_start = i;
                }
                Some(b'}') => return i + 1,
                Some(b'{') if depth > 0 => i = self.skip_block(i),
                Some(b'{') => {
                    let item = self.rust_item_kind(item_start, i);
                    let after = match item {
                        RustItem::Function => {
                            let after = self.skip_block(i);
                            self.record(i, after);
                            after
                        }
                        RustItem::Container => self.rust_items(i + 1),
                        RustItem::Braced | RustItem::Expression => self.skip_block(i),
                    };
                    if item != RustItem::Expression {
                        item_start = after;
                    }
                    i = after;
                }
                _ => i += 1,
            }
        }
        i
    }

    fn rust_item_kind(&self, start: usize, open: usize) -> RustItem {
        let mut i = start;
        while i < open {
            // Skip attributes: `#[…]`, `#![…]`.
            if self.punct(i) == Some(b'#') {
                let mut j = i + 1;
                if self.punct(j) == Some(b'!') {
                    j += 1;
                }
                if self.punct(j) == Some(b'[') {
                    let mut depth = 0usize;
                    while j < open {
                        match self.punct(j) {
                            Some(b'[') => depth += 1,
                            Some(b']') => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    i = j + 1;
                    continue;
                }
            }
            match self.word(i) {
                "fn" => return RustItem::Function,
                "impl" | "trait" | "mod" => return RustItem::Container,
                "struct" | "enum" | "union" | "macro_rules" => return RustItem::Braced,
                "const" if !matches!(self.word(i + 1), "fn" | "unsafe" | "async" | "extern") => {
                    return RustItem::Expression;
                }
                "static" | "let" | "type" | "use" => return RustItem::Expression,
                "extern"
                    if !matches!(self.word(i + 1), "fn" | "crate")
                        && !matches!(self.word(i + 2), "fn") =>
                {
                    return RustItem::Braced;
                }
                _ => {}
            }
            match self.punct(i) {
                Some(b'=') => return RustItem::Expression,
                Some(b'!') => return RustItem::Braced,
                _ => {}
            }
            i += 1;
        }
        RustItem::Expression
    }

    /// TypeScript statements (`class_body` false) or class members (true) from token `i` to
    /// the end of the enclosing block; returns the index after its closing `}`.
    fn ts_level(&mut self, mut i: usize, class_body: bool) -> usize {
        let mut depth = 0usize;
        // A named `function` or `class` that begins the statement, whose `{` is still to come.
        let mut pending: Option<Declaration> = None;
        let mut member_start = i;
        while i < self.tokens.len() {
            match self.punct(i) {
                Some(b'(' | b'[') => {
                    depth += 1;
                    i += 1;
                }
                Some(b')' | b']') => {
                    depth = depth.saturating_sub(1);
                    i += 1;
                }
                Some(b';') if depth == 0 => {
                    pending = None;
                    i += 1;
                    member_start = i;
                }
                Some(b'}') => return i + 1,
                Some(b'{') if depth > 0 || self.type_position(i) => i = self.skip_block(i),
                Some(b'{') => {
                    let after = if class_body {
                        if self.ts_method(member_start, i) {
                            let after = self.skip_block(i);
                            self.record(i, after);
                            member_start = after;
                            after
                        } else {
                            self.skip_block(i)
                        }
                    } else {
                        match pending.take() {
                            Some(Declaration::Function) => {
                                let after = self.skip_block(i);
                                self.record(i, after);
                                after
                            }
                            Some(Declaration::Class) => self.ts_level(i + 1, true),
                            None => self.skip_block(i),
                        }
                    };
                    i = after;
                }
                _ => {
                    if !class_body && depth == 0 && self.ts_statement_start(i) {
                        // Only named declarations: `export default function () {}` is an
                        // expression.
                        let name = if self.punct(i + 1) == Some(b'*') {
                            i + 2
                        } else {
                            i + 1
                        };
                        let named = !self.word(name).is_empty();
                        match self.word(i) {
                            "function" if named => pending = Some(Declaration::Function),
                            "class" if named => pending = Some(Declaration::Class),
                            _ => {}
                        }
                    }
                    i += 1;
                }
            }
        }
        i
    }

    /// A `{` that opens an object type rather than a block: after `:`, `<`, `,`, `|`, `&`,
    /// `=>`, `(` or `=`.
    fn type_position(&self, open: usize) -> bool {
        let Some(prev) = open.checked_sub(1) else {
            return false;
        };
        match self.punct(prev) {
            Some(b':' | b'<' | b',' | b'|' | b'&' | b'(' | b'=' | b'?' | b'[') => true,
            Some(b'>') => prev > 0 && self.punct(prev - 1) == Some(b'='),
            _ => matches!(
                self.word(prev),
                "extends" | "implements" | "keyof" | "typeof"
            ),
        }
    }

    /// `function`/`class` at `i` begins a statement: only modifiers stand between it and the
    /// previous statement's end.
    fn ts_statement_start(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0
            && matches!(
                self.word(j - 1),
                "export" | "default" | "async" | "declare" | "abstract"
            )
        {
            j -= 1;
        }
        if j == 0 {
            return true;
        }
        let prev = self.tokens[j - 1];
        match prev.kind {
            Kind::Punct(b';' | b'}') => true,
            // A statement ended by a line break.
            Kind::Punct(b')' | b']') | Kind::Ident | Kind::Literal => self.tokens[j].newline_before,
            Kind::Punct(_) => false,
        }
    }

    /// The member from `start` to the `{` at `open` is a method: it has parameters, and no
    /// `=` (a property initializer).
    fn ts_method(&self, start: usize, open: usize) -> bool {
        let mut depth = 0usize;
        let mut parameters = false;
        for i in start..open {
            match self.punct(i) {
                Some(b'(') => {
                    depth += 1;
                    parameters = true;
                }
                Some(b')') => depth = depth.saturating_sub(1),
                Some(b'=') if depth == 0 => return false,
                _ => {}
            }
        }
        parameters
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declaration {
    Function,
    Class,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RustItem {
    Function,
    Container,
    /// A braced item that is not an expression (struct, enum, macro invocation): it ends
    /// with its `}`.
    Braced,
    Expression,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each body found, braces included.
    fn bodies(dialect: Dialect, text: &str) -> Vec<String> {
        function_bodies(dialect, text)
            .iter()
            .map(|b| text[b.open..=b.close].to_owned())
            .collect()
    }

    #[test]
    fn rust_item_functions_and_methods() {
        let src = r##"
#![allow(dead_code)]
use std::fmt;
#[cfg(test)]
mod tests {
    #[test]
    fn one() { let s = "}"; let c = '}'; let r = r#"}"#; }
}
struct S { f: fn() -> u8 }
impl<'a, T: Fn()> fmt::Display for S where T: Copy {
    fn fmt(&self, f: &mut fmt::Formatter<'a>) -> fmt::Result { 'outer: loop { break 'outer; } Ok(()) }
    const X: u8 = { 1 };
}
trait T { fn a(&self); fn b(&self) { /* } /* nested } */ */ } }
thread_local! { static X: u8 = 0; }
pub(crate) const unsafe fn c() -> u8 { b'}' }
extern "C" { fn ext(); }
static Y: S = S { f: g };
fn g() -> u8 { 1 }
"##;
        assert_eq!(
            bodies(Dialect::Rust, src),
            [
                r##"{ let s = "}"; let c = '}'; let r = r#"}"#; }"##,
                "{ 'outer: loop { break 'outer; } Ok(()) }",
                "{ /* } /* nested } */ */ }",
                "{ b'}' }",
                "{ 1 }",
            ]
        );
    }

    #[test]
    fn typescript_functions_and_methods() {
        let src = r#"
import { a } from "./a";
export async function f({ x }: { x: number }): Promise<{ y: string }> { return `}${ { a: 1 }.a }`; }
function g(): { a: 1 } { const r = /}/g; return { a: 1 }; }
const h = function () { return 1; };
export default class C extends D<{ z: 1 }> implements E {
  x = () => { return 1; };
  y: { a: number } = { a: 1 };
  @dec({ a: 1 }) method(a = {}): void { if (a) { } }
  get z() { return 1 / 2; }
}
interface I { m(): void }
if (x) { function inner() {} }
let v = 1
function* gen() { yield 1; }
"#;
        assert_eq!(
            bodies(Dialect::TypeScript, src),
            [
                "{ return `}${ { a: 1 }.a }`; }",
                "{ const r = /}/g; return { a: 1 }; }",
                "{ if (a) { } }",
                "{ return 1 / 2; }",
                "{ yield 1; }",
            ]
        );
    }

    #[test]
    fn unterminated_input_gives_nothing() {
        assert!(bodies(Dialect::Rust, "fn a() { /* }").is_empty());
        assert!(bodies(Dialect::TypeScript, "function a() { return \"}").is_empty());
        assert_eq!(bodies(Dialect::Rust, "fn a() {").len(), 0);
        for end in ["extern {", "extern", "fn", "'", "r#", "b'", "/"] {
            assert!(bodies(Dialect::Rust, &format!("fn a() {{ 1 }}\n{end}")).len() <= 1);
            assert!(
                bodies(Dialect::TypeScript, &format!("function a() {{ 1 }}\n{end}")).len() <= 1
            );
        }
    }

    #[test]
    fn an_ambiguous_slash_gives_nothing() {
        let src = "function a() { if (ok) /{/.exec(s); }\nif (ok) /}/.test(s) /g;\n";
        assert!(bodies(Dialect::TypeScript, src).is_empty());
        // A division without braces or quotes before the next slash is fine.
        assert_eq!(
            bodies(Dialect::TypeScript, "function a() { return (b) / 2; }\n").len(),
            1
        );
    }

    #[test]
    fn anonymous_default_functions_are_not_proposed() {
        assert!(
            bodies(
                Dialect::TypeScript,
                "export default function () { return 1; }\n"
            )
            .is_empty()
        );
        assert!(
            bodies(
                Dialect::TypeScript,
                "export default class { m() { return 1; } }\n"
            )
            .is_empty()
        );
    }
}
