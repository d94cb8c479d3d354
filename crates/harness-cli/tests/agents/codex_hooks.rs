//! Codex with harness's hooks: what reaches the model, turn by turn.

use serde_json::json;

use crate::agent::harness_dir;
use crate::codex::Codex;
use crate::guarded::{self, FIXED, OTHER_RULE, RULE, VIOLATION};
use crate::model::Model;
use crate::script::{Answered, Script, Turn};

/// `text`'s lines, each with `prefix`: the body of a patch hunk.
fn lines(prefix: char, text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        out.push(prefix);
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn add(path: &str, content: &str) -> String {
    let body = lines('+', content);
    format!("*** Begin Patch\n*** Add File: {path}\n{body}*** End Patch\n")
}

fn replace(path: &str, old: &str, new: &str) -> String {
    let minus = lines('-', old);
    let plus = lines('+', new);
    format!("*** Begin Patch\n*** Update File: {path}\n@@\n{minus}{plus}*** End Patch\n")
}

#[test]
fn guidance_findings_denial_and_stop_reach_codex() {
    let repo = guarded::repo("codex");
    let tidy = format!("// Parses user input.\n{FIXED}");
    let model = Model::start(
        Script::new()
            // Run 1: a violating patch, a forbidden command, a stop, the fix, a stop.
            .turn(Turn::apply_patch("p1", &add("src/parse.ts", VIOLATION)))
            .turn(Turn::tool(
                "b1",
                "exec_command",
                json!({"cmd": "touch pushed.txt && git push --force origin main"}),
            ))
            .turn(Turn::text("All done."))
            .turn(Turn::apply_patch(
                "p2",
                &replace("src/parse.ts", VIOLATION, FIXED),
            ))
            .turn(Turn::text("Fixed the type."))
            // Run 2: a full context makes Codex compact; then the same file again.
            .turn(
                Turn::tool("b2", "exec_command", json!({"cmd": "echo hi"}))
                    .with_input_tokens(900_000),
            )
            .turn(Turn::apply_patch(
                "p3",
                &replace("src/parse.ts", FIXED, &tidy),
            ))
            .turn(Turn::text("Tidied.")),
    );
    let Some(codex) = Codex::find(&model, &harness_dir()) else {
        return;
    };
    let run = codex.run(&repo, "Add a parser in src/parse.ts");
    run.assert_success();
    let thread = run.session_id();

    assert!(
        model.request_text(0).contains("Procedure (AGENTS.md)"),
        "{}",
        model.request_text(0)
    );
    // Before the patch: the guidance for the file it names, and only that.
    let after_patch = model.request_text(1);
    assert!(
        after_patch.contains(&format!("rule {RULE} (P2)")),
        "{after_patch}"
    );
    assert!(!after_patch.contains(OTHER_RULE), "{after_patch}");
    // After the patch: the finding.
    assert!(
        after_patch.contains(&format!("src/parse.ts:1  P2 {RULE}")),
        "{after_patch}"
    );
    // The forbidden command was denied and did not run.
    let denied = model.request(2).tool_output("b1").unwrap_or_default();
    assert!(denied.contains("harness denied this command"), "{denied}");
    assert!(repo.read("pushed.txt").is_none());
    // The stop was blocked with the finding as the reason.
    let stop = model.request(3).last_user_text();
    assert!(stop.contains(&format!("P2 {RULE}")), "{stop}");
    // The fix got no repeated guidance and no finding.
    let after_fix = model.request_text(4);
    assert_eq!(
        after_fix.matches(&format!("rule {RULE} (P2)")).count(),
        1,
        "guidance repeated within the session:\n{after_fix}"
    );
    assert_eq!(run.final_text(), "Fixed the type.");
    assert_eq!(repo.read("src/parse.ts").as_deref(), Some(FIXED));

    // Compaction re-arms the memory: the next patch of the file gets its guidance again.
    let before = model.request_count();
    let resumed = codex.resume_args(
        &repo,
        &["-c", "model_auto_compact_token_limit=5000"],
        &thread,
        "Tidy the parser",
    );
    resumed.assert_success();
    assert_eq!(resumed.final_text(), "Tidied.");
    let after = model.requests_after(before);
    assert!(
        after.iter().any(|r| r.answered == Answered::Compaction),
        "{}",
        model.summary()
    );
    let last = after.last().expect("requests after compaction").text();
    assert!(
        last.contains("Your context was compacted") || last.contains(&format!("rule {RULE} (P2)")),
        "{last}"
    );
    let p3 = after
        .iter()
        .position(|r| r.tool_output("p3").is_some())
        .expect("a request answering p3");
    assert!(
        after[p3]
            .text()
            .contains("harness context: 1 of 1 for src/parse.ts"),
        "{}",
        after[p3].text()
    );
    assert_eq!(repo.read("src/parse.ts").as_deref(), Some(tidy.as_str()));
}

/// The trust entries `harness install codex` prints are the ones Codex needs: with them in
/// config.toml, and without the trust flags, the hooks run.
#[test]
fn the_printed_trust_entries_make_codex_run_the_hooks() {
    let (repo, notes) = guarded::repo_and_notes("codex");
    let snippet = notes
        .split_once("--- paste into ~/.codex/config.toml ---\n")
        .and_then(|(_, rest)| rest.split_once("--- end ---"))
        .map_or_else(
            || panic!("no trust entries in:\n{notes}"),
            |(toml, _)| toml.to_owned(),
        );
    let model = Model::start(
        Script::new()
            .turn(Turn::apply_patch("p1", &add("src/parse.ts", VIOLATION)))
            .turn(Turn::text("Done.")),
    );
    let Some(codex) = Codex::find(&model, &harness_dir()) else {
        return;
    };
    let codex = codex.without_trust_flags();
    codex.trust(&snippet);
    codex.run(&repo, "Add a parser").assert_success();
    let after_patch = model.request_text(1);
    assert!(
        after_patch.contains(&format!("rule {RULE} (P2)"))
            && after_patch.contains(&format!("src/parse.ts:1  P2 {RULE}")),
        "{after_patch}"
    );
}
