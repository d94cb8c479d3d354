//! Path globs as users write them in rules: relative to the repository root, `/`-separated.

mod pattern;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use pattern::Pattern;

/// Compiles one glob. A pattern with no `/` matches at any depth, as in `.gitignore`.
pub fn compile(pattern: &str) -> Result<Glob, String> {
    let normalized = normalize(pattern);
    GlobBuilder::new(&normalized)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

fn normalize(pattern: &str) -> String {
    let p = pattern.strip_prefix("./").unwrap_or(pattern);
    let p = p.strip_prefix('/').unwrap_or(p);
    if p.contains('/') {
        p.to_owned()
    } else {
        format!("**/{p}")
    }
}

/// A set of globs. Most are matched by hand ([`pattern`]); globset's automata are built only for
/// a glob the hand matcher leaves to it, or on first use for a path whose basename globset reads
/// its own way (empty, or `..`), so loading many rules to ask about one path stays cheap.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "StoredGlobs", into = "StoredGlobs")]
pub struct Globs {
    pub patterns: Vec<String>,
    flavor: Flavor,
    /// A hand matcher per glob, when every glob has one.
    fast: Option<Vec<Pattern>>,
    set: OnceLock<GlobSet>,
}

/// How the globs are compiled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flavor {
    /// By [`compile`].
    Harness,
    /// With globset's defaults (`*` crosses `/`), as ast-grep does; case-insensitive per glob.
    AstGrep(Vec<bool>),
}

/// What [`Globs`] is stored as: how to build it again.
#[derive(Serialize, Deserialize)]
struct StoredGlobs {
    patterns: Vec<String>,
    flavor: Flavor,
}

impl Globs {
    /// How these globs read: harness's way, or ast-grep's.
    pub fn flavor(&self) -> &Flavor {
        &self.flavor
    }

    pub fn new(patterns: &[String]) -> Result<Globs, (String, String)> {
        for p in patterns {
            compile(p).map_err(|e| (p.clone(), e))?;
        }
        Globs::checked(patterns.to_vec())
    }

    /// A set of globs each already built once by [`compile`].
    pub(crate) fn checked(patterns: Vec<String>) -> Result<Globs, (String, String)> {
        let fast = patterns
            .iter()
            .map(|p| Pattern::parse(&normalize(p)))
            .collect();
        let globs = Globs {
            patterns,
            flavor: Flavor::Harness,
            fast,
            set: OnceLock::new(),
        };
        if globs.fast.is_none() {
            // Built now, so a glob globset cannot compile is still a load error.
            let set = globs
                .build_set()
                .map_err(|e| (globs.patterns.join(", "), e))?;
            let _ = globs.set.set(set);
        }
        Ok(globs)
    }

    /// A set from globs with globset's default options (ast-grep's semantics), each with
    /// whether it is case-insensitive, already built once to check them; globset builds the set
    /// on first use.
    pub fn astgrep(globs: Vec<(String, bool)>) -> Globs {
        let (patterns, case_insensitive) = globs.into_iter().unzip();
        Globs {
            patterns,
            flavor: Flavor::AstGrep(case_insensitive),
            fast: None,
            set: OnceLock::new(),
        }
    }

    fn build_set(&self) -> Result<GlobSet, String> {
        let mut builder = GlobSetBuilder::new();
        for (i, p) in self.patterns.iter().enumerate() {
            let glob = match &self.flavor {
                Flavor::Harness => compile(p)?,
                Flavor::AstGrep(case_insensitive) => GlobBuilder::new(p)
                    .case_insensitive(case_insensitive.get(i).copied().unwrap_or(false))
                    .build()
                    .map_err(|e| e.to_string())?,
            };
            builder.add(glob);
        }
        builder.build().map_err(|e| e.to_string())
    }

    fn set(&self) -> &GlobSet {
        self.set
            .get_or_init(|| self.build_set().unwrap_or_else(|_| GlobSet::empty()))
    }

    /// The hand matchers, if they decide `path`.
    fn fast(&self, path: &str) -> Option<&[Pattern]> {
        let plain = !path.is_empty() && path != ".." && !path.ends_with("/..");
        self.fast.as_deref().filter(|_| plain)
    }

    pub fn is_match(&self, path: &str) -> bool {
        match self.fast(path) {
            Some(fast) => fast.iter().any(|p| p.is_match(path.as_bytes())),
            None => self.set().is_match(path),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// How specific the most specific pattern matching `path` is: its count of literal path
    /// segments before the first wildcard (`src/db/**` 2, `src/**` 1, `**/*.ts` 0), or `None`
    /// if none matches.
    pub fn specificity(&self, path: &str) -> Option<usize> {
        let matching: Vec<usize> = match self.fast(path) {
            Some(fast) => (0..fast.len())
                .filter(|&i| fast[i].is_match(path.as_bytes()))
                .collect(),
            None => self.set().matches(path),
        };
        matching
            .into_iter()
            .map(|i| {
                self.patterns[i]
                    .split('/')
                    .take_while(|seg| !seg.contains(['*', '?', '[', '{']))
                    .count()
            })
            .max()
    }
}

impl From<Globs> for StoredGlobs {
    fn from(g: Globs) -> StoredGlobs {
        StoredGlobs {
            patterns: g.patterns,
            flavor: g.flavor,
        }
    }
}

impl TryFrom<StoredGlobs> for Globs {
    type Error = String;

    fn try_from(stored: StoredGlobs) -> Result<Globs, String> {
        match stored.flavor {
            Flavor::Harness => Globs::checked(stored.patterns).map_err(|(_, e)| e),
            Flavor::AstGrep(case_insensitive) => Ok(Globs::astgrep(
                stored.patterns.into_iter().zip(case_insensitive).collect(),
            )),
        }
    }
}

/// One glob, for callers that need to test a single pattern.
pub fn matcher(pattern: &str) -> Result<GlobMatcher, String> {
    compile(pattern).map(|g| g.compile_matcher())
}
