//! LCOV tracefiles (`lcov.info`), as c8, nyc, Jest, cargo-llvm-cov, grcov and coverage.py's
//! `lcov` command write them.
//!
//! A record starts with `SF:<path>` and ends with `end_of_record`; inside it, `DA:<line>,<hits>`
//! gives a line's hits and `BRDA:<line>,<block>,<branch>,<taken>` a branch's (`-` when the
//! condition was never evaluated). Summary and function records (`LF`, `LH`, `BRF`, `FN`, ...)
//! are recomputed or not needed, so they are skipped, as are keys this parser does not know.

use std::collections::HashMap;

use crate::{CoverageError, FileCoverage, Files, MAX_LINE, Report, count, malformed};

const FOUR_FIELDS: &str = "`BRDA:` needs four fields: line, block, branch, taken";

/// Reads an LCOV tracefile.
pub fn parse(text: &str) -> Result<Report, CoverageError> {
    if text.trim().is_empty() {
        return Err(CoverageError::Empty);
    }
    let mut files = Files::default();
    let mut current: Option<FileCoverage> = None;
    // A branch is keyed by its line and its place among that line's branches. The place last
    // given on each line of the open record, except the line of the branch read last, whose
    // place is kept apart: a line's branches usually come together.
    let mut places: HashMap<u32, u32> = HashMap::new();
    let mut last_place: Option<(u32, u32)> = None;
    // Lines found with memchr, and split at ASCII bytes: this loop is most of a large
    // report's reading time.
    let bytes = text.as_bytes();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (n, end) in ends.enumerate() {
        let raw = &text[start..end];
        start = end + 1;
        let line = raw.trim_ascii();
        let at = n + 1;
        if line.is_empty() {
            continue;
        }
        if line == "end_of_record" {
            match current.take() {
                Some(file) => files.add(file),
                None => return Err(malformed(at, "`end_of_record` without an `SF:` before it")),
            }
            continue;
        }
        let Some((key, value)) = split_at_byte(line, b':') else {
            return Err(malformed(
                at,
                &format!("`{}` is not `KEY:value`", clip(line)),
            ));
        };
        match key {
            "SF" => {
                if let Some(open) = &current {
                    return Err(malformed(
                        at,
                        &format!("`SF:` before the record for {} ended", open.path),
                    ));
                }
                if value.is_empty() {
                    return Err(malformed(at, "`SF:` without a path"));
                }
                current = Some(FileCoverage {
                    path: value.to_owned(),
                    ..FileCoverage::default()
                });
                places.clear();
                last_place = None;
            }
            "DA" => {
                let file = inside(&mut current, at, key)?;
                let Some((number, rest)) = split_at_byte(value, b',') else {
                    return Err(malformed(at, "`DA:` needs a line and its hits"));
                };
                let number = line_number(Some(number), at)?;
                // A third field, a checksum of the line, is not needed.
                let hits = split_at_byte(rest, b',').map_or(rest, |(h, _)| h);
                let hits = count(Some(hits), at)?;
                let h = file.lines.entry(number).or_default();
                *h = h.saturating_add(hits);
            }
            "BRDA" => {
                let file = inside(&mut current, at, key)?;
                // lcov 2.x allows commas in the branch's expression: line and block come
                // first, the count last.
                let (Some((number, _)), Some(last)) = (
                    split_at_byte(value, b','),
                    memchr::memrchr(b',', value.as_bytes()),
                ) else {
                    return Err(malformed(at, FOUR_FIELDS));
                };
                let taken = &value[last + 1..];
                if memchr::memchr_iter(b',', value.as_bytes()).count() < 3 {
                    return Err(malformed(at, FOUR_FIELDS));
                }
                let number = line_number(Some(number), at)?;
                let taken = if taken == "-" {
                    0
                } else {
                    count(Some(taken), at)?
                };
                let place = match last_place {
                    Some((line, place)) if line == number => place + 1,
                    _ => places.get(&number).map_or(0, |p| p + 1),
                };
                if let Some((line, place)) = last_place
                    && line != number
                {
                    places.insert(line, place);
                }
                last_place = Some((number, place));
                let t = file.branches.entry((number, place)).or_default();
                *t = t.saturating_add(taken);
            }
            _ => {}
        }
    }
    if let Some(open) = current {
        return Err(CoverageError::Truncated { path: open.path });
    }
    if files.report.files.is_empty() {
        return Err(CoverageError::Empty);
    }
    Ok(files.report)
}

/// `text` split at the first `byte` (ASCII), found with memchr.
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let i = memchr::memchr(byte, text.as_bytes())?;
    Some((&text[..i], &text[i + 1..]))
}

