//! Rules: the serializable form users write and the checked form the engine runs.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::Priority;
use crate::error::{ConfigError, SourceLocation};
use crate::glob::Globs;
use crate::lazy_regex::LazyRegex;
use crate::yaml::{self, Document};

pub use crate::coverage_rule::{Coverage, CoverageSpec, Missing, Percent, ReportList};

/// A rule as written in `.harness/rules/*.yml` (one rule per YAML document).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "harness rule")]
pub struct SerializableRule {
    /// Unique id, e.g. `no-fetch-without-timeout`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// P0 (drop everything) to P3 (nit).
    pub priority: Priority,
    /// One line saying what is wrong.
    pub message: String,
    /// Why the team cares.
    pub why: Option<String>,
    /// How to fix it: shown to the agent as `fix:`.
    pub fix: Option<String>,
    /// A URL or repository path with the full story: shown as `see:`.
    pub runbook: Option<String>,
    /// Globs of files the rule applies to (default: every file). A glob with no `/` matches at any depth.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub paths: Vec<Spanned<String>>,
    /// Globs of files the rule never applies to: the allow-list.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignores: Vec<Spanned<String>>,
    /// Matcher: a file over a line budget.
    pub max_lines: Option<MaxLinesSpec>,
    /// Matcher: every file in `paths` needs a companion file.
    pub require_file: Option<RequireFileSpec>,
    /// Matcher: files in `paths` may not import these modules or paths.
    pub forbid_import: Option<ForbidImportSpec>,
    /// Matcher: a regular expression.
    pub regex: Option<RegexSpec>,
    /// Matcher: an ast-grep rule.
    pub ast: Option<AstSpec>,
    /// Matcher: line and branch coverage thresholds read from coverage reports.
    pub coverage: Option<CoverageSpec>,
}

/// `max-lines` options.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MaxLinesSpec {
    /// The most lines a file may have.
    pub max: u32,
    /// Count only lines with code: blank lines and comment-only lines are left out.
    #[serde(default)]
    pub code_only: bool,
}

/// `require-file` options.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequireFileSpec {
    /// Path templates of acceptable companions; one existing is enough. Placeholders: `{dir}`,
    /// `{stem}` (name without its last extension), `{name}`, `{ext}`, `{path}`.
    #[schemars(with = "Vec<String>")]
    pub one_of: Vec<Spanned<String>>,
}

/// `forbid-import` options.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ForbidImportSpec {
    /// Globs matched against each import: a relative import is resolved to a repository path
    /// first (`src/db/**`); anything else is matched as written (`pg`, `@prisma/*`,
    /// `crate::db::*`, `app.db*`).
    #[schemars(with = "Vec<String>")]
    pub from: Vec<Spanned<String>>,
}

/// `regex` options.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegexSpec {
    /// A Rust `regex` pattern.
    #[schemars(with = "String")]
    pub pattern: Spanned<String>,
    /// Let a match span lines (`.` then also matches a newline). Default: a match stays in one line.
    #[serde(default)]
    pub multiline: bool,
}

/// `ast` options: ast-grep rule syntax.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AstSpec {
    /// ast-grep language name: typescript, tsx, javascript, rust, python, go, java...
    #[schemars(with = "String")]
    pub language: Spanned<String>,
    /// The ast-grep rule object (pattern, kind, regex, inside, has, all, any, not, matches...).
    #[schemars(with = "serde_json::Value")]
    pub rule: Spanned<serde_json::Value>,
    pub constraints: Option<serde_json::Value>,
    pub utils: Option<serde_json::Value>,
    pub transform: Option<serde_json::Value>,
}

/// A checked rule, ready to run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    /// False for an ast-grep rule with `severity: off`: loaded (for `explain` and suppressions)
    /// but never run, and its rule tests are skipped, as ast-grep does.
    pub enabled: bool,
    pub priority: Priority,
    pub message: String,
    pub why: Option<String>,
    pub fix: Option<String>,
    pub runbook: Option<String>,
    pub filter: PathFilter,
    pub matcher: Matcher,
    /// Where the rule is defined.
    pub origin: SourceLocation,
}

/// Which files a rule applies to.
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct PathFilter {
    pub paths: Option<Globs>,
    pub ignores: Option<Globs>,
}

