//! The store file: opening it, writing keys and provenance, reading them back.

use crate::material::{read_record, KeyMaterial};
use crate::model::{KeyId, Provenance, StoredKey, TrustFlag};
use crate::trust;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_VERSION: i64 = 2;
/// The first 16 bytes of every SQLite database file.
pub const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("key store {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error(
        "key store {path} has schema version {found}; this tamis reads version {SCHEMA_VERSION}"
    )]
    Version { path: String, found: i64 },
    #[error("key store {0} does not exist (create it with `tamis keys import FILE --store {0}`)")]
    Missing(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Import(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A key store: one SQLite file (schema in `schema.sql`).
///
/// The connection sits behind a mutex so the store can serve
/// [`tamis_keys::KeyLookup`] (which must be `Sync`) to verifier threads;
/// a lookup is one indexed query, so they hardly wait on each other.
pub struct KeyStore {
    conn: Mutex<Connection>,
    /// The path as given: prefixes every provenance the store hands out.
    label: String,
}

/// Whether `path` starts with the SQLite magic, i.e. is a key store rather
/// than a zone file (how `--keys` will tell them apart).
pub fn is_store_file(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| &magic == SQLITE_MAGIC)
}

impl KeyStore {
    /// Opens the store at `path`, creating it if missing.
    pub fn open(path: &Path) -> Result<KeyStore> {
        let label = path.display().to_string();
        let conn = Connection::open(path).map_err(|source| StoreError::Sqlite {
            path: label.clone(),
            source,
        })?;
        let store = KeyStore {
            conn: Mutex::new(conn),
            label,
        };
        store.prepare()?;
        Ok(store)
    }

    /// Opens a store that must already exist (for `check`, `list`, lookups).
    pub fn open_existing(path: &Path) -> Result<KeyStore> {
        if !path.exists() {
            return Err(StoreError::Missing(path.display().to_string()));
        }
        KeyStore::open(path)
    }

    /// The store's path as given when opened.
    pub fn label(&self) -> &str {
        &self.label
    }

    fn prepare(&self) -> Result<()> {
        let mut conn = self.conn();
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.sqlite(e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::Version {
                path: self.label.clone(),
                found,
            });
        }
        let tx = conn.transaction().map_err(|e| self.sqlite(e))?;
        if found == 1 {
            upgrade_from_v1(&tx, || tx.execute_batch(SCHEMA)).map_err(|e| self.sqlite(e))?;
        }
        tx.execute_batch(SCHEMA).map_err(|e| self.sqlite(e))?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|e| self.sqlite(e))?;
        trust::published::insert_bundled(&tx).map_err(|e| self.sqlite(e))?;
        tx.commit().map_err(|e| self.sqlite(e))
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every
        // write is in a transaction), so a poisoned lock is still usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn sqlite(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.label.clone(),
            source,
        }
    }

    /// Runs `work` in one transaction (imports are all or nothing per file).
    pub(crate) fn write<T>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.sqlite(e))?;
        let out = work(&tx).map_err(|e| self.sqlite(e))?;
        tx.commit().map_err(|e| self.sqlite(e))?;
        Ok(out)
    }

    /// Records a live DNS answer for `selector._domainkey.domain`, so the
    /// next run finds the key offline with the time it was seen.
    pub fn add_dns_record(
        &self,
        name: &str,
        record: &str,
        resolver: &str,
        looked_up_at: i64,
    ) -> Result<KeyId> {
        let (selector, domain) = split_key_name(name).ok_or_else(|| {
            StoreError::Import(format!(
                "{name} is not a DKIM key name (selector._domainkey.domain)"
            ))
        })?;
        self.write(|tx| {
            let (id, _) = insert_key(tx, &domain, &selector, record)?;
            insert_provenance(
                tx,
                id,
                &ProvenanceRow {
                    kind: "dns",
                    source: resolver,
                    looked_up_at: Some(looked_up_at),
                    ..ProvenanceRow::default()
                },
            )?;
            Ok(id)
        })
    }

    /// Every key, or those of one domain, ordered by domain, selector and
    /// age (earliest first-seen first), with provenance and stored flags.
    pub fn keys(&self, domain: Option<&str>) -> Result<Vec<StoredKey>> {
        let domain = domain.map(|d| d.trim_end_matches('.').to_ascii_lowercase());
        let conn = self.conn();
        load_keys(&conn, domain.as_deref(), None).map_err(|e| self.sqlite(e))
    }

    /// The stored key behind `record` under `name`, if the store has it: how
    /// a verifier gets from the record that verified to its trust.
    pub fn key_for_record(&self, name: &str, record: &str) -> Result<Option<StoredKey>> {
        let Some((selector, domain)) = split_key_name(name) else {
            return Ok(None);
        };
        let identity = read_record(record).identity;
        let conn = self.conn();
        let id: Option<i64> = conn
            .query_row(
                "SELECT id FROM keys WHERE domain = ?1 AND selector = ?2 AND identity = ?3",
                params![domain, selector, identity],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let Some(id) = id else { return Ok(None) };
        Ok(load_keys(&conn, None, Some(KeyId(id)))
            .map_err(|e| self.sqlite(e))?
            .pop())
    }

    /// The flags that hold for a message dated `message_date_unix` signed
    /// with `key`: the stored ones (`private-key-published` included even
    /// for a message dated before the publication: the signer writes the
    /// Date), plus `outside-seen-window` when archives saw the key and none
    /// saw it at that date.
    pub fn trust_at(&self, key: &StoredKey, message_date_unix: i64) -> Vec<TrustFlag> {
        trust::trust_at(key, message_date_unix)
    }
}

