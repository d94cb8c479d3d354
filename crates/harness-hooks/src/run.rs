//! Answering one hook call: the edge where the payload meets the knowledge base, the check
//! engine and the event store.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use harness_check::{CheckOptions, Targets};
use harness_context::{Request, fit_text, render_text, select};
use harness_core::KnowledgeBase;
use harness_core::config::FailMode;
use harness_core::glob::Globs;
use harness_core::render::{Format, RenderOptions, render};
use harness_store::{NewEvent, Store};
use serde_json::json;

use crate::Agent;
use crate::answer::{Answer, Decision};
use crate::event::{Event, Incoming};
use crate::memory::{kind, recall};
use crate::shell::{Place, ShellPolicy};

/// The process around the hook call.
pub struct Environment {
    /// The hook process's working directory, used when the payload's is unusable.
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
}

/// Reads one hook payload and answers it in `agent`'s protocol. Never panics on input; every
/// failure is answered as `hooks.fail` says.
pub fn run(agent: Agent, input: &[u8], env: &Environment) -> Answer {
    let incoming = match agent.parse(input) {
        Ok(incoming) => incoming,
        Err(e) => {
            let root = harness_core::find_root(&env.cwd);
            return failure(agent, root.as_deref(), None, &format!("{e}"));
        }
    };
    let Some(root) =
        harness_core::find_root(&incoming.cwd).or_else(|| harness_core::find_root(&env.cwd))
    else {
        // Not a repository harness governs: stay out of the way.
        return Answer::nothing();
    };
    match respond(agent, &incoming, &root, env) {
        Ok(decision) => agent.answer(&incoming.event_name, &decision),
        Err(message) => failure(agent, Some(&root), Some(&incoming), &message),
    }
}

/// Answers a failure: open (exit 0, one line on stderr) or closed (exit 2, which every agent
/// reads as "block"), and records it when the store can be opened.
fn failure(
    agent: Agent,
    root: Option<&Path>,
    incoming: Option<&Incoming>,
    message: &str,
) -> Answer {
    let mode = root
        .and_then(|r| std::fs::read_to_string(r.join(harness_core::config::CONFIG_FILE)).ok())
        .map_or(FailMode::Open, |text| {
            harness_core::config::fail_mode_of(&text)
        });
    let event_name = incoming.map_or("", |i| i.event_name.as_str());
    if let Some(store) = root.and_then(|r| Store::open_in(r).ok()) {
        {
            let mut event = NewEvent::new(
                kind::FAILURE,
                json!({"error": message, "event": event_name, "fail": format!("{mode:?}").to_lowercase()}),
            );
            if let Some(i) = incoming {
                event = event.session(agent.name(), &i.session);
            } else {
                event.agent = Some(agent.name().to_owned());
            }
            let _ = store.append(&event);
        }
    }
    let line: String = message
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    match mode {
        FailMode::Open => Answer {
            stderr: format!(
                "harness hook {}: {line} (failing open: the agent goes on; set hooks.fail = \"closed\" to block instead)\n",
                agent.name()
            ),
            ..Answer::default()
        },
        FailMode::Closed => Answer {
            stderr: format!(
                "harness hook {}: {line} (blocked because hooks.fail = \"closed\")\n",
                agent.name()
            ),
            exit: 2,
            ..Answer::default()
        },
    }
}

struct Session<'a> {
    agent: Agent,
    incoming: &'a Incoming,
    kb: KnowledgeBase,
    store: Store,
    root: &'a Path,
}

