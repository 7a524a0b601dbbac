//! Text for search: the strings the pages' content streams show, in the
//! order they are drawn, with a space or a line break where the text
//! position moves. Not layout: a search index needs the words in order.
//!
//! lopdf's own `extract_text` glues strings shown by successive `Tj`s
//! (`Amount:` then `1,000` reads `Amount:1,000`) and cannot say how much it
//! decompressed, so the walk is ours, on lopdf's content parser and font
//! encodings. Form XObjects a page draws (`Do`) are followed, inside one
//! another up to a depth, each once per page: stamping and merging tools
//! put the text they add in forms.

use super::document::Budget;
use crate::{DocumentReport, Options};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, Error, Object, Stream};
use std::collections::{HashMap, HashSet};

/// A `TJ` gap wider than this (thousandths of an em, negative = moving
/// right) is a space between words rather than kerning.
const WORD_GAP: f32 = 200.0;

/// Fonts' encodings, decoded once per font dictionary for the whole
/// document (keyed by the dictionary's address: the document does not move
/// while we read it), `None` when the font gave none.
type Encodings<'a> = HashMap<*const Dictionary, Option<Encoding<'a>>>;

pub(crate) fn extract(
    doc: &Document,
    options: &Options,
    budget: &mut Budget,
    report: &mut DocumentReport,
) {
    // Pages that failed beyond this many are counted, not each named.
    const MAX_PAGE_PROBLEMS: usize = 5;
    let pages = doc.get_pages();
    let mut encodings: Encodings<'_> = HashMap::new();
    let mut failed = 0usize;
    for (&number, &page_id) in pages.iter().take(options.max_entries) {
        if report.text_truncated {
            break;
        }
        if budget.exhausted() {
            report.problem(
                "too-large",
                format!(
                    "text stops at page {number}: the document's decompression budget is spent"
                ),
            );
            break;
        }
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            page_text(doc, page_id, budget, &mut encodings)
        }));
        let (text, error) = match outcome {
            Ok(result) => result,
            Err(_) => (
                String::new(),
                Some(("malformed", "the content parser failed".to_owned())),
            ),
        };
        if !text.trim().is_empty() {
            report.push_text(text.trim(), options);
            report.push_text("\n", options);
        }
        if let Some((code, why)) = error {
            failed += 1;
            if failed <= MAX_PAGE_PROBLEMS {
                report.problem(code, format!("page {number}: {why}"));
            }
        }
    }
    if failed > MAX_PAGE_PROBLEMS {
        report.problem(
            "malformed",
            format!(
                "{} more pages could not be read in full",
                failed - MAX_PAGE_PROBLEMS
            ),
        );
    }
    if pages.len() > options.max_entries {
        report.problem(
            "too-large",
            format!(
                "text taken from the first {} of {} pages",
                options.max_entries,
                pages.len()
            ),
        );
    }
}

type PageError = Option<(&'static str, String)>;

/// Form XObjects drawn inside form XObjects are followed this deep.
const MAX_FORM_DEPTH: usize = 8;

/// What a content stream's names refer to: its fonts and its XObjects.
#[derive(Default)]
struct Resources<'a> {
    fonts: HashMap<&'a [u8], &'a Dictionary>,
    xobjects: HashMap<&'a [u8], &'a Object>,
}

impl<'a> Resources<'a> {
    /// Adds the fonts and XObjects of one resource dictionary; a name
    /// already known keeps its first meaning (a page's own resources come
    /// before those it inherits).
    fn add(&mut self, doc: &'a Document, resources: &'a Dictionary) {
        if let Ok(fonts) = resources.get_deref(b"Font", doc).and_then(Object::as_dict) {
            for (name, font) in fonts.iter() {
                if let Ok(font) = doc.dereference(font).and_then(|(_, f)| f.as_dict()) {
                    self.fonts.entry(name.as_slice()).or_insert(font);
                }
            }
        }
        if let Ok(xobjects) = resources
            .get_deref(b"XObject", doc)
            .and_then(Object::as_dict)
        {
            for (name, xobject) in xobjects.iter() {
                self.xobjects.entry(name.as_slice()).or_insert(xobject);
            }
        }
    }

