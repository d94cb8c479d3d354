//! Rules parsed before, kept under `.harness/state/` by the text of their file. Parsing the
//! YAML was most of what a hook call spent loading the knowledge base, and rule files rarely
//! change between two calls.
//!
//! The cache is only an accelerator: it is written where harness already keeps its state (never
//! creating that folder), only after a load without errors, and read only by the binary that
//! wrote it (same version, size and modification time), so a rebuilt harness parses again. A missing, damaged or foreign cache is as
//! good as none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::error::ConfigError;
use crate::rule::Rule;

/// Where the cache lives, relative to the root.
pub const CACHE_FILE: &str = ".harness/state/rules-cache.mp";

#[derive(Deserialize)]
struct Stored {
    build: u64,
    /// By the file's display path.
    files: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    /// Hash of the file's text.
    hash: u64,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct StoredRef<'a> {
    build: u64,
    files: HashMap<&'a str, EntryRef<'a>>,
}

#[derive(Serialize)]
struct EntryRef<'a> {
    hash: u64,
    rules: &'a [Rule],
}

pub(crate) struct RuleCache {
    path: PathBuf,
    /// This binary; `None` turns the cache off.
    build: Option<u64>,
    /// Entries read and not yet used.
    unused: HashMap<String, Entry>,
    /// Each file loaded, in order: its display path, text hash and number of rules.
    loaded: Vec<(String, u64, usize)>,
    /// Whether the file on disk no longer says what this load found.
    stale: bool,
}

impl RuleCache {
    pub(crate) fn open(root: &Path) -> RuleCache {
        let path = root.join(CACHE_FILE);
        let build = build_id();
        let stored = build
            .and_then(|_| std::fs::read(&path).ok())
            .and_then(|bytes| rmp_serde::from_slice::<Stored>(&bytes).ok())
            .filter(|s| Some(s.build) == build);
        RuleCache {
            path,
            build,
            stale: stored.is_none(),
            unused: stored.map(|s| s.files).unwrap_or_default(),
            loaded: Vec::new(),
        }
    }

    /// The rules of the file shown as `key` with `text`: from the cache, or from `parse`.
    pub(crate) fn rules(
        &mut self,
        key: &Path,
        text: &str,
        parse: impl FnOnce() -> Result<Vec<Rule>, Vec<ConfigError>>,
    ) -> Result<Vec<Rule>, Vec<ConfigError>> {
        let key = key.to_string_lossy().into_owned();
        let hash = xxh3_64(text.as_bytes());
        let rules = if let Some(entry) = self.unused.remove(&key).filter(|e| e.hash == hash) {
            entry.rules
        } else {
            self.stale = true;
            parse()?
        };
        self.loaded.push((key, hash, rules.len()));
        Ok(rules)
    }

