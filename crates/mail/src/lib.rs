//! The mail analyzer: `(item, keys) -> MessageReport`. Pure: no I/O but
//! through the key lookup the caller passes, no writes, safe to run on many
//! threads at once.
//!
//! It owns three decisions the protocol crate leaves open:
//! - which exporter damage to undo before verifying, and reporting each
//!   repair ([`repair`]);
//! - how protocol outcomes become tamis's verdict words ([`verdict`]);
//! - when two items are the same message ([`message_key`]).

mod envelope;
mod identity;
pub mod repair;
pub mod verdict;

pub use identity::message_key;

use tamis_findings::{ArcReport, MessageReport, OriginReport};
use tamis_items::Item;
use tamis_keys::KeyLookup;
use tamis_mailauth::{arc, dkim};

/// Analyze one message item. `origins` in the report holds only this item's
/// own origin; the caller merges the origins of duplicates.
pub fn analyze(item: &Item, keys: &dyn KeyLookup) -> MessageReport {
    let verified = repair::verify_with_repairs(&item.bytes, keys);
    let arc = arc::validate_chain(&verified.bytes, keys);
    let envelope = envelope::read(&verified.bytes);
    let signatures: Vec<_> = verified
        .signatures
        .iter()
        .map(verdict::signature_report)
        .collect();
    let (verdict, reason) = verdict::message_verdict(&signatures);
    MessageReport {
        message_id: envelope.message_id,
        sha256: item.content_id(),
        origins: vec![OriginReport::new(item.origin.clone(), item.content_id())],
        from: envelope.from,
        subject: envelope.subject,
        date: envelope.date,
        verdict,
        reason,
        repairs: verified.repairs,
        signatures,
        arc: ArcReport {
            chain: serde_word(&arc.chain),
            instances: arc.instances,
            failed_instance: arc.failed_instance,
            reason: arc.reason,
        },
    }
}

fn serde_word(chain: &arc::ChainValidation) -> String {
    match chain {
        arc::ChainValidation::None => "none",
        arc::ChainValidation::Pass => "pass",
        arc::ChainValidation::Fail => "fail",
    }
    .to_string()
}

/// The verifier's outcome for every signature, for callers (conformance
/// tests) that need protocol terms rather than verdict words.
pub fn dkim_outcomes(item: &Item, keys: &dyn KeyLookup) -> Vec<dkim::SignatureResult> {
    repair::verify_with_repairs(&item.bytes, keys).signatures
}
