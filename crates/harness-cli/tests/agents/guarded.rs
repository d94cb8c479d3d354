//! A repository guarded by harness: a knowledge base, and hooks wired in by `harness install`.

use std::process::Command;

use crate::repo::Repo;

/// The rule the scenarios break: explicit `any` in TypeScript under `src/`.
pub const RULE: &str = "no-explicit-any";
/// A rule for another part of the repository, which must not be given for `src/` files.
pub const OTHER_RULE: &str = "docs-no-todo";

pub const VIOLATION: &str = "export function parse(input: any) {\n  return input;\n}\n";
pub const FIXED: &str = "export function parse(input: string): string {\n  return input;\n}\n";

/// A git repository with harness.toml, rules and AGENTS.md, hooks installed for `agent`.
pub fn repo(agent: &str) -> Repo {
    repo_and_notes(agent).0
}

/// [`repo`], and what `harness install` printed on stderr.
pub fn repo_and_notes(agent: &str) -> (Repo, String) {
    let repo = Repo::new();
    repo.write("harness.toml", "[policy]\nblock_at = \"P2\"\n")
        .write(
            ".harness/rules/types.yml",
            "id: no-explicit-any\n\
             priority: P2\n\
             message: explicit `any` hides type errors\n\
             why: every caller of an `any` loses the compiler's help\n\
             fix: give the value a real type, or parse it at the boundary\n\
             paths: [\"src/**/*.ts\"]\n\
             regex:\n  pattern: ':\\s*any\\b'\n\
             ---\n\
             id: docs-no-todo\n\
             priority: P3\n\
             message: docs carry no TODO\n\
             paths: [\"docs/**\"]\n\
             regex:\n  pattern: 'TODO'\n",
        )
        .write(
            "AGENTS.md",
            "# Agents\n\n1. Read the ticket and the docs it links.\n2. Plan, then implement with tests.\n\
             3. Run `harness check --changed` before you finish.\n",
        )
        .write(".gitignore", ".harness/state/\n");
    let out = Command::new(env!("CARGO_BIN_EXE_harness"))
        .args(["install", agent])
        .current_dir(repo.path())
        .output()
        .expect("run harness install");
    assert!(
        out.status.success(),
        "harness install {agent}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "harness"]);
    (repo, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The events harness recorded, as `kind` strings in order.
pub fn event_kinds(repo: &Repo) -> Vec<String> {
    let store = harness_store::Store::open_in(repo.path()).expect("open the event store");
    let mut kinds = Vec::new();
    for kind in [
        "session_start",
        "rearm",
        "context",
        "edit",
        "findings",
        "denied",
        "stop_blocked",
        "stop_allowed",
        "failure",
    ] {
        for e in store.events_of_kind(kind).expect("read events") {
            kinds.push((e.id, e.kind));
        }
    }
    kinds.sort();
    kinds.into_iter().map(|(_, k)| k).collect()
}
