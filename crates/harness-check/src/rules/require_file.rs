//! `require-file`: every file in `paths` has a companion, e.g. a snapshot test per component.

use std::path::Path;

use harness_core::rule::RequireFile;

/// The companions that were looked for, when none exists.
pub fn check(m: &RequireFile, root: &Path, path: &str) -> Option<Vec<String>> {
    let candidates: Vec<String> = m.one_of.iter().map(|t| t.render(path)).collect();
    if candidates.iter().any(|c| root.join(c).is_file()) {
        None
    } else {
        Some(candidates)
    }
}

pub fn message(base: &str, missing: &[String]) -> String {
    if missing.len() == 1 {
        format!("{base} (missing {})", missing[0])
    } else {
        format!("{base} (missing one of {})", missing.join(", "))
    }
}

/// Files whose companion `changed` could be: when a companion is added or deleted, its source
/// must be checked again. Looks only in the directory the template names.
pub fn sources_of(m: &RequireFile, root: &Path, changed: &str) -> Vec<String> {
    let mut out = Vec::new();
    for t in m.one_of.iter().filter(|t| t.may_produce(changed)) {
        let Ok(re) = regex::Regex::new(&t.reverse_regex()) else {
            continue;
        };
        let Some(caps) = re.captures(changed) else {
            continue;
        };
        let dir = caps
            .name("dir")
            .map_or("", |d| d.as_str())
            .trim_end_matches('/');
        let stem = caps.name("stem").map(|s| s.as_str());
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let file_stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            if stem.is_none_or(|s| s == file_stem) {
                let rel = if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                };
                if rel != changed && t.render(&rel) == changed {
                    out.push(rel);
                }
            }
        }
    }
    out
}
