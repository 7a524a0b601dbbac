//! Legacy Office (doc, xls, ppt) in OLE2 compound files (MS-CFB): the
//! SummaryInformation and DocumentSummaryInformation property sets
//! (MS-OLEPS, parsed here), the directory's own timestamps, encryption,
//! and text: Word 97+'s main text through the FIB's piece table, Excel's
//! strings ([`super::xls_text`]), PowerPoint's text atoms
//! ([`super::ppt_text`]).

use super::codepage::{self, CP_UTF16LE};
use super::dates::{filetime_duration_minutes, filetime_to_unix, format_unix};
use super::{u16_at, u32_at, TextSink};
use crate::{DocumentReport, Finding, Options};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// MS-OLEPS FMTIDs, as their GUIDs are stored (little-endian fields).
const FMTID_SUMMARY: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];
const FMTID_DOC_SUMMARY: [u8; 16] = [
    0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];
const FMTID_USER_DEFINED: [u8; 16] = [
    0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];

/// Properties and dictionary entries read per section: real sets have a
/// few dozen; the bound stops a forged count from driving the loops.
const MAX_PROPERTIES: usize = 4096;

/// How far a directory time may stray from the property set's times
/// before it counts as a contradiction. Both are written by one save, but
/// some writers stamp one in local time and the other in UTC: a day
/// covers every time zone; anything beyond is another write.
pub const DIRECTORY_TOLERANCE_SECONDS: i64 = 24 * 3600;

const SUMMARY: &str = "\u{5}SummaryInformation";
const DOC_SUMMARY: &str = "\u{5}DocumentSummaryInformation";

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A FILETIME: a date, or (EditTime) a duration.
    Time(u64),
}

impl Value {
    fn as_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Time(t) => filetime_to_unix(*t).map(format_unix),
        }
    }
}

