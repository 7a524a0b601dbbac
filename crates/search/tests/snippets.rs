//! Snippets are safe to insert as HTML and mark what matched.

mod common;

use common::*;
use tamis_search::Hits;

fn snippet_of(hits: &Hits) -> &str {
    assert_eq!(hits.hits.len(), 1, "{hits:?}");
    &hits.hits[0].snippet
}

/// The only markup left once our own tags are removed must be none at all.
fn assert_no_markup_but_marks(snippet: &str) {
    let text = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(
        !text.contains('<') && !text.contains('>') && !text.contains('"'),
        "unescaped markup in {snippet:?}"
    );
}

#[test]
fn matched_words_are_marked_in_the_original_spelling() {
    let (_dir, index) = index_with(&[message(
        1,
        "Sujet",
        "Rien avant. L'ÉLECTION est dimanche, l'élection compte.",
    )]);
    let hits = index.search(&text("election")).unwrap();
    let snippet = snippet_of(&hits);
    assert!(
        snippet.contains("L&#39;<mark>ÉLECTION</mark> est dimanche, l&#39;<mark>élection</mark>"),
        "{snippet}"
    );
}

#[test]
fn mail_markup_is_escaped_even_around_a_match() {
    let body = r#"<script>alert("pwned")</script> <img src=x onerror=alert(1)> budget & co"#;
    let (_dir, index) = index_with(&[message(1, "Sujet", body)]);

    let hits = index.search(&text("budget")).unwrap();
    let snippet = snippet_of(&hits);
    assert_no_markup_but_marks(snippet);
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(
        snippet.contains("<mark>budget</mark> &amp; co"),
        "{snippet}"
    );

    // The matched word is itself inside the hostile markup.
    let hits = index.search(&text("script")).unwrap();
    let snippet = snippet_of(&hits);
    assert_no_markup_but_marks(snippet);
    assert!(snippet.contains("&lt;<mark>script</mark>&gt;"), "{snippet}");
}

#[test]
fn a_subject_match_shows_the_subject() {
    let (_dir, index) = index_with(&[message(1, "Budget <révisé>", "Voir le tableau joint.")]);
    let hits = index.search(&text("subject:budget")).unwrap();
    assert_eq!(snippet_of(&hits), "<mark>Budget</mark> &lt;révisé&gt;");
}

#[test]
fn without_a_word_to_mark_the_body_opening_is_shown() {
    let body = format!("<b>Bonjour</b> {}", "la suite du message ".repeat(30));
    let (_dir, index) = index_with(&[message(1, "Sujet", &body)]);
    for query in ["", "from:sender1"] {
        let hits = index.search(&text(query)).unwrap();
        let snippet = snippet_of(&hits);
        assert!(
            snippet.starts_with("&lt;b&gt;Bonjour&lt;/b&gt; la suite"),
            "{snippet}"
        );
        assert!(snippet.ends_with('…'), "{snippet}");
        assert!(!snippet.contains("<mark>"), "{snippet}");
        assert!(snippet.chars().count() < 250, "{snippet}");
    }
}

#[test]
fn a_match_beyond_the_stored_start_of_a_long_body_is_still_found() {
    let body = format!("{} mot-rare-final", "remplissage ".repeat(10_000));
    let (_dir, index) = index_with(&[message(1, "Long", &body)]);
    let hits = index.search(&text("rare")).unwrap();
    assert_eq!(ids(&hits), [1]);
    // The snippet falls back to the opening: the stored copy stops earlier.
    assert!(snippet_of(&hits).starts_with("remplissage"));
}

#[test]
fn a_fragment_from_the_middle_of_a_body_says_it_was_cut() {
    let body = format!(
        "{} le budget final {}",
        "avant ".repeat(100),
        "après ".repeat(100)
    );
    let (_dir, index) = index_with(&[message(1, "Sujet", &body)]);
    let hits = index.search(&text("budget")).unwrap();
    let snippet = snippet_of(&hits);
    assert!(snippet.starts_with('…'), "{snippet}");
    assert!(snippet.ends_with('…'), "{snippet}");
    assert!(
        snippet.contains("le <mark>budget</mark> final"),
        "{snippet}"
    );
}
