//! What `verify_message` proves, stated as behaviour, on messages signed here.

mod support;

use std::collections::HashMap;
use support::{
    keys_at, keys_for, replace, Signer, TestKey, MESSAGE, RSA_1024, RSA_1024_OTHER, RSA_512,
    RSA_8192,
};
use tamis_mailauth::common::canon::Canon;
use tamis_mailauth::dkim::{verify_message, KeyType, Outcome, SignatureResult};
use tamis_mailauth::TxtLookup;

fn only(results: Vec<SignatureResult>) -> SignatureResult {
    assert_eq!(results.len(), 1, "{results:#?}");
    results.into_iter().next().unwrap()
}

#[test]
fn signed_message_passes_and_names_the_key_and_its_source() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let r = only(verify_message(&signed, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
    let k = r.key.unwrap();
    assert_eq!(
        (k.key_type, k.bits, k.source.as_str()),
        (KeyType::Rsa, 1024, "test.zone:1")
    );
    assert!(r.header.unwrap().verifies);
    let body = r.body.unwrap();
    assert!(body.matches);
    assert_eq!(body.unsigned_length, 0);
    assert_eq!(r.header_index, 0);
    assert_eq!(r.tags.domain.as_deref(), Some("example.com"));
    assert_eq!(r.tags.canonicalization.as_deref(), Some("relaxed/relaxed"));
    assert!(r.reason.contains("example.com") && r.reason.contains("test.zone:1"));
}

#[test]
fn rsa_sha1_signature_of_old_mail_verifies() {
    let key = TestKey::rsa(RSA_1024);
    let mut signer = Signer::new(&key);
    signer.algorithm = "rsa-sha1";
    signer.header_canon = Canon::Simple;
    signer.body_canon = Canon::Simple;
    let r = only(verify_message(
        &signer.sign(MESSAGE),
        &keys_for(&[key.record()]),
    ));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
}

#[test]
fn changed_body_is_body_hash_mismatch_and_the_header_signature_proves_bh_authentic() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let altered = replace(&signed, "at noon", "at midnight");
    let r = only(verify_message(&altered, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::BodyHashMismatch);
    assert!(!r.body.as_ref().unwrap().matches);
    assert!(r.header.unwrap().verifies);
    assert!(r.reason.contains("provably altered"), "{}", r.reason);
}

#[test]
fn changed_subject_is_signature_mismatch_by_the_signers_own_key() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let altered = replace(&signed, "Subject: Meeting", "Subject: Wire the money");
    let r = only(verify_message(&altered, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::SignatureMismatch);
    let header = r.header.unwrap();
    assert!(!header.verifies);
    assert_eq!(header.key_matches_signature, Some(true));
    assert!(r.keys_tried[0]
        .result
        .contains("PKCS#1 padding valid but digest differs"));
}

#[test]
fn signature_not_made_by_the_published_key_is_reported_as_such() {
    let signing = TestKey::rsa(RSA_1024_OTHER);
    let published = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&signing).sign(MESSAGE);
    let r = only(verify_message(&signed, &keys_for(&[published.record()])));
    assert_eq!(r.outcome, Outcome::SignatureMismatch);
    assert_eq!(r.header.unwrap().key_matches_signature, Some(false));
    assert!(r.keys_tried[0].result.contains("did not make it"));
}

#[test]
fn every_key_of_a_selector_is_tried_and_the_verifying_one_is_named() {
    let old = TestKey::rsa(RSA_1024_OTHER);
    let current = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&current).sign(MESSAGE);
    let records = ["v=DKIM1; p=".to_owned(), old.record(), current.record()];
    let r = only(verify_message(&signed, &keys_for(&records)));
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.key.unwrap().source, "test.zone:3");
    let tried: Vec<_> = r
        .keys_tried
        .iter()
        .map(|a| (a.source.as_str(), a.result.as_str()))
        .collect();
    assert_eq!(tried[0], ("test.zone:1", "revoked (empty p=)"));
    assert_eq!(tried[2], ("test.zone:3", "verified"));
    assert_eq!(tried.len(), 3);
}