struct Section {
    fmtid: [u8; 16],
    codepage: Option<u16>,
    props: Vec<(u32, Value)>,
    /// User-defined properties' names (the dictionary, PID 0).
    names: BTreeMap<u32, String>,
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(at..at.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// A typed value (MS-OLEPS 2.15) at `at` in `section`; `None` for types
/// that carry nothing a reader compares (vectors, blobs, clipboard data).
fn value_at(section: &[u8], at: usize, codepage: u16) -> Option<Value> {
    let vt = u16_at(section, at)?;
    let v = at.checked_add(4)?;
    Some(match vt {
        2 => Value::Int(i64::from(u16_at(section, v)? as i16)),
        3 | 22 => Value::Int(i64::from(u32_at(section, v)? as i32)),
        18 => Value::Int(i64::from(u16_at(section, v)?)),
        19 | 23 => Value::Int(i64::from(u32_at(section, v)?)),
        20 => Value::Int(u64_at(section, v)? as i64),
        21 => Value::Str(u64_at(section, v)?.to_string()),
        4 => Value::Float(f64::from(f32::from_bits(u32_at(section, v)?))),
        5 | 7 => Value::Float(f64::from_bits(u64_at(section, v)?)),
        11 => Value::Bool(u16_at(section, v)? != 0),
        64 => Value::Time(u64_at(section, v)?),
        30 => {
            let size = u32_at(section, v)? as usize;
            let start = v + 4;
            let bytes = section.get(start..start.checked_add(size)?)?;
            Value::Str(codepage::decode(codepage, bytes))
        }
        31 => {
            let chars = u32_at(section, v)? as usize;
            let start = v + 4;
            let bytes = section.get(start..start.checked_add(chars.checked_mul(2)?)?)?;
            Value::Str(codepage::decode(CP_UTF16LE, bytes))
        }
        _ => return None,
    })
}

/// The dictionary (MS-OLEPS 2.17): user-defined property names by id.
fn dictionary_at(section: &[u8], at: usize, codepage: u16) -> BTreeMap<u32, String> {
    let mut names = BTreeMap::new();
    let Some(count) = u32_at(section, at) else {
        return names;
    };
    let mut pos = at + 4;
    for _ in 0..(count as usize).min(MAX_PROPERTIES) {
        let (Some(pid), Some(len)) = (u32_at(section, pos), u32_at(section, pos + 4)) else {
            break;
        };
        pos += 8;
        let bytes_len = if codepage == CP_UTF16LE {
            (len as usize).saturating_mul(2)
        } else {
            len as usize
        };
        let Some(bytes) = pos
            .checked_add(bytes_len)
            .and_then(|end| section.get(pos..end))
        else {
            break;
        };
        names.insert(pid, codepage::decode(codepage, bytes));
        pos += bytes_len;
        if codepage == CP_UTF16LE {
            pos = pos.next_multiple_of(4);
        }
    }
    names
}

/// A property set stream (MS-OLEPS 2.21): its sections, or why not.
fn parse_property_set(data: &[u8]) -> Result<Vec<Section>, String> {
    if u16_at(data, 0) != Some(0xFFFE) {
        return Err("no property set byte-order mark".into());
    }
    let count = u32_at(data, 24).ok_or("header cut short")?;
    let mut sections = Vec::new();
    // One section, or two (DocumentSummaryInformation's user-defined
    // properties); a few more are tolerated, not a forged billion.
    for i in 0..(count as usize).min(4) {
        let entry = 28 + i * 20;
        let fmtid: [u8; 16] = data
            .get(entry..entry + 16)
            .and_then(|b| b.try_into().ok())
            .ok_or("section list cut short")?;
        let offset = u32_at(data, entry + 16).ok_or("section list cut short")? as usize;
        let declared = u32_at(data, offset).ok_or("section offset outside the stream")? as usize;
        // A section longer than the stream is read as far as it goes.
        let section = &data[offset..offset.saturating_add(declared).min(data.len())];
        let nprops = (u32_at(section, 4).ok_or("section cut short")? as usize).min(MAX_PROPERTIES);
        let table: Vec<(u32, usize)> = (0..nprops)
            .map_while(|p| {
                Some((
                    u32_at(section, 8 + p * 8)?,
                    u32_at(section, 12 + p * 8)? as usize,
                ))
            })
            .collect();
        // The code page (PID 1, VT_I2) says how every 8-bit string of the
        // section is written; read it first. 65001 is stored as -535.
        let codepage = table
            .iter()
            .find(|(pid, _)| *pid == 1)
            .and_then(|&(_, at)| {
                u16_at(section, at + 4).filter(|_| u16_at(section, at) == Some(2))
            });
        let cp = codepage.unwrap_or(1252);
        let mut props = Vec::new();
        let mut names = BTreeMap::new();
        for &(pid, at) in &table {
            if pid == 0 {
                names = dictionary_at(section, at, cp);
            } else if let Some(v) = value_at(section, at, cp) {
                props.push((pid, v));
            }
        }
        sections.push(Section {
            fmtid,
            codepage,
            props,
            names,
        });
    }
    Ok(sections)
}

fn summary_name(pid: u32) -> Option<&'static str> {
    Some(match pid {
        1 => "CodePage",
        2 => "Title",
        3 => "Subject",
        4 => "Author",
        5 => "Keywords",
        6 => "Comments",
        7 => "Template",
        8 => "LastAuthor",
        9 => "RevNumber",
        10 => "EditTime",
        11 => "LastPrinted",
        12 => "CreateDtm",
        13 => "LastSaveDtm",
        14 => "PageCount",
        15 => "WordCount",
        16 => "CharCount",
        18 => "AppName",
        19 => "DocSecurity",
        _ => return None,
    })
}

fn doc_summary_name(pid: u32) -> Option<&'static str> {
    Some(match pid {
        1 => "CodePage",
        2 => "Category",
        3 => "PresentationTarget",
        4 => "Bytes",
        5 => "Lines",
        6 => "Paragraphs",
        7 => "Slides",
        8 => "Notes",
        9 => "HiddenSlides",
        10 => "MMClips",
        11 => "ScaleCrop",
        14 => "Manager",
        15 => "Company",
        16 => "LinksUpToDate",
        17 => "CharactersWithSpaces",
        19 => "SharedDoc",
        22 => "HyperlinksChanged",
        23 => "Version",
        26 => "ContentType",
        27 => "ContentStatus",
        28 => "Language",
        29 => "DocVersion",
        _ => return None,
    })
}

