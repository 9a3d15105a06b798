//! Automatic backups while the desk is open: on sign-in when the last is older than a day, and
//! daily while it runs. A failed backup (a vanished USB stick, a full folder) is said on screen
//! and the desk keeps working; it is tried again an hour later.

use std::path::PathBuf;

use chrono::{NaiveDateTime, TimeDelta};

use super::{Desk, Notice};
use crate::db::{self, Database, backup};

/// Where backups go and how the last one went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupState {
    /// The backups folder (`None` for a database in memory).
    pub folder: Option<PathBuf>,
    /// When the newest good backup was made.
    pub last: Option<NaiveDateTime>,
    /// The last attempt failed.
    pub failed: bool,
    /// When a backup was last tried.
    tried: Option<NaiveDateTime>,
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
            failed: false,
            tried: None,
        })
    }

    /// Whether the last good backup is older than two days (or there is none): the top bar
    /// shows it in amber.
    pub fn overdue(&self, now: NaiveDateTime) -> bool {
        self.failed || self.last.is_none_or(|at| now - at > TimeDelta::days(2))
    }
}

impl Desk {
    /// Makes a backup when the last good one is a day old or more, at most one try an hour.
    pub(super) fn backup_if_due(&mut self) {
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
        if fresh || tried_lately {
            return;
        }
        self.backups.tried = Some(now);
        match backup::write(&self.db, &folder, now) {
            Ok(made) => {
                self.backups.last = Some(made.at);
                self.backups.failed = false;
            }
            Err(_) => {
                self.backups.failed = true;
                self.notice = Some(Notice::Failed("backup.failed"));
            }
        }
    }
}
