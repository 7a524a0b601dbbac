//! Fonts (`Metadata::fonts`) as each reader finds them in the fixtures of
//! fixtures/docs (python-docx, openpyxl, python-pptx, LibreOffice, pikepdf),
//! the `anachronism` they date a document with, and hand-built PDFs for
//! what a writer may do with font resources (inheritance, composite
//! fonts, form XObjects, loops, nesting, too many).

mod common;

use common::pdf;
use tamis_docs::{inspect, DocumentReport, Finding, Options};

fn fixture(path: &str) -> DocumentReport {
    let full = format!("{}/../../fixtures/docs/{path}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    let report = inspect(&bytes, Some(path), &Options::default());
    assert!(
        !report.problems.iter().any(|p| p.code == "reader-panicked"),
        "{path}: {:?}",
        report.problems
    );
    report
}

fn anachronisms(report: &DocumentReport) -> Vec<&Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.code == "anachronism")
        .collect()
}

/// What python-docx's default template declares: its font table (Word's
/// for Mac, with the Japanese defaults) and its theme (Calibri, Cambria).
const PYTHON_DOCX_FONTS: [&str; 8] = [
    "Arial",
    "Calibri",
    "Cambria",
    "Courier",
    "Symbol",
    "Times New Roman",
    "ＭＳ ゴシック",
    "ＭＳ 明朝",
];

#[test]
fn docx_font_table_and_theme() {
    for name in [
        "docx-clean.docx",
        "docx-custom-rsid.docx",
        "docx-lineage-copy.docx",
        "docx-calibri-2004.docx",
    ] {
        let r = fixture(&format!("office/{name}"));
        assert_eq!(r.metadata.fonts, PYTHON_DOCX_FONTS, "{name}");
    }
    // The encrypted package's parts cannot be read; the truncated one is
    // cut before its font table and theme.
    assert!(fixture("office/docx-encrypted.docx")
        .metadata
        .fonts
        .is_empty());
    assert!(fixture("office/docx-truncated.docx")
        .metadata
        .fonts
        .is_empty());
}

#[test]
fn workbook_cell_fonts_and_theme() {
    // openpyxl's cell font (Calibri) and theme (major Cambria, minor Calibri).
    for name in [
        "control-inventaire.xlsx",
        "control-planning.xlsx",
        "control-contacts.xlsx",
        "budget-2007.xlsx",
        "meetings-2017.xlsx",
    ] {
        let r = fixture(&format!("office/xlsx-burst/{name}"));
        assert_eq!(r.metadata.fonts, ["Calibri", "Cambria"], "{name}");
    }
}

#[test]
fn presentation_theme() {
    // python-pptx's default theme names Calibri for headings and body; the
    // slide master's runs refer to it (`+mn-lt`) or name Arial, but the
    // master is not read, and the slides choose no typeface of their own.
    let r = fixture("office/pptx-plan.pptx");
    assert_eq!(r.metadata.fonts, ["Calibri"]);
}

#[test]
fn odf_font_faces() {
    // LibreOffice's conversion keeps the docx's fonts and adds its own
    // (DejaVu Sans, declared twice: "DejaVu Sans" and "DejaVu Sans1" are
    // one family); the face with an empty family is not a font.
    let text = fixture("office/odf-text.odt");
    assert_eq!(
        text.metadata.fonts,
        [
            "Calibri",
            "Cambria",
            "Courier",
            "DejaVu Sans",
            "Symbol",
            "ＭＳ ゴシック",
            "ＭＳ 明朝"
        ]
    );
    let sheet = fixture("office/odf-sheet.ods");
    assert_eq!(sheet.metadata.fonts, ["Calibri", "DejaVu Sans"]);
}

