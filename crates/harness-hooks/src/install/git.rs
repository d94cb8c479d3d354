//! git's pre-commit hook: a marked block that runs `harness check --staged`.
//!
//! The block goes right after the shebang, before the script's own lines, so that an `exit 0`
//! in them cannot skip it; the markers let uninstall take out exactly the block.

use super::InstallError;

pub const BEGIN: &str = "# >>> harness >>>";
pub const END: &str = "# <<< harness <<<";
/// What a pre-commit hook harness creates starts with.
pub const SHEBANG: &str = "#!/bin/sh\n";

/// Shells that can run the block.
const SHELLS: [&str; 7] = ["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"];

/// The block; `root_arg` (a shell word) is passed as `--root` when harness.toml is not at the
/// top of the work tree, where git runs hooks.
pub fn block(root_arg: Option<&str>) -> String {
    let root = root_arg.map(|r| format!(" --root {r}")).unwrap_or_default();
    format!(
        "{BEGIN}\n# Added by `harness install git`; `harness uninstall git` removes it.\nharness{root} check --staged || exit $?\n{END}\n"
    )
}

/// The pre-commit hook after install: a new script, or `before` with the block added after
/// its shebang (or the block replaced, when an older one is there).
pub fn install(before: Option<&str>, root_arg: Option<&str>) -> Result<String, InstallError> {
    let block = block(root_arg);
    let Some(text) = before.filter(|t| !t.is_empty()) else {
        return Ok(format!("{SHEBANG}{block}"));
    };
    if let Some((start, end)) = find_block(text)? {
        let mut out = text.to_owned();
        out.replace_range(start..end, &block);
        return Ok(out);
    }
    if !text.starts_with("#!") {
        // git runs a hook without a shebang with /bin/sh.
        return Ok(format!("{block}{text}"));
    }
    let first = text.lines().next().unwrap_or_default();
    let interpreter = interpreter(first);
    if !SHELLS.contains(&interpreter.as_str()) {
        return Err(InstallError::NotShell { interpreter });
    }
    Ok(match text.find('\n') {
        Some(i) => format!("{}{block}{}", &text[..=i], &text[i + 1..]),
        None => format!("{text}\n{block}"),
    })
}

/// The pre-commit hook after uninstall: `before` without the block; `None` (delete it) when
/// only the shebang harness wrote is left.
pub fn uninstall(before: &str) -> Result<Option<String>, InstallError> {
    let Some((start, end)) = find_block(before)? else {
        return Ok(Some(before.to_owned()));
    };
    let mut out = before.to_owned();
    out.replace_range(start..end, "");
    Ok((out != SHEBANG).then_some(out))
}

/// The byte range of the block, whole lines with their newlines.
fn find_block(text: &str) -> Result<Option<(usize, usize)>, InstallError> {
    let mut offset = 0;
    let mut start = None;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let end = offset + line.len();
        match (start, line.trim_end()) {
            (None, BEGIN) => start = Some((offset, n + 1)),
            (Some((s, _)), END) => return Ok(Some((s, end))),
            _ => {}
        }
        offset = end;
    }
    match start {
        Some((_, line)) => Err(InstallError::OpenBlock { line }),
        None => Ok(None),
    }
}

/// `#!/usr/bin/env bash -e` → `bash`.
fn interpreter(shebang: &str) -> String {
    let mut words = shebang.trim_start_matches("#!").split_whitespace();
    let program = words.next().unwrap_or_default();
    let name = program.rsplit('/').next().unwrap_or_default();
    if name == "env" {
        let next = words.find(|w| !w.starts_with('-')).unwrap_or_default();
        return next.rsplit('/').next().unwrap_or_default().to_owned();
    }
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_hook_is_a_shell_script_and_goes_away_again() {
        let text = install(None, None).unwrap();
        assert_eq!(
            text,
            "#!/bin/sh\n# >>> harness >>>\n# Added by `harness install git`; `harness uninstall git` removes it.\nharness check --staged || exit $?\n# <<< harness <<<\n"
        );
        assert_eq!(install(Some(&text), None).unwrap(), text);
        assert_eq!(uninstall(&text).unwrap(), None);
    }

    #[test]
    fn block_goes_after_the_shebang_of_an_existing_hook() {
        let before = "#!/usr/bin/env bash\nset -e\nnpm run lint\nexit 0\n";
        let after = install(Some(before), Some("sub")).unwrap();
        assert!(after.starts_with("#!/usr/bin/env bash\n# >>> harness >>>\n"));
        assert!(after.contains("harness --root sub check --staged || exit $?\n"));
        assert!(after.ends_with("# <<< harness <<<\nset -e\nnpm run lint\nexit 0\n"));
        assert_eq!(install(Some(&after), Some("sub")).unwrap(), after);
        assert_eq!(uninstall(&after).unwrap().as_deref(), Some(before));
        // Without a shebang git runs it with sh: the block goes first.
        let bare = "make lint\n";
        let after = install(Some(bare), None).unwrap();
        assert!(after.ends_with("# <<< harness <<<\nmake lint\n"));
        assert_eq!(uninstall(&after).unwrap().as_deref(), Some(bare));
    }

    #[test]
    fn an_older_block_is_replaced() {
        let before =
            "#!/bin/sh\n# >>> harness >>>\nharness check || exit 1\n# <<< harness <<<\necho hi\n";
        let after = install(Some(before), None).unwrap();
        assert_eq!(after, format!("#!/bin/sh\n{}echo hi\n", block(None)));
        assert_eq!(
            uninstall(&after).unwrap().as_deref(),
            Some("#!/bin/sh\necho hi\n")
        );
    }

    #[test]
    fn other_interpreters_and_broken_blocks_are_errors() {
        let err = install(Some("#!/usr/bin/env python3\nprint(1)\n"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the pre-commit hook is a `python3` script, not a shell script"
        );
        let err = uninstall("#!/bin/sh\necho\n# >>> harness >>>\nharness check\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the harness block that starts on line 3 has no end marker"
        );
        assert_eq!(interpreter("#!/bin/bash -e"), "bash");
        assert_eq!(interpreter("#!/usr/bin/env -S zsh -f"), "zsh");
    }
}
