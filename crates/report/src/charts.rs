//! Charts as inline SVG, drawn here so the report needs no script and loads
//! nothing. Each mark carries a `<title>` (a tooltip in browsers) with its
//! exact figure, and every label from the case is escaped.

use crate::verdicts;
use std::collections::BTreeMap;
use std::fmt::Write;
use tamis_case::TimelineBucket;
use tamis_findings::Verdict;
use tamis_html::escape::html as esc;
use tamis_html::numbers::thousands;
pub use tamis_html::svg::{horizontal_bars, Bar};
use tamis_html::svg::{nice_step, open_svg, AXIS_INK, GRID};

/// How finely the timeline is cut.
#[derive(Debug, PartialEq, Eq)]
pub enum Granularity {
    /// Every month from the first to the last, empty ones included.
    Month,
    /// Every year from the first to the last: the dates span too long for months.
    Year,
    /// Only years that have messages: the dates span centuries (forged or
    /// broken Date headers), and an axis drawn to scale would be empty.
    YearsWithMessages,
}

/// One column of the timeline: its label (`2017-05` or `2017`) and its
/// messages per verdict word.
#[derive(Debug, PartialEq, Eq)]
pub struct Column {
    pub label: String,
    pub counts: BTreeMap<String, u64>,
}

/// A drawn timeline, what it could not place, and which verdicts it shows
/// (for the legend).
pub struct Timeline {
    pub svg: Option<String>,
    pub granularity: Granularity,
    /// Messages in buckets whose month label is not `YYYY-MM`.
    pub unplaced: u64,
    pub verdicts_shown: Vec<String>,
}

const MAX_MONTH_COLUMNS: i64 = 120;
const MAX_YEAR_COLUMNS: i64 = 150;

/// The timeline's columns: months when the dates span ten years or less,
/// otherwise years.
pub fn timeline_columns(buckets: &[TimelineBucket]) -> (Vec<Column>, Granularity, u64) {
    let mut months: BTreeMap<i64, &BTreeMap<String, u64>> = BTreeMap::new();
    let mut unplaced = 0;
    for bucket in buckets {
        match parse_month(&bucket.month) {
            Some(index) => {
                months.insert(index, &bucket.counts);
            }
            None => unplaced += bucket.counts.values().sum::<u64>(),
        }
    }
    let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) else {
        return (Vec::new(), Granularity::Month, unplaced);
    };
    if last - first < MAX_MONTH_COLUMNS {
        let columns = (first..=last)
            .map(|index| Column {
                label: format!(
                    "{:04}-{:02}",
                    index.div_euclid(12),
                    index.rem_euclid(12) + 1
                ),
                counts: months.get(&index).map(|c| (*c).clone()).unwrap_or_default(),
            })
            .collect();
        return (columns, Granularity::Month, unplaced);
    }
    let mut years: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
    for (index, counts) in months {
        let year = years.entry(index.div_euclid(12)).or_default();
        for (word, n) in counts {
            *year.entry(word.clone()).or_default() += n;
        }
    }
    let (first_year, last_year) = (first.div_euclid(12), last.div_euclid(12));
    if last_year - first_year < MAX_YEAR_COLUMNS {
        let columns = (first_year..=last_year)
            .map(|year| Column {
                label: year.to_string(),
                counts: years.remove(&year).unwrap_or_default(),
            })
            .collect();
        return (columns, Granularity::Year, unplaced);
    }
    let columns = years
        .into_iter()
        .map(|(year, counts)| Column {
            label: year.to_string(),
            counts,
        })
        .collect();
    (columns, Granularity::YearsWithMessages, unplaced)
}

