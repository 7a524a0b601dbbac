//! What [`crate::inspect`] reports about one document.

use crate::Kind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bounds and context of an inspection. Every bound exists because a
/// document from a leak is hostile: a zip bomb inside an xlsx, a PDF with
/// 10,000 revisions, a 2 GB XMP packet.
#[derive(Clone, Debug)]
pub struct Options {
    /// Text kept for search, in bytes (UTF-8).
    pub max_text_bytes: usize,
    /// Largest part (XML, stream) decompressed, in bytes.
    pub max_part_bytes: u64,
    /// Decompressed bytes in all, per document.
    pub max_total_bytes: u64,
    /// Zip entries, OLE2 directory entries, PDF objects looked at.
    pub max_entries: usize,
    /// PDF revisions listed (the count is always exact).
    pub max_revisions: usize,
    /// When the leak became public (Unix seconds): a document dated after
    /// it is `dates-inconsistent`.
    pub leak_date: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_text_bytes: 1 << 20,
            max_part_bytes: 64 << 20,
            max_total_bytes: 256 << 20,
            max_entries: 10_000,
            max_revisions: 1_000,
            leak_date: None,
        }
    }
}

/// Metadata read from a document, whatever its format; `None` where the
/// format or the file has no such field. Times are Unix seconds (UTC).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub subject: Option<String>,
    /// Author, creator (OOXML `dc:creator`, OLE2 Author, PDF /Author).
    pub author: Option<String>,
    /// Last editor (OOXML `cp:lastModifiedBy`, OLE2 LastAuthor).
    pub last_modified_by: Option<String>,
    pub created: Option<i64>,
    pub modified: Option<i64>,
    pub printed: Option<i64>,
    /// The application that wrote the file (OOXML Application, PDF
    /// Creator, ODF generator, EXIF Software).
    pub application: Option<String>,
    pub app_version: Option<String>,
    /// PDF /Producer.
    pub producer: Option<String>,
    pub company: Option<String>,
    pub template: Option<String>,
    pub revision: Option<String>,
    /// Total editing time, minutes (OOXML TotalTime, OLE2 EditTime).
    pub total_edit_minutes: Option<u64>,
    /// Language tags found (`w:lang`, `dc:language`).
    pub languages: Vec<String>,
    /// Fonts the document declares or uses: a PDF's font dictionaries
    /// (`/BaseFont`, the descriptor's `/FontName`), OOXML's font table,
    /// cell fonts, theme and slide typefaces, ODF's font faces. Names as
    /// written, but for a PDF subset tag (`ABCDEF+`); sorted, without
    /// duplicates, at most 200 (`MAX_FONTS`).
    #[serde(default)]
    pub fonts: Vec<String>,
    /// OOXML `w:rsidRoot`: the editing session the document began in.
    pub rsid_root: Option<String>,
    /// Number of distinct revision-save ids (`w:rsid*`).
    pub rsid_count: Option<u64>,
    /// PDF trailer /ID (first and second), hex.
    pub document_ids: Vec<String>,
    /// OLE2 codepage.
    pub codepage: Option<u32>,
    pub camera_make: Option<String>,
    pub camera_model: Option<String>,
    /// EXIF DateTimeOriginal.
    pub taken: Option<i64>,
    /// Latitude, longitude.
    pub gps: Option<(f64, f64)>,
    /// Custom document properties, name → value.
    pub custom: BTreeMap<String, String>,
    /// Every field as read, under the name its format gives it
    /// (`docProps/core.xml dc:creator`, `PDF Info /Author`, `EXIF Model`):
    /// what a reader compares with another tool's output.
    pub raw: BTreeMap<String, String>,
}

/// Font names kept for one document: a real one names a few dozen, a
/// hostile one must not list a million.
pub(crate) const MAX_FONTS: usize = 200;

/// Characters kept of one font name (PostScript names stop at 127).
const MAX_FONT_NAME: usize = 127;

impl Metadata {
    /// Adds a font name to [`Metadata::fonts`], as [`push_font`] does.
    pub(crate) fn add_font(&mut self, name: &str) {
        push_font(&mut self.fonts, name);
    }
}

