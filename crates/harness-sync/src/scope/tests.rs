use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use harness_core::glob::Globs;
use harness_core::rule::PathFilter;

use super::*;

/// Paths to compare matchers on: nested, similar names, dotfiles, extensions.
const PATHS: &[&str] = &[
    "a.ts",
    "a.tsx",
    "b.js",
    "src",
    "src/a.ts",
    "src/a.tsx",
    "src/a.test.ts",
    "src/api/x.ts",
    "src/api/v1/y.ts",
    "src/api/v1/y.js",
    "src/routes/r.ts",
    "srcx/a.ts",
    "lib/src/a.ts",
    "lib/b.js",
    "docs/adr/0001.md",
    "a/b/c/d.rs",
    "a/x/b",
    "a/b",
    ".github/workflows/ci.yml",
    "test/a_test.go",
    "pkg/test/b_test.go",
];

/// The consumers' reading: root-relative, `*` within a folder.
fn consumer(globs: &[String]) -> GlobSet {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        set.add(GlobBuilder::new(g).literal_separator(true).build().unwrap());
    }
    set.build().unwrap()
}

fn same_files(ours: &Globs, translated: &[String]) {
    let theirs = consumer(translated);
    for path in PATHS {
        assert_eq!(
            ours.is_match(path),
            theirs.is_match(path),
            "{:?} vs {translated:?} on {path}",
            ours.patterns
        );
    }
}

#[test]
fn harness_globs_translate_to_the_same_files() {
    for pattern in [
        "*.ts",
        "./src/**",
        "/src/*.ts",
        "src/**/*.{ts,tsx}",
        "{src,lib}/**/*.{ts,js}",
        "src/api/**",
        "**/test/**",
        "*_test.go",
        "src/[a-z].ts",
        "a/*/b",
        "src/**/*.test.ts",
        "**",
    ] {
        let globs = Globs::new(&[pattern.to_owned()]).unwrap();
        let translated = translate(&globs).unwrap_or_else(|| panic!("{pattern}"));
        assert!(translated.iter().all(|g| !g.contains(['{', ','])));
        same_files(&globs, &translated);
    }
    assert_eq!(harness_glob("*.ts").unwrap(), ["**/*.ts"]);
    assert_eq!(harness_glob("./src/**").unwrap(), ["src/**"]);
}

#[test]
fn globs_the_consumers_cannot_read_are_not_translated() {
    for pattern in [r"a\*b", "src/a,b", "!src/**", "src/[/]x"] {
        assert_eq!(harness_glob(pattern), None, "{pattern}");
    }
    assert_eq!(astgrep_glob("src/?.ts", false), None);
    assert_eq!(astgrep_glob("src/*.ts", true), None);
}

#[test]
fn astgrep_stars_cross_folders_and_translate_to_the_same_files() {
    for pattern in [
        "src/*.ts",
        "*.ts",
        "src/**/*.ts",
        "**/test/*",
        "src*",
        "a/*/b",
        "a/x*",
        "**",
    ] {
        let globs = Globs::astgrep(vec![(pattern.to_owned(), false)]);
        let translated = translate(&globs).unwrap_or_else(|| panic!("{pattern}"));
        same_files(&globs, &translated);
    }
    assert_eq!(astgrep_glob("src/*.ts", false).unwrap(), ["src/**/*.ts"]);
    assert_eq!(astgrep_glob("src*", false).unwrap(), ["src*", "src*/**/*"]);
}

#[test]
fn braces_expand_like_globset_reads_them() {
    assert_eq!(
        expand_braces("a{b,c{d,e}}f").unwrap(),
        ["abf", "acdf", "acef"]
    );
    assert_eq!(expand_braces("x[{,]y").unwrap(), ["x[{,]y"]);
    assert_eq!(expand_braces("a{b"), None);
    assert_eq!(expand_braces("a}b"), None);
    // globset never matches an empty alternative.
    let empty = Globs::new(&["src/a{,.ts}".to_owned()]).unwrap();
    assert!(!empty.is_match("src/a") && empty.is_match("src/a.ts"));
    assert_eq!(expand_braces("src/a{,.ts}").unwrap(), ["src/a.ts"]);
    assert_eq!(expand_braces("a{,}"), None);
}

fn filter(paths: &[&str], ignores: &[&str]) -> PathFilter {
    let globs = |list: &[&str]| {
        (!list.is_empty())
            .then(|| Globs::new(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap())
    };
    PathFilter {
        paths: globs(paths),
        ignores: globs(ignores),
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn ignores_are_dropped_only_when_they_change_nothing() {
    // Disjoint: nothing under src/ is under vendor/.
    let s = of_rule(&filter(&["src/**"], &["vendor/**"]));
    assert_eq!(s.at, Where::Globs(strings(&["src/**"])));
    assert!(s.exceptions.is_empty());
    // Overlapping: stated in the text.
    let s = of_rule(&filter(&["src/**"], &["src/routes/**", "**/*.test.ts"]));
    assert_eq!(s.at, Where::Globs(strings(&["src/**"])));
    assert_eq!(s.exceptions, strings(&["src/routes/**", "**/*.test.ts"]));
    // A path glob inside an ignored folder is dropped.
    let s = of_rule(&filter(&["src/**", "gen/*.ts"], &["gen/**"]));
    assert_eq!(s.at, Where::Globs(strings(&["src/**"])));
    assert!(s.exceptions.is_empty());
    let s = of_rule(&filter(&["gen/**"], &["gen/**"]));
    assert_eq!(s.at, Where::Nowhere);
    // No paths: every file, ignores stated.
    let s = of_rule(&filter(&[], &["vendor/**"]));
    assert_eq!(s.at, Where::Everywhere);
    assert_eq!(s.exceptions, strings(&["vendor/**"]));
    assert_eq!(of_rule(&filter(&["**"], &[])).at, Where::Everywhere);
    assert_eq!(
        of_rule(&filter(&[r"src/\*"], &[])).at,
        Where::Unexpressed(strings(&[r"src/\*"]))
    );
}

#[test]
fn stems_name_scopes_by_their_words() {
    assert_eq!(stem(&strings(&["src/api/**"])), ("src-api".into(), false));
    assert_eq!(
        stem(&strings(&["**/*.ts", "**/*.tsx"])),
        ("ts-tsx".into(), false)
    );
    assert_eq!(stem(&strings(&["**/*"])), ("root".into(), false));
    assert_eq!(
        stem(&strings(&["src/**/*.ts", "src/**/*.tsx"])),
        ("src-ts-tsx".into(), false)
    );
    let long = stem(&strings(&[
        "services/billing/src/**/*.rs",
        "services/payments/src/**/*.rs",
        "services/ledger/src/**/*.rs",
        "services/invoices/src/**/*.rs",
        "services/accounts/src/**/*.rs",
    ]));
    assert!(long.1 && long.0.len() <= 48, "{long:?}");
    assert_ne!(
        short_hash(&strings(&["src/a-b/**"])),
        short_hash(&strings(&["src/a/b/**"]))
    );
    assert_eq!(
        short_hash(&strings(&["src/**"])),
        short_hash(&strings(&["src/**"]))
    );
}
