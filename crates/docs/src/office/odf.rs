//! ODF (odt, ods, odp): `meta.xml`, the font faces `content.xml` and
//! `styles.xml` declare, and the text of `content.xml`.
//!
//! ODF names its two people differently from OOXML: `meta:initial-creator`
//! made the document, `dc:creator` saved it last; `meta:editing-cycles`
//! counts the saves (the revision), `meta:editing-duration` the editing
//! time. A password-protected document leaves `mimetype` and the manifest
//! in clear and encrypts the rest, which is reported, not parsed.

use super::package::Package;
use super::xml::{self, local, Ev};
use super::{dates, TextSink};
use crate::model::push_font;
use crate::{DocumentReport, Options};
use std::collections::HashSet;

/// How much of `styles.xml` is read for the font faces and the default
/// styles after them: a few KiB in every file seen.
const STYLES_HEAD: u64 = 64 << 10;

fn wanted(name: &str) -> bool {
    matches!(
        name,
        "meta.xml" | "content.xml" | "styles.xml" | "META-INF/manifest.xml"
    )
}

pub fn read(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let Some(mut package) = Package::open(bytes, options, report, &wanted) else {
        return;
    };
    let encrypted = encrypted_parts(&mut package, report);
    if !encrypted.is_empty() {
        let mut list: Vec<&str> = encrypted.iter().map(String::as_str).collect();
        list.sort_unstable();
        report.problem(
            "encrypted",
            format!(
                "password-protected ODF: {} parts encrypted ({})",
                list.len(),
                list.join(", ")
            ),
        );
    }
    if !encrypted.contains("meta.xml") {
        if let Some(meta) = package.read("meta.xml", report) {
            read_meta(&meta, report);
        }
    }
    if !encrypted.contains("styles.xml") {
        if let Some(styles) = package.read_prefix("styles.xml", STYLES_HEAD, report) {
            read_styles_head(&styles, report);
        }
    }
    if !encrypted.contains("content.xml") {
        if let Some(content) = package.read("content.xml", report) {
            let mut text = TextSink::new(options);
            read_content(&content, &mut text, report);
            text.finish(report, options);
        }
    }
}

/// Parts the manifest lists with `manifest:encryption-data`.
fn encrypted_parts(package: &mut Package<'_>, report: &mut DocumentReport) -> HashSet<String> {
    let mut encrypted = HashSet::new();
    let Some(manifest) = package.read("META-INF/manifest.xml", report) else {
        return encrypted;
    };
    let mut entry: Option<String> = None;
    xml::walk("META-INF/manifest.xml", &manifest, report, |ev| match ev {
        Ev::Start(e) => match local(e.name().as_ref()) {
            "file-entry" => entry = xml::attr(e, "manifest:full-path"),
            "encryption-data" => {
                if let Some(path) = entry.clone() {
                    encrypted.insert(path);
                }
            }
            _ => {}
        },
        Ev::End(name) => {
            if local(name) == "file-entry" {
                entry = None;
            }
        }
        Ev::Text(_) => {}
    });
    encrypted
}

fn read_meta(bytes: &[u8], report: &mut DocumentReport) {
    const PART: &str = "meta.xml";
    // office:document-meta > office:meta > the fields.
    for leaf in xml::leaves(PART, bytes, 3, report) {
        let name = leaf.name.as_str();
        match local(name) {
            "user-defined" => {
                let Some(key) = leaf
                    .attrs
                    .iter()
                    .find(|(k, _)| local(k) == "name")
                    .map(|(_, v)| v.clone())
                else {
                    continue;
                };
                report
                    .metadata
                    .raw
                    .insert(format!("{PART} {name} {key}"), leaf.text.clone());
                report.metadata.custom.insert(key, leaf.text);
                continue;
            }
            // Attributes only: the template's name and where it was, the
            // statistics (pages, words…).
            "template" | "document-statistic" | "auto-reload" | "hyperlink-behaviour" => {
                for (k, v) in &leaf.attrs {
                    if !k.starts_with("xmlns") && !v.is_empty() {
                        report
                            .metadata
                            .raw
                            .insert(format!("{PART} {name} {k}"), v.clone());
                    }
                }
                if local(name) == "template" {
                    let title = leaf
                        .attrs
                        .iter()
                        .find(|(k, _)| k == "xlink:title")
                        .map(|(_, v)| v.clone());
                    let href = leaf
                        .attrs
                        .iter()
                        .find(|(k, _)| k == "xlink:href")
                        .map(|(_, v)| v.clone());
                    report.metadata.template = title.or(href).filter(|t| !t.is_empty());
                }
                continue;
            }
            _ => {}
        }
        let value = leaf.text.trim().to_owned();
        if value.is_empty() {
            continue;
        }
        report
            .metadata
            .raw
            .insert(format!("{PART} {name}"), value.clone());
        let m = &mut report.metadata;
        match local(name) {
            "initial-creator" => m.author = Some(value),
            "creator" => m.last_modified_by = Some(value),
            "title" => m.title = Some(value),
            "subject" => m.subject = Some(value),
            "language" => super::add_language(m, &value),
            "editing-cycles" => m.revision = Some(value),
            "generator" => {
                // `LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/…`:
                // the version is what an anachronism check compares.
                m.app_version = value
                    .split_once('/')
                    .map(|(_, rest)| rest.split(['$', ' ']).next().unwrap_or("").to_owned())
                    .filter(|v| !v.is_empty());
                m.application = Some(value);
            }
            "editing-duration" => match dates::parse_duration_minutes(&value) {
                Some(minutes) => m.total_edit_minutes = Some(minutes),
                None => report.problem(
                    "malformed",
                    format!("{PART} {name}: unreadable duration {value:?}"),
                ),
            },
            "creation-date" | "date" | "print-date" => {
                let parsed = dates::parse_w3cdtf(&value);
                if parsed.is_none() {
                    report.problem(
                        "malformed",
                        format!("{PART} {name}: unreadable date {value:?}"),
                    );
                }
                let m = &mut report.metadata;
                match local(name) {
                    "creation-date" => m.created = parsed,
                    "date" => m.modified = parsed,
                    _ => m.printed = parsed,
                }
            }
            _ => {}
        }
    }
}

