//! Guidance written for agents and reviewers: reviewer personas (`.harness/personas/*.md`),
//! architecture decisions (`docs/adr/*.md`) and critical user journeys (`docs/journeys/*.md`).
//!
//! Each is a Markdown file with YAML front matter. `applies_to` globs say which code it
//! governs, so `harness context` can surface it when an agent touches that code. Front matter
//! is parsed as strictly as rules: unknown keys, bad globs and unknown statuses are errors
//! with `file:line:col` and a hint.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{ConfigError, SourceLocation};
use crate::glob::Globs;
use crate::yaml;

/// What a guidance document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GuidanceKind {
    Persona,
    Adr,
    Journey,
}

impl GuidanceKind {
    pub fn label(self) -> &'static str {
        match self {
            GuidanceKind::Persona => "persona",
            GuidanceKind::Adr => "ADR",
            GuidanceKind::Journey => "journey",
        }
    }
}

/// Where a decision or journey stands. Only [`Status::is_current`] ones are surfaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Proposed,
    Accepted,
    Rejected,
    Deprecated,
    Superseded,
    Draft,
    Active,
    Retired,
}

const STATUSES: &str =
    "proposed, accepted, rejected, deprecated, superseded, draft, active, retired";

impl Status {
    fn parse(text: &str) -> Option<Status> {
        let word = text.trim().to_ascii_lowercase();
        // MADR writes "superseded by ADR-0005".
        if word.starts_with("superseded") {
            return Some(Status::Superseded);
        }
        Some(match word.as_str() {
            "proposed" => Status::Proposed,
            "accepted" => Status::Accepted,
            "rejected" => Status::Rejected,
            "deprecated" => Status::Deprecated,
            "draft" => Status::Draft,
            "active" => Status::Active,
            "retired" => Status::Retired,
            _ => return None,
        })
    }

    /// A decision in force or a journey in use.
    pub fn is_current(self) -> bool {
        matches!(self, Status::Accepted | Status::Active)
    }
}

/// One persona, decision or journey.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Guidance {
    pub kind: GuidanceKind,
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// The persona's `name`, else the front matter `title`, the first `# ` heading or the
    /// file name.
    pub title: String,
    pub description: Option<String>,
    /// The code it governs; `None` when it is not scoped to paths.
    pub applies_to: Option<Globs>,
    pub status: Status,
    pub tags: Vec<String>,
    /// The bulleted guardrails (a persona's list; for a decision or journey, the bullets of
    /// its body, if any).
    pub bullets: Vec<String>,
    /// The Markdown after the front matter.
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SerializablePersona {
    name: Spanned<String>,
    description: String,
    applies_to: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Front matter of a decision or journey. MADR's own keys are accepted so existing ADRs load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SerializableDoc {
    title: Option<String>,
    #[serde(default)]
    applies_to: Option<Spanned<Vec<Spanned<String>>>>,
    status: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
    description: Option<String>,
    // Accepted and not used.
    #[serde(rename = "date")]
    _date: Option<serde_json::Value>,
    #[serde(rename = "deciders", alias = "decision-makers")]
    _deciders: Option<serde_json::Value>,
    #[serde(rename = "consulted")]
    _consulted: Option<serde_json::Value>,
    #[serde(rename = "informed")]
    _informed: Option<serde_json::Value>,
    #[serde(rename = "supersedes")]
    _supersedes: Option<serde_json::Value>,
    #[serde(rename = "superseded_by")]
    _superseded_by: Option<serde_json::Value>,
}

/// A Markdown file split into its front matter (if any) and body.
struct Parts<'a> {
    front: Option<&'a str>,
    body: &'a str,
}

/// Splits `---` front matter off the top of `text`. The front matter starts on line 2.
fn split(text: &str) -> Result<Parts<'_>, usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.trim_end() != "---" {
        return Ok(Parts {
            front: None,
            body: text,
        });
    }
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Parts {
                front: Some(&rest[..pos]),
                body: &rest[pos + line.len()..],
            });
        }
        pos += line.len();
    }
    Err(rest.lines().count() + 1)
}

