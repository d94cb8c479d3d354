//! Reading a report file: its size bounded, its format told from its content, and every problem
//! named with the report's path (`coverage/lcov.info:12: …`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{CoverageError, Report, cobertura, istanbul, lcov, llvm_cov};

/// The formats harness reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Lcov,
    Cobertura,
    Istanbul,
    LlvmCov,
}

impl Format {
    /// The format `text` is in, from how it starts: XML is Cobertura, a JSON document naming
    /// `llvm.coverage.json.export` is llvm-cov's, other JSON is Istanbul's, and `KEY:value`
    /// lines are LCOV.
    pub fn detect(text: &str) -> Option<Format> {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        match start.as_bytes().first()? {
            b'<' => Some(Format::Cobertura),
            b'{' => {
                // The type key comes first in llvm-cov's output; look only at the start.
                let head: String = start.chars().take(4096).collect();
                Some(if head.contains("llvm.coverage.json.export") {
                    Format::LlvmCov
                } else {
                    Format::Istanbul
                })
            }
            _ => {
                let first = start.lines().next()?.trim();
                let key = first.split_once(':')?.0;
                matches!(key, "TN" | "SF" | "VER").then_some(Format::Lcov)
            }
        }
    }

    pub fn parse(self, text: &str) -> Result<Report, CoverageError> {
        match self {
            Format::Lcov => lcov::parse(text),
            Format::Cobertura => cobertura::parse(text),
            Format::Istanbul => istanbul::parse(text),
            Format::LlvmCov => llvm_cov::parse(text),
        }
    }
}

/// A report that could not be read, named by its path.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: cannot read the coverage report: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the coverage report is over {limit} bytes")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: the coverage report is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error(
        "{path}: not a coverage report harness reads (LCOV, Cobertura XML, Istanbul JSON, llvm-cov export JSON)"
    )]
    Unknown { path: PathBuf },
    #[error("{}", located(path, error))]
    Invalid { path: PathBuf, error: CoverageError },
}

fn located(path: &Path, error: &CoverageError) -> String {
    match error {
        CoverageError::Malformed { line, message } => {
            format!("{}:{line}: {message}", path.display())
        }
        other => format!("{}: {other}", path.display()),
    }
}

/// Reads the report at `path`, refusing one over `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<(Format, Report), ReportError> {
    let file = std::fs::File::open(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReportError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| ReportError::NotText {
        path: path.to_path_buf(),
    })?;
    let invalid = |error| ReportError::Invalid {
        path: path.to_path_buf(),
        error,
    };
    if text.trim().is_empty() {
        return Err(invalid(CoverageError::Empty));
    }
    let format = Format::detect(&text).ok_or_else(|| ReportError::Unknown {
        path: path.to_path_buf(),
    })?;
    let report = format.parse(&text).map_err(invalid)?;
    Ok((format, report))
}

#[cfg(test)]
mod tests {
    use super::{Format, ReportError, read};

    #[test]
    fn formats_are_told_from_content() {
        assert_eq!(Format::detect("TN:\nSF:a\n"), Some(Format::Lcov));
        assert_eq!(Format::detect("\u{feff}SF:a\n"), Some(Format::Lcov));
        assert_eq!(
            Format::detect("<?xml version=\"1.0\"?>"),
            Some(Format::Cobertura)
        );
        assert_eq!(Format::detect("{\"/a.js\": {}}"), Some(Format::Istanbul));
        assert_eq!(
            Format::detect("{\"data\":[],\"type\":\"llvm.coverage.json.export\"}"),
            Some(Format::LlvmCov)
        );
        assert_eq!(Format::detect("hello: world"), None);
        assert_eq!(Format::detect(""), None);
    }

    #[test]
    fn problems_name_the_report() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let shown = |e: ReportError| {
            e.to_string()
                .replace(&dir.path().display().to_string(), "D")
        };
        let bad = write("lcov.info", b"SF:a\nDA:x,1\nend_of_record\n");
        assert_eq!(
            shown(read(&bad, 1 << 20).unwrap_err()),
            "D/lcov.info:2: the line number is not a whole number from 1 to 5,000,000"
        );
        let big = write("big.info", b"SF:a\nDA:1,1\nend_of_record\n");
        assert_eq!(
            shown(read(&big, 10).unwrap_err()),
            "D/big.info: the coverage report is over 10 bytes"
        );
        let empty = write("empty.info", b"\n");
        assert_eq!(
            shown(read(&empty, 100).unwrap_err()),
            "D/empty.info: the report is empty"
        );
        let binary = write("x.info", &[0xff, 0xfe, 0x00]);
        assert_eq!(
            shown(read(&binary, 100).unwrap_err()),
            "D/x.info: the coverage report is not UTF-8 text"
        );
        let other = write("notes.txt", b"hello: world\n");
        assert!(
            shown(read(&other, 100).unwrap_err()).starts_with("D/notes.txt: not a coverage report")
        );
        let missing = dir.path().join("none.info");
        assert!(shown(read(&missing, 100).unwrap_err()).starts_with("D/none.info: cannot read"));
        let (format, report) =
            read(&write("ok.info", b"SF:a\nDA:1,1\nend_of_record\n"), 100).unwrap();
        assert_eq!((format, report.files.len()), (Format::Lcov, 1));
    }
}
