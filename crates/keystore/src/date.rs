//! Dates as key archives write them, to and from Unix time (UTC).
//!
//! Archives disagree on format: `2016-03-01`, `2016-03-01T12:00:00Z`,
//! `2016-03-01 12:00:00`, with an offset or fractional seconds, or Unix
//! seconds (or milliseconds) as a number. All are read; no clock is ever
//! consulted.

use tamis_calendar::{civil_from_days, days_from_civil, days_in_month};

/// Which end of a day a date without a time stands for. A key "last seen
/// 2017-09-30" was still there during that day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayEnd {
    Start,
    End,
}

const DAY: i64 = 86_400;

/// Seconds above which a number is taken for milliseconds (year 5138 in seconds).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Unix time from a number of seconds or milliseconds.
pub fn from_number(n: i64) -> i64 {
    if n.abs() >= MILLIS_THRESHOLD {
        n.div_euclid(1000)
    } else {
        n
    }
}

/// Unix time from an ISO-8601-like text; `None` when it is not one.
pub fn parse(text: &str, end: DayEnd) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(from_number(n));
    }
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let day: u32 = text.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let midnight = days_from_civil(year, month, day) * DAY;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(match end {
            DayEnd::Start => midnight,
            DayEnd::End => midnight + DAY - 1,
        });
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let hour: i64 = rest.get(0..2)?.parse().ok()?;
    let minute: i64 = rest.get(3..5)?.parse().ok()?;
    if rest.as_bytes().get(2) != Some(&b':') || hour > 23 || minute > 59 {
        return None;
    }
    let mut rest = &rest[5..];
    let mut second = 0;
    if let Some(after) = rest.strip_prefix(':') {
        second = after.get(0..2)?.parse::<i64>().ok()?;
        rest = &after[2..];
        if let Some(fraction) = rest.strip_prefix(['.', ',']) {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            rest = &fraction[digits..];
        }
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 {
                return None;
            }
            let hours: i64 = digits[0..2].parse().ok()?;
            let minutes: i64 = digits[2..4].parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(midnight + hour * 3600 + minute * 60 + second.min(60) - offset)
}

/// `YYYY-MM-DD` of a Unix time.
pub fn format_day(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
pub fn format_time(unix: i64) -> String {
    let secs = unix.rem_euclid(DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_day(unix),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_date_forms_are_read() {
        assert_eq!(parse("1970-01-01", DayEnd::Start), Some(0));
        assert_eq!(parse("1970-01-01", DayEnd::End), Some(DAY - 1));
        assert_eq!(parse("2016-03-01", DayEnd::Start), Some(1_456_790_400));
        assert_eq!(
            parse("2016-03-01T12:00:00Z", DayEnd::Start),
            Some(1_456_833_600)
        );
        assert_eq!(
            parse("2016-03-01 12:00:00", DayEnd::End),
            Some(1_456_833_600)
        );
        assert_eq!(
            parse("2016-03-01T14:00:00.123+02:00", DayEnd::Start),
            Some(1_456_833_600)
        );
        assert_eq!(parse("1456833600", DayEnd::Start), Some(1_456_833_600));
        assert_eq!(from_number(1_456_833_600_000), 1_456_833_600);
        assert_eq!(parse("2016-02-30", DayEnd::Start), None);
        assert_eq!(parse("last tuesday", DayEnd::Start), None);
    }

    #[test]
    fn days_round_trip() {
        for unix in [0, 951_782_400, 1_456_833_600, 4_107_542_400] {
            let day = format_day(unix);
            assert_eq!(
                parse(&day, DayEnd::Start),
                Some(unix - unix.rem_euclid(DAY))
            );
        }
        assert_eq!(format_time(1_456_833_600), "2016-03-01T12:00:00Z");
    }
}
