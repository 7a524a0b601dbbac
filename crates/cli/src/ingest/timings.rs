//! `tamis ingest --timings`: where an ingest's time went, stage by stage.
//!
//! The stages run on different threads at once, so their times add up to
//! more than the wall time; what matters is which thread is busy and which
//! waits. Analysis times are summed over the worker threads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tamis_case::WriterTimings;

/// A stage timed outside the writer.
#[derive(Clone, Copy)]
pub enum Stage {
    /// The walker: reading files, unpacking archives, splitting mboxes and stores.
    Read,
    /// The walker: each message's SHA-256 and duplicate key.
    Identify,
    /// The walker, blocked because the analyzers are all busy.
    WalkerWaits,
    /// Workers: DKIM/ARC verification and the verdict.
    Verify,
    /// Workers: MIME decoding, bodies, attachments.
    Content,
    /// Workers: document metadata, text and findings of attachments and files.
    Documents,
    /// Workers: matching against the victim's registry.
    Registry,
    /// The writer, waiting for the next analyzed batch.
    WriterWaits,
}

const STAGES: usize = 8;

const NAMES: [&str; STAGES] = [
    "walker.read",
    "walker.identify",
    "walker.waits",
    "analysis.verify",
    "analysis.content",
    "analysis.documents",
    "analysis.registry",
    "writer.waits",
];

/// Time per stage, shared by the pipeline's threads.
#[derive(Default)]
pub struct StageClock {
    nanos: [AtomicU64; STAGES],
}

impl StageClock {
    pub fn add(&self, stage: Stage, spent: Duration) {
        let nanos = u64::try_from(spent.as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage as usize].fetch_add(nanos, Ordering::Relaxed);
    }

    /// Runs `work`, adding the time it took to `stage`.
    pub fn time<T>(&self, stage: Stage, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = work();
        self.add(stage, started.elapsed());
        out
    }

    fn spent(&self, stage: usize) -> Duration {
        Duration::from_nanos(self.nanos[stage].load(Ordering::Relaxed))
    }

    /// The table `--timings` prints: one `name seconds` row per stage.
    pub fn table(&self, writer: &WriterTimings, wall: Duration, jobs: usize) -> String {
        let mut rows: Vec<(String, Duration)> = (0..STAGES)
            .map(|stage| (NAMES[stage].to_string(), self.spent(stage)))
            .collect();
        rows.extend(
            writer
                .parts()
                .into_iter()
                .map(|(name, spent)| (format!("writer.{name}"), spent)),
        );
        let mut out = format!(
            "tamis: where the time went ({:.2} s wall; analysis summed over {jobs} threads; \
             stages on different threads overlap)\n",
            wall.as_secs_f64()
        );
        for (name, spent) in rows {
            out.push_str(&format!("  {name:<26} {:>9.2} s\n", spent.as_secs_f64()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_add_up_across_threads_and_print_by_name() {
        let clock = StageClock::default();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| clock.add(Stage::Verify, Duration::from_millis(250)));
            }
        });
        clock.add(Stage::WriterWaits, Duration::from_millis(1500));
        let writer = WriterTimings {
            blobs: Duration::from_millis(2000),
            ..Default::default()
        };
        let table = clock.table(&writer, Duration::from_secs(3), 4);
        let seconds = |name: &str| -> f64 {
            let row = table
                .lines()
                .find(|line| line.split_whitespace().next() == Some(name))
                .unwrap_or_else(|| panic!("no row {name} in\n{table}"));
            row.split_whitespace().nth(1).unwrap().parse().unwrap()
        };
        assert_eq!(seconds("analysis.verify"), 1.0);
        assert_eq!(seconds("writer.waits"), 1.5);
        assert_eq!(seconds("writer.blobs"), 2.0);
        assert_eq!(seconds("walker.read"), 0.0);
        assert!(table.contains("3.00 s wall"), "{table}");
    }
}
