//! `harness doctor`.

use std::io::Write;

use super::Failure;
use crate::args::{Cli, DoctorArgs};

pub fn run(
    _cli: &Cli,
    _args: &DoctorArgs,
    _out: &mut dyn Write,
    _err: &mut dyn Write,
) -> Result<u8, Failure> {
    Err(Failure::new(
        "`harness doctor` is not built yet",
        "see `harness --help` for the commands that are",
    ))
}
