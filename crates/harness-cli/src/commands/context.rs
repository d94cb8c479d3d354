//! `harness context`.

use std::io::Write;

use harness_context::{Request, fit, render_text, select};

use super::{Failure, load, root};
use crate::args::{Cli, ContextArgs, ContextFormat};
use crate::exit;

pub fn run(cli: &Cli, args: &ContextArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.paths.is_empty() && args.diff.is_none() && args.task.is_none() {
        return Err(Failure::new(
            "nothing to give context for",
            "pass --path PATH (repeatable), --diff[=BASE] or --task TEXT",
        ));
    }
    let kb = load(cli)?;
    let mut paths: Vec<String> = args
        .paths
        .iter()
        .map(|p| p.trim_start_matches("./").replace('\\', "/"))
        .collect();
    if let Some(base) = &args.diff {
        let repo = root(cli)?;
        let changed = harness_check::git::changed_files(&repo, Some(base)).map_err(|e| {
            Failure::new(
                &e.to_string(),
                "--diff needs a git repository and `git` on PATH",
            )
        })?;
        paths.extend(changed);
    }
    let request = Request {
        paths: paths.clone(),
        task: args.task.clone(),
    };
    let fitted = fit(select(&kb, &request), args.budget);
    match args.format {
        ContextFormat::Json => {
            let _ = serde_json::to_writer_pretty(&mut *out, &fitted);
            let _ = writeln!(out);
        }
        ContextFormat::Text => {
            let subject = subject(&paths, args.task.as_deref());
            let rest = rest_command(args, fitted.budget);
            let _ = out.write_all(render_text(&fitted, &subject, &rest).as_bytes());
        }
    }
    Ok(exit::CLEAN)
}

fn subject(paths: &[String], task: Option<&str>) -> String {
    let mut parts = Vec::new();
    match paths {
        [] => {}
        [one] => parts.push(one.clone()),
        [first, rest @ ..] => parts.push(format!("{first} and {} more", rest.len())),
    }
    if let Some(t) = task {
        parts.push(format!("the task \"{t}\""));
    }
    parts.join(" and ")
}

/// The same command with a budget large enough for everything.
fn rest_command(args: &ContextArgs, budget: usize) -> String {
    let mut cmd = String::from("harness context");
    for p in &args.paths {
        cmd.push_str(&format!(" --path {}", shell_word(p)));
    }
    if let Some(base) = &args.diff {
        cmd.push_str(&format!(" --diff={}", shell_word(base)));
    }
    if let Some(t) = &args.task {
        cmd.push_str(&format!(" --task {}", shell_word(t)));
    }
    cmd.push_str(&format!(" --budget {}", budget.saturating_mul(4).max(8000)));
    cmd
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-=:@+".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
