//! A glob matcher that needs no compiling, for globs as [`super::compile`] builds them
//! (`literal_separator`, `backslash_escape`, case-sensitive).
//!
//! globset turns every glob into a regex, and building those automata was most of what a
//! short-lived `harness hook` spent loading fifty rules to ask about one path. This module
//! parses a glob into the tokens globset's parser would produce and matches them as globset's
//! regex does, over bytes: each token maps the set of path positions reached so far to the next
//! set, so a match costs tokens x path length, never backtracking. A glob it does not cover
//! (POSIX classes, non-ASCII classes, `**` inside braces, very long globs) is left to globset.

/// Longer globs are left to globset, so a glob that could overflow its size limits still fails
/// at load as before.
const MAX_LEN: usize = 256;

/// One glob, parsed.
#[derive(Clone, Debug)]
pub(super) struct Pattern {
    tokens: Vec<Token>,
}

#[derive(Clone, Debug)]
enum Token {
    Literal(Vec<u8>),
    /// `?`: one byte other than `/`.
    Any,
    /// `*`: any run of bytes without `/`.
    Star,
    /// `[...]`: one byte other than `/`, in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(u8, u8)>,
    },
    /// `**/` at the start: nothing, or anything that ends in `/`.
    RecursivePrefix,
    /// `/**` at the end: `/` then anything.
    RecursiveSuffix,
    /// `/**/` inside: `/`, or `/` anything `/`.
    RecursiveZeroOrMore,
    /// `{a,b}`: any branch. globset leaves empty branches out of its regex, so they never match.
    Alternates(Vec<Vec<Token>>),
}

/// Where a branch of tokens ended.
enum End {
    Eof,
    Comma,
    Close,
}

impl Pattern {
    /// `None` when the glob is one this module leaves to globset.
    pub(super) fn parse(glob: &str) -> Option<Pattern> {
        if glob.len() > MAX_LEN {
            return None;
        }
        let mut parser = Parser {
            chars: glob.chars().collect(),
            i: 0,
        };
        match parser.branch(false)? {
            (tokens, End::Eof) => Some(Pattern { tokens }),
            _ => None,
        }
    }

    pub(super) fn is_match(&self, path: &[u8]) -> bool {
        // globset's special case: a glob that is only `**` matches everything.
        if let [Token::RecursivePrefix] = self.tokens.as_slice() {
            return true;
        }
        // Most rules name a directory or an extension: reject on that before anything else.
        if let Some(Token::Literal(first)) = self.tokens.first()
            && !path.starts_with(first)
        {
            return false;
        }
        if let Some(Token::Literal(last)) = self.tokens.last()
            && !path.ends_with(last)
        {
            return false;
        }
        let mut at = vec![false; path.len() + 1];
        at[0] = true;
        run(&self.tokens, path, at)[path.len()]
    }
}

struct Parser {
    chars: Vec<char>,
    i: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    /// Tokens up to the end of the glob or, in braces, up to `,` or `}`; as globset's parser.
    fn branch(&mut self, nested: bool) -> Option<(Vec<Token>, End)> {
        let mut tokens = Vec::new();
        while let Some(c) = self.peek() {
            let prev = self.i.checked_sub(1).map(|j| self.chars[j]);
            self.i += 1;
            match c {
                '?' => tokens.push(Token::Any),
                '*' if self.peek() != Some('*') => tokens.push(Token::Star),
                '*' if nested => return None,
                '*' => {
                    self.i += 1;
                    self.double_star(&mut tokens, prev)?;
                }
                '[' => tokens.push(self.class()?),
                '{' => tokens.push(self.alternates()?),
                '}' if nested => return Some((tokens, End::Close)),
                ',' if nested => return Some((tokens, End::Comma)),
                '}' => return None,
                '\\' => {
                    let escaped = self.peek()?;
                    self.i += 1;
                    literal(&mut tokens, escaped);
                }
                c => literal(&mut tokens, c),
            }
        }
        (!nested).then_some((tokens, End::Eof))
    }

    /// `**`, just consumed; `prev` is the character before it.
    fn double_star(&mut self, tokens: &mut Vec<Token>, prev: Option<char>) -> Option<()> {
        let next = self.peek();
        if tokens.is_empty() {
            if next.is_none_or(|c| c == '/') {
                self.i += usize::from(next.is_some());
                tokens.push(Token::RecursivePrefix);
            } else {
                tokens.push(Token::Star);
            }
            return Some(());
        }
        if prev != Some('/') {
            // Not a whole path segment: globset reads it as `*` twice, the same as `*`.
            tokens.push(Token::Star);
            return Some(());
        }
        let is_suffix = match next {
            None => true,
            Some('/') => {
                self.i += 1;
                false
            }
            Some(_) => {
                tokens.push(Token::Star);
                return Some(());
            }
        };
        // The `/` before `**` is part of the recursive token, as in globset.
        let recursive = if is_suffix {
            Token::RecursiveSuffix
        } else {
            Token::RecursiveZeroOrMore
        };
        match tokens.pop()? {
            kept @ (Token::RecursivePrefix | Token::RecursiveSuffix) => tokens.push(kept),
            Token::RecursiveZeroOrMore => tokens.push(recursive),
            Token::Literal(mut bytes) if bytes.last() == Some(&b'/') => {
                bytes.pop();
                if !bytes.is_empty() {
                    tokens.push(Token::Literal(bytes));
                }
                tokens.push(recursive);
            }
            _ => return None,
        }
        Some(())
    }