/// Adds a font name to a sorted list without duplicates: trimmed, a PDF
/// subset tag (six capitals and `+`, ISO 32000-2 9.9.2) removed, cut at
/// [`MAX_FONT_NAME`] characters. An empty name is not kept, nor any name
/// once the list holds [`MAX_FONTS`]. Readers gather a part's fonts with it
/// and hand them to [`Metadata::add_font`] after.
pub(crate) fn push_font(fonts: &mut Vec<String>, name: &str) {
    let name = name.trim();
    let name = match name.split_at_checked(7) {
        Some((tag, rest))
            if tag.ends_with('+') && tag[..6].bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            rest
        }
        _ => name,
    };
    let name: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FONT_NAME)
        .collect();
    let name = name.trim();
    if name.is_empty() || fonts.len() >= MAX_FONTS {
        return;
    }
    if let Err(at) = fonts.binary_search_by(|f| f.as_str().cmp(name)) {
        fonts.insert(at, name.to_owned());
    }
}

/// PDF specifics.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PdfFacts {
    /// `%PDF-1.7`'s version.
    pub version: Option<String>,
    /// Revisions found by the `startxref` / `%%EOF` scan (1 = never updated).
    pub revisions: u32,
    pub encrypted: bool,
    /// The Info dictionary as written.
    pub info: BTreeMap<String, String>,
    /// Fields of the XMP packet (`xmp:CreateDate`, `dc:creator`, …).
    pub xmp: BTreeMap<String, String>,
    /// Optional content groups (layers), by name.
    pub layers: Vec<String>,
    pub javascript: bool,
    /// Embedded file names.
    pub embedded_files: Vec<String>,
    /// An AcroForm is present.
    pub forms: bool,
    /// The last incremental update changes only metadata (Info or XMP).
    pub metadata_only_last_update: bool,
}

/// An earlier state of a document: for PDF, the file as it was before an
/// incremental update, i.e. its first `end` bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Revision {
    /// 1 for the original, counting up; the last is the file itself.
    pub number: u32,
    /// Length of this revision: `bytes[..end]` is the document as it was.
    pub end: u64,
}

/// A trace worth a reader's attention, with its evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable code (issue 4): `dates-inconsistent`, `metadata-disagrees`
    /// (a PDF's Info and XMP name different authors, titles, creator tools
    /// or producers), `pdf-revisions`, `pdf-metadata-only-update`,
    /// `pdf-layers`, `pdf-active-content`, `anachronism`,
    /// `exif-thumbnail-mismatch`, `edited-with`, …
    pub code: String,
    /// In words a reader can repeat.
    pub detail: String,
    /// The values that show it, by name.
    pub evidence: BTreeMap<String, String>,
}

/// Something that could not be read, and why; the rest of the report stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// `truncated`, `encrypted`, `too-large`, `malformed`, `reader-panicked`…
    pub code: String,
    pub detail: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocumentReport {
    pub kind: Kind,
    pub size: u64,
    pub metadata: Metadata,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfFacts>,
    pub revisions: Vec<Revision>,
    pub findings: Vec<Finding>,
    pub problems: Vec<Problem>,
    /// Extracted text for search, at most `Options::max_text_bytes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub text_truncated: bool,
}

impl DocumentReport {
    pub fn new(kind: Kind, size: u64) -> Self {
        DocumentReport {
            kind,
            size,
            metadata: Metadata::default(),
            pdf: None,
            revisions: Vec::new(),
            findings: Vec::new(),
            problems: Vec::new(),
            text: None,
            text_truncated: false,
        }
    }

    /// Appends extracted text, stopping at the bound (on a char boundary).
    pub fn push_text(&mut self, piece: &str, options: &Options) {
        let text = self.text.get_or_insert_with(String::new);
        if self.text_truncated {
            return;
        }
        let room = options.max_text_bytes.saturating_sub(text.len());
        if piece.len() <= room {
            text.push_str(piece);
        } else {
            let mut cut = room;
            while !piece.is_char_boundary(cut) {
                cut -= 1;
            }
            text.push_str(&piece[..cut]);
            self.text_truncated = true;
        }
    }

    /// The report as JSON without its text, exactly as serializing it with
    /// `text: None` would give: what a case stores beside the text column.
    /// Borrows every field, so the text (up to a megabyte) is not copied
    /// on the case writer's thread.
    pub fn to_json_without_text(&self) -> serde_json::Result<String> {
        #[derive(Serialize)]
        struct WithoutText<'a> {
            kind: Kind,
            size: u64,
            metadata: &'a Metadata,
            #[serde(skip_serializing_if = "Option::is_none")]
            pdf: Option<&'a PdfFacts>,
            revisions: &'a [Revision],
            findings: &'a [Finding],
            problems: &'a [Problem],
            text_truncated: bool,
        }
        serde_json::to_string(&WithoutText {
            kind: self.kind,
            size: self.size,
            metadata: &self.metadata,
            pdf: self.pdf.as_ref(),
            revisions: &self.revisions,
            findings: &self.findings,
            problems: &self.problems,
            text_truncated: self.text_truncated,
        })
    }

    pub fn problem(&mut self, code: &str, detail: impl Into<String>) {
        self.problems.push(Problem {
            code: code.to_owned(),
            detail: detail.into(),
        });
    }
}

