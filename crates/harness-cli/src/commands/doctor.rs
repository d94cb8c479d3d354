//! `harness doctor`: one line per thing checked, and what to do about each that is wrong.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use harness_hooks::install::{Settings, codex};
use harness_hooks::{Agent, Minimum};
use harness_sync::Action;

use super::install::codex_config;
use super::{Failure, on_path, setup_root};
use crate::args::{Cli, DoctorArgs};
use crate::exit;

/// How one check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Ok,
    /// Something to fix: the exit code is 1.
    Fix,
    /// Worth knowing, nothing broken.
    Note,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok  ",
            Status::Fix => "fix ",
            Status::Note => "note",
        }
    }
}

struct Line {
    status: Status,
    text: String,
}

fn line(status: Status, text: impl Into<String>) -> Line {
    Line {
        status,
        text: text.into(),
    }
}

/// An agent's `--version` may take this long (Node.js CLIs start slowly on a cold cache).
const VERSION_TIMEOUT: Duration = Duration::from_secs(20);

pub fn run(
    cli: &Cli,
    _args: &DoctorArgs,
    out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    let repo = setup_root(cli)?;
    let repo = repo.canonicalize().unwrap_or(repo);
    let mut lines = Vec::new();
    let knowledge = config(&repo, &mut lines);
    let agents = Agent::ALL;
    // Node.js CLIs take a second or more to say their version: ask them all at once.
    let versions: Vec<Option<String>> = std::thread::scope(|scope| {
        let asks: Vec<_> = agents
            .iter()
            .map(|t| scope.spawn(move || on_path(t.name()).then(|| version(t.name())).flatten()))
            .collect();
        asks.into_iter().map(|a| a.join().ok().flatten()).collect()
    });
    for (each, version) in agents.into_iter().zip(versions) {
        agent(&repo, each, version.as_deref(), &mut lines);
    }
    hooks_find_harness(&repo, &mut lines);
    git_hook(&repo, &mut lines);
    if let Some((kb, guidance)) = knowledge {
        generated(&kb, &guidance, &mut lines);
    }
    // Not set up yet: opening the store would create it.
    if harness_core::find_root(&repo).as_deref() == Some(repo.as_path()) {
        store(&repo, &mut lines);
    }
    let fixes = lines.iter().filter(|l| l.status == Status::Fix).count();
    for l in &lines {
        let _ = writeln!(out, "{} {}", l.status.label(), l.text);
    }
    let _ = if fixes == 0 {
        writeln!(out, "harness doctor: all good")
    } else {
        writeln!(
            out,
            "harness doctor: {fixes} {} to fix",
            if fixes == 1 { "thing" } else { "things" }
        )
    };
    Ok(if fixes == 0 {
        exit::CLEAN
    } else {
        exit::BLOCKING
    })
}

type Knowledge = (
    harness_core::KnowledgeBase,
    Vec<harness_core::guidance::Guidance>,
);

fn config(repo: &Path, lines: &mut Vec<Line>) -> Option<Knowledge> {
    if harness_core::find_root(repo).as_deref() != Some(repo) {
        lines.push(line(
            Status::Fix,
            format!(
                "config: no harness.toml in {}; run `harness init`",
                repo.display()
            ),
        ));
        return None;
    }
    let kb = match harness_core::load(repo) {
        Ok(kb) => kb,
        Err(e) => {
            lines.push(line(
                Status::Fix,
                format!("config: {}", first_lines(&e.to_string())),
            ));
            return None;
        }
    };
    let guidance = match harness_core::load_guidance(repo) {
        Ok(g) => g,
        Err(e) => {
            lines.push(line(
                Status::Fix,
                format!(
                    "personas, decisions, journeys: {}",
                    first_lines(&e.to_string())
                ),
            ));
            return None;
        }
    };
    let rules = kb.rules.len();
    lines.push(line(
        Status::Ok,
        format!(
            "config: harness.toml, {rules} {} and {} personas, decisions and journeys load",
            if rules == 1 { "rule" } else { "rules" },
            guidance.len()
        ),
    ));
    Some((kb, guidance))
}

/// An error's title and location on one line, with its hint.
fn first_lines(error: &str) -> String {
    error
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_start_matches("error: ").trim_start_matches("--> "))
        .collect::<Vec<_>>()
        .join("; ")
}

