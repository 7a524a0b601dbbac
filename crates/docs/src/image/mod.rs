//! Images: EXIF, and whether the embedded thumbnail shows the same picture.
//!
//! EXIF is read by `kamadak-exif` from JPEG (APP1), TIFF (the file is the
//! EXIF structure) and PNG (the `eXIf` chunk). What is mapped:
//!
//! | EXIF tag | `Metadata` field |
//! | --- | --- |
//! | Make, Model | `camera_make`, `camera_model` |
//! | Software | `application` |
//! | Artist (else Windows XPAuthor) | `author` |
//! | ImageDescription (else XPTitle), XPSubject | `title`, `subject` |
//! | DateTime (+ OffsetTime) | `modified` |
//! | DateTimeOriginal (+ OffsetTimeOriginal) | `taken` |
//! | DateTimeDigitized (+ OffsetTimeDigitized) | `created` |
//! | GPSLatitude/Ref, GPSLongitude/Ref | `gps` (signed decimal degrees) |
//!
//! and every tag as `EXIF <TagName>` in `raw` (`EXIF thumbnail <TagName>`
//! for the thumbnail's IFD1). EXIF times are local times of the camera's
//! clock; when the matching `OffsetTime*` tag (EXIF 2.31) is absent the
//! time is read as UTC, as exiftool prints it, and `raw` says so under
//! `EXIF <TagName> zone`.

mod thumbnail;

use crate::{DocumentReport, Finding, Kind, Options};
use exif::{Exif, Field, In, Tag, Value};
use std::collections::BTreeMap;
use std::io::Cursor;
use tamis_calendar::unix_from_civil;

pub use thumbnail::{
    GRID as THUMBNAIL_GRID, MAX_DECODE_PIXELS, MISMATCH_THRESHOLD as THUMBNAIL_MISMATCH_THRESHOLD,
};

/// Longest value kept in `raw`: a MakerNote or a colour profile is
/// kilobytes of bytes nobody compares by eye.
const MAX_RAW_VALUE: usize = 512;

/// Progressive JPEGs keep every DCT coefficient of the full-size image in
/// memory whatever the output scale (about 3 bytes a pixel), so they are
/// decoded for the thumbnail comparison only up to this size.
const MAX_PROGRESSIVE_PIXELS: u64 = 25_000_000;

pub fn read(bytes: &[u8], options: &Options, report: &mut DocumentReport) {
    let exif = match read_exif(bytes, report.kind, options) {
        Ok(Some(exif)) => exif,
        Ok(None) => return,
        Err((code, detail)) => {
            report.problem(code, detail);
            return;
        }
    };
    let (exif, errors) = exif;
    if !errors.is_empty() {
        report.problem(
            "malformed",
            format!(
                "EXIF partly unreadable (what could be read is kept): {}",
                errors.join("; ")
            ),
        );
    }
    map_fields(&exif, report);
    if report.kind == Kind::Jpeg {
        check_thumbnail(bytes, &exif, report);
    } else if thumbnail_bytes(&exif).is_some() {
        report.metadata.raw.insert(
            "tamis thumbnail check".into(),
            format!(
                "not made: tamis decodes only JPEG main images, this is {:?}",
                report.kind
            ),
        );
    }
}

type ReadOutcome = Result<Option<(Exif, Vec<String>)>, (&'static str, String)>;

/// The EXIF of the file, with the errors skipped on the way; `Ok(None)`
/// when there is none (most images have none, and that is no problem).
fn read_exif(bytes: &[u8], kind: Kind, options: &Options) -> ReadOutcome {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let result = match kind {
        // The whole TIFF file is the EXIF structure and the reader wants
        // it as an owned buffer: bound the copy.
        Kind::Tiff => {
            if bytes.len() as u64 > options.max_part_bytes {
                return Err((
                    "too-large",
                    format!(
                        "TIFF of {} bytes, over the {}-byte bound: EXIF not read",
                        bytes.len(),
                        options.max_part_bytes
                    ),
                ));
            }
            reader.read_raw(bytes.to_vec())
        }
        _ => reader.read_from_container(&mut Cursor::new(bytes)),
    };
    match result {
        Ok(exif) => Ok(Some((exif, Vec::new()))),
        Err(exif::Error::NotFound(_)) => Ok(None),
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            Ok(Some((
                exif,
                errors.iter().take(5).map(|e| e.to_string()).collect(),
            )))
        }
        Err(e) => Err(("malformed", format!("EXIF could not be read: {e}"))),
    }
}

