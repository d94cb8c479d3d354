//! One run of `harness check`: pick the files, evaluate them in parallel with the cache, apply
//! suppressions and the baseline, and build the report.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use harness_core::finding::assign_fingerprints;
use harness_core::glob::Globs;
use harness_core::render::{Report, RuleInfo, Skipped};
use harness_core::{Finding, KnowledgeBase, Span};
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::builtin::{INVALID_SUPPRESSION, UNUSED_SUPPRESSION};
use crate::cache::{Cache, Entry};
use crate::coverage_reports::Reports;
use crate::rules::{Applicable, RuleSet};
use crate::suppress::{self, Suppression};
use crate::walk::{self, WalkedFile};
use crate::{CheckError, CheckOptions, Targets, git};

/// What happened to one file.
struct FileResult {
    path: String,
    findings: Vec<Finding>,
    suppressions: Vec<Suppression>,
    skipped: Option<String>,
    cache: Option<Entry>,
}

enum Content<'a> {
    Worktree,
    Staged(&'a HashMap<String, Vec<u8>>),
}

pub fn run(kb: &KnowledgeBase, options: &CheckOptions) -> Result<Report, CheckError> {
    for id in &options.rules {
        if kb.rule(id).is_none() {
            return Err(CheckError::UnknownRule(id.clone()));
        }
    }
    let root = kb.root.as_path();
    // The cache describes every rule's findings, so a run restricted by --rule or reading the
    // index neither uses nor updates it.
    let use_cache =
        options.cache && options.rules.is_empty() && !matches!(options.targets, Targets::Staged);
    let mut cache = Cache::open(root, kb.digest);
    // Only a run whose rules compile writes the cache, so a file of this run found in it proves
    // they do: then the ast-grep rules are compiled only if a file needs them.
    let vouched = use_cache
        && matches!(&options.targets, Targets::Paths(p) if p.first().is_some_and(|p| cache.has(p)));
    let rules = RuleSet::deferred(kb, &options.rules);
    if !vouched {
        rules.validate().map_err(config_error)?;
    }
    let exclude = if kb.config.check.exclude.is_empty() {
        None
    } else {
        Globs::new(&kb.config.check.exclude).ok()
    };
    let mut staged = HashMap::new();
    let listed = select(kb, &rules, options, exclude.as_ref(), &mut staged)?;
    let Prepared { reports, listed } = load_reports(kb, &rules, options, listed, exclude.as_ref())?;
    let content = if matches!(options.targets, Targets::Staged) {
        Content::Staged(&staged)
    } else {
        Content::Worktree
    };
    let max_bytes = kb.config.check.max_file_bytes;
    let check_file = |f: &WalkedFile| {
        // A bug in one rule must not take the whole run down: report the file as skipped.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            process(
                root,
                &rules,
                reports.as_ref(),
                f,
                &content,
                use_cache.then_some(&cache),
                max_bytes,
            )
        }))
        .unwrap_or_else(|_| FileResult {
            path: f.rel.clone(),
            findings: Vec::new(),
            suppressions: Vec::new(),
            skipped: Some(
                "internal error while checking this file (a bug: please report it)".to_owned(),
            ),
            cache: None,
        })
    };
    // Each file gives its path (kept only to prune the cache) and its result if it has one;
    // a file with neither is counted and forgotten.
    let files_checked = AtomicUsize::new(0);
    let check = |f: &WalkedFile| {
        files_checked.fetch_add(1, Ordering::Relaxed);
        let result = check_file(f);
        let path = use_cache.then(|| f.rel.clone());
        let empty = result.findings.is_empty()
            && result.suppressions.is_empty()
            && result.skipped.is_none()
            && result.cache.is_none();
        let result = (!empty).then(|| Box::new(result));
        (path.is_some() || result.is_some()).then_some((path, result))
    };
    let checked: Vec<(Option<String>, Option<Box<FileResult>>)> = match listed {
        // The whole repository: files are checked by the walker's threads as they are found.
        None => walk::for_each(root, &[root.to_path_buf()], exclude.as_ref(), &|f| {
            check(&f)
        }),
        Some(files) => files.par_iter().filter_map(check).collect(),
    };
    if rules.ast_compiled() {
        // A file needed the ast-grep rules: if they did not compile, the run fails as it would
        // have before reading any file.
        rules.validate().map_err(config_error)?;
    }
    let files_checked = files_checked.into_inner();
    let mut walked: Vec<String> = Vec::new();
    let mut results: Vec<FileResult> = Vec::new();
    for (path, result) in checked {
        walked.extend(path);
        results.extend(result.map(|r| *r));
    }
    results.sort_by(|a, b| a.path.cmp(&b.path));
    if use_cache && matches!(options.targets, Targets::All) {
        // Forget files that no longer exist.
        cache.retain(&walked.iter().map(String::as_str).collect());
    }
    drop(walked);
    let active: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    let mut findings = Vec::new();
    let mut skipped = Vec::new();
    for r in std::mem::take(&mut results) {
        if let Some(entry) = r.cache {
            cache.insert(r.path.clone(), entry);
        }
        if let Some(reason) = r.skipped {
            skipped.push(Skipped {
                path: r.path.clone(),
                reason,
            });
        }
        findings.extend(apply_suppressions(
            kb,
            &active,
            &r.path,
            r.findings,
            &r.suppressions,
        ));
    }
    if let Some(reports) = &reports {
        findings.extend(reports.findings(&rules.rules));
    }
    if use_cache {
        // A cache that cannot be written only costs speed on the next run.
        let _ = cache.save();
    }
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule))
    });
    assign_fingerprints(&mut findings);
    let mut baselined = 0;
    if options.baseline {
        let path = root.join(&kb.config.check.baseline);
        let baseline = Baseline::load(&path, &kb.config.check.baseline)?;
        let known = baseline.fingerprints();
        let before = findings.len();
        findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        baselined = before - findings.len();
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(Report {
        findings,
        files_checked,
        block_at: Some(kb.config.policy.block_at),
        skipped,
        baselined,
        rules: rules
            .rules
            .iter()
            .map(|r| RuleInfo {
                id: r.id.clone(),
                priority: r.priority,
                message: r.message.clone(),
                why: r.why.clone(),
                runbook: r.runbook.clone(),
            })
            .collect(),
    })
}

