//! End to end on fixtures/corroboration/ (made by its make-fixtures.py with
//! dkimpy): the mbox read as the case writer reads a case (tamis-content's
//! text bodies, the text of message/rfc822 attachments of verified
//! messages), the verdicts taken from expected.tsv (`tamis verify` checks
//! those), and the corroborations compared with expected.tsv.

use std::collections::HashMap;
use std::path::PathBuf;

use tamis_corroborate::{corroborations, How, Message, Op};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/corroboration")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// mboxrd: a message starts at a `From ` line at the start of the file or
/// after a blank line; `>From ` lines lose one `>`.
fn split_mbox(data: &[u8]) -> Vec<Vec<u8>> {
    let text = std::str::from_utf8(data).unwrap();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut prev_blank = true;
    for line in text.split_inclusive('\n') {
        if prev_blank && line.starts_with("From ") {
            out.push(Vec::new());
        } else if let Some(m) = out.last_mut() {
            let unescaped = match line.strip_prefix('>') {
                Some(rest) if rest.trim_start_matches('>').starts_with("From ") => rest.to_string(),
                _ => line.to_string(),
            };
            m.push(unescaped);
        }
        prev_blank = line == "\n";
    }
    out.into_iter()
        .map(|mut lines| {
            if lines.last().is_some_and(|l| l == "\n") {
                lines.pop();
            }
            lines.concat().into_bytes()
        })
        .collect()
}

#[test]
fn fixture_dump_gives_the_expected_corroborations() {
    let tsv = String::from_utf8(fixture("expected.tsv")).unwrap();
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let verdict: HashMap<&str, &str> = rows.iter().map(|r| (r[0], r[1])).collect();

    let mut messages = Vec::new();
    for (k, bytes) in split_mbox(&fixture("dump.mbox")).iter().enumerate() {
        let content = tamis_content::extract(bytes);
        let id = content
            .message_id
            .clone()
            .expect("every fixture has a Message-ID");
        let verified = verdict[id.as_str()] == "verified";
        let forwarded = if verified {
            content
                .attachments
                .iter()
                .filter(|a| a.content_type.eq_ignore_ascii_case("message/rfc822"))
                .map(|a| tamis_content::extract(&a.bytes).text_body)
                .collect()
        } else {
            Vec::new()
        };
        messages.push(Message {
            id: k as i64 + 1,
            verified,
            message_id: Some(id),
            in_reply_to: content.in_reply_to.first().cloned(),
            references: content.references.clone(),
            subject: content.subject.clone(),
            from: content.from.first().and_then(|a| a.address.clone()),
            date_unix: content.date_unix,
            body: content.text_body.clone(),
            forwarded,
        });
    }
    assert_eq!(messages.len(), 6);
    let mid = |id: i64| messages[id as usize - 1].message_id.clone().unwrap();

    let found = corroborations(&messages);
    let mut got: Vec<(String, String, &str, &str)> = found
        .iter()
        .map(|c| {
            (
                mid(c.message),
                mid(c.by),
                c.how.as_str(),
                if c.differences.is_empty() {
                    "exact"
                } else {
                    "differences"
                },
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, &str, &str)> = rows
        .iter()
        .filter(|r| r[2] != "-")
        .map(|r| (r[0].to_string(), r[2].to_string(), r[3], r[4]))
        .collect();
    want.sort();
    assert_eq!(got, want, "{found:#?}");

    // The forged figure, and what the verified reply really quoted.
    let forged = found.iter().find(|c| !c.differences.is_empty()).unwrap();
    assert_eq!(forged.how, How::Quoted);
    let d: Vec<(Op, &str)> = forged
        .differences
        .iter()
        .map(|d| (d.op, d.text.as_str()))
        .collect();
    assert_eq!(d, [(Op::Removed, "412,60"), (Op::Added, "4 126,00")]);
    assert!(forged.quoted.contains("412,60 EUR TTC"));
    // Exact ones cover the whole own text.
    for c in found.iter().filter(|c| c.differences.is_empty()) {
        assert!(c.is_exact(), "{c:#?}");
    }
}
