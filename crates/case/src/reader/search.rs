//! Search: the index finds message ids and documents' item ids, the
//! database describes them.
//!
//! The summaries of a page of hits come from one query per kind, then are
//! put back in the index's order (relevance or date). A hit the database
//! does not have (an index ahead of a restored database) is dropped rather
//! than shown half-empty.

use anyhow::Result;
use rusqlite::Connection;
use std::collections::HashMap;
use std::time::Instant;
use tamis_search::{DocKind, Query, SearchIndex};

use crate::model::{Count, MessageSummary, SearchHit, SearchPage};
use crate::rows::{self, SUMMARY_COLUMNS, SUMMARY_FROM};

pub fn search(index: &SearchIndex, conn: &Connection, query: &Query) -> Result<SearchPage> {
    let started = Instant::now();
    let hits = index.search(query)?;
    let ids_of = |kind| -> Vec<i64> {
        hits.hits
            .iter()
            .filter(|hit| hit.kind == kind)
            .map(|hit| hit.id)
            .collect()
    };
    let mut messages = summaries(conn, &ids_of(DocKind::Message))?;
    let mut documents = super::document::summaries(conn, &ids_of(DocKind::Document))?;
    let page_hits = hits
        .hits
        .into_iter()
        .filter_map(|hit| {
            let (message, document) = match hit.kind {
                DocKind::Message => (Some(messages.remove(&hit.id)?), None),
                DocKind::Document => (None, Some(documents.remove(&hit.id)?)),
            };
            Some(SearchHit {
                kind: hit.kind,
                message,
                document,
                snippet: hit.snippet,
                score: hit.score,
            })
        })
        .collect();
    let facets = hits
        .facets
        .into_iter()
        .map(|(facet, values)| {
            let counts = values
                .into_iter()
                .map(|(key, count)| Count { key, count })
                .collect();
            (facet, counts)
        })
        .collect();
    Ok(SearchPage {
        query: query.text.clone(),
        total: hits.total,
        offset: query.offset as u64,
        limit: query.limit.min(tamis_search::MAX_LIMIT) as u64,
        hits: page_hits,
        facets,
        warnings: hits.warnings,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// Summaries of `ids`, in one query.
fn summaries(conn: &Connection, ids: &[i64]) -> Result<HashMap<i64, MessageSummary>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM {SUMMARY_FROM}
         WHERE m.id IN (SELECT value FROM json_each(?1))"
    ))?;
    let rows = statement.query_map([serde_json::to_string(ids)?], rows::summary)?;
    let mut out = HashMap::with_capacity(ids.len());
    for summary in rows {
        let summary = summary?;
        out.insert(summary.id, summary);
    }
    Ok(out)
}
