//! The "Import register" screen (coordinators and administrators): choose the file, check what
//! each column was read as, place the values the import could not, see the dry run, then
//! import. The import runs on a second connection in a thread of its own, so the progress bar
//! moves and the desk stays drawn; its transaction lands whole or not at all.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Desk, Notice, Screen};
use crate::db::imports::{self, Outcome, Progress};
use crate::db::{self, Database};
use crate::domain::import::{Field, Shape};
use crate::import::{Choices, Encoding, Table, read_register};

/// The import screen's state.
#[derive(Debug, Default)]
pub struct ImportScreen {
    /// The register's path, as typed or chosen.
    pub path: String,
    /// The encoding of a CSV file; detected when `None`.
    pub encoding: Option<Encoding>,
    /// One row a visit or a person; detected when `None`.
    pub shape: Option<Shape>,
    /// The register as read.
    pub table: Option<Table>,
    /// Columns mapped by hand (heading → field).
    pub map: BTreeMap<String, Field>,
    /// What each value that could not be placed stands for, as typed: (field, value) → target.
    pub targets: BTreeMap<(Field, String), String>,
    /// Add the services and organisations the register names and the desk does not know.
    pub create_missing: bool,
    /// The last dry run, or the import.
    pub outcome: Option<Outcome>,
    /// Why the register could not be read, in a sentence.
    pub read_error: Option<String>,
    /// How far the running import is.
    pub progress: Arc<Progress>,
    running: Option<std::thread::JoinHandle<db::Result<Outcome>>>,
}

impl ImportScreen {
    /// Whether an import is running.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// The choices as the person made them on the screen.
    pub fn choices(&self) -> Choices {
        Choices {
            map: self.map.iter().map(|(h, f)| (h.clone(), *f)).collect(),
            shape: self.shape,
            create_missing: self.create_missing,
            values: self
                .targets
                .iter()
                .filter(|(_, target)| !target.trim().is_empty())
                .map(|((field, value), target)| (*field, value.clone(), target.trim().to_owned()))
                .collect(),
        }
    }

    /// Waits for a running import to end (tests).
    pub fn wait(&mut self) -> Option<db::Result<Outcome>> {
        let handle = self.running.take()?;
        Some(
            handle
                .join()
                .unwrap_or_else(|_| Err(db::Error::Storage("the import stopped".to_owned()))),
        )
    }
}

impl Desk {
    /// Opens the import screen.
    pub(super) fn open_import(&mut self) -> db::Result<()> {
        self.actor()
            .ok_or(db::Error::NotFound)?
            .require(crate::domain::access::Permission::Import)?;
        self.screen = Screen::Import;
        Ok(())
    }

    /// Reads the register at the path typed and makes the dry run.
    pub(super) fn read_import(&mut self) -> db::Result<()> {
        let path = PathBuf::from(self.import.path.trim());
        let screen = &mut self.import;
        screen.outcome = None;
        screen.table = None;
        screen.read_error = None;
        if path.as_os_str().is_empty() {
            return Ok(());
        }
        match read_register(&path, screen.encoding) {
            Ok(table) => screen.table = Some(table),
            Err(error) => {
                screen.read_error = Some(error.to_string());
                return Ok(());
            }
        }
        self.check_import()
    }

    /// Makes the dry run again with the choices as they now are.
    pub(super) fn check_import(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let Some(table) = self.import.table.as_ref() else {
            return Ok(());
        };
        let choices = self.import.choices();
        let outcome = imports::run(
            &mut self.db,
            &actor,
            table,
            &choices,
            true,
            self.clock.now(),
        )?;
        self.import.outcome = Some(outcome);
        Ok(())
    }

    /// Starts the import on a second connection; on a database in memory (tests) it runs here.
    pub(super) fn start_import(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let (Some(table), false) = (self.import.table.clone(), self.import.running()) else {
            return Ok(());
        };
        let choices = self.import.choices();
        let now = self.clock.now();
        self.import.progress = Arc::new(Progress::default());
        let progress = Arc::clone(&self.import.progress);
        let Some(path) = self.db.path().map(std::path::Path::to_path_buf) else {
            let outcome = imports::run_with_progress(
                &mut self.db,
                &actor,
                &table,
                &choices,
                false,
                now,
                &progress,
            );
            return self.finish_import(outcome);
        };
        let key = self.db.key().map(crate::keys::DatabaseKey::duplicate);
        self.import.running = Some(std::thread::spawn(move || {
            let mut second = match key {
                Some(key) => Database::open_encrypted(&path, db::OpenMode::Existing, key)?,
                None => Database::open(&path, db::OpenMode::Existing)?,
            };
            imports::run_with_progress(&mut second, &actor, &table, &choices, false, now, &progress)
        }));
        Ok(())
    }

    /// Takes in the result of an import that has ended (called every frame).
    pub(super) fn poll_import(&mut self) -> db::Result<()> {
        let ended = self
            .import
            .running
            .as_ref()
            .is_some_and(std::thread::JoinHandle::is_finished);
        if !ended {
            return Ok(());
        }
        match self.import.wait() {
            Some(outcome) => self.finish_import(outcome),
            None => Ok(()),
        }
    }

    fn finish_import(&mut self, outcome: db::Result<Outcome>) -> db::Result<()> {
        let outcome = outcome?;
        if outcome.report.imported {
            self.notice = Some(Notice::Saved(
                "notice.imported",
                outcome.report.people_new.to_string(),
            ));
            // What was added to the catalogue and the directory shows in the pickers.
            self.services = db::catalogue::service_types(&self.db)?;
            self.providers = db::organisations::providers(&self.db)?;
            self.refresh_day()?;
        }
        self.import.outcome = Some(outcome);
        Ok(())
    }
}
