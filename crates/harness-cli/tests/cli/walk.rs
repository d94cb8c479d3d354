//! The walk: .gitignore, binary, non-UTF-8, huge and unreadable files, symlink loops.

use insta::assert_snapshot;

use crate::common::Repo;

#[test]
fn odd_files_are_skipped_with_a_note() {
    let repo = Repo::new();
    repo.write("harness.toml", "[check]\nmax_file_bytes = 1000\n")
        .write(
            ".harness/rules/r.yml",
            "id: no-eval\npriority: P1\nmessage: eval\nregex:\n  pattern: 'eval\\('\n",
        )
        .write("src/ok.ts", "eval(1);\n")
        .write("src/huge.ts", &"eval(1);\n".repeat(200))
        .write(".gitignore", "dist/\n")
        .write("dist/bundle.js", "eval(ignored);\n")
        .write(".hidden/x.ts", "eval(hidden);\n");
    std::fs::write(
        repo.path().join("src/image.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0eval(",
    )
    .unwrap();
    std::fs::write(repo.path().join("src/latin1.ts"), b"eval(\xe9);\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", repo.path().join("src/loop")).unwrap();
        std::os::unix::fs::symlink("missing-target", repo.path().join("src/dangling.ts")).unwrap();
    }
    let run = repo.harness(&["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
    let json = repo.harness(&["check", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let skipped: Vec<String> = value["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s["path"].as_str().unwrap(),
                s["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            "src/huge.ts: larger than check.max_file_bytes (1800 > 1000 bytes)",
            "src/image.png: binary",
            "src/latin1.ts: not UTF-8",
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/r.yml",
            "id: no-eval\npriority: P1\nmessage: eval\nregex:\n  pattern: 'eval\\('\n",
        )
        .write("src/secret.ts", "eval(1);\n");
    let path = repo.path().join("src/secret.ts");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = repo.harness(&["check", "--format", "agent", "--no-cache"]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    if std::fs::File::open(&path).is_ok() && run.code == 1 {
        // Running as root: permissions do not stop reads, so the file is checked.
        return;
    }
    assert_eq!(run.code, 0, "{}", run.snapshot());
    assert!(run.stderr.contains("unreadable"), "{}", run.stderr);
}

#[test]
fn sgconfig_project_without_harness_toml() {
    let repo = Repo::new();
    repo.write("sgconfig.yml", "ruleDirs: [rules]\n")
        .write("rules/no-var.yml", "id: no-var\nlanguage: javascript\nseverity: warning\nmessage: use let or const\nrule:\n  kind: variable_declaration\n")
        .write("src/a.js", "var x = 1;\nlet y = 2;\n");
    let run = repo.harness_in("src", &["check", "--format", "agent"]);
    assert_eq!(run.code, 1);
    assert_snapshot!(run.snapshot());
}
