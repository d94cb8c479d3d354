//! Cobertura XML (`coverage.xml`), as coverage.py, cargo-llvm-cov `--cobertura`, gcovr and many
//! CI tools write it.
//!
//! Each `<class filename="…">` holds `<line number="…" hits="…"/>` elements; a line with
//! `branch="true"` says how many of its branches ran in `condition-coverage="50% (1/2)"`, without
//! their counts, so the branches that ran count 1 and the others 0. File names are relative to
//! one of the `<source>` folders, which the report keeps in [`Report::sources`].

use std::collections::HashSet;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::{
    CoverageError, FileCoverage, Files, MAX_BRANCHES_PER_LINE, MAX_LINE, Report, malformed,
};

/// Reads a Cobertura XML report.
pub fn parse(text: &str) -> Result<Report, CoverageError> {
    if text.trim().is_empty() {
        return Err(CoverageError::Empty);
    }
    let mut reader = Reader::from_str(text);
    let mut files = Files::default();
    let mut sources = Vec::new();
    let mut current: Option<FileCoverage> = None;
    // Lines of the open class whose branches are read: its `<method>`s list them again.
    let mut seen: HashSet<u32> = HashSet::new();
    // The text of the `<source>` being read, entities and CDATA included.
    let mut source: Option<String> = None;
    let mut seen_root = false;
    let mut closed_root = false;
    let mut generated_ms = None;
    let mut position = Position::default();
    loop {
        let at = position.line_at(text, reader.buffer_position());
        let event = reader.read_event().map_err(|e| CoverageError::Malformed {
            line: position.line_at(text, reader.error_position()),
            message: format!("not Cobertura XML: {e}"),
        })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"coverage" => {
                    seen_root = true;
                    generated_ms = attribute(&e, "timestamp", at)?
                        .as_deref()
                        .and_then(timestamp);
                }
                b"source" if !empty => source = Some(String::new()),
                b"class" => {
                    if let Some(done) = current.take() {
                        files.add(done);
                    }
                    let Some(name) = attribute(&e, "filename", at)? else {
                        return Err(malformed(at, "`<class>` without a `filename`"));
                    };
                    let class = FileCoverage {
                        path: name,
                        ..FileCoverage::default()
                    };
                    seen.clear();
                    if empty {
                        files.add(class);
                    } else {
                        current = Some(class);
                    }
                }
                b"line" => {
                    let Some(file) = current.as_mut() else {
                        continue;
                    };
                    line(file, &e, at, &mut seen)?;
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(source) = source.as_mut() {
                    source.push_str(&t.decode().map_err(|e| malformed(at, &e.to_string()))?);
                }
            }
            Event::CData(t) => {
                if let Some(source) = source.as_mut() {
                    source.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(source) = source.as_mut() {
                    let name = r.decode().map_err(|e| malformed(at, &e.to_string()))?;
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .map(str::to_owned)
                        .or_else(|| r.resolve_char_ref().ok().flatten().map(String::from))
                        .ok_or_else(|| malformed(at, &format!("unknown entity `&{name};`")))?;
                    source.push_str(&resolved);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"source" => {
                    if let Some(done) = source.take().filter(|s| !s.trim().is_empty()) {
                        sources.push(done.trim().to_owned());
                    }
                }
                b"coverage" => closed_root = true,
                b"class" => {
                    if let Some(done) = current.take() {
                        files.add(done);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(malformed(
            1,
            "no `<coverage>` element: not a Cobertura report",
        ));
    }
    if let Some(open) = current {
        return Err(CoverageError::Truncated { path: open.path });
    }
    if !closed_root {
        return Err(CoverageError::Unfinished {
            expected: "`</coverage>`".to_owned(),
        });
    }
    if files.report.files.is_empty() {
        return Err(CoverageError::Empty);
    }
    files.report.sources = sources;
    files.report.generated_ms = generated_ms;
    Ok(files.report)
}

/// One `<line>`: its hits, and its branches when it has any.
fn line(
    file: &mut FileCoverage,
    e: &BytesStart<'_>,
    at: usize,
    seen: &mut HashSet<u32>,
) -> Result<(), CoverageError> {
    let number = attribute(e, "number", at)?
        .and_then(|n| n.trim().parse::<u32>().ok())
        .filter(|&n| n > 0 && n <= MAX_LINE)
        .ok_or_else(|| malformed(at, "`<line>` without a `number` from 1 to 5,000,000"))?;
    let hits = attribute(e, "hits", at)?
        .map(|h| crate::count(Some(&h), at))
        .ok_or_else(|| malformed(at, "`<line>` without `hits`"))?
        .map_err(|_| malformed(at, "`<line>` without a whole-number `hits`"))?;
    let h = file.lines.entry(number).or_default();
    *h = (*h).max(hits);
    let branch = attribute(e, "branch", at)?.is_some_and(|b| b.eq_ignore_ascii_case("true"));
    if !branch || !seen.insert(number) {
        return Ok(());
    }
    let condition = attribute(e, "condition-coverage", at)?;
    let Some((ran, total)) = condition.as_deref().and_then(ran_of) else {
        return Err(malformed(
            at,
            "`branch=\"true\"` without a `condition-coverage` like `50% (1/2)` (at most 10,000 branches)",
        ));
    };
    for place in 0..total {
        file.branches
            .insert((number, place), u64::from(place < ran));
    }
    Ok(())
}

/// `50% (1/2)` is 1 of 2 branches run.
fn ran_of(condition: &str) -> Option<(u32, u32)> {
    let (_, counts) = condition.split_once('(')?;
    let (ran, total) = counts.strip_suffix(')')?.split_once('/')?;
    let (ran, total) = (ran.trim().parse().ok()?, total.trim().parse().ok()?);
    (ran <= total && total <= MAX_BRANCHES_PER_LINE).then_some((ran, total))
}

/// A `timestamp` in milliseconds; gcovr writes seconds, told apart by size (10^11 seconds is
/// thousands of years ahead, 10^11 milliseconds is 1973).
fn timestamp(value: &str) -> Option<u64> {
    let n: u64 = value.trim().parse().ok().filter(|&n| n > 0)?;
    Some(if n < 100_000_000_000 {
        n.saturating_mul(1000)
    } else {
        n
    })
}

fn attribute(e: &BytesStart<'_>, name: &str, at: usize) -> Result<Option<String>, CoverageError> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .unescape_value()
            .map(|v| Some(v.into_owned()))
            .map_err(|err| malformed(at, &format!("attribute `{name}`: {err}"))),
        Ok(None) => Ok(None),
        Err(err) => Err(malformed(at, &format!("attribute `{name}`: {err}"))),
    }
}

/// Where the reader is, as a line, counted as it moves forward.
#[derive(Default)]
struct Position {
    offset: usize,
    line: usize,
}

impl Position {
    /// The 1-based line of byte `offset` in `text`.
    fn line_at(&mut self, text: &str, offset: u64) -> usize {
        let end = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        if end < self.offset {
            // Backwards (an error position): count from the start.
            return memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() + 1;
        }
        self.line += memchr::memchr_iter(b'\n', &text.as_bytes()[self.offset..end]).count();
        self.offset = end;
        self.line + 1
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::CoverageError;

    const REPORT: &str = r#"<?xml version="1.0" ?>
<coverage version="7.6.1" timestamp="1764100000000" lines-valid="4" lines-covered="3" line-rate="0.75" branches-covered="1" branches-valid="2" branch-rate="0.5" complexity="0">
	<sources>
		<source>/repo/src</source>
	</sources>
	<packages>
		<package name="app" line-rate="0.75" branch-rate="0.5" complexity="0">
			<classes>
				<class name="a.py" filename="app/a.py" complexity="0" line-rate="0.75" branch-rate="0.5">
					<methods>
						<method name="f" signature="()V" line-rate="1"><lines><line number="2" hits="9"/></lines></method>
					</methods>
					<lines>
						<line number="1" hits="1"/>
						<line number="2" hits="3" branch="true" condition-coverage="50% (1/2)" missing-branches="4"/>
						<line number="3" hits="1"/>
						<line number="4" hits="0"/>
					</lines>
				</class>
			</classes>
		</package>
	</packages>
</coverage>
"#;

    #[test]
    fn classes_give_lines_and_condition_coverage_gives_branches() {
        let report = parse(REPORT).unwrap();
        assert_eq!(report.sources, ["/repo/src"]);
        assert_eq!(report.generated_ms, Some(1_764_100_000_000));
        let file = &report.files[0];
        assert_eq!(file.path, "app/a.py");
        // Line 2 is listed by its method and by the class: the most hits, the branches given.
        assert_eq!(
            file.lines.iter().map(|(l, h)| (*l, *h)).collect::<Vec<_>>(),
            [(1, 1), (2, 9), (3, 1), (4, 0)]
        );
        assert_eq!(
            file.branches
                .iter()
                .map(|(k, t)| (*k, *t))
                .collect::<Vec<_>>(),
            [((2, 0), 1), ((2, 1), 0)]
        );
    }

    #[test]
    fn a_timestamp_in_seconds_is_read_as_seconds() {
        let report = parse(&REPORT.replace("1764100000000", "1764100000")).unwrap();
        assert_eq!(report.generated_ms, Some(1_764_100_000_000));
        let report = parse(&REPORT.replace("timestamp=\"1764100000000\"", "")).unwrap();
        assert_eq!(report.generated_ms, None);
    }

    #[test]
    fn bad_reports_say_what_and_where() {
        assert_eq!(parse(""), Err(CoverageError::Empty));
        assert!(matches!(
            parse("<html><body/></html>"),
            Err(CoverageError::Malformed { line: 1, .. })
        ));
        let cut = &REPORT[..REPORT.find("<line number=\"3\"").unwrap()];
        assert!(parse(cut).is_err());
        // Cut between elements: XML readers accept that, a report must end.
        let cut = &REPORT[..REPORT.find("</classes>").unwrap()];
        assert_eq!(
            parse(cut),
            Err(CoverageError::Unfinished {
                expected: "`</coverage>`".to_owned()
            })
        );
        // A small report may not ask for memory without end.
        let many = REPORT.replace("50% (1/2)", "0% (0/4000000000)");
        assert!(matches!(parse(&many), Err(CoverageError::Malformed { .. })));
        let escaped = REPORT.replace(
            "<source>/repo/src</source>",
            "<source>/repo/R&amp;D</source>",
        );
        assert_eq!(parse(&escaped).unwrap().sources, ["/repo/R&D"]);
        let empty_class = REPORT.replace("<classes>", "<classes><class filename=\"b.py\"/>");
        assert_eq!(parse(&empty_class).unwrap().files[0].path, "b.py");
        let bad = REPORT.replace("number=\"3\" hits=\"1\"", "number=\"3\" hits=\"many\"");
        assert_eq!(
            parse(&bad),
            Err(CoverageError::Malformed {
                line: 16,
                message: "`<line>` without a whole-number `hits`".to_owned()
            })
        );
    }
}
