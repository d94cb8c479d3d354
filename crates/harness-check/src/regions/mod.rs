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

mod lex;

use lex::{Kind, Token, tokenize};

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
mod tests;
