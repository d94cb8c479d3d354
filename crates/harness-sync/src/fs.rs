//! The file system: what the repository holds, and carrying out a plan.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use jsonc_parser::{JsonValue, ParseOptions};

use crate::plan::{Action, Found, State, Step};
use crate::targets::{TARGETS, Target};
use crate::{Facts, File, SyncError};

const AGENTS_MD: &str = "AGENTS.md";
const GEMINI_SETTINGS: &str = ".gemini/settings.json";
const COPILOT_INSTRUCTIONS: &str = ".github/copilot-instructions.md";

/// The facts rendering needs, and notes about what could not be read.
pub(crate) fn facts(root: &Path) -> (Facts, Vec<String>) {
    let mut notes = Vec::new();
    let gemini_reads_agents_md = match read_small(root, GEMINI_SETTINGS) {
        Some(text) => match gemini_context_files(&text) {
            Ok(names) => names.iter().any(|n| is_agents_md(n)),
            Err(e) => {
                notes.push(format!(
                    "note: {GEMINI_SETTINGS} is not valid JSON ({e}), so harness sync did not look for `context.fileName` in it"
                ));
                false
            }
        },
        None => false,
    };
    // Anything there that is not ours (a hand-written file, a pipe, a link out) is taken.
    let copilot_instructions_taken = root.join(COPILOT_INSTRUCTIONS).symlink_metadata().is_ok()
        && !read_small(root, COPILOT_INSTRUCTIONS).is_some_and(|t| crate::targets::has_marker(&t));
    let facts = Facts {
        agents_md: root.join(AGENTS_MD).is_file(),
        gemini_reads_agents_md,
        copilot_instructions_taken,
    };
    if !facts.agents_md {
        notes.push(
            "note: there is no AGENTS.md, so no CLAUDE.md or GEMINI.md imports it; write AGENTS.md with the procedure agents follow, then run `harness sync` again".to_owned(),
        );
    }
    (facts, notes)
}

