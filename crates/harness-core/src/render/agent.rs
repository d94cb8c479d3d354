//! The agent format: the product's voice to coding agents (DESIGN.md §4).
//!
//! Verdict line first; most severe first; each finding one line, with `fix:` and `see:` once per
//! rule; repeats of a rule grouped; a hard byte bound that never cuts the verdict and ends with
//! the command that shows the rest.

use super::{RenderOptions, Report, plural};
use crate::Finding;

const MAX_LINE_CHARS: usize = 240;

pub(super) fn render(report: &Report, options: &RenderOptions) -> String {
    let verdict = report.verdict();
    // Each block is some lines of output and how many findings it stands for.
    let mut blocks: Vec<(String, usize)> = Vec::new();
    let mut hidden_in_groups = false;
    for group in groups(&report.findings) {
        let shown = group.len().min(options.group_after.max(1));
        for (i, f) in group.iter().take(shown).enumerate() {
            let mut block = format!(
                "{}:{}  {} {}  {}",
                f.path,
                f.line,
                f.priority,
                f.rule,
                clip(first_line(&f.message))
            );
            if i == 0 {
                if let Some(fix) = &f.fix {
                    block.push_str(&format!("\n  fix: {}", clip(first_line(fix))));
                }
                if let Some(see) = &f.runbook {
                    block.push_str(&format!("\n  see: {}", clip(first_line(see))));
                }
            }
            blocks.push((block, 1));
        }
        if group.len() > shown {
            hidden_in_groups = true;
            let rest = &group[shown..];
            let mut line = format!("  … and {} more", rest.len());
            if let Some(prefix) = common_dir(rest) {
                line.push_str(&format!(" in {prefix}/**"));
            }
            blocks.push((line, rest.len()));
        }
    }
    let total_blocks = blocks.len();
    // Findings behind the blocks from `i` on.
    let mut hidden_from = vec![0usize; total_blocks + 1];
    for i in (0..total_blocks).rev() {
        hidden_from[i] = hidden_from[i + 1] + blocks[i].1;
    }
    let trailer_for = |first_hidden: usize| {
        let omitted = hidden_from[first_hidden];
        if omitted > 0 {
            format!(
                "… {omitted} more {} not shown; see all: {}",
                plural(omitted, "finding", "findings"),
                options.rest_command
            )
        } else if hidden_in_groups {
            format!("see all: {}", options.rest_command)
        } else {
            String::new()
        }
    };
    let mut out = verdict;
    let mut used = 0usize;
    for (i, (block, _)) in blocks.iter().enumerate() {
        let trailer = trailer_for(i + 1);
        let would_be = out.len() + 1 + block.len() + 1 + trailer.len();
        let fits = options.max_bytes == 0 || would_be <= options.max_bytes;
        if !fits {
            break;
        }
        out.push('\n');
        out.push_str(block);
        used += 1;
    }
    let trailer = trailer_for(used);
    if !trailer.is_empty() {
        if options.max_bytes != 0 && out.len() + 1 + trailer.len() > options.max_bytes {
            // Only the verdict is guaranteed; keep the trailer short enough to fit if possible.
            let short = format!("see all: {}", options.rest_command);
            if out.len() + 1 + short.len() <= options.max_bytes {
                out.push('\n');
                out.push_str(&short);
            }
        } else {
            out.push('\n');
            out.push_str(&trailer);
        }
    }
    out.push('\n');
    out
}

/// Findings of one rule, in report order; groups ordered by their most severe member.
fn groups(findings: &[Finding]) -> Vec<Vec<&Finding>> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_rule: std::collections::HashMap<&str, Vec<&Finding>> =
        std::collections::HashMap::new();
    for f in findings {
        let entry = by_rule.entry(f.rule.as_str()).or_default();
        if entry.is_empty() {
            order.push(f.rule.as_str());
        }
        entry.push(f);
    }
    order
        .into_iter()
        .filter_map(|r| by_rule.remove(r))
        .collect()
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default().trim()
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_LINE_CHARS {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(MAX_LINE_CHARS - 1).collect();
    out.push('…');
    out
}

/// The deepest directory holding every path, if any.
fn common_dir(findings: &[&Finding]) -> Option<String> {
    let mut prefix: Option<Vec<&str>> = None;
    for f in findings {
        let dirs: Vec<&str> = f.path.split('/').collect();
        let dirs = &dirs[..dirs.len().saturating_sub(1)];
        prefix = Some(match prefix {
            None => dirs.to_vec(),
            Some(p) => p
                .iter()
                .zip(dirs)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    prefix.filter(|p| !p.is_empty()).map(|p| p.join("/"))
}
