//! Blobs are written by threads of their own while the writer goes on with
//! the rows. Creating one file per item is mostly kernel work (inode and
//! directory updates), and done on the writer's thread it was the largest
//! part of an ingest (6 of 13 s for 20,000 messages): the writer is the
//! pipeline's one serial stage, so everything it hands off shortens the run.
//!
//! The rule that a committed row always has its bytes on disk still holds:
//! the writer waits for every queued blob ([`BlobQueue::wait`]) before it
//! commits, and a failed write fails the batch, which is rolled back.

use anyhow::{anyhow, Result};
use crossbeam_channel::{unbounded, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use crate::blobs::BlobStore;

/// Threads writing blobs: two keep the disk busy while one waits on it.
const BLOB_THREADS: usize = 2;

#[derive(Default)]
struct Pending {
    queued: usize,
    /// The first write that failed since the last wait.
    failure: Option<String>,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
    drained: Condvar,
}

pub struct BlobQueue {
    jobs: Option<Sender<(String, Vec<u8>)>>,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl BlobQueue {
    pub fn new(store: BlobStore) -> Self {
        let (jobs, queue) = unbounded::<(String, Vec<u8>)>();
        let shared = Arc::new(Shared::default());
        let threads = (0..BLOB_THREADS)
            .map(|_| {
                let queue = queue.clone();
                let store = store.clone();
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    for (sha256, bytes) in queue {
                        let written = store.put(&sha256, &bytes);
                        drop(bytes);
                        let mut pending = shared.pending.lock().expect("blob queue lock");
                        if let Err(error) = written {
                            pending.failure.get_or_insert(format!("{error:#}"));
                        }
                        pending.queued -= 1;
                        if pending.queued == 0 {
                            shared.drained.notify_all();
                        }
                    }
                })
            })
            .collect();
        BlobQueue {
            jobs: Some(jobs),
            shared,
            threads,
        }
    }

    /// Queue `bytes` to be stored under `sha256`. Memory stays bounded
    /// because the writer waits for the queue at every commit, and a batch
    /// is committed after a few megabytes.
    pub fn put(&self, sha256: String, bytes: Vec<u8>) {
        self.shared.pending.lock().expect("blob queue lock").queued += 1;
        self.jobs
            .as_ref()
            .expect("the queue is open until dropped")
            .send((sha256, bytes))
            .expect("blob threads run until the queue is dropped");
    }

    /// Wait until every queued blob is on disk; the first failure since the
    /// last wait, if any.
    pub fn wait(&self) -> Result<()> {
        let mut pending = self.shared.pending.lock().expect("blob queue lock");
        while pending.queued > 0 {
            pending = self.shared.drained.wait(pending).expect("blob queue lock");
        }
        match pending.failure.take() {
            Some(failure) => Err(anyhow!(failure)),
            None => Ok(()),
        }
    }
}

impl Drop for BlobQueue {
    fn drop(&mut self) {
        // Closing the channel ends the threads once the queue is empty: a
        // dropped writer (a crash, for the case) still finishes what it
        // queued, which the next run would adopt as unnamed blobs.
        self.jobs = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamis_items::ContentId;

    #[test]
    fn every_queued_blob_is_on_disk_after_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path().to_path_buf());
        let queue = BlobQueue::new(store.clone());
        let blobs: Vec<Vec<u8>> = (0..200u32)
            .map(|n| n.to_le_bytes().repeat(n as usize))
            .collect();
        for bytes in &blobs {
            queue.put(ContentId::of(bytes).to_hex(), bytes.clone());
        }
        queue.wait().unwrap();
        for bytes in &blobs {
            assert_eq!(&store.get(&ContentId::of(bytes).to_hex()).unwrap(), bytes);
        }
    }

    #[test]
    fn a_failed_write_is_reported_by_the_next_wait_only() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the blob directory should be: every write fails.
        let root = dir.path().join("blobs");
        std::fs::write(&root, b"not a directory").unwrap();
        let queue = BlobQueue::new(BlobStore::new(root));
        queue.put(ContentId::of(b"x").to_hex(), b"x".to_vec());
        assert!(queue.wait().is_err());
        assert!(queue.wait().is_ok(), "a failure is reported once");
    }
}
