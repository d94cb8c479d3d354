//! Every call into the ast-grep crates lives here: their API changes between releases, so the
//! rest of harness sees only [`AstRules`], [`AstLanguage`] and plain spans.

use std::collections::HashMap;
use std::path::Path;

use ast_grep_config::{
    CombinedScan, DeserializeEnv, GlobalRules, RuleConfig, SerializableGlobalRule,
    SerializableRuleConfig,
};
use ast_grep_core::matcher::MatcherExt as _;
use ast_grep_core::tree_sitter::LanguageExt;
use ast_grep_core::tree_sitter::StrDoc;
use ast_grep_core::{Language as _, Matcher as _, NodeMatch};
use ast_grep_language::SupportLang;
use harness_core::glob::Globs;
use harness_core::load::UtilRule;
use harness_core::rule::AstMatcher;
use harness_core::{ConfigError, SourceLocation, Span};

use crate::prefilter::{self, Requirement};

/// A language harness can parse, as ast-grep knows it.
pub type AstLanguage = SupportLang;

/// Is the grammar for `lang` compiled into this build?
#[allow(clippy::match_like_matches_macro)] // the arms differ when features are off
pub fn enabled(lang: AstLanguage) -> bool {
    match lang {
        SupportLang::TypeScript | SupportLang::Tsx => cfg!(feature = "lang-typescript"),
        SupportLang::JavaScript => cfg!(feature = "lang-javascript"),
        SupportLang::Rust => cfg!(feature = "lang-rust"),
        SupportLang::Python => cfg!(feature = "lang-python"),
        SupportLang::Go => cfg!(feature = "lang-go"),
        SupportLang::Java => cfg!(feature = "lang-java"),
        _ => false,
    }
}

/// The language ast-grep would use for `path`: `languageGlobs` first, then the extension.
pub fn language_of(path: &str, language_globs: &[(AstLanguage, Globs)]) -> Option<AstLanguage> {
    for (lang, globs) in language_globs {
        if globs.is_match(path) {
            return Some(*lang);
        }
    }
    SupportLang::from_path(Path::new(path)).filter(|l| enabled(*l))
}

/// Parses a language name (with ast-grep's aliases).
pub fn parse_language(name: &str) -> Option<AstLanguage> {
    name.parse::<SupportLang>().ok()
}

/// One match of one rule.
#[derive(Clone, Debug)]
pub struct AstMatch {
    /// Index of the rule in [`AstRules`].
    pub rule: usize,
    pub span: Span,
    /// The rule's message with meta-variables filled in.
    pub message: String,
}

/// Compiled ast-grep rules, in the order they were given.
pub struct AstRules {
    configs: Vec<RuleConfig<SupportLang>>,
    /// For each rule, the node kinds it can match.
    kinds: Vec<Vec<usize>>,
    pub languages: Vec<AstLanguage>,
    pub requirements: Vec<Requirement>,
    /// Compiled rules by id, for rule tests.
    by_id: HashMap<String, usize>,
}

