//! Companion path templates for `require-file`, such as `{dir}/__snapshots__/{stem}.test.tsx.snap`.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Dir,
    Stem,
    Name,
    Ext,
    Path,
}

/// A parsed template. Stored as its source.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PathTemplate {
    pub source: String,
    parts: Vec<Part>,
}

impl TryFrom<String> for PathTemplate {
    type Error = String;

    fn try_from(source: String) -> Result<PathTemplate, String> {
        PathTemplate::parse(&source)
    }
}

impl From<PathTemplate> for String {
    fn from(t: PathTemplate) -> String {
        t.source
    }
}

impl PathTemplate {
    pub fn parse(source: &str) -> Result<PathTemplate, String> {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| "a `{` is never closed".to_owned())?;
            parts.push(match &after[..close] {
                "dir" => Part::Dir,
                "stem" => Part::Stem,
                "name" => Part::Name,
                "ext" => Part::Ext,
                "path" => Part::Path,
                other => return Err(format!("unknown placeholder `{{{other}}}`")),
            });
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err("a `}` has no matching `{`".to_owned());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(PathTemplate {
            source: source.to_owned(),
            parts,
        })
    }

    /// The companion path for `path` (repository-relative, `/`-separated).
    pub fn render(&self, path: &str) -> String {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) if !s.is_empty() => (s, e),
            _ => (name, ""),
        };
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Dir => out.push_str(dir),
                Part::Stem => out.push_str(stem),
                Part::Name => out.push_str(name),
                Part::Ext => out.push_str(ext),
                Part::Path => out.push_str(path),
            }
        }
        normalize(&out)
    }

    /// False when `path` cannot be one this template produces, judged by the literal text it
    /// starts and ends with: cheaper than compiling [`PathTemplate::reverse_regex`], which can
    /// only match such paths.
    pub fn may_produce(&self, path: &str) -> bool {
        let starts = match self.parts.first() {
            Some(Part::Text(t)) => path.starts_with(t.as_str()),
            _ => true,
        };
        let ends = match self.parts.last() {
            Some(Part::Text(t)) => path.ends_with(t.as_str()),
            _ => true,
        };
        starts && ends
    }

    /// A regex that matches the paths this template can produce, used to find which source a
    /// changed companion belongs to. Captures `dir` and `stem` when the template uses them.
    pub fn reverse_regex(&self) -> String {
        let mut re = String::from("^");
        let mut seen_dir = false;
        let mut seen_stem = false;
        for part in &self.parts {
            match part {
                Part::Text(t) => re.push_str(&regex::escape(t)),
                Part::Dir if !seen_dir => {
                    seen_dir = true;
                    re.push_str("(?P<dir>.*?)");
                }
                Part::Stem if !seen_stem => {
                    seen_stem = true;
                    re.push_str("(?P<stem>[^/]+)");
                }
                Part::Dir | Part::Path => re.push_str(".*?"),
                Part::Stem | Part::Name | Part::Ext => re.push_str("[^/]*?"),
            }
        }
        re.push('$');
        re
    }
}

/// Removes empty and `.` segments so `{dir}/x` works for files at the root.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders() {
        let t = PathTemplate::parse("{dir}/__snapshots__/{stem}.test.tsx.snap").unwrap();
        assert_eq!(
            t.render("src/components/Button.tsx"),
            "src/components/__snapshots__/Button.test.tsx.snap"
        );
        assert_eq!(t.render("Button.tsx"), "__snapshots__/Button.test.tsx.snap");
        let t = PathTemplate::parse("{dir}/{name}.md").unwrap();
        assert_eq!(t.render("a/b.rs"), "a/b.rs.md");
    }

    #[test]
    fn rejects_unknown_placeholder() {
        assert!(PathTemplate::parse("{dir}/{base}.x").is_err());
        assert!(PathTemplate::parse("{dir").is_err());
    }

    #[test]
    fn may_produce_only_paths_with_its_literal_ends() {
        for (template, path) in [
            ("{dir}/{stem}.test.tsx", "src/ui/Button.test.tsx"),
            ("{dir}/{stem}.test.tsx", "src/ui/Button.tsx"),
            ("tests/{stem}_test.py", "tests/a_test.py"),
            ("tests/{stem}_test.py", "src/tests/a_test.py"),
            ("docs/{path}.md", "docs/src/a.rs.md"),
            ("{dir}/{name}", "a/b"),
        ] {
            let t = PathTemplate::parse(template).unwrap();
            let re = regex::Regex::new(&t.reverse_regex()).unwrap();
            if re.is_match(path) {
                assert!(t.may_produce(path), "{template} on {path}");
            }
        }
        let t = PathTemplate::parse("{dir}/{stem}.test.tsx").unwrap();
        assert!(!t.may_produce("src/ui/Button.tsx"));
    }

    #[test]
    fn reverse_regex_recovers_dir_and_stem() {
        let t = PathTemplate::parse("{dir}/{stem}.test.tsx").unwrap();
        let re = regex::Regex::new(&t.reverse_regex()).unwrap();
        let c = re.captures("src/ui/Button.test.tsx").unwrap();
        assert_eq!(&c["dir"], "src/ui");
        assert_eq!(&c["stem"], "Button");
    }
}
