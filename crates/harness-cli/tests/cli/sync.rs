//! `harness sync`: instruction files for Cursor, Copilot, Claude Code and Gemini CLI, checked
//! the way those tools read them (YAML front matter, their globs against a real file tree),
//! written only where harness's marker is, and `--check` for CI.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{GlobBuilder, GlobSetBuilder};
use insta::assert_snapshot;

use crate::common::Repo;

const RULES: &str = r#"id: no-console
priority: P3
message: no console.log in committed code
regex:
  pattern: 'console\.log'
---
id: fetch-without-timeout
priority: P1
message: fetch() without a timeout can hang forever
why: A hung request holds a worker until the load balancer kills it.
fix: "pass an abort signal: fetch(url, { signal: AbortSignal.timeout(10_000) })"
runbook: docs/runbooks/network-timeouts.md
paths: ["src/api/**"]
regex:
  pattern: 'fetch\('
---
id: api-file-size
priority: P2
message: API modules stay under 300 lines
paths: ["./src/api/**"]
max-lines:
  max: 300
---
id: no-any
priority: P2
message: "`any` outside the boundary layers hides type errors"
paths: ["src/**/*.{ts,tsx}"]
ignores: ["src/routes/**"]
regex:
  pattern: ': any\b'
---
id: test-names
priority: P3
message: test files end in _test.go
paths: ["*_test.go"]
ignores: ["vendor/**"]
regex:
  pattern: 'func Test'
---
id: generated-untouched
priority: P2
message: generated code is not edited by hand
paths: ["gen/**", "src/gen/**"]
ignores: ["src/gen/**"]
regex:
  pattern: 'x'
---
id: todo-needs-ticket
language: typescript
severity: warning
message: a TODO names its ticket
files: ["src/*.ts"]
rule:
  pattern: $A
"#;

/// A repository with rules of every scope shape, a persona, decisions and AGENTS.md.
fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write("AGENTS.md", "# Working here\n\n1. Read the ticket.\n")
        .write(".harness/rules/rules.yml", RULES)
        .write(
            ".harness/rules/scripts.yml",
            "id: scripts-shebang\npriority: P3\nmessage: scripts start with a shebang\n\
             paths: [\"scripts/**\"]\nregex:\n  pattern: '\\A'\n",
        )
        .write(
            ".harness/personas/security.md",
            "---\nname: security\ndescription: what an attacker would try\napplies_to: [\"src/api/**\"]\n---\n\
             - Every handler checks the caller's permissions.\n- No secrets in logs.\n",
        )
        .write(
            "docs/adr/0001-use-postgres.md",
            "# Use Postgres\n\nAll data lives in Postgres.\n",
        )
        .write(
            "docs/adr/0002-repositories.md",
            "---\napplies_to: [\"src/db/**\"]\ndescription: every query goes through the repository layer\n---\n\
             # Database access through repositories\n",
        );
    repo
}

/// Source files for the glob comparison: nested folders, similar names, several extensions.
const TREE: &[&str] = &[
    "index.ts",
    "main_test.go",
    "gen/types.ts",
    "gen/deep/more.ts",
    "scripts/build.sh",
    "scripts/ci/deploy.sh",
    "src/app.ts",
    "src/app.tsx",
    "src/app.test.ts",
    "src/api/users.ts",
    "src/api/v1/orders.ts",
    "src/api/v1/orders.js",
    "src/api/README.md",
    "src/db/users.ts",
    "src/gen/client.ts",
    "src/routes/home.tsx",
    "src/routes/nested/page.ts",
    "src/x/src/api/odd.ts",
    "srcx/api/nope.ts",
    "lib/src/api/other.ts",
    "pkg/store/store_test.go",
    "vendor/lib/lib_test.go",
    "docs/readme.md",
];

fn with_tree(repo: &Repo) {
    for path in TREE {
        repo.write(path, "x\n");
    }
}

