//! PST and OST stores read for real: the EDRM Enron PST and two Outlook
//! 2013 OSTs that pst-extractor ships (fetched by
//! fixtures/stores/fetch-stores.sh, not committed), cross-checked against
//! Debian's readpst, damaged on purpose, and nested in a zip.

mod stores_common;

use std::collections::{BTreeMap, BTreeSet};
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

/// The subject of a file readpst wrote, spaces squashed.
fn readpst_subject(bytes: &[u8]) -> String {
    header(bytes, "Subject").map_or_else(String::new, |value| squash(&value))
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if ext == "*" || path.extension().is_some_and(|e| e == ext) {
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
    let (out, skipped) = readpst_run(readpst, &path, &["-S", "-e", "-D"], TOP);
    assert_eq!(skipped, 0);
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

/// The two Outlook 2013+ OSTs of pst-extractor: `wVer` 36, 4 KiB pages,
/// zlib-compressed blocks.
const OST: &str = "pstextractortest@outlook.com.ost";
const OST_PDF: &str = "pstextractortestpdf@outlook.com.ost";
/// Their IPM subtree, which readpst names after the file.
const IPM: &str = "Root - Mailbox/IPM_SUBTREE";

fn per_folder_counts(run: &Run) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for item in &run.items {
        *counts.entry(folder_of(&item.origin)).or_default() += 1;
    }
    counts
}

#[test]
fn outlook_2013_osts_are_read_message_by_message() {
    let ipm = |folder: &str, n: usize| (format!("{IPM}/{folder}"), n);
    for (name, tallied, folders) in [
        (
            OST,
            (Some(183), 183, 0, 51),
            vec![
                ipm("Calendar", 9),
                ipm("Calendar/United States holidays", 160),
                ipm("Deleted Items", 1),
                ipm("Inbox", 10),
                ipm("Sent Items", 2),
                ipm("Sync Issues", 1),
            ],
        ),
        (
            OST_PDF,
            (Some(162), 162, 0, 50),
            vec![ipm("Calendar/United States holidays", 160), ipm("Inbox", 2)],
        ),
    ] {
        let Some(path) = store(name) else { return };
        let run = run(std::slice::from_ref(&path), Limits::default());
        let t = tally(&run);
        assert_eq!(t.format, "ost", "{name}");
        assert_eq!((t.claimed, t.read, t.failed, t.folders), tallied, "{name}");
        assert!(run.unreadable.is_empty(), "{name}: {:?}", run.unreadable);
        assert!(run.items.iter().all(|i| i.kind == ItemKind::RebuiltMessage
            && i.origin.entries.len() == 2
            && i.origin.entries[1].entry.starts_with("message 0x")));
        assert_eq!(
            per_folder_counts(&run),
            folders.into_iter().collect::<BTreeMap<_, _>>(),
            "{name}"
        );
        // The same store gives the same bytes.
        assert_eq!(
            run_items(&path),
            run.items.iter().map(|i| i.content_id()).collect::<Vec<_>>()
        );
    }
}

/// One message in full: its PDF is 87,069 bytes stored as a data tree
/// (an XBLOCK, per the OST's own block B-tree) of two zlib-compressed
/// blocks of 57,816 and 19,611 bytes that inflate to 65,512 and 21,557.
#[test]
fn an_ost_attachment_is_inflated_block_by_block() {
    let Some(path) = store(OST_PDF) else { return };
    // The store's own block B-tree: the XBLOCK of 87,069 bytes and its two
    // children, (stored, inflated).
    let bytes = std::fs::read(&path).unwrap();
    let blocks = bbt_4k(&bytes);
    let at = |b: &Bbt4k, i: usize| {
        u64::from_le_bytes(bytes[b.offset + i..b.offset + i + 8].try_into().unwrap())
    };
    let xblock = blocks
        .iter()
        .find(|b| b.bid & 2 != 0 && bytes[b.offset] == 1 && at(b, 0) >> 32 == 87_069)
        .expect("the PDF's XBLOCK");
    let children: Vec<(u16, u16)> = (0..2)
        .map(|i| {
            let bid = at(xblock, 8 + 8 * i) & !1;
            let child = blocks.iter().find(|b| b.bid & !1 == bid).unwrap();
            (child.stored, child.inflated)
        })
        .collect();
    assert_eq!(children, [(57_816, 65_512), (19_611, 21_557)]);

    let run = run(&[path], Limits::default());
    let single = run
        .items
        .iter()
        .find(|i| header(&i.bytes, "Subject").as_deref() == Some("single PDF"))
        .expect("the \"single PDF\" message");
    assert_eq!(folder_of(&single.origin), format!("{IPM}/Inbox"));
    let files = attachments(&single.bytes);
    assert_eq!(files.len(), 1);
    let (name, pdf) = &files[0];
    assert_eq!(name, "Clinometer Usage.pdf");
    assert_eq!(pdf.len(), 87_069);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
}

/// Each part of a MIME message that names a file, decoded from base64.
fn attachments(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use base64::Engine;
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !line.starts_with("--") {
            continue;
        }
        let mut head = String::new();
        while let Some(h) = lines.next_if(|l| !l.is_empty()) {
            head.push_str(h);
            head.push('\n');
        }
        let Some(name) = head
            .split("filename=\"")
            .nth(1)
            .and_then(|rest| rest.split_once('"'))
            .map(|(name, _)| name.to_string())
        else {
            continue;
        };
        if !head.to_ascii_lowercase().contains("base64") {
            continue;
        }
        let mut body = String::new();
        while let Some(l) = lines.next_if(|l| !l.starts_with("--")) {
            body.push_str(l.trim());
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(body)
            .expect("base64");
        out.push((name, data));
    }
    out.sort();
    out
}

/// Runs readpst with `-j 0`: by default it forks one job per folder and
/// the jobs race (libpst 0.6.76: SIGSEGV or glibc's "double free or
/// corruption" on the OSTs, a message skipped now and then on enron.pst, a
/// .msg missing its attachment), while one process gives the same output
/// on every run. The run must exit 0 and its own summary must account for
/// the store as the store's tables do ([`readpst_accounts`]). Returns the
/// output directory and the number of items readpst says it skipped.
fn readpst_run(readpst: &str, path: &Path, args: &[&str], top: &str) -> (tempfile::TempDir, usize) {
    let folders = store_folders(path);
    let out = tempfile::tempdir().unwrap();
    let run = Command::new(readpst)
        .args(["-j", "0"])
        .args(args)
        .arg("-o")
        .arg(out.path())
        .arg(path)
        .output()
        .unwrap();
    assert!(run.status.success(), "readpst: {}", run.status);
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    match readpst_accounts(&readpst_summary(&stdout), &folders, top) {
        Ok(skipped) => (out, skipped),
        Err(why) => panic!("readpst's summary does not account for the store: {why}"),
    }
}

/// Whether readpst's summary is the store's own account, folder by folder:
/// items done are the folder's messages plus its subfolders, items skipped
/// its associated contents (folder-associated information: views, rules,
/// forms, which no contents table lists and PidTagContentCount does not
/// count). readpst names the top of the IPM subtree (`top`) after the store.
/// Returns the items skipped.
fn readpst_accounts(
    summary: &BTreeMap<String, (usize, usize)>,
    folders: &FolderCounts,
    top: &str,
) -> Result<usize, String> {
    if summary.is_empty() {
        return Err("no summary".into());
    }
    let mut skipped_total = 0;
    for (folder, &(done, skipped)) in summary {
        let key = if folders.contains_key(folder) {
            folder.as_str()
        } else {
            top
        };
        let candidates = &folders[key];
        if !candidates
            .iter()
            .any(|&(messages, subfolders, fai)| messages + subfolders == done && fai == skipped)
        {
            return Err(format!(
                "readpst: {folder:?}: {done} done, {skipped} skipped; the store: {candidates:?} (messages, subfolders, associated)"
            ));
        }
        skipped_total += skipped;
    }
    Ok(skipped_total)
}

/// `SUMMARY` of an iCalendar file readpst wrote, unfolded and unescaped.
fn ics_summary(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let unfolded = text.replace("\n ", "").replace("\n\t", "");
    let value = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("SUMMARY:"))
        .unwrap_or_default();
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    squash(&out)
}

