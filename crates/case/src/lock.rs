//! The writer's exclusive lock on a case.
//!
//! An advisory `flock`-style lock (std's `File::try_lock`) on `writer.lock`
//! rather than a pid file created with `O_EXCL`: the kernel drops the lock
//! when the process dies, however it dies, so a SIGKILLed ingest never
//! leaves a stale lock behind that someone must delete by hand. The file
//! holds the holder's pid only to make the error message useful.

use anyhow::{bail, Context, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Holds the lock until dropped.
pub struct CaseLock {
    _file: File,
}

impl CaseLock {
    pub fn acquire(path: &Path, case_dir: &Path) -> Result<CaseLock> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .with_context(|| format!("cannot open the case lock {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another process".to_string()
                } else {
                    format!("process {holder}")
                };
                bail!(
                    "the case {} is being written by {who} (another `tamis ingest`?): \
                     wait for it to finish, or stop it, then run this again",
                    case_dir.display()
                );
            }
            Err(TryLockError::Error(error)) => {
                return Err(error)
                    .with_context(|| format!("cannot lock the case lock {}", path.display()))
            }
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        write!(file, "{}", std::process::id())?;
        Ok(CaseLock { _file: file })
    }
}
