//! `tamis ingest --registry`: what the victim's registry (crates/registry)
//! says of every message, attachment and file, computed in the workers
//! beside the other analyzers and handed to the writer with the record.

use anyhow::{Context, Result};
use std::path::Path;
use std::sync::Mutex;
use tamis_case::{IngestRecord, RegistryFinding};
use tamis_registry::decoys::{self, WatermarkKey};
use tamis_registry::fingerprint;
use tamis_registry::matching::{Matcher, RegistryMatch};
use tamis_registry::store::Registry;

/// Diffs are cut to this many spans: enough to show every change of an
/// altered page, bounded for a rewritten book.
const MAX_DIFF_SPANS: usize = 2_000;

/// The registry loaded once, shared by the workers.
pub struct RegistryCheck {
    matcher: Matcher,
    keys: Vec<WatermarkKey>,
    /// For the originals' texts (a diff needs them): SQLite connections
    /// are not shared between threads, and diffs are rare.
    registry: Mutex<Registry>,
}

impl RegistryCheck {
    pub fn open(path: &Path) -> Result<Self> {
        let registry = Registry::open_read_only(path)
            .with_context(|| format!("cannot open the registry {}", path.display()))?;
        let matcher = Matcher::new(&registry)
            .with_context(|| format!("cannot load the registry {}", path.display()))?;
        let keys = registry
            .watermark_keys()?
            .into_iter()
            .filter_map(|(_, json)| serde_json::from_str(&json).ok())
            .collect();
        Ok(RegistryCheck {
            matcher,
            keys,
            registry: Mutex::new(registry),
        })
    }

    /// Fill the record's registry findings: the message and each of its
    /// attachments, or the file.
    pub fn check(&self, record: &mut IngestRecord) {
        match record {
            IngestRecord::Message {
                item,
                content,
                documents,
                registry,
                ..
            } => {
                let text = message_text(content);
                registry.push(self.finding(&item.bytes, None, "message", Some(&text)));
                for (attachment, document) in content.attachments.iter().zip(documents.iter()) {
                    let name = attachment.filename.as_deref();
                    let format = fingerprint::format_of(&attachment.bytes, name);
                    registry.push(self.finding(
                        &attachment.bytes,
                        name,
                        &format,
                        document.text.as_deref(),
                    ));
                }
            }
            IngestRecord::File {
                item,
                document,
                registry,
            } => {
                let name = item.origin.to_string();
                let format = fingerprint::format_of(&item.bytes, Some(&name));
                registry.push(self.finding(
                    &item.bytes,
                    Some(&name),
                    &format,
                    document.text.as_deref(),
                ));
            }
            _ => {}
        }
    }

    fn finding(
        &self,
        bytes: &[u8],
        name: Option<&str>,
        format: &str,
        text: Option<&str>,
    ) -> RegistryFinding {
        let print = fingerprint::with_text(bytes, format, text);
        let mut found = self.matcher.match_item(&print, None);
        // A copy of a decoy: its watermark says whose copy it was.
        if matches!(found, RegistryMatch::Decoy { .. }) && !self.keys.is_empty() {
            if let Some(recovered) = decoys::recover(bytes, name, &self.keys) {
                let by_mark = self.matcher.match_item(&print, Some(recovered.mark.0));
                found = match by_mark {
                    RegistryMatch::Decoy {
                        entry,
                        recipient,
                        evidence,
                        ..
                    } => RegistryMatch::Decoy {
                        entry,
                        recipient,
                        carriers: recovered.carriers.iter().map(|c| c.to_string()).collect(),
                        evidence,
                    },
                    other => other,
                };
            }
        }
        let mut detail = serde_json::to_value(&found).unwrap_or_default();
        if let (RegistryMatch::Altered { entry, .. }, Some(text)) = (&found, text) {
            if let Some(diff) = self.diff(entry.id, text) {
                detail["diff"] = diff;
            }
        }
        RegistryFinding {
            sha256: print.sha256.clone(),
            code: found.code().to_owned(),
            detail,
        }
    }

    /// The word-level diff from the registered original to `text`, when the
    /// registry kept the original's text.
    fn diff(&self, entry: i64, text: &str) -> Option<serde_json::Value> {
        let original = self
            .registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .text(entry)
            .ok()??;
        let diff = tamis_registry::diff::words(&original, text);
        let mut value = serde_json::to_value(&diff).ok()?;
        if let Some(spans) = value.get_mut("spans").and_then(|s| s.as_array_mut()) {
            if spans.len() > MAX_DIFF_SPANS {
                spans.truncate(MAX_DIFF_SPANS);
                value["cut"] = serde_json::Value::Bool(true);
            }
        }
        Some(value)
    }
}

/// A message's text as `registry add` reads it (`fingerprint::text_of`):
/// its subject, then its plain body.
fn message_text(content: &tamis_findings::MessageContent) -> String {
    let mut text = String::new();
    if let Some(subject) = &content.subject {
        text.push_str(subject);
        text.push('\n');
    }
    text.push_str(&content.text_body);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ingest fingerprints a message from what it already parsed; `registry
    /// add` from the bytes: the two must agree, or nothing would match.
    #[test]
    fn ingest_and_registry_add_fingerprint_a_message_alike() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sample-dump");
        let path = dir.join("maildir-claire.dubois/cur/1491203520.M0000P2017.horizon-laptop:2,S");
        let bytes = std::fs::read(path).unwrap();
        let content = tamis_content::extract(&bytes);
        let text = message_text(&content);
        let ours = fingerprint::with_text(&bytes, "message", Some(&text));
        let theirs = fingerprint::of(&bytes, None);
        assert_eq!(theirs.format, "message");
        assert_eq!(ours, theirs);
    }
}
