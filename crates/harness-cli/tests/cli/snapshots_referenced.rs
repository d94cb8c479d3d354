//! Every committed snapshot belongs to a test that still exists.

use std::path::Path;

#[test]
fn no_unreferenced_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(dir.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".snap") else {
            orphans.push(name);
            continue;
        };
        let mut parts = stem.splitn(3, "__");
        let (Some("cli"), Some(module), Some(test)) = (parts.next(), parts.next(), parts.next())
        else {
            orphans.push(name);
            continue;
        };
        let source = std::fs::read_to_string(dir.join(format!("{module}.rs"))).unwrap_or_default();
        let referenced =
            source.contains(&format!("fn {test}(")) || source.contains(&format!("\"{test}\""));
        if !referenced {
            orphans.push(name);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots without a test (delete them): {orphans:?}"
    );
}
