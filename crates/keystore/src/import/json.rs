//! JSON exports of public DKIM key archives.
//!
//! Archives do not agree on a format, so reading is liberal. Accepted:
//! - a JSON array of objects; an object whose `keys`, `records`, `data`,
//!   `results` or `items` field is such an array; a single object; or JSON
//!   lines (one object per line, blank lines ignored);
//! - in each object (field names case-insensitive, `-` and `_` ignored):
//!   - the name: `domain` (or `d`, `sdid`) and `selector` (or `s`), or one
//!     of `name`, `fqdn`, `hostname`, `host`, `query` as
//!     `selector._domainkey.domain`;
//!   - the record: `record`, `value`, `txt`, `dkim_record`, `dkim`, `rdata`
//!     or `data` (a string, or an array of character-strings, joined), or a
//!     bare `p` / `public_key` / `key` (base64, with `k` / `key_type` /
//!     `type` for Ed25519);
//!   - the window: `first_seen` (`firstSeen`, `first`, `since`, `from`,
//!     `valid_from`, `not_before`) and `last_seen` (`lastSeen`, `last`,
//!     `until`, `to`, `valid_until`, `not_after`): an ISO date or time, or
//!     Unix seconds or milliseconds. A last-seen date without a time means
//!     the end of that day.
//!
//! An entry missing a name or record, or with an unreadable date, is a
//! warning naming the file and its line (JSON lines, 1-based) or index
//! (array, 0-based); the others are imported.

use super::ReadKey;
use crate::date::{self, DayEnd};
use serde_json::{Map, Value};

const WRAPPERS: &[&str] = &["keys", "records", "data", "results", "items"];
const NAME_FIELDS: &[&str] = &["name", "fqdn", "hostname", "host", "query"];
const DOMAIN_FIELDS: &[&str] = &["domain", "d", "sdid"];
const SELECTOR_FIELDS: &[&str] = &["selector", "s"];
const RECORD_FIELDS: &[&str] = &[
    "record",
    "value",
    "txt",
    "dkimrecord",
    "dkim",
    "rdata",
    "data",
];
const BARE_KEY_FIELDS: &[&str] = &["p", "publickey", "key"];
const KEY_TYPE_FIELDS: &[&str] = &["k", "keytype", "type"];
const FIRST_FIELDS: &[&str] = &[
    "firstseen",
    "first",
    "since",
    "from",
    "validfrom",
    "notbefore",
];
const LAST_FIELDS: &[&str] = &["lastseen", "last", "until", "to", "validuntil", "notafter"];

/// Every readable entry and a warning for each other one.
pub(crate) fn read(text: &str, source: &str) -> (Vec<ReadKey>, Vec<String>) {
    let text = text.trim_start_matches('\u{feff}');
    let mut keys = Vec::new();
    let mut warnings = Vec::new();
    match serde_json::from_str::<Value>(text) {
        Ok(whole) => {
            let entries = match whole {
                Value::Array(entries) => entries,
                Value::Object(object) => match wrapped_array(&object) {
                    Some(entries) => entries.clone(),
                    None => vec![Value::Object(object)],
                },
                _ => {
                    warnings.push(format!(
                        "{source}: JSON is neither an object nor an array; nothing imported"
                    ));
                    Vec::new()
                }
            };
            for (index, value) in entries.iter().enumerate() {
                let index = u32::try_from(index).unwrap_or(u32::MAX);
                match entry(value) {
                    Ok(mut key) => {
                        key.entry = Some(index);
                        keys.push(key);
                    }
                    Err(why) => warnings.push(format!("{source}[{index}]: {why}; skipped")),
                }
            }
        }
        // Not one JSON document: JSON lines.
        Err(_) => {
            for (index, line) in text.lines().enumerate() {
                let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
                if line.trim().is_empty() {
                    continue;
                }
                let parsed = serde_json::from_str::<Value>(line)
                    .map_err(|e| format!("not JSON ({e})"))
                    .and_then(|value| entry(&value));
                match parsed {
                    Ok(mut key) => {
                        key.line = Some(number);
                        keys.push(key);
                    }
                    Err(why) => warnings.push(format!("{source}:{number}: {why}; skipped")),
                }
            }
        }
    }
    (keys, warnings)
}

fn wrapped_array(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    object.iter().find_map(|(field, value)| match value {
        Value::Array(entries) if WRAPPERS.contains(&normalize(field).as_str()) => Some(entries),
        _ => None,
    })
}

/// Field names compared without case, `_` or `-`: `first_seen`, `firstSeen`
/// and `First-Seen` are one field.
fn normalize(field: &str) -> String {
    field
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn field<'v>(object: &'v Map<String, Value>, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|wanted| {
        object
            .iter()
            .find(|(field, value)| normalize(field) == *wanted && !value.is_null())
            .map(|(_, value)| value)
    })
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        // A TXT record as its character-strings.
        Value::Array(parts) => parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.concat()),
        _ => None,
    }
}