fn non_empty(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) if s.trim().is_empty() => None,
        Value::Str(s) => Some(s.trim().to_owned()),
        other => other.as_text(),
    }
}

/// Property set times, kept for the comparison with the directory.
#[derive(Default)]
struct SetTimes {
    created: Option<i64>,
    saved: Option<i64>,
}

fn read_summary(data: &[u8], report: &mut DocumentReport, times: &mut SetTimes) {
    let sections = match parse_property_set(data) {
        Ok(s) => s,
        Err(e) => return report.problem("malformed", format!("SummaryInformation: {e}")),
    };
    for section in sections.iter().filter(|s| s.fmtid == FMTID_SUMMARY) {
        note_codepage(section, report);
        for (pid, value) in &section.props {
            let label = summary_name(*pid).map_or_else(|| format!("PID {pid}"), str::to_owned);
            if *pid == 10 {
                // EditTime is a FILETIME holding a duration, not a date.
                if let Value::Time(t) = value {
                    let minutes = filetime_duration_minutes(*t);
                    report.metadata.raw.insert(
                        format!("SummaryInformation {label}"),
                        format!("PT{minutes}M"),
                    );
                    report.metadata.total_edit_minutes = Some(minutes);
                }
                continue;
            }
            if *pid == 1 {
                continue;
            }
            let Some(text) = non_empty(value) else {
                continue;
            };
            report
                .metadata
                .raw
                .insert(format!("SummaryInformation {label}"), text.clone());
            let time = match value {
                Value::Time(t) => filetime_to_unix(*t),
                _ => None,
            };
            let m = &mut report.metadata;
            match pid {
                2 => m.title = Some(text),
                3 => m.subject = Some(text),
                4 => m.author = Some(text),
                7 => m.template = Some(text),
                8 => m.last_modified_by = Some(text),
                9 => m.revision = Some(text),
                11 => m.printed = time,
                12 => {
                    m.created = time;
                    times.created = time;
                }
                13 => {
                    m.modified = time;
                    times.saved = time;
                }
                18 => m.application = Some(text),
                _ => {}
            }
        }
    }
}

fn note_codepage(section: &Section, report: &mut DocumentReport) {
    let Some(cp) = section.codepage else { return };
    report.metadata.codepage.get_or_insert(u32::from(cp));
    if !codepage::known(cp) {
        report.problem(
            "unsupported-codepage",
            format!("property set code page {cp} is not decoded exactly; its 8-bit strings are read as Latin-1"),
        );
    }
}

