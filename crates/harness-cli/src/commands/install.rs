//! `harness install` and `harness uninstall`.

use std::io::Write;

use super::Failure;
use crate::args::{Cli, InstallArgs};

pub fn run(
    _cli: &Cli,
    _args: &InstallArgs,
    _uninstall: bool,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    Err(Failure::new("not yet", "not yet"))
}
