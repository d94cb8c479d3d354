//! Guidance for the files an agent is about to touch, given once per session.

use harness_context::{Request, fit_text_with, render_text, select, total_tokens_with};
use harness_core::guidance::Guidance;
use harness_core::render::shell_word;
use serde_json::json;

use super::Session;
use super::text::bound;
use crate::memory::kind;
use crate::tokens::TokenCache;

/// Personas, decisions and journeys; a broken one leaves them out, with a note, rather than
/// costing the agent its rules.
pub fn documents(s: &Session) -> Vec<Guidance> {
    harness_core::load_guidance(s.root).unwrap_or_else(|e| {
        let first = e.to_string().lines().next().unwrap_or_default().to_owned();
        s.note(&format!(
            "personas, decisions and journeys left out: {first}"
        ));
        Vec::new()
    })
}

/// The guidance for `rels` not given yet in this session, fitted to `hooks.context_budget`
/// tokens and to `limit` bytes; recorded as given.
pub fn give(s: &mut Session, rels: &[String], limit: usize) -> Result<Option<String>, String> {
    if rels.is_empty() {
        return Ok(None);
    }
    let given = s.memory_of(Some(&[kind::CONTEXT, kind::REARM])).given;
    let docs = documents(s);
    let configured = s.config.hooks.context_budget.max(100);
    let kb = s.kb()?;
    let applies = harness_check::rule_applies(kb);
    let request = Request {
        paths: rels.to_vec(),
        task: None,
    };
    let entries: Vec<_> = select(kb, &docs, &request, &applies)
        .into_iter()
        .filter(|e| !given.contains(&e.key))
        .collect();
    if entries.is_empty() {
        // Nothing given is not recorded: a long session would read it back on every call.
        return Ok(None);
    }
    let subject = harness_context::subject(rels, None);
    let tokens = TokenCache::open(s.root);
    let count = |text: &str| tokens.count(text);
    let all = total_tokens_with(&entries, &count) + 200;
    let mut see_all = String::from("harness context");
    for r in rels {
        see_all.push_str(&format!(" --path {}", shell_word(r)));
    }
    see_all.push_str(&format!(" --budget {}", all.div_ceil(1000) * 1000));
    // The configured budget, made smaller while the text is over the agent's limit.
    let mut budget = configured;
    let (mut fitted, mut text) = loop {
        let (fitted, text) = fit_text_with(
            entries.clone(),
            budget,
            &|f| render_text(f, &subject, &see_all),
            &count,
        );
        if text.len() <= limit || budget <= 100 {
            break (fitted, text);
        }
        budget = budget * limit / text.len() * 9 / 10;
    };
    if budget != configured {
        // Say the budget the team set, not the one the agent's limit forced.
        fitted.budget = configured;
        text = render_text(&fitted, &subject, &see_all);
    }
    tokens.save();
    let text = bound(&text, limit);
    // Only what the agent actually reads counts as given.
    let keys: Vec<&str> = fitted
        .included
        .iter()
        .filter(|e| text.contains(e.text.lines().next().unwrap_or_default()))
        .flat_map(|e| std::iter::once(&e.key).chain(&e.also))
        .map(String::as_str)
        .collect();
    s.record(
        kind::CONTEXT,
        json!({ "paths": rels, "keys": keys, "left_out": fitted.left_out.len() }),
    );
    Ok(Some(text))
}
