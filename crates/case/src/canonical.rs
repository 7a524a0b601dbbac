//! The whole content of a case as sorted text, to tell whether two cases
//! are the same: a resumed ingest must end with exactly the case an
//! uninterrupted one makes.

use anyhow::Result;
use rusqlite::types::ValueRef;
use std::fmt::Write;
use std::path::Path;
use tamis_items::ContentId;

use crate::blobs::BlobStore;
use crate::layout::CaseLayout;
use crate::reader::open_read_only;

/// Columns that differ between two runs of the same ingest: wall-clock times.
const CLOCK_COLUMNS: [(&str, &str); 2] = [("runs", "started_at"), ("runs", "finished_at")];

/// Every row of every table (but run timestamps), then every file under
/// `blobs/` with the SHA-256 and size of its bytes, one line each, sorted.
/// Row ids are included: the same dump must get the same message numbers.
pub fn canonical_dump(dir: &Path) -> Result<String> {
    let layout = CaseLayout::new(dir);
    let conn = open_read_only(&layout.database())?;
    let mut lines = Vec::new();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in &tables {
        let columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .filter(|column| !CLOCK_COLUMNS.contains(&(table.as_str(), column.as_str())))
            .collect();
        let quoted: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let mut statement =
            conn.prepare(&format!("SELECT {} FROM \"{table}\"", quoted.join(", ")))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let mut line = table.clone();
            for (i, column) in columns.iter().enumerate() {
                write!(line, "\t{column}=")?;
                match row.get_ref(i)? {
                    ValueRef::Null => line.push_str("NULL"),
                    ValueRef::Integer(n) => write!(line, "{n}")?,
                    ValueRef::Real(x) => write!(line, "{x:?}")?,
                    ValueRef::Text(text) => {
                        line.push_str(&serde_json::to_string(&String::from_utf8_lossy(text))?)
                    }
                    ValueRef::Blob(bytes) => write!(line, "x'{}'", hex::encode(bytes))?,
                }
            }
            lines.push(line);
        }
    }
    let blobs = BlobStore::new(layout.blobs());
    for file in blobs.list()? {
        let bytes = std::fs::read(blobs.root().join(&file))?;
        lines.push(format!(
            "blob\t{}\tsha256={}\tsize={}",
            file.display(),
            ContentId::of(&bytes).to_hex(),
            bytes.len()
        ));
    }
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}