fn tag_name(field: &Field) -> String {
    // Windows Explorer's UCS-2 tags, which kamadak-exif does not name.
    match (field.tag.context(), field.tag.number()) {
        (exif::Context::Tiff, 0x9c9b) => "XPTitle".into(),
        (exif::Context::Tiff, 0x9c9c) => "XPComment".into(),
        (exif::Context::Tiff, 0x9c9d) => "XPAuthor".into(),
        (exif::Context::Tiff, 0x9c9e) => "XPKeywords".into(),
        (exif::Context::Tiff, 0x9c9f) => "XPSubject".into(),
        _ if field.tag.description().is_some() => field.tag.to_string(),
        (context, number) => format!("{context:?}-0x{number:04x}"),
    }
}

/// An ASCII field as text: the first non-empty string, trailing NULs and
/// blanks cut (cameras pad Make and Model), UTF-8 where it is (exiftool
/// reads it so), else Latin-1.
fn ascii(field: &Field) -> Option<String> {
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let part = parts
        .iter()
        .find(|p| !p.iter().all(|&b| b == 0 || b == b' '))?;
    let text = match std::str::from_utf8(part) {
        Ok(s) => s.to_owned(),
        Err(_) => part.iter().map(|&b| char::from(b)).collect(),
    };
    let text = text.trim_end_matches(['\0', ' ']).to_owned();
    (!text.is_empty()).then_some(text)
}

