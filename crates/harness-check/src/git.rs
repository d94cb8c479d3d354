//! The git command line: which files changed, and what the index holds. Every call has a timeout.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("could not run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("`git {args}` failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("`git {0}` did not finish within 60 s")]
    Timeout(String),
}

fn run(root: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let writer = input.map(|bytes| {
        let bytes = bytes.to_vec();
        let mut stdin = child.stdin.take();
        std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(&bytes);
            }
        })
    });
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(GitError::Spawn)? {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(GitError::Timeout(args.join(" ")));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    if let Some(w) = writer {
        let _ = w.join();
    }
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&err).trim().to_owned(),
        });
    }
    Ok(out)
}

fn split_z(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

/// Files changed against `base` (default `HEAD`; a branch is compared from its merge base), plus
/// untracked files. Paths are relative to `root`; deleted files are included.
pub fn changed_files(root: &Path, base: Option<&str>) -> Result<Vec<String>, GitError> {
    // Untracked files take the longest to list (git scans the worktree): ask for them while
    // the rest runs.
    let (untracked, changed) = std::thread::scope(|scope| {
        let untracked = scope.spawn(|| {
            run(
                root,
                &["ls-files", "--others", "--exclude-standard", "-z"],
                None,
            )
        });
        let changed = changed_tracked(root, base);
        (untracked.join(), changed)
    });
    let untracked = untracked.unwrap_or_else(|_| Ok(Vec::new()))?;
    let mut files = changed?;
    files.extend(split_z(&untracked));
    files.sort();
    files.dedup();
    Ok(files)
}

/// Tracked files changed against `base`, or every tracked file before the first commit.
fn changed_tracked(root: &Path, base: Option<&str>) -> Result<Vec<String>, GitError> {
    let Some(base) = resolve_base(root, base)? else {
        return Ok(split_z(&run(root, &["ls-files", "--cached", "-z"], None)?));
    };
    let out = run(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            &base,
            "--",
        ],
        None,
    )?;
    Ok(split_z(&out))
}

/// The commit `--changed[=BASE]` compares with: `HEAD` by default, a branch's merge base with
/// `HEAD`, else the commit named. `None` before the first commit.
fn resolve_base(root: &Path, base: Option<&str>) -> Result<Option<String>, GitError> {
    let has_head = run(root, &["rev-parse", "--verify", "--quiet", "HEAD"], None).is_ok();
    if !has_head {
        return Ok(None);
    }
    Ok(Some(match base {
        Some(b) => {
            let mb = run(root, &["merge-base", b, "HEAD"], None)
                .map(|o| String::from_utf8_lossy(&o).trim().to_owned());
            match mb {
                Ok(m) if !m.is_empty() => m,
                _ => {
                    // Not a branch with a common ancestor: compare with the commit itself.
                    run(root, &["rev-parse", "--verify", b], None)?;
                    b.to_owned()
                }
            }
        }
        None => "HEAD".to_owned(),
    }))
}

/// What changed lines are compared with.
#[derive(Clone, Copy, Debug)]
pub enum Since<'a> {
    /// A base, as [`changed_files`] compares with it (`--changed[=BASE]`).
    Base(Option<&'a str>),
    /// `HEAD`, for the index's content (`--staged`).
    Staged,
}

/// Lines each changed file (relative to `root`) added or modified since `since`, as inclusive
/// ranges. A file left out (untracked, or everything before the first commit) is new in all its
/// lines; a file with an empty list only lost lines, or was renamed or had its mode changed.
pub fn changed_lines(
    root: &Path,
    since: Since<'_>,
) -> Result<std::collections::HashMap<String, Vec<(u32, u32)>>, GitError> {
    let base = match since {
        Since::Base(base) => match resolve_base(root, base)? {
            Some(base) => base,
            None => return Ok(std::collections::HashMap::new()),
        },
        Since::Staged => "--cached".to_owned(),
    };
    // Every file below the root, not only those asked about: a renamed file is found only
    // when both of its names are in the diff (a file moved in from outside the root counts
    // whole).
    let out = run(
        root,
        &[
            "-c",
            "core.quotePath=false",
            "diff",
            "-U0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "-M",
            "--relative",
            // Whatever diff.noprefix or diff.mnemonicPrefix say.
            "--src-prefix=a/",
            "--dst-prefix=b/",
            &base,
            "--",
        ],
        None,
    )?;
    Ok(parse_added_lines(&String::from_utf8_lossy(&out)))
}

