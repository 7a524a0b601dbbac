//! PDF: the strings the pages' content streams show (`Tj`, `TJ`, `'`,
//! `"`), decoded through each font's encoding or ToUnicode map, and the
//! document information dictionary.
//!
//! A PDF has no characters, only glyph codes of fonts, so a copy can only
//! write, between two glyphs of one string, a character the same font
//! already draws somewhere in the document (an embedded subset has no
//! other glyphs; a standard font without a file has its whole encoding).
//! That is enough for the wording and whitespace carriers, and rules out
//! zero-width characters, which no font of an ordinary PDF has. `TJ`
//! kerning stays where it was, but inside a replaced phrase.
//!
//! Form XObjects are not rewritten (their text is read by tamis-docs but
//! carries no mark), and the copy is the whole document saved again by
//! lopdf (no incremental update: an update section would show as an edit).

use super::text::{Edit, Rule, Segment, TextDoc};
use super::PropertyOp;
use anyhow::{bail, Context, Result};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId, StringFormat};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

const MAX_STREAM: usize = 64 << 20;
const MAX_PAGES: usize = 5_000;

/// Info keys the PDF specification defines; others are custom properties.
const STANDARD_INFO: &[&[u8]] = &[
    b"Title",
    b"Author",
    b"Subject",
    b"Keywords",
    b"Creator",
    b"Producer",
    b"CreationDate",
    b"ModDate",
    b"Trapped",
];

#[derive(Clone)]
struct Glyph {
    code: Vec<u8>,
    text: String,
    /// Numbers of a `TJ` array that follow this glyph.
    kerns: Vec<Object>,
}

struct FontInfo<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    embedded: bool,
    /// Has a ToUnicode map.
    mapped: bool,
    /// The codes the font has widths for.
    first: u8,
    last: u8,
    reverse: HashMap<char, Vec<u8>>,
}

struct TextOp {
    stream: ObjectId,
    index: usize,
    font: *const Dictionary,
    glyphs: Vec<Glyph>,
    lead: Vec<Object>,
    format: StringFormat,
}

struct Scan<'a> {
    ops: Vec<TextOp>,
    fonts: HashMap<*const Dictionary, FontInfo<'a>>,
    streams: BTreeMap<ObjectId, Vec<Operation>>,
}

