use super::*;
use serde_json::json;

fn req(rule: &serde_json::Value) -> Requirement {
    requirement("typescript", rule, &HashMap::new())
}

fn any(words: &[&str]) -> Requirement {
    Requirement::any_of(words.iter().map(|w| Needle::token(w)).collect())
}

fn literal(words: &[&str]) -> Requirement {
    Requirement::any_of(
        words
            .iter()
            .map(|w| Needle {
                text: (*w).to_owned(),
                token: false,
            })
            .collect(),
    )
}

#[test]
fn pattern_tokens_skip_metavariables_strings_and_numbers() {
    assert_eq!(pattern_tokens("fetch($URL)"), ["fetch"]);
    assert_eq!(pattern_tokens("$A.unwrap()"), ["unwrap"]);
    assert!(pattern_tokens("$$$ARGS").is_empty());
    assert_eq!(pattern_tokens("console.log($$$)"), ["console", "log"]);
    assert_eq!(pattern_tokens("foo(\"a long string\")"), ["foo"]);
    assert!(pattern_tokens("f(1e5, x)").is_empty());
    assert_eq!(pattern_tokens("café($A)"), ["café"]);
    assert_eq!(pattern_tokens("$A == $B"), ["=="]);
    assert_eq!(pattern_tokens("$A != $B"), ["!="]);
    // ast-grep may skip unnamed tokens after `$$$` within the enclosing node.
    assert_eq!(pattern_tokens("import $$$ from \"lodash\""), ["import"]);
    assert!(pattern_tokens("$$$A == $B").is_empty());
    assert_eq!(pattern_tokens("foo($$$A, bar).baz()"), ["foo", "baz"]);
    // Raw string prefixes are not compared; a non-breaking space is not part of a word.
    assert_eq!(pattern_tokens("foo(br\"x\")"), ["foo"]);
    assert_eq!(pattern_tokens("new\u{a0}Promise($A)"), ["new", "Promise"]);
    assert!(pattern_tokens("$A === $B || $A !== $B || $A <= $B || !$A").is_empty());
}

#[test]
fn every_word_of_a_pattern_is_required() {
    let r = req(&json!({"pattern": "$M.lock().unwrap()"}));
    assert!(r.satisfied_by("m.lock().unwrap()"));
    assert!(!r.satisfied_by("x.unwrap()"));
    assert!(!r.satisfied_by("m.lock()"));
}

#[test]
fn local_requirements_ignore_what_lies_outside_the_node() {
    let rule =
        json!({"pattern": "$X.clone()", "inside": {"kind": "for_statement", "stopBy": "end"}});
    assert_eq!(
        local_requirement("typescript", &rule, &HashMap::new()),
        any(&["clone"])
    );
    let outside = json!({"kind": "identifier", "inside": {"pattern": "dangerous($$$)"}});
    assert_eq!(req(&outside), any(&["dangerous"]));
    let non_null = json!({"kind": "non_null_expression"});
    assert_eq!(req(&non_null), Requirement::None);
    let r = local_requirement("typescript", &non_null, &HashMap::new());
    assert!(r.satisfied_by("x!.y"));
    assert!(!r.satisfied_by("a === b"));
    assert_eq!(
        local_requirement("typescript", &outside, &HashMap::new()),
        Requirement::None
    );
}

