//! Rules built into harness itself. Each one is a Markdown file whose sections (`## What it
//! does`, `## Why is this bad?`, `## Example`, `Use instead:`) are both its documentation and
//! what `harness explain` prints.

use harness_core::Priority;

/// A built-in rule's metadata.
pub struct BuiltinRule {
    pub id: &'static str,
    pub priority: Priority,
    pub message: &'static str,
    pub doc: &'static str,
}

/// A suppression that suppressed nothing.
pub const UNUSED_SUPPRESSION: BuiltinRule = BuiltinRule {
    id: "harness/unused-suppression",
    priority: Priority::P2,
    message: "this harness-ignore comment suppresses nothing",
    doc: include_str!("unused_suppression.md"),
};

/// A suppression without a reason, or for an unknown rule.
pub const INVALID_SUPPRESSION: BuiltinRule = BuiltinRule {
    id: "harness/invalid-suppression",
    priority: Priority::P2,
    message: "this harness-ignore comment is not valid",
    doc: include_str!("invalid_suppression.md"),
};

/// A coverage report that is missing, unreadable, or lacks what a rule needs. Its priority is
/// that of the rule reading the report.
pub const COVERAGE_REPORT: BuiltinRule = BuiltinRule {
    id: "harness/coverage-report",
    priority: Priority::P1,
    message: "a coverage rule cannot read its report",
    doc: include_str!("coverage_report.md"),
};

/// A coverage report older than files it describes.
pub const STALE_COVERAGE: BuiltinRule = BuiltinRule {
    id: "harness/stale-coverage",
    priority: Priority::P3,
    message: "the coverage report is older than files it describes",
    doc: include_str!("stale_coverage.md"),
};

/// Every built-in rule, for `harness explain` and the docs.
pub const ALL: &[&BuiltinRule] = &[
    &UNUSED_SUPPRESSION,
    &INVALID_SUPPRESSION,
    &COVERAGE_REPORT,
    &STALE_COVERAGE,
];

pub fn find(id: &str) -> Option<&'static BuiltinRule> {
    ALL.iter().copied().find(|r| r.id == id)
}
