//! `harness context`.

use std::io::Write;
use std::path::Path;

use harness_context::{Fitted, Request, fit_text, render_text, select, total_tokens};
use serde::Serialize;

use super::{Failure, load, repo_relative, root, shell_word};
use crate::args::{Cli, ContextArgs, ContextFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &ContextArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.paths.is_empty() && args.diff.is_none() && args.task.is_none() {
        return Err(Failure::new(
            "nothing to give context for",
            "pass --path PATH (repeatable), --diff[=BASE] or --task TEXT",
        ));
    }
    let repo = root(cli)?;
    let kb = load(cli)?;
    let guidance = harness_core::load_guidance(&repo)?;
    let mut paths = Vec::new();
    for p in &args.paths {
        paths.push(repo_relative(&repo, Path::new(p))?);
    }
    if let Some(base) = &args.diff {
        let changed = harness_check::git::changed_files(&repo, Some(base)).map_err(|e| {
            Failure::new(
                &e.to_string(),
                "--diff needs a git repository and `git` on PATH",
            )
        })?;
        if changed.is_empty() && args.paths.is_empty() && args.task.is_none() {
            let _ = writeln!(out, "harness context: no files changed against {base}");
            return Ok(exit::CLEAN);
        }
        paths.extend(changed);
    }
    let request = Request {
        paths: paths.clone(),
        task: args.task.clone(),
    };
    let applies = harness_check::rule_applies(&kb);
    let entries = select(&kb, &guidance, &request, &applies);
    let needed = total_tokens(&entries) + 200;
    let subject = harness_context::subject(&paths, args.task.as_deref());
    let rest = rest_command(cli, args, needed);
    let (fitted, text) = fit_text(entries, args.budget, &|f| render_text(f, &subject, &rest));
    match args.format {
        ContextFormat::Json => {
            let _ = serde_json::to_writer_pretty(&mut *out, &JsonOutput::from(&fitted));
            let _ = writeln!(out);
        }
        ContextFormat::Text => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(exit::CLEAN)
}

/// The JSON form: what was included in full, what was left out by name.
#[derive(Serialize)]
struct JsonOutput<'a> {
    included: &'a [harness_context::Entry],
    left_out: Vec<LeftOut<'a>>,
    tokens: usize,
    budget: usize,
}

#[derive(Serialize)]
struct LeftOut<'a> {
    key: &'a str,
    source: harness_context::Source,
    title: &'a str,
}

impl<'a> From<&'a Fitted> for JsonOutput<'a> {
    fn from(f: &'a Fitted) -> Self {
        JsonOutput {
            included: &f.included,
            left_out: f
                .left_out
                .iter()
                .map(|e| LeftOut {
                    key: &e.key,
                    source: e.source,
                    title: &e.title,
                })
                .collect(),
            tokens: f.tokens,
            budget: f.budget,
        }
    }
}

/// The same command with a budget large enough for everything.
fn rest_command(cli: &Cli, args: &ContextArgs, budget: usize) -> String {
    let mut cmd = String::from("harness");
    if let Some(r) = &cli.root {
        cmd.push_str(&format!(" --root {}", shell_word(&r.to_string_lossy())));
    }
    cmd.push_str(" context");
    for p in &args.paths {
        cmd.push_str(&format!(" --path {}", shell_word(p)));
    }
    if let Some(base) = &args.diff {
        cmd.push_str(&format!(" --diff={}", shell_word(base)));
    }
    if let Some(t) = &args.task {
        cmd.push_str(&format!(" --task {}", shell_word(t)));
    }
    let rounded = budget.div_ceil(1000) * 1000;
    cmd.push_str(&format!(" --budget {rounded}"));
    cmd
}
