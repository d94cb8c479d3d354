//! Merging into agents' settings: formatting kept, idempotent, and install then uninstall gives
//! the original bytes back.

use insta::assert_snapshot;
use serde_json::Value;

use super::jsonc;
use super::{InstallError, Settings, claude, codex, gemini, unified_diff};

/// Installs into `before`, checks the result holds exactly harness's groups, that a second
/// install changes nothing and that uninstall gives `before` back; returns the installed text.
fn round_trip(settings: &Settings, before: &str) -> String {
    let once = settings.install(Some(before)).unwrap();
    assert_installed(settings, &once);
    let twice = settings.install(Some(&once)).unwrap();
    assert_eq!(twice, once, "a second install changed the file");
    let back = settings.uninstall(&once).unwrap();
    assert_eq!(
        back.as_deref(),
        Some(before),
        "uninstall did not restore:\n{once}"
    );
    once
}

fn value(settings: &Settings, text: &str) -> Value {
    let parsed = jsonc::parse(text, settings.comments).unwrap();
    jsonc::to_value(parsed.as_ref().unwrap())
}

/// Every event holds harness's group exactly once, and no other harness handler.
fn assert_installed(settings: &Settings, text: &str) {
    let v = value(settings, text);
    for event in settings.events {
        let groups = v["hooks"][event.name].as_array().unwrap();
        let ours = groups
            .iter()
            .filter(|g| **g == settings.group(event))
            .count();
        assert_eq!(ours, 1, "{}: {text}", event.name);
        let handlers = groups
            .iter()
            .flat_map(|g| g["hooks"].as_array().cloned().unwrap_or_default())
            .filter(|h| {
                h["command"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("harness hook "))
            })
            .count();
        assert_eq!(handlers, 1, "{}: {text}", event.name);
    }
}

const USER_2: &str = r#"{
  "model": "opus",
  "permissions": {
    "allow": ["Bash(npm test)"]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          { "type": "command", "command": "./scripts/guard.sh" }
        ]
      }
    ],
    "Notification": [
      {
        "hooks": [{ "type": "command", "command": "notify-send done" }]
      }
    ]
  }
}
"#;

#[test]
fn new_file_is_created_and_removed() {
    let text = claude::SETTINGS.install(None).unwrap();
    assert_installed(&claude::SETTINGS, &text);
    assert_snapshot!(text);
    assert_eq!(claude::SETTINGS.uninstall(&text).unwrap(), None);
}

#[test]
fn merges_beside_other_hooks_and_keys() {
    let after = round_trip(&claude::SETTINGS, USER_2);
    assert_snapshot!(unified_diff(
        ".claude/settings.json",
        Some(USER_2),
        Some(&after)
    ));
}

#[test]
fn keeps_four_spaces_tabs_and_crlf() {
    let four = USER_2.replace("  ", "    ");
    let after = round_trip(&claude::SETTINGS, &four);
    assert!(
        after.contains("\n        \"SessionStart\": [\n            {\n                \"hooks\"")
    );
    let tabs = USER_2.replace("  ", "\t");
    let after = round_trip(&codex::SETTINGS, &tabs);
    assert!(after.contains("\n\t\t\"SessionStart\": [\n\t\t\t{\n\t\t\t\t\"hooks\""));
    let crlf = USER_2.replace('\n', "\r\n");
    let after = round_trip(&gemini::SETTINGS, &crlf);
    assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
}

