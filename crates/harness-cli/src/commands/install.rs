//! `harness install` and `harness uninstall`.
//!
//! Every file is read and its new text worked out before anything is written, so a malformed
//! file stops the command with nothing changed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness_hooks::Agent;
use harness_hooks::install::{InstallError, Settings, Target, claude, codex, gemini, git};

use super::{Failure, on_path, root, shell_word};
use crate::args::{Cli, InstallArgs, InstallTarget};
use crate::exit;

/// One file's text before and after; `None` where the file does not exist.
struct Change {
    path: PathBuf,
    /// Relative to the repository root where it is inside it, `/`-separated.
    shown: String,
    before: Option<String>,
    after: Option<String>,
    /// A new file is created executable (the git hook).
    executable: bool,
    /// Remove the folder the file was in when deleting the file leaves it empty.
    prune_folder: bool,
}

pub fn run(
    cli: &Cli,
    args: &InstallArgs,
    uninstall: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let repo = root(cli)?;
    let repo = repo.canonicalize().unwrap_or(repo);
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for target in targets(&args.targets) {
        if let Some(settings) = target.settings() {
            changes.push(settings_change(&repo, settings, uninstall)?);
        }
        match target {
            Target::Agent(Agent::Claude) => {
                changes.push(memory_change(&repo, uninstall, &mut notes)?);
            }
            Target::Agent(Agent::Codex) => {
                notes.extend(changes.last().and_then(|c| codex_note(&repo, c, uninstall)));
            }
            Target::Agent(Agent::Gemini) if !uninstall => {
                notes.push(format!("note: {}", gemini::TRUST_NOTE));
            }
            Target::Agent(Agent::Gemini) => {}
            Target::Git => changes.push(git_change(&repo, uninstall, &mut notes)?),
        }
    }
    if !uninstall && !on_path("harness") {
        notes.push(
            "warning: `harness` is not on PATH, and the hooks run `harness …`; install it so that it is (for example `cargo install --path crates/harness-cli` from harness's source)".into(),
        );
    }
    if args.dry_run {
        for c in &changes {
            let diff = harness_hooks::install::unified_diff(
                &c.shown,
                c.before.as_deref(),
                c.after.as_deref(),
            );
            let _ = out.write_all(diff.as_bytes());
        }
        notes.push("dry run: nothing was written".into());
    } else {
        for c in &changes {
            if let Some(verb) = write(c)? {
                let _ = writeln!(out, "{verb} {}", c.shown);
            }
        }
        if changes
            .iter()
            .all(|c| c.before.is_none() && c.after.is_none())
        {
            notes.push("note: nothing to remove: none of these files exist".into());
        }
    }
    for note in notes {
        let _ = writeln!(err, "{note}");
    }
    Ok(exit::CLEAN)
}

