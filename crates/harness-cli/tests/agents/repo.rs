//! A git repository in a temporary directory, for an agent to work in.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Repo {
    /// Removed with the repository.
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    /// A repository with a local identity and one commit (of `README.md`).
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temporary directory");
        // The agents report canonical paths (macOS /private/var, symlinked /tmp).
        let root = dir
            .path()
            .canonicalize()
            .expect("canonical temporary directory");
        let repo = Repo { _dir: dir, root };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "agent@example.com"]);
        repo.git(&["config", "user.name", "Agent"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.write("README.md", "# scratch\n");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-qm", "initial"]);
        repo
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Writes `content` to `rel`, creating directories.
    pub fn write(&self, rel: &str, content: &str) -> &Repo {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent directory"))
            .expect("create directories");
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self
    }

    /// The content of `rel`, or `None` when it does not exist.
    pub fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(rel)).ok()
    }

    /// Runs git in the repository; panics if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("run git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}
