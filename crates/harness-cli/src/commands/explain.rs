//! `harness explain <rule-id>`.

use std::io::Write;

use super::{Failure, load};
use crate::args::{Cli, ExplainArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &ExplainArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    // A built-in rule needs no knowledge base.
    if let Some(text) = harness_check::explain::builtin(&args.rule) {
        let _ = out.write_all(text.as_bytes());
        return Ok(exit::CLEAN);
    }
    let kb = load(cli)?;
    match harness_check::explain::explain(&kb, &args.rule) {
        Ok(text) => {
            let _ = out.write_all(text.as_bytes());
            Ok(exit::CLEAN)
        }
        Err(unknown) => {
            let hint = if unknown.close.is_empty() {
                format!("known rules: {}", unknown.known.join(", "))
            } else {
                format!("did you mean {}?", unknown.close.join(", "))
            };
            Err(Failure::new(
                &format!("unknown rule `{}`", args.rule),
                &hint,
            ))
        }
    }
}
