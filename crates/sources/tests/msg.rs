//! Outlook .msg files: written by Debian's readpst from the real Enron PST
//! (checked against what the PST reader gives for the same messages), and
//! made here with the cfb crate for the cases readpst cannot write (an
//! embedded message, non-ASCII properties, a disguised .doc).

mod stores_common;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::process::Command;

use stores_common::*;
use tamis_items::ItemKind;
use tamis_sources::Limits;

fn filenames(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut names: Vec<String> = text
        .split("filename=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_string()))
        .collect();
    names.sort();
    names
}

#[test]
fn msgs_written_by_readpst_read_like_the_pst_they_came_from() {
    let Some(readpst) = readpst() else { return };
    let pst = store("enron.pst").unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(readpst)
        .args(["-j", "0", "-q", "-m", "-D", "-o"])
        .arg(out.path())
        .arg(&pst)
        .status()
        .unwrap();
    assert!(status.success());
    let mut msgs: Vec<PathBuf> = Vec::new();
    let mut stack = vec![out.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "msg") {
                msgs.push(path);
            }
        }
    }
    msgs.sort();
    // One readpst process (`-j 0`): its parallel jobs share a
    // temp_file_attachment file, and a .msg then loses its attachment.
    assert_eq!(msgs.len(), 71);

    let from_msg = run(&msgs, Limits::default());
    assert!(from_msg.unreadable.is_empty(), "{:?}", from_msg.unreadable);
    assert!(from_msg.stores.is_empty(), "a .msg has no tally");
    assert_eq!(from_msg.items.len(), msgs.len());
    assert!(from_msg
        .items
        .iter()
        .all(|i| i.kind == ItemKind::RebuiltMessage && i.origin.entries.is_empty()));

    let from_pst = run(&[pst], Limits::default());
    let key = |bytes: &[u8]| header(bytes, "Message-ID").expect("Message-ID");
    let pst_by_id: BTreeMap<String, &[u8]> = from_pst
        .items
        .iter()
        .map(|i| (key(&i.bytes), i.bytes.as_slice()))
        .collect();
    for item in &from_msg.items {
        let theirs = pst_by_id[&key(&item.bytes)];
        for field in ["Subject", "From", "To", "Date"] {
            assert_eq!(
                header(&item.bytes, field),
                header(theirs, field),
                "{field} of {}",
                item.origin
            );
        }
        assert_eq!(filenames(&item.bytes), filenames(theirs), "{}", item.origin);
    }
}

