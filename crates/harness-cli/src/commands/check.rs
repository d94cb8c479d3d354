//! `harness check`.

use std::io::{IsTerminal, Write};

use harness_check::{CheckOptions, Targets};
use harness_core::render::{Format, RenderOptions, render};

use super::{Failure, load, repo_relative, shell_word};
use crate::args::{CheckArgs, Cli};
use crate::exit;

pub fn run(
    cli: &Cli,
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let kb = load(cli)?;
    let targets = if let Some(base) = &args.changed {
        Targets::Changed {
            base: (base != "HEAD").then(|| base.clone()),
        }
    } else if args.staged {
        Targets::Staged
    } else if args.paths.is_empty() {
        Targets::All
    } else {
        let mut paths = Vec::new();
        for p in &args.paths {
            let rel = repo_relative(&kb.root, p)?;
            if rel == "." {
                paths.clear();
                break;
            }
            paths.push(rel);
        }
        if paths.is_empty() {
            Targets::All
        } else {
            Targets::Paths(paths)
        }
    };
    let options = CheckOptions {
        targets,
        rules: args.rules.clone(),
        cache: !args.no_cache,
        baseline: !args.no_baseline,
    };
    let report = harness_check::check(&kb, &options)?;
    let format = match args.format {
        Some(f) => f,
        None if std::io::stdout().is_terminal() => Format::Human,
        None => Format::Agent,
    };
    let color = format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let render_options = RenderOptions {
        max_bytes: args.max_bytes.unwrap_or(kb.config.output.max_bytes),
        group_after: kb.config.output.group_after,
        rest_command: rest_command(args),
        color,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let text = render(&report, format, &render_options);
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::new(&format!("cannot write output: {e}"), "check stdout"))?;
    if !report.skipped.is_empty() && format != Format::Json {
        let _ = writeln!(err, "{}", skipped_note(&report.skipped));
    }
    Ok(if report.blocking() > 0 {
        exit::BLOCKING
    } else {
        exit::CLEAN
    })
}

/// The command that shows every finding of this run.
fn rest_command(args: &CheckArgs) -> String {
    let mut cmd = String::from("harness check");
    for p in &args.paths {
        cmd.push(' ');
        cmd.push_str(&shell_word(&p.to_string_lossy()));
    }
    if let Some(base) = &args.changed {
        if base == "HEAD" {
            cmd.push_str(" --changed");
        } else {
            cmd.push_str(&format!(" --changed={}", shell_word(base)));
        }
    }
    if args.staged {
        cmd.push_str(" --staged");
    }
    for r in &args.rules {
        cmd.push_str(&format!(" --rule {}", shell_word(r)));
    }
    cmd.push_str(" --format human");
    cmd
}

fn skipped_note(skipped: &[harness_core::render::Skipped]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for s in skipped {
        let kind = if s.reason.starts_with("larger") {
            "too large"
        } else if s.reason.starts_with("unreadable") {
            "unreadable"
        } else {
            s.reason.as_str()
        };
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let example = skipped
        .first()
        .map_or(String::new(), |s| format!(", e.g. {}", s.path));
    format!(
        "note: skipped {} {} ({}{example}); `--format json` lists them",
        skipped.len(),
        if skipped.len() == 1 { "file" } else { "files" },
        parts.join(", ")
    )
}
