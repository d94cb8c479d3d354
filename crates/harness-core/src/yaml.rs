//! YAML documents with their place in the file, and errors that point back at it.

use std::path::Path;

use crate::error::{ConfigError, SourceLocation};

/// One YAML document of a multi-document file.
pub struct Document<'a> {
    pub text: &'a str,
    /// Lines before the document in its file.
    pub line_offset: u64,
}

/// Splits a YAML stream on `---` lines. Documents holding only comments or blanks are dropped.
pub fn documents(text: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 0u64;
    let mut pos = 0usize;
    for (line_no, line) in (0u64..).zip(text.split_inclusive('\n')) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
            docs.push(Document {
                text: &text[start..pos],
                line_offset: start_line,
            });
            start = pos + line.len();
            start_line = line_no + 1;
        }
        pos += line.len();
    }
    docs.push(Document {
        text: &text[start..],
        line_offset: start_line,
    });
    docs.retain(|d| {
        d.text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    docs
}

/// Deserializes one document strictly, mapping a failure to an error at its place in `file`.
pub fn from_document<T: serde::de::DeserializeOwned>(
    doc: &Document<'_>,
    file: &Path,
    hint: &str,
) -> Result<T, ConfigError> {
    serde_saphyr::from_str::<T>(doc.text).map_err(|e| error_from(&e, doc.line_offset, file, hint))
}

/// Turns a YAML error into a located config error.
pub fn error_from(
    e: &serde_saphyr::Error,
    line_offset: u64,
    file: &Path,
    hint: &str,
) -> ConfigError {
    let location = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| SourceLocation::new(file, l.line() + line_offset, l.column()));
    ConfigError::new(plain_message(e), location, hint)
}

/// The error text without the location suffix and snippet the YAML library appends.
pub fn plain_message(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text.lines().next().unwrap_or_default().trim();
    let cut = first
        .find(" at line ")
        .map_or(first, |i| &first[..i])
        .trim_end_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
    cut.strip_prefix("error: ").unwrap_or(cut).to_owned()
}

/// A location from a `Spanned` value, shifted by the document's offset.
pub fn location(
    file: &Path,
    loc: serde_saphyr::Location,
    line_offset: u64,
) -> Option<SourceLocation> {
    (loc.line() > 0).then(|| SourceLocation::new(file, loc.line() + line_offset, loc.column()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_documents_with_offsets() {
        let docs = documents("a: 1\n---\n# only a comment\n---\nb: 2\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].line_offset, 4);
        assert_eq!(docs[1].text, "b: 2\n");
    }
}
