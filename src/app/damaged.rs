//! A damaged file at the door: the sign-in screen offers the latest backup, which an
//! administrator restores in the file's place. The damaged file is never changed: it is moved
//! aside whole (with its key file and write-ahead log) under a name that says so, for an
//! expert to look at.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use secrecy::SecretString;

use super::session::{self, SessionError, SignedIn};
use crate::db::{self, backup};
use crate::domain::access::Permission;
use crate::output::{key_file_of, with_suffix};

/// The newest backup of `database` in the default backup folder beside it, if any. (A backup
/// folder set in the file's settings cannot be read from a damaged file; the screen says which
/// folder was looked in.)
pub fn latest_backup(database: &Path) -> Option<backup::Backup> {
    backup::list(database, &backup::default_folder(database))
        .ok()?
        .pop()
}

/// The companions SQLite keeps beside a database file: they belong to it and move with it. A
/// write-ahead log left beside a restored file would be replayed into it.
const COMPANIONS: [&str; 2] = ["-wal", "-shm"];

/// Restores `latest` in the place of the damaged `database`, for the administrator `name`
/// whose password opens the backup: the backup is copied beside the database and checked (it
/// opens, its rows and references hold), the damaged file is moved aside whole, and the copy
/// takes its name. Returns the administrator signed in on the restored file and where the
/// damaged file went. Any failure before the move leaves the damaged file where it was.
pub fn restore_in_place(
    database: &Path,
    latest: &backup::Backup,
    name: &str,
    password: &SecretString,
    now: NaiveDateTime,
) -> Result<(SignedIn, PathBuf), SessionError> {
    let staged = sibling(database, &format!(".{}-restoring", stem(database)));
    remove_with_companions(&staged);
    backup::restore(&latest.path, &staged)?;
    if let Err(error) = checked_by_an_administrator(&staged, name, password) {
        remove_with_companions(&staged);
        return Err(error);
    }
    let aside = free_name(database, now);
    let moved = move_with_companions(database, &aside)
        .and_then(|()| move_with_companions(&staged, database));
    if let Err(error) = moved {
        // Whatever moved goes back: the damaged file stays whole where it was.
        drop(move_with_companions(&aside, database));
        remove_with_companions(&staged);
        return Err(db::Error::from(error).into());
    }
    let signed_in = session::sign_in(database, name, password)?;
    Ok((signed_in, aside))
}

/// Signs in on the staged copy, requires an administrator, and checks the whole copy.
fn checked_by_an_administrator(
    staged: &Path,
    name: &str,
    password: &SecretString,
) -> Result<(), SessionError> {
    let signed_in = session::sign_in(staged, name, password)?;
    let actor = signed_in.staff.actor();
    actor
        .require(Permission::Backups)
        .map_err(db::Error::from)?;
    let health = signed_in.database.check(&actor)?;
    if !health.holds() {
        return Err(db::Error::Damaged(format!("{health:?}")).into());
    }
    Ok(())
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `path`'s sibling with the file name `stem` and `path`'s extension.
fn sibling(path: &Path, stem: &str) -> PathBuf {
    let mut name = stem.to_owned();
    if let Some(extension) = path.extension() {
        name.push('.');
        name.push_str(&extension.to_string_lossy());
    }
    path.with_file_name(name)
}

/// `bureau-damaged-20261203-091500.sqlite`, or with `-2`, `-3` … when taken: a name nothing
/// else has, for the file and its key file.
fn free_name(database: &Path, now: NaiveDateTime) -> PathBuf {
    let base = format!("{}-damaged-{}", stem(database), now.format("%Y%m%d-%H%M%S"));
    (1..)
        .map(|n| match n {
            1 => sibling(database, &base),
            n => sibling(database, &format!("{base}-{n}")),
        })
        .find(|candidate| {
            !candidate.exists()
                && !key_file_of(candidate).exists()
                && COMPANIONS
                    .iter()
                    .all(|suffix| !with_suffix(candidate, suffix).exists())
        })
        .unwrap_or_else(|| sibling(database, &base))
}

/// Moves a database file with its key file and its SQLite companions; the file itself last,
/// so a failure midway leaves it where it was.
fn move_with_companions(from: &Path, to: &Path) -> std::io::Result<()> {
    for suffix in COMPANIONS {
        let companion = with_suffix(from, suffix);
        if companion.exists() {
            std::fs::rename(&companion, with_suffix(to, suffix))?;
        }
    }
    if key_file_of(from).exists() {
        std::fs::rename(key_file_of(from), key_file_of(to))?;
    }
    std::fs::rename(from, to)
}

fn remove_with_companions(path: &Path) {
    for suffix in COMPANIONS {
        drop(std::fs::remove_file(with_suffix(path, suffix)));
    }
    drop(std::fs::remove_file(key_file_of(path)));
    drop(std::fs::remove_file(path));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_damaged_file_gets_a_name_of_its_own() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let database = dir.path().join("bureau.sqlite");
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
            .and_then(|d| d.and_hms_opt(9, 15, 0))
            .unwrap_or_default();
        let first = free_name(&database, now);
        assert_eq!(
            first.file_name().map(|n| n.to_string_lossy().into_owned()),
            Some("bureau-damaged-20261203-091500.sqlite".to_owned())
        );
        std::fs::write(key_file_of(&first), b"keys").unwrap_or_else(|e| panic!("{e}"));
        let second = free_name(&database, now);
        assert_eq!(
            second.file_name().map(|n| n.to_string_lossy().into_owned()),
            Some("bureau-damaged-20261203-091500-2.sqlite".to_owned())
        );
    }
}
