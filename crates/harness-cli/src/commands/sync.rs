//! `harness sync`.

use std::io::Write;

use super::Failure;
use crate::args::{Cli, SyncArgs};

pub fn run(
    _cli: &Cli,
    _args: &SyncArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    Err(Failure::new(
        "`harness sync` is not built yet",
        "see `harness --help` for the commands that are",
    ))
}
