//! The infrastructure itself: each CLI runs a tool against the scripted model, and a project hook
//! runs and reaches the model. No harness hooks here.

use serde_json::json;

use crate::agent::harness_dir;
use crate::claude::Claude;
use crate::codex::Codex;
use crate::gemini::Gemini;
use crate::model::Model;
use crate::repo::Repo;
use crate::script::{Answered, Script, Turn};

/// Prints `mark` as `event`'s context, but only if `harness` resolves in the hook's shell.
fn hook_command(event: &str, mark: &str) -> String {
    let answer = json!({"hookSpecificOutput": {"hookEventName": event, "additionalContext": mark}});
    format!("command -v harness >/dev/null && echo '{answer}'")
}

fn pre_tool_use_hooks(matcher: &str) -> String {
    let hooks = json!({"hooks": {"PreToolUse": [
        {"matcher": matcher, "hooks": [{"type": "command", "command": hook_command("PreToolUse", "HOOK-MARK"), "timeout": 30}]},
    ]}});
    serde_json::to_string_pretty(&hooks).expect("hooks JSON")
}

fn claude_writes_hello(hooks: Option<&str>) {
    let repo = Repo::new();
    if let Some(hooks) = hooks {
        repo.write(".claude/settings.json", hooks);
    }
    let write = json!({"file_path": repo.path().join("hello.txt"), "content": "hello\n"});
    let model = Model::start(
        Script::new()
            .turn(Turn::tool("toolu_write", "Write", write))
            .turn(Turn::text("wrote hello.txt")),
    );
    let Some(claude) = Claude::find(&model, &harness_dir()) else {
        return;
    };
    let outcome = claude.run(&repo, "Create hello.txt");
    outcome.assert_success();
    assert_eq!(
        repo.read("hello.txt").as_deref(),
        Some("hello\n"),
        "{outcome}"
    );
    assert_eq!(model.request_count(), 2, "{}", model.summary());
    let answer = model.request(1);
    assert!(
        answer.tool_output("toolu_write").is_some(),
        "{}",
        answer.body
    );
    assert_eq!(outcome.final_text(), "wrote hello.txt");
    if hooks.is_some() {
        assert!(answer.text().contains("HOOK-MARK"), "{}", answer.text());
    }
}

#[test]
fn claude_runs_a_tool_against_the_scripted_model() {
    claude_writes_hello(None);
}

#[test]
fn claude_runs_project_hooks_that_find_harness() {
    claude_writes_hello(Some(&pre_tool_use_hooks("Write")));
}

fn codex_patches_and_runs(hooks: Option<&str>) {
    let repo = Repo::new();
    if let Some(hooks) = hooks {
        repo.write(".codex/hooks.json", hooks);
    }
    let patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n";
    let model = Model::start(
        Script::new()
            .turn(Turn::apply_patch("call_patch", patch))
            .turn(Turn::tool(
                "call_shell",
                "exec_command",
                json!({"cmd": "echo hi"}),
            ))
            .turn(Turn::text("patched and ran")),
    );
    let Some(codex) = Codex::find(&model, &harness_dir()) else {
        return;
    };
    let outcome = codex.run(&repo, "Create hello.txt, then say hi");
    outcome.assert_success();
    assert_eq!(
        repo.read("hello.txt").as_deref(),
        Some("hello\n"),
        "{outcome}"
    );
    assert_eq!(model.request_count(), 3, "{}", model.summary());
    let patched = model.request(1).tool_output("call_patch");
    assert!(
        patched.is_some_and(|o| o.contains("hello.txt")),
        "{}",
        model.request(1).body
    );
    let ran = model.request(2).tool_output("call_shell");
    assert!(
        ran.is_some_and(|o| o.contains("Output:\nhi\n")),
        "{}",
        model.request(2).body
    );
    assert_eq!(outcome.final_text(), "patched and ran");
    if hooks.is_some() {
        assert!(
            model.request_text(1).contains("HOOK-MARK"),
            "{}",
            model.request_text(1)
        );
    }
}

#[test]
fn codex_runs_tools_against_the_scripted_model() {
    codex_patches_and_runs(None);
}

#[test]
fn codex_runs_project_hooks_that_find_harness() {
    codex_patches_and_runs(Some(&pre_tool_use_hooks("^(Edit|Write)$")));
}

