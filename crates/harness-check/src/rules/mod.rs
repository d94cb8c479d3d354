//! The rule kinds: one file each. [`RuleSet`] compiles a knowledge base's rules and runs the
//! ones that apply to a file.

pub mod coverage;
pub mod forbid_import;
pub mod max_lines;
pub mod regex;
pub mod require_file;

use std::path::Path;
use std::sync::OnceLock;

use harness_core::glob::Globs;
use harness_core::load::UtilRule;
use harness_core::rule::{AstMatcher, Matcher};
use harness_core::{ConfigError, Finding, KnowledgeBase, Rule, Span};

use crate::astgrep::{self, AstLanguage, AstRules};
use crate::text::LineIndex;

/// The rules of one run. The ast-grep rules and the set of regexes are compiled on first use:
/// a run whose files are all in the cache needs neither.
pub struct RuleSet<'kb> {
    pub rules: Vec<&'kb Rule>,
    matchers: Vec<&'kb AstMatcher>,
    utils: &'kb [UtilRule],
    ast: OnceLock<Result<AstRules, Vec<ConfigError>>>,
    /// For each rule, its index in `ast` when it is an ast rule.
    ast_of: Vec<Option<usize>>,
    /// The language of each ast rule, known without compiling it.
    ast_languages: Vec<Option<AstLanguage>>,
    language_globs: Vec<(AstLanguage, Globs)>,
    /// Every regex rule in one set, so a file is searched once to learn which rules can match.
    regex_patterns: Vec<String>,
    regex_set: OnceLock<Option<::regex::RegexSet>>,
    /// For each rule, its index in `regex_set`.
    regex_of: Vec<Option<usize>>,
}

/// Which rules apply to one file.
pub struct Applicable {
    /// Content rules other than ast (indices into `RuleSet::rules`).
    pub content: Vec<usize>,
    /// ast rules (indices into `RuleSet::ast`) and the file's language.
    pub ast: Vec<usize>,
    pub language: Option<AstLanguage>,
    /// require-file rules.
    pub require: Vec<usize>,
    /// coverage rules.
    pub coverage: Vec<usize>,
}

impl Applicable {
    pub fn reads_content(&self) -> bool {
        !self.content.is_empty() || !self.ast.is_empty()
    }
}

