//! Dates and durations as Office formats write them: W3CDTF (OOXML core
//! properties, ODF meta), ISO 8601 durations (ODF editing time) and
//! Windows FILETIME (OLE2 property sets and directory entries).

use tamis_calendar::{civil_from_days, days_from_civil, days_in_month};

/// `2017-04-27T16:10:05Z` as an ISO 8601 string, for `metadata.raw` values
/// tamis computes itself (FILETIMEs have no text of their own).
pub(crate) fn format_unix(seconds: i64) -> String {
    let (y, mo, d) = civil_from_days(seconds.div_euclid(86_400));
    let rem = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses a fixed number of ASCII digits at the start of `s`.
fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

/// W3CDTF (a profile of ISO 8601: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then
/// `Thh:mm[:ss[.s…]]` and a zone `Z` or `±hh:mm`) → Unix seconds (UTC).
///
/// A time without a zone is taken as UTC: ODF writers (LibreOffice among
/// them) write local time without saying which, and the text as written
/// stays in `metadata.raw` for a reader to judge.
pub(crate) fn parse_w3cdtf(text: &str) -> Option<i64> {
    let s = text.trim();
    let (year, mut rest) = digits(s, 4)?;
    let (mut month, mut day) = (1, 1);
    if let Some(r) = rest.strip_prefix('-') {
        (month, rest) = digits(r, 2)?;
        if let Some(r) = rest.strip_prefix('-') {
            (day, rest) = digits(r, 2)?;
        }
    }
    let year = i64::from(year);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let mut offset = 0i64;
    if let Some(r) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) {
        (hour, rest) = digits(r, 2)?;
        rest = rest.strip_prefix(':')?;
        (minute, rest) = digits(rest, 2)?;
        if let Some(r) = rest.strip_prefix(':') {
            (second, rest) = digits(r, 2)?;
            if let Some(r) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(',')) {
                // Fractions of a second (LibreOffice writes nanoseconds) are
                // below what any finding compares.
                rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
            }
        }
        if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute, second) != (0, 0)) {
            return None;
        }
        match rest.as_bytes().first() {
            None => {}
            Some(b'Z') | Some(b'z') => rest = &rest[1..],
            Some(&sign @ (b'+' | b'-')) => {
                let (oh, r) = digits(&rest[1..], 2)?;
                let r = r.strip_prefix(':').unwrap_or(r);
                let (om, r) = digits(r, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let magnitude = i64::from(oh) * 3600 + i64::from(om) * 60;
                offset = if sign == b'+' { magnitude } else { -magnitude };
                rest = r;
            }
            Some(_) => return None,
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let local = days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second);
    Some(local - offset)
}

/// An ISO 8601 duration (`PT1H30M`, `P1DT2H`, `P0D`) → whole minutes,
/// rounded down. Years and months have no fixed length; they count as 365
/// and 30 days, which no editing time reaches in practice.
pub(crate) fn parse_duration_minutes(text: &str) -> Option<u64> {
    let s = text.trim();
    let s = s.strip_prefix('P')?;
    let mut seconds: f64 = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in s.chars() {
        match c {
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            'T' if !in_time && number.is_empty() => in_time = true,
            'Y' | 'M' | 'W' | 'D' | 'H' | 'S' => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                any = true;
                let unit = match (c, in_time) {
                    ('Y', false) => 365.0 * 86_400.0,
                    ('M', false) => 30.0 * 86_400.0,
                    ('W', false) => 7.0 * 86_400.0,
                    ('D', false) => 86_400.0,
                    ('H', true) => 3600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
                seconds += value * unit;
            }
            _ => return None,
        }
    }
    if !number.is_empty() || !any || !seconds.is_finite() {
        return None;
    }
    // Saturating: a hostile `P99999999999Y` is a number, not a panic.
    Some((seconds / 60.0).min(u64::MAX as f64) as u64)
}

/// 100-ns intervals between 1601-01-01 and 1970-01-01.
const FILETIME_UNIX_EPOCH: u64 = 116_444_736_000_000_000;

/// A FILETIME (100 ns since 1601, UTC) → Unix seconds; zero means "never"
/// (an unprinted document's LastPrinted, an unset directory time).
pub(crate) fn filetime_to_unix(filetime: u64) -> Option<i64> {
    if filetime == 0 {
        return None;
    }
    let seconds = (filetime / 10_000_000) as i64;
    Some(seconds - (FILETIME_UNIX_EPOCH / 10_000_000) as i64)
}

/// A FILETIME used as a duration (SummaryInformation EditTime) → minutes.
pub(crate) fn filetime_duration_minutes(filetime: u64) -> u64 {
    filetime / 600_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w3cdtf_forms() {
        assert_eq!(parse_w3cdtf("2017-04-27T16:10:05Z"), Some(1_493_309_405));
        assert_eq!(
            parse_w3cdtf("2017-04-27T19:10:05+03:00"),
            Some(1_493_309_405)
        );
        assert_eq!(
            parse_w3cdtf("2017-04-27T16:10:05.123456789"),
            Some(1_493_309_405)
        );
        assert_eq!(parse_w3cdtf("2017-04-27"), Some(1_493_251_200));
        assert_eq!(parse_w3cdtf("2017"), Some(1_483_228_800));
        assert_eq!(parse_w3cdtf("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(parse_w3cdtf("2017-02-29"), None);
        assert_eq!(parse_w3cdtf("2017-04-27T16:10:05Q"), None);
        assert_eq!(parse_w3cdtf("garbage"), None);
        assert_eq!(parse_w3cdtf("２０１７"), None);
    }

    #[test]
    fn formats_back() {
        assert_eq!(format_unix(1_493_309_405), "2017-04-27T16:10:05Z");
        assert_eq!(format_unix(-11_644_473_600), "1601-01-01T00:00:00Z");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_minutes("PT1H30M15S"), Some(90));
        assert_eq!(parse_duration_minutes("P1DT2H"), Some(26 * 60));
        assert_eq!(parse_duration_minutes("P0D"), Some(0));
        assert_eq!(parse_duration_minutes("PT"), None);
        assert_eq!(parse_duration_minutes("P1H"), None);
        assert!(parse_duration_minutes("P99999999999999999999999Y").is_some());
    }

    #[test]
    fn filetimes() {
        assert_eq!(filetime_to_unix(0), None);
        assert_eq!(filetime_to_unix(FILETIME_UNIX_EPOCH), Some(0));
        assert_eq!(filetime_to_unix(1), Some(-11_644_473_600));
        assert_eq!(filetime_duration_minutes(42 * 600_000_000 + 5), 42);
    }
}
