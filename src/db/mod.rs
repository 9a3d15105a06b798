//! Storage: the one SQLite file. Only this module speaks SQL or names `rusqlite`.
//!
//! Every call that reads or writes personal data takes the acting staff member (`Actor`), and
//! every multi-statement write runs in one transaction.

pub mod audit;
pub mod backup;
pub mod catalogue;
pub mod consents;
pub mod drafts;
pub mod erasure;
pub mod feedback;
pub mod figures;
pub mod households;
pub mod imports;
pub mod merges;
pub mod migrations;
pub mod organisations;
pub mod programme;
pub mod referrals;
pub mod settings;
pub mod staff;
pub mod subject;
pub mod visitors;
pub mod visits;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::domain::{Actor, FieldError};
use crate::keys::DatabaseKey;

/// What can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The row asked for does not exist.
    #[error("the record was not found")]
    NotFound,
    /// An existing database was expected at the path.
    #[error("there is no database at {0}")]
    Missing(PathBuf),
    /// The file exists but is not a bureau-desk database.
    #[error("{0} is not a bureau-desk database")]
    NotADatabase(PathBuf),
    /// The file was written by a newer version of the program.
    #[error(
        "this database was written by a newer bureau-desk (schema version {found}; this one reads up to {supported})"
    )]
    TooNew {
        /// The file's version.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The input did not validate.
    #[error("the input is not valid ({} problems)", .0.len())]
    Invalid(Vec<FieldError>),
    /// SQLite reported a failure.
    #[error("the database could not complete the operation: {0}")]
    Storage(String),
    /// The disk (or the file's room on it) is full; nothing of the operation was written.
    #[error("the disk is full: nothing was saved; free some space and save again")]
    DiskFull,
    /// The file or its folder cannot be written to.
    #[error("the database file or its folder is read-only: nothing was saved")]
    ReadOnly,
    /// The file at the database's path is no longer the one the desk opened (deleted, moved
    /// or replaced while open): nothing more is written, as it would be lost.
    #[error("the database file was moved, deleted or replaced while open: nothing was saved")]
    FileGone,
    /// The file is damaged: a page does not read back as written, or it was cut short.
    #[error("the database file is damaged ({0}); keep it as it is and restore the latest backup")]
    Damaged(String),
    /// A file could not be read or written.
    #[error("a file could not be read or written: {0}")]
    Io(#[from] std::io::Error),
    /// A slip could not be made.
    #[error("the slip could not be made: {0}")]
    Slip(String),
    /// An output file could not be written where asked.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// A password did not match.
    #[error("the password is not right")]
    WrongPassword,
    /// A no-show was recorded before the time of the appointment or meeting.
    #[error("a no-show can only be recorded once the time of the appointment has come")]
    TooEarly,
    /// The acting person's role may not do this.
    #[error("your role may not do this")]
    Forbidden(crate::domain::access::Permission),
    /// A new pseudonym key was asked for an export that lists no visits under pseudonyms.
    #[error(
        "only json and csv exports list visits under pseudonyms, and only with --records; new pseudonyms are made only with one of them"
    )]
    NoPseudonymsToRotate,
    /// Two people could not be linked as one family.
    #[error(transparent)]
    Household(#[from] households::LinkRefusal),
    /// A month's programme was to be copied from the month before, but it has slots already.
    #[error("this month already has a programme: edit it, or remove its slots before copying")]
    ProgrammeNotEmpty,
    /// A merge of two registrations, or its undoing, was refused.
    #[error(transparent)]
    Merge(#[from] crate::domain::merges::MergeRefusal),
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound,
            rusqlite::Error::SqliteFailure(failure, _) if failure.code == ErrorCode::DiskFull => {
                Error::DiskFull
            }
            rusqlite::Error::SqliteFailure(failure, _) if failure.code == ErrorCode::ReadOnly => {
                Error::ReadOnly
            }
            rusqlite::Error::SqliteFailure(failure, ref message)
                if failure.code == ErrorCode::DatabaseCorrupt =>
            {
                Error::Damaged(message.clone().unwrap_or_else(|| failure.to_string()))
            }
            other => Error::Storage(other.to_string()),
        }
    }
}

impl From<crate::domain::access::Forbidden> for Error {
    fn from(forbidden: crate::domain::access::Forbidden) -> Self {
        Error::Forbidden(forbidden.0)
    }
}

