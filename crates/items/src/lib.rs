//! Items: what the sources stage hands to the analyzers.
//!
//! An item is the exact original bytes of one message or file plus the place
//! it was found. Nothing here rewrites bytes: repairs of exporter damage are
//! the analyzers' business, and they report every one they apply.
//!
//! Identity is the SHA-256 of the bytes. SHA-256 rather than BLAKE3 because a
//! reader must be able to re-check an item id with `sha256sum` and no tamis.

mod origin;

pub use origin::{Origin, OriginStep};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// SHA-256 of an item's bytes, the item's identity everywhere in tamis.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentId(pub [u8; 32]);

impl ContentId {
    pub fn of(bytes: &[u8]) -> Self {
        ContentId(Sha256::digest(bytes).into())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl std::fmt::Debug for ContentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sha256:{}", self.to_hex())
    }
}

impl std::fmt::Display for ContentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for ContentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ContentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(&text, &mut out).map_err(serde::de::Error::custom)?;
        Ok(ContentId(out))
    }
}

/// What the source knows about how an item was stored, which tells the
/// analyzers which exporter damage is possible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// An RFC 5322 message stored on its own (.eml, a maildir file, an archive entry).
    Message,
    /// A message cut out of an mbox file: its body lines may carry `>From `
    /// escaping (mboxo or mboxrd) that the exporter added.
    MboxMessage,
    /// Any other file (a document, an image…). `verify` counts and skips these;
    /// later stages analyze them.
    File,
    /// A message tamis rebuilt as RFC 5322 from a mail store that keeps a
    /// message's properties rather than its bytes (PST, OST, MSG): headers
    /// as the store kept them, body and encoding re-made. A signature that
    /// fails on it proves nothing either way (verdict `rebuilt`).
    RebuiltMessage,
}

/// One message or file as found in the dump.
#[derive(Clone, Debug)]
pub struct Item {
    pub bytes: Vec<u8>,
    pub origin: Origin,
    pub kind: ItemKind,
}

impl Item {
    pub fn content_id(&self) -> ContentId {
        ContentId::of(&self.bytes)
    }
}

/// Something in the dump that could not be read as items: a truncated
/// archive, an entry over a size cap, a path that tries to leave its
/// container. It is reported with its location and the run goes on.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unreadable {
    pub origin: Origin,
    /// Stable machine code, e.g. `archive-truncated`, `entry-too-large`.
    pub code: String,
    /// What went wrong and what the user can do, in words.
    pub reason: String,
}

/// What a mail store with an index of its own (PST, OST) claims to hold,
/// against what was read from it: every message accounted for. Emitted
/// after the store's last message; each message that failed was also
/// emitted as an [`Unreadable`] with its folder and node id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreTally {
    /// The store file.
    pub origin: Origin,
    /// `pst`, `ost`.
    pub format: String,
    /// Messages the store's own folder tables list; `None` when they could
    /// not be read.
    pub claimed: Option<u64>,
    /// Messages read and emitted as items (embedded messages not counted).
    pub read: u64,
    /// Messages listed but not read (each also an `Unreadable`).
    pub failed: u64,
    /// Folders walked.
    pub folders: u64,
}

/// What the sources stage emits, in dump order.
#[derive(Clone, Debug)]
pub enum SourceEvent {
    Item(Item),
    Unreadable(Unreadable),
    Store(StoreTally),
}
