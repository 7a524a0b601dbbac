//! One message's evidence as labelled rows, for both writers: what was
//! found, where, which repairs were needed, and for each signature what it
//! proves. Values stay raw (hostile) text here; the writers escape them.

use crate::prose;
use crate::time::unix_to_utc;
use tamis_case::MessageSummary;
use tamis_findings::{MessageReport, SignatureReport, UncoveredHeaderReport, Verdict};

/// A value in an evidence table, by how it must be shown.
pub enum Value {
    Text(String),
    /// Identifiers a reader may copy or compare: hashes, domains, selectors.
    Code(String),
    /// Several items, one per line.
    List(Vec<String>),
    /// Several identifiers, one per line.
    CodeList(Vec<String>),
    /// A verdict word and the verifier's outcome in protocol terms.
    Verdict(Verdict, String),
    /// The body hash the signature carries and the one computed over the
    /// body we hold; their match or difference is the evidence.
    BodyHashes {
        claimed: Option<String>,
        computed: Option<String>,
    },
    /// Body text after the `l=` limit, which nobody signed.
    UnsignedTail {
        bytes: u64,
        preview: Option<String>,
    },
    Uncovered(Vec<UncoveredHeaderReport>),
}

pub struct Row {
    pub label: &'static str,
    pub value: Value,
}

fn row(label: &'static str, value: Value) -> Row {
    Row { label, value }
}

/// Where the message is and what was done to read it.
pub fn message_rows(summary: &MessageSummary, report: &MessageReport) -> Vec<Row> {
    let mut rows = vec![
        row(
            "From",
            Value::Text(shown(summary.from.as_ref().or(report.from.as_ref()))),
        ),
        row(
            "Date",
            Value::Text(shown(summary.date.as_ref().or(report.date.as_ref()))),
        ),
        row(
            "Subject",
            Value::Text(shown(summary.subject.as_ref().or(report.subject.as_ref()))),
        ),
        row(
            "Message-ID",
            Value::Code(shown(
                summary.message_id.as_ref().or(report.message_id.as_ref()),
            )),
        ),
        row("SHA-256", Value::Code(summary.sha256.clone())),
        row(
            "Found at",
            Value::CodeList(report.origins.iter().map(|o| o.location.clone()).collect()),
        ),
    ];
    if !report.repairs.is_empty() {
        rows.push(row(
            "Repairs",
            Value::List(
                report
                    .repairs
                    .iter()
                    .map(|r| format!("{}: {}", r.code, r.description))
                    .collect(),
            ),
        ));
    }
    if report.arc.instances > 0 {
        rows.push(row(
            "ARC chain",
            Value::Text(format!(
                "{} ({} instances): {}",
                report.arc.chain, report.arc.instances, report.arc.reason
            )),
        ));
    }
    rows
}

/// What one signature proves. `message_reason` is left out when the
/// signature's own reason says the same thing.
pub fn signature_rows(signature: &SignatureReport, message_reason: &str) -> Vec<Row> {
    let mut rows = vec![
        row(
            "Signed by (d=)",
            Value::Code(shown(signature.domain.as_ref())),
        ),
        row(
            "Selector (s=)",
            Value::Code(shown(signature.selector.as_ref())),
        ),
        row(
            "Algorithm",
            Value::Code(match (&signature.algorithm, &signature.canonicalization) {
                (Some(a), Some(c)) => format!("{a}, c={c}"),
                (Some(a), None) => a.clone(),
                (None, _) => "not given".into(),
            }),
        ),
        row("Key", Value::Text(key_words(signature))),
        row(
            "Key source",
            Value::Code(
                signature
                    .key_source
                    .clone()
                    .unwrap_or_else(|| "none found".into()),
            ),
        ),
        row(
            "Result",
            Value::Verdict(signature.result, signature.outcome.clone()),
        ),
    ];
    if !signature.key_caveats.is_empty() {
        rows.push(row(
            "Key trust",
            Value::List(
                signature
                    .key_caveats
                    .iter()
                    .map(|c| c.detail.clone())
                    .collect(),
            ),
        ));
    }
    if signature.reason != message_reason {
        rows.push(row("Why", Value::Text(signature.reason.clone())));
    }
    rows.push(row(
        "Header signature",
        Value::Text(prose::header_signature(signature.header_signature_verifies).into()),
    ));
    if signature.body_hash_claimed.is_some() || signature.body_hash_computed.is_some() {
        rows.push(row(
            "Body hash",
            Value::BodyHashes {
                claimed: signature.body_hash_claimed.clone(),
                computed: signature.body_hash_computed.clone(),
            },
        ));
    }
    if signature.unsigned_body_bytes > 0 {
        rows.push(row(
            "Unsigned tail (l=)",
            Value::UnsignedTail {
                bytes: signature.unsigned_body_bytes,
                preview: signature.unsigned_tail_preview.clone(),
            },
        ));
    }
    if !signature.uncovered_headers.is_empty() {
        rows.push(row(
            "Headers not covered",
            Value::Uncovered(signature.uncovered_headers.clone()),
        ));
    }
    if !signature.signed_headers.is_empty() {
        rows.push(row(
            "Signed headers (h=)",
            Value::Code(signature.signed_headers.join(", ")),
        ));
    }
    if let Some(identity) = &signature.identity {
        rows.push(row("Identity (i=)", Value::Code(identity.clone())));
    }
    if let Some(matches) = signature.key_matches_signature {
        rows.push(row(
            "Key made this signature",
            Value::Text(
                if matches {
                    "yes: the key found made this signature; what it signed has changed"
                } else {
                    "no: the key found did not make this signature"
                }
                .into(),
            ),
        ));
    }
    if let Some(t) = signature.timestamp {
        rows.push(row(
            "Signed at (t=)",
            Value::Text(format!("{} (as the signer's clock said)", unix_to_utc(t))),
        ));
    }
    if let Some(x) = signature.expiration {
        rows.push(row(
            "Expires (x=)",
            Value::Text(format!(
                "{} (noted, not enforced: a leak is read after the fact)",
                unix_to_utc(x)
            )),
        ));
    }
    if signature.keys_tried.len() > 1 || signature.key_source.is_none() {
        rows.push(row(
            "Keys tried",
            Value::List(if signature.keys_tried.is_empty() {
                vec!["none".into()]
            } else {
                signature
                    .keys_tried
                    .iter()
                    .map(|k| format!("{}: {}", k.source, k.result))
                    .collect()
            }),
        ));
    }
    if !signature.notes.is_empty() {
        rows.push(row("Notes", Value::List(signature.notes.clone())));
    }
    rows
}

fn key_words(signature: &SignatureReport) -> String {
    match (signature.key_bits, &signature.key_type) {
        (Some(bits), Some(kind)) => format!("{bits}-bit {}", kind.to_uppercase()),
        (Some(bits), None) => format!("{bits}-bit"),
        (None, Some(kind)) => kind.to_uppercase(),
        (None, None) => "no usable key".into(),
    }
}

fn shown(value: Option<&String>) -> String {
    value.cloned().unwrap_or_else(|| "(none)".into())
}

/// How a signature is introduced when a message has several.
pub fn signature_heading(index: usize, total: usize, signature: &SignatureReport) -> String {
    let domain = signature.domain.as_deref().unwrap_or("no domain");
    if total == 1 {
        format!("Signature by {domain}")
    } else {
        format!("Signature {} of {total}, by {domain}", index + 1)
    }
}
