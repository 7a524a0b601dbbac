//! Corroborations (tamis-corroborate) are recomputed over the whole case at
//! the end of every run, like threads: a verified reply ingested today can
//! corroborate a message ingested last week.
//!
//! It holds every message's text in memory for the comparison (the plain
//! bodies, and the text of messages forwarded as attachments of verified
//! ones).

use anyhow::Result;
use rusqlite::{params, Connection};
use tamis_corroborate::{corroborations, Message};

use crate::blobs::BlobStore;

pub fn rebuild(conn: &Connection, blobs: &BlobStore) -> Result<()> {
    let messages = inputs(conn, blobs)?;
    let found = corroborations(&messages);
    drop(messages);
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let written = (|| -> Result<()> {
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
    })();
    match written {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(error) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(error);
        }
    }
    Ok(())
}

fn inputs(conn: &Connection, blobs: &BlobStore) -> Result<Vec<Message>> {
    let mut statement = conn.prepare(
        "SELECT id, verdict IN ('verified', 'verified-partial'), message_id, in_reply_to,
                references_, subject, from_address, date_unix, text_body
         FROM messages ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
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
    })?;
    let mut messages = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    // Messages forwarded as attachments of verified messages: their text
    // is what the verified message carried.
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
    for row in rows {
        let (id, sha256) = row?;
        let Ok(bytes) = blobs.get(&sha256) else {
            continue;
        };
        let content = tamis_content::extract(&bytes);
        if let Ok(at) = messages.binary_search_by_key(&id, |m| m.id) {
            messages[at].forwarded.push(content.text_body);
        }
    }
    Ok(messages)
}
