//! Messages as the index sees them: headers, body, recipients, attachment
//! names and types, and what the attachments say.

use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashMap;
use tamis_search::SearchDoc;

use super::{CHUNK, CHUNK_BYTES};
use crate::address;

/// The next [`CHUNK`] messages with an id above `after`, as the index sees
/// them, in id order; fewer when their text reaches [`CHUNK_BYTES`].
pub(super) fn after(conn: &Connection, after: i64) -> Result<Vec<SearchDoc>> {
    let mut statement = conn.prepare_cached(
        "SELECT id, subject, text_body, from_name, from_address, message_id, verdict,
                sender_domain, date_unix, attachment_count
         FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = statement.query_map(rusqlite::params![after, CHUNK as i64], |row| {
        let from_name: Option<String> = row.get(3)?;
        let from_address: Option<String> = row.get(4)?;
        Ok(SearchDoc {
            id: row.get(0)?,
            subject: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
            body: row.get(2)?,
            from: address::display(from_name.as_deref(), from_address.as_deref())
                .unwrap_or_default(),
            message_id: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
            verdict: row.get(6)?,
            sender_domain: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
            date_unix: row.get(8)?,
            has_attachment: row.get::<_, i64>(9)? > 0,
            ..SearchDoc::default()
        })
    })?;
    let mut docs = Vec::new();
    let mut bytes = 0;
    for doc in rows {
        let doc = doc?;
        bytes += doc.body.len() + doc.subject.len();
        docs.push(doc);
        if bytes >= CHUNK_BYTES {
            break;
        }
    }
    let (Some(first), Some(last)) = (docs.first(), docs.last()) else {
        return Ok(docs);
    };
    let range = (first.id, last.id);
    let mut recipients = recipients_between(conn, range)?;
    let mut attachments = attachments_between(conn, range)?;
    let mut texts = document_texts_between(conn, range)?;
    for doc in &mut docs {
        // What the attachments say is searched with the body: a reader
        // looking for a word in a leaked PDF finds the message carrying it.
        for text in texts.remove(&doc.id).unwrap_or_default() {
            doc.body.push_str("\n\n");
            doc.body.push_str(&text);
        }
        doc.to = recipients.remove(&doc.id).unwrap_or_default().join(", ");
        let (names, types) = attachments.remove(&doc.id).unwrap_or_default();
        doc.attachment_names = names.join(" ");
        doc.attachment_types = types;
    }
    Ok(docs)
}

/// The extracted text of the attachments of messages `range.0..=range.1`.
fn document_texts_between(
    conn: &Connection,
    range: (i64, i64),
) -> Result<HashMap<i64, Vec<String>>> {
    let mut statement = conn.prepare_cached(
        "SELECT a.message_id, d.text FROM attachments a JOIN documents d ON d.item_id = a.item_id
         WHERE a.message_id BETWEEN ?1 AND ?2 AND d.text IS NOT NULL
         ORDER BY a.message_id, a.position",
    )?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let rows = statement.query_map([range.0, range.1], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, text) = row?;
        out.entry(id).or_default().push(text);
    }
    Ok(out)
}

/// To, Cc and Bcc of messages `range.0..=range.1`, as `Name <address>`.
fn recipients_between(conn: &Connection, range: (i64, i64)) -> Result<HashMap<i64, Vec<String>>> {
    let mut statement = conn.prepare_cached(
        "SELECT message_id, name, address FROM recipients
         WHERE message_id BETWEEN ?1 AND ?2 AND kind IN ('to', 'cc', 'bcc')
         ORDER BY message_id, CASE kind WHEN 'to' THEN 0 WHEN 'cc' THEN 1 ELSE 2 END, position",
    )?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let rows = statement.query_map([range.0, range.1], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, address) = row?;
        if let Some(shown) = address::display(name.as_deref(), address.as_deref()) {
            out.entry(id).or_default().push(shown);
        }
    }
    Ok(out)
}

type NamesAndTypes = (Vec<String>, Vec<String>);

fn attachments_between(
    conn: &Connection,
    range: (i64, i64),
) -> Result<HashMap<i64, NamesAndTypes>> {
    let mut statement = conn.prepare_cached(
        "SELECT message_id, filename, content_type FROM attachments
         WHERE message_id BETWEEN ?1 AND ?2 ORDER BY message_id, position",
    )?;
    let mut out: HashMap<i64, NamesAndTypes> = HashMap::new();
    let rows = statement.query_map([range.0, range.1], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, filename, content_type) = row?;
        let (names, types) = out.entry(id).or_default();
        if let Some(filename) = filename {
            names.push(filename);
        }
        types.push(content_type.to_lowercase());
    }
    Ok(out)
}
