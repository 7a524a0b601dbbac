//! Dates as the formats write them, to Unix seconds (UTC).
//!
//! Three shapes cover every format read here: API v1.1's
//! `Wed Oct 10 20:19:24 +0000 2018`, ISO 8601 (`2021-09-22T16:37:29.000Z`,
//! which with a space instead of `T`, no seconds or no time at all is also
//! what the archives write: `2017-05-05 18:45`, `2012-03-14`), and Unix
//! seconds in shares tables. A date that does not parse is `None`, never
//! guessed: the caller reports the line.

use tamis_calendar::{days_from_civil, days_in_month};

/// Seconds since the epoch of a UTC civil time, or `None` when a field is
/// out of range (a leap second, `:60`, counts as the next second).
fn civil_to_unix(year: i64, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> Option<i64> {
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || min > 59
        || sec > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(hour) * 3_600 + i64::from(min) * 60 + i64::from(sec))
}

/// A fixed-width run of ASCII digits as a number.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

fn month_number(name: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let name: [u8; 3] = name.try_into().ok()?;
    let lower = name.map(|b| b.to_ascii_lowercase());
    MONTHS
        .iter()
        .position(|m| **m == lower)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// `+0000`, `-0530`, `+05:30`, `+05`: seconds east of UTC.
fn offset_seconds(text: &[u8]) -> Option<i64> {
    let (sign, rest) = match text.split_first()? {
        (b'+', rest) => (1, rest),
        (b'-', rest) => (-1, rest),
        _ => return None,
    };
    let (hours, minutes) = match rest.len() {
        2 => (digits(rest)?, 0),
        4 => (digits(&rest[..2])?, digits(&rest[2..])?),
        5 if rest[2] == b':' => (digits(&rest[..2])?, digits(&rest[3..])?),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (i64::from(hours) * 3_600 + i64::from(minutes) * 60))
}

/// API v1.1's `created_at`: `Wed Oct 10 20:19:24 +0000 2018`.
pub fn parse_twitter(text: &str) -> Option<i64> {
    let mut parts = text.split_ascii_whitespace();
    let _weekday = parts.next()?;
    let month = month_number(parts.next()?.as_bytes())?;
    let day = digits(parts.next()?.as_bytes())?;
    let clock = parts.next()?.as_bytes();
    let offset = offset_seconds(parts.next()?.as_bytes())?;
    let year = digits(parts.next()?.as_bytes())?;
    if parts.next().is_some() || clock.len() != 8 || clock[2] != b':' || clock[5] != b':' {
        return None;
    }
    let (hour, min, sec) = (
        digits(&clock[..2])?,
        digits(&clock[3..5])?,
        digits(&clock[6..])?,
    );
    civil_to_unix(i64::from(year), month, day, hour, min, sec).map(|t| t - offset)
}

/// ISO 8601 as the formats write it: `YYYY-MM-DD`, then optionally `T` or
/// a space and `HH:MM`, `:SS`, a fraction (dropped), and `Z` or an offset.
/// A time without a zone is taken as UTC: the archives write UTC without
/// saying so.
pub fn parse_iso(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i64::from(digits(&b[..4])?);
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let rest = &b[10..];
    if rest.is_empty() {
        return civil_to_unix(year, month, day, 0, 0, 0);
    }
    if !matches!(rest[0], b'T' | b't' | b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let hour = digits(&rest[1..3])?;
    let min = digits(&rest[4..6])?;
    let mut rest = &rest[6..];
    let mut sec = 0;
    if let Some(after) = rest.strip_prefix(b":") {
        sec = digits(after.get(..2)?)?;
        rest = &after[2..];
    }
    if let Some(after) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        let fraction = after.iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction == 0 {
            return None;
        }
        rest = &after[fraction..];
    }
    let offset = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        _ => offset_seconds(rest.strip_prefix(b" ").unwrap_or(rest))?,
    };
    civil_to_unix(year, month, day, hour, min, sec).map(|t| t - offset)
}

