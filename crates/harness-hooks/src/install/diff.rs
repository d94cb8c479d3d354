//! Unified diffs for `--dry-run`.

use similar::TextDiff;

/// The change from `before` to `after` as a unified diff with `a/` and `b/` paths; a file that
/// does not exist on one side is `/dev/null` there. Empty when nothing changes.
pub fn unified_diff(path: &str, before: Option<&str>, after: Option<&str>) -> String {
    if before == after {
        return String::new();
    }
    let old_name = before.map_or_else(|| "/dev/null".to_owned(), |_| format!("a/{path}"));
    let new_name = after.map_or_else(|| "/dev/null".to_owned(), |_| format!("b/{path}"));
    let old = before.unwrap_or_default();
    let new = after.unwrap_or_default();
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}