/// What readpst's summary says of a folder: items done, items skipped.
fn readpst_summary(stdout: &str) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.trim().strip_prefix('"') else {
            continue;
        };
        let Some((name, counts)) = rest.split_once("\" - ") else {
            continue;
        };
        let numbers: Vec<usize> = counts
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [done, skipped] = numbers[..] {
            out.insert(name.to_string(), (done, skipped));
        }
    }
    out
}

/// The file as the crate sees it, header patched like tamis does (an OST's
/// client magic and version are not the PST's the crate expects; a PST's
/// header is left as it is).
fn crate_file(path: &Path) -> outlook_pst::UnicodePstFile {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[8..10].copy_from_slice(b"SM");
    bytes[12..14].copy_from_slice(&19u16.to_le_bytes());
    let partial = crc(&bytes[8..479]);
    bytes[4..8].copy_from_slice(&partial.to_le_bytes());
    let full = crc(&bytes[8..524]);
    bytes[524..528].copy_from_slice(&full.to_le_bytes());
    outlook_pst::UnicodePstFile::read_from(Box::new(std::io::Cursor::new(bytes))).unwrap()
}

fn crate_store(path: &Path) -> std::rc::Rc<outlook_pst::messaging::store::UnicodeStore> {
    outlook_pst::messaging::store::UnicodeStore::read(std::rc::Rc::new(crate_file(path))).unwrap()
}

