//! PST and OST stores read for real: the EDRM Enron PST and two Outlook
//! 2013 OSTs that pst-extractor ships (fetched by
//! fixtures/stores/fetch-stores.sh, not committed), cross-checked against
//! Debian's readpst, damaged on purpose, and nested in a zip.

mod stores_common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use stores_common::*;
use tamis_items::{ItemKind, StoreTally};
use tamis_sources::Limits;

const TOP: &str = "Top of Personal Folders";
/// Attachments in enron.pst, all by value (no embedded message).
const ATTACHMENTS: usize = 70;
const MLOKAY: &str = "Top of Personal Folders/lokay-m/MLOKAY (Non-Privileged)";

fn folder_of(origin: &tamis_items::Origin) -> String {
    origin.entries[origin.entries.len() - 2].entry.clone()
}

fn tally(run: &Run) -> &StoreTally {
    assert_eq!(run.stores.len(), 1, "one tally per store");
    &run.stores[0]
}

/// Whitespace runs made one space, as header unfolding leaves them.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn enron_every_message_is_read_and_accounted_for() {
    let Some(path) = store("enron.pst") else {
        return;
    };
    let run = run(std::slice::from_ref(&path), Limits::default());
    let t = tally(&run);
    assert_eq!(t.format, "pst");
    assert_eq!(t.origin.file, path.to_string_lossy());
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(71), 71, 0, 10)
    );
    assert_eq!(t.claimed, Some(t.read + t.failed));
    assert!(run.unreadable.is_empty(), "{:?}", run.unreadable);
    assert_eq!(run.stats.rebuilt_messages, 71);
    assert!(run.items.iter().all(|i| i.kind == ItemKind::RebuiltMessage));

    let mut per_folder: BTreeMap<String, usize> = BTreeMap::new();
    for item in &run.items {
        assert_eq!(item.origin.entries.len(), 2, "{}", item.origin);
        assert!(item.origin.entries[1].entry.starts_with("message 0x"));
        *per_folder.entry(folder_of(&item.origin)).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [
        (MLOKAY.to_string(), 1),
        (format!("{MLOKAY}/Personal"), 47),
        (format!("{MLOKAY}/Sent Items"), 2),
        (format!("{MLOKAY}/Systems"), 7),
        (format!("{MLOKAY}/TW-Commercial Group"), 14),
    ]
    .into();
    assert_eq!(per_folder, expected);

    // One message in full: the transport headers as stored, the MIME
    // structure rebuilt around the body and its eleven Word attachments.
    let oba = run
        .items
        .iter()
        .find(|i| {
            i.origin
                .to_string()
                .ends_with("TW-Commercial Group!message 0x200024")
        })
        .expect("New OBA's");
    let text = String::from_utf8_lossy(&oba.bytes);
    assert_eq!(header(&oba.bytes, "Subject").as_deref(), Some("New OBA's"));
    // As stored: the EDRM conversion wrote its own lowercase fields.
    assert!(
        text.starts_with("date: Mon, 22 Oct 2001 13:06:22 -0700 (PDT)"),
        "{}",
        &text[..200]
    );
    assert!(text.contains("\r\nX-ZL-from: "));
    assert_eq!(
        text.matches("\r\nContent-Type: application/msword").count(),
        11
    );
    assert!(text.contains("filename=\"OBA_RedCedar_27728.doc\""));
    assert!(text.contains("filename=\"OBA_Panhandle_27731.doc\""));
    assert!(
        !text.contains('\n') || !text.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );

    // The same store gives the same bytes: re-ingesting collapses.
    let again = run_items(&path);
    assert_eq!(
        again,
        run.items.iter().map(|i| i.content_id()).collect::<Vec<_>>()
    );
}

fn run_items(path: &Path) -> Vec<tamis_items::ContentId> {
    run(&[path.to_path_buf()], Limits::default())
        .items
        .iter()
        .map(|i| i.content_id())
        .collect()
}

/// The `filename="…"` parameters of a message, sorted.
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

