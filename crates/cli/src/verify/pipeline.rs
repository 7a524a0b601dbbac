//! The verify pipeline: one thread walks the sources and collapses
//! duplicates, worker threads analyze, the calling thread collects.
//!
//! Duplicates are recognised in the walking thread, in dump order, so the
//! first origin of a message (whose bytes are the ones verified) is the same
//! on every run, and a duplicate costs a hash, not a verification.

use anyhow::Result;
use crossbeam_channel::{bounded, Sender};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use tamis_findings::{MessageReport, OriginReport, Verdict};
use tamis_items::{ContentId, Item, ItemKind, SourceEvent, StoreTally, Unreadable};
use tamis_keys::KeyLookup;
use tamis_mail::MessageKey;
use tamis_sources::{Limits, Walker};

use super::collect::Collector;
use crate::batches::Batcher;
use crate::progress;

/// What flows from the walker and the workers to the collector.
pub enum Event {
    /// A first-seen message, analyzed. `seq` is its position in dump order.
    /// The report comes as its JSON line (without the newline), written by
    /// the worker: serializing and freeing every report was a third of the
    /// collecting thread's time, work the workers now share.
    Analyzed {
        seq: u64,
        key: MessageKey,
        verdict: Verdict,
        line: serde_json::Result<Vec<u8>>,
    },
    /// Another origin of a message already seen.
    Duplicate {
        key: MessageKey,
        origin: OriginReport,
    },
    Unreadable(Unreadable),
    /// A file that is not a message (`verify` looks at messages only).
    OtherFile,
    /// What a mail store claimed against what was read from it.
    Store(StoreTally),
}

type Batch = Vec<(u64, MessageKey, ContentId, Item)>;

pub fn run(paths: &[PathBuf], keys: &dyn KeyLookup, jobs: usize) -> Result<Collector> {
    let (item_tx, item_rx) = bounded::<Batch>(jobs * 2);
    let (event_tx, event_rx) = bounded::<Vec<Event>>(jobs * 4);
    let bar = progress::bar_over(paths);

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let item_rx = item_rx.clone();
            let event_tx = event_tx.clone();
            scope.spawn(move || {
                for batch in item_rx {
                    let events = batch
                        .into_iter()
                        .map(|(seq, key, content_id, item)| {
                            match tamis_mail::analyze_with_content_id(&item, content_id, keys) {
                                Ok(report) => Event::Analyzed {
                                    seq,
                                    key,
                                    verdict: report.verdict,
                                    line: json_line(&report),
                                },
                                Err(unreadable) => Event::Unreadable(unreadable),
                            }
                        })
                        .collect();
                    if event_tx.send(events).is_err() {
                        break;
                    }
                }
            });
        }
        drop(item_rx);

        let walker = Walker::new(Limits::default());
        let consumed = walker.progress();
        let walker_events = event_tx.clone();
        scope.spawn(move || walk(&walker, paths, item_tx, walker_events));
        drop(event_tx);

        let mut collector = Collector::new()?;
        let visible = !bar.is_hidden();
        for event in event_rx.into_iter().flatten() {
            collector.add(event)?;
            if visible {
                bar.set_position(consumed.load(Ordering::Relaxed));
                bar.set_message(format!("{} messages", collector.analyzed()));
            }
        }
        bar.finish_and_clear();
        Ok(collector)
    })
}

/// A report as one line of JSON. Reports are about 2 KiB: starting there
/// saves growing the line a few times over.
fn json_line(report: &MessageReport) -> serde_json::Result<Vec<u8>> {
    let mut line = Vec::with_capacity(4096);
    serde_json::to_writer(&mut line, report)?;
    Ok(line)
}

fn walk(walker: &Walker, paths: &[PathBuf], items: Sender<Batch>, events: Sender<Vec<Event>>) {
    let mut seen = HashSet::new();
    let mut seq = 0u64;
    let mut batcher = Batcher::new();
    // A send only fails once the collector is gone (an output error): then
    // there is nobody to report to, so the walk just runs out.
    let mut sink = |event: SourceEvent| match event {
        SourceEvent::Item(item) if item.kind == ItemKind::File => {
            let _ = events.send(vec![Event::OtherFile]);
        }
        SourceEvent::Item(item) => {
            let tamis_mail::Identity { key, content_id } = tamis_mail::identify(&item);
            if seen.insert(key) {
                seq += 1;
                let bytes = item.bytes.len();
                if let Some((_, batch)) = batcher.push((seq, key, content_id, item), bytes) {
                    let _ = items.send(batch);
                }
            } else {
                let origin = OriginReport::new(item.origin, content_id);
                let _ = events.send(vec![Event::Duplicate { key, origin }]);
            }
        }
        SourceEvent::Unreadable(unreadable) => {
            let _ = events.send(vec![Event::Unreadable(unreadable)]);
        }
        SourceEvent::Store(tally) => {
            let _ = events.send(vec![Event::Store(tally)]);
        }
    };
    walker.walk(paths, &mut sink);
    if let Some((_, batch)) = batcher.finish() {
        let _ = items.send(batch);
    }
}
