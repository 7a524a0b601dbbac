//! Documents found on their own (files of the dump that are not attached to
//! a message) as the index sees them: title or file name, text, author and
//! last editor, claimed modification date. Attachments are searched with
//! their message instead (see `messages`).

use anyhow::Result;
use rusqlite::Connection;
use tamis_search::{DocKind, SearchDoc};

use super::{CHUNK, CHUNK_BYTES};
use crate::place;

/// The documents of the next places (origins) above `after` where a file
/// that is a document was found, in origin order, and the last origin
/// looked at (`None` when there is none: the index has them all). A
/// document found in two places is handed over twice; the index keeps one.
pub(super) fn after(conn: &Connection, after: i64) -> Result<(Vec<SearchDoc>, Option<i64>)> {
    let mut statement = conn.prepare_cached(
        "SELECT o.id, o.item_id, o.location, d.text, d.author, d.last_modified_by,
                coalesce(d.modified, d.created),
                json_extract(d.report, '$.metadata.title')
         FROM origins o JOIN documents d ON d.item_id = o.item_id
         WHERE o.id > ?1 AND o.found_as = 'file'
         ORDER BY o.id LIMIT ?2",
    )?;
    let rows = statement.query_map(rusqlite::params![after, CHUNK as i64], |row| {
        let location: String = row.get(2)?;
        let title: Option<String> = row.get(7)?;
        let name = place::file_name(&location).to_owned();
        let people: Vec<String> = [row.get::<_, Option<String>>(4)?, row.get(5)?]
            .into_iter()
            .flatten()
            .filter(|who| !who.trim().is_empty())
            .collect();
        let doc = SearchDoc {
            kind: DocKind::Document,
            id: row.get(1)?,
            subject: title
                .filter(|title| !title.trim().is_empty())
                .unwrap_or_else(|| name.clone()),
            body: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
            from: people.join(", "),
            attachment_names: name,
            date_unix: row.get(6)?,
            ..SearchDoc::default()
        };
        Ok((row.get::<_, i64>(0)?, doc))
    })?;
    let mut docs = Vec::new();
    let mut last_origin = None;
    let mut bytes = 0;
    for row in rows {
        let (origin, doc) = row?;
        bytes += doc.body.len();
        last_origin = Some(origin);
        docs.push(doc);
        if bytes >= CHUNK_BYTES {
            break;
        }
    }
    Ok((docs, last_origin))
}
