//! Keys tamis recovered from signatures in a dump, kept with the messages
//! they came from (`tamis keys recover`).

use crate::material::read_record;
use crate::model::{KeyId, StoredKey};
use crate::store::{insert_key, insert_provenance, load_keys, ProvenanceRow, Result};
use crate::KeyStore;
use rusqlite::params;
use serde::Serialize;

/// One signature a recovered key was computed from or checked against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecoveredSignature {
    /// SHA-256 hex of the message as found.
    pub message: String,
    /// Where in the dump: path, and offset inside an mbox.
    pub origin: String,
    /// The signature's `t=`.
    pub signed_at: Option<i64>,
}

impl KeyStore {
    /// Stores a key recovered from `signatures` found in `dump`, with
    /// provenance `recovered`; the same key recovered again adds only the
    /// messages not yet listed.
    pub fn add_recovered_key(
        &self,
        (domain, selector): (&str, &str),
        record: &str,
        dump: &str,
        recovered_at: i64,
        signatures: &[RecoveredSignature],
    ) -> Result<KeyId> {
        self.write(|tx| {
            let (id, _) = insert_key(tx, domain, selector, record)?;
            insert_provenance(
                tx,
                id,
                &ProvenanceRow {
                    kind: "recovered",
                    source: dump,
                    looked_up_at: Some(recovered_at),
                    ..ProvenanceRow::default()
                },
            )?;
            let mut insert = tx.prepare(
                "INSERT OR IGNORE INTO recovered_from (key_id, message, origin, signed_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for s in signatures {
                insert.execute(params![id.0, s.message, s.origin, s.signed_at])?;
            }
            Ok(id)
        })
    }

    /// The signatures a recovered key was computed from, in message order.
    pub fn recovered_from(&self, key: KeyId) -> Result<Vec<RecoveredSignature>> {
        let conn = self.conn();
        let mut statement = conn
            .prepare(
                "SELECT message, origin, signed_at FROM recovered_from
                 WHERE key_id = ?1 ORDER BY origin, message",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = statement
            .query_map([key.0], |row| {
                Ok(RecoveredSignature {
                    message: row.get(0)?,
                    origin: row.get(1)?,
                    signed_at: row.get(2)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.sqlite(e));
        rows
    }

    /// Keys with the same public key as `record`, under any name, that a
    /// source other than recovery vouches for: what turns a recovered key
    /// from "consistent" into "the domain's".
    pub fn independent_keys_like(&self, record: &str) -> Result<Vec<StoredKey>> {
        let identity = read_record(record).identity;
        let conn = self.conn();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM keys WHERE identity = ?1 ORDER BY id")
            .and_then(|mut s| s.query_map([&identity], |row| row.get(0))?.collect())
            .map_err(|e| self.sqlite(e))?;
        let mut out = Vec::new();
        for id in ids {
            let keys = load_keys(&conn, None, Some(KeyId(id))).map_err(|e| self.sqlite(e))?;
            out.extend(
                keys.into_iter()
                    .filter(|k| k.provenance.iter().any(|p| p.is_independent())),
            );
        }
        Ok(out)
    }
}
