//! The blob store: every item's exact bytes in a file named by their SHA-256
//! (`blobs/ab/cd/abcd…`), so that a reader can re-check any item with
//! `sha256sum` and no tamis.
//!
//! A blob is written to a temporary file in `blobs/` and renamed into place,
//! so a crash never leaves a partial file under a final name: a blob either
//! holds the right bytes or does not exist. A temporary file left by a crash
//! is deleted by the next writer. Blobs are written before the database rows
//! that name them are committed; a crash in between leaves a blob nobody
//! names yet, which the resumed run adopts.

use anyhow::{Context, Result};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Prefix of temporary files: blob names are pure hex, so they never start with it.
const TEMP_PREFIX: &str = ".tmp-";

#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

/// Whether `text` is a SHA-256 in lowercase hex, the only thing ever turned
/// into a blob path.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl BlobStore {
    pub fn new(root: PathBuf) -> Self {
        BlobStore { root }
    }

    /// `blobs/ab/cd/abcd…`: two directory levels keep directories small
    /// (65,536 of them for a whole dump) on any file system.
    pub fn path(&self, sha256: &str) -> Result<PathBuf> {
        anyhow::ensure!(is_sha256_hex(sha256), "not a SHA-256: {sha256:?}");
        Ok(self
            .root
            .join(&sha256[0..2])
            .join(&sha256[2..4])
            .join(sha256))
    }

    /// Store `bytes` under their hash unless a blob of that name exists.
    pub fn put(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(sha256)?;
        if path.exists() {
            return Ok(());
        }
        let dir = path.parent().expect("a blob path has a parent");
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let temp = self.temp_path();
        let written = fs::File::create(&temp).and_then(|mut file| file.write_all(bytes));
        if let Err(error) = written {
            let _ = fs::remove_file(&temp);
            return Err(error).with_context(|| format!("cannot write {}", temp.display()));
        }
        fs::rename(&temp, &path)
            .with_context(|| format!("cannot move a blob into {}", path.display()))
    }

    pub fn get(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path(sha256)?;
        fs::read(&path).with_context(|| {
            format!(
                "the case is missing the bytes of item {sha256} ({})",
                path.display()
            )
        })
    }

    /// Delete temporary files a killed writer left. Only the writer, which
    /// holds the case lock, calls this, so no temporary file is in use.
    pub fn remove_leftovers(&self) -> Result<()> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(error) if error.kind() == ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error.into()),
        };
        for entry in entries {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Every file under `blobs/`, as paths relative to it, sorted: blobs,
    /// and anything else that should not be there.
    pub fn list(&self) -> Result<Vec<PathBuf>> {
        let mut found = Vec::new();
        if self.root.exists() {
            collect_files(&self.root, Path::new(""), &mut found)?;
        }
        found.sort();
        Ok(found)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn temp_path(&self) -> PathBuf {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        self.root
            .join(format!("{TEMP_PREFIX}{}-{n}", std::process::id()))
    }
}

fn collect_files(dir: &Path, relative: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            collect_files(&entry.path(), &name, found)?;
        } else {
            found.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn a_blob_lives_two_levels_down_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path().join("blobs"));
        store.put(EMPTY_SHA256, b"").unwrap();
        assert!(dir.path().join("blobs/e3/b0").join(EMPTY_SHA256).is_file());
        assert_eq!(store.get(EMPTY_SHA256).unwrap(), b"");
        assert_eq!(store.list().unwrap().len(), 1);
    }

    #[test]
    fn anything_but_a_lowercase_sha256_is_refused_as_a_name() {
        let store = BlobStore::new(PathBuf::from("blobs"));
        for bad in [
            "../../etc/passwd",
            "",
            &EMPTY_SHA256.to_uppercase(),
            &EMPTY_SHA256[..63],
            &format!("{}/", &EMPTY_SHA256[..63]),
        ] {
            assert!(store.path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn leftover_temporary_files_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path().to_path_buf());
        fs::write(dir.path().join(".tmp-1-0"), b"half a blob").unwrap();
        store.put(EMPTY_SHA256, b"").unwrap();
        store.remove_leftovers().unwrap();
        assert_eq!(store.list().unwrap().len(), 1);
    }
}
