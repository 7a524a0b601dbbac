//! How fast the case store is on a large case, for the figures in SCHEMA.md
//! and to catch a missing index. Not a test: run it by hand, in release.
//!
//! ```text
//! cargo run --release -p tamis-case --example case_bench -- 100000 /tmp/bench-case
//! ```
//!
//! Builds a case of N made-up messages (senders from 50 domains, three
//! recipients each, dates over three years, one in ten with an attachment,
//! verdicts in the sample's proportions), then times ingest, the overview,
//! message pages, search, and a reader opened per call against the pooled one.

use std::path::PathBuf;
use std::time::Instant;
use tamis_case::{CaseReader, CaseWriter, IngestRecord, RunParams};
use tamis_findings::{
    Address, ArcReport, Attachment, MessageContent, MessageReport, OriginReport, Verdict,
};
use tamis_items::{ContentId, Item, ItemKind, Origin};

const WORDS: [&str; 24] = [
    "campagne",
    "budget",
    "meeting",
    "facture",
    "presse",
    "rendez-vous",
    "mairie",
    "tract",
    "donateurs",
    "affiche",
    "deplacement",
    "marseille",
    "agence",
    "communique",
    "planning",
    "stand",
    "video",
    "accreditation",
    "covoiturage",
    "frais",
    "compte",
    "societe",
    "drapeaux",
    "newsletter",
];

/// The sample dump's mix: 25 verified of 39, 3 body-altered…
const VERDICTS: [(Verdict, u32); 7] = [
    (Verdict::Verified, 25),
    (Verdict::VerifiedPartial, 1),
    (Verdict::Weak, 1),
    (Verdict::BodyAltered, 3),
    (Verdict::HeadersAltered, 3),
    (Verdict::KeyMissing, 1),
    (Verdict::Unsigned, 5),
];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: u64 = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    anyhow::ensure!(count > 0, "give a number of messages above zero");
    let case = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/tmp/tamis-case-bench".into()),
    );
    if case.exists() {
        std::fs::remove_dir_all(&case)?;
    }

    let started = Instant::now();
    let mut writer = CaseWriter::open(&case)?;
    writer.begin_run(&RunParams {
        paths: vec!["bench".into()],
        key_files: Vec::new(),
        dns: false,
    })?;
    for n in 0..count {
        writer.add(record(n))?;
    }
    let added = started.elapsed();
    writer.finish_run()?;
    drop(writer);
    let total = started.elapsed();
    println!(
        "ingest {count} messages: {:.1} s ({:.0} messages/s; finish_run {:.1} s)",
        total.as_secs_f64(),
        count as f64 / added.as_secs_f64(),
        (total - added).as_secs_f64()
    );

    let reader = CaseReader::open(&case)?;
    time("overview, computed (a reader opened per call)", 5, || {
        CaseReader::open(&case)?.overview().map(drop)
    })?;
    time("overview, unchanged case", 50, || {
        reader.overview().map(drop)
    })?;
    time("message page", 200, || {
        let id = fastrand(count) as i64 + 1;
        reader.message(id).map(drop)
    })?;
    time("message page, reader opened per call", 200, || {
        let id = fastrand(count) as i64 + 1;
        CaseReader::open(&case)?.message(id).map(drop)
    })?;
    for text in ["facture", "\"budget meeting\"", "from:domain7.example", ""] {
        time(&format!("search {text:?}"), 50, || {
            reader
                .search(&tamis_search::Query {
                    text: text.into(),
                    ..tamis_search::Query::default()
                })
                .map(drop)
        })?;
    }
    Ok(())
}

fn time(
    what: &str,
    times: u32,
    mut work: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    work()?;
    let started = Instant::now();
    for _ in 0..times {
        work()?;
    }
    let each = started.elapsed().as_secs_f64() * 1000.0 / f64::from(times);
    println!("{what}: {each:.2} ms");
    Ok(())
}

/// A deterministic pseudo-random number below `bound`.
fn fastrand(bound: u64) -> u64 {
    use std::cell::Cell;
    thread_local!(static STATE: Cell<u64> = const { Cell::new(0x9e37_79b9_7f4a_7c15) });
    STATE.with(|state| {
        let mut x = state.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state.set(x);
        x % bound
    })
}

fn address(n: u64) -> Address {
    Address {
        name: Some(format!("Person {n}")),
        address: Some(format!("person{n}@domain{}.example", n % 50)),
    }
}

fn verdict(n: u64) -> Verdict {
    let mut slot = (n % 39) as u32;
    for (verdict, share) in VERDICTS {
        if slot < share {
            return verdict;
        }
        slot -= share;
    }
    Verdict::Unsigned
}

fn record(n: u64) -> IngestRecord {
    let body: Vec<&str> = (0..150).map(|_| WORDS[fastrand(24) as usize]).collect();
    let body = body.join(" ");
    let subject = format!(
        "{} {} {n}",
        WORDS[(n % 24) as usize],
        WORDS[(n / 24 % 24) as usize]
    );
    let message_id = format!("m{n}@bench.example");
    let bytes = format!("Message-ID: <{message_id}>\r\nSubject: {subject}\r\n\r\n{body}\r\n");
    let item = Item {
        bytes: bytes.into_bytes(),
        origin: Origin::file("bench.mbox").at_offset(n * 1000),
        kind: ItemKind::MboxMessage,
    };
    let sha256 = item.content_id();
    let verdict = verdict(n);
    let date_unix = 1_420_000_000 + (n as i64 * 7919) % 95_000_000;
    let attachments = if n.is_multiple_of(10) {
        vec![Attachment {
            filename: Some(format!("document-{}.pdf", n % 500)),
            content_type: "application/pdf".into(),
            disposition: "attachment".into(),
            bytes: format!("%PDF document {}", n % 500).into_bytes(),
        }]
    } else {
        Vec::new()
    };
    let report = MessageReport {
        message_id: Some(message_id.clone()),
        sha256,
        from: None,
        subject: Some(subject.clone()),
        date: None,
        verdict,
        reason: format!("bench message {n}"),
        repairs: Vec::new(),
        signatures: Vec::new(),
        arc: ArcReport {
            chain: "none".into(),
            instances: 0,
            failed_instance: None,
            reason: String::new(),
        },
        origins: vec![OriginReport::new(item.origin.clone(), sha256)],
    };
    let content = MessageContent {
        message_id: Some(message_id),
        in_reply_to: (n % 3 == 1)
            .then(|| format!("m{}@bench.example", n - 1))
            .into_iter()
            .collect(),
        from: vec![address(fastrand(500))],
        to: (0..3).map(|_| address(fastrand(2000))).collect(),
        subject: Some(subject),
        date_unix: Some(date_unix),
        text_body: body,
        attachments,
        ..MessageContent::default()
    };
    IngestRecord::analyzed_message(ContentId::of(&item.bytes).0, item, report, content)
}
