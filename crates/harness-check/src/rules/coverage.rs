//! `coverage`: files in `paths` must reach line and branch thresholds in the coverage reports
//! the team's tests already write.
//!
//! This file is the rule's logic, on values: a file's verdict from its hit counts, and the
//! findings about reports. Reading the reports and mapping their paths to the repository is
//! I/O, in [`crate::coverage_reports`].

use std::collections::BTreeMap;

use harness_core::rule::Coverage;
use harness_core::{Finding, Priority, Rule, Span};
use harness_coverage::{CoverageError, FileCoverage, ReportError};

use crate::builtin::{COVERAGE_REPORT, STALE_COVERAGE};

/// At most this many uncovered ranges are named in a finding.
const SHOWN_RANGES: usize = 5;

/// A file the rule applies to that none of `reports` lists, counted as 0%.
pub fn missing(rule: &Rule, m: &Coverage, path: &str, reports: &[&str]) -> Finding {
    let message = format!(
        "{} (not in {}: counted as 0%, needs {})",
        rule.message,
        reports.join(", "),
        needs(m)
    );
    finding(rule, path, Span::line(1), message)
}

/// A rule whose `coverage.reports` matched no file, at the rule.
pub fn no_report(rule: &Rule, m: &Coverage) -> Finding {
    let mut f = Finding::new(
        COVERAGE_REPORT.id,
        rule.priority,
        &rule.origin.path.to_string_lossy().replace('\\', "/"),
        Span::line(u32::try_from(rule.origin.line).unwrap_or(1)),
        format!(
            "no coverage report at {} (rule `{}`)",
            m.reports.patterns.join(", "),
            rule.id
        ),
    );
    f.fix = Some(format!(
        "run the tests with coverage so that they write {}, then `harness check` again",
        m.reports.patterns.join(" or ")
    ));
    f.runbook.clone_from(&rule.runbook);
    f
}

/// A report that could not be read, at the report (and its line, where it is malformed).
/// `shown` is the path the error names, left out of the message.
pub fn unreadable(report: &str, shown: &str, error: &ReportError, priority: Priority) -> Finding {
    let line = match error {
        ReportError::Invalid {
            error: CoverageError::Malformed { line, .. },
            ..
        } => u32::try_from(*line).unwrap_or(u32::MAX),
        _ => 1,
    };
    let text = error.to_string();
    let message = match error {
        ReportError::TooLarge { limit, .. } => {
            format!("the report is over `check.max_report_bytes` ({limit} bytes)")
        }
        _ => shown_text(
            text.strip_prefix(shown)
                .map_or(text.as_str(), |rest| trim_location(rest)),
        ),
    };
    let mut f = Finding::new(
        COVERAGE_REPORT.id,
        priority,
        report,
        Span::line(line),
        message,
    );
    f.fix = Some(
        match error {
            ReportError::TooLarge { .. } => {
                "raise `max_report_bytes` under `[check]` in harness.toml, or report only the files the rules cover"
            }
            ReportError::Outside { .. } => {
                "write the report inside the repository and point `coverage.reports` at it"
            }
            ReportError::Unknown { .. } | ReportError::NotAFile { .. } => {
                "point `coverage.reports` at an LCOV, Cobertura XML, Istanbul JSON or llvm-cov export JSON file"
            }
            _ => "re-run the tests with coverage so the report is written whole",
        }
        .to_owned(),
    );
    f
}

/// A readable report none of whose paths names a repository file (that checks look at).
pub fn foreign(report: &str, read: &harness_coverage::Report, priority: Priority) -> Finding {
    let first = read.files.first().map_or("", |f| f.path.as_str());
    about_report(
        (COVERAGE_REPORT.id, priority),
        report,
        format!(
            "no path in the report names a file of this repository ({} listed, e.g. `{}`)",
            read.files.len(),
            shown_text(first)
        ),
        "run the tests with coverage in this repository, or point `coverage.reports` at its report",
    )
}

