//! Where the writer's time goes. The writer is the pipeline's one serial
//! stage, so its breakdown is what tells whether a slow ingest is waiting on
//! the disk, on SQLite or on the index (`tamis ingest --timings`, bench/).

use std::time::{Duration, Instant};

/// Time spent by the writer, per part of its work.
#[derive(Clone, Debug, Default)]
pub struct WriterTimings {
    /// Handing items' bytes to the blob threads, and waiting for them
    /// before each commit (the blob threads' own time is not counted).
    pub blobs: Duration,
    /// Inserting rows (items, messages, origins, findings…), blobs apart.
    pub rows: Duration,
    /// Committing the batches' transactions.
    pub commits: Duration,
    /// Feeding and committing the search index while the run goes on.
    pub index: Duration,
    /// The rebuilds a run ends with: threads, the findings across
    /// documents, corroborations, and the index's last commit.
    pub threads: Duration,
    pub collection: Duration,
    pub corroboration: Duration,
    pub index_final: Duration,
}

impl WriterTimings {
    /// Named parts, in the order they are worth reading.
    pub fn parts(&self) -> [(&'static str, Duration); 8] {
        [
            ("blobs", self.blobs),
            ("rows", self.rows),
            ("commits", self.commits),
            ("index", self.index),
            ("threads", self.threads),
            ("collection", self.collection),
            ("corroboration", self.corroboration),
            ("index (final)", self.index_final),
        ]
    }
}

/// Runs `work`, adding the time it took to `spent`.
pub(super) fn timed<T>(spent: &mut Duration, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = work();
    *spent += started.elapsed();
    out
}
