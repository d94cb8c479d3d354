//! `harness mcp`.

use std::io::Write;

use super::Failure;
use crate::args::{Cli, McpArgs};

pub fn run(
    _cli: &Cli,
    _args: &McpArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    Err(Failure::new(
        "`harness mcp` is not built yet",
        "see `harness --help` for the commands that are",
    ))
}