/// Parses one guidance file. `rel` is its path from the repository root; `file` is where
/// errors point.
pub fn parse(
    kind: GuidanceKind,
    text: &str,
    rel: &str,
    file: &Path,
) -> Result<Guidance, Vec<ConfigError>> {
    let normalised;
    let text = if text.contains('\r') {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    let at = |line: u64, column: u64| Some(SourceLocation::new(file, line, column));
    let parts = split(text).map_err(|_| {
        vec![ConfigError::new(
            "front matter is not closed",
            at(1, 1),
            "end the front matter with a line holding only `---`",
        )]
    })?;
    let hint = match kind {
        GuidanceKind::Persona => {
            "a persona's front matter has `name`, `description`, `applies_to` (a list of globs) and optional `tags`"
        }
        _ => {
            "front matter keys: title, applies_to, status, tags, description (and MADR's date, deciders, consulted, informed, supersedes, superseded_by)"
        }
    };
    // Empty front matter (`---` twice) is no keys at all.
    let doc = parts
        .front
        .filter(|front| !front.trim().is_empty())
        .map(|front| yaml::Document {
            text: front,
            line_offset: 1,
        });
    let mut errors = Vec::new();
    let guidance = match kind {
        GuidanceKind::Persona => {
            let Some(doc) = doc else {
                return Err(vec![ConfigError::new(
                    "persona has no front matter",
                    at(1, 1),
                    "start the file with `---`, then `name:`, `description:` and `applies_to:`, then `---`",
                )]);
            };
            let p: SerializablePersona =
                yaml::from_document(&doc, file, hint).map_err(|e| vec![e])?;
            let applies_to = globs(&p.applies_to, file, &mut errors);
            let bullets = bullets(parts.body);
            if bullets.is_empty() {
                errors.push(ConfigError::new(
                    format!("persona `{}` has no guardrails", p.name.value),
                    yaml::location(file, p.name.referenced, 1),
                    "list the guardrails of this lens as `- ` bullets after the front matter",
                ));
            }
            Guidance {
                kind,
                path: rel.to_owned(),
                title: p.name.value,
                description: Some(p.description),
                applies_to,
                status: Status::Active,
                tags: p.tags,
                bullets,
                body: parts.body.to_owned(),
            }
        }
        GuidanceKind::Adr | GuidanceKind::Journey => {
            let d: Option<SerializableDoc> = match &doc {
                Some(doc) => Some(yaml::from_document(doc, file, hint).map_err(|e| vec![e])?),
                None => None,
            };
            let default_status = if kind == GuidanceKind::Adr {
                Status::Accepted
            } else {
                Status::Active
            };
            let mut status = default_status;
            let mut applies_to = None;
            let mut title = None;
            let mut tags = Vec::new();
            let mut description = None;
            if let Some(d) = d {
                if let Some(s) = &d.status {
                    match Status::parse(&s.value) {
                        Some(parsed) => status = parsed,
                        None => errors.push(ConfigError::new(
                            format!("unknown status `{}`", s.value),
                            yaml::location(file, s.referenced, 1),
                            format!("use one of: {STATUSES}"),
                        )),
                    }
                }
                if let Some(list) = &d.applies_to {
                    applies_to = globs(list, file, &mut errors);
                }
                title = d.title;
                tags = d.tags;
                description = d.description;
            }
            Guidance {
                kind,
                path: rel.to_owned(),
                title: title
                    .or_else(|| heading(parts.body))
                    .unwrap_or_else(|| stem(rel)),
                description,
                applies_to,
                status,
                tags,
                bullets: bullets(parts.body),
                body: parts.body.to_owned(),
            }
        }
    };
    if errors.is_empty() {
        Ok(guidance)
    } else {
        Err(errors)
    }
}

fn globs(
    list: &Spanned<Vec<Spanned<String>>>,
    file: &Path,
    errors: &mut Vec<ConfigError>,
) -> Option<Globs> {
    if list.value.is_empty() {
        errors.push(ConfigError::new(
            "`applies_to` is empty",
            yaml::location(file, list.referenced, 1),
            "list the paths this governs, such as `src/payments/**`; `**` means everywhere",
        ));
        return None;
    }
    let patterns: Vec<String> = list.value.iter().map(|g| g.value.clone()).collect();
    match Globs::new(&patterns) {
        Ok(g) => Some(g),
        Err((pattern, e)) => {
            let place = list
                .value
                .iter()
                .find(|g| g.value == pattern)
                .and_then(|g| yaml::location(file, g.referenced, 1));
            errors.push(ConfigError::new(
                format!("invalid glob `{pattern}` in `applies_to`: {e}"),
                place,
                "fix the glob",
            ));
            None
        }
    }
}

/// The top-level `- ` / `* ` bullets of a Markdown body, continuation lines joined.
fn bullets(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut open = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            open = false;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(item) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
            out.push(item.trim().to_owned());
            open = true;
        } else if open && !trimmed.is_empty() && line.starts_with(' ') && !trimmed.starts_with("- ")
        {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            open = false;
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

fn heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
}

fn stem(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md").unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn persona(text: &str) -> Result<Guidance, Vec<ConfigError>> {
        parse(
            GuidanceKind::Persona,
            text,
            ".harness/personas/p.md",
            Path::new(".harness/personas/p.md"),
        )
    }

    fn adr(text: &str) -> Result<Guidance, Vec<ConfigError>> {
        parse(
            GuidanceKind::Adr,
            text,
            "docs/adr/0001-x.md",
            Path::new("docs/adr/0001-x.md"),
        )
    }

    #[test]
    fn a_persona_has_front_matter_and_bullets() {
        let p = persona(
            "---\nname: reliability\ndescription: failure modes\napplies_to: [\"src/**\"]\n---\n\
             Intro.\n\n- Every network call has a timeout\n  and a retry budget.\n- No panics\n\n```\n- not a bullet\n```\n",
        )
        .unwrap();
        assert_eq!(p.title, "reliability");
        assert_eq!(
            p.bullets,
            [
                "Every network call has a timeout and a retry budget.",
                "No panics"
            ]
        );
        assert!(p.applies_to.unwrap().is_match("src/a.ts"));
    }

    #[test]
    fn persona_errors_point_at_the_place() {
        let e =
            persona("---\nname: x\ndescription: y\napplies_to: [\"src/**\"]\nowner: z\n---\n- a\n")
                .unwrap_err();
        assert_eq!(e[0].location.as_ref().unwrap().line, 5);
        assert!(e[0].title.contains("owner"), "{}", e[0].title);
        let e = persona("---\nname: x\ndescription: y\napplies_to: [\"src/[\"]\n---\n- a\n")
            .unwrap_err();
        assert!(e[0].title.starts_with("invalid glob `src/[`"));
        assert_eq!(e[0].location.as_ref().unwrap().line, 4);
        let e = persona("---\nname: x\ndescription: y\napplies_to: [\"**\"]\n---\nno list\n")
            .unwrap_err();
        assert_eq!(e[0].title, "persona `x` has no guardrails");
        let e = persona("- a\n").unwrap_err();
        assert_eq!(e[0].title, "persona has no front matter");
        let e = persona("---\nname: x\n").unwrap_err();
        assert_eq!(e[0].title, "front matter is not closed");
    }

    #[test]
    fn madr_4_crlf_and_empty_front_matter_load() {
        let d = adr("---\r\nstatus: accepted\r\ndate: 2026-01-02\r\ndecision-makers: [a, b]\r\nconsulted: c\r\ninformed: d\r\n---\r\n# Use X\r\n").unwrap();
        assert_eq!(d.title, "Use X");
        let d = adr("---\n---\n# Empty\n").unwrap();
        assert_eq!(d.title, "Empty");
        let d = adr("--- \nstatus: deprecated\n---\n# Old\n").unwrap();
        assert_eq!(d.status, Status::Deprecated);
    }

    #[test]
    fn decisions_load_with_or_without_front_matter() {
        let d = adr("# Use Postgres\n\nWe use Postgres.\n").unwrap();
        assert_eq!(d.title, "Use Postgres");
        assert!(d.applies_to.is_none());
        assert!(d.status.is_current());
        let d = adr("---\nstatus: superseded by ADR-0005\ndate: 2026-01-02\napplies_to: [\"src/db/**\"]\ntags: [database]\n---\n# Use MySQL\n")
            .unwrap();
        assert_eq!(d.status, Status::Superseded);
        assert!(!d.status.is_current());
        assert_eq!(d.tags, ["database"]);
        let e = adr("---\nstatus: maybe\n---\n# X\n").unwrap_err();
        assert_eq!(e[0].title, "unknown status `maybe`");
        assert_eq!(e[0].location.as_ref().unwrap().line, 2);
    }
}
