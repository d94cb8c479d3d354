//! The human format: one block per finding with a code frame, colour only on a terminal.

use super::{RenderOptions, Report};

pub(super) fn render(report: &Report, options: &RenderOptions) -> String {
    let paint = |code: &str, text: &str| {
        if options.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    let mut out = String::new();
    for f in &report.findings {
        let blocking = report.is_blocking(f);
        let label = if blocking { "error" } else { "warning" };
        let color = if blocking { "1;31" } else { "1;33" };
        out.push_str(&format!(
            "{}{} {}\n",
            paint(color, &format!("{label}[{}]", f.priority)),
            paint("1", &format!(" {}:", f.rule)),
            f.message
        ));
        out.push_str(&format!(
            "  {} {}:{}:{}\n",
            paint("34", "-->"),
            f.path,
            f.line,
            f.column
        ));
        if !f.snippet.is_empty() {
            let n = f.line.to_string();
            let pad = " ".repeat(n.len());
            out.push_str(&format!("{pad} {}\n", paint("34", "|")));
            out.push_str(&format!(
                "{} {} {}\n",
                paint("34", &n),
                paint("34", "|"),
                f.snippet
            ));
            out.push_str(&format!("{pad} {}\n", paint("34", "|")));
        }
        if let Some(fix) = &f.fix {
            out.push_str(&format!("  = fix: {fix}\n"));
        }
        if let Some(see) = &f.runbook {
            out.push_str(&format!("  = see: {see}\n"));
        }
        out.push('\n');
    }
    for s in &report.skipped {
        out.push_str(&format!("note: skipped {}: {}\n", s.path, s.reason));
    }
    let verdict = report.verdict();
    let color = if report.blocking() > 0 {
        "1;31"
    } else {
        "1;32"
    };
    out.push_str(&paint(color, &verdict));
    out.push('\n');
    out
}
