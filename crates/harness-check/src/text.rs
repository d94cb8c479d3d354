//! Byte offsets to lines and columns, and comment syntax per file type.

/// Start offsets of every line of a text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (to_u32(line + 1), to_u32(col + 1))
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self.starts.get(i + 1).map_or(text.len(), |e| e - 1);
        text.get(start..end.max(start))
            .unwrap_or_default()
            .trim_end_matches('\r')
    }
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How comments are written in a file, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommentSyntax {
    pub line: &'static [&'static str],
    pub block: Option<(&'static str, &'static str)>,
}

const C_LIKE: CommentSyntax = CommentSyntax {
    line: &["//"],
    block: Some(("/*", "*/")),
};
const HASH: CommentSyntax = CommentSyntax {
    line: &["#"],
    block: None,
};

pub fn comment_syntax(path: &str) -> CommentSyntax {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "py" | "pyi" | "rb" | "sh" | "bash" | "zsh" | "yml" | "yaml" | "toml" | "r" | "pl"
        | "ex" | "exs" | "tf" | "nix" | "dockerfile" | "cfg" | "ini" | "conf" => HASH,
        "sql" | "lua" | "hs" => CommentSyntax {
            line: &["--"],
            block: None,
        },
        "html" | "htm" | "xml" | "md" | "markdown" => CommentSyntax {
            line: &[],
            block: Some(("<!--", "-->")),
        },
        _ => C_LIKE,
    }
}

/// Lines that hold code: not blank and not only a comment.
pub fn code_lines(text: &str, syntax: CommentSyntax) -> u32 {
    let mut count = 0u32;
    let mut in_block = false;
    for raw in text.lines() {
        let mut line = raw.trim();
        let mut has_code = false;
        loop {
            if in_block {
                let Some((_, close)) = syntax.block else {
                    break;
                };
                match line.find(close) {
                    Some(i) => {
                        in_block = false;
                        line = line[i + close.len()..].trim_start();
                    }
                    None => break,
                }
            }
            if line.is_empty() || syntax.line.iter().any(|p| line.starts_with(p)) {
                break;
            }
            if let Some((open, _)) = syntax.block
                && line.starts_with(open)
            {
                in_block = true;
                line = &line[open.len()..];
                continue;
            }
            has_code = true;
            break;
        }
        if has_code {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "ab\nçd x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, text.find('x').unwrap()), (2, 4));
        assert_eq!(idx.line_text(text, 2), "çd x");
    }

    #[test]
    fn code_lines_skip_comments_and_blanks() {
        let text = "// a\n\nlet x = 1; // c\n/* b\n still */\nlet y;\n";
        assert_eq!(code_lines(text, comment_syntax("a.ts")), 2);
        assert_eq!(code_lines("# c\nx = 1\n", comment_syntax("a.py")), 1);
    }
}