/// A Windows XP* tag: UCS-2 little-endian bytes, NUL-terminated.
fn ucs2(field: &Field) -> Option<String> {
    let Value::Byte(bytes) = &field.value else {
        return None;
    };
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    let text = String::from_utf16_lossy(&units).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn display(field: &Field, exif: &Exif) -> String {
    if let Some(text) = ascii(field) {
        return text;
    }
    if let Some(text) = (field.tag.context() == exif::Context::Tiff
        && (0x9c9b..=0x9c9f).contains(&field.tag.number()))
    .then(|| ucs2(field))
    .flatten()
    {
        return text;
    }
    let long = match &field.value {
        Value::Undefined(b, _) | Value::Byte(b) => b.len() > MAX_RAW_VALUE / 2,
        _ => false,
    };
    if let (true, Value::Undefined(b, _) | Value::Byte(b)) = (long, &field.value) {
        return format!("({} bytes)", b.len());
    }
    let mut text = field.display_value().with_unit(exif).to_string();
    if text.len() > MAX_RAW_VALUE {
        let mut cut = MAX_RAW_VALUE;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

fn map_fields(exif: &Exif, report: &mut DocumentReport) {
    let raw = &mut report.metadata.raw;
    let mut by_name: BTreeMap<String, String> = BTreeMap::new();
    for field in exif.fields() {
        let name = tag_name(field);
        let key = if field.ifd_num == In::PRIMARY {
            format!("EXIF {name}")
        } else if field.ifd_num == In::THUMBNAIL {
            format!("EXIF thumbnail {name}")
        } else {
            format!("EXIF IFD{} {name}", field.ifd_num.index())
        };
        // A tag written twice keeps its first value, as exiftool shows.
        by_name.entry(key).or_insert_with(|| display(field, exif));
    }
    raw.extend(by_name);

    let text = |tag: Tag| exif.get_field(tag, In::PRIMARY).and_then(ascii);
    let xp = |number: u16| {
        exif.get_field(Tag(exif::Context::Tiff, number), In::PRIMARY)
            .and_then(ucs2)
    };
    let m = &mut report.metadata;
    m.camera_make = text(Tag::Make);
    m.camera_model = text(Tag::Model);
    m.application = text(Tag::Software);
    m.author = text(Tag::Artist).or_else(|| xp(0x9c9d));
    m.title = text(Tag::ImageDescription).or_else(|| xp(0x9c9b));
    m.subject = xp(0x9c9f);
    m.modified = time(exif, Tag::DateTime, Tag::OffsetTime, &mut m.raw);
    m.taken = time(
        exif,
        Tag::DateTimeOriginal,
        Tag::OffsetTimeOriginal,
        &mut m.raw,
    );
    m.created = time(
        exif,
        Tag::DateTimeDigitized,
        Tag::OffsetTimeDigitized,
        &mut m.raw,
    );
    m.gps = gps(exif);
}

/// An EXIF time as Unix seconds: with its `OffsetTime*` when present,
/// else read as UTC (and `raw` says so).
fn time(exif: &Exif, tag: Tag, offset_tag: Tag, raw: &mut BTreeMap<String, String>) -> Option<i64> {
    let field = exif.get_field(tag, In::PRIMARY)?;
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let mut dt = exif::DateTime::from_ascii(parts.first()?).ok()?;
    let offset_text = exif
        .get_field(offset_tag, In::PRIMARY)
        .and_then(|f| match &f.value {
            Value::Ascii(p) => p.first().cloned(),
            _ => None,
        });
    let zone_key = format!("EXIF {tag} zone");
    match offset_text.map(|t| dt.parse_offset(&t)) {
        Some(Ok(())) => {}
        Some(Err(e)) => {
            raw.insert(
                zone_key,
                format!("{offset_tag} unreadable ({e}): read as UTC"),
            );
        }
        None => {
            raw.insert(
                zone_key,
                format!("none recorded (no {offset_tag}): read as UTC"),
            );
        }
    }
    let local = unix_from_civil(
        i64::from(dt.year),
        u32::from(dt.month),
        u32::from(dt.day),
        u32::from(dt.hour),
        u32::from(dt.minute),
        u32::from(dt.second),
    )?;
    Some(local - i64::from(dt.offset.unwrap_or(0)) * 60)
}

/// Signed decimal degrees from the degrees/minutes/seconds rationals.
fn gps(exif: &Exif) -> Option<(f64, f64)> {
    let coordinate = |tag: Tag, ref_tag: Tag, negative: u8, limit: f64| -> Option<f64> {
        let field = exif.get_field(tag, In::PRIMARY)?;
        let Value::Rational(parts) = &field.value else {
            return None;
        };
        let mut value = 0.0;
        for (part, unit) in parts.iter().zip([1.0, 60.0, 3600.0]) {
            if part.denom == 0 {
                return None;
            }
            value += part.to_f64() / unit;
        }
        let reference = exif.get_field(ref_tag, In::PRIMARY).and_then(ascii);
        if reference.as_deref().and_then(|r| r.bytes().next()) == Some(negative) {
            value = -value;
        }
        (value.is_finite() && value.abs() <= limit).then_some(value)
    };
    let lat = coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S', 90.0)?;
    let lon = coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W', 180.0)?;
    Some((lat, lon))
}

/// The thumbnail JPEG's bytes in the EXIF structure (IFD1
/// JPEGInterchangeFormat, offset from the TIFF header) with its offset.
fn thumbnail_bytes(exif: &Exif) -> Option<(usize, &[u8])> {
    let offset = exif
        .get_field(Tag::JPEGInterchangeFormat, In::THUMBNAIL)?
        .value
        .get_uint(0)? as usize;
    let length = exif
        .get_field(Tag::JPEGInterchangeFormatLength, In::THUMBNAIL)?
        .value
        .get_uint(0)? as usize;
    let end = offset.checked_add(length)?;
    let bytes = exif.buf().get(offset..end)?;
    bytes.starts_with(&[0xFF, 0xD8]).then_some((offset, bytes))
}

/// Dimensions the first frame header declares, and whether it is
/// progressive, from the JPEG's marker segments (no decoding).
fn declared_frame(jpeg: &[u8]) -> Option<(u16, u16, bool)> {
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        if jpeg[at] != 0xFF {
            return None;
        }
        let marker = jpeg[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            at += 2;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        let is_sof = (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker);
        if is_sof {
            let seg = jpeg.get(at + 4..at + 2 + length)?;
            let height = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]);
            let width = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]);
            return Some((width, height, matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE)));
        }
        if marker == 0xDA {
            return None;
        }
        at += 2 + length;
    }
    None
}