/// A report without branch data read by rules (`ids`) that need branches.
pub fn no_branches(report: &str, ids: &[&str], priority: Priority) -> Finding {
    about_report(
        (COVERAGE_REPORT.id, priority),
        report,
        format!(
            "the report records no branches, but `{}` needs branch coverage",
            ids.join("`, `")
        ),
        "turn branch coverage on (coverage.py: `--branch`; cargo-llvm-cov: `--branch` on nightly; c8, nyc and jest record branches by default)",
    )
}

/// A report older than `files` (sorted) it describes.
pub fn stale(report: &str, files: &[String]) -> Finding {
    about_report(
        (STALE_COVERAGE.id, STALE_COVERAGE.priority),
        report,
        format!(
            "the report is older than {} it describes ({}): its lines may not match",
            plural(files.len(), "file"),
            shown(files)
        ),
        "re-run the tests with coverage, then `harness check`",
    )
}

/// A finding of a built-in rule (`id`, `priority`) at a report's first line.
fn about_report(
    (id, priority): (&str, Priority),
    report: &str,
    message: String,
    fix: &str,
) -> Finding {
    let mut f = Finding::new(id, priority, report, Span::line(1), message);
    f.fix = Some(fix.to_owned());
    f
}

/// What the rule needs, as words: `100% of branches` or `80% of lines and 100% of branches`.
pub fn needs(m: &Coverage) -> String {
    let parts: Vec<String> = [(m.lines, "lines"), (m.branches, "branches")]
        .into_iter()
        .filter_map(|(t, what)| t.map(|t| format!("{} of {what}", percent(t))))
        .collect();
    parts.join(" and ")
}

/// The finding for one file if it misses a threshold. `only`: the lines that count, in diff
/// mode; every line counts without it.
pub fn verdict(
    rule: &Rule,
    m: &Coverage,
    path: &str,
    file: &FileCoverage,
    only: Option<&[(u32, u32)]>,
    stale: bool,
) -> Option<Finding> {
    let counts = |line: u32| only.is_none_or(|r| r.iter().any(|&(s, e)| (s..=e).contains(&line)));
    // Whether a test loaded the file at all, changed lines or not.
    let ran = file.lines.values().any(|&h| h > 0);
    let mut parts = Vec::new();
    let mut first: Option<(u32, u32)> = None;
    if let Some(need) = m.lines {
        let lines: Vec<(u32, bool)> = file
            .lines
            .iter()
            .filter(|(l, _)| counts(**l))
            .map(|(l, h)| (*l, *h > 0))
            .collect();
        let hit = lines.iter().filter(|(_, h)| *h).count();
        if misses(hit, lines.len(), need) {
            let ranges = ranges(lines.iter().filter(|(_, h)| !h).map(|(l, _)| *l));
            first = earliest(first, ranges.first().copied());
            parts.push(format!(
                "lines {hit}/{} ({}, needs {}), not run: {}",
                lines.len(),
                measured(hit, lines.len()),
                percent(need),
                listed(&ranges)
            ));
        }
    }
    if let Some(need) = m.branches {
        let mut by_line: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for (&(line, _), &taken) in &file.branches {
            if counts(line) {
                let e = by_line.entry(line).or_default();
                e.0 += usize::from(taken > 0);
                e.1 += 1;
            }
        }
        let hit: usize = by_line.values().map(|e| e.0).sum();
        let total: usize = by_line.values().map(|e| e.1).sum();
        if misses(hit, total, need) {
            let ranges = ranges(by_line.iter().filter(|(_, (h, t))| h < t).map(|(l, _)| *l));
            first = earliest(first, ranges.first().copied());
            parts.push(format!(
                "branches {hit}/{total} ({}, needs {}), not taken: {}",
                measured(hit, total),
                percent(need),
                listed(&ranges)
            ));
        }
    }
    if parts.is_empty() {
        return None;
    }
    let (line, end) = first.unwrap_or((1, 1));
    // A file no test loaded: naming its lines would only list them all.
    let (line, end, detail) = if !ran && !file.lines.is_empty() {
        let summary: Vec<&str> = parts
            .iter()
            .map(|p| p.split_once(" (").map_or(p.as_str(), |(head, _)| head))
            .collect();
        (
            1,
            1,
            format!(
                "no test runs it: {}; needs {}",
                summary.join(", "),
                needs(m)
            ),
        )
    } else {
        (line, end, parts.join("; "))
    };
    let scope = if only.is_some() {
        "in changed lines: "
    } else {
        ""
    };
    let note = if stale {
        "; the report is older than this file"
    } else {
        ""
    };
    let message = format!("{} ({scope}{detail}{note})", rule.message);
    let span = Span {
        line,
        column: 1,
        end_line: end,
        end_column: 1,
    };
    Some(finding(rule, path, span, message))
}

