#![allow(clippy::unwrap_used)]

use super::*;

fn specs(language: ImportLanguage, text: &str) -> Vec<String> {
    extract(language, text)
        .into_iter()
        .map(|i| i.specifier)
        .collect()
}

fn found(language: ImportLanguage, text: &str) -> Vec<(String, u32, u32)> {
    extract(language, text)
        .into_iter()
        .map(|i| (i.specifier, i.line, i.column))
        .collect()
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|x| (*x).to_owned()).collect()
}

use ImportLanguage::{Go, JsTs, Python, Rust};

// --- from_path ------------------------------------------------------------------------

#[test]
fn language_from_path() {
    for p in [
        "a.ts", "a.tsx", "a.mts", "a.cts", "a.js", "a.jsx", "a.mjs", "a.cjs", "x/y.d.ts",
    ] {
        assert_eq!(ImportLanguage::from_path(p), Some(JsTs), "{p}");
    }
    assert_eq!(ImportLanguage::from_path("src/lib.rs"), Some(Rust));
    assert_eq!(ImportLanguage::from_path("app/x.py"), Some(Python));
    assert_eq!(ImportLanguage::from_path("app/x.pyi"), Some(Python));
    assert_eq!(ImportLanguage::from_path("cmd/main.go"), Some(Go));
    assert_eq!(ImportLanguage::from_path("README.md"), None);
    assert_eq!(ImportLanguage::from_path("Makefile"), None);
    assert_eq!(ImportLanguage::from_path("dir.rs/Makefile"), None);
}

// --- general ----------------------------------------------------------------------------

#[test]
fn empty_input() {
    for lang in [JsTs, Rust, Python, Go] {
        assert!(extract(lang, "").is_empty());
        assert!(extract(lang, "\n\r\n  ").is_empty());
    }
}

#[test]
fn truncated_input_does_not_panic() {
    let samples = [
        "import x from '",
        "import(\"",
        "`${",
        "/* import",
        "/[/",
        "use a::{b",
        "use a::",
        "r#\"",
        "'",
        "'\\",
        "from . import (",
        "\"\"\"",
        "import \\",
        "import (",
        "import `",
        "'é",
    ];
    for text in samples {
        for lang in [JsTs, Rust, Python, Go] {
            let _ = extract(lang, text);
        }
    }
}

// --- JS / TS ----------------------------------------------------------------------------

#[test]
fn js_import_forms() {
    let src = r#"
import x from 'default-mod';
import {a, b} from "named";
import {
  c,
  d as e,
} from '../db/client';
import * as ns from 'namespace';
import 'side-effect';
import type {X} from 'types-only';
import { type Y, z } from './mixed';
import def, { f } from "def-and-named";
import def2, * as ns2 from "def-and-ns";
export {a} from 'reexport';
export * from 'star';
export * as sns from 'star-as';
export type { T } from './t';
const r = require('pg');
const lazy = import('./lazy');
import data from './d.json' with { type: 'json' };
const m = await import("./m.js", { with: { type: "json" } });
import fs = require("fs");
"#;
    assert_eq!(
        specs(JsTs, src),
        s(&[
            "default-mod",
            "named",
            "../db/client",
            "namespace",
            "side-effect",
            "types-only",
            "./mixed",
            "def-and-named",
            "def-and-ns",
            "reexport",
            "star",
            "star-as",
            "./t",
            "pg",
            "./lazy",
            "./d.json",
            "./m.js",
            "fs",
        ])
    );
}

#[test]
fn js_positions() {
    let src = "import x from 'm';\nimport {\n  a,\n} from \"../db\";\n  const q = require('q')";
    assert_eq!(
        found(JsTs, src),
        vec![
            ("m".to_owned(), 1, 16),
            ("../db".to_owned(), 4, 9),
            ("q".to_owned(), 5, 22),
        ]
    );
}

