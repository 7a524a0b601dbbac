//! Imports: a file's format is told from its content, never its name.
//!
//! - starts with `[` or `{`: a JSON export of a key archive ([`json`]);
//! - holds `-----BEGIN … PUBLIC KEY-----`: PEM public keys, accepted only as
//!   a published-private-key list ([`published`]), since PEM carries no
//!   domain or selector;
//! - anything else: a zone-style key file, read by `tamis-keys`'s
//!   [`tamis_keys::KeyFile`] ([`zone`]).
//!
//! A line or entry that cannot be read is a warning naming the file and the
//! line or entry; the rest of the file is imported.

pub(crate) mod json;
pub(crate) mod published;
pub(crate) mod zone;

use crate::store::{insert_key, insert_provenance, split_key_name, ProvenanceRow, SQLITE_MAGIC};
use crate::{KeyStore, StoreError};
use serde::Serialize;
use std::path::Path;

/// What kind of file an import read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportFormat {
    Zone,
    Json,
    Pem,
}

/// What one import did.
#[derive(Clone, Debug, Serialize)]
pub struct ImportReport {
    pub path: String,
    pub format: ImportFormat,
    /// Records (or keys) read from the file.
    pub records: usize,
    /// Keys the store did not hold before.
    pub new_keys: usize,
    /// Provenance rows added (zero when the file was imported before).
    pub new_provenance: usize,
    /// Published-private-key entries added.
    pub new_published: usize,
    /// Lines or entries skipped, each naming file and line or entry.
    pub warnings: Vec<String>,
}

/// A key read from a file, with where in the file it was.
pub(crate) struct ReadKey {
    pub name: String,
    pub record: String,
    pub line: Option<u32>,
    pub entry: Option<u32>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

fn read_text(path: &Path) -> Result<String, StoreError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
        path: shown.clone(),
        source,
    })?;
    if bytes.starts_with(SQLITE_MAGIC) {
        return Err(StoreError::Import(format!(
            "{shown} is a SQLite file (a key store?), not a key file: import the files it was built from"
        )));
    }
    String::from_utf8(bytes).map_err(|_| StoreError::Import(format!("{shown} is not UTF-8 text")))
}

pub(crate) fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .as_bytes()
            .first(),
        Some(b'[' | b'{')
    )
}

pub(crate) fn looks_like_pem(text: &str) -> bool {
    text.contains("-----BEGIN PUBLIC KEY-----") || text.contains("-----BEGIN RSA PUBLIC KEY-----")
}

impl KeyStore {
    /// Imports a zone file or a key archive's JSON export (told apart by
    /// content). Trust flags are not recomputed here: call
    /// [`KeyStore::check`] after the last import.
    pub fn import_file(&self, path: &Path) -> Result<ImportReport, StoreError> {
        let text = read_text(path)?;
        let shown = path.display().to_string();
        let (format, keys, warnings, kind) = if looks_like_json(&text) {
            let (keys, warnings) = json::read(&text, &shown);
            (ImportFormat::Json, keys, warnings, "archive")
        } else if looks_like_pem(&text) {
            return Err(StoreError::Import(format!(
                "{shown} holds PEM public keys, which name no domain or selector; \
                 if their private halves are public, import it with --published"
            )));
        } else {
            let (keys, warnings) = zone::read(&text, &shown).map_err(StoreError::Import)?;
            (ImportFormat::Zone, keys, warnings, "file")
        };
        let mut report = ImportReport {
            path: shown.clone(),
            format,
            records: keys.len(),
            new_keys: 0,
            new_provenance: 0,
            new_published: 0,
            warnings,
        };
        self.store_keys(&keys, kind, &shown, &mut report)?;
        Ok(report)
    }

    /// Writes read keys with provenance `kind` from `source`.
    pub(crate) fn store_keys(
        &self,
        keys: &[ReadKey],
        kind: &str,
        source: &str,
        report: &mut ImportReport,
    ) -> Result<(), StoreError> {
        let mut skipped = Vec::new();
        let (new_keys, new_provenance) = self.write(|tx| {
            let (mut new_keys, mut new_provenance) = (0, 0);
            for key in keys {
                let Some((selector, domain)) = split_key_name(&key.name) else {
                    skipped.push(format!(
                        "{}: {} is not a DKIM key name (selector._domainkey.domain); skipped",
                        place(source, key),
                        key.name
                    ));
                    continue;
                };
                let (id, added) = insert_key(tx, &domain, &selector, &key.record)?;
                new_keys += usize::from(added);
                let row = ProvenanceRow {
                    kind,
                    source,
                    line: key.line,
                    entry: key.entry,
                    first_seen: key.first_seen,
                    last_seen: key.last_seen,
                    ..ProvenanceRow::default()
                };
                new_provenance += usize::from(insert_provenance(tx, id, &row)?);
            }
            Ok((new_keys, new_provenance))
        })?;
        report.new_keys += new_keys;
        report.new_provenance += new_provenance;
        report.warnings.extend(skipped);
        Ok(())
    }
}

/// `file:line` or `file[entry]`, as warnings name a place.
pub(crate) fn place(source: &str, key: &ReadKey) -> String {
    match (key.line, key.entry) {
        (_, Some(entry)) => format!("{source}[{entry}]"),
        (Some(line), None) => format!("{source}:{line}"),
        (None, None) => source.to_owned(),
    }
}
