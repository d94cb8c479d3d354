//! What an agent reads of a tool: its description and its input schema.
//!
//! Both are written as doc comments (rmcp reads the tool's, schemars the fields'), whose line
//! breaks are the source's wrapping, not meaning: they are joined here into flowing text.

use rmcp::model::{JsonObject, Tool};
use serde_json::Value;

/// Joins the wrapped lines of `tool`'s description and of every description in its input
/// schema; blank lines still separate paragraphs.
pub fn reflow(tool: &mut Tool) {
    if let Some(d) = &tool.description {
        tool.description = Some(flowing(d).into());
    }
    let mut schema = Value::Object(tool.input_schema.as_ref().clone());
    reflow_value(&mut schema);
    if let Value::Object(object) = schema {
        tool.input_schema = object.into();
    }
}

fn reflow_value(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, v) in object.iter_mut() {
                match v {
                    Value::String(s) if key == "description" => *s = flowing(s),
                    _ => reflow_value(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reflow_value),
        _ => {}
    }
}

fn flowing(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// What `tool` takes, from its input schema, for an agent whose arguments did not fit:
/// `` `check` takes paths (list of strings), changed (true or false), …``.
pub fn arguments_hint(tool: &Tool) -> String {
    let schema = tool.input_schema.as_ref();
    let fields: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(name, p)| format!("{name} ({})", type_of(p, schema)))
                .collect()
        })
        .unwrap_or_default();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut hint = format!("`{}` takes {}", tool.name, fields.join(", "));
    if required.is_empty() {
        hint.push_str("; none is required");
    } else {
        hint.push_str(&format!("; required: {}", required.join(", ")));
    }
    hint
}

/// A property's type in words; `null` (an optional field) is left out.
fn type_of(p: &Value, root: &JsonObject) -> String {
    if let Some(r) = p.get("$ref").and_then(Value::as_str) {
        let def = r
            .strip_prefix("#/$defs/")
            .and_then(|name| root.get("$defs")?.get(name));
        return def.map_or_else(|| "object".to_owned(), |d| type_of(d, root));
    }
    if let Some(values) = p.get("enum").and_then(Value::as_array) {
        let words: Vec<String> = values
            .iter()
            .filter(|v| !v.is_null())
            .map(ToString::to_string)
            .collect();
        return words.join(" or ");
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = p.get(key).and_then(Value::as_array) {
            let words: Vec<String> = options
                .iter()
                .map(|o| type_of(o, root))
                .filter(|w| !w.is_empty())
                .collect();
            return words.join(" or ");
        }
    }
    if let Some(c) = p.get("const") {
        return c.to_string();
    }
    let types: Vec<&str> = match p.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let words: Vec<String> = types
        .into_iter()
        .filter(|t| *t != "null")
        .map(|t| match t {
            "array" => {
                let item = p
                    .get("items")
                    .map_or_else(String::new, |i| type_of(i, root));
                if item.is_empty() {
                    "list".to_owned()
                } else {
                    format!("list of {item}s")
                }
            }
            "boolean" => "true or false".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    words.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_flow_and_paragraphs_stay() {
        assert_eq!(flowing("one\ntwo\n\nthree"), "one two\n\nthree");
    }

    #[test]
    fn the_hint_names_each_argument_and_the_required_ones() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "paths": {"type": "array", "items": {"type": "string"}},
                "changed": {"type": "boolean"},
                "budget": {"type": ["integer", "null"]},
                "source": {"anyOf": [{"$ref": "#/$defs/Source"}, {"type": "null"}]}
            },
            "required": ["text"],
            "$defs": {"Source": {"type": "string", "enum": ["person", "agent"]}}
        });
        let Value::Object(schema) = schema else {
            unreachable!()
        };
        let tool = Tool::new("record", "d", std::sync::Arc::new(schema));
        assert_eq!(
            arguments_hint(&tool),
            "`record` takes text (string), paths (list of strings), changed (true or false), \
             budget (integer), source (\"person\" or \"agent\"); required: text"
        );
    }
}
