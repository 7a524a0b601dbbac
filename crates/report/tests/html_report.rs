//! The HTML report rendered from real analyses of the DKIM fixtures.

mod sample;

use sample::{sample, HOSTILE_FROM, HOSTILE_LOCATION, HOSTILE_SUBJECT};
use tamis_report::{render, Format};

fn html() -> String {
    render(&sample().data, Format::Html)
}

/// The `<tr>` of the summary table for a verdict word.
fn summary_row<'a>(html: &'a str, verdict: &str) -> &'a str {
    let start = html
        .find(&format!("<tr id=\"summary-{verdict}\">"))
        .unwrap_or_else(|| panic!("no summary row for {verdict}"));
    let end = start + html[start..].find("</tr>").unwrap();
    &html[start..end]
}

/// The evidence card of message `id`.
fn card(html: &str, id: i64) -> &str {
    let start = html
        .find(&format!("<article class=\"message\" id=\"msg-{id}\">"))
        .unwrap_or_else(|| panic!("no evidence for message {id}"));
    let end = start + html[start..].find("</article>").unwrap();
    &html[start..end]
}

#[test]
fn summary_table_counts_every_verdict_as_the_independent_fixtures_expect() {
    let sample = sample();
    let html = render(&sample.data, Format::Html);
    let expected = sample::expected_counts();
    for row in &sample.data.overview.verdicts {
        assert_eq!(
            row.count,
            expected.get(&row.verdict).copied().unwrap_or(0),
            "the sample's {} count matches expected.tsv",
            row.verdict
        );
        let tr = summary_row(&html, &row.verdict);
        assert!(
            tr.contains(&format!("<td class=\"num count\">{}</td>", row.count)),
            "{tr}"
        );
        assert!(tr.contains(&row.meaning), "plain-words meaning shown: {tr}");
    }
    assert!(expected["body-altered"] > 0 && expected["verified"] >= 19);
    let messages = sample.data.overview.messages;
    assert!(
        html.contains(&format!("Of <strong>{messages}</strong> unique messages")),
        "the lede gives the total"
    );
}

#[test]
fn body_altered_message_shows_both_body_hashes() {
    let sample = sample();
    let html = render(&sample.data, Format::Html);
    let tampered = sample.message("body-tampered-figure.eml");
    let signature = &tampered.report.signatures[0];
    let claimed = signature.body_hash_claimed.as_deref().unwrap();
    let computed = signature.body_hash_computed.as_deref().unwrap();
    assert_ne!(claimed, computed);
    let evidence = card(&html, tampered.summary.id);
    assert!(evidence.contains(claimed), "{evidence}");
    assert!(evidence.contains(&format!("<code class=\"differs\">{computed}</code>")));
    assert!(evidence.contains("differ: the body is not what was signed"));
    assert!(
        evidence.contains("<code>fixtures/dkim/keys.zone:5</code>"),
        "key source shown"
    );
    assert!(evidence.contains("2048-bit RSA"));
    assert!(evidence.contains(&tampered.summary.sha256));
}

#[test]
fn partial_signature_shows_its_unsigned_tail_as_unsigned() {
    let sample = sample();
    let html = render(&sample.data, Format::Html);
    let partial = sample.message("l-tag-appended-text.eml");
    let evidence = card(&html, partial.summary.id);
    let tail_start = evidence
        .find("<pre class=\"unsigned\"")
        .expect("the unsigned tail is shown");
    let tail = &evidence[tail_start..];
    assert!(tail.contains("Votez pour nous ! Don en ligne : http://dons.example.com/"));
    assert!(evidence.contains("65 bytes after the signed part that nobody signed"));
}

#[test]
fn hostile_subject_sender_and_location_reach_the_reader_as_text() {
    let html = html();
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script element survives");
    assert!(!lower.contains("<img"), "no image element survives");
    assert!(html.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Budget | Q2 &amp; &#39;figures&#39;"
    ));
    assert!(html.contains("&lt;img src=http://evil.example/t.png&gt;"));
    assert!(html.contains("../../&lt;script&gt;evil()&lt;/script&gt;.eml"));
    // Guard against the sample losing its hostile parts unnoticed.
    assert!(HOSTILE_SUBJECT.contains("<script>") && HOSTILE_FROM.contains("<img"));
    assert!(HOSTILE_LOCATION.contains("<script>"));
}

/// Every tag of the document (the text between `<` and `>`), in order. Text
/// content cannot hold a `<` (it is escaped), so this is exact for our output.
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("every tag closes");
        tags.push(&rest[..end]);
        rest = &rest[end + 1..];
    }
    tags
}

#[test]
fn report_loads_nothing_from_anywhere() {
    let html = html();
    let lower = html.to_lowercase();
    assert!(lower
        .contains("<meta http-equiv=\"content-security-policy\" content=\"default-src 'none';"));
    for tag in tags(&lower) {
        let name = tag.split_whitespace().next().unwrap_or("");
        for element in [
            "script", "img", "link", "iframe", "object", "embed", "form", "image", "use",
        ] {
            assert_ne!(name, element, "a <{element}> element: <{tag}>");
        }
        for attribute in [" src=", " srcset=", " xlink:href=", " style="] {
            assert!(!tag.contains(attribute), "attribute{attribute} in <{tag}>");
        }
        assert!(
            !tag.split_whitespace()
                .any(|t| t.starts_with("on") && t.contains('=')),
            "an event handler in <{tag}>"
        );
        if let Some(at) = tag.find("href=") {
            assert!(
                tag[at..].starts_with("href=\"#"),
                "only in-page links: <{tag}>"
            );
        }
        assert!(
            !tag.contains("http:") && !tag.contains("https:"),
            "a URL in <{tag}>"
        );
    }
    let style_start = lower.find("<style>").unwrap();
    let style = &lower[style_start..style_start + lower[style_start..].find("</style>").unwrap()];
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "CSS loads nothing"
    );
    // The hostile sender's image URL is in the report, as text only.
    assert!(html.contains("src=http://evil.example/t.png"));
}

