//! `harness explain <rule-id>`.

use std::io::Write;

use harness_core::rule::Matcher;

use super::{Failure, load};
use crate::args::{Cli, ExplainArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &ExplainArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if let Some(b) = harness_check::builtin::find(&args.rule) {
        let _ = writeln!(
            out,
            "{} ({}, built in)\n\n{}\n\n{}",
            b.id,
            b.priority,
            b.message,
            b.doc.trim_end()
        );
        return Ok(exit::CLEAN);
    }
    let kb = load(cli)?;
    let Some(rule) = kb.rule(&args.rule) else {
        let mut ids: Vec<&str> = kb.rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let close: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| id.contains(&args.rule) || args.rule.contains(id))
            .take(5)
            .collect();
        let hint = if close.is_empty() {
            format!("known rules: {}", ids.join(", "))
        } else {
            format!("did you mean {}?", close.join(", "))
        };
        return Err(Failure::new(
            &format!("unknown rule `{}`", args.rule),
            &hint,
        ));
    };
    let state = if rule.enabled { "" } else { ", off" };
    let mut text = format!(
        "{} ({}, {}{state})\n\n{}\n",
        rule.id,
        rule.priority,
        rule.matcher.kind(),
        rule.message
    );
    if let Some(why) = &rule.why {
        text.push_str(&format!("\nwhy: {}\n", why.trim_end()));
    }
    if let Some(fix) = &rule.fix {
        text.push_str(&format!("fix: {}\n", fix.trim_end()));
    }
    if let Some(see) = &rule.runbook {
        text.push_str(&format!("see: {see}\n"));
    }
    text.push('\n');
    match &rule.filter.paths {
        Some(p) => text.push_str(&format!("applies to: {}\n", p.patterns.join(", "))),
        None => text.push_str("applies to: every file\n"),
    }
    if let Some(i) = &rule.filter.ignores {
        text.push_str(&format!("except: {}\n", i.patterns.join(", ")));
    }
    text.push_str(&format!("matcher: {}\n", describe(&rule.matcher)));
    text.push_str(&format!("defined at: {}\n", rule.origin));
    let _ = out.write_all(text.as_bytes());
    Ok(exit::CLEAN)
}

fn describe(m: &Matcher) -> String {
    match m {
        Matcher::MaxLines(s) => format!(
            "more than {} {}",
            s.max,
            if s.code_only { "code lines" } else { "lines" }
        ),
        Matcher::RequireFile(r) => format!(
            "needs one of {}",
            r.one_of
                .iter()
                .map(|t| t.source.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Matcher::ForbidImport(f) => format!("may not import {}", f.from.patterns.join(", ")),
        Matcher::Regex(r) => format!(
            "regex {}{}",
            r.regex.as_str(),
            if r.multiline { " (multiline)" } else { "" }
        ),
        Matcher::Ast(a) => format!(
            "ast-grep ({}): {}",
            a.language,
            a.config
                .get("rule")
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
    }
}