/// Folder display name: rows of the contents table (messages), of the
/// hierarchy table (subfolders) and of the associated contents table of
/// each folder of that name.
type FolderCounts = BTreeMap<String, Vec<(usize, usize, usize)>>;

/// Every folder of a store, read with the crate directly.
fn store_folders(path: &Path) -> FolderCounts {
    use outlook_pst::messaging::store::Store;
    use outlook_pst::ndb::node_id::{NodeId, NID_ROOT_FOLDER};
    let store = crate_store(path);
    let mut out: BTreeMap<String, Vec<(usize, usize, usize)>> = BTreeMap::new();
    let mut todo = vec![NodeId::from(u32::from(NID_ROOT_FOLDER))];
    while let Some(node) = todo.pop() {
        let entry = store.properties().make_entry_id(node).unwrap();
        let folder = store.open_folder(&entry).unwrap();
        let rows = |t: Option<&std::rc::Rc<dyn outlook_pst::ltp::table_context::TableContext>>| {
            t.map_or(0, |t| t.rows_matrix().count())
        };
        if let Some(table) = folder.hierarchy_table() {
            todo.extend(table.rows_matrix().map(|r| NodeId::from(u32::from(r.id()))));
        }
        out.entry(folder.properties().display_name().unwrap_or_default())
            .or_default()
            .push((
                rows(folder.contents_table()),
                rows(folder.hierarchy_table()),
                rows(folder.associated_table()),
            ));
    }
    out
}