fn read_doc_summary(data: &[u8], report: &mut DocumentReport) {
    let sections = match parse_property_set(data) {
        Ok(s) => s,
        Err(e) => return report.problem("malformed", format!("DocumentSummaryInformation: {e}")),
    };
    for section in &sections {
        if section.fmtid == FMTID_DOC_SUMMARY {
            note_codepage(section, report);
            for (pid, value) in &section.props {
                if *pid == 1 {
                    continue;
                }
                let Some(label) = doc_summary_name(*pid) else {
                    continue;
                };
                let text = if *pid == 23 {
                    // PIDDSI_VERSION: the application's major version in the
                    // high word, written as OOXML's AppVersion is ("16.0000").
                    let Value::Int(v) = value else { continue };
                    let v = *v as u32;
                    let version = format!("{}.{:04}", v >> 16, v & 0xFFFF);
                    report.metadata.app_version = Some(version.clone());
                    version
                } else {
                    let Some(text) = non_empty(value) else {
                        continue;
                    };
                    text
                };
                report
                    .metadata
                    .raw
                    .insert(format!("DocumentSummaryInformation {label}"), text.clone());
                match pid {
                    15 => report.metadata.company = Some(text),
                    28 => super::add_language(&mut report.metadata, &text),
                    _ => {}
                }
            }
        } else if section.fmtid == FMTID_USER_DEFINED {
            for (pid, value) in &section.props {
                // 0x80000000 and up: locale and behaviour, not properties.
                if *pid >= 0x8000_0000 {
                    continue;
                }
                let (Some(name), Some(text)) = (section.names.get(pid), value.as_text()) else {
                    continue;
                };
                report.metadata.raw.insert(
                    format!("DocumentSummaryInformation custom {name}"),
                    text.clone(),
                );
                report.metadata.custom.insert(name.clone(), text);
            }
        }
    }
}

/// A directory name fit for a key: control characters (the `\x05` of
/// property set streams) written as escapes.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\x{:02X}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn unix(t: std::time::SystemTime) -> Option<i64> {
    let seconds = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    // cfb turns a zero FILETIME into 1601-01-01: "never set".
    (seconds > -11_644_473_600).then_some(seconds)
}

struct Container {
    /// Directory entries' times: (label, created, modified).
    times: Vec<(String, Option<i64>, Option<i64>)>,
    streams: BTreeMap<String, Vec<u8>>,
    encrypted_package: Option<String>,
    encrypted_summary: bool,
}

/// Reads the directory and the streams tamis parses, all under the
/// bounds; `Err` when the compound file itself is unreadable.
fn open_container(
    bytes: &[u8],
    options: &Options,
    report: &mut DocumentReport,
) -> Result<Container, String> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut container = Container {
        times: Vec::new(),
        streams: BTreeMap::new(),
        encrypted_package: None,
        encrypted_summary: false,
    };
    let mut entries = 0usize;
    for entry in cf.walk() {
        entries += 1;
        if entries > options.max_entries {
            report.problem(
                "too-large",
                format!(
                    "more than {} OLE directory entries; the rest not looked at",
                    options.max_entries
                ),
            );
            break;
        }
        let label = if entry.is_root() {
            "Root Entry".to_owned()
        } else {
            printable(entry.path().to_string_lossy().trim_start_matches('/'))
        };
        container
            .times
            .push((label, unix(entry.created()), unix(entry.modified())));
    }
    if cf.is_stream("/EncryptionInfo") && cf.is_stream("/EncryptedPackage") {
        container.encrypted_package = Some(String::new());
    }
    container.encrypted_summary = cf.is_stream("/EncryptedSummary");
    let mut remaining = options.max_total_bytes;
    for name in [
        SUMMARY,
        DOC_SUMMARY,
        "EncryptionInfo",
        "WordDocument",
        "0Table",
        "1Table",
        "Workbook",
        "Book",
        "PowerPoint Document",
        "Current User",
    ] {
        let path = format!("/{name}");
        if !cf.is_stream(&path) {
            continue;
        }
        let cap = options.max_part_bytes.min(remaining);
        let mut data = Vec::new();
        let read = cf
            .open_stream(&path)
            .and_then(|s| s.take(cap.saturating_add(1)).read_to_end(&mut data));
        match read {
            Err(e) => report.problem("malformed", format!("OLE stream {}: {e}", printable(name))),
            Ok(_) if data.len() as u64 > cap => {
                report.problem(
                    "too-large",
                    format!(
                        "OLE stream {} is larger than {cap} bytes; not read",
                        printable(name)
                    ),
                );
                remaining = remaining.saturating_sub(cap);
            }
            Ok(_) => {
                remaining -= data.len() as u64;
                container.streams.insert(name.to_owned(), data);
            }
        }
    }
    if let Some(info) = container.streams.get("EncryptionInfo") {
        let version = (u16_at(info, 0), u16_at(info, 2));
        if let (Some(major), Some(minor)) = version {
            container.encrypted_package = Some(format!("{major}.{minor}"));
        }
    }
    Ok(container)
}

