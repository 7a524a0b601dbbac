//! The spread report: one JSON document, a text summary, a self-contained
//! HTML page.

mod charts;
mod coordination;
mod html;
mod text;

pub use html::html;
pub use text::text;

use coordination::{coordination_html, coordination_text};

use crate::coordination::Coordination;
use crate::input::InputReport;
use crate::measure::Measurements;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct SpreadReport {
    pub input: InputReport,
    pub measurements: Measurements,
    pub coordination: Coordination,
}

/// `@screen_name`, or the account's id when the name is unknown.
fn name(key: &str, screen_name: Option<&str>) -> String {
    match screen_name {
        Some(n) if !n.is_empty() => format!("@{n}"),
        _ => key.to_owned(),
    }
}

/// `3 h 4 min`, `12 min 5 s`, `2 d 3 h`: a span as a reader says it.
fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec} s"),
        (0, 0, _) => format!("{m} min {sec} s"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_a_reader_says_them() {
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(59), "59 s");
        assert_eq!(duration(725), "12 min 5 s");
        assert_eq!(duration(3 * 3600 + 4 * 60), "3 h 4 min");
        assert_eq!(duration(2 * 86_400 + 3 * 3600), "2 d 3 h");
        assert_eq!(name("123", Some("bob")), "@bob");
        assert_eq!(name("123", None), "123");
    }
}
