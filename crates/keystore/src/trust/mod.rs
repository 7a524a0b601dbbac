//! Trust flags: why a key proves less than a valid signature suggests.
//!
//! `check` computes the flags that hold whatever the message
//! (`weak`, `private-key-published`, `shared-factor`) for every key and
//! stores them; `outside-seen-window` depends on the message's date, so
//! only [`trust_at`] gives it, for the verifier to call per message.

pub(crate) mod batch_gcd;
pub(crate) mod gmp;
pub(crate) mod published;
pub(crate) mod shared;
pub(crate) mod weak;

use crate::model::{KeyId, Provenance, StoredKey, TrustFlag};
use crate::{KeyStore, StoreError};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;
use tamis_keys::{CaveatScope, KeyCaveat};

/// What `check` found.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    pub keys: usize,
    /// Distinct RSA moduli batch GCD ran over.
    pub rsa_moduli: usize,
    pub weak: usize,
    pub private_key_published: usize,
    pub shared_factor: usize,
    /// Wall time of batch GCD alone.
    pub batch_gcd_seconds: f64,
}

impl KeyStore {
    /// Recomputes every stored trust flag from the keys now in the store.
    pub fn check(&self) -> Result<CheckReport, StoreError> {
        let conn = self.conn();
        let keys: i64 = conn
            .query_row("SELECT count(*) FROM keys", [], |row| row.get(0))
            .map_err(|e| self.sqlite(e))?;
        let keys = usize::try_from(keys).unwrap_or_default();
        let weak = weak::weak_keys(&conn).map_err(|e| self.sqlite(e))?;
        let published = published::published_keys(&conn).map_err(|e| self.sqlite(e))?;
        let started = Instant::now();
        let shared = shared::shared_factors(&conn).map_err(|e| self.sqlite(e))?;
        let batch_gcd_seconds = started.elapsed().as_secs_f64();
        drop(conn);
        self.write(|tx| {
            tx.execute("DELETE FROM trust_flags", [])?;
            let mut insert = tx.prepare(
                "INSERT INTO trust_flags (key_id, flag, detail, since) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (id, bits) in &weak {
                let flag = TrustFlag::Weak { bits: *bits };
                insert.execute(params![id.0, flag.name(), flag.to_string(), None::<i64>])?;
            }
            for (id, (source, since)) in &published {
                insert.execute(params![id.0, "private-key-published", source, since])?;
            }
            for (id, detail) in &shared.flagged {
                insert.execute(params![id.0, "shared-factor", detail, None::<i64>])?;
            }
            Ok(())
        })?;
        Ok(CheckReport {
            keys,
            rsa_moduli: shared.moduli,
            weak: weak.len(),
            private_key_published: published.len(),
            shared_factor: shared.flagged.len(),
            batch_gcd_seconds,
        })
    }
}

/// Stored flags per key (all keys, one domain's, or one key).
pub(crate) fn load_flags(
    conn: &Connection,
    domain: Option<&str>,
    only: Option<KeyId>,
) -> rusqlite::Result<HashMap<KeyId, Vec<TrustFlag>>> {
    let mut statement = conn.prepare(
        "SELECT f.key_id, f.flag, f.detail, f.since, k.bits
         FROM trust_flags f JOIN keys k ON k.id = f.key_id
         WHERE (?1 IS NULL OR k.domain = ?1) AND (?2 IS NULL OR k.id = ?2)
         ORDER BY f.key_id, f.flag",
    )?;
    let rows = statement.query_map(params![domain, only.map(|k| k.0)], |row| {
        let flag: String = row.get(1)?;
        let detail: String = row.get(2)?;
        let flag = match flag.as_str() {
            "weak" => TrustFlag::Weak {
                bits: row.get::<_, Option<u32>>(4)?.unwrap_or_default(),
            },
            "private-key-published" => TrustFlag::PrivateKeyPublished {
                source: detail,
                since: row.get(3)?,
            },
            _ => TrustFlag::SharedFactor { detail },
        };
        Ok((KeyId(row.get(0)?), flag))
    })?;
    let mut out: HashMap<KeyId, Vec<TrustFlag>> = HashMap::new();
    for row in rows {
        let (id, flag) = row?;
        out.entry(id).or_default().push(flag);
    }
    Ok(out)
}

/// See [`KeyStore::trust_at`].
pub(crate) fn trust_at(key: &StoredKey, message_date: i64) -> Vec<TrustFlag> {
    let mut flags = key.flags.clone();
    if let Some(window) = seen_window_caveat(key) {
        if window.holds_at(Some(message_date)) {
            let windows = seen_windows(key);
            flags.push(TrustFlag::OutsideSeenWindow {
                first_seen: windows.iter().filter_map(|w| w.0).min(),
                last_seen: windows.iter().filter_map(|w| w.1).max(),
            });
        }
    }
    flags
}

/// What the store knows against trusting `key`, for the verifier: every
/// stored flag, the archive windows, and whether only tamis's own recovery
/// vouches for it.
pub(crate) fn caveats(key: &StoredKey) -> Vec<KeyCaveat> {
    let mut caveats: Vec<KeyCaveat> = key
        .flags
        .iter()
        .map(|flag| KeyCaveat::always(flag.name(), words(flag)))
        .collect();
    caveats.extend(seen_window_caveat(key));
    if !key.provenance.is_empty() && !key.provenance.iter().any(Provenance::is_independent) {
        caveats.push(KeyCaveat::always(
            "recovered",
            "the key was computed by tamis from signatures in the dump; no archive, zone \
             file or DNS answer vouches for it",
        ));
    }
    caveats
}

/// A flag's reason without its leading name, which the caveat carries as
/// its code.
fn words(flag: &TrustFlag) -> String {
    let text = flag.to_string();
    text.strip_prefix(flag.name())
        .and_then(|rest| rest.strip_prefix(": "))
        .map_or_else(|| text.clone(), str::to_owned)
}

fn seen_windows(key: &StoredKey) -> Vec<(Option<i64>, Option<i64>)> {
    key.provenance
        .iter()
        .filter_map(|p| match p {
            Provenance::Archive {
                first_seen,
                last_seen,
                ..
            } if first_seen.is_some() || last_seen.is_some() => Some((*first_seen, *last_seen)),
            _ => None,
        })
        .collect()
}

/// `outside-seen-window`, when archives dated the key. A key also known
/// from a source without dates (a zone file, DNS) is still dated by the
/// archives: the zone file says the key existed, not when.
fn seen_window_caveat(key: &StoredKey) -> Option<KeyCaveat> {
    let windows = seen_windows(key);
    if windows.is_empty() {
        return None;
    }
    let flag = TrustFlag::OutsideSeenWindow {
        first_seen: windows.iter().filter_map(|w| w.0).min(),
        last_seen: windows.iter().filter_map(|w| w.1).max(),
    };
    Some(KeyCaveat {
        code: flag.name().to_owned(),
        detail: words(&flag),
        scope: CaveatScope::OutsideWindows(windows),
    })
}
