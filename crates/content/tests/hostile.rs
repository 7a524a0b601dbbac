//! Bytes built to hurt whoever reads them: extract must answer, bounded,
//! and say what it could not read.

mod common;

use common::{parser_failed, SeededBytes};
use tamis_content::extract;
use tamis_content::limits::MAX_MIME_DEPTH;

/// A multipart nested `levels` deep, each level with its own boundary,
/// holding one attachment at the bottom.
fn nested_multipart(levels: usize) -> Vec<u8> {
    let mut raw = b"Subject: deep\r\n".to_vec();
    for level in 0..levels {
        raw.extend_from_slice(
            format!("Content-Type: multipart/mixed; boundary=b{level}\r\n\r\n--b{level}\r\n")
                .as_bytes(),
        );
    }
    raw.extend_from_slice(b"Content-Type: application/octet-stream; name=deep.bin\r\n\r\nDEEP\r\n");
    for level in (0..levels).rev() {
        raw.extend_from_slice(format!("--b{level}--\r\n").as_bytes());
    }
    raw
}

#[test]
fn nesting_within_the_cap_is_read() {
    let content = extract(&nested_multipart(MAX_MIME_DEPTH - 1));
    assert_eq!(content.attachments.len(), 1);
    assert_eq!(content.attachments[0].bytes, b"DEEP");
    assert!(content.problems.is_empty(), "{:?}", content.problems);
}

#[test]
fn parts_nested_past_the_cap_are_not_read_and_said() {
    for levels in [MAX_MIME_DEPTH + 1, 5_000] {
        let content = extract(&nested_multipart(levels));
        assert!(content.attachments.is_empty(), "{levels} levels");
        assert_eq!(
            content.problems,
            ["1 MIME part nested more than 64 multipart levels deep was not read"],
            "{levels} levels"
        );
    }
}

#[test]
fn broken_base64_attachment_is_kept_as_written_and_said() {
    let content = extract(
        b"Subject: a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
          --b\r\nContent-Type: application/pdf; name=x.pdf\r\n\
          Content-Transfer-Encoding: base64\r\n\r\nJVBERi0x*!!not base64\r\n\
          --b--\r\n",
    );
    assert_eq!(content.text_body, "see attached");
    let pdf = &content.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("x.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.bytes, b"JVBERi0x*!!not base64");
    assert_eq!(
        content.problems,
        [
            "the attachment \"x.pdf\" (application/pdf) does not decode as its \
          Content-Transfer-Encoding \"base64\" says; it is kept as written, still encoded"
        ]
    );
}

#[test]
fn a_message_cut_inside_an_attachment_keeps_what_arrived() {
    let content = extract(
        b"Subject: t\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
          --b\r\nContent-Type: application/pdf; name=x.pdf\r\n\
          Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\nJVBE",
    );
    assert_eq!(content.text_body, "hello");
    assert_eq!(content.attachments[0].bytes, b"JVBERi0xLjQK\r\nJVBE");
    assert_eq!(content.problems.len(), 1, "{:?}", content.problems);
}

#[test]
fn a_disguised_file_name_is_escaped_in_the_sentence_that_names_it() {
    let content = extract(
        "Subject: a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: application/pdf; name=\"facture\u{202e}fdp.exe\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n***\r\n--b--\r\n"
            .as_bytes(),
    );
    assert_eq!(
        content.attachments[0].filename.as_deref(),
        Some("facture\u{202e}fdp.exe")
    );
    assert!(
        content.problems[0].starts_with("the attachment \"facture\\u{202e}fdp.exe\""),
        "{:?}",
        content.problems
    );
}

#[test]
fn random_bytes_never_break_the_parser() {
    let mut random = SeededBytes::new(0x7a_6d_15);
    for round in 0..3_000 {
        let len = random.below(2_048);
        let mut raw = random.bytes(len);
        // Half the rounds look enough like mail to get past the header.
        if round % 2 == 0 {
            let mut with_header = b"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n".to_vec();
            with_header.append(&mut raw);
            raw = with_header;
        }
        let content = extract(&raw);
        assert!(!parser_failed(&content.problems), "round {round}: {raw:?}");
        let decoded: usize = content
            .attachments
            .iter()
            .map(|a| a.bytes.len())
            .sum::<usize>()
            + content.text_body.len()
            + content.html_body.as_ref().map_or(0, String::len);
        // Bounded by what came in: a byte becomes at most a three-byte
        // replacement character, shown in the HTML and again in its text.
        assert!(decoded <= 6 * raw.len() + 16, "round {round}");
    }
}

#[test]
fn mutated_real_messages_never_break_the_parser() {
    let mut random = SeededBytes::new(2017);
    // Bytes that steer a MIME parser: separators, encodings, boundaries.
    const STEERING: &[&[u8]] = &[
        b"\r\n",
        b"\n",
        b"--",
        b"=",
        b"?=",
        b"=?",
        b":",
        b";",
        b"\"",
        b"<",
        b">",
        b"\0",
        b"\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=x\r\n",
        b"--x\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"message/rfc822",
    ];
    for (name, original) in common::committed_messages() {
        for round in 0..60 {
            let mut raw = original.clone();
            for _ in 0..1 + random.below(8) {
                let at = random.below(raw.len() + 1);
                match random.below(3) {
                    0 => raw.truncate(at),
                    1 => {
                        let insert = STEERING[random.below(STEERING.len())];
                        raw.splice(at..at, insert.iter().copied());
                    }
                    _ => {
                        if at < raw.len() {
                            raw[at] = random.next_u64() as u8;
                        }
                    }
                }
            }
            let content = extract(&raw);
            assert!(!parser_failed(&content.problems), "{name} round {round}");
        }
    }
}

#[test]
fn a_structure_that_trips_the_parsers_own_assertions_still_gets_an_answer() {
    // Found by fuzzing: mail-parser 0.11.9 asserts on it ("Invalid part ID,
    // could not find multipart") where debug assertions are on, as in
    // tests, and carries on where they are off, as in release.
    let raw = b"Content-Type:multipart;boundary=b\n\n--bContent-Type:message/rfc822\n\n\
                Content-Type:message/rfc822\n\n\n--b--";
    let content = extract(raw);
    if cfg!(debug_assertions) {
        assert_eq!(content.problems.len(), 1);
        assert!(parser_failed(&content.problems));
        assert!(content.headers.is_empty() && content.attachments.is_empty());
    } else {
        assert!(!parser_failed(&content.problems));
    }
}
