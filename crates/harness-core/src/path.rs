//! Paths as agents and people pass them: absolute or relative, to files that may not exist yet.

use std::path::{Component, Path, PathBuf};

/// The real path of `path`: `..` and `.` removed first, then the longest part that exists
/// resolved (symbolic links followed) and the rest, a file about to be written, joined to it.
pub fn real(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut base = clean.clone();
    let mut rest = Vec::new();
    while !base.exists() {
        let Some(name) = base.file_name() else {
            return clean;
        };
        rest.push(name.to_owned());
        base.pop();
    }
    let mut out = base.canonicalize().unwrap_or(base);
    for name in rest.iter().rev() {
        out.push(name);
    }
    out
}

/// `path` (absolute, or relative to `cwd`) relative to `root`, `/`-separated; `None` outside
/// it.
pub fn relative(root: &Path, cwd: &Path, path: &Path) -> Option<String> {
    let abs = real(&cwd.join(path));
    let rel = abs.strip_prefix(real(root)).ok()?;
    Some(rel.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_is_resolved_before_the_root_is_stripped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert_eq!(
            relative(root, root, Path::new("nope/../.git/config")).as_deref(),
            Some(".git/config")
        );
        assert_eq!(relative(root, root, Path::new("../outside")), None);
        assert_eq!(
            relative(root, root, Path::new("new/file.ts")).as_deref(),
            Some("new/file.ts")
        );
    }
}
