//! Choosing and ranking what applies.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use harness_core::guidance::{Guidance, GuidanceKind};
use harness_core::{KnowledgeBase, Priority, Rule};

use crate::{Entry, Reason, Source};

/// What the guidance is for: paths about to be touched, and the task in words.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Repository-relative paths with `/` separators.
    pub paths: Vec<String>,
    pub task: Option<String>,
}

/// Words too common in tasks to select anything.
const STOPWORDS: &[&str] = &[
    "to", "of", "in", "on", "at", "by", "an", "as", "is", "it", "be", "or", "if", "we", "so",
    "the", "and", "for", "with", "that", "this", "from", "into", "add", "fix", "make", "use",
    "when", "all", "are", "not", "new", "our", "its", "then", "than", "should", "must", "can",
    "code", "file", "files", "change", "update", "please",
];

/// The words of `text`, lower-case, plurals folded (`payments` is `payment`).
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.chars().count() >= 3 && !stem.ends_with('s') => stem.to_owned(),
            _ => w,
        })
        .collect()
}

/// Every rule, persona, decision and journey that applies to `request`, best first.
/// `applies` says whether a rule checks a path (its globs, its language, the excluded paths).
pub fn select(
    kb: &KnowledgeBase,
    guidance: &[Guidance],
    request: &Request,
    applies: &dyn Fn(&Rule, &str) -> bool,
) -> Vec<Entry> {
    let task = request.task.as_deref().map(words).unwrap_or_default();
    let mut entries = Vec::new();
    for rule in kb.rules.iter().filter(|r| r.enabled) {
        let reason = path_reason(&request.paths, |p| {
            applies(rule, p).then(|| {
                rule.filter
                    .paths
                    .as_ref()
                    .and_then(|g| g.specificity(p))
                    .unwrap_or(0)
            })
        })
        .or_else(|| {
            let mut own = words(&rule.message);
            own.extend(words(&rule.id));
            task_reason(&task, &own)
        });
        if let Some((reason, specificity)) = reason {
            entries.push(rule_entry(rule, reason, specificity));
        }
    }
    for g in guidance {
        if !g.status.is_current() {
            continue;
        }
        let reason = path_reason(&request.paths, |p| {
            g.applies_to.as_ref().and_then(|globs| globs.specificity(p))
        })
        .or_else(|| {
            let mut own = words(&g.title);
            for tag in &g.tags {
                own.extend(words(tag));
            }
            if let Some(d) = &g.description {
                own.extend(words(d));
            }
            task_reason(&task, &own)
        });
        if let Some((reason, specificity)) = reason {
            entries.push(guidance_entry(g, reason, specificity));
        }
    }
    // Must-fix guidance (P0, P1) first, then the most specific, then the rest by priority.
    entries.sort_by(|a, b| {
        let by_path = |e: &Entry| !matches!(e.reason, Reason::Path { .. });
        let urgent = |e: &Entry| rank(e.priority) > Priority::P1;
        by_path(a)
            .cmp(&by_path(b))
            .then(urgent(a).cmp(&urgent(b)))
            .then(b.specificity.cmp(&a.specificity))
            .then(rank(a.priority).cmp(&rank(b.priority)))
            .then(a.source.cmp(&b.source))
            .then(a.key.cmp(&b.key))
    });
    dedupe(entries)
}

/// Rules that say the same thing (same priority, message, why, fix and runbook, as rules
/// written once per language are) become one entry naming them all.
fn dedupe(entries: Vec<Entry>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for entry in entries {
        let said = (entry.source == Source::Rule)
            .then(|| {
                entry
                    .text
                    .split_once(": ")
                    .map(|(_, rest)| format!("{:?}{rest}", entry.priority))
            })
            .flatten();
        if let Some(&first) = said.as_ref().and_then(|s| seen.get(s)) {
            let kept = &mut out[first];
            let head = format!("rule {}", kept.title);
            kept.text = kept
                .text
                .replacen(&head, &format!("{head}, {}", entry.title), 1);
            kept.title = format!("{}, {}", kept.title, entry.title);
            kept.also.push(entry.key);
        } else {
            if let Some(s) = said {
                seen.insert(s, out.len());
            }
            out.push(entry);
        }
    }
    out
}

/// Guidance without a priority ranks with P2.
fn rank(priority: Option<Priority>) -> Priority {
    priority.unwrap_or(Priority::P2)
}