/// A minimal MS-OXMSG writer for the tests: properties as (tag, value).
enum Prop {
    Text(&'static str),
    Int(i32),
    Bin(Vec<u8>),
}

fn write_props(
    ole: &mut cfb::CompoundFile<Cursor<Vec<u8>>>,
    storage: &str,
    header_len: usize,
    props: &[(u16, Prop)],
) {
    let mut fixed = vec![0u8; header_len];
    for (id, prop) in props {
        let (kind, record): (u16, [u8; 8]) = match prop {
            Prop::Text(text) => {
                let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
                let name = format!("{storage}/__substg1.0_{id:04X}001F");
                ole.create_stream(&name).unwrap().write_all(&utf16).unwrap();
                (0x001F, (utf16.len() as u64 + 2).to_le_bytes())
            }
            Prop::Bin(bytes) => {
                let name = format!("{storage}/__substg1.0_{id:04X}0102");
                ole.create_stream(&name).unwrap().write_all(bytes).unwrap();
                (0x0102, (bytes.len() as u64).to_le_bytes())
            }
            Prop::Int(n) => (0x0003, (*n as i64 as u64).to_le_bytes()),
        };
        fixed.extend_from_slice(&((u32::from(*id) << 16) | u32::from(kind)).to_le_bytes());
        fixed.extend_from_slice(&6u32.to_le_bytes());
        fixed.extend_from_slice(&record);
    }
    let name = format!("{storage}/__properties_version1.0");
    ole.create_stream(&name).unwrap().write_all(&fixed).unwrap();
}

/// A message from a sender whose Outlook kept no transport headers (a
/// draft), with a non-ASCII subject, one file and one attached message.
fn built_msg() -> Vec<u8> {
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    write_props(
        &mut ole,
        "",
        32,
        &[
            (0x001A, Prop::Text("IPM.Note")),
            (0x0037, Prop::Text("Réunion – 会議")),
            (0x0C1A, Prop::Text("Zoé Martin")),
            (0x5D01, Prop::Text("zoe@example.fr")),
            (0x1000, Prop::Text("Bonjour,\r\nvoir la pièce jointe.\r\n")),
            (0x1035, Prop::Text("<draft-1@example.fr>")),
        ],
    );
    ole.create_storage("/__recip_version1.0_#00000000").unwrap();
    write_props(
        &mut ole,
        "/__recip_version1.0_#00000000",
        8,
        &[
            (0x0C15, Prop::Int(1)),
            (0x3001, Prop::Text("Ana")),
            (0x39FE, Prop::Text("ana@example.org")),
        ],
    );
    ole.create_storage("/__attach_version1.0_#00000000")
        .unwrap();
    write_props(
        &mut ole,
        "/__attach_version1.0_#00000000",
        8,
        &[
            (0x3705, Prop::Int(1)),
            (0x3707, Prop::Text("notes.txt")),
            (0x370E, Prop::Text("text/plain")),
            (0x3701, Prop::Bin(b"hello".to_vec())),
        ],
    );
    let att = "/__attach_version1.0_#00000001";
    ole.create_storage(att).unwrap();
    write_props(
        &mut ole,
        att,
        8,
        &[(0x3705, Prop::Int(5)), (0x3001, Prop::Text("Forwarded"))],
    );
    let inner = format!("{att}/__substg1.0_3701000D");
    ole.create_storage(&inner).unwrap();
    write_props(
        &mut ole,
        &inner,
        24,
        &[
            (
                0x007D,
                Prop::Text("Received: from mx by mx2;\r\n\tTue, 2 Jan 2001 10:00:00 +0000\r\nFrom: B <b@example.com>\r\nSubject: original\r\nDate: Tue, 2 Jan 2001 10:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"),
            ),
            (0x0037, Prop::Text("original")),
            (0x1000, Prop::Text("the original text\r\n")),
        ],
    );
    ole.flush().unwrap();
    ole.into_inner().into_inner()
}

#[test]
fn a_msg_with_an_embedded_message_gives_two_items() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.msg");
    std::fs::write(&path, built_msg()).unwrap();
    let run = run(std::slice::from_ref(&path), Limits::default());
    assert!(run.unreadable.is_empty(), "{:?}", run.unreadable);
    assert_eq!(run.items.len(), 2);
    let (outer, inner) = (&run.items[0], &run.items[1]);
    assert_eq!(outer.origin.to_string(), path.display().to_string());
    assert_eq!(
        inner.origin.to_string(),
        format!("{}!Forwarded", path.display())
    );
    assert!(run.items.iter().all(|i| i.kind == ItemKind::RebuiltMessage));

    let text = String::from_utf8(outer.bytes.clone()).unwrap();
    // No transport headers: made from the properties.
    assert!(text.starts_with(
        "From: =?utf-8?B?Wm/DqSBNYXJ0aW4=?= <zoe@example.fr>\r\nTo: \"Ana\" <ana@example.org>\r\nSubject: =?utf-8?B?UsOpdW5pb24g4oCTIOS8muitsA==?=\r\nMessage-ID: <draft-1@example.fr>\r\nMIME-Version: 1.0\r\n"
    ), "{text}");
    assert!(text.contains("Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBonjour,\r\nvoir la pi=C3=A8ce jointe.\r\n"));
    assert!(text.contains("Content-Type: text/plain;\r\n name=\"notes.txt\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n filename=\"notes.txt\"\r\n\r\naGVsbG8=\r\n"));
    // The embedded message travels inside its parent too.
    let inner_text = String::from_utf8(inner.bytes.clone()).unwrap();
    assert!(text.contains(&format!(
        "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: attachment;\r\n filename=\"Forwarded\"\r\n\r\n{inner_text}"
    )));
    // A single text/plain original keeps its headers and body bytes.
    assert_eq!(
        inner_text,
        "Received: from mx by mx2;\r\n\tTue, 2 Jan 2001 10:00:00 +0000\r\nFrom: B <b@example.com>\r\nSubject: original\r\nDate: Tue, 2 Jan 2001 10:00:00 +0000\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nthe original text\r\n"
    );

