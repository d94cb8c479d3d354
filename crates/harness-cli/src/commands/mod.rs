//! One file per command; `dispatch` is the registry.

mod baseline;
mod check;
mod context;
mod doctor;
mod explain;
mod hook;
mod init;
mod install;
mod mcp;
mod schema;
mod sync;
mod test;

use std::io::Write;
use std::path::{Path, PathBuf};

use harness_core::KnowledgeBase;

use crate::args::{Cli, Command};

/// A failure already worded for the user (title, location, hint).
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.trim_end())
    }
}

impl Failure {
    pub fn new(title: &str, hint: &str) -> Failure {
        Failure(format!("error: {title}\nhint: {hint}"))
    }
}

impl From<harness_core::LoadError> for Failure {
    fn from(e: harness_core::LoadError) -> Self {
        Failure(e.to_string())
    }
}

impl From<harness_check::CheckError> for Failure {
    fn from(e: harness_check::CheckError) -> Self {
        use harness_check::CheckError as E;
        match e {
            E::Config(l) => l.into(),
            E::UnknownRule(id) => Failure::new(
                &format!("unknown rule `{id}`"),
                "`harness check --format json` lists rule ids; ids are defined in .harness/rules/",
            ),
            E::PathNotFound(p) => Failure::new(
                &format!("path not found: {p}"),
                "pass files or directories that exist inside the repository",
            ),
            E::Git(g) => Failure::new(
                &g.to_string(),
                "--changed and --staged need a git repository and `git` on PATH",
            ),
            E::Baseline(b) => Failure::new(
                &b.to_string(),
                "fix or delete the baseline file, then run `harness baseline` again",
            ),
        }
    }
}

pub fn dispatch(cli: &Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, Failure> {
    match &cli.command {
        Command::Check(args) => check::run(cli, args, out, err),
        Command::Baseline(args) => baseline::run(cli, args, out),
        Command::Test(args) => test::run(cli, args, out),
        Command::Context(args) => context::run(cli, args, out),
        Command::Hook(args) => Ok(hook::run(cli, args, out, err)),
        Command::Install(args) => install::run(cli, args, false, out, err),
        Command::Uninstall(args) => install::run(cli, args, true, out, err),
        Command::Init(args) => init::run(cli, args, out, err),
        Command::Sync(args) => sync::run(cli, args, out, err),
        Command::Mcp(args) => mcp::run(cli, args, out, err),
        Command::Doctor(args) => doctor::run(cli, args, out, err),
        Command::Explain(args) => explain::run(cli, args, out),
        Command::Schema(args) => Ok(schema::run(args, out)),
    }
}

fn current_dir() -> Result<PathBuf, Failure> {
    std::env::current_dir().map_err(|e| {
        Failure::new(
            &format!("cannot read the current directory: {e}"),
            "run harness from inside the repository",
        )
    })
}

/// `--root`, made absolute, when it was given.
fn given_root(cli: &Cli, cwd: &Path) -> Result<Option<PathBuf>, Failure> {
    let Some(r) = &cli.root else {
        return Ok(None);
    };
    let abs = cwd.join(r);
    if !abs.is_dir() {
        return Err(Failure::new(
            &format!("--root {} is not a directory", r.display()),
            "pass the repository root",
        ));
    }
    Ok(Some(abs.canonicalize().unwrap_or(abs)))
}

/// The repository root: `--root`, else the nearest directory with harness.toml or sgconfig.yml.
pub fn root(cli: &Cli) -> Result<PathBuf, Failure> {
    let cwd = current_dir()?;
    if let Some(root) = given_root(cli, &cwd)? {
        return Ok(root);
    }
    harness_core::find_root(&cwd).ok_or_else(|| {
        Failure::new(
            &format!(
                "no harness.toml or sgconfig.yml in {} or any parent directory",
                cwd.display()
            ),
            "run `harness init` at the top of the repository, or pass --root",
        )
    })
}

/// The repository to set up or examine, which may have no harness.toml yet: `--root`, else
/// the nearest directory with harness.toml or sgconfig.yml, else the top of the git repository
/// around the current directory, else the current directory.
pub fn setup_root(cli: &Cli) -> Result<PathBuf, Failure> {
    let cwd = current_dir()?;
    if let Some(root) = given_root(cli, &cwd)? {
        return Ok(root);
    }
    if let Some(found) = harness_core::find_root(&cwd) {
        return Ok(found);
    }
    let top = std::process::Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .current_dir(&cwd)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    Ok(top.filter(|t| t.is_dir()).unwrap_or(cwd))
}

pub fn load(cli: &Cli) -> Result<KnowledgeBase, Failure> {
    let root = root(cli)?;
    Ok(harness_core::load(&root)?)
}

/// `path` (as given on the command line) relative to `root`, `/`-separated.
pub fn repo_relative(root: &Path, path: &Path) -> Result<String, Failure> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.to_path_buf());
    let abs = harness_core::path::real(&cwd.join(path));
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match abs.strip_prefix(&root) {
        Ok(rel) => {
            let s = rel.to_string_lossy().replace('\\', "/");
            Ok(if s.is_empty() { ".".to_owned() } else { s })
        }
        Err(_) => Err(Failure::new(
            &format!(
                "{} is outside the repository at {}",
                path.display(),
                root.display()
            ),
            "pass paths inside the repository, or use --root",
        )),
    }
}

pub use harness_core::render::shell_word;

/// Whether a program of that name is in a folder on PATH.
pub fn on_path(program: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        let candidate = dir.join(program);
        candidate.is_file() || candidate.with_extension("exe").is_file()
    })
}