fn agent(repo: &Path, agent: Agent, version: Option<&str>, lines: &mut Vec<Line>) {
    let name = agent.name();
    let settings = agent.settings();
    let text = std::fs::read_to_string(repo.join(settings.path)).ok();
    let has_ours = text
        .as_deref()
        .is_some_and(|t| t.contains(harness_hooks::install::COMMAND_PREFIX));
    let found = on_path(name);
    if !found && !has_ours {
        lines.push(line(
            Status::Note,
            format!("{name}: not on PATH and not set up here; skipped"),
        ));
        return;
    }
    let label = match version {
        Some(v) => format!("{name} {v}"),
        None => name.to_owned(),
    };
    if found {
        version_line(agent, version, &label, lines);
    }
    hooks_line(name, settings, &label, text.as_deref(), has_ours, lines);
    if agent == Agent::Codex && has_ours {
        codex_trust(
            repo,
            settings,
            &label,
            text.as_deref().unwrap_or_default(),
            lines,
        );
    }
}

fn version_line(agent: Agent, version: Option<&str>, label: &str, lines: &mut Vec<Line>) {
    let Minimum {
        version: minimum,
        feature,
    } = agent.minimum();
    let name = agent.name();
    match version {
        None => lines.push(line(
            Status::Note,
            format!("{name}: `{name} --version` gave no version within {}s; harness needs {minimum} or later ({feature})", VERSION_TIMEOUT.as_secs()),
        )),
        Some(v) if older(v, minimum) => lines.push(line(
            Status::Fix,
            format!("{label}: older than {minimum}, the first with {feature}; update {name}"),
        )),
        Some(_) => {}
    }
}

fn hooks_line(
    name: &str,
    settings: &Settings,
    label: &str,
    text: Option<&str>,
    has_ours: bool,
    lines: &mut Vec<Line>,
) {
    let path = settings.path;
    if !has_ours {
        // A note, not a fix: an agent CLI on PATH is not necessarily one this team uses here.
        lines.push(line(
            Status::Note,
            format!(
                "{label}: no harness hooks in {path}; `harness install {name}` adds them if this repository is worked on with {name}"
            ),
        ));
        return;
    }
    match settings.install(text) {
        Ok(after) if Some(after.as_str()) == text => lines.push(line(
            Status::Ok,
            format!("{label}: hooks installed and current ({path})"),
        )),
        Ok(_) => lines.push(line(
            Status::Fix,
            format!("{label}: hooks in {path} are from another harness version; run `harness install {name}`"),
        )),
        Err(e) => lines.push(line(
            Status::Fix,
            format!(
                "{label}: {path} cannot be read as settings ({e}); fix it, then run `harness install {name}`"
            ),
        )),
    }
}

fn codex_trust(
    repo: &Path,
    settings: &Settings,
    label: &str,
    hooks_json: &str,
    lines: &mut Vec<Line>,
) {
    let (config_path, shown) = codex_config();
    let config = config_path
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let entries = codex::trust_entries(
        &repo.to_string_lossy(),
        &repo.join(settings.path).to_string_lossy(),
        hooks_json,
    );
    let missing = codex::missing(&config, entries);
    if missing.is_empty() {
        lines.push(line(
            Status::Ok,
            format!("{label}: project and hooks trusted in {shown}"),
        ));
    } else {
        lines.push(line(
            Status::Fix,
            format!(
                "{label}: {} trust {} missing from {shown}, so Codex skips the hooks; run `harness install codex` and paste what it prints",
                missing.len(),
                if missing.len() == 1 { "entry" } else { "entries" }
            ),
        ));
    }
}

/// Every installed hook runs `harness …` from PATH.
fn hooks_find_harness(repo: &Path, lines: &mut Vec<Line>) {
    let installed = Agent::ALL.iter().map(|a| a.settings()).any(|s| {
        std::fs::read_to_string(repo.join(s.path))
            .is_ok_and(|t| t.contains(harness_hooks::install::COMMAND_PREFIX))
    });
    if installed && !on_path("harness") {
        lines.push(line(
            Status::Fix,
            "harness: not on PATH, and the installed hooks run `harness hook …`; install it where the agents find it (`cargo install --locked --path crates/harness-cli` from harness's source)",
        ));
    }
}