fn check_thumbnail(bytes: &[u8], exif: &Exif, report: &mut DocumentReport) {
    let Some((offset, thumb_bytes)) = thumbnail_bytes(exif) else {
        return;
    };
    let note = |report: &mut DocumentReport, text: String| {
        report
            .metadata
            .raw
            .insert("tamis thumbnail check".into(), text);
    };
    let Some((width, height, progressive)) = declared_frame(bytes) else {
        note(
            report,
            "not made: the main image has no readable frame header".into(),
        );
        return;
    };
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_DECODE_PIXELS {
        report.problem(
            "too-large",
            format!(
                "the image declares {width}×{height} pixels ({} megapixels), over the {}-megapixel bound: not decoded, its EXIF thumbnail not compared",
                pixels / 1_000_000,
                MAX_DECODE_PIXELS / 1_000_000
            ),
        );
        return;
    }
    if progressive && pixels > MAX_PROGRESSIVE_PIXELS {
        note(
            report,
            format!(
                "not made: progressive JPEG of {width}×{height}, over the {}-megapixel bound for progressive decoding",
                MAX_PROGRESSIVE_PIXELS / 1_000_000
            ),
        );
        return;
    }
    let decode = |data: &[u8], what: &str, report: &mut DocumentReport| {
        match thumbnail::decode_scaled(data) {
            Ok(gray) => Some(gray),
            Err(thumbnail::NotDecoded::TooLarge { width, height }) => {
                report.problem(
                "too-large",
                format!("the {what} declares {width}×{height} pixels, over the {}-megapixel bound: not decoded", MAX_DECODE_PIXELS / 1_000_000),
            );
                None
            }
            Err(thumbnail::NotDecoded::Unreadable(reason)) => {
                report.metadata.raw.insert(
                    "tamis thumbnail check".into(),
                    format!("not made: the {what} could not be decoded ({reason})"),
                );
                None
            }
        }
    };
    let Some(thumb) = decode(thumb_bytes, "EXIF thumbnail", report) else {
        return;
    };
    let Some(main) = decode(bytes, "main image", report) else {
        return;
    };
    let comparison = match thumbnail::compare(&main, &thumb) {
        Ok(c) => c,
        Err(reason) => {
            note(report, format!("not made: {reason}"));
            return;
        }
    };
    let difference = format!("{:.1}", comparison.mean_difference);
    let threshold = thumbnail::MISMATCH_THRESHOLD;
    let mut how = String::new();
    if comparison.rotation != 0 {
        how.push_str(&format!(
            ", after turning the thumbnail by {}°",
            comparison.rotation
        ));
    }
    if comparison.cropped {
        how.push_str(", on the thumbnail's picture area within its bars");
    }
    if comparison.mean_difference <= threshold {
        let verdict = if comparison.rotation != 0 {
            "same picture, rotated after capture"
        } else {
            "same picture"
        };
        note(
            report,
            format!(
                "{verdict}: mean difference {difference} of 255 on {0}×{0} grayscale (threshold {threshold}){how}; {1} of {2} cells differ by more than 48",
                thumbnail::GRID,
                comparison.cells_over_48,
                thumbnail::GRID * thumbnail::GRID
            ),
        );
        return;
    }
    note(
        report,
        format!("another picture: mean difference {difference} of 255 on {0}×{0} grayscale (threshold {threshold}){how}", thumbnail::GRID),
    );
    let mut evidence = BTreeMap::new();
    evidence.insert(
        "mean absolute difference".into(),
        format!("{difference} of 255 (threshold {threshold})"),
    );
    evidence.insert(
        "grid cells differing by more than 48".into(),
        format!(
            "{} of {}",
            comparison.cells_over_48,
            thumbnail::GRID * thumbnail::GRID
        ),
    );
    evidence.insert(
        "thumbnail".into(),
        format!(
            "{}×{} JPEG, {} bytes at offset {offset} of the EXIF data (IFD1 JPEGInterchangeFormat)",
            thumb.declared.0,
            thumb.declared.1,
            thumb_bytes.len()
        ),
    );
    evidence.insert(
        "main image".into(),
        format!("{}×{}", main.declared.0, main.declared.1),
    );
    if let Some(software) = &report.metadata.application {
        evidence.insert("EXIF Software".into(), software.clone());
    }
    report.findings.push(Finding {
        code: "exif-thumbnail-mismatch".into(),
        detail: format!(
            "the EXIF thumbnail shows another picture than the image (mean difference {difference} of 255 on {0}×{0} grayscale versions, threshold {threshold}{how}): the pixels were changed after the thumbnail was made, and the EXIF block, thumbnail included, was carried over from the original",
            thumbnail::GRID
        ),
        evidence,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_frame_reads_sof_after_app_segments() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        jpeg.extend([
            0xFF, 0xC2, 0x00, 0x0B, 0x08, 0x00, 0xF0, 0x01, 0x40, 0x01, 0x01, 0x11, 0x00,
        ]);
        assert_eq!(declared_frame(&jpeg), Some((320, 240, true)));
        assert_eq!(declared_frame(&jpeg[..10]), None);
        assert_eq!(declared_frame(b"\xFF\xD8"), None);
    }

    #[test]
    fn no_exif_is_no_problem() {
        let mut report = DocumentReport::new(Kind::Png, 8);
        read(b"\x89PNG\r\n\x1a\n", &Options::default(), &mut report);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(report.metadata.raw.is_empty());
    }

    #[test]
    fn truncated_tiff_is_a_problem_not_a_panic() {
        let mut report = DocumentReport::new(Kind::Tiff, 8);
        read(b"II*\0\x08\0\0\0\xff\xff", &Options::default(), &mut report);
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    }
}
