//! What a tool says when it cannot do what it was asked, and the checks on its arguments.

use std::path::Path;

/// A tool's answer when it cannot do what was asked, worded as the CLI words errors: the
/// problem, its location when there is one, and a `hint:` line with the next step.
#[derive(Debug)]
pub struct Refusal(String);

impl Refusal {
    pub fn new(title: &str, hint: &str) -> Refusal {
        Refusal(format!("error: {title}\nhint: {hint}"))
    }

    pub fn text(self) -> String {
        self.0
    }
}

impl From<harness_core::LoadError> for Refusal {
    fn from(e: harness_core::LoadError) -> Self {
        // Already `error: …`, `  --> file:line:col`, `hint: …` for each problem.
        Refusal(e.to_string().trim_end().to_owned())
    }
}

impl From<harness_check::CheckError> for Refusal {
    fn from(e: harness_check::CheckError) -> Self {
        use harness_check::CheckError as E;
        match e {
            E::Config(l) => l.into(),
            E::UnknownRule(id) => Refusal::new(
                &format!("unknown rule `{id}`"),
                "call `list_rules` for the rule ids",
            ),
            E::PathNotFound(p) => Refusal::new(
                &format!("path not found: {p}"),
                "pass files or directories that exist, relative to the repository root",
            ),
            E::Git(g) => Refusal::new(
                &g.to_string(),
                "`changed` needs a git repository and `git` on PATH; pass `paths` instead",
            ),
            E::Baseline(b) => Refusal::new(
                &b.to_string(),
                "fix or delete the baseline file, then run `harness baseline` again",
            ),
        }
    }
}

impl From<harness_store::StoreError> for Refusal {
    fn from(e: harness_store::StoreError) -> Self {
        Refusal::new(
            &e.to_string(),
            "check that .harness/state/ is writable; deleting that folder resets harness's state",
        )
    }
}

/// `path` (relative to `root`, or absolute) relative to `root`, `/`-separated; `.` for the root
/// itself. Paths outside the repository are refused.
pub fn inside(root: &Path, path: &str) -> Result<String, Refusal> {
    if path.trim().is_empty() {
        return Err(Refusal::new(
            "an empty path",
            "pass paths relative to the repository root, e.g. src/main.rs",
        ));
    }
    match harness_core::path::relative(root, root, Path::new(path)) {
        Some(rel) if rel.is_empty() => Ok(".".to_owned()),
        Some(rel) => Ok(rel),
        None => Err(Refusal::new(
            &format!("`{path}` is outside the repository at {}", root.display()),
            "pass paths relative to the repository root, or absolute paths inside it",
        )),
    }
}

/// Each of `paths` relative to `root`; the first one outside it is refused.
pub fn all_inside(root: &Path, paths: &[String]) -> Result<Vec<String>, Refusal> {
    paths.iter().map(|p| inside(root, p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_made_relative_to_the_root_and_kept_inside_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        assert_eq!(inside(root, "src/a.rs").expect("inside"), "src/a.rs");
        assert_eq!(inside(root, "./src/../b.rs").expect("inside"), "b.rs");
        assert_eq!(inside(root, ".").expect("inside"), ".");
        let abs = root.join("c.rs");
        assert_eq!(
            inside(root, &abs.to_string_lossy()).expect("inside"),
            "c.rs"
        );
        let outside = inside(root, "../elsewhere.rs").expect_err("outside").text();
        assert!(outside.starts_with("error: `../elsewhere.rs` is outside the repository"));
        assert!(outside.contains("\nhint: "));
        assert!(inside(root, "/etc/passwd").is_err());
        assert!(inside(root, " ").is_err());
    }
}