/// The first path the entry governs, with the specificity of the match.
fn path_reason(
    paths: &[String],
    specificity: impl Fn(&str) -> Option<usize>,
) -> Option<(Reason, usize)> {
    paths
        .iter()
        .filter_map(|p| specificity(p).map(|s| (p, s)))
        .max_by_key(|(_, s)| *s)
        .map(|(p, s)| (Reason::Path { path: p.clone() }, s))
}

fn task_reason(task: &BTreeSet<String>, own: &BTreeSet<String>) -> Option<(Reason, usize)> {
    let shared: Vec<String> = task.intersection(own).cloned().collect();
    (!shared.is_empty()).then_some((Reason::Task { words: shared }, 0))
}

fn rule_entry(rule: &Rule, reason: Reason, specificity: usize) -> Entry {
    let mut text = format!("rule {} ({}): {}\n", rule.id, rule.priority, rule.message);
    for (label, value) in [
        ("why", &rule.why),
        ("fix", &rule.fix),
        ("see", &rule.runbook),
    ] {
        if let Some(v) = value {
            let _ = writeln!(text, "  {label}: {}", one_line(v));
        }
    }
    Entry {
        key: format!("rule:{}", rule.id),
        source: Source::Rule,
        title: rule.id.clone(),
        priority: Some(rule.priority),
        specificity,
        reason,
        text,
        also: Vec::new(),
    }
}

fn guidance_entry(g: &Guidance, reason: Reason, specificity: usize) -> Entry {
    let source = match g.kind {
        GuidanceKind::Persona => Source::Persona,
        GuidanceKind::Adr => Source::Adr,
        GuidanceKind::Journey => Source::Journey,
    };
    let mut text = format!("{} {} ({})", source.label(), g.title, g.path);
    if let Some(d) = &g.description {
        let _ = write!(text, ": {}", one_line(d));
    }
    text.push('\n');
    // A decision is its outcome: its bullets are mostly the options it weighed.
    if g.kind == GuidanceKind::Adr || g.bullets.is_empty() {
        if g.description.is_none()
            && let Some(summary) = summary(&g.body)
        {
            let _ = writeln!(text, "  {}", one_line(summary));
        }
    } else {
        for b in &g.bullets {
            let _ = writeln!(text, "  - {}", one_line(b));
        }
    }
    Entry {
        key: format!("{}:{}", source.label().to_lowercase(), g.path),
        source,
        title: g.title.clone(),
        priority: None,
        specificity,
        reason,
        text,
        also: Vec::new(),
    }
}

/// The first paragraph of the body's decision section (`## Decision`, `## Decision Outcome`),
/// else its first paragraph.
fn summary(body: &str) -> Option<&str> {
    let decision = body.match_indices("\n## ").find_map(|(at, _)| {
        let heading = body[at + 4..].lines().next()?.to_ascii_lowercase();
        heading
            .starts_with("decision")
            .then(|| &body[at + 4 + heading.len()..])
    });
    decision
        .and_then(first_paragraph)
        .or_else(|| first_paragraph(body))
}

fn first_paragraph(text: &str) -> Option<&str> {
    text.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
}

