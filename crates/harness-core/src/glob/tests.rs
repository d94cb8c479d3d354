//! The hand matcher against globset itself: every pattern and path here must get globset's
//! answer.

use globset::GlobSetBuilder;

use super::pattern::Pattern;
use super::*;

fn globs(patterns: &[&str]) -> Globs {
    let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
    Globs::new(&patterns).unwrap()
}

/// Compares the hand matcher, and [`Globs`], with globset on every path; true if the hand
/// matcher took the glob, false if it left it to globset (or globset rejects it).
fn agrees<S: AsRef<str>>(pattern: &str, paths: &[S]) -> bool {
    let Ok(glob) = compile(pattern) else {
        return false;
    };
    let mut builder = GlobSetBuilder::new();
    builder.add(glob);
    let reference = builder.build().unwrap();
    let g = globs(&[pattern]);
    let fast = Pattern::parse(&normalize(pattern));
    for path in paths {
        let path = path.as_ref();
        let expected = reference.is_match(path);
        assert_eq!(g.is_match(path), expected, "Globs: `{pattern}` on `{path}`");
        let plain = !path.is_empty() && path != ".." && !path.ends_with("/..");
        if let Some(fast) = fast.as_ref().filter(|_| plain) {
            assert_eq!(
                fast.is_match(path.as_bytes()),
                expected,
                "hand matcher: `{pattern}` on `{path}`"
            );
        }
    }
    fast.is_some()
}

#[test]
fn bare_patterns_match_at_any_depth() {
    let g = globs(&["*.ts"]);
    assert!(g.is_match("src/a/b.ts"));
    let g = globs(&["src/*.ts"]);
    assert!(!g.is_match("src/a/b.ts"));
    assert!(g.is_match("src/b.ts"));
}

#[test]
fn longer_literal_globs_are_more_specific() {
    let g = globs(&["src/**", "src/db/**"]);
    assert_eq!(g.specificity("src/db/users.ts"), Some(2));
    assert_eq!(g.specificity("src/api.ts"), Some(1));
    assert_eq!(g.specificity("lib/a.ts"), None);
    let g = globs(&["**/*.{ts,tsx,js,jsx}"]);
    assert_eq!(g.specificity("src/a.ts"), Some(0));
}

/// Globs as rules, personas and `harness.toml` write them; the hand matcher must take each.
const PATTERNS: &[&str] = &[
    "src/ui/**",
    "src/ui/**/*.ts",
    "src/**/*.test.tsx",
    "**/*.test.ts",
    "*.ts",
    "src/*.ts",
    "**/*.{ts,tsx,js,jsx}",
    "src/{api,db}/**",
    "{src,lib}/**/*.{ts,tsx}",
    ".git/**",
    "migrations/applied/**",
    "docs/adr/*.md",
    "**",
    "**/",
    "src/**",
    "src/**/",
    "a/**/b/**/c",
    "src/[a-c]*/x?.ts",
    "src/[!a]/*",
    "src/[^a-]/*",
    "[]-]x",
    "**/node_modules/**",
    "./src/**",
    "/src/**",
    "Cargo.toml",
    "crates/*/src/**/*.rs",
    "**/*.d.ts",
    "src/**/**/x",
    "**/**/x",
    "a/**/**",
    "src/\\*.ts",
    "foo{,.txt}",
    "x{}y",
    "a{b,c{d,e}}f",
    "*.{md,MD}",
    "test_*.py",
    "**/__init__.py",
    "src/**x",
    "src/x**",
    "**x/y",
    "a/***",
    "a,b",
    "src/é/*.ts",
    "**/.env*",
    "src/ui/?",
];