/// Paragraphs and headings (`text:p`, `text:h`), one per line; `text:s`
/// stands for `text:c` spaces. Spreadsheet cells and presentation frames
/// hold their text in paragraphs too.
fn read_content(bytes: &[u8], text: &mut TextSink, report: &mut DocumentReport) {
    let mut in_paragraph = 0usize;
    let mut fonts = Vec::new();
    xml::walk("content.xml", bytes, report, |ev| match ev {
        Ev::Start(e) => match local(e.name().as_ref()) {
            "font-face" => font_face(e, &mut fonts),
            "p" | "h" => in_paragraph += 1,
            "s" if in_paragraph > 0 => {
                let count = xml::attr(e, "text:c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1);
                // Bounded: `text:c="999999999"` is a number, not a demand.
                text.push(&" ".repeat(count.min(64)));
            }
            "tab" if in_paragraph > 0 => text.push("\t"),
            "line-break" if in_paragraph > 0 => text.push("\n"),
            _ => {}
        },
        Ev::End(name) => {
            if matches!(local(name), "p" | "h") {
                in_paragraph = in_paragraph.saturating_sub(1);
                if in_paragraph == 0 {
                    text.push("\n");
                }
            }
        }
        Ev::Text(t) => {
            if in_paragraph > 0 {
                text.push(t);
            }
        }
    });
    for font in fonts {
        report.metadata.add_font(&font);
    }
}

/// A `style:font-face` declaration: its family (`svg:font-family`, in CSS
/// quotes when it has spaces), or its name when it gives no family. Its
/// name alone may be made unique by a digit (`DejaVu Sans1`), the family
/// never is.
fn font_face(e: &quick_xml::events::BytesStart<'_>, fonts: &mut Vec<String>) {
    let name = match xml::attr(e, "svg:font-family") {
        Some(family) => family,
        None => xml::attr(e, "style:name").unwrap_or_default(),
    };
    let name = name.trim();
    let unquoted = ['\'', '"']
        .iter()
        .find_map(|q| name.strip_prefix(*q).and_then(|n| n.strip_suffix(*q)))
        .unwrap_or(name);
    push_font(fonts, unquoted);
}

/// The font faces, and the languages of the default styles
/// (`style:default-style`): what the editing application was set to, as
/// OOXML's `w:docDefaults` says it.
fn read_styles_head(bytes: &[u8], report: &mut DocumentReport) {
    let mut langs: Vec<String> = Vec::new();
    let mut fonts = Vec::new();
    let mut in_default = 0usize;
    xml::walk_while("styles.xml", bytes, report, true, |ev| {
        match ev {
            Ev::Start(e) => {
                if local(e.name().as_ref()) == "font-face" {
                    font_face(e, &mut fonts);
                } else if local(e.name().as_ref()) == "default-style" {
                    in_default += 1;
                } else if in_default > 0 {
                    for (language, country) in [
                        ("fo:language", "fo:country"),
                        ("style:language-asian", "style:country-asian"),
                        ("style:language-complex", "style:country-complex"),
                    ] {
                        let Some(l) = xml::attr(e, language) else {
                            continue;
                        };
                        // `zxx` and `none`: "no language", not a locale.
                        if l.is_empty() || l == "zxx" || l == "none" {
                            continue;
                        }
                        let tag =
                            match xml::attr(e, country).filter(|c| !c.is_empty() && c != "none") {
                                Some(c) => format!("{l}-{c}"),
                                None => l,
                            };
                        if !langs.contains(&tag) {
                            langs.push(tag);
                        }
                    }
                }
            }
            Ev::End(name) => {
                if local(name) == "default-style" {
                    in_default = in_default.saturating_sub(1);
                }
                // The default styles come before the named ones.
                if local(name) == "styles" {
                    return false;
                }
            }
            Ev::Text(_) => {}
        }
        true
    });
    for font in fonts {
        report.metadata.add_font(&font);
    }
    if !langs.is_empty() {
        report.metadata.raw.insert(
            "styles.xml style:default-style language".into(),
            langs.join(", "),
        );
        for l in &langs {
            super::add_language(&mut report.metadata, l);
        }
    }
}
