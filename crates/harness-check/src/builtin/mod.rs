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

/// Every built-in rule, for `harness explain` and the docs.
pub const ALL: &[&BuiltinRule] = &[&UNUSED_SUPPRESSION, &INVALID_SUPPRESSION];

pub fn find(id: &str) -> Option<&'static BuiltinRule> {
    ALL.iter().copied().find(|r| r.id == id)
}
