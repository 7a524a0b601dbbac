//! The spread report's charts, as inline SVG (no script, nothing loaded):
//! a count series with shaded intervals, a cumulative curve, and the
//! coordination network.

use std::fmt::Write;
use tamis_html::escape::html as esc;
use tamis_html::numbers::thousands;
use tamis_html::svg::{nice_step, open_svg, AXIS_INK, GRID};

const WIDTH: f64 = 860.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
const INK: &str = "#2b5c8a";
const SHADE: &str = "#f3c969";

/// A highlighted stretch of a series (a burst), in bin indices.
pub struct Band {
    pub first_bin: usize,
    pub bins: usize,
    pub tooltip: String,
}

/// Columns for `counts`, `labels[i]` under every `label_every`-th column,
/// each column's tooltip from `tooltip(i)`, bands shaded behind them.
pub fn columns(
    counts: &[u64],
    bands: &[Band],
    label: &dyn Fn(usize) -> String,
    tooltip: &dyn Fn(usize) -> String,
    description: &str,
) -> String {
    let mut svg = open_svg(WIDTH, HEIGHT, description);
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let step = nice_step(max.div_ceil(4));
    let top_value = step * max.div_ceil(step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bar_w = plot_w / counts.len().max(1) as f64;
    let y = |value: u64| TOP + plot_h - value as f64 / top_value as f64 * plot_h;
    for band in bands {
        let _ = write!(
            svg,
            r#"<rect x="{x:.2}" y="{TOP}" width="{w:.2}" height="{plot_h:.1}" fill="{SHADE}" opacity="0.45"><title>{t}</title></rect>"#,
            x = LEFT + band.first_bin as f64 * bar_w,
            w = (band.bins as f64 * bar_w).max(1.0),
            t = esc(&band.tooltip),
        );
    }
    grid(&mut svg, top_value, step, &y);
    for (i, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let _ = write!(
            svg,
            r#"<rect x="{x:.2}" y="{top:.2}" width="{w:.2}" height="{h:.2}" fill="{INK}"><title>{t}</title></rect>"#,
            x = LEFT + i as f64 * bar_w,
            top = y(count),
            w = (bar_w * 0.9).max(0.6),
            h = (TOP + plot_h - y(count)).max(0.5),
            t = esc(&tooltip(i)),
        );
    }
    x_labels(&mut svg, counts.len(), bar_w, label);
    svg.push_str("</svg>");
    svg
}

/// A step line of cumulative values, one point per bin.
pub fn cumulative(values: &[u64], label: &dyn Fn(usize) -> String, description: &str) -> String {
    let mut svg = open_svg(WIDTH, HEIGHT, description);
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let step = nice_step(max.div_ceil(4));
    let top_value = step * max.div_ceil(step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bin_w = plot_w / values.len().max(1) as f64;
    let y = |value: u64| TOP + plot_h - value as f64 / top_value as f64 * plot_h;
    grid(&mut svg, top_value, step, &y);
    let mut path = String::new();
    for (i, &value) in values.iter().enumerate() {
        let x0 = LEFT + i as f64 * bin_w;
        let _ = write!(
            path,
            "{}{x0:.2},{y:.2} L{x1:.2},{y:.2} ",
            if i == 0 { "M" } else { "L" },
            y = y(value),
            x1 = x0 + bin_w,
        );
    }
    let _ = write!(
        svg,
        r#"<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"/>"#
    );
    for (i, &value) in values.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<rect x="{x:.2}" y="{TOP}" width="{bin_w:.2}" height="{plot_h:.1}" fill="transparent"><title>{t}: {n}</title></rect>"#,
            x = LEFT + i as f64 * bin_w,
            t = esc(&label(i)),
            n = thousands(value),
        );
    }
    x_labels(&mut svg, values.len(), bin_w, label);
    svg.push_str("</svg>");
    svg
}

fn grid(svg: &mut String, top_value: u64, step: u64, y: &dyn Fn(u64) -> f64) {
    let mut value = 0;
    while value <= top_value {
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{x2:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}" stroke-width="1"/><text x="{tx:.1}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{AXIS_INK}">{n}</text>"#,
            x2 = WIDTH - RIGHT,
            y = y(value),
            tx = LEFT - 6.0,
            ty = y(value) + 4.0,
            n = thousands(value),
        );
        value += step;
    }
}

