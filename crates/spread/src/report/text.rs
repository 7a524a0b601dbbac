//! The summary `tamis spread` prints: the figures an analyst quotes, in
//! the order of the story (how fast, from where, by whom, in concert).

use super::{duration, name, SpreadReport};
use crate::measure::time::utc;
use std::fmt::Write;
use tamis_html::numbers::thousands;

pub fn text(report: &SpreadReport) -> String {
    let mut out = String::new();
    let _ = write_text(&mut out, report);
    out
}

fn write_text(out: &mut String, r: &SpreadReport) -> std::fmt::Result {
    let m = &r.measurements;
    let malformed: u64 = r.input.files.iter().map(|f| f.malformed).sum();
    writeln!(
        out,
        "Collection: {} posts by {} accounts from {} file(s); {} malformed lines, {} duplicates",
        thousands(r.input.posts),
        thousands(r.input.accounts),
        r.input.files.len(),
        thousands(malformed),
        thousands(r.input.duplicates)
    )?;
    for file in &r.input.files {
        writeln!(
            out,
            "  {} ({:?}{}): {} records, {} posts{}",
            file.path,
            file.format,
            if file.gzip { ", gzip" } else { "" },
            thousands(file.records),
            thousands(file.posts),
            match file.malformed_lines.first() {
                Some(first) => format!(
                    ", {} malformed (first at line {}: {})",
                    thousands(file.malformed),
                    first.line,
                    first.reason
                ),
                None => String::new(),
            }
        )?;
    }
    let v = &m.volume;
    if let (Some(first), Some(last)) = (v.first_post, v.last_post) {
        writeln!(
            out,
            "\nFirst post: {}{}; last: {} ({} later)",
            utc(first),
            v.first_post_account
                .as_ref()
                .map(|a| format!(" by {}", name(&a.key, a.screen_name.as_deref())))
                .unwrap_or_default(),
            utc(last),
            duration(last - first)
        )?;
    }
    for milestone in &v.milestones {
        writeln!(
            out,
            "  {} posts reached {} after the first ({})",
            thousands(milestone.posts),
            duration(milestone.seconds_after_first),
            utc(milestone.time)
        )?;
    }
    if let Some((i, peak)) = v
        .per_minute
        .counts
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| **c)
    {
        if let Some(start) = v.per_minute.start {
            writeln!(
                out,
                "  busiest minute: {} posts at {}",
                thousands(*peak),
                utc(start + i as i64 * v.per_minute.bin_seconds)
            )?;
        }
    }
    let bursts = &m.bursts.per_minute.bursts;
    if !bursts.is_empty() {
        writeln!(out, "Bursts (Kleinberg, per minute), strongest first:")?;
        // Nested levels often span the same minutes: each span once, at
        // its highest level.
        let mut shown: Vec<(i64, i64)> = Vec::new();
        let mut distinct: Vec<&crate::measure::Burst> = Vec::new();
        for burst in bursts {
            if let Some(i) = shown.iter().position(|&s| s == (burst.start, burst.end)) {
                if burst.level > distinct[i].level {
                    distinct[i] = burst;
                }
            } else {
                shown.push((burst.start, burst.end));
                distinct.push(burst);
            }
        }
        for burst in distinct.iter().take(5) {
            writeln!(
                out,
                "  level {} from {} to {}: {} posts where {:.0} were expected",
                burst.level,
                utc(burst.start),
                utc(burst.end),
                thousands(burst.posts),
                burst.expected_posts
            )?;
        }
    }
    let seeds = &m.seeds.seeds;
    if !seeds.is_empty() {
        writeln!(
            out,
            "\nSeed posts (earliest retweeted), retweets within 1 / 5 / 15 / 60 minutes:"
        )?;
        for seed in seeds.iter().take(5) {
            let within: Vec<String> = seed.within.iter().map(|w| thousands(w.retweets)).collect();
            writeln!(
                out,
                "  {} by {} at {}: {} ({} in all)",
                seed.object,
                seed.author.as_ref().map_or_else(
                    || "?".to_owned(),
                    |a| name(&a.key, a.screen_name.as_deref())
                ),
                utc(seed.origin_time),
                within.join(" / "),
                thousands(seed.retweets)
            )?;
        }
    }
    let a = &m.activity;
    writeln!(
        out,
        "\nTop {} accounts: {} posts, {:.1} % of all",
        a.top.len(),
        thousands(a.top_posts),
        a.top_share * 100.0
    )?;
    for top in a.top.iter().take(10) {
        writeln!(
            out,
            "  {:>8}  {}",
            thousands(top.posts),
            name(&top.account.key, top.account.screen_name.as_deref())
        )?;
    }
    for window in &a.windows {
        if let Some(peak) = window.top.first() {
            writeln!(
                out,
                "Most in any {} h: {} posts by {} ({} to {})",
                window.hours,
                thousands(peak.posts),
                name(&peak.account.key, peak.account.screen_name.as_deref()),
                utc(peak.first),
                utc(peak.last)
            )?;
        }
    }
    writeln!(
        out,
        "Accounts posting {} a day or more: {} ({:.1} % of posts)",
        a.high_rate.threshold_per_day,
        thousands(a.high_rate.accounts),
        a.high_rate.share * 100.0
    )?;
    let s = &m.splits;
    writeln!(
        out,
        "\nLanguage of posts: {}",
        split_line(&s.language.posts)
    )?;
    writeln!(
        out,
        "Country of accounts: {}",
        split_line(&s.country.accounts)
    )?;
    writeln!(
        out,
        "Declared location of accounts: {}",
        split_line(&s.location.accounts)
    )?;
    let c = &m.creation;
    writeln!(
        out,
        "\nAccounts created within 7 / 30 days before the event ({}): {} / {}; creation burst days: {}",
        c.event_time.map_or_else(|| "unknown".to_owned(), utc),
        thousands(c.within_7_days),
        thousands(c.within_30_days),
        if c.bursts.days.is_empty() {
            "none".to_owned()
        } else {
            c.bursts
                .days
                .iter()
                .take(5)
                .map(|d| format!("{} ({})", d.date, thousands(d.accounts)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    )?;
    let b = &m.bots;
    writeln!(
        out,
        "Bot-like (score ≥ {}): {} of {} accounts scored",
        b.threshold,
        thousands(b.above_threshold),
        thousands(b.scored)
    )?;
    for bot in b.top.iter().take(5) {
        let drivers: Vec<&str> = bot.drivers.iter().take(3).map(|d| d.feature).collect();
        writeln!(
            out,
            "  {:.2}  {} ({})",
            bot.score,
            name(&bot.account.key, bot.account.screen_name.as_deref()),
            drivers.join(", ")
        )?;
    }
    super::coordination_text(out, &r.coordination)
}

fn split_line(split: &crate::measure::Split) -> String {
    let mut parts: Vec<String> = split
        .values
        .iter()
        .take(5)
        .map(|v| format!("{} {:.1} %", v.value, v.share * 100.0))
        .collect();
    if split.unknown > 0 {
        parts.push(format!("unknown {:.1} %", split.unknown_share * 100.0));
    }
    if parts.is_empty() {
        "none known".to_owned()
    } else {
        parts.join(", ")
    }
}
