//! `coverage`: files in `paths` must reach line and branch thresholds in the coverage reports
//! the team's tests already write.
//!
//! Reports are read once per run, before any file is checked ([`Reports::load`]), and their
//! paths are mapped to the repository's files; each file is then judged on its own
//! ([`Reports::judge`]). What concerns a report rather than a file (none found, unreadable, no
//! branch data, older than the files it describes) becomes one finding at the report
//! ([`Reports::findings`]). Verdicts depend on the reports, so they are never cached.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::UNIX_EPOCH;

use harness_core::rule::{Coverage, Matcher, Missing};
use harness_core::{Finding, Priority, Rule, Span};
use harness_coverage::{FileCoverage, Report, ReportError};
use rayon::prelude::*;

use crate::builtin::{COVERAGE_REPORT, STALE_COVERAGE};

/// How much newer than its report a file must be to make the report stale: a checkout writes a
/// committed report and its sources moments apart, in no set order; an edit comes later.
const STALE_AFTER_NS: u128 = 2_000_000_000;

/// At most this many uncovered ranges are named in a finding.
const SHOWN_RANGES: usize = 5;

/// The reports one run reads, mapped to repository files.
pub struct Reports {
    loaded: Vec<Loaded>,
    /// For each rule of the run (by index), the reports it reads; empty for other rules.
    of_rule: Vec<Vec<usize>>,
    /// Each repository file a report describes: (report, file within it).
    by_file: HashMap<String, Vec<(usize, usize)>>,
    /// Lines added per changed file, when a `diff` rule runs with `--changed`.
    changed: Option<HashMap<String, Vec<(u32, u32)>>>,
    /// Whether each rule judged a file in this run: report findings only matter then.
    applied: Vec<AtomicBool>,
    /// Files newer than the report, per report.
    stale: Vec<Mutex<Vec<String>>>,
}

struct Loaded {
    /// Relative to the root.
    rel: String,
    /// As errors name it.
    abs: String,
    /// When the tests ran, in nanoseconds since 1970.
    modified_ns: u128,
    report: Result<Report, ReportError>,
}

impl Loaded {
    fn ok(&self) -> Option<&Report> {
        self.report.as_ref().ok()
    }
}

impl Reports {
    /// Reads the reports of `rules`' coverage matchers (a report over `limit` bytes is
    /// refused) while `walk` lists the repository's files (relative, `/`-separated), which
    /// report paths are then mapped to. `changed` are the lines `--changed` added, for `diff`
    /// rules. Returns what `walk` returned too.
    pub fn load<W: Send>(
        root: &Path,
        rules: &[&Rule],
        limit: u64,
        walk: impl FnOnce() -> (W, Vec<String>) + Send,
        changed: Option<HashMap<String, Vec<(u32, u32)>>>,
    ) -> (Reports, W) {
        let mut paths: Vec<String> = Vec::new();
        let mut of_rule = Vec::with_capacity(rules.len());
        for rule in rules {
            let Matcher::Coverage(m) = &rule.matcher else {
                of_rule.push(Vec::new());
                continue;
            };
            let mut mine = Vec::new();
            for found in expand(root, &m.reports.patterns) {
                let i = paths.iter().position(|p| *p == found).unwrap_or_else(|| {
                    paths.push(found);
                    paths.len() - 1
                });
                mine.push(i);
            }
            of_rule.push(mine);
        }
        let read = || -> Vec<Loaded> {
            paths
                .into_par_iter()
                .map(|rel| {
                    let abs = root.join(&rel);
                    let report = harness_coverage::read(&abs, limit).map(|(_, r)| r);
                    // When the tests ran: as the report records it, else when it was written.
                    let modified_ns = match report.as_ref().ok().and_then(|r| r.generated_ms) {
                        Some(ms) => u128::from(ms) * 1_000_000,
                        None => std::fs::metadata(&abs)
                            .and_then(|m| m.modified())
                            .ok()
                            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                            .map_or(0, |d| d.as_nanos()),
                    };
                    Loaded {
                        rel,
                        abs: abs.display().to_string(),
                        modified_ns,
                        report,
                    }
                })
                .collect()
        };
        let (loaded, (walked, files)) = rayon::join(read, walk);
        let root_text = root.to_string_lossy().replace('\\', "/");
        let mapper =
            harness_coverage::paths::Mapper::new(&root_text, files.iter().map(String::as_str));
        let mut by_file: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (r, loaded) in loaded.iter().enumerate() {
            let Some(report) = loaded.ok() else { continue };
            let named: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
            for (i, file) in mapper
                .map_all(&named, &report.sources)
                .into_iter()
                .enumerate()
            {
                if let Some(file) = file {
                    by_file.entry(file.to_owned()).or_default().push((r, i));
                }
            }
        }
        let count = loaded.len();
        let reports = Reports {
            loaded,
            of_rule,
            by_file,
            changed,
            applied: rules.iter().map(|_| AtomicBool::new(false)).collect(),
            stale: (0..count).map(|_| Mutex::new(Vec::new())).collect(),
        };
        (reports, walked)
    }

