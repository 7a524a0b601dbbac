//! The report as one HTML file: inline CSS and SVG, no script, no loads.
//! Every value from the case goes through [`esc`]; only our own markup and
//! words are written unescaped.

use crate::charts::{self, Bar};
use crate::evidence::{self, Row, Value};
use crate::outline::{self, Flagged};
use crate::{prose, verdicts, ReportData};
use std::fmt::Write;
use tamis_findings::Verdict;
use tamis_html::escape::{clip, html as esc};
use tamis_html::numbers::{percent, plural, thousands};

/// Loads nothing, runs nothing: should anything slip past the escaping, the
/// browser still refuses to fetch or execute it.
const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = include_str!("report.css");

pub fn render(data: &ReportData) -> String {
    let mut page = String::with_capacity(64 * 1024 + data.flagged.len() * 4096);
    let _ = write!(
        page,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tamis {version}">
<title>Authenticity report · {case}</title>
<style>
{STYLE}{badges}</style>
</head>
<body>
"#,
        version = esc(&data.tamis_version),
        case = esc(&data.case_dir),
        badges = badge_rules(),
    );
    masthead(&mut page, data);
    summary(&mut page, data);
    how_to_read(&mut page);
    charts_section(&mut page, data);
    flagged(&mut page, data);
    unreadable(&mut page, data);
    runs(&mut page, data);
    footer(&mut page, data);
    page.push_str("</body>\n</html>\n");
    page
}

fn masthead(page: &mut String, data: &ReportData) {
    let _ = write!(
        page,
        r##"<header class="masthead">
<p class="kicker">tamis · authenticity report</p>
<h1>What the signatures in this case prove</h1>
<p class="dateline">Case <code>{case}</code> · generated {at} · tamis {version}</p>
</header>
<nav class="contents"><a href="#summary">Summary</a><a href="#reading">How to read</a><a href="#charts">Charts</a><a href="#flagged">Messages to check</a><a href="#unreadable">Unreadable</a><a href="#runs">Ingest runs</a></nav>
"##,
        case = esc(&data.case_dir),
        at = esc(&data.generated_at),
        version = esc(&data.tamis_version),
    );
}

