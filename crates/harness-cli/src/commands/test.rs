//! `harness test`: ast-grep rule tests.

use std::io::Write;

use harness_check::rule_tests::{self, FailureKind};

use super::{Failure, load};
use crate::args::{Cli, TestArgs};
use crate::exit;

pub fn run(cli: &Cli, args: &TestArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let kb = load(cli)?;
    if kb.test_dirs.is_empty() {
        return Err(Failure::new(
            "no rule tests configured",
            "list test directories under `testConfigs` in sgconfig.yml, and include it from harness.toml's `rules.sgconfig`",
        ));
    }
    let summary = rule_tests::run(&kb, &args.rules)?;
    let mut text = String::new();
    for f in &summary.failures {
        let code = f.code.trim_end().replace('\n', "\n    ");
        match &f.kind {
            FailureKind::UnknownRule => text.push_str(&format!(
                "FAIL {} {}: no ast rule with this id\n",
                f.file.display(),
                f.rule
            )),
            FailureKind::ValidMatched(lines) => text.push_str(&format!(
                "FAIL {} {}: valid case #{} matched at line {}\n    {code}\n",
                f.file.display(),
                f.rule,
                f.case,
                lines
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            FailureKind::InvalidMissed => text.push_str(&format!(
                "FAIL {} {}: invalid case #{} did not match\n    {code}\n",
                f.file.display(),
                f.rule,
                f.case
            )),
        }
    }
    if !summary.skipped.is_empty() {
        text.push_str(&format!(
            "skipped the tests of {} (severity: off)\n",
            summary.skipped.join(", ")
        ));
    }
    text.push_str(&format!(
        "harness test: {} passed, {} failed ({} test {})\n",
        summary.passed,
        summary.failures.len(),
        summary.files,
        if summary.files == 1 { "file" } else { "files" }
    ));
    let _ = out.write_all(text.as_bytes());
    Ok(if summary.failures.is_empty() {
        exit::CLEAN
    } else {
        exit::BLOCKING
    })
}