    /// The verdict of coverage rule `index` (of the run's rules) on `path`, last modified at
    /// `mtime_ns`.
    pub fn judge(&self, index: usize, rule: &Rule, path: &str, mtime_ns: u128) -> Option<Finding> {
        let Matcher::Coverage(m) = &rule.matcher else {
            return None;
        };
        self.applied[index].store(true, Ordering::Relaxed);
        let readable: Vec<usize> = self.of_rule[index]
            .iter()
            .copied()
            .filter(|&r| self.loaded[r].ok().is_some())
            .collect();
        // Without a readable report there is nothing to judge by: the report finding says so.
        if readable.is_empty() {
            return None;
        }
        let entries: Vec<(usize, usize)> = self
            .by_file
            .get(path)
            .map(|e| {
                e.iter()
                    .copied()
                    .filter(|(r, _)| readable.contains(r))
                    .collect()
            })
            .unwrap_or_default();
        let Some(&(first, _)) = entries.first() else {
            if m.missing == Missing::Ignore {
                return None;
            }
            let names: Vec<&str> = readable
                .iter()
                .map(|&r| self.loaded[r].rel.as_str())
                .collect();
            let message = format!(
                "{} (not in {}: counted as 0%, needs {})",
                rule.message,
                names.join(", "),
                needs(m)
            );
            return Some(finding(rule, path, Span::line(1), message));
        };
        for &(r, _) in &entries {
            if mtime_ns > self.loaded[r].modified_ns.saturating_add(STALE_AFTER_NS)
                && let Ok(mut stale) = self.stale[r].lock()
            {
                stale.push(path.to_owned());
            }
        }
        let file = if entries.len() == 1 {
            std::borrow::Cow::Borrowed(self.entry(first, entries[0].1)?)
        } else {
            let mut merged = FileCoverage::default();
            for &(r, i) in &entries {
                merged.merge(self.entry(r, i)?.clone());
            }
            std::borrow::Cow::Owned(merged)
        };
        // A file `git diff` does not list is untracked: new in all its lines.
        let only = if m.diff {
            self.changed
                .as_ref()
                .and_then(|c| c.get(path))
                .map(Vec::as_slice)
        } else {
            None
        };
        verdict(rule, m, path, &file, only)
    }

    /// A file of a readable report (only those are mapped).
    fn entry(&self, report: usize, file: usize) -> Option<&FileCoverage> {
        self.loaded[report].ok()?.files.get(file)
    }