impl Error {
    /// The i18n key of the sentence shown to a person for this error.
    pub fn label_key(&self) -> &'static str {
        match self {
            Error::NotFound => "error.not_found",
            Error::Missing(_) => "error.missing",
            Error::NotADatabase(_) => "error.not_a_database",
            Error::TooNew { .. } => "error.too_new",
            Error::Invalid(_) => "error.invalid",
            Error::Storage(_) => "error.storage",
            Error::DiskFull => "error.disk_full",
            Error::ReadOnly => "error.read_only",
            Error::Damaged(_) => "error.damaged",
            Error::FileGone => "error.file_gone",
            Error::Io(_) => "error.io",
            Error::Slip(_) => "error.slip",
            Error::Output(crate::output::OutputError::OwnFile(_)) => "error.output_own_file",
            Error::Output(crate::output::OutputError::Exists(_)) => "error.output_exists",
            Error::Output(
                crate::output::OutputError::IsFolder(_) | crate::output::OutputError::NoName,
            ) => "error.output_path",
            Error::Output(crate::output::OutputError::ForeignFolder(_)) => {
                "error.output_foreign_folder"
            }
            Error::Output(_) => "error.io",
            Error::NoPseudonymsToRotate => "error.no_pseudonyms",
            Error::ProgrammeNotEmpty => "error.programme_not_empty",
            Error::Household(refusal) => refusal.label_key(),
            Error::Forbidden(_) => "error.forbidden",
            Error::WrongPassword => "sign_in.wrong_password",
            Error::TooEarly => "error.too_early",
            Error::Merge(refusal) => refusal.label_key(),
        }
    }
}

/// Results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whether opening may create a new file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The file must exist already (an explicit `--db`).
    Existing,
    /// Create an empty database when the file is missing (the default data file, a demo).
    CreateIfMissing,
}

/// The bureau's database.
pub struct Database {
    pub(crate) conn: Connection,
    /// The file, or `None` in memory.
    path: Option<PathBuf>,
    /// The key an encrypted file was opened with (`None` for a plain file).
    key: Option<DatabaseKey>,
    /// The file as it was opened, to notice it deleted or replaced under the desk.
    identity: Option<same_file::Handle>,
}

/// `PRAGMA application_id` of a bureau-desk file ('BDSK').
const APPLICATION_ID: i64 = 0x4244_534B;

/// What [`Database::check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// What `PRAGMA integrity_check` reported wrong (empty: the file is sound).
    pub integrity: Vec<String>,
    /// Rows that refer to a row that is not there.
    pub broken_references: i64,
    /// The audit trail's chain.
    pub chain: audit::ChainReport,
}

impl Health {
    /// Everything holds.
    pub fn holds(&self) -> bool {
        self.integrity.is_empty()
            && self.broken_references == 0
            && self.chain.first_broken.is_none()
    }
}

