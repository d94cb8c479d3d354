//! The files a Codex `apply_patch` patch touches.
//!
//! The patch format names each file on a header line: `*** Add File: <path>`,
//! `*** Update File: <path>` (optionally followed by `*** Move to: <path>`) and
//! `*** Delete File: <path>`, paths relative to the session's working directory.

use std::path::PathBuf;

const HEADERS: [&str; 4] = [
    "*** Add File: ",
    "*** Update File: ",
    "*** Delete File: ",
    "*** Move to: ",
];

/// Every path named in `patch`, in order, each once.
pub fn paths(patch: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for line in patch.lines() {
        let line = line.trim_end_matches('\r');
        for header in HEADERS {
            if let Some(named) = line.strip_prefix(header) {
                let file = PathBuf::from(named.trim());
                if !file.as_os_str().is_empty() && !out.contains(&file) {
                    out.push(file);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_names_a_path() {
        let patch = "*** Begin Patch\n*** Add File: src/new.ts\n+export const a = 1;\n\
                     *** Update File: src/old.ts\n*** Move to: src/moved.ts\n@@\n-x\n+y\n\
                     *** Delete File: src/gone.ts\n*** Update File: src/new.ts\n*** End Patch\n";
        let got: Vec<String> = paths(patch)
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            got,
            ["src/new.ts", "src/old.ts", "src/moved.ts", "src/gone.ts"]
        );
    }

    #[test]
    fn crlf_and_content_lines_that_look_like_headers() {
        let patch = "*** Begin Patch\r\n*** Add File: a.md\r\n+*** Add File: not-a-header\r\n*** End Patch\r\n";
        assert_eq!(paths(patch), [PathBuf::from("a.md")]);
    }

    #[test]
    fn no_headers_no_paths() {
        assert!(paths("echo hi").is_empty());
    }
}