/// About six labels along the axis, whatever the number of bins.
fn x_labels(svg: &mut String, bins: usize, bin_w: f64, label: &dyn Fn(usize) -> String) {
    if bins == 0 {
        return;
    }
    let every = bins.div_ceil(6).max(1);
    for i in (0..bins).step_by(every) {
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="11" fill="{AXIS_INK}">{t}</text>"#,
            x = LEFT + i as f64 * bin_w,
            y = HEIGHT - 8.0,
            t = esc(&label(i)),
        );
    }
}

/// One group of the network drawing: its members' labels and its edges
/// (indices into `members`, with a weight for the tooltip).
pub struct Group {
    pub title: String,
    pub members: Vec<String>,
    pub edges: Vec<(usize, usize, u64)>,
}

/// Each group drawn as a ring of nodes with its edges, groups side by
/// side in rows: a deterministic layout, readable for the few dozen
/// largest clusters a report shows.
pub fn network(groups: &[Group], description: &str) -> String {
    const CELL: f64 = 210.0;
    const PER_ROW: usize = 4;
    let rows = groups.len().div_ceil(PER_ROW).max(1);
    let width = CELL * PER_ROW as f64;
    let height = CELL * rows as f64;
    let mut svg = open_svg(width, height, description);
    for (g, group) in groups.iter().enumerate() {
        let cx = CELL * (g % PER_ROW) as f64 + CELL / 2.0;
        let cy = CELL * (g / PER_ROW) as f64 + CELL / 2.0 + 8.0;
        let n = group.members.len().max(1);
        let radius = if n == 1 { 0.0 } else { CELL / 2.0 - 30.0 };
        let at = |i: usize| {
            let angle = std::f64::consts::TAU * i as f64 / n as f64;
            (cx + radius * angle.cos(), cy + radius * angle.sin())
        };
        let _ = write!(
            svg,
            r##"<text x="{cx:.1}" y="{y:.1}" text-anchor="middle" font-size="12" fill="#1a1a1a">{t}</text>"##,
            y = cy - CELL / 2.0 + 12.0,
            t = esc(&group.title),
        );
        for &(a, b, weight) in &group.edges {
            let ((x1, y1), (x2, y2)) = (at(a), at(b));
            let _ = write!(
                svg,
                r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#8aa9c6" stroke-width="{w:.1}"><title>{ta} – {tb}: {weight}</title></line>"##,
                w = (1.0 + (weight as f64).ln()).min(4.0),
                ta = esc(group.members.get(a).map_or("", String::as_str)),
                tb = esc(group.members.get(b).map_or("", String::as_str)),
            );
        }
        for (i, member) in group.members.iter().enumerate() {
            let (x, y) = at(i);
            let _ = write!(
                svg,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{INK}"><title>{t}</title></circle>"#,
                t = esc(member),
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_labels_are_escaped_everywhere() {
        let hostile = "<script>alert(1)</script>";
        let svg = columns(
            &[1, 5, 0, 2],
            &[Band {
                first_bin: 1,
                bins: 1,
                tooltip: hostile.into(),
            }],
            &|_| hostile.into(),
            &|_| hostile.into(),
            hostile,
        );
        assert!(!svg.contains("<script>"), "{svg}");
        let net = network(
            &[Group {
                title: hostile.into(),
                members: vec![hostile.into(), "b".into()],
                edges: vec![(0, 1, 3)],
            }],
            "net",
        );
        assert!(!net.contains("<script>"), "{net}");
        assert!(cumulative(&[0, 1, 3], &|_| hostile.into(), "c").contains("&lt;script&gt;"));
    }

    #[test]
    fn empty_series_draw_without_panicking() {
        assert!(columns(&[], &[], &|_| String::new(), &|_| String::new(), "x").ends_with("</svg>"));
        assert!(cumulative(&[], &|_| String::new(), "x").ends_with("</svg>"));
        assert!(network(&[], "x").ends_with("</svg>"));
    }
}
