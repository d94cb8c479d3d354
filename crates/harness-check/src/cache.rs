//! The content-hash cache under `.harness/state/check-cache/`: per file, the findings of every
//! content rule and its suppressions, keyed by size, modification time and a hash of the bytes.
//!
//! Entries are spread over 256 shard files by a hash of the path, and a shard is read only when
//! a file in it is looked up, so checking one file reads one small shard however large the
//! repository. A change to any rule or to harness itself (the knowledge-base digest) drops
//! every entry.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use harness_core::Finding;
use serde::{Deserialize, Serialize};

use crate::suppress::Suppression;

const FORMAT: u32 = 2;
const SHARDS: usize = 256;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub mtime_ns: u128,
    pub hash: u64,
    pub findings: Vec<Finding>,
    pub suppressions: Vec<Suppression>,
}

#[derive(Default, Serialize, Deserialize)]
struct Shard {
    format: u32,
    digest: u64,
    entries: HashMap<String, Entry>,
}

pub struct Cache {
    dir: PathBuf,
    digest: u64,
    shards: Vec<OnceLock<Shard>>,
    dirty: Vec<bool>,
}

fn shard_of(path: &str) -> usize {
    usize::from(xxhash_rust::xxh3::xxh3_64(path.as_bytes()).to_le_bytes()[0])
}

impl Cache {
    /// The cache of the repository at `root` for knowledge-base `digest`; nothing is read yet.
    pub fn open(root: &Path, digest: u64) -> Cache {
        Cache {
            dir: root.join(".harness/state/check-cache"),
            digest,
            shards: (0..SHARDS).map(|_| OnceLock::new()).collect(),
            dirty: vec![false; SHARDS],
        }
    }

    fn shard(&self, i: usize) -> &Shard {
        self.shards[i].get_or_init(|| {
            let fresh = Shard {
                format: FORMAT,
                digest: self.digest,
                entries: HashMap::new(),
            };
            let Ok(bytes) = std::fs::read(self.dir.join(format!("{i:02x}.mp"))) else {
                return fresh;
            };
            // A damaged or outdated shard is as good as none.
            match rmp_serde::from_slice::<Shard>(&bytes) {
                Ok(s) if s.format == FORMAT && s.digest == self.digest => s,
                _ => fresh,
            }
        })
    }

    fn shard_mut(&mut self, i: usize) -> &mut Shard {
        self.shard(i);
        self.dirty[i] = true;
        self.shards[i]
            .get_mut()
            .unwrap_or_else(|| unreachable!("initialised above"))
    }

    /// Whether `path` has an entry, however old.
    pub fn has(&self, path: &str) -> bool {
        self.shard(shard_of(path)).entries.contains_key(path)
    }

    /// The entry for `path` if its size and modification time still match.
    pub fn lookup(&self, path: &str, size: u64, mtime_ns: u128) -> Option<&Entry> {
        self.shard(shard_of(path))
            .entries
            .get(path)
            .filter(|e| e.size == size && e.mtime_ns == mtime_ns)
    }

    /// The entry for `path` if its content hash still matches.
    pub fn lookup_hash(&self, path: &str, hash: u64) -> Option<&Entry> {
        self.shard(shard_of(path))
            .entries
            .get(path)
            .filter(|e| e.hash == hash)
    }

    pub fn insert(&mut self, path: String, entry: Entry) {
        self.shard_mut(shard_of(&path)).entries.insert(path, entry);
    }

    /// Drops entries of files a full walk did not find.
    pub fn retain(&mut self, keep: &HashSet<&str>) {
        for i in 0..SHARDS {
            let shard = self.shard(i);
            if shard.entries.keys().all(|k| keep.contains(k.as_str())) {
                continue;
            }
            self.shard_mut(i)
                .entries
                .retain(|k, _| keep.contains(k.as_str()));
        }
    }

    /// Writes the shards that changed, each atomically. Failure to write only costs speed.
    pub fn save(&self) -> std::io::Result<()> {
        if !self.dirty.contains(&true) {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        for (i, dirty) in self.dirty.iter().enumerate() {
            let Some(shard) = self.shards[i].get().filter(|_| *dirty) else {
                continue;
            };
            // Named fields: findings leave out empty optional fields, which needs a
            // self-describing format.
            let bytes = rmp_serde::to_vec_named(shard).map_err(std::io::Error::other)?;
            let tmp = self
                .dir
                .join(format!(".{i:02x}.{}.tmp", std::process::id()));
            std::fs::write(&tmp, bytes)?;
            std::fs::rename(&tmp, self.dir.join(format!("{i:02x}.mp")))?;
        }
        Ok(())
    }
}
