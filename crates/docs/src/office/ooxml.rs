//! OOXML (docx, xlsx, pptx): the package's core, extended and custom
//! properties, Word's revision-save ids and language tags, Excel's
//! last-edited build and path, the fonts (Word's font table, Excel's
//! cell fonts, the themes' and slides' typefaces), and the text for search.
//!
//! Parts are found through the package relationships (`_rels/.rels`),
//! falling back to the conventional names; the main part's own parts
//! (settings, styles, shared strings, sheets, slides) by their
//! conventional names beside it, which every writer seen uses.

use super::package::Package;
use super::xml::{self, local, Ev};
use super::{dates, TextSink};
use crate::model::push_font;
use crate::{DocumentReport, Options};
use std::collections::HashSet;

/// Relationship type suffixes: transitional OOXML, then ISO 29500 Strict
/// (`…/extendedProperties`), which names two of them differently.
const REL_CORE: &str = "/metadata/core-properties";
const REL_APP: [&str; 2] = ["/extended-properties", "/extendedProperties"];
const REL_CUSTOM: [&str; 2] = ["/custom-properties", "/customProperties"];
const REL_MAIN: &str = "/officeDocument";

/// Distinct rsids kept: a real document has hundreds; the bound only
/// stops a hostile one from growing the set past a few MiB.
const MAX_RSIDS: usize = 1_000_000;

/// How much of `word/styles.xml` is read for `w:docDefaults`: it comes
/// after the namespace declarations and the latent-style-free head, a
/// few KiB in every file seen.
const STYLES_HEAD: u64 = 64 << 10;

/// How much of `xl/styles.xml` is read for its `fonts`, which come second
/// after the number formats; the cell formats after them can weigh
/// megabytes.
const XL_STYLES_HEAD: u64 = 1 << 20;

/// Theme parts read for their fonts: a presentation has one per slide
/// master, notes and handout master, a document or workbook one.
const MAX_THEMES: usize = 16;

struct Parts {
    core: String,
    app: String,
    custom: String,
    main: Option<String>,
}

fn wanted(name: &str) -> bool {
    name == "_rels/.rels"
        || name.starts_with("docProps/")
        || matches!(
            name,
            "word/document.xml"
                | "word/settings.xml"
                | "word/styles.xml"
                | "word/fontTable.xml"
                | "xl/workbook.xml"
                | "xl/sharedStrings.xml"
                | "xl/styles.xml"
        )
        || (name.ends_with(".xml")
            && (name.starts_with("xl/worksheets/sheet")
                || name.starts_with("ppt/slides/slide")
                || is_theme(name)))
}

/// `word/theme/theme1.xml`, `ppt/theme/theme2.xml`…
fn is_theme(name: &str) -> bool {
    name.rsplit_once('/').is_some_and(|(dir, file)| {
        (dir == "theme" || dir.ends_with("/theme"))
            && file.starts_with("theme")
            && file.ends_with(".xml")
    })
}

pub fn read(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let Some(mut package) = Package::open(bytes, options, report, &wanted) else {
        return;
    };
    let parts = locate(&mut package, report);
    if let Some(core) = package.read(&parts.core, report) {
        read_core(&parts.core, &core, report);
    }
    if let Some(app) = package.read(&parts.app, report) {
        read_app(&parts.app, &app, report);
    }
    if let Some(custom) = package.read(&parts.custom, report) {
        read_custom(&parts.custom, &custom, report);
    }
    let names = package.names(options.max_entries);
    let main = parts.main.unwrap_or_else(|| {
        // No relationship to the main part: guess it from what is there.
        [
            "word/document.xml",
            "xl/workbook.xml",
            "ppt/presentation.xml",
        ]
        .into_iter()
        .find(|n| names.iter().any(|m| m == n))
        .unwrap_or("word/document.xml")
        .to_owned()
    });
    let dir = main
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| format!("{d}/"));
    // Small parts first: the sheets and slides after may spend the
    // document's decompression budget.
    read_themes(&mut package, &names, report);
    let mut text = TextSink::new(options);
    match main.rsplit('/').next().unwrap_or("") {
        "workbook.xml" => read_excel(&mut package, &dir, &main, &names, &mut text, report),
        "presentation.xml" => read_slides(&mut package, &dir, &names, &mut text, report),
        _ => read_word(&mut package, &dir, &main, &mut text, report),
    }
    text.finish(report, options);
}

