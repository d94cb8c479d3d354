//! The MCP server of harness: the repository's guardrails as tools any MCP client can call.
//!
//! Five tools, one file each: `context` (the guidance that applies to paths or a task),
//! `check` (findings for paths or the working-tree diff, in the agent format), `explain_rule`
//! and `list_rules` (the rules' text and ids), and `record_feedback` (a correction, stored as a
//! `feedback` event in the event store). Built on the official Rust SDK, `rmcp`.
//!
//! The one design choice to know: a tool never fails the server. Every call loads the
//! knowledge base afresh (an agent edits rule files while it works), runs on a blocking thread,
//! and turns every problem, a broken rule file, an unknown rule, a path outside the
//! repository, even a panic, into an `isError` result worded like the CLI's errors: what,
//! where (`file:line:col`), and a `hint:` line. Arguments that do not match a tool's input
//! schema are `isError` results too, from rmcp.
//!
//! ```no_run
//! # async fn serve_stdio() -> Result<(), harness_mcp::ServeError> {
//! let root = std::path::PathBuf::from(".");
//! // Answers one client until it disconnects.
//! harness_mcp::serve(root, tokio::io::stdin(), tokio::io::stdout()).await
//! # }
//! ```

mod check;
mod context;
mod feedback;
mod reply;
mod rules;
mod schema;

use std::path::{Path, PathBuf};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt, tool_handler};
use tokio::io::{AsyncRead, AsyncWrite};

pub use feedback::FEEDBACK_EVENT;
use reply::Refusal;

/// What the server tells a client about itself when it connects.
const INSTRUCTIONS: &str = "harness serves this repository's guardrails. Before editing files, \
call `context` with their paths (or a `task`) for the rules, decisions and review lenses that \
apply. After editing, call `check` with the paths you changed (or `changed: true`) and fix \
blocking findings before you finish. `explain_rule` gives a rule's full text, `list_rules` the \
rule ids. When a person corrects you, or a rule fired wrongly or missed something, call \
`record_feedback`.";

/// Why serving stopped before the client disconnected.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the MCP client did not initialize the session: {0}")]
    Initialize(#[source] Box<rmcp::service::ServerInitializeError>),
    #[error("the MCP server stopped unexpectedly: {0}")]
    Stopped(#[source] tokio::task::JoinError),
}

/// Serves the repository at `root` to one client that writes to `read` and reads from
/// `write`, until the client disconnects. Needs a Tokio runtime with timers enabled.
pub async fn serve<R, W>(root: PathBuf, read: R, write: W) -> Result<(), ServeError>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    let running = Server::new(root)
        .serve((read, write))
        .await
        .map_err(|e| ServeError::Initialize(Box::new(e)))?;
    running.waiting().await.map_err(ServeError::Stopped)?;
    Ok(())
}

/// The MCP server of one repository.
#[derive(Clone, Debug)]
pub struct Server {
    root: PathBuf,
    tool_router: ToolRouter<Server>,
}

impl Server {
    /// A server for the repository at `root` (where `harness.toml` is).
    pub fn new(root: PathBuf) -> Server {
        let mut tool_router = Server::context_router()
            + Server::check_router()
            + Server::rules_router()
            + Server::feedback_router();
        for route in tool_router.map.values_mut() {
            schema::reflow(&mut route.attr);
        }
        Server { root, tool_router }
    }

    /// Runs `work` on a blocking thread (loading and checking read files) and words its
    /// outcome as a tool result; a panic becomes an error result, not a dead server.
    async fn run<F>(&self, work: F) -> CallToolResult
    where
        F: FnOnce(&Path) -> Result<String, Refusal> + Send + 'static,
    {
        let root = self.root.clone();
        match tokio::task::spawn_blocking(move || work(&root)).await {
            Ok(Ok(text)) => CallToolResult::success(vec![ContentBlock::text(text)]),
            Ok(Err(refusal)) => CallToolResult::error(vec![ContentBlock::text(refusal.text())]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(
                Refusal::new(
                    &format!("harness failed inside this tool: {e}"),
                    "this is a bug in harness: report it with the arguments you passed; \
                     `harness` on the command line may work meanwhile",
                )
                .text(),
            )]),
        }
    }
}

/// rmcp's words for arguments that do not deserialize, which it returns as an error result.
const ARGUMENTS_ERROR: &str = "failed to deserialize parameters: ";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.clone();
        let call = ToolCallContext::new(self, request, context);
        let mut response = self.tool_router.call(call).await?;
        // Arguments that do not fit the schema: say which tool, and what it takes.
        if let (CallToolResponse::Complete(result), Some(tool)) =
            (&mut response, self.tool_router.get(&name))
            && result.is_error == Some(true)
            && let Some(problem) = result
                .content
                .first()
                .and_then(|c| c.as_text())
                .and_then(|t| t.text.strip_prefix(ARGUMENTS_ERROR))
        {
            let text = Refusal::new(
                &format!("invalid arguments for `{name}`: {problem}"),
                &schema::arguments_hint(tool),
            )
            .text();
            result.content = vec![ContentBlock::text(text)];
        }
        Ok(response)
    }

    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("harness", env!("CARGO_PKG_VERSION"))
                    .with_title("harness guardrails"),
            )
            .with_instructions(INSTRUCTIONS)
    }
}
