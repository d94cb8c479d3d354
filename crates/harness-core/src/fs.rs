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
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(&target) {
        temp.as_file().set_permissions(meta.permissions())?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}