impl<'kb> RuleSet<'kb> {
    /// Compiles `kb`'s rules, keeping only `only` when it is not empty.
    pub fn compile(
        kb: &'kb KnowledgeBase,
        only: &[String],
    ) -> Result<RuleSet<'kb>, Vec<ConfigError>> {
        let rules = RuleSet::deferred(kb, only);
        rules.validate()?;
        Ok(rules)
    }

    /// `kb`'s rules (only `only` when it is not empty), compiled when first needed: for a run
    /// that knows they compile, since [`RuleSet::validate`] is what reports a broken rule.
    pub fn deferred(kb: &'kb KnowledgeBase, only: &[String]) -> RuleSet<'kb> {
        let rules: Vec<&Rule> = kb
            .rules
            .iter()
            .filter(|r| r.enabled && (only.is_empty() || only.contains(&r.id)))
            .collect();
        let mut matchers = Vec::new();
        let mut ast_of = Vec::with_capacity(rules.len());
        for r in &rules {
            if let Matcher::Ast(m) = &r.matcher {
                ast_of.push(Some(matchers.len()));
                matchers.push(m);
            } else {
                ast_of.push(None);
            }
        }
        let ast_languages = matchers
            .iter()
            .map(|m| astgrep::parse_language(&m.language))
            .collect();
        let mut regex_patterns = Vec::new();
        let regex_of = rules
            .iter()
            .map(|r| match &r.matcher {
                Matcher::Regex(m) => {
                    let flags = if m.multiline { "(?ms)" } else { "(?m)" };
                    regex_patterns.push(format!("{flags}(?:{})", m.regex.as_str()));
                    Some(regex_patterns.len() - 1)
                }
                _ => None,
            })
            .collect();
        let language_globs = kb
            .language_globs
            .iter()
            .filter_map(|(name, g)| astgrep::parse_language(name).map(|l| (l, g.clone())))
            .collect();
        RuleSet {
            rules,
            matchers,
            utils: &kb.utils,
            ast: OnceLock::new(),
            ast_of,
            ast_languages,
            language_globs,
            regex_patterns,
            regex_set: OnceLock::new(),
            regex_of,
        }
    }

    /// Compiles the ast-grep rules if that has not happened yet; every error points at a rule.
    pub fn validate(&self) -> Result<(), Vec<ConfigError>> {
        self.compiled_ast()
            .as_ref()
            .map(|_| ())
            .map_err(Clone::clone)
    }

    /// Whether the ast-grep rules were compiled (by [`RuleSet::validate`] or because a file
    /// needed them).
    pub fn ast_compiled(&self) -> bool {
        self.ast.get().is_some()
    }

    fn compiled_ast(&self) -> &Result<AstRules, Vec<ConfigError>> {
        self.ast
            .get_or_init(|| AstRules::compile(&self.matchers, self.utils))
    }

    /// The compiled ast-grep rules; `None` if they do not compile.
    pub fn ast(&self) -> Option<&AstRules> {
        self.compiled_ast().as_ref().ok()
    }

    fn regex_set(&self) -> Option<&::regex::RegexSet> {
        self.regex_set
            .get_or_init(|| {
                // Without the set every regex rule still runs on its own, so a failure only
                // costs speed.
                (self.regex_patterns.len() > 1)
                    .then(|| {
                        ::regex::RegexSetBuilder::new(&self.regex_patterns)
                            .size_limit(100 << 20)
                            .build()
                            .ok()
                    })
                    .flatten()
            })
            .as_ref()
    }

    pub fn applicable(&self, path: &str) -> Applicable {
        let mut out = Applicable {
            content: Vec::new(),
            ast: Vec::new(),
            language: None,
            require: Vec::new(),
            coverage: Vec::new(),
        };
        let mut language_known = false;
        for (i, rule) in self.rules.iter().enumerate() {
            if !rule.filter.applies(path) {
                continue;
            }
            match &rule.matcher {
                Matcher::RequireFile(_) => out.require.push(i),
                Matcher::Coverage(_) => out.coverage.push(i),
                Matcher::Ast(_) => {
                    if !language_known {
                        out.language = astgrep::language_of(path, &self.language_globs);
                        language_known = true;
                    }
                    if let (Some(lang), Some(a)) = (out.language, self.ast_of[i])
                        && self.ast_languages[a] == Some(lang)
                    {
                        out.ast.push(a);
                    }
                }
                _ => out.content.push(i),
            }
        }
        out
    }

    /// Runs the content rules of `applicable` over `text`.
    pub fn evaluate_content(
        &self,
        path: &str,
        text: &str,
        applicable: &Applicable,
    ) -> Vec<Finding> {
        let index = LineIndex::new(text);
        let mut out = Vec::new();
        let has_regex = applicable
            .content
            .iter()
            .any(|&i| self.regex_of[i].is_some());
        let regex_hits = has_regex
            .then(|| self.regex_set())
            .flatten()
            .map(|set| set.matches(text));
        for &i in &applicable.content {
            let rule = self.rules[i];
            if let (Some(hits), Some(r)) = (&regex_hits, self.regex_of[i])
                && !hits.matched(r)
            {
                continue;
            }
            match &rule.matcher {
                Matcher::MaxLines(spec) => {
                    if let Some((counted, line)) = max_lines::check(spec, path, text) {
                        out.push(finding(
                            rule,
                            path,
                            Span::line(line),
                            max_lines::message(&rule.message, spec, counted),
                            String::new(),
                        ));
                    }
                }
                Matcher::Regex(m) => {
                    for (span, snippet) in regex::check(m, text, &index) {
                        out.push(finding(rule, path, span, rule.message.clone(), snippet));
                    }
                }
                Matcher::ForbidImport(m) => {
                    for (span, snippet, shown) in forbid_import::check(m, path, text, &index) {
                        out.push(finding(
                            rule,
                            path,
                            span,
                            forbid_import::message(&rule.message, &shown),
                            snippet,
                        ));
                    }
                }
                Matcher::RequireFile(_) | Matcher::Ast(_) | Matcher::Coverage(_) => {}
            }
        }
        if let Some(lang) = applicable.language
            && !applicable.ast.is_empty()
            && let Some(ast) = self.ast()
        {
            let ready: Vec<usize> = applicable
                .ast
                .iter()
                .copied()
                .filter(|&a| ast.requirements[a].satisfied_by(text))
                .collect();
            if !ready.is_empty() {
                let by_ast: Vec<(usize, &Rule)> = self
                    .ast_of
                    .iter()
                    .enumerate()
                    .filter_map(|(i, a)| a.map(|a| (a, self.rules[i])))
                    .collect();
                for m in ast.scan(lang, text, &ready) {
                    if let Some((_, rule)) = by_ast.iter().find(|(a, _)| *a == m.rule) {
                        let message = if m.message.is_empty() {
                            rule.message.clone()
                        } else {
                            m.message
                        };
                        let snippet = index.line_text(text, m.span.line).trim().to_owned();
                        out.push(finding(rule, path, m.span, message, snippet));
                    }
                }
            }
        }
        out
    }

    /// Runs the require-file rules of `applicable` for `path`.
    pub fn evaluate_require(
        &self,
        root: &Path,
        path: &str,
        applicable: &Applicable,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for &i in &applicable.require {
            let rule = self.rules[i];
            if let Matcher::RequireFile(m) = &rule.matcher
                && let Some(missing) = require_file::check(m, root, path)
            {
                out.push(finding(
                    rule,
                    path,
                    Span::line(1),
                    require_file::message(&rule.message, &missing),
                    String::new(),
                ));
            }
        }
        out
    }

    /// Sources whose require-file companion could be `changed`.
    pub fn require_sources(&self, root: &Path, changed: &str) -> Vec<String> {
        let mut out = Vec::new();
        for rule in &self.rules {
            if let Matcher::RequireFile(m) = &rule.matcher {
                out.extend(
                    require_file::sources_of(m, root, changed)
                        .into_iter()
                        .filter(|s| rule.filter.applies(s)),
                );
            }
        }
        out
    }
}

fn finding(rule: &Rule, path: &str, span: Span, message: String, snippet: String) -> Finding {
    let mut f = Finding::new(&rule.id, rule.priority, path, span, message);
    f.fix.clone_from(&rule.fix);
    f.runbook.clone_from(&rule.runbook);
    f.snippet = snippet;
    f
}