    /// A page's resources, its ancestors' included.
    fn of_page(doc: &'a Document, page_id: lopdf::ObjectId) -> Self {
        let mut resources = Resources::default();
        if let Ok((direct, referenced)) = doc.get_page_resources(page_id) {
            for dict in direct.into_iter().chain(
                referenced
                    .iter()
                    .filter_map(|id| doc.get_dictionary(*id).ok()),
            ) {
                resources.add(doc, dict);
            }
        }
        resources
    }
}

/// One page's walk through its content and the form XObjects it draws.
struct Page<'a, 'w> {
    doc: &'a Document,
    budget: &'w mut Budget,
    encodings: &'w mut Encodings<'a>,
    out: String,
    error: PageError,
    /// Form XObjects already drawn on this page: each is read once per
    /// page, so a form that draws itself (or is drawn a thousand times)
    /// costs one reading.
    forms: HashSet<*const Stream>,
}

/// One page's text, and why it stopped short if it did (the text before
/// the failure is kept).
fn page_text<'a>(
    doc: &'a Document,
    page_id: lopdf::ObjectId,
    budget: &mut Budget,
    encodings: &mut Encodings<'a>,
) -> (String, PageError) {
    let content = match doc.get_page_content_with_limit(page_id, budget.limit()) {
        Ok(content) => content,
        Err(e) => return (String::new(), Some(failure(&e, "content stream"))),
    };
    budget.charge(content.len());
    let resources = Resources::of_page(doc, page_id);
    let mut page = Page {
        doc,
        budget,
        encodings,
        out: String::new(),
        error: None,
        forms: HashSet::new(),
    };
    page.run(&content, &resources, 0, None);
    (page.out, page.error)
}

