//! `harness init` on fixture repositories of three kinds, and on repositories that already
//! hold some of what it writes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Repo, Run, only_git};

/// Every file under `root` but `.git` and `.harness/state`, with its text.
fn tree(root: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel == ".git" || rel == ".harness/state" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(rel, std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    files
}

/// `harness init --yes` with no agent CLI on PATH, so its next steps are the same everywhere.
fn init(repo: &Repo) -> Run {
    let empty = tempfile::tempdir().unwrap();
    let root = repo.path().to_string_lossy().into_owned();
    repo.harness_with(
        ".",
        &["--root", &root, "init", "--yes"],
        &[("PATH", empty.path())],
    )
}

/// Runs init on a copy of `fixtures/init/<name>`; returns the repository, the run and the
/// files init created, as one text for a snapshot.
fn init_fixture(name: &str) -> (Repo, Run, String) {
    let repo = Repo::fixture(&format!("init/{name}"));
    repo.git(&["init", "-q"]);
    let before = tree(repo.path());
    let run = init(&repo);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    let after = tree(repo.path());
    let mut written = String::new();
    for (path, text) in &after {
        if before.get(path) != Some(text) {
            written.push_str(&format!("=== {path}\n{text}"));
        }
    }
    (repo, run, written)
}

fn assert_runs_clean(repo: &Repo, source: &str) {
    let check = repo.harness(&["check"]);
    assert_eq!(check.code, 0, "{}", check.snapshot());
    assert!(
        check.stdout.starts_with("harness: clean"),
        "{}",
        check.stdout
    );
    let context = repo.harness(&["context", "--path", source]);
    assert_eq!(context.code, 0, "{}", context.snapshot());
    assert!(
        context.stdout.contains("persona reliability"),
        "{}",
        context.stdout
    );
    // With no agent on PATH, only git: nothing to fix.
    let tools = only_git();
    let doctor = repo.harness_with(".", &["doctor"], &[("PATH", tools.path())]);
    assert_eq!(doctor.code, 0, "{}", doctor.snapshot());
    assert!(
        doctor.stdout.ends_with("harness doctor: all good\n"),
        "{}",
        doctor.stdout
    );
    // A second run finds everything in place and changes nothing.
    let before = tree(repo.path());
    let again = init(repo);
    assert_eq!(again.code, 0, "{}", again.snapshot());
    assert!(
        again
            .stdout
            .contains("nothing to do: every file is already there"),
        "{}",
        again.stdout
    );
    assert!(!again.stdout.contains("created"), "{}", again.stdout);
    assert_eq!(tree(repo.path()), before);
}

#[test]
fn typescript_web_app() {
    let (repo, run, written) = init_fixture("web-app");
    insta::assert_snapshot!("init_web_app_output", run.snapshot());
    insta::assert_snapshot!("init_web_app_files", written);
    assert_runs_clean(&repo, "src/api/client.ts");
}

#[test]
fn rust_workspace() {
    let (repo, run, written) = init_fixture("rust-workspace");
    insta::assert_snapshot!("init_rust_workspace_output", run.snapshot());
    insta::assert_snapshot!("init_rust_workspace_files", written);
    assert_runs_clean(&repo, "crates/core/src/lib.rs");
}

#[test]
fn python_service() {
    let (repo, run, written) = init_fixture("python-service");
    insta::assert_snapshot!("init_python_service_output", run.snapshot());
    insta::assert_snapshot!("init_python_service_files", written);
    assert_runs_clean(&repo, "src/orders/api.py");
    // The personas review the service's code, not its tests.
    let tests = repo.harness(&["context", "--path", "tests/test_models.py"]);
    assert_eq!(tests.code, 0, "{}", tests.snapshot());
    assert!(!tests.stdout.contains("persona"), "{}", tests.stdout);
}

/// Each starter rule fires on the mistake it is written for, and stays quiet in tests.
#[test]
fn every_starter_rule_finds_its_mistake() {
    let repo = Repo::new();
    repo.write(
        "package.json",
        r#"{"dependencies":{"react":"19"},"scripts":{"test":"vitest"}}"#,
    )
    .write(
        "src/components/Card.tsx",
        "export function Card(props: any) {\n  fetch(\"/x\");\n  return <div>{props.x}</div>;\n}\n",
    )
    .write(
        "src/api/a.ts",
        "// @ts-ignore\nconst x: any = 1;\nfetch(\"/a\", { method: \"POST\" });\nconsole.log(x);\n",
    )
    .write(
        "src/api/ok.ts",
        "const y: unknown = 1;\nfetch(\"/a\", { signal: AbortSignal.timeout(1000) });\nconst signal = AbortSignal.timeout(1000);\nfetch(\"/b\", { signal });\nfetch(\"/c\", init);\n",
    )
    .write(
        "crates/a/src/ok.rs",
        "#[test]\n#[should_panic]\nfn t() { None::<u8>.unwrap(); }\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests {\n    fn f() { Some(1).unwrap(); }\n}\n",
    )
    .write(
        "app/ok.py",
        "import requests\ndef f(url, **kw):\n    return requests.get(url, **kw)\n",
    )
    .write("src/api/a.test.ts", "it.only(\"x\", () => {});\nconsole.log(1);\n")
    .write("src/old.js", "fetch(\"/b\");\n")
    .write("src/api/long.ts", &"let a = 1;\n".repeat(501))
    .write(
        "crates/a/src/lib.rs",
        "pub fn f(x: Option<u8>) -> u8 {\n    dbg!(x);\n    let _c = reqwest::Client::new();\n    if x.is_none() { todo!() }\n    x.unwrap()\n}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { Some(1).unwrap(); }\n}\n",
    )
    .write("crates/a/tests/t.rs", "#[test]\nfn t() { Some(1).unwrap(); }\n")
    .write(
        "app/main.py",
        "import requests\ndef f():\n    try:\n        requests.get(\"http://x\")\n        requests.post(\"http://x\", timeout=3)\n    except:\n        breakpoint()\n    print(\"x\")\n",
    )
    .write("tests/test_main.py", "def test_x():\n    print(\"debug\")\n")
    .write(
        "pkg/j/main.go",
        "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.Get(\"http://x\")\n\t_ = http.DefaultClient\n}\n",
    )
    .write(
        "pkg/j/A.java",
        "class A {\n  void f() {\n    try { g(); } catch (Exception e) { e.printStackTrace(); }\n    System.out.println(\"x\");\n  }\n}\n",
    );
    assert_eq!(init(&repo).code, 0);
    let run = repo.harness(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.snapshot());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in json["findings"].as_array().unwrap() {
        found
            .entry(f["rule"].as_str().unwrap().to_owned())
            .or_default()
            .push(format!("{}:{}", f["path"].as_str().unwrap(), f["line"]));
    }
    let mut ids: Vec<String> = Vec::new();
    for text in tree(&repo.path().join(".harness/rules")).values() {
        ids.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("id: "))
                .map(str::to_owned),
        );
    }
    ids.sort();
    assert_eq!(found.keys().cloned().collect::<Vec<_>>(), ids, "{found:#?}");
    // Every starter rule says why, how to fix it and where to read more.
    for text in tree(&repo.path().join(".harness/rules")).values() {
        for rule in text.split("\n---\n") {
            for key in ["why: ", "fix: ", "runbook: https://"] {
                assert!(
                    rule.lines().any(|l| l.starts_with(key)),
                    "no `{key}` in\n{rule}"
                );
            }
        }
    }
    // Nothing fires in the clean file or in tests, but for the focused test.
    for (rule, places) in &found {
        for place in places {
            assert!(
                !place.starts_with("src/api/ok.ts")
                    && !place.starts_with("crates/a/src/ok.rs")
                    && !place.starts_with("app/ok.py")
                    && !place.starts_with("crates/a/tests/")
                    && !place.starts_with("tests/")
                    && (rule == "no-focused-tests") == place.starts_with("src/api/a.test.ts"),
                "{rule} at {place}"
            );
        }
    }
    assert_eq!(
        found["rust-unwrap-outside-tests"],
        ["crates/a/src/lib.rs:5"],
        "unwrap in #[cfg(test)] code is fine"
    );
}

