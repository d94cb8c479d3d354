//! Rules written in ast-grep's own format (`id`, `language`, `rule`, `severity`...), so existing
//! ast-grep projects work unchanged. harness's extra fields live under `metadata`.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::Priority;
use crate::error::{ConfigError, SourceLocation};
use crate::glob::Globs;
use crate::rule::{AstMatcher, Matcher, PathFilter, Rule, check_id, check_language};
use crate::yaml::{self, Document};

/// True when the document is an ast-grep rule: it has a top-level `rule:` key.
pub fn is_astgrep_document(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("rule:"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SerializableAstGrepRule {
    id: Spanned<String>,
    language: Spanned<String>,
    rule: Spanned<serde_json::Value>,
    constraints: Option<serde_json::Value>,
    utils: Option<serde_json::Value>,
    transform: Option<serde_json::Value>,
    fix: Option<serde_json::Value>,
    rewriters: Option<serde_json::Value>,
    #[serde(default)]
    message: String,
    note: Option<String>,
    severity: Option<Spanned<String>>,
    labels: Option<serde_json::Value>,
    files: Option<Vec<Spanned<FileGlob>>>,
    ignores: Option<Vec<Spanned<FileGlob>>>,
    url: Option<String>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FileGlob {
    Glob(String),
    #[serde(rename_all = "camelCase")]
    Config {
        glob: String,
        #[serde(default)]
        case_insensitive: bool,
    },
}

/// harness fields under ast-grep's free-form `metadata`.
#[derive(Deserialize, Default)]
struct Metadata {
    priority: Option<Spanned<String>>,
    why: Option<String>,
    fix: Option<String>,
    runbook: Option<String>,
    #[serde(flatten)]
    _rest: serde_json::Map<String, serde_json::Value>,
}

const HINT: &str = "ast-grep rule keys are id, language, rule, constraints, utils, transform, fix, \
                    rewriters, message, note, severity, labels, files, ignores, url, metadata";

/// Parses one ast-grep rule document; a rule with `severity: off` comes back disabled.
pub fn parse(doc: &Document<'_>, file: &Path) -> Result<Rule, ConfigError> {
    let raw: SerializableAstGrepRule = yaml::from_document(doc, file, HINT)?;
    let at = |loc: serde_saphyr::Location| yaml::location(file, loc, doc.line_offset);
    let id_loc = at(raw.id.referenced);
    let id = raw.id.value.clone();
    check_id(&id, id_loc.clone())?;
    check_language(&raw.language.value, at(raw.language.referenced))?;
    let meta = raw.metadata.unwrap_or_default();
    let priority = match (&meta.priority, &raw.severity) {
        (Some(p), _) => p.value.parse::<Priority>().map_err(|e| {
            ConfigError::new(
                format!("rule `{id}`: {e}"),
                at(p.referenced),
                "metadata.priority is one of P0, P1, P2, P3",
            )
        })?,
        (None, Some(sev)) => match sev.value.to_ascii_lowercase().as_str() {
            "error" => Priority::P1,
            "warning" => Priority::P2,
            // An `off` rule is kept, disabled, so `explain` and suppressions still know it.
            "info" | "hint" | "off" => Priority::P3,
            other => {
                return Err(ConfigError::new(
                    format!("rule `{id}`: unknown severity `{other}`"),
                    at(sev.referenced),
                    "severity is one of error, warning, info, hint, off",
                ));
            }
        },
        // ast-grep's default severity is `hint`.
        (None, None) => Priority::P3,
    };
    let filter = PathFilter {
        paths: astgrep_globs(&id, "files", raw.files.as_deref(), &at)?,
        ignores: astgrep_globs(&id, "ignores", raw.ignores.as_deref(), &at)?,
    };
    let mut config = serde_json::Map::new();
    config.insert("id".into(), id.clone().into());
    config.insert("language".into(), raw.language.value.clone().into());
    config.insert("message".into(), raw.message.clone().into());
    config.insert("rule".into(), raw.rule.value);
    for (k, v) in [
        ("constraints", raw.constraints),
        ("utils", raw.utils),
        ("transform", raw.transform),
        ("fix", raw.fix),
        ("rewriters", raw.rewriters),
        ("labels", raw.labels),
    ] {
        if let Some(v) = v {
            config.insert(k.into(), v);
        }
    }
    let origin = id_loc.unwrap_or_else(|| SourceLocation::new(file, doc.line_offset + 1, 1));
    let enabled = raw
        .severity
        .as_ref()
        .is_none_or(|s| !s.value.eq_ignore_ascii_case("off"));
    Ok(Rule {
        id,
        enabled,
        priority,
        message: raw.message,
        why: meta.why.or(raw.note),
        fix: meta.fix,
        runbook: meta.runbook.or(raw.url),
        filter,
        matcher: Matcher::Ast(AstMatcher {
            language: raw.language.value,
            config: config.into(),
            rule_location: at(raw.rule.referenced).unwrap_or_else(|| origin.clone()),
        }),
        origin,
    })
}

/// ast-grep matches `files`/`ignores` globs with globset defaults (`*` crosses `/`); keep that.
fn astgrep_globs(
    id: &str,
    key: &str,
    list: Option<&[Spanned<FileGlob>]>,
    at: &dyn Fn(serde_saphyr::Location) -> Option<SourceLocation>,
) -> Result<Option<Globs>, ConfigError> {
    let Some(list) = list else { return Ok(None) };
    let mut patterns = Vec::new();
    for g in list {
        let (pattern, case_insensitive) = match &g.value {
            FileGlob::Glob(p) => (p.clone(), false),
            FileGlob::Config {
                glob,
                case_insensitive,
            } => (glob.clone(), *case_insensitive),
        };
        globset::GlobBuilder::new(&pattern)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|e| {
                ConfigError::new(
                    format!(
                        "rule `{id}`: invalid glob `{pattern}` in `{key}`: {}",
                        e.kind()
                    ),
                    at(g.referenced),
                    "globs use `*`, `**`, `?`, `[...]` and `{a,b}`; check brackets and braces",
                )
            })?;
        patterns.push((pattern, case_insensitive));
    }
    Ok(Some(Globs::astgrep(patterns)))
}
