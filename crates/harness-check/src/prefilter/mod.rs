//! Deciding, before parsing, that an ast-grep rule cannot match a file.
//!
//! Parsing is most of the cost of an AST check, so each rule gets a [`Requirement`]: groups of
//! strings, one of each group in every match. A file that lacks a group is not parsed for that
//! rule, and a function body that lacks one is left out of the parse (see `regions`). The
//! analysis is conservative: when in doubt a rule gets [`Requirement::None`] and every file is
//! parsed, so a requirement can cost speed but never a finding.

use std::collections::HashMap;

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Strings a file must contain for a rule to have any chance of matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// No cheap test: always parse.
    None,
    /// Every group must be satisfied by at least one of its needles. Groups are ordered most
    /// selective first, so a file that cannot match is usually rejected by the first.
    AllOf(Vec<Vec<Needle>>),
}

/// One string to look for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Needle {
    pub text: String,
    /// A token of the language (a pattern's word or operator, a keyword): it cannot be part of
    /// a longer identifier or operator. Literals from a `regex` may be, as the regex searches
    /// inside a node.
    pub token: bool,
}

impl Needle {
    fn token(text: &str) -> Needle {
        Needle {
            text: text.to_owned(),
            token: true,
        }
    }
}

/// At most this many groups are kept per rule: each costs a search of the file.
const MAX_GROUPS: usize = 4;

impl Requirement {
    fn any_of(needles: Vec<Needle>) -> Requirement {
        Requirement::AllOf(vec![needles])
    }

    pub fn satisfied_by(&self, text: &str) -> bool {
        match self {
            Requirement::None => true,
            Requirement::AllOf(groups) => groups
                .iter()
                .all(|group| group.iter().any(|n| contains(text, n))),
        }
    }

    /// The single most selective group, for use inside an `any`.
    fn best_group(self) -> Option<Vec<Needle>> {
        match self {
            Requirement::None => None,
            Requirement::AllOf(groups) => groups.into_iter().next(),
        }
    }
}

/// Fewer alternatives first, then longer needles: a rare word rejects more files.
fn selectivity(group: &[Needle]) -> (usize, usize) {
    let shortest = group.iter().map(|n| n.text.len()).min().unwrap_or(0);
    (group.len(), usize::MAX - shortest)
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `needle` occurs in `text`; a token not as part of a longer identifier or operator.
fn contains(text: &str, needle: &Needle) -> bool {
    let n = needle.text.as_str();
    let (Some(first), Some(last)) = (n.chars().next(), n.chars().next_back()) else {
        return true;
    };
    let bytes = text.as_bytes();
    if needle.token && (n == "==" || n == "!=") {
        // Loose (in)equality, not part of `===` or `!==`.
        return memchr::memmem::find_iter(bytes, n.as_bytes()).any(|at| {
            !(n == "==" && at > 0 && matches!(bytes[at - 1], b'=' | b'!'))
                && bytes.get(at + 2).is_none_or(|&b| b != b'=')
        });
    }
    let check_start = needle.token && is_ident(first);
    let check_end = needle.token && is_ident(last);
    memchr::memmem::find_iter(bytes, n.as_bytes()).any(|at| {
        (!check_start || !text[..at].chars().next_back().is_some_and(is_ident))
            && (!check_end || !text[at + n.len()..].chars().next().is_some_and(is_ident))
    })
}

/// The requirement of an ast-grep rule object (`rule:` of a rule, as JSON).
pub fn requirement(
    language: &str,
    rule: &serde_json::Value,
    utils: &HashMap<String, serde_json::Value>,
) -> Requirement {
    Analysis {
        language,
        utils,
        local: false,
    }
    .rule(rule, 0)
}

/// Strings every node the rule matches contains in its own text. Unlike [`requirement`],
/// what `inside`, `follows` and `precedes` ask for lies outside the node and does not count.
pub fn local_requirement(
    language: &str,
    rule: &serde_json::Value,
    utils: &HashMap<String, serde_json::Value>,
) -> Requirement {
    Analysis {
        language,
        utils,
        local: true,
    }
    .rule(rule, 0)
}

struct Analysis<'a> {
    language: &'a str,
    utils: &'a HashMap<String, serde_json::Value>,
    local: bool,
}