/// The property parts and the main part, from the package relationships.
fn locate(package: &mut Package<'_>, report: &mut DocumentReport) -> Parts {
    let mut parts = Parts {
        core: "docProps/core.xml".into(),
        app: "docProps/app.xml".into(),
        custom: "docProps/custom.xml".into(),
        main: None,
    };
    let Some(rels) = package.read("_rels/.rels", report) else {
        return parts;
    };
    xml::walk("_rels/.rels", &rels, report, |ev| {
        let Ev::Start(e) = ev else { return };
        if local(e.name().as_ref()) != "Relationship"
            || xml::attr(e, "TargetMode").as_deref() == Some("External")
        {
            return;
        }
        let (Some(kind), Some(target)) = (xml::attr(e, "Type"), xml::attr(e, "Target")) else {
            return;
        };
        let target = target.trim_start_matches('/').to_owned();
        if kind.ends_with(REL_CORE) {
            parts.core = target;
        } else if REL_APP.iter().any(|r| kind.ends_with(r)) {
            parts.app = target;
        } else if REL_CUSTOM.iter().any(|r| kind.ends_with(r)) {
            parts.custom = target;
        } else if kind.ends_with(REL_MAIN) {
            parts.main = Some(target);
        }
    });
    parts
}

fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn date(part: &str, name: &str, text: &str, report: &mut DocumentReport) -> Option<i64> {
    let parsed = dates::parse_w3cdtf(text);
    if parsed.is_none() {
        report.problem(
            "malformed",
            format!("{part} {name}: unreadable date {text:?}"),
        );
    }
    parsed
}

fn read_core(part: &str, bytes: &[u8], report: &mut DocumentReport) {
    for leaf in xml::leaves(part, bytes, 2, report) {
        let Some(value) = non_empty(&leaf.text) else {
            continue;
        };
        report
            .metadata
            .raw
            .insert(format!("{part} {}", leaf.name), value.clone());
        let m = &mut report.metadata;
        match local(&leaf.name) {
            "creator" => m.author = Some(value),
            "lastModifiedBy" => m.last_modified_by = Some(value),
            "revision" => m.revision = Some(value),
            "title" => m.title = Some(value),
            "subject" => m.subject = Some(value),
            "language" => super::add_language(m, &value),
            "created" => report.metadata.created = date(part, &leaf.name, &value, report),
            "modified" => report.metadata.modified = date(part, &leaf.name, &value, report),
            "lastPrinted" => report.metadata.printed = date(part, &leaf.name, &value, report),
            _ => {}
        }
    }
}

fn read_app(part: &str, bytes: &[u8], report: &mut DocumentReport) {
    for leaf in xml::leaves(part, bytes, 2, report) {
        let Some(value) = non_empty(&leaf.text) else {
            continue;
        };
        report
            .metadata
            .raw
            .insert(format!("{part} {}", leaf.name), value.clone());
        let m = &mut report.metadata;
        match local(&leaf.name) {
            "Application" => m.application = Some(value),
            "AppVersion" => m.app_version = Some(value),
            "Company" => m.company = Some(value),
            "Template" => m.template = Some(value),
            "TotalTime" => match value.parse::<u64>() {
                Ok(minutes) => m.total_edit_minutes = Some(minutes),
                Err(_) => report.problem(
                    "malformed",
                    format!("{part} TotalTime: not a number {value:?}"),
                ),
            },
            _ => {}
        }
    }
}

/// `<property name="…"><vt:lpwstr>value</vt:lpwstr></property>`: the
/// value is the text of the typed child, whatever its type.
fn read_custom(part: &str, bytes: &[u8], report: &mut DocumentReport) {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut level = 0usize;
    let mut current: Option<(String, String)> = None;
    xml::walk(part, bytes, report, |ev| match ev {
        Ev::Start(e) => {
            level += 1;
            if level == 2 && local(e.name().as_ref()) == "property" {
                current = xml::attr(e, "name").map(|n| (n, String::new()));
            }
        }
        Ev::End(_) => {
            if level == 2 {
                if let Some(done) = current.take() {
                    found.push(done);
                }
            }
            level = level.saturating_sub(1);
        }
        Ev::Text(t) => {
            if level > 2 {
                if let Some((_, value)) = current.as_mut() {
                    value.push_str(t);
                }
            }
        }
    });
    for (name, value) in found {
        report
            .metadata
            .raw
            .insert(format!("{part} {name}"), value.clone());
        report.metadata.custom.insert(name, value);
    }
}

