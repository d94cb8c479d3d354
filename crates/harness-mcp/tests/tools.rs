//! The server in process, driven by rmcp's client over an in-memory pipe: what each tool
//! answers, and how it refuses. `harness-cli`'s tests drive the real binary over stdio.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

use std::path::Path;

use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

struct Session {
    client: RunningService<RoleClient, ()>,
    _server: tokio::task::JoinHandle<()>,
}

impl Session {
    async fn start(root: &Path) -> Session {
        let (client_end, server_end) = tokio::io::duplex(64 * 1024);
        let (read, write) = tokio::io::split(server_end);
        let root = root.to_path_buf();
        let server = tokio::spawn(async move {
            harness_mcp::serve(root, read, write).await.unwrap();
        });
        let client = ().serve(client_end).await.unwrap();
        Session {
            client,
            _server: server,
        }
    }

    /// Calls `tool` with `args`; returns (is error, text).
    async fn call(&self, tool: &'static str, args: Value) -> (bool, String) {
        let Value::Object(args) = args else {
            panic!("arguments must be an object")
        };
        let result: CallToolResult = self
            .client
            .call_tool(CallToolRequestParams::new(tool).with_arguments(args))
            .await
            .unwrap();
        let text = result
            .content
            .iter()
            .filter_map(|c| c.as_text().map(|t| t.text.clone()))
            .collect::<String>();
        (result.is_error == Some(true), text)
    }
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("harness.toml", "");
    write(
        ".harness/rules/api.yml",
        "id: api-no-bare-fetch\npriority: P1\nmessage: fetch without a timeout\n\
         why: a hung upstream hangs the request\nfix: use apiClient, which sets one\n\
         paths: [\"src/api/**\"]\nregex:\n  pattern: 'fetch\\('\n",
    );
    write(
        ".harness/rules/style.yml",
        "id: no-todo\npriority: P3\nmessage: a TODO without an issue\nregex:\n  pattern: 'TODO'\n",
    );
    write(
        "docs/journeys/checkout.md",
        "---\ntags: [payments]\n---\n# Checkout\n\n- A declined card offers a retry\n",
    );
    write(
        "src/api/users.ts",
        "export const get = () => fetch('/u');\n",
    );
    write("src/ok.ts", "export const ok = 1;\n");
    dir
}

#[tokio::test]
async fn tools_read_as_one_flowing_text_with_closed_schemas() {
    let dir = repo();
    let session = Session::start(dir.path()).await;
    let tools = session.client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        [
            "check",
            "context",
            "explain_rule",
            "list_rules",
            "record_feedback"
        ]
    );
    for tool in &tools {
        let description = tool.description.as_deref().unwrap();
        assert!(!description.contains('\n'), "{description}");
        let schema = Value::Object(tool.input_schema.as_ref().clone());
        assert_eq!(schema["additionalProperties"], false, "{}", tool.name);
        for (name, property) in schema["properties"].as_object().unwrap() {
            let text = property["description"].as_str().unwrap_or_default();
            assert!(!text.is_empty() && !text.contains('\n'), "{name}: {text}");
        }
        assert!(!schema.to_string().contains("$ref"), "{schema}");
    }
    session.client.cancel().await.unwrap();
}

