//! The files `harness init` writes for a [`Project`]: a pure function of what was detected.

use std::fmt::Write as _;

use crate::detect::{Language, Project};

/// One file to write, repository-relative, `/`-separated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub path: String,
    pub text: String,
    /// Rules left out because a rule with the same id already exists.
    pub skipped_ids: Vec<String>,
}

const CONFIG: &str = include_str!("../templates/harness.toml");
const AGENTS: &str = include_str!("../templates/AGENTS.md");
const ADR: &str = include_str!("../templates/adr-0001.md");
const PERSONAS: &[(&str, &str)] = &[
    (
        "reliability",
        include_str!("../templates/personas/reliability.md"),
    ),
    (
        "performance",
        include_str!("../templates/personas/performance.md"),
    ),
    (
        "security",
        include_str!("../templates/personas/security.md"),
    ),
    (
        "team-standards",
        include_str!("../templates/personas/team-standards.md"),
    ),
];
const TYPESCRIPT: &str = include_str!("../templates/rules/typescript.yml");
const JAVASCRIPT: &str = include_str!("../templates/rules/javascript.yml");
const WEB: &str = include_str!("../templates/rules/web.yml");
const REACT: &str = include_str!("../templates/rules/react.yml");
const RUST: &str = include_str!("../templates/rules/rust.yml");
const PYTHON: &str = include_str!("../templates/rules/python.yml");
const GO: &str = include_str!("../templates/rules/go.yml");
const JAVA: &str = include_str!("../templates/rules/java.yml");
const STRUCTURE: &str = include_str!("../templates/rules/structure.yml");

/// Where the hub goes when the repository has its own AGENTS.md.
pub const HUB_BESIDE: &str = ".harness/AGENTS.md";

/// The path of the first decision record.
pub const ADR_PATH: &str = "docs/adr/0001-record-architecture-decisions.md";

/// Every file `harness init` would write for `project`, whether or not it exists yet.
pub fn plan(project: &Project) -> Vec<Planned> {
    let mut files = vec![
        planned("harness.toml", config(project)),
        // Beside the repository's own hub, never over it: the user merges or imports it.
        planned(
            if project.agents_md {
                HUB_BESIDE
            } else {
                "AGENTS.md"
            },
            agents(project),
        ),
    ];
    for (file, template) in rule_templates(project) {
        // A file whose every rule id is taken stays in the plan, empty, so that it is reported.
        let (text, skipped_ids) = without_ids(&template, project);
        files.push(Planned {
            path: format!(".harness/rules/{file}"),
            text,
            skipped_ids,
        });
    }
    let applies_to = quoted(&applies_to(project));
    for (name, template) in PERSONAS {
        files.push(planned(
            &format!(".harness/personas/{name}.md"),
            template.replace("{{APPLIES_TO}}", &applies_to),
        ));
    }
    files.push(planned(ADR_PATH, ADR.to_owned()));
    files
}

fn planned(path: &str, text: String) -> Planned {
    Planned {
        path: path.to_owned(),
        text,
        skipped_ids: Vec::new(),
    }
}

fn rule_templates(project: &Project) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let web = project.has(Language::TypeScript) || project.has(Language::JavaScript);
    if project.has(Language::TypeScript) {
        out.push(("typescript.yml", TYPESCRIPT.to_owned()));
    }
    if project.has(Language::JavaScript) {
        out.push(("javascript.yml", JAVASCRIPT.to_owned()));
    }
    if web {
        out.push(("web.yml", WEB.to_owned()));
    }
    if project.react && !project.component_dirs.is_empty() {
        let globs: Vec<String> = project
            .component_dirs
            .iter()
            .flat_map(|d| [format!("{d}/**/*.tsx"), format!("{d}/**/*.jsx")])
            .collect();
        out.push((
            "react.yml",
            REACT.replace("{{COMPONENT_GLOBS}}", &quoted(&globs)),
        ));
    }
    for (language, template, file) in [
        (Language::Rust, RUST, "rust.yml"),
        (Language::Python, PYTHON, "python.yml"),
        (Language::Go, GO, "go.yml"),
        (Language::Java, JAVA, "java.yml"),
    ] {
        if project.has(language) {
            out.push((file, template.to_owned()));
        }
    }
    if !project.languages.is_empty() {
        let mut sources = Vec::new();
        let mut tests = Vec::new();
        for (language, _) in &project.languages {
            sources.extend(language.globs().iter().map(|g| (*g).to_owned()));
            for g in language.test_globs() {
                if !tests.iter().any(|t| t == g) {
                    tests.push((*g).to_owned());
                }
            }
        }
        let text = STRUCTURE
            .replace("{{SOURCE_GLOBS}}", &quoted(&sources))
            .replace("{{TEST_GLOBS}}", &quoted(&tests));
        out.push(("structure.yml", text));
    }
    out
}

/// `template`'s rule documents whose ids are not taken yet, and the ids that were.
fn without_ids(template: &str, project: &Project) -> (String, Vec<String>) {
    let mut kept = Vec::new();
    let mut skipped = Vec::new();
    for doc in template.split("\n---\n") {
        let id = doc
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .unwrap_or_default()
            .trim();
        if project.existing_rule_ids.contains(id) {
            skipped.push(id.to_owned());
        } else {
            kept.push(doc.trim_end_matches('\n'));
        }
    }
    if kept.is_empty() {
        return (String::new(), skipped);
    }
    (kept.join("\n---\n") + "\n", skipped)
}

