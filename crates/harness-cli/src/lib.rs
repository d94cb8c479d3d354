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

/// `harness hook <agent>` as `harness install` writes it. It runs on every tool call an agent
/// makes, and building the whole command line parser first costs it about a quarter of a
/// millisecond; any other shape goes through the parser.
fn hook_call(args: &[OsString]) -> Option<Cli> {
    let [_, verb, agent] = args else { return None };
    if verb != "hook" {
        return None;
    }
    let agent = harness_hooks::Agent::from_name(agent.to_str()?)?;
    Some(Cli {
        root: None,
        command: args::Command::Hook(args::HookArgs { agent }),
    })
}

/// Runs the command line, writing to the given streams; returns the exit code.
pub fn run_with<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let parsed = match hook_call(&args) {
        Some(cli) => Ok(cli),
        None => Cli::try_parse_from(args),
    };
    let cli = match parsed {
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

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::Parser;

    use crate::args::Cli;

    fn words(line: &str) -> Vec<OsString> {
        line.split(' ').map(OsString::from).collect()
    }

    #[test]
    fn the_hook_shortcut_reads_what_the_parser_reads() {
        for agent in harness_hooks::Agent::ALL.map(harness_hooks::Agent::name) {
            let args = words(&format!("harness hook {agent}"));
            let short = super::hook_call(&args).expect("a hook call");
            let parsed = Cli::try_parse_from(&args).expect("parses");
            assert_eq!(format!("{short:?}"), format!("{parsed:?}"));
        }
        for other in [
            "harness hook cursor",
            "harness hook claude --root x",
            "harness check claude",
            "harness hook",
        ] {
            assert!(super::hook_call(&words(other)).is_none(), "{other}");
        }
    }
}
