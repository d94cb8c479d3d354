//! `harness install` and `harness uninstall` on real git repositories: diffs, round trips that
//! give every file back byte for byte, errors that write nothing, and a git hook that blocks a
//! real commit.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use insta::assert_snapshot;

use crate::common::Repo;

/// The folder of the harness binary under test, so that the hooks find `harness`.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_harness"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// PATH with the binary under test first.
fn path_with_harness() -> OsString {
    let mut dirs = vec![bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap()
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `harness` in the repository with harness on PATH and Codex's home inside the repository.
fn harness(repo: &Repo, args: &[&str]) -> Out {
    harness_with_path(repo, args, &path_with_harness())
}

fn harness_with_path(repo: &Repo, args: &[&str], path: &OsString) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .env("CODEX_HOME", repo.path().join("codex-home"))
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn snapshot(repo: &Repo, out: &Out) -> String {
    let root = repo.path().canonicalize().unwrap();
    let root = root.to_string_lossy();
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.code,
        out.stdout.replace(&*root, "[ROOT]"),
        out.stderr.replace(&*root, "[ROOT]")
    )
}

/// Every file under the repository (the git hooks too, the rest of .git not) and its bytes.
fn files(repo: &Repo) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                if rel == ".git" {
                    walk(&path.join("hooks"), base, out);
                } else {
                    walk(&path, base, out);
                }
            } else if !rel.ends_with(".sample") {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(repo.path(), repo.path(), &mut out);
    out
}

fn git_repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "");
    repo.git(&["init", "-q"]);
    repo
}

const CLAUDE: &str = r#"{
    "model": "opus",
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [{ "type": "command", "command": "./scripts/guard.sh" }]
            }
        ]
    }
}
"#;

const GEMINI: &str = "{\n  // Our theme.\n  \"ui\": { \"theme\": \"GitHub\" } /* keep */\n}\n";

const PRE_COMMIT: &str = "#!/bin/sh\necho linting\nexit 0\n";

