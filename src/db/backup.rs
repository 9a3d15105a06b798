//! Backups: a checked copy of the open database, encrypted with the same key, with its key file
//! beside it (a backup without its key file opens for nobody). Kept as 7 daily, 4 weekly and 12
//! monthly copies (`domain::backups`).

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{Database, Error, Result};
use crate::domain::access::Permission;
use crate::domain::{Actor, backups};
use crate::output::{self, Overwrite, OwnFiles, key_file_of};

/// How a backup's time is written in its file name.
const STAMP: &str = "%Y%m%d-%H%M%S";

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The backup's database file (its key file is beside it, `.keys`).
    pub path: PathBuf,
    /// When it was made.
    pub at: NaiveDateTime,
}

/// The folder backups go to unless an administrator set another: `backups` beside the database.
pub fn default_folder(database: &Path) -> PathBuf {
    database.with_file_name("backups")
}

/// The folder the open database's backups go to: the `backup.folder` setting, or
/// `default_folder`.
pub fn folder_of(db: &Database) -> Result<PathBuf> {
    let path = db
        .path()
        .ok_or_else(|| Error::Missing(PathBuf::from(":memory:")))?;
    Ok(super::settings::get(db, super::settings::BACKUP_FOLDER)?
        .filter(|f| !f.trim().is_empty())
        .map_or_else(|| default_folder(path), PathBuf::from))
}

fn stem_of(database: &Path) -> String {
    database
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bureau-desk".to_owned())
}

/// The backups of `database` in `folder`, oldest first. A missing folder has none.
pub fn list(database: &Path, folder: &Path) -> Result<Vec<Backup>> {
    let prefix = format!("{}-", stem_of(database));
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let stamp = name
            .as_deref()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".sqlite"));
        if let Some(at) = stamp.and_then(|s| NaiveDateTime::parse_from_str(s, STAMP).ok()) {
            found.push(Backup { path, at });
        }
    }
    found.sort_by_key(|b| b.at);
    Ok(found)
}

/// Makes a backup of the open database in `folder` (made if missing) at `now`: the copy is
/// written under a temporary name, checked (it opens with the key, passes the integrity check,
/// every table has as many rows), renamed into place, its key file copied beside it, and older
/// backups beyond 7 daily, 4 weekly and 12 monthly are removed. A failure leaves no partial
/// backup and the database as it was.
pub fn write(db: &Database, folder: &Path, now: NaiveDateTime) -> Result<Backup> {
    let database = db
        .path()
        .ok_or_else(|| Error::Missing(PathBuf::from(":memory:")))?;
    std::fs::create_dir_all(folder)?;
    // Two backups in the same second (one on opening, one before a rekey) get the next free
    // second: a backup never replaces another.
    let (name, path, now) = (0..60)
        .map(|step| now + chrono::Duration::seconds(step))
        .map(|at| {
            let name = format!("{}-{}.sqlite", stem_of(database), at.format(STAMP));
            (name.clone(), folder.join(name), at)
        })
        .find(|(_, path, _)| !path.exists() && !key_file_of(path).exists())
        .ok_or_else(|| output::OutputError::Exists(folder.to_owned()))?;
    remove_stale_parts(database, folder);
    let staging = folder.join(format!(".{name}.part"));
    drop(std::fs::remove_file(&staging));
    if let Err(error) = db.export_copy(&staging, db.key()) {
        drop(std::fs::remove_file(&staging));
        return Err(error);
    }
    if db.is_encrypted() {
        let keys = std::fs::read(key_file_of(database))?;
        let written = output::write_file(
            &key_file_of(&path),
            Overwrite::Refuse,
            &OwnFiles::default(),
            |w| Ok(w.write_all(&keys)?),
        );
        if let Err(error) = written {
            drop(std::fs::remove_file(&staging));
            return Err(error.into());
        }
    }
    std::fs::rename(&staging, &path)?;
    if let Ok(dir) = std::fs::File::open(folder) {
        drop(dir.sync_all());
    }
    rotate(database, folder)?;
    Ok(Backup { path, at: now })
}

/// How old an unfinished backup (`.NAME.part`) must be before a new backup removes it: a
/// backup killed half-way (power cut, closed window) leaves one; one being written is newer.
const STALE_PART: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes unfinished backups of `database` older than `STALE_PART` from `folder`. Best effort:
/// what cannot be removed stays for the next time.
fn remove_stale_parts(database: &Path, folder: &Path) {
    let prefix = format!(".{}-", stem_of(database));
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&prefix) && name.ends_with(".sqlite.part")) {
            continue;
        }
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok());
        if age.is_some_and(|age| age > STALE_PART) {
            drop(std::fs::remove_file(entry.path()));
        }
    }
}

/// Removes the backups the rotation does not keep, with their key files.
fn rotate(database: &Path, folder: &Path) -> Result<()> {
    let all = list(database, folder)?;
    let times: Vec<NaiveDateTime> = all.iter().map(|b| b.at).collect();
    for (backup, keep) in all.iter().zip(backups::to_keep(&times)) {
        if !keep {
            std::fs::remove_file(&backup.path)?;
            drop(std::fs::remove_file(key_file_of(&backup.path)));
        }
    }
    Ok(())
}

/// A backup made by a person (the command line): administrators only.
pub fn write_as(db: &Database, actor: &Actor, folder: &Path, now: NaiveDateTime) -> Result<Backup> {
    actor.require(Permission::Backups)?;
    let made = write(db, folder, now)?;
    super::audit::record_event(
        db,
        actor,
        super::audit::Action::Backup,
        &crate::domain::format_stamp(now),
    )?;
    Ok(made)
}

/// Copies a backup (and its key file) to a new database file `target`, each through a temporary
/// file renamed into place; `target` and its key file must not exist. The caller then signs in
/// on the new file and checks it.
pub fn restore(backup: &Path, target: &Path) -> Result<()> {
    if !backup.is_file() {
        return Err(Error::Missing(backup.to_owned()));
    }
    for existing in [target.to_owned(), key_file_of(target)] {
        if existing.exists() {
            return Err(output::OutputError::Exists(existing).into());
        }
    }
    let copy = |from: &Path, to: &Path| -> Result<()> {
        let mut source = std::fs::File::open(from)?;
        output::write_file(to, Overwrite::Refuse, &OwnFiles::default(), |w| {
            std::io::copy(&mut source, w)?;
            Ok(())
        })?;
        Ok(())
    };
    let keys = key_file_of(backup);
    if keys.exists() {
        copy(&keys, &key_file_of(target))?;
    }
    if let Err(error) = copy(backup, target) {
        drop(std::fs::remove_file(key_file_of(target)));
        return Err(error);
    }
    Ok(())
}
