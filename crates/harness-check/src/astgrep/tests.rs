use ast_grep_core::tree_sitter::LanguageExt;

use super::*;

const SAMPLES: &[(&str, &str)] = &[
    (
        "typescript",
        r#"
debugger;
var a = 1;
try { throw new Error("x"); } catch (e) { } finally {}
async function* g() { await p; yield 1; }
class C {}
for (let i = 0; i < 1; i++) {}
for (const k in o) {}
while (a) {}
do {} while (a);
switch (a) { default: }
if (a) {}
function f() { return a!; }
import x from "y";
const h = () => `t ${a}` as string;
const s = a satisfies number;
interface I {}
enum E { A }
"#,
    ),
    (
        "rust",
        r#"
use std::fmt;
mod m {}
struct S;
enum E { A }
trait T {}
impl T for S {}
static X: u8 = 1;
const Y: u8 = 2;
async fn f() -> Result<(), ()> {
let a = unsafe { g() };
println!("{a}");
match a { _ => {} }
loop { break; }
while false {}
for _ in 0..1 {}
if true {}
let c = |x: u8| x;
let b = async { 1 };
b.await;
h()?;
return Ok(());
}
"#,
    ),
    (
        "python",
        r"
import os
from a import b
global q
@dec
def f():
try:
    raise E()
except E:
    pass
with open(x) as y:
    pass
assert x
g = lambda: 1
for i in x:
    pass
while x:
    pass
if x:
    return 1
class C:
pass
",
    ),
    (
        "go",
        r#"
package main
import "fmt"
type T struct{}
func (t T) M() {}
func main() {
go f()
defer g()
h := func() {}
for {}
if x {}
select {}
return
}
"#,
    ),
    (
        "java",
        r"
import java.util.List;
interface I {}
class C {
void m() {
    try { throw new E(); } catch (E e) {}
    for (int i = 0; i < 1; i++) {}
    for (String s : l) {}
    while (x) {}
    if (x) {}
    synchronized (this) {}
    Runnable r = () -> {};
    return;
}
}
",
    ),
];

/// Every node of a kind in the prefilter's table holds the table's token, on real parses.
#[test]
fn prefilter_keywords_hold_on_real_parses() {
    for (name, code) in SAMPLES {
        let lang = parse_language(name).unwrap();
        let root = lang.ast_grep(code);
        for (kind, token) in prefilter::keyword_table(name) {
            let nodes: Vec<String> = root
                .root()
                .dfs()
                .filter(|n| n.kind() == *kind)
                .map(|n| n.text().into_owned())
                .collect();
            assert!(!nodes.is_empty(), "{name}: the sample has no `{kind}`");
            assert!(
                token.chars().all(char::is_alphanumeric),
                "{name}: `{token}` is not a keyword"
            );
            for text in nodes {
                assert!(
                    text.contains(token),
                    "{name}: `{kind}` node `{text}` lacks `{token}`"
                );
            }
        }
    }
}

fn compile_rules(configs: &[serde_json::Value]) -> AstRules {
    let matchers: Vec<AstMatcher> = configs
        .iter()
        .map(|c| AstMatcher {
            language: c["language"].as_str().expect("a language").to_owned(),
            config: c.clone(),
            rule_location: SourceLocation::new(Path::new("rules.yml"), 1, 1),
        })
        .collect();
    let refs: Vec<&AstMatcher> = matchers.iter().collect();
    let Ok(rules) = AstRules::compile(&refs, &[]) else {
        panic!("the rules do not compile")
    };
    rules
}

/// (rule, line, column) of every match, from a parse of the whole file.
fn full_scan(rules: &AstRules, lang: AstLanguage, text: &str) -> Vec<(usize, u32, u32)> {
    let root = lang.ast_grep(text);
    let mut out: Vec<(usize, u32, u32)> = Vec::new();
    for (i, config) in rules.configs.iter().enumerate() {
        for m in root.root().find_all(&config.matcher) {
            let node = m.get_node();
            out.push((
                i,
                to_u32(m.start_pos().line() + 1),
                to_u32(m.start_pos().column(node) + 1),
            ));
        }
    }
    out.sort_unstable();
    out
}

fn node_count(root: &Root<StrDoc<SupportLang>>) -> usize {
    root.root().dfs().count()
}

const RUST_FUNCTIONS: &str = r##"
use std::collections::HashMap;

/// Braces in strings, chars and comments must not confuse the body finder.
pub fn quiet_one(map: &HashMap<String, u32>) -> u32 {
let open = "{"; let close = '}'; let raw = r#"}}"#; // }
map.values().copied().sum::<u32>() + open.len() as u32 + raw.len() as u32 + close as u32
}

pub fn loud(value: Option<u32>) -> u32 {
let first = value.unwrap();
for item in 0..first { let _ = item.clone(); }
first
}