/// `YYYY-MM` as months since year 0.
fn parse_month(label: &str) -> Option<i64> {
    let (year, month) = label.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let month: i64 = month.parse().ok()?;
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

/// Stacked columns per month (or year), one colour per verdict, verified at the bottom.
pub fn timeline(buckets: &[TimelineBucket]) -> Timeline {
    const WIDTH: f64 = 880.0;
    const HEIGHT: f64 = 290.0;
    const LEFT: f64 = 56.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 44.0;
    let (columns, granularity, unplaced) = timeline_columns(buckets);
    let max = columns
        .iter()
        .map(|c| c.counts.values().sum::<u64>())
        .max()
        .unwrap_or(0);
    let verdicts_shown = words_in_stack_order(columns.iter().flat_map(|c| c.counts.keys()));
    if max == 0 {
        return Timeline {
            svg: None,
            granularity,
            unplaced,
            verdicts_shown,
        };
    }
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let step = nice_step(max.div_ceil(4));
    let axis_top = max.div_ceil(step).saturating_mul(step);
    let y_of = |value: u64| TOP + plot_height - value as f64 / axis_top as f64 * plot_height;
    let mut svg = open_svg(
        WIDTH,
        HEIGHT,
        "Timeline of message dates, stacked by verdict",
    );
    let mut tick = 0;
    while tick <= axis_top {
        let y = y_of(tick);
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{x:.1}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{AXIS_INK}">{n}</text>"#,
            x2 = WIDTH - RIGHT,
            x = LEFT - 6.0,
            ty = y + 4.0,
            n = thousands(tick),
        );
        match tick.checked_add(step) {
            Some(next) => tick = next,
            None => break,
        }
    }
    let column_width = plot_width / columns.len() as f64;
    // Gaps between columns only while they stay wider than a hairline.
    let bar_width = if column_width >= 4.0 {
        column_width * 0.78
    } else {
        column_width
    };
    let labelled = labelled_columns(&columns, &granularity);
    for (i, column) in columns.iter().enumerate() {
        let x = LEFT + i as f64 * column_width + (column_width - bar_width) / 2.0;
        let mut stacked = 0;
        for word in words_in_stack_order(column.counts.keys()) {
            let n = column.counts[&word];
            if n == 0 {
                continue;
            }
            let (low, high) = (y_of(stacked), y_of(stacked + n));
            stacked += n;
            let _ = write!(
                svg,
                r#"<rect x="{x:.2}" y="{high:.2}" width="{bar_width:.2}" height="{h:.2}" fill="{fill}"><title>{tip}</title></rect>"#,
                h = low - high,
                fill = verdicts::colours(verdicts::parse(&word)).fill,
                tip = esc(&format!("{} · {word}: {}", column.label, thousands(n))),
            );
        }
        if let Some(lines) = labelled.get(&i) {
            let centre = LEFT + (i as f64 + 0.5) * column_width;
            for (line, text) in lines.iter().enumerate() {
                let _ = write!(
                    svg,
                    r#"<text x="{centre:.1}" y="{y:.1}" text-anchor="middle" font-size="11" fill="{AXIS_INK}">{t}</text>"#,
                    y = TOP + plot_height + 16.0 + line as f64 * 13.0,
                    t = esc(text),
                );
            }
        }
    }
    let _ = write!(
        svg,
        r#"<line x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{AXIS_INK}" stroke-width="1"/>"#,
        x2 = WIDTH - RIGHT,
        y = TOP + plot_height,
    );
    svg.push_str("</svg>");
    Timeline {
        svg: Some(svg),
        granularity,
        unplaced,
        verdicts_shown,
    }
}

/// Which columns get an axis label, and its lines: every month when there
/// are few, else the first column and each January with its year; years
/// thinned to about sixteen labels.
fn labelled_columns(columns: &[Column], granularity: &Granularity) -> BTreeMap<usize, Vec<String>> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut labels = BTreeMap::new();
    match granularity {
        Granularity::Month if columns.len() <= 18 => {
            for (i, column) in columns.iter().enumerate() {
                let (year, month) = column.label.split_at(4);
                let month_index: usize = month[1..].parse().unwrap_or(1);
                let mut lines = vec![MONTHS[month_index - 1].to_string()];
                if i == 0 || month_index == 1 {
                    lines.push(year.to_string());
                }
                labels.insert(i, lines);
            }
        }
        Granularity::Month => {
            let years = columns.len().div_ceil(12);
            let every = years.div_ceil(15).max(1);
            let mut year_number = 0;
            for (i, column) in columns.iter().enumerate() {
                let (year, month) = column.label.split_at(4);
                if i == 0 || month == "-01" {
                    if year_number % every == 0 {
                        labels.insert(i, vec![year.to_string()]);
                    }
                    year_number += 1;
                }
            }
        }
        Granularity::Year | Granularity::YearsWithMessages => {
            let every = columns.len().div_ceil(16).max(1);
            for (i, column) in columns.iter().enumerate().step_by(every) {
                labels.insert(i, vec![column.label.clone()]);
            }
        }
    }
    labels
}

