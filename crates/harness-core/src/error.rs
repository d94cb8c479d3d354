use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a knowledge-base file, 1-based.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceLocation {
    pub path: PathBuf,
    pub line: u64,
    pub column: u64,
}

impl SourceLocation {
    pub fn new(path: &Path, line: u64, column: u64) -> Self {
        SourceLocation {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// Location of byte `offset` in `text`.
    pub fn at_offset(path: &Path, text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        #[allow(clippy::naive_bytecount)] // error path only
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = text[line_start..offset].chars().count() + 1;
        SourceLocation::new(path, line as u64, column as u64)
    }
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// One problem in the knowledge base: what is wrong, where, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub title: String,
    pub location: Option<SourceLocation>,
    pub hint: String,
}

impl ConfigError {
    pub fn new(
        title: impl Into<String>,
        location: Option<SourceLocation>,
        hint: impl Into<String>,
    ) -> Self {
        ConfigError {
            title: title.into(),
            location,
            hint: hint.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.title)?;
        if let Some(loc) = &self.location {
            writeln!(f, "  --> {loc}")?;
        }
        write!(f, "hint: {}", self.hint)
    }
}

/// Every problem found while loading the knowledge base; loading reports them all at once.
#[derive(Debug, thiserror::Error)]
pub struct LoadError {
    pub errors: Vec<ConfigError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> Self {
        LoadError { errors: vec![e] }
    }
}
