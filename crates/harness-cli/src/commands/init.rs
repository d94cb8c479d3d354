//! `harness init`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::Command;

use harness_init::{Outcome, Project, apply, plan, scan};

use super::{Failure, on_path};
use crate::args::{Cli, InitArgs};
use crate::exit;

pub fn run(
    cli: &Cli,
    args: &InitArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let root = init_root(cli)?;
    let project = scan(&root);
    let files = plan(&project);
    let _ = writeln!(out, "harness init: {}", summary(&project));
    let interactive =
        !args.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if interactive {
        let missing: Vec<&str> = files
            .iter()
            .filter(|f| root.join(&f.path).symlink_metadata().is_err() && !f.text.is_empty())
            .map(|f| f.path.as_str())
            .collect();
        if missing.is_empty() {
            let _ = writeln!(out, "everything harness init writes is here already");
        } else {
            let _ = writeln!(err, "in {}, harness init will create:", root.display());
            for path in &missing {
                let _ = writeln!(err, "  {path}");
            }
            let _ = write!(err, "Create these {} files? [Y/n] ", missing.len());
            let _ = err.flush();
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            if matches!(answer.trim().to_lowercase().as_str(), "n" | "no") {
                let _ = writeln!(out, "nothing written");
                return Ok(exit::CLEAN);
            }
        }
    }
    let outcomes = apply(&root, &files).map_err(|e| {
        Failure::new(
            &e.to_string(),
            "fix the permission or path problem, then run `harness init` again: it keeps what it already wrote",
        )
    })?;
    for outcome in &outcomes {
        let _ = writeln!(out, "{outcome}");
    }
    let created = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o,
                Outcome::Created(_) | Outcome::CreatedWithout { .. } | Outcome::Appended(_)
            )
        })
        .count();
    if created == 0 {
        let _ = writeln!(out, "nothing to do: every file is already there");
    }
    next_steps(out);
    Ok(exit::CLEAN)
}

/// `--root`, else the top of the git repository around the current folder, else that folder.
fn init_root(cli: &Cli) -> Result<PathBuf, Failure> {
    let cwd = std::env::current_dir().map_err(|e| {
        Failure::new(
            &format!("cannot read the current directory: {e}"),
            "run harness init from inside the repository",
        )
    })?;
    if let Some(r) = &cli.root {
        let abs = cwd.join(r);
        if !abs.is_dir() {
            return Err(Failure::new(
                &format!("--root {} is not a directory", r.display()),
                "pass the repository root",
            ));
        }
        return Ok(abs);
    }
    let top = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(&cwd)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    Ok(top.filter(|t| t.is_dir()).unwrap_or(cwd))
}

fn summary(project: &Project) -> String {
    if project.languages.is_empty() {
        return "no source files found; writing the hub, personas and first decision".to_owned();
    }
    let langs: Vec<String> = project
        .languages
        .iter()
        .map(|(l, n)| {
            let react = if project.react && *l == harness_init::Language::TypeScript {
                "React, "
            } else {
                ""
            };
            let files = if *n == 1 { "file" } else { "files" };
            format!("{} ({react}{n} {files})", l.name())
        })
        .collect();
    format!("{} found", langs.join(", "))
}

fn next_steps(out: &mut dyn Write) {
    let agents: Vec<&str> = ["claude", "codex", "gemini"]
        .into_iter()
        .filter(|a| on_path(a))
        .collect();
    let install = if agents.is_empty() {
        "harness install claude".to_owned()
    } else {
        format!("harness install {}", agents.join(" "))
    };
    let why = if agents.is_empty() {
        "guidance and checks inside the agent (claude, codex or gemini)".to_owned()
    } else {
        format!(
            "guidance and checks inside {} (found on PATH)",
            agents.join(", ")
        )
    };
    let width = install.len().max("harness check".len()) + 2;
    let _ = writeln!(out, "next:");
    let _ = writeln!(
        out,
        "  {:width$}run the starter rules; `harness baseline` accepts what they find today",
        "harness check"
    );
    let _ = writeln!(out, "  {install:width$}{why}");
    let _ = writeln!(
        out,
        "  {:width$}instruction files for agents without hooks (Cursor, GitHub Copilot)",
        "harness sync"
    );
}
