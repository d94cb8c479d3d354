//! The `harness` command line: parses arguments, runs one command, maps the outcome to an exit
//! code (0 clean, 1 blocking findings, 2 usage, configuration or internal error).
//!
//! ```no_run
//! let code = harness_cli::run(["harness", "check", "--format", "agent"]);
//! ```

mod args;
mod commands;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;

/// Exit codes.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const BLOCKING: u8 = 1;
    pub const ERROR: u8 = 2;
}

/// Runs the command line with the process's stdout and stderr.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = run_with(args, &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(code)
}

/// Runs the command line, writing to the given streams; returns the exit code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::ERROR
            } else {
                exit::CLEAN
            };
            let text = e.render().to_string();
            if e.use_stderr() {
                let _ = write!(err, "{text}");
            } else {
                let _ = write!(out, "{text}");
            }
            return code;
        }
    };
    match commands::dispatch(&cli, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            exit::ERROR
        }
    }
}
