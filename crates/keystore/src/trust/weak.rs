//! `weak`: RSA keys under 1024 bits, the bound tamis-mailauth's verdicts
//! use (RFC 8301 section 3.2; a 512-bit DKIM key was factored for about $75
//! in 2012).

use crate::model::KeyId;
use rusqlite::Connection;
use tamis_mailauth::common::key::WEAK_RSA_BITS;

/// Every weak key with its size.
pub(crate) fn weak_keys(conn: &Connection) -> rusqlite::Result<Vec<(KeyId, u32)>> {
    let mut statement =
        conn.prepare("SELECT id, bits FROM keys WHERE key_type = 'rsa' AND bits < ?1 ORDER BY id")?;
    let rows = statement.query_map([WEAK_RSA_BITS], |row| Ok((KeyId(row.get(0)?), row.get(1)?)))?;
    rows.collect()
}