/// Added line ranges per file from `git diff -U0` output. A hunk's body is skipped by the
/// line counts its header gives, so an added line that reads `++ x` (shown `+++ x`) is not
/// taken for a file header.
fn parse_added_lines(diff: &str) -> std::collections::HashMap<String, Vec<(u32, u32)>> {
    let mut out: std::collections::HashMap<String, Vec<(u32, u32)>> =
        std::collections::HashMap::new();
    let mut current: Option<String> = None;
    // Lines of the open hunk's body not read yet.
    let mut body = 0u64;
    for line in diff.lines() {
        if body > 0 {
            // `\ No newline at end of file` is not a line of either side.
            if let Some(b'+' | b'-' | b' ') = line.as_bytes().first() {
                body -= 1;
            }
            continue;
        }
        // A file renamed or with a new mode may have no `+++` line: it is still changed.
        if let Some(path) = line
            .strip_prefix("diff --git ")
            .and_then(same_path)
            .or_else(|| line.strip_prefix("rename to ").map(unquote))
        {
            out.entry(path).or_default();
        } else if let Some(path) = line.strip_prefix("+++ ") {
            let path = unquote(path.trim_end());
            current = path.strip_prefix("b/").map(str::to_owned);
            if let Some(p) = &current {
                out.entry(p.clone()).or_default();
            }
        } else if let Some(hunk) = line.strip_prefix("@@ ") {
            // `@@ -a,b +c,d @@`: b lines go, d lines from c come; a count left out is 1.
            let mut words = hunk.split(' ');
            let (Some(old), Some(new)) = (
                words.next().and_then(|w| w.strip_prefix('-')),
                words.next().and_then(|w| w.strip_prefix('+')),
            ) else {
                continue;
            };
            let range = |r: &str| -> Option<(u32, u32)> {
                match r.split_once(',') {
                    Some((s, c)) => Some((s.parse().ok()?, c.parse().ok()?)),
                    None => Some((r.parse().ok()?, 1)),
                }
            };
            let (Some((_, removed)), Some((start, added))) = (range(old), range(new)) else {
                continue;
            };
            body = u64::from(removed) + u64::from(added);
            if let Some(ranges) = current.as_ref().and_then(|p| out.get_mut(p))
                && added > 0
            {
                ranges.push((start, start.saturating_add(added - 1)));
            }
        }
    }
    out
}

/// The path of a `diff --git a/P b/P` header whose two sides are one path.
fn same_path(sides: &str) -> Option<String> {
    // `a/P b/P` or `"a/P" "b/P"`: two equal halves around one space.
    let n = sides.len();
    let (a, b) = (
        sides.get(..n.checked_sub(1)? / 2)?,
        sides.get(n.div_ceil(2)..)?,
    );
    let (a, b) = (unquote(a), unquote(b));
    let path = b.strip_prefix("b/")?;
    (a.strip_prefix("a/")? == path).then(|| path.to_owned())
}

/// A path as git writes it in a patch header: `"a/sp\303\251ci\"al"` is unquoted.
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_owned();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(u8::try_from(v).unwrap_or(b'?'));
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every file in the index, and untracked files `.gitignore` does not list, relative to `root`.
pub fn listed_files(root: &Path) -> Result<Vec<String>, GitError> {
    Ok(split_z(&run(
        root,
        &[
            "ls-files",
            "--cached",
            "--others",
            "--exclude-standard",
            "-z",
        ],
        None,
    )?))
}

/// Files staged for commit, relative to `root` (deleted ones included).
pub fn staged_files(root: &Path) -> Result<Vec<String>, GitError> {
    let out = run(
        root,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
        ],
        None,
    )?;
    Ok(split_z(&out))
}

/// The staged content of `paths` (relative to `root`); `None` for a path not in the index.
pub fn staged_contents(root: &Path, paths: &[String]) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let prefix = String::from_utf8_lossy(&run(root, &["rev-parse", "--show-prefix"], None)?)
        .trim()
        .to_owned();
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(format!(":{prefix}{p}\n").as_bytes());
    }
    let out = run(root, &["cat-file", "--batch"], Some(&input))?;
    let mut results = Vec::with_capacity(paths.len());
    let mut rest = out.as_slice();
    for _ in paths {
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            results.push(None);
            continue;
        };
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            results.push(None);
            continue;
        }
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let end = size.min(rest.len());
        results.push(Some(rest[..end].to_vec()));
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_from_a_zero_context_diff() {
        let diff = "diff --git a/src/a.ts b/src/a.ts\nindex 1..2 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -3 +3,2 @@ fn\n-x\n+y\n+z\n@@ -9,2 +10,0 @@\n-q\n-r\n@@ -20,0 +20,2 @@\n+w\n+++ looks like a header\ndiff --git a/gone.ts b/gone.ts\n--- a/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\ndiff --git \"a/sp\\303\\251c.ts\" \"b/sp\\303\\251c.ts\"\n--- \"a/sp\\303\\251c.ts\"\n+++ \"b/sp\\303\\251c.ts\"\n@@ -0,0 +1,3 @@\n+a\n";
        let got = parse_added_lines(diff);
        assert_eq!(got["src/a.ts"], vec![(3, 4), (20, 21)]);
        assert_eq!(got["sp\u{e9}c.ts"], vec![(1, 3)]);
        // Deleted: no line of it counts (and it is not checked).
        assert_eq!(got["gone.ts"], Vec::<(u32, u32)>::new());
        assert_eq!(got.len(), 3);
        let moved = "diff --git a/old name.ts b/new name.ts\nsimilarity index 100%\nrename from old name.ts\nrename to new name.ts\ndiff --git a/x y.ts b/x y.ts\nold mode 100644\nnew mode 100755\n";
        let got = parse_added_lines(moved);
        assert_eq!(got["new name.ts"], Vec::<(u32, u32)>::new());
        assert_eq!(got["x y.ts"], Vec::<(u32, u32)>::new());
    }
}