impl AstRules {
    /// Compiles `rules` (with the project's global utilities). Each error points at the rule.
    pub fn compile(
        matchers: &[&AstMatcher],
        utils: &[UtilRule],
    ) -> Result<AstRules, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let globals = match compile_utils(utils) {
            Ok(g) => g,
            Err(e) => {
                errors.push(e);
                GlobalRules::default()
            }
        };
        let mut configs = Vec::new();
        let mut kinds = Vec::new();
        let mut languages = Vec::new();
        let mut requirements = Vec::new();
        let mut by_id = HashMap::new();
        for m in matchers {
            match compile_one(m, &globals) {
                Ok(config) => {
                    let util_bodies: HashMap<String, serde_json::Value> = m
                        .config
                        .get("utils")
                        .and_then(|u| u.as_object())
                        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default();
                    let req = m.config.get("rule").map_or(Requirement::None, |r| {
                        prefilter::requirement(&m.language, r, &util_bodies)
                    });
                    by_id.insert(config.id.clone(), configs.len());
                    // Compiling checked that the rule has potential kinds.
                    kinds.push(
                        config
                            .matcher
                            .potential_kinds()
                            .map(|k| k.iter().collect())
                            .unwrap_or_default(),
                    );
                    languages.push(config.language);
                    requirements.push(req);
                    configs.push(config);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(AstRules {
                configs,
                kinds,
                languages,
                requirements,
                by_id,
            })
        } else {
            Err(errors)
        }
    }

    pub fn len(&self) -> usize {
        self.configs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.configs.is_empty()
    }

    /// Parses `text` once and runs the rules at `indices` over it, as `ast-grep scan` does
    /// (including its `ast-grep-ignore` comments).
    pub fn scan(&self, lang: AstLanguage, text: &str, indices: &[usize]) -> Vec<AstMatch> {
        if indices.is_empty() || !enabled(lang) {
            return Vec::new();
        }
        let root = lang.ast_grep(text);
        let mut out = Vec::new();
        let mut push = |rule: usize, m: &NodeMatch<'_, StrDoc<SupportLang>>| {
            let config = &self.configs[rule];
            let start = m.start_pos();
            let end = m.end_pos();
            let node = m.get_node();
            let message = if config.message.contains('$') {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.get_message(m)))
                    .unwrap_or_else(|_| config.message.clone())
            } else {
                config.message.clone()
            };
            out.push(AstMatch {
                rule,
                span: Span {
                    line: to_u32(start.line() + 1),
                    column: to_u32(start.column(node) + 1),
                    end_line: to_u32(end.line() + 1),
                    end_column: to_u32(end.column(node) + 1),
                },
                message,
            });
        };
        if memchr::memmem::find(text.as_bytes(), b"ast-grep-ignore").is_some() {
            // The file has ast-grep suppression comments: let ast-grep's own scan honour them.
            let rules: Vec<&RuleConfig<SupportLang>> =
                indices.iter().map(|&i| &self.configs[i]).collect();
            let scan = CombinedScan::new(rules);
            for (config, matches) in scan.scan(&root, false).matches {
                if let Some(&rule) = self.by_id.get(&config.id) {
                    for m in &matches {
                        push(rule, m);
                    }
                }
            }
        } else {
            // One walk over the tree, trying at each node only the rules that can match its
            // kind. This is ast-grep's combined scan without its extra pass for comments.
            let mut by_kind: Vec<Vec<usize>> = Vec::new();
            for &i in indices {
                for kind in &self.kinds[i] {
                    if by_kind.len() <= *kind {
                        by_kind.resize(kind + 1, Vec::new());
                    }
                    by_kind[*kind].push(i);
                }
            }
            for node in root.root().dfs() {
                let Some(rules) = by_kind.get(usize::from(node.kind_id())) else {
                    continue;
                };
                for &i in rules {
                    if let Some(m) = self.configs[i].matcher.match_node(node.clone()) {
                        push(i, &m);
                    }
                }
            }
        }
        out.sort_by_key(|m| (m.span.line, m.span.column, m.rule));
        out
    }

    /// Lines (1-based) where rule `id` matches `code`, for rule tests. `None` if no such rule.
    pub fn match_lines(&self, id: &str, code: &str) -> Option<Vec<u32>> {
        let &idx = self.by_id.get(id)?;
        let config = &self.configs[idx];
        let root = config.language.ast_grep(code);
        let lines = root
            .root()
            .find_all(&config.matcher)
            .map(|m| to_u32(m.start_pos().line() + 1))
            .collect();
        Some(lines)
    }

    pub fn has_rule(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts
        .iter()
        .map(|p| p.trim_end_matches('.').to_owned())
        .collect::<Vec<_>>()
        .join(": ")
}

fn check_enabled(name: &str, location: &SourceLocation) -> Result<SupportLang, ConfigError> {
    let lang = parse_language(name).ok_or_else(|| {
        ConfigError::new(
            format!("unknown language `{name}`"),
            Some(location.clone()),
            "use one of: typescript, tsx, javascript, rust, python, go, java",
        )
    })?;
    if !enabled(lang) {
        return Err(ConfigError::new(
            format!("language `{name}` is not compiled into this build of harness"),
            Some(location.clone()),
            "rebuild harness with the matching `lang-*` cargo feature",
        ));
    }
    Ok(lang)
}

fn compile_one(
    m: &AstMatcher,
    globals: &GlobalRules,
) -> Result<RuleConfig<SupportLang>, ConfigError> {
    check_enabled(&m.language, &m.rule_location)?;
    let id = m
        .config
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let ser: SerializableRuleConfig<SupportLang> = serde_json::from_value(m.config.clone())
        .map_err(|e| {
            ConfigError::new(
                format!("rule `{id}`: invalid ast-grep rule: {e}"),
                Some(m.rule_location.clone()),
                "see https://ast-grep.github.io/reference/rule.html for the rule syntax",
            )
        })?;
    RuleConfig::try_from(ser, globals).map_err(|e| {
        ConfigError::new(
            format!("rule `{id}`: invalid ast-grep rule: {}", error_chain(&e)),
            Some(m.rule_location.clone()),
            "see https://ast-grep.github.io/reference/rule.html for the rule syntax",
        )
    })
}

