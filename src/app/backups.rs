//! Automatic backups while the desk is open: on sign-in when the last is older than a day, and
//! daily while it runs. A backup of a large file takes a while (about 50 s for a million
//! visitors), so it runs on a second connection in a thread of its own while the desk goes on.
//! A failed backup (a vanished USB stick, a full folder) is said on screen and the desk keeps
//! working; it is tried again an hour later.

use std::path::PathBuf;

use chrono::{NaiveDateTime, TimeDelta};

use super::{Desk, Notice};
use crate::db::{self, Database, backup};

/// Where backups go and how the last one went.
#[derive(Debug, Default)]
pub struct BackupState {
    /// The backups folder (`None` for a database in memory).
    pub folder: Option<PathBuf>,
    /// When the newest good backup was made.
    pub last: Option<NaiveDateTime>,
    /// The last attempt failed.
    pub failed: bool,
    /// When a backup was last tried.
    tried: Option<NaiveDateTime>,
    /// The backup being made, if one is.
    running: Option<std::thread::JoinHandle<db::Result<backup::Backup>>>,
}

impl BackupState {
    /// The backups of the open database: its folder (the setting, or `backups` beside it) and
    /// the newest backup found there.
    pub fn of(db: &Database) -> db::Result<BackupState> {
        let Some(path) = db.path() else {
            return Ok(BackupState::default());
        };
        let folder = backup::folder_of(db)?;
        let last = backup::list(path, &folder)
            .ok()
            .and_then(|all| all.last().map(|b| b.at));
        Ok(BackupState {
            folder: Some(folder),
            last,
            ..BackupState::default()
        })
    }

    /// Whether a backup is being made now.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// Waits for a running backup to end (tests; closing the desk).
    pub fn wait(&mut self) -> Option<db::Result<backup::Backup>> {
        let handle = self.running.take()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|_| Err(db::Error::Storage("the backup stopped".to_owned()))),
        )
    }

    /// Whether the last good backup is older than two days (or there is none): the top bar
    /// shows it in amber.
    pub fn overdue(&self, now: NaiveDateTime) -> bool {
        self.failed || self.last.is_none_or(|at| now - at > TimeDelta::days(2))
    }
}

impl Desk {
    /// Starts a backup when the last good one is a day old or more, at most one try an hour,
    /// and takes in the result of one that has ended.
    pub(super) fn backup_if_due(&mut self) {
        if self
            .backups
            .running
            .as_ref()
            .is_some_and(std::thread::JoinHandle::is_finished)
        {
            self.finish_backup();
        }
        let now = self.now();
        let Some(folder) = self.backups.folder.clone() else {
            return;
        };
        let fresh = self
            .backups
            .last
            .is_some_and(|at| now - at < TimeDelta::days(1));
        let tried_lately = self
            .backups
            .tried
            .is_some_and(|at| now - at < TimeDelta::hours(1));
        if fresh || tried_lately || self.backups.running() {
            return;
        }
        self.backups.tried = Some(now);
        match self.db.second_connection() {
            Ok(second) => {
                self.backups.running = Some(std::thread::spawn(move || {
                    backup::write(&second, &folder, now)
                }));
            }
            Err(_) => self.backup_failed(),
        }
    }

    /// Work the desk does between the person's actions: starts a due backup, takes in one
    /// that ended. Cheap; the window calls it every frame.
    pub fn tick(&mut self) {
        self.backup_if_due();
    }

    /// Takes in the result of the backup that was running.
    pub fn finish_backup(&mut self) {
        match self.backups.wait() {
            Some(Ok(made)) => {
                self.backups.last = Some(made.at);
                self.backups.failed = false;
            }
            Some(Err(_)) => self.backup_failed(),
            None => {}
        }
    }

    fn backup_failed(&mut self) {
        self.backups.failed = true;
        self.notice = Some(Notice::Failed("backup.failed"));
    }
}
