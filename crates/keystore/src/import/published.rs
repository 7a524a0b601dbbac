//! Lists of public keys whose private halves are public (`tamis keys import
//! --published FILE`): a signature made with one proves nothing about who
//! signed, whatever the message's date (the signer writes the Date).
//!
//! Two forms:
//! - a zone-style key file (as any key file); its `_domainkey` names also
//!   become keys of the store, with provenance `published`;
//! - PEM: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo, RSA or
//!   Ed25519) or `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1) blocks.
//!
//! A comment line `; published: DATE` or `# published: DATE` (in PEM also
//! a bare `published: DATE` line) dates the keys that follow it, up to the
//! next such line; `--published-on DATE` dates those before any. A key
//! without a date is taken as published always. `; source: TEXT` says
//! where the private half was printed (the bundled list uses it); without
//! one, the source is the file and line.

use super::{looks_like_pem, read_text, zone, ImportFormat, ImportReport, ReadKey};
use crate::date::{self, DayEnd};
use crate::material::{read_record, record_for_der};
use crate::{KeyStore, StoreError};
use base64::{engine::general_purpose::STANDARD, Engine};
use rusqlite::{params, Transaction};
use std::path::Path;

/// One published key as read.
pub(crate) struct PublishedKey {
    /// The `_domainkey` name it was listed under, if any.
    pub name: Option<String>,
    pub record: String,
    pub line: u32,
    pub published_at: Option<i64>,
    /// A `source:` directive in force, else `None` (file and line are used).
    pub source_note: Option<String>,
}

/// Directives in force on each line: (published_at, source note).
struct Directives {
    by_line: Vec<(Option<i64>, Option<String>)>,
}

fn directives(
    text: &str,
    default_date: Option<i64>,
    warnings: &mut Vec<String>,
    source: &str,
) -> Directives {
    let mut current = (default_date, None);
    let mut by_line = vec![current.clone()];
    for (index, line) in text.lines().enumerate() {
        let body = line.trim().trim_start_matches([';', '#']).trim();
        if let Some((key, value)) = body.split_once(':') {
            match key.trim().to_ascii_lowercase().as_str() {
                "published" => match date::parse(value, DayEnd::Start) {
                    Some(when) => current.0 = Some(when),
                    None => warnings.push(format!(
                        "{source}:{}: published date {:?} is not a date; ignored",
                        index + 1,
                        value.trim()
                    )),
                },
                "source" if line.trim_start().starts_with([';', '#']) => {
                    current.1 = Some(value.trim().to_owned());
                }
                _ => {}
            }
        }
        by_line.push(current.clone());
    }
    Directives { by_line }
}

/// Reads a published list (zone or PEM).
pub(crate) fn read(
    text: &str,
    source: &str,
    default_date: Option<i64>,
) -> Result<(ImportFormat, Vec<PublishedKey>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let directives = directives(text, default_date, &mut warnings, source);
    let at = |line: u32| {
        directives
            .by_line
            .get(line as usize)
            .cloned()
            .unwrap_or((default_date, None))
    };
    if looks_like_pem(text) {
        let mut keys = Vec::new();
        let mut block: Option<(u32, String)> = None;
        for (index, line) in text.lines().enumerate() {
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let line = line.trim();
            if line.starts_with("-----BEGIN ") && line.ends_with("PUBLIC KEY-----") {
                block = Some((number, String::new()));
            } else if line.starts_with("-----END ") {
                if let Some((start, body)) = block.take() {
                    match STANDARD.decode(body.as_bytes()) {
                        Ok(der) => {
                            let (published_at, source_note) = at(start);
                            keys.push(PublishedKey {
                                name: None,
                                record: record_for_der(&der),
                                line: start,
                                published_at,
                                source_note,
                            });
                        }
                        Err(e) => warnings.push(format!(
                            "{source}:{start}: PEM block is not base64 ({e}); skipped"
                        )),
                    }
                }
            } else if let Some((_, body)) = block.as_mut() {
                body.push_str(line);
            }
        }
        return Ok((ImportFormat::Pem, keys, warnings));
    }
    let (read, zone_warnings) = zone::read(text, source)?;
    warnings.extend(zone_warnings);
    let keys = read
        .into_iter()
        .map(
            |ReadKey {
                 name, record, line, ..
             }| {
                let line = line.unwrap_or(0);
                let (published_at, source_note) = at(line);
                PublishedKey {
                    name: Some(name),
                    record,
                    line,
                    published_at,
                    source_note,
                }
            },
        )
        .collect();
    Ok((ImportFormat::Zone, keys, warnings))
}

/// Adds the published keys to `published_keys`; returns how many were new
/// and a warning for each entry with no usable public key.
pub(crate) fn insert_published(
    tx: &Transaction<'_>,
    keys: &[PublishedKey],
    file: &str,
    warnings: &mut Vec<String>,
) -> rusqlite::Result<usize> {
    let mut added = 0;
    for key in keys {
        let material = read_record(&key.record);
        let Some(spki) = material.spki_der else {
            warnings.push(format!(
                "{file}:{}: no public key in the record ({}); skipped",
                key.line,
                material.parse_error.as_deref().unwrap_or("revoked")
            ));
            continue;
        };
        let source = key
            .source_note
            .clone()
            .unwrap_or_else(|| format!("{file}:{}", key.line));
        added += tx.execute(
            "INSERT OR IGNORE INTO published_keys (identity, spki_der, source, published_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![material.identity, spki, source, key.published_at],
        )?;
    }
    Ok(added)
}

impl KeyStore {
    /// Imports a list of keys whose private halves are public (zone or PEM,
    /// see [`crate::import::published`]). `published_on` dates the keys
    /// before any `published:` line. Keys listed under a `_domainkey` name
    /// are also added as keys with provenance `published`. Call
    /// [`KeyStore::check`] afterwards to flag them.
    pub fn import_published_file(
        &self,
        path: &Path,
        published_on: Option<i64>,
    ) -> Result<ImportReport, StoreError> {
        let text = read_text(path)?;
        let shown = path.display().to_string();
        let (format, keys, mut warnings) =
            read(&text, &shown, published_on).map_err(StoreError::Import)?;
        let new_published = self.write(|tx| insert_published(tx, &keys, &shown, &mut warnings))?;
        let named: Vec<ReadKey> = keys
            .iter()
            .filter_map(|k| {
                Some(ReadKey {
                    name: k.name.clone()?,
                    record: k.record.clone(),
                    line: Some(k.line),
                    entry: None,
                    first_seen: None,
                    last_seen: None,
                })
            })
            .collect();
        let mut report = ImportReport {
            path: shown.clone(),
            format,
            records: keys.len(),
            new_keys: 0,
            new_provenance: 0,
            new_published,
            warnings,
        };
        self.store_keys(&named, "published", &shown, &mut report)?;
        Ok(report)
    }
}
