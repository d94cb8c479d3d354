//! Which files a rule or a document governs, in the glob syntax Cursor and Copilot read.
//!
//! What those tools match (from their documentation and VS Code's source):
//! - Cursor's `globs` and Copilot's `applyTo` are one string of comma-separated globs,
//!   relative to the repository root; `*` stays within a folder, `**` spans folders.
//! - Neither has an exclusion: no `!pattern`, no ignore list. `[!x]` negates one character only.
//! - Copilot in VS Code splits `applyTo` at commas outside `{}`/`[]` and supports `{a,b}`;
//!   Cursor is reported not to, so alternatives are spelled out as separate globs and no
//!   comma is left inside a glob.
//! - VS Code prefixes a glob that does not start with `**/` with `**/` and ignores case, so
//!   there a scoped file may attach to more files (a `src` folder at any depth), never fewer.
//!
//! harness globs (see `harness_core::glob`) differ in one way: a glob without `/` matches at
//! any depth, so `*.ts` becomes `**/*.ts`. Rules from ast-grep projects keep ast-grep's globs,
//! where `*` also crosses `/`: such a `*` becomes `**/*` at the start of a segment, else two
//! globs, one with `*` and one with `*/**/*`.

use harness_core::glob::{Flavor, Globs};
use harness_core::rule::PathFilter;

/// Where a rule or document applies, as far as the consumers' globs can say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Where {
    /// Every file.
    Everywhere,
    /// Exactly the files these globs match (sorted, without duplicates).
    Globs(Vec<String>),
    /// Some files the consumers' globs cannot name; these are the globs as written.
    Unexpressed(Vec<String>),
    /// No file at all (every path glob is inside an ignored folder).
    Nowhere,
}

/// A rule's scope: where it applies, and the ignores that scope could not leave out, as
/// written, to be stated in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Scope {
    pub at: Where,
    pub exceptions: Vec<String>,
}

/// The scope of a rule's `paths` and `ignores`.
pub(crate) fn of_rule(filter: &PathFilter) -> Scope {
    let written = |g: &Option<Globs>| g.as_ref().map(|g| g.patterns.clone()).unwrap_or_default();
    let all_ignores = written(&filter.ignores);
    let Some(paths) = &filter.paths else {
        return Scope {
            at: Where::Everywhere,
            exceptions: all_ignores,
        };
    };
    let Some(mut globs) = translate(paths) else {
        return Scope {
            at: Where::Unexpressed(paths.patterns.clone()),
            exceptions: all_ignores,
        };
    };
    if globs.iter().any(|g| is_everything(g)) {
        return Scope {
            at: Where::Everywhere,
            exceptions: all_ignores,
        };
    }
    let mut exceptions = Vec::new();
    if let Some(ignores) = &filter.ignores {
        let translated: Vec<(String, Option<Vec<String>>)> = ignores
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), translate_one(ignores, i)))
            .collect();
        // A path glob inside an ignored folder names nothing the rule checks.
        globs.retain(|g| {
            !translated
                .iter()
                .filter_map(|(_, t)| t.as_ref())
                .flatten()
                .any(|ignore| covers(ignore, g))
        });
        if globs.is_empty() {
            return Scope {
                at: Where::Nowhere,
                exceptions: Vec::new(),
            };
        }
        for (written, t) in translated {
            let disjoint = t.is_some_and(|t| {
                t.iter()
                    .all(|ignore| globs.iter().all(|g| disjoint(ignore, g)))
            });
            if !disjoint {
                exceptions.push(written);
            }
        }
    }
    Scope {
        at: Where::Globs(globs),
        exceptions,
    }
}

/// The scope of a document's `applies_to`; `None` when it has none.
pub(crate) fn of_guidance(applies_to: Option<&Globs>) -> Option<Where> {
    let globs = applies_to?;
    Some(match translate(globs) {
        None => Where::Unexpressed(globs.patterns.clone()),
        Some(t) if t.iter().any(|g| is_everything(g)) => Where::Everywhere,
        Some(t) => Where::Globs(t),
    })
}

