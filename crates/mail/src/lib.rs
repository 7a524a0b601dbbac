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
mod trust;
pub mod verdict;

pub use identity::{identify, message_key, Identity, MessageKey};

use tamis_findings::{ArcReport, MessageReport, OriginReport};
use tamis_items::{ContentId, Item, ItemKind, Unreadable};
use tamis_keys::KeyLookup;
use tamis_mailauth::arc;

/// Analyze one message item. `origins` in the report holds only this item's
/// own origin; the caller merges the origins of duplicates. A message whose
/// header cannot be read is returned as [`Unreadable`], with the offset.
pub fn analyze(item: &Item, keys: &dyn KeyLookup) -> Result<MessageReport, Unreadable> {
    analyze_with_content_id(item, item.content_id(), keys)
}

/// [`analyze`], for a caller that already knows the item's content id (from
/// [`identify`]): hashing every message a second time cost 8 % of a run.
pub fn analyze_with_content_id(
    item: &Item,
    sha256: ContentId,
    keys: &dyn KeyLookup,
) -> Result<MessageReport, Unreadable> {
    let verified = repair::verify_with_repairs(&item.bytes, keys).map_err(|error| Unreadable {
        origin: item.origin.clone(),
        code: "header-unreadable".into(),
        reason: format!(
            "{error}; its signatures cannot be located, so it is listed here rather than \
                 as unsigned"
        ),
    })?;
    let arc = verified.arc;
    let envelope = envelope::read(&verified.header);
    let mut signatures: Vec<_> = verified
        .signatures
        .into_iter()
        .map(|result| verdict::signature_report(result, envelope.date_unix))
        .collect();
    if item.kind == ItemKind::RebuiltMessage {
        verdict::rebuilt_by_store(&mut signatures);
    }
    let (verdict, reason) = verdict::message_verdict(&signatures);
    // A repair is evidence about a verification; with nothing signed there
    // was no verification, and listing one would only be noise.
    let repairs = if signatures.is_empty() && arc.instances == 0 {
        Vec::new()
    } else {
        verified.repairs
    };
    Ok(MessageReport {
        message_id: envelope.message_id,
        sha256,
        origins: vec![OriginReport::new(item.origin.clone(), sha256)],
        from: envelope.from,
        subject: envelope.subject,
        date: envelope.date,
        verdict,
        reason,
        repairs,
        signatures,
        arc: ArcReport {
            chain: serde_word(&arc.chain),
            instances: arc.instances,
            failed_instance: arc.failed_instance,
            reason: arc.reason,
        },
    })
}

/// The RSA signatures of a message with the digests they sign, read as
/// verification reads them (an LF-stored header converted to CRLF): what
/// `tamis keys recover` computes keys from.
pub fn rsa_signed_hashes(message: &[u8]) -> Vec<tamis_mailauth::dkim::SignedHash> {
    let header = &message[..tamis_mailauth::common::header::body_start(message)];
    tamis_mailauth::dkim::rsa_signed_hashes(&repair::to_crlf(header))
}

fn serde_word(chain: &arc::ChainValidation) -> String {
    match chain {
        arc::ChainValidation::None => "none",
        arc::ChainValidation::Pass => "pass",
        arc::ChainValidation::Fail => "fail",
    }
    .to_string()
}
