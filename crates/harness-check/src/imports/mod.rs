//! Language-aware extraction of import specifiers, for the `forbid-import` rule kind.
//!
//! Design: a small hand-written O(n) lexer per language turns the text into tokens,
//! dropping comments and reducing every string literal to one opaque token (so an
//! `import` that only appears inside a comment or a string never counts); then a
//! per-language scanner walks the tokens looking for the import forms. No parser.

mod go;
mod js;
mod lex;
mod python;
mod rust;
#[cfg(test)]
mod tests;

use go::{lex_go, scan_go};
use js::{lex_js, scan_js};
use lex::{Locator, Stream, might_import};
use python::{lex_python, scan_python};
use rust::{lex_rust, scan_rust};

/// Source languages whose imports are understood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportLanguage {
    /// JavaScript and TypeScript, including JSX and TSX.
    JsTs,
    /// Rust.
    Rust,
    /// Python.
    Python,
    /// Go.
    Go,
}

impl ImportLanguage {
    /// Guess from a repository-relative path's extension: .ts .tsx .mts .cts .js .jsx .mjs .cjs -> `JsTs`,
    /// .rs -> `Rust`, .py .pyi -> `Python`, .go -> `Go`.
    #[must_use]
    pub fn from_path(path: &str) -> Option<ImportLanguage> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        let is = |e: &str| ext.eq_ignore_ascii_case(e);
        if ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"]
            .iter()
            .any(|e| is(e))
        {
            Some(ImportLanguage::JsTs)
        } else if is("rs") {
            Some(ImportLanguage::Rust)
        } else if is("py") || is("pyi") {
            Some(ImportLanguage::Python)
        } else if is("go") {
            Some(ImportLanguage::Go)
        } else {
            None
        }
    }
}

/// One import as written in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module specifier as written: `../db/client`, `pg`, `crate::db::pool`, `app.db.models`, `.models`, `github.com/acme/x/db`.
    pub specifier: String,
    /// 1-based line and column of the start of the specifier.
    ///
    /// Columns count `char`s. For a specifier assembled from several pieces (a Rust use tree
    /// `a::{b, c}`, or Python's `from . import x`) this is the start of its first piece.
    pub line: u32,
    /// 1-based column (in `char`s) of the start of the specifier.
    pub column: u32,
}

/// Extract the imports of `text`, in source order.
///
/// - `JsTs`: `import … from 'm'`, `import 'm'`, `export … from 'm'`, `require('m')`, `import('m')`.
/// - `Rust`: `use` trees expanded to full paths (`use a::{b, c::d}` -> `a::b`, `a::c::d`;
///   globs report their module, `a::*` -> `a`; `a::{self}` -> `a`), and `extern crate foo`.
/// - `Python`: `import a.b`, `from a.b import c` -> `a.b`, `from . import x` -> `.x`.
/// - `Go`: `import "x"` and grouped `import ( … )`.
#[must_use]
pub fn extract(language: ImportLanguage, text: &str) -> Vec<Import> {
    if !might_import(language, text) {
        return Vec::new();
    }
    let mut raw = Vec::new();
    match language {
        ImportLanguage::JsTs => scan_js(&Stream::new(text, lex_js(text)), &mut raw),
        ImportLanguage::Rust => scan_rust(&Stream::new(text, lex_rust(text)), &mut raw),
        ImportLanguage::Python => scan_python(&Stream::new(text, lex_python(text)), &mut raw),
        ImportLanguage::Go => scan_go(&Stream::new(text, lex_go(text)), &mut raw),
    }
    let mut locator = Locator::new(text);
    raw.into_iter()
        .filter(|(spec, _)| !spec.is_empty())
        .map(|(specifier, offset)| {
            let (line, column) = locator.locate(offset);
            Import {
                specifier,
                line,
                column,
            }
        })
        .collect()
}

/// Resolve a relative specifier against the importing file (both repository-relative, `/`-separated), returning the repository path it names (no extension added), or None for a non-relative specifier.
///
/// - `JsTs` and `Go`: `./x`, `../x` (and `.`, `..`) relative to the importer's directory.
/// - `Python`: leading dots (`.models` = same package, `..db` = parent package), dotted rest
///   joined with `/`: importer `app/api/views.py`, `..db.models` -> `app/db/models`.
/// - `Rust`: `self::x` and `super::x` relative to the module's directory (`src/ui/widget.rs`
///   is the module directory `src/ui/widget`; `mod.rs`, `lib.rs` and `main.rs` name their own
///   directory); trailing item names stay as path components. `crate::`, `::x` and external
///   crates are not resolved.
///
/// Paths that climb above the repository root give `None`; the root itself is `""`.
#[must_use]
pub fn resolve(language: ImportLanguage, importer: &str, specifier: &str) -> Option<String> {
    match language {
        ImportLanguage::JsTs | ImportLanguage::Go => {
            let relative = specifier == "."
                || specifier == ".."
                || specifier.starts_with("./")
                || specifier.starts_with("../");
            if !relative {
                return None;
            }
            let mut segs = dir_segments(importer)?;
            push_segments(&mut segs, specifier.split('/'))?;
            Some(segs.join("/"))
        }
        ImportLanguage::Python => {
            let dots = specifier.bytes().take_while(|&b| b == b'.').count();
            if dots == 0 {
                return None;
            }
            let mut segs = dir_segments(importer)?;
            for _ in 1..dots {
                segs.pop()?;
            }
            push_segments(&mut segs, specifier[dots..].split('.'))?;
            Some(segs.join("/"))
        }
        ImportLanguage::Rust => {
            let parts: Vec<&str> = specifier.split("::").collect();
            let mut segs = normalized(importer)?;
            let file = segs.pop()?;
            let stem = file.strip_suffix(".rs").unwrap_or(file);
            if !matches!(stem, "mod" | "lib" | "main") {
                segs.push(stem);
            }
            let mut idx = 0;
            if parts.first() == Some(&"self") {
                idx = 1;
            }
            while parts.get(idx) == Some(&"super") {
                segs.pop()?;
                idx += 1;
            }
            if idx == 0 {
                return None;
            }
            push_segments(&mut segs, parts[idx..].iter().copied())?;
            Some(segs.join("/"))
        }
    }
}

/// The `/`-separated components of a repository path, with `.` removed and `..` applied.
fn normalized(path: &str) -> Option<Vec<&str>> {
    let mut segs = Vec::new();
    push_segments(&mut segs, path.split('/'))?;
    Some(segs)
}

/// The components of the directory holding `path`.
fn dir_segments(path: &str) -> Option<Vec<&str>> {
    let mut segs = normalized(path)?;
    segs.pop();
    Some(segs)
}

/// Append components, skipping empty ones and `.`, applying `..`; `None` when climbing above the root.
fn push_segments<'a>(segs: &mut Vec<&'a str>, parts: impl Iterator<Item = &'a str>) -> Option<()> {
    for part in parts {
        match part {
            "" | "." => {}
            ".." => {
                segs.pop()?;
            }
            _ => segs.push(part),
        }
    }
    Some(())
}
