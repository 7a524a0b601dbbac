//! Text for search: the strings the pages' content streams show, in the
//! order they are drawn, with a space or a line break where the text
//! position moves. Not layout: a search index needs the words in order.
//!
//! lopdf's own `extract_text` glues strings shown by successive `Tj`s
//! (`Amount:` then `1,000` reads `Amount:1,000`) and cannot say how much it
//! decompressed, so the walk is ours, on lopdf's content parser and font
//! encodings. Text inside form XObjects (`Do`) is not followed.

use super::document::Budget;
use crate::{DocumentReport, Options};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Encoding, Error, Object};
use std::collections::HashMap;

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
    let fonts = doc.get_page_fonts(page_id).unwrap_or_default();
    let mut error: PageError = None;
    for font in fonts.values() {
        let key: *const Dictionary = *font;
        if encodings.contains_key(&key) {
            continue;
        }
        match font_encoding(doc, font, budget) {
            Ok(encoding) => {
                encodings.insert(key, encoding);
            }
            Err(e) => {
                encodings.insert(key, None);
                error.get_or_insert(failure(&e, "font encoding"));
            }
        }
    }
    let font_keys: HashMap<&[u8], *const Dictionary> = fonts
        .iter()
        .map(|(name, font)| (name.as_slice(), *font as *const Dictionary))
        .collect();

    let mut out = String::new();
    let mut current: Option<&Encoding<'a>> = None;
    for op in Content::<Vec<Operation>>::decode_iter(&content) {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                error.get_or_insert(("malformed", format!("content stream: {e}")));
                break;
            }
        };
        match op.operator.as_str() {
            "Tf" => {
                current = op
                    .operands
                    .first()
                    .and_then(|name| name.as_name().ok())
                    .and_then(|name| font_keys.get(name))
                    .and_then(|key| encodings.get(key))
                    .and_then(Option::as_ref);
            }
            "Tj" => show(&mut out, current, op.operands.first()),
            "'" => {
                separate(&mut out, '\n');
                show(&mut out, current, op.operands.first());
            }
            "\"" => {
                separate(&mut out, '\n');
                show(&mut out, current, op.operands.get(2));
            }
            "TJ" => {
                if let Some(Object::Array(items)) = op.operands.first() {
                    for item in items {
                        match item {
                            Object::Integer(gap) if (*gap as f32) < -WORD_GAP => {
                                separate(&mut out, ' ')
                            }
                            Object::Real(gap) if *gap < -WORD_GAP => separate(&mut out, ' '),
                            string => show(&mut out, current, Some(string)),
                        }
                    }
                }
            }
            "T*" | "ET" => separate(&mut out, '\n'),
            "Td" | "TD" | "Tm" => separate(&mut out, ' '),
            _ => {}
        }
    }
    (out, error)
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
