//! Answering one hook call: the edge where the payload meets the knowledge base, the check
//! engine and the event store.
//!
//! Denials come first and need only harness.toml: a broken rule file or an unwritable store
//! must never let a forbidden command through. Recording is best effort for the same reason: a
//! decision stands even when it cannot be written down (a note on stderr says so).

mod check;
mod guidance;
mod text;

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use harness_core::config::{Config, FailMode};
use harness_core::glob::Globs;
use harness_core::{KnowledgeBase, config};
use harness_store::{NewEvent, Store};
use serde_json::json;

use crate::Agent;
use crate::answer::{Answer, Decision};
use crate::event::{Event, Incoming};
use crate::memory::{Memory, kind, recall};
use crate::shell::{Place, ShellPolicy};

/// The process around the hook call.
pub struct Environment {
    /// The hook process's working directory, used when the payload's is unusable.
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
}

/// Reads one hook payload and answers it in `agent`'s protocol. Never panics; every failure is
/// answered as `hooks.fail` says.
pub fn run(agent: Agent, input: &[u8], env: &Environment) -> Answer {
    let incoming = match agent.parse(input) {
        Ok(incoming) => incoming,
        Err(e) => return refuse(agent, env, &e.to_string()),
    };
    let Some(root) =
        harness_core::find_root(&incoming.cwd).or_else(|| harness_core::find_root(&env.cwd))
    else {
        // Not a repository harness governs: stay out of the way.
        return Answer::nothing();
    };
    match catch_unwind(AssertUnwindSafe(|| respond(agent, &incoming, &root, env))) {
        Ok(Ok((decision, notes))) => {
            let mut answer = agent.answer(&incoming.event_name, &decision);
            answer.stderr.push_str(&notes);
            answer
        }
        Ok(Err(message)) => failure(agent, &root, Some(&incoming), &message),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            failure(
                agent,
                &root,
                Some(&incoming),
                &format!("internal error: {what}"),
            )
        }
    }
}

/// Answers input harness could not read (not JSON, truncated, too large) as a failure.
pub fn refuse(agent: Agent, env: &Environment, message: &str) -> Answer {
    match harness_core::find_root(&env.cwd) {
        Some(root) => failure(agent, &root, None, message),
        None => Answer::nothing(),
    }
}

/// Answers a failure: open (exit 0, one line on stderr and a note for the person watching) or
/// closed (exit 2, which every agent reads as "block"), and records it when it can.
fn failure(agent: Agent, root: &Path, incoming: Option<&Incoming>, message: &str) -> Answer {
    let configured = std::fs::read_to_string(root.join(config::CONFIG_FILE))
        .map_or(FailMode::Open, |text| config::fail_mode_of(&text));
    let mode = match incoming {
        // A stop that fails while the agent already goes on would block it forever.
        Some(i) if i.event == (Event::Stop { active: true }) => FailMode::Open,
        // The agent must be able to repair the knowledge base that makes harness fail.
        Some(i) if knowledge_only(i, root) => FailMode::Open,
        _ => configured,
    };
    let event_name = incoming.map_or("", |i| i.event_name.as_str());
    if let Ok(store) = Store::open_in(root) {
        let mut event = NewEvent::new(
            kind::FAILURE,
            json!({"error": message, "event": event_name, "fail": format!("{mode:?}").to_lowercase()}),
        );
        event.agent = Some(agent.name().to_owned());
        event.session = incoming.map(|i| i.session.clone());
        let _ = store.append(&event);
    }
    let line: String = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
        .chars()
        .take(400)
        .collect();
    let name = agent.name();
    match mode {
        FailMode::Open => {
            let text = format!("harness hook {name}: {line} (failing open: the agent goes on)");
            Answer {
                // Shown to the person watching, by all three agents; stderr alone is not.
                stdout: format!("{}\n", json!({ "systemMessage": text })),
                stderr: format!("{text}; set hooks.fail = \"closed\" to block instead\n"),
                exit: 0,
            }
        }
        FailMode::Closed => Answer {
            stderr: format!(
                "harness hook {name}: {line} (blocked because hooks.fail = \"closed\")\n"
            ),
            exit: 2,
            ..Answer::default()
        },
    }
}

