//! Claude Code with harness's hooks: what reaches the model, turn by turn.

use serde_json::json;

use crate::agent::harness_dir;
use crate::claude::Claude;
use crate::guarded::{self, FIXED, OTHER_RULE, RULE, VIOLATION};
use crate::model::Model;
use crate::script::{Script, Turn};

#[test]
fn guidance_findings_denial_and_stop_reach_claude() {
    let repo = guarded::repo("claude");
    let file = repo.path().join("src/parse.ts");
    let write = |content: &str| json!({"file_path": file, "content": content});
    let push = json!({"command": "touch pushed.txt && git push --force origin main", "description": "push"});
    let model = Model::start(
        Script::new()
            // Run 1: a violating write, a forbidden command, a stop, the fix, a stop.
            .turn(Turn::tool("w1", "Write", write(VIOLATION)))
            .turn(Turn::tool("b1", "Bash", push))
            .turn(Turn::text("All done."))
            .turn(Turn::tool("w2", "Write", write(FIXED)))
            .turn(Turn::text("Fixed the type."))
            // Run 3, after compaction: the same file again (a new process reads before it edits).
            .turn(Turn::tool("r3", "Read", json!({"file_path": file})))
            .turn(Turn::tool(
                "e3",
                "Edit",
                json!({"file_path": file, "old_string": "export function", "new_string": "// Parses input.\nexport function"}),
            ))
            .turn(Turn::text("Tidied.")),
    );
    let Some(claude) = Claude::find(&model, &harness_dir()) else {
        return;
    };
    let run = claude.run(&repo, "Add a parser in src/parse.ts");
    run.assert_success();
    let session = run.session_id();

    // The session started with the map of the repository.
    assert!(
        model.request_text(0).contains("Procedure (AGENTS.md)"),
        "{}",
        model.request_text(0)
    );
    // Before the write: the guidance for src/parse.ts, and only what applies to it.
    let after_write = model.request_text(1);
    assert!(
        after_write.contains("PreToolUse:Write hook additional context")
            && after_write.contains(&format!("rule {RULE} (P2)")),
        "{after_write}"
    );
    assert!(!after_write.contains(OTHER_RULE), "{after_write}");
    // After the write: the finding, located.
    assert!(
        after_write.contains(&format!("src/parse.ts:1  P2 {RULE}")),
        "{after_write}"
    );
    // The forbidden command was denied and did not run.
    let denied = model.request(2).tool_output("b1").unwrap_or_default();
    assert!(denied.contains("harness denied this command"), "{denied}");
    assert!(repo.read("pushed.txt").is_none());
    // The stop was blocked with the finding as the reason.
    let stop = model.request_text(3);
    assert!(
        stop.contains("Stop hook feedback") && stop.contains(&format!("P2 {RULE}")),
        "{stop}"
    );
    // The second write of the same file got no guidance again, and no finding: it is fixed.
    let after_fix = model.request_text(4);
    let repeated = after_fix.matches(&format!("rule {RULE} (P2)")).count();
    assert_eq!(
        repeated, 1,
        "guidance repeated within the session:\n{after_fix}"
    );
    assert_eq!(run.final_text(), "Fixed the type.");
    assert_eq!(repo.read("src/parse.ts").as_deref(), Some(FIXED));

    // Compaction re-arms the session's memory: the next edit of the file gets its guidance again.
    claude.compact(&repo, &session).assert_success();
    let before = model.request_count();
    let resumed = claude.resume(&repo, &session, "Tidy the parser");
    resumed.assert_success();
    assert_eq!(resumed.final_text(), "Tidied.");
    let after = model.requests_after(before);
    // The earlier guidance is gone with the compacted history; the edit brings it back.
    let edited = after.last().expect("a request after the edit").text();
    assert!(
        edited.contains("PreToolUse:Edit hook additional context")
            && edited.contains(&format!("rule {RULE} (P2)")),
        "{edited}"
    );
    let kinds = guarded::event_kinds(&repo);
    for kind in [
        "session_start",
        "rearm",
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
