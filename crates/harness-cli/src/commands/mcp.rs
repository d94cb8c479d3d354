//! `harness mcp`: the MCP server of `harness_mcp` on stdin and stdout.

use std::io::{IsTerminal, Write};

use tokio::io::AsyncReadExt;

use super::{Failure, root};
use crate::args::{Cli, McpArgs};
use crate::exit;

pub fn run(
    cli: &Cli,
    _args: &McpArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, Failure> {
    let root = root(cli)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| {
            Failure::new(
                &format!("cannot start the MCP server: {e}"),
                "this is a bug in harness; report it with your platform",
            )
        })?;
    if std::io::stdin().is_terminal() {
        let _ = writeln!(
            err,
            "harness mcp: serving {} over stdin/stdout to an MCP client; see docs/mcp.md to \
             register it with your agent (Ctrl-D stops)",
            root.display()
        );
    }
    // The caller holds the lock on stdout, so the server writes into a pipe that this thread
    // copies to `out`: stdout carries protocol messages only, and nothing else writes there.
    let (server_end, mut reader) = tokio::io::duplex(64 * 1024);
    let (served, copied) = runtime.block_on(async {
        let served = harness_mcp::serve(root, tokio::io::stdin(), server_end);
        let copied = async {
            let mut buf = vec![0; 64 * 1024];
            loop {
                let n = reader.read(&mut buf).await?;
                if n == 0 {
                    return Ok::<(), std::io::Error>(());
                }
                out.write_all(&buf[..n])?;
                out.flush()?;
            }
        };
        tokio::join!(served, copied)
    });
    // A read of stdin still pending cannot be cancelled; do not wait for it.
    runtime.shutdown_background();
    served.map_err(|e| {
        Failure::new(
            &e.to_string(),
            "`harness mcp` is started by an MCP client, which speaks first (see docs/mcp.md)",
        )
    })?;
    copied.map_err(|e| {
        Failure::new(
            &format!("cannot write to stdout: {e}"),
            "the MCP client closed the connection",
        )
    })?;
    Ok(exit::CLEAN)
}
