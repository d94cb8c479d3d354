//! The parallel walk: every file under the starting points, honouring `.gitignore` (also outside a
//! git repository), skipping hidden files and never following symbolic links, so loops are safe.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::UNIX_EPOCH;

use harness_core::glob::Globs;

/// A file found by the walk.
#[derive(Clone, Debug)]
pub struct WalkedFile {
    /// Relative to the repository root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    pub mtime_ns: u128,
}

/// Repository-relative, `/`-separated form of `path`, if it is inside `root`.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let s = rel.to_string_lossy().replace('\\', "/");
    Some(s.trim_start_matches("./").to_owned())
}

/// The file at `abs` if it is a regular file; symbolic links are not followed, as in the walk.
pub fn stat(root: &Path, abs: &Path) -> Option<WalkedFile> {
    let meta = std::fs::symlink_metadata(abs).ok()?;
    if !meta.is_file() {
        return None;
    }
    Some(WalkedFile {
        rel: relative(root, abs)?,
        abs: abs.to_path_buf(),
        size: meta.len(),
        mtime_ns: mtime(&meta),
    })
}

fn mtime(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Files under `dirs` (absolute, inside `root`), minus `exclude`, sorted by path.
pub fn walk(root: &Path, dirs: &[PathBuf], exclude: Option<&Globs>) -> Vec<WalkedFile> {
    let mut files = for_each(root, dirs, exclude, &Some);
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);
    files
}

/// Calls `visit` on every file under `dirs` from the walker's threads, so work on a file starts
/// as soon as it is found; returns what `visit` returned, in no particular order.
pub fn for_each<R: Send>(
    root: &Path,
    dirs: &[PathBuf],
    exclude: Option<&Globs>,
    visit: &(dyn Fn(WalkedFile) -> Option<R> + Sync),
) -> Vec<R> {
    let Some((first, rest)) = dirs.split_first() else {
        return Vec::new();
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for d in rest {
        builder.add(d);
    }
    builder
        .hidden(true)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .threads(std::thread::available_parallelism().map_or(2, std::num::NonZero::get));
    let (tx, rx) = mpsc::channel::<R>();
    builder.build_parallel().run(|| {
        let tx = tx.clone();
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return ignore::WalkState::Continue;
            }
            let Some(rel) = relative(root, entry.path()) else {
                return ignore::WalkState::Continue;
            };
            if exclude.is_some_and(|g| g.is_match(&rel)) || rel.starts_with(".harness/state/") {
                return ignore::WalkState::Continue;
            }
            let Ok(meta) = entry.metadata() else {
                return ignore::WalkState::Continue;
            };
            // Only what the visitor keeps is sent: memory follows the results, not the files.
            if let Some(kept) = visit(WalkedFile {
                rel,
                abs: entry.path().to_path_buf(),
                size: meta.len(),
                mtime_ns: mtime(&meta),
            }) {
                let _ = tx.send(kept);
            }
            ignore::WalkState::Continue
        })
    });
    drop(tx);
    rx.into_iter().collect()
}

/// True when a path has a hidden component, which the walk would skip.
pub fn is_hidden(rel: &str) -> bool {
    rel.split('/')
        .any(|c| c.starts_with('.') && c != "." && c != "..")
}