/// Folder by folder, the messages (subject, and the attachments of those
/// readpst writes as .eml) are readpst's. readpst writes appointments as
/// .ics, without their attachments. What readpst counts as skipped in a
/// folder is exactly the folder's associated contents (FAI: views, rules,
/// forms, never in a contents table nor in PidTagContentCount), and what it
/// counts as done is the folder's messages plus its subfolders, per the
/// OST's own tables.
#[test]
fn outlook_2013_osts_match_readpst_folder_by_folder() {
    let Some(readpst) = readpst() else { return };
    for name in [OST, OST_PDF] {
        let path = store(name).unwrap();
        let (out, skipped) = readpst_run(readpst, &path, &["-S", "-e", "-D"], "IPM_SUBTREE");
        // What readpst skips is the folders' associated contents, which are
        // not messages of any contents table.
        assert!(skipped > 0, "{name}");
        type Listing = BTreeMap<String, Vec<(String, Vec<(String, Vec<u8>)>)>>;
        let mut theirs: Listing = BTreeMap::new();
        let mut files_seen = 0;
        for ext in ["eml", "ics"] {
            for file in files(out.path(), ext) {
                files_seen += 1;
                let rel = file.parent().unwrap().strip_prefix(out.path()).unwrap();
                let folder: Vec<String> = rel
                    .components()
                    .skip(1)
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let bytes = std::fs::read(&file).unwrap();
                let message = if ext == "eml" {
                    (readpst_subject(&bytes), attachments(&bytes))
                } else {
                    (ics_summary(&bytes), Vec::new())
                };
                theirs.entry(folder.join("/")).or_default().push(message);
            }
        }
        assert_eq!(
            files(out.path(), "*").len(),
            files_seen,
            "{name}: readpst wrote only .eml and .ics"
        );

        // Folders where readpst wrote appointments (.ics), and nothing else.
        let calendars: BTreeSet<String> = theirs
            .keys()
            .filter(|folder| {
                let dir = out.path().join(name).join(folder);
                let kinds: BTreeSet<_> = std::fs::read_dir(&dir)
                    .unwrap()
                    .filter_map(|e| e.unwrap().path().extension().map(|x| x.to_owned()))
                    .collect();
                assert!(kinds.len() <= 1, "{name}: {folder}: {kinds:?}");
                kinds.contains(std::ffi::OsStr::new("ics"))
            })
            .cloned()
            .collect();
        assert!(!calendars.is_empty(), "{name}");
        let run = run(std::slice::from_ref(&path), Limits::default());
        let mut ours: Listing = BTreeMap::new();
        for item in &run.items {
            let folder = folder_of(&item.origin);
            let below = folder.strip_prefix(IPM).unwrap().trim_start_matches('/');
            let subject = header(&item.bytes, "Subject").map(|s| squash(&s));
            let files = if calendars.contains(below) {
                Vec::new()
            } else {
                attachments(&item.bytes)
            };
            ours.entry(below.to_string())
                .or_default()
                .push((subject.unwrap_or_default(), files));
        }
        for messages in theirs.values_mut().chain(ours.values_mut()) {
            messages.sort();
        }
        let counts = |m: &Listing| -> Vec<(String, usize)> {
            m.iter().map(|(k, v)| (k.clone(), v.len())).collect()
        };
        assert_eq!(counts(&ours), counts(&theirs), "{name}");
        let subjects = |m: &Listing| -> Vec<(String, Vec<String>)> {
            m.iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|(s, _)| s.clone()).collect()))
                .collect()
        };
        assert_eq!(subjects(&ours), subjects(&theirs), "{name}");
        // readpst writes a body that is only compressed RTF as an attachment
        // "rtf-body.rtf"; tamis makes it the text/plain body.
        for messages in theirs.values_mut() {
            for (subject, files) in messages.iter_mut() {
                if let Some(at) = files.iter().position(|(f, _)| f == "rtf-body.rtf") {
                    files.remove(at);
                    let ours = run
                        .items
                        .iter()
                        .find(|i| {
                            header(&i.bytes, "Subject").map(|s| squash(&s)) == Some(subject.clone())
                        })
                        .unwrap();
                    let text = String::from_utf8_lossy(&ours.bytes);
                    assert!(
                        text.contains("Content-Type: text/plain")
                            && text.contains("Could not connect to public folder server."),
                        "{text}"
                    );
                }
            }
        }
        // Every attachment readpst writes is ours, byte for byte.
        let digest = |m: &Listing| -> Vec<String> {
            let mut out = Vec::new();
            for (folder, messages) in m {
                for (subject, files) in messages {
                    for (file, data) in files {
                        let sum = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
                            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                        });
                        out.push(format!(
                            "{folder} | {subject} | {file} {} {sum:016x}",
                            data.len()
                        ));
                    }
                }
            }
            out
        };
        assert_eq!(digest(&ours), digest(&theirs), "{name}");
        assert!(ours == theirs, "{name}");
        let t = tally(&run);
        assert_eq!(Some(files_seen as u64), t.claimed, "{name}");
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

/// A block B-tree leaf entry of a store with 4 KiB pages, and where it is.
#[derive(Debug, Clone, Copy)]
struct Bbt4k {
    bid: u64,
    offset: usize,
    stored: u16,
    inflated: u16,
    /// The leaf page that lists it, and the entry's place in the page.
    page: usize,
    entry: usize,
}

/// Walks the block B-tree of a 4 KiB page store, the way libpff documents
/// it: 4096-byte pages, entries in the first 4056 bytes, cEnt (2 bytes) at
/// 4056, cLevel at 4061; leaf entries are bid, ib, cb, cbInflated, cRef.
fn bbt_4k(bytes: &[u8]) -> Vec<Bbt4k> {
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let mut out = Vec::new();
    let mut pages = vec![u64_at(240) as usize];
    while let Some(page) = pages.pop() {
        let count = usize::from(u16_at(page + 4056));
        let level = bytes[page + 4061];
        for i in 0..count {
            let e = page + i * 24;
            if level > 0 {
                pages.push(u64_at(e + 16) as usize);
            } else {
                out.push(Bbt4k {
                    bid: u64_at(e),
                    offset: u64_at(e + 8) as usize,
                    stored: u16_at(e + 16),
                    inflated: u16_at(e + 18),
                    page,
                    entry: e,
                });
            }
        }
    }
    out
}