/// Every file under the repository but `.git`, and its text.
fn files(repo: &Repo) -> BTreeMap<String, String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                if rel != ".git" {
                    walk(&path, base, out);
                }
            } else {
                out.insert(rel, std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(repo.path(), repo.path(), &mut out);
    out
}

/// The files harness sync writes, one after the other.
fn generated(repo: &Repo) -> String {
    files(repo)
        .into_iter()
        .filter(|(path, _)| {
            path.starts_with(".cursor/")
                || path.starts_with(".github/")
                || path == "CLAUDE.md"
                || path == "GEMINI.md"
        })
        .fold(String::new(), |mut out, (path, text)| {
            out.push_str(&format!("===== {path} =====\n{text}"));
            out
        })
}

#[test]
fn sync_writes_instruction_files_for_every_agent() {
    let repo = repo();
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_snapshot!(run.snapshot());
    assert_snapshot!("generated_files", generated(&repo));
}

/// The front matter of a generated file, parsed as YAML, and its raw text.
fn front_matter(text: &str) -> (serde_json::Value, String) {
    let rest = text.strip_prefix("---\n").expect("front matter first");
    let (front, _) = rest.split_once("\n---\n").expect("front matter closed");
    (serde_saphyr::from_str(front).unwrap(), front.to_owned())
}

#[test]
fn front_matter_parses_as_yaml_with_real_booleans_and_quoted_globs() {
    let repo = repo();
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let all = files(&repo);
    let mdc: Vec<(&String, &String)> = all
        .iter()
        .filter(|(p, _)| Path::new(p).extension().is_some_and(|e| e == "mdc"))
        .collect();
    assert!(mdc.len() >= 5, "{mdc:?}");
    for (path, text) in mdc {
        let (yaml, raw) = front_matter(text);
        let always = yaml["alwaysApply"]
            .as_bool()
            .unwrap_or_else(|| panic!("{path}: alwaysApply is not a YAML boolean"));
        assert!(yaml["description"].is_string(), "{path}");
        if always {
            assert!(yaml.get("globs").is_none(), "{path}");
        } else {
            assert!(yaml["globs"].is_string(), "{path}");
            assert!(
                raw.contains("\nglobs: \""),
                "{path}: globs are not quoted:\n{raw}"
            );
        }
        assert!(
            text.contains(&format!("---\n{}\n", harness_sync::MARKER)),
            "{path}"
        );
    }
    for (path, text) in all.iter().filter(|(p, _)| p.ends_with(".instructions.md")) {
        let (yaml, raw) = front_matter(text);
        assert!(yaml["applyTo"].is_string(), "{path}");
        assert!(
            raw.starts_with("applyTo: \""),
            "{path}: applyTo is not quoted"
        );
    }
}

/// The paths of `tree` a comma-separated glob list selects, read as GitHub documents it (from
/// the repository root, `*` within a folder) or, with `vscode`, as VS Code does (`**/` put in
/// front of a glob that lacks it, case ignored).
fn selected(list: &str, tree: &[String], vscode: bool) -> Vec<String> {
    let mut set = GlobSetBuilder::new();
    for glob in list.split(',') {
        let glob = if vscode && !glob.starts_with("**/") && !glob.starts_with('/') {
            format!("**/{glob}")
        } else {
            glob.to_owned()
        };
        set.add(
            GlobBuilder::new(&glob)
                .literal_separator(true)
                .case_insensitive(vscode)
                .build()
                .unwrap(),
        );
    }
    let set = set.build().unwrap();
    tree.iter().filter(|p| set.is_match(p)).cloned().collect()
}

/// The generated file of `dir` that holds the entry starting `needle`, its glob list (`None`
/// for the file applied everywhere) and the entry's text.
fn holder(
    all: &BTreeMap<String, String>,
    always: &str,
    dir: &str,
    key: &str,
    needle: &str,
) -> (String, Option<String>, String) {
    let mut found: Vec<(String, Option<String>, String)> = Vec::new();
    for (path, text) in all {
        if !(path == always || path.starts_with(dir)) {
            continue;
        }
        if let Some(at) = text.find(needle) {
            let entry = text[at..]
                .split("\n- ")
                .next()
                .unwrap()
                .split("\n## ")
                .next()
                .unwrap();
            let globs =
                (path != always).then(|| front_matter(text).0[key].as_str().unwrap().to_owned());
            found.push((path.clone(), globs, entry.to_owned()));
        }
    }
    assert_eq!(found.len(), 1, "{needle} in {dir}: {found:?}");
    found.remove(0)
}

#[test]
fn scoped_files_select_the_same_files_as_the_rules() {
    let repo = repo();
    with_tree(&repo);
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let kb = harness_core::load(repo.path()).unwrap();
    let guidance = harness_core::load_guidance(repo.path()).unwrap();
    let all = files(&repo);
    let tree: Vec<String> = all.keys().cloned().collect();
    let consumers = [
        (
            ".github/copilot-instructions.md",
            ".github/instructions/",
            "applyTo",
        ),
        (
            ".cursor/rules/harness.mdc",
            ".cursor/rules/harness-",
            "globs",
        ),
    ];
    let mut exact = 0;
    for (always, dir, key) in consumers {
        for rule in &kb.rules {
            let expected: Vec<String> = tree
                .iter()
                .filter(|p| rule.filter.applies(p))
                .cloned()
                .collect();
            let needle = format!("** `{}`", rule.id);
            let (path, globs, entry) = holder(&all, always, dir, key, &needle);
            let selected = globs
                .as_deref()
                .map_or_else(|| tree.clone(), |g| selected(g, &tree, false));
            let ignores = rule
                .filter
                .ignores
                .as_ref()
                .map(|g| g.patterns.clone())
                .unwrap_or_default();
            if entry.contains("does not apply to:") || entry.contains("applies only to:") {
                // Not expressible as globs: a superset, with the exceptions in the text.
                assert!(
                    expected.iter().all(|p| selected.contains(p)),
                    "{} in {path}",
                    rule.id
                );
                for ignore in &ignores {
                    assert!(
                        entry.contains(&format!("`{ignore}`")),
                        "{} lacks {ignore}:\n{entry}",
                        rule.id
                    );
                }
            } else {
                assert_eq!(selected, expected, "{} in {path} ({globs:?})", rule.id);
                exact += 1;
            }
            if let Some(g) = &globs {
                let vscode = selected_vscode(g, &tree);
                assert!(
                    expected.iter().all(|p| vscode.contains(p)),
                    "{} in VS Code",
                    rule.id
                );
            }
        }
        for g in guidance.iter().filter(|g| g.applies_to.is_some()) {
            let globs = g.applies_to.as_ref().unwrap();
            let expected: Vec<String> =
                tree.iter().filter(|p| globs.is_match(p)).cloned().collect();
            let needle = format!("From `{}`", g.path);
            let (path, list, _) = holder(&all, always, dir, key, &needle);
            let selected = list
                .as_deref()
                .map_or_else(|| tree.clone(), |l| selected(l, &tree, false));
            assert_eq!(selected, expected, "{} in {path}", g.path);
        }
    }
    // All but `no-any` and `test-names`, whose ignores overlap their paths, in both tools.
    assert_eq!(exact, 2 * (kb.rules.len() - 2));
}

fn selected_vscode(list: &str, tree: &[String]) -> Vec<String> {
    selected(list, tree, true)
}

#[test]
fn a_second_sync_changes_nothing() {
    let repo = repo();
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let before = files(&repo);
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("unchanged ") || l.starts_with("harness sync: ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("harness sync: 18 unchanged\n"),
        "{}",
        run.stdout
    );
    assert_eq!(files(&repo), before);
}

#[test]
fn hand_written_files_are_never_touched() {
    let repo = repo();
    repo.write("CLAUDE.md", "# Ours\n\nUse tabs.\n")
        .write(".github/copilot-instructions.md", "# Ours\n")
        .write(
            ".cursor/rules/harness.mdc",
            "---\nalwaysApply: true\n---\nOurs.\n",
        )
        .write(
            ".cursor/rules/style.mdc",
            "---\nalwaysApply: true\n---\nOur style.\n",
        )
        .write(
            ".github/instructions/go.instructions.md",
            "---\napplyTo: \"**/*.go\"\n---\nOurs.\n",
        )
        .write("GEMINI.md", "# Ours\n\n@AGENTS.md\n");
    let hand_written: BTreeMap<String, String> = files(&repo)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".harness/") && !p.starts_with("docs/"))
        .collect();
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0);
    assert_snapshot!(run.snapshot());
    let after = files(&repo);
    for (path, text) in &hand_written {
        assert_eq!(after.get(path), Some(text), "{path} changed");
    }
    // What sync leaves alone does not make the check fail: running sync would not change it.
    let check = repo.harness(&["sync", "--check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn check_exits_1_when_stale_and_0_after_sync() {
    let repo = repo();
    let missing = repo.harness(&["sync", "--check"]);
    assert_eq!(missing.code, 1);
    assert!(!repo.path().join(".cursor").exists(), "--check wrote files");
    assert_snapshot!(missing.snapshot());
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let fresh = repo.harness(&["sync", "--check"]);
    assert_eq!(fresh.code, 0);
    assert_eq!(fresh.stdout, "harness sync --check: 18 files up to date\n");
    repo.write(
        ".harness/rules/scripts.yml",
        "id: scripts-shebang\npriority: P2\nmessage: scripts start with a shebang\n\
         paths: [\"scripts/**\"]\nregex:\n  pattern: '\\A'\n",
    );
    let stale = repo.harness(&["sync", "--check"]);
    assert_eq!(stale.code, 1);
    assert_eq!(
        stale.stdout,
        "stale .cursor/rules/harness-scripts.mdc\nstale .github/instructions/harness-scripts.instructions.md\n\
         harness sync --check: 2 files out of date; run `harness sync`\n"
    );
}

#[test]
fn a_removed_rule_takes_its_generated_files_with_it() {
    let repo = repo();
    assert_eq!(repo.harness(&["sync"]).code, 0);
    repo.write(
        ".cursor/rules/mine.mdc",
        "---\nalwaysApply: true\n---\nOurs.\n",
    );
    repo.remove(".harness/rules/scripts.yml");
    let check = repo.harness(&["sync", "--check"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.starts_with("extra .cursor/rules/harness-scripts.mdc\nextra .github/instructions/harness-scripts.instructions.md\n"), "{}", check.stdout);
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("removed .cursor/rules/harness-scripts.mdc\n")
    );
    assert!(
        run.stdout
            .contains("removed .github/instructions/harness-scripts.instructions.md\n")
    );
    assert!(
        run.stdout
            .ends_with("harness sync: 2 removed, 16 unchanged\n"),
        "{}",
        run.stdout
    );
    assert!(
        !repo
            .path()
            .join(".cursor/rules/harness-scripts.mdc")
            .exists()
    );
    assert!(repo.path().join(".cursor/rules/mine.mdc").exists());
    // Without AGENTS.md there is nothing to import: the generated CLAUDE.md and GEMINI.md go.
    repo.remove("AGENTS.md");
    let run = repo.harness(&["sync"]);
    assert!(
        run.stdout
            .contains("removed CLAUDE.md\nremoved GEMINI.md\n"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_claude_md_linked_to_agents_md_and_gemini_settings_naming_it_are_enough() {
    let repo = repo();
    // Cursor's globs chosen, so no note about them either.
    repo.write("harness.toml", "[sync]\ncursor_globs = \"quoted\"\n");
    assert_eq!(repo.harness(&["sync"]).code, 0);
    repo.remove("CLAUDE.md");
    std::os::unix::fs::symlink("AGENTS.md", repo.path().join("CLAUDE.md")).unwrap();
    repo.write(
        ".gemini/settings.json",
        "{\n  // Gemini reads AGENTS.md itself.\n  \"context\": {\"fileName\": [\"AGENTS.md\", \"GEMINI.md\"]}\n}\n",
    );
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("unchanged CLAUDE.md\nremoved GEMINI.md\n"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(repo.path().join("CLAUDE.md").is_symlink());
    assert_eq!(repo.harness(&["sync", "--check"]).code, 0);
}

#[test]
fn claude_md_is_what_install_writes() {
    let repo = repo();
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let written = std::fs::read_to_string(repo.path().join("CLAUDE.md")).unwrap();
    assert_eq!(written, harness_hooks::install::claude::MEMORY);
}

/// A rules folder linked out of the repository (shared by several) is never written or
/// cleaned: another repository's files in it stay.
#[test]
fn a_folder_linked_out_of_the_repository_is_left_alone() {
    let shared = tempfile::tempdir().unwrap();
    std::fs::write(
        shared.path().join("harness-other.mdc"),
        "<!-- generated by harness sync; edit .harness/ and run harness sync -->\n",
    )
    .unwrap();
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write("AGENTS.md", "# Agents\n")
        .write(
            ".harness/rules/a.yml",
            "id: a\npriority: P2\nmessage: m\npaths: [\"src/**\"]\nregex:\n  pattern: x\n",
        );
    std::fs::create_dir_all(repo.path().join(".cursor")).unwrap();
    std::os::unix::fs::symlink(shared.path(), repo.path().join(".cursor/rules")).unwrap();
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let mut names: Vec<String> = std::fs::read_dir(shared.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["harness-other.mdc"], "{}", run.snapshot());
}

/// A named pipe where an instruction file would be is left alone, never read (which would
/// wait forever).
#[test]
fn a_named_pipe_is_not_read() {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write("AGENTS.md", "# Agents\n");
    std::fs::create_dir_all(repo.path().join(".github")).unwrap();
    let fifo = repo.path().join(".github/copilot-instructions.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let run = repo.harness(&["sync"]);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(
        repo.path()
            .join(".github/instructions/harness.instructions.md")
            .is_file(),
        "{}",
        run.snapshot()
    );
}

#[test]
fn harness_toml_can_ask_for_bare_cursor_globs() {
    let repo = repo();
    repo.write("harness.toml", "[sync]\ncursor_globs = \"bare\"\n");
    assert_eq!(repo.harness(&["sync"]).code, 0);
    let scripts = repo.read_text(".cursor/rules/harness-scripts.mdc");
    assert!(
        scripts.contains("\nglobs: scripts/**\nalwaysApply: false\n"),
        "{scripts}"
    );
    assert_eq!(repo.harness(&["sync", "--check"]).code, 0);
    // Back to the default: the files are stale until synced again.
    repo.write("harness.toml", "");
    assert_eq!(repo.harness(&["sync", "--check"]).code, 1);
}
