//! The coverage reports of a run: found by the rules' globs, read once (in parallel with
//! listing the repository's files), their paths mapped to repository files; then each file is
//! judged with [`crate::rules::coverage`], and what concerns a report rather than a file
//! (none found, unreadable, no branch data, older than the files it describes) becomes one
//! finding at the report. Verdicts depend on the reports, so they are never cached.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::UNIX_EPOCH;

use harness_core::rule::{Matcher, Missing};
use harness_core::{Finding, Priority, Rule};
use harness_coverage::{FileCoverage, Report, ReportError};
use rayon::prelude::*;

use crate::rules::coverage;

/// How much newer than its report a file must be to make the report stale: a checkout writes a
/// committed report and its sources moments apart, in no set order; an edit comes later.
const STALE_AFTER_NS: u128 = 2_000_000_000;

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
    /// How many of each report's paths name a repository file.
    mapped: Vec<usize>,
    /// For each rule, the reports it reads that could be read.
    readable: Vec<Vec<usize>>,
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
    /// Reads the reports of `rules`' coverage matchers; a report over `limit` bytes is
    /// refused. Nothing is mapped to the repository's files until [`Reports::map`].
    /// Only the reports of rules `needed` says are read (by index in `rules`).
    pub fn read(root: &Path, rules: &[&Rule], needed: &[bool], limit: u64) -> Reports {
        // Reports are read only inside the repository: a link out of it could show another
        // file's first line in a finding.
        // Where a path cannot be resolved, reading it says what is wrong.
        let canonical_root = std::fs::canonicalize(root).ok();
        let inside = |rel: &str| match (&canonical_root, std::fs::canonicalize(root.join(rel))) {
            (Some(root), Ok(report)) => report.starts_with(root),
            _ => true,
        };
        let mut paths: Vec<String> = Vec::new();
        let mut of_rule = Vec::with_capacity(rules.len());
        for (rule, needed) in rules.iter().zip(needed) {
            let Matcher::Coverage(m) = &rule.matcher else {
                of_rule.push(Vec::new());
                continue;
            };
            if !needed {
                of_rule.push(Vec::new());
                continue;
            }
            let mut mine = Vec::new();
            for found in harness_core::load::expand(root, &m.reports.patterns) {
                let Some(found) = crate::walk::relative(root, &found) else {
                    continue;
                };
                let i = paths.iter().position(|p| *p == found).unwrap_or_else(|| {
                    paths.push(found);
                    paths.len() - 1
                });
                mine.push(i);
            }
            of_rule.push(mine);
        }
        let loaded: Vec<Loaded> = paths
            .into_par_iter()
            .map(|rel| {
                let abs = root.join(&rel);
                let report = if inside(&rel) {
                    harness_coverage::read(&abs, limit).map(|(_, r)| r)
                } else {
                    Err(ReportError::Outside { path: abs.clone() })
                };
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
            .collect();
        // A page or asset a glob found beside the reports (the HTML report under `coverage/**`)
        // is passed over; anything else must be a report, and says so if it is not.
        for (rule, mine) in rules.iter().zip(of_rule.iter_mut()) {
            let Matcher::Coverage(m) = &rule.matcher else {
                continue;
            };
            mine.retain(|&r| {
                let named = m
                    .reports
                    .patterns
                    .iter()
                    .any(|p| p.trim_start_matches("./") == loaded[r].rel);
                let asset = Path::new(&loaded[r].rel)
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        matches!(
                            e.to_ascii_lowercase().as_str(),
                            "html" | "htm" | "css" | "js" | "png" | "svg" | "ico" | "gif" | "map"
                        )
                    });
                named || !asset
            });
        }
        let count = loaded.len();
        Reports {
            mapped: vec![0; count],
            readable: of_rule
                .iter()
                .map(|mine| {
                    mine.iter()
                        .copied()
                        .filter(|&r| loaded[r].ok().is_some())
                        .collect()
                })
                .collect(),
            loaded,
            of_rule,
            by_file: HashMap::new(),
            changed: None,
            applied: rules.iter().map(|_| AtomicBool::new(false)).collect(),
            stale: (0..count).map(|_| Mutex::new(Vec::new())).collect(),
        }
    }

    /// Maps the reports' paths to `files`, the repository's files (relative to `root`,
    /// `/`-separated). `changed` are the lines `--changed` added, for `diff` rules.
    pub fn map(
        &mut self,
        root: &Path,
        files: &[String],
        changed: Option<HashMap<String, Vec<(u32, u32)>>>,
    ) {
        let root_text = root.to_string_lossy().replace('\\', "/");
        // A report path maps to a file with its name, and only files of one name can make a
        // path's tail name two files: the others are left out, so a hook's check in a large
        // repository builds a mapper the size of the report, not of the repository.
        let name = |p: &str| {
            p.rsplit(['/', '\\'])
                .find(|s| !s.is_empty() && *s != ".")
                .unwrap_or(p)
                .to_owned()
        };
        let named: std::collections::HashSet<String> = self
            .loaded
            .iter()
            .filter_map(Loaded::ok)
            .flat_map(|r| r.files.iter().map(|f| name(&f.path)))
            .collect();
        let mapper = harness_coverage::paths::Mapper::new(
            &root_text,
            files
                .iter()
                .map(String::as_str)
                .filter(|f| named.contains(f.rsplit('/').next().unwrap_or(f))),
        );
        for (r, loaded) in self.loaded.iter().enumerate() {
            let Some(report) = loaded.ok() else { continue };
            let named: Vec<&str> = report.files.iter().map(|f| f.path.as_str()).collect();
            for (i, file) in mapper
                .map_all(&named, &report.sources)
                .into_iter()
                .enumerate()
            {
                if let Some(file) = file {
                    self.mapped[r] += 1;
                    self.by_file
                        .entry(file.to_owned())
                        .or_default()
                        .push((r, i));
                }
            }
        }
        self.changed = changed;
    }

    /// The verdict of coverage rule `index` (of the run's rules) on `path`, last modified at
    /// `mtime_ns`.
    pub fn judge(&self, index: usize, rule: &Rule, path: &str, mtime_ns: u128) -> Option<Finding> {
        let Matcher::Coverage(m) = &rule.matcher else {
            return None;
        };
        self.applied[index].store(true, Ordering::Relaxed);
        let readable = &self.readable[index];
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
            return Some(coverage::missing(rule, m, path, &names));
        };
        let mut stale = false;
        for &(r, _) in &entries {
            if mtime_ns > self.loaded[r].modified_ns.saturating_add(STALE_AFTER_NS) {
                stale = true;
                if let Ok(mut files) = self.stale[r].lock() {
                    files.push(path.to_owned());
                }
            }
        }
        let file = if entries.len() == 1 {
            std::borrow::Cow::Borrowed(self.entry(first, entries[0].1)?)
        } else {
            let mut merged = FileCoverage::default();
            for &(r, i) in &entries {
                merged.merge(self.entry(r, i)?);
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
        coverage::verdict(rule, m, path, &file, only, stale)
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
        let mut foreign: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        for (index, rule) in rules.iter().enumerate() {
            let Matcher::Coverage(m) = &rule.matcher else {
                continue;
            };
            if !self.applied[index].load(Ordering::Relaxed) {
                continue;
            }
            let mine = &self.of_rule[index];
            if mine.is_empty() {
                out.push(coverage::no_report(rule, m));
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
                    Some(report) if self.mapped[r] == 0 && !report.files.is_empty() => {
                        foreign.insert(r);
                    }
                    Some(_) => {}
                }
            }
        }
        for (r, priority) in unreadable {
            let loaded = &self.loaded[r];
            if let Err(e) = &loaded.report {
                out.push(coverage::unreadable(&loaded.rel, &loaded.abs, e, priority));
            }
        }
        for r in foreign {
            if let Some(report) = self.loaded[r].ok() {
                // Advisory: its files may be ones every check leaves out (hidden, excluded).
                out.push(coverage::foreign(&self.loaded[r].rel, report, Priority::P3));
            }
        }
        for (r, (priority, ids)) in no_branches {
            out.push(coverage::no_branches(&self.loaded[r].rel, &ids, priority));
        }
        for (r, stale) in self.stale.iter().enumerate() {
            let Ok(mut files) = stale.lock().map(|mut s| std::mem::take(&mut *s)) else {
                continue;
            };
            if !files.is_empty() {
                files.sort();
                files.dedup();
                out.push(coverage::stale(&self.loaded[r].rel, &files));
            }
        }
        out
    }
}