fn config_error(errors: Vec<harness_core::ConfigError>) -> CheckError {
    CheckError::Config(harness_core::LoadError { errors })
}

/// The coverage reports of the run's coverage rules, mapped to the repository's files (`None`
/// when no coverage rule applies to a file of the run), and the files to check: `listed`, or
/// for the whole repository outside git the walk the mapping needed.
fn load_reports(
    kb: &KnowledgeBase,
    rules: &RuleSet<'_>,
    options: &CheckOptions,
    listed: Option<Vec<WalkedFile>>,
    exclude: Option<&Globs>,
) -> Result<Prepared, CheckError> {
    let coverage: Vec<&harness_core::rule::Coverage> = rules
        .rules
        .iter()
        .filter_map(|r| match &r.matcher {
            harness_core::rule::Matcher::Coverage(c) => Some(c),
            _ => None,
        })
        .collect();
    if coverage.is_empty()
        || listed.as_ref().is_some_and(|files| {
            !files
                .iter()
                .any(|f| !rules.applicable(&f.rel).coverage.is_empty())
        })
    {
        return Ok(Prepared {
            reports: None,
            listed,
        });
    }
    let root = kb.root.as_path();
    // Diff coverage: the lines each file gained in this change.
    let changed = match &options.targets {
        Targets::Changed { base } if coverage.iter().any(|c| c.diff) => {
            Some(git::changed_lines(root, git::Since::Base(base.as_deref()))?)
        }
        Targets::Staged if coverage.iter().any(|c| c.diff) => {
            Some(git::changed_lines(root, git::Since::Staged)?)
        }
        _ => None,
    };
    let limit = kb.config.check.max_report_bytes;
    // A hook checking one file reads only the reports of the rules that apply to it.
    let needed: Vec<bool> = rules
        .rules
        .iter()
        .map(|r| {
            listed
                .as_ref()
                .is_none_or(|files| files.iter().any(|f| r.filter.applies(&f.rel)))
        })
        .collect();
    // Report paths are mapped against every file, not only this run's: a path's tail must name
    // one file of the repository to be taken for it. Every run takes that list from the same
    // place, so checking one file judges it as a whole run does: from git (tracked and
    // untracked files, hidden and excluded ones left out, in half the time of a walk), else
    // from a walk, which a whole run then checks instead of walking again. It is listed while
    // the reports are read.
    let list = || {
        // Git lists a submodule or a nested repository as one entry, while the walk goes into
        // it: there only the walk names every file.
        let from_git = git::listed_files(root).ok().filter(|n| {
            !n.is_empty()
                && !n.iter().any(|p| p.ends_with('/'))
                && !root.join(".gitmodules").exists()
        });
        if let Some(mut names) = from_git {
            names.retain(|n| !walk::is_hidden(n) && !exclude.is_some_and(|g| g.is_match(n)));
            if let Some(files) = &listed {
                names.extend(files.iter().map(|f| f.rel.clone()));
            }
            names.sort_unstable();
            names.dedup();
            return (listed, names);
        }
        let all = walk::walk(root, &[root.to_path_buf()], exclude);
        let names = all.iter().map(|f| f.rel.clone()).collect();
        (Some(listed.unwrap_or(all)), names)
    };
    let (mut reports, (listed, names)) =
        rayon::join(|| Reports::read(root, &rules.rules, &needed, limit), list);
    reports.map(root, &names, changed);
    Ok(Prepared {
        reports: Some(reports),
        listed,
    })
}

