//! Where things live in a case directory. Every path the case store touches
//! is built here, from the case directory and, for blobs, a SHA-256: never
//! from anything found in a dump.

use std::path::{Path, PathBuf};

/// Every name a case directory may hold: the database and its SQLite
/// side files, the blobs, the index, the lock.
pub const CASE_ENTRIES: [&str; 9] = [
    "case.sqlite",
    "case.sqlite-wal",
    "case.sqlite-shm",
    "case.sqlite-journal",
    "blobs",
    "index",
    "writer.lock",
    "spread-report.html",
    "spread-report.html.tmp",
];

#[derive(Clone, Debug)]
pub struct CaseLayout {
    dir: PathBuf,
}

impl CaseLayout {
    pub fn new(dir: &Path) -> Self {
        CaseLayout {
            dir: dir.to_path_buf(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The system of record.
    pub fn database(&self) -> PathBuf {
        self.dir.join("case.sqlite")
    }

    /// Every item's exact bytes, content-addressed.
    pub fn blobs(&self) -> PathBuf {
        self.dir.join("blobs")
    }

    /// The tantivy index, derived from the database.
    pub fn index(&self) -> PathBuf {
        self.dir.join("index")
    }

    /// The amplification report `tamis spread --case` attached, if any.
    pub fn spread_report(&self) -> PathBuf {
        self.dir.join("spread-report.html")
    }

    /// Held (locked) by the one writer.
    pub fn lock(&self) -> PathBuf {
        self.dir.join("writer.lock")
    }
}
