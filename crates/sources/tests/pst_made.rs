//! A PST written by a real PST writer (Aspose.Email, by
//! fixtures/stores/make-stores.py, committed in fixtures/stores/made/ with
//! what the writer itself reads back from it, expected.tsv): nested folders
//! named in five scripts, an empty folder, file attachments, an embedded
//! message with a file of its own, a DKIM-signed message. Read exactly as
//! the writer lists it, cross-checked against Debian's readpst, and damaged.

mod stores_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use stores_common::*;
use tamis_items::{Item, ItemKind};
use tamis_sources::Limits;

const TOP: &str = "Top of Personal Folders";

fn made(name: &str) -> PathBuf {
    repo().join("fixtures/stores/made").join(name)
}

/// One message as listed: folder path, subject, attachment file names
/// (sorted), and for an embedded message the subject of its parent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Listed {
    folder: String,
    subject: String,
    files: Vec<String>,
    inside: Option<String>,
}

struct Expected {
    /// Folder path and the messages the writer put in it.
    folders: BTreeMap<String, usize>,
    messages: Vec<Listed>,
}

fn expected(store: &str) -> Expected {
    let text = std::fs::read_to_string(made("expected.tsv")).unwrap();
    let mut folders = BTreeMap::new();
    let mut messages = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [kind, in_store, path, a, b, c] = cells[..] else {
            panic!("expected.tsv: {line:?}");
        };
        if in_store != store {
            continue;
        }
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        match kind {
            "folder" => {
                folders.insert(path.to_string(), a.parse().unwrap());
            }
            "message" => messages.push(Listed {
                folder: path.to_string(),
                subject: a.to_string(),
                files: dash(b)
                    .map_or_else(Vec::new, |f| f.split(" | ").map(str::to_string).collect()),
                inside: dash(c),
            }),
            _ => panic!("expected.tsv: {line:?}"),
        }
    }
    messages.sort();
    Expected { folders, messages }
}

/// RFC 2047 encoded words (B and Q, UTF-8) decoded; the white space between
/// two adjacent encoded words dropped.
fn decode_words(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut last_encoded = false;
    for (i, word) in value.split([' ', '\t']).enumerate() {
        let decoded = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                let (charset, encoding, text) = (parts.next()?, parts.next()?, parts.next()?);
                if !charset.eq_ignore_ascii_case("utf-8") {
                    return None;
                }
                let bytes = match encoding {
                    "B" | "b" => base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()?,
                    "Q" | "q" => percent_decode(&text.replace('_', " ").replace('=', "%")),
                    _ => return None,
                };
                String::from_utf8(bytes).ok()
            });
        match decoded {
            Some(text) => {
                if i > 0 && !last_encoded {
                    out.push(' ');
                }
                out.push_str(&text);
                last_encoded = true;
            }
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(word);
                last_encoded = false;
            }
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// The file names a MIME message gives its parts (`filename="…"` or RFC
/// 2231 `filename*=utf-8''…`), in order, nested messages' included.
fn filenames(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let mut names = Vec::new();
    for (at, _) in text.match_indices("filename") {
        let rest = &text[at + "filename".len()..];
        if let Some(quoted) = rest.strip_prefix("=\"") {
            names.push(quoted.split('"').next().unwrap().to_string());
        } else if let Some(encoded) = rest.strip_prefix("*=utf-8''") {
            let end = encoded
                .find(|c: char| c == ';' || c.is_whitespace())
                .unwrap_or(encoded.len());
            names.push(String::from_utf8(percent_decode(&encoded[..end])).unwrap());
        }
    }
    names
}

fn subject(item: &Item) -> String {
    decode_words(&header(&item.bytes, "Subject").unwrap_or_default())
}

/// Every item of a run as listed: an embedded message (three origin
/// entries: folder, message node, attachment) is inside the message at its
/// first two, whose file names count neither it (its message/rfc822 part
/// is named after it) nor its attachments.
fn listed(run: &Run) -> Vec<Listed> {
    let mut out = Vec::new();
    for item in &run.items {
        let entries = &item.origin.entries;
        let mut files = filenames(&item.bytes);
        let inside = (entries.len() == 3).then(|| {
            let parent = run
                .items
                .iter()
                .find(|p| p.origin.entries[..] == entries[..2])
                .expect("the embedded message's parent is an item");
            subject(parent)
        });
        for child in run.items.iter().filter(|c| {
            c.origin.entries.len() == entries.len() + 1
                && c.origin.entries[..entries.len()] == entries[..]
        }) {
            let label = child.origin.entries[entries.len()].entry.clone();
            for name in filenames(&child.bytes).into_iter().chain([label]) {
                let at = files.iter().position(|f| *f == name).unwrap();
                files.remove(at);
            }
        }
        files.sort();
        out.push(Listed {
            folder: entries[0].entry.clone(),
            subject: subject(item),
            files,
            inside,
        });
    }
    out.sort();
    out
}

