//! Report data shaped like a real case's, built from real analyses: every
//! DKIM fixture is verified by `tamis_mail::analyze` with the fixture keys,
//! plus one message altered here to carry a hostile subject and sender. The
//! overview is counted from those reports the way the case store counts.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tamis_case::{
    Count, MessageSummary, Overview, RunRow, TimelineBucket, UnreadableRow, VerdictCount,
};
use tamis_findings::{MessageReport, Verdict};
use tamis_items::{Item, ItemKind, Origin};
use tamis_keys::{KeyFile, KeySources};
use tamis_report::{ReportData, FLAGGED_VERDICTS};

/// Subject of the hostile message: markup, quotes, an ampersand and a
/// table pipe, all of which must reach the reader as text.
pub const HOSTILE_SUBJECT: &str = "<script>alert(\"x\")</script> Budget | Q2 & 'figures'";
pub const HOSTILE_FROM: &str =
    "\"Paul <img src=http://evil.example/t.png>\" <paul.mercier@example.org>";
pub const HOSTILE_LOCATION: &str = "dump.zip!../../<script>evil()</script>.eml";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dkim")
}

/// One analyzed message, as the case would list it.
pub struct Analyzed {
    pub file: String,
    pub summary: MessageSummary,
    pub report: MessageReport,
}

pub struct Sample {
    pub data: ReportData,
    pub messages: Vec<Analyzed>,
}

impl Sample {
    pub fn message(&self, file: &str) -> &Analyzed {
        self.messages
            .iter()
            .find(|m| m.file == file)
            .unwrap_or_else(|| panic!("{file} is in the sample"))
    }
}

pub fn keys() -> KeySources {
    let mut keys = KeySources::default();
    for name in ["keys.zone", "keys-fakedns.dat"] {
        // Named as from the repository root, as `tamis ingest` run there records them.
        let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
        let file =
            KeyFile::parse(&text, &format!("fixtures/dkim/{name}")).expect("fixture keys parse");
        keys.push(Box::new(file));
    }
    keys
}

/// `relaxed-relaxed.eml` (verified) with its signed Subject, From and Date
/// rewritten: a headers-altered message whose every shown field is hostile.
pub fn hostile_message() -> Vec<u8> {
    let original = std::fs::read_to_string(fixtures().join("relaxed-relaxed.eml")).unwrap();
    let mut out = String::new();
    for line in original.split_inclusive('\n') {
        let ending = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
        if line.starts_with("Subject:") {
            out.push_str(&format!("Subject: {HOSTILE_SUBJECT}{ending}"));
        } else if line.starts_with("From:") {
            out.push_str(&format!("From: {HOSTILE_FROM}{ending}"));
        } else if line.starts_with("Date:") {
            out.push_str(&format!("Date: Tue, 15 Nov 2016 09:30:00 +0100{ending}"));
        } else {
            out.push_str(line);
        }
    }
    assert_ne!(out, original, "the hostile rewrite changed the fixture");
    out.into_bytes()
}

/// Every DKIM fixture message by file name, sorted, then the hostile one.
pub fn message_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "eml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files.push(("hostile-headers.eml".into(), hostile_message()));
    files
}

pub fn sample() -> Sample {
    let keys = keys();
    let files = message_files();

    // Duplicates collapse into one message with several origins, as in a case.
    let mut by_key: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    let mut messages: Vec<Analyzed> = Vec::new();
    for (name, bytes) in files {
        let item = Item {
            bytes,
            origin: Origin::file(format!("fixtures/dkim/{name}")),
            kind: ItemKind::Message,
        };
        let report = tamis_mail::analyze(&item, &keys).expect("fixtures are readable");
        let key = tamis_mail::message_key(&item).0;
        if let Some(&index) = by_key.get(&key) {
            messages[index].report.origins.extend(report.origins);
            continue;
        }
        by_key.insert(key, messages.len());
        let summary = MessageSummary {
            id: messages.len() as i64 + 1,
            sha256: report.sha256.to_hex(),
            message_id: report.message_id.clone(),
            from: report.from.clone(),
            subject: report.subject.clone(),
            date: report.date.clone(),
            verdict: report.verdict.as_str().to_string(),
            attachments: u64::from(name.contains("attachment")),
        };
        messages.push(Analyzed {
            file: name,
            summary,
            report,
        });
    }

    let flagged = messages
        .iter()
        .filter(|m| FLAGGED_VERDICTS.contains(&m.report.verdict))
        .map(|m| (m.summary.clone(), m.report.clone()))
        .collect();
    let data = ReportData {
        overview: overview(&messages),
        flagged,
        generated_at: "2024-06-01T09:00:00Z".into(),
        case_dir: "cases/macronleaks-sample".into(),
        tamis_version: "0.1.0".into(),
    };
    Sample { data, messages }
}