#[test]
fn every_flagged_message_is_indexed_and_nothing_else_is_listed() {
    let sample = sample();
    let html = render(&sample.data, Format::Html);
    assert!(!sample.data.flagged.is_empty());
    for (summary, _) in &sample.data.flagged {
        card(&html, summary.id);
        assert!(html.contains(&format!("<a href=\"#msg-{}\">", summary.id)));
    }
    let unsigned = sample.message("unsigned.eml");
    assert!(
        !html.contains(&unsigned.summary.sha256),
        "unsigned messages are only counted"
    );
    for verdict in [
        "body-altered",
        "headers-altered",
        "verified-partial",
        "weak",
        "key-revoked",
        "invalid-signature",
    ] {
        assert!(
            html.contains(&format!("id=\"flagged-{verdict}\"")),
            "a section for {verdict}"
        );
    }
    let order: Vec<usize> = [
        "flagged-body-altered",
        "flagged-headers-altered",
        "flagged-verified-partial",
    ]
    .iter()
    .map(|id| html.find(id).unwrap())
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "altered messages come first"
    );
}

#[test]
fn uncovered_headers_and_repairs_are_shown_with_the_evidence() {
    let sample = sample();
    let mut data = sample.data.clone();
    // A verified message is not flagged by the case; the renderer shows
    // whatever evidence it is given, and this one has an uncovered From.
    let second_from = sample.message("second-from-added-above.eml");
    let lf = sample.message("lf-line-endings.eml");
    data.flagged = vec![
        (second_from.summary.clone(), second_from.report.clone()),
        (lf.summary.clone(), lf.report.clone()),
    ];
    let html = render(&data, Format::Html);
    let evidence = card(&html, second_from.summary.id);
    assert!(
        evidence.contains("<code>From: Direction &lt;direction@example.org&gt;</code>"),
        "{evidence}"
    );
    assert!(evidence.contains("an extra copy of a signed header"));
    let repaired = card(&html, lf.summary.id);
    assert!(repaired.contains("lf-line-endings: "), "{repaired}");
}

#[test]
fn unreadable_items_and_runs_are_traceable() {
    let html = html();
    assert!(html.contains("3 items could not be read"));
    assert!(html.contains("The first 2 are shown."));
    assert!(html.contains("<code>archive-truncated</code>"));
    assert!(html.contains("<code>fixtures/dkim/keys-fakedns.dat</code>"));
    assert!(html.contains("live DNS"));
    assert!(html.contains(
        "Figures describe the case as of ingest run #1 (finished 2024-05-31T21:14:09Z)."
    ));
    assert!(html.contains("Run #2 has not finished"));
}

#[test]
fn charts_are_inline_svg_with_a_bar_per_verdict_and_a_timeline() {
    let sample = sample();
    let html = render(&sample.data, Format::Html);
    let nonzero = sample
        .data
        .overview
        .verdicts
        .iter()
        .filter(|v| v.count > 0)
        .count();
    let bars_start = html.find("aria-label=\"Messages by verdict\"").unwrap();
    let bars = &html[bars_start..bars_start + html[bars_start..].find("</svg>").unwrap()];
    assert_eq!(bars.matches("<rect").count(), nonzero);
    assert!(html.contains("aria-label=\"Timeline of message dates, stacked by verdict\""));
    assert!(
        html.contains("2016-11 · headers-altered: 1"),
        "the hostile message's month"
    );
    assert!(html.contains("aria-label=\"Messages by sender domain\""));
}

#[test]
fn tags_are_balanced_whatever_the_messages_hold() {
    let html = html();
    let void = ["meta", "br", "!doctype"];
    let mut open: Vec<String> = Vec::new();
    for tag in tags(&html) {
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect::<String>()
            .to_lowercase();
        if void.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if closing {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes what was open"
            );
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

#[test]
fn rendering_is_a_pure_function_of_the_data() {
    let data = sample().data;
    assert_eq!(render(&data, Format::Html), render(&data, Format::Html));
}

/// `TAMIS_REPORT_SAMPLE=/tmp/report-sample.html cargo test -p tamis-report`
/// writes the sample report for a person to look at (and its Markdown and
/// JSON beside it).
#[test]
fn write_sample_report_when_asked() {
    if let Some(path) = std::env::var_os("TAMIS_REPORT_SAMPLE") {
        let path = std::path::PathBuf::from(path);
        let data = sample().data;
        std::fs::write(&path, render(&data, Format::Html)).unwrap();
        std::fs::write(path.with_extension("md"), render(&data, Format::Markdown)).unwrap();
        std::fs::write(path.with_extension("json"), render(&data, Format::Json)).unwrap();
    }
}
