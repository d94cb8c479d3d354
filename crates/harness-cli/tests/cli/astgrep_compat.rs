//! An existing ast-grep project works unchanged: its rule tests pass through `harness test` (as
//! they do through `ast-grep test`), and `harness check` finds exactly what `ast-grep scan` finds
//! on the same files: same rules, paths, lines, character columns and messages.
//!
//! The fixture `astgrep-project` is an ast-grep project as a team would write it: `sgconfig.yml`,
//! rules in TypeScript, TSX, JavaScript, Rust, Python, Go and Java, a global utility rule, rule
//! tests, and sources with matches after non-ASCII text, in CRLF files and under `ignores`.
//!
//! The comparison runs the real CLI: `HARNESS_TEST_AST_GREP`, else `ast-grep` on `PATH`.
//! `scripts/test.sh` installs it (the `ast-grep-cli` package from `PyPI`, the version harness links).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use insta::assert_snapshot;

use crate::common::Repo;

const FIXTURE: &str = "astgrep-project";

/// The ids of the fixture's rules (`rules/*.yml`, one rule per file).
fn rule_ids(root: &Path) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for entry in std::fs::read_dir(root.join("rules")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .expect("every rule file has an `id:` line");
        ids.insert(id.trim().to_owned());
    }
    ids
}

