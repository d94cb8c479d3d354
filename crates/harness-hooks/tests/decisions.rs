//! Decisions that must hold when parts of harness fail, and session memory across agents.

mod support;

use std::path::Path;
use std::process::Command;

use harness_hooks::Agent;
use serde_json::{Value, json};
use support::{call, repo, write_payload};

fn payload(root: &Path, value: &Value) -> Vec<u8> {
    let mut v = json!({"session_id": "s", "cwd": root});
    for (k, val) in value.as_object().expect("object") {
        v[k] = val.clone();
    }
    serde_json::to_vec(&v).expect("json")
}

fn force_push(root: &Path) -> Vec<u8> {
    payload(
        root,
        &json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "git push --force"}}),
    )
}

fn stop(root: &Path, active: bool) -> Vec<u8> {
    payload(
        root,
        &json!({"hook_event_name": "Stop", "stop_hook_active": active}),
    )
}

const BROKEN_RULE: &str = "id: broken\npriority: P9\n";

#[test]
fn a_forbidden_command_is_denied_when_the_rules_do_not_load() {
    let dir = repo("");
    std::fs::write(dir.path().join(".harness/rules/broken.yml"), BROKEN_RULE).expect("write");
    let answer = call(Agent::Claude, dir.path(), &force_push(dir.path()));
    assert!(
        answer.stdout.contains("\"permissionDecision\":\"deny\""),
        "{answer:?}"
    );
}

#[test]
fn a_forbidden_command_is_denied_when_the_store_cannot_be_opened() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join(".harness")).expect("mkdir");
    std::fs::write(dir.path().join(".harness/state"), "not a folder").expect("write");
    let answer = call(Agent::Codex, dir.path(), &force_push(dir.path()));
    assert!(
        answer.stdout.contains("\"permissionDecision\":\"deny\""),
        "{answer:?}"
    );
    assert!(
        answer.stderr.contains("the event store cannot be used"),
        "{answer:?}"
    );
    assert_eq!(answer.exit, 0);
}

#[test]
fn a_failing_stop_never_blocks_twice() {
    let dir = repo("[hooks]\nfail = \"closed\"\n");
    std::fs::write(dir.path().join(".harness/rules/broken.yml"), BROKEN_RULE).expect("write");
    // Touch a file so the stop has something to check, which needs the rules.
    call(
        Agent::Claude,
        dir.path(),
        &payload(
            dir.path(),
            &json!({"hook_event_name": "PostToolUse", "tool_name": "Write",
                   "tool_input": {"file_path": dir.path().join("src/new.ts"), "content": "x"}}),
        ),
    );
    assert_eq!(
        call(Agent::Claude, dir.path(), &stop(dir.path(), false)).exit,
        2
    );
    let again = call(Agent::Claude, dir.path(), &stop(dir.path(), true));
    assert_eq!(again.exit, 0, "{again:?}");
}

#[test]
fn closed_mode_lets_the_agent_repair_the_knowledge_base() {
    let dir = repo("[hooks]\nfail = \"closed\"\n");
    std::fs::write(dir.path().join(".harness/rules/broken.yml"), BROKEN_RULE).expect("write");
    let write = |rel: &str| {
        payload(
            dir.path(),
            &json!({"hook_event_name": "PreToolUse", "tool_name": "Edit",
                   "tool_input": {"file_path": dir.path().join(rel), "old_string": "a", "new_string": "b"}}),
        )
    };
    assert_eq!(
        call(Agent::Claude, dir.path(), &write("src/new.ts")).exit,
        2
    );
    let repair = call(
        Agent::Claude,
        dir.path(),
        &write(".harness/rules/broken.yml"),
    );
    assert_eq!(repair.exit, 0, "{repair:?}");
}

#[test]
fn the_stop_checks_files_a_shell_command_changed() {
    let dir = repo("");
    let root = dir.path();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@t",
        "commit",
        "-qm",
        "base",
    ]);
    let start = payload(
        root,
        &json!({"hook_event_name": "SessionStart", "source": "startup"}),
    );
    call(Agent::Claude, root, &start);
    // As `sed -i` or `cat > file` would, behind the edit tools' back.
    std::fs::write(root.join("src/old.ts"), "export const a: any = 3;\n").expect("write");
    let answer = call(Agent::Claude, root, &stop(root, false));
    assert!(
        answer.stdout.contains("\"decision\":\"block\"") && answer.stdout.contains("src/old.ts:1"),
        "{answer:?}"
    );
}

#[test]
fn a_subagent_is_given_guidance_again() {
    let dir = repo("");
    let root = dir.path();
    let pre = |agent_id: Option<&str>| {
        let mut v = json!({"hook_event_name": "PreToolUse", "tool_name": "Write",
                           "tool_input": {"file_path": root.join("src/old.ts"), "content": "x"}});
        if let Some(id) = agent_id {
            v["agent_id"] = id.into();
        }
        payload(root, &v)
    };
    let first = call(Agent::Claude, root, &pre(None));
    assert!(first.stdout.contains("no-explicit-any"), "{first:?}");
    let sub = call(Agent::Claude, root, &pre(Some("agent-1")));
    assert!(sub.stdout.contains("no-explicit-any"), "{sub:?}");
    let again = call(Agent::Claude, root, &pre(None));
    assert!(again.stdout.is_empty(), "{again:?}");
}

#[test]
fn every_decision_is_recorded() {
    let dir = repo("");
    let root = dir.path();
    call(
        Agent::Claude,
        root,
        &write_payload(Agent::Claude, root, "x"),
    );
    let allowed = payload(
        root,
        &json!({"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls --token abc"}}),
    );
    call(Agent::Claude, root, &allowed);
    call(Agent::Claude, root, &force_push(root));
    let store = harness_store::Store::open_in(root).expect("store");
    let events = store.session_events("claude", "s").expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["context", "allowed", "denied"]);
    assert_eq!(events[1].data["command"], "ls --token ***");
}
