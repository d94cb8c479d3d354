use super::*;

fn policy() -> ShellPolicy {
    ShellPolicy {
        builtin: true,
        protected: Globs::new(&[".git/**".to_owned(), "migrations/applied/**".to_owned()])
            .expect("globs"),
        deny: vec![(
            Regex::new(r"\bnpm\s+publish\b").expect("regex"),
            "publishing is done by CI".to_owned(),
        )],
    }
}

fn check(command: &str) -> Option<String> {
    let place = Place {
        root: Path::new("/repo"),
        cwd: Path::new("/repo/src"),
        home: Some(Path::new("/home/me")),
    };
    denied(command, &policy(), &place)
}

#[test]
fn force_pushes_are_denied_in_every_spelling() {
    for cmd in [
        "git push --force",
        "git push -f origin main",
        "git push origin +main",
        "git -C .. push -uf origin x",
        "/usr/bin/git push -f",
        "cd .. && git push --force=origin",
        "FOO=1 git push --force",
    ] {
        assert!(
            check(cmd).is_some_and(|r| r.contains("force-with-lease")),
            "{cmd}"
        );
    }
    for cmd in [
        "git push",
        "git push --force-with-lease",
        "git push origin main",
        "git fetch -f",
        "echo 'git push --force'",
    ] {
        assert_eq!(check(cmd), None, "{cmd}");
    }
}

#[test]
fn recursive_deletes_outside_the_repository_are_denied() {
    for cmd in [
        "rm -rf /",
        "rm -rf ../../etc",
        "rm -r -f ~/projects",
        "rm --recursive --force $HOME",
        "rm -rf $BUILD_DIR",
        "rm -rf ..",
        "sudo rm -Rf /var/lib",
        "true; rm -rf /tmp/x",
        "cd ~ && rm -rf .config",
        "cd .. && cd .. && rm -rf repo",
        "cd \"$D\" && rm -rf build",
        "/bin/rm -rf /",
        "sudo -u root rm -rf /etc",
        "timeout 10 rm -rf ../..",
        "bash -c 'rm -rf ~'",
        "find . | xargs rm -rf /",
    ] {
        assert!(check(cmd).is_some(), "{cmd}");
    }
    for cmd in [
        "rm -rf build",
        "rm -rf ../lib/tmp",
        "rm file.txt",
        "rm -f /tmp/x",
    ] {
        assert_eq!(check(cmd), None, "{cmd}");
    }
}

#[test]
fn writes_to_protected_paths_are_denied() {
    for cmd in [
        "echo x > ../.git/config",
        "echo x >> ../.git/hooks/pre-commit",
        "cat a | tee ../migrations/applied/001.sql",
        "cp a.sql ../migrations/applied/",
        "sed -i s/a/b/ ../migrations/applied/001.sql",
        "rm ../.git/index",
        "ln -sf x ../.git/hooks/pre-commit",
        "echo x 2>/dev/null >../.git/HEAD",
    ] {
        assert!(check(cmd).is_some_and(|r| r.contains("protected")), "{cmd}");
    }
    for cmd in [
        "cat ../.git/config",
        "git commit -m x",
        "echo x > out.txt",
        "echo x 2>&1",
        "cp ../.git/config backup",
    ] {
        assert_eq!(check(cmd), None, "{cmd}");
    }
}

#[test]
fn team_patterns_are_denied_with_their_reason() {
    assert_eq!(
        check("cd pkg && npm publish --tag next").as_deref(),
        Some("publishing is done by CI")
    );
}

#[test]
fn builtins_can_be_turned_off() {
    let mut p = policy();
    p.builtin = false;
    let place = Place {
        root: Path::new("/repo"),
        cwd: Path::new("/repo"),
        home: None,
    };
    assert_eq!(denied("git push --force", &p, &place), None);
}

#[test]
fn quotes_and_operators_split_like_a_shell() {
    let s = split("a 'b c' \"d \\\" e\" && f>g; h 2>&1 | i");
    let words: Vec<Vec<String>> = s.iter().map(|s| s.words.clone()).collect();
    assert_eq!(
        words,
        [
            vec!["a".to_owned(), "b c".to_owned(), "d \" e".to_owned()],
            vec!["f".to_owned()],
            vec!["h".to_owned()],
            vec!["i".to_owned()],
        ]
    );
    assert_eq!(s[1].redirects, ["g"]);
}