/// `**`, `**/*`, `**/**`...: every file at any depth.
fn is_everything(glob: &str) -> bool {
    let segments: Vec<&str> = glob.split('/').collect();
    match segments.split_last() {
        Some((&"**", rest)) => rest.iter().all(|s| *s == "**"),
        Some((&"*", rest)) => !rest.is_empty() && rest.iter().all(|s| *s == "**"),
        _ => false,
    }
}

/// Every glob of the set in the consumers' syntax, matching the same files; `None` when one
/// cannot be expressed.
pub(crate) fn translate(globs: &Globs) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for i in 0..globs.patterns.len() {
        out.extend(translate_one(globs, i)?);
    }
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

fn translate_one(globs: &Globs, i: usize) -> Option<Vec<String>> {
    let pattern = globs.patterns.get(i)?;
    match globs.flavor() {
        Flavor::Harness => harness_glob(pattern),
        Flavor::AstGrep(case_insensitive) => {
            astgrep_glob(pattern, case_insensitive.get(i).copied().unwrap_or(true))
        }
    }
}

/// A harness glob: rooted as `harness_core::glob::compile` roots it, alternatives spelled out.
pub(crate) fn harness_glob(pattern: &str) -> Option<Vec<String>> {
    let p = pattern.strip_prefix("./").unwrap_or(pattern);
    let p = p.strip_prefix('/').unwrap_or(p);
    let rooted = if p.contains('/') {
        p.to_owned()
    } else {
        format!("**/{p}")
    };
    let expanded = expand_braces(&rooted)?;
    expanded.iter().all(|g| plain(g)).then_some(expanded)
}

/// An ast-grep glob (globset's defaults: `*`, `?` and classes cross `/`). Only `*` is
/// translated; `?`, classes and case-insensitive globs are left unexpressed.
pub(crate) fn astgrep_glob(pattern: &str, case_insensitive: bool) -> Option<Vec<String>> {
    if case_insensitive || pattern.starts_with("./") || pattern.starts_with('/') {
        return None;
    }
    let mut out = Vec::new();
    for g in expand_braces(pattern)? {
        if g.contains(['?', '[']) || !plain(&g) {
            return None;
        }
        out.extend(crossing_stars(&g)?);
    }
    Some(out)
}

/// `g` with each `*` that may cross `/` (every run of stars but a whole `**` segment) written
/// as the two ways it can match: within one folder (`*`) or across folders (`*/**/*`).
fn crossing_stars(g: &str) -> Option<Vec<String>> {
    const MAX: usize = 16;
    let bytes = g.as_bytes();
    let mut out = vec![String::new()];
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'*' {
            let next = g[i..].find('*').map_or(g.len(), |n| i + n);
            for o in &mut out {
                o.push_str(&g[i..next]);
            }
            i = next;
            continue;
        }
        let end = g[i..].find(|c| c != '*').map_or(g.len(), |n| i + n);
        let segment = end - i == 2
            && (i == 0 || bytes[i - 1] == b'/')
            && (end == bytes.len() || bytes[end] == b'/');
        if segment {
            for o in &mut out {
                o.push_str("**");
            }
        } else if i == 0 || bytes[i - 1] == b'/' {
            // At the start of a segment, the two ways together are `**/*`.
            for o in &mut out {
                o.push_str("**/*");
            }
        } else {
            out = out
                .into_iter()
                .flat_map(|o| [format!("{o}*"), format!("{o}*/**/*")])
                .collect();
            if out.len() > MAX {
                return None;
            }
        }
        i = end;
    }
    Some(out)
}

/// A glob both consumers read as harness does: no escapes, no literal comma (it would split
/// the list), no leading `!` (read as a negation by some), no class naming `/`, no spaces at
/// the ends (trimmed away).
fn plain(g: &str) -> bool {
    !g.is_empty()
        && !g.contains(['\\', ',', '{', '}'])
        && !g.starts_with('!')
        && g.trim() == g
        && !class_has_slash(g)
}

fn class_has_slash(g: &str) -> bool {
    let chars: Vec<char> = g.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            match class_end(&chars, i) {
                Some(end) => {
                    if chars[i..end].contains(&'/') {
                        return true;
                    }
                    i = end;
                }
                None => return true,
            }
        }
        i += 1;
    }
    false
}