/// Whether every path the call writes is part of the knowledge base.
fn knowledge_only(incoming: &Incoming, root: &Path) -> bool {
    let (Event::PreEdit { paths } | Event::PostEdit { paths }) = &incoming.event else {
        return false;
    };
    !paths.is_empty()
        && paths.iter().all(|p| {
            let rel = text::relative(root, &incoming.cwd, p).unwrap_or_default();
            rel == config::CONFIG_FILE
                || rel == "AGENTS.md"
                || [".harness/", "docs/adr/", "docs/journeys/"]
                    .iter()
                    .any(|dir| rel.starts_with(dir))
        })
}

/// One hook call's view of the repository and the session.
pub(crate) struct Session<'a> {
    pub agent: Agent,
    pub incoming: &'a Incoming,
    pub root: &'a Path,
    pub config: Config,
    kb: Option<KnowledgeBase>,
    store: Option<Store>,
    /// Events recorded and not yet written: a call's events go in one transaction.
    pending: RefCell<Vec<NewEvent>>,
    /// Notes for stderr: what could not be recorded or loaded.
    notes: RefCell<String>,
}

impl Drop for Session<'_> {
    /// A call that panics still leaves its decisions recorded.
    fn drop(&mut self) {
        self.flush();
    }
}

impl Session<'_> {
    /// The knowledge base, loaded on first use.
    pub fn kb(&mut self) -> Result<&KnowledgeBase, String> {
        if self.kb.is_none() {
            self.kb = Some(harness_core::load(self.root).map_err(|e| e.to_string())?);
        }
        Ok(self.kb.as_ref().expect("loaded above"))
    }

    /// Records an event, written with the call's others when it ends or before the session's
    /// events are next read; a failure is noted, never fatal.
    pub fn record(&self, kind: &str, mut data: serde_json::Value) {
        if let Some(sub) = &self.incoming.subagent {
            data["subagent"] = sub.clone().into();
        }
        let event = NewEvent::new(kind, data).session(self.agent.name(), &self.incoming.session);
        self.pending.borrow_mut().push(event);
    }

    /// Writes the events recorded so far.
    pub fn flush(&self) {
        let events = self.pending.take();
        if events.is_empty() {
            return;
        }
        let result = match &self.store {
            Some(store) => store
                .append_all(&events)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            None => Err(String::new()),
        };
        if let Err(e) = result {
            let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
            self.note(&format!(
                "could not record the `{}` event(s) {e}",
                kinds.join("`, `")
            ));
        }
    }

    /// What this session was told and did; empty when the store cannot be read.
    pub fn memory(&self) -> Memory {
        self.memory_of(None)
    }

    /// [`Session::memory`] from only the events of `kinds` (all when `None`): a long session
    /// holds many events a question does not need.
    pub fn memory_of(&self, kinds: Option<&[&str]>) -> Memory {
        // Events of other kinds wait, so the call still ends with one write.
        let asked = |e: &NewEvent| kinds.is_none_or(|k| k.contains(&e.kind.as_str()));
        if self.pending.borrow().iter().any(asked) {
            self.flush();
        }
        let (agent, session) = (self.agent.name(), &self.incoming.session);
        let events = self.store.as_ref().map(|store| match kinds {
            Some(kinds) => store.session_events_of(agent, session, kinds),
            None => store.session_events(agent, session),
        });
        match events {
            Some(Ok(events)) => recall(&events, self.incoming.subagent.as_deref()),
            Some(Err(e)) => {
                self.note(&format!("could not read the session's events: {e}"));
                Memory::default()
            }
            None => Memory::default(),
        }
    }

    pub fn note(&self, note: &str) {
        let mut notes = self.notes.borrow_mut();
        if !notes.contains(note) {
            notes.push_str(&format!("harness hook {}: {note}\n", self.agent.name()));
        }
    }

    /// Payload paths made repository-relative; paths outside the repository are dropped.
    pub fn relative(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in paths {
            if let Some(rel) = text::relative(self.root, &self.incoming.cwd, p)
                .filter(|rel| !rel.is_empty() && !out.contains(rel))
            {
                out.push(rel);
            }
        }
        out
    }
}

