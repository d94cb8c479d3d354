//! `harness hook <agent>`.

use std::io::Write;

use crate::args::{Cli, HookArgs};

pub fn run(_cli: &Cli, _args: &HookArgs, _out: &mut dyn Write, _err: &mut dyn Write) -> u8 {
    0
}