#[test]
fn pdf_font_dictionaries() {
    for name in [
        "clean.pdf",
        "three-revisions.pdf",
        "layers.pdf",
        "linearized.pdf",
        "encrypted-owner-only.pdf",
    ] {
        let r = fixture(&format!("pdf/{name}"));
        assert_eq!(r.metadata.fonts, ["Helvetica"], "{name}");
    }
    // Encrypted with a user password: no object can be read.
    assert!(fixture("pdf/encrypted-user-password.pdf")
        .metadata
        .fonts
        .is_empty());
    // The page's TrueType font, subset tag removed (its /BaseFont and its
    // descriptor's /FontName agree), and the stamp's font, from the form
    // XObject's own resources.
    let r = fixture("pdf/calibri-2003.pdf");
    assert_eq!(r.metadata.fonts, ["Calibri", "Helvetica-Bold"]);
}

#[test]
fn a_docx_claiming_2004_uses_calibri() {
    let r = fixture("office/docx-calibri-2004.docx");
    assert_eq!(r.metadata.app_version.as_deref(), Some("11.0000"));
    // Word 2003's AppVersion is no anachronism in 2004: the fonts are, and
    // the format itself, which no software saved before 2005.
    let found = anachronisms(&r);
    assert_eq!(found.len(), 2, "{:?}", r.findings);
    let f = found[0];
    assert_eq!(f.evidence["fonts"], "Calibri, Cambria");
    assert_eq!(f.evidence["released"], "2006-11-30");
    assert_eq!(
        f.evidence["latest date claimed (modified)"],
        "2004-03-09 17:40:00 UTC"
    );
    assert!(
        f.detail.starts_with(
            "the document's fonts include Calibri, Cambria, of the ClearType Font Collection"
        ),
        "{}",
        f.detail
    );
    assert!(f.detail.contains("uses a font"), "{}", f.detail);
    let format = found[1];
    assert_eq!(format.evidence["format"], "Office Open XML");
    assert!(
        format
            .detail
            .starts_with("the file is a package of the Office Open XML format"),
        "{}",
        format.detail
    );
    assert_eq!(
        r.findings.len(),
        2,
        "nothing else is wrong with it: {:?}",
        r.findings
    );
}

#[test]
fn a_pdf_claiming_2003_uses_calibri() {
    let r = fixture("pdf/calibri-2003.pdf");
    // 2003-05-14 16:15 +02:00.
    assert_eq!(r.metadata.modified, Some(1_052_921_700));
    let found = anachronisms(&r);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    let f = found[0];
    assert_eq!(f.evidence["fonts"], "Calibri");
    assert_eq!(
        f.evidence["latest date claimed (modified)"],
        "2003-05-14 14:15:00 UTC"
    );
    assert!(
        f.detail.contains("ClearType Font Collection"),
        "{}",
        f.detail
    );
    // Acrobat Distiller 5 (2001) is of its time, and nothing else shows.
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
}

#[test]
fn recent_controls_using_calibri_are_not_anachronisms() {
    for path in [
        "office/docx-clean.docx",
        "office/docx-custom-rsid.docx",
        "office/docx-lineage-copy.docx",
        "office/pptx-plan.pptx",
        "office/xlsx-burst/control-inventaire.xlsx",
        "office/xlsx-burst/control-planning.xlsx",
        "office/xlsx-burst/control-contacts.xlsx",
        "office/xlsx-burst/budget-2007.xlsx",
        "pdf/clean.pdf",
    ] {
        let r = fixture(path);
        assert!(anachronisms(&r).is_empty(), "{path}: {:?}", r.findings);
    }
    // Within the fonts' two years of previews (Office 12 and Vista betas,
    // 2005), only Word 2016's AppVersion dates this one.
    let r = fixture("office/docx-anachronism.docx");
    let found = anachronisms(&r);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert!(!found[0].evidence.contains_key("fonts"), "{found:?}");
    // LibreOffice 7.4 in files dated 2012 and 2017 is an anachronism; their
    // Calibri is not.
    for path in ["office/odf-text.odt", "office/odf-sheet.ods"] {
        let r = fixture(path);
        assert!(
            anachronisms(&r)
                .iter()
                .all(|f| !f.evidence.contains_key("fonts")),
            "{path}: {:?}",
            r.findings
        );
    }
}

