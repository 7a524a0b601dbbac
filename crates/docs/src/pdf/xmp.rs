//! The XMP packet: RDF/XML whose properties sit on the top-level
//! `rdf:Description`s, either as attributes (`xmp:CreateDate="…"`) or as
//! child elements, simple or holding an `rdf:Seq` / `rdf:Bag` / `rdf:Alt`
//! of `rdf:li` (`dc:creator`, `dc:title`). Structured values (history
//! events, nested resources) are skipped: they are not what the Info
//! dictionary is compared with.
//!
//! Keys are `prefix:Name` with the usual prefix of a known namespace
//! whatever prefix the file bound it to (a writer may call XMP's namespace
//! `ns0`), and the file's own prefix otherwise.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::collections::BTreeMap;

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const KNOWN: [(&str, &str); 10] = [
    ("http://ns.adobe.com/xap/1.0/", "xmp"),
    ("http://ns.adobe.com/pdf/1.3/", "pdf"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM"),
    ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
    ("http://ns.adobe.com/pdfx/1.3/", "pdfx"),
    ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
    ("http://www.aiim.org/pdfa/ns/id/", "pdfaid"),
    ("http://ns.adobe.com/xap/1.0/t/pg/", "xmpTPg"),
    ("http://ns.adobe.com/tiff/1.0/", "tiff"),
];
/// Properties kept, and characters kept of one value: a hostile packet
/// must not turn into a huge map.
const MAX_PROPERTIES: usize = 1_000;
const MAX_VALUE: usize = 64 * 1024;

/// What the packet said, and why reading stopped early, if it did.
#[derive(Debug, Default)]
pub(crate) struct Xmp {
    pub fields: BTreeMap<String, String>,
    pub error: Option<String>,
}

/// The packet's bytes as stored in the stream: UTF-8 normally, UTF-16 when
/// it starts with a byte-order mark.
pub(crate) fn parse(packet: &[u8]) -> Xmp {
    let text = decode(packet);
    let mut out = Xmp::default();
    if let Err(e) = walk(&text, &mut out.fields) {
        out.error = Some(e);
    }
    out
}

fn decode(packet: &[u8]) -> String {
    let utf16 = |rest: &[u8], be: bool| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if be {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = packet.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true);
    }
    if let Some(rest) = packet.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false);
    }
    String::from_utf8_lossy(packet.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(packet)).into_owned()
}

/// The property being read: its key, the depth of its element, the text
/// directly in it and the values of its `rdf:li`s.
struct Property {
    key: String,
    depth: usize,
    text: String,
    items: Vec<String>,
    /// Depth of the `rdf:li` being read, if one is open.
    item: Option<(usize, String)>,
    /// Holds a nested resource: not a simple value.
    structured: bool,
}

fn walk(text: &str, fields: &mut BTreeMap<String, String>) -> Result<(), String> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut depth = 0usize;
    // Depth of the rdf:RDF element, once met.
    let mut rdf_depth: Option<usize> = None;
    let mut property: Option<Property> = None;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XMP packet is not well-formed XML: {e}"))?;
        let ns = namespace(&ns);
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                depth += 1;
                let local = e.local_name().as_ref().to_owned();
                let is_rdf = ns.as_deref() == Some(RDF);
                if rdf_depth.is_none() && is_rdf && local == "RDF" {
                    rdf_depth = Some(depth);
                } else if let Some(p) = property.as_mut() {
                    if is_rdf && local == "li" && p.item.is_none() && depth <= p.depth + 2 {
                        p.item = Some((depth, String::new()));
                    } else if !(is_rdf && matches!(local.as_str(), "Seq" | "Bag" | "Alt")) {
                        p.structured = true;
                    }
                    if is_rdf && local == "Description" || has_rdf_attr(&reader, e, "parseType") {
                        p.structured = true;
                    }
                } else if rdf_depth.is_some_and(|d| depth == d + 1)
                    && is_rdf
                    && local == "Description"
                {
                    attribute_properties(&reader, e, fields);
                } else if rdf_depth.is_some_and(|d| depth == d + 2) {
                    let key = key_of(
                        ns.as_deref(),
                        e.name().prefix().map(|p| p.as_ref().to_owned()),
                        &local,
                    );
                    let mut p = Property {
                        key,
                        depth,
                        text: String::new(),
                        items: Vec::new(),
                        item: None,
                        structured: false,
                    };
                    if let Some(resource) = rdf_attr(&reader, e, "resource") {
                        p.text = resource;
                    }
                    if has_rdf_attr(&reader, e, "parseType") {
                        p.structured = true;
                    }
                    property = Some(p);
                }
                if empty {
                    end(&mut depth, &mut property, fields);
                }
            }
            Event::End(_) => {
                if rdf_depth == Some(depth) {
                    rdf_depth = None;
                }
                end(&mut depth, &mut property, fields);
            }
            Event::Text(t) => push_text(&mut property, depth, &t.xml10_content()),
            Event::CData(t) => push_text(&mut property, depth, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => predefined(&r.xml10_content()).map(str::to_owned),
                };
                if let Some(s) = resolved {
                    push_text(&mut property, depth, &s);
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        if fields.len() >= MAX_PROPERTIES {
            return Err(format!(
                "XMP packet has more than {MAX_PROPERTIES} properties; the rest is skipped"
            ));
        }
    }
}

