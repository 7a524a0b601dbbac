//! Shared by the behaviour tests: a small case of messages in a temporary index.

#![allow(dead_code)] // each test file uses its own part of this

use tamis_search::{Hits, Query, SearchDoc, SearchIndex, Watermark};
use tempfile::TempDir;

/// 2017-05-05T12:00:00Z, two days before the run-off.
pub const MAY_5_2017: i64 = 1_493_985_600;
pub const DAY: i64 = 86_400;

pub fn message(id: i64, subject: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id,
        subject: subject.to_string(),
        body: body.to_string(),
        from: format!("Sender {id} <sender{id}@en-marche.fr>"),
        to: "Équipe <equipe@en-marche.fr>".to_string(),
        message_id: format!("<msg{id}.2017@en-marche.fr>"),
        verdict: "verified".to_string(),
        sender_domain: "en-marche.fr".to_string(),
        date_unix: Some(MAY_5_2017 + id * DAY),
        ..SearchDoc::default()
    }
}

/// A watermark at message `messages`, no documents.
pub fn upto(messages: i64) -> Watermark {
    Watermark {
        messages,
        documents: 0,
    }
}

pub fn index_with(docs: &[SearchDoc]) -> (TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
    index.add(docs).unwrap();
    index
        .commit(upto(docs.iter().map(|d| d.id).max().unwrap_or(0)))
        .unwrap();
    (dir, index)
}

pub fn text(text: &str) -> Query {
    Query {
        text: text.to_string(),
        ..Query::default()
    }
}

pub fn ids(hits: &Hits) -> Vec<i64> {
    hits.hits.iter().map(|h| h.id).collect()
}

pub fn sorted_ids(hits: &Hits) -> Vec<i64> {
    let mut ids = ids(hits);
    ids.sort();
    ids
}

pub fn facet(hits: &Hits, name: &str) -> Vec<(String, u64)> {
    hits.facets
        .get(name)
        .unwrap_or_else(|| panic!("no facet {name} in {:?}", hits.facets))
        .clone()
}

pub fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected.iter().map(|(v, c)| (v.to_string(), *c)).collect()
}