pub fn read(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    // The cfb crate trusts more of a hostile header than tamis does; a
    // panic inside it is a malformed file, and what was read stays.
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut scratch = DocumentReport::new(report.kind, report.size);
        let c = open_container(bytes, options, &mut scratch);
        (c, scratch.problems)
    }));
    let container = match opened {
        Ok((Ok(c), problems)) => {
            report.problems.extend(problems);
            c
        }
        Ok((Err(e), problems)) => {
            report.problems.extend(problems);
            let code = if bytes.len() < 512
                || e.contains("too small")
                || e.to_ascii_lowercase().contains("eof")
            {
                "truncated"
            } else {
                "malformed"
            };
            return report.problem(code, format!("not a readable OLE2 compound file: {e}"));
        }
        Err(_) => {
            return report.problem(
                "malformed",
                "the OLE2 compound file's structure is inconsistent (its reader gave up)",
            )
        }
    };

    if let Some(version) = &container.encrypted_package {
        let kind = match version.as_str() {
            "4.4" => "agile encryption",
            "" => "encryption",
            _ => "standard encryption",
        };
        report
            .metadata
            .raw
            .insert("OLE EncryptionInfo version".into(), version.clone());
        report.problem(
            "encrypted",
            format!("an encrypted OOXML package (ECMA-376 {kind}): its properties and text are inside the encryption"),
        );
    }
    if container.encrypted_summary {
        report.problem(
            "encrypted",
            "the document properties are encrypted (EncryptedSummary stream)",
        );
    }

    let mut times = SetTimes::default();
    if let Some(data) = container.streams.get(SUMMARY) {
        read_summary(data, report, &mut times);
    }
    if let Some(data) = container.streams.get(DOC_SUMMARY) {
        read_doc_summary(data, report);
    }
    for (label, created, modified) in &container.times {
        if let Some(t) = created {
            report
                .metadata
                .raw
                .insert(format!("OLE directory {label} created"), format_unix(*t));
        }
        if let Some(t) = modified {
            report
                .metadata
                .raw
                .insert(format!("OLE directory {label} modified"), format_unix(*t));
        }
    }
    if let Some(finding) = directory_contradiction(&container.times, &times) {
        report.findings.push(finding);
    }

    if let Some(word) = container.streams.get("WordDocument") {
        word_text(word, &container.streams, options, report);
    }
    if let Some(book) = container
        .streams
        .get("Workbook")
        .or_else(|| container.streams.get("Book"))
    {
        if biff_encrypted(book) {
            report.problem(
                "encrypted",
                "the workbook is password-protected (BIFF FILEPASS record)",
            );
        }
        super::xls_text::read(book, options, report);
    }
    if let Some(slides) = container.streams.get("PowerPoint Document") {
        let current_user = container.streams.get("Current User").map(Vec::as_slice);
        super::ppt_text::read(slides, current_user, options, report);
    }
}