#[test]
fn install_all_dry_run_prints_diffs_and_writes_nothing() {
    let repo = git_repo();
    repo.write(".claude/settings.json", CLAUDE)
        .write(".gemini/settings.json", GEMINI)
        .write("AGENTS.md", "# Agents\n");
    let before = files(&repo);
    let out = harness(&repo, &["install", "all", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(files(&repo), before);
    assert_snapshot!(snapshot(&repo, &out));
}

#[test]
fn install_then_uninstall_restores_every_file() {
    let repo = git_repo();
    repo.write(".claude/settings.json", CLAUDE)
        .write(
            ".codex/hooks.json",
            "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"say done\"}]}]}}",
        )
        .write(".gemini/settings.json", GEMINI)
        .write(".git/hooks/pre-commit", PRE_COMMIT)
        .write("AGENTS.md", "# Agents\n");
    let before = files(&repo);

    let out = harness(&repo, &["install", "all"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_snapshot!("install_all", out.stdout);
    let installed = files(&repo);
    let hook = String::from_utf8(installed[".git/hooks/pre-commit"].clone()).unwrap();
    assert!(hook.starts_with("#!/bin/sh\n# >>> harness >>>\n"), "{hook}");
    assert!(
        hook.ends_with("# <<< harness <<<\necho linting\nexit 0\n"),
        "{hook}"
    );

    let again = harness(&repo, &["install", "all", "claude", "git"]);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.lines().all(|l| l.starts_with("unchanged ")),
        "{}",
        again.stdout
    );
    assert_eq!(files(&repo), installed);

    let out = harness(&repo, &["uninstall", "all"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_snapshot!("uninstall_all", out.stdout);
    assert_eq!(files(&repo), before);
}

#[test]
fn install_into_a_bare_repository_and_out_again() {
    let repo = git_repo();
    let before = files(&repo);
    let out = harness(&repo, &["install", "all"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(repo.path().join(".claude/settings.json").is_file());
    assert_eq!(
        std::fs::read_to_string(repo.path().join("CLAUDE.md")).unwrap(),
        harness_hooks::install::claude::MEMORY
    );
    assert!(
        out.stderr.contains("there is no AGENTS.md"),
        "{}",
        out.stderr
    );
    let out = harness(&repo, &["uninstall", "all"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(files(&repo), before);
    for folder in [".claude", ".codex", ".gemini"] {
        assert!(!repo.path().join(folder).exists(), "{folder} left behind");
    }
}

#[test]
fn invalid_json_is_an_error_and_nothing_is_written() {
    let repo = git_repo();
    repo.write(
        ".gemini/settings.json",
        "{\n  \"ui\": {\n    \"theme\": \"x\",\n  }\n}\n",
    );
    let before = files(&repo);
    let out = harness(&repo, &["install", "claude", "gemini", "git"]);
    assert_eq!(out.code, 2);
    assert_eq!(files(&repo), before);
    assert_snapshot!(snapshot(&repo, &out));
}

#[test]
fn hooks_of_the_wrong_shape_are_an_error() {
    let repo = git_repo();
    repo.write(
        ".claude/settings.json",
        "{\n  \"hooks\": {\n    \"Stop\": {}\n  }\n}\n",
    );
    let out = harness(&repo, &["uninstall", "claude"]);
    assert_eq!(out.code, 2);
    assert_snapshot!(snapshot(&repo, &out));
}

#[test]
fn git_outside_a_repository_is_an_error() {
    let repo = Repo::new();
    repo.write("harness.toml", "");
    let out = harness(&repo, &["install", "codex", "git"]);
    assert_eq!(out.code, 2);
    assert!(!repo.path().join(".codex").exists());
    assert_snapshot!(snapshot(&repo, &out));
}

#[test]
fn pasting_the_codex_snippet_silences_the_warning() {
    let repo = git_repo();
    let out = harness(&repo, &["install", "codex"]);
    assert!(
        out.stderr.contains("Codex will NOT run these hooks"),
        "{}",
        out.stderr
    );
    let snippet = out
        .stderr
        .split_once("---\n")
        .and_then(|(_, rest)| rest.split_once("--- end ---"))
        .unwrap()
        .0;
    let root = repo.path().canonicalize().unwrap();
    let hooks_json = root.join(".codex/hooks.json");
    let text = std::fs::read_to_string(&hooks_json).unwrap();
    let expected = harness_hooks::install::codex::codex_trust_snippet(
        &root.to_string_lossy(),
        &hooks_json.to_string_lossy(),
        &text,
    );
    assert_eq!(snippet, expected);
    repo.write(
        "codex-home/config.toml",
        &format!("model = \"o3\"\n\n{snippet}"),
    );
    let out = harness(&repo, &["install", "codex"]);
    assert_eq!(out.stdout, "unchanged .codex/hooks.json\n");
    assert!(!out.stderr.contains("Codex"), "{}", out.stderr);
}

#[test]
fn harness_missing_from_path_is_a_warning() {
    let repo = Repo::new();
    repo.write("harness.toml", "");
    let empty = tempfile::tempdir().unwrap();
    let out = harness_with_path(&repo, &["install", "claude"], &empty.path().into());
    assert_eq!(out.code, 0);
    assert!(
        out.stderr.contains("warning: `harness` is not on PATH"),
        "{}",
        out.stderr
    );
    let out = harness(&repo, &["install", "claude"]);
    assert!(!out.stderr.contains("not on PATH"), "{}", out.stderr);
}

/// Runs `git commit` with harness on PATH; returns whether it succeeded, and its output.
fn commit(repo: &Repo, message: &str) -> (bool, String) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false", "commit", "-qm", message])
        .current_dir(repo.path())
        .env("PATH", path_with_harness())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn git_hook_blocks_a_commit_with_a_blocking_finding() {
    let repo = Repo::new();
    repo.write("app/harness.toml", "").write(
        "app/.harness/rules/eval.yml",
        "id: no-eval\npriority: P1\nmessage: eval is forbidden\nregex:\n  pattern: 'eval\\('\n",
    );
    repo.git(&["init", "-q"]);
    // harness.toml is below the top of the work tree: the hook passes --root.
    let out = harness_in(&repo, "app", &["install", "git"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "created ../.git/hooks/pre-commit\n");
    let hook = std::fs::read_to_string(repo.path().join(".git/hooks/pre-commit")).unwrap();
    assert!(
        hook.contains("harness --root app check --staged || exit $?"),
        "{hook}"
    );

    repo.write("app/src/bad.ts", "eval(input);\n");
    repo.git(&["add", "-A"]);
    let (ok, output) = commit(&repo, "bad");
    assert!(!ok, "the commit went through:\n{output}");
    assert!(output.contains("no-eval"), "{output}");

    repo.write("app/src/bad.ts", "JSON.parse(input);\n");
    repo.git(&["add", "-A"]);
    let (ok, output) = commit(&repo, "good");
    assert!(ok, "{output}");
}

fn harness_in(repo: &Repo, dir: &str, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(args)
        .current_dir(repo.path().join(dir))
        .env("NO_COLOR", "1")
        .env("PATH", path_with_harness())
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_settings_file_stays_a_link() {
    let repo = git_repo();
    std::fs::create_dir_all(repo.path().join("dotfiles")).unwrap();
    std::fs::create_dir_all(repo.path().join(".claude")).unwrap();
    let original = "{\n  \"model\": \"opus\"\n}\n";
    std::fs::write(repo.path().join("dotfiles/claude.json"), original).unwrap();
    std::os::unix::fs::symlink(
        "../dotfiles/claude.json",
        repo.path().join(".claude/settings.json"),
    )
    .unwrap();
    let out = harness(&repo, &["install", "claude"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let link = repo.path().join(".claude/settings.json");
    assert!(link.is_symlink());
    let installed = std::fs::read_to_string(repo.path().join("dotfiles/claude.json")).unwrap();
    assert!(installed.contains("harness hook claude") && installed.contains("\"model\""));
    let out = harness(&repo, &["uninstall", "claude"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(link.is_symlink());
    assert_eq!(
        std::fs::read_to_string(repo.path().join("dotfiles/claude.json")).unwrap(),
        original
    );
}

#[test]
fn a_claude_md_of_the_users_own_survives_uninstall() {
    let repo = git_repo();
    repo.write("AGENTS.md", "# Agents\n");
    repo.write("CLAUDE.md", "@AGENTS.md\n");
    assert_eq!(harness(&repo, &["install", "claude"]).code, 0);
    assert_eq!(harness(&repo, &["uninstall", "claude"]).code, 0);
    assert_eq!(
        std::fs::read_to_string(repo.path().join("CLAUDE.md")).unwrap(),
        "@AGENTS.md\n"
    );
}

#[cfg(unix)]
#[test]
fn a_claude_md_linked_to_agents_md_needs_no_import() {
    let repo = git_repo();
    repo.write("AGENTS.md", "# Agents\n");
    std::os::unix::fs::symlink("AGENTS.md", repo.path().join("CLAUDE.md")).unwrap();
    let out = harness(&repo, &["install", "claude"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stderr.contains("CLAUDE.md does not import"),
        "{}",
        out.stderr
    );
}
