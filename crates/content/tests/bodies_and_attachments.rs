//! Which text a reader reads and which files they can download, byte for
//! byte.

use tamis_content::extract;
use tamis_content::limits::MAX_ATTACHMENTS;

#[test]
fn alternative_gives_the_plain_text_and_the_html_as_written() {
    let content = extract(
        b"Subject: a\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n\
          --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\
          Content-Transfer-Encoding: quoted-printable\r\n\r\n\
          R=C3=A9union =C3=A0 18 h, salle=20\r\nB.\r\n\
          --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
          <p>R\xc3\xa9union \xc3\xa0 <b>18 h</b></p>\r\n\
          --alt--\r\n",
    );
    assert_eq!(content.text_body, "Réunion à 18 h, salle \r\nB.");
    assert_eq!(
        content.html_body.as_deref(),
        Some("<p>Réunion à <b>18 h</b></p>")
    );
    assert!(content.attachments.is_empty());
    assert!(content.problems.is_empty(), "{:?}", content.problems);
}

#[test]
fn html_only_message_gets_its_text_without_scripts_and_keeps_its_html_untouched() {
    let html = "<html><head><script>alert('owned')</script><style>p{color:red}</style></head>\
                <body><p>Hello <b>world</b></p><p>Line&nbsp;two &amp; more</p>\
                <a href=\"javascript:steal()\">click</a></body></html>\r\n";
    let raw = format!("Subject: h\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let content = extract(raw.as_bytes());
    assert_eq!(
        content.text_body,
        "Hello world\nLine\u{a0}two & more\nclick"
    );
    assert!(!content.text_body.contains("alert"));
    assert!(!content.text_body.contains("color:red"));
    assert_eq!(content.html_body.as_deref(), Some(html));
    assert!(content.attachments.is_empty());
}

#[test]
fn plain_only_message_has_no_html_body() {
    let content = extract(b"Subject: p\r\n\r\nplain words\r\n");
    assert_eq!(content.text_body, "plain words\r\n");
    assert_eq!(content.html_body, None);
}

#[test]
fn text_parts_around_an_inline_image_are_joined_and_the_image_is_inline() {
    let content = extract(
        b"Subject: r\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: text/plain\r\n\r\nbefore the photo\r\n\
          --b\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline; filename=p.jpg\r\n\
          Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n\
          --b\r\nContent-Type: text/plain\r\n\r\nafter the photo\r\n\
          --b--\r\n",
    );
    assert_eq!(content.text_body, "before the photo\nafter the photo");
    assert_eq!(content.attachments.len(), 1);
    let photo = &content.attachments[0];
    assert_eq!(photo.filename.as_deref(), Some("p.jpg"));
    assert_eq!(photo.content_type, "image/jpeg");
    assert_eq!(photo.disposition, "inline");
    assert_eq!(photo.bytes, [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]);
}

#[test]
fn related_image_shown_by_content_id_is_inline_and_its_type_lowercased() {
    let content = extract(
        b"Subject: r\r\nContent-Type: multipart/related; boundary=rel\r\n\r\n\
          --rel\r\nContent-Type: text/html\r\n\r\n<p>Logo:</p><img src=\"cid:logo1\">\r\n\
          --rel\r\nContent-Type: IMAGE/PNG; name=logo.png\r\nContent-ID: <logo1>\r\n\
          Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
          --rel--\r\n",
    );
    assert_eq!(content.text_body, "Logo:\n");
    assert_eq!(
        content.html_body.as_deref(),
        Some("<p>Logo:</p><img src=\"cid:logo1\">")
    );
    let logo = &content.attachments[0];
    assert_eq!(logo.content_type, "image/png");
    assert_eq!(logo.disposition, "inline");
    assert_eq!(logo.bytes, b"\x89PNG\r\n\x1a\n");
}

#[test]
fn embedded_message_is_an_attachment_holding_its_exact_bytes() {
    let inner = "From: Paul <paul@example.fr>\r\nSubject: inner\r\n\
                 Message-ID: <inner@example.fr>\r\n\r\ninner body\r\nsecond line";
    let raw = format!(
        "Subject: Fwd: inner\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nforwarding this\r\n\
         --b\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n\
         --b--\r\n"
    );
    let content = extract(raw.as_bytes());
    assert_eq!(content.text_body, "forwarding this");
    assert_eq!(content.attachments.len(), 1);
    let embedded = &content.attachments[0];
    assert_eq!(embedded.disposition, "embedded-message");
    assert_eq!(embedded.content_type, "message/rfc822");
    assert_eq!(embedded.filename, None);
    assert_eq!(embedded.bytes, inner.as_bytes());
    // The embedded message read on its own, as a case will.
    let read_alone = extract(&embedded.bytes);
    assert_eq!(read_alone.message_id.as_deref(), Some("inner@example.fr"));
    assert_eq!(read_alone.text_body, "inner body\r\nsecond line");
}

#[test]
fn base64_embedded_message_is_decoded_before_it_is_handed_over() {
    let content = extract(
        b"Subject: fwd\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: message/rfc822; name=\"original.eml\"\r\n\
          Content-Transfer-Encoding: base64\r\n\r\n\
          U3ViamVjdDogaW5uZXINCg0KaW5uZXIgYm9keQ0K\r\n\
          --b--\r\n",
    );
    let embedded = &content.attachments[0];
    assert_eq!(embedded.disposition, "embedded-message");
    assert_eq!(embedded.filename.as_deref(), Some("original.eml"));
    assert_eq!(embedded.bytes, b"Subject: inner\r\n\r\ninner body\r\n");
}

#[test]
fn text_attachment_keeps_its_own_charset_bytes() {
    let content = extract(
        b"Subject: csv\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\
          Content-Transfer-Encoding: quoted-printable\r\n\r\nCh=E8re amie,\r\n\
          --b\r\nContent-Type: text/csv; charset=iso-8859-1; name=dons.csv\r\n\
          Content-Disposition: attachment; filename=dons.csv\r\n\
          Content-Transfer-Encoding: quoted-printable\r\n\r\nnom;pr=E9nom;=ZZ\r\nL=E9v=EAque;Fran=E7ois\r\n\
          --b--\r\n",
    );
    // The body is converted for reading; the file is the one attached.
    assert_eq!(content.text_body, "Chère amie,");
    let csv = &content.attachments[0];
    assert_eq!(csv.filename.as_deref(), Some("dons.csv"));
    assert_eq!(csv.content_type, "text/csv");
    assert_eq!(csv.disposition, "attachment");
    // A stray "=ZZ" is kept as written, as mail-parser does in bodies.
    assert_eq!(csv.bytes, b"nom;pr\xe9nom;=ZZ\r\nL\xe9v\xeaque;Fran\xe7ois");
    assert!(content.problems.is_empty(), "{:?}", content.problems);
}

#[test]
fn attachment_names_are_decoded_from_rfc2231_and_rfc2047() {
    let content = extract(
        b"Subject: n\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
          --b\r\nContent-Type: application/pdf\r\n\
          Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n\r\nx\r\n\
          --b\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?w6l0w6kucGRm?=\"\r\n\
          Content-Disposition: attachment\r\n\r\ny\r\n\
          --b\r\nContent-Type: application/octet-stream\r\n\
          Content-Disposition: attachment; filename=\"../../etc/passwd\"\r\n\r\nz\r\n\
          --b--\r\n",
    );
    let names: Vec<_> = content
        .attachments
        .iter()
        .map(|a| a.filename.as_deref())
        .collect();
    // Hostile names are kept as written: they are data, never paths.
    assert_eq!(
        names,
        [
            Some("résumé.pdf"),
            Some("été.pdf"),
            Some("../../etc/passwd")
        ]
    );
    let bytes: Vec<_> = content
        .attachments
        .iter()
        .map(|a| a.bytes.as_slice())
        .collect();
    assert_eq!(bytes, [b"x", b"y", b"z"]);
}

#[test]
fn attachments_past_the_cap_are_counted_not_taken() {
    let mut raw = b"Subject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n".to_vec();
    for index in 0..MAX_ATTACHMENTS + 7 {
        raw.extend_from_slice(
            format!("--b\r\nContent-Type: application/x-part; name=f{index}\r\n\r\n{index}\r\n")
                .as_bytes(),
        );
    }
    raw.extend_from_slice(b"--b--\r\n");
    let content = extract(&raw);
    assert_eq!(content.attachments.len(), MAX_ATTACHMENTS);
    let last = &content.attachments[MAX_ATTACHMENTS - 1];
    assert_eq!(last.filename.as_deref(), Some("f999"));
    assert_eq!(last.bytes, b"999");
    assert_eq!(
        content.problems,
        ["the message has 1007 attachments; only the first 1000 were extracted"]
    );
}

#[test]
fn an_unknown_charset_is_read_as_utf8_and_said() {
    let content = extract(
        b"Subject: c\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nbad \xff bytes\r\n",
    );
    assert_eq!(content.text_body, "bad \u{fffd} bytes\r\n");
    assert_eq!(
        content.problems,
        [
            "the text/plain body declares the unknown charset \"x-klingon\"; it was read as UTF-8 \
          and the bytes that are not UTF-8 show as \u{fffd}"
        ]
    );
}

#[test]
fn bytes_invalid_in_the_declared_charset_are_said() {
    let content =
        extract(b"Subject: c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ncaf\xe9\r\n");
    assert_eq!(content.text_body, "caf\u{fffd}\r\n");
    assert_eq!(
        content.problems,
        ["some bytes of the text/plain body could not be decoded as \"utf-8\" (they are invalid \
          in that charset, or this build does not decode it) and show as \u{fffd}"]
    );
}

#[test]
fn a_replacement_character_the_sender_wrote_is_not_a_problem() {
    let content = extract(
        "Subject: c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nshown as \u{fffd}\r\n"
            .as_bytes(),
    );
    assert_eq!(content.text_body, "shown as \u{fffd}\r\n");
    assert!(content.problems.is_empty(), "{:?}", content.problems);
}

#[test]
fn a_body_whose_quoted_printable_is_broken_is_shown_as_written_and_said() {
    let content = extract(
        b"Subject: q\r\nContent-Type: text/plain; charset=utf-8\r\n\
          Content-Transfer-Encoding: quoted-printable\r\n\r\nprix ==3D 12 euros\r\n",
    );
    assert_eq!(content.text_body, "prix ==3D 12 euros\r\n");
    assert_eq!(
        content.problems,
        [
            "the text/plain body does not decode as its Content-Transfer-Encoding \
          \"quoted-printable\" says; it is shown as written"
        ]
    );
}
