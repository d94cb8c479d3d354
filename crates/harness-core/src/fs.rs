//! Writing the user's files safely.

use std::io::Write as _;
use std::path::Path;

/// Replaces `path` with `text` through a temporary file and a rename, so a kill halfway never
/// leaves half a file. A symbolic link is followed, so the file it points at is replaced, and
/// an existing file keeps its permissions.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = if path.is_symlink() {
        path.canonicalize()?
    } else {
        path.to_path_buf()
    };
    let dir = target.parent().unwrap_or_else(|| Path::new("."));
    let mut builder = tempfile::Builder::new();
    // A new file gets the mode any new file gets (0666 less the umask), not a temporary
    // file's 0600, so agents running as another user can read it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(&target) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_readable_by_others_and_an_old_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("temp dir");
        let new = dir.path().join("new.md");
        write_atomically(&new, "x").expect("write");
        let mode = std::fs::metadata(&new).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode & 0o044, 0o044, "{mode:o}");
        let old = dir.path().join("old.sh");
        std::fs::write(&old, "a").expect("write");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o750)).expect("chmod");
        write_atomically(&old, "b").expect("write");
        let mode = std::fs::metadata(&old).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o750);
    }
}