impl Session<'_> {
    fn record(&self, kind: &str, data: serde_json::Value) -> Result<(), String> {
        self.store
            .append(&NewEvent::new(kind, data).session(self.agent.name(), &self.incoming.session))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Payload paths made repository-relative; paths outside the repository are dropped.
    fn relative(&self, paths: &[PathBuf]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in paths {
            let abs = normalise(&self.incoming.cwd.join(p));
            let root = normalise(self.root);
            if let Ok(rel) = abs.strip_prefix(&root) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if !rel.is_empty() && !out.contains(&rel) {
                    out.push(rel);
                }
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
) -> Result<Decision, String> {
    if incoming.event == Event::Ignored {
        return Ok(Decision::Nothing);
    }
    let kb = harness_core::load(root)
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_owned())?;
    let store = Store::open_in(root).map_err(|e| e.to_string())?;
    let s = Session {
        agent,
        incoming,
        kb,
        store,
        root,
    };
    match &incoming.event {
        Event::Ignored => Ok(Decision::Nothing),
        Event::SessionStart { source, compacted } => {
            s.record(kind::SESSION_START, json!({ "source": source }))?;
            if *compacted {
                s.record(kind::REARM, json!({ "reason": source }))?;
            }
            let guidance = harness_core::load_guidance(root).map_err(|e| e.to_string())?;
            let map = crate::map::session_map(&s.kb, &guidance, *compacted);
            Ok(Decision::Context(bound(&map, agent.limit_bytes())))
        }
        Event::Compacted => {
            s.record(kind::REARM, json!({ "reason": "compacted" }))?;
            Ok(Decision::Nothing)
        }
        Event::PreEdit { paths } => {
            let rels = s.relative(paths);
            let policy = shell_policy(&s.kb)?;
            if let Some(reason) = rels
                .iter()
                .find_map(|r| crate::shell::protected_path(r, &policy))
            {
                s.record(kind::DENIED, json!({ "paths": rels, "reason": reason }))?;
                return Ok(Decision::Deny(format!(
                    "harness denied this edit: {reason}"
                )));
            }
            if !agent.context_before_edit() {
                return Ok(Decision::Nothing);
            }
            Ok(guidance(&s, &rels, agent.limit_bytes())?
                .map_or(Decision::Nothing, Decision::Context))
        }
        Event::Read { paths } => {
            let rels = s.relative(paths);
            Ok(guidance(&s, &rels, agent.limit_bytes())?
                .map_or(Decision::Nothing, Decision::Context))
        }
        Event::PostEdit { paths } => {
            let rels = s.relative(paths);
            if rels.is_empty() {
                return Ok(Decision::Nothing);
            }
            s.record(kind::EDIT, json!({ "paths": rels }))?;
            let checked = check(&s, &rels)?;
            // An agent that cannot take guidance before an edit gets it now, in the room the
            // findings leave.
            let space = agent
                .limit_bytes()
                .saturating_sub(checked.as_ref().map_or(0, |c| c.text.len() + 1));
            let before = if agent.context_before_edit() {
                None
            } else {
                guidance(&s, &rels, space)?
            };
            if let Some(c) = &checked {
                s.record(
                    kind::FINDINGS,
                    json!({ "paths": rels, "blocking": c.blocking, "total": c.total }),
                )?;
            }
            let text = join(before.as_deref(), checked.as_ref().map(|c| c.text.as_str()));
            Ok(match (text, checked) {
                (None, _) => Decision::Nothing,
                (Some(t), Some(c)) if c.blocking > 0 => {
                    Decision::Block(bound(&t, agent.limit_bytes()))
                }
                (Some(t), _) => Decision::Context(bound(&t, agent.limit_bytes())),
            })
        }
        Event::PreShell { command } => {
            let policy = shell_policy(&s.kb)?;
            let place = Place {
                root,
                cwd: &incoming.cwd,
                home: env.home.as_deref(),
            };
            match crate::shell::denied(command, &policy, &place) {
                Some(reason) => {
                    s.record(
                        kind::DENIED,
                        json!({ "command": command, "reason": reason }),
                    )?;
                    Ok(Decision::Deny(format!(
                        "harness denied this command: {reason}"
                    )))
                }
                None => Ok(Decision::Nothing),
            }
        }
        Event::Stop { active } => stop(&s, *active),
    }
}

fn stop(s: &Session, active: bool) -> Result<Decision, String> {
    let events = s
        .store
        .session_events(s.agent.name(), &s.incoming.session)
        .map_err(|e| e.to_string())?;
    let memory = recall(&events);
    let checked = check(s, &memory.touched)?;
    let blocking = checked.as_ref().map_or(0, |c| c.blocking);
    if blocking == 0 {
        if memory.stop_blocks > 0 {
            s.record(kind::STOP_ALLOWED, json!({ "reason": "clean" }))?;
        }
        return Ok(Decision::Nothing);
    }
    let text = checked.map(|c| c.text).unwrap_or_default();
    let max = s.kb.config.hooks.max_stop_blocks;
    let so_far = if active { memory.stop_blocks } else { 0 };
    if so_far >= max {
        s.record(
            kind::STOP_ALLOWED,
            json!({ "reason": "max_blocks", "blocking": blocking }),
        )?;
        return Ok(Decision::Notice(format!(
            "harness: let the agent stop after {so_far} blocked stops; {blocking} blocking {}. Run `harness check --changed`.",
            if blocking == 1 {
                "finding remains"
            } else {
                "findings remain"
            }
        )));
    }
    s.record(
        kind::STOP_BLOCKED,
        json!({ "active": active, "blocking": blocking, "paths": memory.touched }),
    )?;
    let reason = format!(
        "{text}harness blocks the end of this turn until the blocking findings in files you changed are fixed (stop {} of at most {max} blocked).",
        so_far + 1
    );
    Ok(Decision::BlockStop(bound(&reason, s.agent.limit_bytes())))
}

/// The guidance for `rels` not given yet in this session, fitted to the budget and to `limit`
/// bytes; recorded as given.
fn guidance(s: &Session, rels: &[String], limit: usize) -> Result<Option<String>, String> {
    if rels.is_empty() {
        return Ok(None);
    }
    let events = s
        .store
        .session_events(s.agent.name(), &s.incoming.session)
        .map_err(|e| e.to_string())?;
    let given: HashSet<String> = recall(&events).given;
    let docs = harness_core::load_guidance(s.root).map_err(|e| e.to_string())?;
    let applies = harness_check::rule_applies(&s.kb);
    let request = Request {
        paths: rels.to_vec(),
        task: None,
    };
    let entries: Vec<_> = select(&s.kb, &docs, &request, &applies)
        .into_iter()
        .filter(|e| !given.contains(&e.key))
        .collect();
    if entries.is_empty() {
        return Ok(None);
    }
    let subject = match rels {
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
        [] => String::new(),
    };
    let all = harness_context::total_tokens(&entries) + 200;
    let mut see_all = String::from("harness context");
    for r in rels {
        see_all.push_str(&format!(" --path {}", shell_word(r)));
    }
    see_all.push_str(&format!(" --budget {}", all.div_ceil(1000) * 1000));
    let mut budget = s.kb.config.hooks.context_budget.max(100);
    let (fitted, text) = loop {
        let (fitted, text) = fit_text(entries.clone(), budget, &|f| {
            render_text(f, &subject, &see_all)
        });
        if text.len() <= limit || budget <= 100 {
            break (fitted, text);
        }
        budget = budget * limit / text.len() * 9 / 10;
    };
    if fitted.included.is_empty() && fitted.left_out.is_empty() {
        return Ok(None);
    }
    let keys: Vec<&str> = fitted
        .included
        .iter()
        .flat_map(|e| std::iter::once(&e.key).chain(&e.also))
        .map(String::as_str)
        .collect();
    s.record(
        kind::CONTEXT,
        json!({ "paths": rels, "keys": keys, "left_out": fitted.left_out.len() }),
    )?;
    Ok(Some(bound(&text, limit)))
}

struct Checked {
    text: String,
    blocking: usize,
    total: usize,
}

/// `harness check` on the files among `rels` that exist.
fn check(s: &Session, rels: &[String]) -> Result<Option<Checked>, String> {
    let existing: Vec<String> = rels
        .iter()
        .filter(|r| s.root.join(r).is_file())
        .cloned()
        .collect();
    if existing.is_empty() {
        return Ok(None);
    }
    let options = CheckOptions {
        targets: Targets::Paths(existing.clone()),
        ..CheckOptions::default()
    };
    let report = harness_check::check(&s.kb, &options).map_err(|e| e.to_string())?;
    if report.findings.is_empty() {
        return Ok(None);
    }
    let limit = s.agent.limit_bytes();
    let max_bytes = match s.kb.config.output.max_bytes {
        0 => limit,
        n => n.min(limit),
    };
    let mut rest = String::from("harness check");
    for r in &existing {
        rest.push(' ');
        rest.push_str(&shell_word(r));
    }
    let options = RenderOptions {
        max_bytes,
        group_after: s.kb.config.output.group_after,
        rest_command: rest,
        color: false,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    Ok(Some(Checked {
        text: render(&report, Format::Agent, &options),
        blocking: report.blocking(),
        total: report.findings.len(),
    }))
}

fn shell_policy(kb: &KnowledgeBase) -> Result<ShellPolicy, String> {
    let protected = Globs::new(&kb.config.hooks.protected)
        .map_err(|(glob, e)| format!("invalid glob `{glob}` in hooks.protected: {e}"))?;
    let mut deny = Vec::new();
    for d in &kb.config.hooks.deny {
        let re = regex::Regex::new(&d.pattern).map_err(|e| e.to_string())?;
        deny.push((re, d.reason.clone()));
    }
    Ok(ShellPolicy {
        builtin: kb.config.hooks.deny_builtin,
        protected,
        deny,
    })
}

fn join(a: Option<&str>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x.to_owned()),
        (Some(x), Some(y)) => Some(format!("{x}\n{y}")),
    }
}

/// `text` cut to `limit` bytes at a line boundary, saying so: a last guard, since every text
/// is already fitted before it gets here.
fn bound(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let note = "\n(cut to fit the agent's limit; run the command above to see everything)\n";
    let mut end = limit.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    format!("{}{note}", &text[..end])
}

fn normalise(path: &Path) -> PathBuf {
    let real = path.canonicalize().ok();
    if let Some(real) = real {
        return real;
    }
    // A file about to be created: its nearest existing ancestor, resolved, plus the rest.
    let mut base = path.to_path_buf();
    let mut rest = Vec::new();
    while !base.exists() {
        let Some(name) = base.file_name() else {
            return path.to_path_buf();
        };
        rest.push(name.to_owned());
        base.pop();
    }
    let mut out = base.canonicalize().unwrap_or(base);
    for name in rest.iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

/// `s` as one shell word.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
