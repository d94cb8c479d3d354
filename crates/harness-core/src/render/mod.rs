//! Renderers: one file per output format, all reading the same [`Report`].

mod agent;
mod github;
mod human;
mod json;
mod rdjson;
mod sarif;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::{Finding, Priority};

/// What a check produced, ready to render.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    /// Sorted most severe first, then by path and line.
    pub findings: Vec<Finding>,
    pub files_checked: usize,
    pub block_at: Option<Priority>,
    /// Files left out, with why.
    pub skipped: Vec<Skipped>,
    /// Findings hidden because the baseline already records them.
    pub baselined: usize,
    /// Rules that ran, for formats that describe them (SARIF).
    #[serde(skip)]
    pub rules: Vec<RuleInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The part of a rule a renderer shows.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub priority: Priority,
    pub message: String,
    pub why: Option<String>,
    pub runbook: Option<String>,
}

impl Report {
    pub fn block_at(&self) -> Priority {
        self.block_at.unwrap_or(Priority::P2)
    }

    pub fn blocking(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.priority.blocks_at(self.block_at()))
            .count()
    }

    pub fn is_blocking(&self, f: &Finding) -> bool {
        f.priority.blocks_at(self.block_at())
    }

    /// `harness: 2 blocking (P1 1, P2 1), 4 advisory in 3 files` or `harness: clean, ...`.
    pub fn verdict(&self) -> String {
        if self.findings.is_empty() {
            let mut v = format!(
                "harness: clean ({} {} checked",
                self.files_checked,
                plural(self.files_checked, "file", "files")
            );
            if self.baselined > 0 {
                v.push_str(&format!(", {} baselined", self.baselined));
            }
            v.push(')');
            return v;
        }
        let block_at = self.block_at();
        let counts = |blocking: bool| -> (usize, String) {
            let mut parts = Vec::new();
            let mut total = 0;
            for p in Priority::ALL {
                if p.blocks_at(block_at) != blocking {
                    continue;
                }
                let n = self.findings.iter().filter(|f| f.priority == p).count();
                if n > 0 {
                    parts.push(format!("{p} {n}"));
                    total += n;
                }
            }
            (total, parts.join(", "))
        };
        let (b, bparts) = counts(true);
        let (a, aparts) = counts(false);
        let mut files: Vec<&str> = self.findings.iter().map(|f| f.path.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let mut v = String::from("harness: ");
        if b > 0 {
            v.push_str(&format!("{b} blocking ({bparts})"));
        } else {
            v.push_str("0 blocking");
        }
        if a > 0 {
            v.push_str(&format!(", {a} advisory ({aparts})"));
        }
        v.push_str(&format!(
            " in {} {}",
            files.len(),
            plural(files.len(), "file", "files")
        ));
        if self.baselined > 0 {
            v.push_str(&format!(" ({} baselined)", self.baselined));
        }
        v
    }
}

pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Output formats of `harness check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Agent,
    Human,
    Json,
    Sarif,
    Github,
    Rdjson,
}

impl Format {
    pub const NAMES: &'static [&'static str] =
        &["agent", "human", "json", "sarif", "github", "rdjson"];
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "agent" => Format::Agent,
            "human" => Format::Human,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "rdjson" => Format::Rdjson,
            _ => return Err(format!("unknown format `{s}`")),
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Format::Agent => "agent",
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Rdjson => "rdjson",
        };
        f.write_str(s)
    }
}

/// Knobs shared by the renderers.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Byte bound of the agent format; 0 for none.
    pub max_bytes: usize,
    /// Findings per rule shown before grouping the rest (agent format).
    pub group_after: usize,
    /// The command that shows everything, printed when output is cut.
    pub rest_command: String,
    /// Colour for the human format.
    pub color: bool,
    /// Version written into SARIF's tool description.
    pub tool_version: String,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            max_bytes: 4000,
            group_after: 3,
            rest_command: "harness check --format human".to_owned(),
            color: false,
            tool_version: String::new(),
        }
    }
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Agent => agent::render(report, options),
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, options),
        Format::Github => github::render(report),
        Format::Rdjson => rdjson::render(report),
    }
}

/// `s` as one shell word, for the commands output ends with: as it is when it is plain, else
/// single-quoted.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