#[test]
fn appended_text_after_l_tag_is_reported_unsigned() {
    let key = TestKey::rsa(RSA_1024);
    let mut signer = Signer::new(&key);
    signer.body_length = Some(18);
    let signed = signer.sign(MESSAGE);
    let mut tampered = signed.clone();
    tampered.extend_from_slice(b"P.S. Send the files to evil@example.net\r\n");
    let r = only(verify_message(&tampered, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
    let body = r.body.unwrap();
    assert_eq!(body.signed_length, 18);
    assert_eq!(body.unsigned_length, 41);
    assert_eq!(
        body.unsigned_tail_preview.as_deref(),
        Some("P.S. Send the files to evil@example.net\r\n")
    );
    assert!(r.reason.contains("not signed"), "{}", r.reason);
    assert_eq!(r.tags.body_length, Some(18));
}

#[test]
fn l_tag_longer_than_the_body_cannot_match_and_says_so() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let lying = replace(&signed, "v=1;", "v=1; l=5000;");
    let r = only(verify_message(&lying, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::BodyHashMismatch);
    assert!(r.reason.contains("l= says 5000 bytes"), "{}", r.reason);
}

#[test]
fn lf_only_copy_of_a_signed_message_does_not_pass_but_is_still_examined() {
    let key = TestKey::rsa(RSA_1024);
    let mut signer = Signer::new(&key);
    signer.header_canon = Canon::Simple;
    signer.body_canon = Canon::Simple;
    let signed = signer.sign(MESSAGE);
    let lf_only: Vec<u8> = signed.iter().copied().filter(|&b| b != b'\r').collect();
    let r = only(verify_message(&lf_only, &keys_for(&[key.record()])));
    assert_ne!(r.outcome, Outcome::Pass);
    assert!(r.body.is_some());
}

#[test]
fn weak_512_bit_key_still_verifies_and_reports_its_size() {
    let key = TestKey::rsa(RSA_512);
    let r = only(verify_message(
        &Signer::new(&key).sign(MESSAGE),
        &keys_for(&[key.record()]),
    ));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
    assert_eq!(r.key.unwrap().bits, 512);
    assert!(r.reason.contains("too weak"));
}

#[test]
fn rsa_8192_bit_key_verifies() {
    let key = TestKey::rsa(RSA_8192);
    let r = only(verify_message(
        &Signer::new(&key).sign(MESSAGE),
        &keys_for(&[key.record()]),
    ));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
    assert_eq!(r.key.unwrap().bits, 8192);
}

#[test]
fn ed25519_signature_verifies_and_a_changed_header_fails_without_padding_evidence() {
    let key = TestKey::ed25519(7);
    let signed = Signer::new(&key).sign(MESSAGE);
    let keys = keys_for(&[key.record()]);
    let r = only(verify_message(&signed, &keys));
    assert_eq!(r.outcome, Outcome::Pass, "{}", r.reason);
    assert_eq!(r.key.unwrap().key_type, KeyType::Ed25519);
    let r = only(verify_message(
        &replace(&signed, "Subject: Meeting", "Subject: x"),
        &keys,
    ));
    assert_eq!(r.outcome, Outcome::SignatureMismatch);
    assert_eq!(r.header.unwrap().key_matches_signature, None);
}

#[test]
fn key_problems_come_before_the_body_check_but_keep_the_body_evidence() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let altered = replace(&signed, "at noon", "at dawn");
    let cases: Vec<(HashMap<String, TxtLookup>, Outcome)> = vec![
        (HashMap::new(), Outcome::KeyMissing),
        (
            HashMap::from([(
                "sel._domainkey.example.com".to_owned(),
                TxtLookup::Error("SERVFAIL".into()),
            )]),
            Outcome::KeyLookupFailed,
        ),
        (keys_for(&["v=DKIM1; p=".to_owned()]), Outcome::KeyRevoked),
        (
            keys_for(&[format!("{}; h=sha1", key.record())]),
            Outcome::KeyUnusable,
        ),
        (
            keys_for(&[format!("{}; s=chat", key.record())]),
            Outcome::KeyUnusable,
        ),
        (
            keys_for(&[key.record().replace("k=rsa", "k=ed25519")]),
            Outcome::KeyUnusable,
        ),
        (
            keys_for(&[key.record().replace("DKIM1", "DKIM2")]),
            Outcome::KeyUnusable,
        ),
    ];
    for (keys, want) in cases {
        let r = only(verify_message(&altered, &keys));
        assert_eq!(r.outcome, want, "{}", r.reason);
        assert!(!r.body.unwrap().matches);
        assert!(r.header.is_none());
        assert!(
            r.reason.contains("sel._domainkey.example.com"),
            "{}",
            r.reason
        );
    }
}

#[test]
fn granularity_of_rfc4871_keys_is_honoured() {
    let key = TestKey::rsa(RSA_1024);
    let mut signer = Signer::new(&key);
    signer.extra = "i=alice@example.com; ".into();
    let signed = signer.sign(MESSAGE);
    let allowed = only(verify_message(
        &signed,
        &keys_for(&[format!("{}; g=al*", key.record())]),
    ));
    assert_eq!(allowed.outcome, Outcome::Pass);
    let refused = only(verify_message(
        &signed,
        &keys_for(&[format!("{}; g=bob", key.record())]),
    ));
    assert_eq!(refused.outcome, Outcome::KeyUnusable);
}

#[test]
fn forged_from_above_the_signed_one_and_unsigned_reply_to_are_reported() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let mut forged = b"From: CEO <ceo@example.com>\r\nReply-To: x@evil.example\r\n".to_vec();
    forged.extend_from_slice(&signed);
    let r = only(verify_message(&forged, &keys_for(&[key.record()])));
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.header_index, 2);
    let uncovered: Vec<_> = r
        .uncovered_headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str(), h.reason.as_str()))
        .collect();
    assert_eq!(
        uncovered,
        vec![
            ("From", "CEO <ceo@example.com>", "extra-instance"),
            ("Reply-To", "x@evil.example", "not-in-h"),
        ]
    );
}

