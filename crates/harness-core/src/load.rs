//! Finding and loading the knowledge base of a repository.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::{CONFIG_FILE, Config};
use crate::error::{ConfigError, LoadError, SourceLocation};
use crate::glob::Globs;
use crate::guidance::{self, Guidance, GuidanceKind};
use crate::parse_cache::{GUIDANCE_CACHE_FILE, ParseCache, RULES_CACHE_FILE};
use crate::rule::{Rule, check_language, parse_rule_file, relative};
use crate::yaml;

/// ast-grep's project file.
pub const SGCONFIG_FILE: &str = "sgconfig.yml";

/// Everything harness knows about a repository's guardrails.
#[derive(Clone, Debug)]
pub struct KnowledgeBase {
    /// The repository root: where `harness.toml` (or `sgconfig.yml`) is.
    pub root: PathBuf,
    pub config: Config,
    pub rules: Vec<Rule>,
    /// ast-grep utility rules shared by every rule (`utilDirs`).
    pub utils: Vec<UtilRule>,
    /// ast-grep rule-test directories (`testConfigs`), absolute.
    pub test_dirs: Vec<PathBuf>,
    /// Extra file globs per language (`languageGlobs`).
    pub language_globs: Vec<(String, Globs)>,
    /// Hash of every rule file, the harness version and this machine's [`crate::salt`]: caches
    /// keyed on it are dropped when any rule changes, and never read on another machine.
    pub digest: u64,
}

/// Loads the personas, decisions and journeys under `root`, in path order. Separate from
/// [`load`]: `check` does not read them, so a broken decision record never fails a check.
/// Documents whose text has not changed since a load by this binary come from a cache under
/// `.harness/state/`, as rule files do.
pub fn load_guidance(root: &Path) -> Result<Vec<Guidance>, LoadError> {
    let mut loader = Loader::new(root);
    let mut cache = ParseCache::open(root, GUIDANCE_CACHE_FILE);
    let guidance = loader.guidance(&mut cache);
    if loader.errors.is_empty() {
        cache.save(guidance.iter());
        Ok(guidance)
    } else {
        Err(LoadError {
            errors: loader.errors,
        })
    }
}

/// The largest persona, decision or journey read.
const MAX_GUIDANCE_BYTES: u64 = 256 * 1024;

/// Where guidance documents live, relative to the root, and what they are.
pub const GUIDANCE_DIRS: &[(&str, GuidanceKind)] = &[
    (".harness/personas", GuidanceKind::Persona),
    ("docs/adr", GuidanceKind::Adr),
    ("docs/journeys", GuidanceKind::Journey),
];

/// A global ast-grep utility rule, kept as data.
#[derive(Clone, Debug)]
pub struct UtilRule {
    pub id: String,
    pub language: String,
    pub config: serde_json::Value,
    pub location: SourceLocation,
}

