//! Shared by the behaviour tests: a fresh store and fixture paths.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use tamis_keystore::KeyStore;

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

pub struct Scratch {
    pub dir: tempfile::TempDir,
    pub store: KeyStore,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::open(&dir.path().join("keys.sqlite")).unwrap();
        Scratch { dir, store }
    }

    /// Writes `text` to a file in the scratch directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}
