//! The committed messages (DKIM fixtures made by dkimpy, the sample dump)
//! read as a reader would see them.

mod common;

use tamis_content::extract;
use tamis_findings::{Address, HeaderLine};

fn address(name: &str, address: &str) -> Address {
    Address {
        name: Some(name.to_string()),
        address: Some(address.to_string()),
    }
}

#[test]
fn multipart_message_with_a_base64_pdf() {
    let raw = common::read("fixtures/dkim/multipart-base64-attachment.eml");
    let content = extract(&raw);

    assert_eq!(
        content.message_id.as_deref(),
        Some("multipart@mail.example.org")
    );
    assert_eq!(
        content.from,
        [address("Paul Mercier", "paul.mercier@example.org")]
    );
    assert_eq!(
        content.to,
        [address("Claire Dubois", "claire.dubois@example.org")]
    );
    assert!(content.cc.is_empty() && content.bcc.is_empty() && content.reply_to.is_empty());
    assert_eq!(content.subject.as_deref(), Some("Programme definitif"));
    // Wed, 03 May 2017 12:30:00 +0200
    assert_eq!(content.date_unix, Some(1_493_807_400));
    assert_eq!(
        content.text_body,
        "Ci-joint le programme definitif.\r\nPaul\r\n"
    );
    assert_eq!(content.html_body, None);
    assert_eq!(content.problems, Vec::<String>::new());

    let names: Vec<&str> = content.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "DKIM-Signature",
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Type"
        ]
    );
    assert_eq!(
        content.headers[7].value,
        "multipart/mixed; boundary=\"=_tamis_boundary_01\""
    );

    assert_eq!(content.attachments.len(), 1);
    let pdf = &content.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("programme.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.disposition, "attachment");
    let expected = common::base64_block_after(&raw, "filename=\"programme.pdf\"");
    assert_eq!(expected.len(), 2422);
    assert_eq!(pdf.bytes, expected);
    assert!(pdf.bytes.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.bytes.ends_with(b"%%EOF\n"));
}

#[test]
fn utf8_names_subject_and_8bit_body() {
    let content = extract(&common::read("fixtures/dkim/utf8-8bit-body.eml"));

    assert_eq!(
        content.from,
        [address("François Lévêque", "francois.leveque@example.org")]
    );
    assert_eq!(
        content.to,
        [address("Hélène Roux", "helene.roux@example.org")]
    );
    assert_eq!(content.subject.as_deref(), Some("Communiqué validé"));
    // Wed, 03 May 2017 17:10:00 +0200
    assert_eq!(content.date_unix, Some(1_493_824_200));
    assert_eq!(
        content.text_body,
        "Chère Hélène,\r\n\r\nLe député a validé le communiqué. Réunion à 18 h à l'hôtel de \
         ville ; n'oubliez pas les procès-verbaux.\r\n\r\nÀ bientôt,\r\nFrançois\r\n"
    );
    assert_eq!(
        content.headers[1],
        HeaderLine {
            name: "From".into(),
            value: "François Lévêque <francois.leveque@example.org>".into()
        }
    );
    assert!(content.problems.is_empty(), "{:?}", content.problems);
}

#[test]
fn a_from_added_above_the_signed_one_is_the_one_shown_and_is_reported() {
    let content = extract(&common::read("fixtures/dkim/second-from-added-above.eml"));

    assert_eq!(
        content.from,
        [address("Direction", "direction@example.org")]
    );
    assert_eq!(
        content.problems,
        [
            "the header has 2 From fields; the first is shown here, a mail program may show \
          another: compare them in the header list"
        ]
    );
    let froms: Vec<&str> = content
        .headers
        .iter()
        .filter(|h| h.name == "From")
        .map(|h| h.value.as_str())
        .collect();
    assert_eq!(
        froms,
        [
            "Direction <direction@example.org>",
            "Paul Mercier <paul.mercier@example.org>"
        ]
    );
}

#[test]
fn lf_only_message_keeps_its_line_endings() {
    let content = extract(&common::read("fixtures/dkim/lf-line-endings.eml"));
    assert_eq!(
        content.text_body,
        "Salut l'equipe,\n\nLe porte-a-porte de samedi commence a 9h devant la mairie du \
         11e.\nPrevoyez des tracts (3 cartons) et les badges.\n\nA samedi,\nInes\n"
    );
    assert_eq!(
        content.message_id.as_deref(),
        Some("lf-only@mail.example.org")
    );
}

#[test]
fn sample_maildir_message_with_its_pdf() {
    let raw = common::read(
        "examples/sample-dump/maildir-claire.dubois/cur/1492525200.M0005P2017.horizon-laptop:2,S",
    );
    let content = extract(&raw);

    assert_eq!(
        content.from,
        [address(
            "Marc Olivier",
            "marc.olivier@agence-lumen.example.com"
        )]
    );
    assert_eq!(content.subject.as_deref(), Some("Maquette affiche v3"));
    // Tue, 18 Apr 2017 16:20:00 +0200, which is also the maildir file's time.
    assert_eq!(content.date_unix, Some(1_492_525_200));
    assert_eq!(
        content.text_body,
        "Claire,\n\nEn piece jointe la maquette v3 de l'affiche, corrigee selon vos \
         remarques.\n\nMarc\n"
    );
    assert_eq!(content.attachments.len(), 1);
    let pdf = &content.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("document.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(
        pdf.bytes,
        common::base64_block_after(&raw, "filename=\"document.pdf\"")
    );
    assert!(pdf.bytes.starts_with(b"%PDF-1.4\n"));
}

#[test]
fn mbox_reply_keeps_its_escaped_from_line_as_stored() {
    let messages = common::mbox_messages("examples/sample-dump/paul.mercier.mbox");
    assert_eq!(messages.len(), 12);
    let reply = extract(&messages[0]);
    assert_eq!(reply.subject.as_deref(), Some("Re: Budget meeting de Lyon"));
    assert_eq!(
        reply.message_id.as_deref(),
        Some("m16.1491210000@horizon-commun.example.fr")
    );
    // Un-escaping mbox `>From ` is a repair the caller makes and reports;
    // the content of the stored bytes is shown as stored.
    assert!(reply
        .text_body
        .contains("\n>From the finance desk: 27 770 EUR, paid Monday.\n"));
}

#[test]
fn every_committed_message_reads_without_problems() {
    let mut messages = common::committed_messages();
    for (index, raw) in common::mbox_messages("examples/sample-dump/paul.mercier.mbox")
        .into_iter()
        .enumerate()
    {
        messages.push((format!("paul.mercier.mbox #{index}"), raw));
    }
    assert_eq!(messages.len(), 31 + 17 + 12);

    for (name, raw) in &messages {
        let content = extract(raw);
        assert!(content.message_id.is_some(), "{name}: no Message-ID");
        assert_eq!(content.from.len(), 1, "{name}: From");
        assert!(content.date_unix.is_some(), "{name}: Date");
        assert!(!content.text_body.trim().is_empty(), "{name}: empty body");
        let expected_problems = usize::from(name == "second-from-added-above.eml");
        assert_eq!(
            content.problems.len(),
            expected_problems,
            "{name}: {:?}",
            content.problems
        );
    }
}
