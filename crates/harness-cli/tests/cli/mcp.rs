//! `harness mcp`: the real binary as an MCP server on stdio, driven by rmcp's client the way an
//! agent's MCP client drives it: initialize, list tools, call each tool, call them wrongly.

use std::io::Write as _;
use std::process::Stdio;

use rmcp::model::{CallToolRequestParams, ErrorCode};
use rmcp::service::{RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};

use crate::common::Repo;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("harness.toml", "")
        .write(
            ".harness/rules/api.yml",
            "id: api-no-bare-fetch\npriority: P1\nmessage: fetch without a timeout\n\
             why: a hung upstream hangs the request\nfix: use apiClient, which sets one\n\
             runbook: docs/runbooks/timeouts.md\npaths: [\"src/api/**\"]\n\
             regex:\n  pattern: 'fetch\\('\n",
        )
        .write(
            "docs/adr/0001-api-client.md",
            "---\nstatus: accepted\napplies_to: [\"src/api/**\"]\n---\n# One API client\n\n\
             Every HTTP call goes through apiClient.\n",
        )
        .write(
            "src/api/users.ts",
            "export const get = () => fetch('/u');\n",
        )
        .write("src/ok.ts", "export const ok = 1;\n");
    repo
}

/// `harness mcp` started in `repo` by rmcp's client, initialized.
async fn connect(repo: &Repo) -> RunningService<RoleClient, ()> {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_harness"));
    command.arg("mcp").current_dir(repo.path());
    let (transport, _) = TokioChildProcess::builder(command)
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    ().serve(transport).await.unwrap()
}

/// Calls `tool` with `args`: whether it is an error result, and its text.
async fn call(
    client: &RunningService<RoleClient, ()>,
    tool: &'static str,
    args: Value,
) -> (bool, String) {
    let result = client.call_tool(request(tool, args)).await.unwrap();
    let text: String = result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect();
    (result.is_error == Some(true), text)
}

fn request(tool: &'static str, args: Value) -> CallToolRequestParams {
    let Value::Object(args) = args else {
        panic!("tool arguments are an object")
    };
    CallToolRequestParams::new(tool).with_arguments(args)
}

