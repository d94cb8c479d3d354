//! The starter knowledge base `harness init` writes into an existing repository.
//!
//! The one design choice: nothing that exists is ever overwritten. [`scan`] reads what the
//! repository is made of into a [`Project`]; [`plan`] is a pure function from it to the files of
//! a starter setup (configuration, the AGENTS.md hub, rules for the languages found, four
//! reviewer personas, a first decision record); [`apply`] creates the ones that are missing and
//! reports the rest as left alone, so running it twice changes nothing.
//!
//! ```no_run
//! let root = std::path::Path::new(".");
//! let project = harness_init::scan(root);
//! for outcome in harness_init::apply(root, &harness_init::plan(&project)).unwrap() {
//!     println!("{outcome}");
//! }
//! ```

mod detect;
mod plan;

use std::io::Write as _;
use std::path::{Path, PathBuf};

pub use detect::{Language, Project, scan};
pub use plan::{ADR_PATH, HUB_BESIDE, Planned, plan};

/// The line `.gitignore` gets, so the caches and event store are never committed.
pub const STATE_IGNORE: &str = ".harness/state/";

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created(String),
    /// Created without the rules whose ids the repository already defines.
    CreatedWithout {
        path: String,
        ids: Vec<String>,
    },
    /// It existed and was left as it is.
    Exists(String),
    /// `.gitignore` got the state folder appended.
    Appended(String),
    /// Every rule of this file has an id the repository already defines.
    Skipped {
        path: String,
        ids: Vec<String>,
    },
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Created(p) => write!(f, "created  {p}"),
            Outcome::CreatedWithout { path, ids } => write!(
                f,
                "created  {path} (without {}: already defined)",
                ids.join(", ")
            ),
            Outcome::Exists(p) => write!(f, "exists   {p} (left as it is)"),
            Outcome::Appended(p) => write!(f, "updated  {p} (+ {STATE_IGNORE})"),
            Outcome::Skipped { path, ids } => write!(
                f,
                "skipped  {path} (rule ids already defined: {})",
                ids.join(", ")
            ),
        }
    }
}

/// Whether `.gitignore` at `root` already keeps the state folder out of git.
pub fn state_ignored(root: &Path) -> bool {
    let Ok(bytes) = std::fs::read(root.join(".gitignore")) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines().map(str::trim).any(|line| {
        matches!(
            line.trim_start_matches('/').trim_end_matches('/'),
            ".harness/state" | ".harness" | ".harness/state/*" | ".harness/state/**"
        )
    })
}

/// Creates the planned files that do not exist (by any kind of file at that path) and makes
/// `.gitignore` ignore the state folder. Stops at the first file it cannot write; the files
/// created before it stay.
pub fn apply(root: &Path, files: &[Planned]) -> Result<Vec<Outcome>, InitError> {
    let mut outcomes = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        if path.symlink_metadata().is_ok() {
            outcomes.push(Outcome::Exists(file.path.clone()));
            continue;
        }
        if file.text.is_empty() {
            outcomes.push(Outcome::Skipped {
                path: file.path.clone(),
                ids: file.skipped_ids.clone(),
            });
            continue;
        }
        create_new(&path, &file.text).map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
        outcomes.push(if file.skipped_ids.is_empty() {
            Outcome::Created(file.path.clone())
        } else {
            Outcome::CreatedWithout {
                path: file.path.clone(),
                ids: file.skipped_ids.clone(),
            }
        });
    }
    outcomes.push(ignore_state(root)?);
    Ok(outcomes)
}

/// Writes a file that does not exist, all of it or none: the text goes to a temporary file
/// first, which is then moved to `path` without replacing anything that appeared there.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new();
    #[cfg(unix)]
    temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = temp.tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

fn ignore_state(root: &Path) -> Result<Outcome, InitError> {
    let path = root.join(".gitignore");
    if state_ignored(root) {
        return Ok(Outcome::Exists(".gitignore".to_owned()));
    }
    let write = |e| InitError::Write {
        path: path.clone(),
        source: e,
    };
    let existing = match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(write(e)),
    };
    let block = format!("# harness: caches and the event store\n{STATE_IGNORE}\n");
    match existing {
        None => {
            create_new(&path, &block).map_err(write)?;
            Ok(Outcome::Created(".gitignore".to_owned()))
        }
        Some(bytes) => {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .map_err(write)?;
            let separator = match bytes.last() {
                None => "",
                Some(b'\n') => "\n",
                Some(_) => "\n\n",
            };
            file.write_all(format!("{separator}{block}").as_bytes())
                .map_err(write)?;
            Ok(Outcome::Appended(".gitignore".to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_overwritten_and_a_second_run_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("AGENTS.md"), "ours\n").expect("write");
        std::fs::write(root.join(".gitignore"), "node_modules").expect("write");
        let files = plan(&scan(root));
        let first = apply(root, &files).expect("first run");
        assert!(first.contains(&Outcome::Created(HUB_BESIDE.into())));
        assert!(first.contains(&Outcome::Created("harness.toml".into())));
        assert!(first.contains(&Outcome::Appended(".gitignore".into())));
        assert_eq!(
            std::fs::read_to_string(root.join("AGENTS.md")).expect("read"),
            "ours\n"
        );
        assert_eq!(
            std::fs::read_to_string(root.join(".gitignore")).expect("read"),
            "node_modules\n\n# harness: caches and the event store\n.harness/state/\n"
        );
        let second = apply(root, &plan(&scan(root))).expect("second run");
        assert!(
            second.iter().all(|o| matches!(o, Outcome::Exists(_))),
            "{second:?}"
        );
    }

    #[test]
    fn the_state_folder_counts_as_ignored_in_its_usual_spellings() {
        let dir = tempfile::tempdir().expect("temp dir");
        for line in [
            ".harness/state",
            "/.harness/state/",
            ".harness/",
            ".harness/state/**",
        ] {
            std::fs::write(dir.path().join(".gitignore"), format!("x\n{line}\n")).expect("write");
            assert!(state_ignored(dir.path()), "{line}");
        }
        std::fs::write(dir.path().join(".gitignore"), ".harness/rules\n").expect("write");
        assert!(!state_ignored(dir.path()));
    }
}