/// The index of the `]` closing the class that opens at `open`.
fn class_end(chars: &[char], open: usize) -> Option<usize> {
    let mut i = open + 1;
    if matches!(chars.get(i), Some('!' | '^')) {
        i += 1;
    }
    // A `]` first in a class is a literal.
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while i < chars.len() {
        if chars[i] == ']' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `{a,b}` alternatives (nested too) spelled out: `src/*.{ts,tsx}` is `src/*.ts` and
/// `src/*.tsx`. Empty alternatives are dropped, as globset never matches them. `None` when a
/// brace is unbalanced, a group has nothing left, or there would be too many globs.
pub(crate) fn expand_braces(glob: &str) -> Option<Vec<String>> {
    const MAX: usize = 64;
    let chars: Vec<char> = glob.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => i = class_end(&chars, i)?,
            '}' => return None,
            '{' => {
                let (branches, close) = branches(&chars, i)?;
                let prefix: String = chars[..i].iter().collect();
                let suffix: String = chars[close + 1..].iter().collect();
                let mut out = Vec::new();
                for branch in branches.iter().filter(|b| !b.is_empty()) {
                    out.extend(expand_braces(&format!("{prefix}{branch}{suffix}"))?);
                    if out.len() > MAX {
                        return None;
                    }
                }
                return (!out.is_empty()).then_some(out);
            }
            _ => {}
        }
        i += 1;
    }
    Some(vec![glob.to_owned()])
}

/// The top-level branches of the group opening at `open`, and where it closes.
fn branches(chars: &[char], open: usize) -> Option<(Vec<String>, usize)> {
    let mut depth = 0;
    let mut branches = vec![String::new()];
    let mut i = open + 1;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let last = branches.last_mut()?;
                last.push(c);
                last.push(*chars.get(i + 1)?);
                i += 2;
                continue;
            }
            '[' => {
                let end = class_end(chars, i)?;
                branches.last_mut()?.extend(&chars[i..=end]);
                i = end + 1;
                continue;
            }
            '{' => depth += 1,
            '}' if depth == 0 => return Some((branches, i)),
            '}' => depth -= 1,
            ',' if depth == 0 => {
                branches.push(String::new());
                i += 1;
                continue;
            }
            _ => {}
        }
        branches.last_mut()?.push(c);
        i += 1;
    }
    None
}

/// The text every path a glob matches starts with.
fn literal_prefix(glob: &str) -> &str {
    &glob[..glob.find(['*', '?', '[', '{', '\\']).unwrap_or(glob.len())]
}

/// No path matches both: their literal prefixes part ways.
fn disjoint(a: &str, b: &str) -> bool {
    let (a, b) = (literal_prefix(a), literal_prefix(b));
    !a.starts_with(b) && !b.starts_with(a)
}

/// Every path `glob` matches is inside the folder `ignore` (`dir/**`) leaves out.
fn covers(ignore: &str, glob: &str) -> bool {
    ignore.strip_suffix("/**").is_some_and(|dir| {
        literal_prefix(dir) == dir && literal_prefix(glob).starts_with(&format!("{dir}/"))
    })
}

/// A file-name stem for a scope: its globs' words, each once, joined by `-` (`src/api/**` is
/// `src-api`), `root` when they have none; and whether it was cut short.
pub(crate) fn stem(globs: &[String]) -> (String, bool) {
    const MAX: usize = 48;
    let joined = globs.join("-").to_ascii_lowercase();
    let mut words: Vec<&str> = Vec::new();
    for word in joined.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() && !words.contains(&word) {
            words.push(word);
        }
    }
    let mut out = words.join("-");
    let cut = out.len() > MAX;
    if cut {
        let at = out[..MAX].rfind('-').unwrap_or(MAX);
        out.truncate(at);
    }
    if out.is_empty() {
        "root".clone_into(&mut out);
    }
    (out, cut)
}

/// A short stable hash (FNV-1a, 32 bits) that tells apart scopes whose stems are equal.
pub(crate) fn short_hash(globs: &[String]) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in globs.join(",").bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}")
}

#[cfg(test)]
mod tests;
