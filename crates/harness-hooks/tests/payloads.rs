//! Every captured payload of every agent through `harness_hooks::run`, in a fresh repository
//! each, and the inputs no agent should send: empty, not JSON, truncated, huge, unknown.

use std::path::{Path, PathBuf};

use harness_hooks::{Agent, Answer, Environment, run};

/// A repository with one rule, a file that breaks it (`src/new.ts`) and one that does not.
fn repo(config: &str) -> tempfile::TempDir {
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

fn call(agent: Agent, root: &Path, input: &[u8]) -> Answer {
    let env = Environment {
        cwd: root.to_path_buf(),
        home: None,
    };
    run(agent, input, &env)
}

fn show(name: &str, answer: &Answer, root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let clean = |s: &str| s.replace(&root.display().to_string(), "$REPO");
    format!(
        "== {name}\nexit: {}\nstdout: {}\nstderr: {}\n",
        answer.exit,
        clean(answer.stdout.trim_end()),
        clean(answer.stderr.trim_end())
    )
}

fn fixtures(agent: &str) -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/payloads")
        .join(agent);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("payload directory")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("read payload"))
        })
        .collect()
}

fn captured(agent: Agent) -> String {
    let mut out = String::new();
    for (name, text) in fixtures(agent.name()) {
        let dir = repo("");
        let root = dir.path().canonicalize().expect("canonical");
        let payload = text
            .replace("$REPO", &root.display().to_string())
            .replace("$TRANSCRIPT", "/dev/null");
        let answer = call(agent, &root, payload.as_bytes());
        assert!(
            answer.stdout.is_empty()
                || serde_json::from_str::<serde_json::Value>(&answer.stdout).is_ok()
        );
        assert!(answer.stdout.len() < agent.limit_bytes() + 1_000, "{name}");
        out.push_str(&show(&name, &answer, &root));
    }
    out
}

#[test]
fn claude_payloads() {
    insta::assert_snapshot!(captured(Agent::Claude));
}

#[test]
fn codex_payloads() {
    insta::assert_snapshot!(captured(Agent::Codex));
}

#[test]
fn gemini_payloads() {
    insta::assert_snapshot!(captured(Agent::Gemini));
}

