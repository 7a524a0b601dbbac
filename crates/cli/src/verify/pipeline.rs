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
use tamis_findings::{MessageReport, OriginReport};
use tamis_items::{Item, ItemKind, SourceEvent, Unreadable};
use tamis_keys::KeyLookup;
use tamis_mail::MessageKey;
use tamis_sources::{Limits, Walker};

use super::collect::Collector;
use crate::progress;

/// What flows from the walker and the workers to the collector.
pub enum Event {
    /// A first-seen message, analyzed. `seq` is its position in dump order.
    Analyzed {
        seq: u64,
        key: MessageKey,
        report: Box<MessageReport>,
    },
    /// Another origin of a message already seen.
    Duplicate {
        key: MessageKey,
        origin: OriginReport,
    },
    Unreadable(Unreadable),
    /// A file that is not a message (`verify` looks at messages only).
    OtherFile,
}

/// Items travel to the workers in batches: one channel operation per item
/// cost a sixth of a 20,000-message run in thread hand-offs on two cores.
const BATCH_ITEMS: usize = 32;
/// A batch is also sent once it holds this many bytes, so memory in flight
/// stays bounded when messages are large.
const BATCH_BYTES: usize = 8 << 20;

type Batch = Vec<(u64, MessageKey, Item)>;

pub fn run(paths: &[PathBuf], keys: &dyn KeyLookup, jobs: usize) -> Result<Collector> {
    let (item_tx, item_rx) = bounded::<Batch>(jobs * 2);
    let (event_tx, event_rx) = bounded::<Vec<Event>>(jobs * 4);
    let bar = progress::bar(tamis_sources::total_bytes(paths));

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let item_rx = item_rx.clone();
            let event_tx = event_tx.clone();
            scope.spawn(move || {
                for batch in item_rx {
                    let events = batch
                        .into_iter()
                        .map(|(seq, key, item)| match tamis_mail::analyze(&item, keys) {
                            Ok(report) => Event::Analyzed {
                                seq,
                                key,
                                report: Box::new(report),
                            },
                            Err(unreadable) => Event::Unreadable(unreadable),
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
        for event in event_rx.into_iter().flatten() {
            collector.add(event)?;
            bar.set_position(consumed.load(Ordering::Relaxed));
            bar.set_message(format!("{} messages", collector.analyzed()));
        }
        bar.finish_and_clear();
        Ok(collector)
    })
}

fn walk(walker: &Walker, paths: &[PathBuf], items: Sender<Batch>, events: Sender<Vec<Event>>) {
    let mut seen = HashSet::new();
    let mut seq = 0u64;
    let mut batch = Batch::new();
    let mut batch_bytes = 0usize;
    // A send only fails once the collector is gone (an output error): then
    // there is nobody to report to, so the walk just runs out.
    let mut sink = |event: SourceEvent| match event {
        SourceEvent::Item(item) if item.kind == ItemKind::File => {
            let _ = events.send(vec![Event::OtherFile]);
        }
        SourceEvent::Item(item) => {
            let key = tamis_mail::message_key(&item);
            if seen.insert(key) {
                seq += 1;
                batch_bytes += item.bytes.len();
                batch.push((seq, key, item));
                if batch.len() >= BATCH_ITEMS || batch_bytes >= BATCH_BYTES {
                    let _ = items.send(std::mem::take(&mut batch));
                    batch_bytes = 0;
                }
            } else {
                let origin = OriginReport::new(item.origin.clone(), item.content_id());
                let _ = events.send(vec![Event::Duplicate { key, origin }]);
            }
        }
        SourceEvent::Unreadable(unreadable) => {
            let _ = events.send(vec![Event::Unreadable(unreadable)]);
        }
    };
    walker.walk(paths, &mut sink);
    if !batch.is_empty() {
        let _ = items.send(batch);
    }
}