#[test]
fn rules_that_look_into_containers_are_not_region_safe() {
    let containers = ["function_declaration", "statement_block", "program"];
    let safe = |rule: serde_json::Value, matched_safe| {
        region_safe(&rule, None, &HashMap::new(), &containers, matched_safe)
    };
    assert!(safe(json!({"pattern": "foo($A)"}), true));
    assert!(!safe(json!({"pattern": "function $F() {}"}), false));
    // Kind and text of an enclosing function are the same either way.
    assert!(safe(
        json!({"pattern": "new Promise($$$)", "inside": {"kind": "function_declaration", "regex": "^async", "stopBy": "end"}}),
        true
    ));
    // Its structure is not.
    assert!(!safe(
        json!({"pattern": "x", "inside": {"kind": "function_declaration", "has": {"pattern": "y"}}}),
        true
    ));
    assert!(safe(
        json!({"pattern": "x", "not": {"inside": {"kind": "call_expression", "has": {"pattern": "y"}}}}),
        true
    ));
    assert!(!safe(
        json!({"kind": "statement_block", "not": {"has": {"kind": "return_statement"}}}),
        false
    ));
    assert!(!safe(
        json!({"pattern": "x", "follows": {"pattern": "y"}}),
        true
    ));
    assert!(!safe(json!({"pattern": "x", "unknownKey": 1}), true));
    // Selectors look at other nodes.
    assert!(!safe(
        json!({"kind": "function_declaration:has(debugger_statement)", "regex": "^export"}),
        false
    ));
    assert!(!safe(
        json!({"pattern": "x", "inside": {"kind": "class_body > method_definition"}}),
        true
    ));
    // `stopBy` under `follows` walks siblings, which may be functions.
    assert!(!safe(
        json!({"pattern": "init()", "follows": {"kind": "import_statement", "stopBy": {"has": {"pattern": "setup()"}}}}),
        true
    ));
    assert!(safe(
        json!({"pattern": "x", "has": {"kind": "y", "stopBy": {"kind": "z"}}}),
        true
    ));
    let constraint =
        json!({"X": {"not": {"inside": {"kind": "program", "has": {"pattern": "init()"}}}}});
    assert!(!region_safe(
        &json!({"pattern": "$X.foo()"}),
        Some(&constraint),
        &HashMap::new(),
        &containers,
        true
    ));
}

#[test]
fn loose_equality_is_not_strict_equality() {
    let r = req(&json!({"pattern": "$A == $B"}));
    assert!(r.satisfied_by("if (a == null) {}"));
    assert!(r.satisfied_by("a==b"));
    assert!(!r.satisfied_by("a === b && c !== d"));
    let r = req(&json!({"pattern": "$A != $B"}));
    assert!(r.satisfied_by("a != b"));
    assert!(!r.satisfied_by("a !== b"));
}

#[test]
fn requirements_follow_rule_logic() {
    assert_eq!(
        req(&json!({"any": [{"pattern": "fetch($A)"}, {"pattern": "axios.get($A)"}]})),
        any(&["fetch", "axios"])
    );
    assert_eq!(
        req(&json!({"any": [{"pattern": "fetch($A)"}, {"kind": "call_expression"}]})),
        Requirement::None
    );
    assert_eq!(
        req(&json!({"kind": "call_expression", "has": {"pattern": "timeout"}})),
        any(&["timeout"])
    );
    assert_eq!(
        req(&json!({"pattern": {"context": "class A { $F }", "selector": "field"}})),
        Requirement::None
    );
    assert_eq!(
        req(&json!({"kind": "debugger_statement"})),
        any(&["debugger"])
    );
    assert_eq!(
        req(&json!({"kind": "predefined_type", "regex": "^(any|unknown)$"})),
        literal(&["any", "unknown"])
    );
    // An unanchored regex may match inside a longer word.
    assert!(req(&json!({"kind": "identifier", "regex": "any"})).satisfied_by("company"));
    assert_eq!(req(&json!({"regex": "^foo\\w+"})), literal(&["foo"]));
    assert_eq!(
        req(&json!({"not": {"pattern": "foo()"}})),
        Requirement::None
    );
}

#[test]
fn words_must_stand_alone() {
    let r = any(&["var"]);
    assert!(!r.satisfied_by("const variable = 1;"));
    assert!(r.satisfied_by("var x = 1;"));
    assert!(r.satisfied_by("x;var"));
    assert!(any(&["!"]).satisfied_by("a!b"));
    assert!(any(&["console"]).satisfied_by("\u{feff}console.log(1)"));
    assert!(!any(&["log"]).satisfied_by("éloge"));
    assert!(!Requirement::any_of(vec![]).satisfied_by("x"));
    assert!(Requirement::None.satisfied_by(""));
}