/// The value of the attribute whose local name is `name` (`w:val`, or the
/// same under another prefix).
fn attr_local(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| local(a.key.as_ref()) == name)
        .map(|a| xml::attr_value(&a))
}

/// `w:lang`'s three scripts' languages.
fn langs_of(e: &quick_xml::events::BytesStart<'_>, into: &mut Vec<String>) {
    for key in ["val", "eastAsia", "bidi"] {
        if let Some(v) = attr_local(e, key) {
            if !v.is_empty() && !into.contains(&v) {
                into.push(v);
            }
        }
    }
}

fn rsid_value(v: &str) -> Option<u32> {
    u32::from_str_radix(v, 16).ok()
}

fn record_langs(part: &str, langs: &[String], report: &mut DocumentReport) {
    if langs.is_empty() {
        return;
    }
    report
        .metadata
        .raw
        .insert(format!("{part} w:lang"), langs.join(", "));
    for l in langs {
        super::add_language(&mut report.metadata, l);
    }
}

fn read_word(
    package: &mut Package<'_>,
    dir: &str,
    main: &str,
    text: &mut TextSink,
    report: &mut DocumentReport,
) {
    let mut rsids: HashSet<u32> = HashSet::new();
    let settings = format!("{dir}settings.xml");
    if let Some(bytes) = package.read(&settings, report) {
        let mut root = None;
        let mut listed = 0u64;
        xml::walk(&settings, &bytes, report, |ev| {
            let Ev::Start(e) = ev else { return };
            match local(e.name().as_ref()) {
                "rsidRoot" => root = attr_local(e, "val"),
                "rsid" => {
                    if let Some(v) = attr_local(e, "val").as_deref().and_then(rsid_value) {
                        listed += 1;
                        if rsids.len() < MAX_RSIDS {
                            rsids.insert(v);
                        }
                    }
                }
                _ => {}
            }
        });
        if let Some(root) = root {
            report
                .metadata
                .raw
                .insert(format!("{settings} w:rsidRoot"), root.clone());
            report.metadata.rsid_root = Some(root);
        }
        if listed > 0 {
            report
                .metadata
                .raw
                .insert(format!("{settings} w:rsid"), listed.to_string());
        }
    }
    // The document's default languages (`w:docDefaults`, first in the
    // styles part): what the editor's Word was set to. The style-specific
    // tags after them are the template's, and the part is the largest of
    // a docx: only its head is read.
    let styles = format!("{dir}styles.xml");
    if let Some(bytes) = package.read_prefix(&styles, STYLES_HEAD, report) {
        let mut langs = Vec::new();
        xml::walk_while(&styles, &bytes, report, true, |ev| match ev {
            Ev::Start(e) => {
                if local(e.name().as_ref()) == "lang" {
                    langs_of(e, &mut langs);
                }
                true
            }
            Ev::End(name) => local(name) != "docDefaults",
            Ev::Text(_) => true,
        });
        record_langs(&styles, &langs, report);
    }
    // The font table: every font the document names, with Word's notes
    // on each (`<w:font w:name="Calibri">`).
    let font_table = format!("{dir}fontTable.xml");
    if let Some(bytes) = package.read(&font_table, report) {
        let mut fonts = Vec::new();
        let mut level = 0usize;
        xml::walk(&font_table, &bytes, report, |ev| match ev {
            Ev::Start(e) => {
                level += 1;
                if level == 2 && local(e.name().as_ref()) == "font" {
                    if let Some(name) = attr_local(e, "name") {
                        push_font(&mut fonts, &name);
                    }
                }
            }
            Ev::End(_) => level = level.saturating_sub(1),
            Ev::Text(_) => {}
        });
        for font in fonts {
            report.metadata.add_font(&font);
        }
    }
    if let Some(bytes) = package.read(main, report) {
        let mut in_document: HashSet<u32> = HashSet::new();
        let mut langs = Vec::new();
        let (mut in_t, mut in_run) = (0usize, 0usize);
        xml::walk(main, &bytes, report, |ev| match ev {
            Ev::Start(e) => {
                for a in e.attributes().with_checks(false).flatten() {
                    let key = a.key.as_ref();
                    // w:rsidR, w:rsidRPr, w:rsidRDefault, w:rsidP, w:rsidDel,
                    // w:rsidSect, w:rsidTr: every session that touched the XML.
                    if local(key).starts_with("rsid") {
                        if let Some(v) = rsid_value(&a.value) {
                            if in_document.len() < MAX_RSIDS {
                                in_document.insert(v);
                            }
                        }
                    }
                }
                match local(e.name().as_ref()) {
                    "t" => in_t += 1,
                    "r" => in_run += 1,
                    // A tab or break inside a run is text; `w:tab` in a
                    // paragraph's tab stops is not.
                    "tab" if in_run > 0 => text.push("\t"),
                    "br" | "cr" if in_run > 0 => text.push("\n"),
                    "lang" => langs_of(e, &mut langs),
                    _ => {}
                }
            }
            Ev::End(name) => match local(name) {
                "t" => in_t = in_t.saturating_sub(1),
                "r" => in_run = in_run.saturating_sub(1),
                "p" => text.push("\n"),
                _ => {}
            },
            Ev::Text(t) => {
                if in_t > 0 {
                    text.push(t);
                }
            }
        });
        if !in_document.is_empty() {
            report
                .metadata
                .raw
                .insert(format!("{main} w:rsid*"), in_document.len().to_string());
        }
        record_langs(main, &langs, report);
        rsids.extend(in_document);
    }
    if !rsids.is_empty() {
        report.metadata.rsid_count = Some(rsids.len() as u64);
    }
}

