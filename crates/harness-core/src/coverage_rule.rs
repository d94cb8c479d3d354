//! The `coverage` matcher as written in a rule file and as checked: thresholds, reports and
//! what to do with a file no report lists. The engine reads the reports.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{ConfigError, SourceLocation};
use crate::glob::Globs;

/// `coverage` options.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CoverageSpec {
    /// Coverage reports to read, relative to the repository root; globs allowed, `.gitignore`
    /// does not apply. LCOV, Cobertura XML, Istanbul `coverage-final.json` and `llvm-cov
    /// export` JSON are told apart by their content.
    #[schemars(with = "OneOrMany")]
    pub reports: Spanned<ReportList>,
    /// The least percentage of instrumented lines the tests must run: a number from 0 to 100
    /// (`80`, not `0.8`).
    #[schemars(with = "Option<PercentSchema>")]
    pub lines: Option<Spanned<Percent>>,
    /// The least percentage of branches the tests must take: a number from 0 to 100.
    #[schemars(with = "Option<PercentSchema>")]
    pub branches: Option<Spanned<Percent>>,
    /// A file the rule applies to that no report lists: `fail` counts it as 0% (the default),
    /// `ignore` leaves it alone.
    #[serde(default)]
    pub missing: Missing,
    /// With `harness check --changed` or `--staged`, count only the lines the change added or
    /// modified.
    #[serde(default)]
    pub diff: bool,
}

/// How `reports` may be written, for the JSON Schema.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// How a threshold may be written, for the JSON Schema: `80` or `"80%"`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum PercentSchema {
    Number(f64),
    Text(#[schemars(regex(pattern = r"^\s*\d+(\.\d+)?\s*%?\s*$"))] String),
}

/// `coverage.reports`: a list of globs, or one glob written alone.
#[derive(Clone, Debug, Default)]
pub struct ReportList(pub Vec<String>);

impl<'de> Deserialize<'de> for ReportList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ReportList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of report paths, e.g. [\"coverage/lcov.info\"]")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ReportList, E> {
                Ok(ReportList(vec![v.to_owned()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ReportList, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(ReportList(out))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// A threshold as written: `80`, `80.5`, or `"80%"`; checked when the rule is built.
#[derive(Clone, Debug)]
pub enum Percent {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Percent;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a percentage from 0 to 100, e.g. 80")
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Percent, E> {
                Ok(Percent::Number(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Percent, E> {
                Ok(Percent::Number(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Percent, E> {
                Ok(Percent::Number(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Percent, E> {
                Ok(Percent::Text(v.to_owned()))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl Percent {
    /// The number, `%` allowed after it; `None` for anything else.
    fn value(&self) -> Option<f64> {
        match self {
            Percent::Number(n) => Some(*n),
            Percent::Text(t) => t.trim().trim_end_matches('%').trim_end().parse().ok(),
        }
    }
}

/// What a `coverage` rule does with a file no report lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// Counted as 0% covered.
    #[default]
    Fail,
    /// Not checked.
    Ignore,
}

/// A checked `coverage` matcher. Thresholds are percentages; at least one is set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Coverage {
    pub reports: Globs,
    pub lines: Option<f64>,
    pub branches: Option<f64>,
    pub missing: Missing,
    pub diff: bool,
}

/// Verifies a rule's `coverage` options; `at` locates errors in the rule file.
pub(crate) fn checked(
    id: &str,
    m: CoverageSpec,
    id_loc: Option<SourceLocation>,
    at: &dyn Fn(serde_saphyr::Location) -> Option<SourceLocation>,
) -> Result<Coverage, ConfigError> {
    let reports_at = m.reports.referenced;
    let listed: Vec<Spanned<String>> = m
        .reports
        .value
        .0
        .into_iter()
        .map(|r| Spanned::new(r, reports_at, reports_at))
        .collect();
    if let Some(out) = listed.iter().find(|r| {
        let r = r.value.replace('\\', "/");
        r.starts_with('/') || r.as_bytes().get(1) == Some(&b':') || r.split('/').any(|s| s == "..")
    }) {
        return Err(ConfigError::new(
            format!(
                "rule `{id}`: `coverage.reports` names `{}`, outside the repository",
                out.value
            ),
            at(reports_at).or_else(|| id_loc.clone()),
            "name reports inside the repository, relative to its root, e.g. \"coverage/lcov.info\"",
        ));
    }
    let reports = crate::rule::globs(id, "coverage.reports", &listed, at)?.ok_or_else(|| {
        ConfigError::new(
            format!("rule `{id}`: `coverage.reports` is empty"),
            at(reports_at).or_else(|| id_loc.clone()),
            "name the reports your tests write, e.g. \"coverage/lcov.info\"",
        )
    })?;
    let threshold = |key: &str, value: Option<Spanned<Percent>>| match value {
        None => Ok(None),
        Some(v) => match v.value.value() {
            // 0.8 is a fraction taken for 80%: it would pass nearly everything.
            Some(n) if n > 0.0 && n < 1.0 => Err(ConfigError::new(
                format!(
                    "rule `{id}`: `coverage.{key}: {n}` means {n}%, not {}%",
                    n * 100.0
                ),
                at(v.referenced),
                format!("write percentages, e.g. `{key}: 80` for 80%"),
            )),
            Some(n) if (0.0..=100.0).contains(&n) => Ok(Some(n)),
            _ => Err(ConfigError::new(
                format!(
                    "rule `{id}`: `coverage.{key}` is {}, not a percentage from 0 to 100",
                    match &v.value {
                        Percent::Number(n) => n.to_string(),
                        Percent::Text(t) => format!("`{t}`"),
                    }
                ),
                at(v.referenced),
                format!("write a number, e.g. `{key}: 80` for 80%"),
            )),
        },
    };
    let lines = threshold("lines", m.lines)?;
    let branches = threshold("branches", m.branches)?;
    if lines.is_none() && branches.is_none() {
        return Err(ConfigError::new(
            format!("rule `{id}`: `coverage` sets no threshold"),
            at(reports_at).or(id_loc),
            "add `lines:`, `branches:` or both, as percentages (e.g. `branches: 100`)",
        ));
    }
    Ok(Coverage {
        reports,
        lines,
        branches,
        missing: m.missing,
        diff: m.diff,
    })
}