#[test]
fn what_exists_is_kept() {
    let repo = Repo::new();
    repo.write("AGENTS.md", "# Our own hub\n")
        .write(".gitignore", "node_modules")
        .write(
            ".harness/rules/ours.yml",
            "id: py-no-print\npriority: P3\nmessage: ours\nregex:\n  pattern: 'print'\n",
        )
        .write("app.py", "import logging\n");
    let run = init(&repo);
    assert_eq!(run.code, 0, "{}", run.snapshot());
    insta::assert_snapshot!(run.snapshot());
    assert_eq!(repo.read_text("AGENTS.md"), "# Our own hub\n");
    assert_eq!(
        repo.read_text(".gitignore"),
        "node_modules\n\n# harness: caches and the event store\n.harness/state/\n"
    );
    let python = repo.read_text(".harness/rules/python.yml");
    assert!(!python.contains("id: py-no-print"), "{python}");
    let check = repo.harness(&["check"]);
    assert_eq!(check.code, 0, "{}", check.snapshot());
}

/// A setup that does not load after init (here a broken harness.toml it left alone) is said at
/// once, with the place, and exit code 2.
#[test]
fn a_setup_that_does_not_load_is_reported() {
    let repo = Repo::new();
    repo.write("harness.toml", "[policy]\nblock_at = \"P9\"\n")
        .write("app.py", "import logging\n");
    let run = init(&repo);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(run.stderr.contains("harness.toml:2:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the setup does not load yet: fix the file named above"),
        "{}",
        run.stderr
    );
    assert!(repo.path().join(".harness/rules/python.yml").is_file());
}
