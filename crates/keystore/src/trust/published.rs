//! `private-key-published`: the key is one whose private half is public,
//! matched by public key (SPKI) whatever name it is published under.

use crate::import::published::{insert_published, read};
use crate::model::KeyId;
use rusqlite::{Connection, Transaction};
use std::collections::BTreeMap;

/// The RFC 6376 and RFC 8463 example keys (see the file for provenance).
pub const BUNDLED: &str = include_str!("../../data/published-keys.zone");
const BUNDLED_NAME: &str = "tamis bundled list";

/// Adds the bundled keys (idempotent: run at every open, so a store made
/// by an older tamis learns keys added since).
pub(crate) fn insert_bundled(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let (_, keys, warnings) =
        read(BUNDLED, BUNDLED_NAME, None).expect("the bundled published-key list parses");
    debug_assert!(warnings.is_empty(), "bundled list: {warnings:?}");
    let mut more = Vec::new();
    insert_published(tx, &keys, BUNDLED_NAME, &mut more)?;
    debug_assert!(more.is_empty(), "bundled list: {more:?}");
    Ok(())
}

/// Keys whose public key is on a published list: the sources (joined) and
/// the earliest known publication date (`None` if any source gives none).
pub(crate) fn published_keys(
    conn: &Connection,
) -> rusqlite::Result<BTreeMap<KeyId, (String, Option<i64>)>> {
    let mut statement = conn.prepare(
        "SELECT k.id, p.source, p.published_at
         FROM keys k JOIN published_keys p ON p.identity = k.identity
         ORDER BY k.id, p.id",
    )?;
    let mut out: BTreeMap<KeyId, (Vec<String>, Option<Option<i64>>)> = BTreeMap::new();
    let rows = statement.query_map([], |row| {
        Ok((
            KeyId(row.get(0)?),
            row.get::<_, String>(1)?,
            row.get::<_, Option<i64>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, source, at) = row?;
        let (sources, since) = out.entry(id).or_default();
        sources.push(source);
        // Unknown beats any date: the key may have been public all along.
        *since = Some(match (*since, at) {
            (None, at) => at,
            (Some(None), _) | (_, None) => None,
            (Some(Some(a)), Some(b)) => Some(a.min(b)),
        });
    }
    Ok(out
        .into_iter()
        .map(|(id, (sources, since))| (id, (sources.join("; "), since.flatten())))
        .collect())
}
