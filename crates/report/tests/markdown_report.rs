//! The Markdown report rendered from real analyses of the DKIM fixtures.

mod sample;

use sample::{sample, HOSTILE_SUBJECT};
use tamis_report::{render, Format};

/// Pipes that end a GFM table cell: those not escaped by a backslash (a
/// backslash escapes the next character, so `\\|` is an escaped backslash
/// and then a real pipe).
fn cell_boundaries(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '|') => count += 1,
            _ => {}
        }
    }
    count
}

/// Every table: its lines, consecutive lines starting with `|`.
fn tables(doc: &str) -> Vec<Vec<&str>> {
    let mut tables = Vec::new();
    let mut current = Vec::new();
    for line in doc.lines() {
        if line.starts_with('|') {
            current.push(line);
        } else if !current.is_empty() {
            tables.push(std::mem::take(&mut current));
        }
    }
    tables
}

#[test]
fn every_table_row_has_as_many_cells_as_its_header() {
    let doc = render(&sample().data, Format::Markdown);
    let tables = tables(&doc);
    assert!(
        tables.len() > 10,
        "summary, figures, indexes, evidence, runs"
    );
    for table in tables {
        let header = cell_boundaries(table[0]);
        assert!(
            table.len() >= 2 && table[1].starts_with("| ---"),
            "{table:?}"
        );
        for row in &table {
            assert_eq!(
                cell_boundaries(row),
                header,
                "malformed row: {row}\nin table: {}",
                table[0]
            );
            assert!(row.ends_with('|'), "row ends its last cell: {row}");
        }
    }
}

#[test]
fn hostile_subject_with_a_pipe_stays_inside_its_cell() {
    let doc = render(&sample().data, Format::Markdown);
    assert!(HOSTILE_SUBJECT.contains('|'));
    let escaped = "\\<script\\>alert(\"x\")\\</script\\> Budget \\| Q2 \\& 'figures'";
    let row = doc
        .lines()
        .find(|line| line.starts_with("| 31 |"))
        .expect("the hostile message is in its section's index");
    assert!(row.contains(escaped), "{row}");
    assert_eq!(cell_boundaries(row), 5);
    assert!(
        doc.contains(&format!("#### #31 · {escaped}")),
        "heading escaped too"
    );
    for line in doc.lines() {
        let unescaped_markup = line
            .match_indices('<')
            .any(|(at, _)| !line[..at].ends_with('\\') && !line[at..].starts_with("<br>"));
        assert!(!unescaped_markup, "raw HTML from the case: {line}");
    }
}

#[test]
fn summary_table_shows_every_verdict_count_and_meaning() {
    let sample = sample();
    let doc = render(&sample.data, Format::Markdown);
    for row in &sample.data.overview.verdicts {
        let line = doc
            .lines()
            .find(|line| line.starts_with(&format!("| {} |", row.verdict)))
            .unwrap_or_else(|| panic!("no summary row for {}", row.verdict));
        let cells: Vec<&str> = line.split(" | ").collect();
        assert_eq!(cells[2], row.count.to_string(), "{line}");
    }
    assert!(doc.contains(&format!(
        "Of **{}** unique messages",
        sample.data.overview.messages
    )));
}

#[test]
fn evidence_carries_body_hashes_and_the_unsigned_tail_in_a_code_block() {
    let sample = sample();
    let doc = render(&sample.data, Format::Markdown);
    let tampered = &sample.message("body-tampered-figure.eml").report.signatures[0];
    assert!(doc.contains(&format!(
        "claimed (bh=) {}<br>computed {}<br>**differ: the body is not what was signed**",
        tampered.body_hash_claimed.as_deref().unwrap(),
        tampered.body_hash_computed.as_deref().unwrap()
    )));
    assert!(doc.contains(
        "```text\n\n--\nVotez pour nous ! Don en ligne : http://dons.example.com/\n```\n"
    ));
    assert!(doc.contains("| Key source | fixtures/dkim/keys.zone:5 |"));
}

#[test]
fn runs_and_unreadable_items_are_listed() {
    let doc = render(&sample().data, Format::Markdown);
    assert!(doc.contains("dump.zip!../../\\<script\\>evil()\\</script\\>.eml"));
    assert!(doc.contains("The first 2 are shown."));
    assert!(doc.contains("| 1 | 2024-05-31T21:14:02Z | 2024-05-31T21:14:09Z | finished |"));
    assert!(doc.contains("Run #2 has not finished"));
}
