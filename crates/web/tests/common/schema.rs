//! Just enough JSON Schema (2020-12, as OpenAPI 3.1 uses it) to check the
//! API's answers against the schemas in `/api/openapi.json`: `$ref`,
//! `type` (one or several), `enum`, `oneOf`, `minimum`, object
//! `properties`/`required`/`additionalProperties`, array
//! `items`/`prefixItems`/`minItems`/`maxItems`. `pattern` is not checked.

use serde_json::Value;

/// Every way `value` departs from `schema`, each with its JSON path.
pub fn problems(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(document, schema, value, "$", &mut found);
    found
}

fn resolve<'a>(document: &'a Value, reference: &str) -> &'a Value {
    let pointer = reference
        .strip_prefix('#')
        .unwrap_or_else(|| panic!("only local $ref: {reference}"));
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("dangling $ref {reference}"))
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("unknown type {other} in the schema"),
    }
}

fn check(document: &Value, schema: &Value, value: &Value, path: &str, found: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return check(document, resolve(document, reference), value, path, found);
    }
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = choices
            .iter()
            .filter(|choice| problems(document, choice, value).is_empty())
            .count();
        if matching != 1 {
            found.push(format!(
                "{path}: matches {matching} of oneOf, not 1: {value}"
            ));
        }
    }
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::String(name) => vec![name.as_str()],
            Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
            other => panic!("bad type {other}"),
        };
        if !names.iter().any(|name| type_matches(name, value)) {
            found.push(format!("{path}: expected {names:?}, got {value}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            found.push(format!("{path}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Some(minimum), Some(number)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if number < minimum {
            found.push(format!("{path}: {number} is under the minimum {minimum}"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(required) {
                found.push(format!("{path}: required field `{required}` is missing"));
            }
        }
        for (key, field) in object {
            let field_path = format!("{path}.{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(field_schema) => check(document, field_schema, field, &field_path, found),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        found.push(format!("{field_path}: not in the schema"))
                    }
                    Some(extra) if extra.is_object() => {
                        check(document, extra, field, &field_path, found)
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(array) = value.as_array() {
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (index, item) in array.iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            match (prefix.and_then(|p| p.get(index)), schema.get("items")) {
                (Some(item_schema), _) | (None, Some(item_schema)) => {
                    check(document, item_schema, item, &item_path, found)
                }
                (None, None) => {}
            }
        }
        let length = array.len() as u64;
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if length < min {
                found.push(format!("{path}: {length} items, under {min}"));
            }
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if length > max {
                found.push(format!("{path}: {length} items, over {max}"));
            }
        }
    }
}