fn entry(value: &Value) -> Result<ReadKey, String> {
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let name = match field(object, NAME_FIELDS).and_then(text_of) {
        Some(name) if name.contains("._domainkey.") => name,
        _ => {
            let domain = field(object, DOMAIN_FIELDS).and_then(text_of);
            let selector = field(object, SELECTOR_FIELDS).and_then(text_of);
            match (selector, domain) {
                (Some(s), Some(d)) if !s.is_empty() && !d.is_empty() => {
                    format!("{s}._domainkey.{}", d.trim_end_matches('.'))
                }
                _ => {
                    return Err(
                        "no domain and selector (nor a name selector._domainkey.domain)".into(),
                    )
                }
            }
        }
    };
    let record = match field(object, RECORD_FIELDS).and_then(text_of) {
        Some(record) => record,
        None => match field(object, BARE_KEY_FIELDS).and_then(text_of) {
            Some(p) => {
                let key_type = field(object, KEY_TYPE_FIELDS)
                    .and_then(text_of)
                    .filter(|t| t.eq_ignore_ascii_case("ed25519"))
                    .map_or("rsa", |_| "ed25519");
                format!("v=DKIM1; k={key_type}; p={p}")
            }
            None => return Err("no record (record, value, txt, dkim_record or p)".into()),
        },
    };
    let first_seen = seen(object, FIRST_FIELDS, DayEnd::Start, "first seen")?;
    let last_seen = seen(object, LAST_FIELDS, DayEnd::End, "last seen")?;
    Ok(ReadKey {
        name,
        record,
        line: None,
        entry: None,
        first_seen,
        last_seen,
    })
}

fn seen(
    object: &Map<String, Value>,
    names: &[&str],
    end: DayEnd,
    what: &str,
) -> Result<Option<i64>, String> {
    match field(object, names) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map(|n| Some(date::from_number(n)))
            .ok_or_else(|| format!("{what} {n} is not a time")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => date::parse(s, end)
            .map(Some)
            .ok_or_else(|| format!("{what} {s:?} is not a date")),
        Some(other) => Err(format!("{what} {other} is not a date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_name_variants_are_one_field() {
        let text = r#"[
            {"domain": "example.com", "selector": "a", "record": "v=DKIM1; p=", "first_seen": "2016-03-01", "last_seen": "2017-09-30"},
            {"name": "b._domainkey.example.com.", "txt": ["v=DKIM1; ", "p="], "firstSeen": 1456790400, "lastSeen": "2017-09-30T00:00:00Z"},
            {"Domain": "example.com", "Selector": "c", "p": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "key_type": "ed25519", "since": "2018-01-01"},
            {"domain": "example.com", "record": "v=DKIM1; p="},
            {"domain": "example.com", "selector": "d", "value": "p=", "until": "yesterday"}
        ]"#;
        let (keys, warnings) = read(text, "a.json");
        let got: Vec<_> = keys
            .iter()
            .map(|k| {
                (
                    k.name.as_str(),
                    k.record.as_str(),
                    k.entry,
                    k.first_seen,
                    k.last_seen,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a._domainkey.example.com",
                    "v=DKIM1; p=",
                    Some(0),
                    Some(1_456_790_400),
                    Some(1_506_815_999)
                ),
                (
                    "b._domainkey.example.com.",
                    "v=DKIM1; p=",
                    Some(1),
                    Some(1_456_790_400),
                    Some(1_506_729_600)
                ),
                (
                    "c._domainkey.example.com",
                    "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                    Some(2),
                    Some(1_514_764_800),
                    None
                ),
            ]
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("a.json[3]: no domain and selector"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].starts_with("a.json[4]: last seen \"yesterday\""),
            "{warnings:?}"
        );
    }

    #[test]
    fn json_lines_and_wrapped_arrays_are_read() {
        let lines = "{\"domain\":\"x.org\",\"selector\":\"s\",\"dkim_record\":\"p=\"}\n\nnot json\n{\"fqdn\":\"t._domainkey.x.org\",\"value\":\"p=\"}\n";
        let (keys, warnings) = read(lines, "l.jsonl");
        assert_eq!(
            keys.iter().map(|k| k.line).collect::<Vec<_>>(),
            [Some(1), Some(4)]
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("l.jsonl:3: not JSON"),
            "{warnings:?}"
        );
        let wrapped =
            r#"{"count": 1, "records": [{"domain": "x.org", "selector": "s", "record": "p="}]}"#;
        assert_eq!(read(wrapped, "w.json").0.len(), 1);
    }
}
