//! Corroborations (tamis-corroborate) are recomputed over the whole case at
//! the end of every run, like threads: a verified reply ingested today can
//! corroborate a message ingested last week.
//!
//! The messages are read one by one into a [`Corroborator`] (the plain
//! bodies, and the text of messages forwarded as attachments of verified
//! ones), which parses them a batch at a time and keeps only their words,
//! compactly: the bodies are never all in memory. The two messages of each
//! corroboration found are read again to write its texts.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};
use tamis_corroborate::{Corroboration, Corroborator, Message};

use crate::blobs::BlobStore;

pub fn rebuild(conn: &Connection, blobs: &BlobStore) -> Result<()> {
    let found = find(conn, blobs)?;
    super::in_transaction(conn, || {
        conn.execute("DELETE FROM corroborations", [])?;
        let mut insert = conn.prepare(
            "INSERT OR REPLACE INTO corroborations
                (message_id, by_message, how, coverage, quoted, differences, attribution)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for c in &found {
            insert.execute(params![
                c.message,
                c.by,
                c.how.as_str(),
                c.coverage,
                c.quoted,
                serde_json::to_string(&c.differences)?,
                c.attribution
            ])?;
        }
        Ok(())
    })
}

const COLUMNS: &str = "id, verdict IN ('verified', 'verified-partial'), message_id, in_reply_to,
     references_, subject, from_address, date_unix, text_body";

fn find(conn: &Connection, blobs: &BlobStore) -> Result<Vec<Corroboration>> {
    let attached = attached(conn)?;
    let mut corroborator = Corroborator::new();
    let mut statement = conn.prepare(&format!("SELECT {COLUMNS} FROM messages ORDER BY id"))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        corroborator.push(with_forwarded(message(row)?, &attached, blobs));
    }
    drop(rows);
    let mut one = conn.prepare(&format!("SELECT {COLUMNS} FROM messages WHERE id = ?1"))?;
    corroborator.finish(|id| -> Result<Option<Message>> {
        let message = one.query_row([id], message).optional()?;
        Ok(message.map(|m| with_forwarded(m, &attached, blobs)))
    })
}

fn message(row: &Row) -> rusqlite::Result<Message> {
    let ids = |text: String| serde_json::from_str::<Vec<String>>(&text).unwrap_or_default();
    Ok(Message {
        id: row.get(0)?,
        verified: row.get(1)?,
        message_id: row.get(2)?,
        in_reply_to: ids(row.get(3)?).into_iter().next(),
        references: ids(row.get(4)?),
        subject: row.get(5)?,
        from: row.get(6)?,
        date_unix: row.get(7)?,
        body: row.get(8)?,
        forwarded: Vec::new(),
    })
}

/// Messages forwarded as attachments of verified messages (their text is
/// what the verified message carried): the blobs, by message, in order.
fn attached(conn: &Connection) -> Result<HashMap<i64, Vec<String>>> {
    let mut attached = conn.prepare(
        "SELECT a.message_id, i.sha256 FROM attachments a
         JOIN messages m ON m.id = a.message_id
         JOIN items i ON i.id = a.item_id
         WHERE m.verdict IN ('verified', 'verified-partial')
           AND lower(a.content_type) = 'message/rfc822'
         ORDER BY a.message_id, a.position",
    )?;
    let rows = attached.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        let (id, sha256) = row?;
        out.entry(id).or_default().push(sha256);
    }
    Ok(out)
}

fn with_forwarded(
    mut message: Message,
    attached: &HashMap<i64, Vec<String>>,
    blobs: &BlobStore,
) -> Message {
    for sha256 in attached.get(&message.id).map_or(&[][..], |v| v.as_slice()) {
        let Ok(bytes) = blobs.get(sha256) else {
            continue;
        };
        message
            .forwarded
            .push(tamis_content::extract(&bytes).text_body);
    }
    message
}
