//! Merging harness's hook groups into an agent's JSON settings, and taking them out again.
//!
//! Each step parses the text, finds the first thing out of place and makes one edit, so every
//! edit sees the text as it is. A group whose handlers all run `harness hook …` is harness's;
//! a harness handler inside someone else's group is taken out of that group.

use std::collections::BTreeSet;

use jsonc_parser::ast::{Array, Object, Value as Ast};
use jsonc_parser::common::Ranged;
use serde_json::{Map, Value, json};

use super::InstallError;
use super::jsonc::{self, Container, Edit, Style};

/// The start of every command harness installs; a handler whose command starts so is harness's.
pub const COMMAND_PREFIX: &str = "harness hook ";

/// One agent's settings file and the hooks harness puts in it.
#[derive(Debug)]
pub struct Settings {
    /// Relative to the repository root.
    pub path: &'static str,
    /// The file is JSONC (comments allowed).
    pub comments: bool,
    pub handler: Handler,
    pub events: &'static [Event],
}

/// The command handler every group holds.
#[derive(Debug)]
pub struct Handler {
    /// Gemini CLI names its handlers.
    pub name: Option<&'static str>,
    pub command: &'static str,
    /// In the agent's unit (seconds, or milliseconds for Gemini CLI).
    pub timeout: u64,
}

/// An event harness listens to, with the tools it is limited to.
#[derive(Debug)]
pub struct Event {
    pub name: &'static str,
    pub matcher: Option<&'static str>,
}

/// Bounds the edit loop; every step removes or fixes one thing, so real files settle in a few.
const MAX_STEPS: usize = 1000;

/// What the edits so far emptied, so only containers harness emptied are removed.
#[derive(Default)]
struct Trail {
    events: BTreeSet<String>,
    hooks: bool,
    root: bool,
}

enum Step {
    Edit(Vec<Edit>),
    Done,
}

impl Settings {
    /// `before` (the file's text, `None` when it does not exist) with harness's hooks merged in.
    pub fn install(&self, before: Option<&str>) -> Result<String, InstallError> {
        let mut text = match before {
            Some(t) if !t.trim().is_empty() => t.to_owned(),
            _ => "{}\n".to_owned(),
        };
        let mut trail = Trail::default();
        for _ in 0..MAX_STEPS {
            match self.install_step(&text, &mut trail)? {
                Step::Edit(edits) => text = jsonc::apply(&text, edits),
                Step::Done => return Ok(text),
            }
        }
        Err(InstallError::NoProgress)
    }

    /// `before` without harness's hooks; `None` when harness's were all the file held.
    pub fn uninstall(&self, before: &str) -> Result<Option<String>, InstallError> {
        if before.trim().is_empty() {
            return Ok(Some(before.to_owned()));
        }
        let mut text = before.to_owned();
        let mut trail = Trail::default();
        for _ in 0..MAX_STEPS {
            match self.uninstall_step(&text, &mut trail)? {
                Step::Edit(edits) => text = jsonc::apply(&text, edits),
                Step::Done if trail.root && only_braces(&text) => return Ok(None),
                Step::Done => return Ok(Some(text)),
            }
        }
        Err(InstallError::NoProgress)
    }

    /// The settings harness writes into a file that has none: `{"hooks": {…}}`.
    pub fn hooks_value(&self) -> Value {
        let events: Map<String, Value> = self
            .events
            .iter()
            .map(|e| (e.name.to_owned(), json!([self.group(e)])))
            .collect();
        Value::Object(events)
    }

    /// The group harness writes for `event`.
    pub fn group(&self, event: &Event) -> Value {
        let mut handler = Map::new();
        if let Some(name) = self.handler.name {
            handler.insert("name".into(), name.into());
        }
        handler.insert("type".into(), "command".into());
        handler.insert("command".into(), self.handler.command.into());
        handler.insert("timeout".into(), self.handler.timeout.into());
        let mut group = Map::new();
        if let Some(m) = event.matcher {
            group.insert("matcher".into(), m.into());
        }
        group.insert("hooks".into(), json!([handler]));
        Value::Object(group)
    }

    fn install_step(&self, text: &str, trail: &mut Trail) -> Result<Step, InstallError> {
        let parsed = jsonc::parse(text, self.comments)?;
        let root = root(text, parsed.as_ref())?;
        let style = Style::detect(text, root);
        let Some(hooks) = root.get("hooks") else {
            let value = self.hooks_value();
            let edits = Container::from(root)
                .append(text, &style, &|l| style.render_member("hooks", &value, l));
            return Ok(Step::Edit(edits));
        };
        let hooks = object(text, &hooks.value, "`hooks`")?;
        for event in self.events {
            let group = self.group(event);
            let Some(member) = hooks.get(event.name) else {
                let value = json!([group]);
                let edits = Container::from(hooks).append(text, &style, &|l| {
                    style.render_member(event.name, &value, l)
                });
                return Ok(Step::Edit(edits));
            };
            let groups = array(text, &member.value, event.name)?;
            if let Some(edits) = fix_event(text, &style, groups, Some(&group)) {
                return Ok(Step::Edit(edits));
            }
        }
        // Events an earlier harness listened to and this one does not.
        let keep: BTreeSet<&str> = self.events.iter().map(|e| e.name).collect();
        self.clean(text, &style, hooks, &keep, trail)
    }

    fn uninstall_step(&self, text: &str, trail: &mut Trail) -> Result<Step, InstallError> {
        let parsed = jsonc::parse(text, self.comments)?;
        let root = root(text, parsed.as_ref())?;
        let Some(member) = root.get("hooks") else {
            return Ok(Step::Done);
        };
        let hooks = object(text, &member.value, "`hooks`")?;
        let style = Style::detect(text, root);
        if let Step::Edit(edits) = self.clean(text, &style, hooks, &BTreeSet::new(), trail)? {
            return Ok(Step::Edit(edits));
        }
        if hooks.properties.is_empty() && trail.hooks && blank_inside(text, hooks.range) {
            trail.root = true;
            let edits = Container::from(root).remove(text, index_of(root, "hooks"));
            return Ok(Step::Edit(edits));
        }
        Ok(Step::Done)
    }

