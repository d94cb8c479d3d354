//! `harness test`: ast-grep rule tests (`valid`/`invalid` code per rule id), run in-process.

use std::path::{Path, PathBuf};

use harness_core::yaml;
use harness_core::{ConfigError, KnowledgeBase, LoadError};
use serde::Deserialize;

use crate::rules::RuleSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestCase {
    id: String,
    #[serde(default)]
    valid: Vec<String>,
    #[serde(default)]
    invalid: Vec<String>,
}

/// One failed expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The test file, relative to the repository root.
    pub file: PathBuf,
    pub rule: String,
    pub kind: FailureKind,
    /// 1-based index of the case in its list.
    pub case: usize,
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// A `valid` case matched, at these lines of the case.
    ValidMatched(Vec<u32>),
    /// An `invalid` case did not match.
    InvalidMissed,
    /// The test names a rule that does not exist (or is not an ast rule).
    UnknownRule,
}

/// The outcome of every rule test.
#[derive(Debug, Default)]
pub struct TestSummary {
    pub passed: usize,
    /// Test files of rules with `severity: off`, skipped as ast-grep does.
    pub skipped: Vec<String>,
    pub failures: Vec<Failure>,
    pub files: usize,
}

/// Runs every test case under the knowledge base's test directories.
pub fn run(kb: &KnowledgeBase, only: &[String]) -> Result<TestSummary, LoadError> {
    let rules = RuleSet::compile(kb, &[]).map_err(|errors| LoadError { errors })?;
    let mut summary = TestSummary::default();
    let mut errors = Vec::new();
    for dir in &kb.test_dirs {
        for file in harness_core::load::yaml_files(dir) {
            summary.files += 1;
            run_file(kb, &rules, &file, only, &mut summary, &mut errors);
        }
    }
    if errors.is_empty() {
        Ok(summary)
    } else {
        Err(LoadError { errors })
    }
}

fn run_file(
    kb: &KnowledgeBase,
    rules: &RuleSet<'_>,
    file: &Path,
    only: &[String],
    summary: &mut TestSummary,
    errors: &mut Vec<ConfigError>,
) {
    let shown = harness_core::rule::relative(&kb.root, file);
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            errors.push(ConfigError::new(
                format!("cannot read {}: {e}", shown.display()),
                None,
                "check that the file is readable UTF-8",
            ));
            return;
        }
    };
    for doc in yaml::documents(&text) {
        let case: TestCase =
            match yaml::from_document(&doc, &shown, "a rule test has id, valid and invalid") {
                Ok(c) => c,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
        if !only.is_empty() && !only.contains(&case.id) {
            continue;
        }
        if kb.rule(&case.id).is_some_and(|r| !r.enabled) {
            summary.skipped.push(case.id.clone());
            continue;
        }
        if !rules.ast().is_some_and(|a| a.has_rule(&case.id)) {
            summary.failures.push(Failure {
                file: shown.clone(),
                rule: case.id.clone(),
                kind: FailureKind::UnknownRule,
                case: 0,
                code: String::new(),
            });
            continue;
        }
        for (i, code) in case.valid.iter().enumerate() {
            let lines = rules
                .ast()
                .and_then(|a| a.match_lines(&case.id, code))
                .unwrap_or_default();
            if lines.is_empty() {
                summary.passed += 1;
            } else {
                summary.failures.push(Failure {
                    file: shown.clone(),
                    rule: case.id.clone(),
                    kind: FailureKind::ValidMatched(lines),
                    case: i + 1,
                    code: code.clone(),
                });
            }
        }
        for (i, code) in case.invalid.iter().enumerate() {
            let lines = rules
                .ast()
                .and_then(|a| a.match_lines(&case.id, code))
                .unwrap_or_default();
            if lines.is_empty() {
                summary.failures.push(Failure {
                    file: shown.clone(),
                    rule: case.id.clone(),
                    kind: FailureKind::InvalidMissed,
                    case: i + 1,
                    code: code.clone(),
                });
            } else {
                summary.passed += 1;
            }
        }
    }
}