/// Version 2 allows provenance kind `recovered`. SQLite cannot change a
/// CHECK constraint in place, so the table is rebuilt: renamed away, made
/// anew by `create_schema`, refilled, dropped.
fn upgrade_from_v1(
    tx: &Transaction<'_>,
    create_schema: impl FnOnce() -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    tx.execute_batch(
        "ALTER TABLE provenance RENAME TO provenance_v1;
         DROP INDEX IF EXISTS provenance_once;",
    )?;
    create_schema()?;
    tx.execute_batch(
        "INSERT INTO provenance SELECT * FROM provenance_v1;
         DROP TABLE provenance_v1;",
    )
}

/// `selector._domainkey.domain` → (selector, domain), lower case.
pub fn split_key_name(name: &str) -> Option<(String, String)> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let at = name.find("._domainkey.")?;
    let (selector, domain) = (&name[..at], &name[at + "._domainkey.".len()..]);
    if selector.is_empty() || domain.is_empty() {
        return None;
    }
    Some((selector.to_owned(), domain.to_owned()))
}

/// One provenance row before it is written.
#[derive(Debug, Default)]
pub(crate) struct ProvenanceRow<'a> {
    pub kind: &'a str,
    pub source: &'a str,
    pub line: Option<u32>,
    pub entry: Option<u32>,
    pub looked_up_at: Option<i64>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