    // max_depth bounds embedded messages: the attached one is reported.
    let shallow = Limits {
        max_depth: 1,
        ..Limits::default()
    };
    let run = stores_common::run(&[path], shallow);
    assert_eq!(run.items.len(), 1);
    assert_eq!(run.unreadable.len(), 1);
    assert_eq!(run.unreadable[0].code, "store-attachment-unreadable");
}

#[test]
fn a_msg_is_told_by_its_directory_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let msg = built_msg();
    // A .doc-like compound file named .msg stays a file.
    let mut doc = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    doc.create_stream("/WordDocument")
        .unwrap()
        .write_all(&[0u8; 600])
        .unwrap();
    doc.flush().unwrap();
    let doc = doc.into_inner().into_inner();
    let zip_path = dir.path().join("dump.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [("renamed", &msg), ("fake.msg", &doc), ("real.doc", &doc)] {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    let run = run(&[zip_path], Limits::default());
    let kinds: Vec<(String, ItemKind)> = run
        .items
        .iter()
        .map(|i| (i.origin.entries.last().unwrap().entry.clone(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("renamed".to_string(), ItemKind::RebuiltMessage),
            ("Forwarded".to_string(), ItemKind::RebuiltMessage),
            ("fake.msg".to_string(), ItemKind::File),
            ("real.doc".to_string(), ItemKind::File),
        ]
    );
}

#[test]
fn damaged_msgs_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let msg = built_msg();
    let mut seed = 7u64;
    for round in 0..200 {
        let mut bytes = msg.clone();
        if round % 5 == 0 {
            bytes.truncate((round * 37) % msg.len());
        } else {
            for _ in 0..4 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let at = (seed >> 20) as usize % bytes.len();
                bytes[at] ^= (seed >> 8) as u8 | 1;
            }
        }
        let path = dir.path().join("damaged.msg");
        std::fs::write(&path, &bytes).unwrap();
        let run = run(&[path], Limits::default());
        assert!(run.items.len() + run.unreadable.len() >= 1, "round {round}");
    }
}

/// `PidTagRtfCompressed` in its uncompressed form (`MELA`), as Outlook
/// writes small bodies.
fn mela(rtf: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(rtf.len() as u32 + 12).to_le_bytes());
    out.extend_from_slice(&(rtf.len() as u32).to_le_bytes());
    out.extend_from_slice(b"MELA");
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(rtf);
    out
}

fn rtf_only_msg(rtf: &[u8]) -> Vec<u8> {
    let mut ole = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    write_props(
        &mut ole,
        "",
        32,
        &[
            (0x0037, Prop::Text("rich")),
            (0x0C1A, Prop::Text("A")),
            (0x1009, Prop::Bin(mela(rtf))),
        ],
    );
    ole.flush().unwrap();
    ole.into_inner().into_inner()
}

#[test]
fn an_rtf_only_body_becomes_html_or_text() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("html.msg");
    std::fs::write(
        &html,
        rtf_only_msg(
            br"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}}{\*\htmltag19 <html>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0 Caf\'e9\htmlrtf }\htmlrtf0 {\*\htmltag58 </body>}{\*\htmltag27 </html>}}",
        ),
    )
    .unwrap();
    let plain = dir.path().join("plain.msg");
    std::fs::write(
        &plain,
        rtf_only_msg(br"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times;}}\pard Na\'efve\par line two}"),
    )
    .unwrap();
    let run = run(&[html, plain], Limits::default());
    assert!(run.unreadable.is_empty(), "{:?}", run.unreadable);
    let html = String::from_utf8(run.items[0].bytes.clone()).unwrap();
    assert!(html.contains("Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<html><body>Caf=C3=A9</body></html>"), "{html}");
    let plain = String::from_utf8(run.items[1].bytes.clone()).unwrap();
    assert!(plain.contains("Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nNa=C3=AFve\r\nline two"), "{plain}");
}