/// The block B-tree entry of a message's property block, found through the
/// crate's node B-tree.
fn message_block_4k(path: &Path, bytes: &[u8], node: u32) -> Bbt4k {
    use outlook_pst::ndb::block_id::BlockId;
    use outlook_pst::ndb::page::NodeBTreeEntry;
    use outlook_pst::PstFile;
    let bid = crate_file(path)
        .read_node(node.into())
        .unwrap()
        .data()
        .search_key();
    *bbt_4k(bytes)
        .iter()
        .find(|e| e.bid & !1 == bid)
        .expect("block B-tree entry")
}

/// A message of the OST whose property block is compressed, by subject.
fn ost_message(run: &Run, subject: &str) -> u32 {
    let item = run
        .items
        .iter()
        .find(|i| header(&i.bytes, "Subject").as_deref() == Some(subject))
        .unwrap();
    let node = item.origin.entries[1]
        .entry
        .strip_prefix("message 0x")
        .unwrap();
    u32::from_str_radix(node, 16).unwrap()
}

/// A compressed block whose deflate stream is damaged (its CRC re-sealed,
/// so that only the inflating sees it), and one whose B-tree entry declares
/// more bytes than it inflates to (the page's CRC re-sealed): each fails
/// its own message, reported with its folder, node and contents table row;
/// every other message is read.
#[test]
fn a_damaged_compressed_block_fails_its_message_alone() {
    let Some(path) = store(OST) else { return };
    let clean = run(std::slice::from_ref(&path), Limits::default());
    let node = ost_message(&clean, "text file attachment");
    let original = std::fs::read(&path).unwrap();
    let block = message_block_4k(&path, &original, node);
    assert!(block.stored < block.inflated, "{block:?}");
    let trailer = block.offset + (usize::from(block.stored) + 24).div_ceil(512) * 512 - 24;
    assert_eq!(
        u16::from_le_bytes([original[trailer], original[trailer + 1]]),
        block.stored
    );

    let mut stream = original.clone();
    let stored = usize::from(block.stored);
    for b in &mut stream[block.offset + stored / 2..block.offset + stored / 2 + 8] {
        *b ^= 0x5A;
    }
    let sealed = crc(&stream[block.offset..block.offset + stored]);
    stream[trailer + 4..trailer + 8].copy_from_slice(&sealed.to_le_bytes());

    let mut declared = original.clone();
    let more = (block.inflated + 1).to_le_bytes();
    declared[block.entry + 18..block.entry + 20].copy_from_slice(&more);
    let sealed = crc(&declared[block.page..block.page + 4072]);
    declared[block.page + 4076..block.page + 4080].copy_from_slice(&sealed.to_le_bytes());

    let dir = tempfile::tempdir().unwrap();
    for (label, bytes) in [("deflate stream", stream), ("declared size", declared)] {
        let damaged = dir.path().join("damaged.ost");
        std::fs::write(&damaged, &bytes).unwrap();
        let run = run(&[damaged], Limits::default());
        let t = tally(&run);
        assert_eq!(
            (t.claimed, t.read, t.failed, t.folders),
            (Some(183), 182, 1, 51),
            "{label}"
        );
        assert_eq!(run.unreadable.len(), 1, "{label}: {:?}", run.unreadable);
        let u = &run.unreadable[0];
        assert_eq!(u.code, "store-message-unreadable", "{label}");
        assert_eq!(u.origin.entries[0].entry, format!("{IPM}/Inbox"), "{label}");
        assert_eq!(u.origin.entries[1].entry, format!("message 0x{node:x}"));
        assert!(
            u.reason.contains(&format!(
                "does not inflate to its declared {} bytes",
                block.inflated + u16::from(label == "declared size")
            )),
            "{label}: {}",
            u.reason
        );
        assert!(
            u.reason.contains("subject \"text file attachment\""),
            "{label}: {}",
            u.reason
        );
    }
}