#[test]
fn rule_tests_pass() {
    let repo = Repo::fixture(FIXTURE);
    let run = repo.harness(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
}

/// Every rule has its own test file with several cases, and they pass one rule at a time too.
#[test]
fn every_rule_has_passing_tests() {
    let repo = Repo::fixture(FIXTURE);
    let ids = rule_ids(repo.path());
    assert!(ids.len() >= 12, "{ids:?}");
    for id in &ids {
        let file = repo.path().join(format!("rule-tests/{id}-test.yml"));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(text.starts_with(&format!("id: {id}\n")), "{text}");
        let run = repo.harness(&["test", "--rule", id]);
        assert_eq!(run.code, 0, "{}", run.snapshot());
        let passed: usize = run
            .stdout
            .strip_prefix("harness test: ")
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{}", run.snapshot()));
        assert!(passed >= 4, "{id}: only {passed} cases\n{}", run.snapshot());
    }
}

/// The same rule tests pass under the real `ast-grep test`, so they are ast-grep's own format.
#[test]
fn rule_tests_pass_under_ast_grep_too() {
    let repo = Repo::fixture(FIXTURE);
    let out = ast_grep(repo.path(), &["test", "--skip-snapshot-tests"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let count = rule_ids(repo.path()).len();
    assert!(
        out.status.success() && stdout.contains(&format!("test result: ok. {count} passed;")),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn rule_test_failures_are_reported_exactly() {
    let repo = Repo::fixture(FIXTURE);
    let file = "rule-tests/no-console-log-test.yml";
    let text = std::fs::read_to_string(repo.path().join(file)).unwrap();
    // One more valid case that matches (at its line 2), one more invalid case that does not.
    let broken = text.replace(
        "\ninvalid:\n",
        "\n  - \"if (debug) {\\n  console.log(state);\\n}\"\ninvalid:\n",
    ) + "  - console.info(\"started\")\n";
    assert_ne!(broken, text);
    repo.write(file, &broken);
    let run = repo.harness(&["test"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    assert_snapshot!(run.snapshot());
    // ast-grep fails on the same rule, and only on it.
    let out = ast_grep(repo.path(), &["test", "--skip-snapshot-tests"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let failed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("FAIL "))
        .collect();
    assert!(
        !out.status.success() && failed.len() == 1 && failed[0].starts_with("no-console-log "),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_maps_severity_to_priority() {
    let repo = Repo::fixture(FIXTURE);
    assert_snapshot!(
        repo.harness(&["check", "--format", "agent", "--max-bytes", "0"])
            .snapshot()
    );
}

/// The ast-grep CLI: `HARNESS_TEST_AST_GREP`, else `ast-grep` on `PATH`. Fails when neither
/// runs: a missing CLI must not pass as a skipped comparison.
fn ast_grep_cli() -> PathBuf {
    let candidate = std::env::var_os("HARNESS_TEST_AST_GREP")
        .map_or_else(|| PathBuf::from("ast-grep"), PathBuf::from);
    let works = Command::new(&candidate)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "the ast-grep CLI ({}) is not runnable: run scripts/test.sh, which installs ast-grep-cli \
         from PyPI into .tools/ and points HARNESS_TEST_AST_GREP at it",
        candidate.display()
    );
    candidate
}

/// Runs the ast-grep CLI with `args` in `dir`.
fn ast_grep(dir: &Path, args: &[&str]) -> Output {
    Command::new(ast_grep_cli())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// One match as both tools report it: 1-based lines and columns, columns in characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Match {
    rule: String,
    path: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}:{}:{}-{}:{}",
            self.rule, self.path, self.line, self.column, self.end_line, self.end_column
        )
    }
}

/// `ast-grep scan --json=stream`: one object per line, with 0-based `range.start/end.line/column`.
fn ast_grep_matches(dir: &Path) -> BTreeMap<Match, String> {
    let out = ast_grep(dir, &["scan", "--json=stream"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 1 only says that error-severity rules matched.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "ast-grep scan failed: {stderr}"
    );
    let mut found = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        let m: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("ast-grep printed {line:?}: {e}\n{stderr}"));
        let at = |end: &str, key: &str| m["range"][end][key].as_u64().unwrap() + 1;
        let key = Match {
            rule: m["ruleId"].as_str().unwrap().to_owned(),
            path: m["file"].as_str().unwrap().replace('\\', "/"),
            line: at("start", "line"),
            column: at("start", "column"),
            end_line: at("end", "line"),
            end_column: at("end", "column"),
        };
        found.insert(key, m["message"].as_str().unwrap().to_owned());
    }
    found
}

/// `harness check --format json`: 1-based `line`, `column`, `end_line`, `end_column`.
fn harness_matches(repo: &Repo) -> BTreeMap<Match, String> {
    let run = repo.harness(&["check", "--format", "json", "--no-cache"]);
    let report: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.snapshot()));
    let mut found = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let key = Match {
            rule: f["rule"].as_str().unwrap().to_owned(),
            path: f["path"].as_str().unwrap().to_owned(),
            line: f["line"].as_u64().unwrap(),
            column: f["column"].as_u64().unwrap(),
            end_line: f["end_line"].as_u64().unwrap(),
            end_column: f["end_column"].as_u64().unwrap(),
        };
        found.insert(key, f["message"].as_str().unwrap().to_owned());
    }
    found
}

/// The lines of a diff between two sorted lists: `- ` only in `theirs`, `+ ` only in `ours`.
fn diff(theirs: &BTreeSet<String>, ours: &BTreeSet<String>) -> String {
    let mut lines: Vec<String> = theirs
        .difference(ours)
        .map(|m| format!("- {m}"))
        .chain(ours.difference(theirs).map(|m| format!("+ {m}")))
        .collect();
    lines.sort_by(|a, b| a[2..].cmp(&b[2..]));
    lines.join("\n")
}

#[test]
fn same_matches_as_the_ast_grep_cli() {
    let repo = Repo::fixture(FIXTURE);
    let theirs = ast_grep_matches(repo.path());
    let ours = harness_matches(&repo);

    let show = |m: &BTreeMap<Match, String>| -> BTreeSet<String> {
        m.keys().map(ToString::to_string).collect()
    };
    let (their_spans, our_spans) = (show(&theirs), show(&ours));
    assert!(
        their_spans == our_spans,
        "matches differ (- only ast-grep, + only harness):\n{}",
        diff(&their_spans, &our_spans)
    );
    let messages = |m: &BTreeMap<Match, String>| -> BTreeSet<String> {
        m.iter().map(|(k, v)| format!("{k}  {v}")).collect()
    };
    let (their_messages, our_messages) = (messages(&theirs), messages(&ours));
    assert!(
        their_messages == our_messages,
        "messages differ (- ast-grep, + harness):\n{}",
        diff(&their_messages, &our_messages)
    );

    // Not vacuous: every rule of the project matches somewhere.
    let matched: BTreeSet<String> = ours.keys().map(|m| m.rule.clone()).collect();
    assert_eq!(matched, rule_ids(repo.path()), "rules without a match");
    // A CRLF file is among the sources (a checkout must not convert it).
    let crlf = std::fs::read_to_string(repo.path().join("src/server/windows.ts")).unwrap();
    assert!(
        crlf.contains("\r\n"),
        "src/server/windows.ts lost its CRLF line ends"
    );

    // Columns count characters (not bytes, not UTF-16 units) in both tools: line 2 of
    // src/app.ts has a 4-byte, 2-unit emoji before `console.log`.
    let text = std::fs::read_to_string(repo.path().join("src/app.ts")).unwrap();
    let line = text.lines().nth(1).unwrap();
    let prefix = &line[..line.find("console.log(rocket").unwrap()];
    let chars = u64::try_from(prefix.chars().count()).unwrap() + 1;
    let utf16 = u64::try_from(prefix.encode_utf16().count()).unwrap() + 1;
    assert!(prefix.len() + 1 != usize::try_from(chars).unwrap() && utf16 != chars);
    for (tool, found) in [("ast-grep", &theirs), ("harness", &ours)] {
        assert!(
            found.keys().any(|m| m.rule == "no-console-log"
                && m.path == "src/app.ts"
                && m.line == 2
                && m.column == chars),
            "{tool}: no match at src/app.ts:2:{chars} (character column)"
        );
    }
}

#[test]
fn disabled_rules_do_not_run_and_their_tests_are_skipped() {
    let repo = Repo::fixture(FIXTURE);
    let path = repo.path().join("rules/no-var.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("severity: hint"), "{text}");
    std::fs::write(&path, text.replace("severity: hint", "severity: off")).unwrap();
    let run = repo.harness(&["test"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        run.stdout
            .contains("skipped the tests of no-var (severity: off)"),
        "{}",
        run.stdout
    );
    let run = repo.harness(&["check", "--format", "json", "--no-cache"]);
    assert!(
        !run.stdout.contains("\"rule\": \"no-var\""),
        "{}",
        run.stdout
    );
    let run = repo.harness(&["explain", "no-var"]);
    assert!(
        run.stdout.starts_with("no-var (P3, ast, off)"),
        "{}",
        run.stdout
    );
}