    /// `[...]`, its `[` consumed.
    fn class(&mut self) -> Option<Token> {
        let negated = matches!(self.peek(), Some('!' | '^'));
        self.i += usize::from(negated);
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut first = true;
        let mut in_range = false;
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                ']' if !first => break,
                '-' if !first && !in_range => in_range = true,
                // A POSIX class such as `[[:alpha:]]`.
                '[' if self.peek() == Some(':') => return None,
                c if in_range => {
                    let last = ranges.last_mut()?;
                    if c < last.0 {
                        return None;
                    }
                    last.1 = c;
                    in_range = false;
                }
                c => ranges.push((c, c)),
            }
            first = false;
        }
        if in_range {
            ranges.push(('-', '-'));
        }
        let ranges = ranges
            .into_iter()
            .map(|(a, b)| Some((u8::try_from(a).ok()?, u8::try_from(b).ok()?)))
            .collect::<Option<Vec<_>>>()?;
        ranges
            .iter()
            .all(|(a, b)| a.is_ascii() && b.is_ascii())
            .then_some(Token::Class { negated, ranges })
    }

    /// `{a,b}`, its `{` consumed.
    fn alternates(&mut self) -> Option<Token> {
        let mut branches = Vec::new();
        loop {
            let (tokens, end) = self.branch(true)?;
            branches.push(tokens);
            match end {
                End::Comma => {}
                End::Close => return Some(Token::Alternates(branches)),
                End::Eof => return None,
            }
        }
    }
}

fn literal(tokens: &mut Vec<Token>, c: char) {
    let mut buf = [0; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    if let Some(Token::Literal(last)) = tokens.last_mut() {
        last.extend_from_slice(bytes);
    } else {
        tokens.push(Token::Literal(bytes.to_vec()));
    }
}

/// The positions of `path` reached after `tokens`, from the positions `at`.
fn run(tokens: &[Token], path: &[u8], mut at: Vec<bool>) -> Vec<bool> {
    for token in tokens {
        if !at.contains(&true) {
            break;
        }
        at = step(token, path, &at);
    }
    at
}

fn step(token: &Token, path: &[u8], at: &[bool]) -> Vec<bool> {
    let n = path.len();
    let mut next = vec![false; n + 1];
    let from = at.iter().enumerate().filter(|&(_, &on)| on).map(|(p, _)| p);
    let byte = |p: usize, ok: &dyn Fn(u8) -> bool| p < n && path[p] != b'/' && ok(path[p]);
    match token {
        Token::Literal(lit) => {
            for p in from {
                if path[p..].starts_with(lit) {
                    next[p + lit.len()] = true;
                }
            }
        }
        Token::Any => {
            for p in from.filter(|&p| byte(p, &|_| true)) {
                next[p + 1] = true;
            }
        }
        Token::Class { negated, ranges } => {
            let within = |b: u8| ranges.iter().any(|&(lo, hi)| lo <= b && b <= hi) != *negated;
            for p in from.filter(|&p| byte(p, &within)) {
                next[p + 1] = true;
            }
        }
        Token::Star => {
            for p in 0..=n {
                next[p] = at[p] || (p > 0 && next[p - 1] && path[p - 1] != b'/');
            }
        }
        Token::RecursivePrefix => {
            // `(?:/?|.*/)`: stay, or go past any later `/`.
            let mut reached = false;
            for p in 0..=n {
                reached |= at[p];
                next[p] |= at[p];
                if reached && p < n && path[p] == b'/' {
                    next[p + 1] = true;
                }
            }
        }
        Token::RecursiveZeroOrMore | Token::RecursiveSuffix => {
            // `(?:/|/.*/)` and `/.*`: from a `/`, past any `/` at or after it (or, for the
            // suffix, to anywhere after it).
            let suffix = matches!(token, Token::RecursiveSuffix);
            let mut reached = false;
            for p in 0..n {
                reached |= at[p] && path[p] == b'/';
                if reached && (suffix || path[p] == b'/') {
                    next[p + 1] = true;
                }
            }
        }
        Token::Alternates(branches) => {
            let mut any = false;
            for branch in branches.iter().filter(|b| !b.is_empty()) {
                any = true;
                let reached = run(branch, path, at.to_vec());
                for (slot, on) in next.iter_mut().zip(reached) {
                    *slot |= on;
                }
            }
            if !any {
                next.copy_from_slice(at);
            }
        }
    }
    next
}
