//! Date orders (undated last), pagination and its bounds.

mod common;

use common::*;
use tamis_search::{Query, SearchDoc, Sort, DEFAULT_LIMIT, MAX_LIMIT};

/// Ids 1..=5 dated in id order, except 3, which has no date.
fn dated() -> Vec<SearchDoc> {
    (1..=5)
        .map(|id| SearchDoc {
            date_unix: (id != 3).then_some(MAY_5_2017 + id * DAY),
            ..message(id, "Point presse", "communiqué")
        })
        .collect()
}

fn sorted_by(sort: Sort, text_query: &str) -> Vec<i64> {
    let (_dir, index) = index_with(&dated());
    ids(&index
        .search(&Query {
            text: text_query.to_string(),
            sort,
            ..Query::default()
        })
        .unwrap())
}

#[test]
fn newest_and_oldest_put_undated_messages_last() {
    assert_eq!(sorted_by(Sort::Newest, "communiqué"), [5, 4, 2, 1, 3]);
    assert_eq!(sorted_by(Sort::Oldest, "communiqué"), [1, 2, 4, 5, 3]);
}

#[test]
fn without_text_relevance_means_newest() {
    assert_eq!(sorted_by(Sort::Relevance, ""), [5, 4, 2, 1, 3]);
    assert_eq!(sorted_by(Sort::Oldest, ""), [1, 2, 4, 5, 3]);
}

#[test]
fn dates_before_1970_sort_before_later_ones() {
    let docs = [
        SearchDoc {
            date_unix: Some(-86_400 * 365),
            ..message(1, "s", "b")
        },
        SearchDoc {
            date_unix: Some(MAY_5_2017),
            ..message(2, "s", "b")
        },
    ];
    let (_dir, index) = index_with(&docs);
    let oldest = index
        .search(&Query {
            sort: Sort::Oldest,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(ids(&oldest), [1, 2]);
}

#[test]
fn pages_are_disjoint_and_cover_every_match() {
    let docs: Vec<SearchDoc> = (1..=47).map(|id| message(id, "s", "mot")).collect();
    let (_dir, index) = index_with(&docs);
    let mut seen = Vec::new();
    for page in 0..5 {
        let hits = index
            .search(&Query {
                text: "mot".into(),
                sort: Sort::Newest,
                offset: page * 10,
                limit: 10,
                ..Query::default()
            })
            .unwrap();
        assert_eq!(hits.total, 47);
        seen.extend(ids(&hits));
    }
    let expected: Vec<i64> = (1..=47).rev().collect();
    assert_eq!(seen, expected);
}

#[test]
fn limits_are_defaulted_capped_and_zero_means_counts_only() {
    let docs: Vec<SearchDoc> = (1..=250).map(|id| message(id, "s", "b")).collect();
    let (_dir, index) = index_with(&docs);
    assert_eq!(
        index.search(&Query::default()).unwrap().hits.len(),
        DEFAULT_LIMIT
    );
    let capped = index
        .search(&Query {
            limit: 100_000,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(capped.hits.len(), MAX_LIMIT);
    let counts_only = index
        .search(&Query {
            limit: 0,
            ..Query::default()
        })
        .unwrap();
    assert!(counts_only.hits.is_empty());
    assert_eq!(counts_only.total, 250);
    assert_eq!(facet(&counts_only, "verdict"), pairs(&[("verified", 250)]));
}

#[test]
fn an_offset_past_the_end_is_an_empty_page_not_an_error() {
    let (_dir, index) = index_with(&dated());
    for offset in [5, 6, usize::MAX] {
        let hits = index
            .search(&Query {
                offset,
                ..Query::default()
            })
            .unwrap();
        assert!(hits.hits.is_empty(), "offset {offset}");
        assert_eq!(hits.total, 5);
    }
}

/// The web layer deserializes queries from whatever fields a request has:
/// the missing ones must take the defaults, limit included.
#[test]
fn a_query_without_limit_deserializes_with_the_default() {
    use serde::de::value::{Error, MapDeserializer};
    use serde::Deserialize;
    let fields = [("text", "budget"), ("sort", "newest")];
    let query = Query::deserialize(MapDeserializer::<_, Error>::new(fields.into_iter())).unwrap();
    assert_eq!(query.limit, DEFAULT_LIMIT);
    assert_eq!(query.sort, Sort::Newest);
    assert_eq!(query.text, "budget");
}
