//! The knowledge base grouped the way the instruction files are: what applies everywhere, and
//! one group per distinct path scope.

use std::collections::BTreeMap;

use harness_core::config::CursorGlobs;
use harness_core::guidance::Guidance;
use harness_core::{Priority, Rule};

use crate::Facts;
use crate::scope::{self, Where};

/// A rule as one file shows it.
#[derive(Debug)]
pub(crate) struct RuleItem<'a> {
    pub rule: &'a Rule,
    /// Ignores as written that the file's globs still match: stated in the text.
    pub exceptions: Vec<String>,
    /// The paths as written, for a rule in the always-applied file only because its paths
    /// cannot be expressed as the consumers' globs.
    pub only: Option<Vec<String>>,
}

/// A persona, decision or journey as one file shows it.
#[derive(Debug)]
pub(crate) struct GuidanceItem<'a> {
    pub guidance: &'a Guidance,
    /// As for [`RuleItem::only`].
    pub only: Option<Vec<String>>,
}

/// Everything sharing one path scope.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    /// In the consumers' syntax, sorted.
    pub globs: Vec<String>,
    /// What the files of this scope are named after, unique among the groups.
    pub stem: String,
    pub rules: Vec<RuleItem<'a>>,
    pub guidance: Vec<GuidanceItem<'a>>,
}

/// The knowledge base, grouped.
#[derive(Debug)]
pub(crate) struct Model<'a> {
    pub block_at: Priority,
    pub cursor_globs: CursorGlobs,
    pub facts: Facts,
    /// Applied everywhere: the rules and documents for every file, and those whose scope
    /// cannot be expressed.
    pub everywhere: Group<'a>,
    /// Current decisions and journeys with no `applies_to`: listed, not scoped.
    pub unscoped: Vec<&'a Guidance>,
    /// One per distinct scope, sorted by globs.
    pub groups: Vec<Group<'a>>,
}

impl<'a> Model<'a> {
    pub(crate) fn build(
        rules: &'a [Rule],
        guidance: &'a [Guidance],
        block_at: Priority,
        facts: Facts,
    ) -> Model<'a> {
        let mut everywhere = Group {
            globs: Vec::new(),
            stem: String::new(),
            rules: Vec::new(),
            guidance: Vec::new(),
        };
        let mut scoped: BTreeMap<Vec<String>, Group<'a>> = BTreeMap::new();
        for rule in rules.iter().filter(|r| r.enabled) {
            let scope = scope::of_rule(&rule.filter);
            let item = |only| RuleItem {
                rule,
                exceptions: scope.exceptions.clone(),
                only,
            };
            match scope.at.clone() {
                Where::Everywhere => everywhere.rules.push(item(None)),
                Where::Unexpressed(paths) => everywhere.rules.push(item(Some(paths))),
                Where::Globs(globs) => group(&mut scoped, globs).rules.push(item(None)),
                Where::Nowhere => {}
            }
        }
        let mut unscoped = Vec::new();
        for g in guidance.iter().filter(|g| g.status.is_current()) {
            let item = |only| GuidanceItem { guidance: g, only };
            match scope::of_guidance(g.applies_to.as_ref()) {
                None => unscoped.push(g),
                Some(Where::Everywhere) => everywhere.guidance.push(item(None)),
                Some(Where::Unexpressed(globs)) => everywhere.guidance.push(item(Some(globs))),
                Some(Where::Globs(globs)) => group(&mut scoped, globs).guidance.push(item(None)),
                Some(Where::Nowhere) => {}
            }
        }
        let mut groups: Vec<Group<'a>> = scoped.into_values().collect();
        name(&mut groups);
        for g in std::iter::once(&mut everywhere).chain(&mut groups) {
            sort(g);
        }
        unscoped.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
        Model {
            block_at,
            cursor_globs: CursorGlobs::default(),
            facts,
            everywhere,
            unscoped,
            groups,
        }
    }
}

fn group<'a, 'm>(
    scoped: &'m mut BTreeMap<Vec<String>, Group<'a>>,
    globs: Vec<String>,
) -> &'m mut Group<'a> {
    scoped.entry(globs.clone()).or_insert_with(|| Group {
        globs,
        stem: String::new(),
        rules: Vec::new(),
        guidance: Vec::new(),
    })
}

/// Most severe first, then by id; documents by kind (personas first) and path.
fn sort(group: &mut Group<'_>) {
    group
        .rules
        .sort_by(|a, b| (a.rule.priority, &a.rule.id).cmp(&(b.rule.priority, &b.rule.id)));
    group.guidance.sort_by(|a, b| {
        (a.guidance.kind, &a.guidance.path).cmp(&(b.guidance.kind, &b.guidance.path))
    });
}

/// Names each group after its globs; groups whose names would clash (or were cut short) get a
/// hash of their globs too, so every name is unique and stable while the scope exists.
fn name(groups: &mut [Group<'_>]) {
    let stems: Vec<(String, bool)> = groups.iter().map(|g| scope::stem(&g.globs)).collect();
    for (i, g) in groups.iter_mut().enumerate() {
        let (stem, cut) = &stems[i];
        let clash = stems.iter().filter(|(s, _)| s == stem).count() > 1;
        g.stem = if clash || *cut {
            format!("{stem}-{}", scope::short_hash(&g.globs))
        } else {
            stem.clone()
        };
    }
}