fn git_hook(repo: &Path, lines: &mut Vec<Line>) {
    let Ok(output) = Command::new("git")
        .args(["rev-parse", "--git-path", "hooks/pre-commit"])
        .current_dir(repo)
        .stderr(Stdio::null())
        .output()
    else {
        return;
    };
    if !output.status.success() {
        lines.push(line(
            Status::Note,
            "git: not a git repository; the pre-commit check needs one",
        ));
        return;
    }
    let hook = repo.join(String::from_utf8_lossy(&output.stdout).trim());
    let text = std::fs::read_to_string(&hook).unwrap_or_default();
    if text.contains(harness_hooks::install::git::BEGIN) {
        lines.push(line(
            Status::Ok,
            "git: pre-commit runs `harness check --staged`",
        ));
    } else {
        lines.push(line(
            Status::Note,
            "git: no pre-commit check; `harness install git` adds one",
        ));
    }
}

fn generated(
    kb: &harness_core::KnowledgeBase,
    guidance: &[harness_core::guidance::Guidance],
    lines: &mut Vec<Line>,
) {
    let report = match harness_sync::sync(kb, guidance, true) {
        Ok(r) => r,
        Err(e) => {
            lines.push(line(Status::Fix, format!("generated files: {e}")));
            return;
        }
    };
    // The team uses `harness sync` when a file it generated is here; the CLAUDE.md that
    // `harness install claude` writes does not count.
    let in_use = report.steps.iter().any(|s| {
        s.target.name != "claude"
            && matches!(
                s.action,
                Action::Update | Action::Unchanged | Action::Remove
            )
    });
    let stale: Vec<&str> = report.changes().map(|s| s.path.as_str()).collect();
    if !in_use {
        lines.push(line(
            Status::Note,
            "generated files: none; `harness sync` writes rule files for Cursor and GitHub Copilot",
        ));
    } else if stale.is_empty() {
        lines.push(line(Status::Ok, "generated files: up to date"));
    } else {
        lines.push(line(
            Status::Fix,
            format!(
                "generated files: {} out of date ({}{}); run `harness sync`",
                stale.len(),
                stale[..stale.len().min(3)].join(", "),
                if stale.len() > 3 { ", …" } else { "" }
            ),
        ));
    }
}

fn store(repo: &Path, lines: &mut Vec<Line>) {
    use harness_store::StoreError;
    let shown = harness_store::STORE_FILE;
    let text = match harness_store::Store::open_in(repo).and_then(|s| s.check_writable()) {
        Ok(()) => {
            lines.push(line(Status::Ok, format!("event store: {shown} writable")));
            return;
        }
        // Its events are the team's feedback history: never advise deleting a newer store.
        Err(e @ StoreError::Newer { .. }) => format!("event store: {e}"),
        Err(e @ (StoreError::ReadOnly { .. } | StoreError::Create { .. })) => format!(
            "event store: {e}; give this user write access to .harness/state/ and its files"
        ),
        Err(e @ StoreError::Sqlite { .. }) => format!(
            "event store: {e}; if another harness is not holding it, move .harness/state/harness.db* aside to start a new store"
        ),
    };
    lines.push(line(Status::Fix, text));
}

/// The first `x.y.z` in what `<program> --version` prints, if it answers in time. Its output
/// goes to a file, not a pipe, so a process it leaves behind cannot keep doctor waiting; it
/// runs in its own process group, so on a timeout the whole group is killed.
fn version(program: &str) -> Option<String> {
    let mut output = tempfile::tempfile().ok()?;
    let mut command = Command::new(program);
    command
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(output.try_clone().ok()?)
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().ok()?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() < VERSION_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => {
                // The whole group: Node.js CLIs start children of their own.
                #[cfg(unix)]
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                // A CLI that printed its version and lingers still said it.
                break;
            }
        }
    }
    let mut text = String::new();
    std::io::Seek::rewind(&mut output).ok()?;
    std::io::Read::read_to_string(&mut std::io::Read::take(&mut output, 4096), &mut text).ok()?;
    parse_version(&text)
}

/// The first `x.y.z` in a CLI's version output.
fn parse_version(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .find(|w| w.split('.').count() == 3 && w.split('.').all(|p| !p.is_empty()))
        .map(str::to_owned)
}

/// Whether dotted version `a` is older than `b`.
fn older(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parts(a) < parts(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_agents_print_them() {
        assert_eq!(
            parse_version("2.1.197 (Claude Code)\n").as_deref(),
            Some("2.1.197")
        );
        assert_eq!(
            parse_version("codex-cli 0.169.0\n").as_deref(),
            Some("0.169.0")
        );
        assert_eq!(parse_version("0.61.0\n").as_deref(), Some("0.61.0"));
        assert_eq!(parse_version("unknown"), None);
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(older("2.0.9", "2.0.10"));
        assert!(!older("2.1.197", "2.0.10"));
        assert!(!older("0.129.0", "0.129.0"));
    }
}