fn font_info<'a>(doc: &'a Document, font: &'a Dictionary) -> FontInfo<'a> {
    let two_byte = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    let embedded = two_byte
        || font
            .get_deref(b"FontDescriptor", doc)
            .and_then(Object::as_dict)
            .is_ok_and(|d| d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"));
    let code = |key: &[u8], default: u8| {
        font.get(key)
            .and_then(Object::as_i64)
            .map_or(default, |v| v.clamp(0, 255) as u8)
    };
    FontInfo {
        encoding: font.get_font_encoding(doc).ok(),
        two_byte,
        embedded,
        mapped: font.has(b"ToUnicode"),
        first: code(b"FirstChar", 0),
        last: code(b"LastChar", 255),
        reverse: HashMap::new(),
    }
}

fn decode_code(info: &FontInfo<'_>, code: &[u8]) -> String {
    match &info.encoding {
        Some(e) => e
            .bytes_to_string(code)
            .unwrap_or_default()
            .replace('\u{FFFD}', ""),
        None => String::new(),
    }
}

fn glyphs_of(info: &FontInfo<'_>, bytes: &[u8]) -> Vec<Glyph> {
    let width = if info.two_byte { 2 } else { 1 };
    bytes
        .chunks(width)
        .map(|code| Glyph {
            code: code.to_vec(),
            text: decode_code(info, code),
            kerns: Vec::new(),
        })
        .collect()
}

fn scan(doc: &Document) -> Result<Scan<'_>> {
    let mut scan = Scan {
        ops: Vec::new(),
        fonts: HashMap::new(),
        streams: BTreeMap::new(),
    };
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        bail!("{} pages: more than {MAX_PAGES}", pages.len());
    }
    for (_, page) in pages {
        let fonts = doc.get_page_fonts(page).unwrap_or_default();
        let mut font: Option<&Dictionary> = None;
        for stream_id in doc.get_page_contents(page) {
            if scan.streams.contains_key(&stream_id) {
                continue;
            }
            let Ok(stream) = doc.get_object(stream_id).and_then(Object::as_stream) else {
                continue;
            };
            let data = stream
                .get_plain_content_with_limit(MAX_STREAM)
                .or_else(|_| {
                    if stream.dict.has(b"Filter") {
                        Err(lopdf::Error::Unimplemented("filter"))
                    } else {
                        Ok(stream.content.clone())
                    }
                })
                .with_context(|| format!("content stream {stream_id:?}"))?;
            let content = Content::decode(&data)
                .map_err(|e| anyhow::anyhow!("content stream {stream_id:?}: {e}"))?;
            for (index, op) in content.operations.iter().enumerate() {
                match op.operator.as_str() {
                    "Tf" => {
                        font = op
                            .operands
                            .first()
                            .and_then(|n| n.as_name().ok())
                            .and_then(|n| fonts.get(n).copied());
                    }
                    "Tj" | "'" | "\"" | "TJ" => {
                        let Some(f) = font else { continue };
                        let key = f as *const Dictionary;
                        let info = scan.fonts.entry(key).or_insert_with(|| font_info(doc, f));
                        let mut glyphs: Vec<Glyph> = Vec::new();
                        let mut lead = Vec::new();
                        let mut format = StringFormat::Literal;
                        let mut first_string = true;
                        let items: Vec<&Object> = if op.operator == "TJ" {
                            match op.operands.first() {
                                Some(Object::Array(a)) => a.iter().collect(),
                                _ => continue,
                            }
                        } else {
                            op.operands.last().into_iter().collect()
                        };
                        for item in items {
                            match item {
                                Object::String(bytes, f) => {
                                    if first_string {
                                        format = *f;
                                        first_string = false;
                                    }
                                    glyphs.extend(glyphs_of(info, bytes));
                                }
                                Object::Integer(_) | Object::Real(_) => match glyphs.last_mut() {
                                    Some(g) => g.kerns.push(item.clone()),
                                    None => lead.push(item.clone()),
                                },
                                _ => {}
                            }
                        }
                        scan.ops.push(TextOp {
                            stream: stream_id,
                            index,
                            font: key,
                            glyphs,
                            lead,
                            format,
                        });
                    }
                    _ => {}
                }
            }
            scan.streams.insert(stream_id, content.operations);
        }
    }
    // What each font can write: the characters it draws somewhere, and a
    // standard font's whole encoding.
    let mut reverse: HashMap<*const Dictionary, HashMap<char, Vec<u8>>> = HashMap::new();
    for op in &scan.ops {
        let map = reverse.entry(op.font).or_default();
        for g in &op.glyphs {
            let mut chars = g.text.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                map.entry(c).or_insert_with(|| g.code.clone());
            }
        }
    }
    for (key, info) in scan.fonts.iter_mut() {
        let mut map = reverse.remove(key).unwrap_or_default();
        // A font with a ToUnicode map keeps every glyph it maps, drawn in
        // this version of the document or not (a copy must be able to
        // write back what another copy replaced); a standard font without
        // a file has its whole encoding.
        if !info.two_byte && (info.mapped || !info.embedded) {
            for code in info.first..=info.last {
                let text = decode_code(info, &[code]);
                let mut chars = text.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    map.entry(c).or_insert_with(|| vec![code]);
                }
            }
        }
        info.reverse = map;
    }
    Ok(scan)
}

fn load(bytes: &[u8]) -> Result<Document> {
    let doc = Document::load_mem(bytes).context("not a readable PDF")?;
    if doc.is_encrypted() {
        bail!("the PDF is encrypted");
    }
    Ok(doc)
}

fn segments(scan: &Scan<'_>) -> Vec<Segment> {
    let charsets: HashMap<*const Dictionary, Arc<HashSet<char>>> = scan
        .fonts
        .iter()
        .map(|(k, info)| (*k, Arc::new(info.reverse.keys().copied().collect())))
        .collect();
    scan.ops
        .iter()
        .map(|op| {
            let mut text = String::new();
            let mut boundaries = HashSet::from([0]);
            for g in &op.glyphs {
                text.push_str(&g.text);
                boundaries.insert(text.len());
            }
            let rule = Rule::Glyphs {
                boundaries,
                chars: charsets[&op.font].clone(),
            };
            Segment::new(text, rule, "\n")
        })
        .collect()
}

pub(crate) fn read(bytes: &[u8]) -> Result<TextDoc> {
    let doc = load(bytes)?;
    let scan = scan(&doc)?;
    Ok(TextDoc {
        segments: segments(&scan),
        line_slots: false,
    })
}