/// Closes the element at `depth`: an `rdf:li` or a whole property.
fn end(depth: &mut usize, property: &mut Option<Property>, fields: &mut BTreeMap<String, String>) {
    if let Some(p) = property.as_mut() {
        if let Some((item_depth, _)) = &p.item {
            if *item_depth == *depth {
                if let Some((_, text)) = p.item.take() {
                    let text = text.trim().to_owned();
                    if !text.is_empty() {
                        p.items.push(text);
                    }
                }
            }
        }
        if p.depth == *depth {
            if let Some(p) = property.take() {
                let value = if p.items.is_empty() {
                    p.text.trim().to_owned()
                } else {
                    p.items.join("; ")
                };
                if !p.structured && !value.is_empty() {
                    fields.insert(p.key, value);
                }
            }
        }
    }
    *depth = depth.saturating_sub(1);
}

fn push_text(property: &mut Option<Property>, depth: usize, text: &str) {
    let Some(p) = property.as_mut() else { return };
    let target = match &mut p.item {
        Some((item_depth, s)) if *item_depth == depth => s,
        Some(_) => return,
        None if p.depth == depth => &mut p.text,
        None => return,
    };
    if target.len() + text.len() <= MAX_VALUE {
        target.push_str(text);
    }
}

fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

fn namespace(result: &ResolveResult<'_>) -> Option<String> {
    match result {
        ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
        _ => None,
    }
}

fn key_of(ns: Option<&str>, prefix: Option<String>, local: &str) -> String {
    let known = ns
        .and_then(|ns| KNOWN.iter().find(|(uri, _)| *uri == ns))
        .map(|(_, p)| (*p).to_owned());
    match known.or(prefix) {
        Some(prefix) => format!("{prefix}:{local}"),
        None => local.to_owned(),
    }
}

/// Simple properties written as attributes of `rdf:Description`.
fn attribute_properties(
    reader: &NsReader<&[u8]>,
    e: &BytesStart<'_>,
    fields: &mut BTreeMap<String, String>,
) {
    for attr in e.attributes().flatten() {
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        let ns = namespace(&ns);
        let prefix = attr.key.prefix().map(|p| p.as_ref().to_owned());
        if ns.as_deref() == Some(RDF)
            || prefix.as_deref() == Some("xmlns")
            || attr.key.as_ref() == "xmlns"
        {
            continue;
        }
        // xml:lang and the like are not properties.
        if prefix.as_deref() == Some("xml") || ns.is_none() {
            continue;
        }
        let Ok(value) = attr.normalized_value(XmlVersion::Implicit1_0) else {
            continue;
        };
        let value = value.trim();
        if !value.is_empty() && fields.len() < MAX_PROPERTIES {
            let mut value = value.to_owned();
            truncate(&mut value, MAX_VALUE);
            fields.insert(key_of(ns.as_deref(), prefix, local.as_ref()), value);
        }
    }
}

fn rdf_attr(reader: &NsReader<&[u8]>, e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|attr| {
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        (namespace(&ns).as_deref() == Some(RDF) && local.as_ref() == name)
            .then(|| {
                attr.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn has_rdf_attr(reader: &NsReader<&[u8]>, e: &BytesStart<'_>, name: &str) -> bool {
    rdf_attr(reader, e, name).is_some()
}

fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKET: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:ns0="http://ns.adobe.com/xap/1.0/"
     ns0:CreateDate="2016-05-04T15:00:00+02:00" ns0:CreatorTool="Word &amp; co">
   <dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Seq><rdf:li>Рошка</rdf:li><rdf:li>Bob</rdf:li></rdf:Seq></dc:creator>
   <dc:title xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Alt><rdf:li xml:lang="x-default">Minutes &lt;draft&gt;</rdf:li></rdf:Alt></dc:title>
   <pdf:Producer xmlns:pdf="http://ns.adobe.com/pdf/1.3/">Acrobat Distiller 9.0</pdf:Producer>
   <xmpMM:History xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"><rdf:Seq><rdf:li rdf:parseType="Resource"><stEvt:action xmlns:stEvt="x">saved</stEvt:action></rdf:li></rdf:Seq></xmpMM:History>
   <xmpMM:DocumentID xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">uuid:1234</xmpMM:DocumentID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#;

    #[test]
    fn reads_attributes_elements_and_lists() {
        let xmp = parse(PACKET.as_bytes());
        assert_eq!(xmp.error, None);
        let f = &xmp.fields;
        assert_eq!(f["xmp:CreateDate"], "2016-05-04T15:00:00+02:00");
        assert_eq!(f["xmp:CreatorTool"], "Word & co");
        assert_eq!(f["dc:creator"], "Рошка; Bob");
        assert_eq!(f["dc:title"], "Minutes <draft>");
        assert_eq!(f["pdf:Producer"], "Acrobat Distiller 9.0");
        assert_eq!(f["xmpMM:DocumentID"], "uuid:1234");
        assert!(!f.contains_key("xmpMM:History"), "{f:?}");
        assert_eq!(f.len(), 6, "{f:?}");
    }

    #[test]
    fn broken_packet_keeps_what_was_read() {
        let cut = &PACKET[..PACKET.find("<pdf:Producer").unwrap_or(0) + 20];
        let xmp = parse(cut.as_bytes());
        assert_eq!(xmp.fields["dc:creator"], "Рошка; Bob");
        let garbage = parse(b"\xFF\x00<<<>>>&&&");
        assert!(garbage.fields.is_empty());
    }
}
