//! Which shell commands policy denies: the built-in dangerous ones (force pushes, recursive
//! deletes reaching outside the repository, writes to protected paths) and the team's own
//! patterns from `[[hooks.deny]]`.
//!
//! The command is split the way a POSIX shell would split simple commands (quotes, `;`, `&&`,
//! `||`, `|`, redirections), without expanding anything; a path the shell would expand from a
//! variable cannot be judged, so a recursive delete of one is denied too.

use std::path::{Component, Path, PathBuf};

use harness_core::glob::Globs;
use regex::Regex;

/// What may not run.
pub struct ShellPolicy {
    pub builtin: bool,
    pub protected: Globs,
    pub deny: Vec<(Regex, String)>,
}

/// Where the command runs.
pub struct Place<'a> {
    pub root: &'a Path,
    pub cwd: &'a Path,
    pub home: Option<&'a Path>,
}

/// The reason `command` is denied, if it is.
pub fn denied(command: &str, policy: &ShellPolicy, place: &Place) -> Option<String> {
    for (pattern, reason) in &policy.deny {
        if pattern.is_match(command) {
            return Some(reason.clone());
        }
    }
    if !policy.builtin {
        return None;
    }
    let here = Here {
        root: place.root,
        cwd: Some(place.cwd.to_path_buf()),
        home: place.home,
    };
    builtin_in(command, policy, here, 0)
}

/// Where a simple command runs: the working directory changes with `cd`, and is unknown after
/// a `cd` harness cannot follow.
struct Here<'a> {
    root: &'a Path,
    cwd: Option<PathBuf>,
    home: Option<&'a Path>,
}

fn builtin_in(command: &str, policy: &ShellPolicy, mut here: Here, depth: usize) -> Option<String> {
    for simple in split(command) {
        let words = strip_prefixes(&simple.words);
        let name = words.first().map_or("", |w| command_name(w));
        if matches!(name, "cd" | "pushd") {
            let target = words.get(1).map_or("~", String::as_str);
            here.cwd = if target == "-" {
                None
            } else {
                resolve(target, &here)
            };
            continue;
        }
        let script = words
            .iter()
            .position(|w| w == "-c")
            .and_then(|i| words.get(i + 1))
            .filter(|_| matches!(name, "sh" | "bash" | "zsh" | "dash") && depth < 3);
        if let Some(script) = script {
            let inner = Here {
                root: here.root,
                cwd: here.cwd.clone(),
                home: here.home,
            };
            if let Some(reason) = builtin_in(script, policy, inner, depth + 1) {
                return Some(reason);
            }
        }
        if let Some(reason) = builtin(&simple, policy, &here) {
            return Some(reason);
        }
    }
    None
}

/// `/usr/bin/rm` is `rm`.
fn command_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The path a file tool is about to write is protected.
pub fn protected_path(rel: &str, policy: &ShellPolicy) -> Option<String> {
    policy
        .protected
        .is_match(rel)
        .then(|| protected_path_text(rel))
}

fn protected_path_text(rel: &str) -> String {
    format!(
        "{rel} is protected (`hooks.protected` in harness.toml): agents may not write it. \
         Leave it alone, or ask a person to change it."
    )
}

/// One simple command: its words and the targets of its output redirections.
#[derive(Debug, Default, PartialEq, Eq)]
struct Simple {
    words: Vec<String>,
    redirects: Vec<String>,
}

fn builtin(simple: &Simple, policy: &ShellPolicy, place: &Here) -> Option<String> {
    let words = strip_prefixes(&simple.words);
    let mut written: Vec<&str> = simple.redirects.iter().map(String::as_str).collect();
    let args = |from: usize| {
        words
            .iter()
            .skip(from)
            .filter(|w| !w.starts_with('-'))
            .map(String::as_str)
    };
    match words.first().map(|w| command_name(w)) {
        Some("git") => return force_push(words),
        Some("rm") => {
            if let Some(reason) = recursive_delete(words, place) {
                return Some(reason);
            }
            written.extend(args(1));
        }
        Some("mv" | "tee" | "touch" | "truncate") => written.extend(args(1)),
        Some("cp" | "install" | "ln") => written.extend(args(1).next_back()),
        Some("sed") if words.iter().any(|w| w == "-i" || w.starts_with("-i")) => {
            written.extend(args(1).skip(1));
        }
        _ => {}
    }
    written.into_iter().find_map(|target| {
        let abs = resolve(target, place)?;
        let rel = abs.strip_prefix(place.root).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        // A directory target (`cp x dir/`, `rm -r dir`) writes what is inside it.
        protected_path(&rel, policy).or_else(|| {
            protected_path(&format!("{rel}/-"), policy).map(|_| protected_path_text(&rel))
        })
    })
}

