//! Deciding, file by file, what a sync does: pure, from the rendered files and what is on disk.

use std::collections::BTreeMap;

use crate::File;
use crate::targets::Target;

/// What is at a path now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Missing,
    Text(String),
    /// The repository's AGENTS.md, through a symbolic link (either way round).
    LinkToAgentsMd,
    /// Something that is not a UTF-8 text file (a folder, a binary file, a broken link).
    Other,
}

/// A path found on disk that a target may own.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: String,
    pub target: &'static Target,
    pub state: State,
}

/// What happens to one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    /// Generated earlier and no longer rendered.
    Remove,
    /// Hand-written, and it already does the job (a CLAUDE.md that imports AGENTS.md).
    Kept,
    /// Hand-written at a generated path: left alone.
    Skipped,
}

impl Action {
    /// Whether the file changes: what `--check` reports.
    pub fn changes(self) -> bool {
        matches!(self, Action::Create | Action::Update | Action::Remove)
    }

    /// How `harness sync` reports it.
    pub fn verb(self) -> &'static str {
        match self {
            Action::Create => "created",
            Action::Update => "updated",
            Action::Unchanged | Action::Kept => "unchanged",
            Action::Remove => "removed",
            Action::Skipped => "skipped",
        }
    }

    /// How `harness sync --check` reports a change.
    pub fn problem(self) -> &'static str {
        match self {
            Action::Create => "missing",
            Action::Update => "stale",
            Action::Remove => "extra",
            _ => "fresh",
        }
    }
}

/// One file's step.
#[derive(Clone, Debug)]
pub struct Step {
    pub path: String,
    pub action: Action,
    pub target: &'static Target,
    /// The text to write, for `Create` and `Update`.
    pub text: Option<String>,
    /// For the user, when there is something to say.
    pub note: Option<String>,
}

/// The step for every rendered file, and a removal for every generated file found that is no
/// longer rendered, sorted by path. A file without the marker is never changed or removed.
pub fn plan(files: Vec<File>, found: Vec<Found>) -> Vec<Step> {
    let mut found: BTreeMap<String, Found> =
        found.into_iter().map(|f| (f.path.clone(), f)).collect();
    let mut steps = Vec::new();
    for file in files {
        let state = found.remove(&file.path).map_or(State::Missing, |f| f.state);
        let target = file.target;
        let (action, text) = match state {
            State::Missing => (Action::Create, Some(file.text)),
            State::Text(now) if now == file.text => (Action::Unchanged, None),
            State::Text(now) if (target.is_ours)(&now) => (Action::Update, Some(file.text)),
            State::Text(now) if (target.accepts)(&now) => (Action::Kept, None),
            State::LinkToAgentsMd if target.link_to_agents_md => (Action::Kept, None),
            _ => (Action::Skipped, None),
        };
        let note = (action == Action::Skipped).then(|| {
            format!(
                "{} was not written by harness sync (it has no marker line), so it was left alone; {}",
                file.path, target.hint
            )
        });
        steps.push(Step {
            path: file.path,
            action,
            target,
            text,
            note,
        });
    }
    for (path, f) in found {
        if let State::Text(now) = &f.state
            && (f.target.is_ours)(now)
        {
            steps.push(Step {
                path,
                action: Action::Remove,
                target: f.target,
                text: None,
                note: None,
            });
        }
    }
    steps.sort_by(|a, b| a.path.cmp(&b.path));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MARKER;
    use crate::targets::{claude, cursor};

    fn file(path: &str, text: &str, target: &'static Target) -> File {
        File {
            path: path.into(),
            text: text.into(),
            target,
        }
    }

    fn found(path: &str, state: State, target: &'static Target) -> Found {
        Found {
            path: path.into(),
            target,
            state,
        }
    }

    fn actions(steps: &[Step]) -> Vec<(&str, Action)> {
        steps.iter().map(|s| (s.path.as_str(), s.action)).collect()
    }

    #[test]
    fn only_marked_files_change_or_go() {
        let ours = format!("---\nalwaysApply: true\n---\n{MARKER}\nold\n");
        let new = format!("---\nalwaysApply: true\n---\n{MARKER}\nnew\n");
        let steps = plan(
            vec![
                file("a.mdc", &new, &cursor::TARGET),
                file("b.mdc", &new, &cursor::TARGET),
                file("c.mdc", &new, &cursor::TARGET),
                file("d.mdc", &new, &cursor::TARGET),
            ],
            vec![
                found("a.mdc", State::Text(ours.clone()), &cursor::TARGET),
                found("b.mdc", State::Text("mine\n".into()), &cursor::TARGET),
                found("c.mdc", State::Text(new.clone()), &cursor::TARGET),
                found("old.mdc", State::Text(ours), &cursor::TARGET),
                found("mine.mdc", State::Text("mine\n".into()), &cursor::TARGET),
                found("bin.mdc", State::Other, &cursor::TARGET),
            ],
        );
        assert_eq!(
            actions(&steps),
            [
                ("a.mdc", Action::Update),
                ("b.mdc", Action::Skipped),
                ("c.mdc", Action::Unchanged),
                ("d.mdc", Action::Create),
                ("old.mdc", Action::Remove),
            ]
        );
        assert!(steps[1].note.as_deref().unwrap().contains("left alone"));
        assert_eq!(steps[3].text.as_deref(), Some(new.as_str()));
    }

    #[test]
    fn a_claude_md_that_imports_agents_md_or_links_to_it_is_kept() {
        let memory = harness_hooks::install::claude::MEMORY;
        let cases = [
            (State::Text("# Ours\n\n@AGENTS.md\n".into()), Action::Kept),
            (State::LinkToAgentsMd, Action::Kept),
            (State::Text("# Ours\n".into()), Action::Skipped),
            (State::Text(memory.into()), Action::Unchanged),
        ];
        for (state, action) in cases {
            let steps = plan(
                vec![file("CLAUDE.md", memory, &claude::TARGET)],
                vec![found("CLAUDE.md", state.clone(), &claude::TARGET)],
            );
            assert_eq!(steps[0].action, action, "{state:?}");
        }
        // What `harness install claude` wrote is harness's: removed when AGENTS.md is gone.
        let steps = plan(
            Vec::new(),
            vec![found(
                "CLAUDE.md",
                State::Text(memory.into()),
                &claude::TARGET,
            )],
        );
        assert_eq!(actions(&steps), [("CLAUDE.md", Action::Remove)]);
    }
}
