//! The report as Markdown (CommonMark with GFM tables), for pasting into a
//! newsroom's tools. Charts become tables of figures. Every value from the
//! case goes through [`md`] (one line, markup escaped) or
//! [`markdown_code_block`].

use crate::evidence::{self, Row, Value};
use crate::outline::{self, Flagged};
use crate::{charts, prose, ReportData};
use std::fmt::Write;
use tamis_html::escape::{clip, markdown_code_block, markdown_inline as md};
use tamis_html::numbers::{percent, plural, thousands};

pub fn render(data: &ReportData) -> String {
    let mut doc = String::with_capacity(32 * 1024 + data.flagged.len() * 2048);
    let _ = write!(
        doc,
        "# What the signatures in this case prove\n\n\
         *tamis authenticity report* · case {case} · generated {at} · tamis {version}\n\n",
        case = md(&data.case_dir),
        at = md(&data.generated_at),
        version = md(&data.tamis_version),
    );
    summary(&mut doc, data);
    how_to_read(&mut doc);
    figures(&mut doc, data);
    flagged(&mut doc, data);
    unreadable(&mut doc, data);
    runs(&mut doc, data);
    footer(&mut doc, data);
    doc
}

fn summary(doc: &mut String, data: &ReportData) {
    let overview = &data.overview;
    let lede = outline::lede(data);
    doc.push_str("## Summary\n\n");
    if lede.messages == 0 {
        doc.push_str("The case holds no messages.\n\n");
    } else {
        let _ = write!(
            doc,
            "Of **{}** unique messages, **{} ({})** are verified: a DKIM signature proves the \
             signing domain sent them exactly as they are. **{}** provably changed after \
             signing. **{}** are signed in part only or with a weak key. The other **{}** {}.\n\n",
            thousands(lede.messages),
            thousands(lede.verified),
            percent(lede.verified, lede.messages),
            thousands(lede.altered),
            thousands(lede.limited),
            thousands(lede.unproven),
            md(prose::UNPROVEN_IS_NOT_FORGED),
        );
    }
    let _ = write!(
        doc,
        "- **{}** unique messages, found in **{}** places (duplicates included)\n\
         - {}, {}\n\
         - {} could not be read\n\n",
        thousands(overview.messages),
        thousands(overview.origins),
        plural(
            overview.attachments,
            "unique attachment",
            "unique attachments"
        ),
        plural(overview.files, "other file", "other files"),
        plural(overview.unreadable_total, "item", "items"),
    );
    doc.push_str("| Verdict | What it means | Messages | Share |\n| --- | --- | ---: | ---: |\n");
    for row in &overview.verdicts {
        let _ = writeln!(
            doc,
            "| {} | {} | {} | {} |",
            md(&row.verdict),
            md(&row.meaning),
            thousands(row.count),
            percent(row.count, overview.messages),
        );
    }
    doc.push('\n');
}

fn how_to_read(doc: &mut String) {
    doc.push_str("## How to read this report\n\n");
    for caveat in &prose::HOW_TO_READ {
        let _ = writeln!(doc, "- **{}** {}", md(caveat.lead), md(caveat.text));
    }
    doc.push('\n');
}

/// The charts' figures as tables: Markdown has no pictures we could draw
/// without loading something.
fn figures(doc: &mut String, data: &ReportData) {
    let overview = &data.overview;
    doc.push_str("## Figures\n\n### When the messages are dated\n\n");
    let _ = write!(doc, "{}\n\n", md(prose::TIMELINE_CAPTION));
    let (columns, granularity, unplaced) = charts::timeline_columns(&overview.timeline);
    let words = charts::words_in_stack_order(columns.iter().flat_map(|c| c.counts.keys()));
    if columns.is_empty() {
        doc.push_str("No message has a usable Date header.\n\n");
    } else {
        let period = match granularity {
            charts::Granularity::Month => "Month",
            _ => "Year",
        };
        let _ = write!(doc, "| {period} | Total |");
        for word in &words {
            let _ = write!(doc, " {} |", md(word));
        }
        doc.push_str("\n| --- | ---: |");
        doc.push_str(&" ---: |".repeat(words.len()));
        doc.push('\n');
        // Empty months are drawn on the chart to keep its scale; in a table they are noise.
        for column in columns.iter().filter(|c| c.counts.values().any(|n| *n > 0)) {
            let _ = write!(
                doc,
                "| {} | {} |",
                md(&column.label),
                thousands(column.counts.values().sum())
            );
            for word in &words {
                let n = column.counts.get(word).copied().unwrap_or(0);
                let _ = write!(doc, " {} |", thousands(n));
            }
            doc.push('\n');
        }
        doc.push('\n');
    }
    if overview.undated > 0 {
        let _ = write!(
            doc,
            "Not dated: {} without a usable Date header.\n\n",
            plural(overview.undated, "message", "messages")
        );
    }
    if unplaced > 0 {
        let _ = write!(
            doc,
            "Not placed: {} in months that are not `YYYY-MM`.\n\n",
            plural(unplaced, "message", "messages")
        );
    }
    doc.push_str("### Sender domains\n\n");
    let _ = write!(doc, "{}\n\n", md(prose::SENDER_DOMAINS_CAPTION));
    if overview.sender_domains.is_empty() {
        doc.push_str("No sender domain is known.\n\n");
    } else {
        doc.push_str("| Domain | Messages |\n| --- | ---: |\n");
        for row in &overview.sender_domains {
            let _ = writeln!(
                doc,
                "| {} | {} |",
                md(&clip(&row.key, 200)),
                thousands(row.count)
            );
        }
        doc.push('\n');
    }
}

