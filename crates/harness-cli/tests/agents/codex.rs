//! Codex run headless (`codex exec --json`) against the scripted model.

use std::path::{Path, PathBuf};

use crate::agent::{self, Outcome};
use crate::model::Model;
use crate::repo::Repo;

/// A model the bundled catalog gives the freeform `apply_patch` tool; other names lack it.
pub const MODEL: &str = "gpt-5.5";

/// Codex wired to one scripted model, with its own `CODEX_HOME` (config, sessions, trust).
pub struct Codex {
    bin: PathBuf,
    path_prefix: PathBuf,
    dirs: tempfile::TempDir,
    /// Pass `--trust --dangerously-bypass-hook-trust`; when false, trust must be in config.toml.
    bypass_trust: bool,
}

impl Codex {
    /// The CLI from `HARNESS_TEST_CODEX`, see [`agent::find_cli`]. `path_prefix` goes first on its
    /// `PATH` (usually [`agent::harness_dir`], so hook commands find `harness`).
    pub fn find(model: &Model, path_prefix: &Path) -> Option<Codex> {
        let bin = agent::find_cli("HARNESS_TEST_CODEX")?;
        let dirs = tempfile::tempdir().expect("temporary directory");
        let codex = Codex {
            bin,
            path_prefix: path_prefix.to_owned(),
            dirs,
            bypass_trust: true,
        };
        std::fs::create_dir_all(codex.home()).expect("create CODEX_HOME");
        std::fs::create_dir_all(codex.user_home()).expect("create HOME");
        let config = format!(
            "model = \"{MODEL}\"\n\
             model_provider = \"mock\"\n\
             check_for_update_on_startup = false\n\
             \n\
             [model_providers.mock]\n\
             name = \"mock\"\n\
             base_url = \"{}/v1\"\n\
             wire_api = \"responses\"\n\
             env_key = \"MOCK_API_KEY\"\n\
             request_max_retries = 0\n\
             stream_max_retries = 0\n",
            model.base_url()
        );
        std::fs::write(codex.home().join("config.toml"), config).expect("write config.toml");
        Some(codex)
    }

    /// Runs without the trust flags: the project and its hooks must be trusted in
    /// `config.toml` (see [`Codex::trust`]).
    #[must_use]
    pub fn without_trust_flags(mut self) -> Codex {
        self.bypass_trust = false;
        self
    }

    /// Appends `toml` (trust entries) to `CODEX_HOME/config.toml`.
    pub fn trust(&self, toml: &str) {
        let path = self.home().join("config.toml");
        let mut config = std::fs::read_to_string(&path).expect("read config.toml");
        config.push('\n');
        config.push_str(toml);
        std::fs::write(&path, config).expect("write config.toml");
    }

    /// `CODEX_HOME`: `config.toml` (where `--trust` records the project), `hooks.json`, sessions.
    pub fn home(&self) -> PathBuf {
        self.dirs.path().join("codex")
    }

    fn user_home(&self) -> PathBuf {
        self.dirs.path().join("home")
    }

    /// A new session: `codex exec "<prompt>"` in `repo`.
    pub fn run(&self, repo: &Repo, prompt: &str) -> Outcome {
        self.run_args(repo, &[], prompt)
    }

    /// `codex exec` with extra options (e.g. `-c model_auto_compact_token_limit=5000`).
    pub fn run_args(&self, repo: &Repo, args: &[&str], prompt: &str) -> Outcome {
        self.exec(repo, &[], args, prompt)
    }

    /// Continues thread `thread_id` (from [`Outcome::session_id`]): `codex exec resume`.
    pub fn resume(&self, repo: &Repo, thread_id: &str, prompt: &str) -> Outcome {
        self.exec(repo, &["resume"], &[thread_id], prompt)
    }

    /// [`Codex::resume`] with extra `exec` options (e.g. `-c key=value`).
    pub fn resume_args(
        &self,
        repo: &Repo,
        options: &[&str],
        thread_id: &str,
        prompt: &str,
    ) -> Outcome {
        let mut subcommand = options.to_vec();
        subcommand.push("resume");
        self.exec(repo, &subcommand, &[thread_id], prompt)
    }

    fn exec(&self, repo: &Repo, subcommand: &[&str], args: &[&str], prompt: &str) -> Outcome {
        let mut command = agent::command(&self.bin, &self.path_prefix, &self.user_home());
        // `exec` options go before `resume`, which does not know all of them (`-s`).
        command
            .current_dir(repo.path())
            .args(["exec", "--json", "--skip-git-repo-check"])
            // Project trust (for .codex/) and hook trust, both needed for project hooks.
            .args(if self.bypass_trust {
                &["--trust", "--dangerously-bypass-hook-trust"][..]
            } else {
                &[]
            })
            .args(["-s", "workspace-write"])
            .args(subcommand)
            .args(args)
            .arg(prompt)
            .env("CODEX_HOME", self.home())
            .env("MOCK_API_KEY", "x");
        agent::run(command)
    }
}
