//! The two date syntaxes of a PDF: the Info dictionary's
//! `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1, 7.9.4) and XMP's ISO 8601
//! subset. Lenient about what writers really produce (missing parts, a
//! trailing apostrophe, `Z00'00'`, fractions of a second), strict about
//! ranges: a value that is not a date is no date, and stays in `raw`.

/// A date as written: its fields, how precise it is, and its offset when
/// one was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct When {
    /// Year, month, day, hour, minute, second as written (local time).
    fields: [i64; 6],
    /// How many of `fields` were written (1 = year only … 6 = seconds).
    precision: usize,
    /// Offset from UTC in seconds, when written.
    offset: Option<i64>,
}

impl When {
    /// Unix seconds; a date without offset is taken as UTC.
    pub fn unix(&self) -> i64 {
        let [y, mo, d, h, mi, s] = self.fields;
        days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - self.offset.unwrap_or(0)
    }

    /// Whether two writings can be the same moment. Compared to the
    /// coarser of the two precisions; when either lacks an offset, as wall
    /// clock times (a writer that omits the zone in one place and not the
    /// other is not lying).
    pub fn agrees_with(&self, other: &When) -> bool {
        let precision = self.precision.min(other.precision);
        match (self.offset, other.offset) {
            (Some(_), Some(_)) => {
                let span = match precision {
                    6 => 1,
                    5 => 60,
                    4 => 3600,
                    // Day precision and coarser: a day either side, as
                    // the two may be in different zones.
                    _ => 86_400 * if precision == 3 { 1 } else { 366 },
                };
                (self.unix() - other.unix()).abs() < span
            }
            _ => self.fields[..precision] == other.fields[..precision],
        }
    }
}

/// The shared calendar, on this module's i64 fields (already range-checked).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    tamis_calendar::days_from_civil(y, m as u32, d as u32)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    i64::from(tamis_calendar::days_in_month(y, m as u32))
}

fn valid(fields: &[i64; 6]) -> bool {
    let [y, mo, d, h, mi, s] = *fields;
    (1..=12).contains(&mo)
        && (1..=days_in_month(y, mo)).contains(&d)
        && (0..=23).contains(&h)
        && (0..=59).contains(&mi)
        // 60: a leap second, as some writers copy it.
        && (0..=60).contains(&s)
}

/// Reads `n` ASCII digits at `*i`.
fn digits(s: &[u8], i: &mut usize, n: usize) -> Option<i64> {
    let part = s.get(*i..*i + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *i += n;
    Some(part.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0')))
}

/// `D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional.
pub(crate) fn parse_pdf(text: &str) -> Option<When> {
    let s = text.trim().as_bytes();
    let s = s.strip_prefix(b"D:").unwrap_or(s);
    let mut i = 0;
    let mut fields = [0, 1, 1, 0, 0, 0];
    fields[0] = digits(s, &mut i, 4)?;
    let mut precision = 1;
    for (k, field) in fields.iter_mut().enumerate().skip(1) {
        match digits(s, &mut i, 2) {
            Some(v) => {
                *field = v;
                precision = k + 1;
            }
            None => break,
        }
    }
    if !valid(&fields) {
        return None;
    }
    let offset = zone(s, i, b'\'', true)?;
    Some(When {
        fields,
        precision,
        offset,
    })
}

/// The time-zone designator at `s[i..]`, in seconds east of UTC: `Z`, or
/// `±HH` with optional minutes after `separator` (`'` in PDF dates, `:` in
/// XMP). `Some(None)` when there is none; `None` when a sign is not followed
/// by hours, or (with `in_range`) the hours or minutes are out of range: the
/// whole date is then refused. Only PDF dates are range-checked, as before
/// the two parsers shared this.
fn zone(s: &[u8], mut i: usize, separator: u8, in_range: bool) -> Option<Option<i64>> {
    let sign = match s.get(i) {
        Some(b'Z') => return Some(Some(0)),
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Some(None),
    };
    i += 1;
    let hours = digits(s, &mut i, 2)?;
    if s.get(i) == Some(&separator) {
        i += 1;
    }
    let minutes = digits(s, &mut i, 2).unwrap_or(0);
    if in_range && (hours > 23 || minutes > 59) {
        return None;
    }
    Some(Some(sign * (hours * 3600 + minutes * 60)))
}

/// XMP's ISO 8601: `YYYY[-MM[-DD[THH:MM[:SS[.s+]][TZD]]]]`, TZD `Z` or
/// `±HH:MM`.
pub(crate) fn parse_xmp(text: &str) -> Option<When> {
    let s = text.trim().as_bytes();
    let mut i = 0;
    let mut fields = [0, 1, 1, 0, 0, 0];
    fields[0] = digits(s, &mut i, 4)?;
    let mut precision = 1;
    let separators = [b'-', b'-', b'T', b':', b':'];
    for (k, sep) in separators.iter().enumerate() {
        if s.get(i) != Some(sep) {
            break;
        }
        let mut j = i + 1;
        let Some(v) = digits(s, &mut j, 2) else { break };
        fields[k + 1] = v;
        precision = k + 2;
        i = j;
    }
    // `THH` alone is not a time; ISO 8601 in XMP needs minutes with hours.
    if precision == 4 {
        return None;
    }
    if precision == 6 && s.get(i) == Some(&b'.') {
        i += 1;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if !valid(&fields) {
        return None;
    }
    let offset = zone(s, i, b':', false)?;
    Some(When {
        fields,
        precision,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates() {
        let d = parse_pdf("D:20200102100000+01'00'").unwrap();
        assert_eq!(d.unix(), 1_577_955_600);
        assert_eq!(
            parse_pdf("D:20200102100000Z").unwrap().unix(),
            1_577_959_200
        );
        assert_eq!(
            parse_pdf("D:20200102100000Z00'00'").unwrap().unix(),
            1_577_959_200
        );
        assert_eq!(
            parse_pdf("D:20200102100000-05'00").unwrap().unix(),
            1_577_977_200
        );
        assert_eq!(parse_pdf("D:2020").unwrap().unix(), 1_577_836_800);
        assert!(parse_pdf("D:20201302").is_none());
        assert!(parse_pdf("yesterday").is_none());
        assert!(parse_pdf("D:20200230").is_none());
    }

    #[test]
    fn xmp_dates() {
        assert_eq!(
            parse_xmp("2020-01-02T10:00:00+01:00").unwrap().unix(),
            1_577_955_600
        );
        assert_eq!(
            parse_xmp("2020-01-02T09:00:00.123Z").unwrap().unix(),
            1_577_955_600
        );
        assert_eq!(parse_xmp("2020-01-02").unwrap().unix(), 1_577_923_200);
        assert!(parse_xmp("2020-01-02T10").is_none());
        assert!(parse_xmp("02/01/2020").is_none());
    }

    #[test]
    fn agreement() {
        let info = parse_pdf("D:20200102100000+01'00'").unwrap();
        assert!(info.agrees_with(&parse_xmp("2020-01-02T09:00:00Z").unwrap()));
        assert!(info.agrees_with(&parse_xmp("2020-01-02").unwrap()));
        assert!(!info.agrees_with(&parse_xmp("2016-01-02T09:00:00Z").unwrap()));
        // Without a zone on one side, wall clocks are compared.
        let local = parse_pdf("D:20200102100000").unwrap();
        assert!(local.agrees_with(&parse_xmp("2020-01-02T10:00:00+01:00").unwrap()));
        assert!(!local.agrees_with(&parse_xmp("2020-01-02T11:00:00+01:00").unwrap()));
    }
}
