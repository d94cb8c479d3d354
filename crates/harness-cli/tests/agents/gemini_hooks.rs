//! Gemini CLI with harness's hooks: what reaches the model, turn by turn.

use serde_json::json;

use crate::agent::harness_dir;
use crate::gemini::Gemini;
use crate::guarded::{self, FIXED, OTHER_RULE, RULE, VIOLATION};
use crate::model::Model;
use crate::script::{Script, Turn};

#[test]
fn guidance_findings_denial_and_stop_reach_gemini() {
    let repo = guarded::repo("gemini");
    let file = repo.path().join("src/parse.ts");
    let write = |content: &str| json!({"file_path": file, "content": content});
    let push = json!({"command": "touch pushed.txt && git push --force origin main", "description": "push"});
    let model = Model::start(
        Script::new()
            // A violating write, a forbidden command, a stop, the fix, a stop.
            .turn(Turn::tool("w1", "write_file", write(VIOLATION)))
            .turn(Turn::tool("b1", "run_shell_command", push))
            .turn(Turn::text("All done."))
            .turn(Turn::tool("w2", "write_file", write(FIXED)))
            .turn(Turn::text("Fixed the type.")),
    );
    let Some(gemini) = Gemini::find(&model, &harness_dir()) else {
        return;
    };
    let run = gemini.run(&repo, "Add a parser in src/parse.ts");
    run.assert_success();

    // The session started with the map of the repository, put before the prompt.
    assert!(
        model.request_text(0).contains("Procedure (AGENTS.md)"),
        "{}",
        model.request_text(0)
    );
    // Gemini CLI takes no context before a tool runs: after the write come the guidance for
    // src/parse.ts, and only what applies to it, and the finding, located, both in the write's
    // result as hook context.
    let written = model.request(1).tool_output("w1").unwrap_or_default();
    assert!(
        written.contains("<hook_context>") && written.contains(&format!("rule {RULE} (P2)")),
        "{written}"
    );
    assert!(!written.contains(OTHER_RULE), "{written}");
    assert!(
        written.contains(&format!("src/parse.ts:1  P2 {RULE}")),
        "{written}"
    );
    // The forbidden command was denied and did not run.
    let denied = model.request(2).tool_output("b1").unwrap_or_default();
    assert!(
        denied.contains("Tool execution blocked: harness denied this command"),
        "{denied}"
    );
    assert!(repo.read("pushed.txt").is_none());
    // The stop was blocked: the finding comes back as the next prompt, a user text after the
    // model's answer.
    let stopped = model.request(3);
    let contents = stopped.body["contents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let [.., answer, prompt] = contents.as_slice() else {
        panic!("{}", stopped.body)
    };
    assert_eq!(answer["parts"][0]["text"], "All done.", "{}", stopped.body);
    let stop = prompt["parts"][0]["text"].as_str().unwrap_or_default();
    assert!(
        prompt["role"] == "user" && stop.contains(&format!("src/parse.ts:1  P2 {RULE}")),
        "{}",
        stopped.body
    );
    // The second write of the same file got no guidance again, and no finding: it is fixed.
    let after_fix = model.request_text(4);
    let repeated = after_fix.matches(&format!("rule {RULE} (P2)")).count();
    assert_eq!(
        repeated, 1,
        "guidance repeated within the session:\n{after_fix}"
    );
    let fixed = model.request(4).tool_output("w2").unwrap_or_default();
    assert!(!fixed.contains(&format!("P2 {RULE}")), "{fixed}");
    assert_eq!(model.request_count(), 5, "{}", model.summary());
    assert_eq!(run.final_text(), "Fixed the type.");
    assert_eq!(repo.read("src/parse.ts").as_deref(), Some(FIXED));

    let kinds = guarded::event_kinds(&repo);
    for kind in [
        "session_start",
        "context",
        "edit",
        "findings",
        "denied",
        "stop_blocked",
        "stop_allowed",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "no {kind} event in {kinds:?}"
        );
    }
}
