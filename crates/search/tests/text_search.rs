//! What the free text finds: folding, conjunction, phrases, field prefixes,
//! and text that is not a valid query.

mod common;

use common::*;
use tamis_search::SearchDoc;

#[test]
fn case_and_accents_are_folded_both_ways() {
    let (_dir, index) = index_with(&[
        message(1, "Résultats", "L'ÉLECTION présidentielle approche."),
        message(2, "Results", "the election is near"),
        message(3, "Autre", "rien à voir"),
    ]);
    for query in ["election", "élection", "ELECTION", "Élection"] {
        assert_eq!(
            sorted_ids(&index.search(&text(query)).unwrap()),
            [1, 2],
            "{query}"
        );
    }
    assert_eq!(sorted_ids(&index.search(&text("resultats")).unwrap()), [1]);
    // The apostrophe splits words, as in the indexed text: "l" is required too.
    assert_eq!(sorted_ids(&index.search(&text("l'élection")).unwrap()), [1]);
}

#[test]
fn every_word_must_match() {
    let (_dir, index) = index_with(&[
        message(1, "Budget", "le budget de la campagne"),
        message(2, "Budget", "le budget du parti"),
        message(3, "Campagne", "la campagne commence"),
    ]);
    let hits = index.search(&text("budget campagne")).unwrap();
    assert_eq!(ids(&hits), [1]);
    assert_eq!(hits.total, 1);
    let either = index.search(&text("parti OR commence")).unwrap();
    assert_eq!(sorted_ids(&either), [2, 3]);
}

#[test]
fn a_quoted_phrase_needs_the_words_together_and_in_order() {
    let (_dir, index) = index_with(&[
        message(1, "a", "le vote électronique est annulé"),
        message(2, "b", "électronique ou pas, le vote aura lieu"),
    ]);
    assert_eq!(
        sorted_ids(&index.search(&text("vote électronique")).unwrap()),
        [1, 2]
    );
    assert_eq!(
        ids(&index.search(&text("\"vote electronique\"")).unwrap()),
        [1]
    );
    assert!(index
        .search(&text("\"électronique vote\""))
        .unwrap()
        .hits
        .is_empty());
}

#[test]
fn field_prefixes_search_only_that_field() {
    let mut in_subject = message(1, "Budget prévisionnel", "voir pièce jointe");
    in_subject.attachment_names = "devis-imprimeur.xlsx".to_string();
    let in_body = message(2, "Réunion", "le budget est validé");
    let mut copied = message(3, "Compte rendu", "rien");
    copied.to = "Alice Martin <alice@example.org>, Bob <bob@example.org>".to_string();
    let (_dir, index) = index_with(&[in_subject, in_body, copied]);

    let search = |q: &str| sorted_ids(&index.search(&text(q)).unwrap());
    assert_eq!(search("budget"), [1, 2]);
    assert_eq!(search("subject:budget"), [1]);
    assert_eq!(search("Subject:budget"), [1]);
    assert_eq!(search("body:budget"), [2]);
    assert_eq!(search("attachment:devis"), [1]);
    assert_eq!(
        search("devis"),
        [1],
        "attachment names are searched by default"
    );
    assert_eq!(search("from:sender2@en-marche.fr"), [2]);
    assert_eq!(search("to:alice"), [3]);
    assert_eq!(search("cc:\"alice martin\""), [3]);
    assert_eq!(search("message_id:<msg3.2017@en-marche.fr>"), [3]);
    assert_eq!(search("Message-ID:msg2.2017@en-marche.fr"), [2]);
    // The message-id is not a default field: its words do not leak into plain searches.
    assert!(search("msg3").is_empty());
}

#[test]
fn keyword_prefixes_match_exact_values() {
    let mut altered = message(1, "a", "texte");
    altered.verdict = "body-altered".to_string();
    let mut other_domain = message(2, "b", "texte");
    other_domain.sender_domain = "example.org".to_string();
    let (_dir, index) = index_with(&[altered, other_domain, message(3, "c", "texte")]);
    let search = |q: &str| sorted_ids(&index.search(&text(q)).unwrap());
    assert_eq!(search("verdict:body-altered"), [1]);
    assert_eq!(search("texte domain:example.org"), [2]);
}

#[test]
fn a_lone_exclusion_means_everything_else() {
    let (_dir, index) = index_with(&[
        message(1, "Newsletter", "lettre hebdomadaire"),
        message(2, "Budget", "chiffres"),
        message(3, "Réunion", "ordre du jour"),
    ]);
    assert_eq!(
        sorted_ids(&index.search(&text("-newsletter")).unwrap()),
        [2, 3]
    );
    assert_eq!(
        sorted_ids(&index.search(&text("NOT newsletter")).unwrap()),
        [2, 3]
    );
    assert_eq!(
        sorted_ids(&index.search(&text("chiffres -newsletter")).unwrap()),
        [2]
    );
}

