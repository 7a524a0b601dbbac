//! Findings across the case's documents (edit bursts, an editor's script,
//! shared lineage), recomputed from every document row at the end of a
//! run, since a document added today can complete a pattern begun by
//! documents ingested last week.

use anyhow::Result;
use rusqlite::{params, Connection};
use tamis_docs::collection::{collection_findings, CollectionParams, Member};
use tamis_docs::DocumentReport;

pub fn rebuild_collection_findings(conn: &Connection) -> Result<()> {
    let mut statement = conn.prepare("SELECT item_id, report FROM documents ORDER BY item_id")?;
    let mut documents: Vec<(i64, DocumentReport)> = Vec::new();
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (item_id, json) = row?;
        // A row this tamis cannot read back (written by another version)
        // is left out of the comparison rather than failing the run.
        if let Ok(report) = serde_json::from_str(&json) {
            documents.push((item_id, report));
        }
    }
    let members: Vec<Member<'_>> = documents
        .iter()
        .map(|(item_id, report)| Member {
            name: item_id.to_string(),
            report,
        })
        .collect();
    let found = collection_findings(&members, &CollectionParams::default());
    conn.execute("DELETE FROM collection_findings", [])?;
    let mut insert = conn.prepare(
        "INSERT INTO collection_findings (code, detail, evidence, items) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for finding in found {
        let items: Vec<i64> = finding
            .members
            .iter()
            .filter_map(|name| name.parse().ok())
            .collect();
        insert.execute(params![
            finding.finding.code,
            finding.finding.detail,
            serde_json::to_string(&finding.finding.evidence)?,
            serde_json::to_string(&items)?
        ])?;
    }
    Ok(())
}
