//! Threads are rebuilt over the whole case at the end of every run, not
//! patched message by message: a message added by a later run can join (or
//! merge) threads from earlier ones, and JWZ threading is only
//! deterministic over its whole input. It holds one small record per
//! message in memory (ids, Message-ID, references, subject, date).

use anyhow::{Context, Result};
use rusqlite::{params, Connection};
use tamis_threads::ThreadInput;

/// Recompute `threads` and `messages.thread_id` in one transaction.
pub fn rebuild(conn: &Connection) -> Result<()> {
    let inputs = thread_inputs(conn)?;
    let threads = tamis_threads::thread(&inputs);
    drop(inputs);
    super::in_transaction(conn, || write(conn, &threads))
}

fn thread_inputs(conn: &Connection) -> Result<Vec<ThreadInput>> {
    let mut statement = conn.prepare(
        "SELECT id, message_id, in_reply_to, references_, subject, date_unix
         FROM messages ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get::<_, Option<i64>>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (id, message_id, in_reply_to, references, subject, date_unix) = row?;
        let damaged = || format!("message {id} in the case database is damaged");
        Ok(ThreadInput {
            id,
            message_id,
            in_reply_to: serde_json::from_str(&in_reply_to).with_context(damaged)?,
            references: serde_json::from_str(&references).with_context(damaged)?,
            subject,
            date_unix,
        })
    })
    .collect()
}

fn write(conn: &Connection, threads: &[Vec<tamis_threads::ThreadNode>]) -> Result<()> {
    conn.execute("DELETE FROM threads", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO threads (thread_id, position, depth, message_id_header, message)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (index, nodes) in threads.iter().enumerate() {
        let thread_id = index as i64 + 1;
        for (position, node) in nodes.iter().enumerate() {
            insert.execute(params![
                thread_id,
                position as i64,
                node.depth,
                node.message_id,
                node.id
            ])?;
        }
    }
    Ok(())
}