impl Analysis<'_> {
    fn rule(&self, rule: &serde_json::Value, depth: u32) -> Requirement {
        let Some(obj) = rule.as_object() else {
            return Requirement::None;
        };
        if depth > 16 {
            return Requirement::None;
        }
        // Every key of a rule object must hold, so every requirement found holds.
        let mut groups: Vec<Vec<Needle>> = Vec::new();
        let mut add = |r: Requirement| {
            if let Requirement::AllOf(gs) = r {
                groups.extend(gs);
            }
        };
        if let Some(pattern) = obj.get("pattern").and_then(|p| p.as_str()) {
            for token in pattern_tokens(pattern) {
                add(Requirement::any_of(vec![Needle::token(&token)]));
            }
        }
        if let Some(r) = obj
            .get("regex")
            .and_then(|r| r.as_str())
            .and_then(regex_literals)
        {
            let needles = r
                .into_iter()
                .map(|text| Needle { text, token: false })
                .collect();
            add(Requirement::any_of(needles));
        }
        if let Some(kind) = obj.get("kind").and_then(|k| k.as_str()) {
            if let Some(kw) = keyword(self.language, kind) {
                add(Requirement::any_of(vec![Needle::token(kw)]));
            } else if self.local
                && let Some(inner) = inner_token(self.language, kind)
            {
                add(Requirement::any_of(vec![Needle {
                    text: inner.to_owned(),
                    token: false,
                }]));
            }
        }
        let relations: &[&str] = if self.local {
            &["has"]
        } else {
            &["has", "inside", "follows", "precedes"]
        };
        for key in relations {
            if let Some(sub) = obj.get(*key) {
                add(self.rule(sub, depth + 1));
            }
        }
        if let Some(all) = obj.get("all").and_then(|a| a.as_array()) {
            for sub in all {
                add(self.rule(sub, depth + 1));
            }
        }
        if let Some(any) = obj.get("any").and_then(|a| a.as_array()) {
            // Each alternative implies its own best group, so the file holds one of them.
            let mut needles = Vec::new();
            let mut complete = !any.is_empty();
            for sub in any {
                match self.rule(sub, depth + 1).best_group() {
                    Some(group) => needles.extend(group),
                    None => complete = false,
                }
            }
            if complete {
                add(Requirement::any_of(needles));
            }
        }
        if let Some(name) = obj.get("matches").and_then(|m| m.as_str())
            && let Some(body) = self.utils.get(name)
        {
            add(self.rule(body, depth + 1));
        }
        groups.retain(|g| !g.is_empty());
        groups.sort_by(|a, b| selectivity(a).cmp(&selectivity(b)).then_with(|| a.cmp(b)));
        groups.dedup();
        groups.truncate(MAX_GROUPS);
        if groups.is_empty() {
            Requirement::None
        } else {
            Requirement::AllOf(groups)
        }
    }
}

/// The tokens every match of a pattern contains: its words that are not meta-variables, and
/// loose-equality operators. Patterns with a `context`/`selector` object give none.
fn pattern_tokens(pattern: &str) -> Vec<String> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<(usize, char)> = pattern.char_indices().collect();
    let mut out: Vec<String> = Vec::new();
    let mut depth = 0usize;
    // After `$$$`, ast-grep may skip the pattern's unnamed tokens up to the end of the
    // enclosing node, so nothing is required until the bracket around it closes.
    let mut skip_until: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                if skip_until.is_some_and(|d| depth < d) {
                    skip_until = None;
                }
            }
            _ => {}
        }
        if c == '$' {
            let dollars = chars[i..].iter().take_while(|(_, c)| *c == '$').count();
            if dollars >= 3 {
                skip_until = Some(skip_until.map_or(depth, |d| d.min(depth)));
            }
            i += dollars;
            while i < chars.len() && is_word(chars[i].1) {
                i += 1;
            }
            continue;
        }
        if c == '"' || c == '\'' || c == '`' {
            // Inside a string literal a word need not be a token; skip to the closing quote.
            i += 1;
            while i < chars.len() && chars[i].1 != c {
                i += 1;
            }
            i += 1;
            continue;
        }
        if is_word(c) {
            let start = at;
            while i < chars.len() && is_word(chars[i].1) {
                i += 1;
            }
            let end = chars.get(i).map_or(pattern.len(), |(at, _)| *at);
            let word = &pattern[start..end];
            // A number (`1e5`) is not a word; one letter is too common to be worth a search;
            // a string prefix (`br"…"`) is not compared by ast-grep.
            let prefix = chars
                .get(i)
                .is_some_and(|(_, n)| matches!(n, '"' | '\'' | '#'));
            if skip_until.is_none()
                && !c.is_ascii_digit()
                && word.chars().count() >= 2
                && !prefix
                && !out.iter().any(|w| w == word)
            {
                out.push(word.to_owned());
            }
            continue;
        }
        if matches!(c, '=' | '!' | '<' | '>') {
            let start = at;
            while i < chars.len() && matches!(chars[i].1, '=' | '!' | '<' | '>') {
                i += 1;
            }
            let end = chars.get(i).map_or(pattern.len(), |(at, _)| *at);
            let run = &pattern[start..end];
            if skip_until.is_none() && matches!(run, "==" | "!=") && !out.iter().any(|w| w == run) {
                out.push(run.to_owned());
            }
            continue;
        }
        i += 1;
    }
    out
}