fn flagged(doc: &mut String, data: &ReportData) {
    doc.push_str("## Messages to check before publishing\n\n");
    let sections = outline::flagged_sections(data);
    if sections.is_empty() {
        doc.push_str(
            "No message is altered, partly signed, weakly signed, or carries an unusable \
             signature.\n\n",
        );
        return;
    }
    doc.push_str(
        "Messages whose signatures show a change, prove less than they seem to, or cannot be \
         used, each with the evidence behind its verdict. Messages that are verified, unsigned, \
         or whose key is missing are only counted above.\n\n",
    );
    for (verdict, messages) in sections {
        let _ = write!(
            doc,
            "### {} (`{}`, {})\n\n*{}*\n\n",
            md(prose::section_title(verdict)),
            verdict.as_str(),
            plural(messages.len() as u64, "message", "messages"),
            md(prose::section_guidance(verdict)),
        );
        doc.push_str("| # | Date | From | Subject |\n| ---: | --- | --- | --- |\n");
        for (summary, _) in messages.iter().copied() {
            let _ = writeln!(
                doc,
                "| {} | {} | {} | {} |",
                summary.id,
                md(summary.date.as_deref().unwrap_or("")),
                md(&clip(summary.from.as_deref().unwrap_or(""), 120)),
                md(&clip(
                    summary.subject.as_deref().unwrap_or("(no subject)"),
                    200
                )),
            );
        }
        doc.push('\n');
        for message in messages {
            message_block(doc, message);
        }
    }
}

fn message_block(doc: &mut String, (summary, report): Flagged<'_>) {
    let _ = write!(
        doc,
        "#### #{} · {}\n\n**`{}`** — {}\n\n",
        summary.id,
        md(&clip(
            summary.subject.as_deref().unwrap_or("(no subject)"),
            300
        )),
        report.verdict.as_str(),
        md(&report.reason),
    );
    evidence_table(doc, &evidence::message_rows(summary, report));
    let total = report.signatures.len();
    let mut tails = Vec::new();
    for (index, signature) in report.signatures.iter().enumerate() {
        let heading = evidence::signature_heading(index, total, signature);
        let _ = write!(doc, "**{}**\n\n", md(&heading));
        let rows = evidence::signature_rows(signature, &report.reason);
        evidence_table(doc, &rows);
        for row in &rows {
            if let Value::UnsignedTail {
                preview: Some(preview),
                ..
            } = &row.value
            {
                tails.push((heading.clone(), preview.clone()));
            }
        }
    }
    // A table cell holds one line: the unsigned tail is shown as it is, below.
    for (heading, preview) in tails {
        let _ = write!(
            doc,
            "Unsigned tail ({}), as found — anyone could have added this:\n\n{}\n",
            md(&heading),
            markdown_code_block(&clip(&preview, 4000))
        );
    }
}

fn evidence_table(doc: &mut String, rows: &[Row]) {
    doc.push_str("| Field | Value |\n| --- | --- |\n");
    for row in rows {
        let _ = writeln!(doc, "| {} | {} |", md(row.label), cell(&row.value));
    }
    doc.push('\n');
}

