//! Deciding, before parsing, that an ast-grep rule cannot match a file.
//!
//! Parsing is most of the cost of an AST check, so each rule gets a [`Requirement`]: strings
//! every match must contain. A file that holds none of them is not parsed for that rule. The
//! analysis is conservative: when in doubt a rule gets [`Requirement::None`] and every file is
//! parsed, so a requirement can cost speed but never a finding.

use std::collections::HashMap;

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Strings a file must contain for a rule to have any chance of matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// No cheap test: always parse.
    None,
    /// At least one of these must appear.
    AnyOf(Vec<Needle>),
}

/// One string to look for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needle {
    pub text: String,
    /// A token of the language (a pattern's identifier, a keyword): it cannot be part of a
    /// longer identifier. Literals from a `regex` may be, as the regex searches inside a node.
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

impl Requirement {
    pub fn satisfied_by(&self, text: &str) -> bool {
        match self {
            Requirement::None => true,
            Requirement::AnyOf(needles) => needles.iter().any(|n| contains(text, n)),
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `needle` occurs in `text`; a token not as part of a longer identifier.
fn contains(text: &str, needle: &Needle) -> bool {
    let n = needle.text.as_str();
    let (Some(first), Some(last)) = (n.chars().next(), n.chars().next_back()) else {
        return true;
    };
    let check_start = needle.token && is_ident(first);
    let check_end = needle.token && is_ident(last);
    memchr::memmem::find_iter(text.as_bytes(), n.as_bytes()).any(|at| {
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
    Analysis { language, utils }.rule(rule, 0)
}

struct Analysis<'a> {
    language: &'a str,
    utils: &'a HashMap<String, serde_json::Value>,
}

impl Analysis<'_> {
    fn rule(&self, rule: &serde_json::Value, depth: u32) -> Requirement {
        let Some(obj) = rule.as_object() else {
            return Requirement::None;
        };
        if depth > 16 {
            return Requirement::None;
        }
        // Every key of a rule object must hold, so any one requirement is enough.
        let mut options: Vec<Requirement> = Vec::new();
        if let Some(word) = obj
            .get("pattern")
            .and_then(|p| p.as_str())
            .and_then(pattern_word)
        {
            options.push(Requirement::AnyOf(vec![Needle::token(&word)]));
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
            options.push(Requirement::AnyOf(needles));
        }
        if let Some(kw) = obj
            .get("kind")
            .and_then(|k| k.as_str())
            .and_then(|k| keyword(self.language, k))
        {
            options.push(Requirement::AnyOf(vec![Needle::token(kw)]));
        }
        for key in ["has", "inside", "follows", "precedes"] {
            if let Some(sub) = obj.get(key) {
                options.push(self.rule(sub, depth + 1));
            }
        }
        if let Some(all) = obj.get("all").and_then(|a| a.as_array()) {
            options.extend(all.iter().map(|sub| self.rule(sub, depth + 1)));
        }
        if let Some(any) = obj.get("any").and_then(|a| a.as_array()) {
            let mut needles = Vec::new();
            let mut complete = !any.is_empty();
            for sub in any {
                match self.rule(sub, depth + 1) {
                    Requirement::None => complete = false,
                    Requirement::AnyOf(w) => needles.extend(w),
                }
            }
            if complete {
                options.push(Requirement::AnyOf(needles));
            }
        }
        if let Some(name) = obj.get("matches").and_then(|m| m.as_str())
            && let Some(body) = self.utils.get(name)
        {
            options.push(self.rule(body, depth + 1));
        }
        // Prefer the most selective: fewest alternatives, then the longest needle.
        options
            .into_iter()
            .filter_map(|r| match r {
                Requirement::AnyOf(w) if !w.is_empty() => Some(w),
                _ => None,
            })
            .min_by_key(|w| {
                (
                    w.len(),
                    usize::MAX - w.iter().map(|n| n.text.len()).min().unwrap_or(0),
                )
            })
            .map_or(Requirement::None, Requirement::AnyOf)
    }
}

/// The longest identifier-like word of a pattern that is not a meta-variable: every match of
/// the pattern contains it as a token. Patterns with a `context`/`selector` object give none.
fn pattern_word(pattern: &str) -> Option<String> {
    let mut best: Option<&str> = None;
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'$' {
            i += 1;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
            {
                i += 1;
            }
            continue;
        }
        if c == b'"' || c == b'\'' || c == b'`' {
            // Inside a string literal a word need not be a token; skip to the closing quote.
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += 1;
            }
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = &pattern[start..i];
            if best.is_none_or(|b| word.len() > b.len()) {
                best = Some(word);
            }
            continue;
        }
        i += 1;
    }
    best.filter(|w| w.len() >= 2).map(str::to_owned)
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
mod tests {
    use super::*;
    use serde_json::json;

    fn req(rule: &serde_json::Value) -> Requirement {
        requirement("typescript", rule, &HashMap::new())
    }

    fn any(words: &[&str]) -> Requirement {
        Requirement::AnyOf(words.iter().map(|w| Needle::token(w)).collect())
    }

    fn literal(words: &[&str]) -> Requirement {
        Requirement::AnyOf(
            words
                .iter()
                .map(|w| Needle {
                    text: (*w).to_owned(),
                    token: false,
                })
                .collect(),
        )
    }

    #[test]
    fn pattern_words_skip_metavariables_and_strings() {
        assert_eq!(pattern_word("fetch($URL)").as_deref(), Some("fetch"));
        assert_eq!(pattern_word("$A.unwrap()").as_deref(), Some("unwrap"));
        assert_eq!(pattern_word("$$$ARGS"), None);
        assert_eq!(pattern_word("console.log($$$)").as_deref(), Some("console"));
        assert_eq!(
            pattern_word("foo(\"a long string\")").as_deref(),
            Some("foo")
        );
    }

    #[test]
    fn requirements_follow_rule_logic() {
        assert_eq!(
            req(&json!({"any": [{"pattern": "fetch($A)"}, {"pattern": "axios.get($A)"}]})),
            any(&["fetch", "axios"])
        );
        assert_eq!(
            req(&json!({"any": [{"pattern": "fetch($A)"}, {"kind": "call_expression"}]})),
            Requirement::None
        );
        assert_eq!(
            req(&json!({"kind": "call_expression", "has": {"pattern": "timeout"}})),
            any(&["timeout"])
        );
        assert_eq!(
            req(&json!({"pattern": {"context": "class A { $F }", "selector": "field"}})),
            Requirement::None
        );
        assert_eq!(
            req(&json!({"kind": "debugger_statement"})),
            any(&["debugger"])
        );
        assert_eq!(
            req(&json!({"kind": "predefined_type", "regex": "^(any|unknown)$"})),
            literal(&["any", "unknown"])
        );
        // An unanchored regex may match inside a longer word.
        assert!(req(&json!({"kind": "identifier", "regex": "any"})).satisfied_by("company"));
        assert_eq!(req(&json!({"regex": "^foo\\w+"})), literal(&["foo"]));
        assert_eq!(
            req(&json!({"not": {"pattern": "foo()"}})),
            Requirement::None
        );
    }

    #[test]
    fn words_must_stand_alone() {
        let r = any(&["var"]);
        assert!(!r.satisfied_by("const variable = 1;"));
        assert!(r.satisfied_by("var x = 1;"));
        assert!(r.satisfied_by("x;var"));
        assert!(any(&["!"]).satisfied_by("a!b"));
        assert!(any(&["console"]).satisfied_by("\u{feff}console.log(1)"));
        assert!(!any(&["log"]).satisfied_by("éloge"));
        assert!(!Requirement::AnyOf(vec![]).satisfied_by("x"));
        assert!(Requirement::None.satisfied_by(""));
    }
}
