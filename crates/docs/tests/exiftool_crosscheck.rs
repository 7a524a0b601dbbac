//! The metadata tamis reads, checked against exiftool's on the same files:
//! every fixture under fixtures/docs/ (images, PDF, Office, whatever is
//! there when the test runs), `exiftool -json -G1 -n -r` once over them.
//!
//! exiftool is installed by crates/docs/install-exiftool.sh when missing.
//! If it cannot be, the test fails, loudly, unless TAMIS_SKIP_EXIFTOOL=1.
//!
//! The mapping, tamis field ← exiftool tags (-G1 group:name), by format.
//! Where a format keeps a field twice (PDF Info and XMP), tamis may take
//! either: its value must equal one of the listed tags present.
//!
//! | format | tamis field | exiftool tags |
//! | --- | --- | --- |
//! | JPEG, TIFF, PNG (EXIF) | camera_make / camera_model | IFD0:Make / IFD0:Model |
//! | | application | IFD0:Software |
//! | | author | IFD0:Artist, IFD0:XPAuthor |
//! | | title | IFD0:ImageDescription, IFD0:XPTitle |
//! | | modified | IFD0:ModifyDate with ExifIFD:OffsetTime |
//! | | taken | ExifIFD:DateTimeOriginal with ExifIFD:OffsetTimeOriginal |
//! | | created | ExifIFD:CreateDate (DateTimeDigitized) with ExifIFD:OffsetTimeDigitized |
//! | | gps | Composite:GPSLatitude, Composite:GPSLongitude (signed; ±1e-6°) |
//! | PDF | author | PDF:Author, XMP-dc:Creator |
//! | | title | PDF:Title, XMP-dc:Title |
//! | | application | PDF:Creator, XMP-xmp:CreatorTool |
//! | | producer | PDF:Producer, XMP-pdf:Producer |
//! | | created / modified | PDF:CreateDate, XMP-xmp:CreateDate / PDF:ModifyDate, XMP-xmp:ModifyDate |
//! | OOXML | author | XMP-dc:Creator (exiftool files core.xml's dc:* under XMP-dc) |
//! | | last_modified_by | XML:LastModifiedBy |
//! | | title | XMP-dc:Title |
//! | | created / modified / printed | XML:CreateDate / XML:ModifyDate / XML:LastPrinted |
//! | | application / app_version | XML:Application / XML:AppVersion (a number with -n: compared as numbers) |
//! | | company / template | XML:Company / XML:Template |
//! | ODF | author | XMP-meta:Initial-creator (ODF's dc:creator is the last editor) |
//! | | last_modified_by | XMP-dc:Creator |
//! | | title | XMP-dc:Title |
//! | | created / modified | XMP-meta:Creation-date / XMP-dc:Date |
//! | | application | XMP-meta:Generator |
//! | OLE2 | author / last_modified_by | FlashPix:Author / FlashPix:LastModifiedBy |
//! | | title | FlashPix:Title |
//! | | created / modified / printed | FlashPix:CreateDate / FlashPix:ModifyDate / FlashPix:LastPrinted |
//! | | application | FlashPix:Software |
//! | | app_version, else the custom property AppVersion | FlashPix:AppVersion (exiftool gives PIDDSI_VERSION and a user-defined property named AppVersion the same tag name) |
//! | | company / template / codepage | FlashPix:Company / FlashPix:Template / FlashPix:CodePage |
//!
//! Times: exiftool prints `YYYY:MM:DD HH:MM:SS[.fff][Z|±HH:MM]`; a time
//! without a zone is read as UTC, tamis's documented convention; EXIF's
//! zone is in its own OffsetTime* tag. A zero time (exiftool's `0` or
//! `0000:00:00 00:00:00`, an OLE2 FILETIME of 0) is no time.
//!
//! Both sides are compared both ways: a value only one tool reads fails
//! too. Files that either tool reports as unreadable (exiftool's Error
//! tag, a tamis `problem`) are compared only on the fields both read.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use tamis_docs::{inspect, DocumentReport, Kind, Options};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// exiftool on the PATH, installing it when missing; `false` only when it
/// could not be had and TAMIS_SKIP_EXIFTOOL=1 allows skipping.
fn ensure_exiftool() -> bool {
    let has_it = || {
        Command::new("exiftool")
            .arg("-ver")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let script = root().join("crates/docs/install-exiftool.sh");
    // The script also installs Archive::Zip, without which exiftool reads
    // nothing in Office files; it returns at once when all is there.
    let installed = Command::new("bash")
        .arg(&script)
        .status()
        .is_ok_and(|s| s.success());
    if installed && has_it() {
        return true;
    }
    let message = format!(
        "\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
         exiftool is missing and {} could not install it:\n\
         the cross-check of tamis's metadata against exiftool did NOT run.\n\
         !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
        script.display()
    );
    if std::env::var("TAMIS_SKIP_EXIFTOOL").as_deref() == Ok("1") {
        eprintln!("{message}(TAMIS_SKIP_EXIFTOOL=1: skipped)");
        return false;
    }
    panic!("{message}set TAMIS_SKIP_EXIFTOOL=1 to skip it knowingly");
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            fixture_files(&path, out);
        } else if !matches!(
            path.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("py" | "sh" | "txt" | "md" | "json" | "tsv")
        ) {
            out.push(path);
        }
    }
}

