//! Path globs as users write them in rules: relative to the repository root, `/`-separated.

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

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

/// A compiled set of globs.
#[derive(Clone, Debug)]
pub struct Globs {
    set: GlobSet,
    pub patterns: Vec<String>,
}

impl Globs {
    pub fn new(patterns: &[String]) -> Result<Globs, (String, String)> {
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            builder.add(compile(p).map_err(|e| (p.clone(), e))?);
        }
        let set = builder
            .build()
            .map_err(|e| (patterns.join(", "), e.to_string()))?;
        Ok(Globs {
            set,
            patterns: patterns.to_vec(),
        })
    }

    pub fn is_match(&self, path: &str) -> bool {
        self.set.is_match(path)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// How specific the most specific pattern matching `path` is: its count of literal path
    /// segments before the first wildcard (`src/db/**` 2, `src/**` 1, `**/*.ts` 0), or `None`
    /// if none matches.
    pub fn specificity(&self, path: &str) -> Option<usize> {
        self.set
            .matches(path)
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

/// One glob, for callers that need to test a single pattern.
pub fn matcher(pattern: &str) -> Result<GlobMatcher, String> {
    compile(pattern).map(|g| g.compile_matcher())
}

impl Globs {
    /// A set from globs already built with their own options (ast-grep's semantics).
    pub fn from_built(globs: Vec<(String, Glob)>) -> Globs {
        let mut builder = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        for (p, g) in globs {
            builder.add(g);
            patterns.push(p);
        }
        Globs {
            set: builder.build().unwrap_or_else(|_| GlobSet::empty()),
            patterns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_patterns_match_at_any_depth() {
        let g = Globs::new(&["*.ts".to_owned()]).unwrap();
        assert!(g.is_match("src/a/b.ts"));
        let g = Globs::new(&["src/*.ts".to_owned()]).unwrap();
        assert!(!g.is_match("src/a/b.ts"));
        assert!(g.is_match("src/b.ts"));
    }

    #[test]
    fn longer_literal_globs_are_more_specific() {
        let g = Globs::new(&["src/**".to_owned(), "src/db/**".to_owned()]).unwrap();
        assert_eq!(g.specificity("src/db/users.ts"), Some(2));
        assert_eq!(g.specificity("src/api.ts"), Some(1));
        assert_eq!(g.specificity("lib/a.ts"), None);
        let g = Globs::new(&["**/*.{ts,tsx,js,jsx}".to_owned()]).unwrap();
        assert_eq!(g.specificity("src/a.ts"), Some(0));
    }
}
