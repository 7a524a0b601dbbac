//! UTC dates without a date library: the report only needs to print Unix
//! times (generation time, DKIM `t=` and `x=`) as calendar dates.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as RFC 3339 UTC to the second.
pub fn now_rfc3339() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or(0);
    let (date, time) = split(i64::try_from(seconds).unwrap_or(i64::MAX));
    format!("{date}T{time}Z")
}

/// A Unix time as `YYYY-MM-DD HH:MM:SS UTC`, for reading. Times a signature
/// claims can be absurd (they are attacker-written): years past 9999 are
/// still printed, never a panic.
pub fn unix_to_utc(seconds: u64) -> String {
    let (date, time) = split(i64::try_from(seconds).unwrap_or(i64::MAX));
    format!("{date} {time} UTC")
}

fn split(seconds: i64) -> (String, String) {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!(
            "{:02}:{:02}:{:02}",
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60
        ),
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`), exact for every `i64` day count we can be given.
fn civil_from_days(days: i64) -> (i128, u32, u32) {
    let z = i128::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_print_as_their_dates() {
        assert_eq!(unix_to_utc(0), "1970-01-01 00:00:00 UTC");
        // t= of the DKIM fixtures: 2017-05-03 12:00 in Paris.
        assert_eq!(unix_to_utc(1_493_805_600), "2017-05-03 10:00:00 UTC");
        assert_eq!(unix_to_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(unix_to_utc(4_102_444_799), "2099-12-31 23:59:59 UTC");
    }

    #[test]
    fn absurd_times_print_without_panicking() {
        assert!(unix_to_utc(u64::MAX).ends_with(" UTC"));
        assert!(unix_to_utc(253_402_300_800).starts_with("10000-01-01"));
    }

    #[test]
    fn now_is_rfc3339_utc() {
        let now = now_rfc3339();
        assert_eq!(now.len(), "2024-01-01T00:00:00Z".len(), "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    }
}