/// The header block of a file readpst wrote (LF or CRLF).
fn readpst_subject(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let head = text.split("\n\n").next().unwrap_or_default();
    let mut lines = head.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("subject") {
                let mut value = value.to_string();
                while let Some(next) = lines.peek().filter(|l| l.starts_with([' ', '\t'])) {
                    value.push_str(next);
                    lines.next();
                }
                return squash(&value);
            }
        }
    }
    String::new()
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn enron_matches_readpst_folder_by_folder() {
    let Some(readpst) = readpst() else { return };
    let path = store("enron.pst").unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(readpst)
        .args(["-q", "-S", "-e", "-D", "-o"])
        .arg(out.path())
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    // readpst names the top folder after the store ("Personal folders");
    // both are compared below it.
    let mut theirs: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for file in files(out.path(), "eml") {
        let rel = file.parent().unwrap().strip_prefix(out.path()).unwrap();
        let folder: Vec<String> = rel
            .components()
            .skip(1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = std::fs::read(&file).unwrap();
        let message = (readpst_subject(&bytes), filenames(&bytes));
        theirs.entry(folder.join("/")).or_default().push(message);
    }
    let run = run(&[path], Limits::default());
    let mut ours: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for item in &run.items {
        let folder = folder_of(&item.origin);
        let below_top = folder.strip_prefix(TOP).unwrap().trim_start_matches('/');
        let subject = header(&item.bytes, "Subject").map(|s| squash(&s));
        ours.entry(below_top.to_string())
            .or_default()
            .push((subject.unwrap_or_default(), filenames(&item.bytes)));
    }
    for subjects in theirs.values_mut().chain(ours.values_mut()) {
        subjects.sort();
    }
    let counts = |m: &BTreeMap<String, Vec<(String, Vec<String>)>>| -> Vec<(String, usize)> {
        m.iter().map(|(k, v)| (k.clone(), v.len())).collect()
    };
    assert_eq!(counts(&ours), counts(&theirs));
    assert_eq!(ours, theirs);
    assert_eq!(theirs.values().map(Vec::len).sum::<usize>(), 71);
    let attachments: usize = ours.values().flatten().map(|(_, names)| names.len()).sum();
    assert_eq!(attachments, ATTACHMENTS);
}

#[test]
fn outlook_2013_osts_are_reported_not_guessed() {
    for name in [
        "pstextractortest@outlook.com.ost",
        "pstextractortestpdf@outlook.com.ost",
    ] {
        let Some(path) = store(name) else { return };
        let run = run(&[path], Limits::default());
        let t = tally(&run);
        assert_eq!(
            (t.format.as_str(), t.claimed, t.read, t.folders),
            ("ost", None, 0, 0)
        );
        assert!(run.items.is_empty());
        assert_eq!(run.unreadable.len(), 1);
        assert_eq!(run.unreadable[0].code, "store-unsupported");
        assert!(run.unreadable[0].reason.contains("wVer 36"));
    }
}

/// MS-PST CRC (no pre- or post-inversion), to forge header variants.
fn crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[test]
fn an_outlook_2003_ost_header_is_read_like_a_pst() {
    // An OST of Outlook 2003-2010 is a PST with client magic "SO" and its
    // own client version: made here from enron.pst, CRCs recomputed.
    let Some(path) = store("enron.pst") else {
        return;
    };
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8..10].copy_from_slice(b"SO");
    bytes[12..14].copy_from_slice(&12u16.to_le_bytes());
    let partial = crc(&bytes[8..479]);
    bytes[4..8].copy_from_slice(&partial.to_le_bytes());
    let full = crc(&bytes[8..524]);
    bytes[524..528].copy_from_slice(&full.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let ost = dir.path().join("mailbox.ost");
    std::fs::write(&ost, &bytes).unwrap();
    let run = run(&[ost], Limits::default());
    let t = tally(&run);
    assert_eq!(
        (t.format.as_str(), t.claimed, t.read, t.failed),
        ("ost", Some(71), 71, 0)
    );
}

#[test]
fn a_store_inside_a_zip_is_read_from_memory_within_its_bound() {
    let Some(path) = store("enron.pst") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("leak.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mailboxes/lokay.pst", options).unwrap();
    zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    zip.finish().unwrap();

    let run = run(std::slice::from_ref(&zip_path), Limits::default());
    let t = tally(&run);
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(71), 71, 0, 10)
    );
    let first = &run.items[0].origin;
    assert_eq!(first.entries[0].entry, "mailboxes/lokay.pst");
    assert_eq!(
        first.to_string(),
        format!(
            "{}!mailboxes/lokay.pst!{MLOKAY}!message 0x2008e4",
            zip_path.display()
        )
    );
    // The same messages as from the file on disk.
    let mut from_zip: Vec<_> = run.items.iter().map(|i| i.content_id()).collect();
    let mut from_disk = run_items(&path);
    from_zip.sort();
    from_disk.sort();
    assert_eq!(from_zip, from_disk);

    let small = Limits {
        max_store_bytes: 1 << 20,
        ..Limits::default()
    };
    let run = stores_common::run(&[zip_path], small);
    assert!(run.items.is_empty());
    assert_eq!(run.unreadable.len(), 1);
    assert_eq!(run.unreadable[0].code, "store-too-large");
    assert_eq!(tally(&run).claimed, None);
}