#[test]
fn expired_signature_still_passes_and_the_expiry_is_noted() {
    let key = TestKey::rsa(RSA_1024);
    let mut signer = Signer::new(&key);
    signer.extra = "t=1493971200; x=1493884800; ".into();
    let r = only(verify_message(
        &signer.sign(MESSAGE),
        &keys_for(&[key.record()]),
    ));
    assert_eq!(r.outcome, Outcome::Pass);
    assert_eq!(r.tags.expiration, Some(1_493_884_800));
    assert!(r.notes[0].contains("2017-05-04T08:00:00Z"), "{:?}", r.notes);
    assert!(r.notes[1].contains("earlier than the signing time"));
}

#[test]
fn message_without_body_or_empty_line_verifies() {
    let key = TestKey::rsa(RSA_1024);
    for canon in [Canon::Simple, Canon::Relaxed] {
        let mut signer = Signer::new(&key);
        signer.body_canon = canon;
        let headers_only = b"From: a@example.com\r\nSubject: s\r\n";
        let r = only(verify_message(
            &signer.sign(headers_only),
            &keys_for(&[key.record()]),
        ));
        assert_eq!(r.outcome, Outcome::Pass, "{canon:?}: {}", r.reason);
    }
}

#[test]
fn several_signatures_are_reported_in_header_order_each_on_its_own() {
    let key = TestKey::rsa(RSA_1024);
    let other = TestKey::ed25519(9);
    let first = Signer::new(&key).sign(MESSAGE);
    let mut outer = Signer::new(&other);
    outer.domain = "relay.example";
    outer.selector = "ed";
    let both = outer.sign(&first);
    let mut keys = keys_for(&[key.record()]);
    keys.extend(keys_at("ed._domainkey.relay.example", &[other.record()]));
    let results = verify_message(&both, &keys);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].tags.domain.as_deref(), Some("relay.example"));
    assert!(results.iter().all(|r| r.outcome == Outcome::Pass));
    assert_eq!((results[0].header_index, results[1].header_index), (0, 1));
}

#[test]
fn malformed_and_unsupported_signatures_say_why_and_skip_the_body() {
    let key = TestKey::rsa(RSA_1024);
    let signed = Signer::new(&key).sign(MESSAGE);
    let keys = keys_for(&[key.record()]);
    let cases = [
        (
            "h=from:to:subject:date",
            "h=to:subject:date",
            Outcome::Malformed,
            "From",
        ),
        (
            "v=1;",
            "v=1; l=99999999999999999999999999999;",
            Outcome::Malformed,
            "l=",
        ),
        (
            "v=1;",
            "v=1; i=x@elsewhere.example;",
            Outcome::Malformed,
            "outside",
        ),
        (
            "v=1;",
            "v=1; d=twice.example;",
            Outcome::Malformed,
            "more than once",
        ),
        ("b=", "b=!!not base64!!", Outcome::Malformed, "b="),
        ("a=rsa-sha256", "a=rsa-md5", Outcome::Unsupported, "rsa-md5"),
        (
            "c=relaxed/relaxed",
            "c=relaxed/fancy",
            Outcome::Unsupported,
            "c=",
        ),
    ];
    for (from, to, want, says) in cases {
        let r = only(verify_message(&replace(&signed, from, to), &keys));
        assert_eq!(r.outcome, want, "{to}: {}", r.reason);
        assert!(r.reason.contains(says), "{to}: {}", r.reason);
        assert!(r.body.is_none() && r.header.is_none());
    }
}

#[test]
fn hostile_header_gives_no_result_instead_of_a_panic() {
    let mut huge = b"DKIM-Signature: v=1; b=".to_vec();
    huge.extend(std::iter::repeat_n(b'A', 2 << 20));
    huge.extend_from_slice(b"\r\n\r\nbody\r\n");
    assert!(verify_message(&huge, &HashMap::new()).is_empty());
    let many = b"DKIM-Signature: x\r\n".repeat(20_000);
    assert!(verify_message(&many, &HashMap::new()).is_empty());
}

#[test]
fn garbage_signatures_never_panic() {
    let keys = keys_for(&[TestKey::rsa(RSA_512).record()]);
    for value in [
        "",
        ";;;",
        "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=; b=AAAA",
        "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=////////////////////////////////////////////////////////////////////////////////////////////",
        "v=1; a=ed25519-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA",
        "v=1; a=rsa-sha256; d=example.com; s=sel; h=:::from:::; bh=AAAA; b=AAAA; l=0",
    ] {
        let message = format!("DKIM-Signature: {value}\r\nFrom: a@example.com\r\n\r\nx\r\n");
        let results = verify_message(message.as_bytes(), &keys);
        assert_eq!(results.len(), 1);
    }
}
