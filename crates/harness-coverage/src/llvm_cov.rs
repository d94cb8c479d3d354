//! `llvm-cov export` JSON (`-format=text`, the default), as cargo-llvm-cov `--json` writes it.
//!
//! Each file lists segments `[line, column, count, has_count, is_region_entry, is_gap]`, sorted,
//! and branches `[line, column, end_line, end_column, true_count, false_count, ...]`. Line hits
//! are worked out from the segments the way `llvm-cov` itself does: a line is code when a
//! region with a count starts on it or one carries on into it, and its hits are the most of
//! those regions'; a line where a skipped region starts is not code.

use std::collections::HashMap;

use serde::Deserialize;

use crate::{CoverageError, FileCoverage, Files, MAX_LINE, Report};

#[derive(Deserialize)]
struct Export {
    #[serde(rename = "type")]
    kind: Option<String>,
    data: Vec<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    filename: String,
    #[serde(default)]
    segments: Vec<Segment>,
    #[serde(default)]
    branches: Vec<Vec<serde_json::Value>>,
}

/// `[line, column, count, has_count, is_region_entry, is_gap_region]`.
#[derive(Deserialize, Clone, Copy)]
struct Segment(u32, u32, u64, bool, bool, #[serde(default)] bool);

impl Segment {
    fn starts_region(self) -> bool {
        self.3 && self.4 && !self.5
    }
}

/// Reads an `llvm-cov export` JSON document.
pub fn parse(text: &str) -> Result<Report, CoverageError> {
    if text.trim().is_empty() {
        return Err(CoverageError::Empty);
    }
    let export: Export = serde_json::from_str(text).map_err(|e| CoverageError::Malformed {
        line: e.line(),
        message: format!("not llvm-cov export JSON: {e}"),
    })?;
    if export
        .kind
        .as_deref()
        .is_some_and(|k| k != "llvm.coverage.json.export")
    {
        return Err(CoverageError::Malformed {
            line: 1,
            message: "`type` is not `llvm.coverage.json.export`".to_owned(),
        });
    }
    let mut files = Files::default();
    for file in export.data.into_iter().flat_map(|d| d.files) {
        // Sorted and within bounds, or lines would be misread or take memory without end.
        let sorted = file
            .segments
            .windows(2)
            .all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1));
        let bounded = file.segments.iter().all(|s| s.0 > 0 && s.0 <= MAX_LINE);
        if !sorted || !bounded {
            return Err(CoverageError::Malformed {
                line: 1,
                message: format!(
                    "the segments of {} are not sorted lines from 1 to 5,000,000",
                    file.filename
                ),
            });
        }
        let mut out = FileCoverage {
            path: file.filename,
            lines: lines(&file.segments),
            ..FileCoverage::default()
        };
        let mut places: HashMap<u32, u32> = HashMap::new();
        for branch in &file.branches {
            let number = |i: usize| branch.get(i).and_then(serde_json::Value::as_u64);
            let (Some(line), Some(taken), Some(not_taken)) = (number(0), number(4), number(5))
            else {
                continue;
            };
            let Ok(line) = u32::try_from(line) else {
                continue;
            };
            let place = places.entry(line).or_default();
            out.branches.insert((line, *place), taken);
            out.branches.insert((line, *place + 1), not_taken);
            *place += 2;
        }
        files.add(out);
    }
    if files.report.files.is_empty() {
        return Err(CoverageError::Empty);
    }
    Ok(files.report)
}

