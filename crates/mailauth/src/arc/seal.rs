//! Verifying an ARC-Seal: a signature over the ARC sets up to its own
//! (RFC 8617 section 5.1.1).

use super::collect::ArcSet;
use super::keys::{self, KeyUse};
use super::tags::Seal;
use crate::common::canon::{canonicalize_header, Canon};
use crate::common::signed::append_own_field;
use crate::KeyLookup;

/// The bytes the seal of the last set in `sets` signed: for each instance
/// from 1 up, its AAR, AMS and AS, relaxed; the seal being checked last,
/// with its `b=` emptied and no final CRLF. Seals have no `c=`: relaxed is
/// fixed by the RFC.
pub(super) fn signed_data(sets: &[ArcSet<'_>]) -> Vec<u8> {
    let mut data = Vec::new();
    let Some((own, earlier)) = sets.split_last() else {
        return data;
    };
    for set in earlier {
        canonicalize_header(Canon::Relaxed, &set.results.header, &mut data);
        canonicalize_header(Canon::Relaxed, &set.message_signature.header, &mut data);
        canonicalize_header(Canon::Relaxed, &set.seal.header, &mut data);
    }
    canonicalize_header(Canon::Relaxed, &own.results.header, &mut data);
    canonicalize_header(Canon::Relaxed, &own.message_signature.header, &mut data);
    append_own_field(Canon::Relaxed, &own.seal.header, &mut data);
    data
}

/// Verify the seal of the last set of `sets`, whose tags are `seal`.
pub(super) fn verify(
    sets: &[ArcSet<'_>],
    seal: &Seal,
    keys: &dyn KeyLookup,
) -> Result<KeyUse, String> {
    let instance = sets.len();
    keys::verify(keys, &seal.signer, &signed_data(sets)).map_err(|why| {
        format!("the ARC-Seal of instance {instance} does not verify over the sets 1 to {instance}: {why}")
    })
}