fn compile_utils(utils: &[UtilRule]) -> Result<GlobalRules, ConfigError> {
    let mut parsed = Vec::new();
    for u in utils {
        check_enabled(&u.language, &u.location)?;
        let g: SerializableGlobalRule<SupportLang> = serde_json::from_value(u.config.clone())
            .map_err(|e| {
                ConfigError::new(
                    format!("utility rule `{}`: {e}", u.id),
                    Some(u.location.clone()),
                    "see https://ast-grep.github.io/guide/rule-config/utility-rule.html",
                )
            })?;
        parsed.push(g);
    }
    if parsed.is_empty() {
        return Ok(GlobalRules::default());
    }
    let location = utils.first().map(|u| u.location.clone());
    DeserializeEnv::<SupportLang>::parse_global_utils(parsed).map_err(|e| {
        ConfigError::new(
            format!("invalid utility rules: {}", error_chain(&e)),
            location,
            "see https://ast-grep.github.io/guide/rule-config/utility-rule.html",
        )
    })
}

#[cfg(all(
    test,
    feature = "lang-typescript",
    feature = "lang-rust",
    feature = "lang-python",
    feature = "lang-go",
    feature = "lang-java"
))]
mod tests {
    use ast_grep_core::tree_sitter::LanguageExt;

    use super::*;

    const SAMPLES: &[(&str, &str)] = &[
        (
            "typescript",
            r#"
debugger;
var a = 1;
try { throw new Error("x"); } catch (e) { } finally {}
async function* g() { await p; yield 1; }
class C {}
for (let i = 0; i < 1; i++) {}
for (const k in o) {}
while (a) {}
do {} while (a);
switch (a) { default: }
if (a) {}
function f() { return a!; }
import x from "y";
const h = () => `t ${a}` as string;
const s = a satisfies number;
interface I {}
enum E { A }
"#,
        ),
        (
            "rust",
            r#"
use std::fmt;
mod m {}
struct S;
enum E { A }
trait T {}
impl T for S {}
static X: u8 = 1;
const Y: u8 = 2;
async fn f() -> Result<(), ()> {
    let a = unsafe { g() };
    println!("{a}");
    match a { _ => {} }
    loop { break; }
    while false {}
    for _ in 0..1 {}
    if true {}
    let c = |x: u8| x;
    let b = async { 1 };
    b.await;
    h()?;
    return Ok(());
}
"#,
        ),
        (
            "python",
            r"
import os
from a import b
global q
@dec
def f():
    try:
        raise E()
    except E:
        pass
    with open(x) as y:
        pass
    assert x
    g = lambda: 1
    for i in x:
        pass
    while x:
        pass
    if x:
        return 1
class C:
    pass
",
        ),
        (
            "go",
            r#"
package main
import "fmt"
type T struct{}
func (t T) M() {}
func main() {
    go f()
    defer g()
    h := func() {}
    for {}
    if x {}
    select {}
    return
}
"#,
        ),
        (
            "java",
            r"
import java.util.List;
interface I {}
class C {
    void m() {
        try { throw new E(); } catch (E e) {}
        for (int i = 0; i < 1; i++) {}
        for (String s : l) {}
        while (x) {}
        if (x) {}
        synchronized (this) {}
        Runnable r = () -> {};
        return;
    }
}
",
        ),
    ];

    /// Every node of a kind in the prefilter's table holds the table's token, on real parses.
    #[test]
    fn prefilter_keywords_hold_on_real_parses() {
        for (name, code) in SAMPLES {
            let lang = parse_language(name).unwrap();
            let root = lang.ast_grep(code);
            for (kind, token) in prefilter::keyword_table(name) {
                let nodes: Vec<String> = root
                    .root()
                    .dfs()
                    .filter(|n| n.kind() == *kind)
                    .map(|n| n.text().into_owned())
                    .collect();
                assert!(!nodes.is_empty(), "{name}: the sample has no `{kind}`");
                assert!(
                    token.chars().all(char::is_alphanumeric),
                    "{name}: `{token}` is not a keyword"
                );
                for text in nodes {
                    assert!(
                        text.contains(token),
                        "{name}: `{kind}` node `{text}` lacks `{token}`"
                    );
                }
            }
        }
    }
}
