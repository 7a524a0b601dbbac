//! docx and xlsx: the text of `w:t` runs (docx main part) or of shared
//! strings (xlsx), and the custom property part.
//!
//! A copy rewrites only the parts it changes (the text part, and
//! `docProps/custom.xml` with, when it is created, `[Content_Types].xml`
//! and `_rels/.rels`); every other zip entry is copied raw, byte for byte,
//! in the original order, and inside a changed part only the changed text
//! runs are replaced.

use super::text::{Rule, Segment, TextDoc};
use super::PropertyOp;
use anyhow::{bail, Context, Result};
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::ops::Range;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

const MAX_PART: u64 = 64 << 20;
const MAX_TOTAL: u64 = 256 << 20;
const MAX_ENTRIES: usize = 10_000;

const CUSTOM_CT: &str = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const CUSTOM_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
const CUSTOM_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
const FMTID: &str = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Flavor {
    Word,
    Excel,
}

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Archive<'_>> {
    let archive = ZipArchive::new(Cursor::new(bytes)).context("not a readable zip")?;
    if archive.len() > MAX_ENTRIES {
        bail!("{} zip entries: more than {MAX_ENTRIES}", archive.len());
    }
    Ok(archive)
}

fn read_part(archive: &mut Archive<'_>, name: &str) -> Result<Option<Vec<u8>>> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("zip entry {name}")),
    };
    if file.size() > MAX_PART {
        bail!("{name}: {} bytes, more than {MAX_PART}", file.size());
    }
    let mut out = Vec::new();
    file.take(MAX_PART + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_PART {
        bail!("{name}: more than {MAX_PART} bytes once inflated");
    }
    Ok(Some(out))
}

fn read_str(archive: &mut Archive<'_>, name: &str) -> Result<Option<String>> {
    match read_part(archive, name)? {
        Some(b) => Ok(Some(
            String::from_utf8(b).with_context(|| format!("{name} is not UTF-8"))?,
        )),
        None => Ok(None),
    }
}