#[test]
fn one_line_files_stay_on_one_line() {
    let compact = r#"{"model":"opus","hooks":{"Stop":[{"hooks":[{"type":"command","command":"say done"}]}]}}"#;
    let after = round_trip(&claude::SETTINGS, compact);
    assert!(!after.contains('\n'));
    assert!(after.contains(r#""say done"}]},{"hooks":[{"type":"command","command":"harness hook claude","timeout":30}]}]"#), "{after}");
    let spaced = "{\"model\": \"opus\"}\n";
    let after = round_trip(&codex::SETTINGS, spaced);
    assert_eq!(after.lines().count(), 1);
    assert!(
        after.contains(r#""hooks": {"SessionStart": [{"hooks": [{"type": "command""#),
        "{after}"
    );
}

#[test]
fn empty_hooks_and_events_of_other_shapes() {
    round_trip(
        &claude::SETTINGS,
        "{\n  \"hooks\": {\n    \"Stop\": [\n      {\"hooks\": []}\n    ]\n  }\n}\n",
    );
    // Groups hugging their array's brackets.
    round_trip(
        &claude::SETTINGS,
        "{\n  \"hooks\": {\n    \"Stop\": [{\n      \"hooks\": [{\"type\": \"command\", \"command\": \"x\"}]\n    }]\n  }\n}\n",
    );
    // An empty object is taken to be harness's: uninstall deletes the file.
    let after = claude::SETTINGS.install(Some("{}\n")).unwrap();
    assert_eq!(after, claude::SETTINGS.install(None).unwrap());
}

#[test]
fn gemini_keeps_comments() {
    let before = r#"{
  // Dark, always.
  "ui": { "theme": "GitHub" }, /* trailing block */
  "hooks": {
    /* before the event */
    "BeforeTool": [
      {
        "matcher": "run_shell_command",
        "hooks": [{ "name": "audit", "type": "command", "command": "audit.sh" }] // audit every command
      }
    ],
    "disabled": ["audit"] // Gemini CLI's own setting in hooks
  } // end of hooks
}
"#;
    let after = round_trip(&gemini::SETTINGS, before);
    assert!(
        after.contains(
            "\"disabled\": [\"audit\"], // Gemini CLI's own setting in hooks\n    \"SessionStart\""
        ),
        "{after}"
    );
    assert!(after.contains("// audit every command\n      },\n      {\n        \"matcher\": \"write_file|replace|run_shell_command\""), "{after}");
    assert!(after.contains("\"timeout\": 30000"));
    let empty = "{\n  // nothing yet\n}\n";
    let after = round_trip(&gemini::SETTINGS, empty);
    assert!(
        after.ends_with("    ]\n  }\n  // nothing yet\n}\n"),
        "{after}"
    );
}

#[test]
fn outdated_and_stray_handlers_are_replaced() {
    let before = r#"{
  "hooks": {
    "Stop": [
      { "hooks": [{ "type": "command", "command": "say stop" }] },
      { "hooks": [{ "type": "command", "command": "harness hook claude", "timeout": 10 }] },
      { "hooks": [{ "type": "command", "command": "harness hook claude --old" }] }
    ],
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          { "type": "command", "command": "guard" },
          { "type": "command", "command": "harness hook claude" }
        ]
      }
    ],
    "UserPromptSubmit": [
      { "hooks": [{ "type": "command", "command": "harness hook claude" }] }
    ]
  }
}
"#;
    let after = claude::SETTINGS.install(Some(before)).unwrap();
    assert_installed(&claude::SETTINGS, &after);
    assert_eq!(claude::SETTINGS.install(Some(&after)).unwrap(), after);
    assert_snapshot!(after);
    let v = value(&claude::SETTINGS, &after);
    assert!(v["hooks"].get("UserPromptSubmit").is_none());
    // Replaced in place: harness's Stop group stays second.
    assert_eq!(v["hooks"]["Stop"][1]["hooks"][0]["timeout"], 30);
    let removed = claude::SETTINGS.uninstall(&after).unwrap().unwrap();
    assert!(!removed.contains("harness hook"), "{removed}");
    assert!(removed.contains("\"guard\""));
}