    /// Takes harness's handlers out of every event but `keep`, and removes the events that
    /// leaves empty.
    fn clean(
        &self,
        text: &str,
        style: &Style,
        hooks: &Object<'_>,
        keep: &BTreeSet<&str>,
        trail: &mut Trail,
    ) -> Result<Step, InstallError> {
        for (i, member) in hooks.properties.iter().enumerate() {
            let name = member.name.as_str();
            if keep.contains(name) {
                continue;
            }
            let groups = match &member.value {
                Ast::Array(groups) => groups,
                // Gemini CLI keeps other settings beside the events in `hooks`.
                _ if !self.events.iter().any(|e| e.name == name) => continue,
                other => return Err(not_array(text, other, name)),
            };
            if let Some(edits) = fix_event(text, style, groups, None) {
                trail.events.insert(name.to_owned());
                return Ok(Step::Edit(edits));
            }
            if groups.elements.is_empty()
                && trail.events.contains(name)
                && blank_inside(text, groups.range)
            {
                trail.hooks = true;
                return Ok(Step::Edit(Container::from(hooks).remove(text, i)));
            }
        }
        Ok(Step::Done)
    }
}

/// The one edit that brings an event's groups closer to holding exactly `desired` as
/// harness's group (or no harness group at all), or `None` when they do.
fn fix_event(
    text: &str,
    style: &Style,
    groups: &Array<'_>,
    desired: Option<&Value>,
) -> Option<Vec<Edit>> {
    let mut ours = Vec::new();
    for (i, group) in groups.elements.iter().enumerate() {
        let Some(Ast::Array(handlers)) = group
            .as_object()
            .and_then(|g| g.get("hooks"))
            .map(|p| &p.value)
        else {
            continue;
        };
        let owned: Vec<usize> = (0..handlers.elements.len())
            .filter(|&h| is_ours(&handlers.elements[h]))
            .collect();
        if owned.is_empty() {
            continue;
        }
        if owned.len() < handlers.elements.len() {
            return Some(Container::from(handlers).remove(text, owned[0]));
        }
        ours.push(i);
    }
    let container = Container::from(groups);
    let Some(desired) = desired else {
        return ours.first().map(|&i| container.remove(text, i));
    };
    let render = |l: &_| style.render(desired, l);
    match ours[..] {
        [] => Some(container.append(text, style, &render)),
        [first, ..] if jsonc::to_value(&groups.elements[first]) != *desired => {
            Some(container.replace(text, first, &render))
        }
        [_, second, ..] => Some(container.remove(text, second)),
        [_] => None,
    }
}

/// Whether a handler is harness's: its command starts with `harness hook `.
pub fn is_ours(handler: &Ast<'_>) -> bool {
    handler
        .as_object()
        .and_then(|h| h.get_string("command"))
        .is_some_and(|c| c.value.starts_with(COMMAND_PREFIX))
}

fn root<'a>(text: &str, value: Option<&'a Ast<'a>>) -> Result<&'a Object<'a>, InstallError> {
    match value {
        Some(Ast::Object(o)) => Ok(o),
        Some(other) => Err(shape(
            text,
            other,
            "the settings file must hold a JSON object",
        )),
        None => Err(InstallError::Shape {
            line: 1,
            column: 1,
            message: "the settings file must hold a JSON object".into(),
        }),
    }
}

fn object<'a>(text: &str, value: &'a Ast<'a>, what: &str) -> Result<&'a Object<'a>, InstallError> {
    match value {
        Ast::Object(o) => Ok(o),
        other => Err(shape(
            text,
            other,
            &format!("{what} must be an object, not {}", kind(other)),
        )),
    }
}

fn array<'a>(text: &str, value: &'a Ast<'a>, event: &str) -> Result<&'a Array<'a>, InstallError> {
    match value {
        Ast::Array(a) => Ok(a),
        other => Err(not_array(text, other, event)),
    }
}

fn not_array(text: &str, value: &Ast<'_>, event: &str) -> InstallError {
    shape(
        text,
        value,
        &format!(
            "`hooks.{event}` must be an array of hook groups, not {}",
            kind(value)
        ),
    )
}

fn shape(text: &str, at: &Ast<'_>, message: &str) -> InstallError {
    let (line, column) = jsonc::line_col(text, at.range().start);
    InstallError::Shape {
        line,
        column,
        message: message.to_owned(),
    }
}

fn kind(value: &Ast<'_>) -> &'static str {
    match value {
        Ast::StringLit(_) => "a string",
        Ast::NumberLit(_) => "a number",
        Ast::BooleanLit(_) => "a boolean",
        Ast::Object(_) => "an object",
        Ast::Array(_) => "an array",
        Ast::NullKeyword(_) => "null",
    }
}

fn index_of(obj: &Object<'_>, name: &str) -> usize {
    obj.properties
        .iter()
        .position(|p| p.name.as_str() == name)
        .unwrap_or_default()
}

/// Whether only whitespace stands between a container's brackets: one harness emptied, not
/// one that holds the user's comments.
fn blank_inside(text: &str, range: jsonc_parser::common::Range) -> bool {
    text[range.start + 1..range.end - 1].trim().is_empty()
}

/// Whether the text is `{}` with nothing but whitespace around and inside.
fn only_braces(text: &str) -> bool {
    text.trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .is_some_and(|t| t.trim().is_empty())
}