/// Unix time as a number, possibly with a fraction (`1623881091.0`).
/// Values of 10^11 and more are taken as milliseconds: as seconds they
/// would be past the year 5000.
pub fn parse_unix(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(whole) = text.parse::<i64>() {
        return Some(if whole.unsigned_abs() >= 100_000_000_000 {
            whole.div_euclid(1_000)
        } else {
            whole
        });
    }
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let seconds = if value.abs() >= 1e11 {
        value / 1e3
    } else {
        value
    };
    // Truncating toward minus infinity keeps a fraction in the second it
    // belongs to, as an integer timestamp would.
    let seconds = seconds.floor();
    (seconds.abs() < 1e15).then_some(seconds as i64)
}

/// Any of the shapes above, tried in turn: for columns whose format the
/// file does not fix (shares tables).
pub fn parse_any(text: &str) -> Option<i64> {
    parse_iso(text)
        .or_else(|| parse_unix(text))
        .or_else(|| parse_twitter(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twitter_dates() {
        // date -u -d '2018-10-10 20:19:24' +%s
        assert_eq!(
            parse_twitter("Wed Oct 10 20:19:24 +0000 2018"),
            Some(1_539_202_764)
        );
        assert_eq!(
            parse_twitter("Fri May 05 18:49:00 +0200 2017"),
            Some(1_494_002_940)
        );
        assert_eq!(parse_twitter("Thu Jan 01 00:00:00 +0000 1970"), Some(0));
        assert_eq!(
            parse_twitter("Thu Feb 29 12:00:00 +0000 2024"),
            Some(1_709_208_000)
        );
        assert_eq!(parse_twitter("Thu Feb 29 12:00:00 +0000 2023"), None);
        assert_eq!(parse_twitter("Wed Foo 10 20:19:24 +0000 2018"), None);
        assert_eq!(parse_twitter("Wed Oct 10 20:19 +0000 2018"), None);
        assert_eq!(parse_twitter("Wed Oct 10 20:19:24 +0000 2018 x"), None);
        assert_eq!(parse_twitter(""), None);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso("2021-09-22T16:37:29.000Z"), Some(1_632_328_649));
        assert_eq!(parse_iso("2021-09-22T16:37:29Z"), Some(1_632_328_649));
        assert_eq!(parse_iso("2021-09-22T18:37:29+02:00"), Some(1_632_328_649));
        assert_eq!(parse_iso("2021-09-22T11:07:29-0530"), Some(1_632_328_649));
        assert_eq!(parse_iso("2021-09-22 16:37:29"), Some(1_632_328_649));
        assert_eq!(parse_iso("2017-05-05 18:45"), Some(1_494_009_900));
        assert_eq!(parse_iso("2012-03-14"), Some(1_331_683_200));
        assert_eq!(parse_iso("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(parse_iso("2017-13-05 18:45"), None);
        assert_eq!(parse_iso("2017-05-05 24:00"), None);
        assert_eq!(parse_iso("2017-05-05T18:45:00.Z"), None);
        assert_eq!(parse_iso("2017-05-05X18:45"), None);
        assert_eq!(parse_iso("2017/05/05"), None);
        assert_eq!(parse_iso("2017-05-05 18:45 junk"), None);
    }

    #[test]
    fn unix_times() {
        assert_eq!(parse_unix("1623881091.0"), Some(1_623_881_091));
        assert_eq!(parse_unix("1623881091"), Some(1_623_881_091));
        assert_eq!(parse_unix(" 1623881091.9 "), Some(1_623_881_091));
        assert_eq!(parse_unix("1623881091123"), Some(1_623_881_091));
        assert_eq!(parse_unix("-1.5"), Some(-2));
        assert_eq!(parse_unix("NaN"), None);
        assert_eq!(parse_unix("1e300"), None);
        assert_eq!(parse_unix("soon"), None);
        assert_eq!(
            parse_unix("-9223372036854775808"),
            Some(-9_223_372_036_854_776)
        );
    }

    #[test]
    fn any_shape() {
        assert_eq!(parse_any("1623881091.0"), Some(1_623_881_091));
        assert_eq!(parse_any("2021-06-16T22:04:51Z"), Some(1_623_881_091));
        assert_eq!(
            parse_any("Wed Jun 16 22:04:51 +0000 2021"),
            Some(1_623_881_091)
        );
        assert_eq!(parse_any("yesterday"), None);
    }
}
