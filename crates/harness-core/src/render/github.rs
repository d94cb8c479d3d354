//! GitHub Actions workflow commands: `::error file=…,line=…::message`.

use super::Report;
use crate::Priority;

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let level = if report.is_blocking(f) {
            "error"
        } else if f.priority == Priority::P3 {
            "notice"
        } else {
            "warning"
        };
        let mut message = f.message.clone();
        if let Some(fix) = &f.fix {
            message.push_str(&format!("\nfix: {fix}"));
        }
        if let Some(see) = &f.runbook {
            message.push_str(&format!("\nsee: {see}"));
        }
        out.push_str(&format!(
            "::{level} file={},line={},endLine={},col={},title={}::{}\n",
            property(&f.path),
            f.line,
            f.end_line.max(f.line),
            f.column,
            property(&format!("{} {}", f.priority, f.rule)),
            data(&message)
        ));
    }
    out.push_str(&format!("{}\n", report.verdict()));
    out
}

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