/// Whether a rule gives the same answers on a tree whose function bodies were left out,
/// wherever it has no chance of matching inside them. It must never look at the structure
/// of a node that may contain a left-out body (`containers`): no `pattern` or `has` there,
/// only its kind and text, which do not change. `matched_safe` says that the nodes the rule
/// matches are never containers.
pub fn region_safe(
    rule: &serde_json::Value,
    constraints: Option<&serde_json::Value>,
    utils: &HashMap<String, serde_json::Value>,
    containers: &[&str],
    matched_safe: bool,
) -> bool {
    let safety = Safety { utils, containers };
    // A constraint is a rule on a captured node, which may reach out of the match.
    let constraints_safe = match constraints {
        None => true,
        Some(c) => c
            .as_object()
            .is_some_and(|c| c.values().all(|rule| safety.check(rule, false, 0))),
    };
    constraints_safe && safety.check(rule, matched_safe, 0)
}

fn is_bare_kind(kind: &str) -> bool {
    !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

struct Safety<'a> {
    utils: &'a HashMap<String, serde_json::Value>,
    containers: &'a [&'a str],
}

impl Safety<'_> {
    /// `plain`: the node this rule object is tried on is never a container.
    fn check(&self, rule: &serde_json::Value, plain: bool, depth: u32) -> bool {
        let Some(obj) = rule.as_object() else {
            return false;
        };
        if depth > 16 {
            return false;
        }
        // `kind` may be a selector (`a > b`, `a:has(b)`) that looks at other nodes.
        let kind = obj
            .get("kind")
            .map(|k| k.as_str().filter(|k| is_bare_kind(k)));
        if kind.is_some_and(|k| k.is_none()) {
            return false;
        }
        // A relation's `stopBy` is tried on the nodes the relation walks, whatever its kind.
        let walked = plain;
        // The keys of an object all hold at once: a kind outside the containers makes the
        // rest be tried on such nodes only.
        let plain = plain
            || kind
                .flatten()
                .is_some_and(|k| !self.containers.contains(&k));
        let depth = depth + 1;
        obj.iter().all(|(key, value)| match key.as_str() {
            "kind" | "regex" | "range" | "field" => true,
            "pattern" => plain,
            // Descendants of a node that is not a container are not containers either.
            "has" => plain && self.check(value, true, depth),
            "inside" | "follows" | "precedes" => self.check(value, false, depth),
            "stopBy" => value.is_string() || self.check(value, walked, depth),
            "nthChild" => match value.get("ofRule") {
                Some(of) => self.check(of, false, depth),
                None => true,
            },
            "all" | "any" => value
                .as_array()
                .is_some_and(|subs| subs.iter().all(|sub| self.check(sub, plain, depth))),
            "not" => self.check(value, plain, depth),
            "matches" => value
                .as_str()
                .and_then(|name| self.utils.get(name))
                .is_some_and(|body| self.check(body, plain, depth)),
            _ => false,
        })
    }
}

/// Literals one of which begins every match of `pattern` (so appears in the file), if the
/// regex has a short, finite set of them.
fn regex_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::parse(pattern).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let mut out = Vec::new();
    for lit in seq.literals()? {
        let text = std::str::from_utf8(lit.as_bytes()).ok()?;
        if text.is_empty() {
            return None;
        }
        out.push(text.to_owned());
    }
    (!out.is_empty() && out.len() <= 16).then_some(out)
}