#[test]
fn the_made_pst_is_read_as_its_writer_lists_it() {
    let path = made("unicode.pst");
    let run = run(std::slice::from_ref(&path), Limits::default());
    assert!(run.unreadable.is_empty(), "{:?}", run.unreadable);
    assert_eq!(run.stores.len(), 1);
    let t = &run.stores[0];
    assert_eq!(t.format, "pst");
    // 11 messages in the folders' tables (the embedded one is in none);
    // 11 folders: the unnamed root, its "Search Root" and "Top of Personal
    // Folders", the latter's "Deleted Items" and the seven made (the root's
    // search folder, "SPAM Search Folder 2", links to messages, holds none,
    // and is not walked).
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(11), 11, 0, 11)
    );
    assert_eq!(run.items.len(), 12, "11 messages and 1 embedded message");
    assert!(run.items.iter().all(|i| i.kind == ItemKind::RebuiltMessage));

    let want = expected("unicode.pst");
    let ours = listed(&run);
    assert_eq!(ours, want.messages);

    // Every folder the writer made, by its path as origins show it, with
    // its count; the empty ones have no message.
    let mut per_folder: BTreeMap<String, usize> =
        want.folders.keys().map(|f| (f.clone(), 0)).collect();
    for item in run.items.iter().filter(|i| i.origin.entries.len() == 2) {
        *per_folder
            .get_mut(&item.origin.entries[0].entry)
            .unwrap_or_else(|| panic!("{} is no folder of the writer's", item.origin)) += 1;
    }
    assert_eq!(per_folder, want.folders);
    for name in [
        "Top of Personal Folders/Boîte de réception/Réunions/Комитет",
        "Top of Personal Folders/Αρχείο/会議",
        "Top of Personal Folders/Projets 🚀/Vide",
    ] {
        assert!(per_folder.contains_key(name), "{name}");
    }
    assert_eq!(per_folder["Top of Personal Folders/Projets 🚀/Vide"], 0);
}

#[test]
fn the_embedded_message_is_an_item_of_its_own_inside_its_parent() {
    let path = made("unicode.pst");
    let run = run(std::slice::from_ref(&path), Limits::default());
    let inner = run
        .items
        .iter()
        .find(|i| i.origin.entries.len() == 3)
        .expect("the embedded message");
    assert_eq!(inner.kind, ItemKind::RebuiltMessage);
    let origin = inner.origin.to_string();
    assert!(
        origin.ends_with(&format!(
            "unicode.pst!{TOP}/Αρχείο!message 0x200144!Devis initial"
        )),
        "{origin}"
    );
    assert_eq!(subject(inner), "Devis initial(Aspose.Email Evaluation)");
    assert_eq!(filenames(&inner.bytes), ["budget.pdf"]);
    let pdf = std::fs::read(repo().join("fixtures/docs/pdf/clean.pdf")).unwrap();
    assert!(
        attachment_bytes(&inner.bytes).contains(&pdf),
        "the embedded message's PDF, byte for byte"
    );
    // The parent carries it too, as a message/rfc822 part.
    let parent = run
        .items
        .iter()
        .find(|p| p.origin.entries[..] == inner.origin.entries[..2])
        .unwrap();
    let text = String::from_utf8_lossy(&parent.bytes);
    assert!(text.contains("Content-Type: message/rfc822"), "{text}");
}

/// The base64 bodies of a message's parts, decoded.
fn attachment_bytes(bytes: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let mut out = Vec::new();
    for part in text.split("\n--") {
        let Some((head, body)) = part.split_once("\n\n") else {
            continue;
        };
        if !head.to_ascii_lowercase().contains("base64") {
            continue;
        }
        let body: String = body
            .lines()
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .concat();
        if let Ok(data) = base64::engine::general_purpose::STANDARD.decode(body) {
            out.push(data);
        }
    }
    out
}

