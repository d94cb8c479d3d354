//! The json format, stable and documented in docs/output.md: `{version, verdict, block_at,
//! blocking, files_checked, baselined, findings[], skipped[]}`.

use serde_json::json;

use super::Report;

pub(super) fn render(report: &Report) -> String {
    let value = json!({
        "version": 1,
        "verdict": report.verdict(),
        "block_at": report.block_at(),
        "blocking": report.blocking(),
        "files_checked": report.files_checked,
        "baselined": report.baselined,
        "findings": report.findings,
        "skipped": report.skipped,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