#[tokio::test]
async fn each_tool_answers() {
    let dir = repo();
    let session = Session::start(dir.path()).await;

    let (error, text) = session
        .call("context", json!({"task": "retry declined payments"}))
        .await;
    assert!(!error && text.contains("journey Checkout"), "{text}");

    let (error, text) = session.call("check", json!({"paths": ["src"]})).await;
    assert!(!error, "{text}");
    assert!(
        text.starts_with("harness: 1 blocking (P1 1), 0 advisory")
            || text.starts_with("harness: 1 blocking (P1 1) in 1 file"),
        "{text}"
    );
    assert!(
        text.contains("src/api/users.ts:1  P1 api-no-bare-fetch"),
        "{text}"
    );

    let (error, text) = session
        .call("list_rules", json!({"path": "src/api/new.ts"}))
        .await;
    assert!(!error, "{text}");
    assert!(text.starts_with("2 rules check src/api/new.ts"), "{text}");
    let p1 = text.find("P1 api-no-bare-fetch").unwrap();
    let p3 = text.find("P3 no-todo").unwrap();
    assert!(p1 < p3, "most severe first: {text}");

    let (error, text) = session
        .call(
            "explain_rule",
            json!({"rule": "harness/unused-suppression"}),
        )
        .await;
    assert!(!error && text.contains("built in"), "{text}");

    let (error, text) = session
        .call(
            "record_feedback",
            json!({"text": "use apiClient", "rule": "api-no-bare-fetch", "kind": "missed",
                   "agent": "claude", "session": "s1", "external_id": "review:7"}),
        )
        .await;
    assert!(!error, "{text}");
    let (_, again) = session
        .call(
            "record_feedback",
            json!({"text": "use apiClient", "external_id": "review:7"}),
        )
        .await;
    let first = text
        .trim()
        .trim_start_matches("recorded feedback as event ");
    assert_eq!(
        again,
        format!("already recorded as event {first} (the same external_id); nothing added\n"),
        "an external id is recorded once"
    );
    let store = harness_store::Store::open_in(dir.path()).unwrap();
    let events = store.session_events("claude", "s1").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, harness_mcp::FEEDBACK_EVENT);
    assert_eq!(
        events[0].data,
        json!({"text": "use apiClient", "rule": "api-no-bare-fetch", "source": "agent",
               "kind": "missed", "via": "mcp"})
    );
    session.client.cancel().await.unwrap();
}

#[tokio::test]
async fn refusals_say_what_and_what_to_do() {
    let dir = repo();
    let session = Session::start(dir.path()).await;
    let cases = [
        ("context", json!({}), "error: nothing to give context for"),
        (
            "check",
            json!({"paths": ["src"], "changed": true}),
            "error: both `paths` and `changed` were given",
        ),
        (
            "check",
            json!({"rules": ["nope"]}),
            "error: unknown rule `nope`",
        ),
        (
            "check",
            json!({"paths": ["src/missing.ts"]}),
            "error: path not found",
        ),
        (
            "record_feedback",
            json!({"text": "  "}),
            "error: `text` is empty",
        ),
        (
            "record_feedback",
            json!({"text": "x", "kind": "Big Miss"}),
            "error: `kind` \"Big Miss\" is not a lowercase word",
        ),
        (
            "record_feedback",
            json!({"text": "x", "rule": "no-tod"}),
            "error: unknown rule `no-tod`\nhint: did you mean no-todo?",
        ),
        (
            "list_rules",
            json!({"path": "/elsewhere/a.ts"}),
            "error: `/elsewhere/a.ts` is outside the repository",
        ),
        (
            "context",
            json!({"paths": ["src"], "budget": -1}),
            "error: invalid arguments for `context`: invalid value: integer `-1`",
        ),
    ];
    for (tool, args, expected) in cases {
        let (error, text) = session.call(tool, args.clone()).await;
        assert!(error, "{tool} {args}: {text}");
        assert!(text.starts_with(expected), "{tool} {args}: {text}");
        assert!(text.contains("\nhint: "), "{tool} {args}: {text}");
    }
    assert!(
        harness_store::Store::open_in(dir.path())
            .unwrap()
            .events_of_kind(harness_mcp::FEEDBACK_EVENT)
            .unwrap()
            .is_empty(),
        "refused feedback is not recorded"
    );
    session.client.cancel().await.unwrap();
}

#[tokio::test]
async fn the_knowledge_base_is_read_on_every_call() {
    let dir = repo();
    let session = Session::start(dir.path()).await;
    let (_, before) = session.call("list_rules", json!({})).await;
    assert!(before.starts_with("2 rules"), "{before}");
    std::fs::write(
        dir.path().join(".harness/rules/new.yml"),
        "id: no-console\npriority: P2\nmessage: no console.log\nregex:\n  pattern: 'console'\n",
    )
    .unwrap();
    let (_, after) = session.call("list_rules", json!({})).await;
    assert!(
        after.starts_with("3 rules") && after.contains("P2 no-console"),
        "{after}"
    );
    session.client.cancel().await.unwrap();
}