/// The DKIM-signed .eml, converted by the writer, which re-rendered its
/// header as it stored it (display names quoted, its evaluation mark on the
/// Subject, the date without its leading zero): tamis gives back the header
/// as stored (made/dkim-transport-headers.txt, what the writer reads back),
/// field by field, the signature included.
#[test]
fn the_dkim_signed_message_keeps_its_header_as_stored() {
    let run = run(&[made("unicode.pst")], Limits::default());
    let stored = std::fs::read(made("dkim-transport-headers.txt")).unwrap();
    let signature = header(&stored, "DKIM-Signature").unwrap();
    let eml = std::fs::read(repo().join("fixtures/dkim/relaxed-relaxed.eml")).unwrap();
    assert_eq!(
        header(&eml, "DKIM-Signature").map(|s| s.split_whitespace().collect::<String>()),
        Some(signature.split_whitespace().collect::<String>()),
        "the signature is the .eml's, refolded"
    );
    let signed = run
        .items
        .iter()
        .find(|i| header(&i.bytes, "DKIM-Signature").is_some())
        .expect("the signed message");
    assert_eq!(
        signed.origin.entries[0].entry,
        format!("{TOP}/Boîte de réception")
    );
    for field in [
        "DKIM-Signature",
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
    ] {
        assert_eq!(
            header(&signed.bytes, field),
            header(&stored, field),
            "{field}"
        );
    }
    assert_eq!(
        header(&stored, "From").as_deref(),
        Some("\"Paul Mercier\" <paul.mercier@example.org>")
    );
}

/// The file offset and size of a node's data block, found the way the store
/// does: the node's entry names its block, whose block B-tree leaf entry
/// (Unicode: bid, offset, size, refs, padding; leaf pages end with type
/// 0x80) gives the offset.
fn data_block_of(bytes: &[u8], path: &Path, node: u32) -> (usize, usize) {
    use outlook_pst::ndb::block_id::BlockId;
    use outlook_pst::ndb::page::NodeBTreeEntry;
    use outlook_pst::PstFile;
    let pst = outlook_pst::UnicodePstFile::read_from(Box::new(std::fs::File::open(path).unwrap()))
        .unwrap();
    let bid = pst.read_node(node.into()).unwrap().data().into_u64();
    for at in memchr::memmem::find_iter(bytes, &bid.to_le_bytes()) {
        let page = at / 512 * 512;
        if (at - page) % 24 == 0 && at - page < 488 && bytes[page + 496] == 0x80 {
            let offset = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap());
            let size = u16::from_le_bytes([bytes[at + 16], bytes[at + 17]]);
            return (offset as usize, usize::from(size));
        }
    }
    panic!("no block B-tree entry for block 0x{bid:x}");
}

#[test]
fn a_damaged_message_of_the_made_pst_fails_alone() {
    let path = made("unicode.pst");
    let clean = run(std::slice::from_ref(&path), Limits::default());
    let victim = clean
        .items
        .iter()
        .find(|i| subject(i) == "Протокол(Aspose.Email Evaluation)")
        .unwrap();
    let node_label = victim.origin.entries[1].entry.clone();
    let node = u32::from_str_radix(node_label.strip_prefix("message 0x").unwrap(), 16).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let (offset, size) = data_block_of(&bytes, &path, node);
    bytes[offset..offset + size].fill(0xA5);
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.pst");
    std::fs::write(&damaged, &bytes).unwrap();

    let run = run(&[damaged], Limits::default());
    let t = &run.stores[0];
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(11), 10, 1, 11)
    );
    assert_eq!(run.items.len(), 11, "10 messages and the embedded one");
    assert_eq!(run.unreadable.len(), 1, "{:?}", run.unreadable);
    let u = &run.unreadable[0];
    assert_eq!(u.code, "store-message-unreadable");
    let entries: Vec<&str> = u.origin.entries.iter().map(|e| e.entry.as_str()).collect();
    assert_eq!(
        entries,
        [
            "Top of Personal Folders/Boîte de réception/Réunions/Комитет",
            node_label.as_str()
        ]
    );
    assert!(
        u.reason
            .contains(&format!("message node 0x{node:x} cannot be read")),
        "{}",
        u.reason
    );
    assert!(
        u.reason
            .contains("subject \"Протокол(Aspose.Email Evaluation)\""),
        "{}",
        u.reason
    );
    // Every other message as before.
    let mut before = listed(&clean);
    before.retain(|m| m.subject != "Протокол(Aspose.Email Evaluation)");
    assert_eq!(listed(&run), before);
}