/// Inserts the key if new; returns its id and whether it was new.
pub(crate) fn insert_key(
    tx: &Transaction<'_>,
    domain: &str,
    selector: &str,
    record: &str,
) -> rusqlite::Result<(KeyId, bool)> {
    let KeyMaterial {
        key_type,
        bits,
        spki_der,
        rsa_modulus_hex,
        identity,
        parse_error,
    } = read_record(record);
    let added = tx.execute(
        "INSERT OR IGNORE INTO keys
             (domain, selector, record, key_type, bits, spki_der, rsa_modulus_hex, identity, parse_error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![domain, selector, record, key_type, bits, spki_der, rsa_modulus_hex, identity, parse_error],
    )?;
    let id = tx.query_row(
        "SELECT id FROM keys WHERE domain = ?1 AND selector = ?2 AND identity = ?3",
        params![domain, selector, identity],
        |row| row.get(0),
    )?;
    Ok((KeyId(id), added == 1))
}

/// Inserts the provenance if new; returns whether it was.
pub(crate) fn insert_provenance(
    tx: &Transaction<'_>,
    key: KeyId,
    row: &ProvenanceRow<'_>,
) -> rusqlite::Result<bool> {
    let added = tx.execute(
        "INSERT OR IGNORE INTO provenance
             (key_id, kind, source, line, entry, looked_up_at, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            key.0,
            row.kind,
            row.source,
            row.line,
            row.entry,
            row.looked_up_at,
            row.first_seen,
            row.last_seen
        ],
    )?;
    Ok(added == 1)
}

/// Keys with provenance and flags; all of them, one domain's, or one key.
pub(crate) fn load_keys(
    conn: &Connection,
    domain: Option<&str>,
    only: Option<KeyId>,
) -> rusqlite::Result<Vec<StoredKey>> {
    let mut provenance = load_provenance(conn, domain, only)?;
    let mut flags = trust::load_flags(conn, domain, only)?;
    let mut statement = conn.prepare(
        "SELECT k.id, k.domain, k.selector, k.record, k.key_type, k.bits, k.identity,
                k.rsa_modulus_hex, k.parse_error
         FROM keys k
         WHERE (?1 IS NULL OR k.domain = ?1) AND (?2 IS NULL OR k.id = ?2)
         ORDER BY k.domain, k.selector,
                  (SELECT min(first_seen) FROM provenance p WHERE p.key_id = k.id) IS NULL,
                  (SELECT min(first_seen) FROM provenance p WHERE p.key_id = k.id),
                  k.id",
    )?;
    let rows = statement.query_map(params![domain, only.map(|k| k.0)], |row| {
        let id = KeyId(row.get(0)?);
        Ok(StoredKey {
            id,
            domain: row.get(1)?,
            selector: row.get(2)?,
            record: row.get(3)?,
            key_type: row.get(4)?,
            bits: row.get(5)?,
            identity: row.get(6)?,
            rsa_modulus_hex: row.get(7)?,
            parse_error: row.get(8)?,
            provenance: Vec::new(),
            flags: Vec::new(),
        })
    })?;
    let mut keys = Vec::new();
    for key in rows {
        let mut key = key?;
        key.provenance = provenance.remove(&key.id).unwrap_or_default();
        key.flags = flags.remove(&key.id).unwrap_or_default();
        keys.push(key);
    }
    Ok(keys)
}

fn load_provenance(
    conn: &Connection,
    domain: Option<&str>,
    only: Option<KeyId>,
) -> rusqlite::Result<HashMap<KeyId, Vec<Provenance>>> {
    let mut statement = conn.prepare(
        "SELECT p.key_id, p.kind, p.source, p.line, p.entry, p.looked_up_at, p.first_seen, p.last_seen
         FROM provenance p JOIN keys k ON k.id = p.key_id
         WHERE (?1 IS NULL OR k.domain = ?1) AND (?2 IS NULL OR k.id = ?2)
         ORDER BY p.key_id, p.first_seen IS NULL, p.first_seen, p.id",
    )?;
    let mut out: HashMap<KeyId, Vec<Provenance>> = HashMap::new();
    let rows = statement.query_map(params![domain, only.map(|k| k.0)], |row| {
        let kind: String = row.get(1)?;
        let path: String = row.get(2)?;
        let line: Option<u32> = row.get(3)?;
        let provenance = match kind.as_str() {
            "dns" => Provenance::Dns {
                resolver: path,
                looked_up_at: row.get::<_, Option<i64>>(5)?.unwrap_or_default(),
            },
            "archive" => Provenance::Archive {
                path,
                line,
                entry: row.get(4)?,
                first_seen: row.get(6)?,
                last_seen: row.get(7)?,
            },
            "published" => Provenance::Published { path, line },
            "recovered" => Provenance::Recovered {
                dump: path,
                recovered_at: row.get::<_, Option<i64>>(5)?.unwrap_or_default(),
            },
            _ => Provenance::File { path, line },
        };
        Ok((KeyId(row.get(0)?), provenance))
    })?;
    for row in rows {
        let (id, provenance) = row?;
        out.entry(id).or_default().push(provenance);
    }
    Ok(out)
}
