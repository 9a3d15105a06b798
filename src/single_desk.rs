//! One desk per database file on this computer. The desk window, and every command that
//! changes more than its own audit trail entries, hold an operating-system lock on the file
//! `<database>.lock` for as long as they run; a second one is refused with a sentence instead
//! of racing the first. Commands that only read (search, export, slips, check, backup) take no
//! lock and run beside the desk, waiting on SQLite's busy timeout for their short writes.
//!
//! The lock belongs to the open file handle, so the operating system lets it go when the
//! process ends in any way, a crash or a kill included: the lock file left behind blocks
//! nothing. It is never deleted (deleting it could let two desks lock two different files).
//! Limits: the lock is advisory and local. An outside program that ignores it, or a second
//! computer opening the same file over a network share, is not stopped by it.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::output::with_suffix;

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another desk or command holds it.
    #[error(
        "the desk is already open on {0} on this PC; use that window, or close it and try again"
    )]
    Held(PathBuf),
    /// The lock file could not be made or locked (a read-only folder, for one).
    #[error("the folder of {0} cannot be written to ({1}), so the desk cannot open it")]
    Io(PathBuf, std::io::Error),
}

/// The lock on a database file, held until it is dropped.
#[derive(Debug)]
pub struct DeskLock {
    /// The locked handle; closing it lets the lock go.
    _file: File,
}

/// The lock file beside a database.
pub fn lock_file_of(database: &Path) -> PathBuf {
    with_suffix(database, ".lock")
}

impl DeskLock {
    /// Takes the lock on `database` (which need not exist yet), or says who holds it.
    pub fn acquire(database: &Path) -> Result<DeskLock, LockError> {
        let path = lock_file_of(database);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| LockError::Io(database.to_owned(), e))?;
        match file.try_lock() {
            Ok(()) => Ok(DeskLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Held(database.to_owned())),
            Err(TryLockError::Error(e)) => Err(LockError::Io(database.to_owned(), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let database = dir.path().join("bureau.sqlite");
        let first = DeskLock::acquire(&database).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            DeskLock::acquire(&database),
            Err(LockError::Held(path)) if path == database
        ));
        // Another file in the same folder is not affected.
        assert!(DeskLock::acquire(&dir.path().join("other.sqlite")).is_ok());
        drop(first);
        assert!(DeskLock::acquire(&database).is_ok());
        assert!(lock_file_of(&database).exists(), "the lock file stays");
    }
}
