//! Token counts of guidance entries, kept between hook calls under `.harness/state/`.
//!
//! Loading the tokenizer costs more than all the rest of a hook (tens of milliseconds), and an
//! entry's text changes only when the knowledge base does, so each text is counted once and
//! its count found by a hash of the text after that.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// The cache file, relative to the repository root.
pub const TOKENS_FILE: &str = ".harness/state/tokens.mp";

/// Counts kept at most; past this the cache starts afresh (texts no longer in the knowledge
/// base are never looked up again).
const MAX_COUNTS: usize = 20_000;

/// A cache file over this is not read (20,000 counts take about 300 KB).
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Default, Serialize, Deserialize)]
struct Stored {
    /// The harness version that counted: another one may count with another tokenizer.
    version: String,
    counts: HashMap<u64, u32>,
}

/// Token counts by text, read from and written back to [`TOKENS_FILE`].
pub struct TokenCache {
    path: PathBuf,
    counts: RefCell<HashMap<u64, u32>>,
    changed: Cell<bool>,
}

impl TokenCache {
    /// The cache of the repository at `root`; empty when the file is missing, unreadable or
    /// from another version.
    pub fn open(root: &Path) -> TokenCache {
        let path = root.join(TOKENS_FILE);
        // Only a regular file of a sane size is read: never a pipe left in its place.
        let counts = std::fs::metadata(&path)
            .ok()
            .filter(|m| m.is_file() && m.len() <= MAX_FILE_BYTES)
            .and_then(|_| std::fs::read(&path).ok())
            .and_then(|bytes| rmp_serde::from_slice::<Stored>(&bytes).ok())
            .filter(|s| s.version == env!("CARGO_PKG_VERSION"))
            .map(|s| s.counts)
            .unwrap_or_default();
        TokenCache {
            path,
            counts: RefCell::new(counts),
            changed: Cell::new(false),
        }
    }

    /// The tokens of `text`, counted by the tokenizer only the first time it is seen.
    pub fn count(&self, text: &str) -> usize {
        let key = xxh3_64(text.as_bytes());
        if let Some(n) = self.counts.borrow().get(&key) {
            return *n as usize;
        }
        let n = harness_context::count_tokens(text);
        let mut counts = self.counts.borrow_mut();
        if counts.len() >= MAX_COUNTS {
            counts.clear();
        }
        counts.insert(key, u32::try_from(n).unwrap_or(u32::MAX));
        self.changed.set(true);
        n
    }

    /// Writes the counts back when new ones were made. Best effort: a cache that cannot be
    /// written only costs the next call the tokenizer.
    pub fn save(&self) {
        if !self.changed.get() {
            return;
        }
        let stored = Stored {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            counts: self.counts.take(),
        };
        let Ok(bytes) = rmp_serde::to_vec(&stored) else {
            return;
        };
        let Some(dir) = self.path.parent() else {
            return;
        };
        // A new file of a random name, renamed into place: concurrent hooks never read half a
        // file, and a name planted in the folder is never written through.
        if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
            && std::io::Write::write_all(&mut tmp, &bytes).is_ok()
        {
            let _ = tmp.persist(&self.path);
        }
        self.changed.set(false);
        *self.counts.borrow_mut() = stored.counts;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_kept_between_calls() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".harness/state")).expect("mkdir");
        let first = TokenCache::open(dir.path());
        assert_eq!(first.count("hello world"), 2);
        first.save();
        let second = TokenCache::open(dir.path());
        assert_eq!(second.counts.borrow().len(), 1);
        assert_eq!(second.count("hello world"), 2);
        assert!(!second.changed.get(), "a known text is not counted again");
    }

    #[test]
    fn a_broken_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(".harness/state")).expect("mkdir");
        std::fs::write(dir.path().join(TOKENS_FILE), b"not msgpack").expect("write");
        let cache = TokenCache::open(dir.path());
        assert_eq!(cache.count("hello world"), 2);
    }
}