/// Hits per line from sorted segments.
fn lines(segments: &[Segment]) -> std::collections::BTreeMap<u32, u64> {
    let mut out = std::collections::BTreeMap::new();
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else {
        return out;
    };
    // The segment in force where the current line starts.
    let mut wrapped: Option<Segment> = None;
    let mut next = 0;
    for line in first.0..=last.0 {
        let start = next;
        while next < segments.len() && segments[next].0 == line {
            next += 1;
        }
        let on_line = &segments[start..next];
        let starts = on_line.iter().filter(|s| s.starts_region()).count();
        let skipped = on_line.first().is_some_and(|s| !s.3 && s.4);
        // Newer llvm-cov also maps a line where any region with a count starts, a skipped or
        // gap one included.
        let mapped = (!skipped && (wrapped.is_some_and(|w| w.3) || starts > 0))
            || on_line.iter().any(|s| s.3 && s.4);
        if mapped {
            let mut hits = wrapped.map_or(0, |w| w.2);
            for s in on_line.iter().filter(|s| s.starts_region()) {
                hits = hits.max(s.2);
            }
            out.insert(line, hits);
        }
        if let Some(&last_on_line) = on_line.last() {
            wrapped = Some(last_on_line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::CoverageError;

    /// A function that ran once, with a region from 2:8 that never ran and one from 3:12 that
    /// did; lines 5 and 6 are a skipped region (code compiled out).
    const EXPORT: &str = r#"{"type": "llvm.coverage.json.export", "version": "2.0.1", "data": [{
      "files": [{
        "filename": "/repo/src/main.rs",
        "segments": [[1, 11, 1, true, true, false], [2, 8, 0, true, true, false],
                     [3, 6, 1, true, false, false], [3, 12, 1, true, true, false],
                     [4, 6, 1, true, false, false], [5, 1, 0, false, true, false],
                     [6, 2, 0, false, false, false]],
        "branches": [[2, 8, 2, 12, 0, 1, 0, 0, 4]],
        "summary": {}
      }],
      "functions": [], "totals": {}
    }]}"#;

    #[test]
    fn segments_give_lines_as_llvm_cov_counts_them() {
        let report = parse(EXPORT).unwrap();
        let file = &report.files[0];
        assert_eq!(file.path, "/repo/src/main.rs");
        assert_eq!(
            file.lines.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            [(1, 1), (2, 1), (3, 1), (4, 1)]
        );
        assert_eq!(
            file.branches
                .iter()
                .map(|(k, t)| (*k, *t))
                .collect::<Vec<_>>(),
            [((2, 0), 0), ((2, 1), 1)]
        );
    }

    #[test]
    fn other_documents_are_refused() {
        assert_eq!(parse(""), Err(CoverageError::Empty));
        assert!(matches!(
            parse(r#"{"type": "something.else", "data": []}"#),
            Err(CoverageError::Malformed { line: 1, .. })
        ));
        assert!(matches!(
            parse(
                r#"{"type": "llvm.coverage.json.export", "data": [{"files": [{"filename": "a", "segments": [[1, "x"]]}]}]}"#
            ),
            Err(CoverageError::Malformed { .. })
        ));
    }

    #[test]
    fn a_region_with_a_count_starting_on_a_line_maps_it() {
        let segments = "[1,1,3,true,true,false],[1,9,0,false,false,false],[5,1,0,false,true,false],\
                        [5,20,4,true,true,false],[5,30,0,false,false,false],[7,3,2,true,true,true],\
                        [7,9,0,false,false,false]";
        let text = format!(
            r#"{{"type": "llvm.coverage.json.export", "data": [{{"files": [{{"filename": "a.c", "segments": [{segments}]}}]}}]}}"#
        );
        let report = parse(&text).unwrap();
        assert_eq!(
            report.files[0]
                .lines
                .iter()
                .map(|(l, h)| (*l, *h))
                .collect::<Vec<_>>(),
            [(1, 3), (5, 4), (7, 0)]
        );
        // Out of order, or a line past any real file: refused, not misread or filled.
        for bad in [
            "[5,1,1,true,true,false],[2,1,1,true,true,false]",
            "[1,1,1,true,true,false],[400000000,1,0,false,false,false]",
        ] {
            let text = text.replace(segments, bad);
            assert!(
                matches!(parse(&text), Err(CoverageError::Malformed { .. })),
                "{bad}"
            );
        }
    }
}