struct Counter { count: u32 }

impl Counter {
fn quiet_two(&mut self) -> u32 {
    self.count += 1; /* } */ let text = format!("{}", self.count);
    text.len() as u32 + self.count * 2 + self.count * 3 + self.count * 4
}

fn loud_two(&self) -> u32 { self.count.checked_add(1).unwrap() }
}

fn quiet_three<'a>(words: &'a [&'a str]) -> Vec<&'a str> {
words.iter().filter(|w| !w.is_empty()).copied().collect::<Vec<&'a str>>()
}
"##;

const TS_FUNCTIONS: &str = r#"
import { helper } from "./helper";

export async function quiet({ id }: { id: string }): Promise<{ name: string }> {
  const name = `user ${ { id }.id } }`; const re = /}/g;
  return { name: name.replace(re, "") + helper(id) + "}" };
}

export function loud(items: string[]): void {
  for (const item of items) { console.log(item); }
  if (items.length == 0) { return; }
}

export class Store {
  private items: Map<string, number> = new Map();
  quiet(key: string): number {
const value = this.items.get(key) ?? 0; this.items.set(key, value + 1);
return value * 2 + value * 3 + value * 4 + value * 5 + value * 6;
  }
  async loud(key: string) { await fetch(key).then((r) => r.json()); }
}
"#;

#[test]
fn parsing_in_part_finds_what_a_full_parse_finds() {
    let rules = compile_rules(&[
        serde_json::json!({"id": "unwrap", "language": "rust", "rule": {"pattern": "$X.unwrap()"}}),
        serde_json::json!({"id": "clone-in-loop", "language": "rust", "rule": {
            "pattern": "$X.clone()",
            "inside": {"any": [{"kind": "for_expression"}, {"kind": "loop_expression"}], "stopBy": "end"}}}),
        serde_json::json!({"id": "console", "language": "typescript", "rule": {"pattern": "console.log($$$A)"}}),
        serde_json::json!({"id": "loose", "language": "typescript", "rule": {"any": [{"pattern": "$A == $B"}, {"pattern": "$A != $B"}]}}),
        serde_json::json!({"id": "then", "language": "typescript", "rule": {
            "pattern": "$P.then($$$A)", "not": {"inside": {"kind": "await_expression", "stopBy": "end"}}}}),
    ]);
    for (lang, text, indices) in [
        (SupportLang::Rust, RUST_FUNCTIONS, vec![0, 1]),
        (SupportLang::TypeScript, TS_FUNCTIONS, vec![2, 3, 4]),
    ] {
        let partial = rules.parse(lang, text, &indices);
        assert!(
            node_count(&partial) < node_count(&lang.ast_grep(text)),
            "{lang}: no body was left out"
        );
        let mut ours: Vec<(usize, u32, u32)> = rules
            .scan(lang, text, &indices)
            .iter()
            .map(|m| (m.rule, m.span.line, m.span.column))
            .collect();
        ours.sort_unstable();
        assert_eq!(ours, full_scan(&rules, lang, text), "{lang}");
        assert!(!ours.is_empty());
    }
}

#[test]
fn rules_that_see_into_functions_parse_everything() {
    let rules = compile_rules(&[
        serde_json::json!({"id": "unwrap-outside-main", "language": "rust", "rule": {
        "pattern": "$X.unwrap()",
        "not": {"inside": {"kind": "function_item", "has": {"field": "name", "regex": "^main$"}, "stopBy": "end"}}}}),
    ]);
    assert!(rules.local[0].is_none());
    let parsed = rules.parse(SupportLang::Rust, RUST_FUNCTIONS, &[0]);
    assert_eq!(
        node_count(&parsed),
        node_count(&SupportLang::Rust.ast_grep(RUST_FUNCTIONS))
    );
}

#[test]
fn a_wrong_body_is_rejected() {
    let text = "const a = { one: 1, two: 2 };\nfunction f() { return 1; }\n";
    let open = text.find('{').unwrap();
    let close = text.find('}').unwrap();
    assert!(
        parse_in_part(
            SupportLang::TypeScript,
            Dialect::TypeScript,
            text,
            &[Body { open, close }]
        )
        .is_none()
    );
    let open = text.rfind('{').unwrap();
    let close = text.rfind('}').unwrap();
    assert!(
        parse_in_part(
            SupportLang::TypeScript,
            Dialect::TypeScript,
            text,
            &[Body { open, close }]
        )
        .is_some()
    );
    // A syntax error anywhere else means a full parse.
    let broken = format!("{text}const = ;\n");
    assert!(
        parse_in_part(
            SupportLang::TypeScript,
            Dialect::TypeScript,
            &broken,
            &[Body { open, close }]
        )
        .is_none()
    );
}