impl PathFilter {
    pub fn applies(&self, path: &str) -> bool {
        if self.ignores.as_ref().is_some_and(|g| g.is_match(path)) {
            return false;
        }
        self.paths.as_ref().is_none_or(|g| g.is_match(path))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Matcher {
    MaxLines(MaxLinesSpec),
    RequireFile(RequireFile),
    ForbidImport(ForbidImport),
    Regex(RegexMatcher),
    Ast(AstMatcher),
    Coverage(Coverage),
}

impl Matcher {
    pub fn kind(&self) -> &'static str {
        match self {
            Matcher::MaxLines(_) => "max-lines",
            Matcher::RequireFile(_) => "require-file",
            Matcher::ForbidImport(_) => "forbid-import",
            Matcher::Regex(_) => "regex",
            Matcher::Ast(_) => "ast",
            Matcher::Coverage(_) => "coverage",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequireFile {
    pub one_of: Vec<crate::template::PathTemplate>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ForbidImport {
    pub from: Globs,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RegexMatcher {
    pub regex: LazyRegex,
    pub multiline: bool,
}

/// An ast-grep rule kept as data: the check engine compiles it, so only it depends on ast-grep.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AstMatcher {
    pub language: String,
    /// The ast-grep rule config (`id`, `language`, `rule`, `constraints`, `utils`, `transform`...)
    /// as JSON.
    pub config: serde_json::Value,
    /// Where `rule:` is, for errors the ast-grep compiler reports.
    pub rule_location: SourceLocation,
}

const MATCHER_KEYS: &str = "max-lines, require-file, forbid-import, regex, ast, coverage";

impl SerializableRule {
    /// Verifies and compiles the rule. `doc` locates errors.
    pub fn into_rule(self, file: &Path, line_offset: u64) -> Result<Rule, ConfigError> {
        let at = |loc: serde_saphyr::Location| yaml::location(file, loc, line_offset);
        let id_loc = at(self.id.referenced);
        let id = self.id.value;
        check_id(&id, id_loc.clone())?;
        let mut matchers = Vec::new();
        if let Some(m) = self.max_lines {
            matchers.push(Matcher::MaxLines(m));
        }
        if let Some(m) = self.require_file {
            if m.one_of.is_empty() {
                return Err(ConfigError::new(
                    format!("rule `{id}`: `require-file.one-of` is empty"),
                    id_loc,
                    "list at least one companion template, e.g. \"{dir}/{stem}.test.tsx\"",
                ));
            }
            let mut templates = Vec::new();
            for t in m.one_of {
                templates.push(crate::template::PathTemplate::parse(&t.value).map_err(|e| {
                    ConfigError::new(
                        format!("rule `{id}`: invalid path template `{}`: {e}", t.value),
                        at(t.referenced),
                        "placeholders are {dir}, {stem}, {name}, {ext} and {path}",
                    )
                })?);
            }
            matchers.push(Matcher::RequireFile(RequireFile { one_of: templates }));
        }
        if let Some(m) = self.forbid_import {
            let from = globs(&id, "forbid-import.from", &m.from, &at)?.ok_or_else(|| {
                ConfigError::new(
                    format!("rule `{id}`: `forbid-import.from` is empty"),
                    id_loc.clone(),
                    "list the forbidden modules or paths, e.g. \"src/db/**\"",
                )
            })?;
            matchers.push(Matcher::ForbidImport(ForbidImport { from }));
        }
        if let Some(m) = self.regex {
            let pattern = &m.pattern.value;
            let built = LazyRegex::compile(pattern, m.multiline).map_err(|e| {
                ConfigError::new(
                    format!("rule `{id}`: invalid regex `{pattern}`: {}", regex_problem(&e)),
                    at(m.pattern.referenced),
                    "the syntax is Rust's `regex` crate; escape `\\` twice inside double-quoted YAML",
                )
            })?;
            matchers.push(Matcher::Regex(RegexMatcher {
                regex: built,
                multiline: m.multiline,
            }));
        }
        if let Some(m) = self.ast {
            let language = m.language.value.clone();
            check_language(&language, at(m.language.referenced))?;
            let mut config = serde_json::Map::new();
            config.insert("id".into(), id.clone().into());
            config.insert("language".into(), language.clone().into());
            config.insert("message".into(), self.message.clone().into());
            config.insert("rule".into(), m.rule.value);
            for (k, v) in [
                ("constraints", m.constraints),
                ("utils", m.utils),
                ("transform", m.transform),
            ] {
                if let Some(v) = v {
                    config.insert(k.into(), v);
                }
            }
            let rule_location = at(m.rule.referenced)
                .or_else(|| id_loc.clone())
                .unwrap_or_else(|| SourceLocation::new(file, line_offset + 1, 1));
            matchers.push(Matcher::Ast(AstMatcher {
                language,
                config: config.into(),
                rule_location,
            }));
        }
        if let Some(m) = self.coverage {
            matchers.push(Matcher::Coverage(crate::coverage_rule::checked(
                &id,
                m,
                id_loc.clone(),
                &at,
            )?));
        }
        let matcher = match matchers.len() {
            1 => matchers.remove(0),
            0 => {
                return Err(ConfigError::new(
                    format!("rule `{id}` has no matcher"),
                    id_loc,
                    format!("add exactly one of: {MATCHER_KEYS}"),
                ));
            }
            _ => {
                let kinds: Vec<_> = matchers.iter().map(Matcher::kind).collect();
                return Err(ConfigError::new(
                    format!(
                        "rule `{id}` has {} matchers ({})",
                        kinds.len(),
                        kinds.join(", ")
                    ),
                    id_loc,
                    "a rule has exactly one matcher; split it into one rule per matcher",
                ));
            }
        };
        let filter = PathFilter {
            paths: globs(&id, "paths", &self.paths, &at)?,
            ignores: globs(&id, "ignores", &self.ignores, &at)?,
        };
        if matches!(matcher, Matcher::Coverage(_)) && filter.paths.is_none() {
            // Without paths it would judge every file, and count each README as untested.
            return Err(ConfigError::new(
                format!("rule `{id}`: a `coverage` rule needs `paths`"),
                id_loc,
                "name the source files its reports cover, e.g. `paths: [\"src/**/*.ts\"]`",
            ));
        }
        Ok(Rule {
            origin: id_loc.unwrap_or_else(|| SourceLocation::new(file, line_offset + 1, 1)),
            id,
            enabled: true,
            priority: self.priority,
            message: self.message,
            why: self.why,
            fix: self.fix,
            runbook: self.runbook,
            filter,
            matcher,
        })
    }
}

/// The regex crate's diagnosis without its ASCII-art pointer lines.
fn regex_problem(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map_or_else(
            || text.lines().last().unwrap_or_default().trim().to_owned(),
            str::to_owned,
        )
}

pub(crate) fn globs(
    id: &str,
    key: &str,
    list: &[Spanned<String>],
    at: &dyn Fn(serde_saphyr::Location) -> Option<SourceLocation>,
) -> Result<Option<Globs>, ConfigError> {
    if list.is_empty() {
        return Ok(None);
    }
    for g in list {
        if let Err(e) = crate::glob::compile(&g.value) {
            return Err(ConfigError::new(
                format!("rule `{id}`: invalid glob `{}` in `{key}`: {e}", g.value),
                at(g.referenced),
                "globs use `*`, `**`, `?`, `[...]` and `{a,b}`; check brackets and braces",
            ));
        }
    }
    let patterns: Vec<String> = list.iter().map(|g| g.value.clone()).collect();
    Globs::checked(patterns).map(Some).map_err(|(p, e)| {
        ConfigError::new(
            format!("rule `{id}`: invalid glob `{p}` in `{key}`: {e}"),
            list.first().and_then(|g| at(g.referenced)),
            "fix the glob",
        )
    })
}

pub(crate) fn check_id(id: &str, loc: Option<SourceLocation>) -> Result<(), ConfigError> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::new(
            format!("invalid rule id `{id}`"),
            loc,
            "ids use letters, digits, `-`, `_`, `.`, `/` and `:`, e.g. `no-fetch-without-timeout`",
        ))
    }
}

/// Language names harness knows, as ast-grep spells them (with its aliases).
pub const LANGUAGES: &[(&str, &[&str])] = &[
    ("typescript", &["ts", "typescript"]),
    ("tsx", &["tsx"]),
    ("javascript", &["javascript", "js", "jsx"]),
    ("rust", &["rs", "rust"]),
    ("python", &["py", "python"]),
    ("go", &["go", "golang"]),
    ("java", &["java"]),
];

/// The canonical name of a language, if harness knows it.
pub fn canonical_language(name: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(_, aliases)| aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
        .map(|(canon, _)| *canon)
}

pub(crate) fn check_language(name: &str, loc: Option<SourceLocation>) -> Result<(), ConfigError> {
    if canonical_language(name).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
    Err(ConfigError::new(
        format!("unknown language `{name}`"),
        loc,
        format!("use one of: {}", known.join(", ")),
    ))
}

/// Reads every rule in one YAML file (native harness rules and ast-grep rules may be mixed).
pub fn parse_rule_file(text: &str, file: &Path) -> Result<Vec<Rule>, Vec<ConfigError>> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for doc in yaml::documents(text) {
        let parsed = if crate::astgrep_rule::is_astgrep_document(doc.text) {
            crate::astgrep_rule::parse(&doc, file)
        } else {
            parse_native(&doc, file)
        };
        match parsed {
            Ok(rule) => rules.push(rule),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

fn parse_native(doc: &Document<'_>, file: &Path) -> Result<Rule, ConfigError> {
    let raw: SerializableRule = yaml::from_document(
        doc,
        file,
        "check the key against `harness schema rule`; a rule needs id, priority, message and one matcher",
    )?;
    raw.into_rule(file, doc.line_offset)
}

/// Display path of `file` relative to `root`, for locations.
pub fn relative(root: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(root)
        .map_or_else(|_| file.to_path_buf(), Path::to_path_buf)
}