/// Cut and damaged copies of an OST with 4 KiB pages: every one is read
/// or reported without a panic escaping, within a bounded time each, and
/// its accounting holds. Beside random runs of flipped bytes, the damage
/// hits the two B-tree roots, a leaf page of each, and compressed blocks.
#[test]
fn a_truncated_or_bit_flipped_ost_never_panics_or_hangs() {
    let Some(path) = store(OST) else { return };
    let original = std::fs::read(&path).unwrap();
    let u64_at = |at: usize| u64::from_le_bytes(original[at..at + 8].try_into().unwrap()) as usize;
    let (nbt, bbt) = (u64_at(224), u64_at(240));
    let blocks = bbt_4k(&original);
    let bbt_leaf = blocks[blocks.len() / 2].page;
    let nbt_leaf = u64_at(nbt + 16);
    let mut offsets: Vec<usize> = blocks.iter().map(|b| b.offset).collect();
    offsets.sort();
    // The compressed property block of a message, and the compressed first
    // block of an attachment's data tree (the PDF of "pdf attachment").
    let clean = run(std::slice::from_ref(&path), Limits::default());
    let message = message_block_4k(
        &path,
        &original,
        ost_message(&clean, "text file attachment"),
    );
    let pdf_block = blocks
        .iter()
        .find(|b| b.stored == 57_816 && b.inflated == 65_512)
        .expect("the PDF's first block");
    let end_of = |b: &Bbt4k| b.offset + (usize::from(b.stored) + 24).div_ceil(512) * 512 - 24;
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    for cut in [
        4usize,
        100,
        512,
        600,
        4096,
        0x4400,
        0x22000,
        bbt + 2048,
        nbt + 4090,
        offsets[offsets.len() / 4] + 100,
        offsets[offsets.len() / 2] + 100,
        offsets[offsets.len() * 3 / 4] + 100,
        offsets[offsets.len() - 1] + 100,
        8 << 20,
        original.len() - 4096,
    ] {
        variants.push((format!("cut at {cut}"), original[..cut].to_vec()));
    }
    // Targeted: structures a flip would hit with luck only.
    for (what, at) in [
        ("block B-tree root entries", bbt + 30),
        ("block B-tree root cEnt", bbt + 4056),
        ("block B-tree root cLevel", bbt + 4061),
        ("node B-tree root entries", nbt + 40),
        ("node B-tree root trailer", nbt + 4072),
        ("block B-tree leaf", bbt_leaf + 100),
        ("node B-tree leaf", nbt_leaf + 200),
        ("compressed message block", message.offset + 10),
        ("its trailer's cb", end_of(&message)),
        ("its trailer's bid", end_of(&message) + 8),
        ("compressed attachment block", pdf_block.offset + 1000),
        ("its trailer's dwCRC", end_of(pdf_block) + 4),
    ] {
        let mut bytes = original.clone();
        for b in &mut bytes[at..at + 4] {
            *b ^= 0x5A;
        }
        variants.push((what.to_string(), bytes));
    }
    // Deterministic pseudo-random damage, as for enron.pst.
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
    let dir = tempfile::tempdir().unwrap();
    let mut read_somewhere = 0;
    for (label, bytes) in variants {
        let file = dir.path().join("variant.ost");
        std::fs::write(&file, &bytes).unwrap();
        let started = std::time::Instant::now();
        let run = run(&[file], Limits::default());
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(60),
            "{label}: {took:?}"
        );
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
        assert!(t.read <= 183, "{label}: {t:?}");
        if let Some(claimed) = t.claimed {
            assert!(
                t.read + t.failed <= claimed.max(t.read + t.failed),
                "{label}"
            );
        }
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
            assert_ne!(u.code, "store-unsupported", "{label}: {u:?}");
        }
        read_somewhere += t.read;
    }
    // Damage is local: most variants still read most of the store.
    assert!(read_somewhere > 183 * 20, "{read_somewhere}");
}

