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
    /// The format `text` is in, from how it starts: XML other than HTML is Cobertura, a JSON
    /// document naming
    /// `llvm.coverage.json.export` is llvm-cov's, other JSON is Istanbul's, and `KEY:value`
    /// lines are LCOV.
    pub fn detect(text: &str) -> Option<Format> {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        match start.as_bytes().first()? {
            // An HTML page (the report next to the data, say) is no Cobertura report.
            b'<' => {
                let head = start.get(..start.len().min(16)).unwrap_or(start);
                let head = head.to_ascii_lowercase();
                (!head.starts_with("<!doctype html") && !head.starts_with("<html"))
                    .then_some(Format::Cobertura)
            }
            b'{' => {
                // llvm-cov sorts its keys, so `type` comes after all the data: look at both ends
                // rather than through a large report.
                let bytes = start.as_bytes();
                let marker = b"llvm.coverage.json.export";
                let head = &bytes[..bytes.len().min(4096)];
                let tail = &bytes[bytes.len().saturating_sub(4096)..];
                let found = |part: &[u8]| memchr::memmem::find(part, marker).is_some();
                Some(if found(head) || found(tail) {
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
    #[error(
        "{path}: the coverage report is over {limit} bytes; keep reports to the files the rules need"
    )]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}: not a regular file (a folder, pipe or device); name the report file itself")]
    NotAFile { path: PathBuf },
    /// Made by callers that confine reports to a folder: the path leads out of it.
    #[error(
        "{path}: leads out of the repository (a symbolic link?); reports are read only inside it"
    )]
    Outside { path: PathBuf },
    #[error("{path}: the coverage report is not UTF-8 text")]
    NotText { path: PathBuf },
    #[error(
        "{path}: not a coverage report harness reads (it starts `{start}`; LCOV starts with `TN:` or `SF:`, Cobertura is XML, Istanbul and llvm-cov export JSON start with `{{`)"
    )]
    Unknown { path: PathBuf, start: String },
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
    // A pipe would wait for a writer, maybe forever.
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            return Err(ReportError::NotAFile {
                path: path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(ReportError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
        Ok(_) => {}
    }
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(invalid(CoverageError::Empty));
    }
    let format = Format::detect(text).ok_or_else(|| ReportError::Unknown {
        path: path.to_path_buf(),
        start: crate::lcov::clip(text.trim_start().lines().next().unwrap_or_default()),
    })?;
    let report = format.parse(text).map_err(invalid)?;
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
            Format::detect("<?xml version=\"1.0\"?>\n<coverage version=\"7\">"),
            Some(Format::Cobertura)
        );
        assert_eq!(Format::detect("<!doctype html>\n<html>"), None);
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
            "D/big.info: the coverage report is over 10 bytes; keep reports to the files the rules need"
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
        assert!(shown(read(&other, 100).unwrap_err()).starts_with(
            "D/notes.txt: not a coverage report harness reads (it starts `hello: world`;"
        ));
        assert!(shown(read(dir.path(), 100).unwrap_err()).starts_with("D: not a regular file"));
        let bom = write(
            "bom.info",
            "\u{feff}SF:a\nDA:1,1\nend_of_record\n".as_bytes(),
        );
        assert_eq!(read(&bom, 100).unwrap().1.files[0].lines[&1], 1);
        // llvm-cov sorts its keys: `type` after all the data.
        let files: Vec<String> = (0..400)
            .map(|i| {
                format!(r#"{{"filename": "f{i}.rs", "segments": [[1, 1, 1, true, true, false]]}}"#)
            })
            .collect();
        let export = format!(
            r#"{{"data": [{{"files": [{}]}}], "type": "llvm.coverage.json.export", "version": "2.0.1"}}"#,
            files.join(",")
        );
        let big = write("export.json", export.as_bytes());
        let (format, report) = read(&big, 1 << 20).unwrap();
        assert_eq!((format, report.files.len()), (Format::LlvmCov, 400));
        let missing = dir.path().join("none.info");
        assert!(shown(read(&missing, 100).unwrap_err()).starts_with("D/none.info: cannot read"));
        let (format, report) =
            read(&write("ok.info", b"SF:a\nDA:1,1\nend_of_record\n"), 100).unwrap();
        assert_eq!((format, report.files.len()), (Format::Lcov, 1));
    }
}