#[tokio::test]
async fn initialize_and_list_the_five_tools_with_their_schemas() {
    let repo = repo();
    let client = connect(&repo).await;
    let info = client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "harness");
    assert!(info.capabilities.tools.is_some());
    assert!(
        info.instructions
            .as_deref()
            .unwrap()
            .contains("call `check`"),
        "{info:?}"
    );

    let tools = client.list_all_tools().await.unwrap();
    let schemas: Vec<(String, Vec<String>, Value)> = tools
        .iter()
        .map(|t| {
            let schema = Value::Object(t.input_schema.as_ref().clone());
            let properties = schema["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            (t.name.to_string(), properties, schema["required"].clone())
        })
        .collect();
    let expected = [
        (
            "check",
            vec!["paths", "changed", "base", "rules", "max_bytes"],
            Value::Null,
        ),
        ("context", vec!["paths", "task", "budget"], Value::Null),
        ("explain_rule", vec!["rule"], json!(["rule"])),
        ("list_rules", vec!["path"], Value::Null),
        (
            "record_feedback",
            vec![
                "text",
                "paths",
                "rule",
                "source",
                "author",
                "kind",
                "agent",
                "session",
                "external_id",
            ],
            json!(["text"]),
        ),
    ];
    assert_eq!(schemas.len(), expected.len());
    for ((name, properties, required), (e_name, e_properties, e_required)) in
        schemas.iter().zip(expected)
    {
        assert_eq!(name, e_name);
        assert_eq!(properties, &e_properties, "{name}");
        assert_eq!(required, &e_required, "{name}");
    }
    for tool in &tools {
        assert!(
            tool.description.as_deref().is_some_and(|d| d.len() > 80),
            "{} needs a description an agent can act on",
            tool.name
        );
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn each_tool_answers() {
    let repo = repo();
    let client = connect(&repo).await;

    let (error, text) = call(&client, "context", json!({"paths": ["src/api/orders.ts"]})).await;
    assert!(!error);
    assert_eq!(
        text,
        "harness context: 2 of 2 for src/api/orders.ts\n\
         rule api-no-bare-fetch (P1): fetch without a timeout\n  \
         why: a hung upstream hangs the request\n  \
         fix: use apiClient, which sets one\n  see: docs/runbooks/timeouts.md\n\
         ADR One API client (docs/adr/0001-api-client.md)\n  \
         Every HTTP call goes through apiClient.\n"
    );

    let (error, text) = call(&client, "check", json!({"paths": ["src"]})).await;
    assert!(!error);
    assert_eq!(
        text,
        "harness: 1 blocking (P1 1) in 1 file\n\
         src/api/users.ts:1  P1 api-no-bare-fetch  fetch without a timeout\n  \
         fix: use apiClient, which sets one\n  see: docs/runbooks/timeouts.md\n"
    );

    let (error, text) = call(
        &client,
        "explain_rule",
        json!({"rule": "api-no-bare-fetch"}),
    )
    .await;
    assert!(!error);
    assert!(
        text.starts_with("api-no-bare-fetch (P1, regex)\n\nfetch without a timeout\n\nwhy: a hung upstream hangs the request\n"),
        "{text}"
    );
    assert!(text.contains("applies to: src/api/**\n"), "{text}");
    assert!(
        text.contains("defined at: .harness/rules/api.yml:1:"),
        "{text}"
    );

    let (error, text) = call(&client, "list_rules", json!({})).await;
    assert!(!error);
    assert_eq!(
        text,
        "1 rule; `explain_rule` gives one's full text\n\
         P1 api-no-bare-fetch: fetch without a timeout\n\
         built in: harness/unused-suppression (P2), harness/invalid-suppression (P2), harness/coverage-report (P1), harness/stale-coverage (P3)\n"
    );

    let (error, text) = call(
        &client,
        "record_feedback",
        json!({
            "text": "Use apiClient here, it sets the timeout.",
            "paths": ["src/api/users.ts"],
            "rule": "api-no-bare-fetch",
            "source": "person",
            "author": "dana",
            "kind": "review-comment",
            "agent": "codex",
            "session": "s-42",
            "external_id": "github:pr:7:comment:1"
        }),
    )
    .await;
    assert!(!error, "{text}");
    let id: i64 = text
        .strip_prefix("recorded feedback as event ")
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    client.cancel().await.unwrap();

    let store = harness_store::Store::open_in(repo.path()).unwrap();
    let events = store.events_of_kind("feedback").unwrap();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.id, id);
    assert_eq!(event.agent.as_deref(), Some("codex"));
    assert_eq!(event.session.as_deref(), Some("s-42"));
    assert_eq!(event.external_id.as_deref(), Some("github:pr:7:comment:1"));
    assert_eq!(
        event.data,
        json!({
            "text": "Use apiClient here, it sets the timeout.",
            "paths": ["src/api/users.ts"],
            "rule": "api-no-bare-fetch",
            "source": "person",
            "author": "dana",
            "kind": "review-comment",
            "via": "mcp"
        })
    );
}

#[tokio::test]
async fn check_takes_the_working_tree_diff() {
    let repo = repo();
    repo.git(&["init", "-q"]);
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-qm", "base"]);
    let client = connect(&repo).await;
    let (error, text) = call(&client, "check", json!({"changed": true})).await;
    assert!(!error);
    assert_eq!(text, "harness: clean (0 files checked)\n");
    repo.write("src/api/orders.ts", "fetch('/o');\n");
    let (error, text) = call(&client, "check", json!({"changed": true})).await;
    assert!(!error);
    assert!(
        text.starts_with(
            "harness: 1 blocking (P1 1) in 1 file\nsrc/api/orders.ts:1  P1 api-no-bare-fetch"
        ),
        "{text}"
    );
    assert!(!text.contains("users.ts"), "{text}");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_arguments_are_error_results_and_the_server_goes_on() {
    let repo = repo();
    let client = connect(&repo).await;
    let cases = [
        (
            "record_feedback",
            json!({"paths": ["src/ok.ts"]}),
            "error: invalid arguments for `record_feedback`: missing field `text`\n\
             hint: `record_feedback` takes text (string), paths (list of strings), rule (string), \
             source (\"person\" or \"agent\"), author (string), kind (string), agent (string), \
             session (string), external_id (string); required: text",
        ),
        (
            "check",
            json!({"paths": "src"}),
            "error: invalid arguments for `check`: invalid type: string \"src\", expected a sequence\n\
             hint: `check` takes paths (list of strings), changed (true or false), base (string), \
             rules (list of strings), max_bytes (integer); none is required",
        ),
        (
            "context",
            json!({"path": ["src/ok.ts"]}),
            "error: invalid arguments for `context`: unknown field `path`, expected one of `paths`, `task`, `budget`\n\
             hint: `context` takes paths (list of strings), task (string), budget (integer); none is required",
        ),
        (
            "explain_rule",
            json!({"rule": "bare-fetch"}),
            "error: unknown rule `bare-fetch`\nhint: did you mean api-no-bare-fetch? `list_rules` gives every id",
        ),
        (
            "explain_rule",
            json!({"rule": "something-else"}),
            "error: unknown rule `something-else`\nhint: call `list_rules` for the rule ids",
        ),
    ];
    for (tool, args, expected) in cases {
        let (error, text) = call(&client, tool, args.clone()).await;
        assert!(error, "{tool} {args}: {text}");
        assert_eq!(text, expected, "{tool} {args}");
    }
    let outside = repo.path().parent().unwrap().join("elsewhere.ts");
    for (tool, args) in [
        ("context", json!({"paths": ["../elsewhere.ts"]})),
        ("check", json!({"paths": [outside.to_string_lossy()]})),
        (
            "record_feedback",
            json!({"text": "x", "paths": ["../../etc/passwd"]}),
        ),
    ] {
        let (error, text) = call(&client, tool, args.clone()).await;
        assert!(error, "{tool} {args}: {text}");
        assert!(
            text.starts_with("error: `") && text.contains("` is outside the repository at "),
            "{tool} {args}: {text}"
        );
        assert!(
            text.ends_with(
                "\nhint: pass paths relative to the repository root, or absolute paths inside it"
            ),
            "{text}"
        );
    }

    // An unknown tool is the protocol's invalid-params error, not a result.
    match client.call_tool(request("lint", json!({}))).await {
        Err(ServiceError::McpError(e)) => assert_eq!(e.code, ErrorCode::INVALID_PARAMS),
        other => panic!("expected invalid params, got {other:?}"),
    }

    // After all that, the server still answers.
    let (error, text) = call(&client, "check", json!({"paths": ["src/ok.ts"]})).await;
    assert!(!error);
    assert_eq!(text, "harness: clean (1 file checked)\n");
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn a_broken_rule_file_is_an_error_result_with_its_place() {
    let repo = repo();
    let client = connect(&repo).await;
    repo.write(
        ".harness/rules/broken.yml",
        "id: broken\npriority: P1\nmesage: typo\nregex:\n  pattern: 'x'\n",
    );
    for (tool, args) in [
        ("check", json!({"paths": ["src"]})),
        ("context", json!({"paths": ["src/ok.ts"]})),
        ("list_rules", json!({})),
        ("explain_rule", json!({"rule": "api-no-bare-fetch"})),
    ] {
        let (error, text) = call(&client, tool, args).await;
        assert!(error, "{tool}: {text}");
        assert!(text.starts_with("error: "), "{tool}: {text}");
        assert!(
            text.contains("  --> .harness/rules/broken.yml:3:1\n"),
            "{tool}: {text}"
        );
        assert!(text.contains("\nhint: "), "{tool}: {text}");
    }
    // Feedback is still taken: the knowledge base being broken is worth telling.
    let (error, text) = call(
        &client,
        "record_feedback",
        json!({"text": "the new rule file does not load", "rule": "broken"}),
    )
    .await;
    assert!(!error, "{text}");
    assert!(text.contains("the rule id was not checked"), "{text}");

    // Fixed on disk, the next call sees it: nothing is cached across calls.
    repo.remove(".harness/rules/broken.yml");
    let (error, text) = call(&client, "check", json!({"paths": ["src/ok.ts"]})).await;
    assert!(!error, "{text}");
    client.cancel().await.unwrap();
}

/// Below the client library: stdout carries protocol messages and nothing else, and the server
/// exits cleanly when the client closes stdin. `--root` serves a repository from elsewhere.
#[test]
fn stdout_is_protocol_only_and_eof_ends_the_server() {
    let repo = repo();
    let elsewhere = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_harness"))
        .arg("--root")
        .arg(repo.path())
        .arg("mcp")
        .current_dir(elsewhere.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "test", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
               "params": {"name": "list_rules", "arguments": {}}}),
    ];
    let mut stdin = child.stdin.take().unwrap();
    for m in &messages {
        writeln!(stdin, "{m}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let replies: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON-RPC: {l:?}: {e}")))
        .collect();
    assert!(replies.iter().all(|r| r["jsonrpc"] == "2.0"), "{stdout}");
    let ids: Vec<&Value> = replies.iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, [&json!(1), &json!(2)], "{stdout}");
    assert_eq!(replies[0]["result"]["protocolVersion"], "2025-06-18");
    let text = replies[1]["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("1 rule;"), "{text}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_client_that_never_initializes_is_a_usage_error() {
    let repo = repo();
    // `output()` gives the child an empty stdin: the client is gone before it speaks.
    let run = repo.harness(&["mcp"]);
    assert_eq!(run.code, 2, "{}", run.snapshot());
    assert!(run.stdout.is_empty(), "{}", run.snapshot());
    assert!(
        run.stderr
            .starts_with("error: the MCP client did not initialize the session"),
        "{}",
        run.snapshot()
    );
    assert!(run.stderr.contains("\nhint: "), "{}", run.snapshot());
}

#[test]
fn outside_a_repository_it_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_harness"))
        .arg("mcp")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: no harness.toml"), "{stderr}");
}
