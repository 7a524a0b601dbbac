//! The registry file: one SQLite database, portable (copy it, mail it to a
//! newsroom, keep it offline), holding fingerprints and, only when asked,
//! the extracted text of each registered file.
//!
//! ## Schema (version [`SCHEMA_VERSION`])
//!
//! ```sql
//! meta    (key TEXT PRIMARY KEY, value TEXT)   -- schema-version, fingerprint-scheme,
//!                                              -- lsh-bands, lsh-rows, created-by
//! entries (id INTEGER PRIMARY KEY, path, kind 'genuine'|'decoy', recipient,
//!          watermark, watermark_key /* JSON of decoys::WatermarkKey */,
//!          sha256, size, format, words, shingles,
//!          minhash BLOB /* 128 × u32 little-endian */, tlsh, text, registered_at)
//! lsh     (band, bucket, entry)                -- the MinHash band index
//! ```
//!
//! `PRAGMA application_id` is `0x746d7352` ("tmsR") and `user_version` the
//! schema version, so `file`-like tools and tamis itself recognise a
//! registry, and a case database or any other SQLite file is refused by
//! name. The journal stays in rollback mode (no `-wal`/`-shm` companions):
//! the registry is one file at rest.
//!
//! An entry is one registered file *as a given kind for a given
//! recipient*: the same bytes added twice as genuine return the first id;
//! the same bytes registered as genuine and as a decoy, or as decoys for
//! two recipients, are distinct entries.
//!
//! ## LSH
//!
//! The MinHash signature is cut into [`LSH_BANDS`] bands of [`LSH_ROWS`]
//! values; two texts become candidates when one band is equal. The chance
//! for a pair of Jaccard similarity `s` is `1 − (1 − s^r)^b`; see
//! [`LSH_BANDS`] for the numbers and `matching` for the thresholds they
//! serve.

use crate::fingerprint::{self, Fingerprint, MINHASH_PERMUTATIONS};
use anyhow::{anyhow, bail, Context, Result};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the tables above; a newer file is refused, not misread.
pub const SCHEMA_VERSION: u32 = 1;
/// "tmsR": the SQLite application id of a tamis registry.
pub const APPLICATION_ID: i32 = 0x746d_7352;
/// Bands of the LSH index. With [`LSH_ROWS`] = 4, a pair is a candidate
/// with probability `1 − (1 − s⁴)³²`: 0.05 at s = 0.2, 0.56 at 0.4,
/// 0.87 at 0.5, 0.99 at 0.6, 1.00 from 0.7. The altered threshold
/// (`matching`) accepts from a Jaccard estimate of 0.5 up, where every
/// measured altered copy of the corpus lies well above (see
/// `tests/precision_recall.rs`), so the index loses none of them, while
/// boilerplate-sharing documents (s ≈ 0.1–0.3) are rarely even compared.
pub const LSH_BANDS: usize = 32;
/// Rows (signature values) per band: `LSH_BANDS × LSH_ROWS` =
/// [`MINHASH_PERMUTATIONS`].
pub const LSH_ROWS: usize = 4;
const _: () = assert!(LSH_BANDS * LSH_ROWS == MINHASH_PERMUTATIONS);

/// What a registered file is to the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// One of its own, real files or mails.
    Genuine,
    /// A trap it planted (usually one watermarked copy per recipient).
    Decoy,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Genuine => "genuine",
            EntryKind::Decoy => "decoy",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        match s {
            "genuine" => Some(EntryKind::Genuine),
            "decoy" => Some(EntryKind::Decoy),
            _ => None,
        }
    }
}

/// A file to register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEntry {
    /// Where the file was when registered (as the user gave it).
    pub path: String,
    pub kind: EntryKind,
    /// For a decoy copy: who received it.
    pub recipient: Option<String>,
    /// For a decoy copy: the watermark it carries (`decoys`).
    pub watermark: Option<u32>,
    /// For a decoy copy: what `decoys::recover` needs to read its keyed
    /// carriers (a `decoys::WatermarkKey` as JSON, opaque here; it holds
    /// no text of the document).
    #[serde(default)]
    pub watermark_key: Option<String>,
    pub fingerprint: Fingerprint,
    /// The extracted text, kept only when the user asks (`--with-text`):
    /// it lets a diff be shown without the original file, but makes the
    /// registry as sensitive as the documents.
    pub text: Option<String>,
    /// Unix seconds.
    pub registered_at: i64,
}

