//! What a repository is made of: its languages, frameworks, source folders and test command,
//! read once from its files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Files looked at, at most: enough to tell the languages of a very large repository.
const MAX_FILES: usize = 200_000;

/// Folders that hold generated or vendored code, never the team's own.
const GENERATED: &[&str] = &[
    "node_modules",
    "target",
    "dist",
    "build",
    "out",
    "coverage",
    "vendor",
    "venv",
    ".venv",
    "__pycache__",
    ".next",
    ".nuxt",
    ".tox",
];

/// Top-level folders that hold tests, docs or tooling rather than the product's source.
const NOT_SOURCE: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "e2e",
    "benches",
    "bench",
    "examples",
    "example",
    "docs",
    "doc",
    "scripts",
    "tools",
    "fixtures",
];

/// A language harness has starter rules for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    TypeScript,
    JavaScript,
    Rust,
    Python,
    Go,
    Java,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::TypeScript => "TypeScript",
            Language::JavaScript => "JavaScript",
            Language::Rust => "Rust",
            Language::Python => "Python",
            Language::Go => "Go",
            Language::Java => "Java",
        }
    }

    fn of_extension(ext: &str) -> Option<Language> {
        Some(match ext {
            "ts" | "tsx" | "mts" | "cts" => Language::TypeScript,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "rs" => Language::Rust,
            "py" => Language::Python,
            "go" => Language::Go,
            "java" => Language::Java,
            _ => return None,
        })
    }

    /// Globs of this language's source files.
    pub fn globs(self) -> &'static [&'static str] {
        match self {
            Language::TypeScript => &["**/*.ts", "**/*.tsx"],
            Language::JavaScript => &["**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"],
            Language::Rust => &["**/*.rs"],
            Language::Python => &["**/*.py"],
            Language::Go => &["**/*.go"],
            Language::Java => &["**/*.java"],
        }
    }

    /// Globs of this language's test files, by the conventions of its usual tools.
    pub fn test_globs(self) -> &'static [&'static str] {
        match self {
            Language::TypeScript | Language::JavaScript => {
                &["**/*.test.*", "**/*.spec.*", "**/__tests__/**"]
            }
            Language::Rust => &["**/tests/**", "**/benches/**"],
            Language::Python => &["**/tests/**", "**/test_*.py", "**/*_test.py"],
            Language::Go => &["**/*_test.go"],
            Language::Java => &["**/src/test/**"],
        }
    }

    /// Globs of this language's generated or vendored code.
    pub fn generated_globs(self) -> &'static [&'static str] {
        match self {
            Language::TypeScript | Language::JavaScript => &[
                "**/node_modules/**",
                "**/dist/**",
                "**/build/**",
                "**/coverage/**",
                "**/*.min.js",
            ],
            Language::Rust => &["**/target/**"],
            Language::Python => &["**/.venv/**", "**/venv/**", "**/__pycache__/**"],
            Language::Go => &["**/vendor/**"],
            Language::Java => &["**/target/**", "**/build/**"],
        }
    }
}

/// What `harness init` learned about a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// Languages with their file counts, most files first.
    pub languages: Vec<(Language, usize)>,
    /// A `package.json` (the root's or a workspace package's) depends on React, and there are
    /// `.tsx` or `.jsx` files.
    pub react: bool,
    /// Folders named `components` that hold `.tsx` files, repository-relative.
    pub component_dirs: Vec<String>,
    /// Top-level folders holding source code (not tests, docs or tooling).
    pub source_dirs: Vec<String>,
    /// Source files directly at the root (`main.py`, `vite.config.ts`), by name, sorted.
    pub root_files: Vec<String>,
    /// How the project runs its tests, when its manifest says.
    pub test_command: Option<String>,
    /// An ast-grep project file (`sgconfig.yml`) is at the root.
    pub sgconfig: bool,
    /// Rule ids already defined under `.harness/rules/` or in an ast-grep project's rules.
    pub existing_rule_ids: BTreeSet<String>,
    /// The repository had its own AGENTS.md before harness was set up (no harness.toml yet).
    pub agents_md: bool,
}

impl Project {
    pub fn has(&self, language: Language) -> bool {
        self.languages.iter().any(|(l, _)| *l == language)
    }
}

