//! The fonts a PDF draws with: the font dictionaries named in the pages'
//! resources (inherited ones included) and in the resources of the form
//! XObjects those pages draw, by their `/BaseFont`, their descriptor's
//! `/FontName` and, for a composite (Type 0) font, its descendant's.
//!
//! A font that did not exist yet at the dates a document claims is an
//! `anachronism` (`findings.rs`). Names only: no font program is read, and
//! nothing is decompressed.

use super::strings::{resolve, value_text};
use crate::model::push_font;
use crate::{DocumentReport, Options};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashSet;

/// Form XObjects inside form XObjects followed this deep.
const MAX_FORM_DEPTH: usize = 8;
/// Descendant fonts read of one Type 0 font (the standard allows one).
const MAX_DESCENDANTS: usize = 4;

/// Dictionaries already looked at, by address: the document does not move
/// while it is read, and one font or resource dictionary is shared by many
/// pages.
type Seen = HashSet<*const Dictionary>;

/// Walks the pages (at most `max_entries` of them, and as many objects)
/// and adds every font name met to `report.metadata.fonts`.
pub(crate) fn read(doc: &Document, options: &Options, report: &mut DocumentReport) {
    let mut walk = Walk {
        doc,
        seen: Seen::new(),
        visits: 0,
        max: options.max_entries,
        found: Vec::new(),
    };
    // (resources, depth): depth counts form XObjects, 0 for a page's own.
    let mut pending: Vec<(&Dictionary, usize)> = Vec::new();
    for page_id in doc.page_iter().take(options.max_entries) {
        let Ok((direct, referenced)) = doc.get_page_resources(page_id) else {
            continue;
        };
        pending.extend(direct.map(|d| (d, 0)));
        pending.extend(
            referenced
                .iter()
                .filter_map(|id| doc.get_dictionary(*id).ok())
                .map(|d| (d, 0)),
        );
        while let Some((resources, depth)) = pending.pop() {
            if !walk.visit(resources) {
                continue;
            }
            walk.fonts_of(resources);
            if depth < MAX_FORM_DEPTH {
                pending.extend(walk.forms_of(resources).into_iter().map(|r| (r, depth + 1)));
            }
        }
        if walk.exhausted() {
            report.problem(
                "too-large",
                format!(
                    "fonts: {} objects looked at, the bound; fonts of later pages are not listed",
                    walk.max
                ),
            );
            break;
        }
    }
    for name in &walk.found {
        report.metadata.add_font(name);
    }
}

struct Walk<'a> {
    doc: &'a Document,
    seen: Seen,
    visits: usize,
    max: usize,
    /// Names as they are met, bounded as [`push_font`] bounds them.
    found: Vec<String>,
}

impl<'a> Walk<'a> {
    fn exhausted(&self) -> bool {
        self.visits >= self.max
    }

    /// Counts a dictionary against the bound; false when it was seen
    /// before or the bound is reached.
    fn visit(&mut self, dict: &Dictionary) -> bool {
        if self.exhausted() || !self.seen.insert(dict as *const Dictionary) {
            return false;
        }
        self.visits += 1;
        true
    }

    fn dict(&self, object: &'a Object) -> Option<&'a Dictionary> {
        match resolve(self.doc, object)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn entry(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        self.dict(dict.get(key).ok()?)
    }

    fn name(&mut self, dict: &Dictionary, key: &[u8]) {
        if let Some(name) = dict.get(key).ok().and_then(|v| value_text(self.doc, v)) {
            push_font(&mut self.found, &name);
        }
    }

    /// The fonts of one resource dictionary's `/Font`.
    fn fonts_of(&mut self, resources: &'a Dictionary) {
        // The `/Font` dictionary counts too: shared by every page, it is
        // gone through once.
        let Some(fonts) = self.entry(resources, b"Font").filter(|f| self.visit(f)) else {
            return;
        };
        for (_, font) in fonts.iter() {
            if self.exhausted() {
                break;
            }
            let Some(font) = self.dict(font) else {
                continue;
            };
            if !self.visit(font) {
                continue;
            }
            self.font(font);
            if let Some(Object::Array(descendants)) = font
                .get(b"DescendantFonts")
                .ok()
                .and_then(|d| resolve(self.doc, d))
            {
                for descendant in descendants.iter().take(MAX_DESCENDANTS) {
                    if let Some(d) = self.dict(descendant) {
                        if self.visit(d) {
                            self.font(d);
                        }
                    }
                }
            }
        }
    }

    /// One font dictionary's names: `/BaseFont` and its descriptor's
    /// `/FontName` (a Type 3 font has neither).
    fn font(&mut self, font: &'a Dictionary) {
        self.name(font, b"BaseFont");
        if let Some(descriptor) = self.entry(font, b"FontDescriptor") {
            self.name(descriptor, b"FontName");
        }
    }

    /// The resources of the form XObjects in one resource dictionary's
    /// `/XObject` (images have none).
    fn forms_of(&mut self, resources: &'a Dictionary) -> Vec<&'a Dictionary> {
        let mut out = Vec::new();
        let Some(xobjects) = self.entry(resources, b"XObject").filter(|x| self.visit(x)) else {
            return out;
        };
        for (_, xobject) in xobjects.iter() {
            if self.exhausted() {
                break;
            }
            let Some(xobject) = self.dict(xobject) else {
                continue;
            };
            let form = xobject
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|s| s == b"Form");
            if !form || !self.visit(xobject) {
                continue;
            }
            if let Some(r) = self.entry(xobject, b"Resources") {
                out.push(r);
            }
        }
        out
    }
}
