//! Filters narrow (ANDed across facets, ORed within one); facet counts are
//! over every match, each facet ignoring its own filter.

mod common;

use common::*;
use tamis_search::{Query, SearchDoc, UNDATED_MONTH};

/// Six messages: three verdicts, two domains, three months (one undated),
/// attachments of two types.
fn dump() -> Vec<SearchDoc> {
    let doc = |id, verdict: &str, domain: &str, date: Option<i64>, types: &[&str]| SearchDoc {
        verdict: verdict.to_string(),
        sender_domain: domain.to_string(),
        date_unix: date,
        has_attachment: !types.is_empty(),
        attachment_types: types.iter().map(|t| t.to_string()).collect(),
        ..message(id, "Campagne", "texte de la campagne")
    };
    let may = Some(MAY_5_2017);
    let june = Some(MAY_5_2017 + 40 * DAY);
    vec![
        doc(1, "verified", "en-marche.fr", may, &["application/pdf"]),
        // Two PDFs: one message, counted once.
        doc(
            2,
            "verified",
            "en-marche.fr",
            may,
            &["application/pdf", "Application/PDF"],
        ),
        doc(3, "verified", "example.org", june, &[]),
        doc(
            4,
            "body-altered",
            "en-marche.fr",
            june,
            &["image/png", "application/pdf"],
        ),
        doc(5, "body-altered", "example.org", None, &[]),
        doc(6, "unsigned", "example.org", may, &["image/png"]),
    ]
}

#[test]
fn facets_count_every_match_not_just_the_page() {
    let (_dir, index) = index_with(&dump());
    let hits = index
        .search(&Query {
            limit: 1,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(hits.total, 6);
    assert_eq!(hits.hits.len(), 1);
    assert_eq!(
        facet(&hits, "verdict"),
        pairs(&[("verified", 3), ("body-altered", 2), ("unsigned", 1)])
    );
    assert_eq!(
        facet(&hits, "sender_domain"),
        pairs(&[("en-marche.fr", 3), ("example.org", 3)])
    );
    assert_eq!(
        facet(&hits, "month"),
        pairs(&[("2017-05", 3), ("2017-06", 2), (UNDATED_MONTH, 1)])
    );
    assert_eq!(
        facet(&hits, "has_attachment"),
        pairs(&[("yes", 4), ("no", 2)])
    );
    assert_eq!(
        facet(&hits, "attachment_type"),
        pairs(&[("application/pdf", 3), ("image/png", 2)])
    );
}

#[test]
fn filters_and_across_facets_and_or_within_one() {
    let (_dir, index) = index_with(&dump());
    let search = |query: Query| sorted_ids(&index.search(&query).unwrap());
    assert_eq!(
        search(Query {
            verdict: vec!["verified".into(), "unsigned".into()],
            ..Query::default()
        }),
        [1, 2, 3, 6]
    );
    assert_eq!(
        search(Query {
            verdict: vec!["verified".into(), "unsigned".into()],
            sender_domain: vec!["example.org".into()],
            ..Query::default()
        }),
        [3, 6]
    );
    assert_eq!(
        search(Query {
            has_attachment: Some(false),
            ..Query::default()
        }),
        [3, 5]
    );
    assert_eq!(
        search(Query {
            attachment_type: vec!["image/png".into()],
            month: vec!["2017-06".into()],
            ..Query::default()
        }),
        [4]
    );
    assert_eq!(
        search(Query {
            month: vec![UNDATED_MONTH.into()],
            ..Query::default()
        }),
        [5]
    );
    // Values are matched as the facets show them: lowercase, trimmed.
    assert_eq!(
        search(Query {
            sender_domain: vec![" EN-MARCHE.FR ".into()],
            verdict: vec!["Body-Altered".into()],
            ..Query::default()
        }),
        [4]
    );
    assert!(search(Query {
        verdict: vec!["no-such-verdict".into()],
        ..Query::default()
    })
    .is_empty());
}

#[test]
fn a_facet_ignores_its_own_filter_but_not_the_others() {
    let (_dir, index) = index_with(&dump());
    let hits = index
        .search(&Query {
            verdict: vec!["verified".into()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(hits.total, 3);
    // Every verdict stays visible, so the user can widen the filter...
    assert_eq!(
        facet(&hits, "verdict"),
        pairs(&[("verified", 3), ("body-altered", 2), ("unsigned", 1)])
    );
    // ...while the other facets describe the verified messages only.
    assert_eq!(
        facet(&hits, "sender_domain"),
        pairs(&[("en-marche.fr", 2), ("example.org", 1)])
    );
    assert_eq!(
        facet(&hits, "has_attachment"),
        pairs(&[("yes", 2), ("no", 1)])
    );

    let both = index
        .search(&Query {
            verdict: vec!["verified".into()],
            sender_domain: vec!["example.org".into()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(sorted_ids(&both), [3]);
    // Verdicts among example.org messages; domains among verified messages.
    assert_eq!(
        facet(&both, "verdict"),
        pairs(&[("body-altered", 1), ("unsigned", 1), ("verified", 1)])
    );
    assert_eq!(
        facet(&both, "sender_domain"),
        pairs(&[("en-marche.fr", 2), ("example.org", 1)])
    );
    assert_eq!(facet(&both, "month"), pairs(&[("2017-06", 1)]));
}

#[test]
fn facets_follow_the_text() {
    let mut docs = dump();
    docs[3].body = "le budget a été modifié".to_string();
    docs[5].body = "budget sans signature".to_string();
    let (_dir, index) = index_with(&docs);
    let hits = index.search(&text("budget")).unwrap();
    assert_eq!(sorted_ids(&hits), [4, 6]);
    assert_eq!(
        facet(&hits, "verdict"),
        pairs(&[("body-altered", 1), ("unsigned", 1)])
    );
    assert_eq!(
        facet(&hits, "attachment_type"),
        pairs(&[("image/png", 2), ("application/pdf", 1)])
    );
}

#[test]
fn long_facets_keep_their_top_twenty_and_any_selected_value() {
    // Domain d00 sends 1 message, d01 sends 2, … d24 sends 25.
    let mut docs = Vec::new();
    for domain in 0..25 {
        for _ in 0..=domain {
            let id = docs.len() as i64 + 1;
            docs.push(SearchDoc {
                sender_domain: format!("d{domain:02}.fr"),
                ..message(id, "s", "b")
            });
        }
    }
    let (_dir, index) = index_with(&docs);
    let hits = index.search(&Query::default()).unwrap();
    let domains = facet(&hits, "sender_domain");
    assert_eq!(domains.len(), 20);
    assert_eq!(domains[0], ("d24.fr".to_string(), 25));
    assert_eq!(domains[19], ("d05.fr".to_string(), 6));

    let selected = index
        .search(&Query {
            sender_domain: vec!["d00.fr".into()],
            ..Query::default()
        })
        .unwrap();
    assert_eq!(selected.total, 1);
    let domains = facet(&selected, "sender_domain");
    assert_eq!(domains.len(), 21);
    assert!(domains.contains(&("d00.fr".to_string(), 1)));
}