/// Parts named `{prefix}N.xml`, in the order of N (sheet2 before sheet10).
fn numbered(names: &[String], prefix: &str) -> Vec<String> {
    let mut found: Vec<(u64, String)> = names
        .iter()
        .filter_map(|n| {
            let number = n.strip_prefix(prefix)?.strip_suffix(".xml")?;
            Some((number.parse().ok()?, n.clone()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

/// Text of `t` elements inside elements named `container` (`si` in the
/// shared strings, `is` for inline strings), one container per line;
/// phonetic guides (`rPh`) are readings, not text.
fn strings(
    part: &str,
    bytes: &[u8],
    container: &str,
    text: &mut TextSink,
    report: &mut DocumentReport,
) {
    let (mut inside, mut in_t, mut in_phonetic) = (0usize, 0usize, 0usize);
    xml::walk(part, bytes, report, |ev| match ev {
        Ev::Start(e) => match local(e.name().as_ref()) {
            n if n == container => inside += 1,
            "t" => in_t += 1,
            "rPh" => in_phonetic += 1,
            _ => {}
        },
        Ev::End(name) => match local(name) {
            n if n == container => {
                inside = inside.saturating_sub(1);
                text.push("\n");
            }
            "t" => in_t = in_t.saturating_sub(1),
            "rPh" => in_phonetic = in_phonetic.saturating_sub(1),
            _ => {}
        },
        Ev::Text(t) => {
            if inside > 0 && in_t > 0 && in_phonetic == 0 {
                text.push(t);
            }
        }
    });
}

fn read_excel(
    package: &mut Package<'_>,
    dir: &str,
    main: &str,
    names: &[String],
    text: &mut TextSink,
    report: &mut DocumentReport,
) {
    if let Some(bytes) = package.read(main, report) {
        // `fileVersion` names the Excel build that last saved the file;
        // `x15ac:absPath` the folder it was saved in (a user name, often).
        let mut found: Vec<(String, String)> = Vec::new();
        xml::walk(main, &bytes, report, |ev| {
            let Ev::Start(e) = ev else { return };
            match local(e.name().as_ref()) {
                "fileVersion" => {
                    for a in e.attributes().with_checks(false).flatten() {
                        found.push((
                            format!("{main} fileVersion {}", a.key.as_ref()),
                            xml::attr_value(&a),
                        ));
                    }
                }
                "absPath" => {
                    if let Some(url) = xml::attr(e, "url") {
                        found.push((format!("{main} {}", e.name().as_ref()), url));
                    }
                }
                _ => {}
            }
        });
        report.metadata.raw.extend(found);
    }
    // The cell fonts (`<fonts><font><name val="Calibri"/>`), before the
    // differential formats, whose fonts are not the workbook's own.
    let styles = format!("{dir}styles.xml");
    if let Some(bytes) = package.read_prefix(&styles, XL_STYLES_HEAD, report) {
        let mut fonts = Vec::new();
        let (mut in_fonts, mut in_font) = (false, 0usize);
        xml::walk_while(&styles, &bytes, report, true, |ev| match ev {
            Ev::Start(e) => {
                match local(e.name().as_ref()) {
                    "fonts" => in_fonts = true,
                    "font" if in_fonts => in_font += 1,
                    "name" if in_font > 0 => {
                        if let Some(name) = attr_local(e, "val") {
                            push_font(&mut fonts, &name);
                        }
                    }
                    _ => {}
                }
                true
            }
            Ev::End(name) => match local(name) {
                "font" => {
                    in_font = in_font.saturating_sub(1);
                    true
                }
                "fonts" => false,
                _ => true,
            },
            Ev::Text(_) => true,
        });
        for font in fonts {
            report.metadata.add_font(&font);
        }
    }
    let shared = format!("{dir}sharedStrings.xml");
    if let Some(bytes) = package.read(&shared, report) {
        strings(&shared, &bytes, "si", text, report);
    }
    for sheet in numbered(names, &format!("{dir}worksheets/sheet")) {
        if text.full() {
            break;
        }
        if let Some(bytes) = package.read(&sheet, report) {
            strings(&sheet, &bytes, "is", text, report);
        }
    }
}

fn read_slides(
    package: &mut Package<'_>,
    dir: &str,
    names: &[String],
    text: &mut TextSink,
    report: &mut DocumentReport,
) {
    for slide in numbered(names, &format!("{dir}slides/slide")) {
        if text.full() {
            break;
        }
        let Some(bytes) = package.read(&slide, report) else {
            continue;
        };
        let mut in_t = 0usize;
        let mut fonts = Vec::new();
        xml::walk(&slide, &bytes, report, |ev| match ev {
            Ev::Start(e) => match local(e.name().as_ref()) {
                "t" => in_t += 1,
                "br" => text.push("\n"),
                // A typeface chosen for a run, over the theme's.
                "latin" | "ea" | "cs" | "sym" => typeface(e, &mut fonts),
                _ => {}
            },
            Ev::End(name) => match local(name) {
                "t" => in_t = in_t.saturating_sub(1),
                "p" => text.push("\n"),
                _ => {}
            },
            Ev::Text(t) => {
                if in_t > 0 {
                    text.push(t);
                }
            }
        });
        for font in fonts {
            report.metadata.add_font(&font);
        }
    }
}

/// A DrawingML `typeface`, unless empty or a reference to the theme's
/// (`+mj-lt`, `+mn-ea`: the major or minor font of a script).
fn typeface(e: &quick_xml::events::BytesStart<'_>, fonts: &mut Vec<String>) {
    if let Some(t) = xml::attr(e, "typeface").filter(|t| !t.trim_start().starts_with('+')) {
        push_font(fonts, &t);
    }
}

/// The themes' major and minor fonts (`a:fontScheme`): the headings' and
/// body's typefaces of every script the theme sets. The per-script
/// fallbacks (`a:font script="Jpan"`) are the theme's list for scripts
/// the document may never use, and are not read.
fn read_themes(package: &mut Package<'_>, names: &[String], report: &mut DocumentReport) {
    for theme in names.iter().filter(|n| is_theme(n)).take(MAX_THEMES) {
        let Some(bytes) = package.read(theme, report) else {
            continue;
        };
        let mut fonts = Vec::new();
        let mut in_scheme_font = 0usize;
        xml::walk(theme, &bytes, report, |ev| match ev {
            Ev::Start(e) => match local(e.name().as_ref()) {
                "majorFont" | "minorFont" => in_scheme_font += 1,
                "latin" | "ea" | "cs" if in_scheme_font > 0 => typeface(e, &mut fonts),
                _ => {}
            },
            Ev::End(name) => {
                if matches!(local(name), "majorFont" | "minorFont") {
                    in_scheme_font = in_scheme_font.saturating_sub(1);
                }
            }
            Ev::Text(_) => {}
        });
        for font in fonts {
            report.metadata.add_font(&font);
        }
    }
}
