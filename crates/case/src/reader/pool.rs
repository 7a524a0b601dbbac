//! A few read-only connections shared by the threads of a server.
//!
//! A SQLite connection may move between threads but not be used by two at
//! once, so the reader keeps idle connections in a mutex-guarded list and
//! lends one per call. Opening a connection per call would also work, but
//! each open re-reads the schema and loses the prepared-statement cache.

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::schema;

/// Idle connections kept for reuse; more are opened when more threads ask
/// at once, and closed when returned to a full pool.
const KEEP_IDLE: usize = 8;

pub struct Pool {
    database: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Pool {
    pub fn new(database: PathBuf) -> Self {
        Pool {
            database,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn get(&self) -> Result<Pooled<'_>> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => open_read_only(&self.database)?,
        };
        Ok(Pooled {
            conn: Some(conn),
            pool: self,
        })
    }
}

/// A read-only connection: the reader can never change a case, even by a
/// bug, because SQLite refuses every write on it.
pub fn open_read_only(database: &std::path::Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open {} read-only", database.display()))?;
    schema::configure_reader(&conn)?;
    Ok(conn)
}

/// A connection on loan; it goes back to the pool when dropped.
pub struct Pooled<'a> {
    conn: Option<Connection>,
    pool: &'a Pool,
}

impl Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .expect("a pooled connection is present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|p| p.into_inner());
            if idle.len() < KEEP_IDLE {
                idle.push(conn);
            }
        }
    }
}
