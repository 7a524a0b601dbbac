//! The self-contained HTML report: one file, inline CSS and SVG, no
//! script, nothing loaded from anywhere. Every string from the collection
//! is escaped (tamis_html).

use super::charts::{self, Band};
use super::{duration, name, SpreadReport};
use crate::measure::time::utc;
use crate::measure::{Series, Split};
use std::fmt::Write;
use tamis_html::escape::{clip, html as esc};
use tamis_html::numbers::thousands;
use tamis_html::svg::{horizontal_bars, Bar};

const STYLE: &str = include_str!("spread.css");

/// A per-minute series longer than this is drawn per hour.
const MAX_MINUTE_COLUMNS: usize = 24 * 60;

pub fn html(report: &SpreadReport) -> String {
    let mut page = String::with_capacity(256 * 1024);
    let _ = write_page(&mut page, report);
    page
}

fn write_page(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let m = &r.measurements;
    write!(
        p,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>How the leak was spread — tamis</title><style>{STYLE}</style></head><body><main>"
    )?;
    writeln!(p, "<h1>How the leak was spread</h1>")?;
    writeln!(
        p,
        "<p class=\"lead\">{} posts by {} accounts{}. Every figure below is computed from \
         the collection alone, and each has its definition in the JSON output \
         (<code>tamis spread --format json</code>).</p>",
        thousands(r.input.posts),
        thousands(r.input.accounts),
        match (m.volume.first_post, m.volume.last_post) {
            (Some(first), Some(last)) => format!(
                ", from {} to {} ({})",
                esc(&utc(first)),
                esc(&utc(last)),
                duration(last - first)
            ),
            _ => String::new(),
        }
    )?;
    volume(p, r)?;
    seeds(p, r)?;
    accounts(p, r)?;
    splits(p, r)?;
    creation(p, r)?;
    bots(p, r)?;
    super::coordination_html(p, &r.coordination)?;
    input(p, r)?;
    p.push_str("</main></body></html>\n");
    Ok(())
}

fn section(p: &mut String, id: &str, title: &str, definition: &str) -> std::fmt::Result {
    write!(
        p,
        "<section id=\"{id}\"><h2>{}</h2><p class=\"definition\">{}</p>",
        esc(title),
        esc(definition)
    )
}

fn volume(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let v = &r.measurements.volume;
    section(p, "volume", "Volume and bursts", &v.definition)?;
    let minute = v.per_minute.counts.len() <= MAX_MINUTE_COLUMNS;
    let (series, run) = if minute {
        (&v.per_minute, &r.measurements.bursts.per_minute)
    } else {
        (&v.per_hour, &r.measurements.bursts.per_hour)
    };
    let bands: Vec<Band> = run
        .bursts
        .iter()
        .map(|b| Band {
            first_bin: b.first_bin,
            bins: b.bins,
            tooltip: format!(
                "burst level {}: {} posts from {} to {}, {:.0} expected",
                b.level,
                thousands(b.posts),
                utc(b.start),
                utc(b.end),
                b.expected_posts
            ),
        })
        .collect();
    p.push_str(&charts::columns(
        &series.counts,
        &bands,
        &|i| bin_label(series, i),
        &|i| format!("{}: {} posts", bin_label(series, i), series.counts[i]),
        &format!(
            "Posts per {}, bursts shaded",
            if minute { "minute" } else { "hour" }
        ),
    ));
    if series.truncated {
        writeln!(
            p,
            "<p class=\"note\">The series shows the busiest stretch; {} posts fall before it and {} after.</p>",
            thousands(series.posts_before),
            thousands(series.posts_after)
        )?;
    }
    p.push_str("<table><thead><tr><th>Posts</th><th>Reached at</th><th>After the first post</th></tr></thead><tbody>");
    for milestone in &v.milestones {
        write!(
            p,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            thousands(milestone.posts),
            esc(&utc(milestone.time)),
            duration(milestone.seconds_after_first)
        )?;
    }
    p.push_str("</tbody></table>");
    let bursts = &run.bursts;
    if !bursts.is_empty() {
        p.push_str("<h3>Bursts</h3><p class=\"definition\">");
        p.push_str(&esc(&r.measurements.bursts.definition));
        p.push_str("</p><table><thead><tr><th>Level</th><th>From</th><th>To</th><th>Posts</th><th>Expected</th><th>Peak bin</th></tr></thead><tbody>");
        for b in bursts.iter().take(20) {
            write!(
                p,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}</td><td class=\"num\">{}</td></tr>",
                b.level,
                esc(&utc(b.start)),
                esc(&utc(b.end)),
                thousands(b.posts),
                b.expected_posts,
                thousands(b.peak_posts)
            )?;
        }
        p.push_str("</tbody></table>");
    }
    p.push_str("</section>");
    Ok(())
}

fn bin_label(series: &Series, i: usize) -> String {
    series.start.map_or_else(String::new, |start| {
        let t = utc(start + i as i64 * series.bin_seconds);
        // "2017-05-05T18:49" for minutes and hours alike.
        t.get(..16).unwrap_or(&t).to_owned()
    })
}