/// The file offset of a block, looked up the way the store does: the
/// message's node entry names its data block, and the block B-tree leaf
/// entry for that block id gives the offset (Unicode leaf entries are 24
/// bytes: bid, offset, size, refs, padding; leaf pages end with type 0x80).
fn data_block_of(path: &Path, node: u32) -> (u64, u16) {
    use outlook_pst::ndb::block_id::BlockId;
    use outlook_pst::ndb::page::NodeBTreeEntry;
    use outlook_pst::PstFile;
    let pst = outlook_pst::UnicodePstFile::read_from(Box::new(std::fs::File::open(path).unwrap()))
        .unwrap();
    let entry = pst.read_node(node.into()).unwrap();
    let bid = entry.data().into_u64();
    let bytes = std::fs::read(path).unwrap();
    let needle = bid.to_le_bytes();
    for at in memchr::memmem::find_iter(&bytes, &needle) {
        let page = at / 512 * 512;
        if (at - page) % 24 == 0 && at - page < 488 && bytes[page + 496] == 0x80 {
            let offset = u64::from_le_bytes(bytes[at + 8..at + 16].try_into().unwrap());
            let size = u16::from_le_bytes([bytes[at + 16], bytes[at + 17]]);
            return (offset, size);
        }
    }
    panic!("no block B-tree entry for block 0x{bid:x}");
}

#[test]
fn a_damaged_message_fails_alone_with_its_folder_and_node() {
    let Some(path) = store("enron.pst") else {
        return;
    };
    let (offset, size) = data_block_of(&path, 0x200044);
    let mut bytes = std::fs::read(&path).unwrap();
    let block = &mut bytes[offset as usize..offset as usize + usize::from(size)];
    block.fill(0xA5);
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.pst");
    std::fs::write(&damaged, &bytes).unwrap();

    let run = run(&[damaged], Limits::default());
    let t = tally(&run);
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(71), 70, 1, 10)
    );
    assert_eq!(run.items.len(), 70);
    assert_eq!(run.unreadable.len(), 1, "{:?}", run.unreadable);
    let u = &run.unreadable[0];
    assert_eq!(u.code, "store-message-unreadable");
    assert_eq!(
        u.origin
            .entries
            .iter()
            .map(|e| e.entry.as_str())
            .collect::<Vec<_>>(),
        [&format!("{MLOKAY}/TW-Commercial Group"), "message 0x200044"]
    );
    assert!(
        u.reason.contains("message node 0x200044 cannot be read"),
        "{}",
        u.reason
    );
    // What the contents table still says about it.
    assert!(
        u.reason
            .contains("subject \"I/B Link Capacity for November and December 2001\""),
        "{}",
        u.reason
    );
    assert!(u.reason.contains("from \"Reames Julie\""), "{}", u.reason);
    assert!(u.reason.contains("dated Wed, 24 Oct 2001"), "{}", u.reason);
}

#[test]
fn a_damaged_contents_table_fails_its_folder_alone() {
    use outlook_pst::ndb::page::NodeBTreeEntry;
    use outlook_pst::PstFile;
    let Some(path) = store("enron.pst") else {
        return;
    };
    // The folder of "How to prepare your expense report" (Systems) is the
    // parent of its message node; its contents table has the same index
    // with NID type 0x0E.
    let pst = outlook_pst::UnicodePstFile::read_from(Box::new(std::fs::File::open(&path).unwrap()))
        .unwrap();
    let folder = u32::from(pst.read_node(0x2001e4.into()).unwrap().parent().unwrap());
    let contents = (folder & !0x1f) | 0x0e;
    let (offset, size) = data_block_of(&path, contents);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[offset as usize..offset as usize + usize::from(size)].fill(0xA5);
    let dir = tempfile::tempdir().unwrap();
    let damaged = dir.path().join("damaged.pst");
    std::fs::write(&damaged, &bytes).unwrap();

    let run = run(&[damaged], Limits::default());
    let t = tally(&run);
    assert_eq!(
        (t.claimed, t.read, t.failed, t.folders),
        (Some(71), 64, 7, 10)
    );
    assert_eq!(run.unreadable.len(), 1, "{:?}", run.unreadable);
    let u = &run.unreadable[0];
    assert_eq!(u.code, "store-folder-unreadable");
    assert_eq!(u.origin.entries[0].entry, format!("{MLOKAY}/Systems"));
    assert!(u.reason.contains("claims 7 messages"), "{}", u.reason);
}