/// The text of a small regular file inside the repository; `None` for anything else (missing,
/// a pipe or device, a link out of the repository, over 1 MiB), which is never read.
fn read_small(root: &Path, rel: &str) -> Option<String> {
    use std::io::Read as _;
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1024 * 1024 || !inside(root, &path) {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(&path)
        .ok()?
        .take(1024 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The context file names Gemini CLI settings list: `context.fileName` (a string or a list),
/// or the older top-level `contextFileName`.
pub(crate) fn gemini_context_files(settings: &str) -> Result<Vec<String>, String> {
    let value = jsonc_parser::parse_to_value(settings, &ParseOptions::default())
        .map_err(|e| e.to_string())?;
    let Some(JsonValue::Object(root)) = value else {
        return Ok(Vec::new());
    };
    let names = match root.get("context") {
        Some(JsonValue::Object(context)) => context.get("fileName"),
        _ => None,
    }
    .or_else(|| root.get("contextFileName"));
    Ok(match names {
        Some(JsonValue::String(name)) => vec![name.to_string()],
        Some(JsonValue::Array(list)) => list
            .iter()
            .filter_map(|v| match v {
                JsonValue::String(name) => Some(name.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

fn is_agents_md(name: &str) -> bool {
    let name = name.trim();
    name.strip_prefix("./").unwrap_or(name) == AGENTS_MD
}

/// What is at every rendered path, at each target's fixed paths and in its folders.
pub(crate) fn survey(root: &Path, files: &[File]) -> Result<Vec<Found>, SyncError> {
    let mut paths: BTreeMap<String, &'static Target> =
        files.iter().map(|f| (f.path.clone(), f.target)).collect();
    for &target in &TARGETS {
        for file in target.files {
            paths.entry((*file).to_owned()).or_insert(target);
        }
        for (folder, ending) in target.folders {
            let entries = match std::fs::read_dir(root.join(folder)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(SyncError::Read {
                        path: PathBuf::from(folder),
                        source,
                    });
                }
            };
            for entry in entries.filter_map(Result::ok) {
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                let name = entry.file_name();
                if let Some(name) = name.to_str().filter(|n| is_file && n.ends_with(ending)) {
                    paths.entry(format!("{folder}/{name}")).or_insert(target);
                }
            }
        }
    }
    paths
        .into_iter()
        .map(|(path, target)| {
            let state = state(root, &path)?;
            Ok(Found {
                path,
                target,
                state,
            })
        })
        .collect()
}

fn state(root: &Path, rel: &str) -> Result<State, SyncError> {
    let path = root.join(rel);
    let read_error = |source| SyncError::Read {
        path: PathBuf::from(rel),
        source,
    };
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        // Missing here, but a linked folder on the way may lead out of the repository.
        Err(e) if e.kind() == ErrorKind::NotFound && inside(root, &path) => {
            return Ok(State::Missing);
        }
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(State::Other),
        Err(e) => return Err(read_error(e)),
    };
    // Either may be the link: CLAUDE.md -> AGENTS.md, or AGENTS.md -> CLAUDE.md.
    let agents_md = root.join(AGENTS_MD).canonicalize().ok();
    if agents_md.is_some() && path.canonicalize().ok() == agents_md {
        return Ok(State::LinkToAgentsMd);
    }
    // Only regular files inside the repository, links followed: a linked folder shared by
    // several repositories, a named pipe or a device is never read, written or removed.
    let regular = std::fs::metadata(&path).is_ok_and(|m| m.is_file());
    if meta.is_dir() || !regular || !inside(root, &path) {
        return Ok(State::Other);
    }
    match std::fs::read(&path) {
        Ok(bytes) => Ok(String::from_utf8(bytes).map_or(State::Other, State::Text)),
        // A link to nothing.
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(State::Other),
        Err(e) => Err(read_error(e)),
    }
}

/// Whether `path`, links followed, is inside the repository at `root`; for a path that does
/// not exist, its nearest existing folder decides.
fn inside(root: &Path, path: &Path) -> bool {
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    path.ancestors()
        .find_map(|p| p.canonicalize().ok())
        .is_some_and(|real| real.starts_with(&root))
}

/// Writes what the steps say: new and changed files first, then removals.
pub(crate) fn apply(root: &Path, steps: &[Step]) -> Result<(), SyncError> {
    for step in steps {
        if let (Action::Create | Action::Update, Some(text)) = (step.action, &step.text) {
            let path = root.join(&step.path);
            let write_error = |source| SyncError::Write {
                path: PathBuf::from(&step.path),
                source,
            };
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(write_error)?;
            }
            harness_core::fs::write_atomically(&path, text).map_err(write_error)?;
        }
    }
    for step in steps.iter().filter(|s| s.action == Action::Remove) {
        let path = root.join(&step.path);
        std::fs::remove_file(&path).map_err(|source| SyncError::Remove {
            path: PathBuf::from(&step.path),
            source,
        })?;
        // Folders left empty go too; removing one that holds anything fails, as it should.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gemini_settings_name_their_context_files() {
        let names = |s: &str| gemini_context_files(s).unwrap();
        assert_eq!(
            names(
                "{\n  // ours\n  \"context\": {\"fileName\": [\"AGENTS.md\", \"GEMINI.md\"],},\n}"
            ),
            ["AGENTS.md", "GEMINI.md"]
        );
        assert_eq!(
            names("{\"context\": {\"fileName\": \"CONTEXT.md\"}}"),
            ["CONTEXT.md"]
        );
        assert_eq!(
            names("{\"contextFileName\": \"./AGENTS.md\"}"),
            ["./AGENTS.md"]
        );
        assert!(names("{\"ui\": {}}").is_empty());
        assert!(names("").is_empty());
        assert!(gemini_context_files("{\"context\": ").is_err());
        assert!(is_agents_md(" ./AGENTS.md"));
    }

    #[test]
    fn survey_finds_generated_leftovers_and_apply_prunes_empty_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".cursor/rules")).unwrap();
        std::fs::write(
            root.join(".cursor/rules/harness-old.mdc"),
            format!("---\nalwaysApply: false\n---\n{}\n", crate::MARKER),
        )
        .unwrap();
        let found = survey(root, &[]).unwrap();
        let paths: Vec<(&str, &State)> =
            found.iter().map(|f| (f.path.as_str(), &f.state)).collect();
        assert_eq!(paths.len(), 4, "{paths:?}");
        assert_eq!(paths[0].0, ".cursor/rules/harness-old.mdc");
        let steps = crate::plan(Vec::new(), found);
        assert_eq!(steps.len(), 1);
        apply(root, &steps).unwrap();
        assert!(!root.join(".cursor").exists());
    }

    #[cfg(unix)]
    #[test]
    fn agents_md_linked_either_way_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("CLAUDE.md"), "# Ours\n").unwrap();
        std::os::unix::fs::symlink("CLAUDE.md", root.join("AGENTS.md")).unwrap();
        std::os::unix::fs::symlink("AGENTS.md", root.join("GEMINI.md")).unwrap();
        assert_eq!(state(root, "CLAUDE.md").unwrap(), State::LinkToAgentsMd);
        assert_eq!(state(root, "GEMINI.md").unwrap(), State::LinkToAgentsMd);
        assert_eq!(state(root, "nope.md").unwrap(), State::Missing);
    }
}
