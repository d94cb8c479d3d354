//! `harness sync`: the knowledge base written into the instruction files of agents that read
//! files (Cursor, GitHub Copilot, CLAUDE.md, GEMINI.md); `--check` says whether they are stale.

use std::io::Write;

use harness_sync::{Action, SyncError};

use super::{Failure, root};
use crate::args::{Cli, SyncArgs};
use crate::exit;

pub fn run(
    cli: &Cli,
    args: &SyncArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let repo = root(cli)?;
    let kb = harness_core::load(&repo)?;
    let guidance = harness_core::load_guidance(&repo)?;
    let report = harness_sync::sync(&kb, &guidance, args.check).map_err(|e| failure(&e))?;
    let count = |action: Action| report.steps.iter().filter(|s| s.action == action).count();
    let code = if args.check {
        for step in report.changes() {
            let _ = writeln!(out, "{} {}", step.action.problem(), step.path);
        }
        let stale = report.changes().count();
        if stale == 0 {
            let fresh = report.steps.len() - count(Action::Skipped);
            let _ = writeln!(out, "harness sync --check: {} up to date", files(fresh));
            exit::CLEAN
        } else {
            let _ = writeln!(
                out,
                "harness sync --check: {} out of date; run `harness sync`",
                files(stale)
            );
            exit::BLOCKING
        }
    } else {
        for step in &report.steps {
            let _ = writeln!(out, "{} {}", step.action.verb(), step.path);
        }
        let counts: Vec<String> = [
            Action::Create,
            Action::Update,
            Action::Remove,
            Action::Skipped,
        ]
        .into_iter()
        .map(|a| (a, count(a)))
        .filter(|(_, n)| *n > 0)
        .map(|(a, n)| format!("{n} {}", a.verb()))
        .chain(std::iter::once(format!(
            "{} unchanged",
            count(Action::Unchanged) + count(Action::Kept)
        )))
        .collect();
        let _ = writeln!(out, "harness sync: {}", counts.join(", "));
        exit::CLEAN
    };
    for note in report.steps.iter().filter_map(|s| s.note.as_deref()) {
        let _ = writeln!(err, "note: {note}");
    }
    for note in &report.notes {
        let _ = writeln!(err, "{note}");
    }
    Ok(code)
}

fn files(n: usize) -> String {
    format!("{n} {}", if n == 1 { "file" } else { "files" })
}

fn failure(e: &SyncError) -> Failure {
    let hint = match e {
        SyncError::Read { .. } => "check the file's permissions; nothing was written",
        SyncError::Write { .. } | SyncError::Remove { .. } => {
            "check the permissions of the file and its folder, then run `harness sync` again"
        }
    };
    Failure::new(&e.to_string(), hint)
}