/// Plain text: kept as it is (lossy UTF-8), bounded.
pub(crate) fn read_text(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let head = &bytes[..bytes.len().min(options.max_text_bytes + 4)];
    report.push_text(&String::from_utf8_lossy(head), options);
}

/// HTML: the text between tags, scripts and styles dropped. Never
/// rendered; a search index needs words, not layout.
pub(crate) fn read_html_text(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let page = String::from_utf8_lossy(&bytes[..bytes.len().min(options.max_part_bytes as usize)]);
    let mut out = String::new();
    let mut rest: &str = &page;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let after = &rest[open..];
        let lower = after.get(..8).unwrap_or(after).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.to_ascii_lowercase().find("</script").map(|i| i + 8)
        } else if lower.starts_with("<style") {
            after.to_ascii_lowercase().find("</style").map(|i| i + 7)
        } else {
            None
        };
        let from = skip_to.unwrap_or(0);
        match after[from..].find('>') {
            Some(close) => rest = &after[from + close + 1..],
            None => {
                rest = "";
            }
        }
        if out.len() > options.max_text_bytes {
            break;
        }
    }
    out.push_str(rest);
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    report.push_text(&collapsed, options);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_without_text_is_the_report_with_text_none() {
        let mut report = DocumentReport::new(Kind::Pdf, 10);
        report.pdf = Some(PdfFacts::default());
        report.push_text("secret words", &Options::default());
        let mut cleared = report.clone();
        cleared.text = None;
        assert_eq!(
            report.to_json_without_text().unwrap(),
            serde_json::to_string(&cleared).unwrap()
        );
    }

    #[test]
    fn text_stops_at_the_bound_on_a_character_boundary() {
        let options = Options {
            max_text_bytes: 5,
            ..Options::default()
        };
        let mut report = DocumentReport::new(Kind::Text, 0);
        report.push_text("ééé", &options);
        assert_eq!(report.text.as_deref(), Some("éé"));
        assert!(report.text_truncated);
    }

    #[test]
    fn fonts_are_sorted_deduplicated_untagged_and_bounded() {
        let mut m = Metadata::default();
        for name in [
            "Times New Roman",
            "ABCDEF+Calibri",
            " Calibri ",
            "Abcdef+Cambria",
            "ABCDE+Arial",
            "+mn-lt",
            "",
            "QWERTY+",
            "ＭＳ 明朝",
        ] {
            m.add_font(name);
        }
        assert_eq!(
            m.fonts,
            [
                "+mn-lt",
                "ABCDE+Arial",
                "Abcdef+Cambria",
                "Calibri",
                "Times New Roman",
                "ＭＳ 明朝"
            ]
        );
        let mut full = Metadata::default();
        for i in 0..MAX_FONTS + 50 {
            full.add_font(&format!("Font {i:04}"));
        }
        full.add_font(&"x".repeat(10_000));
        assert_eq!(full.fonts.len(), MAX_FONTS);
        let mut long = Metadata::default();
        long.add_font(&"é".repeat(10_000));
        assert_eq!(long.fonts[0].chars().count(), MAX_FONT_NAME);
    }

    #[test]
    fn metadata_stored_before_fonts_were_read_still_loads() {
        let mut m = Metadata::default();
        m.add_font("Calibri");
        let mut json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["fonts"], serde_json::json!(["Calibri"]));
        json.as_object_mut().unwrap().remove("fonts");
        let old: Metadata = serde_json::from_value(json).unwrap();
        assert!(old.fonts.is_empty());
    }

    #[test]
    fn html_text_drops_tags_scripts_and_styles() {
        let mut report = DocumentReport::new(Kind::Html, 0);
        read_html_text(
            b"<html><style>p{}</style><p>Bonjour <b>Paris</b></p><script>evil()</script>fin",
            &Options::default(),
            &mut report,
        );
        assert_eq!(report.text.as_deref(), Some("Bonjour Paris fin"));
    }
}