/// The directory time that strays furthest outside the property set's
/// [created, last saved] span, beyond the tolerance.
fn directory_contradiction(
    entries: &[(String, Option<i64>, Option<i64>)],
    set: &SetTimes,
) -> Option<Finding> {
    let mut worst: Option<(i64, String, &str, i64, &str, i64)> = None;
    for (label, created, modified) in entries {
        for (what, t) in [("created", created), ("modified", modified)] {
            let Some(t) = *t else { continue };
            let mut consider = |gap: i64, prop: &'static str, pt: i64| {
                if gap > DIRECTORY_TOLERANCE_SECONDS && worst.as_ref().is_none_or(|w| gap > w.0) {
                    worst = Some((gap, label.clone(), what, t, prop, pt));
                }
            };
            if let Some(saved) = set.saved {
                consider(t - saved, "LastSaveDtm", saved);
            }
            if let Some(created) = set.created {
                consider(created - t, "CreateDtm", created);
            }
        }
    }
    let (gap, label, what, t, prop, pt) = worst?;
    let relation = if prop == "LastSaveDtm" {
        "after the last save"
    } else {
        "before the creation"
    };
    let mut evidence = BTreeMap::new();
    evidence.insert(format!("OLE directory {label} {what}"), format_unix(t));
    evidence.insert(format!("SummaryInformation {prop}"), format_unix(pt));
    Some(Finding {
        code: "dates-inconsistent".into(),
        detail: format!(
            "the OLE2 directory says {label} was {what} {} {relation} recorded in the document's properties \
             ({}): the container was written by something that did not update them, or the properties were set by hand",
            format_unix(t),
            format_unix(pt),
        ),
        evidence: {
            evidence.insert("gap days".into(), (gap / 86_400).to_string());
            evidence
        },
    })
}

/// Whether the workbook globals carry a FILEPASS record (0x002F) before
/// their EOF record: the workbook is encrypted.
fn biff_encrypted(book: &[u8]) -> bool {
    let mut pos = 0usize;
    for _ in 0..4096 {
        let (Some(kind), Some(len)) = (u16_at(book, pos), u16_at(book, pos + 2)) else {
            return false;
        };
        match kind {
            0x002F => return true,
            0x000A => return false,
            _ => pos += 4 + usize::from(len),
        }
    }
    false
}

/// Word 97+ text (MS-DOC 2.4.1): the piece table in the Clx of the table
/// stream maps character positions of the main document to runs of
/// 8-bit (CP1252) or UTF-16 text in the WordDocument stream.
fn word_text(
    word: &[u8],
    streams: &BTreeMap<String, Vec<u8>>,
    options: &Options,
    report: &mut DocumentReport,
) {
    if u16_at(word, 0) != Some(0xA5EC) {
        return report.problem("malformed", "WordDocument stream without a Word FIB");
    }
    let flags = u16_at(word, 0x0A).unwrap_or(0);
    if flags & 0x0100 != 0 {
        return report.problem(
            "encrypted",
            "the Word document is password-protected (FIB fEncrypted); its text is not readable",
        );
    }
    let nfib = u16_at(word, 2).unwrap_or(0);
    if nfib < 0x00C1 {
        // Word 6 / 95 files have another FIB layout; their metadata is
        // read, their text is not.
        return;
    }
    let table_name = if flags & 0x0200 != 0 {
        "1Table"
    } else {
        "0Table"
    };
    let (Some(table), Some(ccp_text), Some(fc_clx), Some(lcb_clx)) = (
        streams.get(table_name),
        u32_at(word, 0x4C),
        u32_at(word, 0x1A2),
        u32_at(word, 0x1A6),
    ) else {
        return report.problem(
            "malformed",
            "Word FIB or table stream incomplete; text not extracted",
        );
    };
    let Some(clx) = (fc_clx as usize)
        .checked_add(lcb_clx as usize)
        .and_then(|end| table.get(fc_clx as usize..end))
    else {
        return report.problem(
            "malformed",
            "Word piece table outside the table stream; text not extracted",
        );
    };
    // Skip the Prcs (property modifiers) to the Pcdt.
    let mut pos = 0usize;
    let plc = loop {
        match clx.get(pos) {
            Some(1) => {
                let Some(cb) = u16_at(clx, pos + 1) else {
                    return;
                };
                pos += 3 + usize::from(cb as i16 as u16 & 0x7FFF);
            }
            Some(2) => {
                let Some(lcb) = u32_at(clx, pos + 1) else {
                    return;
                };
                match (pos + 5)
                    .checked_add(lcb as usize)
                    .and_then(|end| clx.get(pos + 5..end))
                {
                    Some(plc) => break plc,
                    None => {
                        return report.problem(
                            "malformed",
                            "Word piece table cut short; text not extracted",
                        )
                    }
                }
            }
            _ => {
                return report.problem(
                    "malformed",
                    "Word Clx without a piece table; text not extracted",
                )
            }
        }
    };
    if plc.len() < 4 {
        return;
    }
    let pieces = (plc.len() - 4) / 12;
    let mut sink = TextSink::new(options);
    let mut cleaner = WordText::default();
    for i in 0..pieces {
        if sink.full() {
            break;
        }
        let (Some(start), Some(end), Some(fc)) = (
            u32_at(plc, i * 4),
            u32_at(plc, i * 4 + 4),
            u32_at(plc, (pieces + 1) * 4 + i * 8 + 2),
        ) else {
            break;
        };
        if start >= ccp_text || end <= start {
            break;
        }
        let count = (end.min(ccp_text) - start) as usize;
        let compressed = fc & 0x4000_0000 != 0;
        let offset = (fc & 0x3FFF_FFFF) as usize;
        let piece: String = if compressed {
            let at = offset / 2;
            let Some(bytes) = word.get(at..at.saturating_add(count).min(word.len())) else {
                break;
            };
            bytes
                .iter()
                .map(|&b| codepage::byte_char(1252, b))
                .collect()
        } else {
            let Some(bytes) = word.get(offset..offset.saturating_add(count * 2).min(word.len()))
            else {
                break;
            };
            codepage::utf16le(bytes)
        };
        for c in piece.chars() {
            cleaner.push(c, &mut sink);
        }
    }
    sink.finish(report, options);
}

