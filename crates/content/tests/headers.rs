//! Header fields as a reader sees them: decoded names and subjects, ids
//! without brackets, dates, and what is said when a header is odd.

use tamis_content::extract;
use tamis_content::limits::MAX_HEADER_LINES;
use tamis_findings::Address;

#[test]
fn rfc2047_names_and_subject_are_decoded_in_any_charset() {
    let content = extract(
        b"From: =?ISO-8859-1?Q?Fran=E7ois_L=E9v=EAque?= <francois@example.fr>\r\n\
          To: =?UTF-8?B?SMOpbMOobmU=?= <helene@example.fr>, plain@example.fr\r\n\
          Cc: \"Roux, Paul\" <paul@example.fr>\r\n\
          Reply-To: <replies@example.fr>\r\n\
          Subject: =?UTF-8?B?UsOpc3Vtw6k=?= du =?UTF-8?Q?r=C3=A9sum=C3=A9?=\r\n\
          \r\n\
          body\r\n",
    );
    assert_eq!(
        content.from,
        [Address {
            name: Some("François Lévêque".into()),
            address: Some("francois@example.fr".into())
        }]
    );
    assert_eq!(
        content.to,
        [
            Address {
                name: Some("Hélène".into()),
                address: Some("helene@example.fr".into())
            },
            Address {
                name: None,
                address: Some("plain@example.fr".into())
            }
        ]
    );
    assert_eq!(content.cc[0].name.as_deref(), Some("Roux, Paul"));
    assert_eq!(
        content.reply_to[0].address.as_deref(),
        Some("replies@example.fr")
    );
    assert_eq!(content.subject.as_deref(), Some("Résumé du résumé"));
    assert_eq!(
        content.headers[0].value,
        "François Lévêque <francois@example.fr>"
    );
    assert_eq!(content.headers[4].value, "Résumé du résumé");
}

#[test]
fn ids_lose_their_brackets_and_keep_their_order_across_folded_lines() {
    let content = extract(
        b"Message-Id: <reply.3@example.fr>\r\n\
          In-Reply-To: <second@example.fr>\r\n\
          References: <first@example.fr>\r\n <second@example.fr>\r\n\t<third@example.fr>\r\n\
          \r\n\
          body\r\n",
    );
    assert_eq!(content.message_id.as_deref(), Some("reply.3@example.fr"));
    assert_eq!(content.in_reply_to, ["second@example.fr"]);
    assert_eq!(
        content.references,
        ["first@example.fr", "second@example.fr", "third@example.fr"]
    );
    // The name as the sender spelled it, not mail-parser's canonical one.
    assert_eq!(content.headers[0].name, "Message-Id");
    assert_eq!(
        content.headers[2].value,
        "<first@example.fr> <second@example.fr> <third@example.fr>"
    );
}

#[test]
fn dates_are_read_with_their_zone() {
    let content = extract(b"Date: Fri, 5 May 2017 20:38:00 -0400\r\n\r\nbody\r\n");
    // 2017-05-06T00:38:00Z
    assert_eq!(content.date_unix, Some(1_494_031_080));
    assert!(content.problems.is_empty());
}

#[test]
fn a_date_that_does_not_parse_is_said_with_what_was_written() {
    let content = extract(b"Subject: x\r\nDate: yesterday at noon\r\n\r\nbody\r\n");
    assert_eq!(content.date_unix, None);
    assert_eq!(
        content.problems,
        ["the Date field \"yesterday at noon\" is not a date that can be read"]
    );
}

#[test]
fn repeated_single_fields_are_each_reported_and_the_first_is_used() {
    let content = extract(
        b"Subject: Shown\r\nDate: Mon, 1 May 2017 10:00:00 +0000\r\n\
          Subject: Hidden\r\nDate: Tue, 2 May 2017 10:00:00 +0000\r\n\r\nbody\r\n",
    );
    assert_eq!(content.subject.as_deref(), Some("Shown"));
    assert_eq!(content.date_unix, Some(1_493_632_800));
    assert_eq!(
        content.problems,
        [
            "the header has 2 Subject fields; the first is shown here, a mail program may show \
             another: compare them in the header list",
            "the header has 2 Date fields; the first is shown here, a mail program may show \
             another: compare them in the header list"
        ]
    );
}

#[test]
fn header_list_stops_at_its_cap_and_says_how_many_there_were() {
    let mut raw = Vec::new();
    for index in 0..MAX_HEADER_LINES + 5 {
        raw.extend_from_slice(format!("X-Relay-{index}: hop {index}\r\n").as_bytes());
    }
    raw.extend_from_slice(b"Subject: after the flood\r\n\r\nbody\r\n");
    let content = extract(&raw);
    assert_eq!(content.headers.len(), MAX_HEADER_LINES);
    assert_eq!(content.headers[999].name, "X-Relay-999");
    // Fields past the listing cap are still read for what they mean.
    assert_eq!(content.subject.as_deref(), Some("after the flood"));
    assert_eq!(
        content.problems,
        ["the header has 1006 fields; only the first 1000 are listed"]
    );
}

#[test]
fn a_message_without_header_fields_keeps_its_body_and_says_so() {
    let content = extract(b"\r\nJust a body, no header.\r\n");
    assert_eq!(content.text_body, "Just a body, no header.\r\n");
    assert!(content.headers.is_empty());
    assert_eq!(content.message_id, None);
    assert_eq!(
        content.problems,
        ["the message has no header fields: no sender, recipient, date or subject"]
    );
}

#[test]
fn bytes_with_no_header_field_at_all_are_not_a_message() {
    let content = extract(b"just some words\r\nwithout a colon anywhere\r\n");
    assert_eq!(content.text_body, "");
    assert_eq!(
        content.problems,
        ["no header field could be read: these bytes do not look like a message"]
    );
}

#[test]
fn a_header_cut_short_without_a_line_end_is_still_shown() {
    let content = extract(b"Subject: cut\r\nX-Last: no line end");
    assert_eq!(content.subject.as_deref(), Some("cut"));
    assert_eq!(content.headers[1].name, "X-Last");
    assert_eq!(content.headers[1].value, "no line end");
}