fn finding(rule: &Rule, path: &str, span: Span, message: String) -> Finding {
    let mut f = Finding::new(&rule.id, rule.priority, path, span, message);
    f.fix = Some(rule.fix.clone().unwrap_or_else(|| {
        "add tests for what the finding names, then run the tests with coverage again".to_owned()
    }));
    f.runbook.clone_from(&rule.runbook);
    f
}

/// Whether `hit` of `total` is under `need` percent. Nothing to cover is fully covered.
#[allow(clippy::cast_precision_loss)]
fn misses(hit: usize, total: usize, need: f64) -> bool {
    total > 0 && (hit as f64) * 100.0 < need * (total as f64)
}

/// `hit` of `total` as a percentage, rounded down so a miss never shows as its threshold.
#[allow(clippy::cast_precision_loss)]
fn measured(hit: usize, total: usize) -> String {
    let tenths = (hit as f64 * 1000.0 / total as f64).floor() / 10.0;
    percent(tenths)
}

fn percent(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}%")
    } else {
        format!("{value:.1}%")
    }
}

/// Consecutive lines as inclusive ranges.
fn ranges(lines: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for line in lines {
        match out.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(line) => *end = line,
            _ => out.push((line, line)),
        }
    }
    out
}

fn earliest(a: Option<(u32, u32)>, b: Option<(u32, u32)>) -> Option<(u32, u32)> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `3, 7-9 and 4 more`: the first ranges, bounded.
fn listed(ranges: &[(u32, u32)]) -> String {
    let shown: Vec<String> = ranges
        .iter()
        .take(SHOWN_RANGES)
        .map(|&(s, e)| {
            if s == e {
                format!("line {s}")
            } else {
                format!("lines {s}-{e}")
            }
        })
        .collect();
    let rest = ranges.len().saturating_sub(SHOWN_RANGES);
    if rest == 0 {
        shown.join(", ")
    } else {
        format!("{} and {rest} more", shown.join(", "))
    }
}

fn shown(files: &[String]) -> String {
    const SHOWN: usize = 3;
    let list = files
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if files.len() > SHOWN {
        format!("{list} and {} more", files.len() - SHOWN)
    } else {
        list
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A message quoting a report, bounded and without control characters, which a terminal
/// would obey.
fn shown_text(text: &str) -> String {
    const MAX: usize = 300;
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// `:12: message` or `: message` after a report's path, as the message alone.
fn trim_location(rest: &str) -> &str {
    let rest = rest.trim_start_matches(':');
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.trim_start_matches(':').trim_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_group_consecutive_lines_and_the_list_is_bounded() {
        let r = ranges([1, 2, 3, 5, 8, 9].into_iter());
        assert_eq!(r, vec![(1, 3), (5, 5), (8, 9)]);
        let many: Vec<(u32, u32)> = (0..8).map(|i| (i * 10, i * 10)).collect();
        assert_eq!(
            listed(&many),
            "line 0, line 10, line 20, line 30, line 40 and 3 more"
        );
    }

    #[test]
    fn a_miss_never_reads_as_its_threshold() {
        assert!(misses(999, 1000, 100.0));
        assert_eq!(measured(999, 1000), "99.9%");
        assert_eq!(measured(9999, 10000), "99.9%");
        assert!(!misses(0, 0, 100.0));
        assert!(!misses(4, 5, 80.0));
        assert_eq!(percent(80.5), "80.5%");
    }
}