fn summary(page: &mut String, data: &ReportData) {
    let overview = &data.overview;
    let lede = outline::lede(data);
    page.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    if lede.messages == 0 {
        page.push_str("<p class=\"lede\">The case holds no messages.</p>\n");
    } else {
        let _ = writeln!(
            page,
            "<p class=\"lede\">Of <strong>{messages}</strong> unique messages, \
             <strong>{verified} ({verified_share})</strong> are verified: a DKIM signature proves \
             the signing domain sent them exactly as they are. \
             <strong>{altered}</strong> provably changed after signing. \
             <strong>{limited}</strong> are signed in part only or with a weak key. \
             The other <strong>{unproven}</strong> {unproven_words}.</p>",
            messages = thousands(lede.messages),
            verified = thousands(lede.verified),
            verified_share = percent(lede.verified, lede.messages),
            altered = thousands(lede.altered),
            limited = thousands(lede.limited),
            unproven = thousands(lede.unproven),
            unproven_words = esc(prose::UNPROVEN_IS_NOT_FORGED),
        );
    }
    page.push_str("<div class=\"figures\">");
    for (n, label) in [
        (overview.messages, "unique messages"),
        (overview.origins, "places found, duplicates included"),
        (overview.attachments, "unique attachments"),
        (overview.files, "other files"),
        (overview.unreadable_total, "items that could not be read"),
    ] {
        let _ = write!(
            page,
            "<div class=\"figure\"><span class=\"n\">{}</span><span class=\"l\">{label}</span></div>",
            thousands(n)
        );
    }
    page.push_str("</div>\n");
    page.push_str(
        "<table class=\"verdicts\">\n<thead><tr><th>Verdict</th><th>What it means</th>\
         <th class=\"num\">Messages</th><th class=\"num\">Share</th></tr></thead>\n<tbody>\n",
    );
    for row in &overview.verdicts {
        let verdict = verdicts::parse(&row.verdict);
        let _ = writeln!(
            page,
            "<tr id=\"summary-{class}\"><td>{badge}</td><td>{meaning}</td>\
             <td class=\"num count\">{count}</td><td class=\"num\">{share}</td></tr>",
            class = verdicts::css_class(verdict),
            badge = badge(verdict, &row.verdict),
            meaning = esc(&row.meaning),
            count = thousands(row.count),
            share = percent(row.count, overview.messages),
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn how_to_read(page: &mut String) {
    page.push_str(
        "<section id=\"reading\">\n<h2>How to read this report</h2>\n<div class=\"caveats\">\n",
    );
    for caveat in &prose::HOW_TO_READ {
        let _ = writeln!(
            page,
            "<p><strong>{}</strong> {}</p>",
            esc(caveat.lead),
            esc(caveat.text)
        );
    }
    page.push_str("</div>\n</section>\n");
}

fn charts_section(page: &mut String, data: &ReportData) {
    let overview = &data.overview;
    page.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");

    let verdict_bars: Vec<Bar> = overview
        .verdicts
        .iter()
        .map(|row| Bar {
            label: row.verdict.clone(),
            value: row.count,
            fill: verdicts::colours(verdicts::parse(&row.verdict)).fill,
            tooltip: format!("{}: {}", row.verdict, thousands(row.count)),
        })
        .collect();
    let _ = write!(
        page,
        "<figure>\n<figcaption><strong>Messages by verdict.</strong> Each message counts once, \
         under the strongest verdict its signatures support.</figcaption>\n{}\n</figure>\n",
        charts::horizontal_bars(&verdict_bars, "Messages by verdict")
    );

    let timeline = charts::timeline(&overview.timeline);
    page.push_str("<figure>\n<figcaption><strong>When the messages are dated.</strong> ");
    page.push_str(&esc(prose::TIMELINE_CAPTION));
    match timeline.granularity {
        charts::Granularity::Month => {}
        charts::Granularity::Year => {
            page.push_str(" The dates span more than ten years, so columns are years.")
        }
        charts::Granularity::YearsWithMessages => page.push_str(
            " The dates span centuries (broken or forged Date headers), so only years that \
             have messages are shown, side by side: the axis is not to scale.",
        ),
    }
    page.push_str("</figcaption>\n");
    match &timeline.svg {
        Some(svg) => {
            page.push_str(svg);
            page.push_str("\n<p class=\"legend\">");
            for word in &timeline.verdicts_shown {
                let _ = write!(
                    page,
                    "<span class=\"key\"><svg width=\"11\" height=\"11\" aria-hidden=\"true\"><rect width=\"11\" height=\"11\" fill=\"{}\"/></svg>{}</span>",
                    verdicts::colours(verdicts::parse(word)).fill,
                    esc(word)
                );
            }
            page.push_str("</p>\n");
        }
        None => page.push_str("<p class=\"empty\">No message has a usable Date header.</p>\n"),
    }
    let mut off_chart = Vec::new();
    if overview.undated > 0 {
        off_chart.push(format!(
            "{} without a usable Date header",
            plural(overview.undated, "message", "messages")
        ));
    }
    if timeline.unplaced > 0 {
        off_chart.push(format!(
            "{} in months the chart cannot place",
            plural(timeline.unplaced, "message", "messages")
        ));
    }
    if !off_chart.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"note\">Not on the timeline: {}.</p>",
            esc(&off_chart.join("; "))
        );
    }
    page.push_str("</figure>\n");

    let domain_bars: Vec<Bar> = overview
        .sender_domains
        .iter()
        .map(|row| Bar {
            label: row.key.clone(),
            value: row.count,
            fill: "#37474f",
            tooltip: format!("{}: {}", row.key, thousands(row.count)),
        })
        .collect();
    page.push_str("<figure>\n<figcaption><strong>Sender domains.</strong> ");
    page.push_str(&esc(prose::SENDER_DOMAINS_CAPTION));
    page.push_str("</figcaption>\n");
    if domain_bars.is_empty() {
        page.push_str("<p class=\"empty\">No sender domain is known.</p>\n");
    } else {
        page.push_str(&charts::horizontal_bars(
            &domain_bars,
            "Messages by sender domain",
        ));
        page.push('\n');
    }
    page.push_str("</figure>\n</section>\n");
}

fn flagged(page: &mut String, data: &ReportData) {
    page.push_str("<section id=\"flagged\">\n<h2>Messages to check before publishing</h2>\n");
    let sections = outline::flagged_sections(data);
    if sections.is_empty() {
        page.push_str(
            "<p>No message is altered, partly signed, weakly signed, or carries an unusable \
             signature.</p>\n</section>\n",
        );
        return;
    }
    page.push_str(
        "<p>Messages whose signatures show a change, prove less than they seem to, or cannot \
         be used, each with the evidence behind its verdict. Messages that are verified, \
         unsigned, or whose key is missing are only counted above.</p>\n",
    );
    for (verdict, messages) in sections {
        let _ = write!(
            page,
            "<section class=\"verdict-section\" id=\"flagged-{class}\">\n\
             <h3>{badge} {title} <span class=\"count\">{n}</span></h3>\n\
             <p class=\"guidance\">{guidance}</p>\n",
            class = verdict.as_str(),
            badge = badge(Some(verdict), verdict.as_str()),
            title = esc(prose::section_title(verdict)),
            n = esc(&plural(messages.len() as u64, "message", "messages")),
            guidance = esc(prose::section_guidance(verdict)),
        );
        index_table(page, &messages);
        for message in messages {
            message_card(page, message);
        }
        page.push_str("</section>\n");
    }
    page.push_str("</section>\n");
}

fn index_table(page: &mut String, messages: &[Flagged<'_>]) {
    page.push_str(
        "<table class=\"index\">\n<thead><tr><th class=\"num\">#</th><th>Date</th><th>From</th>\
         <th>Subject</th></tr></thead>\n<tbody>\n",
    );
    for (summary, _) in messages.iter().copied() {
        let _ = writeln!(
            page,
            "<tr><td class=\"num\"><a href=\"#{anchor}\">{id}</a></td><td class=\"date\">{date}</td>\
             <td>{from}</td><td><a href=\"#{anchor}\">{subject}</a></td></tr>",
            anchor = outline::message_anchor(summary),
            id = summary.id,
            date = esc(summary.date.as_deref().unwrap_or("")),
            from = esc(&clip(summary.from.as_deref().unwrap_or(""), 120)),
            subject = esc(&clip(summary.subject.as_deref().unwrap_or("(no subject)"), 200)),
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

fn message_card(page: &mut String, (summary, report): Flagged<'_>) {
    let _ = write!(
        page,
        "<article class=\"message\" id=\"{anchor}\">\n\
         <h4><span class=\"id\">#{id}</span> {subject}</h4>\n\
         <p class=\"reason\">{badge} {reason}</p>\n",
        anchor = outline::message_anchor(summary),
        id = summary.id,
        subject = esc(summary.subject.as_deref().unwrap_or("(no subject)")),
        badge = badge(Some(report.verdict), report.verdict.as_str()),
        reason = esc(&report.reason),
    );
    evidence_table(page, "meta", &evidence::message_rows(summary, report));
    let total = report.signatures.len();
    for (index, signature) in report.signatures.iter().enumerate() {
        let _ = writeln!(
            page,
            "<h5>{}</h5>",
            esc(&evidence::signature_heading(index, total, signature))
        );
        evidence_table(
            page,
            "signature",
            &evidence::signature_rows(signature, &report.reason),
        );
    }
    page.push_str("</article>\n");
}

fn evidence_table(page: &mut String, class: &str, rows: &[Row]) {
    let _ = writeln!(page, "<table class=\"evidence {class}\">");
    for row in rows {
        let _ = write!(page, "<tr><th>{}</th><td>", esc(row.label));
        value(page, &row.value);
        page.push_str("</td></tr>\n");
    }
    page.push_str("</table>\n");
}

fn value(page: &mut String, value: &Value) {
    match value {
        Value::Text(text) => page.push_str(&esc(text)),
        Value::Code(text) => {
            let _ = write!(page, "<code>{}</code>", esc(text));
        }
        Value::List(items) => lines(page, items, false),
        Value::CodeList(items) => lines(page, items, true),
        Value::Verdict(verdict, outcome) => {
            let _ = write!(
                page,
                "{} <code>{}</code>",
                badge(Some(*verdict), verdict.as_str()),
                esc(outcome)
            );
        }
        Value::BodyHashes { claimed, computed } => {
            let differ = claimed != computed;
            let verdict_words = if differ {
                "<span class=\"differs\">differ: the body is not what was signed</span>"
            } else {
                "<span class=\"same\">match</span>"
            };
            let _ = write!(
                page,
                "<div class=\"hashes\"><div><span class=\"k\">claimed (bh=)</span> <code>{}</code></div>\
                 <div><span class=\"k\">computed</span> <code{}>{}</code></div><div>{verdict_words}</div></div>",
                esc(claimed.as_deref().unwrap_or("none")),
                if differ { " class=\"differs\"" } else { "" },
                esc(computed.as_deref().unwrap_or("not computed")),
            );
        }
        Value::UnsignedTail { bytes, preview } => {
            let _ = write!(
                page,
                "{} after the signed part that nobody signed: anyone could have added them.",
                esc(&plural(*bytes, "byte", "bytes"))
            );
            if let Some(preview) = preview {
                let _ = write!(
                    page,
                    "<pre class=\"unsigned\" title=\"Unsigned: not covered by the signature\">{}</pre>",
                    esc(&clip(preview, 4000))
                );
            }
        }
        Value::Uncovered(headers) => {
            page.push_str("<ul class=\"uncovered\">");
            for header in headers {
                let _ = write!(
                    page,
                    "<li><code>{}: {}</code> — {}</li>",
                    esc(&header.name),
                    esc(&clip(&header.value, 500)),
                    esc(&prose::uncovered_reason(&header.reason))
                );
            }
            page.push_str("</ul>");
        }
    }
}

fn lines(page: &mut String, items: &[String], code: bool) {
    page.push_str("<ul class=\"plain\">");
    for item in items {
        if code {
            let _ = write!(page, "<li><code>{}</code></li>", esc(item));
        } else {
            let _ = write!(page, "<li>{}</li>", esc(item));
        }
    }
    page.push_str("</ul>");
}

fn unreadable(page: &mut String, data: &ReportData) {
    let overview = &data.overview;
    page.push_str("<section id=\"unreadable\">\n<h2>Items that could not be read</h2>\n");
    if overview.unreadable_total == 0 {
        page.push_str("<p>Every item in the dump could be read.</p>\n</section>\n");
        return;
    }
    let _ = write!(
        page,
        "<p>{} could not be read and {} in none of the figures above. Each is listed with \
         where it is, so it can be examined by hand.",
        esc(&plural(overview.unreadable_total, "item", "items")),
        if overview.unreadable_total == 1 {
            "is"
        } else {
            "are"
        },
    );
    if (overview.unreadable.len() as u64) < overview.unreadable_total {
        let _ = write!(
            page,
            " The first {} are shown.",
            thousands(overview.unreadable.len() as u64)
        );
    }
    page.push_str(
        "</p>\n<table class=\"unreadable\">\n<thead><tr><th>Where</th><th>Problem</th>\
         <th>What went wrong</th></tr></thead>\n<tbody>\n",
    );
    for row in &overview.unreadable {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
            esc(&clip(&row.location, 500)),
            esc(&row.code),
            esc(&row.reason),
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn runs(page: &mut String, data: &ReportData) {
    page.push_str("<section id=\"runs\">\n<h2>Ingest runs</h2>\n");
    if data.overview.runs.is_empty() {
        page.push_str("<p>The case records no ingest run.</p>\n</section>\n");
        return;
    }
    page.push_str(
        "<p>Every run that added to this case, so that a published figure can be traced to \
         the run, the files and the keys that produced it.</p>\n\
         <table class=\"runs\">\n<thead><tr><th class=\"num\">Run</th><th>Started / finished (UTC)</th>\
         <th>Read</th><th>Key sources</th><th>Counts at the end</th></tr></thead>\n<tbody>\n",
    );
    for run in &data.overview.runs {
        let mut keys: Vec<String> = run.key_files.clone();
        if run.dns {
            keys.push("live DNS".into());
        }
        let _ = write!(
            page,
            "<tr><td class=\"num\">{id}</td><td class=\"date\">{started}<br>{finished}<br>\
             <span class=\"status {status_class}\">{status}</span></td><td>",
            id = run.id,
            started = esc(&run.started_at),
            finished = esc(run.finished_at.as_deref().unwrap_or("not finished")),
            status_class = if run.status == "finished" {
                "finished"
            } else {
                "unfinished"
            },
            status = esc(&run.status),
        );
        lines(page, &run.paths, true);
        page.push_str("</td><td>");
        if keys.is_empty() {
            page.push_str("none");
        } else {
            lines(page, &keys, true);
        }
        let _ = writeln!(
            page,
            "</td><td>{}<br><span class=\"k\">tamis {}</span></td></tr>",
            esc(&outline::run_counts(run)),
            esc(&run.tamis_version),
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn footer(page: &mut String, data: &ReportData) {
    let trace = outline::trace(data);
    page.push_str("<footer>\n");
    match trace.last_finished {
        Some(run) => {
            let _ = write!(
                page,
                "<p>Figures describe the case as of ingest run #{} (finished {}).",
                run.id,
                esc(run.finished_at.as_deref().unwrap_or("at an unknown time")),
            );
        }
        None => page.push_str("<p>No ingest run of this case has finished."),
    }
    for run in &trace.unfinished {
        let _ = write!(
            page,
            " <strong>Run #{} has not finished (it is still running, or was interrupted): the figures may \
             be incomplete until it completes.</strong>",
            run.id
        );
    }
    let _ = write!(
        page,
        " Generated by tamis {} at {} from <code>{}</code>. Re-verify any message \
         independently from its original bytes (SHA-256 given with its evidence).</p>\n</footer>\n",
        esc(&data.tamis_version),
        esc(&data.generated_at),
        esc(&data.case_dir),
    );
}

/// A verdict badge. The class and colours come from our vocabulary only;
/// the word shown is the case's, escaped.
fn badge(verdict: Option<Verdict>, word: &str) -> String {
    format!(
        "<span class=\"badge v-{}\">{}</span>",
        verdicts::css_class(verdict),
        esc(word)
    )
}

/// Badge colours as CSS rules, generated from the same table as the charts.
fn badge_rules() -> String {
    let mut css = String::new();
    for verdict in Verdict::ALL.map(Some).into_iter().chain([None]) {
        let colours = verdicts::colours(verdict);
        let _ = writeln!(
            css,
            ".badge.v-{} {{ background: {}; color: {}; }}",
            verdicts::css_class(verdict),
            colours.fill,
            colours.ink
        );
    }
    css
}