const PATHS: &[&str] = &[
    "src/ui/m42/f4201.ts",
    "src/ui/a.ts",
    "src/ui",
    "src/ui/",
    "src/uix/a.ts",
    "src/api/x.test.ts",
    "src/api/x.test.tsx",
    "src/db/deep/er/x.test.tsx",
    "lib/a.tsx",
    "a.ts",
    "a.d.ts",
    ".ts",
    "/a.ts",
    "src/a.ts",
    "src/*.ts",
    ".git/config",
    ".git",
    "migrations/applied/001.sql",
    "docs/adr/0001-x.md",
    "docs/adr/sub/0001-x.md",
    "a/b/c",
    "a/c",
    "a/x/b/y/z/c",
    "a/b",
    "a/",
    "src/b/x1.ts",
    "src/d/xy.ts",
    "src/a/z",
    "src/b/z",
    "src/-/z",
    "]x",
    "-x",
    "node_modules/x/y.js",
    "web/node_modules/x",
    "Cargo.toml",
    "sub/Cargo.toml",
    "crates/core/src/lib.rs",
    "crates/core/src/a/b.rs",
    "src/x",
    "src/a/x",
    "src/a/b/x",
    "x",
    "x/y",
    "ax/y",
    "foo",
    "foo.txt",
    "xy",
    "abdf",
    "acf",
    "abf",
    "README.md",
    "docs/README.MD",
    "test_a.py",
    "pkg/__init__.py",
    "src/ax",
    "src/xa",
    "a/bcd",
    "a,b",
    "src/é/a.ts",
    ".env",
    "app/.env.local",
    "src/ui/x",
    "src/ui/xy",
    "a.",
    "src/a.ts.",
    "..",
    "a/..",
    "",
    "/",
    "//",
    "a//b",
    "x\ny.ts",
];

#[test]
fn hand_matcher_agrees_with_globset_on_common_globs() {
    for pattern in PATTERNS {
        assert!(
            Pattern::parse(&normalize(pattern)).is_some(),
            "`{pattern}` is left to globset"
        );
        assert!(agrees(pattern, PATHS));
    }
}

#[test]
fn globs_left_to_globset_still_match() {
    for pattern in ["[[:alpha:]]*.ts", "{a/**,b}", "[é]x", "{**/a,b}"] {
        assert!(Pattern::parse(&normalize(pattern)).is_none());
        agrees(pattern, PATHS);
    }
    let long = format!("src/{}/*.ts", "a".repeat(300));
    assert!(Pattern::parse(&long).is_none());
    assert!(globs(&[long.as_str()]).is_match(&format!("src/{}/b.ts", "a".repeat(300))));
}

/// xorshift64: the same "random" globs on every run.
struct Rng(u64);

impl Rng {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from[usize::try_from(self.0 % from.len() as u64).unwrap()]
    }

    fn string(&mut self, from: &[&str], max: usize) -> String {
        let len = self.pick(&["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
        let len: usize = len.parse::<usize>().unwrap() % (max + 1);
        (0..len).map(|_| self.pick(from)).collect()
    }
}

#[test]
fn hand_matcher_agrees_with_globset_on_generated_globs() {
    const PARTS: &[&str] = &[
        "a",
        "b",
        "c",
        ".",
        "/",
        "/",
        "*",
        "**",
        "**/",
        "/**",
        "?",
        "[ab]",
        "[!a]",
        "[^b]",
        "[a-c]",
        "[]a]",
        "[-a]",
        "[a-]",
        "[!/]",
        "[/]",
        "[.-0]",
        "{a,b}",
        "{,a}",
        "{a,}",
        "{}",
        "{a,{b,c}}",
        "{*,b}",
        "{a/b,c}",
        "{?,/}",
        "{**,a}",
        "[[:alpha:]]",
        "\\*",
        "\\a",
        ",",
        "-",
        "ts",
        "é",
        "{",
        "}",
        "[",
        "]",
        "!",
        "^",
        ":",
    ];
    const PATH_PARTS: &[&str] = &[
        "a", "b", "c", "ab", ".", "/", "/", "/", "ts", "-", ",", "*", "]", "é", "..", "x",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let paths: Vec<String> = (0..300).map(|_| rng.string(PATH_PARTS, 8)).collect();
    let mut taken = 0;
    for _ in 0..3000 {
        let pattern = rng.string(PARTS, 6);
        taken += usize::from(agrees(&pattern, &paths));
    }
    // Most generated globs must be taken by the hand matcher, or the test proves little.
    assert!(
        taken > 2000,
        "only {taken} of 3000 generated globs were matched by hand"
    );
}
