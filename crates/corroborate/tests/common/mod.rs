//! Builders shared by the corroboration tests.
#![allow(dead_code)]

use tamis_corroborate::Message;

pub fn msg(
    id: i64,
    verified: bool,
    message_id: &str,
    subject: &str,
    from: &str,
    body: &str,
) -> Message {
    Message {
        id,
        verified,
        message_id: (!message_id.is_empty()).then(|| message_id.to_string()),
        subject: Some(subject.to_string()),
        from: Some(from.to_string()),
        body: body.to_string(),
        ..Message::default()
    }
}

pub fn reply_to(mut m: Message, parent: &str, references: &[&str]) -> Message {
    m.in_reply_to = Some(parent.to_string());
    m.references = references.iter().map(|s| s.to_string()).collect();
    m
}

/// Every line prefixed as Gmail and Apple Mail do (`> `, `>` on empty lines).
pub fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else if l.starts_with('>') {
                format!(">{l}")
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every line wrapped at `width` columns (prefix included) and prefixed
/// with `> `, as Thunderbird quotes a message written with long lines
/// (Outlook's, one line per paragraph); short lines stay as they are.
pub fn quote_wrapped(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for l in text.lines() {
        if l.is_empty() {
            out.push(">".to_string());
            continue;
        }
        let mut line = String::from(">");
        for w in l.split_whitespace() {
            if line.len() + 1 + w.len() > width && line.len() > 1 {
                out.push(std::mem::replace(&mut line, String::from(">")));
            }
            line.push(' ');
            line.push_str(w);
        }
        out.push(line);
    }
    out.join("\n")
}
