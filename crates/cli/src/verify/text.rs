//! The human format: a table of messages, then the summary.

use anyhow::Result;
use std::io::Write;
use tamis_findings::{MessageReport, Verdict};

use super::summary::Summary;

const FROM_WIDTH: usize = 32;
const SUBJECT_WIDTH: usize = 40;

pub fn write_table(
    out: &mut impl Write,
    reports: impl Iterator<Item = Result<MessageReport>>,
) -> Result<()> {
    writeln!(
        out,
        "{:<17} {:<10} {:<FROM_WIDTH$} {:<SUBJECT_WIDTH$} ORIGIN",
        "VERDICT", "DATE", "FROM", "SUBJECT"
    )?;
    for report in reports {
        let report = report?;
        // RFC 3339 dates: the day is what a reader scans for.
        let date: String = report
            .date
            .as_deref()
            .unwrap_or("-")
            .chars()
            .take(10)
            .collect();
        let first = report.origins.first().map_or("-", |o| o.location.as_str());
        let more = match report.origins.len() {
            0 | 1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        writeln!(
            out,
            "{:<17} {:<10} {:<FROM_WIDTH$} {:<SUBJECT_WIDTH$} {first}{more}",
            report.verdict.as_str(),
            date,
            clip(report.from.as_deref().unwrap_or("-"), FROM_WIDTH),
            clip(report.subject.as_deref().unwrap_or("-"), SUBJECT_WIDTH),
        )?;
        for repair in &report.repairs {
            writeln!(out, "{:<17} repaired: {}", "", repair.code)?;
        }
        if report.verdict != Verdict::Verified && report.verdict != Verdict::Unsigned {
            writeln!(out, "{:<17} {}", "", report.reason)?;
        }
        for signature in &report.signatures {
            for header in &signature.uncovered_headers {
                if header.reason == "extra-instance" {
                    writeln!(
                        out,
                        "{:<17} warning: unsigned extra {}: {}",
                        "",
                        header.name,
                        clip(&header.value, 60)
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn write_summary(out: &mut impl Write, summary: &Summary) -> Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "{} unique messages ({} duplicates collapsed), {} other files skipped, {} unreadable, in {:.2} s",
        summary.unique_messages,
        summary.duplicates,
        summary.other_files,
        summary.unreadable.len(),
        summary.elapsed.as_secs_f64()
    )?;
    for verdict in Verdict::ALL {
        let count = summary.verdicts.get(&verdict).copied().unwrap_or(0);
        if count > 0 {
            writeln!(
                out,
                "  {:<17} {count:>8}  {}",
                verdict.as_str(),
                verdict.meaning()
            )?;
        }
    }
    for store in &summary.stores {
        writeln!(out, "{}", store_line(store))?;
    }
    if !summary.unreadable.is_empty() {
        writeln!(out, "Could not be read:")?;
        for item in &summary.unreadable {
            writeln!(out, "  {} [{}] {}", item.origin, item.code, item.reason)?;
        }
    }
    Ok(())
}

/// One store's accounting: every message its own index lists is either
/// read or listed as unreadable.
pub fn store_line(store: &tamis_items::StoreTally) -> String {
    let claimed = match store.claimed {
        Some(claimed) => format!("its folders list {claimed} messages"),
        None => "its folder tables could not be read".to_string(),
    };
    let unaccounted = store
        .claimed
        .map(|c| c.saturating_sub(store.read + store.failed))
        .filter(|&n| n > 0)
        .map(|n| format!(", {n} NOT ACCOUNTED FOR"))
        .unwrap_or_default();
    format!(
        "{} store {}: {claimed} in {} folders; {} read, {} failed (listed below){unaccounted}",
        store.format.to_uppercase(),
        store.origin,
        store.folders,
        store.read,
        store.failed
    )
}

/// Cut `text` to `width` characters (not bytes: subjects are often French).
fn clip(text: &str, width: usize) -> String {
    let single_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if single_line.chars().count() <= width {
        return single_line;
    }
    let mut cut: String = single_line.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
