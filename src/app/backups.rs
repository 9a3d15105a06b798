//! Automatic backups while the desk is open: on sign-in when the last is older than a day, and
//! daily while it runs. A backup of a large file takes a while (about 50 s for a million
//! visitors), so it runs on a second connection in a thread of its own while the desk goes on.
//! A failed backup (a vanished USB stick, a full folder) is said on screen and the desk keeps
//! working; it is tried again an hour later.

use std::path::PathBuf;

use chrono::{NaiveDateTime, TimeDelta};

use super::{Desk, Notice};
use crate::db::{self, Database, audit, backup};

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
            Err(error) => self.backup_failed(&error),
        }
    }

    /// Work the desk does between the person's actions: keeps changed forms as drafts, starts a
    /// due backup, takes in one that ended, clears day-old slips, takes in an import that ended. Cheap; the window calls it every frame.
    pub fn tick(&mut self) {
        if let Err(error) = self.keep_drafts(false) {
            self.notice = Some(Notice::Failed(error.label_key()));
        }
        self.backup_if_due();
        self.sweep_slips_if_due();
        if let Err(error) = self.poll_import() {
            self.notice = Some(Notice::Failed(error.label_key()));
        }
    }

    /// Takes in the result of the backup that was running.
    pub fn finish_backup(&mut self) {
        match self.backups.wait() {
            Some(Ok(made)) => {
                self.backups.last = Some(made.at);
                self.backups.failed = false;
                if let Err(error) = self.record_event(audit::Action::Backup) {
                    self.notice = Some(Notice::Failed(error.label_key()));
                }
            }
            Some(Err(error)) => self.backup_failed(&error),
            None => {}
        }
    }

    /// A failed backup is said, unless the person's own action just failed: that sentence
    /// (a form not saved) stays on screen; the backups screen shows the failure either way. A
    /// backup reads every page, so it is also where a damaged page shows: that is said first.
    fn backup_failed(&mut self, error: &db::Error) {
        self.backups.failed = true;
        if matches!(error, db::Error::Damaged(_)) {
            self.damage_seen = true;
            self.notice = Some(Notice::Failed("error.damaged"));
        } else if !matches!(self.notice, Some(Notice::Failed(_))) {
            self.notice = Some(Notice::Failed("backup.failed"));
        }
    }
}

/// The backups screen's state (administrators).
#[derive(Debug, Default)]
pub struct BackupsScreen {
    /// The backups in the folder, newest first.
    pub list: Vec<backup::Backup>,
    /// The new file a backup is restored to.
    pub restore_path: String,
}

impl Desk {
    /// Shows the backups screen.
    pub(super) fn open_backups(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::Backups)?;
        self.refresh_backup_list()?;
        if let Some(path) = self.db.path() {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = format!(
                "{stem}-restored-{}.sqlite",
                self.now().format("%Y%m%d-%H%M")
            );
            self.backups_screen.restore_path = path.with_file_name(name).display().to_string();
        }
        self.screen = super::Screen::Backups;
        Ok(())
    }

    fn refresh_backup_list(&mut self) -> db::Result<()> {
        let (Some(path), Some(folder)) = (self.db.path(), self.backups.folder.as_deref()) else {
            return Ok(());
        };
        let mut list = backup::list(path, folder)?;
        list.reverse();
        self.backups_screen.list = list;
        Ok(())
    }

    /// Makes a backup now, whatever the age of the last one (administrators).
    pub(super) fn backup_now(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::Backups)?;
        self.finish_backup();
        let folder = backup::folder_of(&self.db)?;
        match backup::write(&self.db, &folder, self.now()) {
            Ok(made) => {
                self.backups.last = Some(made.at);
                self.backups.failed = false;
                self.record_event(audit::Action::Backup)?;
                self.notice = Some(Notice::Saved(
                    "notice.backup_made",
                    made.path.display().to_string(),
                ));
            }
            Err(error) => self.backup_failed(&error),
        }
        self.refresh_backup_list()
    }

    /// Restores the backup at `index` of the list to the new file typed, then checks the copy
    /// against the backup. The desk stays on its own file; the restored one is opened with
    /// `--db` after signing out.
    pub(super) fn restore_backup(&mut self, index: usize) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::Backups)?;
        let Some(chosen) = self.backups_screen.list.get(index).cloned() else {
            return Ok(());
        };
        let target = PathBuf::from(self.backups_screen.restore_path.trim());
        if target.as_os_str().is_empty() {
            self.notice = Some(Notice::Failed("error.output_path"));
            return Ok(());
        }
        self.db.own_files().check_file(&target)?;
        backup::restore(&chosen.path, &target)?;
        // A backup made under the current key opens with it; one from before a rekey opens
        // with the passwords of its time.
        let open = |path: &std::path::Path| match self.db.key() {
            Some(key) => Database::open_encrypted(path, db::OpenMode::Existing, key.duplicate()),
            None => Database::open(path, db::OpenMode::Existing),
        };
        // Both files record who restored: the desk's own trail, and the restored file's.
        let stamp = self.stamp();
        let checked = open(&target).and_then(|restored| {
            restored.verify_against(&open(&chosen.path)?)?;
            audit::record_event(&restored, &actor, audit::Action::Restore, &stamp)
        });
        self.record_event(audit::Action::Restore)?;
        self.notice = Some(match checked {
            Ok(()) => Notice::Saved("notice.restored", target.display().to_string()),
            Err(_) => Notice::Saved("notice.restored_unchecked", target.display().to_string()),
        });
        Ok(())
    }
}
