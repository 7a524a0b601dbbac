//! The shared case's search against the embedded case's on the same
//! documents (issue 8: "search results on the shared case match those on
//! an embedded case of the same dump"): equal totals, equal hits (in equal
//! order when sorted by date), equal facets, equal warnings.

mod common;

use std::collections::HashMap;
use tamis_search::{DocKind, Hits, Query, SearchDoc, SearchIndex, Sort, Watermark};
use tamis_search_pg::PgSearch;

/// 2016-11-01T00:00:00Z: the dump spans the months before the 2017 run-off.
const NOV_2016: i64 = 1_477_958_400;
const DAY: i64 = 86_400;

const FRENCH: [&str; 16] = [
    "élection",
    "présidentielle",
    "réunion",
    "équipe",
    "budget",
    "déplacement",
    "sécurité",
    "communiqué",
    "été",
    "Noël",
    "meeting",
    "financement",
    "l'ordre du jour",
    "programme",
    "côté",
    "À propos",
];

const ENGLISH: [&str; 12] = [
    "election",
    "campaign",
    "budget",
    "meeting",
    "security",
    "press release",
    "schedule",
    "funding",
    "draft",
    "talking points",
    "Resume",
    "naïve",
];

const VERDICTS: [&str; 5] = [
    "verified",
    "body-altered",
    "unsigned",
    "key-missing",
    "forged",
];

const TYPES: [&str; 5] = [
    "application/pdf",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain",
    "application/zip",
];

