//! Walking an XML part with quick-xml, hostile input in mind.
//!
//! quick-xml never expands entities declared in a DOCTYPE: a reference to
//! one arrives as an unresolved `GeneralRef`, which is dropped here, so a
//! billion-laughs part costs its own size and nothing more. No Office
//! part legitimately has a DOCTYPE; one is reported and otherwise ignored.

use crate::DocumentReport;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// What a walk meets, in document order. An empty element (`<a/>`) is a
/// `Start` followed by its `End`, so callers keep one depth count.
pub(crate) enum Ev<'x, 'a> {
    Start(&'x BytesStart<'a>),
    /// The qualified name of the element that ends.
    End(&'x str),
    /// Character data, predefined entities and character references
    /// already resolved.
    Text(&'x str),
}

/// The name without its prefix: matching on local names reads files whose
/// writer chose other prefixes for the standard namespaces.
pub(crate) fn local(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, l)| l)
}

/// The value of attribute `name` (qualified, as written), entities resolved.
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| attr_value(&a))
}

pub(crate) fn attr_value(a: &quick_xml::events::attributes::Attribute<'_>) -> String {
    match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
        Ok(v) => v.into_owned(),
        // An undeclared entity in a value: keep the text as written.
        Err(_) => a.value.to_string(),
    }
}

/// Bytes of a part as text: UTF-8 (the norm), or UTF-16 when a BOM says
/// so (both are allowed by OPC and ODF); invalid bytes become U+FFFD.
pub(crate) fn part_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Cow::Owned(super::codepage::utf16le(rest));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]));
        return Cow::Owned(
            char::decode_utf16(units)
                .map(|r| r.unwrap_or('\u{FFFD}'))
                .collect(),
        );
    }
    String::from_utf8_lossy(bytes)
}

/// Walks `bytes` (the part `part`), calling `f` for each event; problems
/// (a DOCTYPE, a syntax error) go into `report` under the part's name.
/// Returns false when the walk stopped early on an error.
pub(crate) fn walk(
    part: &str,
    bytes: &[u8],
    report: &mut DocumentReport,
    mut f: impl FnMut(Ev<'_, '_>),
) -> bool {
    walk_while(part, bytes, report, false, |ev| {
        f(ev);
        true
    })
}

/// [`walk`] that stops when `f` returns false. With `prefix`, `bytes` is
/// the head of a part cut on purpose: a syntax error at the cut is
/// expected, not reported.
pub(crate) fn walk_while(
    part: &str,
    bytes: &[u8],
    report: &mut DocumentReport,
    prefix: bool,
    mut f: impl FnMut(Ev<'_, '_>) -> bool,
) -> bool {
    let text = part_text(bytes);
    let mut reader = Reader::from_str(&text);
    let mut doctype = false;
    let mut dropped_refs = 0u64;
    let outcome = loop {
        let go_on = match reader.read_event() {
            Ok(Event::Start(e)) => f(Ev::Start(&e)),
            Ok(Event::Empty(e)) => f(Ev::Start(&e)) && f(Ev::End(e.name().as_ref())),
            Ok(Event::End(e)) => f(Ev::End(e.name().as_ref())),
            Ok(Event::Text(t)) => f(Ev::Text(&t.xml10_content())),
            Ok(Event::CData(t)) => f(Ev::Text(&t.xml10_content())),
            Ok(Event::GeneralRef(r)) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    f(Ev::Text(c.encode_utf8(&mut [0; 4])))
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    f(Ev::Text(s))
                } else {
                    // A custom entity: never expanded (billion laughs).
                    dropped_refs += 1;
                    true
                }
            }
            Ok(Event::DocType(_)) => {
                doctype = true;
                true
            }
            Ok(Event::Eof) => break true,
            Ok(_) => true,
            Err(_) if prefix => break true,
            Err(e) => {
                report.problem(
                    "malformed",
                    format!(
                        "{part}: XML error at byte {}: {e}; what came before is kept",
                        reader.error_position()
                    ),
                );
                break false;
            }
        };
        if !go_on {
            break true;
        }
    };
    if doctype {
        report.problem(
            "xml-doctype",
            format!(
                "{part} declares a DOCTYPE, which no Office part has; its entities were not expanded \
                 ({dropped_refs} entity references dropped)"
            ),
        );
    }
    outcome
}

/// An element of a flat property list (core.xml, app.xml, meta.xml's
/// `office:meta`): its qualified name as written, its text (empty when it
/// has children of its own) and its attributes.
pub(crate) struct Leaf {
    pub name: String,
    pub text: String,
    pub attrs: Vec<(String, String)>,
}

/// The elements at `depth` (1 = the document element) of a property part.
pub(crate) fn leaves(
    part: &str,
    bytes: &[u8],
    depth: usize,
    report: &mut DocumentReport,
) -> Vec<Leaf> {
    let mut out: Vec<Leaf> = Vec::new();
    let mut level = 0usize;
    // Whether the element open at `depth` has children: a vector in
    // app.xml (HeadingPairs) is not a leaf and its text is not a value.
    let mut current: Option<Leaf> = None;
    let mut nested = false;
    walk(part, bytes, report, |ev| match ev {
        Ev::Start(e) => {
            level += 1;
            if level == depth {
                let attrs = e
                    .attributes()
                    .with_checks(false)
                    .flatten()
                    .map(|a| (a.key.as_ref().to_owned(), attr_value(&a)))
                    .collect();
                current = Some(Leaf {
                    name: e.name().as_ref().to_owned(),
                    text: String::new(),
                    attrs,
                });
                nested = false;
            } else if level > depth {
                nested = true;
            }
        }
        Ev::End(_) => {
            if level == depth {
                if let Some(mut leaf) = current.take() {
                    if nested {
                        leaf.text.clear();
                    }
                    out.push(leaf);
                }
            }
            level = level.saturating_sub(1);
        }
        Ev::Text(t) => {
            if level == depth && !nested {
                if let Some(leaf) = current.as_mut() {
                    leaf.text.push_str(t);
                }
            }
        }
    });
    out
}
