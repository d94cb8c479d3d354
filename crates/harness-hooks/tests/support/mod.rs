//! What the hook tests share: a small guarded repository, a call, and an answer shown.
#![allow(dead_code)]

use std::path::Path;

use harness_hooks::{Agent, Answer, Environment, run};

/// A repository with one rule, a file that breaks it (`src/new.ts`) and one that does not.
pub fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        std::fs::write(path, text).expect("write");
    };
    write("harness.toml", config);
    write(
        ".harness/rules/types.yml",
        "id: no-explicit-any\npriority: P2\nmessage: explicit `any` hides type errors\n\
         fix: give the value a real type\npaths: [\"src/**/*.ts\"]\nregex:\n  pattern: ':\\s*any\\b'\n",
    );
    write(
        "AGENTS.md",
        "# Agents\n\n1. Plan.\n2. Implement with tests.\n3. Run `harness check --changed`.\n",
    );
    write("src/new.ts", "export const b: any = 2;\n");
    write("src/old.ts", "export const a = 3;\n");
    dir
}

pub fn call(agent: Agent, root: &Path, input: &[u8]) -> Answer {
    let env = Environment {
        cwd: root.to_path_buf(),
        home: None,
    };
    run(agent, input, &env)
}

pub fn show(name: &str, answer: &Answer, root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let clean = |s: &str| s.replace(&root.display().to_string(), "$REPO");
    format!(
        "== {name}\nexit: {}\nstdout: {}\nstderr: {}\n",
        answer.exit,
        clean(answer.stdout.trim_end()),
        clean(answer.stderr.trim_end())
    )
}

/// A real `PreToolUse` write payload of `agent`'s shape, with `content` as the file content.
pub fn write_payload(agent: Agent, root: &Path, content: &str) -> Vec<u8> {
    let file = root.join("src/new.ts");
    let value = match agent {
        Agent::Claude => {
            serde_json::json!({"session_id": "s", "cwd": root, "hook_event_name": "PreToolUse",
            "tool_name": "Write", "tool_input": {"file_path": file, "content": content}, "tool_use_id": "t"})
        }
        Agent::Codex => {
            serde_json::json!({"session_id": "s", "cwd": root, "hook_event_name": "PreToolUse",
            "tool_name": "apply_patch", "tool_input": {"command": format!("*** Begin Patch\n*** Add File: src/new.ts\n+{content}\n*** End Patch\n")}, "tool_use_id": "t"})
        }
        Agent::Gemini => {
            serde_json::json!({"session_id": "s", "cwd": root, "hook_event_name": "BeforeTool",
            "tool_name": "write_file", "tool_input": {"file_path": file, "content": content}})
        }
    };
    serde_json::to_vec(&value).expect("json")
}
