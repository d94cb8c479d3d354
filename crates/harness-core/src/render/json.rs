//! The json format, stable and documented in docs/output.md: `{version, verdict, block_at,
//! blocking, files_checked, baselined, findings[], skipped[]}`.

use serde::Serialize;

use super::{Report, Skipped};
use crate::{Finding, Priority};

/// Serialized straight from the report, without building a JSON tree of every finding.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    verdict: String,
    block_at: Priority,
    blocking: usize,
    files_checked: usize,
    baselined: usize,
    findings: &'a [Finding],
    skipped: &'a [Skipped],
}

pub(super) fn render(report: &Report) -> String {
    let document = Document {
        version: 1,
        verdict: report.verdict(),
        block_at: report.block_at(),
        blocking: report.blocking(),
        files_checked: report.files_checked,
        baselined: report.baselined,
        findings: &report.findings,
        skipped: &report.skipped,
    };
    let mut s = serde_json::to_string_pretty(&document).unwrap_or_default();
    s.push('\n');
    s
}
