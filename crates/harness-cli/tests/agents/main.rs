//! End-to-end tests with the real agent CLIs (Claude Code, Codex, Gemini CLI) driven against a
//! scripted local model endpoint. `scripts/test.sh` installs the CLIs and points
//! `HARNESS_TEST_CLAUDE`, `HARNESS_TEST_CODEX` and `HARNESS_TEST_GEMINI` at them; without those
//! the tests are skipped, except under `CI`, where they fail.
//!
//! A scenario: script the model's turns, start it, run the agent in a temporary git repository,
//! then assert on the repository and on what the agent sent the model:
//!
//! ```ignore
//! let repo = Repo::new();
//! let model = Model::start(Script::new().turn(Turn::tool("w1", "Write", json!({…}))));
//! let Some(claude) = Claude::find(&model, &agent::harness_dir()) else { return };
//! claude.run(&repo, "write it").assert_success();
//! assert!(model.request_text(1).contains("…"));
//! ```
//!
//! `script` holds what the model says, `model` serves and records it (`http` underneath,
//! `anthropic`, `responses` and `gemini_api` for the three wire formats), `claude`, `codex` and
//! `gemini` run the CLIs (`agent` for what they share), `repo` makes the repository and
//! `guarded` one with harness's hooks installed, which `*_hooks` drive turn by turn.
#![allow(clippy::missing_panics_doc)]

mod agent;
mod anthropic;
mod claude;
mod claude_hooks;
mod codex;
mod codex_hooks;
mod doctor;
mod gemini;
mod gemini_api;
mod gemini_hooks;
mod guarded;
mod http;
mod model;
mod repo;
mod responses;
mod script;
mod smoke;