impl KnowledgeBase {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The nearest directory at or above `start` that holds `harness.toml` or `sgconfig.yml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file() || dir.join(SGCONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Loads the knowledge base rooted at `root`, reporting every problem found. A rule file whose
/// text has not changed since a load by this binary is read from the rule cache under
/// `.harness/state/` rather than parsed.
pub fn load(root: &Path) -> Result<KnowledgeBase, LoadError> {
    let mut loader = Loader::new(root);
    loader.cache = Some(ParseCache::open(root, RULES_CACHE_FILE));
    loader.digest.update(env!("CARGO_PKG_VERSION").as_bytes());
    loader.digest.update(&crate::salt::salt().to_le_bytes());
    let config_path = root.join(CONFIG_FILE);
    let config = if config_path.is_file() {
        let text = loader.read(&config_path)?;
        let config = Config::parse(&text, Path::new(CONFIG_FILE))?;
        let files = expand(root, &config.rules.files);
        for file in files {
            loader.rule_file(&file);
        }
        for sg in &config.rules.sgconfig {
            loader.sgconfig(&root.join(sg));
        }
        config
    } else if root.join(SGCONFIG_FILE).is_file() {
        loader.sgconfig(&root.join(SGCONFIG_FILE));
        Config::default()
    } else {
        return Err(ConfigError::new(
            format!("no {CONFIG_FILE} or {SGCONFIG_FILE} in {}", root.display()),
            None,
            format!("create {CONFIG_FILE} at the repository root (an empty file is a valid start)"),
        )
        .into());
    };
    if !loader.errors.is_empty() {
        return Err(LoadError {
            errors: loader.errors,
        });
    }
    let counted: usize = loader.rules_per_file.iter().sum();
    if let Some(cache) = loader.cache.take()
        && counted == loader.rules.len()
    {
        let mut rest = loader.rules.as_slice();
        let per_file = loader.rules_per_file.iter().map(|&n| {
            let (mine, after) = rest.split_at(n);
            rest = after;
            mine
        });
        cache.save(per_file);
    }
    Ok(KnowledgeBase {
        root: root.to_path_buf(),
        config,
        rules: loader.rules,
        utils: loader.utils,
        test_dirs: loader.test_dirs,
        language_globs: loader.language_globs,
        digest: loader.digest.digest(),
    })
}

struct Loader {
    root: PathBuf,
    errors: Vec<ConfigError>,
    rules: Vec<Rule>,
    utils: Vec<UtilRule>,
    test_dirs: Vec<PathBuf>,
    language_globs: Vec<(String, Globs)>,
    ids: HashMap<String, SourceLocation>,
    digest: xxhash_rust::xxh3::Xxh3,
    /// Rules parsed by an earlier load; only [`load`] uses it.
    cache: Option<ParseCache<Vec<Rule>>>,
    /// How many rules each rule file loaded held, in order.
    rules_per_file: Vec<usize>,
}

impl Loader {
    fn new(root: &Path) -> Loader {
        Loader {
            root: root.to_path_buf(),
            errors: Vec::new(),
            rules: Vec::new(),
            utils: Vec::new(),
            test_dirs: Vec::new(),
            language_globs: Vec::new(),
            ids: HashMap::new(),
            digest: xxhash_rust::xxh3::Xxh3::new(),
            cache: None,
            rules_per_file: Vec::new(),
        }
    }

    fn display(&self, path: &Path) -> PathBuf {
        relative(&self.root, path)
    }

    fn read(&mut self, path: &Path) -> Result<String, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(
                format!("cannot read {}: {e}", self.display(path).display()),
                None,
                "check that the file exists, is readable and is UTF-8",
            )
        })?;
        self.digest.update(path.as_os_str().as_encoded_bytes());
        self.digest.update(text.as_bytes());
        Ok(text)
    }

    /// Loads every guidance document. They do not change what `check` finds, so they are not
    /// part of the digest.
    fn guidance(&mut self, cache: &mut ParseCache<Guidance>) -> Vec<Guidance> {
        let mut out = Vec::new();
        for (dir, kind) in GUIDANCE_DIRS {
            let entries = match std::fs::read_dir(self.root.join(dir)) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => {
                    self.errors.push(ConfigError::new(
                        format!("cannot read the folder {dir}: {e}"),
                        None,
                        "make it a readable folder, or remove it",
                    ));
                    continue;
                }
            };
            // Symbolic links are not followed: a document must live in the repository.
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| is_guidance_file(p))
                .collect();
            files.sort();
            for path in files {
                if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_GUIDANCE_BYTES) {
                    self.errors.push(ConfigError::new(
                        format!(
                            "{} is over {} KiB",
                            self.display(&path).display(),
                            MAX_GUIDANCE_BYTES / 1024
                        ),
                        None,
                        "guidance is read on every agent edit: keep the document short and link to the rest",
                    ));
                    continue;
                }
                let text = match std::fs::read_to_string(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        self.errors.push(ConfigError::new(
                            format!("cannot read {}: {e}", self.display(&path).display()),
                            None,
                            "check that the file is readable and is UTF-8",
                        ));
                        continue;
                    }
                };
                let shown = self.display(&path);
                let rel = shown.to_string_lossy().replace('\\', "/");
                match cache.get(&shown, &text, || {
                    guidance::parse(*kind, &text, &rel, &shown)
                }) {
                    Ok(g) => out.push(g),
                    Err(errors) => self.errors.extend(errors),
                }
            }
        }
        out
    }

    fn rule_file(&mut self, path: &Path) {
        let text = match self.read(path) {
            Ok(t) => t,
            Err(e) => return self.errors.push(e),
        };
        let shown = self.display(path);
        let parsed = match self.cache.as_mut() {
            Some(cache) => cache.get(&shown, &text, || parse_rule_file(&text, &shown)),
            None => parse_rule_file(&text, &shown),
        };
        match parsed {
            Ok(rules) => {
                self.rules_per_file.push(rules.len());
                for rule in rules {
                    if let Some(first) = self.ids.get(&rule.id) {
                        self.errors.push(ConfigError::new(
                            format!("duplicate rule id `{}`", rule.id),
                            Some(rule.origin.clone()),
                            format!(
                                "rename one of them; `{}` is first defined at {first}",
                                rule.id
                            ),
                        ));
                        continue;
                    }
                    self.ids.insert(rule.id.clone(), rule.origin.clone());
                    self.rules.push(rule);
                }
            }
            Err(errs) => self.errors.extend(errs),
        }
    }

    fn sgconfig(&mut self, path: &Path) {
        let text = match self.read(path) {
            Ok(t) => t,
            Err(e) => return self.errors.push(e),
        };
        let shown = self.display(path);
        let doc = yaml::Document {
            text: &text,
            line_offset: 0,
        };
        let sg: SgConfig = match yaml::from_document(
            &doc,
            &shown,
            "sgconfig.yml keys are ruleDirs, testConfigs, utilDirs and languageGlobs",
        ) {
            Ok(sg) => sg,
            Err(e) => return self.errors.push(e),
        };
        if let Some(custom) = sg.custom_languages.or(sg.language_injections) {
            self.errors.push(ConfigError::new(
                "sgconfig.yml: customLanguages and languageInjections are not supported",
                yaml::location(&shown, custom.referenced, 0),
                "remove them, or keep those rules in a separate ast-grep project",
            ));
        }
        let base = path.parent().unwrap_or(&self.root).to_path_buf();
        for dir in &sg.rule_dirs {
            for file in yaml_files(&base.join(dir)) {
                self.rule_file(&file);
            }
        }
        for dir in sg.util_dirs.iter().flatten() {
            for file in yaml_files(&base.join(dir)) {
                self.util_file(&file);
            }
        }
        for t in sg.test_configs.iter().flatten() {
            self.test_dirs.push(base.join(&t.test_dir));
        }
        for (lang, globs) in sg.language_globs.unwrap_or_default() {
            if let Err(e) = check_language(&lang, Some(SourceLocation::new(&shown, 1, 1))) {
                self.errors.push(e);
                continue;
            }
            match Globs::new(&globs) {
                Ok(g) => self.language_globs.push((lang, g)),
                Err((p, e)) => self.errors.push(ConfigError::new(
                    format!("invalid glob `{p}` in languageGlobs: {e}"),
                    crate::config::locate(&text, &p, &shown),
                    "fix the glob",
                )),
            }
        }
    }

    fn util_file(&mut self, path: &Path) {
        let text = match self.read(path) {
            Ok(t) => t,
            Err(e) => return self.errors.push(e),
        };
        let shown = self.display(path);
        for doc in yaml::documents(&text) {
            let util: Result<SerializableUtil, _> = yaml::from_document(
                &doc,
                &shown,
                "a utility rule has id, language, rule and optional constraints, utils, transform",
            );
            match util {
                Ok(u) => {
                    let location = yaml::location(&shown, u.id.referenced, doc.line_offset)
                        .unwrap_or_else(|| SourceLocation::new(&shown, doc.line_offset + 1, 1));
                    if let Err(e) = check_language(&u.language, Some(location.clone())) {
                        self.errors.push(e);
                        continue;
                    }
                    let mut config = serde_json::Map::new();
                    config.insert("id".into(), u.id.value.clone().into());
                    config.insert("language".into(), u.language.clone().into());
                    config.insert("rule".into(), u.rule);
                    for (k, v) in [
                        ("constraints", u.constraints),
                        ("utils", u.utils),
                        ("transform", u.transform),
                        ("arguments", u.arguments),
                    ] {
                        if let Some(v) = v {
                            config.insert(k.into(), v);
                        }
                    }
                    self.utils.push(UtilRule {
                        id: u.id.value,
                        language: u.language,
                        config: config.into(),
                        location,
                    });
                }
                Err(e) => self.errors.push(e),
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SgConfig {
    #[serde(default)]
    rule_dirs: Vec<String>,
    test_configs: Option<Vec<TestConfig>>,
    util_dirs: Option<Vec<String>>,
    language_globs: Option<HashMap<String, Vec<String>>>,
    custom_languages: Option<Spanned<serde_json::Value>>,
    language_injections: Option<Spanned<serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TestConfig {
    test_dir: String,
    #[allow(dead_code)]
    snapshot_dir: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SerializableUtil {
    id: Spanned<String>,
    language: String,
    rule: serde_json::Value,
    constraints: Option<serde_json::Value>,
    utils: Option<serde_json::Value>,
    transform: Option<serde_json::Value>,
    arguments: Option<serde_json::Value>,
}

/// A Markdown file that is a document, not the folder's index or template.
fn is_guidance_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        && !name.starts_with(['.', '_'])
        && !matches!(
            lower.as_str(),
            "readme.md" | "index.md" | "template.md" | "adr-template.md"
        )
        && !lower.ends_with("-template.md")
}

/// Every `.yml`/`.yaml` file under `dir`, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut |p| {
        if p.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(p.to_path_buf());
        }
    });
    out.sort();
    out
}

/// Files under `root` matching any of `patterns` (root-relative globs), sorted.
pub fn expand(root: &Path, patterns: &[String]) -> Vec<PathBuf> {
    let Ok(globs) = Globs::new(patterns) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut bases: Vec<PathBuf> = patterns
        .iter()
        .map(|p| root.join(literal_base(p)))
        .collect();
    bases.sort();
    bases.dedup();
    for base in bases {
        if base.is_file() {
            out.push(base);
            continue;
        }
        collect(&base, &mut |p| {
            if let Ok(rel) = p.strip_prefix(root)
                && globs.is_match(&rel.to_string_lossy().replace('\\', "/"))
            {
                out.push(p.to_path_buf());
            }
        });
    }
    out.sort();
    out.dedup();
    out
}

/// The directories of a glob before its first wildcard.
fn literal_base(pattern: &str) -> String {
    let mut base = Vec::new();
    for seg in pattern.trim_start_matches("./").split('/') {
        if seg.contains(['*', '?', '[', '{']) {
            break;
        }
        base.push(seg);
    }
    if base.len() == pattern.trim_start_matches("./").split('/').count() {
        return pattern.trim_start_matches("./").to_owned();
    }
    base.join("/")
}

/// Visits every regular file under `dir` without following symbolic links. Dependencies and
/// git's own folder are not searched, so a glob like `**/lcov.info` stays cheap.
fn collect(dir: &Path, visit: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for entry in entries {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() {
            if !matches!(entry.file_name().to_str(), Some("node_modules" | ".git")) {
                collect(&path, visit);
            }
        } else if ft.is_file() {
            visit(&path);
        }
    }
}