#[test]
fn truncated_and_bit_flipped_stores_never_panic_or_hang() {
    let Some(path) = store("enron.pst") else {
        return;
    };
    let original = std::fs::read(&path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [
        0usize,
        4,
        100,
        512,
        600,
        0x4400,
        0x10000,
        1 << 20,
        5 << 20,
        13 << 20,
    ] {
        variants.push((
            format!("cut at {cut}"),
            original[..cut.min(original.len())].to_vec(),
        ));
    }
    // Deterministic pseudo-random damage: runs of flipped bytes across the
    // file, B-tree pages and heaps included.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..24 {
        let mut bytes = original.clone();
        for _ in 0..(1 + round % 4) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (seed >> 16) as usize % bytes.len();
            let len = 1 + (seed as usize % 64);
            for b in &mut bytes[at..(at + len).min(original.len())] {
                *b ^= 0x5A;
            }
        }
        variants.push((format!("flip round {round}"), bytes));
    }
    for (label, bytes) in variants {
        let file = dir.path().join("variant.pst");
        std::fs::write(&file, &bytes).unwrap();
        let run = run(&[file], Limits::default());
        if bytes.is_empty() {
            assert_eq!(run.unreadable[0].code, "empty-file", "{label}");
            continue;
        }
        if bytes.len() < 4 {
            continue;
        }
        let t = tally(&run);
        let emitted = run
            .items
            .iter()
            .filter(|i| i.origin.entries.len() == 2)
            .count() as u64;
        assert_eq!(emitted, t.read, "{label}");
        let failed_events = run
            .unreadable
            .iter()
            .filter(|u| u.code == "store-message-unreadable" || u.code == "item-too-large")
            .count() as u64;
        assert!(failed_events <= t.failed, "{label}: {t:?}");
        for u in &run.unreadable {
            assert!(
                u.code.starts_with("store-") || u.code == "item-too-large",
                "{label}: {u:?}"
            );
        }
    }
}

/// An XBLOCK (a data tree node) whose first child is itself, re-sealed
/// with a right CRC: the reader would recurse forever, one block read per
/// level. The read budget stops it, the attachment is reported, and its
/// message and every other message are still read.
#[test]
fn a_block_that_points_at_itself_is_stopped_by_the_read_budget() {
    let Some(path) = store("enron.pst") else {
        return;
    };
    let mut bytes = std::fs::read(&path).unwrap();
    // The first XBLOCK (btype 1, cLevel 1) listed by a block B-tree leaf
    // page (trailer type 0x80, 24-byte entries: bid, offset, cb, cRef).
    let mut found = None;
    'pages: for page in (0x4400..bytes.len() - 512).step_by(512) {
        if bytes[page + 496] != 0x80 || bytes[page + 497] != 0x80 || bytes[page + 490] != 24 {
            continue;
        }
        for i in 0..usize::from(bytes[page + 488]).min(20) {
            let e = page + i * 24;
            let bid = u64::from_le_bytes(bytes[e..e + 8].try_into().unwrap());
            let at = u64::from_le_bytes(bytes[e + 8..e + 16].try_into().unwrap()) as usize;
            if bid & 2 != 0 && at + 16 < bytes.len() && bytes[at] == 1 && bytes[at + 1] == 1 {
                found = Some((bid, at));
                break 'pages;
            }
        }
    }
    let (bid, at) = found.expect("enron.pst has an XBLOCK");
    bytes[at + 8..at + 16].copy_from_slice(&bid.to_le_bytes());
    // The block trailer (cb, wSig, dwCRC, bid) ends its 64-byte-aligned
    // allocation; its CRC covers the block's cb bytes.
    let cb = usize::from(u16::from_le_bytes([bytes[at + 2], bytes[at + 3]])) * 8 + 8;
    let trailer = at + (cb + 16).div_ceil(64) * 64 - 16;
    assert_eq!(
        usize::from(u16::from_le_bytes([bytes[trailer], bytes[trailer + 1]])),
        cb
    );
    let sealed = crc(&bytes[at..at + cb]);
    bytes[trailer + 4..trailer + 8].copy_from_slice(&sealed.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let looped = dir.path().join("looped.pst");
    std::fs::write(&looped, &bytes).unwrap();

    let run = run(&[looped], Limits::default());
    let t = tally(&run);
    assert_eq!((t.claimed, t.read, t.failed), (Some(71), 71, 0));
    assert_eq!(run.unreadable.len(), 1, "{:?}", run.unreadable);
    let u = &run.unreadable[0];
    assert_eq!(u.code, "store-attachment-unreadable");
    assert!(u.reason.contains("read budget exceeded"), "{}", u.reason);
    assert_eq!(u.origin.entries[1].entry, "message 0x200024");
    let oba = run
        .items
        .iter()
        .find(|i| i.origin.entries[1].entry == "message 0x200024")
        .unwrap();
    assert_eq!(
        filenames(&oba.bytes).len(),
        10,
        "the other attachments are kept"
    );
}