/// What a run knows before it checks a file.
struct Prepared {
    reports: Option<Reports>,
    /// The files to check; `None` to walk the whole repository as it is checked.
    listed: Option<Vec<WalkedFile>>,
}

/// The files this run looks at; `None` for the whole repository, which is walked as it is
/// checked.
fn select(
    kb: &KnowledgeBase,
    rules: &RuleSet<'_>,
    options: &CheckOptions,
    exclude: Option<&Globs>,
    staged: &mut HashMap<String, Vec<u8>>,
) -> Result<Option<Vec<WalkedFile>>, CheckError> {
    let root = kb.root.as_path();
    let from_list = |list: Vec<String>| -> Vec<WalkedFile> {
        let mut wanted: Vec<String> = Vec::new();
        for path in &list {
            wanted.push(path.clone());
            // A companion that appeared or vanished changes its source's require-file verdict.
            wanted.extend(rules.require_sources(root, path));
        }
        wanted.sort();
        wanted.dedup();
        wanted
            .iter()
            .filter(|p| !walk::is_hidden(p) && !exclude.is_some_and(|g| g.is_match(p)))
            .filter_map(|p| walk::stat(root, &root.join(p)))
            .collect()
    };
    Ok(Some(match &options.targets {
        Targets::All => return Ok(None),
        Targets::Paths(paths) => {
            let mut files = Vec::new();
            let mut dirs = Vec::new();
            for p in paths {
                let abs = root.join(p);
                if abs.is_dir() {
                    dirs.push(abs);
                } else if let Some(f) = walk::stat(root, &abs) {
                    // A companion given by name re-checks the file it belongs to.
                    files.extend(
                        rules
                            .require_sources(root, &f.rel)
                            .iter()
                            .filter_map(|s| walk::stat(root, &root.join(s))),
                    );
                    files.push(f);
                } else {
                    return Err(CheckError::PathNotFound(p.clone()));
                }
            }
            files.extend(walk::walk(root, &dirs, exclude));
            files.sort_by(|a, b| a.rel.cmp(&b.rel));
            files.dedup_by(|a, b| a.rel == b.rel);
            files
        }
        Targets::Changed { base } => from_list(git::changed_files(root, base.as_deref())?),
        Targets::Staged => {
            let list = git::staged_files(root)?;
            let contents = git::staged_contents(root, &list)?;
            let mut files = Vec::new();
            for (path, content) in list.into_iter().zip(contents) {
                let Some(bytes) = content else { continue };
                if walk::is_hidden(&path) || exclude.is_some_and(|g| g.is_match(&path)) {
                    continue;
                }
                files.push(WalkedFile {
                    abs: root.join(&path),
                    rel: path.clone(),
                    size: bytes.len() as u64,
                    mtime_ns: 0,
                });
                staged.insert(path, bytes);
            }
            files
        }
    }))
}

fn process(
    root: &Path,
    rules: &RuleSet<'_>,
    reports: Option<&Reports>,
    file: &WalkedFile,
    content: &Content<'_>,
    cache: Option<&Cache>,
    max_bytes: u64,
) -> FileResult {
    let applicable = rules.applicable(&file.rel);
    let mut result = FileResult {
        path: file.rel.clone(),
        findings: Vec::new(),
        suppressions: Vec::new(),
        skipped: None,
        cache: None,
    };
    if !applicable.reads_content()
        && applicable.require.is_empty()
        && applicable.coverage.is_empty()
    {
        return result;
    }
    let mut require = rules.evaluate_require(root, &file.rel, &applicable);
    if let Some(reports) = reports {
        require.extend(
            applicable
                .coverage
                .iter()
                .filter_map(|&i| reports.judge(i, rules.rules[i], &file.rel, file.mtime_ns)),
        );
    }
    if applicable.reads_content() {
        if let Some(entry) = cache.and_then(|c| c.lookup(&file.rel, file.size, file.mtime_ns)) {
            result.findings.clone_from(&entry.findings);
            result.suppressions.clone_from(&entry.suppressions);
        } else {
            match read(file, content, max_bytes) {
                Ok(text) => evaluate(rules, file, &text, &applicable, cache, &mut result),
                Err(reason) => result.skipped = Some(reason),
            }
        }
    } else if !require.is_empty()
        && let Ok(text) = read(file, content, max_bytes)
    {
        // Only read to honour suppressions of the require-file and coverage findings.
        result.suppressions = suppress::parse(&file.rel, &text);
    }
    result.findings.extend(require);
    result
}