impl Database {
    /// Opens (or, if allowed, creates) a plain, unencrypted database at `path` and brings it to
    /// the current schema: a file from before encryption (to convert it) or a test's. A file
    /// that is not a bureau-desk database, or is newer than this build, is refused and left
    /// untouched.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self> {
        Self::open_with(path, mode, None)
    }

    /// A second connection to the same file, with the same key: for work that runs beside
    /// the desk (a backup), which then reads while the desk goes on writing.
    pub fn second_connection(&self) -> Result<Database> {
        let path = self
            .path
            .as_deref()
            .ok_or_else(|| Error::Missing(PathBuf::from(":memory:")))?;
        Self::open_with(
            path,
            OpenMode::Existing,
            self.key.as_ref().map(DatabaseKey::duplicate),
        )
    }

    /// The key this database was opened with, to seal new key slots with; `None` when the
    /// file is plain.
    pub fn key(&self) -> Option<&DatabaseKey> {
        self.key.as_ref()
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// Opens (or, if allowed, creates) the encrypted database at `path` with its key. A wrong
    /// key reads as "not a bureau-desk database"; nothing is written.
    pub fn open_encrypted(path: &Path, mode: OpenMode, key: DatabaseKey) -> Result<Self> {
        Self::open_with(path, mode, Some(key))
    }

    fn open_with(path: &Path, mode: OpenMode, key: Option<DatabaseKey>) -> Result<Self> {
        let exists = path.exists();
        if !exists && mode == OpenMode::Existing {
            return Err(Error::Missing(path.to_owned()));
        }
        // A directory, or an empty file where an existing database was meant, is not one.
        let empty = exists
            && std::fs::metadata(path)
                .map(|m| m.len() == 0)
                .unwrap_or(false);
        if exists && (!path.is_file() || (empty && mode == OpenMode::Existing)) {
            return Err(Error::NotADatabase(path.to_owned()));
        }
        if !exists && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if !exists {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags)?;
        if let Some(key) = &key {
            // The key must be the first statement on the connection.
            conn.pragma_update(None, "key", key.sqlcipher_pragma().as_str())?;
        }
        let mut db = Self::prepare(conn, path)?;
        db.key = key;
        Ok(db)
    }

    /// Whether the file at `path` is a plain SQLite file (its header readable without a key),
    /// as files from before encryption are. An encrypted file's first bytes are random.
    pub fn is_plain_file(path: &Path) -> bool {
        let mut header = [0u8; 16];
        std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .is_ok_and(|()| &header == b"SQLite format 3\0")
    }

    /// Writes a copy of this database to `target`, encrypted with `key` (or plain with
    /// `None`), and checks it: it opens, passes `PRAGMA integrity_check`, and every table holds
    /// the same number of rows as here. `target` must not exist. Used to encrypt a plain file
    /// and for backups.
    pub fn export_copy(&self, target: &Path, key: Option<&DatabaseKey>) -> Result<()> {
        if target.exists() {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the copy's file exists already",
            )));
        }
        let target_text = target
            .to_str()
            .ok_or_else(|| Error::Missing(target.to_owned()))?;
        // The connection was opened without the right to create files: an empty file is an
        // empty database to attach.
        std::fs::File::create_new(target)?;
        let pragma = key.map(DatabaseKey::sqlcipher_pragma);
        let key_text = pragma.as_ref().map_or("", |p| p.as_str());
        let attach = self.conn.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            (target_text, key_text),
        );
        attach?;
        let copied = self.copy_into_attached();
        if !self.conn.is_autocommit() {
            drop(self.conn.execute_batch("ROLLBACK"));
        }
        let detached = self.conn.execute_batch("DETACH DATABASE encrypted");
        let counts = copied?;
        detached?;
        let copy = match key {
            Some(key) => Database::open_encrypted(target, OpenMode::Existing, key.duplicate())?,
            None => Database::open(target, OpenMode::Existing)?,
        };
        copy.verify_counts(&counts)
    }

    /// Copies every table into the attached `encrypted` database in one read transaction, and
    /// counts the rows in that same transaction: the desk may go on writing meanwhile (every
    /// view writes to the trail), and the counts are still those of the moment copied.
    fn copy_into_attached(&self) -> Result<Vec<(String, i64)>> {
        self.conn.execute_batch("BEGIN")?;
        let counts = self.row_counts()?;
        self.conn
            .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        let version = self.schema_version().unwrap_or(0);
        self.conn.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version};
             PRAGMA encrypted.application_id = {APPLICATION_ID};
             COMMIT"
        ))?;
        Ok(counts)
    }

    /// Checks this database's integrity and that every table has as many rows as in `other`.
    pub fn verify_against(&self, other: &Database) -> Result<()> {
        self.verify_counts(&other.row_counts()?)
    }

    /// Checks this database's integrity and that its tables hold `expected` rows.
    fn verify_counts(&self, expected: &[(String, i64)]) -> Result<()> {
        let check: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" || self.row_counts()? != expected {
            return Err(Error::Storage(
                "the copy does not match the original".to_owned(),
            ));
        }
        Ok(())
    }

    /// Checks the whole file (coordinators and administrators): SQLite's own integrity check,
    /// every reference between rows, and the audit trail's chain.
    pub fn check(&self, actor: &Actor) -> Result<Health> {
        actor.require(crate::domain::access::Permission::AuditTrail)?;
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let broken_references =
            self.conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
        Ok(Health {
            integrity: integrity.into_iter().filter(|line| line != "ok").collect(),
            broken_references,
            chain: audit::verify(self)?,
        })
    }

    /// A SHA-256 over every row of every table (rows sorted, values as SQLite quotes them):
    /// two databases with the same digest hold the same data. For checking restores.
    pub fn content_digest(&self) -> Result<String> {
        self.content_digest_except(&[])
    }

    /// [`Database::content_digest`] leaving out `tables` (e.g. the audit trail, which records
    /// the act of comparing).
    pub fn content_digest_except(&self, tables: &[&str]) -> Result<String> {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for (table, _) in self.row_counts()? {
            if tables.contains(&table.as_str()) {
                continue;
            }
            let quoted = table.replace('"', "\"\"");
            let columns: Vec<String> = self
                .conn
                .prepare(&format!(
                    "SELECT name FROM pragma_table_info('{}')",
                    table.replace('\'', "''")
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if columns.is_empty() {
                continue;
            }
            let row_text = columns
                .iter()
                .map(|c| format!("quote(\"{}\")", c.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let mut rows: Vec<String> = self
                .conn
                .prepare(&format!("SELECT {row_text} FROM \"{quoted}\""))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            rows.sort();
            hash.update(table.as_bytes());
            for row in rows {
                hash.update(b"\n");
                hash.update(row.as_bytes());
            }
        }
        Ok(hex::encode(hash.finalize()))
    }

    /// Rows per table (search index shadow tables included), by table name.
    pub fn row_counts(&self) -> Result<Vec<(String, i64)>> {
        let names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .into_iter()
            .map(|name| {
                let quoted = name.replace('"', "\"\"");
                let n = self.conn.query_row(
                    &format!("SELECT count(*) FROM main.\"{quoted}\""),
                    [],
                    |r| r.get(0),
                )?;
                Ok((name, n))
            })
            .collect()
    }

    /// A private in-memory database with the current schema (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self> {
        Self::prepare(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn prepare(conn: Connection, path: &Path) -> Result<Self> {
        let not_ours = || Error::NotADatabase(path.to_owned());
        let header = conn.query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0));
        let application_id = match header {
            Ok(id) => id,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                return Err(not_ours());
            }
            Err(other) => return Err(other.into()),
        };
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        let fresh = tables == 0 && version == 0 && application_id == 0;
        if !fresh && application_id != APPLICATION_ID {
            return Err(not_ours());
        }
        if version > migrations::SCHEMA_VERSION {
            return Err(Error::TooNew {
                found: version,
                supported: migrations::SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        if path != Path::new(":memory:") {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        // What is deleted or overwritten is zeroed in the file, so an erased name leaves no trace.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // A logged visit must survive a power cut.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The search index of a large file stays in memory: 64 MB of page cache, reads mapped.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "mmap_size", 268_435_456)?;
        let file = (path != Path::new(":memory:")).then(|| path.to_owned());
        let identity = match &file {
            Some(path) => Some(same_file::Handle::from_path(path)?),
            None => None,
        };
        let mut db = Database {
            conn,
            path: file,
            key: None,
            identity,
        };
        if fresh {
            db.conn
                .execute_batch(&format!("BEGIN;\n{}\nCOMMIT;", migrations::SCHEMA))?;
        } else if version < migrations::SCHEMA_VERSION {
            migrations::upgrade(&mut db.conn, version)?;
        }
        Ok(db)
    }

    /// Merges the search index into one segment: worth it after a bulk load (the demo), where
    /// it makes searches on a large file markedly faster. Normal use keeps it merged enough.
    pub fn optimize_search_index(&self) -> Result<()> {
        self.conn
            .execute_batch("INSERT INTO visitor_search (visitor_search) VALUES ('optimize')")?;
        Ok(())
    }

    /// The file this database lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Fails with [`Error::FileGone`] when the file at the database's path is no longer the
    /// one opened: deleted or moved (what is written would vanish with the last handle) or
    /// replaced by another file. The desk asks before every action.
    pub fn still_in_place(&self) -> Result<()> {
        let (Some(path), Some(identity)) = (&self.path, &self.identity) else {
            return Ok(());
        };
        match same_file::Handle::from_path(path) {
            Ok(now) if now == *identity => Ok(()),
            _ => Err(Error::FileGone),
        }
    }

    /// The database's own files (the file, its journals, key file and backups), which no
    /// export, slip or other output may be written onto.
    pub fn own_files(&self) -> crate::output::OwnFiles {
        self.path
            .as_deref()
            .map(crate::output::OwnFiles::of_database)
            .unwrap_or_default()
    }

    /// Moves everything in the write-ahead log into the main file and empties the log.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// Many writes in one transaction, for bulk generation (the demo): all land or none does.
pub struct Batch<'a> {
    tx: rusqlite::Transaction<'a>,
    next_visitor_id: i64,
}

impl Database {
    /// Starts a batch of writes.
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let tx = self.conn.transaction()?;
        let next_visitor_id =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM visitors", [], |r| {
                r.get(0)
            })?;
        Ok(Batch {
            tx,
            next_visitor_id,
        })
    }
}

impl Batch<'_> {
    /// Registers a visitor; returns their id.
    pub fn insert_visitor(
        &mut self,
        actor: &crate::domain::Actor,
        visitor: &crate::domain::NewVisitor,
        now: &str,
    ) -> Result<crate::domain::VisitorId> {
        let id = self.next_visitor_id;
        let code = crate::domain::text::visitor_code(id);
        visitors::insert_row(&self.tx, actor, id, &code, visitor, now)?;
        self.next_visitor_id += 1;
        Ok(crate::domain::VisitorId(id))
    }

    /// Logs a visit.
    pub fn insert_visit(
        &mut self,
        visit: &crate::domain::NewVisit,
        now: &str,
    ) -> Result<crate::domain::VisitId> {
        visits::insert_row(&self.tx, visit, now)
    }

    /// Adds a staff member.
    pub fn insert_staff(
        &mut self,
        name: &str,
        role: crate::domain::Role,
        now: &str,
    ) -> Result<crate::domain::StaffId> {
        staff::write(&self.tx, name, role, now)
    }

    /// Adds an organisation with all its details.
    pub fn insert_organisation(
        &mut self,
        details: &crate::domain::OrganisationDetails,
    ) -> Result<crate::domain::OrganisationId> {
        organisations::write(&self.tx, None, details)
    }

    /// Adds a slot to a month's programme.
    pub fn insert_programme_slot(
        &mut self,
        month: crate::domain::programme::Month,
        slot: &crate::domain::programme::SlotDraft,
    ) -> Result<i64> {
        programme::write_slot(&self.tx, month, None, slot)
    }

    /// Closes the bureau on a day (a holiday, a training day).
    pub fn insert_day_closed(&mut self, day: chrono::NaiveDate, note: &str) -> Result<()> {
        programme::write_day_off(&self.tx, day, None, note)?;
        Ok(())
    }

    /// Makes a household of these people, the first its contact person.
    pub fn insert_household(
        &mut self,
        by: crate::domain::StaffId,
        contact: crate::domain::VisitorId,
        members: &[(
            crate::domain::VisitorId,
            crate::domain::households::Relation,
        )],
        now: &str,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO households (created_at, created_by) VALUES (?1, ?2)",
            (now, by.0),
        )?;
        let id = self.tx.last_insert_rowid();
        let mut link = self.tx.prepare_cached(
            "UPDATE visitors SET household_id = ?1, household_role = ?2 WHERE id = ?3",
        )?;
        link.execute((id, "contact", contact.0))?;
        for (member, relation) in members {
            link.execute((id, relation.code(), member.0))?;
        }
        Ok(id)
    }

    /// Sets a setting.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        settings::write(&self.tx, key, value)
    }

    /// Issues a referral, with its outcome if one is known.
    pub fn insert_referral(
        &mut self,
        by: crate::domain::StaffId,
        referral: &crate::domain::referrals::NewReferral,
        at: chrono::NaiveDateTime,
        outcome: Option<(
            crate::domain::referrals::ReferralStatus,
            chrono::NaiveDateTime,
        )>,
    ) -> Result<crate::domain::referrals::ReferralId> {
        let id = referrals::write_referral(&self.tx, by, referral, at)?;
        if let Some((status, when)) = outcome {
            referrals::write_referral_status(&self.tx, id, status, by, when)?;
        }
        Ok(id)
    }

    /// Books an accompaniment, with its outcome if one is known.
    pub fn insert_accompaniment(
        &mut self,
        by: crate::domain::StaffId,
        booked: &crate::domain::referrals::NewAccompaniment,
        at: chrono::NaiveDateTime,
        outcome: Option<(crate::domain::referrals::AccompanimentStatus, &str)>,
    ) -> Result<crate::domain::referrals::AccompanimentId> {
        let id = referrals::write_accompaniment(&self.tx, by, booked, at)?;
        if let Some((status, note)) = outcome {
            referrals::write_accompaniment_status(
                &self.tx,
                id,
                status,
                note,
                by,
                booked.scheduled_at,
            )?;
        }
        Ok(id)
    }

    /// Stores a feedback response.
    pub fn insert_feedback(
        &mut self,
        response: &crate::domain::feedback::NewFeedback,
    ) -> Result<()> {
        feedback::write(&self.tx, response)
    }

    /// Commits everything.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::Database;
    use crate::domain::{Actor, Role, StaffId};

    /// A fresh in-memory database with one desk worker, and that worker acting.
    pub fn db_with_staff() -> (Database, Actor) {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let staff = super::staff::insert(&mut db, "Мария", Role::Desk, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        (
            db,
            Actor {
                staff_id: StaffId(staff.id.0),
                role: Role::Desk,
                organisation: None,
            },
        )
    }
}
