//! Findings one document shows on its own (dates, anachronisms, editing
//! software); the format readers add their own (PDF revisions, layers,
//! Info and XMP disagreeing (`metadata-disagrees`), the EXIF thumbnail).
//!
//! - `dates-inconsistent`: the document's own dates contradict each
//!   other, or the leak's date, or the era of personal computers.
//! - `anachronism`: software named in the metadata, or a font the document
//!   uses (`Metadata::fonts`), did not exist yet at the latest date the
//!   document claims (table [`RELEASES`], each row with its source).
//! - `edited-with`: an editing program is named in the metadata
//!   (table [`EDITORS`]), or the metadata shows the document was begun in
//!   one program and saved by another.

use crate::{DocumentReport, Finding, Kind, Options};
use std::collections::BTreeMap;

use tamis_calendar::{civil_from_unix, days_from_civil};

/// `2017-04-27 09:12:03 UTC`.
pub(crate) fn format_utc(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// `2017-04-27`.
pub(crate) fn format_day(t: i64) -> String {
    let (y, mo, d, ..) = civil_from_unix(t);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// A duration in the largest unit that keeps it readable, rounded to the
/// nearest unit (3 min 55 s is "4 minutes").
pub(crate) fn format_span(seconds: i64) -> String {
    let s = seconds.abs();
    let round = |unit: i64| (s + unit / 2) / unit;
    if s < 120 {
        format!("{s} seconds")
    } else if s < 2 * 3600 {
        format!("{} minutes", round(60))
    } else if s < 2 * 86_400 {
        format!("{} hours", round(3600))
    } else if s < 2 * 365 * 86_400 {
        format!("{} days", round(86_400))
    } else {
        format!("{:.1} years", s as f64 / (365.2425 * 86_400.0))
    }
}

/// Unix seconds of a date, in a const context for the tables below.
const fn day(year: i64, month: u32, d: u32) -> i64 {
    days_from_civil(year, month, d) * 86_400
}

// ---------------------------------------------------------------------------

/// Slack between two dates of one document before their order counts as
/// a contradiction: saving takes time, and Office, file systems and EXIF
/// round times to the second or to two seconds.
pub const ORDER_TOLERANCE_SECS: i64 = 120;

/// Slack when comparing with the leak date: many formats store local time
/// without a zone (EXIF, OLE2 in some writers, PDF dates without `Z`),
/// read here as UTC, so a time may be off by up to 14 hours (UTC+14).
pub const ZONE_TOLERANCE_SECS: i64 = 14 * 3600;

/// No document format tamis reads predates 1980 (MS-DOS dates start on
/// 1980-01-01; TIFF 1986, PDF 1993), so an earlier date is a reset clock,
/// a zeroed field read as a date, or a forgery. Devices whose clock was
/// never set write 1980-01-01 itself, which is not flagged.
pub const EARLIEST_PLAUSIBLE: i64 = day(1980, 1, 1);

pub fn document_findings(report: &DocumentReport, options: &Options) -> Vec<Finding> {
    let mut out = Vec::new();
    dates_inconsistent(report, options, &mut out);
    anachronisms(report, &mut out);
    edited_with(report, &mut out);
    out
}

fn dated_fields(report: &DocumentReport) -> Vec<(&'static str, i64)> {
    let m = &report.metadata;
    let mut v = Vec::new();
    for (name, t) in [
        ("created", m.created),
        ("modified", m.modified),
        ("printed", m.printed),
        ("taken", m.taken),
    ] {
        if let Some(t) = t {
            v.push((name, t));
        }
    }
    v
}

/// What each date field is called in the document's own format, for the
/// words of a finding.
fn date_label(kind: Kind, field: &str) -> &'static str {
    match (kind, field) {
        (Kind::Jpeg | Kind::Tiff | Kind::Png, "created") => "digitized (EXIF DateTimeDigitized)",
        (Kind::Jpeg | Kind::Tiff | Kind::Png, "modified") => "modified (EXIF DateTime)",
        (_, "taken") => "taken (EXIF DateTimeOriginal)",
        (_, "created") => "created",
        (_, "modified") => "last modified",
        (_, "printed") => "last printed",
        _ => "dated",
    }
}

fn finding(code: &str, detail: String, evidence: BTreeMap<String, String>) -> Finding {
    Finding {
        code: code.into(),
        detail,
        evidence,
    }
}

/// Two dates of a document, named, that must come in this order, and why.
type Order<'a> = (&'a str, Option<i64>, &'a str, Option<i64>, &'a str);

fn dates_inconsistent(report: &DocumentReport, options: &Options, out: &mut Vec<Finding>) {
    let m = &report.metadata;
    let kind = report.kind;
    // (earlier, later, why it matters): `later` must not precede `earlier`.
    let orders: [Order; 4] = [
        ("created", m.created, "modified", m.modified, "a document cannot be saved before it exists"),
        (
            "created",
            m.created,
            "printed",
            m.printed,
            "the print time was carried over from an older file: Word keeps the last-printed time through Save As, which gives the copy a new created time, so this file descends from an older document",
        ),
        ("taken", m.taken, "modified", m.modified, "a photo cannot be modified before it is taken"),
        ("taken", m.taken, "created", m.created, "a photo cannot be digitized before it is taken"),
    ];
    for (first, a, second, b, why) in orders {
        let (Some(a), Some(b)) = (a, b) else { continue };
        if b + ORDER_TOLERANCE_SECS < a {
            let mut evidence = BTreeMap::new();
            evidence.insert(first.to_owned(), format_utc(a));
            evidence.insert(second.to_owned(), format_utc(b));
            evidence.insert("difference".into(), format_span(a - b));
            out.push(finding(
                "dates-inconsistent",
                format!(
                    "{} ({}) is {} before {} ({}): {why}",
                    date_label(kind, second),
                    format_utc(b),
                    format_span(a - b),
                    date_label(kind, first),
                    format_utc(a)
                ),
                evidence,
            ));
        }
    }
    for (name, t) in dated_fields(report) {
        if let Some(leak) = options.leak_date {
            if t > leak + ZONE_TOLERANCE_SECS {
                let mut evidence = BTreeMap::new();
                evidence.insert(name.to_owned(), format_utc(t));
                evidence.insert("leak date".into(), format_utc(leak));
                out.push(finding(
                    "dates-inconsistent",
                    format!(
                        "{} {} is {} after the leak date ({}): a document from the leak cannot have been changed after it was published; its metadata was set afterwards, or the document was added later",
                        date_label(kind, name),
                        format_utc(t),
                        format_span(t - leak),
                        format_day(leak)
                    ),
                    evidence,
                ));
            }
        }
        if t < EARLIEST_PLAUSIBLE - ZONE_TOLERANCE_SECS {
            let mut evidence = BTreeMap::new();
            evidence.insert(name.to_owned(), format_utc(t));
            out.push(finding(
                "dates-inconsistent",
                format!(
                    "{} {} is before 1980, older than any format tamis reads: a reset clock, a zeroed field, or a date set by hand",
                    date_label(kind, name),
                    format_day(t)
                ),
                evidence,
            ));
        }
    }
}

