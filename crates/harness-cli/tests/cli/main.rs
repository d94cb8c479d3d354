//! Tests that run the real `harness` binary in temporary repositories and snapshot its exit
//! code, stdout and stderr.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

mod astgrep_compat;
mod baseline;
mod common;
mod config_errors;
mod context;
mod coverage;
mod doctor;
mod formats;
mod git;
mod init;
mod install;
mod mcp;
mod readme;
mod rule_kinds;
mod snapshots_referenced;
mod suppressions;
mod sync;
mod walk;
