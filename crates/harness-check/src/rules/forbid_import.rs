//! `forbid-import`: files in one path group may not import from another (layer boundaries).

use harness_core::Span;
use harness_core::rule::ForbidImport;

use crate::imports::{self, ImportLanguage};
use crate::text::LineIndex;

/// Each forbidden import: where it is, the line's text, and what it resolved to.
pub fn check(
    m: &ForbidImport,
    path: &str,
    text: &str,
    index: &LineIndex,
) -> Vec<(Span, String, String)> {
    let Some(lang) = ImportLanguage::from_path(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for import in imports::extract(lang, text) {
        let resolved = imports::resolve(lang, path, &import.specifier);
        // An absolute Python module (`app.db.models`) also names the path `app/db/models`.
        let dotted = (lang == ImportLanguage::Python && resolved.is_none())
            .then(|| import.specifier.replace('.', "/"));
        let hit = resolved.as_deref().is_some_and(|r| matches_path(m, r))
            || dotted.as_deref().is_some_and(|d| matches_path(m, d))
            || m.from.is_match(&import.specifier);
        if !hit {
            continue;
        }
        let shown = match &resolved {
            Some(r) if *r != import.specifier => format!("`{}` = {r}", import.specifier),
            _ => format!("`{}`", import.specifier),
        };
        let len = crate::text::to_u32(import.specifier.chars().count());
        out.push((
            Span {
                line: import.line,
                column: import.column,
                end_line: import.line,
                end_column: import.column + len,
            },
            index.line_text(text, import.line).trim().to_owned(),
            shown,
        ));
    }
    out
}

/// A resolved path matches a glob as written or with any source extension added.
fn matches_path(m: &ForbidImport, resolved: &str) -> bool {
    m.from.is_match(resolved)
        || ["ts", "tsx", "js", "jsx", "py", "rs", "go"]
            .iter()
            .any(|ext| m.from.is_match(&format!("{resolved}.{ext}")))
}

pub fn message(base: &str, shown: &str) -> String {
    format!("{base} (imports {shown})")
}
