//! What the report says, before it is written as HTML or Markdown: the
//! headline figures, the sections of flagged messages, and the run the
//! figures trace to. Both writers read this, so they cannot disagree.

use crate::verdicts::{self, FLAGGED_VERDICTS};
use crate::ReportData;
use tamis_case::{MessageSummary, RunRow};
use tamis_findings::{MessageReport, Verdict};

/// The headline: how many messages are proven, provably altered, proven
/// only in part, and unprovable.
#[derive(Debug, PartialEq, Eq)]
pub struct Lede {
    pub messages: u64,
    pub verified: u64,
    /// body-altered + headers-altered.
    pub altered: u64,
    /// verified-partial + weak: a signature verifies but proves less than it seems.
    pub limited: u64,
    /// Everything else: nothing proven either way.
    pub unproven: u64,
}

pub fn lede(data: &ReportData) -> Lede {
    let mut lede = Lede {
        messages: data.overview.messages,
        verified: 0,
        altered: 0,
        limited: 0,
        unproven: 0,
    };
    for row in &data.overview.verdicts {
        let bucket = match verdicts::parse(&row.verdict) {
            Some(Verdict::Verified) => &mut lede.verified,
            Some(Verdict::BodyAltered | Verdict::HeadersAltered) => &mut lede.altered,
            Some(Verdict::VerifiedPartial | Verdict::Weak) => &mut lede.limited,
            _ => &mut lede.unproven,
        };
        *bucket += row.count;
    }
    lede
}

pub type Flagged<'a> = &'a (MessageSummary, MessageReport);

/// Flagged messages grouped by verdict, sections in [`FLAGGED_VERDICTS`]
/// order (any other verdict after them, strongest first), messages in the
/// order the case gave them.
pub fn flagged_sections(data: &ReportData) -> Vec<(Verdict, Vec<Flagged<'_>>)> {
    let order = FLAGGED_VERDICTS.into_iter().chain(
        Verdict::ALL
            .into_iter()
            .filter(|v| !FLAGGED_VERDICTS.contains(v)),
    );
    order
        .map(|verdict| {
            let messages: Vec<_> = data
                .flagged
                .iter()
                .filter(|flagged| flagged.1.verdict == verdict)
                .collect();
            (verdict, messages)
        })
        .filter(|(_, messages)| !messages.is_empty())
        .collect()
}

/// The anchor of a flagged message's evidence.
pub fn message_anchor(summary: &MessageSummary) -> String {
    format!("msg-{}", summary.id)
}

/// What the figures trace to: the last finished run, and runs that did
/// not finish (their figures may be incomplete).
pub struct Trace<'a> {
    pub last_finished: Option<&'a RunRow>,
    pub unfinished: Vec<&'a RunRow>,
}

pub fn trace(data: &ReportData) -> Trace<'_> {
    let runs = &data.overview.runs;
    Trace {
        last_finished: runs
            .iter()
            .filter(|run| run.status == "finished")
            .max_by_key(|run| run.id),
        unfinished: runs.iter().filter(|run| run.status != "finished").collect(),
    }
}

/// A run's end-of-run counts in words: `12 messages, 10 new, 2 duplicates…`;
/// a dash when the run recorded none (it has not finished).
pub fn run_counts(run: &RunRow) -> String {
    use tamis_html::numbers::plural;
    let known = [
        ("messages", "message", "messages"),
        ("new_messages", "new", "new"),
        ("duplicates", "duplicate", "duplicates"),
        ("attachments", "attachment", "attachments"),
        ("files", "other file", "other files"),
        ("unreadable", "unreadable", "unreadable"),
    ];
    let mut parts: Vec<String> = known
        .iter()
        .filter_map(|(key, one, many)| run.counts.get(*key).map(|n| plural(*n, one, many)))
        .collect();
    parts.extend(
        run.counts
            .iter()
            .filter(|(key, _)| !known.iter().any(|(k, _, _)| k == key))
            .map(|(key, n)| plural(*n, key, key)),
    );
    if parts.is_empty() {
        return "–".into();
    }
    parts.join(", ")
}
