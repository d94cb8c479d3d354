//! Temporary repositories and a runner for the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temporary directory.
pub struct Repo {
    dir: tempfile::TempDir,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    root: PathBuf,
}

impl Run {
    /// Exit code, stdout and stderr with the temporary path replaced by `[ROOT]`.
    pub fn snapshot(&self) -> String {
        let root = self.root.to_string_lossy().into_owned();
        let clean = |s: &str| s.replace(&root, "[ROOT]");
        format!(
            "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code,
            clean(&self.stdout),
            clean(&self.stderr)
        )
    }
}

/// A folder holding only a link to git, to use as the whole `PATH`: no agent CLI is found.
pub fn only_git() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let git = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .unwrap();
    std::os::unix::fs::symlink(git, dir.path().join("git")).unwrap();
    dir
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

impl Repo {
    pub fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Repo {
        let repo = Repo::new();
        copy_dir(&fixtures().join(name), repo.path());
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, content: &str) -> &Repo {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    /// The text of a file of the repository; panics if it cannot be read.
    pub fn read_text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    pub fn remove(&self, rel: &str) -> &Repo {
        std::fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// Runs `harness` with `args` in the repository.
    pub fn harness(&self, args: &[&str]) -> Run {
        self.harness_in(".", args)
    }

    /// Runs `harness` with `args` in a subdirectory of the repository.
    pub fn harness_in(&self, dir: &str, args: &[&str]) -> Run {
        self.harness_with(dir, args, &[])
    }

    /// Runs `harness` with `args` in a subdirectory of the repository, with extra environment.
    pub fn harness_with(&self, dir: &str, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_harness"));
        command
            .args(args)
            .current_dir(self.path().join(dir))
            .env("NO_COLOR", "1");
        for (key, value) in env {
            command.env(key, value);
        }
        let out = command.output().unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            root: self.path().canonicalize().unwrap(),
        }
    }

    /// Runs git in the repository; panics if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Copies `from` into `to`, leaving out `node_modules` (an example's installed dependencies).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == "node_modules" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
