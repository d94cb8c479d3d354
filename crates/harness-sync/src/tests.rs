use std::path::Path;

use harness_core::Priority;
use harness_core::config::CursorGlobs;
use harness_core::guidance::{self, Guidance, GuidanceKind};
use harness_core::rule::parse_rule_file;

use super::*;

fn rules(yaml: &str) -> Vec<Rule> {
    parse_rule_file(yaml, Path::new("rules.yml")).unwrap()
}

fn doc(kind: GuidanceKind, path: &str, text: &str) -> Guidance {
    guidance::parse(kind, text, path, Path::new(path)).unwrap()
}

const RULES: &str = r#"
id: no-console
priority: P3
message: no console.log
regex: { pattern: 'console\.log' }
---
id: timeout
priority: P1
message: fetch without a timeout
fix: pass a signal
paths: ["src/api/**"]
regex: { pattern: 'fetch\(' }
---
id: size
priority: P2
message: small API files
paths: ["./src/api/**"]
max-lines: { max: 300 }
---
id: no-any
priority: P2
message: no any
paths: ["src/**/*.ts"]
ignores: ["src/routes/**"]
ast:
  language: typescript
  rule: { kind: predefined_type, regex: ^any$ }
---
id: escaped
priority: P2
message: odd names
paths: ['src/\*']
regex: { pattern: x }
"#;

fn files(facts: Facts) -> Vec<File> {
    files_with(CursorGlobs::Quoted, facts)
}

fn files_with(cursor_globs: CursorGlobs, facts: Facts) -> Vec<File> {
    let rules = rules(RULES);
    let guidance = vec![
        doc(
            GuidanceKind::Persona,
            ".harness/personas/sec.md",
            "---\nname: security\ndescription: attacks\napplies_to: [\"src/api/**\"]\n---\n- check permissions\n",
        ),
        doc(GuidanceKind::Adr, "docs/adr/1.md", "# Use Postgres\n"),
        doc(
            GuidanceKind::Adr,
            "docs/adr/2.md",
            "---\nstatus: superseded by 3\napplies_to: [\"src/db/**\"]\n---\n# Old\n",
        ),
    ];
    render(&rules, &guidance, Priority::P2, cursor_globs, facts)
}

fn text<'a>(files: &'a [File], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .text
}

#[test]
fn output_is_sorted_deterministic_and_marked() {
    let facts = Facts {
        agents_md: true,
        gemini_reads_agents_md: false,
        copilot_instructions_taken: false,
    };
    let a = files(facts);
    let b = files(facts);
    let paths: Vec<&str> = a.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".cursor/rules/harness-src-api.mdc",
            ".cursor/rules/harness-src-ts.mdc",
            ".cursor/rules/harness.mdc",
            ".github/copilot-instructions.md",
            ".github/instructions/harness-src-api.instructions.md",
            ".github/instructions/harness-src-ts.instructions.md",
            "CLAUDE.md",
            "GEMINI.md",
        ]
    );
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.text, y.text);
        assert!(!x.text.contains('\r') && x.text.ends_with('\n') && !x.text.ends_with("\n\n"));
        assert!((x.target.is_ours)(&x.text), "{}", x.path);
    }
}

#[test]
fn rules_sharing_paths_share_a_file_with_the_documents_for_them() {
    let files = files(Facts::default());
    let api = text(
        &files,
        ".github/instructions/harness-src-api.instructions.md",
    );
    assert!(
        api.starts_with("---\napplyTo: \"src/api/**\"\n---\n"),
        "{api}"
    );
    let timeout = api.find("`timeout`").unwrap();
    let size = api.find("`size`").unwrap();
    assert!(timeout < size, "most severe first:\n{api}");
    assert!(api.contains("  - fix: pass a signal\n"));
    assert!(api.contains("## Reviewer lens: security\n"));
    let ts = text(&files, ".cursor/rules/harness-src-ts.mdc");
    assert!(
        ts.contains("globs: \"src/**/*.ts\"\nalwaysApply: false\n"),
        "{ts}"
    );
    assert!(ts.contains("`no-any` (typescript): no any\n  - does not apply to: `src/routes/**`\n"));
}

#[test]
fn cursor_globs_can_be_written_bare_as_cursor_matches_them() {
    let files = files_with(CursorGlobs::Bare, Facts::default());
    let ts = text(&files, ".cursor/rules/harness-src-ts.mdc");
    assert!(
        ts.contains("globs: src/**/*.ts\nalwaysApply: false\n"),
        "{ts}"
    );
    // Only the globs: the description stays quoted.
    assert!(ts.starts_with("---\ndescription: \""), "{ts}");
    assert!(crate::targets::cursor::bare_is_safe("src/**/*.ts,**/*.tsx"));
    for unsafe_globs in ["src/a\nalwaysApply: true", "src/a #b", "src/a: b"] {
        assert!(
            !crate::targets::cursor::bare_is_safe(unsafe_globs),
            "{unsafe_globs}"
        );
    }
    // Copilot's applyTo is untouched.
    let copilot = text(
        &files,
        ".github/instructions/harness-src-ts.instructions.md",
    );
    assert!(copilot.contains("applyTo: \"src/**/*.ts\""), "{copilot}");
}

