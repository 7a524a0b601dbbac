//! UTC calendar arithmetic on Unix seconds, without a date crate: the
//! measurements only need days, months and labels, and must not panic on
//! times in the far past or future.

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;

/// The UTC day number (days since 1970-01-01) of a Unix time.
pub fn day(t: i64) -> i64 {
    t.div_euclid(DAY)
}

/// (year, month 1–12, day 1–31) of a day number.
pub use tamis_calendar::civil_from_days as civil;

/// Months since 1970-01 (negative before) of a Unix time.
pub fn month_index(t: i64) -> i64 {
    let (y, m, _) = civil(day(t));
    (y - 1970) * 12 + i64::from(m) - 1
}

/// "YYYY-MM" of a month index.
pub fn month_label(index: i64) -> String {
    let y = 1970 + index.div_euclid(12);
    let m = index.rem_euclid(12) + 1;
    format!("{y:04}-{m:02}")
}

/// "YYYY-MM-DD" of a day number.
pub fn day_label(days: i64) -> String {
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "YYYY-MM-DDTHH:MM:SSZ" of a Unix time.
pub fn utc(t: i64) -> String {
    let secs = t.rem_euclid(DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        day_label(day(t)),
        secs / HOUR,
        secs % HOUR / MINUTE,
        secs % MINUTE
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        // #MacronLeaks' first use, 2017-05-05 18:49 UTC.
        assert_eq!(utc(1_494_010_140), "2017-05-05T18:49:00Z");
        assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(day_label(day(951_782_400)), "2000-02-29");
        assert_eq!(month_label(month_index(1_494_010_140)), "2017-05");
        assert_eq!(month_label(month_index(-1)), "1969-12");
    }

    #[test]
    fn extremes_do_not_panic() {
        for t in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let _ = utc(t);
            let _ = month_label(month_index(t));
        }
    }
}
