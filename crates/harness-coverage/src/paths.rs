//! Report paths to repository paths.
//!
//! Reports name files as the tool that ran the tests saw them: absolute paths from another
//! machine or container (`/home/ci/work/app/src/a.ts`), `./src/a.ts`, paths relative to a
//! package folder (`src/a.ts` for `packages/web/src/a.ts`), or relative to a Cobertura
//! `<source>`. [`Mapper`] maps each to the repository file it means, or to none:
//!
//! 1. under the repository root (or a `<source>` inside it), the path below it;
//! 2. otherwise the longest tail of the path, of two segments or more, that ends a repository
//!    file's path, when exactly one file ends that way; a tail two files share maps to
//!    neither, and a file name alone never maps.
//!
//! [`Mapper::map_all`] maps a whole report: its absolute paths from elsewhere must all share
//! the one prefix most of them have (the other machine's checkout), so a dependency's
//! `src/lib.rs` elsewhere on that machine is not taken for the repository's.

use std::collections::{HashMap, HashSet};

/// Maps report paths to the repository's files.
pub struct Mapper<'a> {
    /// The repository root, absolute, `/`-separated, without a trailing `/`.
    root: String,
    files: HashSet<&'a str>,
    /// Each file by every tail of it (`c.ts`, `b/c.ts`, `a/b/c.ts`); `None` when shared.
    tails: HashMap<&'a str, Option<&'a str>>,
}

impl<'a> Mapper<'a> {
    /// `files` are the repository's files, relative to `root`, `/`-separated.
    pub fn new(root: &str, files: impl IntoIterator<Item = &'a str>) -> Mapper<'a> {
        let mut mapper = Mapper {
            root: normal(root).trim_end_matches('/').to_owned(),
            files: HashSet::new(),
            tails: HashMap::new(),
        };
        for file in files {
            mapper.files.insert(file);
            let mut tail = file;
            loop {
                mapper
                    .tails
                    .entry(tail)
                    .and_modify(|seen| {
                        if *seen != Some(file) {
                            *seen = None;
                        }
                    })
                    .or_insert(Some(file));
                match tail.split_once('/') {
                    Some((_, rest)) => tail = rest,
                    None => break,
                }
            }
        }
        mapper
    }

    /// The repository file `path` (as a report writes it) means; `sources` are the folders the
    /// report says its paths are relative to.
    pub fn map(&self, path: &str, sources: &[String]) -> Option<&'a str> {
        self.resolve(path, sources).map(|(file, _)| file)
    }

    /// Every path of a report mapped, `None` for those that name no repository file.
    pub fn map_all(&self, paths: &[&str], sources: &[String]) -> Vec<Option<&'a str>> {
        let resolved: Vec<_> = paths.iter().map(|p| self.resolve(p, sources)).collect();
        let mut prefixes: HashMap<&str, usize> = HashMap::new();
        for (_, prefix) in resolved.iter().flatten() {
            if let Some(prefix) = prefix {
                *prefixes.entry(prefix.as_str()).or_default() += 1;
            }
        }
        let common = prefixes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(p, _)| p.to_owned());
        resolved
            .into_iter()
            .map(|r| match r {
                Some((file, None)) => Some(file),
                Some((file, Some(prefix))) if Some(&prefix) == common.as_ref() => Some(file),
                _ => None,
            })
            .collect()
    }

    /// The file `path` means and, when it was found by its tail, the prefix left over.
    fn resolve(&self, path: &str, sources: &[String]) -> Option<(&'a str, Option<String>)> {
        let path = normal(path);
        // Cobertura's file names are relative to its sources first.
        let relative = !is_absolute(&path);
        let candidates = sources
            .iter()
            .filter(|_| relative)
            .map(|s| format!("{}/{path}", normal(s).trim_end_matches('/')))
            .chain(std::iter::once(path.clone()));
        for candidate in candidates {
            if let Some(rel) = self.below_root(&candidate)
                && let Some(&file) = self.files.get(rel)
            {
                return Some((file, None));
            }
        }
        // The longest tail first: it is the most the report says about the file.
        let mut tail = path.trim_start_matches('/');
        while tail.contains('/') {
            if let Some(found) = self.tails.get(tail) {
                let prefix = path[..path.len() - tail.len()].to_owned();
                return found.map(|file| (file, Some(prefix)));
            }
            tail = tail.split_once('/')?.1;
        }
        None
    }

    /// `path` relative to the root, if it is the root's or relative already.
    fn below_root<'p>(&self, path: &'p str) -> Option<&'p str> {
        if !is_absolute(path) {
            return Some(path);
        }
        path.strip_prefix(self.root.as_str())?.strip_prefix('/')
    }
}