/// Whitespace runs collapsed, cut to 300 characters.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &joined[..at]),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn must_fix_rules_come_before_more_specific_advice() {
        let (kb, guidance) = kb(&[
            ("harness.toml", ""),
            (
                ".harness/rules/r.yml",
                "id: everywhere-p0\npriority: P0\nmessage: never log secrets\nregex:\n  pattern: 'secret'\n---\n\
                 id: db-p3\npriority: P3\nmessage: name queries\npaths: [\"src/db/**\"]\nregex:\n  pattern: 'q'\n",
            ),
        ]);
        let entries = select(
            &kb,
            &guidance,
            &Request {
                paths: vec!["src/db/a.ts".to_owned()],
                task: None,
            },
            &|r, p| r.filter.applies(p),
        );
        assert_eq!(keys(&entries), ["rule:everywhere-p0", "rule:db-p3"]);
    }

    #[test]
    fn rules_that_say_the_same_are_one_entry() {
        let same = "priority: P2\nmessage: no any\nfix: type it\nregex:\n  pattern: 'any'\n";
        let (kb, guidance) = kb(&[
            ("harness.toml", ""),
            (
                ".harness/rules/r.yml",
                &format!(
                    "id: no-any-ts\n{same}---\nid: no-any-tsx\n{same}---\nid: other\npriority: P2\nmessage: no any\nregex:\n  pattern: 'x'\n"
                ),
            ),
        ]);
        let request = Request {
            paths: vec!["src/a.ts".to_owned()],
            task: None,
        };
        let entries = select(&kb, &guidance, &request, &|r, p| r.filter.applies(p));
        assert_eq!(keys(&entries), ["rule:no-any-ts", "rule:other"]);
        assert_eq!(entries[0].also, ["rule:no-any-tsx"]);
        assert!(
            entries[0]
                .text
                .starts_with("rule no-any-ts, no-any-tsx (P2): no any\n")
        );
    }

    fn kb(files: &[(&str, &str)]) -> (KnowledgeBase, Vec<Guidance>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        (
            harness_core::load(dir.path()).unwrap(),
            harness_core::load_guidance(dir.path()).unwrap(),
        )
    }

    fn run(request: &Request) -> Vec<Entry> {
        let (kb, guidance) = repo();
        select(&kb, &guidance, request, &|r, p| r.filter.applies(p))
    }

    fn repo() -> (KnowledgeBase, Vec<Guidance>) {
        kb(&[
            ("harness.toml", ""),
            (
                ".harness/rules/db.yml",
                "id: db-no-raw-sql\npriority: P1\nmessage: raw SQL outside the query layer\nfix: use the query builder\n\
                 paths: [\"src/db/**\"]\nregex:\n  pattern: 'SELECT'\n---\n\
                 id: max-lines\npriority: P3\nmessage: files stay short\nmax-lines:\n  max: 500\n",
            ),
            (
                ".harness/personas/reliability.md",
                "---\nname: reliability\ndescription: failure modes\napplies_to: [\"src/**\"]\n---\n- Every call has a timeout\n",
            ),
            (
                "docs/adr/0001-postgres.md",
                "---\nstatus: accepted\napplies_to: [\"src/db/**\"]\ntags: [database]\n---\n# Use Postgres\n\nAll data lives in Postgres.\n",
            ),
            (
                "docs/adr/0002-mysql.md",
                "---\nstatus: superseded\napplies_to: [\"src/db/**\"]\n---\n# Use MySQL\n",
            ),
            (
                "docs/journeys/checkout.md",
                "---\ntags: [payments, checkout, apple-pay]\n---\n# Checkout\n\n- A card decline shows a retry\n",
            ),
        ])
    }

    fn keys(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.key.as_str()).collect()
    }

    #[test]
    fn the_most_specific_guidance_comes_first() {
        let entries = run(&Request {
            paths: vec!["src/db/users.ts".to_owned()],
            task: None,
        });
        assert_eq!(
            keys(&entries),
            [
                "rule:db-no-raw-sql",
                "adr:docs/adr/0001-postgres.md",
                "persona:.harness/personas/reliability.md",
                "rule:max-lines",
            ]
        );
        assert!(entries[0].text.contains("fix: use the query builder"));
    }

    #[test]
    fn a_task_selects_by_title_and_tags() {
        let entries = run(&Request {
            paths: vec![],
            task: Some("Take card payment with Apple Pay at checkout".to_owned()),
        });
        assert_eq!(keys(&entries), ["journey:docs/journeys/checkout.md"]);
        assert_eq!(
            entries[0].reason,
            Reason::Task {
                words: ["apple", "checkout", "pay", "payment"]
                    .map(str::to_owned)
                    .to_vec()
            }
        );
    }

    #[test]
    fn a_decision_shows_its_outcome() {
        let body = "# Use Postgres\n\n## Context\n\nWe need a store.\n\n## Considered Options\n\n- MySQL\n- Postgres\n\n## Decision Outcome\n\nChosen option: Postgres, because we know it.\n";
        assert_eq!(
            summary(body),
            Some("Chosen option: Postgres, because we know it.")
        );
        assert_eq!(summary("# T\n\nFirst.\n\nSecond.\n"), Some("First."));
    }

    #[test]
    fn nothing_outside_the_paths() {
        let entries = run(&Request {
            paths: vec!["README.md".to_owned()],
            task: None,
        });
        assert_eq!(keys(&entries), ["rule:max-lines"]);
    }
}