/// The glyphs of `op` with `edits` (sorted, on glyph boundaries) applied.
fn edited(op: &TextOp, info: &FontInfo<'_>, edits: &[&Edit]) -> Option<Vec<Glyph>> {
    let mut out: Vec<Glyph> = Vec::new();
    let mut at = 0usize; // byte offset of glyph `gi`
    let mut gi = 0;
    for e in edits {
        while gi < op.glyphs.len() && at + op.glyphs[gi].text.len() <= e.range.start {
            if at == e.range.start && op.glyphs[gi].text.is_empty() {
                break;
            }
            at += op.glyphs[gi].text.len();
            out.push(op.glyphs[gi].clone());
            gi += 1;
        }
        if at != e.range.start {
            return None;
        }
        let mut carried = Vec::new();
        while gi < op.glyphs.len() && at < e.range.end {
            at += op.glyphs[gi].text.len();
            carried = op.glyphs[gi].kerns.clone();
            gi += 1;
        }
        if at != e.range.end {
            return None;
        }
        for c in e.ins.chars() {
            out.push(Glyph {
                code: info.reverse.get(&c)?.clone(),
                text: c.to_string(),
                kerns: Vec::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.kerns.extend(carried);
        }
    }
    out.extend(op.glyphs[gi..].iter().cloned());
    Some(out)
}

fn operands(op: &TextOp, original: &Operation, glyphs: &[Glyph]) -> Vec<Object> {
    let string = |codes: Vec<u8>| Object::String(codes, op.format);
    if original.operator == "TJ" {
        let mut items = op.lead.clone();
        let mut run = Vec::new();
        for g in glyphs {
            run.extend_from_slice(&g.code);
            if !g.kerns.is_empty() {
                items.push(string(std::mem::take(&mut run)));
                items.extend(g.kerns.iter().cloned());
            }
        }
        if !run.is_empty() {
            items.push(string(run));
        }
        vec![Object::Array(items)]
    } else {
        let mut operands = original.operands.clone();
        let codes = glyphs.iter().flat_map(|g| g.code.clone()).collect();
        if let Some(last) = operands.last_mut() {
            *last = string(codes);
        }
        operands
    }
}

pub(crate) fn write(bytes: &[u8], edits: &[Edit], property: &PropertyOp) -> Result<Vec<u8>> {
    let mut doc = load(bytes)?;
    let mut new_streams: Vec<(ObjectId, Vec<u8>)> = Vec::new();
    if !edits.is_empty() {
        let scan = scan(&doc)?;
        let mut by_op: HashMap<usize, Vec<&Edit>> = HashMap::new();
        for e in edits {
            by_op.entry(e.seg).or_default().push(e);
        }
        let mut streams = scan.streams.clone();
        for (seg, mut list) in by_op {
            list.sort_by_key(|e| (e.range.start, e.range.end));
            let op = scan.ops.get(seg).context("edit of an unknown string")?;
            let info = &scan.fonts[&op.font];
            let glyphs =
                edited(op, info, &list).context("an edit does not fit the font's glyphs")?;
            let ops = streams.get_mut(&op.stream).context("unknown stream")?;
            let new = operands(op, &ops[op.index], &glyphs);
            ops[op.index].operands = new;
        }
        // Only the streams an edit touched are rewritten.
        let touched: HashSet<ObjectId> = edits
            .iter()
            .filter_map(|e| scan.ops.get(e.seg).map(|o| o.stream))
            .collect();
        for (id, ops) in streams {
            if touched.contains(&id) {
                let content = Content { operations: ops };
                new_streams.push((id, content.encode().context("encoding a content stream")?));
            }
        }
    }
    for (id, data) in new_streams {
        let stream = doc.get_object_mut(id)?.as_stream_mut()?;
        let compressed = stream.dict.has(b"Filter");
        stream.set_plain_content(data);
        if compressed {
            stream.compress()?;
        }
    }
    match property {
        PropertyOp::Keep => {}
        PropertyOp::Set(name, value) => {
            let info = info_dict(&mut doc)?;
            info.set(
                name.as_bytes().to_vec(),
                Object::string_literal(value.as_bytes().to_vec()),
            );
        }
        PropertyOp::Remove => {
            if doc.trailer.has(b"Info") {
                let info = info_dict(&mut doc)?;
                let custom: Vec<Vec<u8>> = info
                    .iter()
                    .map(|(k, _)| k.clone())
                    .filter(|k| !STANDARD_INFO.contains(&k.as_slice()))
                    .collect();
                for k in custom {
                    info.remove(&k);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).context("saving the PDF")?;
    Ok(out)
}

/// The document information dictionary, made if missing.
fn info_dict(doc: &mut Document) -> Result<&mut Dictionary> {
    let id = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => *id,
        Ok(Object::Dictionary(d)) => {
            let d = d.clone();
            let id = doc.add_object(Object::Dictionary(d));
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
        _ => {
            let id = doc.add_object(Object::Dictionary(Dictionary::new()));
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    Ok(doc.get_object_mut(id)?.as_dict_mut()?)
}

fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// Every string value of the information dictionary.
pub(crate) fn properties(bytes: &[u8]) -> Vec<String> {
    let Ok(doc) = Document::load_mem(bytes) else {
        return Vec::new();
    };
    let Ok(info) = doc
        .trailer
        .get_deref(b"Info", &doc)
        .and_then(Object::as_dict)
    else {
        return Vec::new();
    };
    info.iter()
        .filter_map(|(_, v)| match doc.dereference(v) {
            Ok((_, Object::String(s, _))) => Some(text_string(s)),
            _ => None,
        })
        .collect()
}
