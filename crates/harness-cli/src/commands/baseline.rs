//! `harness baseline`.

use std::io::Write;

use harness_check::{Baseline, CheckOptions, Targets};

use super::{Failure, load};
use crate::args::{BaselineArgs, Cli};
use crate::exit;

pub fn run(cli: &Cli, args: &BaselineArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let kb = load(cli)?;
    let options = CheckOptions {
        targets: Targets::All,
        rules: args.rules.clone(),
        cache: args.rules.is_empty(),
        baseline: false,
    };
    let report = harness_check::check(&kb, &options)?;
    let path = kb.root.join(&kb.config.check.baseline);
    let shown = &kb.config.check.baseline;
    let mut baseline = Baseline::from_findings(&report.findings);
    if !args.rules.is_empty() {
        // Keep what the baseline records for the other rules.
        let old = Baseline::load(&path, shown)
            .map_err(|e| Failure::new(&e.to_string(), "fix or delete the baseline file"))?;
        baseline.findings.extend(
            old.findings
                .into_iter()
                .filter(|e| !args.rules.contains(&e.rule)),
        );
        baseline = Baseline {
            version: 1,
            findings: baseline.findings,
        };
        baseline.findings.sort_by(|a, b| {
            (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint))
        });
    }
    baseline
        .save(&path, shown)
        .map_err(|e| Failure::new(&e.to_string(), "check that the directory is writable"))?;
    let _ = writeln!(
        out,
        "harness: recorded {} {} in {shown}; `harness check` now reports only new findings",
        baseline.findings.len(),
        if baseline.findings.len() == 1 {
            "finding"
        } else {
            "findings"
        },
    );
    Ok(exit::CLEAN)
}
