//! reviewdog's Diagnostic Format (rdjson), one JSON object for the whole run.

use serde_json::{Value, json};

use super::Report;
use crate::Priority;

pub(super) fn render(report: &Report) -> String {
    let diagnostics: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let severity = match f.priority {
                Priority::P0 | Priority::P1 => "ERROR",
                Priority::P2 => "WARNING",
                Priority::P3 => "INFO",
            };
            let mut code = json!({ "value": f.rule });
            if let Some(url) = &f.runbook {
                code["url"] = json!(url);
            }
            let mut message = f.message.clone();
            if let Some(fix) = &f.fix {
                message.push_str(&format!("\nfix: {fix}"));
            }
            json!({
                "message": message,
                "location": {
                    "path": f.path,
                    "range": {
                        "start": { "line": f.line, "column": f.column },
                        "end": { "line": f.end_line.max(f.line), "column": f.end_column },
                    },
                },
                "severity": severity,
                "source": { "name": "harness" },
                "code": code,
                "original_output": format!("{}:{}:{}: {} {}: {}", f.path, f.line, f.column, f.priority, f.rule, f.message),
            })
        })
        .collect();
    let value = json!({
        "source": { "name": "harness" },
        "diagnostics": diagnostics,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