fn cell(value: &Value) -> String {
    match value {
        Value::Text(text) => md(text),
        Value::Code(text) => md(text),
        Value::List(items) => items.iter().map(|i| md(i)).collect::<Vec<_>>().join("<br>"),
        Value::CodeList(items) => items.iter().map(|i| md(i)).collect::<Vec<_>>().join("<br>"),
        Value::Verdict(verdict, outcome) => {
            format!("**`{}`** ({})", verdict.as_str(), md(outcome))
        }
        Value::BodyHashes { claimed, computed } => {
            let verdict_words = if claimed == computed {
                "**match**"
            } else {
                "**differ: the body is not what was signed**"
            };
            format!(
                "claimed (bh=) {}<br>computed {}<br>{verdict_words}",
                md(claimed.as_deref().unwrap_or("none")),
                md(computed.as_deref().unwrap_or("not computed")),
            )
        }
        Value::UnsignedTail { bytes, preview } => format!(
            "{} after the signed part that nobody signed{}",
            plural(*bytes, "byte", "bytes"),
            if preview.is_some() {
                " (shown below)"
            } else {
                ""
            }
        ),
        Value::Uncovered(headers) => headers
            .iter()
            .map(|h| {
                format!(
                    "{}: {} — {}",
                    md(&h.name),
                    md(&clip(&h.value, 500)),
                    md(&prose::uncovered_reason(&h.reason))
                )
            })
            .collect::<Vec<_>>()
            .join("<br>"),
    }
}

fn unreadable(doc: &mut String, data: &ReportData) {
    let overview = &data.overview;
    doc.push_str("## Items that could not be read\n\n");
    if overview.unreadable_total == 0 {
        doc.push_str("Every item in the dump could be read.\n\n");
        return;
    }
    let _ = write!(
        doc,
        "{} could not be read and {} in none of the figures above.",
        plural(overview.unreadable_total, "item", "items"),
        if overview.unreadable_total == 1 {
            "is"
        } else {
            "are"
        },
    );
    if (overview.unreadable.len() as u64) < overview.unreadable_total {
        let _ = write!(
            doc,
            " The first {} are shown.",
            thousands(overview.unreadable.len() as u64)
        );
    }
    doc.push_str("\n\n| Where | Problem | What went wrong |\n| --- | --- | --- |\n");
    for row in &overview.unreadable {
        let _ = writeln!(
            doc,
            "| {} | {} | {} |",
            md(&clip(&row.location, 500)),
            md(&row.code),
            md(&row.reason),
        );
    }
    doc.push('\n');
}

fn runs(doc: &mut String, data: &ReportData) {
    doc.push_str("## Ingest runs\n\n");
    if data.overview.runs.is_empty() {
        doc.push_str("The case records no ingest run.\n\n");
        return;
    }
    doc.push_str(
        "Every run that added to this case, so that a published figure can be traced to the \
         run, the files and the keys that produced it.\n\n\
         | Run | Started (UTC) | Finished (UTC) | Status | Read | Key sources | Counts at the end | tamis |\n\
         | ---: | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for run in &data.overview.runs {
        let mut keys: Vec<String> = run.key_files.iter().map(|k| md(k)).collect();
        if run.dns {
            keys.push("live DNS".into());
        }
        let paths: Vec<String> = run.paths.iter().map(|p| md(p)).collect();
        let _ = writeln!(
            doc,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            run.id,
            md(&run.started_at),
            md(run.finished_at.as_deref().unwrap_or("not finished")),
            md(&run.status),
            paths.join("<br>"),
            if keys.is_empty() {
                "none".to_string()
            } else {
                keys.join("<br>")
            },
            md(&outline::run_counts(run)),
            md(&run.tamis_version),
        );
    }
    doc.push('\n');
}

fn footer(doc: &mut String, data: &ReportData) {
    let trace = outline::trace(data);
    doc.push_str("---\n\n");
    match trace.last_finished {
        Some(run) => {
            let _ = write!(
                doc,
                "Figures describe the case as of ingest run #{} (finished {}).",
                run.id,
                md(run.finished_at.as_deref().unwrap_or("at an unknown time")),
            );
        }
        None => doc.push_str("No ingest run of this case has finished."),
    }
    for run in &trace.unfinished {
        let _ = write!(
            doc,
            " **Run #{} has not finished (it is still running, or was interrupted): the figures may be incomplete until it completes.**",
            run.id
        );
    }
    let _ = writeln!(
        doc,
        " Generated by tamis {} at {} from {}. Re-verify any message independently from its \
         original bytes (SHA-256 given with its evidence).",
        md(&data.tamis_version),
        md(&data.generated_at),
        md(&data.case_dir),
    );
}
