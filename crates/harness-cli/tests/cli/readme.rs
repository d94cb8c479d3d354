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
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args([
            "--root",
            "examples/acme-web",
            "check",
            "--format",
            "agent",
            "--no-cache",
        ])
        .current_dir(&workspace)
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
