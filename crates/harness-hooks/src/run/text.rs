//! Text and path helpers for answers.

/// `text` cut to `limit` bytes at a line boundary, saying so: a last guard, since every text
/// is fitted before it gets here.
pub fn bound(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let note = "\n(cut to fit the agent's limit)\n";
    let mut end = limit.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').unwrap_or(end);
    format!("{}{note}", &text[..end])
}

pub fn join(a: Option<&str>, b: Option<&str>) -> Option<String> {
    match (a, b) {
        (None, None) => None,
        (Some(x), None) | (None, Some(x)) => Some(x.to_owned()),
        (Some(x), Some(y)) => Some(format!("{x}\n{y}")),
    }
}

pub use harness_core::path::relative;

/// A command as recorded: bounded, and with what looks like a secret masked.
pub fn redact(command: &str) -> String {
    const SECRET: [&str; 6] = ["token", "password", "passwd", "secret", "api_key", "apikey"];
    let secret = |s: &str| SECRET.iter().any(|k| s.replace('-', "_").contains(k));
    let mut out = Vec::new();
    let mut mask_next = false;
    for word in command.split(' ') {
        let bare = word.trim_matches(['\'', '"']).to_ascii_lowercase();
        if mask_next {
            out.push("***".to_owned());
            mask_next = false;
        } else if let Some((key, _)) = word
            .split_once('=')
            .filter(|(k, _)| secret(&k.to_ascii_lowercase()))
        {
            out.push(format!("{key}=***"));
        } else {
            mask_next =
                bare == "bearer" || bare == "basic" || (bare.starts_with('-') && secret(&bare));
            out.push(word.to_owned());
        }
    }
    let text = out.join(" ");
    if text.len() > 500 {
        let mut end = 500;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &text[..end])
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_commands_are_masked() {
        assert_eq!(
            redact("curl -H 'Authorization: Bearer abc' --token xyz API_KEY=123 https://x"),
            "curl -H 'Authorization: Bearer *** --token *** API_KEY=*** https://x"
        );
        assert_eq!(redact("git push --force"), "git push --force");
        assert!(redact(&"a ".repeat(400)).ends_with('…'));
    }

    #[test]
    fn bound_cuts_at_a_line_and_says_so() {
        let text = "line one\n".repeat(10);
        let cut = bound(&text, 60);
        assert!(cut.len() <= 60, "{cut}");
        assert!(cut.starts_with("line one\n") && cut.ends_with("(cut to fit the agent's limit)\n"));
    }
}
