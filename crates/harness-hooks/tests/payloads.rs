//! Every captured payload of every agent through `harness_hooks::run`, in a fresh repository
//! each, and the inputs no agent should send: empty, not JSON, truncated, huge, unknown.

mod support;

use std::path::PathBuf;

use harness_hooks::Agent;
use support::{call, repo, show, write_payload};

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
            if answer.exit == 0 {
                // Failing open says so to the person watching too.
                let v: serde_json::Value = serde_json::from_str(&answer.stdout).expect("JSON");
                assert!(
                    v["systemMessage"]
                        .as_str()
                        .is_some_and(|m| m.contains("failing open"))
                );
            } else {
                assert!(answer.stdout.is_empty(), "{name}: {answer:?}");
            }
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