/// A registered file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub path: String,
    pub kind: EntryKind,
    pub recipient: Option<String>,
    pub watermark: Option<u32>,
    pub fingerprint: Fingerprint,
    /// Whether the text was kept ([`Registry::text`] reads it).
    pub has_text: bool,
    pub registered_at: i64,
}

/// What [`Registry::add`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    pub id: i64,
    /// False when the same bytes were already registered with the same
    /// kind and recipient: `id` is then the existing entry's.
    pub inserted: bool,
}

/// Counts for `tamis registry show`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub entries: u64,
    pub genuine: u64,
    pub decoys: u64,
    /// Distinct recipients of decoys.
    pub recipients: u64,
    /// Entries with a MinHash signature (enough text to find edited copies).
    pub with_minhash: u64,
    pub with_tlsh: u64,
    /// Entries whose text is kept.
    pub with_text: u64,
    /// Entries per format (`pdf`, `ooxml`, `message`…), most first.
    pub formats: Vec<(String, u64)>,
    pub schema_version: u32,
    pub fingerprint_scheme: String,
    pub lsh_bands: u32,
    pub lsh_rows: u32,
    /// Earliest and latest registration (Unix seconds).
    pub first_registered: Option<i64>,
    pub last_registered: Option<i64>,
}

/// An open registry file.
pub struct Registry {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('genuine', 'decoy')),
    recipient TEXT,
    watermark INTEGER,
    watermark_key TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    words INTEGER NOT NULL,
    shingles INTEGER NOT NULL,
    minhash BLOB,
    tlsh TEXT,
    text TEXT,
    registered_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX entries_identity ON entries (sha256, kind, COALESCE(recipient, ''));
CREATE INDEX entries_watermark ON entries (watermark) WHERE watermark IS NOT NULL;
CREATE TABLE lsh (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    entry INTEGER NOT NULL REFERENCES entries (id),
    PRIMARY KEY (band, bucket, entry)
) WITHOUT ROWID;
";

const ENTRY_COLUMNS: &str = "id, path, kind, recipient, watermark, sha256, size, format, words, \
     shingles, minhash, tlsh, text IS NOT NULL, registered_at";

