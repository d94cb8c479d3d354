//! `harness init`.

use std::io::Write;

use super::Failure;
use crate::args::{Cli, InitArgs};

pub fn run(
    _cli: &Cli,
    _args: &InitArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    Err(Failure::new(
        "`harness init` is not built yet",
        "see `harness --help` for the commands that are",
    ))
}
