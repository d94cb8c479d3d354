//! `harness init`.

use std::io::{BufRead, IsTerminal, Write};

use harness_init::{HUB_BESIDE, Outcome, Project, apply, plan, scan};

use super::{Failure, on_path, setup_root};
use crate::args::{Cli, InitArgs};
use crate::exit;

pub fn run(
    cli: &Cli,
    args: &InitArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let root = setup_root(cli)?;
    let project = scan(&root);
    let files = plan(&project);
    let _ = writeln!(
        out,
        "harness init in {}: {}",
        root.display(),
        summary(&project)
    );
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| c.canonicalize().ok());
    if cli.root.is_none() && cwd.as_deref() != root.canonicalize().ok().as_deref() {
        let _ = writeln!(
            out,
            "note: that is the top of the repository around this folder; `--root .` sets up this folder instead"
        );
    }
    let interactive =
        !args.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if interactive {
        let mut missing: Vec<String> = files
            .iter()
            .filter(|f| root.join(&f.path).symlink_metadata().is_err() && !f.text.is_empty())
            .map(|f| f.path.clone())
            .collect();
        if !harness_init::state_ignored(&root) {
            missing.push(format!(".gitignore (+ {})", harness_init::STATE_IGNORE));
        }
        if !missing.is_empty() {
            let _ = writeln!(err, "in {}, harness init will write:", root.display());
            for path in &missing {
                let _ = writeln!(err, "  {path}");
            }
            let _ = write!(err, "Go ahead? [Y/n] ");
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
    if project.agents_md {
        let _ = writeln!(
            out,
            "note: AGENTS.md is yours and was left as it is; harness's hub (the procedure and where knowledge lives) is in {HUB_BESIDE}: merge it into AGENTS.md (Codex, Cursor and Copilot read only AGENTS.md itself; Claude Code and Gemini CLI also follow a line `@{HUB_BESIDE}` in it)"
        );
    }
    // What was there before may not fit with what was added (an ast-grep project, a broken
    // harness.toml): say so now rather than at the first check.
    if let Err(e) = harness_core::load(&root).and_then(|_| harness_core::load_guidance(&root)) {
        let _ = writeln!(err, "{}", e.to_string().trim_end());
        let _ = writeln!(
            err,
            "the setup does not load yet: fix the file named above, then run `harness check`"
        );
        return Ok(exit::ERROR);
    }
    next_steps(out);
    Ok(exit::CLEAN)
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