fn config(project: &Project) -> String {
    let mut exclude: Vec<String> = Vec::new();
    for (language, _) in &project.languages {
        for g in language.generated_globs() {
            if !exclude.iter().any(|e| e == g) {
                exclude.push((*g).to_owned());
            }
        }
    }
    let sgconfig = if project.sgconfig {
        "\n[rules]\n# The ast-grep project here: its rules run in `harness check`, its tests in `harness test`.\nsgconfig = [\"sgconfig.yml\"]\n"
    } else {
        ""
    };
    CONFIG
        .replace("{{SGCONFIG}}", sgconfig)
        .replace("{{EXCLUDE}}", &quoted(&exclude))
}

fn agents(project: &Project) -> String {
    let test = project
        .test_command
        .as_ref()
        .map(|c| format!(" (`{c}`)"))
        .unwrap_or_default();
    let mut layout = String::new();
    if !project.languages.is_empty() {
        let names: Vec<String> = project
            .languages
            .iter()
            .map(|(l, _)| {
                if *l == Language::TypeScript && project.react {
                    "TypeScript (React)".to_owned()
                } else {
                    l.name().to_owned()
                }
            })
            .collect();
        let _ = writeln!(layout, "- Languages: {}.", names.join(", "));
    }
    if !project.source_dirs.is_empty() {
        let dirs: Vec<String> = project
            .source_dirs
            .iter()
            .map(|d| format!("`{d}/`"))
            .collect();
        let _ = writeln!(layout, "- Source code: {}.", dirs.join(", "));
    }
    let layout = if layout.is_empty() {
        String::new()
    } else {
        format!("\n\n## This repository\n\n{}", layout.trim_end())
    };
    AGENTS
        .replace("{{TEST_COMMAND}}", &test)
        .replace("{{LAYOUT}}", &layout)
        .trim_end()
        .to_owned()
        + "\n"
}

/// The globs personas apply to: the source folders and the source files at the root, else
/// everything.
fn applies_to(project: &Project) -> Vec<String> {
    let mut globs: Vec<String> = project
        .source_dirs
        .iter()
        .map(|d| format!("{d}/**"))
        .collect();
    // By name: a glob without a folder (`*.py`) would match at any depth, tests included.
    globs.extend(project.root_files.iter().cloned());
    if globs.is_empty() {
        globs.push("**".to_owned());
    }
    globs
}

/// A YAML flow list's items: JSON strings are valid YAML whatever they hold.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| serde_json::Value::from(s.as_str()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn paths(files: &[Planned]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn an_empty_repository_gets_the_hub_personas_and_first_decision() {
        let files = plan(&Project::default());
        assert_eq!(
            paths(&files),
            [
                "harness.toml",
                "AGENTS.md",
                ".harness/personas/reliability.md",
                ".harness/personas/performance.md",
                ".harness/personas/security.md",
                ".harness/personas/team-standards.md",
                ADR_PATH,
            ]
        );
        assert!(files[2].text.contains("applies_to: [\"**\"]"));
        assert!(!files.iter().any(|f| f.text.contains("{{")));
    }

    #[test]
    fn rules_follow_the_languages() {
        let project = Project {
            languages: vec![(Language::Python, 3), (Language::Rust, 1)],
            source_dirs: vec!["app".into()],
            root_files: vec!["main.py".into()],
            ..Project::default()
        };
        let files = plan(&project);
        let rules: Vec<&str> = paths(&files)
            .into_iter()
            .filter(|p| p.starts_with(".harness/rules/"))
            .collect();
        assert_eq!(
            rules,
            [
                ".harness/rules/rust.yml",
                ".harness/rules/python.yml",
                ".harness/rules/structure.yml"
            ]
        );
        let persona = &files
            .iter()
            .find(|f| f.path.ends_with("security.md"))
            .expect("persona")
            .text;
        assert!(
            persona.contains("applies_to: [\"app/**\", \"main.py\"]"),
            "{persona}"
        );
        assert!(!files.iter().any(|f| f.text.contains("{{")));
    }

    #[test]
    fn a_rule_whose_id_exists_is_left_out() {
        let project = Project {
            languages: vec![(Language::Go, 1), (Language::Java, 1)],
            existing_rule_ids: BTreeSet::from([
                "go-http-default-client".to_owned(),
                "java-system-out".to_owned(),
            ]),
            ..Project::default()
        };
        let files = plan(&project);
        let go = files
            .iter()
            .find(|f| f.path.ends_with("go.yml"))
            .expect("go rules");
        assert_eq!(
            (go.text.as_str(), &go.skipped_ids[..]),
            ("", &["go-http-default-client".to_owned()][..])
        );
        let java = files
            .iter()
            .find(|f| f.path.ends_with("java.yml"))
            .expect("java rules");
        assert_eq!(java.skipped_ids, ["java-system-out"]);
        assert!(java.text.contains("id: java-print-stack-trace"));
        assert!(!java.text.contains("id: java-system-out"));
        assert!(
            java.text.ends_with("E.printStackTrace()\n"),
            "{}",
            java.text
        );
    }
}