/// A small deterministic generator: the same documents in both engines.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn words(&mut self, list: &[&str], count: usize) -> String {
        (0..count)
            .map(|_| list[self.next(list.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// 300 messages and 30 documents (whose ids overlap the messages': ids are
/// unique per kind), French and English, 25 sender domains (more than a
/// facet's top 20), five verdicts, eight months, undated ones, attachments.
fn corpus() -> Vec<SearchDoc> {
    let mut rng = Lcg(2017);
    let mut docs = Vec::new();
    for id in 1..=300i64 {
        let french = id % 3 != 0;
        let list: &[&str] = if french { &FRENCH } else { &ENGLISH };
        let domain = format!("domaine{}.fr", id % 25);
        let domain = if id % 7 == 0 {
            "en-marche.fr".to_string()
        } else {
            domain
        };
        let with_attachment = id % 4 == 0;
        let mut subject = rng.words(list, 3);
        if id % 11 == 0 {
            subject = format!("RE: [URGENT] {subject}");
        }
        let mut body = format!(
            "{}. {} {}",
            rng.words(list, 12),
            rng.words(list, 6),
            rng.words(&FRENCH, 2)
        );
        if id % 17 == 0 {
            body.push_str(
                " Le vote électronique aura lieu à 10:30, voir http://en-marche.fr/vote.",
            );
        }
        if id % 19 == 0 {
            body.push_str(" <script>alert('x')</script> & co");
        }
        docs.push(SearchDoc {
            kind: DocKind::Message,
            id,
            subject,
            body,
            from: format!("Expéditeur {id} <user{}@{domain}>", id % 9),
            to: format!(
                "Équipe <equipe@en-marche.fr>, Cécile Dupont <cecile{}@gmail.com>",
                id % 5
            ),
            attachment_names: if with_attachment {
                ["devis-2017.pdf", "Présentation finale.docx", "photo.jpg"][id as usize % 3]
                    .to_string()
            } else {
                String::new()
            },
            message_id: format!("<msg{id}.2017@{domain}>"),
            verdict: VERDICTS[id as usize % VERDICTS.len()].to_string(),
            sender_domain: domain.clone(),
            // Distinct instants: equal dates would leave the order of ties
            // to each engine.
            date_unix: (id % 13 != 0).then_some(NOV_2016 + id * 20 * 3600 + id * 37),
            has_attachment: with_attachment,
            attachment_types: if with_attachment {
                vec![
                    TYPES[id as usize % TYPES.len()].to_string(),
                    TYPES[(id as usize / 4) % TYPES.len()].to_string(),
                ]
            } else {
                Vec::new()
            },
        });
    }
    for id in 1..=30i64 {
        docs.push(SearchDoc {
            kind: DocKind::Document,
            id,
            subject: format!("Note {}", rng.words(&FRENCH, 2)),
            body: rng.words(&FRENCH, 20),
            from: "Cécile Dupont".to_string(),
            attachment_names: format!("note-{id}.docx"),
            date_unix: (id % 5 != 0).then_some(NOV_2016 + id * 3 * DAY + 11),
            attachment_types: vec![TYPES[2].to_string()],
            ..SearchDoc::default()
        });
    }
    docs
}

fn query(text: &str) -> Query {
    Query {
        text: text.to_string(),
        limit: 200,
        ..Query::default()
    }
}

fn by_date(text: &str, sort: Sort, offset: usize, limit: usize) -> Query {
    Query {
        sort,
        offset,
        limit,
        ..query(text)
    }
}

/// The searches a reader makes, and the ones a hostile or clumsy one does.
fn queries() -> Vec<Query> {
    let mut queries: Vec<Query> = [
        // Words, accents and case.
        "élection",
        "ELECTION",
        "election budget",
        "securite",
        "Noël",
        "noel naive",
        "cote",
        // Phrases.
        "\"press release\"",
        "\"l'ordre du jour\"",
        "\"vote électronique\"",
        "\"budget budget\"",
        // Field prefixes.
        "subject:budget",
        "Subject:élection body:meeting",
        "from:user3",
        "cc:cecile2",
        "to:equipe",
        "attachment:devis",
        "filename:présentation",
        "message_id:msg42",
        "Message-ID:\"msg42 2017\"",
        "verdict:verified",
        "verdict:Verified",
        "domain:en-marche.fr",
        "-domain:en-marche.fr budget",
        // OR, NOT, parentheses.
        "budget OR funding",
        "élection OR campaign -budget",
        "budget -meeting",
        "NOT meeting",
        "-budget",
        "(élection OR election) AND (budget OR funding)",
        "((a OR b) OR (budget))",
        // Tokens that are more than one word, rewriting, bad syntax.
        "en-marche.fr",
        "user3@domaine3.fr",
        "RE: urgent",
        "http://en-marche.fr/vote",
        "10:30",
        "\"unclosed budget",
        "foo:bar budget",
        "budg*",
        "\"talking poi\"*",
        "election^3 budget",
        "*",
        "subject:* budget",
        ")(",
        "&&& !!",
        "script alert",
        "\"budget meeting\"~2",
        "\"budget meeting\"~1",
        "\"zzz budget\"*",
        "x^0",
        "budget^0 -meeting",
        "(-budget)",
        "(-budget) meeting",
        "+budget -meeting",
        "budget AND NOT meeting OR funding",
        "budget OR funding meeting",
        "budget meeting~1",
        "subject:(budget OR meeting) -body:security",
        "!! -budget",
        "(!!) OR budget",
        "(!!)^2 budget",
    ]
    .into_iter()
    .map(query)
    .collect();
    // Filters and facets, with and without text.
    queries.push(Query {
        verdict: vec!["verified".into(), "Forged ".into()],
        ..query("")
    });
    queries.push(Query {
        sender_domain: vec!["domaine3.fr".into(), "nowhere.example".into()],
        month: vec!["2017-01".into(), "undated".into()],
        ..query("budget")
    });
    queries.push(Query {
        has_attachment: Some(true),
        attachment_type: vec!["application/pdf".into()],
        ..query("")
    });
    queries.push(Query {
        kind: vec!["document".into()],
        ..query("équipe")
    });
    queries.push(Query {
        has_attachment: Some(false),
        kind: vec!["message".into()],
        verdict: vec!["unsigned".into()],
        ..query("meeting OR réunion")
    });
    // Orders and pages, deep offsets included.
    for sort in [Sort::Newest, Sort::Oldest] {
        queries.push(by_date("", sort, 0, 50));
        queries.push(by_date("", sort, 290, 30));
        queries.push(by_date("budget", sort, 10, 25));
        queries.push(by_date("", sort, 10_000, 20));
        queries.push(by_date("-election", sort, 0, 200));
    }
    queries.push(by_date("budget", Sort::Relevance, 0, 0));
    queries
}

fn index_both(docs: &[SearchDoc], pg: &PgSearch) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(dir.path()).unwrap();
    index.add(docs).unwrap();
    index.commit(Watermark::default()).unwrap();
    pg.add(docs).unwrap();
    (dir, index)
}

fn keys(hits: &Hits) -> Vec<(DocKind, i64)> {
    hits.hits.iter().map(|h| (h.kind, h.id)).collect()
}

type Keys = Vec<(DocKind, i64)>;

/// A page's dated hits (in order) and its undated ones.
fn split_undated(hits: &Hits, dates: &HashMap<(DocKind, i64), Option<i64>>) -> (Keys, Keys) {
    keys(hits).into_iter().partition(|key| dates[key].is_some())
}

fn sorted(mut keys: Vec<(DocKind, i64)>) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = keys
        .drain(..)
        .map(|(kind, id)| (kind.as_str().to_string(), id))
        .collect();
    out.sort();
    out
}

#[test]
fn search_results_match_the_embedded_index() {
    let Some(db) = common::TestDb::new("same_as_embedded") else {
        return;
    };
    let pg = db.search();
    let docs = corpus();
    let (_dir, embedded) = index_both(&docs, &pg);
    assert_eq!(pg.num_docs().unwrap(), embedded.num_docs());

    let dates: HashMap<(DocKind, i64), Option<i64>> =
        docs.iter().map(|d| ((d.kind, d.id), d.date_unix)).collect();
    let mut failures = Vec::new();
    let mut nonempty = 0;
    for request in queries() {
        let expected = embedded.search(&request).unwrap();
        let got = pg.search(&request).unwrap();
        let label = format!(
            "{:?} {:?} offset {}",
            request.text, request.sort, request.offset
        );
        if got.total != expected.total {
            failures.push(format!(
                "{label}: total {} != {}",
                got.total, expected.total
            ));
        }
        if expected.total > 0 && request.limit > 0 {
            nonempty += 1;
        }
        // Relevance scores are the engines' own (BM25 against ts_rank), so
        // a page is compared as a set, and only when it holds every match.
        let date_order = request.sort != Sort::Relevance || request.text.trim().is_empty();
        if date_order {
            // Undated hits come last in both; among themselves tantivy
            // keeps its segments' order and PostgreSQL orders by kind and
            // id, so they are compared in order only while dated, and as a
            // set only when the page holds them all.
            let (got_dated, got_undated) = split_undated(&got, &dates);
            let (expected_dated, expected_undated) = split_undated(&expected, &dates);
            let whole = request.offset == 0 && expected.total as usize <= request.limit;
            if got_dated != expected_dated
                || got_undated.len() != expected_undated.len()
                || (whole && sorted(got_undated) != sorted(expected_undated))
            {
                failures.push(format!(
                    "{label}: order {:?} != {:?}",
                    keys(&got),
                    keys(&expected)
                ));
            }
        } else if expected.total as usize <= request.limit
            && sorted(keys(&got)) != sorted(keys(&expected))
        {
            failures.push(format!(
                "{label}: hits {:?} != {:?}",
                sorted(keys(&got)),
                sorted(keys(&expected))
            ));
        }
        if got.facets != expected.facets {
            failures.push(format!(
                "{label}: facets {:?} != {:?}",
                got.facets, expected.facets
            ));
        }
        if got.warnings != expected.warnings {
            failures.push(format!(
                "{label}: warnings {:?} != {:?}",
                got.warnings, expected.warnings
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The comparison means something only if most searches find things.
    assert!(nonempty >= 35, "only {nonempty} searches found anything");
}

#[test]
fn upserts_replace_by_kind_and_id() {
    let Some(db) = common::TestDb::new("upserts") else {
        return;
    };
    let pg = db.search();
    let message = |id, subject: &str| SearchDoc {
        id,
        subject: subject.to_string(),
        verdict: "verified".to_string(),
        ..SearchDoc::default()
    };
    pg.add(&[message(1, "ancien budget"), message(2, "autre")])
        .unwrap();
    // A resumed ingest indexes message 1 again, and a document shares its id.
    pg.add(&[
        message(1, "nouveau programme"),
        SearchDoc {
            kind: DocKind::Document,
            ..message(1, "budget du document")
        },
    ])
    .unwrap();
    assert_eq!(pg.num_docs().unwrap(), 3);
    let old = pg.search(&query("ancien")).unwrap();
    assert_eq!(old.total, 0);
    let budget = pg.search(&query("budget")).unwrap();
    assert_eq!(keys(&budget), [(DocKind::Document, 1)]);
    // Migrating again (another worker starting) keeps the documents.
    pg.migrate().unwrap();
    assert_eq!(pg.num_docs().unwrap(), 3);
}

#[test]
fn snippets_are_escaped_and_mark_the_words() {
    let Some(db) = common::TestDb::new("snippets") else {
        return;
    };
    let pg = db.search();
    pg.add(&[SearchDoc {
        id: 7,
        subject: "Réunion <b>budget</b>".to_string(),
        from: "Cécile <cecile@example.org>".to_string(),
        body: "Le <script>alert('x')</script> & le Budget de l'Élection \"2017\".".to_string(),
        ..SearchDoc::default()
    }])
    .unwrap();
    let hits = pg.search(&query("budget election")).unwrap();
    assert_eq!(hits.total, 1);
    let snippet = &hits.hits[0].snippet;
    assert!(snippet.contains("<mark>Budget</mark>"), "{snippet}");
    assert!(snippet.contains("<mark>Élection</mark>"), "{snippet}");
    assert!(
        snippet.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp;"),
        "{snippet}"
    );
    // The only tags are the marks.
    let without_marks = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(!without_marks.contains('<'), "{snippet}");
    // A match outside body and subject (the sender) has no word to mark:
    // the body's start stands for the message, escaped.
    let hits = pg.search(&query("from:cecile")).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(
        hits.hits[0].snippet,
        "Le &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; le Budget de l&#39;Élection &quot;2017&quot;."
    );
}