#[test]
fn malformed_settings_are_errors_with_positions() {
    let err = |s: &Settings, text: &str| match s.install(Some(text)) {
        Err(
            InstallError::Syntax {
                line,
                column,
                message,
            }
            | InstallError::Shape {
                line,
                column,
                message,
            },
        ) => format!("{line}:{column}: {message}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err(&claude::SETTINGS, "{\n  \"a\": 1\n  \"b\": 2\n}"),
        "2:9: expected comma"
    );
    assert_eq!(
        err(&claude::SETTINGS, "{\n  // no comments in Claude's file\n}"),
        "2:3: comments are not allowed"
    );
    assert_eq!(
        err(&codex::SETTINGS, "{\"hooks\": [1]}"),
        "1:11: `hooks` must be an object, not an array"
    );
    assert_eq!(
        err(&gemini::SETTINGS, "{\"hooks\": {\"AfterAgent\": {}}}"),
        "1:26: `hooks.AfterAgent` must be an array of hook groups, not an object"
    );
    assert_eq!(
        err(&claude::SETTINGS, "[]"),
        "1:1: the settings file must hold a JSON object"
    );
    assert!(
        claude::SETTINGS
            .uninstall("{\"hooks\": {\"Stop\": 1}}")
            .is_err()
    );
}

#[test]
fn codex_trust_hash_matches_an_independent_computation() {
    // python3: hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(',', ':'),
    // ensure_ascii=False).encode()).hexdigest()
    assert_eq!(
        codex::trusted_hash(
            "pre_tool_use",
            Some("^(Edit|Write)$"),
            "harness hook codex",
            30
        ),
        "sha256:78e4e1bbce22e7ebfb8edb9a7bff0a4854d81280a99dbd10ed311fce7f61e3bb"
    );
    assert_eq!(
        codex::trusted_hash("session_start", None, "harness hook codex", 30),
        "sha256:598a355971d0299f1440a75e9d7cddc0dcce0f5f7d3980ffb71ed93c8d034ea1"
    );
    assert_eq!(
        codex::trusted_hash("stop", Some("a\"b"), "harness hook codex --é", 30),
        "sha256:7aedc42015e034788b19034c6eee1bfc8fe530400934111dc1712005a3dae891"
    );
}

#[test]
fn codex_trust_keys_count_positions_after_the_merge() {
    let before = r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say"}]}]}}"#;
    let after = codex::SETTINGS.install(Some(before)).unwrap();
    let snippet = codex::codex_trust_snippet("/r", "/r/.codex/hooks.json", &after);
    assert_snapshot!(snippet);
    let entries = codex::trust_entries("/r", "/r/.codex/hooks.json", &after);
    assert_eq!(entries.len(), 6);
    let half: String = snippet
        .split("\n\n")
        .take(3)
        .collect::<Vec<_>>()
        .join("\n\n");
    assert_eq!(codex::missing(&half, entries.clone()), entries[3..]);
    assert_eq!(codex::missing(&snippet, entries), []);
}

#[test]
fn comments_and_text_after_the_last_item_on_its_line() {
    for before in [
        "{\n  \"ui\": {\"title\": \"é//x\"}, \"hooks\": {\"AfterAgent\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"ü\"}]}]} // c\n}\n",
        "{\n  \"ui\": {} /* a */ /* b */ // c\n}\n",
        "{\r\n  \"$schema\": \"x\", // why\r\n  \"hooks\": {\r\n    \"AfterAgent\": [ /* none */ ]\r\n  }\r\n}\r\n",
        "// leading\n{ \"hooks\": { /* x */ } }\n// trailing\n",
    ] {
        let after = round_trip(&gemini::SETTINGS, before);
        assert_eq!(
            after.matches("// c").count(),
            before.matches("// c").count()
        );
    }
}

/// Settings of many shapes (events, groups, other keys) in many formattings all go through
/// install, a second install and uninstall unharmed.
#[test]
fn random_settings_round_trip() {
    let mut seed = 0x2545_f491_u64;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let events = [
        "PreToolUse",
        "Stop",
        "Notification",
        "SessionStart",
        "BeforeTool",
    ];
    for _ in 0..300 {
        let mut root = serde_json::Map::new();
        if next(2) == 0 {
            root.insert("model".into(), "opus".into());
        }
        if next(3) > 0 {
            let mut hooks = serde_json::Map::new();
            for event in events {
                if next(2) == 0 {
                    continue;
                }
                let groups: Vec<Value> = (0..=next(2))
                    .map(|g| {
                        let handler =
                            serde_json::json!({"type": "command", "command": format!("run {g}")});
                        let mut group = serde_json::json!({"hooks": [handler]});
                        if next(2) == 0 {
                            group["matcher"] = "Bash".into();
                        }
                        group
                    })
                    .collect();
                hooks.insert(event.into(), groups.into());
            }
            if !hooks.is_empty() {
                root.insert("hooks".into(), hooks.into());
            }
        }
        if next(2) == 0 {
            root.insert(
                "permissions".into(),
                serde_json::json!({"allow": [], "deny": ["x"]}),
            );
        }
        let value = Value::Object(root);
        let mut text = match next(4) {
            0 => serde_json::to_string(&value).unwrap(),
            1 => serde_json::to_string_pretty(&value).unwrap(),
            indent => {
                let indent: &[u8] = if indent == 2 { b"    " } else { b"\t" };
                let mut out = Vec::new();
                let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
                let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                serde::Serialize::serialize(&value, &mut ser).unwrap();
                String::from_utf8(out).unwrap()
            }
        };
        if next(2) == 0 {
            text.push('\n');
        }
        if next(4) == 0 {
            text = text.replace('\n', "\r\n");
        }
        if value.as_object().is_some_and(serde_json::Map::is_empty) {
            // An empty object is taken to be harness's own: uninstall deletes it.
            continue;
        }
        for settings in [&claude::SETTINGS, &codex::SETTINGS, &gemini::SETTINGS] {
            round_trip(settings, &text);
        }
    }
}

#[test]
fn user_hooks_whose_trust_moves_are_named() {
    let abs = "/repo/.codex/hooks.json";
    let before = r#"{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
        {"type": "command", "command": "harness hook codex", "timeout": 30},
        {"type": "command", "command": "./guard.sh"}]}]}}"#;
    let after = r#"{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [
        {"type": "command", "command": "./guard.sh"}]}]}}"#;
    let hash = codex::trusted_hash("pre_tool_use", Some("Bash"), "./guard.sh", 600);
    let config = format!("[hooks.state.\"{abs}:pre_tool_use:0:1\"]\ntrusted_hash = \"{hash}\"\n");
    let moved = codex::moved_user_entries(&config, abs, Some(before), Some(after));
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0].table[2], format!("{abs}:pre_tool_use:0:0"));
    assert_eq!(moved[0].value, hash);
    // Nothing moved, nothing said.
    assert!(codex::moved_user_entries(&config, abs, Some(before), Some(before)).is_empty());
}
