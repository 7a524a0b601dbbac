//! The ingest pipeline: one thread walks the sources, worker threads
//! analyze, the calling thread is the case's single writer.
//!
//! The writer receives everything in dump order. That is what makes a killed
//! ingest resumable into the very same case: message ids are handed out in
//! the order messages are met, so a rerun that skips what is already stored
//! numbers the rest exactly as an uninterrupted run would have.
//!
//! Order is kept per batch: the walker numbers batches, every record of the
//! dump travels in them (duplicates, files and unreadable items too, passed
//! through the workers untouched), and the writer holds back batches that
//! arrive early. In-flight work is bounded by the channel capacities, so
//! memory stays bounded whatever the dump's size.

use anyhow::Result;
use crossbeam_channel::{bounded, Sender};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tamis_case::{CaseWriter, IngestRecord};
use tamis_items::{ContentId, Item, ItemKind, SourceEvent};
use tamis_keys::KeyLookup;
use tamis_sources::{Limits, Walker};

use super::registry_check::RegistryCheck;
use super::timings::{Stage, StageClock};
use crate::batches::Batcher;
use crate::progress;

/// What the walker asks of a worker for one thing found in the dump.
enum Work {
    /// A message met for the first time in this run: analyze it.
    Analyze {
        key: [u8; 32],
        content_id: ContentId,
        item: Item,
    },
    /// A file that is not a message: read it as a document.
    Document(Item),
    /// Nothing to analyze: hand it to the writer as it is.
    Pass(IngestRecord),
}

/// A numbered batch: the writer applies batches in number order.
type Batch = (u64, Vec<Work>);

/// Feed everything under `paths` to `writer`, in dump order.
pub fn run(
    paths: &[PathBuf],
    keys: &dyn KeyLookup,
    registry: Option<&RegistryCheck>,
    jobs: usize,
    writer: &mut CaseWriter,
    clock: &StageClock,
) -> Result<()> {
    let (work_tx, work_rx) = bounded::<Batch>(jobs * 2);
    let (done_tx, done_rx) = bounded::<(u64, Vec<IngestRecord>)>(jobs * 2);
    let bar = progress::bar_over(paths);
    let started = Instant::now();

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                for (number, work) in work_rx {
                    let records = work
                        .into_iter()
                        .map(|work| {
                            let mut record = analyze(work, keys, clock);
                            if let Some(registry) = registry {
                                clock.time(Stage::Registry, || registry.check(&mut record));
                            }
                            record
                        })
                        .collect();
                    if done_tx.send((number, records)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(work_rx);
        drop(done_tx);

        let walker = Walker::new(Limits::default());
        let consumed = walker.progress();
        scope.spawn(move || walk(&walker, paths, work_tx, clock));

        // If the writer fails, returning drops `done_rx`: the workers' sends
        // fail, they stop, the walker's sends fail, and the scope ends.
        let mut early = BTreeMap::new();
        let mut next = 0u64;
        let mut written = 0u64;
        loop {
            let waited = Instant::now();
            let Ok((number, records)) = done_rx.recv() else {
                break;
            };
            clock.add(Stage::WriterWaits, waited.elapsed());
            early.insert(number, records);
            while let Some(records) = early.remove(&next) {
                for record in records {
                    writer.add(record)?;
                    written += 1;
                }
                next += 1;
            }
            let seconds = started.elapsed().as_secs_f64().max(0.001);
            bar.set_position(consumed.load(Ordering::Relaxed));
            bar.set_message(format!(
                "{written} items ({:.0} items/s)",
                written as f64 / seconds
            ));
        }
        bar.finish_and_clear();
        Ok(())
    })
}

/// The record one piece of work becomes. A message whose header cannot be
/// read is still kept, with the finding that says why.
fn analyze(work: Work, keys: &dyn KeyLookup, clock: &StageClock) -> IngestRecord {
    match work {
        Work::Pass(record) => record,
        Work::Document(item) => clock.time(Stage::Documents, || IngestRecord::analyzed_file(item)),
        Work::Analyze {
            key,
            content_id,
            item,
        } => match clock.time(Stage::Verify, || {
            tamis_mail::analyze_with_content_id(&item, content_id, keys)
        }) {
            Ok(report) => {
                let content = clock.time(Stage::Content, || tamis_content::extract(&item.bytes));
                // Reading the attachments as documents is all this does
                // beyond putting the record together.
                clock.time(Stage::Documents, || {
                    IngestRecord::analyzed_message(key, item, report, content)
                })
            }
            Err(unreadable) => IngestRecord::UnreadableMessage { item, unreadable },
        },
    }
}

fn walk(walker: &Walker, paths: &[PathBuf], batches: Sender<Batch>, clock: &StageClock) {
    let started = Instant::now();
    let mut in_sink = Duration::ZERO;
    let mut seen = HashSet::new();
    let mut batcher = Batcher::new();
    // A send fails only once the writer has stopped (an error it will
    // report): then the walk just runs out.
    let mut sink = |event: SourceEvent| {
        let entered = Instant::now();
        let (work, bytes) = match event {
            SourceEvent::Item(item) if item.kind == ItemKind::File => {
                let bytes = item.bytes.len();
                (Work::Document(item), bytes)
            }
            SourceEvent::Item(item) => {
                // One pass gives the duplicate key and the item's SHA-256.
                let tamis_mail::Identity { key, content_id } =
                    clock.time(Stage::Identify, || tamis_mail::identify(&item));
                let key = key.0;
                let bytes = item.bytes.len();
                if seen.insert(key) {
                    (
                        Work::Analyze {
                            key,
                            content_id,
                            item,
                        },
                        bytes,
                    )
                } else {
                    (Work::Pass(IngestRecord::duplicate(key, item)), bytes)
                }
            }
            SourceEvent::Unreadable(unreadable) => {
                (Work::Pass(IngestRecord::Unreadable(unreadable)), 0)
            }
            SourceEvent::Store(tally) => (Work::Pass(IngestRecord::Store(tally)), 0),
        };
        if let Some(batch) = batcher.push(work, bytes) {
            let _ = clock.time(Stage::WalkerWaits, || batches.send(batch));
        }
        in_sink += entered.elapsed();
    };
    walker.walk(paths, &mut sink);
    if let Some(batch) = batcher.finish() {
        let _ = clock.time(Stage::WalkerWaits, || batches.send(batch));
    }
    // What the walker did outside the sink is reading; the sink's time is
    // already split between identifying and waiting.
    clock.add(Stage::Read, started.elapsed().saturating_sub(in_sink));
}