/// Verdict words in the order they stack (and appear in the legend): our
/// vocabulary strongest first, then any word we do not know, by name.
pub fn words_in_stack_order<'a>(words: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut words: Vec<String> = words.cloned().collect();
    words.sort_by_key(|word| {
        let rank = verdicts::parse(word).map_or(Verdict::ALL.len(), |v| v as usize);
        (rank, word.clone())
    });
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(month: &str, counts: &[(&str, u64)]) -> TimelineBucket {
        TimelineBucket {
            month: month.to_string(),
            counts: counts.iter().map(|(w, n)| (w.to_string(), *n)).collect(),
        }
    }

    #[test]
    fn months_without_messages_are_drawn_as_empty_columns() {
        let buckets = [
            bucket("2016-11", &[("verified", 2)]),
            bucket("2017-02", &[("body-altered", 1)]),
        ];
        let (columns, granularity, unplaced) = timeline_columns(&buckets);
        assert_eq!(granularity, Granularity::Month);
        assert_eq!(unplaced, 0);
        let labels: Vec<_> = columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["2016-11", "2016-12", "2017-01", "2017-02"]);
        assert!(columns[1].counts.is_empty());
        assert_eq!(columns[3].counts["body-altered"], 1);
    }

    #[test]
    fn a_long_span_is_drawn_by_year_and_absurd_dates_do_not_stretch_the_axis() {
        let decades = [
            bucket("1990-03", &[("unsigned", 1)]),
            bucket("2017-05", &[("verified", 4)]),
            bucket("2017-06", &[("verified", 1)]),
        ];
        let (columns, granularity, _) = timeline_columns(&decades);
        assert_eq!(granularity, Granularity::Year);
        assert_eq!(columns.len(), 28);
        assert_eq!(columns.last().unwrap().counts["verified"], 5);

        let forged = [
            bucket("0001-01", &[("unsigned", 1)]),
            bucket("2017-05", &[("verified", 4)]),
            bucket("9999-12", &[("unsigned", 2)]),
        ];
        let (columns, granularity, _) = timeline_columns(&forged);
        assert_eq!(granularity, Granularity::YearsWithMessages);
        let labels: Vec<_> = columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["1", "2017", "9999"]);
    }

    #[test]
    fn months_the_chart_cannot_place_are_counted_not_dropped_silently() {
        let buckets = [
            bucket("2017-13", &[("unsigned", 3)]),
            bucket("<script>", &[("verified", 2)]),
            bucket("2017-05", &[("verified", 1)]),
        ];
        let (columns, _, unplaced) = timeline_columns(&buckets);
        assert_eq!(unplaced, 5);
        assert_eq!(columns.len(), 1);
    }

    #[test]
    fn timeline_stacks_one_rect_per_verdict_with_its_figure() {
        let buckets = [bucket(
            "2017-05",
            &[("verified", 3), ("body-altered", 1), ("no-such-word", 2)],
        )];
        let drawn = timeline(&buckets);
        let svg = drawn.svg.expect("a chart for dated messages");
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("2017-05 · verified: 3"));
        assert!(svg.contains("2017-05 · body-altered: 1"));
        assert!(svg.contains(verdicts::colours(Some(Verdict::BodyAltered)).fill));
        assert_eq!(
            drawn.verdicts_shown,
            ["verified", "body-altered", "no-such-word"]
        );
    }

    #[test]
    fn no_dated_messages_means_no_chart() {
        assert!(timeline(&[]).svg.is_none());
    }
}
