//! Gemini CLI run headless (`gemini -p`) against the scripted model.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::agent::{self, Outcome};
use crate::model::Model;
use crate::repo::Repo;

/// The model id sent to the endpoint (in the path); with `-m` set Gemini CLI routes nothing
/// through other models.
pub const MODEL: &str = "gemini-2.5-pro";

/// Gemini CLI wired to one scripted model, with its own home (`~/.gemini`: user settings,
/// sessions, the fingerprints of project hooks it has seen).
pub struct Gemini {
    bin: PathBuf,
    path_prefix: PathBuf,
    base_url: String,
    home: tempfile::TempDir,
}

impl Gemini {
    /// The CLI from `HARNESS_TEST_GEMINI`, see [`agent::find_cli`]. `path_prefix` goes first on its
    /// `PATH` (usually [`agent::harness_dir`], so hook commands find `harness`).
    pub fn find(model: &Model, path_prefix: &Path) -> Option<Gemini> {
        let bin = agent::find_cli("HARNESS_TEST_GEMINI")?;
        let home = tempfile::tempdir().expect("temporary directory");
        let settings = json!({
            // Without an auth type a headless run stops with "Invalid auth method selected.".
            "security": {"auth": {"selectedType": "gemini-api-key"}},
            // Nothing leaves the machine but the calls to the scripted model.
            "privacy": {"usageStatisticsEnabled": false},
            "general": {"enableAutoUpdate": false},
        });
        let dir = home.path().join(".gemini");
        std::fs::create_dir_all(&dir).expect("create ~/.gemini");
        std::fs::write(dir.join("settings.json"), settings.to_string())
            .expect("write settings.json");
        Some(Gemini {
            bin,
            path_prefix: path_prefix.to_owned(),
            base_url: model.base_url(),
            home,
        })
    }

    /// A new session: `gemini -p "<prompt>" --yolo` in `repo`.
    pub fn run(&self, repo: &Repo, prompt: &str) -> Outcome {
        let home = self.home.path();
        let mut command = agent::command(&self.bin, &self.path_prefix, home);
        command
            .current_dir(repo.path())
            .args([
                "-p",
                prompt,
                "--yolo",
                "-m",
                MODEL,
                "--output-format",
                "json",
            ])
            .env("GEMINI_CLI_HOME", home)
            .env("GOOGLE_GEMINI_BASE_URL", &self.base_url)
            .env("GEMINI_API_KEY", "x")
            // Project settings, hooks included, load only in a trusted folder; `--skip-trust`
            // trusts it too late for them.
            .env("GEMINI_CLI_TRUST_WORKSPACE", "true");
        agent::run(command)
    }
}