/// The keyword every node of `kind` starts with. Only leading keywords are listed: when a file
/// does not parse, tree-sitter may insert a missing token inside a construct (a `!` or `=>`),
/// but a node still needs its first token to exist.
pub fn keyword(language: &str, kind: &str) -> Option<&'static str> {
    keyword_table(language)
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, kw)| *kw)
}

/// A token every node of `kind` contains, though not first. Used only for function bodies:
/// tree-sitter may insert such a token when a file does not parse (a `for (f() of x)` yields
/// a `non_null_expression` with no `!`), so a file without it may still hold the node, but a
/// body left out of a parse is never looked at for syntax errors anyway.
fn inner_token(language: &str, kind: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match language {
        "typescript" | "ts" | "tsx" | "javascript" | "js" | "jsx" => &[
            ("non_null_expression", "!"),
            ("arrow_function", "=>"),
            ("template_string", "`"),
            ("spread_element", "..."),
            ("optional_chain", "?."),
        ],
        "rust" | "rs" => &[
            ("macro_invocation", "!"),
            ("try_expression", "?"),
            ("closure_expression", "|"),
            ("reference_expression", "&"),
        ],
        _ => &[],
    };
    table.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t)
}

/// The (kind, token) table of a language. Each entry is checked against real parses in the
/// `astgrep` tests.
pub fn keyword_table(language: &str) -> &'static [(&'static str, &'static str)] {
    match language {
        "typescript" | "ts" | "tsx" | "javascript" | "js" | "jsx" => &[
            ("debugger_statement", "debugger"),
            ("variable_declaration", "var"),
            ("catch_clause", "catch"),
            ("try_statement", "try"),
            ("throw_statement", "throw"),
            ("await_expression", "await"),
            ("yield_expression", "yield"),
            ("new_expression", "new"),
            ("class_declaration", "class"),
            ("for_statement", "for"),
            ("for_in_statement", "for"),
            ("while_statement", "while"),
            ("do_statement", "do"),
            ("switch_statement", "switch"),
            ("if_statement", "if"),
            ("return_statement", "return"),
            ("import_statement", "import"),
            ("interface_declaration", "interface"),
            ("enum_declaration", "enum"),
            ("function_declaration", "function"),
            ("generator_function_declaration", "function"),
        ],
        "rust" | "rs" => &[
            ("unsafe_block", "unsafe"),
            ("match_expression", "match"),
            ("loop_expression", "loop"),
            ("while_expression", "while"),
            ("for_expression", "for"),
            ("if_expression", "if"),
            ("impl_item", "impl"),
            ("trait_item", "trait"),
            ("struct_item", "struct"),
            ("enum_item", "enum"),
            ("mod_item", "mod"),
            ("use_declaration", "use"),
            ("let_declaration", "let"),
            ("function_item", "fn"),
            ("async_block", "async"),
            ("await_expression", "await"),
            ("return_expression", "return"),
            ("static_item", "static"),
            ("const_item", "const"),
        ],
        "python" | "py" => &[
            ("try_statement", "try"),
            ("except_clause", "except"),
            ("raise_statement", "raise"),
            ("with_statement", "with"),
            ("lambda", "lambda"),
            ("global_statement", "global"),
            ("assert_statement", "assert"),
            ("import_statement", "import"),
            ("import_from_statement", "import"),
            ("function_definition", "def"),
            ("class_definition", "class"),
            ("for_statement", "for"),
            ("while_statement", "while"),
            ("if_statement", "if"),
            ("return_statement", "return"),
        ],
        "go" | "golang" => &[
            ("go_statement", "go"),
            ("defer_statement", "defer"),
            ("function_declaration", "func"),
            ("method_declaration", "func"),
            ("func_literal", "func"),
            ("for_statement", "for"),
            ("if_statement", "if"),
            ("return_statement", "return"),
            ("import_declaration", "import"),
            ("type_declaration", "type"),
            ("select_statement", "select"),
        ],
        "java" => &[
            ("try_statement", "try"),
            ("catch_clause", "catch"),
            ("throw_statement", "throw"),
            ("class_declaration", "class"),
            ("interface_declaration", "interface"),
            ("object_creation_expression", "new"),
            ("enhanced_for_statement", "for"),
            ("for_statement", "for"),
            ("while_statement", "while"),
            ("if_statement", "if"),
            ("return_statement", "return"),
            ("synchronized_statement", "synchronized"),
            ("import_declaration", "import"),
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests;