#[test]
fn js_comments_and_strings_are_ignored() {
    let src = r#"
// import a from 'line-comment';
/* import b from 'block-comment';
   require('block-comment-2') */
const s1 = "import c from 'in-string'";
const s2 = 'require("in-string")';
const t = `import d from 'in-template'`;
/** @example import('jsdoc') */
const re = /import e from 'in-regex'/g;
import real from 'real'; // import f from 'trailing'
"#;
    assert_eq!(specs(JsTs, src), s(&["real"]));
}

#[test]
fn js_not_imports() {
    let src = r"
const meta = import.meta.url;
obj.require('not-this');
obj.import('nor-this');
export const from = 'not-a-specifier';
export default function f() { return 1; }
export class C { m() {} }
export { a, b };
const o = { import: 'x', require: 'y' };
require(name);
import(`./dyn/${name}`);
function require(x) {}
";
    assert!(specs(JsTs, src).is_empty(), "{:?}", specs(JsTs, src));
}

#[test]
fn js_templates_and_regex() {
    let src = r"
const a = `${require('inside-substitution')}`;
const b = `nested ${`inner ${x}`} text 'quote`;
const c = require(`plain-template`);
const ratio = total / 2; const other = x / y; // it's fine
const re = /['`]/;
import after from 'after';
";
    assert_eq!(
        specs(JsTs, src),
        s(&["inside-substitution", "plain-template", "after"])
    );
}

#[test]
fn js_jsx_text_apostrophe_is_contained() {
    let src = "const el = <p>Don't do it</p>;\nimport x from 'x';\n";
    assert_eq!(specs(JsTs, src), s(&["x"]));
}

#[test]
fn js_crlf_and_non_ascii() {
    let src = "// héllo wörld\r\nconst é = \"ü\"; import x from 'mödule';\r\nimport {\r\n a } from \"b\";\r\n";
    assert_eq!(
        found(JsTs, src),
        vec![("mödule".to_owned(), 2, 31), ("b".to_owned(), 4, 12)]
    );
}

#[test]
fn js_shebang() {
    let src = "#!/usr/bin/env node\nconst x = require('x');\n";
    assert_eq!(specs(JsTs, src), s(&["x"]));
}

// --- Rust -------------------------------------------------------------------------------

#[test]
fn rust_use_forms() {
    let src = r"
use a::b::c;
use a::b::{c, d::e};
use a::b as x;
pub use crate::db::pool;
pub(crate) use super::sibling::Thing;
pub(in crate::x) use self::child;
extern crate foo;
extern crate bar as baz;
use ::std::x;
use std::{
collections::{HashMap, HashSet as Set},
io::{self, Read},
fmt,
};
use glob::*;
use g::h::{self};
use {top1, top2::inner};
use r#type::x;
";
    assert_eq!(
        specs(Rust, src),
        s(&[
            "a::b::c",
            "a::b::c",
            "a::b::d::e",
            "a::b",
            "crate::db::pool",
            "super::sibling::Thing",
            "self::child",
            "foo",
            "bar",
            "::std::x",
            "std::collections::HashMap",
            "std::collections::HashSet",
            "std::io",
            "std::io::Read",
            "std::fmt",
            "glob",
            "g::h",
            "top1",
            "top2::inner",
            "r#type::x",
        ])
    );
}

#[test]
fn rust_positions_are_tree_roots() {
    let src = "fn f() {}\n    use crate::{\n        db::pool,\n    };\nuse {a, b};";
    assert_eq!(
        found(Rust, src),
        vec![
            ("crate::db::pool".to_owned(), 2, 9),
            ("a".to_owned(), 5, 6),
            ("b".to_owned(), 5, 9),
        ]
    );
}

#[test]
fn rust_comments_strings_chars_and_lifetimes() {
    let src = r##"
// use line::comment;
/* use block::comment; /* nested */ use still::comment; */
/// use doc::comment;
const S: &str = "use in::string;";
const R: &str = r#"use in::raw; "quoted" "#;
const B: &[u8] = br"use in::raw_bytes;";
const Q: char = '"'; use after::dquote_char;
const E: char = '\''; use after::escaped_char;
const U: char = 'é'; use after::unicode_char;
fn f<'a>(x: &'a str) -> &'a str { 'outer: loop { break 'outer; } x }
use after::lifetimes;
mod not_an_import;
fn g() -> impl Sized + use<> {}
macro_rules! m { ($p:path) => { use $p; }; }
"##;
    assert_eq!(
        specs(Rust, src),
        s(&[
            "after::dquote_char",
            "after::escaped_char",
            "after::unicode_char",
            "after::lifetimes",
        ])
    );
}

#[test]
fn rust_crlf_and_non_ascii() {
    let src = "// ünïcode\r\nconst X: &str = \"日本\"; use a::b;\r\nuse c::{\r\n  d,\r\n};\r\n";
    assert_eq!(
        found(Rust, src),
        vec![("a::b".to_owned(), 2, 27), ("c::d".to_owned(), 3, 5)]
    );
}

// --- Python -----------------------------------------------------------------------------

#[test]
fn python_import_forms() {
    let src = "
import os
import a.b
import a.b as c, d
from a.b import c
from . import x, y
from .. import z as w
from .m import x
from ..db.models import Model
from a import (b,
c)
from . import (p,
q as r,
)
from . import *
from ... import deep
from __future__ import annotations
x = 1; import inline
if True: import guarded
def f():
import nested.mod
import e, \\
f
";
    assert_eq!(
        specs(Python, src),
        s(&[
            "os",
            "a.b",
            "a.b",
            "d",
            "a.b",
            ".x",
            ".y",
            "..z",
            ".m",
            "..db.models",
            "a",
            ".p",
            ".q",
            ".",
            "...deep",
            "__future__",
            "inline",
            "guarded",
            "nested.mod",
            "e",
            "f",
        ])
    );
}

#[test]
fn python_positions() {
    let src = "import a.b as c, d\nfrom . import x, y\n    from .m import z";
    assert_eq!(
        found(Python, src),
        vec![
            ("a.b".to_owned(), 1, 8),
            ("d".to_owned(), 1, 18),
            (".x".to_owned(), 2, 6),
            (".y".to_owned(), 2, 6),
            (".m".to_owned(), 3, 10),
        ]
    );
}

#[test]
fn python_comments_and_strings_are_ignored() {
    let src = r#"
"""Module docstring.

import not_this
from not.this import either
"""
# import commented
x = "import in_string"
y = 'from in.string import z'
z = f"import {in_fstring}"
w = rb'import in_bytes'
v = '''
import in_triple
'''
u = "unterminated
import real
def g():
raise ValueError() from exc
yield from gen()
return {"import": 1}
"#;
    assert_eq!(specs(Python, src), s(&["real"]));
}

#[test]
fn python_crlf_and_non_ascii() {
    let src = "# ñ\r\nnamé = 'ü'; import mod\r\nfrom pkg import (\r\n  a,\r\n  b)\r\n";
    assert_eq!(
        found(Python, src),
        vec![("mod".to_owned(), 2, 20), ("pkg".to_owned(), 3, 6)]
    );
}

// --- Go ---------------------------------------------------------------------------------

#[test]
fn go_import_forms() {
    let src = r#"
package main

import "fmt"
import alias "github.com/acme/x/db"
import (
	"os"
	b "github.com/acme/b" // trailing comment
	_ "github.com/lib/pq"
	. "math"
	/* "commented/out" */
	// "also/commented"
	`raw/path`
)
import ("x"; "y")
"#;
    assert_eq!(
        specs(Go, src),
        s(&[
            "fmt",
            "github.com/acme/x/db",
            "os",
            "github.com/acme/b",
            "github.com/lib/pq",
            "math",
            "raw/path",
            "x",
            "y",
        ])
    );
}

#[test]
fn go_comments_strings_crlf_non_ascii() {
    let src = "// import \"no\"\r\n/* import \"nope\" */\r\npackage mäin\r\nimport (\r\n\t\"ok\"\r\n)\r\nvar s = \"import \\\"str\\\"\"\r\nvar r = 'é'\r\n";
    assert_eq!(found(Go, src), vec![("ok".to_owned(), 5, 3)]);
    let src = "package p // ünï\nimport \"a\"";
    assert_eq!(found(Go, src), vec![("a".to_owned(), 2, 9)]);
}

// --- resolve ----------------------------------------------------------------------------

#[test]
fn resolve_js() {
    let r = |imp, spec| resolve(JsTs, imp, spec);
    assert_eq!(r("src/ui/a.ts", "./b"), Some("src/ui/b".to_owned()));
    assert_eq!(
        r("src/ui/a.ts", "../db/client"),
        Some("src/db/client".to_owned())
    );
    assert_eq!(r("src/ui/a.ts", "../../x"), Some("x".to_owned()));
    assert_eq!(
        r("src/ui/a.ts", "./x/../y/./z"),
        Some("src/ui/y/z".to_owned())
    );
    assert_eq!(r("src/ui/a.ts", "."), Some("src/ui".to_owned()));
    assert_eq!(r("src/ui/a.ts", ".."), Some("src".to_owned()));
    assert_eq!(r("a.ts", "./b"), Some("b".to_owned()));
    assert_eq!(r("src/a.ts", "../../b"), None);
    assert_eq!(r("src/a.ts", "pg"), None);
    assert_eq!(r("src/a.ts", "@scope/pkg"), None);
    assert_eq!(r("src/a.ts", "/abs"), None);
    assert_eq!(r("src/a.ts", ".hidden"), None);
    assert_eq!(
        resolve(Go, "cmd/x/main.go", "./util"),
        Some("cmd/x/util".to_owned())
    );
    assert_eq!(resolve(Go, "cmd/x/main.go", "github.com/acme/x"), None);
}

#[test]
fn resolve_python() {
    let r = |imp, spec| resolve(Python, imp, spec);
    assert_eq!(
        r("app/api/views.py", "..db.models"),
        Some("app/db/models".to_owned())
    );
    assert_eq!(
        r("app/api/views.py", ".models"),
        Some("app/api/models".to_owned())
    );
    assert_eq!(r("app/api/views.py", "."), Some("app/api".to_owned()));
    assert_eq!(r("app/api/views.py", ".."), Some("app".to_owned()));
    assert_eq!(r("app/api/__init__.py", ".x"), Some("app/api/x".to_owned()));
    assert_eq!(r("app/api/views.py", "...x"), Some("x".to_owned()));
    assert_eq!(r("app/api/views.py", "....x"), None);
    assert_eq!(r("app/api/views.py", "app.db.models"), None);
}

#[test]
fn resolve_rust() {
    let r = |imp, spec| resolve(Rust, imp, spec);
    assert_eq!(
        r("src/ui/widget.rs", "self::x"),
        Some("src/ui/widget/x".to_owned())
    );
    assert_eq!(
        r("src/ui/widget.rs", "super::x::Y"),
        Some("src/ui/x/Y".to_owned())
    );
    assert_eq!(r("src/ui/mod.rs", "self::x"), Some("src/ui/x".to_owned()));
    assert_eq!(r("src/ui/mod.rs", "super::db"), Some("src/db".to_owned()));
    assert_eq!(
        r("src/ui/widget.rs", "super::super::db"),
        Some("src/db".to_owned())
    );
    assert_eq!(r("src/ui/widget.rs", "super"), Some("src/ui".to_owned()));
    assert_eq!(r("src/lib.rs", "self::db"), Some("src/db".to_owned()));
    assert_eq!(r("lib.rs", "super::x"), None);
    assert_eq!(r("src/ui/widget.rs", "crate::db::pool"), None);
    assert_eq!(r("src/ui/widget.rs", "::std::x"), None);
    assert_eq!(r("src/ui/widget.rs", "std::x"), None);
}