// ---------------------------------------------------------------------------
// Hand-built PDFs.

fn form(dict: &str) -> Vec<u8> {
    let content = b"0 0 m 1 1 l S";
    [
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] {dict} /Length {} >>\nstream\n",
            content.len()
        )
        .as_bytes(),
        content,
        b"\nendstream",
    ]
    .concat()
}

fn obj(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

#[test]
fn fonts_inherited_composite_and_in_forms_not_in_images() {
    let bytes = pdf(
        &[
            obj("<< /Type /Catalog /Pages 2 0 R >>"),
            // The first page inherits the page tree's resources.
            obj("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 5 0 R >> >> >>"),
            obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
            obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 6 0 R >>"),
            obj("<< /Type /Font /Subtype /TrueType /BaseFont /QWERTY+Cambria-Bold /FontDescriptor 7 0 R >>"),
            obj("<< /Font << /F1 5 0 R /F2 8 0 R >> /XObject << /Fm1 10 0 R /Im1 12 0 R >> >>"),
            obj("<< /Type /FontDescriptor /FontName /QWERTY+Cambria-Bold >>"),
            obj("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Aptos /Encoding /Identity-H /DescendantFonts [9 0 R] >>"),
            obj("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Aptos /FontDescriptor << /Type /FontDescriptor /FontName /ABCDEF+Aptos-Regular >> >>"),
            // A form drawing itself: a loop, followed once.
            form("/Resources << /Font << /F3 11 0 R >> /XObject << /Self 10 0 R >> >>"),
            obj("<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>"),
            // An image has no resources; a font named in them is not drawn.
            [
                &b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Resources << /Font << /F4 13 0 R >> >> /Length 1 >>\nstream\n"[..],
                b"\x00\nendstream",
            ]
            .concat(),
            obj("<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"),
            obj("<< /ModDate (D:20050101000000Z) >>"),
        ],
        Some(14),
    );
    let r = inspect(&bytes, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(
        r.metadata.fonts,
        ["Aptos", "Aptos-Regular", "Cambria-Bold", "Times-Roman"]
    );
    // Aptos (2023) in a file of 2005 is an anachronism; Cambria in 2005
    // is within the previews of Office 2007.
    let found = anachronisms(&r);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!(found[0].evidence["fonts"], "Aptos, Aptos-Regular");
    assert!(
        found[0].detail.contains("the Aptos font"),
        "{}",
        found[0].detail
    );
}

#[test]
fn nested_forms_are_followed_to_a_depth() {
    // Page → form 1 → form 2 → … → form 12, each with a font of its own.
    let levels = 12;
    let mut objects = vec![
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 5 0 R >> >> >>"),
        obj("<< /Title (nested) >>"),
    ];
    for level in 1..=levels {
        let form_id = objects.len() + 1;
        let next = if level < levels {
            format!("/XObject << /X {} 0 R >>", form_id + 2)
        } else {
            String::new()
        };
        objects.push(form(&format!(
            "/Resources << /Font << /F {} 0 R >> {next} >>",
            form_id + 1
        )));
        objects.push(obj(&format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Level{level:02} >>"
        )));
    }
    let r = inspect(&pdf(&objects, Some(4)), None, &Options::default());
    let expected: Vec<String> = (1..=8).map(|l| format!("Level{l:02}")).collect();
    assert_eq!(r.metadata.fonts, expected);
}

#[test]
fn font_names_and_objects_visited_are_bounded() {
    // One resource dictionary naming 300 fonts, each its own dictionary.
    let fonts: String = (0..300)
        .map(|i| format!("/F{i} << /Type /Font /Subtype /Type1 /BaseFont /Font{i:03} >> "))
        .collect();
    let bytes = pdf(
        &[
            obj("<< /Type /Catalog /Pages 2 0 R >>"),
            obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            obj(&format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << {fonts}>> >> >>"
            )),
            obj("<< /Title (many fonts) >>"),
        ],
        Some(4),
    );
    let r = inspect(&bytes, None, &Options::default());
    assert_eq!(r.metadata.fonts.len(), 200);
    assert_eq!(r.metadata.fonts[0], "Font000");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    // Fewer objects allowed than there are fonts: the walk stops and says so.
    let small = Options {
        max_entries: 50,
        ..Options::default()
    };
    let r = inspect(&bytes, None, &small);
    assert!(
        !r.metadata.fonts.is_empty() && r.metadata.fonts.len() < 50,
        "{}",
        r.metadata.fonts.len()
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "too-large" && p.detail.starts_with("fonts:")),
        "{:?}",
        r.problems
    );
}