fn gemini_writes_and_runs(hooks: bool) {
    let repo = Repo::new();
    if hooks {
        // Gemini CLI ignores context before a tool; after one it takes it. Timeouts are in ms.
        let command = hook_command("AfterTool", "<HOOK-MARK>");
        let hooks = json!({"hooks": {"AfterTool": [{"matcher": "write_file", "hooks": [
            {"name": "mark", "type": "command", "command": command, "timeout": 30_000},
        ]}]}});
        repo.write(".gemini/settings.json", &hooks.to_string());
    }
    let write = json!({"file_path": repo.path().join("hello.txt"), "content": "hello\n"});
    let model = Model::start(
        Script::new()
            .turn(Turn::tool("w1", "write_file", write))
            .turn(Turn::tool(
                "s1",
                "run_shell_command",
                json!({"command": "echo hi", "description": "Say hi"}),
            ))
            .turn(Turn::text("wrote and ran")),
    );
    let Some(gemini) = Gemini::find(&model, &harness_dir()) else {
        return;
    };
    let outcome = gemini.run(&repo, "Create hello.txt, then say hi");
    outcome.assert_success();
    assert_eq!(
        repo.read("hello.txt").as_deref(),
        Some("hello\n"),
        "{outcome}"
    );
    assert_eq!(model.request_count(), 3, "{}", model.summary());
    let written = model.request(1).tool_output("w1").unwrap_or_default();
    assert!(written.contains("hello.txt"), "{}", model.request(1).body);
    let ran = model.request(2).tool_output("s1").unwrap_or_default();
    assert!(ran.contains("Output: hi\n"), "{}", model.request(2).body);
    assert_eq!(outcome.final_text(), "wrote and ran");
    assert!(!outcome.session_id().is_empty());
    if hooks {
        // Appended to the tool's result, with the context's own `<` and `>` escaped.
        assert!(
            written.ends_with("\n\n<hook_context>&lt;HOOK-MARK&gt;</hook_context>"),
            "{written}"
        );
        assert!(!ran.contains("HOOK-MARK"), "{ran}");
    }
}

#[test]
fn gemini_runs_tools_against_the_scripted_model() {
    gemini_writes_and_runs(false);
}

#[test]
fn gemini_runs_project_hooks_that_find_harness() {
    gemini_writes_and_runs(true);
}

#[test]
fn claude_resumes_and_compacts_a_session() {
    let repo = Repo::new();
    // With fewer messages Claude Code answers "Not enough messages to compact" by itself.
    let echo = json!({"command": "echo hi", "description": "Say hi"});
    let model = Model::start(
        Script::new()
            .turn(Turn::tool("toolu_bash", "Bash", echo))
            .turn(Turn::text("said hi")),
    );
    let Some(claude) = Claude::find(&model, &harness_dir()) else {
        return;
    };
    let session = claude
        .run(&repo, "Say something")
        .assert_success()
        .session_id();
    let before = model.request_count();
    let compacted = claude.compact(&repo, &session);
    compacted.assert_success();
    let compaction = model.requests_after(before);
    assert!(
        compaction
            .iter()
            .any(|r| r.answered == Answered::Compaction),
        "{}",
        model.summary()
    );
    let before = model.request_count();
    claude.resume(&repo, &session, "And now?").assert_success();
    let resumed = &model.requests_after(before)[0];
    assert!(
        resumed
            .text()
            .contains("Summary of the conversation so far."),
        "{}",
        resumed.text()
    );
    assert!(resumed.last_user_text().contains("And now?"));
}

#[test]
fn codex_compacts_when_the_model_reports_a_full_context() {
    let repo = Repo::new();
    let model = Model::start(
        Script::new()
            .turn(
                Turn::tool("call_shell", "exec_command", json!({"cmd": "echo hi"}))
                    .with_input_tokens(900_000),
            )
            .turn(Turn::text("after compaction")),
    );
    let Some(codex) = Codex::find(&model, &harness_dir()) else {
        return;
    };
    let outcome = codex.run_args(
        &repo,
        &["-c", "model_auto_compact_token_limit=5000"],
        "Say hi",
    );
    outcome.assert_success();
    let answered: Vec<Answered> = model.requests().iter().map(|r| r.answered).collect();
    assert_eq!(
        answered,
        [Answered::Script, Answered::Compaction, Answered::Script],
        "{}",
        model.summary()
    );
    let thread = outcome.session_id();
    let before = model.request_count();
    codex.resume(&repo, &thread, "And now?").assert_success();
    let resumed = &model.requests_after(before)[0];
    assert!(
        resumed
            .text()
            .contains("Summary of the conversation so far."),
        "{}",
        resumed.text()
    );
}
