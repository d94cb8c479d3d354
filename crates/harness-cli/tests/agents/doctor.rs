//! `harness doctor` with the real agent CLIs on PATH: their versions, hooks missing then
//! installed, and Codex's hook trust missing then granted.

use std::path::Path;
use std::process::Command;

use crate::agent;
use crate::repo::Repo;

/// A folder holding links to the three real CLIs, harness and git, used as the whole PATH.
fn path_with_agents() -> Option<tempfile::TempDir> {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, var) in [
        ("claude", "HARNESS_TEST_CLAUDE"),
        ("codex", "HARNESS_TEST_CODEX"),
        ("gemini", "HARNESS_TEST_GEMINI"),
    ] {
        let bin = agent::find_cli(var)?;
        std::os::unix::fs::symlink(bin, dir.path().join(name)).expect("link the CLI");
    }
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_harness"), dir.path().join("harness"))
        .expect("link harness");
    for tool in ["git", "node", "sh", "env"] {
        if let Some(found) = which(tool) {
            std::os::unix::fs::symlink(found, dir.path().join(tool)).expect("link a tool");
        }
    }
    Some(dir)
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn harness(repo: &Repo, path: &Path, codex_home: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(repo.path())
        .env("PATH", path)
        .env("CODEX_HOME", codex_home)
        .env("NO_COLOR", "1")
        .output()
        .expect("run harness");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), stdout)
}

#[test]
fn doctor_reads_the_real_agents_and_says_what_to_fix() {
    let Some(path) = path_with_agents() else {
        return;
    };
    let codex_home = tempfile::tempdir().expect("temporary directory");
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write("src/a.ts", "export const a = 1;\n");
    let run = |args: &[&str]| harness(&repo, path.path(), codex_home.path(), args);

    let (code, out) = run(&["doctor"]);
    assert_eq!(
        code, 0,
        "an agent on PATH without hooks here is a note: {out}"
    );
    for agent in ["claude", "codex", "gemini"] {
        let line = out
            .lines()
            .find(|l| l.starts_with("note") && l.contains(&format!(" {agent} ")))
            .unwrap_or_else(|| panic!("no line for {agent}:\n{out}"));
        // The version the real CLI reports, and the command that installs the hooks.
        assert!(
            line.split_whitespace().nth(2).is_some_and(|v| v
                .trim_end_matches(':')
                .split('.')
                .all(|p| p.parse::<u32>().is_ok())),
            "{line}"
        );
        assert!(
            line.contains(&format!("`harness install {agent}` adds them")),
            "{line}"
        );
    }

    let (code, out) = run(&["install", "claude", "codex", "gemini"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&["doctor"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("hooks installed and current (.claude/settings.json)"),
        "{out}"
    );
    assert!(
        out.contains("hooks installed and current (.gemini/settings.json)"),
        "{out}"
    );
    let trust = out
        .lines()
        .find(|l| l.starts_with("fix") && l.contains("trust"))
        .unwrap_or_else(|| panic!("no trust line:\n{out}"));
    assert!(trust.contains("so Codex skips the hooks"), "{trust}");

    // Grant the trust install prints, as a person would paste it.
    let hooks_json = repo.read(".codex/hooks.json").expect("hooks.json");
    let root = repo.path().canonicalize().expect("canonical root");
    let snippet = harness_hooks::install::codex::codex_trust_snippet(
        &root.to_string_lossy(),
        &root.join(".codex/hooks.json").to_string_lossy(),
        &hooks_json,
    );
    std::fs::write(codex_home.path().join("config.toml"), snippet).expect("write config.toml");
    let (code, out) = run(&["doctor"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("project and hooks trusted"), "{out}");
    assert!(out.ends_with("harness doctor: all good\n"), "{out}");

    // Hooks from an older harness: the command differs.
    let settings = repo.read(".claude/settings.json").expect("settings");
    repo.write(
        ".claude/settings.json",
        &settings.replacen("harness hook claude", "harness hook  claude", 1),
    );
    let (code, out) = run(&["doctor"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("hooks in .claude/settings.json are from another harness version; run `harness install claude`"),
        "{out}"
    );
}