    /// Writes the cache if it is stale, given every rule of a load without errors, in order.
    /// Failing to write only costs speed.
    pub(crate) fn save(self, rules: &[Rule]) {
        let Some(build) = self.build else { return };
        let dir = self.path.parent().unwrap_or(&self.path);
        let counted: usize = self.loaded.iter().map(|(_, _, n)| n).sum();
        let fresh = !self.stale && self.unused.is_empty();
        if fresh || counted != rules.len() || !dir.is_dir() {
            return;
        }
        let mut files = HashMap::new();
        let mut rest = rules;
        for (key, hash, n) in &self.loaded {
            let (mine, after) = rest.split_at(*n);
            files.insert(
                key.as_str(),
                EntryRef {
                    hash: *hash,
                    rules: mine,
                },
            );
            rest = after;
        }
        let Ok(bytes) = rmp_serde::to_vec(&StoredRef { build, files }) else {
            return;
        };
        let tmp = dir.join(format!(".rules-cache.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// This harness binary: its version, size and modification time. Not its path, so copies of
/// one binary share the cache.
fn build_id() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut h = Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&modified.as_nanos().to_le_bytes());
    Some(h.digest())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::rule::Matcher;

    const RULES: &str = r#"id: no-eval
priority: P1
message: no eval
paths: ["src/**/*.{ts,tsx}", "*.js"]
ignores: ["**/*.test.ts"]
regex:
  pattern: 'eval\('
  multiline: true
---
id: companion
priority: P2
message: needs a test
paths: ["src/ui/**"]
require-file:
  one-of: ["{dir}/{stem}.test.ts", "tests/{stem}.ts"]
---
id: layers
priority: P1
message: ui may not import db
paths: ["src/ui/**"]
forbid-import:
  from: ["src/db/**", "pg"]
---
id: long
priority: P3
message: too long
max-lines:
  max: 10
  code-only: true
---
id: legacy
priority: P2
message: no legacy
paths: ["src/[a-c]*/**"]
ast:
  language: ts
  rule:
    pattern: legacy($$$A)
---
id: sg-style
language: TypeScript
rule:
  pattern: old($A)
files:
  - src/**
  - glob: "**/*.TS"
    caseInsensitive: true
ignores: ["vendor/**"]
metadata:
  priority: P2
"#;

    fn repo(state: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("harness.toml"), "").unwrap();
        std::fs::create_dir_all(dir.path().join(".harness/rules")).unwrap();
        std::fs::write(dir.path().join(".harness/rules/all.yml"), RULES).unwrap();
        if state {
            std::fs::create_dir_all(dir.path().join(".harness/state")).unwrap();
        }
        dir
    }

    /// Everything a rule is, as data, and how its compiled parts answer.
    fn observed(root: &Path) -> (String, Vec<Vec<bool>>) {
        let kb = crate::load(root).unwrap();
        let paths = [
            "src/ui/a.ts",
            "src/b/x.tsx",
            "a.js",
            "src/ui/a.test.ts",
            "x/Y.ts",
            "vendor/a.ts",
        ];
        let answers = kb
            .rules
            .iter()
            .map(|r| {
                let mut a: Vec<bool> = paths.iter().map(|p| r.filter.applies(p)).collect();
                if let Matcher::Regex(m) = &r.matcher {
                    a.push(m.regex.is_match("x = eval(\n1)"));
                }
                if let Matcher::ForbidImport(m) = &r.matcher {
                    a.extend(["src/db/x", "pg", "src/ui/y"].map(|p| m.from.is_match(p)));
                }
                a
            })
            .collect();
        let data = serde_json::to_string(&kb.rules).unwrap();
        (format!("{data} {}", kb.digest), answers)
    }

    /// The cache file as written last (a write replaces it with a new file).
    fn written(root: &Path) -> (u64, std::time::SystemTime) {
        let meta = std::fs::metadata(root.join(super::CACHE_FILE)).unwrap();
        #[cfg(unix)]
        let file = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let file = meta.len();
        (file, meta.modified().unwrap())
    }

    #[test]
    fn rules_from_the_cache_are_the_rules_parsed() {
        let dir = repo(true);
        let parsed = observed(dir.path());
        let written = written(dir.path());
        let cached = observed(dir.path());
        // Not written again: the second load was answered by the cache.
        assert_eq!(written, self::written(dir.path()));
        assert_eq!(parsed, cached);
        // And as parsing without any cache.
        let plain =
            crate::rule::parse_rule_file(RULES, Path::new(".harness/rules/all.yml")).unwrap();
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            parsed.0.rsplit_once(' ').unwrap().0
        );
    }

    #[test]
    fn an_edited_rule_file_is_read_again() {
        let dir = repo(true);
        let _ = crate::load(dir.path()).unwrap();
        let file = dir.path().join(".harness/rules/all.yml");
        std::fs::write(&file, RULES.replace("no eval", "never eval")).unwrap();
        let kb = crate::load(dir.path()).unwrap();
        assert_eq!(kb.rule("no-eval").unwrap().message, "never eval");
        std::fs::write(&file, RULES.replace("priority: P1", "priority: P9")).unwrap();
        assert!(crate::load(dir.path()).is_err());
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_replaced() {
        let dir = repo(true);
        let cache = dir.path().join(super::CACHE_FILE);
        std::fs::write(&cache, b"garbage").unwrap();
        assert_eq!(crate::load(dir.path()).unwrap().rules.len(), 6);
        assert_ne!(std::fs::read(&cache).unwrap(), b"garbage");
        assert_eq!(crate::load(dir.path()).unwrap().rules.len(), 6);
    }

    #[test]
    fn no_state_folder_is_created() {
        let dir = repo(false);
        let _ = crate::load(dir.path()).unwrap();
        assert!(!dir.path().join(".harness/state").exists());
    }
}