#[test]
fn pasted_subjects_and_addresses_are_words_not_syntax() {
    let (_dir, index) = index_with(&[
        message(1, "[URGENT] Re: réunion", "à 10:30 sur http://exemple.fr"),
        message(2, "Réunion annulée", "demain"),
    ]);
    let hits = index.search(&text("Re: réunion")).unwrap();
    assert_eq!(ids(&hits), [1]);
    assert!(
        hits.warnings
            .iter()
            .any(|w| w.contains("\"Re:\" is not a field")),
        "{:?}",
        hits.warnings
    );
    assert_eq!(ids(&index.search(&text("[URGENT]")).unwrap()), [1]);
    assert_eq!(ids(&index.search(&text("10:30")).unwrap()), [1]);
    assert_eq!(ids(&index.search(&text("http://exemple.fr")).unwrap()), [1]);
}

#[test]
fn unreadable_text_is_reported_never_an_error() {
    let (_dir, index) = index_with(&[message(1, "Budget", "le budget")]);
    for query in [
        "\"unclosed phrase",
        "budget^",
        "()",
        "(((",
        "subject:",
        "a AND",
        "OR",
        "\\",
        "~",
        "*",
        "!!!",
        "budget )))",
        "from:\"",
        "\u{0}\u{202e}",
        "subject:*",
        "nope:*",
        "(a\" ~:*}",
        "id:abc",
        "body_prefix:x",
        "verdict:\"a b\"",
        // Nesting the grammar would recurse into until the stack overflows.
        &"(".repeat(5000),
        &"NOT ".repeat(5000),
        &"subject:(".repeat(500),
    ] {
        let hits = index.search(&text(query));
        assert!(hits.is_ok(), "{query:?}: {:?}", hits.err());
    }
    let unclosed = index.search(&text("\"le budget")).unwrap();
    assert_eq!(
        ids(&unclosed),
        [1],
        "the words of an unclosed phrase are still searched"
    );
    assert!(
        unclosed
            .warnings
            .iter()
            .any(|w| w.contains("unclosed quote")),
        "{:?}",
        unclosed.warnings
    );
    let dangling = index.search(&text("budget^")).unwrap();
    assert_eq!(ids(&dangling), [1]);
    assert!(
        dangling
            .warnings
            .iter()
            .any(|w| w.contains("could not be read")),
        "{:?}",
        dangling.warnings
    );
    let plain = index.search(&text("budget")).unwrap();
    assert!(plain.warnings.is_empty(), "{:?}", plain.warnings);
}

#[test]
fn empty_text_matches_every_message() {
    let docs: Vec<SearchDoc> = (1..=5).map(|id| message(id, "s", "b")).collect();
    let (_dir, index) = index_with(&docs);
    for query in ["", "   "] {
        let hits = index.search(&text(query)).unwrap();
        assert_eq!(hits.total, 5, "{query:?}");
        assert_eq!(sorted_ids(&hits), [1, 2, 3, 4, 5]);
    }
}

#[test]
fn relevance_puts_subject_matches_and_denser_matches_first() {
    let filler = "des nouvelles de la semaine passée et des suivantes ".repeat(5);
    let (_dir, index) = index_with(&[
        message(1, "Divers", &format!("{filler} sondage")),
        message(2, "Sondage", &filler),
        message(3, "Divers", &format!("sondage sondage sondage {filler}")),
    ]);
    let hits = index.search(&text("sondage")).unwrap();
    assert_eq!(ids(&hits), [2, 3, 1]);
    assert!(hits.hits[0].score > hits.hits[1].score);
    assert!(hits.hits[1].score > hits.hits[2].score);
}

/// Seeded random text over the grammar's special characters: every one
/// must come back as hits (possibly with warnings), never an error or a
/// crashed thread.
#[test]
fn random_syntax_never_fails() {
    let (_dir, index) = index_with(&[message(1, "Budget", "le budget")]);
    let alphabet: Vec<char> = "()\"'-+:^~*!\\[]{}<> aAbNOTRD:subjectfromé0123"
        .chars()
        .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..500 {
        let len = (next() % 300) as usize;
        let query: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let result = index.search(&text(&query));
        assert!(result.is_ok(), "{query:?}: {:?}", result.err());
    }
}