#[test]
fn broken_font_resources_are_skipped() {
    // A /Font that is an array, a font that is a number, a descendant
    // list that is a dictionary, a reference to nothing, a name that is
    // a string: read what can be, never fail.
    let bytes = pdf(
        &[
            obj("<< /Type /Catalog /Pages 2 0 R >>"),
            obj("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"),
            obj("<< /Type /Page /Parent 2 0 R /Resources << /Font [5 0 R] /XObject 99 0 R >> >>"),
            obj("<< /Type /Page /Parent 2 0 R /Resources << /Font << /A 7 /B 99 0 R /C 5 0 R /D << /BaseFont (Gill Sans) /DescendantFonts << /X 1 >> /FontDescriptor 42 >> >> >> >>"),
            obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
            obj("<< /Title (broken) >>"),
        ],
        Some(6),
    );
    let r = inspect(&bytes, None, &Options::default());
    assert!(
        !r.problems.iter().any(|p| p.code == "reader-panicked"),
        "{:?}",
        r.problems
    );
    assert_eq!(r.metadata.fonts, ["Gill Sans", "Helvetica"]);
}

// ---------------------------------------------------------------------------
// Hand-built packages.

fn package(parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(data.as_bytes()).expect("zip write");
    }
    writer.finish().expect("zip").into_inner()
}

const THEME: &str = r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="T"><a:themeElements><a:fontScheme name="F"><a:majorFont><a:latin typeface="Aptos Display"/><a:ea typeface=""/><a:cs typeface=""/><a:font script="Jpan" typeface="游ゴシック Light"/></a:majorFont><a:minorFont><a:latin typeface="Aptos"/><a:ea typeface="+mn-ea"/><a:cs typeface="Arial"/></a:minorFont></a:fontScheme></a:themeElements><a:objectDefaults><a:spDef><a:spPr/><a:bodyPr/><a:lstStyle/><a:style><a:fontRef idx="minor"><a:latin typeface="Wingdings"/></a:fontRef></a:style></a:spDef></a:objectDefaults></a:theme>"#;

#[test]
fn theme_fonts_are_the_major_and_minor_ones() {
    // A workbook: cell fonts, not the differential formats' (`dxfs`),
    // and the theme's major and minor typefaces, not the per-script
    // fallbacks, not the references (`+mn-ea`), not the empty ones, not
    // a typeface elsewhere in the theme.
    let bytes = package(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("xl/workbook.xml", "<workbook/>".into()),
        (
            "xl/styles.xml",
            r#"<styleSheet><fonts count="2"><font><sz val="11"/><name val="Aptos Narrow"/></font><font><b/><name val="Calibri"/></font></fonts><dxfs><dxf><font><name val="Comic Sans MS"/></font></dxf></dxfs></styleSheet>"#.into(),
        ),
        ("xl/theme/theme1.xml", THEME.into()),
        (
            "docProps/core.xml",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:modified>2019-05-01T10:00:00Z</dcterms:modified></cp:coreProperties>"#.into(),
        ),
    ]);
    let r = inspect(&bytes, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(
        r.metadata.fonts,
        ["Aptos", "Aptos Display", "Aptos Narrow", "Arial", "Calibri"]
    );
    // Aptos, announced in 2023, in a workbook last saved in 2019.
    let found = anachronisms(&r);
    assert_eq!(found.len(), 1, "{:?}", r.findings);
    assert_eq!(
        found[0].evidence["fonts"],
        "Aptos, Aptos Display, Aptos Narrow"
    );
    assert_eq!(
        found[0].evidence["latest date claimed (modified)"],
        "2019-05-01 10:00:00 UTC"
    );
}