fn inside<'a>(
    current: &'a mut Option<FileCoverage>,
    at: usize,
    key: &str,
) -> Result<&'a mut FileCoverage, CoverageError> {
    current.as_mut().ok_or_else(|| {
        malformed(
            at,
            &format!("`{key}:` outside a record (no `SF:` before it)"),
        )
    })
}

fn line_number(field: Option<&str>, at: usize) -> Result<u32, CoverageError> {
    match field.map(str::trim_ascii).map(str::parse::<u32>) {
        Some(Ok(n)) if n > 0 && n <= MAX_LINE => Ok(n),
        _ => Err(malformed(
            at,
            "the line number is not a whole number from 1 to 5,000,000",
        )),
    }
}

/// At most 60 characters of `text`, for a message.
pub(crate) fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::CoverageError;

    #[test]
    fn records_give_hits_per_line_and_branch() {
        let report = parse(
            "TN:\nSF:/repo/src/a.ts\nFN:1,f\nFNDA:2,f\nDA:1,2\nDA:2,0\nDA:3,1,abc123\nLF:3\nLH:2\n\
             BRDA:2,0,0,1\nBRDA:2,0,1,0\nBRDA:3,1,0,-\nBRF:3\nBRH:1\nend_of_record\n",
        )
        .unwrap();
        let file = &report.files[0];
        assert_eq!(file.path, "/repo/src/a.ts");
        assert_eq!(
            file.lines.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            [(1, 2), (2, 0), (3, 1)]
        );
        assert_eq!(
            file.branches
                .iter()
                .map(|(k, t)| (*k, *t))
                .collect::<Vec<_>>(),
            [((2, 0), 1), ((2, 1), 0), ((3, 0), 0)]
        );
    }

    #[test]
    fn a_file_in_two_records_is_merged() {
        let report = parse(
            "TN:unit\r\nSF:a.rs\r\nDA:1,0\r\nDA:2,1\r\nBRDA:1,0,0,0\r\nend_of_record\r\n\
             TN:e2e\r\nSF:a.rs\r\nDA:1,4\r\nBRDA:1,0,0,2\r\nend_of_record\r\n",
        )
        .unwrap();
        assert_eq!(report.files.len(), 1);
        let file = &report.files[0];
        assert_eq!((file.lines[&1], file.lines[&2]), (4, 1));
        assert_eq!(file.branches[&(1, 0)], 2);
    }

    #[test]
    fn lcov_2_branch_expressions_may_hold_commas() {
        let report =
            parse("SF:a\nBRDA:3,0,(a, b) == 1,4\nBRDA:3,0,else,-\nend_of_record\n").unwrap();
        assert_eq!(
            report.files[0]
                .branches
                .iter()
                .map(|(k, t)| (*k, *t))
                .collect::<Vec<_>>(),
            [((3, 0), 4), ((3, 1), 0)]
        );
    }

    #[test]
    fn negative_and_huge_counts_are_read() {
        let report = parse("SF:a\nDA:1,-1\nDA:2,99999999999999999999999\nend_of_record\n").unwrap();
        assert_eq!(report.files[0].lines[&1], 0);
        assert_eq!(report.files[0].lines[&2], u64::MAX);
    }

    #[test]
    fn bad_reports_say_what_and_where() {
        let cases: [(&str, CoverageError); 8] = [
            ("", CoverageError::Empty),
            ("TN:\n", CoverageError::Empty),
            (
                "SF:a\nDA:1,1\n",
                CoverageError::Truncated { path: "a".into() },
            ),
            (
                "DA:1,1\n",
                malformed(1, "`DA:` outside a record (no `SF:` before it)"),
            ),
            (
                "SF:a\nDA:x,1\n",
                malformed(
                    2,
                    "the line number is not a whole number from 1 to 5,000,000",
                ),
            ),
            (
                "SF:a\nDA:1,lots\n",
                malformed(2, "`lots` is not a hit count"),
            ),
            (
                "SF:a\nBRDA:1,0,1\n",
                malformed(2, "`BRDA:` needs four fields: line, block, branch, taken"),
            ),
            (
                "SF:a\nSF:b\n",
                malformed(2, "`SF:` before the record for a ended"),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Err(expected), "{text:?}");
        }
        assert_eq!(
            parse("<html>not a report</html>").unwrap_err().to_string(),
            "line 1: `<html>not a report</html>` is not `KEY:value`"
        );
    }

    fn malformed(line: usize, message: &str) -> CoverageError {
        crate::malformed(line, message)
    }
}
