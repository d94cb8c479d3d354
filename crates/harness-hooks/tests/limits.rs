//! Every answer stays under the receiving agent's limit, with the command that shows the rest,
//! even when the team asks for more than fits: 500 rules that all apply and all fire, a
//! context budget of 100,000 tokens and no byte bound on findings.

mod support;

use std::path::Path;

use harness_hooks::{Agent, Answer};
use serde_json::{Value, json};
use support::{call, repo};

/// 500 rules that all apply to, and all fire on, `src/new.ts`.
fn crowded_repo() -> tempfile::TempDir {
    let dir = repo("[hooks]\ncontext_budget = 100000\n\n[output]\nmax_bytes = 0\n");
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

/// What the agent itself accepts inline: Claude Code 10,000 characters; Codex 2,500 tokens,
/// which it estimates as 4 bytes each; Gemini CLI has no limit, harness keeps to Claude's.
fn fits(agent: Agent, text: &str) -> bool {
    match agent {
        Agent::Claude | Agent::Gemini => text.chars().count() <= 10_000,
        Agent::Codex => text.len().div_ceil(4) <= 2_500,
    }
}

/// The text the model reads from an answer.
fn injected(answer: &Answer) -> String {
    let v: Value = serde_json::from_str(&answer.stdout).expect("a JSON answer");
    v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .or(v["reason"].as_str())
        .or(v["permissionDecisionReason"].as_str())
        .expect("context or a reason")
        .to_owned()
}

fn payload(root: &Path, session: &str, event: &str, tool: &Value, extra: &Value) -> Vec<u8> {
    let mut v = json!({"session_id": session, "cwd": root, "hook_event_name": event});
    for (k, val) in tool
        .as_object()
        .into_iter()
        .flatten()
        .chain(extra.as_object().into_iter().flatten())
    {
        v[k] = val.clone();
    }
    serde_json::to_vec(&v).expect("json")
}

#[test]
fn five_hundred_rules_stay_under_every_agents_limit() {
    for agent in Agent::ALL {
        let dir = crowded_repo();
        let root = dir.path().canonicalize().expect("canonical");
        let file = root.join("src/new.ts");
        let (read, write) = match agent {
            Agent::Claude => (
                (
                    "PreToolUse",
                    json!({"tool_name": "Write", "tool_input": {"file_path": file, "content": "x"}}),
                ),
                (
                    "PostToolUse",
                    json!({"tool_name": "Write", "tool_input": {"file_path": file, "content": "x"}}),
                ),
            ),
            Agent::Codex => {
                let patch = json!({"tool_name": "apply_patch", "tool_input": {"command": "*** Begin Patch\n*** Update File: src/new.ts\n*** End Patch\n"}});
                (("PreToolUse", patch.clone()), ("PostToolUse", patch))
            }
            Agent::Gemini => (
                (
                    "AfterTool",
                    json!({"tool_name": "read_file", "tool_input": {"file_path": file}}),
                ),
                (
                    "AfterTool",
                    json!({"tool_name": "write_file", "tool_input": {"file_path": file, "content": "x"}}),
                ),
            ),
        };
        let stop = if agent == Agent::Gemini {
            "AfterAgent"
        } else {
            "Stop"
        };
        let name = agent.name();

        // Guidance: the best of 500, and the command that shows the rest.
        let guidance = injected(&call(
            agent,
            &root,
            &payload(&root, "a", read.0, &read.1, &json!({})),
        ));
        assert!(
            fits(agent, &guidance),
            "{name}: guidance of {} bytes",
            guidance.len()
        );
        assert!(
            guidance.contains(" of 501 for src/new.ts"),
            "{name}: {guidance}"
        );
        assert!(
            guidance.contains("over the 100000-token budget")
                && guidance.contains("see all: harness context --path src/new.ts --budget "),
            "{name}: {guidance}"
        );

        // Findings after the write: 500, bounded, and the command that shows them all. Gemini
        // gets guidance in the same answer (a new session, so it has not had any).
        let findings = injected(&call(
            agent,
            &root,
            &payload(&root, "b", write.0, &write.1, &json!({"tool_response": {}})),
        ));
        assert!(
            fits(agent, &findings),
            "{name}: findings of {} bytes",
            findings.len()
        );
        assert!(
            findings.contains("see all: harness check src/new.ts"),
            "{name}: {findings}"
        );

        // The blocked stop: findings, the command, and why the agent must go on.
        let blocked = injected(&call(
            agent,
            &root,
            &payload(
                &root,
                "b",
                stop,
                &json!({}),
                &json!({"stop_hook_active": false}),
            ),
        ));
        assert!(
            fits(agent, &blocked),
            "{name}: stop reason of {} bytes",
            blocked.len()
        );
        assert!(
            blocked.contains("see all: harness check src/new.ts"),
            "{name}: {blocked}"
        );
        assert!(blocked.ends_with("(blocked stop 1)."), "{name}: {blocked}");
    }
}