/// Which of docx or xlsx a package is, if either.
pub(crate) fn flavor(bytes: &[u8]) -> Option<Flavor> {
    let archive = open(bytes).ok()?;
    let names: Vec<&str> = archive.file_names().collect();
    if names.iter().any(|n| n.starts_with("word/")) {
        Some(Flavor::Word)
    } else if names.iter().any(|n| n.starts_with("xl/")) {
        Some(Flavor::Excel)
    } else {
        None
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let pat = format!(" {name}=");
    let at = tag.find(&pat)? + pat.len();
    let quote = tag[at..].chars().next()?;
    let rest = &tag[at + 1..];
    Some(rest[..rest.find(quote)?].to_owned())
}

/// `(Type, Target)` of every relationship in a `.rels` part.
fn relationships(rels: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = rels;
    while let Some(at) = rest.find("<Relationship ") {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
        let tag = &rest[at..end];
        if let (Some(t), Some(target)) = (attr(tag, "Type"), attr(tag, "Target")) {
            out.push((t, target));
        }
        rest = &rest[end..];
    }
    out
}

/// The part a package relationship of type `…suffix` points to.
fn related(archive: &mut Archive<'_>, suffix: &str) -> Result<Option<String>> {
    let Some(rels) = read_str(archive, "_rels/.rels")? else {
        return Ok(None);
    };
    Ok(relationships(&rels)
        .into_iter()
        .find(|(t, _)| t.ends_with(suffix))
        .map(|(_, target)| target.trim_start_matches('/').to_owned()))
}

/// The parts whose text carries the mark: a docx's main part; an xlsx's
/// shared strings and its worksheets (inline strings), sheet2 before
/// sheet10.
fn text_parts(archive: &mut Archive<'_>, flavor: Flavor) -> Result<Vec<String>> {
    Ok(match flavor {
        Flavor::Word => {
            vec![related(archive, "/officeDocument")?.unwrap_or_else(|| "word/document.xml".into())]
        }
        Flavor::Excel => {
            let mut sheets: Vec<(u64, String)> = archive
                .file_names()
                .filter_map(|n| {
                    let number = n
                        .strip_prefix("xl/worksheets/sheet")?
                        .strip_suffix(".xml")?;
                    Some((number.parse().ok()?, n.to_owned()))
                })
                .collect();
            sheets.sort();
            let mut parts = vec!["xl/sharedStrings.xml".to_owned()];
            parts.extend(sheets.into_iter().map(|(_, n)| n));
            parts
        }
    })
}

/// One text element of a part: its start tag, its content (raw, escaped)
/// and the unescaped text.
struct Piece {
    open: Range<usize>,
    text: Range<usize>,
    value: String,
    sep: &'static str,
}

fn unescape(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn pieces(xml: &str, flavor: Flavor) -> Result<Vec<Piece>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Piece> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    let mut phonetic = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .with_context(|| format!("XML error near byte {before}"))?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => match local(e.name().as_ref()) {
                "t" if phonetic == 0 => open = Some(before..after),
                "rPh" => phonetic += 1,
                _ => {}
            },
            Event::End(e) => match local(e.name().as_ref()) {
                "t" => {
                    if let Some(o) = open.take() {
                        let text = o.end..before;
                        out.push(Piece {
                            value: unescape(&xml[text.clone()]),
                            open: o,
                            text,
                            sep: "",
                        });
                    }
                }
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "p" if flavor == Flavor::Word => {
                    if let Some(last) = out.last_mut() {
                        last.sep = "\n";
                    }
                }
                "si" | "is" if flavor == Flavor::Excel => {
                    if let Some(last) = out.last_mut() {
                        last.sep = "\n";
                    }
                }
                _ => {}
            },
            Event::Empty(e)
                if flavor == Flavor::Word
                    && matches!(local(e.name().as_ref()), "tab" | "br" | "cr") =>
            {
                if let Some(last) = out.last_mut() {
                    if last.sep.is_empty() {
                        last.sep = " ";
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

pub(crate) fn read(bytes: &[u8], flavor: Flavor) -> Result<TextDoc> {
    let mut archive = open(bytes)?;
    let mut segments = Vec::new();
    let mut total = 0u64;
    for part in text_parts(&mut archive, flavor)? {
        let Some(xml) = read_str(&mut archive, &part)? else {
            continue;
        };
        total += xml.len() as u64;
        if total > MAX_TOTAL {
            bail!("text parts of more than {MAX_TOTAL} bytes in all");
        }
        let pieces = pieces(&xml, flavor).with_context(|| format!("reading {part}"))?;
        segments.extend(
            pieces
                .into_iter()
                .map(|p| Segment::new(p.value, Rule::Any, p.sep)),
        );
        if let Some(last) = segments.last_mut() {
            last.sep = "\n";
        }
    }
    Ok(TextDoc {
        segments,
        line_slots: false,
    })
}

fn needs_preserve(text: &str) -> bool {
    text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
        || text.contains("  ")
}

fn splice(xml: &str, pieces: &[Piece], new: &HashMap<usize, String>) -> String {
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut at = 0;
    for (i, p) in pieces.iter().enumerate() {
        let Some(text) = new.get(&i) else { continue };
        out.push_str(&xml[at..p.open.start]);
        let open = &xml[p.open.clone()];
        if needs_preserve(text) && !open.contains("xml:space") {
            out.push_str(&open[..open.len() - 1]);
            out.push_str(" xml:space=\"preserve\">");
        } else {
            out.push_str(open);
        }
        out.push_str(&escape(text));
        at = p.text.end;
    }
    out.push_str(&xml[at..]);
    out
}

/// The values of every custom property.
pub(crate) fn properties(bytes: &[u8]) -> Vec<String> {
    let Ok(mut archive) = open(bytes) else {
        return Vec::new();
    };
    let part = related(&mut archive, "/custom-properties")
        .ok()
        .flatten()
        .unwrap_or_else(|| "docProps/custom.xml".into());
    let Ok(Some(xml)) = read_str(&mut archive, &part) else {
        return Vec::new();
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut depth_in_property = 0usize;
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) if local(e.name().as_ref()) == "property" || depth_in_property > 0 => {
                depth_in_property += 1;
            }
            Event::End(_) => depth_in_property = depth_in_property.saturating_sub(1),
            Event::Text(t) if depth_in_property > 0 => {
                out.push(unescape(&t));
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > 10_000 {
            break;
        }
    }
    out
}

/// The element (`<tag …>…</tag>` or `<tag …/>`) around byte `at`.
fn element_around(xml: &str, at: usize, tag: &str) -> Option<Range<usize>> {
    let start = xml[..at].rfind(&format!("<{tag}"))?;
    let rest = &xml[start..];
    let close = format!("</{tag}>");
    let first_gt = rest.find('>')?;
    let end = if rest[..first_gt].ends_with('/') {
        first_gt + 1
    } else {
        rest.find(&close)? + close.len()
    };
    Some(start..start + end)
}

fn set_property(xml: &str, name: &str, value: &str) -> String {
    let mut xml = xml.to_owned();
    // An earlier value of ours goes.
    while let Some(at) = xml.find(&format!("name=\"{name}\"")) {
        match element_around(&xml, at, "property") {
            Some(r) => xml.replace_range(r, ""),
            None => break,
        }
    }
    let mut pid = 1;
    let mut rest = xml.as_str();
    while let Some(at) = rest.find(" pid=\"") {
        let after = &rest[at + 6..];
        if let Some(n) = after.split('"').next().and_then(|n| n.parse::<u32>().ok()) {
            pid = pid.max(n);
        }
        rest = after;
    }
    let vt = match xml.find(&format!("=\"{VT_NS}\"")) {
        Some(at) => {
            let decl = &xml[..at];
            let prefix = decl.rsplit("xmlns:").next().unwrap_or("vt");
            format!("{prefix}:lpwstr")
        }
        None => format!("vt:lpwstr xmlns:vt=\"{VT_NS}\""),
    };
    let close_vt = vt.split(' ').next().unwrap_or("vt:lpwstr").to_owned();
    let element = format!(
        "<property fmtid=\"{FMTID}\" pid=\"{}\" name=\"{name}\"><{vt}>{}</{close_vt}></property>",
        pid + 1,
        escape(value)
    );
    if let Some(at) = xml.rfind("</") {
        xml.insert_str(at, &element);
    }
    xml
}

fn new_custom(name: &str, value: &str) -> String {
    let empty = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n\
         <Properties xmlns=\"{CUSTOM_NS}\" xmlns:vt=\"{VT_NS}\"></Properties>"
    );
    set_property(&empty, name, value)
}

/// Removes the element of `tag` that has `needle` in it.
fn remove_element(xml: &str, tag: &str, needle: &str) -> String {
    let mut xml = xml.to_owned();
    while let Some(at) = xml.find(needle) {
        match element_around(&xml, at, tag) {
            Some(r) => xml.replace_range(r, ""),
            None => break,
        }
    }
    xml
}

fn next_rid(rels: &str) -> String {
    let mut n = 0u32;
    let mut rest = rels;
    while let Some(at) = rest.find("Id=\"rId") {
        let after = &rest[at + 7..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        n = n.max(digits.parse().unwrap_or(0));
        rest = after;
    }
    format!("rId{}", n + 1)
}

/// A copy of the package with new texts for some text pieces and the
/// property set or removed.
pub(crate) fn write(
    bytes: &[u8],
    flavor: Flavor,
    texts: &HashMap<usize, String>,
    property: &PropertyOp,
) -> Result<Vec<u8>> {
    let mut archive = open(bytes)?;
    let mut replace: HashMap<String, Vec<u8>> = HashMap::new();
    let mut remove: HashSet<String> = HashSet::new();
    let mut add: Vec<(String, Vec<u8>)> = Vec::new();
    if !texts.is_empty() {
        // Segment numbers run through the parts in `read`'s order.
        let mut first = 0;
        for part in text_parts(&mut archive, flavor)? {
            let Some(xml) = read_str(&mut archive, &part)? else {
                continue;
            };
            let pieces = pieces(&xml, flavor)?;
            let mine: HashMap<usize, String> = texts
                .iter()
                .filter(|(&i, _)| (first..first + pieces.len()).contains(&i))
                .map(|(&i, t)| (i - first, t.clone()))
                .collect();
            if !mine.is_empty() {
                replace.insert(part, splice(&xml, &pieces, &mine).into_bytes());
            }
            first += pieces.len();
        }
    }
    let custom_target = related(&mut archive, "/custom-properties")?;
    let custom = custom_target
        .clone()
        .unwrap_or_else(|| "docProps/custom.xml".into());
    match property {
        PropertyOp::Keep => {}
        PropertyOp::Set(name, value) => match read_str(&mut archive, &custom)? {
            Some(xml) => {
                replace.insert(custom, set_property(&xml, name, value).into_bytes());
            }
            None => {
                add.push((custom.clone(), new_custom(name, value).into_bytes()));
                let types = read_str(&mut archive, "[Content_Types].xml")?
                    .context("[Content_Types].xml is missing")?;
                if !types.contains(&format!("PartName=\"/{custom}\"")) {
                    let over =
                        format!("<Override PartName=\"/{custom}\" ContentType=\"{CUSTOM_CT}\"/>");
                    let at = types
                        .rfind("</")
                        .context("[Content_Types].xml has no end")?;
                    let mut types = types;
                    types.insert_str(at, &over);
                    replace.insert("[Content_Types].xml".into(), types.into_bytes());
                }
                if custom_target.is_none() {
                    let rels =
                        read_str(&mut archive, "_rels/.rels")?.context("_rels/.rels is missing")?;
                    let rel = format!(
                        "<Relationship Id=\"{}\" Type=\"{CUSTOM_REL}\" Target=\"{custom}\"/>",
                        next_rid(&rels)
                    );
                    let at = rels.rfind("</").context("_rels/.rels has no end")?;
                    let mut rels = rels;
                    rels.insert_str(at, &rel);
                    replace.insert("_rels/.rels".into(), rels.into_bytes());
                }
            }
        },
        PropertyOp::Remove => {
            if read_part(&mut archive, &custom)?.is_some() {
                remove.insert(custom.clone());
                if let Some(types) = read_str(&mut archive, "[Content_Types].xml")? {
                    let types =
                        remove_element(&types, "Override", &format!("PartName=\"/{custom}\""));
                    replace.insert("[Content_Types].xml".into(), types.into_bytes());
                }
                if let Some(rels) = read_str(&mut archive, "_rels/.rels")? {
                    let rels = remove_element(&rels, "Relationship", CUSTOM_REL);
                    replace.insert("_rels/.rels".into(), rels.into_bytes());
                }
            }
        }
    }
    rewrite(&mut archive, &replace, &remove, add)
}

fn rewrite(
    archive: &mut Archive<'_>,
    replace: &HashMap<String, Vec<u8>>,
    remove: &HashSet<String>,
    add: Vec<(String, Vec<u8>)>,
) -> Result<Vec<u8>> {
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let mut last_time = None;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        let name = file.name().to_owned();
        if remove.contains(&name) {
            continue;
        }
        let time = file.last_modified().unwrap_or_default();
        last_time = Some(time);
        match replace.get(&name) {
            Some(data) => {
                let method = match file.compression() {
                    CompressionMethod::Stored => CompressionMethod::Stored,
                    _ => CompressionMethod::Deflated,
                };
                drop(file);
                let options = SimpleFileOptions::default()
                    .compression_method(method)
                    .last_modified_time(time);
                out.start_file(name, options)?;
                out.write_all(data)?;
            }
            None => out.raw_copy_file(file)?,
        }
    }
    for (name, data) in add {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(last_time.unwrap_or_default());
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_added_beside_existing_ones() {
        let xml = format!(
            "<?xml version=\"1.0\"?><Properties xmlns=\"{CUSTOM_NS}\" xmlns:vt=\"{VT_NS}\">\
             <property fmtid=\"{FMTID}\" pid=\"2\" name=\"Projet\"><vt:lpwstr>P</vt:lpwstr></property></Properties>"
        );
        let out = set_property(&xml, "X", "v&1");
        assert!(out.contains(
            "pid=\"3\" name=\"X\"><vt:lpwstr>v&amp;1</vt:lpwstr></property></Properties>"
        ));
        let again = set_property(&out, "X", "w");
        assert_eq!(again.matches("name=\"X\"").count(), 1);
    }

    #[test]
    fn unescape_entities() {
        assert_eq!(
            unescape("a &amp; b &#233;&#x2019; &bogus"),
            "a & b é\u{2019} &bogus"
        );
    }
}