/// A real `PreToolUse` write payload of `agent`'s shape, with `content` as the file content.
fn write_payload(agent: Agent, root: &Path, content: &str) -> Vec<u8> {
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

fn bad_inputs(config: &str) -> String {
    let mut out = String::new();
    for agent in Agent::ALL {
        let dir = repo(config);
        let root = dir.path().canonicalize().expect("canonical");
        let real = write_payload(agent, &root, "export const x = 1;");
        let truncated = &real[..real.len() / 2];
        let unknown = serde_json::to_vec(
            &serde_json::json!({"session_id": "s", "cwd": root, "hook_event_name": "Teleport"}),
        )
        .expect("json");
        let no_session =
            serde_json::to_vec(&serde_json::json!({"cwd": root, "hook_event_name": "Stop"}))
                .expect("json");
        let cases: [(&str, &[u8]); 7] = [
            ("empty", b""),
            ("whitespace", b" \n\t"),
            ("not JSON", b"PreToolUse please"),
            ("a JSON array", b"[1, 2]"),
            ("truncated", truncated),
            ("unknown event", &unknown),
            ("no session id", &no_session),
        ];
        for (name, input) in cases {
            let answer = call(agent, &root, input);
            assert_eq!(answer.stderr.lines().count(), 1, "{name}: {answer:?}");
            assert!(answer.stdout.is_empty(), "{name}: {answer:?}");
            out.push_str(&show(&format!("{} {name}", agent.name()), &answer, &root));
        }
    }
    out
}

#[test]
fn bad_input_fails_open_with_one_line() {
    insta::assert_snapshot!(bad_inputs(""));
}

#[test]
fn bad_input_fails_closed_when_configured() {
    let text = bad_inputs("[hooks]\nfail = \"closed\"\n");
    assert!(
        text.lines()
            .filter(|l| l.starts_with("exit:"))
            .all(|l| l == "exit: 2"),
        "{text}"
    );
}

#[test]
fn a_ten_megabyte_payload_is_answered() {
    for agent in Agent::ALL {
        let dir = repo("");
        let root = dir.path().canonicalize().expect("canonical");
        let content = "// filler line for a very large file\n".repeat(10 * 1024 * 1024 / 37);
        let payload = write_payload(agent, &root, &content);
        assert!(payload.len() > 10_000_000);
        let answer = call(agent, &root, &payload);
        assert_eq!(answer.exit, 0, "{answer:?}");
        assert!(answer.stderr.is_empty(), "{answer:?}");
        if agent.context_before_edit() {
            assert!(
                answer.stdout.contains("no-explicit-any"),
                "{}",
                answer.stdout
            );
        }
    }
}

#[test]
fn a_broken_config_fails_as_configured() {
    for (config, exit) in [
        ("[policy\n", 0),
        ("[hooks]\nfail = \"closed\"\n[check]\nbogus = 1\n", 2),
    ] {
        let dir = repo(config);
        let root = dir.path().canonicalize().expect("canonical");
        let answer = call(
            Agent::Claude,
            &root,
            &write_payload(Agent::Claude, &root, "x"),
        );
        assert_eq!(answer.exit, exit, "{answer:?}");
        assert!(
            answer.stderr.starts_with("harness hook claude: "),
            "{answer:?}"
        );
    }
}

/// Payloads of one session in order, in one repository: memory, stop blocks and re-arming.
fn session(agent: Agent, names: &[&str]) -> String {
    let dir = repo("[hooks]\nmax_stop_blocks = 2\n");
    let root = dir.path().canonicalize().expect("canonical");
    let all = fixtures(agent.name());
    let mut out = String::new();
    for name in names {
        let (_, text) = all
            .iter()
            .find(|(n, _)| n == &format!("{name}.json"))
            .unwrap_or_else(|| panic!("no payload {name}"));
        // One session id for all, as one agent session sends.
        let mut value: serde_json::Value = serde_json::from_str(
            &text
                .replace("$REPO", &root.display().to_string())
                .replace("$TRANSCRIPT", "/dev/null"),
        )
        .expect("payload JSON");
        value["session_id"] = "one-session".into();
        let answer = call(agent, &root, &serde_json::to_vec(&value).expect("json"));
        out.push_str(&show(name, &answer, &root));
    }
    out
}

#[test]
fn claude_session() {
    insta::assert_snapshot!(session(
        Agent::Claude,
        &[
            "SessionStart-startup",
            "PreToolUse-Write",
            "PostToolUse-Write",
            "PreToolUse-Write",
            "PreToolUse-Bash",
            "Stop-first",
            "Stop-active",
            "Stop-active",
            "SessionStart-compact",
            "PostCompact",
            "PreToolUse-Write",
        ]
    ));
}

#[test]
fn codex_session() {
    insta::assert_snapshot!(session(
        Agent::Codex,
        &[
            "SessionStart-startup",
            "PreToolUse-apply_patch",
            "PostToolUse-apply_patch",
            "PreToolUse-apply_patch",
            "Stop-first",
            "Stop-active",
            "Stop-active",
            "PostCompact",
            "SessionStart-compact",
            "PreToolUse-apply_patch",
        ]
    ));
}

#[test]
fn gemini_session() {
    insta::assert_snapshot!(session(
        Agent::Gemini,
        &[
            "SessionStart-startup",
            "BeforeTool-write_file",
            "AfterTool-write_file",
            "AfterTool-read_file",
            "BeforeTool-run_shell_command",
            "AfterAgent-first",
            "AfterAgent-active",
            "AfterAgent-active",
        ]
    ));
}

/// 500 rules that all apply to, and all fire on, `src/new.ts`.
fn crowded_repo() -> tempfile::TempDir {
    let dir = repo("");
    let mut rules = String::new();
    for i in 0..500 {
        rules.push_str(&format!(
            "---\nid: rule-{i:03}\npriority: P{}\nmessage: rule number {i} says the constant must not be `b` here\n\
             why: a long reason that takes some room in the context window, as real reasons do, number {i}\n\
             fix: rename the constant as rule {i} asks, then run harness check again\n\
             paths: [\"src/**\"]\nregex:\n  pattern: 'const b'\n",
            1 + i % 3
        ));
    }
    std::fs::write(dir.path().join(".harness/rules/many.yml"), rules).expect("write rules");
    dir
}

#[test]
fn five_hundred_rules_stay_under_every_agents_limit() {
    for agent in Agent::ALL {
        let dir = crowded_repo();
        let root = dir.path().canonicalize().expect("canonical");
        let file = root.join("src/new.ts");
        let (before, after) = match agent {
            Agent::Claude | Agent::Codex => ("PreToolUse", "PostToolUse"),
            Agent::Gemini => ("AfterTool", "AfterTool"),
        };
        let tool = match agent {
            Agent::Claude => {
                serde_json::json!({"tool_name": "Write", "tool_input": {"file_path": file, "content": "x"}})
            }
            Agent::Codex => {
                serde_json::json!({"tool_name": "apply_patch", "tool_input": {"command": "*** Begin Patch\n*** Update File: src/new.ts\n*** End Patch\n"}})
            }
            Agent::Gemini => {
                serde_json::json!({"tool_name": "read_file", "tool_input": {"file_path": file}})
            }
        };
        let payload = |event: &str, session: &str, tool: &serde_json::Value| {
            let mut v = serde_json::json!({"session_id": session, "cwd": root, "hook_event_name": event, "tool_response": {}});
            for (k, val) in tool.as_object().expect("object") {
                v[k] = val.clone();
            }
            serde_json::to_vec(&v).expect("json")
        };
        let context = |answer: &Answer| -> String {
            let v: serde_json::Value = serde_json::from_str(&answer.stdout).expect("JSON answer");
            v["hookSpecificOutput"]["additionalContext"]
                .as_str()
                .or(v["reason"].as_str())
                .expect("context or reason")
                .to_owned()
        };
        // Guidance: the best of 500 within the limit, and the command that shows the rest.
        let guidance = context(&call(agent, &root, &payload(before, "a", &tool)));
        assert!(
            guidance.len() <= agent.limit_bytes(),
            "{} bytes",
            guidance.len()
        );
        assert!(
            guidance.contains(" of 501 for src/new.ts") && guidance.contains("left out "),
            "{guidance}"
        );
        assert!(
            guidance.contains("see all: harness context --path src/new.ts --budget "),
            "{guidance}"
        );
        // Findings: 500 of them, bounded, and the command that shows them all.
        let write = match agent {
            Agent::Gemini => {
                serde_json::json!({"tool_name": "write_file", "tool_input": {"file_path": file, "content": "x"}})
            }
            _ => tool.clone(),
        };
        let findings = context(&call(agent, &root, &payload(after, "b", &write)));
        assert!(
            findings.len() <= agent.limit_bytes(),
            "{} bytes",
            findings.len()
        );
        assert!(findings.contains("harness check src/new.ts"), "{findings}");
    }
}
