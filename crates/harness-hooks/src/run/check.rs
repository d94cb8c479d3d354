//! `harness check` after an edit and at the end of a turn.

use std::path::PathBuf;

use harness_check::{CheckOptions, Targets};
use harness_core::render::{Format, RenderOptions, render, shell_word};
use serde_json::json;

use super::Session;
use super::text::{bound, join};
use crate::answer::Decision;
use crate::memory::kind;

pub struct Checked {
    pub text: String,
    pub blocking: usize,
    pub total: usize,
}

/// After a write: the findings in the written files, as a block when policy says they must be
/// fixed; agents that take no guidance before an edit get it here, in the room left.
pub fn after_edit(s: &mut Session, paths: &[PathBuf]) -> Result<Decision, String> {
    let rels = s.relative(paths);
    if rels.is_empty() {
        return Ok(Decision::Nothing);
    }
    s.record(kind::EDIT, json!({ "paths": rels }));
    // Written before the check runs: a hook killed during a slow check must still leave the
    // edit for the stop to check.
    s.flush();
    let limit = s.agent.limit_bytes();
    let checked = check(s, &rels, limit)?;
    s.record(
        kind::FINDINGS,
        json!({
            "paths": rels,
            "blocking": checked.as_ref().map_or(0, |c| c.blocking),
            "total": checked.as_ref().map_or(0, |c| c.total),
        }),
    );
    let before = if s.agent.context_before_edit() {
        None
    } else {
        let space = limit.saturating_sub(checked.as_ref().map_or(0, |c| c.text.len() + 1));
        // Guidance is worth giving only with some room; a broken persona must not cost the
        // findings.
        if space > 500 {
            super::guidance::give(s, &rels, space).unwrap_or_else(|e| {
                s.note(&format!("no guidance: {e}"));
                None
            })
        } else {
            None
        }
    };
    let text = join(before.as_deref(), checked.as_ref().map(|c| c.text.as_str()));
    Ok(match (text, checked) {
        (None, _) => Decision::Nothing,
        (Some(t), Some(c)) if c.blocking > 0 => Decision::Block(bound(&t, limit)),
        (Some(t), _) => Decision::Context(bound(&t, limit)),
    })
}

/// The end of a turn: every file the session changed is checked; while blocking findings
/// remain the stop is blocked, at most `hooks.max_stop_blocks` times in a row.
pub fn stop(s: &mut Session, active: bool) -> Result<Decision, String> {
    let memory = s.memory();
    let mut files = memory.touched.clone();
    if let Some(before) = &memory.changed_at_start {
        // Files changed since the session started, by a shell command too.
        if let Ok(now) = harness_check::git::changed_files(s.root, None) {
            for f in now {
                if !before.contains(&f) && !files.contains(&f) {
                    files.push(f);
                }
            }
        }
    }
    let max = s.config.hooks.max_stop_blocks;
    let so_far = if active { memory.stop_blocks } else { 0 };
    let tail = format!(
        "\nharness blocks the end of this turn until the blocking findings in files you changed \
         are fixed (blocked stop {}).",
        so_far + 1
    );
    let checked = check(s, &files, s.agent.limit_bytes().saturating_sub(tail.len()))?;
    let blocking = checked.as_ref().map_or(0, |c| c.blocking);
    if blocking == 0 {
        s.record(
            kind::STOP_ALLOWED,
            json!({ "reason": "clean", "paths": files }),
        );
        return Ok(Decision::Nothing);
    }
    if so_far >= max {
        s.record(
            kind::STOP_ALLOWED,
            json!({ "reason": "max_blocks", "blocking": blocking, "paths": files }),
        );
        let remain = if blocking == 1 {
            "finding remains"
        } else {
            "findings remain"
        };
        return Ok(Decision::Notice(format!(
            "harness: let the agent stop after {so_far} blocked stops; {blocking} blocking {remain}. Run `harness check --changed`."
        )));
    }
    s.record(
        kind::STOP_BLOCKED,
        json!({ "active": active, "blocking": blocking, "paths": files }),
    );
    let text = checked.map(|c| c.text).unwrap_or_default();
    Ok(Decision::BlockStop(format!("{}{tail}", text.trim_end())))
}

/// `harness check` on the files among `rels` that exist, rendered for an agent within
/// `max_bytes` (and `output.max_bytes`).
pub fn check(
    s: &mut Session,
    rels: &[String],
    max_bytes: usize,
) -> Result<Option<Checked>, String> {
    let existing: Vec<String> = rels
        .iter()
        .filter(|r| s.root.join(r).is_file())
        .cloned()
        .collect();
    if existing.is_empty() {
        return Ok(None);
    }
    let kb = s.kb()?;
    let options = CheckOptions {
        targets: Targets::Paths(existing.clone()),
        ..CheckOptions::default()
    };
    let report = harness_check::check(kb, &options).map_err(|e| e.to_string())?;
    if report.findings.is_empty() {
        return Ok(None);
    }
    let max_bytes = match kb.config.output.max_bytes {
        0 => max_bytes,
        n => n.min(max_bytes),
    };
    let mut rest = String::from("harness check");
    for r in &existing {
        rest.push(' ');
        rest.push_str(&shell_word(r));
    }
    let options = RenderOptions {
        max_bytes,
        group_after: kb.config.output.group_after,
        rest_command: rest,
        color: false,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    Ok(Some(Checked {
        text: render(&report, Format::Agent, &options),
        blocking: report.blocking(),
        total: report.findings.len(),
    }))
}
