use super::*;

/// The text of each body found, braces included.
fn bodies(dialect: Dialect, text: &str) -> Vec<String> {
    function_bodies(dialect, text)
        .iter()
        .map(|b| text[b.open..=b.close].to_owned())
        .collect()
}

#[test]
fn rust_item_functions_and_methods() {
    let src = r##"
#![allow(dead_code)]
use std::fmt;
#[cfg(test)]
mod tests {
#[test]
fn one() { let s = "}"; let c = '}'; let r = r#"}"#; }
}
struct S { f: fn() -> u8 }
impl<'a, T: Fn()> fmt::Display for S where T: Copy {
fn fmt(&self, f: &mut fmt::Formatter<'a>) -> fmt::Result { 'outer: loop { break 'outer; } Ok(()) }
const X: u8 = { 1 };
}
trait T { fn a(&self); fn b(&self) { /* } /* nested } */ */ } }
thread_local! { static X: u8 = 0; }
pub(crate) const unsafe fn c() -> u8 { b'}' }
extern "C" { fn ext(); }
static Y: S = S { f: g };
fn g() -> u8 { 1 }
"##;
    assert_eq!(
        bodies(Dialect::Rust, src),
        [
            r##"{ let s = "}"; let c = '}'; let r = r#"}"#; }"##,
            "{ 'outer: loop { break 'outer; } Ok(()) }",
            "{ /* } /* nested } */ */ }",
            "{ b'}' }",
            "{ 1 }",
        ]
    );
}

#[test]
fn typescript_functions_and_methods() {
    let src = r#"
import { a } from "./a";
export async function f({ x }: { x: number }): Promise<{ y: string }> { return `}${ { a: 1 }.a }`; }
function g(): { a: 1 } { const r = /}/g; return { a: 1 }; }
const h = function () { return 1; };
export default class C extends D<{ z: 1 }> implements E {
  x = () => { return 1; };
  y: { a: number } = { a: 1 };
  @dec({ a: 1 }) method(a = {}): void { if (a) { } }
  get z() { return 1 / 2; }
}
interface I { m(): void }
if (x) { function inner() {} }
let v = 1
function* gen() { yield 1; }
"#;
    assert_eq!(
        bodies(Dialect::TypeScript, src),
        [
            "{ return `}${ { a: 1 }.a }`; }",
            "{ const r = /}/g; return { a: 1 }; }",
            "{ if (a) { } }",
            "{ return 1 / 2; }",
            "{ yield 1; }",
        ]
    );
}

#[test]
fn unterminated_input_gives_nothing() {
    assert!(bodies(Dialect::Rust, "fn a() { /* }").is_empty());
    assert!(bodies(Dialect::TypeScript, "function a() { return \"}").is_empty());
    assert_eq!(bodies(Dialect::Rust, "fn a() {").len(), 0);
    for end in ["extern {", "extern", "fn", "'", "r#", "b'", "/"] {
        assert!(bodies(Dialect::Rust, &format!("fn a() {{ 1 }}\n{end}")).len() <= 1);
        assert!(bodies(Dialect::TypeScript, &format!("function a() {{ 1 }}\n{end}")).len() <= 1);
    }
}

#[test]
fn an_ambiguous_slash_gives_nothing() {
    let src = "function a() { if (ok) /{/.exec(s); }\nif (ok) /}/.test(s) /g;\n";
    assert!(bodies(Dialect::TypeScript, src).is_empty());
    // A division without braces or quotes before the next slash is fine.
    assert_eq!(
        bodies(Dialect::TypeScript, "function a() { return (b) / 2; }\n").len(),
        1
    );
}

#[test]
fn anonymous_default_functions_are_not_proposed() {
    assert!(
        bodies(
            Dialect::TypeScript,
            "export default function () { return 1; }\n"
        )
        .is_empty()
    );
    assert!(
        bodies(
            Dialect::TypeScript,
            "export default class { m() { return 1; } }\n"
        )
        .is_empty()
    );
}