fn seeds(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let s = &r.measurements.seeds;
    section(p, "seeds", "Seed posts", &s.definition)?;
    if let Some(curve) = &s.curve {
        writeln!(
            p,
            "<h3>Retweets of {} in its first hour</h3><p class=\"definition\">{}</p>",
            esc(&curve.object),
            esc(&curve.definition)
        )?;
        p.push_str(&charts::cumulative(
            &curve.cumulative,
            &|i| format!("+{i} min"),
            "Cumulative retweets per minute after the seed post",
        ));
    }
    p.push_str("<table><thead><tr><th>Post</th><th>Author</th><th>Posted</th><th>1 min</th><th>5 min</th><th>15 min</th><th>60 min</th><th>All</th></tr></thead><tbody>");
    for seed in &s.seeds {
        write!(
            p,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}{}</td>",
            esc(&clip(&seed.object, 40)),
            seed.author.as_ref().map_or_else(
                || "?".to_owned(),
                |a| esc(&name(&a.key, a.screen_name.as_deref()))
            ),
            esc(&utc(seed.origin_time)),
            if seed.origin == crate::measure::Origin::FirstRetweet {
                " <span class=\"note\">(first retweet)</span>"
            } else {
                ""
            }
        )?;
        for within in &seed.within {
            write!(p, "<td class=\"num\">{}</td>", thousands(within.retweets))?;
        }
        write!(
            p,
            "<td class=\"num\">{}</td></tr>",
            thousands(seed.retweets)
        )?;
    }
    p.push_str("</tbody></table></section>");
    Ok(())
}

fn accounts(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let a = &r.measurements.activity;
    section(p, "accounts", "The most active accounts", &a.definition)?;
    writeln!(
        p,
        "<p>The top {} accounts posted {} posts, {:.1} % of all.</p>",
        a.top.len(),
        thousands(a.top_posts),
        a.top_share * 100.0
    )?;
    let bars: Vec<Bar> = a
        .top
        .iter()
        .map(|t| Bar {
            label: name(&t.account.key, t.account.screen_name.as_deref()),
            value: t.posts,
            fill: "#2b5c8a",
            tooltip: format!("{} posts, {:.2} % of all", t.posts, t.share * 100.0),
        })
        .collect();
    p.push_str(&horizontal_bars(&bars, "Posts by the most active accounts"));
    p.push_str("<h3>Most posts in any window</h3><table><thead><tr><th>Window</th><th>Account</th><th>Posts</th><th>From</th><th>To</th></tr></thead><tbody>");
    for window in &a.windows {
        for peak in window.top.iter().take(3) {
            write!(
                p,
                "<tr><td>{} h</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                window.hours,
                esc(&name(
                    &peak.account.key,
                    peak.account.screen_name.as_deref()
                )),
                thousands(peak.posts),
                esc(&utc(peak.first)),
                esc(&utc(peak.last))
            )?;
        }
    }
    p.push_str("</tbody></table>");
    writeln!(
        p,
        "<h3>High posting rate</h3><p class=\"definition\">{}</p><p>{} accounts, {} posts ({:.1} % of all).</p>",
        esc(&a.high_rate.definition),
        thousands(a.high_rate.accounts),
        thousands(a.high_rate.posts),
        a.high_rate.share * 100.0
    )?;
    p.push_str("</section>");
    Ok(())
}

fn splits(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let s = &r.measurements.splits;
    section(p, "splits", "Languages and places", &s.definition)?;
    p.push_str("<div class=\"columns\">");
    split_chart(p, "Language of posts", &s.language.posts)?;
    split_chart(p, "Country of accounts", &s.country.accounts)?;
    split_chart(p, "Declared location of accounts", &s.location.accounts)?;
    split_chart(
        p,
        "Language setting of accounts",
        &s.account_language.accounts,
    )?;
    p.push_str("</div></section>");
    Ok(())
}

fn split_chart(p: &mut String, title: &str, split: &Split) -> std::fmt::Result {
    write!(p, "<div><h3>{}</h3>", esc(title))?;
    let mut bars: Vec<Bar> = split
        .values
        .iter()
        .take(10)
        .map(|v| Bar {
            label: v.value.clone(),
            value: v.count,
            fill: "#2b5c8a",
            tooltip: format!("{}: {} ({:.1} %)", v.value, v.count, v.share * 100.0),
        })
        .collect();
    if split.unknown > 0 {
        bars.push(Bar {
            label: "(unknown)".into(),
            value: split.unknown,
            fill: "#aaaaaa",
            tooltip: format!("not known: {}", split.unknown),
        });
    }
    if bars.is_empty() {
        p.push_str("<p class=\"note\">Not in this collection.</p>");
    } else {
        p.push_str(&horizontal_bars(&bars, title));
    }
    p.push_str("</div>");
    Ok(())
}

