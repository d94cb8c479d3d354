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
use ast_grep_core::{AstGrep as Root, Language as _, Matcher as _, NodeMatch};
use ast_grep_language::SupportLang;
use harness_core::glob::Globs;
use harness_core::load::UtilRule;
use harness_core::rule::AstMatcher;
use harness_core::{ConfigError, SourceLocation, Span};

use crate::prefilter::{self, Requirement};
use crate::regions::{self, Body, Dialect};

/// A body is left out of a parse only if it is at least this long; a file is parsed in part
/// only if that leaves out at least an eighth of it.
const MIN_SKIPPED_BODY: usize = 64;

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
    /// For each rule, what a function body must contain for the rule to match inside it, or
    /// `None` if the rule rules out parsing files in part (see [`regions`]).
    local: Vec<Option<Requirement>>,
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
        let mut local = Vec::new();
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
                    let rule_kinds: Vec<usize> = config
                        .matcher
                        .potential_kinds()
                        .map(|k| k.iter().collect())
                        .unwrap_or_default();
                    local.push(m.config.get("rule").and_then(|rule| {
                        local_requirement(
                            config.language,
                            &m.language,
                            &m.config,
                            rule,
                            &rule_kinds,
                            &util_bodies,
                        )
                    }));
                    kinds.push(rule_kinds);
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
                local,
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
        let root = self.parse(lang, text, indices);
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

    /// Parses `text`, leaving out the function bodies where none of the rules at `indices` can
    /// match.
    fn parse(&self, lang: AstLanguage, text: &str, indices: &[usize]) -> Root<StrDoc<SupportLang>> {
        // An `ast-grep-ignore` comment in a left-out body could silence the line after it.
        if let Some(dialect) = dialect(lang)
            && memchr::memmem::find(text.as_bytes(), b"ast-grep-ignore").is_none()
            && let Some(local) = indices
                .iter()
                .map(|&i| self.local[i].as_ref())
                .collect::<Option<Vec<&Requirement>>>()
        {
            let skipped: Vec<Body> = regions::function_bodies(dialect, text)
                .into_iter()
                .filter(|b| {
                    let inner = &text[b.open + 1..b.close];
                    inner.len() >= MIN_SKIPPED_BODY && !local.iter().any(|r| r.satisfied_by(inner))
                })
                .collect();
            let left_out: usize = skipped.iter().map(|b| b.close - b.open).sum();
            if left_out * 8 >= text.len()
                && let Some(root) = parse_in_part(lang, dialect, text, &skipped)
            {
                return root;
            }
        }
        lang.ast_grep(text)
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

fn dialect(lang: AstLanguage) -> Option<Dialect> {
    match lang {
        SupportLang::Rust => Some(Dialect::Rust),
        SupportLang::TypeScript => Some(Dialect::TypeScript),
        _ => None,
    }
}

/// What a function body must contain for the rule to match inside it, if the rule gives the
/// same answers on a tree with bodies left out.
fn local_requirement(
    lang: AstLanguage,
    language: &str,
    config: &serde_json::Value,
    rule: &serde_json::Value,
    kinds: &[usize],
    utils: &HashMap<String, serde_json::Value>,
) -> Option<Requirement> {
    let dialect = dialect(lang)?;
    // Rewriters are rules of their own; not worth analysing.
    if config.get("rewriters").is_some() {
        return None;
    }
    let ts = lang.get_ts_language();
    let containers = dialect.containers();
    let matched_safe = !kinds.is_empty()
        && kinds.iter().all(|&k| {
            u16::try_from(k)
                .ok()
                .and_then(|k| ts.node_kind_for_id(k))
                .is_some_and(|name| !containers.contains(&name))
        });
    if !prefilter::region_safe(
        rule,
        config.get("constraints"),
        utils,
        containers,
        matched_safe,
    ) {
        return None;
    }
    match prefilter::local_requirement(language, rule, utils) {
        Requirement::None => None,
        r @ Requirement::AllOf(_) => Some(r),
    }
}

/// Parses `text` without the interiors of `skipped`, then checks that the tree is what a
/// full parse would give around them: no syntax error, and each left-out body an empty block
/// of a function whose ancestors are all containers. `None` when a check fails.
fn parse_in_part(
    lang: AstLanguage,
    dialect: Dialect,
    text: &str,
    skipped: &[Body],
) -> Option<Root<StrDoc<SupportLang>>> {
    let mut ranges = Vec::with_capacity(skipped.len() + 1);
    let mut points = Points::new(text);
    let mut start = 0;
    for body in skipped {
        let end = body.open + 1;
        ranges.push(tree_sitter::Range {
            start_byte: start,
            end_byte: end,
            start_point: points.at(start),
            end_point: points.at(end),
        });
        start = body.close;
    }
    ranges.push(tree_sitter::Range {
        start_byte: start,
        end_byte: text.len(),
        start_point: points.at(start),
        end_point: points.at(text.len()),
    });
    let tree = PARSERS.with(|parsers| {
        let mut parsers = parsers.borrow_mut();
        let index = if let Some(i) = parsers.iter().position(|(l, _)| *l == lang) {
            i
        } else {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&lang.get_ts_language()).ok()?;
            parsers.push((lang, parser));
            parsers.len() - 1
        };
        let parser = &mut parsers[index].1;
        parser.reset();
        parser.set_included_ranges(&ranges).ok()?;
        parser.parse(text.as_bytes(), None)
    })?;
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    for body in skipped {
        let block = root
            .descendant_for_byte_range(body.open, body.open + 1)?
            .parent()?;
        if block.kind() != dialect.block_kind()
            || block.start_byte() != body.open
            || block.end_byte() != body.close + 1
        {
            return None;
        }
        let function = block.parent()?;
        if !dialect.function_kinds().contains(&function.kind()) {
            return None;
        }
        let mut up = function.parent();
        while let Some(node) = up {
            if !dialect.containers().contains(&node.kind()) {
                return None;
            }
            up = node.parent();
        }
    }
    Some(Root::doc(StrDoc {
        src: text.to_owned(),
        lang,
        tree,
    }))
}

thread_local! {
    /// One parser per language and thread, as ast-grep keeps for its own parses.
    static PARSERS: std::cell::RefCell<Vec<(AstLanguage, tree_sitter::Parser)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Row and byte column of offsets given in increasing order.
struct Points<'a> {
    text: &'a [u8],
    offset: usize,
    row: usize,
    line_start: usize,
}

impl<'a> Points<'a> {
    fn new(text: &'a str) -> Self {
        Points {
            text: text.as_bytes(),
            offset: 0,
            row: 0,
            line_start: 0,
        }
    }

    fn at(&mut self, offset: usize) -> tree_sitter::Point {
        for at in memchr::memchr_iter(b'\n', &self.text[self.offset..offset]) {
            self.row += 1;
            self.line_start = self.offset + at + 1;
        }
        self.offset = offset;
        tree_sitter::Point {
            row: self.row,
            column: offset - self.line_start,
        }
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
mod tests;
