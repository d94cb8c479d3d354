//! Istanbul's `coverage-final.json`, as nyc, Jest and c8 (`--reporter json`) write it: per file,
//! statement and branch locations (`statementMap`, `branchMap`) and their counts (`s`, `b`).
//!
//! A line's hits are the most any statement starting on it ran, as Istanbul's own line
//! coverage counts them; each branch location is one branch, on the line its branch starts.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::{CoverageError, FileCoverage, Files, MAX_LINE, Report};

#[derive(Deserialize)]
struct File {
    path: Option<String>,
    #[serde(rename = "statementMap")]
    statement_map: HashMap<String, Range>,
    #[serde(rename = "branchMap", default)]
    branch_map: HashMap<String, Branch>,
    s: HashMap<String, f64>,
    #[serde(default)]
    b: HashMap<String, Vec<f64>>,
}

#[derive(Deserialize)]
struct Range {
    start: Position,
}

#[derive(Deserialize)]
struct Position {
    line: Option<u32>,
}

#[derive(Deserialize)]
struct Branch {
    line: Option<u32>,
    loc: Option<Range>,
    #[serde(default)]
    locations: Vec<Range>,
}

/// Reads a `coverage-final.json`.
pub fn parse(text: &str) -> Result<Report, CoverageError> {
    if text.trim().is_empty() {
        return Err(CoverageError::Empty);
    }
    let parsed: BTreeMap<String, File> =
        serde_json::from_str(text).map_err(|e| CoverageError::Malformed {
            line: e.line(),
            message: format!("not Istanbul coverage JSON: {e}"),
        })?;
    let mut files = Files::default();
    for (key, file) in parsed {
        let mut out = FileCoverage {
            path: file.path.clone().unwrap_or(key),
            ..FileCoverage::default()
        };
        for (id, range) in &file.statement_map {
            let (Some(line), Some(&count)) = (range.start.line, file.s.get(id)) else {
                continue;
            };
            if line == 0 || line > MAX_LINE {
                continue;
            }
            let hits = out.lines.entry(line).or_default();
            *hits = (*hits).max(count_of(count));
        }
        // By id, so a branch's places are stable from one report to the next.
        let mut ids: Vec<&String> = file.branch_map.keys().collect();
        ids.sort_by_key(|id| (id.parse::<u64>().ok(), id.as_str()));
        let mut places: HashMap<u32, u32> = HashMap::new();
        for id in ids {
            let branch = &file.branch_map[id];
            let counts = file.b.get(id).map(Vec::as_slice).unwrap_or_default();
            for (i, count) in counts.iter().enumerate() {
                let line = branch
                    .locations
                    .get(i)
                    .and_then(|l| l.start.line)
                    .or(branch.line)
                    .or_else(|| branch.loc.as_ref().and_then(|l| l.start.line));
                let Some(line) = line.filter(|&l| l > 0 && l <= MAX_LINE) else {
                    continue;
                };
                let place = places.entry(line).or_default();
                out.branches.insert((line, *place), count_of(*count));
                *place += 1;
            }
        }
        files.add(out);
    }
    if files.report.files.is_empty() {
        return Err(CoverageError::Empty);
    }
    Ok(files.report)
}

/// Counts are JSON numbers; anything but a non-negative whole number counts as not run.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn count_of(n: f64) -> u64 {
    if n.is_finite() && n > 0.0 {
        n as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::CoverageError;

    const REPORT: &str = r#"{
      "/repo/src/a.js": {
        "path": "/repo/src/a.js",
        "statementMap": {
          "0": {"start": {"line": 1, "column": 0}, "end": {"line": 1, "column": 9}},
          "1": {"start": {"line": 2, "column": 2}, "end": {"line": 2, "column": 9}},
          "2": {"start": {"line": 2, "column": 10}, "end": {"line": 2, "column": 20}},
          "3": {"start": {"line": 4, "column": 2}, "end": {"line": 4, "column": 9}}
        },
        "fnMap": {},
        "branchMap": {
          "0": {"loc": {"start": {"line": 3, "column": 2}, "end": {"line": 5, "column": 3}},
                "type": "if", "line": 3,
                "locations": [{"start": {"line": 3, "column": 2}, "end": {"line": 5, "column": 3}},
                              {"start": {"line": 3, "column": 2}, "end": {"line": 5, "column": 3}}]}
        },
        "s": {"0": 1, "1": 0, "2": 3, "3": 0},
        "f": {},
        "b": {"0": [2, 0]}
      }
    }"#;

    #[test]
    fn statements_give_lines_and_locations_give_branches() {
        let report = parse(REPORT).unwrap();
        let file = &report.files[0];
        assert_eq!(file.path, "/repo/src/a.js");
        assert_eq!(
            file.lines.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            [(1, 1), (2, 3), (4, 0)]
        );
        assert_eq!(
            file.branches
                .iter()
                .map(|(k, t)| (*k, *t))
                .collect::<Vec<_>>(),
            [((3, 0), 2), ((3, 1), 0)]
        );
    }

    #[test]
    fn bad_reports_say_where() {
        assert_eq!(parse(" \n"), Err(CoverageError::Empty));
        assert_eq!(parse("{}"), Err(CoverageError::Empty));
        let truncated = &REPORT[..REPORT.len() / 2];
        let CoverageError::Malformed { line, message } = parse(truncated).unwrap_err() else {
            panic!("not malformed");
        };
        assert!(line > 1, "{line}");
        assert!(
            message.starts_with("not Istanbul coverage JSON: EOF"),
            "{message}"
        );
    }
}