/// The targets in the order given, `all` expanded, each once.
fn targets(given: &[InstallTarget]) -> Vec<Target> {
    let mut out = Vec::new();
    for t in given {
        let expanded = match t {
            InstallTarget::One(target) => vec![*target],
            InstallTarget::All => Target::all(),
        };
        for t in expanded {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

fn settings_change(repo: &Path, settings: &Settings, uninstall: bool) -> Result<Change, Failure> {
    let path = repo.join(settings.path);
    let before = read(&path, settings.path)?;
    let after = if uninstall {
        match &before {
            Some(text) => settings.uninstall(text),
            None => Ok(None),
        }
    } else {
        settings.install(before.as_deref()).map(Some)
    };
    let after = after.map_err(|e| settings_failure(settings, &e))?;
    Ok(Change {
        path,
        shown: settings.path.to_owned(),
        before,
        after,
        executable: false,
        prune_folder: true,
    })
}

fn settings_failure(settings: &Settings, e: &InstallError) -> Failure {
    let path = settings.path;
    let format = if settings.comments { "JSONC" } else { "JSON" };
    match e {
        InstallError::Syntax {
            line,
            column,
            message,
        } => Failure(format!(
            "error: {path} is not valid {format}: {message}\n  --> {path}:{line}:{column}\nhint: fix the file (or move it aside) and run the command again; nothing was written"
        )),
        InstallError::Shape {
            line,
            column,
            message,
        } => Failure(format!(
            "error: {path}: {message}\n  --> {path}:{line}:{column}\nhint: hooks are read as {{\"hooks\": {{\"EventName\": [{{\"matcher\": …, \"hooks\": […]}}]}}}}; fix the file and run the command again; nothing was written"
        )),
        other => Failure::new(
            &format!("{path}: {other}"),
            "report this at harness's issue tracker with the file attached; nothing was written",
        ),
    }
}

/// CLAUDE.md: Claude Code reads it instead of AGENTS.md, so a new one imports AGENTS.md.
fn memory_change(repo: &Path, uninstall: bool, notes: &mut Vec<String>) -> Result<Change, Failure> {
    let path = repo.join(claude::MEMORY_PATH);
    let before = read(&path, claude::MEMORY_PATH)?;
    let after = if uninstall {
        before.as_deref().and_then(claude::memory_uninstall)
    } else {
        let after = claude::memory_install(before.as_deref());
        let agents_md = repo.join("AGENTS.md").is_file();
        // A CLAUDE.md that is a link to AGENTS.md already is AGENTS.md.
        let linked = match (path.canonicalize(), repo.join("AGENTS.md").canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if linked {
            // Nothing to say.
        } else if claude::imports_agents_md(&after) && !agents_md {
            notes.push("note: there is no AGENTS.md, so CLAUDE.md's `@AGENTS.md` imports nothing; write AGENTS.md with the project's instructions for agents".into());
        } else if !claude::imports_agents_md(&after) && agents_md {
            notes.push("note: CLAUDE.md does not import AGENTS.md; add the line `@AGENTS.md` to it so that Claude Code reads AGENTS.md too".into());
        }
        Some(after)
    };
    Ok(Change {
        path,
        shown: claude::MEMORY_PATH.to_owned(),
        before,
        after,
        executable: false,
        prune_folder: false,
    })
}

/// The loud part: Codex skips project hooks until the project and each hook are trusted.
fn codex_note(repo: &Path, change: &Change, uninstall: bool) -> Option<String> {
    let (config_path, config_shown) = codex_config();
    let config = config_path
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let moved = codex::moved_user_entries(
        &config,
        &change.path.to_string_lossy(),
        change.before.as_deref(),
        change.after.as_deref(),
    );
    let moved_note = (!moved.is_empty()).then(|| {
        format!(
            "warning: your own hooks in .codex/hooks.json moved, and Codex keys hook trust by position: it will skip them until you paste these into {config_shown}:
--- paste into {config_shown} ---
{}--- end ---",
            codex::render(&moved)
        )
    });
    let harness_note = codex_harness_note(repo, change, uninstall, &config, &config_shown);
    match (moved_note, harness_note) {
        (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
        (a, b) => a.or(b),
    }
}

fn codex_harness_note(
    repo: &Path,
    change: &Change,
    uninstall: bool,
    config: &str,
    config_shown: &str,
) -> Option<String> {
    if uninstall {
        return (change.before != change.after).then(|| format!(
            "note: the [hooks.state.…] tables for this repository in {config_shown} are no longer used; remove them if you like"
        ));
    }
    let hooks_json = change.after.as_deref()?;
    let entries = codex::trust_entries(
        &repo.to_string_lossy(),
        &change.path.to_string_lossy(),
        hooks_json,
    );
    let missing = codex::missing(config, entries);
    if missing.is_empty() {
        return None;
    }
    Some(format!(
        "warning: Codex will NOT run these hooks until you trust them; until then it skips them silently.
  1. Trust the project: run `codex exec --trust` once in this repository, or paste its
     [projects.…] table below into {config_shown}.
  2. Trust the hooks: paste the [hooks.state.…] tables below into {config_shown}.
     A changed .codex/hooks.json needs new hashes: run `harness install codex` again
     and it prints what is missing.
  Automation can pass --dangerously-bypass-hook-trust to codex instead.
--- paste into {config_shown} ---
{}--- end ---",
        codex::render(&missing)
    ))
}

/// Codex's config.toml: under `$CODEX_HOME`, else `~/.codex`; with how to show it.
pub fn codex_config() -> (Option<PathBuf>, String) {
    if let Some(home) = std::env::var_os("CODEX_HOME").filter(|h| !h.is_empty()) {
        let path = PathBuf::from(home).join("config.toml");
        let shown = path.display().to_string();
        return (Some(path), shown);
    }
    let path = std::env::home_dir().map(|h| h.join(".codex/config.toml"));
    (path, "~/.codex/config.toml".into())
}

fn git_change(repo: &Path, uninstall: bool, notes: &mut Vec<String>) -> Result<Change, Failure> {
    let (path, prefix) = git_hook_path(repo)?;
    let shown = path.strip_prefix(repo).map_or_else(
        |_| path.display().to_string(),
        |p| p.to_string_lossy().replace('\\', "/"),
    );
    let before = read(&path, &shown)?;
    let root_arg = (!prefix.is_empty()).then(|| shell_word(&prefix));
    let after = if uninstall {
        before.as_deref().map(git::uninstall).transpose()
    } else {
        git::install(before.as_deref(), root_arg.as_deref()).map(|t| Some(Some(t)))
    };
    let after = after.map_err(|e| git_failure(&shown, &e))?.flatten();
    if !uninstall && before.is_some() && !is_executable(&path) {
        notes.push(format!(
            "warning: {shown} is not executable, so git does not run it; run `chmod +x {}`",
            shell_word(&shown)
        ));
    }
    Ok(Change {
        path,
        shown,
        before,
        after,
        executable: true,
        prune_folder: false,
    })
}

fn git_failure(shown: &str, e: &InstallError) -> Failure {
    match e {
        InstallError::OpenBlock { line } => Failure(format!(
            "error: {shown}: {e}\n  --> {shown}:{line}:1\nhint: delete the lines from `{}` to the end of the block, then run the command again; nothing was written",
            git::BEGIN
        )),
        _ => Failure::new(
            &format!("{shown}: {e}"),
            "add `harness check --staged || exit $?` to the hook yourself, and leave `git` out of the targets; nothing was written",
        ),
    }
}

/// The pre-commit hook's path (honouring core.hooksPath and worktrees) and the repository
/// root's path inside the work tree (`""` at its top).
fn git_hook_path(repo: &Path) -> Result<(PathBuf, String), Failure> {
    let output = Command::new("git")
        .args(["rev-parse", "--git-path", "hooks", "--show-prefix"])
        .current_dir(repo)
        .output()
        .map_err(|e| {
            Failure::new(
                &format!("cannot run git: {e}"),
                "install git, or leave `git` out of the targets",
            )
        })?;
    if !output.status.success() {
        return Err(Failure::new(
            &format!("{} is not in a git repository", repo.display()),
            "run `git init` first, or leave `git` out of the targets",
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let hooks = lines.next().unwrap_or(".git/hooks");
    let prefix = lines.next().unwrap_or_default().trim_end_matches('/');
    Ok((repo.join(hooks).join("pre-commit"), prefix.to_owned()))
}

fn read(path: &Path, shown: &str) -> Result<Option<String>, Failure> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Failure::new(
                &format!("{shown} is not UTF-8 text"),
                "save it as UTF-8 and run the command again; nothing was written",
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::new(
            &format!("cannot read {shown}: {e}"),
            "check the file's permissions; nothing was written",
        )),
    }
}

/// Applies one change; returns what was done, `None` for a file that neither was nor is.
fn write(c: &Change) -> Result<Option<&'static str>, Failure> {
    let fail = |e: std::io::Error| {
        Failure::new(
            &format!("cannot write {}: {e}", c.shown),
            "check the permissions of the file and its folder, then run the command again",
        )
    };
    let verb = match (&c.before, &c.after) {
        (None, None) => return Ok(None),
        (Some(b), Some(a)) if a == b => return Ok(Some("unchanged")),
        (None, Some(a)) => {
            if let Some(parent) = c.path.parent() {
                std::fs::create_dir_all(parent).map_err(fail)?;
            }
            harness_core::fs::write_atomically(&c.path, a).map_err(fail)?;
            if c.executable {
                make_executable(&c.path).map_err(fail)?;
            }
            "created"
        }
        (Some(_), Some(a)) => {
            harness_core::fs::write_atomically(&c.path, a).map_err(fail)?;
            "updated"
        }
        (Some(_), None) => {
            std::fs::remove_file(&c.path).map_err(fail)?;
            if let Some(parent) = c.path.parent().filter(|_| c.prune_folder) {
                // Fails, as it should, when anything else is in the folder.
                let _ = std::fs::remove_dir(parent);
            }
            "removed"
        }
    };
    Ok(Some(verb))
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}
