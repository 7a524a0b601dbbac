//! Documents found on their own share the index with messages: their ids
//! are item ids, so a document and a message may carry the same number and
//! must stay two hits, filtered and counted by kind.

mod common;

use common::*;
use tamis_search::{DocKind, Query, SearchDoc, Watermark};

fn document(id: i64, title: &str, text: &str) -> SearchDoc {
    SearchDoc {
        kind: DocKind::Document,
        id,
        subject: title.to_string(),
        body: text.to_string(),
        from: "Рошка Георгий Петрович".to_string(),
        attachment_names: format!("{title}.xlsx"),
        date_unix: Some(MAY_5_2017 - 400 * DAY),
        ..SearchDoc::default()
    }
}

fn kinds_and_ids(hits: &tamis_search::Hits) -> Vec<(DocKind, i64)> {
    let mut out: Vec<_> = hits.hits.iter().map(|h| (h.kind, h.id)).collect();
    out.sort_by_key(|(kind, id)| (kind.as_str(), *id));
    out
}

#[test]
fn a_document_and_a_message_with_the_same_id_are_two_hits() {
    let (_dir, mut index) = index_with(&[
        message(3, "Budget", "le budget de la campagne"),
        document(3, "budget-2017", "budget prévisionnel"),
    ]);
    let hits = index.search(&text("budget")).unwrap();
    assert_eq!(
        kinds_and_ids(&hits),
        [(DocKind::Document, 3), (DocKind::Message, 3)]
    );

    // Re-indexing the document replaces it, and only it.
    index
        .add(&[document(3, "budget-2017", "comptes offshore")])
        .unwrap();
    index
        .commit(Watermark {
            messages: 3,
            documents: 9,
        })
        .unwrap();
    assert_eq!(index.num_docs(), 2);
    assert_eq!(
        kinds_and_ids(&index.search(&text("offshore")).unwrap()),
        [(DocKind::Document, 3)]
    );
    assert_eq!(
        kinds_and_ids(&index.search(&text("prévisionnel")).unwrap()),
        []
    );
    assert_eq!(index.watermark().documents, 9);
}

#[test]
fn kind_is_a_facet_and_a_filter_and_documents_stay_out_of_message_facets() {
    let (_dir, index) = index_with(&[
        message(1, "Facture", "facture jointe"),
        message(2, "Réunion", "ordre du jour"),
        document(7, "facture-offshore", "facture du compte"),
    ]);
    let all = index.search(&text("facture")).unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(
        facet(&all, "kind"),
        pairs(&[("document", 1), ("message", 1)])
    );
    // Month sent and "with attachments" describe messages only.
    assert_eq!(facet(&all, "month"), pairs(&[("2017-05", 1)]));
    assert_eq!(facet(&all, "has_attachment"), pairs(&[("no", 1)]));

    let documents = index
        .search(&Query {
            text: "facture".into(),
            kind: vec!["document".into()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(kinds_and_ids(&documents), [(DocKind::Document, 7)]);
    // The kind facet ignores its own filter: the message still shows.
    assert_eq!(
        facet(&documents, "kind"),
        pairs(&[("document", 1), ("message", 1)])
    );

    // The author is searched as `from`, the file name as `attachment`.
    let by_author = index.search(&text("from:рошка")).unwrap();
    assert_eq!(kinds_and_ids(&by_author), [(DocKind::Document, 7)]);
    let by_name = index.search(&text("attachment:xlsx")).unwrap();
    assert_eq!(kinds_and_ids(&by_name), [(DocKind::Document, 7)]);
}