#[test]
fn what_globs_cannot_scope_goes_to_the_file_for_every_request() {
    let files = files(Facts::default());
    let always = text(&files, ".cursor/rules/harness.mdc");
    assert!(always.starts_with("---\ndescription: \""));
    assert!(always.contains("alwaysApply: true\n---\n"));
    let every = always.find("## Rules for every file").unwrap();
    let some = always.find("## Rules for some files").unwrap();
    assert!(always[every..some].contains("`no-console`"));
    assert!(always[some..].contains("`escaped`: odd names\n  - applies only to: `src/\\*`\n"));
    // A current decision without paths is listed; a superseded one is not shown at all.
    assert!(always.contains("- decision **Use Postgres** (`docs/adr/1.md`)\n"));
    assert!(!files.iter().any(|f| f.text.contains("docs/adr/2.md")));
    // Without AGENTS.md nothing imports it, and nothing points at it.
    assert!(!always.contains("AGENTS.md"));
    assert!(
        !files
            .iter()
            .any(|f| f.path == "CLAUDE.md" || f.path == "GEMINI.md")
    );
    assert_eq!(
        text(&files, ".github/copilot-instructions.md"),
        always
            .split_once("---\n")
            .unwrap()
            .1
            .split_once("---\n")
            .unwrap()
            .1
    );
}

#[test]
fn gemini_settings_naming_agents_md_need_no_gemini_md() {
    let files = files(Facts {
        agents_md: true,
        gemini_reads_agents_md: true,
        copilot_instructions_taken: false,
    });
    assert!(files.iter().any(|f| f.path == "CLAUDE.md"));
    assert!(!files.iter().any(|f| f.path == "GEMINI.md"));
}

#[test]
fn front_matter_is_yaml_with_quoted_strings_and_real_booleans() {
    let files = files(Facts::default());
    for f in files.iter().filter(|f| f.text.starts_with("---\n")) {
        let front = f.text[4..].split_once("\n---\n").unwrap().0;
        let value: serde_json::Value = serde_saphyr::from_str(front).unwrap();
        for (key, v) in value.as_object().unwrap() {
            if key == "alwaysApply" {
                assert!(v.is_boolean(), "{}: {v}", f.path);
            } else {
                assert!(v.is_string(), "{}: {key} {v}", f.path);
                assert!(front.contains(&format!("{key}: \"")), "{}: {key}", f.path);
            }
        }
    }
    let tricky = "a \"quoted\" \\ path\tand\u{7}";
    let back: String = serde_saphyr::from_str(&content::yaml_string(tricky)).unwrap();
    assert_eq!(back, tricky);
}

#[test]
fn scopes_whose_names_clash_are_told_apart() {
    let rules = rules(
        "id: a\npriority: P2\nmessage: a\npaths: [\"src/a-b/**\"]\nregex: { pattern: x }\n---\n\
         id: b\npriority: P2\nmessage: b\npaths: [\"src/a/b/**\"]\nregex: { pattern: x }\n---\n\
         id: c\npriority: P2\nmessage: c\npaths: [\"lib/**\"]\nregex: { pattern: x }\n",
    );
    let mut rules = rules;
    rules.push({
        let mut off = rules[2].clone();
        off.id = "off".into();
        off.enabled = false;
        off
    });
    let files = render(
        &rules,
        &[],
        Priority::P2,
        CursorGlobs::Quoted,
        Facts::default(),
    );
    let cursor: Vec<&str> = files
        .iter()
        .filter(|f| f.target.name == "cursor")
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(cursor.len(), 4, "{cursor:?}");
    assert!(cursor.contains(&".cursor/rules/harness-lib.mdc"));
    assert!(
        cursor
            .iter()
            .filter(|p| p.starts_with(".cursor/rules/harness-src-a-b-"))
            .count()
            == 2
    );
    assert!(!files.iter().any(|f| f.text.contains("`off`")));
}

#[test]
fn a_hand_written_copilot_file_moves_the_everywhere_part_beside_it() {
    let files = files(Facts {
        agents_md: true,
        gemini_reads_agents_md: false,
        copilot_instructions_taken: true,
    });
    assert!(
        !files
            .iter()
            .any(|f| f.path == ".github/copilot-instructions.md")
    );
    let beside = files
        .iter()
        .find(|f| f.path == ".github/instructions/harness.instructions.md")
        .expect("the everywhere part");
    assert!(
        beside.text.starts_with("---\napplyTo: \"**\"\n---\n"),
        "{}",
        beside.text
    );
}