/// Words after leading variable assignments and wrappers such as `sudo -u x`, `env`,
/// `timeout 10` or `nice -n 5`.
fn strip_prefixes(words: &[String]) -> &[String] {
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let assignment = w.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let wrapper = command_name(w);
        if assignment {
            i += 1;
        } else if matches!(
            wrapper,
            "sudo" | "env" | "command" | "nohup" | "time" | "exec" | "timeout" | "nice" | "xargs"
        ) {
            i += 1;
            // The wrapper's own options, and the ones that take a value.
            while let Some(opt) = words.get(i).filter(|o| o.starts_with('-')) {
                i += 1;
                if matches!(
                    opt.as_str(),
                    "-u" | "-g" | "-n" | "-s" | "-k" | "-C" | "-p" | "-D"
                ) {
                    i += 1;
                }
            }
            if wrapper == "timeout" {
                i += 1;
            }
        } else {
            break;
        }
    }
    &words[i.min(words.len())..]
}

fn force_push(words: &[String]) -> Option<String> {
    // `git [-C dir] [-c k=v] push ...`
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w == "-C" || w == "-c" {
            i += 2;
        } else if w.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    if words.get(i).map(String::as_str) != Some("push") {
        return None;
    }
    let force = words[i + 1..].iter().any(|w| {
        w == "--force"
            || w.starts_with("--force=")
            || (w.starts_with('-') && !w.starts_with("--") && w.contains('f'))
            || (w.starts_with('+') && w.len() > 1)
    });
    force.then(|| {
        "force-pushing rewrites history others may already have. Push new commits instead; \
         to replace your own branch, use `git push --force-with-lease`."
            .to_owned()
    })
}

fn recursive_delete(words: &[String], place: &Here) -> Option<String> {
    let mut recursive = false;
    let mut targets = Vec::new();
    let mut options_done = false;
    for w in &words[1..] {
        if !options_done && w == "--" {
            options_done = true;
        } else if !options_done && w.starts_with("--") {
            recursive |= w == "--recursive";
        } else if !options_done && w.starts_with('-') && w.len() > 1 {
            recursive |= w.contains('r') || w.contains('R');
        } else {
            targets.push(w.as_str());
        }
    }
    if !recursive {
        return None;
    }
    for target in targets {
        let Some(abs) = resolve(target, place) else {
            return Some(format!(
                "`rm -r {target}`: harness cannot tell where `{target}` points, so it may reach \
                 outside the repository. Delete explicit paths inside the repository."
            ));
        };
        if abs == place.root || !abs.starts_with(place.root) {
            return Some(format!(
                "`rm -r {target}` reaches outside the repository ({}) or deletes all of it. \
                 Delete only explicit paths inside the repository.",
                place.root.display()
            ));
        }
    }
    None
}

/// The absolute, lexically normalised path of a shell word, or `None` when it depends on an
/// expansion harness does not do.
fn resolve(word: &str, place: &Here) -> Option<PathBuf> {
    let (base, rest): (PathBuf, &str) = if word == "~" {
        (place.home?.to_path_buf(), "")
    } else if let Some(rest) = word.strip_prefix("~/") {
        (place.home?.to_path_buf(), rest)
    } else if let Some(rest) = word
        .strip_prefix("$HOME")
        .or_else(|| word.strip_prefix("${HOME}"))
    {
        (place.home?.to_path_buf(), rest.trim_start_matches('/'))
    } else if word.starts_with('/') {
        (PathBuf::from("/"), word)
    } else {
        (place.cwd.clone()?, word)
    };
    if rest.contains('$') || rest.contains('`') || rest.starts_with('~') {
        return None;
    }
    let mut out = PathBuf::new();
    for part in base.join(rest).components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Splits a command line into simple commands, with quotes removed.
fn split(command: &str) -> Vec<Simple> {
    let mut out = vec![Simple::default()];
    let mut word = String::new();
    let mut in_word = false;
    let mut redirect = false;
    let mut chars = command.chars().peekable();
    let finish =
        |word: &mut String, in_word: &mut bool, redirect: &mut bool, out: &mut Vec<Simple>| {
            if *in_word {
                let last = out.last_mut().expect("never empty");
                if *redirect {
                    last.redirects.push(std::mem::take(word));
                    *redirect = false;
                } else {
                    last.words.push(std::mem::take(word));
                }
                *in_word = false;
            }
        };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next().filter(|n| *n != '\n') {
                    word.push(n);
                }
            }
            ' ' | '\t' | '<' => finish(&mut word, &mut in_word, &mut redirect, &mut out),
            ';' | '&' | '|' | '\n' | '(' | ')' => {
                finish(&mut word, &mut in_word, &mut redirect, &mut out);
                if c == '&' && chars.peek() == Some(&'>') {
                    chars.next();
                    redirect = true;
                    continue;
                }
                if !out
                    .last()
                    .is_some_and(|s| s.words.is_empty() && s.redirects.is_empty())
                {
                    out.push(Simple::default());
                }
            }
            '>' => {
                // A file descriptor written right before `>` (as in `2>`) is not a word.
                if in_word && word.chars().all(|d| d.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                } else {
                    finish(&mut word, &mut in_word, &mut redirect, &mut out);
                }
                if chars.peek() == Some(&'>') {
                    chars.next();
                }
                if chars.peek() == Some(&'&') {
                    // `>&2` duplicates a descriptor; nothing is written to a file.
                    chars.next();
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    continue;
                }
                redirect = true;
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut word, &mut in_word, &mut redirect, &mut out);
    out.retain(|s| !s.words.is_empty() || !s.redirects.is_empty());
    out
}

#[cfg(test)]
mod tests;