fn creation(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let c = &r.measurements.creation;
    section(
        p,
        "creation",
        "When the accounts were created",
        &c.definition,
    )?;
    writeln!(
        p,
        "<p>Event: {} ({}). {} of {} accounts have a creation date; {} were created within 7 days before it, {} within 30.</p>",
        c.event_time.map_or_else(|| "unknown".to_owned(), |t| esc(&utc(t))),
        esc(&c.event_source),
        thousands(c.with_creation_date),
        thousands(c.accounts),
        thousands(c.within_7_days),
        thousands(c.within_30_days)
    )?;
    let months: Vec<u64> = c.by_month.iter().map(|m| m.accounts).collect();
    if !months.is_empty() {
        p.push_str(&charts::columns(
            &months,
            &[],
            &|i| c.by_month[i].month.clone(),
            &|i| {
                format!(
                    "{}: {} accounts",
                    c.by_month[i].month, c.by_month[i].accounts
                )
            },
            "Accounts by month of creation",
        ));
    }
    let days: Vec<u64> = c.by_day.iter().map(|d| d.accounts).collect();
    if days.iter().any(|&d| d > 0) {
        p.push_str("<h3>The 90 days before the event</h3>");
        p.push_str(&charts::columns(
            &days,
            &[],
            &|i| c.by_day[i].date.clone(),
            &|i| format!("{}: {} accounts", c.by_day[i].date, c.by_day[i].accounts),
            "Accounts by day of creation, last 90 days before the event",
        ));
    }
    if !c.bursts.days.is_empty() {
        writeln!(
            p,
            "<h3>Creation bursts</h3><p class=\"definition\">{}</p>",
            esc(&c.bursts.definition)
        )?;
        p.push_str("<table><thead><tr><th>Day</th><th>Accounts</th><th>Some of them</th></tr></thead><tbody>");
        for day in &c.bursts.days {
            let sample: Vec<String> = day
                .sample
                .iter()
                .map(|a| name(&a.key, a.screen_name.as_deref()))
                .collect();
            write!(
                p,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                esc(&day.date),
                thousands(day.accounts),
                esc(&sample.join(", "))
            )?;
        }
        p.push_str("</tbody></table>");
    }
    p.push_str("</section>");
    Ok(())
}

fn bots(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let b = &r.measurements.bots;
    section(p, "bots", "Bot-likeness", &b.definition)?;
    writeln!(
        p,
        "<p>{} of {} scored accounts reach the threshold of {} ({} had too little profile to score).</p>",
        thousands(b.above_threshold),
        thousands(b.scored),
        b.threshold,
        thousands(b.unscored)
    )?;
    p.push_str("<details><summary>The rule</summary><table><thead><tr><th>Feature</th><th>Kind</th><th>Weight</th><th>Rule</th></tr></thead><tbody>");
    for rule in &b.rules {
        write!(
            p,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(rule.feature),
            esc(rule.kind),
            rule.weight,
            esc(&rule.rule)
        )?;
    }
    p.push_str("</tbody></table></details>");
    p.push_str("<table><thead><tr><th>Account</th><th>Score</th><th>Basis</th><th>Posts</th><th>What drove it</th></tr></thead><tbody>");
    for bot in &b.top {
        let drivers: Vec<String> = bot
            .drivers
            .iter()
            .take(4)
            .map(|d| format!("{} (+{:.2})", d.feature, d.contribution))
            .collect();
        write!(
            p,
            "<tr><td>{}</td><td class=\"num\">{:.2}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&name(&bot.account.key, bot.account.screen_name.as_deref())),
            bot.score,
            esc(bot.basis),
            thousands(bot.features.posts),
            esc(&drivers.join(", "))
        )?;
    }
    p.push_str("</tbody></table></section>");
    Ok(())
}

fn input(p: &mut String, r: &SpreadReport) -> std::fmt::Result {
    p.push_str("<section id=\"input\"><h2>What was read</h2><table><thead><tr><th>File</th><th>Format</th><th>Records</th><th>Posts</th><th>Filtered out</th><th>Malformed</th></tr></thead><tbody>");
    for f in &r.input.files {
        write!(
            p,
            "<tr><td><code>{}</code></td><td>{:?}{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&f.path),
            f.format,
            if f.gzip { ", gzip" } else { "" },
            thousands(f.records),
            thousands(f.posts),
            thousands(f.filtered_out),
            thousands(f.malformed)
        )?;
    }
    p.push_str("</tbody></table>");
    let malformed: Vec<_> = r
        .input
        .files
        .iter()
        .flat_map(|f| f.malformed_lines.iter().take(10).map(move |m| (f, m)))
        .collect();
    if !malformed.is_empty() {
        p.push_str("<h3>Lines that could not be read (first ones)</h3><ul>");
        for (file, line) in malformed {
            write!(
                p,
                "<li><code>{}:{}</code> {}</li>",
                esc(&file.path),
                line.line,
                esc(&clip(&line.reason, 200))
            )?;
        }
        p.push_str("</ul>");
    }
    p.push_str("</section>");
    Ok(())
}