fn respond(
    agent: Agent,
    incoming: &Incoming,
    root: &Path,
    env: &Environment,
) -> Result<(Decision, String), String> {
    if incoming.event == Event::Ignored {
        return Ok((Decision::Nothing, String::new()));
    }
    let config = load_config(root)?;
    let (store, store_error) = match Store::open_in(root) {
        Ok(store) => (Some(store), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let mut s = Session {
        agent,
        incoming,
        root,
        config,
        kb: None,
        store,
        pending: RefCell::new(Vec::new()),
        notes: RefCell::new(String::new()),
    };
    if let Some(e) = store_error {
        s.note(&format!(
            "the event store cannot be used ({e}); this session's memory is off"
        ));
    }
    let decision = decide(&mut s, env);
    s.flush();
    Ok((decision?, s.notes.take()))
}

fn decide(s: &mut Session, env: &Environment) -> Result<Decision, String> {
    let incoming = s.incoming;
    let agent = s.agent;
    match &incoming.event {
        Event::Ignored => Ok(Decision::Nothing),
        Event::PreShell { command } => {
            let policy = shell_policy(&s.config)?;
            let place = Place {
                root: s.root,
                cwd: &incoming.cwd,
                home: env.home.as_deref(),
            };
            let command_text = text::redact(command);
            if let Some(reason) = crate::shell::denied(command, &policy, &place) {
                s.record(
                    kind::DENIED,
                    json!({ "command": command_text, "reason": reason }),
                );
                return Ok(Decision::Deny(format!(
                    "harness denied this command: {reason}"
                )));
            }
            s.record(kind::ALLOWED, json!({ "command": command_text }));
            Ok(Decision::Nothing)
        }
        Event::PreEdit { paths } => {
            let rels = s.relative(paths);
            let policy = shell_policy(&s.config)?;
            let protected = rels
                .iter()
                .find_map(|r| crate::shell::protected_path(r, &policy));
            if let Some(reason) = protected {
                s.record(kind::DENIED, json!({ "paths": rels, "reason": reason }));
                return Ok(Decision::Deny(format!(
                    "harness denied this edit: {reason}"
                )));
            }
            if !agent.context_before_edit() {
                return Ok(Decision::Nothing);
            }
            Ok(guidance::give(s, &rels, agent.limit_bytes())?
                .map_or(Decision::Nothing, Decision::Context))
        }
        Event::Read { paths } => {
            let rels = s.relative(paths);
            Ok(guidance::give(s, &rels, agent.limit_bytes())?
                .map_or(Decision::Nothing, Decision::Context))
        }
        Event::PostEdit { paths } => check::after_edit(s, paths),
        Event::Stop { active } => check::stop(s, *active),
        Event::SessionStart { source, compacted } => {
            // What git sees changed now, so the end of the turn can tell what this session
            // changed by any means, a shell command included.
            let changed = harness_check::git::changed_files(s.root, None).ok();
            s.record(
                kind::SESSION_START,
                json!({ "source": source, "changed": changed }),
            );
            if *compacted {
                s.record(kind::REARM, json!({ "reason": source }));
            }
            // Written before the knowledge base loads, for the same reason as an edit.
            s.flush();
            let docs = guidance::documents(s);
            let map =
                crate::map::session_map(s.kb()?, &docs, *compacted, agent.context_before_edit());
            Ok(Decision::Context(text::bound(&map, agent.limit_bytes())))
        }
        Event::Compacted => {
            s.record(kind::REARM, json!({ "reason": "compacted" }));
            Ok(Decision::Nothing)
        }
    }
}

/// harness.toml alone (a missing file is the defaults), for decisions that must not depend on
/// the rules loading.
fn load_config(root: &Path) -> Result<Config, String> {
    let path = root.join(config::CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &path).map_err(|e| e.to_string()),
        Err(_) => Ok(Config::default()),
    }
}

fn shell_policy(config: &Config) -> Result<ShellPolicy, String> {
    let protected = Globs::new(&config.hooks.protected)
        .map_err(|(glob, e)| format!("invalid glob `{glob}` in hooks.protected: {e}"))?;
    let mut deny = Vec::new();
    for d in &config.hooks.deny {
        let re = regex::Regex::new(&d.pattern).map_err(|e| e.to_string())?;
        deny.push((re, d.reason.clone()));
    }
    Ok(ShellPolicy {
        builtin: config.hooks.deny_builtin,
        protected,
        deny,
    })
}