#[test]
fn slides_typefaces_and_a_hostile_font_table() {
    let presentation = package(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("ppt/presentation.xml", "<p:presentation xmlns:p=\"p\"/>".into()),
        (
            "ppt/slides/slide1.xml",
            r#"<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:r><a:rPr><a:latin typeface="Consolas"/><a:ea typeface="+mn-ea"/></a:rPr><a:t>code</a:t></a:r></a:p></p:sld>"#.into(),
        ),
    ]);
    let r = inspect(&presentation, None, &Options::default());
    assert_eq!(r.metadata.fonts, ["Consolas"]);
    assert_eq!(r.text.as_deref().map(str::trim), Some("code"));

    // 5,000 fonts, one name of 100,000 characters, entity references in
    // a name: 200 names kept, each at most 127 characters.
    let mut table = String::from(r#"<w:fonts xmlns:w="w">"#);
    table.push_str(&format!(r#"<w:font w:name="{}"/>"#, "W".repeat(100_000)));
    table.push_str(r#"<w:font w:name="Fish &amp; Chips"/>"#);
    for i in 0..5_000 {
        table.push_str(&format!(
            r#"<w:font w:name="Font {i:04}"><w:charset w:val="00"/></w:font>"#
        ));
    }
    table.push_str("</w:fonts>");
    let document = package(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("word/document.xml", r#"<w:document xmlns:w="w"/>"#.into()),
        ("word/fontTable.xml", table),
    ]);
    let r = inspect(&document, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(r.metadata.fonts.len(), 200);
    assert_eq!(r.metadata.fonts[0], "Fish & Chips");
    assert_eq!(r.metadata.fonts[1], "Font 0000");
    assert_eq!(r.metadata.fonts[199], "W".repeat(127));
}

#[test]
fn odf_font_face_families() {
    let bytes = package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        (
            "content.xml",
            r#"<office:document-content xmlns:office="o" xmlns:style="s" xmlns:svg="v"><office:font-face-decls><style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'"/><style:font-face style:name="Liberation Serif1" svg:font-family="&apos;Liberation Serif&apos;"/><style:font-face style:name="Noto Sans"/><style:font-face style:name="F" svg:font-family=""/></office:font-face-decls><office:body/></office:document-content>"#.into(),
        ),
        (
            "styles.xml",
            r#"<office:document-styles xmlns:office="o" xmlns:style="s" xmlns:svg="v"><office:font-face-decls><style:font-face style:name="Candara" svg:font-family="Candara"/></office:font-face-decls><office:styles/></office:document-styles>"#.into(),
        ),
    ]);
    let r = inspect(&bytes, None, &Options::default());
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert_eq!(
        r.metadata.fonts,
        ["Candara", "Liberation Serif", "Noto Sans"]
    );
}

#[test]
fn cut_and_corrupted_font_resources_never_panic() {
    let full = format!(
        "{}/../../fixtures/docs/pdf/calibri-2003.pdf",
        env!("CARGO_MANIFEST_DIR")
    );
    let original = std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    for at in (0..original.len()).step_by(3) {
        let cut = inspect(&original[..at], None, &Options::default());
        let mut flipped = original.clone();
        flipped[at] ^= 0xA5;
        let flipped = inspect(&flipped, None, &Options::default());
        for (what, r) in [("cut", cut), ("flipped", flipped)] {
            assert!(
                !r.problems
                    .iter()
                    .any(|p| p.code == "reader-panicked"
                        || p.detail.contains("parser failed part way")),
                "{what} at {at}: {:?}",
                r.problems
            );
        }
    }
}