fn overview(messages: &[Analyzed]) -> Overview {
    let verdicts = Verdict::ALL
        .iter()
        .map(|v| VerdictCount {
            verdict: v.as_str().into(),
            meaning: v.meaning().into(),
            count: messages.iter().filter(|m| m.report.verdict == *v).count() as u64,
        })
        .collect();
    let mut domains: BTreeMap<String, u64> = BTreeMap::new();
    let mut senders: BTreeMap<String, u64> = BTreeMap::new();
    let mut months: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut undated = 0;
    for m in messages {
        if let Some(from) = &m.report.from {
            *senders.entry(from.clone()).or_default() += 1;
            let address = from
                .rsplit('<')
                .next()
                .unwrap_or(from)
                .trim_end_matches('>');
            if let Some((_, domain)) = address.rsplit_once('@') {
                *domains.entry(domain.to_lowercase()).or_default() += 1;
            }
        }
        // RFC 3339 dates start with YYYY-MM; anything else is undated.
        match m.report.date.as_deref() {
            Some(date) if date.len() >= 7 && date.as_bytes()[4] == b'-' => {
                *months
                    .entry(date[..7].to_string())
                    .or_default()
                    .entry(m.report.verdict.as_str().into())
                    .or_default() += 1;
            }
            _ => undated += 1,
        }
    }
    let most_first = |counts: BTreeMap<String, u64>| {
        let mut rows: Vec<Count> = counts
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        rows.truncate(25);
        rows
    };
    let unreadable = vec![
        UnreadableRow {
            location: HOSTILE_LOCATION.into(),
            code: "entry-path-escapes".into(),
            reason: "the entry name leaves its archive (\"../\"); it was not read".into(),
        },
        UnreadableRow {
            location: "dump.zip!mbox/inbox.mbox".into(),
            code: "archive-truncated".into(),
            reason: "the archive ends in the middle of this entry".into(),
        },
    ];
    let origins = messages.iter().map(|m| m.report.origins.len() as u64).sum();
    Overview {
        messages: messages.len() as u64,
        origins,
        attachments: messages.iter().map(|m| m.summary.attachments).sum(),
        files: 0,
        verdicts,
        sender_domains: most_first(domains),
        timeline: months
            .into_iter()
            .map(|(month, counts)| TimelineBucket { month, counts })
            .collect(),
        undated,
        top_senders: most_first(senders),
        top_recipients: Vec::new(),
        unreadable_total: 3,
        unreadable,
        runs: vec![
            RunRow {
                id: 1,
                started_at: "2024-05-31T21:14:02Z".into(),
                finished_at: Some("2024-05-31T21:14:09Z".into()),
                paths: vec!["fixtures/dkim".into()],
                key_files: vec![
                    "fixtures/dkim/keys.zone".into(),
                    "fixtures/dkim/keys-fakedns.dat".into(),
                ],
                dns: false,
                tamis_version: "0.1.0".into(),
                status: "finished".into(),
                counts: BTreeMap::from([
                    ("messages".into(), messages.len() as u64),
                    ("new_messages".into(), messages.len() as u64),
                    ("duplicates".into(), origins - messages.len() as u64),
                    ("attachments".into(), 1),
                    ("files".into(), 0),
                    ("unreadable".into(), 3),
                ]),
            },
            RunRow {
                id: 2,
                started_at: "2024-06-01T08:40:00Z".into(),
                finished_at: None,
                paths: vec!["dump.zip".into()],
                key_files: Vec::new(),
                dns: true,
                tamis_version: "0.1.0".into(),
                status: "running".into(),
                counts: BTreeMap::new(),
            },
        ],
        document_findings: Vec::new(),
        loose_documents: Vec::new(),
        spread_report: false,
        mail_stores: Vec::new(),
        corroborated: 0,
        registry: Vec::new(),
    }
}

/// Verdict counts straight from `fixtures/dkim/expected.tsv` (made by
/// dkimpy, independent of tamis), with the re-exported duplicate counted
/// once and the hostile message added: what the summary must show.
pub fn expected_counts() -> BTreeMap<String, u64> {
    let table = std::fs::read_to_string(fixtures().join("expected.tsv")).unwrap();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for line in table.lines().skip(1) {
        let mut fields = line.split('\t');
        let (file, verdict) = (fields.next().unwrap(), fields.next().unwrap());
        if file != "reexport-duplicate-lf.eml" {
            *counts.entry(verdict.into()).or_default() += 1;
        }
    }
    *counts.entry("headers-altered".into()).or_default() += 1;
    counts
}