impl<'a> Page<'a, '_> {
    /// The text `content` shows, with the fonts and forms of `resources`;
    /// `depth` counts the forms it is inside, `font` is the font (a key of
    /// `encodings`) selected where it is drawn.
    fn run(
        &mut self,
        content: &[u8],
        resources: &Resources<'a>,
        depth: usize,
        mut font: Option<*const Dictionary>,
    ) {
        self.load_encodings(resources);
        for op in Content::<Vec<Operation>>::decode_iter(content) {
            let op = match op {
                Ok(op) => op,
                Err(e) => {
                    self.error
                        .get_or_insert(("malformed", format!("content stream: {e}")));
                    break;
                }
            };
            let encodings: &Encodings<'a> = self.encodings;
            let current = font
                .and_then(|key| encodings.get(&key))
                .and_then(Option::as_ref);
            let out = &mut self.out;
            match op.operator.as_str() {
                "Tf" => {
                    font = op
                        .operands
                        .first()
                        .and_then(|name| name.as_name().ok())
                        .and_then(|name| resources.fonts.get(name))
                        .map(|font| *font as *const Dictionary);
                }
                "Tj" => show(out, current, op.operands.first()),
                "'" => {
                    separate(out, '\n');
                    show(out, current, op.operands.first());
                }
                "\"" => {
                    separate(out, '\n');
                    show(out, current, op.operands.get(2));
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = op.operands.first() {
                        for item in items {
                            match item {
                                Object::Integer(gap) if (*gap as f32) < -WORD_GAP => {
                                    separate(out, ' ')
                                }
                                Object::Real(gap) if *gap < -WORD_GAP => separate(out, ' '),
                                string => show(out, current, Some(string)),
                            }
                        }
                    }
                }
                "T*" | "ET" => separate(out, '\n'),
                "Td" | "TD" | "Tm" => separate(out, ' '),
                "Do" => {
                    if let Some(name) = op.operands.first().and_then(|n| n.as_name().ok()) {
                        self.draw_form(name, resources, depth, font);
                    }
                }
                _ => {}
            }
        }
    }

    /// `Do name`: the text of the form XObject `name`, if it is a form not
    /// drawn yet on this page. Its decompressed content counts against the
    /// document's budget; a form without resources of its own uses those
    /// of what draws it (as PDF 1.1 allowed).
    fn draw_form(
        &mut self,
        name: &[u8],
        resources: &Resources<'a>,
        depth: usize,
        font: Option<*const Dictionary>,
    ) {
        let doc = self.doc;
        let Some(form) = resources
            .xobjects
            .get(name)
            .and_then(|x| doc.dereference(x).ok())
            .and_then(|(_, x)| x.as_stream().ok())
            .filter(|x| x.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        else {
            return;
        };
        if depth >= MAX_FORM_DEPTH {
            self.error.get_or_insert((
                "too-large",
                format!("form XObjects nested deeper than {MAX_FORM_DEPTH}: the text of the deeper ones is not read"),
            ));
            return;
        }
        if !self.forms.insert(form as *const Stream) {
            return;
        }
        if self.budget.exhausted() {
            self.error.get_or_insert((
                "too-large",
                "a form XObject is not read: the document's decompression budget is spent".into(),
            ));
            return;
        }
        let content = match form.get_plain_content_with_limit(self.budget.limit()) {
            Ok(content) => content,
            Err(e) => {
                self.error.get_or_insert(failure(&e, "form XObject"));
                return;
            }
        };
        self.budget.charge(content.len());
        let own = form
            .dict
            .get_deref(b"Resources", doc)
            .and_then(Object::as_dict)
            .ok()
            .map(|dict| {
                let mut own = Resources::default();
                own.add(doc, dict);
                own
            });
        separate(&mut self.out, '\n');
        self.run(&content, own.as_ref().unwrap_or(resources), depth + 1, font);
        separate(&mut self.out, '\n');
    }

    /// Decodes, once per document, the encodings of the fonts `resources`
    /// names.
    fn load_encodings(&mut self, resources: &Resources<'a>) {
        for font in resources.fonts.values() {
            let key: *const Dictionary = *font;
            if self.encodings.contains_key(&key) {
                continue;
            }
            match font_encoding(self.doc, font, self.budget) {
                Ok(encoding) => {
                    self.encodings.insert(key, encoding);
                }
                Err(e) => {
                    self.encodings.insert(key, None);
                    self.error.get_or_insert(failure(&e, "font encoding"));
                }
            }
        }
    }
}

fn font_encoding<'a>(
    doc: &'a Document,
    font: &'a Dictionary,
    budget: &mut Budget,
) -> lopdf::Result<Option<Encoding<'a>>> {
    // lopdf decodes a /ToUnicode map without saying how large it was:
    // measure it first (bounded) so the budget is charged for it.
    if let Ok(Object::Stream(map)) = font.get_deref(b"ToUnicode", doc) {
        let size = map.get_plain_content_with_limit(budget.limit())?.len();
        budget.charge(size);
    }
    font.get_font_encoding_with_limit(doc, budget.limit())
        .map(Some)
}

fn show(out: &mut String, encoding: Option<&Encoding<'_>>, operand: Option<&Object>) {
    // Without the font's encoding the bytes are glyph codes, not text:
    // nothing is better than noise in a search index.
    let (Some(encoding), Some(Object::String(bytes, _))) = (encoding, operand) else {
        return;
    };
    let _ = encoding.write_to_string(bytes, out);
}

/// A break between runs of text, unless there is one already.
fn separate(out: &mut String, with: char) {
    match out.chars().last() {
        None => {}
        Some('\n') => {}
        Some(c) if c.is_whitespace() && with == '\n' => {
            out.pop();
            out.push('\n');
        }
        Some(c) if c.is_whitespace() => {}
        Some(_) => out.push(with),
    }
}

fn failure(e: &Error, what: &str) -> (&'static str, String) {
    super::document::describe(e, what)
}