fn is_absolute(path: &str) -> bool {
    path.starts_with('/') || path.as_bytes().get(1) == Some(&b':')
}

/// `/` separators, no `./` segments, no doubled `/`, a lower-case drive letter.
fn normal(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    if path.as_bytes().get(1) == Some(&b':') {
        path[..1].make_ascii_lowercase();
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    for part in path.split('/').filter(|p| !p.is_empty() && *p != ".") {
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Mapper;

    const FILES: [&str; 5] = [
        "src/a.ts",
        "packages/web/src/b.ts",
        "packages/api/src/index.ts",
        "packages/web/src/index.ts",
        "lib/c.rs",
    ];

    #[test]
    fn report_paths_find_their_files() {
        let m = Mapper::new("/repo/", FILES);
        let none: [String; 0] = [];
        assert_eq!(m.map("/repo/src/a.ts", &none), Some("src/a.ts"));
        assert_eq!(m.map("./src/a.ts", &none), Some("src/a.ts"));
        assert_eq!(m.map("src//a.ts", &none), Some("src/a.ts"));
        assert_eq!(m.map("C:\\ci\\repo\\lib\\c.rs", &none), Some("lib/c.rs"));
        // A file name alone is not enough.
        assert_eq!(m.map("/usr/include/c.rs", &none), None);
        // Another machine's checkout, and a path relative to a package.
        assert_eq!(m.map("/home/ci/work/src/a.ts", &none), Some("src/a.ts"));
        assert_eq!(m.map("src/b.ts", &none), Some("packages/web/src/b.ts"));
        // Two files end in src/index.ts: a longer tail tells them apart, none does not.
        assert_eq!(
            m.map("web/src/index.ts", &none),
            Some("packages/web/src/index.ts")
        );
        assert_eq!(m.map("src/index.ts", &none), None);
        assert_eq!(m.map("/elsewhere/nothing.ts", &none), None);
    }

    #[test]
    fn cobertura_sources_are_tried() {
        let m = Mapper::new("/repo", FILES);
        let sources = ["/repo/packages/api".to_owned()];
        assert_eq!(
            m.map("src/index.ts", &sources),
            Some("packages/api/src/index.ts")
        );
    }

    #[test]
    fn a_report_from_elsewhere_maps_through_one_prefix() {
        let m = Mapper::new("/repo", ["src/lib.rs", "src/main.rs", "tests/it.rs"]);
        let paths = [
            "/ci/app/src/lib.rs",
            "/ci/app/src/main.rs",
            "/ci/app/tests/it.rs",
            // A dependency on the same machine: same tail, other prefix.
            "/root/.cargo/registry/src/index/dep-1.0/src/lib.rs",
        ];
        assert_eq!(
            m.map_all(&paths, &[]),
            [
                Some("src/lib.rs"),
                Some("src/main.rs"),
                Some("tests/it.rs"),
                None
            ]
        );
    }

    #[test]
    fn windows_drive_letters_match_in_either_case() {
        let m = Mapper::new("C:\\work\\repo", ["src/a.ts", "x/src/a.ts"]);
        assert_eq!(m.map("c:\\work\\repo\\src\\a.ts", &[]), Some("src/a.ts"));
    }
}