/// Word's in-text controls to plain text: paragraph and cell marks to
/// line ends and tabs, field codes (between 0x13 and 0x14) dropped and
/// their results (0x14 to 0x15) kept, object anchors dropped.
#[derive(Default)]
struct WordText {
    /// Open fields; true while in a field's code part.
    fields: Vec<bool>,
}

impl WordText {
    fn push(&mut self, c: char, sink: &mut TextSink) {
        match c {
            '\u{13}' => {
                if self.fields.len() < 64 {
                    self.fields.push(true);
                }
            }
            '\u{14}' => {
                if let Some(code) = self.fields.last_mut() {
                    *code = false;
                }
            }
            '\u{15}' => {
                self.fields.pop();
            }
            _ if self.fields.last() == Some(&true) => {}
            '\r' | '\u{0B}' | '\u{0C}' => sink.push("\n"),
            '\u{07}' => sink.push("\t"),
            '\u{1E}' => sink.push("-"),
            '\t' => sink.push("\t"),
            c if c.is_control() => {}
            c => sink.push(c.encode_utf8(&mut [0; 4])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-section property set with the given (pid, type, value bytes).
    fn property_set(fmtid: [u8; 16], props: &[(u32, u16, Vec<u8>)]) -> Vec<u8> {
        let mut section = Vec::new();
        let table_len = 8 + props.len() * 8;
        let mut values = Vec::new();
        let mut table = Vec::new();
        for (pid, vt, bytes) in props {
            table.extend(pid.to_le_bytes());
            table.extend(((table_len + values.len()) as u32).to_le_bytes());
            values.extend(vt.to_le_bytes());
            values.extend([0, 0]);
            values.extend(bytes);
            while values.len() % 4 != 0 {
                values.push(0);
            }
        }
        section.extend(((table_len + values.len()) as u32).to_le_bytes());
        section.extend((props.len() as u32).to_le_bytes());
        section.extend(table);
        section.extend(values);
        let mut out = vec![0xFE, 0xFF, 0, 0, 0x0A, 0x00, 0x02, 0x00];
        out.extend([0; 16]);
        out.extend(1u32.to_le_bytes());
        out.extend(fmtid);
        out.extend(48u32.to_le_bytes());
        out.extend(section);
        out
    }

    fn lpstr(bytes: &[u8]) -> Vec<u8> {
        let mut v = ((bytes.len() + 1) as u32).to_le_bytes().to_vec();
        v.extend(bytes);
        v.push(0);
        v
    }

    #[test]
    fn cp1251_author_and_filetimes() {
        // "Рошка" in CP1251, the code page a Russian-language Office writes.
        let data = property_set(
            FMTID_SUMMARY,
            &[
                (1, 2, 1251u16.to_le_bytes().to_vec()),
                (4, 30, lpstr(&[0xD0, 0xEE, 0xF8, 0xEA, 0xE0])),
                (8, 31, {
                    let mut v = 3u32.to_le_bytes().to_vec();
                    v.extend([b'J', 0, b'o', 0, 0, 0]);
                    v
                }),
                (10, 64, (90u64 * 600_000_000).to_le_bytes().to_vec()),
                (13, 64, 131_376_113_450_000_000u64.to_le_bytes().to_vec()),
            ],
        );
        let mut report = DocumentReport::new(crate::Kind::Ole2, 0);
        let mut times = SetTimes::default();
        read_summary(&data, &mut report, &mut times);
        assert_eq!(report.metadata.author.as_deref(), Some("Рошка"));
        assert_eq!(report.metadata.last_modified_by.as_deref(), Some("Jo"));
        assert_eq!(report.metadata.codepage, Some(1251));
        assert_eq!(report.metadata.total_edit_minutes, Some(90));
        assert_eq!(report.metadata.raw["SummaryInformation EditTime"], "PT90M");
        assert_eq!(report.metadata.modified, Some(1_493_137_745));
        assert_eq!(times.saved, Some(1_493_137_745));
        assert!(report.problems.is_empty());
    }

    #[test]
    fn cp1252_and_hostile_counts() {
        let data = property_set(
            FMTID_SUMMARY,
            &[
                (1, 2, 1252u16.to_le_bytes().to_vec()),
                (2, 30, lpstr(&[b'R', 0xE9, b's', b'u', b'm', 0xE9])),
            ],
        );
        let mut report = DocumentReport::new(crate::Kind::Ole2, 0);
        read_summary(&data, &mut report, &mut SetTimes::default());
        assert_eq!(report.metadata.title.as_deref(), Some("Résumé"));

        // A property count of 2^32-1 and a string claiming 4 GiB: bounded.
        let mut forged = data.clone();
        forged[52..56].copy_from_slice(&u32::MAX.to_le_bytes());
        let at = forged.len() - 12;
        forged[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut report = DocumentReport::new(crate::Kind::Ole2, 0);
        read_summary(&forged, &mut report, &mut SetTimes::default());
        for cut in 0..data.len() {
            let mut report = DocumentReport::new(crate::Kind::Ole2, 0);
            read_summary(&data[..cut], &mut report, &mut SetTimes::default());
        }
    }

    #[test]
    fn user_defined_dictionary() {
        let mut dict = 1u32.to_le_bytes().to_vec();
        dict.extend(2u32.to_le_bytes());
        dict.extend(7u32.to_le_bytes());
        dict.extend(b"Client\0");
        // The dictionary has no type word; `property_set` writes one, so
        // point the table past it.
        let mut data = property_set(
            FMTID_USER_DEFINED,
            &[
                (1, 2, 1252u16.to_le_bytes().to_vec()),
                (2, 3, 1742i32.to_le_bytes().to_vec()),
                (0, 0, dict),
            ],
        );
        // Entry 2 (pid 0): its offset + 4 skips the written type word.
        let entry = 48 + 8 + 2 * 8 + 4;
        let off = u32_at(&data, entry).unwrap() + 4;
        data[entry..entry + 4].copy_from_slice(&off.to_le_bytes());
        let mut report = DocumentReport::new(crate::Kind::Ole2, 0);
        read_doc_summary(&data, &mut report);
        assert_eq!(
            report.metadata.custom.get("Client").map(String::as_str),
            Some("1742")
        );
    }
}