/// exiftool's time as Unix seconds; `offset` is EXIF's separate zone.
fn exif_time(text: &str, offset: Option<&str>) -> Option<i64> {
    let b = text.trim().as_bytes();
    if b.len() < 19 || b.starts_with(b"0000") {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<i64> {
        std::str::from_utf8(b.get(r)?).ok()?.parse().ok()
    };
    let (y, mo, d, h, mi, s) = (
        n(0..4)?,
        n(5..7)?,
        n(8..10)?,
        n(11..13)?,
        n(14..16)?,
        n(17..19)?,
    );
    let days_before_year: i64 = (1970..y)
        .map(|yy| {
            if (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 {
                366
            } else {
                365
            }
        })
        .sum::<i64>()
        - (y..1970)
            .map(|yy| {
                if (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0 {
                    366
                } else {
                    365
                }
            })
            .sum::<i64>();
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let days = days_before_year
        + month_days
            .get(..(mo as usize).checked_sub(1)?)?
            .iter()
            .sum::<i64>()
        + d
        - 1;
    let local = days * 86_400 + h * 3600 + mi * 60 + s;
    // The zone: after the seconds (and a fraction), or EXIF's own tag.
    let rest = std::str::from_utf8(&b[19..])
        .ok()?
        .trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let zone = if rest.is_empty() {
        offset.unwrap_or("")
    } else {
        rest
    };
    let shift = if zone.is_empty() || zone == "Z" {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
        let hh: i64 = digits.get(0..2)?.parse().ok()?;
        let mm: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
        sign * (hh * 3600 + mm * 60)
    };
    Some(local - shift)
}

#[derive(Clone, Copy)]
enum How {
    Text,
    Number,
    Time,
    /// EXIF time whose zone is the named tag.
    ExifTime(&'static str),
}

type Mapping = (&'static str, &'static [&'static str], How);

fn mapping(kind: Kind) -> &'static [Mapping] {
    match kind {
        Kind::Jpeg | Kind::Tiff | Kind::Png => &[
            ("camera_make", &["IFD0:Make"], How::Text),
            ("camera_model", &["IFD0:Model"], How::Text),
            ("application", &["IFD0:Software"], How::Text),
            ("author", &["IFD0:Artist", "IFD0:XPAuthor"], How::Text),
            (
                "title",
                &["IFD0:ImageDescription", "IFD0:XPTitle"],
                How::Text,
            ),
            (
                "modified",
                &["IFD0:ModifyDate"],
                How::ExifTime("ExifIFD:OffsetTime"),
            ),
            (
                "taken",
                &["ExifIFD:DateTimeOriginal"],
                How::ExifTime("ExifIFD:OffsetTimeOriginal"),
            ),
            (
                "created",
                &["ExifIFD:CreateDate"],
                How::ExifTime("ExifIFD:OffsetTimeDigitized"),
            ),
        ],
        Kind::Pdf => &[
            ("author", &["PDF:Author", "XMP-dc:Creator"], How::Text),
            ("title", &["PDF:Title", "XMP-dc:Title"], How::Text),
            (
                "application",
                &["PDF:Creator", "XMP-xmp:CreatorTool"],
                How::Text,
            ),
            ("producer", &["PDF:Producer", "XMP-pdf:Producer"], How::Text),
            (
                "created",
                &["PDF:CreateDate", "XMP-xmp:CreateDate"],
                How::Time,
            ),
            (
                "modified",
                &["PDF:ModifyDate", "XMP-xmp:ModifyDate"],
                How::Time,
            ),
        ],
        Kind::Ooxml => &[
            ("author", &["XMP-dc:Creator"], How::Text),
            ("last_modified_by", &["XML:LastModifiedBy"], How::Text),
            ("title", &["XMP-dc:Title"], How::Text),
            ("created", &["XML:CreateDate"], How::Time),
            ("modified", &["XML:ModifyDate"], How::Time),
            ("printed", &["XML:LastPrinted"], How::Time),
            ("application", &["XML:Application"], How::Text),
            ("app_version", &["XML:AppVersion"], How::Number),
            ("company", &["XML:Company"], How::Text),
            ("template", &["XML:Template"], How::Text),
        ],
        Kind::Odf => &[
            ("author", &["XMP-meta:Initial-creator"], How::Text),
            ("last_modified_by", &["XMP-dc:Creator"], How::Text),
            ("title", &["XMP-dc:Title"], How::Text),
            ("created", &["XMP-meta:Creation-date"], How::Time),
            ("modified", &["XMP-dc:Date"], How::Time),
            ("application", &["XMP-meta:Generator"], How::Text),
        ],
        Kind::Ole2 => &[
            ("author", &["FlashPix:Author"], How::Text),
            ("last_modified_by", &["FlashPix:LastModifiedBy"], How::Text),
            ("title", &["FlashPix:Title"], How::Text),
            ("created", &["FlashPix:CreateDate"], How::Time),
            ("modified", &["FlashPix:ModifyDate"], How::Time),
            ("printed", &["FlashPix:LastPrinted"], How::Time),
            ("application", &["FlashPix:Software"], How::Text),
            (
                "app_version or custom AppVersion",
                &["FlashPix:AppVersion"],
                How::Number,
            ),
            ("company", &["FlashPix:Company"], How::Text),
            ("template", &["FlashPix:Template"], How::Text),
            ("codepage", &["FlashPix:CodePage"], How::Number),
        ],
        Kind::Text | Kind::Html | Kind::Unknown => &[],
    }
}

/// tamis's value of a field, as text (times as Unix seconds).
fn tamis_value(r: &DocumentReport, field: &str) -> Option<String> {
    let m = &r.metadata;
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match field {
        "author" => text(&m.author),
        "last_modified_by" => text(&m.last_modified_by),
        "title" => text(&m.title),
        "application" => text(&m.application),
        "app_version" => text(&m.app_version),
        // exiftool names a user-defined property by its own name, so its
        // FlashPix:AppVersion is PIDDSI_VERSION or a custom property called
        // AppVersion (LibreOffice moves OOXML's AppVersion there).
        "app_version or custom AppVersion" => text(&m.app_version).or_else(|| {
            m.custom.get("AppVersion").cloned().or_else(|| {
                m.raw
                    .iter()
                    .find(|(k, _)| k.ends_with("custom AppVersion"))
                    .map(|(_, v)| v.clone())
            })
        }),
        "producer" => text(&m.producer),
        "company" => text(&m.company),
        "template" => text(&m.template),
        "camera_make" => text(&m.camera_make),
        "camera_model" => text(&m.camera_model),
        "codepage" => m.codepage.map(|c| c.to_string()),
        "created" => m.created.map(|t| t.to_string()),
        "modified" => m.modified.map(|t| t.to_string()),
        "printed" => m.printed.map(|t| t.to_string()),
        "taken" => m.taken.map(|t| t.to_string()),
        other => panic!("no tamis field {other}"),
    }
}

/// exiftool's values for a field (one per listed tag present, arrays
/// flattened), normalized as tamis's are.
fn exiftool_values(e: &BTreeMap<String, Value>, tags: &[&str], how: How) -> Vec<String> {
    let mut out = Vec::new();
    for tag in tags {
        let Some(v) = e.get(*tag) else { continue };
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let text = match item {
                Value::String(s) => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            let value = match how {
                How::Text | How::Number => (!text.is_empty()).then_some(text),
                How::Time => exif_time(&text, None).map(|t| t.to_string()),
                How::ExifTime(zone_tag) => {
                    exif_time(&text, e.get(zone_tag).and_then(Value::as_str)).map(|t| t.to_string())
                }
            };
            out.extend(value);
        }
    }
    out
}

fn same(how: How, tamis: &str, exiftool: &str) -> bool {
    match how {
        How::Number => match (tamis.parse::<f64>(), exiftool.parse::<f64>()) {
            (Ok(a), Ok(b)) => (a - b).abs() < 1e-9,
            _ => tamis == exiftool,
        },
        _ => tamis == exiftool,
    }
}

#[test]
fn tamis_reads_what_exiftool_reads() {
    if !ensure_exiftool() {
        return;
    }
    let dir = root().join("fixtures/docs");
    let mut files = Vec::new();
    fixture_files(&dir, &mut files);
    assert!(!files.is_empty(), "no fixtures under {}", dir.display());

    let output = Command::new("exiftool")
        .args(["-json", "-G1", "-n", "-q", "-q"])
        .args(&files)
        .output()
        .expect("exiftool runs");
    let parsed: Vec<BTreeMap<String, Value>> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| {
            panic!(
                "exiftool's JSON does not parse ({e}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let by_file: BTreeMap<PathBuf, &BTreeMap<String, Value>> = parsed
        .iter()
        .filter_map(|e| {
            Some((
                std::fs::canonicalize(e.get("SourceFile")?.as_str()?).ok()?,
                e,
            ))
        })
        .collect();

    let mut compared = 0;
    let mut agreed = 0;
    let mut failures = Vec::new();
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let shown = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .display()
            .to_string();
        let bytes = std::fs::read(path).expect("readable fixture");
        let report = inspect(
            &bytes,
            path.file_name().and_then(|n| n.to_str()),
            &Options::default(),
        );
        let Some(e) = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| by_file.get(&p).copied())
        else {
            failures.push(format!("{shown}: exiftool printed nothing for it"));
            continue;
        };
        let unreadable = e.contains_key("ExifTool:Error") || !report.problems.is_empty();
        let mut fields_here = 0;
        for &(field, tags, how) in mapping(report.kind) {
            let ours = tamis_value(&report, field);
            let theirs = exiftool_values(e, tags, how);
            match (&ours, theirs.is_empty()) {
                (None, true) => continue,
                (Some(_), true) | (None, false) if unreadable => continue,
                (Some(t), true) => failures.push(format!(
                    "{shown}: tamis {field} = {t:?}, exiftool has none of {tags:?}"
                )),
                (None, false) => failures.push(format!(
                    "{shown}: tamis has no {field}, exiftool {tags:?} = {theirs:?}"
                )),
                (Some(t), false) => {
                    if theirs.iter().any(|x| same(how, t, x)) {
                        agreed += 1;
                    } else {
                        failures.push(format!(
                            "{shown}: tamis {field} = {t:?}, exiftool {tags:?} = {theirs:?}"
                        ));
                    }
                }
            }
            compared += 1;
            fields_here += 1;
        }
        if matches!(report.kind, Kind::Jpeg | Kind::Tiff | Kind::Png) {
            let lat = e.get("Composite:GPSLatitude").and_then(Value::as_f64);
            let lon = e.get("Composite:GPSLongitude").and_then(Value::as_f64);
            match (report.metadata.gps, lat.zip(lon)) {
                (None, None) => {}
                (Some((a, b)), Some((c, d))) if (a - c).abs() < 1e-6 && (b - d).abs() < 1e-6 => {
                    agreed += 1;
                    compared += 1;
                    fields_here += 1;
                }
                (ours, theirs) => {
                    compared += 1;
                    failures.push(format!("{shown}: tamis gps = {ours:?}, exiftool Composite:GPSLatitude/Longitude = {theirs:?}"));
                }
            }
        }
        *per_kind.entry(format!("{:?}", report.kind)).or_default() += fields_here;
    }
    eprintln!(
        "exiftool cross-check: {} files, {compared} field comparisons, {agreed} agree; by kind: {per_kind:?}",
        files.len()
    );
    for f in &failures {
        eprintln!("  MISMATCH {f}");
    }
    assert!(
        compared >= 20,
        "only {compared} comparisons: the cross-check cannot pass on nothing"
    );
    assert!(
        failures.is_empty(),
        "{} mismatches with exiftool (listed above)",
        failures.len()
    );
}