impl Registry {
    /// Opens the registry at `path` for adding, creating it when the file
    /// does not exist (or is empty).
    pub fn create_or_open(path: impl AsRef<Path>) -> Result<Registry> {
        let path = path.as_ref();
        let conn = Connection::open(path)
            .with_context(|| format!("{}: cannot open or create the registry", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let registry = Registry {
            conn,
            path: path.to_owned(),
            read_only: false,
        };
        if registry.application_id()? == 0 && !registry.has_table("meta")? {
            registry.create_schema()?;
        }
        registry.check()?;
        Ok(registry)
    }

    /// Opens an existing registry read-only, for matching: any number of
    /// processes can read it at once, and nothing here can change it.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Registry> {
        let path = path.as_ref();
        if !path.is_file() {
            bail!(
                "{}: no registry there (make one with `tamis registry add --registry {}`)",
                path.display(),
                path.display()
            );
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("{}: cannot open the registry", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let registry = Registry {
            conn,
            path: path.to_owned(),
            read_only: true,
        };
        registry.check()?;
        Ok(registry)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn application_id(&self) -> Result<i32> {
        self.conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .with_context(|| format!("{}: not an SQLite file", self.path.display()))
    }

    fn has_table(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn create_schema(&self) -> Result<()> {
        let tables: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            bail!(
                "{}: an SQLite database that is not a tamis registry; name a new file",
                self.path.display()
            );
        }
        let created_by = format!("tamis-registry {}", env!("CARGO_PKG_VERSION"));
        let batch = format!(
            "BEGIN;
             {SCHEMA}
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {SCHEMA_VERSION};
             COMMIT;"
        );
        self.conn
            .execute_batch(&batch)
            .with_context(|| format!("{}: cannot create the registry", self.path.display()))?;
        let mut insert = self
            .conn
            .prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
        for (key, value) in [
            ("schema-version", SCHEMA_VERSION.to_string()),
            ("fingerprint-scheme", fingerprint::SCHEME.to_owned()),
            ("lsh-bands", LSH_BANDS.to_string()),
            ("lsh-rows", LSH_ROWS.to_string()),
            ("created-by", created_by),
        ] {
            insert.execute(params![key, value])?;
        }
        Ok(())
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Refuses what is not a registry this build can read.
    fn check(&self) -> Result<()> {
        let shown = self.path.display();
        if self.application_id()? != APPLICATION_ID || !self.has_table("meta")? {
            bail!("{shown}: not a tamis registry (an SQLite file made by something else)");
        }
        let version: u32 = self
            .meta("schema-version")?
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| anyhow!("{shown}: the registry has no schema version"))?;
        if version > SCHEMA_VERSION {
            bail!(
                "{shown}: registry schema {version} is newer than this tamis reads \
                 ({SCHEMA_VERSION}); upgrade tamis"
            );
        }
        let scheme = self.meta("fingerprint-scheme")?.unwrap_or_default();
        if scheme != fingerprint::SCHEME {
            bail!(
                "{shown}: its fingerprints were made by another scheme ({scheme:?}, this tamis \
                 makes {:?}); register the files again in a new registry",
                fingerprint::SCHEME
            );
        }
        let bands = self.meta("lsh-bands")?.unwrap_or_default();
        let rows = self.meta("lsh-rows")?.unwrap_or_default();
        if bands != LSH_BANDS.to_string() || rows != LSH_ROWS.to_string() {
            bail!(
                "{shown}: its LSH index has {bands} bands of {rows} rows, this tamis uses \
                 {LSH_BANDS} of {LSH_ROWS}; register the files again in a new registry"
            );
        }
        Ok(())
    }

    /// Registers one file. The same bytes already registered with the same
    /// kind and recipient are not added again (their text is kept if it
    /// was missing and is given now).
    pub fn add(&mut self, entry: &NewEntry) -> Result<Added> {
        Ok(self.add_many(std::slice::from_ref(entry))?[0])
    }

    /// Registers many files in one transaction (much faster than one
    /// [`Registry::add`] each); all or none are added.
    pub fn add_many(&mut self, entries: &[NewEntry]) -> Result<Vec<Added>> {
        if self.read_only {
            bail!("{}: opened read-only", self.path.display());
        }
        let shown = self.path.display().to_string();
        let tx = self.conn.transaction()?;
        let mut added = Vec::with_capacity(entries.len());
        {
            let mut find = tx.prepare_cached(
                "SELECT id FROM entries WHERE sha256 = ?1 AND kind = ?2 \
                 AND COALESCE(recipient, '') = COALESCE(?3, '')",
            )?;
            let mut fill_text =
                tx.prepare_cached("UPDATE entries SET text = ?2 WHERE id = ?1 AND text IS NULL")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO entries (path, kind, recipient, watermark, watermark_key, sha256, \
                 size, format, words, shingles, minhash, tlsh, text, registered_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?;
            let mut band = tx.prepare_cached(
                "INSERT OR IGNORE INTO lsh (band, bucket, entry) VALUES (?1, ?2, ?3)",
            )?;
            for entry in entries {
                let fp = &entry.fingerprint;
                validate(fp).with_context(|| format!("{shown}: cannot register {}", entry.path))?;
                let existing: Option<i64> = find
                    .query_row(
                        params![fp.sha256, entry.kind.as_str(), entry.recipient],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(id) = existing {
                    if let Some(text) = &entry.text {
                        fill_text.execute(params![id, text])?;
                    }
                    added.push(Added {
                        id,
                        inserted: false,
                    });
                    continue;
                }
                insert.execute(params![
                    entry.path,
                    entry.kind.as_str(),
                    entry.recipient,
                    entry.watermark,
                    entry.watermark_key,
                    fp.sha256,
                    fp.size as i64,
                    fp.format,
                    fp.words,
                    fp.shingles,
                    fp.minhash.as_deref().map(signature_blob),
                    fp.tlsh,
                    entry.text,
                    entry.registered_at,
                ])?;
                let id = tx.last_insert_rowid();
                if let Some(signature) = &fp.minhash {
                    for (b, bucket) in band_buckets(signature).into_iter().enumerate() {
                        band.execute(params![b as i64, bucket as i64, id])?;
                    }
                }
                added.push(Added { id, inserted: true });
            }
        }
        tx.commit()
            .with_context(|| format!("{shown}: cannot save the new entries"))?;
        Ok(added)
    }

    /// Every entry, in registration order (fingerprints, not texts).
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        self.for_each_entry(|e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` on every entry in id order without holding them all.
    pub fn for_each_entry(&self, mut f: impl FnMut(Entry) -> Result<()>) -> Result<()> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {ENTRY_COLUMNS} FROM entries ORDER BY id"))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            f(entry_from_row(row)
                .with_context(|| format!("{}: unreadable entry", self.path.display()))?)?;
        }
        Ok(())
    }

    pub fn get(&self, id: i64) -> Result<Option<Entry>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?1"
        ))?;
        let mut rows = statement.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(entry_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Entries with these exact bytes (lowercase hex SHA-256).
    pub fn by_sha256(&self, sha256: &str) -> Result<Vec<Entry>> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries WHERE sha256 = ?1 ORDER BY id"
        ))?;
        let mut rows = statement.query([sha256])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(entry_from_row(row)?);
        }
        Ok(out)
    }

    /// The watermark keys of the decoy copies, `(entry id, key JSON)`, for
    /// `decoys::recover`.
    pub fn watermark_keys(&self) -> Result<Vec<(i64, String)>> {
        let mut statement = self.conn.prepare(
            "SELECT id, watermark_key FROM entries WHERE watermark_key IS NOT NULL ORDER BY id",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The text kept for an entry (`None` when it was not kept).
    pub fn text(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT text FROM entries WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Ids of the entries sharing at least one LSH band with `fingerprint`,
    /// through the stored index (one query per band): for a lookup or
    /// another reader of the file without loading it all. The `matching`
    /// module builds the same buckets in memory from the signatures, less
    /// the bands made only of boilerplate.
    pub fn candidates(&self, fingerprint: &Fingerprint) -> Result<Vec<i64>> {
        let Some(signature) = &fingerprint.minhash else {
            return Ok(Vec::new());
        };
        let mut statement = self
            .conn
            .prepare_cached("SELECT entry FROM lsh WHERE band = ?1 AND bucket = ?2")?;
        let mut ids = Vec::new();
        for (b, bucket) in band_buckets(signature).into_iter().enumerate() {
            let mut rows = statement.query(params![b as i64, bucket as i64])?;
            while let Some(row) = rows.next()? {
                ids.push(row.get(0)?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n as u64)
        };
        let (first, last): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT min(registered_at), max(registered_at) FROM entries",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut formats = Vec::new();
        let mut statement = self.conn.prepare(
            "SELECT format, count(*) FROM entries GROUP BY format ORDER BY count(*) DESC, format",
        )?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let n: i64 = row.get(1)?;
            formats.push((row.get(0)?, n as u64));
        }
        Ok(Stats {
            entries: count("SELECT count(*) FROM entries")?,
            genuine: count("SELECT count(*) FROM entries WHERE kind = 'genuine'")?,
            decoys: count("SELECT count(*) FROM entries WHERE kind = 'decoy'")?,
            recipients: count(
                "SELECT count(DISTINCT recipient) FROM entries WHERE kind = 'decoy' \
                 AND recipient IS NOT NULL",
            )?,
            with_minhash: count("SELECT count(*) FROM entries WHERE minhash IS NOT NULL")?,
            with_tlsh: count("SELECT count(*) FROM entries WHERE tlsh IS NOT NULL")?,
            with_text: count("SELECT count(*) FROM entries WHERE text IS NOT NULL")?,
            formats,
            schema_version: SCHEMA_VERSION,
            fingerprint_scheme: fingerprint::SCHEME.to_owned(),
            lsh_bands: LSH_BANDS as u32,
            lsh_rows: LSH_ROWS as u32,
            first_registered: first,
            last_registered: last,
        })
    }
}

fn validate(fp: &Fingerprint) -> Result<()> {
    if fp.sha256.len() != 64
        || !fp
            .sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        bail!("the SHA-256 {:?} is not 64 lowercase hex digits", fp.sha256);
    }
    if let Some(signature) = &fp.minhash {
        if signature.len() != MINHASH_PERMUTATIONS {
            bail!(
                "a MinHash signature of {} values, not {MINHASH_PERMUTATIONS}",
                signature.len()
            );
        }
    }
    if let Some(tlsh) = &fp.tlsh {
        if fingerprint::parse_tlsh(tlsh).is_none() {
            bail!("the TLSH digest {tlsh:?} does not parse");
        }
    }
    Ok(())
}

fn signature_blob(signature: &[u32]) -> Vec<u8> {
    signature.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn signature_from_blob(blob: &[u8]) -> Option<Vec<u32>> {
    if blob.len() != MINHASH_PERMUTATIONS * 4 {
        return None;
    }
    Some(
        blob.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    )
}

/// The bucket of each band of a signature: a stable 64-bit hash of the
/// band's values and its number (so buckets of two bands never collide
/// when kept in one map).
pub fn band_buckets(signature: &[u32]) -> Vec<u64> {
    signature
        .chunks(LSH_ROWS)
        .take(LSH_BANDS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = 0x6c73_685f_6261_6e64u64 ^ band as u64;
            for &v in rows {
                h = mix(h ^ u64::from(v));
            }
            h
        })
        .collect()
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn entry_from_row(row: &Row<'_>) -> Result<Entry> {
    let kind: String = row.get(2)?;
    let blob: Option<Vec<u8>> = row.get(10)?;
    let id: i64 = row.get(0)?;
    let minhash =
        match blob {
            Some(blob) => Some(signature_from_blob(&blob).ok_or_else(|| {
                anyhow!("entry {id}: a MinHash signature of {} bytes", blob.len())
            })?),
            None => None,
        };
    let size: i64 = row.get(6)?;
    Ok(Entry {
        id,
        path: row.get(1)?,
        kind: EntryKind::parse(&kind).ok_or_else(|| anyhow!("entry {id}: kind {kind:?}"))?,
        recipient: row.get(3)?,
        watermark: row.get(4)?,
        fingerprint: Fingerprint {
            sha256: row.get(5)?,
            size: size as u64,
            format: row.get(7)?,
            words: row.get(8)?,
            shingles: row.get(9)?,
            minhash,
            tlsh: row.get(11)?,
        },
        has_text: row.get(12)?,
        registered_at: row.get(13)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint;

    fn entry(text: &str, kind: EntryKind, recipient: Option<&str>) -> NewEntry {
        NewEntry {
            path: format!("/docs/{}.txt", text.len()),
            kind,
            recipient: recipient.map(str::to_owned),
            watermark: recipient.map(|r| r.len() as u32),
            watermark_key: recipient.map(|r| format!("{{\"for\":\"{r}\"}}")),
            fingerprint: fingerprint::of(text.as_bytes(), Some("x.txt")),
            text: None,
            registered_at: 1_493_942_400,
        }
    }

    const MEMO: &str = "Note au comité: le déplacement à Lyon est confirmé pour le 3 mai, \
                        avec une réunion publique au palais des sports et un point presse.";
    const OTHER: &str = "Budget prévisionnel des affiches et tracts pour le second tour, \
                         à valider par le trésorier avant vendredi midi au plus tard.";

    #[test]
    fn round_trip_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reg.sqlite");
        let mut registry = Registry::create_or_open(&path).unwrap();
        let a = registry
            .add(&entry(MEMO, EntryKind::Genuine, None))
            .unwrap();
        assert!(a.inserted);
        let mut with_text = entry(OTHER, EntryKind::Decoy, Some("anne@example.fr"));
        with_text.text = Some(OTHER.to_owned());
        let b = registry.add(&with_text).unwrap();
        // Same bytes, same kind: the first id, nothing added.
        let again = registry
            .add(&entry(MEMO, EntryKind::Genuine, None))
            .unwrap();
        assert_eq!(
            again,
            Added {
                id: a.id,
                inserted: false
            }
        );
        // Same bytes as a decoy: another entry.
        let as_decoy = registry
            .add(&entry(MEMO, EntryKind::Decoy, Some("paul")))
            .unwrap();
        assert!(as_decoy.inserted);
        drop(registry);

        let registry = Registry::open_read_only(&path).unwrap();
        assert!(registry.is_read_only());
        let entries = registry.entries().unwrap();
        assert_eq!(entries.len(), 3);
        let first = registry.get(a.id).unwrap().unwrap();
        assert_eq!(
            first.fingerprint,
            fingerprint::of(MEMO.as_bytes(), Some("x.txt"))
        );
        assert_eq!(first.kind, EntryKind::Genuine);
        assert!(!first.has_text);
        let second = registry.get(b.id).unwrap().unwrap();
        assert_eq!(second.recipient.as_deref(), Some("anne@example.fr"));
        assert_eq!(second.watermark, Some(15));
        assert!(second.has_text);
        assert_eq!(registry.text(b.id).unwrap().as_deref(), Some(OTHER));
        assert_eq!(registry.text(a.id).unwrap(), None);
        let keys = registry.watermark_keys().unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0], (b.id, r#"{"for":"anne@example.fr"}"#.to_owned()));
        assert!(registry.get(999).unwrap().is_none());
        assert_eq!(
            registry.by_sha256(&first.fingerprint.sha256).unwrap().len(),
            2
        );

        let stats = registry.stats().unwrap();
        assert_eq!(
            (stats.entries, stats.genuine, stats.decoys, stats.recipients),
            (3, 1, 2, 2)
        );
        assert_eq!((stats.with_minhash, stats.with_text), (3, 1));
        assert_eq!(stats.formats, vec![("text".to_owned(), 3)]);
        assert_eq!(stats.first_registered, Some(1_493_942_400));

        // The stored band index finds the entry from its own fingerprint.
        let candidates = registry.candidates(&first.fingerprint).unwrap();
        assert!(candidates.contains(&a.id) && candidates.contains(&as_decoy.id));
        assert!(!candidates.contains(&b.id));

        // Read-only refuses writes; reopening for writing keeps everything.
        let mut registry = registry;
        assert!(registry
            .add(&entry(OTHER, EntryKind::Genuine, None))
            .is_err());
        drop(registry);
        let mut registry = Registry::create_or_open(&path).unwrap();
        assert_eq!(registry.entries().unwrap().len(), 3);
        registry
            .add(&entry(OTHER, EntryKind::Genuine, None))
            .unwrap();
        assert_eq!(registry.stats().unwrap().entries, 4);
        // One file at rest: no journal or WAL companions left behind.
        drop(registry);
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn refuses_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.sqlite");
        let err = Registry::open_read_only(&missing)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("no registry there"), "{err}");

        let other = dir.path().join("case.sqlite");
        let conn = Connection::open(&other).unwrap();
        conn.execute_batch("CREATE TABLE items (id INTEGER)")
            .unwrap();
        drop(conn);
        let err = format!("{:#}", Registry::create_or_open(&other).err().unwrap());
        assert!(err.contains("not a tamis registry"), "{err}");
        let err = format!("{:#}", Registry::open_read_only(&other).err().unwrap());
        assert!(err.contains("not a tamis registry"), "{err}");

        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not a database at all, just words in a file ...").unwrap();
        assert!(Registry::create_or_open(&text).is_err());

        let newer = dir.path().join("newer.sqlite");
        Registry::create_or_open(&newer).unwrap();
        let conn = Connection::open(&newer).unwrap();
        conn.execute(
            "UPDATE meta SET value = '99' WHERE key = 'schema-version'",
            [],
        )
        .unwrap();
        drop(conn);
        let err = format!("{:#}", Registry::open_read_only(&newer).err().unwrap());
        assert!(err.contains("newer than this tamis"), "{err}");
    }

    #[test]
    fn rejects_malformed_fingerprints() {
        let dir = tempfile::tempdir().unwrap();
        let mut registry = Registry::create_or_open(dir.path().join("r.sqlite")).unwrap();
        let mut bad = entry(MEMO, EntryKind::Genuine, None);
        bad.fingerprint.minhash = Some(vec![1, 2, 3]);
        assert!(registry.add(&bad).is_err());
        let mut bad = entry(MEMO, EntryKind::Genuine, None);
        bad.fingerprint.sha256 = "ABC".into();
        assert!(registry.add(&bad).is_err());
        assert_eq!(registry.stats().unwrap().entries, 0);
    }
}
