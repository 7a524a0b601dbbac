//! Charts as inline SVG, drawn in Rust so a page needs no script and loads
//! nothing. Each mark carries a `<title>` (a tooltip in browsers) with its
//! exact figure, and every label is escaped.

use crate::escape::{clip, html as esc};
use crate::numbers::thousands;
use std::fmt::Write;

pub const FONT: &str = "Helvetica Neue, Helvetica, Arial, sans-serif";
pub const AXIS_INK: &str = "#555555";
pub const GRID: &str = "#dddddd";

/// One bar of a horizontal bar chart. `label` and `tooltip` are raw text.
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub fill: &'static str,
    pub tooltip: String,
}

/// Bars one under the other, labels on the left, figures at the bar ends.
pub fn horizontal_bars(bars: &[Bar], description: &str) -> String {
    const WIDTH: f64 = 720.0;
    const LABEL_WIDTH: f64 = 210.0;
    const FIGURE_ROOM: f64 = 64.0;
    const ROW: f64 = 24.0;
    let height = bars.len() as f64 * ROW + 6.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let scale = (WIDTH - LABEL_WIDTH - FIGURE_ROOM) / max as f64;
    let mut svg = open_svg(WIDTH, height, description);
    for (row, bar) in bars.iter().enumerate() {
        let top = row as f64 * ROW + 3.0;
        let middle = top + ROW / 2.0;
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="end" font-size="12" fill="#1a1a1a">{label}</text>"##,
            x = LABEL_WIDTH - 8.0,
            y = middle + 4.0,
            label = esc(&clip(&bar.label, 32)),
        );
        // A count of one still gets a visible sliver next to a count of a million.
        let length = if bar.value == 0 {
            0.0
        } else {
            (bar.value as f64 * scale).max(1.5)
        };
        if bar.value > 0 {
            let _ = write!(
                svg,
                r#"<rect x="{LABEL_WIDTH:.1}" y="{y:.1}" width="{length:.1}" height="{h:.1}" fill="{fill}"><title>{tip}</title></rect>"#,
                y = top + 4.0,
                h = ROW - 8.0,
                fill = bar.fill,
                tip = esc(&bar.tooltip),
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="12" fill="{AXIS_INK}">{n}</text>"#,
            x = LABEL_WIDTH + length + 6.0,
            y = middle + 4.0,
            n = thousands(bar.value),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The smallest 1, 2 or 5 × 10ⁿ at least `rough`: gridlines at round figures.
pub fn nice_step(rough: u64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude.saturating_mul(factor);
            if step >= rough {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

pub fn open_svg(width: f64, height: f64, description: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{d}" font-family="{FONT}"><title>{d}</title>"#,
        d = esc(description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_figures() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(3), 5);
        assert_eq!(nice_step(7), 10);
        assert_eq!(nice_step(18), 20);
        assert_eq!(nice_step(4_001), 5_000);
        assert!(nice_step(u64::MAX) >= u64::MAX / 2);
    }

    #[test]
    fn bar_labels_are_escaped_and_clipped() {
        let bars = [Bar {
            label: format!("<script>{}", "x".repeat(100)),
            value: 7,
            fill: "#000000",
            tooltip: "\"><script>".into(),
        }];
        let svg = horizontal_bars(&bars, "domains");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;xxx"));
        assert!(svg.contains('…'));
        assert!(svg.contains(">7</text>"));
    }

    #[test]
    fn zero_bars_draw_no_rect_but_say_zero() {
        let bars = [Bar {
            label: "key-revoked".into(),
            value: 0,
            fill: "#000000",
            tooltip: String::new(),
        }];
        let svg = horizontal_bars(&bars, "verdicts");
        assert!(!svg.contains("<rect"));
        assert!(svg.contains(">0</text>"));
    }
}