// ---------------------------------------------------------------------------
// Anachronisms.

/// A program, version or font and when it first became available.
#[derive(Debug)]
pub struct Release {
    /// What the row is about, as a reader says it.
    pub name: &'static str,
    /// First general availability (Unix seconds, UTC midnight).
    pub released: i64,
    /// Days before `released` that public betas, previews or release
    /// candidates already existed (or that the source's date is uncertain
    /// by): a document dated within them is not flagged.
    pub prerelease_days: i64,
    pub source: &'static str,
}

/// What a software string or font name says about its release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Microsoft Office by major version (AppVersion "16.0000").
    Office(u32),
    /// Microsoft Office by the year in its name ("Microsoft® Word 2016").
    OfficeYear(u32),
    Office365,
    Microsoft365,
    LibreOffice(u32, u32),
    OpenOfficeOrg(u32),
    ApacheOpenOffice(u32),
    /// Acrobat, Distiller, PDFMaker, Adobe PDF Library by major version.
    Acrobat(u32),
    ClearTypeFont,
    Aptos,
    /// The file format itself: docx, xlsx, pptx.
    OfficeOpenXml,
}

/// Release dates. Office prerelease windows come from the public betas
/// and previews of each version (Office 2007 Beta 2 was public eight
/// months before general availability; Office 2013's Customer Preview six;
/// Office 2016's Preview six, for Windows), so Office rows allow a year.
/// LibreOffice publishes alphas and betas about two to three months
/// before a release (the TDF release plan), hence 120 days; Acrobat's
/// dates are to the month in the sources, and its prerelease programs
/// ran about a quarter ahead, hence 180 days.
pub const RELEASES: &[(Product, Release)] = &[
    // --- Microsoft Office, by AppVersion major (docProps/app.xml
    // AppVersion, OLE2 DocumentSummaryInformation Version).
    // Microsoft Office 2003: released to manufacturing 2003-08-19, general availability 2003-10-21
    // (Microsoft press release "Microsoft Office System Available Worldwide", 2003-10-21;
    // Wikipedia "Microsoft Office 2003").
    (Product::Office(11), rel("Microsoft Office 2003 (version 11)", day(2003, 10, 21), 365, "Microsoft, Office System general availability 2003-10-21 (Wikipedia: Microsoft Office 2003)")),
    // Volume-licence availability 2006-11-30, retail 2007-01-30; Beta 2 public 2006-05-23
    // (Wikipedia "Microsoft Office 2007").
    (Product::Office(12), rel("Microsoft Office 2007 (version 12)", day(2006, 11, 30), 365, "Microsoft, Office 2007 business availability 2006-11-30, retail 2007-01-30 (Wikipedia: Microsoft Office 2007)")),
    // Business availability 2010-05-12, retail 2010-06-15; public beta 2009-11-18 (Wikipedia
    // "Microsoft Office 2010").
    (Product::Office(14), rel("Microsoft Office 2010 (version 14)", day(2010, 5, 12), 365, "Microsoft, Office 2010 business launch 2010-05-12, retail 2010-06-15 (Wikipedia: Microsoft Office 2010)")),
    // Volume licensing 2012-12-01, retail 2013-01-29; Customer Preview 2012-07-16 (Wikipedia
    // "Microsoft Office 2013").
    (Product::Office(15), rel("Microsoft Office 2013 (version 15)", day(2012, 12, 1), 365, "Microsoft, Office 2013 volume licensing 2012-12-01, retail 2013-01-29 (Wikipedia: Microsoft Office 2013)")),
    // Office 2016 for Mac 2015-07-09 came before Windows (2015-09-22; Preview 2015-05-04)
    // (Wikipedia "Microsoft Office 2016"; HotHardware 2015-09 "Mac OS X users have been able to
    // pick up the new software since July").
    (Product::Office(16), rel("Microsoft Office 2016 (version 16; also 2019, 2021, 2024 and Microsoft 365)", day(2015, 7, 9), 365, "Microsoft, Office 2016 for Mac 2015-07-09, for Windows 2015-09-22 (Wikipedia: Microsoft Office 2016)")),
    // --- Microsoft Office by the year in a generator string (PDF
    // Producer/Creator "Microsoft® Word 2016", ODF/OOXML rarely).
    (Product::OfficeYear(2007), rel("Microsoft Office 2007", day(2006, 11, 30), 365, "Microsoft, Office 2007 business availability 2006-11-30 (Wikipedia: Microsoft Office 2007)")),
    (Product::OfficeYear(2010), rel("Microsoft Office 2010", day(2010, 5, 12), 365, "Microsoft, Office 2010 business launch 2010-05-12 (Wikipedia: Microsoft Office 2010)")),
    (Product::OfficeYear(2013), rel("Microsoft Office 2013", day(2012, 12, 1), 365, "Microsoft, Office 2013 volume licensing 2012-12-01 (Wikipedia: Microsoft Office 2013)")),
    (Product::OfficeYear(2016), rel("Microsoft Office 2016", day(2015, 7, 9), 365, "Microsoft, Office 2016 for Mac 2015-07-09, Windows 2015-09-22 (Wikipedia: Microsoft Office 2016)")),
    // General availability announced at Ignite 2018-09-24 (Microsoft 365 blog "Office 2019 is now
    // available for Windows and Mac", 2018-09-24).
    (Product::OfficeYear(2019), rel("Microsoft Office 2019", day(2018, 9, 24), 365, "Microsoft 365 blog, Office 2019 available 2018-09-24")),
    // Office LTSC 2021 2021-09-16, consumer Office 2021 2021-10-05 (Microsoft Tech Community
    // "Office LTSC 2021 now generally available", 2021-09-16).
    (Product::OfficeYear(2021), rel("Microsoft Office 2021", day(2021, 9, 16), 365, "Microsoft, Office LTSC 2021 2021-09-16, Office 2021 2021-10-05")),
    // Office LTSC 2024 2024-09-16, consumer Office 2024 2024-10-01 (Microsoft Tech Community
    // "Office LTSC 2024 now generally available", 2024-09-16).
    (Product::OfficeYear(2024), rel("Microsoft Office 2024", day(2024, 9, 16), 365, "Microsoft, Office LTSC 2024 2024-09-16, Office 2024 2024-10-01")),
    // Launched 2011-06-28 (Microsoft News Center "Office 365 launch", 2011-06-28; Wikipedia
    // "Microsoft 365").
    (Product::Office365, rel("Office 365", day(2011, 6, 28), 180, "Microsoft, Office 365 launch 2011-06-28 (Wikipedia: Microsoft 365)")),
    // Office 365 consumer plans renamed Microsoft 365 on 2020-04-21, announced 2020-03-30
    // (Microsoft 365 blog, 2020-03-30).
    (Product::Microsoft365, rel("Microsoft 365 (the name)", day(2020, 4, 21), 60, "Microsoft 365 blog 2020-03-30: Office 365 renamed Microsoft 365 on 2020-04-21")),
    // --- LibreOffice, major.minor (ODF meta:generator and OOXML
    // Application "LibreOffice/7.3.7.2$Linux…", PDF Producer "LibreOffice 7.3").
    // Source for all: Wikipedia "LibreOffice", release history table (The Document Foundation's
    // announcements).
    (Product::LibreOffice(3, 3), rel("LibreOffice 3.3", day(2011, 1, 25), 120, "The Document Foundation, LibreOffice 3.3 2011-01-25 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(3, 4), rel("LibreOffice 3.4", day(2011, 6, 3), 120, "The Document Foundation, LibreOffice 3.4 2011-06-03 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(3, 5), rel("LibreOffice 3.5", day(2012, 2, 14), 120, "The Document Foundation, LibreOffice 3.5 2012-02-14 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(3, 6), rel("LibreOffice 3.6", day(2012, 8, 8), 120, "The Document Foundation, LibreOffice 3.6 2012-08-08 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(4, 0), rel("LibreOffice 4.0", day(2013, 2, 7), 120, "The Document Foundation, LibreOffice 4.0 2013-02-07 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(4, 1), rel("LibreOffice 4.1", day(2013, 7, 25), 120, "The Document Foundation, LibreOffice 4.1 2013-07-25 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(4, 2), rel("LibreOffice 4.2", day(2014, 1, 30), 120, "The Document Foundation, LibreOffice 4.2 2014-01-30 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(4, 3), rel("LibreOffice 4.3", day(2014, 7, 30), 120, "The Document Foundation, LibreOffice 4.3 2014-07-30 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(4, 4), rel("LibreOffice 4.4", day(2015, 1, 29), 120, "The Document Foundation, LibreOffice 4.4 2015-01-29 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(5, 0), rel("LibreOffice 5.0", day(2015, 8, 5), 120, "The Document Foundation, LibreOffice 5.0 2015-08-05 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(5, 1), rel("LibreOffice 5.1", day(2016, 2, 10), 120, "The Document Foundation, LibreOffice 5.1 2016-02-10 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(5, 2), rel("LibreOffice 5.2", day(2016, 8, 3), 120, "The Document Foundation, LibreOffice 5.2 2016-08-03 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(5, 3), rel("LibreOffice 5.3", day(2017, 2, 1), 120, "The Document Foundation, LibreOffice 5.3 2017-02-01 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(5, 4), rel("LibreOffice 5.4", day(2017, 7, 28), 120, "The Document Foundation, LibreOffice 5.4 2017-07-28 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(6, 0), rel("LibreOffice 6.0", day(2018, 1, 31), 120, "The Document Foundation, LibreOffice 6.0 2018-01-31 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(6, 1), rel("LibreOffice 6.1", day(2018, 8, 8), 120, "The Document Foundation, LibreOffice 6.1 2018-08-08 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(6, 2), rel("LibreOffice 6.2", day(2019, 2, 7), 120, "The Document Foundation, LibreOffice 6.2 2019-02-07 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(6, 3), rel("LibreOffice 6.3", day(2019, 8, 8), 120, "The Document Foundation, LibreOffice 6.3 2019-08-08 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(6, 4), rel("LibreOffice 6.4", day(2020, 1, 29), 120, "The Document Foundation, LibreOffice 6.4 2020-01-29 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 0), rel("LibreOffice 7.0", day(2020, 8, 5), 120, "The Document Foundation, LibreOffice 7.0 2020-08-05 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 1), rel("LibreOffice 7.1", day(2021, 2, 3), 120, "The Document Foundation, LibreOffice 7.1 2021-02-03 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 2), rel("LibreOffice 7.2", day(2021, 8, 19), 120, "The Document Foundation, LibreOffice 7.2 2021-08-19 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 3), rel("LibreOffice 7.3", day(2022, 2, 2), 120, "The Document Foundation, LibreOffice 7.3 2022-02-02 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 4), rel("LibreOffice 7.4", day(2022, 8, 18), 120, "The Document Foundation, LibreOffice 7.4 2022-08-18 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 5), rel("LibreOffice 7.5", day(2023, 2, 2), 120, "The Document Foundation, LibreOffice 7.5 2023-02-02 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(7, 6), rel("LibreOffice 7.6", day(2023, 8, 21), 120, "The Document Foundation, LibreOffice 7.6 2023-08-21 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(24, 2), rel("LibreOffice 24.2", day(2024, 1, 31), 120, "The Document Foundation, LibreOffice 24.2 2024-01-31 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(24, 8), rel("LibreOffice 24.8", day(2024, 8, 22), 120, "The Document Foundation, LibreOffice 24.8 2024-08-22 (Wikipedia: LibreOffice release history)")),
    (Product::LibreOffice(25, 2), rel("LibreOffice 25.2", day(2025, 2, 6), 120, "The Document Foundation, LibreOffice 25.2 2025-02-06 (Wikipedia: LibreOffice release history)")),
    // --- OpenOffice.org and Apache OpenOffice (ODF meta:generator
    // "OpenOffice.org/3.2$Win32…", "OpenOffice/4.1.7$Win32…").
    // 2.0 final 2005-10-20; public betas from March 2005 (Wikipedia "OpenOffice.org", version
    // history).
    (Product::OpenOfficeOrg(2), rel("OpenOffice.org 2.0", day(2005, 10, 20), 240, "OpenOffice.org 2.0 2005-10-20 (Wikipedia: OpenOffice.org version history)")),
    (Product::OpenOfficeOrg(3), rel("OpenOffice.org 3.0", day(2008, 10, 13), 180, "OpenOffice.org 3.0 2008-10-13 (Wikipedia: OpenOffice.org version history)")),
    (Product::ApacheOpenOffice(4), rel("Apache OpenOffice 4.0", day(2013, 7, 23), 120, "Apache OpenOffice 4.0 2013-07-23 (Wikipedia: Apache OpenOffice release history)")),
    // --- Adobe Acrobat family by major version ("Acrobat Distiller 9.0.0
    // (Windows)", "Adobe PDF Library 15.0", "Acrobat PDFMaker 11 for Word").
    // Source for all: Wikipedia "Adobe Acrobat", version history table; Adobe's product
    // announcements.
    (Product::Acrobat(5), rel("Adobe Acrobat 5", day(2001, 5, 1), 180, "Adobe Acrobat 5.0, May 2001 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(6), rel("Adobe Acrobat 6", day(2003, 5, 1), 180, "Adobe Acrobat 6.0, May 2003 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(7), rel("Adobe Acrobat 7", day(2005, 1, 1), 180, "Adobe Acrobat 7.0, January 2005 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(8), rel("Adobe Acrobat 8", day(2006, 11, 1), 180, "Adobe Acrobat 8.0, November 2006 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(9), rel("Adobe Acrobat 9", day(2008, 6, 1), 180, "Adobe Acrobat 9, announced 2008-06-02, shipped July 2008 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(10), rel("Adobe Acrobat X (10)", day(2010, 11, 15), 180, "Adobe Acrobat X, 2010-11-15 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(11), rel("Adobe Acrobat XI (11)", day(2012, 10, 15), 180, "Adobe Acrobat XI, 2012-10-15 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(15), rel("Adobe Acrobat DC (15)", day(2015, 3, 17), 180, "Adobe Acrobat DC, announced 2015-03-17, available April 2015 (Wikipedia: Adobe Acrobat version history)")),
    (Product::Acrobat(17), rel("Adobe Acrobat 2017 (17)", day(2017, 6, 6), 180, "Adobe Acrobat 2017, 2017-06-06 (Wikipedia: Adobe Acrobat version history)")),
    // --- Fonts. Calibri, Cambria, Candara, Consolas, Constantia and Corbel
    // (the ClearType Font Collection) first shipped with Windows Vista and
    // Office 2007, both available to businesses on 2006-11-30 (Wikipedia
    // "ClearType Font Collection"); Longhorn/Vista and Office 12 betas
    // carried them from 2005, hence two years of prerelease.
    (Product::ClearTypeFont, rel("the ClearType Font Collection (Calibri, Cambria, Candara, Consolas, Constantia, Corbel)", day(2006, 11, 30), 730, "Microsoft, Windows Vista and Office 2007 business availability 2006-11-30 (Wikipedia: ClearType Font Collection)")),
    // Aptos, Office's default font from 2023: announced 2023-07-13 (Microsoft Design, "Aptos: the
    // next Microsoft 365 default font"); shipped earlier as the cloud font "Bierstadt", which a
    // file would name so.
    (Product::Aptos, rel("the Aptos font", day(2023, 7, 13), 60, "Microsoft Design, Aptos announced as the new default font 2023-07-13")),
    // --- Formats. Office Open XML (docx, xlsx, pptx) was announced on 2005-06-01 and first
    // written by Office 2007 (business availability 2006-11-30) and its betas; no earlier
    // software wrote it, so a zip package cannot have been saved before its announcement
    // (Wikipedia: Office Open XML, "Microsoft announced the formats on 1 June 2005").
    (Product::OfficeOpenXml, rel("the Office Open XML format (docx, xlsx, pptx)", day(2006, 11, 30), 547, "Microsoft, Office Open XML announced 2005-06-01, first written by Office 2007 (2006-11-30) (Wikipedia: Office Open XML)")),
];

const fn rel(
    name: &'static str,
    released: i64,
    prerelease_days: i64,
    source: &'static str,
) -> Release {
    Release {
        name,
        released,
        prerelease_days,
        source,
    }
}

fn release_of(product: Product) -> Option<&'static Release> {
    if let Some((_, r)) = RELEASES.iter().find(|(p, _)| *p == product) {
        return Some(r);
    }
    // A version newer than the table's last row is at least as recent as
    // that row: the last known release is a sound lower bound.
    let latest = |keep: &dyn Fn(&Product) -> bool| {
        RELEASES
            .iter()
            .filter(|(p, _)| keep(p))
            .max_by_key(|(_, r)| r.released)
            .map(|(_, r)| r)
    };
    match product {
        Product::LibreOffice(major, minor) => {
            // The newest row not newer than this version.
            RELEASES
                .iter()
                .filter(
                    |(p, _)| matches!(p, Product::LibreOffice(a, b) if (*a, *b) <= (major, minor)),
                )
                .max_by_key(|(_, r)| r.released)
                .map(|(_, r)| r)
        }
        Product::Office(major) if major > 16 => latest(&|p| matches!(p, Product::Office(_))),
        Product::Acrobat(major) => RELEASES
            .iter()
            .filter(|(p, _)| matches!(p, Product::Acrobat(a) if *a <= major))
            .max_by_key(|(_, r)| r.released)
            .map(|(_, r)| r),
        _ => None,
    }
}

/// The first integer in `s` after `from`, with the digits following a dot.
fn version_after(s: &str, from: usize) -> Option<(u32, Option<u32>)> {
    let rest = s.get(from..)?;
    let start = rest.find(|c: char| c.is_ascii_digit())?;
    // Only a version that follows the name closely ("LibreOffice/7.3",
    // "Distiller 9.0"), not a number further on in the string.
    if start > 3 {
        return None;
    }
    let digits: String = rest[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let major = digits.parse().ok()?;
    let after = &rest[start + digits.len()..];
    let minor = after
        .strip_prefix('.')
        .map(|m| {
            m.chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
        })
        .and_then(|m| m.parse().ok());
    Some((major, minor))
}

/// Products named in one software string.
fn products_in(text: &str) -> Vec<Product> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    if let Some(i) = lower.find("libreoffice") {
        if let Some((major, Some(minor))) = version_after(&lower, i + "libreoffice".len()) {
            out.push(Product::LibreOffice(major, minor));
        }
    } else if let Some(i) = lower.find("openoffice.org") {
        if let Some((major, _)) = version_after(&lower, i + "openoffice.org".len()) {
            out.push(Product::OpenOfficeOrg(major));
        }
    } else if let Some(i) = lower.find("openoffice") {
        if let Some((major, _)) = version_after(&lower, i + "openoffice".len()) {
            out.push(Product::ApacheOpenOffice(major));
        }
    }
    for name in [
        "acrobat distiller",
        "adobe pdf library",
        "acrobat pdfmaker",
        "adobe acrobat",
    ] {
        if let Some(i) = lower.find(name) {
            // "Adobe Acrobat Pro DC 20.9.20067": edition words before the
            // version; DC alone names the line that began at 15.
            let mut rest = lower[i + name.len()..].trim_start();
            let mut dc = false;
            while let Some(word) = ["pro ", "professional ", "standard ", "reader ", "dc "]
                .iter()
                .find(|w| rest.starts_with(**w))
            {
                dc |= *word == "dc ";
                rest = rest[word.len()..].trim_start();
            }
            match version_after(rest, 0) {
                Some((major, _)) if (3..=40).contains(&major) => out.push(Product::Acrobat(major)),
                _ if dc || rest == "dc" => out.push(Product::Acrobat(15)),
                _ => {}
            }
            break;
        }
    }
    if lower.contains("microsoft") {
        if lower.contains("microsoft 365") {
            out.push(Product::Microsoft365);
        } else if lower.contains("office 365") {
            out.push(Product::Office365);
        } else if ["word", "excel", "powerpoint", "office"]
            .iter()
            .any(|w| lower.contains(w))
        {
            // A year as a word of its own, not inside a build number.
            let years = lower
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|w| w.parse::<u32>().ok());
            for year in years {
                if [2007, 2010, 2013, 2016, 2019, 2021, 2024].contains(&year) {
                    out.push(Product::OfficeYear(year));
                }
            }
        }
    }
    out
}

/// Font families with a known first release, in a font name as a
/// document stores it ("ABCDEF+Calibri-Bold", "Cambria Math").
fn fonts_in(name: &str) -> Option<Product> {
    let lower = name.to_lowercase();
    let family = lower.split_once('+').map_or(lower.as_str(), |(_, f)| f);
    for f in [
        "calibri",
        "cambria",
        "candara",
        "consolas",
        "constantia",
        "corbel",
    ] {
        if family.starts_with(f) {
            return Some(Product::ClearTypeFont);
        }
    }
    family.starts_with("aptos").then_some(Product::Aptos)
}

/// Where software is named in the metadata: (where, text).
/// A value met under several names (`application` and the raw key it was
/// read from) is listed once, under the format's own name.
fn software_fields(report: &DocumentReport) -> Vec<(String, String)> {
    let m = &report.metadata;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |place: String, text: &str| {
        if !text.trim().is_empty() && !out.iter().any(|(_, t)| t == text) {
            out.push((place, text.to_owned()));
        }
    };
    for (key, value) in &m.raw {
        if is_software_key(key) {
            push(key.clone(), value);
        }
    }
    if let Some(pdf) = &report.pdf {
        for (key, value) in &pdf.info {
            if matches!(key.trim_start_matches('/'), "Producer" | "Creator") {
                push(format!("PDF Info /{}", key.trim_start_matches('/')), value);
            }
        }
        for (key, value) in &pdf.xmp {
            if is_software_key(key) {
                push(format!("XMP {key}"), value);
            }
        }
    }
    if let Some(a) = &m.application {
        push("application".into(), a);
    }
    if let Some(p) = &m.producer {
        push("producer".into(), p);
    }
    out
}

/// Keys naming software rather than a person: `dc:creator`,
/// `meta:initial-creator` and a PDF's /Author are people.
fn is_software_key(key: &str) -> bool {
    let k = key.to_lowercase();
    let person = k.contains("dc:creator") || k.contains("initial-creator");
    !person
        && [
            "software",
            "producer",
            "creatortool",
            "creator tool",
            "generator",
            "application",
            "appname",
            "softwareagent",
            "/creator",
            "info creator",
        ]
        .iter()
        .any(|w| k.contains(w))
}

/// The latest date the document claims, and which field claims it. The
/// program that wrote the file wrote it at its last save, so a release
/// after *every* date the document gives is an anachronism; a release
/// between `created` and `modified` is an old document re-saved.
fn latest_claim(report: &DocumentReport) -> Option<(&'static str, i64)> {
    dated_fields(report).into_iter().max_by_key(|(_, t)| *t)
}

fn anachronisms(report: &DocumentReport, out: &mut Vec<Finding>) {
    let Some((field, claimed)) = latest_claim(report) else {
        return;
    };
    let m = &report.metadata;
    // (product, what names it, where)
    let mut named: Vec<(Product, String, String)> = Vec::new();
    let microsoft_or_unknown = m
        .application
        .as_deref()
        .is_none_or(|a| a.to_lowercase().contains("microsoft"));
    if let (Some(v), true) = (&m.app_version, microsoft_or_unknown) {
        if let Some((major, _)) = version_after(v, 0) {
            if major >= 11 {
                // Named where the format keeps it (`docProps/app.xml AppVersion`).
                let place = m
                    .raw
                    .iter()
                    .find(|(k, value)| *value == v && k.to_lowercase().contains("version"))
                    .map_or_else(|| "app_version".to_owned(), |(k, _)| k.clone());
                named.push((Product::Office(major), format!("AppVersion {v}"), place));
            }
        }
    }
    for (place, text) in software_fields(report) {
        for p in products_in(&text) {
            named.push((p, text.clone(), place.clone()));
        }
    }
    // Fonts, one entry per release row: every font of the family named.
    let mut fonts: Vec<(Product, Vec<&str>)> = Vec::new();
    for name in &m.fonts {
        let Some(p) = fonts_in(name) else { continue };
        match fonts.iter_mut().find(|(q, _)| *q == p) {
            Some((_, names)) => names.push(name),
            None => fonts.push((p, vec![name])),
        }
    }
    for (p, names) in fonts {
        named.push((p, names.join(", "), "fonts".to_owned()));
    }
    if report.kind == Kind::Ooxml {
        named.push((
            Product::OfficeOpenXml,
            "Office Open XML".to_owned(),
            "format".to_owned(),
        ));
    }
    let mut seen: Vec<&'static str> = Vec::new();
    for (product, what, place) in named {
        let Some(release) = release_of(product) else {
            continue;
        };
        if seen.contains(&release.name) {
            continue;
        }
        let cutoff = release.released - release.prerelease_days * 86_400;
        if claimed >= cutoff {
            continue;
        }
        seen.push(release.name);
        let mut evidence = BTreeMap::new();
        evidence.insert(place.clone(), what.clone());
        evidence.insert("released".into(), format_day(release.released));
        evidence.insert(
            format!("latest date claimed ({field})"),
            format_utc(claimed),
        );
        evidence.insert("source".into(), release.source.into());
        let (named_as, why) = if matches!(product, Product::ClearTypeFont | Product::Aptos) {
            (
                format!("the document's fonts include {what}, of"),
                "the document uses a font that did not exist yet at the dates it claims, so those dates were set by hand or carried over from an older file",
            )
        } else if product == Product::OfficeOpenXml {
            (
                "the file is a package of".to_owned(),
                "no software could save this format at the dates it claims, so those dates were set by hand",
            )
        } else {
            (
                format!("{what} (in {place}) names"),
                "the file was written by software that did not exist yet at the dates it claims, so those dates were set by hand or carried over from an older file",
            )
        };
        out.push(finding(
            "anachronism",
            format!(
                "{named_as} {}, first released {}, but the latest date this document claims is {} ({}), {} before that release and earlier than its previews ({} days allowed): {why}",
                release.name,
                format_day(release.released),
                format_day(claimed),
                date_label(report.kind, field),
                format_span(release.released - claimed),
                release.prerelease_days,
            ),
            evidence,
        ));
    }
}

// ---------------------------------------------------------------------------
// Editing software.

/// Programs that edit what another program made, by a name they write in
/// metadata (lower case, matched as a substring of the software field).
/// Converters and libraries that also create documents (Ghostscript,
/// Distiller, PDFMaker, Adobe PDF Library, iText, Skia, qpdf, pikepdf,
/// pypdf) are not here: their name says how a file was made, not that it
/// was changed. The tools listed open an existing file and save it again
/// (pdftk and PDFsam cannot make a PDF from nothing).
pub const EDITORS: &[(&str, &str)] = &[
    // Raster editors and photo developers (EXIF Software, XMP CreatorTool).
    // First match wins: "Adobe Photoshop Lightroom" is Lightroom.
    ("lightroom", "Adobe Lightroom"),
    ("photoshop", "Adobe Photoshop"),
    ("gimp", "GIMP"),
    ("paint.net", "Paint.NET"),
    ("pixelmator", "Pixelmator"),
    ("affinity photo", "Affinity Photo"),
    ("snapseed", "Snapseed"),
    ("photoscape", "PhotoScape"),
    ("picasa", "Picasa"),
    ("acdsee", "ACDSee"),
    ("paintshop", "Corel PaintShop Pro"),
    ("paint shop pro", "Corel PaintShop Pro"),
    ("photo-paint", "Corel PHOTO-PAINT"),
    ("darktable", "darktable"),
    ("rawtherapee", "RawTherapee"),
    ("capture one", "Capture One"),
    ("luminar", "Luminar"),
    ("photopea", "Photopea"),
    ("picsart", "PicsArt"),
    ("fotor", "Fotor"),
    ("polarr", "Polarr"),
    ("illustrator", "Adobe Illustrator"),
    ("inkscape", "Inkscape"),
    ("canva", "Canva"),
    // PDF editors (Producer or Creator after an edit).
    ("adobe acrobat pro", "Adobe Acrobat Pro"),
    ("acrobat pro dc", "Adobe Acrobat Pro"),
    ("foxit phantompdf", "Foxit PhantomPDF"),
    ("foxit pdf editor", "Foxit PDF Editor"),
    ("nitro pro", "Nitro Pro"),
    ("nitro pdf", "Nitro PDF"),
    ("pdf-xchange editor", "PDF-XChange Editor"),
    ("pdfelement", "Wondershare PDFelement"),
    ("ilovepdf", "iLovePDF"),
    ("smallpdf", "Smallpdf"),
    ("sejda", "Sejda"),
    ("pdfescape", "PDFescape"),
    ("master pdf editor", "Master PDF Editor"),
    ("pdftk", "pdftk"),
    ("pdfsam", "PDFsam"),
];

fn editor_in(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    EDITORS
        .iter()
        .find(|(needle, _)| lower.contains(needle))
        .map(|(_, name)| *name)
}

fn edited_with(report: &DocumentReport, out: &mut Vec<Finding>) {
    let mut by_editor: Vec<(&'static str, BTreeMap<String, String>)> = Vec::new();
    for (place, text) in software_fields(report) {
        let Some(editor) = editor_in(&text) else {
            continue;
        };
        match by_editor.iter_mut().find(|(e, _)| *e == editor) {
            Some((_, places)) => {
                places.insert(place, text);
            }
            None => by_editor.push((editor, BTreeMap::from([(place, text)]))),
        }
    }
    let camera = match (&report.metadata.camera_make, &report.metadata.camera_model) {
        // Canon writes "Canon" and "Canon EOS 80D".
        (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(model.clone())
        }
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (Some(one), None) | (None, Some(one)) => Some(one.clone()),
        (None, None) => None,
    };
    for (editor, places) in by_editor {
        let named: Vec<String> = places
            .iter()
            .map(|(p, v)| format!("{v:?} in {p}"))
            .collect();
        let mut detail = format!(
            "{editor} is named in the metadata ({}): the file was saved by an editor",
            named.join(", ")
        );
        if let Some(camera) = &camera {
            detail.push_str(&format!(" after it left the camera ({camera})"));
        }
        let mut evidence = places;
        evidence.insert("editor".into(), editor.into());
        if let Some(camera) = camera.clone() {
            evidence.insert("camera".into(), camera);
        }
        out.push(finding("edited-with", detail, evidence));
    }
    // Begun in Word, saved by another program: Word's global template is
    // Normal.dot(m); other programs that write it copy it from the file.
    let m = &report.metadata;
    if let (Some(template), Some(app)) = (&m.template, &m.application) {
        let t = template.to_lowercase();
        let word_template = t == "normal" || t.starts_with("normal.dot");
        let lower_app = app.to_lowercase();
        if word_template && !lower_app.contains("microsoft") && !lower_app.contains("word") {
            let mut evidence = BTreeMap::new();
            evidence.insert("template".into(), template.clone());
            evidence.insert("application".into(), app.clone());
            out.push(finding(
                "edited-with",
                format!(
                    "the document is based on {template}, Microsoft Word's global template, but was last saved by {app}: it was begun in Word and edited in another program"
                ),
                evidence,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamis_calendar::unix_from_civil;

    #[test]
    fn civil_round_trip() {
        for (y, mo, d, h, mi, s) in [
            (1970, 1, 1, 0, 0, 0),
            (2000, 2, 29, 23, 59, 59),
            (2017, 4, 27, 9, 12, 3),
            (1601, 1, 1, 0, 0, 0),
            (2400, 12, 31, 12, 0, 0),
        ] {
            let t = unix_from_civil(y, mo, d, h, mi, s).expect("valid");
            assert_eq!(civil_from_unix(t), (y, mo, d, h, mi, s));
        }
        assert_eq!(unix_from_civil(2017, 4, 27, 9, 12, 3), Some(1_493_284_323));
        assert_eq!(unix_from_civil(2017, 2, 29, 0, 0, 0), None);
        assert_eq!(unix_from_civil(0, 0, 0, 0, 0, 0), None);
        assert_eq!(
            day(2007, 1, 30),
            unix_from_civil(2007, 1, 30, 0, 0, 0).expect("valid")
        );
        assert_eq!(format_utc(1_493_284_323), "2017-04-27 09:12:03 UTC");
    }

    #[test]
    fn products_are_recognised() {
        assert_eq!(
            products_in("LibreOffice/7.3.7.2$Linux_X86_64 LibreOffice_project/30$Build-2"),
            vec![Product::LibreOffice(7, 3)]
        );
        assert_eq!(
            products_in("LibreOffice 6.4"),
            vec![Product::LibreOffice(6, 4)]
        );
        assert_eq!(
            products_in("OpenOffice.org/3.2$Win32 OpenOffice.org_project/320m12$Build-9483"),
            vec![Product::OpenOfficeOrg(3)]
        );
        assert_eq!(
            products_in("Acrobat Distiller 9.0.0 (Windows)"),
            vec![Product::Acrobat(9)]
        );
        assert_eq!(
            products_in("Adobe PDF Library 15.0"),
            vec![Product::Acrobat(15)]
        );
        assert_eq!(
            products_in("Microsoft® Word 2016"),
            vec![Product::OfficeYear(2016)]
        );
        assert_eq!(
            products_in("Microsoft® Word for Microsoft 365"),
            vec![Product::Microsoft365]
        );
        assert_eq!(products_in("Microsoft Excel"), vec![]);
        assert_eq!(products_in("Microsoft Excel 16.0.20161"), vec![]);
        assert_eq!(
            products_in("Adobe Acrobat Pro DC 20.9.20067"),
            vec![Product::Acrobat(20)]
        );
        assert_eq!(
            products_in("Adobe Acrobat Pro DC"),
            vec![Product::Acrobat(15)]
        );
        assert_eq!(
            products_in("Adobe Acrobat Pro 11.0.23"),
            vec![Product::Acrobat(11)]
        );
        assert_eq!(
            products_in("Acrobat PDFMaker 11 for Word"),
            vec![Product::Acrobat(11)]
        );
        assert_eq!(products_in("GPL Ghostscript 9.26"), vec![]);
        assert_eq!(
            fonts_in("ABCDEF+Calibri-Bold"),
            Some(Product::ClearTypeFont)
        );
        assert_eq!(fonts_in("Times New Roman"), None);
    }

    fn at(y: i64, mo: u32, d: u32) -> i64 {
        unix_from_civil(y, mo, d, 12, 0, 0).expect("valid")
    }

    fn report(kind: Kind, fill: impl FnOnce(&mut crate::Metadata)) -> DocumentReport {
        let mut r = DocumentReport::new(kind, 0);
        fill(&mut r.metadata);
        r
    }

    fn found(r: &DocumentReport, options: &Options) -> Vec<String> {
        document_findings(r, options)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn consistent_office_dates_show_nothing() {
        let r = report(Kind::Ooxml, |m| {
            m.created = Some(at(2016, 3, 1));
            m.modified = Some(at(2016, 3, 2));
            m.printed = Some(at(2016, 3, 2));
            m.application = Some("Microsoft Office Word".into());
            m.app_version = Some("16.0000".into());
        });
        let options = Options {
            leak_date: Some(at(2017, 5, 5)),
            ..Options::default()
        };
        assert!(
            found(&r, &options).is_empty(),
            "{:?}",
            document_findings(&r, &options)
        );
    }

    #[test]
    fn modified_before_created_beyond_tolerance() {
        let created = at(2016, 3, 1);
        let within = report(Kind::Ooxml, |m| {
            m.created = Some(created);
            m.modified = Some(created - ORDER_TOLERANCE_SECS);
        });
        assert!(found(&within, &Options::default()).is_empty());
        let before = report(Kind::Ooxml, |m| {
            m.created = Some(created);
            m.modified = Some(created - 3 * 86_400);
        });
        let f = document_findings(&before, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "dates-inconsistent");
        assert!(
            f[0].detail
                .starts_with("last modified (2016-02-27 12:00:00 UTC) is 3 days before created"),
            "{}",
            f[0].detail
        );
        assert_eq!(f[0].evidence["difference"], "3 days");
    }

    #[test]
    fn printed_before_created_taken_after_modified_and_old_dates() {
        let printed = report(Kind::Ole2, |m| {
            m.created = Some(at(2016, 3, 1));
            m.printed = Some(at(2014, 1, 1));
        });
        assert_eq!(
            found(&printed, &Options::default()),
            vec!["dates-inconsistent"]
        );
        let photo = report(Kind::Jpeg, |m| {
            m.taken = Some(at(2017, 4, 27));
            m.modified = Some(at(2017, 4, 20));
        });
        let f = document_findings(&photo, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].detail
                .contains("cannot be modified before it is taken"),
            "{}",
            f[0].detail
        );
        let old = report(Kind::Pdf, |m| m.created = Some(at(1975, 1, 1)));
        assert_eq!(found(&old, &Options::default()), vec!["dates-inconsistent"]);
        // A camera whose clock was never set writes 1980-01-01: no finding.
        let reset = report(Kind::Jpeg, |m| {
            m.taken = unix_from_civil(1980, 1, 1, 0, 0, 0)
        });
        assert!(found(&reset, &Options::default()).is_empty());
    }

    #[test]
    fn dates_after_the_leak_count_beyond_any_time_zone() {
        let leak = at(2017, 5, 5);
        let options = Options {
            leak_date: Some(leak),
            ..Options::default()
        };
        let near = report(Kind::Pdf, |m| m.modified = Some(leak + 10 * 3600));
        assert!(found(&near, &options).is_empty());
        let after = report(Kind::Pdf, |m| m.modified = Some(leak + 2 * 86_400));
        assert_eq!(found(&after, &options), vec!["dates-inconsistent"]);
        // Without a leak date there is no "future": no clock is read.
        let far = report(Kind::Pdf, |m| m.modified = Some(at(2090, 1, 1)));
        assert!(found(&far, &Options::default()).is_empty());
    }

    #[test]
    fn office_2016_in_a_2005_document_is_an_anachronism_unless_resaved_later() {
        let forged = report(Kind::Ooxml, |m| {
            m.created = Some(at(2005, 6, 15));
            m.modified = Some(at(2005, 6, 16));
            m.application = Some("Microsoft Office Word".into());
            m.app_version = Some("16.0000".into());
            m.raw
                .insert("docProps/app.xml AppVersion".into(), "16.0000".into());
        });
        let f = document_findings(&forged, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "anachronism");
        assert_eq!(
            f[0].evidence["docProps/app.xml AppVersion"],
            "AppVersion 16.0000"
        );
        assert_eq!(f[0].evidence["released"], "2015-07-09");
        assert!(f[0].evidence["source"].contains("Office 2016"));
        // An old document opened and saved again in 2019: its created date
        // stays in 2005, its modified date is after the release.
        let resaved = report(Kind::Ooxml, |m| {
            m.created = Some(at(2005, 6, 15));
            m.modified = Some(at(2019, 1, 10));
            m.app_version = Some("16.0000".into());
        });
        assert!(found(&resaved, &Options::default()).is_empty());
        // LibreOffice writes an AppVersion of its own: not Office's table.
        let libre = report(Kind::Ooxml, |m| {
            m.modified = Some(at(2005, 6, 16));
            m.application =
                Some("LibreOffice/7.3.7.2$Linux_X86_64 LibreOffice_project/30$Build-2".into());
            m.app_version = Some("15.0000".into());
        });
        let f = document_findings(&libre, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].detail.contains("LibreOffice 7.3"), "{}", f[0].detail);
    }

    #[test]
    fn an_office_open_xml_file_cannot_predate_its_format() {
        let at = |y, mo, d| days_from_civil(y, mo, d) * 86_400;
        let saved = |modified| {
            report(Kind::Ooxml, |m| {
                m.created = Some(at(1999, 1, 1));
                m.modified = Some(modified);
            })
        };
        // Before the format was announced: flagged, whatever made it.
        let f = document_findings(&saved(at(2004, 12, 1)), &Options::default());
        let codes: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert!(codes.contains(&"anachronism"), "{f:?}");
        let format = f
            .iter()
            .find(|f| f.evidence.contains_key("format"))
            .unwrap();
        assert_eq!(format.evidence["released"], "2006-11-30");
        // A converted old file keeps its 1999 creation date but was saved
        // (modified) after the announcement: not flagged.
        let f = document_findings(&saved(at(2005, 8, 1)), &Options::default());
        assert!(
            f.iter().all(|f| !f.evidence.contains_key("format")),
            "{f:?}"
        );
        // The same dates on a legacy .doc are no anachronism.
        let doc = report(Kind::Ole2, |m| m.modified = Some(at(2004, 12, 1)));
        assert!(document_findings(&doc, &Options::default()).is_empty());
    }

    #[test]
    fn producers_and_fonts_have_release_dates() {
        let distiller = |t| {
            report(Kind::Pdf, |m| {
                m.created = Some(t);
                m.modified = Some(t);
                m.producer = Some("Acrobat Distiller 9.0.0 (Windows)".into());
            })
        };
        assert_eq!(
            found(&distiller(at(2006, 3, 1)), &Options::default()),
            vec!["anachronism"]
        );
        // Within Acrobat 9's prerelease allowance: not flagged.
        assert!(found(&distiller(at(2008, 3, 1)), &Options::default()).is_empty());
        let word = report(Kind::Pdf, |m| {
            m.created = Some(at(2012, 1, 1));
            m.application = Some("Microsoft® Word 2016".into());
        });
        assert_eq!(found(&word, &Options::default()), vec!["anachronism"]);
        // A PDF: an OOXML file of 2003 would also be flagged for its format.
        let calibri = report(Kind::Pdf, |m| {
            m.created = Some(at(2003, 2, 1));
            m.modified = Some(at(2003, 2, 2));
            for font in ["Calibri", "Cambria Math", "Times New Roman"] {
                m.add_font(font);
            }
        });
        let f = document_findings(&calibri, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "anachronism");
        assert!(
            f[0].detail.starts_with(
                "the document's fonts include Calibri, Cambria Math, of the ClearType Font Collection"
            ),
            "{}",
            f[0].detail
        );
        assert!(f[0].detail.contains("uses a font"), "{}", f[0].detail);
        assert_eq!(f[0].evidence["fonts"], "Calibri, Cambria Math");
        assert_eq!(f[0].evidence["released"], "2006-11-30");
        assert_eq!(
            f[0].evidence["latest date claimed (modified)"],
            "2003-02-02 12:00:00 UTC"
        );
        // Font names elsewhere in the metadata are not the fonts used.
        let named = report(Kind::Pdf, |m| {
            m.modified = Some(at(2003, 2, 2));
            m.title = Some("Calibri".into());
            m.raw.insert("font Cambria Math".into(), "Calibri".into());
        });
        assert!(found(&named, &Options::default()).is_empty());
        // Aptos in 2005 is flagged; Consolas, within the ClearType fonts'
        // previews, is not.
        let aptos = report(Kind::Pdf, |m| {
            m.modified = Some(at(2005, 2, 2));
            m.add_font("ABCDEF+Aptos-Bold");
            m.add_font("Consolas");
        });
        let f = document_findings(&aptos, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].evidence["fonts"], "Aptos-Bold");
        // Within the ClearType fonts' two years of previews: not flagged.
        let calibri_2005 = report(Kind::Pdf, |m| {
            m.modified = Some(at(2005, 2, 2));
            m.add_font("ABCDEF+Calibri-Bold");
        });
        assert!(found(&calibri_2005, &Options::default()).is_empty());
        let calibri_2008 = report(Kind::Ole2, |m| {
            m.modified = Some(at(2008, 2, 2));
            m.add_font("Calibri");
        });
        assert!(found(&calibri_2008, &Options::default()).is_empty());
        // Judged against the latest date claimed: an old document saved
        // again after the release uses its fonts legitimately.
        let resaved = report(Kind::Ooxml, |m| {
            m.created = Some(at(2003, 2, 1));
            m.modified = Some(at(2010, 2, 2));
            m.add_font("Calibri");
        });
        assert!(found(&resaved, &Options::default()).is_empty());
        // No date, nothing to compare with.
        let undated = report(Kind::Pdf, |m| {
            m.producer = Some("Adobe PDF Library 15.0".into())
        });
        assert!(found(&undated, &Options::default()).is_empty());
    }

    #[test]
    fn editors_are_named_and_converters_are_not() {
        let pdf = |producer: &str, creator: &str| {
            report(Kind::Pdf, |m| {
                m.producer = Some(producer.into());
                m.application = Some(creator.into());
            })
        };
        for (producer, creator) in [
            (
                "Acrobat Distiller 10.1.8 (Windows)",
                "PScript5.dll Version 5.2.2",
            ),
            ("Adobe PDF Library 15.0", "Acrobat PDFMaker 15 for Word"),
            ("Microsoft® Word 2016", "Microsoft® Word 2016"),
            ("GPL Ghostscript 9.26", "LaTeX with hyperref"),
            ("iText® 5.5.13 ©2000-2018 iText Group NV", "JasperReports"),
            ("pikepdf 10.17.0", "make-pdf-fixtures.py"),
        ] {
            assert!(
                found(&pdf(producer, creator), &Options::default()).is_empty(),
                "{producer} / {creator}"
            );
        }
        let edited = pdf("Nitro Pro 9 (9. 5. 1. 5)", "Microsoft® Word 2010");
        let f = document_findings(&edited, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].code, "edited-with");
        assert_eq!(f[0].evidence["editor"], "Nitro Pro");
        assert_eq!(f[0].evidence["producer"], "Nitro Pro 9 (9. 5. 1. 5)");
        // Begun in Word (its Normal template), saved by LibreOffice.
        let moved = report(Kind::Ooxml, |m| {
            m.template = Some("Normal.dotm".into());
            m.application =
                Some("LibreOffice/6.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2".into());
        });
        let f = document_findings(&moved, &Options::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].detail.contains("begun in Word"), "{}", f[0].detail);
        // Camera firmware is not an editor.
        let camera = report(Kind::Jpeg, |m| {
            m.application = Some("Ver.1.10".into());
            m.raw.insert("EXIF Software".into(), "Ver.1.10".into());
        });
        assert!(found(&camera, &Options::default()).is_empty());
    }

    #[test]
    fn unknown_newer_versions_use_the_newest_known_release() {
        assert_eq!(
            release_of(Product::LibreOffice(26, 2)).map(|r| r.name),
            Some("LibreOffice 25.2")
        );
        assert_eq!(
            release_of(Product::LibreOffice(7, 3)).map(|r| r.name),
            Some("LibreOffice 7.3")
        );
        assert_eq!(release_of(Product::LibreOffice(3, 2)).map(|r| r.name), None);
        assert_eq!(
            release_of(Product::Acrobat(23)).map(|r| r.name),
            Some("Adobe Acrobat 2017 (17)")
        );
        assert_eq!(
            release_of(Product::Office(17)).map(|r| r.name),
            release_of(Product::Office(16)).map(|r| r.name)
        );
    }
}
