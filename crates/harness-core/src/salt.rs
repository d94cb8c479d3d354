//! A random number kept outside every repository, mixed into the keys of harness's caches.
//!
//! Caches live in the repository (`.harness/state/`), where a change under review can put
//! files of its own (`git add -f`). Keyed only by things such a change can know (rule texts,
//! the harness version), a planted cache could stand in for a rule file or hide findings. With
//! this salt in the key, a cache is only ever read on the machine that wrote it.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::sync::OnceLock;

/// This machine's salt: read from the user's cache folder, created there on first use. Where
/// it can be neither read nor created, a new one per process, which turns the caches off.
pub fn salt() -> u64 {
    static SALT: OnceLock<u64> = OnceLock::new();
    *SALT.get_or_init(|| stored().unwrap_or_else(random))
}

fn stored() -> Option<u64> {
    let path = file()?;
    if let Some(salt) = std::fs::read(&path).ok().and_then(|b| parse(&b)) {
        return Some(salt);
    }
    let salt = random();
    std::fs::create_dir_all(path.parent()?).ok()?;
    // Another process may write its own at the same moment: whichever lands, both read it
    // back, so they agree from then on.
    crate::fs::write_atomically(&path, &format!("{salt:016x}\n")).ok()?;
    std::fs::read(&path).ok().and_then(|b| parse(&b))
}

fn parse(bytes: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (text.len() == 16).then(|| u64::from_str_radix(text, 16).ok())?
}

/// `$XDG_CACHE_HOME/harness/salt`, else `~/.cache/harness/salt`.
fn file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))?;
    Some(base.join("harness").join("salt"))
}

/// 64 bits from the operating system's random source (through std's hash seeds).
fn random() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_salt_is_kept() {
        assert_eq!(super::salt(), super::salt());
        assert_ne!(super::random(), super::random());
    }
}
