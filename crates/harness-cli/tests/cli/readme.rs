//! The README shows real output: the example repository's findings as printed by the first
//! command of the README.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_example_output_is_real() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    assert!(
        readme
            .contains("cargo run -p harness-cli -- --root examples/acme-web check --format agent"),
        "the README's first command changed; update this test"
    );
    let shown: Vec<&str> = readme
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap()
        .lines()
        .take_while(|l| *l != "...")
        .collect();
    let example = example(&workspace);
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args([
            "--root",
            example.path().to_str().unwrap(),
            "check",
            "--format",
            "agent",
            "--no-cache",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let actual: Vec<&str> = stdout.lines().take(shown.len()).collect();
    assert_eq!(
        actual, shown,
        "README.md shows output the example no longer prints"
    );
}

/// A copy of the example repository as a fresh clone has it: its coverage report written after
/// its sources, whatever an edit in this checkout did to their times.
fn example(workspace: &Path) -> crate::common::Repo {
    let repo = crate::common::Repo::new();
    crate::common::copy_dir(&workspace.join("examples/acme-web"), repo.path());
    let report = std::fs::File::options()
        .write(true)
        .open(repo.path().join("coverage/lcov.info"))
        .unwrap();
    report
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600))
        .unwrap();
    repo
}

/// The `text` block after `<!-- readme: NAME -->`, up to a `...` line.
fn block<'a>(readme: &'a str, name: &str) -> Vec<&'a str> {
    readme
        .split(&format!("<!-- readme: {name} -->\n```text\n"))
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("README.md has no `{name}` block"))
        .lines()
        .take_while(|l| *l != "...")
        .collect()
}

/// The quick start's "what the agent sees" is what `harness hook claude` answers after
/// `harness init` on the TypeScript web app fixture.
#[test]
fn readme_quick_start_is_real() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    let repo = crate::common::Repo::fixture("init/web-app");
    repo.git(&["init", "-q"]);
    assert_eq!(repo.harness(&["init", "--yes"]).code, 0);
    let root = repo.path().canonicalize().unwrap();
    let file = root.join("src/api/orders.ts");
    let written = "export async function listOrders() {\n  const response = await fetch(\"/api/orders\");\n  return response.json();\n}\n";
    let hook = |event: &str| {
        let payload = serde_json::json!({
            "session_id": "readme",
            "transcript_path": "/dev/null",
            "cwd": root,
            "hook_event_name": event,
            "tool_name": "Write",
            "tool_input": {"file_path": file, "content": written},
            "tool_use_id": "t1",
            "tool_response": {},
        });
        let mut child = Command::new(env!("CARGO_BIN_EXE_harness"))
            .args(["hook", "claude"])
            .current_dir(&root)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(
            &mut child.stdin.take().unwrap(),
            payload.to_string().as_bytes(),
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let before = hook("PreToolUse");
    let context = before["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    let shown = block(&readme, "before-edit");
    assert_eq!(
        context.lines().take(shown.len()).collect::<Vec<_>>(),
        shown,
        "README.md shows guidance the hook no longer gives"
    );
    std::fs::write(&file, written).unwrap();
    let after = hook("PostToolUse");
    assert_eq!(after["decision"], "block");
    assert_eq!(
        after["reason"]
            .as_str()
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        block(&readme, "after-edit"),
        "README.md shows findings the hook no longer gives"
    );
}

/// The quick start's coverage finding is what `harness check` prints for the example's
/// component with an untested branch.
#[test]
fn readme_coverage_finding_is_real() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args([
            "check",
            "src/components/Button.tsx",
            "--format",
            "agent",
            "--no-cache",
        ])
        .current_dir(example(&workspace).path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .collect::<Vec<_>>(),
        block(&readme, "coverage"),
        "README.md shows a coverage finding the example no longer gives"
    );
}
