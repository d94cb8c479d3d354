//! Rule files and guidance documents parsed before, kept under `.harness/state/` by their
//! text. Parsing YAML was most of what a hook call spent loading the knowledge base, and these
//! files rarely change between two calls.
//!
//! A cache is only an accelerator: it is written where harness already keeps its state (never
//! creating that folder), only after a load without errors, and read only by the binary that
//! wrote it (same version, size and modification time) on the machine that wrote it (see
//! [`crate::salt`]), so a rebuilt harness parses again and a planted cache is never read. A
//! missing, damaged or foreign cache is as good as none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// Where parsed rule files are kept, relative to the root.
pub const RULES_CACHE_FILE: &str = ".harness/state/rules-cache.mp";

/// Where parsed personas, decisions and journeys are kept, relative to the root.
pub const GUIDANCE_CACHE_FILE: &str = ".harness/state/guidance-cache.mp";

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Stored<T> {
    build: u64,
    /// By the file's display path.
    files: HashMap<String, Entry<T>>,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Entry<T> {
    /// Hash of the file's text.
    hash: u64,
    parsed: T,
}

#[derive(Serialize)]
struct StoredRef<'a, S> {
    build: u64,
    files: HashMap<&'a str, EntryRef<S>>,
}

#[derive(Serialize)]
struct EntryRef<S> {
    hash: u64,
    parsed: S,
}

/// What an earlier load parsed from each file, `T` per file.
pub(crate) struct ParseCache<T> {
    path: PathBuf,
    /// This binary; `None` turns the cache off.
    build: Option<u64>,
    /// Entries read and not yet used.
    unused: HashMap<String, Entry<T>>,
    /// Each file loaded, in order: its display path and text hash.
    loaded: Vec<(String, u64)>,
    /// Whether the file on disk no longer says what this load found.
    stale: bool,
}

impl<T: DeserializeOwned> ParseCache<T> {
    /// The cache kept at `file` (relative to `root`).
    pub(crate) fn open(root: &Path, file: &str) -> ParseCache<T> {
        let path = root.join(file);
        let build = build_id();
        let stored = build
            .and_then(|_| std::fs::read(&path).ok())
            .and_then(|bytes| rmp_serde::from_slice::<Stored<T>>(&bytes).ok())
            .filter(|s| Some(s.build) == build);
        ParseCache {
            path,
            build,
            stale: stored.is_none(),
            unused: stored.map(|s| s.files).unwrap_or_default(),
            loaded: Vec::new(),
        }
    }

    /// What the file shown as `key` with `text` holds: from the cache, or from `parse`.
    pub(crate) fn get<E>(
        &mut self,
        key: &Path,
        text: &str,
        parse: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let key = key.to_string_lossy().into_owned();
        let hash = xxh3_64(text.as_bytes());
        let parsed = if let Some(entry) = self.unused.remove(&key).filter(|e| e.hash == hash) {
            entry.parsed
        } else {
            self.stale = true;
            parse()?
        };
        self.loaded.push((key, hash));
        Ok(parsed)
    }
}

impl<T> ParseCache<T> {
    /// Writes the cache if it is stale, given what each file loaded held, in load order (as
    /// [`ParseCache::get`] saw them). Failing to write only costs speed.
    pub(crate) fn save<S: Serialize>(self, parsed: impl ExactSizeIterator<Item = S>) {
        let Some(build) = self.build else { return };
        let dir = self.path.parent().unwrap_or(&self.path);
        let fresh = !self.stale && self.unused.is_empty();
        if fresh || parsed.len() != self.loaded.len() || !dir.is_dir() {
            return;
        }
        let files = self
            .loaded
            .iter()
            .zip(parsed)
            .map(|((key, hash), parsed)| {
                (
                    key.as_str(),
                    EntryRef {
                        hash: *hash,
                        parsed,
                    },
                )
            })
            .collect();
        let Ok(bytes) = rmp_serde::to_vec(&StoredRef { build, files }) else {
            return;
        };
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &self.path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// This harness binary: its version, size and modification time. Not its path, so copies of
/// one binary share the cache.
fn build_id() -> Option<u64> {
    static BUILD: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *BUILD.get_or_init(this_build)
}

fn this_build() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let mut h = Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(&meta.len().to_le_bytes());
    h.update(&modified.as_nanos().to_le_bytes());
    h.update(&crate::salt::salt().to_le_bytes());
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
        let meta = std::fs::metadata(root.join(super::RULES_CACHE_FILE)).unwrap();
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
        let cache = dir.path().join(super::RULES_CACHE_FILE);
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

    const PERSONA: &str = "---\nname: Reliability\ndescription: keeps it up\napplies_to: [\"src/**\"]\n---\n- Every call has a timeout.\n";

    fn guidance_as_data(root: &Path) -> String {
        serde_json::to_string(&crate::load_guidance(root).unwrap()).unwrap()
    }

    #[test]
    fn guidance_from_the_cache_is_the_guidance_parsed_and_an_edit_is_read_again() {
        let dir = repo(true);
        let personas = dir.path().join(".harness/personas");
        std::fs::create_dir_all(&personas).unwrap();
        std::fs::write(personas.join("reliability.md"), PERSONA).unwrap();
        let parsed = guidance_as_data(dir.path());
        let cache = dir.path().join(super::GUIDANCE_CACHE_FILE);
        let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
        assert_eq!(parsed, guidance_as_data(dir.path()));
        assert_eq!(
            written,
            std::fs::metadata(&cache).unwrap().modified().unwrap()
        );
        assert!(parsed.contains("Every call has a timeout."), "{parsed}");

        std::fs::write(
            personas.join("reliability.md"),
            PERSONA.replace("a timeout", "a deadline"),
        )
        .unwrap();
        assert!(guidance_as_data(dir.path()).contains("a deadline"));
        std::fs::write(personas.join("reliability.md"), "---\nname: x\n---\n").unwrap();
        assert!(crate::load_guidance(dir.path()).is_err());
    }
}