/// Reads what `root` is made of. Unreadable files and folders are passed over.
pub fn scan(root: &Path) -> Project {
    let mut counts: BTreeMap<Language, usize> = BTreeMap::new();
    let mut tsx = false;
    let mut source_dirs = BTreeSet::new();
    let mut root_files = BTreeSet::new();
    let mut component_dirs = BTreeSet::new();
    let mut react_dependency = false;
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .parents(false)
        .require_git(false)
        .filter_entry(|e| {
            let generated = e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| GENERATED.contains(&n));
            !generated
        })
        .build();
    for entry in walker.flatten().take(MAX_FILES) {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        // The root's or a workspace package's (`apps/web/package.json`).
        if entry.file_name() == "package.json"
            && !react_dependency
            && entry.file_type().is_some_and(|t| t.is_file())
        {
            react_dependency = depends_on(read_json(entry.path()).as_ref(), "react");
        }
        let Some(language) = rel
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Language::of_extension)
        else {
            continue;
        };
        *counts.entry(language).or_default() += 1;
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        let is_tsx = rel.extension().is_some_and(|e| e == "tsx" || e == "jsx");
        tsx |= is_tsx;
        // A name a glob would read as a pattern (`[slug].tsx`) counts, but is never written
        // into a glob.
        match parts.as_slice() {
            [file] if plain(file) => {
                root_files.insert((*file).to_owned());
            }
            [top, _, ..] if plain(top) && !NOT_SOURCE.contains(top) => {
                source_dirs.insert((*top).to_owned());
            }
            _ => {}
        }
        if is_tsx
            && let Some(i) = parts.iter().position(|p| *p == "components")
            && parts[..=i].iter().all(|p| plain(p))
        {
            component_dirs.insert(parts[..=i].join("/"));
        }
    }
    let mut languages: Vec<(Language, usize)> = counts.into_iter().collect();
    languages.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let package = read_json(&root.join("package.json"));
    let react = tsx && react_dependency;
    Project {
        languages,
        react,
        component_dirs: if react {
            component_dirs.into_iter().collect()
        } else {
            Vec::new()
        },
        source_dirs: source_dirs.into_iter().collect(),
        root_files: root_files.into_iter().collect(),
        test_command: test_command(root, package.as_ref()),
        sgconfig: root.join("sgconfig.yml").is_file(),
        existing_rule_ids: existing_rule_ids(root),
        agents_md: root.join("AGENTS.md").symlink_metadata().is_ok()
            && !root.join("harness.toml").exists(),
    }
}

/// The `ruleDirs` of the ast-grep project at `root`, in either YAML form; none when there is
/// no `sgconfig.yml` or it does not parse (`harness check` then says why).
fn sgconfig_rule_dirs(root: &Path) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct SgConfig {
        #[serde(default, rename = "ruleDirs")]
        rule_dirs: Vec<String>,
    }
    std::fs::read_to_string(root.join("sgconfig.yml"))
        .ok()
        .and_then(|text| serde_saphyr::from_str::<SgConfig>(&text).ok())
        .map(|c| c.rule_dirs)
        .unwrap_or_default()
}

/// A file or folder name that means itself in a glob.
fn plain(name: &str) -> bool {
    !name
        .chars()
        .any(|c| c.is_control() || "*?[]{}\\!,\"".contains(c))
}

