//! SARIF 2.1.0, as GitHub code scanning accepts it: rules in the driver, one result per finding
//! with `ruleId`, `level`, `message`, a region and `partialFingerprints`.

use serde_json::{Value, json};

use super::{RenderOptions, Report};
use crate::Priority;

fn level(p: Priority) -> &'static str {
    match p {
        Priority::P0 | Priority::P1 => "error",
        Priority::P2 => "warning",
        Priority::P3 => "note",
    }
}

fn is_uri(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

pub(super) fn render(report: &Report, options: &RenderOptions) -> String {
    let mut rule_ids: Vec<&str> = report.rules.iter().map(|r| r.id.as_str()).collect();
    let mut rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.id,
                "shortDescription": { "text": r.message },
                "defaultConfiguration": { "level": level(r.priority) },
                "properties": { "priority": r.priority.as_str(), "tags": [r.priority.as_str()] },
            });
            let mut help = r.message.clone();
            if let Some(why) = &r.why {
                rule["fullDescription"] = json!({ "text": why });
                help.push_str(&format!("\n\n{why}"));
            }
            if let Some(see) = &r.runbook {
                if is_uri(see) {
                    rule["helpUri"] = json!(see);
                }
                help.push_str(&format!("\n\nSee: {see}"));
            }
            rule["help"] = json!({ "text": help });
            rule
        })
        .collect();
    // Findings from rules the report does not describe (built-ins) still need a driver entry.
    for f in &report.findings {
        if !rule_ids.contains(&f.rule.as_str()) {
            rule_ids.push(&f.rule);
            rules.push(json!({
                "id": f.rule,
                "shortDescription": { "text": f.rule },
                "defaultConfiguration": { "level": level(f.priority) },
            }));
        }
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut region = json!({ "startLine": f.line.max(1) });
            let end_line = f.end_line.max(f.line);
            if end_line > f.line || f.end_column > f.column {
                region["startColumn"] = json!(f.column.max(1));
                region["endLine"] = json!(end_line);
                region["endColumn"] = json!(f.end_column.max(1));
            }
            if !f.snippet.is_empty() {
                region["snippet"] = json!({ "text": f.snippet });
            }
            let mut text = f.message.clone();
            if let Some(fix) = &f.fix {
                text.push_str(&format!("\nfix: {fix}"));
            }
            json!({
                "ruleId": f.rule,
                "ruleIndex": rule_ids.iter().position(|r| *r == f.rule).unwrap_or(0),
                "level": level(f.priority),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri_path(&f.path), "uriBaseId": "%SRCROOT%" },
                        "region": region,
                    }
                }],
                "partialFingerprints": { "harnessFingerprint/v1": f.fingerprint },
                "properties": { "priority": f.priority.as_str() },
            })
        })
        .collect();
    let version = if options.tool_version.is_empty() {
        env!("CARGO_PKG_VERSION").to_owned()
    } else {
        options.tool_version.clone()
    };
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "harness",
                    "semanticVersion": version,
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The repository root." } } },
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Percent-encodes what a relative URI reference may not hold as is.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