    /// Findings about the reports themselves, for rules that judged a file in this run.
    pub fn findings(&self, rules: &[&Rule]) -> Vec<Finding> {
        let mut out = Vec::new();
        // A report several rules read is reported once, at the most severe of their priorities.
        let mut unreadable: BTreeMap<usize, Priority> = BTreeMap::new();
        let mut no_branches: BTreeMap<usize, (Priority, Vec<&str>)> = BTreeMap::new();
        for (index, rule) in rules.iter().enumerate() {
            let Matcher::Coverage(m) = &rule.matcher else {
                continue;
            };
            if !self.applied[index].load(Ordering::Relaxed) {
                continue;
            }
            let mine = &self.of_rule[index];
            if mine.is_empty() {
                let mut f = Finding::new(
                    COVERAGE_REPORT.id,
                    rule.priority,
                    &rule.origin.path.to_string_lossy().replace('\\', "/"),
                    Span::line(u32::try_from(rule.origin.line).unwrap_or(1)),
                    format!(
                        "no coverage report matches {} (rule `{}`): run the tests with coverage before `harness check`",
                        m.reports.patterns.join(", "),
                        rule.id
                    ),
                );
                f.fix = Some(
                    "write the report where the rule looks, or point `coverage.reports` at it"
                        .to_owned(),
                );
                out.push(f);
            }
            for &r in mine {
                match self.loaded[r].ok() {
                    None => {
                        let p = unreadable.entry(r).or_insert(rule.priority);
                        *p = (*p).min(rule.priority);
                    }
                    Some(report)
                        if m.branches.is_some()
                            && report.files.iter().all(|f| f.branches.is_empty()) =>
                    {
                        let e = no_branches.entry(r).or_insert((rule.priority, Vec::new()));
                        e.0 = e.0.min(rule.priority);
                        e.1.push(&rule.id);
                    }
                    Some(_) => {}
                }
            }
        }
        for (r, priority) in unreadable {
            let loaded = &self.loaded[r];
            let Err(e) = &loaded.report else { continue };
            let line = match e {
                ReportError::Invalid {
                    error: harness_coverage::CoverageError::Malformed { line, .. },
                    ..
                } => u32::try_from(*line).unwrap_or(u32::MAX),
                _ => 1,
            };
            let mut f = Finding::new(
                COVERAGE_REPORT.id,
                priority,
                &loaded.rel,
                Span::line(line),
                e.to_string()
                    .strip_prefix(&loaded.abs)
                    .map_or_else(|| e.to_string(), |rest| trim_location(rest).to_owned()),
            );
            f.fix = Some(
                match e {
                    ReportError::TooLarge { .. } => {
                        "raise `max_report_bytes` under `[check]` in harness.toml, or report only the files the rules cover"
                    }
                    ReportError::Unknown { .. } | ReportError::NotAFile { .. } => {
                        "point `coverage.reports` at an LCOV, Cobertura XML, Istanbul JSON or llvm-cov export JSON file"
                    }
                    _ => "re-run the tests with coverage so the report is written whole",
                }
                .to_owned(),
            );
            out.push(f);
        }
        for (r, (priority, ids)) in no_branches {
            let mut f = Finding::new(
                COVERAGE_REPORT.id,
                priority,
                &self.loaded[r].rel,
                Span::line(1),
                format!(
                    "the report records no branches, but `{}` needs branch coverage",
                    ids.join("`, `")
                ),
            );
            f.fix = Some(
                "turn branch coverage on (coverage.py: `--branch`; cargo-llvm-cov: `--branch` on nightly; c8, nyc and jest record branches by default)"
                    .to_owned(),
            );
            out.push(f);
        }
        for (r, stale) in self.stale.iter().enumerate() {
            let Ok(mut files) = stale.lock().map(|mut s| std::mem::take(&mut *s)) else {
                continue;
            };
            if files.is_empty() {
                continue;
            }
            files.sort();
            files.dedup();
            let mut f = Finding::new(
                STALE_COVERAGE.id,
                STALE_COVERAGE.priority,
                &self.loaded[r].rel,
                Span::line(1),
                format!(
                    "the report is older than {} it describes ({}): its lines may not match",
                    plural(files.len(), "file"),
                    shown(&files)
                ),
            );
            f.fix = Some("re-run the tests with coverage, then `harness check`".to_owned());
            out.push(f);
        }
        out
    }
}

/// The report's existing files matched by `patterns` (relative to `root`, `**` allowed),
/// sorted. `.gitignore` does not apply: reports usually are ignored files.
fn expand(root: &Path, patterns: &[String]) -> Vec<String> {
    let mut found = HashSet::new();
    for pattern in patterns {
        let pattern = pattern.trim_start_matches("./");
        let literal: Vec<&str> = pattern
            .split('/')
            .take_while(|s| !s.contains(['*', '?', '[', '{']))
            .collect();
        if literal.len() == pattern.split('/').count() {
            if root.join(pattern).is_file() {
                found.insert(pattern.to_owned());
            }
            continue;
        }
        let Ok(glob) = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
        else {
            continue;
        };
        let base = literal.join("/");
        // Skipping dependency and VCS folders keeps `**/lcov.info` from reading the world.
        let walker = ignore::WalkBuilder::new(root.join(&base))
            .standard_filters(false)
            .follow_links(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && matches!(e.file_name().to_str(), Some("node_modules" | ".git")))
            })
            .build();
        for entry in walker.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file())
                && let Some(rel) = crate::walk::relative(root, entry.path())
                && glob.is_match(&rel)
            {
                found.insert(rel);
            }
        }
    }
    let mut found: Vec<String> = found.into_iter().collect();
    found.sort();
    found
}

/// What the rule needs, as words: `100% of branches` or `80% of lines and 100% of branches`.
fn needs(m: &Coverage) -> String {
    let parts: Vec<String> = [(m.lines, "lines"), (m.branches, "branches")]
        .into_iter()
        .filter_map(|(t, what)| t.map(|t| format!("{} of {what}", percent(t))))
        .collect();
    parts.join(" and ")
}

/// The finding for one file if it misses a threshold. `only`: the lines that count, in diff
/// mode; every line counts without it.
fn verdict(
    rule: &Rule,
    m: &Coverage,
    path: &str,
    file: &FileCoverage,
    only: Option<&[(u32, u32)]>,
) -> Option<Finding> {
    let counts = |line: u32| only.is_none_or(|r| r.iter().any(|&(s, e)| (s..=e).contains(&line)));
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
    let scope = if only.is_some() {
        " in changed lines"
    } else {
        ""
    };
    let message = format!("{}{scope} ({})", rule.message, parts.join("; "));
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
    f.fix.clone_from(&rule.fix);
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
