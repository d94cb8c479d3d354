//! The short map given at session start and after compaction: the AGENTS.md procedure and
//! where the rest of the knowledge lives.

use std::fmt::Write as _;
use std::path::Path;

use harness_core::guidance::{Guidance, GuidanceKind};
use harness_core::{KnowledgeBase, Priority};

/// The most bytes of AGENTS.md's procedure repeated in the map.
const PROCEDURE_BYTES: usize = 1_500;

/// `before_edit`: whether the agent takes guidance before an edit (Gemini CLI gets it when it
/// reads a file, or with the check after it writes one).
pub fn session_map(
    kb: &KnowledgeBase,
    guidance: &[Guidance],
    compacted: bool,
    before_edit: bool,
) -> String {
    let mut out = String::from("harness: this repository's guardrails reach you through hooks.\n");
    if compacted {
        out.push_str(
            "Your context was compacted: guidance given earlier will be given again before \
             you next edit each file.\n",
        );
    }
    match procedure(&kb.root) {
        Some(steps) => {
            out.push_str("Procedure (AGENTS.md):\n");
            out.push_str(&steps);
        }
        None if kb.root.join("AGENTS.md").is_file() => {
            out.push_str("Read AGENTS.md first: it is the procedure every session follows.\n");
        }
        None => {}
    }
    let count = |k: GuidanceKind| guidance.iter().filter(|g| g.kind == k).count();
    let mut parts = vec![plural(kb.rules.len(), "rule", ".harness/rules")];
    for (kind, noun, place) in [
        (
            GuidanceKind::Persona,
            "reviewer persona",
            ".harness/personas",
        ),
        (GuidanceKind::Adr, "decision", "docs/adr"),
        (GuidanceKind::Journey, "user journey", "docs/journeys"),
    ] {
        let n = count(kind);
        if n > 0 {
            parts.push(plural(n, noun, place));
        }
    }
    let _ = writeln!(out, "Knowledge: {}.", parts.join(", "));
    let block_at = kb.config.policy.block_at;
    let when = if before_edit {
        "Before you edit a file you are given the guidance for it"
    } else {
        "When you read a file, or at the latest after you write it, you are given the guidance for it"
    };
    let first = if block_at == Priority::P0 {
        ""
    } else {
        " (P0 first)"
    };
    let _ = writeln!(
        out,
        "{when}; after each edit `harness check` runs on it; findings at {block_at} or worse{first} \
         must be fixed before you finish."
    );
    out.push_str(
        "More: `harness context --path FILE`, `harness explain RULE-ID`, `harness check --changed`.\n",
    );
    out
}

fn plural(n: usize, noun: &str, place: &str) -> String {
    format!("{n} {noun}{} ({place})", if n == 1 { "" } else { "s" })
}

/// The first numbered list in AGENTS.md, with its continuation lines, bounded.
fn procedure(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("AGENTS.md")).ok()?;
    let mut out = String::new();
    let mut started = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let numbered = trimmed.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && rest.starts_with(' ')
        });
        let continuation = started && !trimmed.is_empty() && line.starts_with([' ', '\t']);
        if numbered || continuation {
            started = true;
            if out.len() + line.len() + 1 > PROCEDURE_BYTES {
                out.push_str("(the rest is in AGENTS.md)\n");
                break;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        } else if started {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}
