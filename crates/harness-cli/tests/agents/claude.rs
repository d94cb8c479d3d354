//! Claude Code run headless (`claude -p`) against the scripted model.

use std::path::{Path, PathBuf};

use crate::agent::{self, Outcome};
use crate::model::Model;
use crate::repo::Repo;

/// The model id sent to the endpoint; the scripted model ignores it.
pub const MODEL: &str = "claude-sonnet-4-5";

/// Claude Code wired to one scripted model, with its own home and config directory, which keep
/// the sessions between runs (for `--resume`).
pub struct Claude {
    bin: PathBuf,
    path_prefix: PathBuf,
    base_url: String,
    dirs: tempfile::TempDir,
}

impl Claude {
    /// The CLI from `HARNESS_TEST_CLAUDE`, see [`agent::find_cli`]. `path_prefix` goes first on its
    /// `PATH` (usually [`agent::harness_dir`], so hook commands find `harness`).
    pub fn find(model: &Model, path_prefix: &Path) -> Option<Claude> {
        let bin = agent::find_cli("HARNESS_TEST_CLAUDE")?;
        let dirs = tempfile::tempdir().expect("temporary directory");
        for dir in ["home", "config"] {
            std::fs::create_dir(dirs.path().join(dir)).expect("create a directory");
        }
        Some(Claude {
            bin,
            path_prefix: path_prefix.to_owned(),
            base_url: model.base_url(),
            dirs,
        })
    }

    /// `CLAUDE_CONFIG_DIR`: user settings, sessions (`projects/`), spilled hook output.
    pub fn config_dir(&self) -> PathBuf {
        self.dirs.path().join("config")
    }

    /// A new session: `claude -p "<prompt>"` in `repo`.
    pub fn run(&self, repo: &Repo, prompt: &str) -> Outcome {
        self.run_args(repo, &[], prompt)
    }

    /// Continues session `session_id` (from [`Outcome::session_id`]).
    pub fn resume(&self, repo: &Repo, session_id: &str, prompt: &str) -> Outcome {
        self.run_args(repo, &["--resume", session_id], prompt)
    }

    /// Compacts session `session_id`: `/compact` (the scripted model answers the summary request).
    pub fn compact(&self, repo: &Repo, session_id: &str) -> Outcome {
        self.resume(repo, session_id, "/compact")
    }

    /// `claude -p` with extra arguments (e.g. `--settings <file>`) before the prompt.
    pub fn run_args(&self, repo: &Repo, args: &[&str], prompt: &str) -> Outcome {
        let mut command =
            agent::command(&self.bin, &self.path_prefix, &self.dirs.path().join("home"));
        command
            .current_dir(repo.path())
            .args([
                "-p",
                "--output-format",
                "json",
                "--dangerously-skip-permissions",
            ])
            .args(["--model", MODEL])
            .args(args)
            .arg(prompt)
            .env("ANTHROPIC_BASE_URL", &self.base_url)
            .env("ANTHROPIC_API_KEY", "sk-ant-test")
            .env("CLAUDE_CONFIG_DIR", self.config_dir())
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            // Allows --dangerously-skip-permissions when the tests run as root.
            .env("IS_SANDBOX", "1");
        agent::run(command)
    }
}