fn read_json(path: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn depends_on(package: Option<&serde_json::Value>, name: &str) -> bool {
    let Some(package) = package else {
        return false;
    };
    ["dependencies", "devDependencies", "peerDependencies"]
        .iter()
        .any(|section| package.get(section).and_then(|d| d.get(name)).is_some())
}

fn test_command(root: &Path, package: Option<&serde_json::Value>) -> Option<String> {
    if package
        .and_then(|p| p.pointer("/scripts/test"))
        .is_some_and(serde_json::Value::is_string)
    {
        let runner = if root.join("pnpm-lock.yaml").is_file() {
            "pnpm test"
        } else if root.join("yarn.lock").is_file() {
            "yarn test"
        } else if root.join("bun.lockb").is_file() || root.join("bun.lock").is_file() {
            "bun test"
        } else {
            "npm test"
        };
        return Some(runner.to_owned());
    }
    let exists = |name: &str| root.join(name).is_file();
    let command = if exists("Cargo.toml") {
        "cargo test"
    } else if exists("go.mod") {
        "go test ./..."
    } else if exists("pyproject.toml") || exists("pytest.ini") || exists("setup.cfg") {
        "pytest"
    } else if exists("pom.xml") {
        "mvn test"
    } else if exists("gradlew") {
        "./gradlew test"
    } else {
        return None;
    };
    Some(command.to_owned())
}

/// The `id:` of every rule document under `.harness/rules/` and in the rule folders of an
/// ast-grep project (`sgconfig.yml` `ruleDirs`), each rule file read line by line so that a broken one still
/// gives its ids.
fn existing_rule_ids(root: &Path) -> BTreeSet<String> {
    let mut dirs = vec![root.join(".harness/rules")];
    // Relative folders inside the repository only: the walk below reads every file in them.
    dirs.extend(
        sgconfig_rule_dirs(root)
            .into_iter()
            .filter(|d| {
                let d = Path::new(d);
                d.is_relative()
                    && d.components().all(|c| {
                        matches!(
                            c,
                            std::path::Component::Normal(_) | std::path::Component::CurDir
                        )
                    })
            })
            .map(|d| root.join(d)),
    );
    let mut ids = BTreeSet::new();
    for dir in dirs {
        for entry in ignore::WalkBuilder::new(&dir)
            .standard_filters(false)
            .build()
            .flatten()
        {
            let is_yaml = entry
                .path()
                .extension()
                .is_some_and(|e| e == "yml" || e == "yaml");
            if !is_yaml {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for line in text.lines() {
                if let Some(id) = line.strip_prefix("id:") {
                    let id = id.split('#').next().unwrap_or_default().trim();
                    ids.insert(id.trim_matches(['"', '\'']).to_owned());
                }
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn languages_folders_and_frameworks() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(
            root,
            "package.json",
            r#"{"dependencies":{"react":"19"},"scripts":{"test":"vitest"}}"#,
        );
        write(root, "pnpm-lock.yaml", "");
        write(root, "src/components/Button.tsx", "");
        write(root, "src/api/client.ts", "");
        write(root, "src/api/client.test.ts", "");
        write(root, "tests/e2e.spec.ts", "");
        write(root, "node_modules/react/index.js", "");
        write(root, "vite.config.js", "");
        write(root, "we\"ird/[draft].ts", "");
        write(
            root,
            "sgconfig.yml",
            "ruleDirs: [lint/rules, ../outside, /etc]  # flow form\nutilDirs: [lint/utils]\n",
        );
        write(
            root,
            "lint/rules/a.yml",
            "id: from-ast-grep\nlanguage: ts\n",
        );
        write(
            root,
            ".harness/rules/own.yml",
            "id: mine\n---\nid: \"theirs\" # note\n",
        );
        let p = scan(root);
        assert_eq!(
            p.languages,
            [(Language::TypeScript, 5), (Language::JavaScript, 1)]
        );
        assert!(p.react);
        assert_eq!(p.component_dirs, ["src/components"]);
        assert_eq!(p.source_dirs, ["src"]);
        assert_eq!(p.root_files, ["vite.config.js"]);
        assert_eq!(p.test_command.as_deref(), Some("pnpm test"));
        assert_eq!(
            p.existing_rule_ids,
            BTreeSet::from([
                "from-ast-grep".to_owned(),
                "mine".to_owned(),
                "theirs".to_owned()
            ])
        );
    }

    #[test]
    fn react_in_a_workspace_package() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(root, "package.json", r#"{"workspaces":["apps/*"]}"#);
        write(
            root,
            "apps/web/package.json",
            r#"{"dependencies":{"react":"19"}}"#,
        );
        write(root, "apps/web/src/components/Card.jsx", "");
        let p = scan(root);
        assert!(p.react);
        assert_eq!(p.component_dirs, ["apps/web/src/components"]);
    }

    #[test]
    fn an_empty_folder_has_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(scan(dir.path()), Project::default());
    }
}
