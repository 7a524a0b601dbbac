//! What a document holds besides its pages: optional content groups
//! (layers, where a montage may survive unflattened), JavaScript, embedded
//! files and forms.

use super::document::catalog;
use super::strings::{decode_text, resolve, value_text};
use lopdf::{Dictionary, Document, Object};

/// Where JavaScript was found, at most this many places named.
const MAX_PLACES: usize = 20;
/// Nesting followed inside one object (dictionaries in arrays in …).
const MAX_DEPTH: usize = 32;

#[derive(Debug, Default)]
pub(crate) struct Layers {
    pub names: Vec<String>,
    /// Off when the document opens (`/D /OFF`): what a reader does not see
    /// unless they look for it.
    pub hidden: Vec<String>,
}

/// The optional content groups listed in `/OCProperties /OCGs`.
pub(crate) fn layers(doc: &Document, max: usize) -> Layers {
    let mut out = Layers::default();
    let Some(props) = catalog(doc)
        .and_then(|c| c.get(b"OCProperties").ok())
        .and_then(|p| resolve(doc, p))
        .and_then(|p| p.as_dict().ok())
    else {
        return out;
    };
    let name_of = |group: &Object| -> String {
        resolve(doc, group)
            .and_then(|g| g.as_dict().ok())
            .and_then(|g| g.get(b"Name").ok())
            .and_then(|n| value_text(doc, n))
            .unwrap_or_else(|| "(unnamed)".to_owned())
    };
    let array = |dict: &Dictionary, key: &[u8]| -> Vec<Object> {
        match dict.get(key).ok().and_then(|a| resolve(doc, a)) {
            Some(Object::Array(items)) => items.iter().take(max).cloned().collect(),
            _ => Vec::new(),
        }
    };
    out.names = array(props, b"OCGs").iter().map(name_of).collect();
    if let Some(default) = props
        .get(b"D")
        .ok()
        .and_then(|d| resolve(doc, d))
        .and_then(|d| d.as_dict().ok())
    {
        out.hidden = array(default, b"OFF").iter().map(name_of).collect();
    }
    out
}

#[derive(Debug, Default)]
pub(crate) struct Active {
    /// Where JavaScript is: `catalog /OpenAction`, `object 12 0`, …
    pub javascript: Vec<String>,
    pub embedded_files: Vec<String>,
    /// `AcroForm with 3 fields`, `XFA form`.
    pub form: Option<String>,
    /// Objects not examined because of the bound.
    pub skipped_objects: usize,
}

/// Looks at every object (up to `max`): JavaScript can hide in any action
/// (a link's, a field's, a page's), and a file specification with an
/// embedded file (`/EF`) can hang from an annotation as well as from the
/// `/EmbeddedFiles` name tree.
pub(crate) fn active(doc: &Document, max: usize) -> Active {
    let mut out = Active::default();
    if let Some(cat) = catalog(doc) {
        if let Some(names) = cat
            .get(b"Names")
            .ok()
            .and_then(|n| resolve(doc, n))
            .and_then(|n| n.as_dict().ok())
        {
            if names.has(b"JavaScript") {
                out.javascript
                    .push("document-level scripts (catalog /Names /JavaScript)".into());
            }
        }
        if let Some(action) = cat.get(b"OpenAction").ok().and_then(|a| resolve(doc, a)) {
            if is_javascript(doc, action) {
                out.javascript
                    .push("run when the document opens (catalog /OpenAction)".into());
            }
        }
        if cat.has(b"AA") {
            out.javascript.push("document actions (catalog /AA)".into());
        }
        out.form = form(doc, cat);
    }
    let mut seen_files = std::collections::BTreeSet::new();
    for (n, (id, object)) in doc.objects.iter().enumerate() {
        if n >= max {
            out.skipped_objects = doc.objects.len() - max;
            break;
        }
        let mut found_js = false;
        visit(object, 0, &mut |dict| {
            if dict.has(b"JS")
                || dict.get(b"S").ok().and_then(|s| s.as_name().ok()) == Some(b"JavaScript")
            {
                found_js = true;
            }
            if dict.has(b"EF") {
                let name = [&b"UF"[..], b"F"]
                    .iter()
                    .find_map(
                        |key| match dict.get(key).ok().and_then(|v| resolve(doc, v)) {
                            Some(Object::String(bytes, _)) => Some(decode_text(bytes)),
                            _ => None,
                        },
                    )
                    .unwrap_or_else(|| format!("(unnamed, object {} {})", id.0, id.1));
                seen_files.insert(name);
            }
        });
        if found_js && out.javascript.len() < MAX_PLACES {
            out.javascript.push(format!("object {} {}", id.0, id.1));
        }
    }
    out.embedded_files = seen_files.into_iter().take(max).collect();
    out
}

fn is_javascript(doc: &Document, action: &Object) -> bool {
    let mut found = false;
    visit(action, 0, &mut |dict| {
        let s = dict
            .get(b"S")
            .ok()
            .and_then(|s| resolve(doc, s))
            .and_then(|s| s.as_name().ok());
        found |= dict.has(b"JS") || s == Some(b"JavaScript");
    });
    found
}

/// Calls `f` on every dictionary directly inside `object` (references are
/// not followed: every object is visited on its own).
fn visit(object: &Object, depth: usize, f: &mut dyn FnMut(&Dictionary)) {
    if depth > MAX_DEPTH {
        return;
    }
    match object {
        Object::Dictionary(dict) => {
            f(dict);
            for (_, value) in dict.iter() {
                visit(value, depth + 1, f);
            }
        }
        Object::Stream(stream) => {
            f(&stream.dict);
            for (_, value) in stream.dict.iter() {
                visit(value, depth + 1, f);
            }
        }
        Object::Array(items) => {
            for item in items {
                visit(item, depth + 1, f);
            }
        }
        _ => {}
    }
}

/// An interactive form, when it has fields or an XFA form (an empty
/// `/AcroForm` some writers always leave is no form).
fn form(doc: &Document, cat: &Dictionary) -> Option<String> {
    let acro = resolve(doc, cat.get(b"AcroForm").ok()?)?.as_dict().ok()?;
    if acro.has(b"XFA") {
        return Some("XFA form".into());
    }
    match acro.get(b"Fields").ok().and_then(|f| resolve(doc, f)) {
        Some(Object::Array(fields)) if !fields.is_empty() => Some(format!(
            "AcroForm with {} field{}",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        )),
        _ => None,
    }
}
