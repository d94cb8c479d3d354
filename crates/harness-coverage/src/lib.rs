//! Coverage reports read into one model: which lines and branches of each source file the
//! tests ran. `coverage` rules compare that with their thresholds. One module per format:
//! [`lcov`], [`cobertura`] (XML), [`istanbul`] (`coverage-final.json`) and [`llvm_cov`]
//! (`llvm-cov export`); [`read`] reads a report file of any of them.
//!
//! The one design choice to know: a report is data from another tool, so nothing in it is
//! trusted. Every parser checks what it reads and says where a report is malformed (the report
//! path and line), and keeps per file only what a rule needs: hit counts per line and per
//! branch, merged when a report lists a file more than once (one record per test, say).
//!
//! ```
//! let report = harness_coverage::lcov::parse(
//!     "SF:src/a.ts\nDA:1,3\nDA:2,0\nBRDA:1,0,0,1\nBRDA:1,0,1,-\nend_of_record\n",
//! )
//! .unwrap();
//! let file = &report.files[0];
//! assert_eq!((file.lines_hit(), file.lines.len()), (1, 2));
//! assert_eq!((file.branches_hit(), file.branches.len()), (1, 2));
//! ```

pub mod cobertura;
pub mod istanbul;
pub mod lcov;
pub mod llvm_cov;
pub mod paths;
mod read;

pub use read::{Format, ReportError, read};

use std::collections::BTreeMap;

/// What a report says about the files it covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One per source file, in the order the report first names them.
    pub files: Vec<FileCoverage>,
    /// Folders the report's file paths are relative to, where it names them (Cobertura's
    /// `<source>`).
    pub sources: Vec<String>,
    /// When the tests ran, in milliseconds since 1970, where the report records it (Cobertura's
    /// `timestamp`). A report copied from elsewhere keeps it, unlike its modification time.
    pub generated_ms: Option<u64>,
}

/// The coverage of one source file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCoverage {
    /// The path as the report writes it (absolute, `./`-relative, or relative to where the
    /// tests ran): mapping it to the repository is the caller's job.
    pub path: String,
    /// Hits per instrumented line (1-based); lines not listed are not code.
    pub lines: BTreeMap<u32, u64>,
    /// Times each branch was taken, keyed by its line and its place among that line's branches.
    pub branches: BTreeMap<(u32, u32), u64>,
}

impl FileCoverage {
    pub fn lines_hit(&self) -> usize {
        self.lines.values().filter(|&&h| h > 0).count()
    }

    pub fn branches_hit(&self) -> usize {
        self.branches.values().filter(|&&h| h > 0).count()
    }

    /// Adds `other`'s counts to these: the same file in another record, or in another report.
    pub fn merge(&mut self, other: &FileCoverage) {
        for (&line, &hits) in &other.lines {
            let h = self.lines.entry(line).or_default();
            *h = h.saturating_add(hits);
        }
        for (&at, &taken) in &other.branches {
            let t = self.branches.entry(at).or_default();
            *t = t.saturating_add(taken);
        }
    }
}

/// A report that cannot be read as its format says. `line` is 1-based.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CoverageError {
    #[error("line {line}: {message}")]
    Malformed { line: usize, message: String },
    #[error("the report is empty")]
    Empty,
    #[error("the report ends inside the record for {path} (no `end_of_record`): truncated?")]
    Truncated { path: String },
    #[error("the report ends before {expected}: truncated?")]
    Unfinished { expected: String },
}

/// The highest line number a report may name: past it, a report is taken as malformed rather
/// than given memory for every line up to it.
pub const MAX_LINE: u32 = 5_000_000;

/// The most branches a report may give one line.
pub const MAX_BRANCHES_PER_LINE: u32 = 10_000;

pub(crate) fn malformed(line: usize, message: &str) -> CoverageError {
    CoverageError::Malformed {
        line,
        message: message.to_owned(),
    }
}

/// Collects files, merging a file named twice.
#[derive(Default)]
struct Files {
    report: Report,
    index: std::collections::HashMap<String, usize>,
}

impl Files {
    fn add(&mut self, file: FileCoverage) {
        if let Some(&i) = self.index.get(&file.path) {
            self.report.files[i].merge(&file);
        } else {
            self.index
                .insert(file.path.clone(), self.report.files.len());
            self.report.files.push(file);
        }
    }
}

/// A hit count. Some gcov versions write negative counts; those count as not run.
pub(crate) fn count(field: Option<&str>, at: usize) -> Result<u64, CoverageError> {
    let text = field.map(str::trim_ascii).unwrap_or_default();
    match text.parse::<i64>() {
        Ok(n) => Ok(u64::try_from(n).unwrap_or(0)),
        // Counts past i64 are still counts.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Ok(u64::MAX),
        Err(_) => Err(malformed(
            at,
            &format!("`{}` is not a hit count", crate::lcov::clip(text)),
        )),
    }
}