/// A zlib bomb made of blocks: the PDF's data tree (an XBLOCK) made an
/// XXBLOCK of 60 times one XBLOCK of 60 times one block that inflates
/// 65,512 zeros from 81 bytes: 236 MB from a few KiB of file. Each read
/// of a store with 4 KiB pages counts as 64 KiB against the byte budget
/// (3 × max_item_bytes + 64 MiB), so the read stops there and the
/// attachment is reported; counting bytes read from the file alone, the
/// whole 236 MB would have been inflated and held.
#[test]
fn an_ost_block_bomb_is_stopped_by_the_byte_budget() {
    use std::io::Write as _;
    let Some(path) = store(OST_PDF) else { return };
    let mut bytes = std::fs::read(&path).unwrap();
    let blocks = bbt_4k(&bytes);
    let xblock = |total: u32| {
        *blocks
            .iter()
            .find(|b| {
                let at = b.offset;
                b.bid & 2 != 0
                    && bytes[at] == 1
                    && u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) == total
            })
            .unwrap()
    };
    let (pdf, png) = (xblock(87_069), xblock(94_183));
    let first = u64::from_le_bytes(bytes[pdf.offset + 8..pdf.offset + 16].try_into().unwrap());
    let zeros = *blocks.iter().find(|b| b.bid & !1 == first & !1).unwrap();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&[0; 65_512]).unwrap();
    let z = z.finish().unwrap();
    // Rewrites a block in place (each has room: 512 bytes at least) with
    // its trailer and its B-tree entry, page CRC re-sealed.
    let mut put = |block: Bbt4k, data: &[u8], inflated: u16| {
        let trailer = block.offset + (data.len() + 24).div_ceil(512) * 512 - 24;
        let old = block.offset + (usize::from(block.stored) + 24).div_ceil(512) * 512 - 24;
        let old_trailer: Vec<u8> = bytes[old..old + 24].to_vec();
        bytes[block.offset..block.offset + data.len()].copy_from_slice(data);
        bytes[trailer..trailer + 24].copy_from_slice(&old_trailer);
        let cb = (data.len() as u16).to_le_bytes();
        bytes[trailer..trailer + 2].copy_from_slice(&cb);
        bytes[trailer + 4..trailer + 8].copy_from_slice(&crc(data).to_le_bytes());
        bytes[trailer + 18..trailer + 20].copy_from_slice(&inflated.to_le_bytes());
        bytes[block.entry + 16..block.entry + 18].copy_from_slice(&cb);
        bytes[block.entry + 18..block.entry + 20].copy_from_slice(&inflated.to_le_bytes());
        let sealed = crc(&bytes[block.page..block.page + 4072]);
        bytes[block.page + 4076..block.page + 4080].copy_from_slice(&sealed.to_le_bytes());
    };
    let tree = |level: u8, child: u64, total: u32| {
        let mut data = vec![1, level];
        data.extend_from_slice(&60u16.to_le_bytes());
        data.extend_from_slice(&total.to_le_bytes());
        for _ in 0..60 {
            data.extend_from_slice(&child.to_le_bytes());
        }
        data
    };
    put(zeros, &z, 65_512);
    let x = tree(1, zeros.bid, 60 * 65_512);
    put(png, &x, x.len() as u16);
    let xx = tree(2, png.bid, 3_600 * 65_512);
    put(pdf, &xx, xx.len() as u16);

    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.ost");
    std::fs::write(&bomb, &bytes).unwrap();
    let limits = Limits {
        max_item_bytes: 1 << 20,
        ..Limits::default()
    };
    let run = run(&[bomb], limits);
    let t = tally(&run);
    assert_eq!((t.claimed, t.read, t.failed), (Some(162), 161, 1));
    let clean = stores_common::run(&[path], Limits::default());
    let single = ost_message(&clean, "single PDF");
    let welcome = ost_message(&clean, "Welcome to your new Outlook.com account");
    let [bombed, large] = &run.unreadable[..] else {
        panic!("{:?}", run.unreadable)
    };
    assert_eq!(bombed.code, "store-attachment-unreadable");
    assert_eq!(
        bombed.origin.entries[1].entry,
        format!("message 0x{single:x}")
    );
    // "read budget exceeded (N bytes in M reads)": stopped at the budget,
    // long before the 3,600 blocks.
    let counts: Vec<u64> = bombed
        .reason
        .split_once("read budget exceeded (")
        .expect(&bombed.reason)
        .1
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(2)
        .collect();
    let budget = 3 * (1 << 20) + (64 << 20);
    assert!(
        counts[0] > budget && counts[0] < budget + (1 << 20),
        "{counts:?}"
    );
    assert!(counts[1] < 1_200, "{counts:?}");
    // The PNG's data tree became the 60-block XBLOCK: 3.9 MB inflated, read
    // whole (60 reads), and its message is past max_item_bytes.
    assert_eq!(large.code, "item-too-large");
    assert_eq!(
        large.origin.entries[1].entry,
        format!("message 0x{welcome:x}")
    );
}
