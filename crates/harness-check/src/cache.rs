//! The content-hash cache under `.harness/state/`: per file, the findings of every content rule
//! and its suppressions, keyed by size, modification time and a hash of the bytes. A change to
//! any rule or to harness itself drops the whole cache.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use harness_core::Finding;
use serde::{Deserialize, Serialize};

use crate::suppress::Suppression;

const FORMAT: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub mtime_ns: u128,
    pub hash: u64,
    pub findings: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
}

#[derive(Default, Serialize, Deserialize)]
pub struct Cache {
    format: u32,
    digest: u64,
    pub entries: HashMap<String, Entry>,
    #[serde(skip)]
    dirty: bool,
}

impl Cache {
    pub fn path(root: &Path) -> PathBuf {
        root.join(".harness/state/check-cache.bin")
    }

    /// Loads the cache for the knowledge base `digest`; any mismatch or damage gives an empty one.
    pub fn load(root: &Path, digest: u64) -> Cache {
        let fresh = Cache {
            format: FORMAT,
            digest,
            entries: HashMap::new(),
            dirty: false,
        };
        let Ok(bytes) = std::fs::read(Self::path(root)) else {
            return fresh;
        };
        match rmp_serde::from_slice::<Cache>(&bytes) {
            Ok(c) if c.format == FORMAT && c.digest == digest => c,
            _ => fresh,
        }
    }

    /// The entry for `path` if its metadata or content hash still match.
    pub fn lookup(&self, path: &str, size: u64, mtime_ns: u128) -> Option<&Entry> {
        self.entries
            .get(path)
            .filter(|e| e.size == size && e.mtime_ns == mtime_ns)
    }

    pub fn lookup_hash(&self, path: &str, hash: u64) -> Option<&Entry> {
        self.entries.get(path).filter(|e| e.hash == hash)
    }

    pub fn insert(&mut self, path: String, entry: Entry) {
        self.entries.insert(path, entry);
        self.dirty = true;
    }

    /// Drops entries of files that no longer exist in a full walk.
    pub fn retain(&mut self, keep: &std::collections::HashSet<&str>) {
        let before = self.entries.len();
        self.entries.retain(|k, _| keep.contains(k.as_str()));
        self.dirty |= self.entries.len() != before;
    }

    /// Writes the cache atomically if it changed. Failure to write only costs speed.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let path = Self::path(root);
        let dir = path.parent().unwrap_or(root);
        std::fs::create_dir_all(dir)?;
        // Named fields: findings leave out empty optional fields, which needs a self-describing format.
        let bytes = rmp_serde::to_vec_named(self).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!(".check-cache.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }
}