fn evaluate(
    rules: &RuleSet<'_>,
    file: &WalkedFile,
    text: &str,
    applicable: &Applicable,
    cache: Option<&Cache>,
    result: &mut FileResult,
) {
    let Some(cache) = cache else {
        result.findings = rules.evaluate_content(&file.rel, text, applicable);
        result.suppressions = suppress::parse(&file.rel, text);
        return;
    };
    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    if let Some(entry) = cache.lookup_hash(&file.rel, hash) {
        result.findings.clone_from(&entry.findings);
        result.suppressions.clone_from(&entry.suppressions);
    } else {
        result.findings = rules.evaluate_content(&file.rel, text, applicable);
        result.suppressions = suppress::parse(&file.rel, text);
    }
    result.cache = Some(Entry {
        size: file.size,
        mtime_ns: file.mtime_ns,
        hash,
        findings: result.findings.clone(),
        suppressions: result.suppressions.clone(),
    });
}

/// The file's text, or why it is skipped.
fn read(file: &WalkedFile, content: &Content<'_>, max_bytes: u64) -> Result<String, String> {
    if file.size > max_bytes {
        return Err(format!(
            "larger than check.max_file_bytes ({} > {max_bytes} bytes)",
            file.size
        ));
    }
    let bytes = match content {
        Content::Worktree => std::fs::read(&file.abs).map_err(|e| format!("unreadable: {e}"))?,
        Content::Staged(map) => map.get(&file.rel).cloned().unwrap_or_default(),
    };
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err("binary".to_owned());
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned())
}

/// Drops suppressed findings and adds findings for invalid and unused suppressions.
fn apply_suppressions(
    kb: &KnowledgeBase,
    active: &[&str],
    path: &str,
    findings: Vec<Finding>,
    suppressions: &[Suppression],
) -> Vec<Finding> {
    if suppressions.is_empty() {
        return findings;
    }
    let mut used = vec![false; suppressions.len()];
    let mut kept = Vec::new();
    for f in findings {
        match suppressions.iter().position(|s| s.applies(&f.rule, f.line)) {
            Some(i) => used[i] = true,
            None => kept.push(f),
        }
    }
    for (s, used) in suppressions.iter().zip(used) {
        let span = Span {
            line: s.line,
            column: s.column,
            end_line: s.line,
            end_column: s.column,
        };
        let unknown: Vec<&String> = s
            .rules
            .iter()
            .filter(|r| kb.rule(r).is_none() && crate::builtin::find(r).is_none())
            .collect();
        let problem = if s.rules.is_empty() {
            Some("names no rule: write `harness-ignore: <rule-id> -- <reason>`".to_owned())
        } else if s.reason.is_none() {
            Some(format!(
                "has no reason, so it is ignored: add ` -- <why>` after `{}`",
                s.rules.join(", ")
            ))
        } else if !unknown.is_empty() {
            Some(format!(
                "names unknown rule `{}`",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("`, `")
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            let mut f = Finding::new(
                INVALID_SUPPRESSION.id,
                INVALID_SUPPRESSION.priority,
                path,
                span,
                format!("harness-ignore comment {problem}"),
            );
            f.snippet.clone_from(&s.text);
            f.fix = Some("give every suppression a rule id and a reason after `--`".to_owned());
            kept.push(f);
        } else if !used && s.rules.iter().all(|r| active.contains(&r.as_str())) {
            let mut f = Finding::new(
                UNUSED_SUPPRESSION.id,
                UNUSED_SUPPRESSION.priority,
                path,
                span,
                format!(
                    "harness-ignore for `{}` suppresses nothing here",
                    s.rules.join(", ")
                ),
            );
            f.snippet.clone_from(&s.text);
            f.fix = Some("delete the comment".to_owned());
            kept.push(f);
        }
    }
    kept
}
