//! `harness hook <agent>`: one hook call, payload on stdin, answer on stdout/stderr and in the
//! exit code, as the agent's protocol says.

use std::io::{Read, Write};

use harness_hooks::Environment;

use crate::args::{Cli, HookArgs};

/// Payloads larger than this are refused (as a failure, open by default) rather than read.
const MAX_PAYLOAD: u64 = 64 * 1024 * 1024;

pub fn run(cli: &Cli, args: &HookArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let agent = args.agent;
    let cwd = cli
        .root
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let env = Environment {
        cwd,
        home: std::env::home_dir(),
    };
    // A panic is answered as a failure (see `harness_hooks::run`); its default report would be
    // a multi-line backtrace on the agent's stderr.
    std::panic::set_hook(Box::new(|_| {}));
    let mut input = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(MAX_PAYLOAD + 1)
        .read_to_end(&mut input);
    let refused = match read {
        Err(e) => Some(format!("cannot read the hook input: {e}")),
        Ok(_) if input.len() as u64 > MAX_PAYLOAD => Some(format!(
            "hook input over {} MiB, not read",
            MAX_PAYLOAD / 1024 / 1024
        )),
        Ok(_) => None,
    };
    if let Some(message) = refused {
        let answer = harness_hooks::refuse(agent, &env, &message);
        let _ = out.write_all(answer.stdout.as_bytes());
        let _ = err.write_all(answer.stderr.as_bytes());
        return answer.exit;
    }
    let answer = harness_hooks::run(agent, &input, &env);
    let _ = out.write_all(answer.stdout.as_bytes());
    let _ = err.write_all(answer.stderr.as_bytes());
    answer.exit
}