/// readpst's subject of a message it wrote (LF or CRLF), decoded.
fn readpst_subject(bytes: &[u8]) -> String {
    header(bytes, "Subject").map_or_else(String::new, |value| decode_words(&value))
}

/// Per folder below the top, readpst's messages (subject, attachment
/// names) are ours: it writes each message of a folder's contents table as
/// an .eml (an embedded message stays inside its parent's, as an unnamed
/// message/rfc822 part), in a directory per folder, the top one named
/// after the store. It names each file twice (`filename*=` and
/// `filename="…"`, the latter taken here) and writes each body that is
/// only compressed RTF as an attachment "rtf-body.rtf", left out here.
#[test]
fn the_made_pst_matches_readpst_folder_by_folder() {
    let Some(readpst) = readpst_without_fetch() else {
        return;
    };
    let path = made("unicode.pst");
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(readpst)
        .args(["-j", "0", "-S", "-e", "-D", "-o"])
        .arg(out.path())
        .arg(&path)
        .output()
        .unwrap();
    assert!(status.status.success(), "readpst: {}", status.status);
    type Listing = BTreeMap<String, Vec<(String, Vec<String>)>>;
    let mut theirs: Listing = BTreeMap::new();
    let mut stack = vec![out.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            if file.is_dir() {
                stack.push(file);
                continue;
            }
            assert_eq!(file.extension().unwrap(), "eml", "{}", file.display());
            let rel = file.parent().unwrap().strip_prefix(out.path()).unwrap();
            let below: Vec<String> = rel
                .components()
                .skip(1)
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let bytes = std::fs::read(&file).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let mut names: Vec<String> = text
                .split("filename=\"")
                .skip(1)
                .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_string()))
                .filter(|name| name != "rtf-body.rtf")
                .collect();
            names.sort();
            theirs
                .entry(below.join("/"))
                .or_default()
                .push((readpst_subject(&bytes), names));
        }
    }
    let run = run(&[path], Limits::default());
    let mut ours: Listing = BTreeMap::new();
    for item in run.items.iter().filter(|i| i.origin.entries.len() == 2) {
        let folder = &item.origin.entries[0].entry;
        let below = folder.strip_prefix(TOP).unwrap().trim_start_matches('/');
        // Our message/rfc822 parts are named after the embedded message.
        let embedded: Vec<&str> = run
            .items
            .iter()
            .filter(|c| {
                c.origin.entries.len() == 3 && c.origin.entries[..2] == item.origin.entries[..]
            })
            .map(|c| c.origin.entries[2].entry.as_str())
            .collect();
        let mut names = filenames(&item.bytes);
        names.retain(|name| !embedded.contains(&name.as_str()));
        names.sort();
        ours.entry(below.to_string())
            .or_default()
            .push((subject(item), names));
    }
    for subjects in theirs.values_mut().chain(ours.values_mut()) {
        subjects.sort();
    }
    assert_eq!(ours, theirs);
    assert_eq!(theirs.values().map(Vec::len).sum::<usize>(), 11);
    let names: usize = theirs.values().flatten().map(|(_, n)| n.len()).sum();
    assert_eq!(names, 8, "7 attachments and the embedded message's PDF");
    assert_eq!(
        theirs["Boîte de réception/Réunions/Комитет"].len(),
        2,
        "{theirs:?}"
    );
}

/// The message with the embedded one, saved alone as a .msg by the writer:
/// the same two messages as in the store, under the file's name.
#[test]
fn the_made_msg_gives_the_message_and_the_one_it_embeds() {
    let path = made("embedded.msg");
    let run = run(std::slice::from_ref(&path), Limits::default());
    assert!(run.unreadable.is_empty(), "{:?}", run.unreadable);
    assert!(run.stores.is_empty(), "a .msg has no folder tables");
    let got: Vec<(Vec<String>, String, Vec<String>)> = run
        .items
        .iter()
        .map(|i| {
            assert_eq!(i.kind, ItemKind::RebuiltMessage);
            let entries = i.origin.entries.iter().map(|e| e.entry.clone()).collect();
            (entries, subject(i), filenames(&i.bytes))
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                vec![],
                "Fwd: Devis initial(Aspose.Email Evaluation)".to_string(),
                vec!["Devis initial".to_string(), "budget.pdf".to_string()]
            ),
            (
                vec!["Devis initial".to_string()],
                "Devis initial(Aspose.Email Evaluation)".to_string(),
                vec!["budget.pdf".to_string()]
            ),
        ]
    );
}
