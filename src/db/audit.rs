//! The audit trail: who saw and changed what, by id only. Append-only (the database refuses
//! UPDATE and DELETE on it) and chained: each row's hash covers the row and the previous row's
//! hash, so a row changed or removed with an outside tool is found by [`verify`].

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::Result;
use crate::domain::Actor;
use crate::domain::access::Permission;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A row was created.
    Create,
    /// Personal data was shown.
    View,
    /// A row was changed.
    Update,
    /// A slip was printed or saved.
    Print,
    /// Figures were exported.
    Export,
    /// A person's identifying details were erased.
    Erase,
    /// Someone signed in (on the desk, a lock screen or the command line).
    SignIn,
    /// Someone signed out.
    SignOut,
    /// A sign-in was refused: a wrong password, or a name not on the staff.
    SignInFailed,
    /// The screen was locked.
    Lock,
    /// A backup was made.
    Backup,
    /// A backup was restored to a new file.
    Restore,
    /// A consent was given or withdrawn.
    Consent,
    /// A person's own data was exported for them.
    SubjectAccess,
    /// The retention limits were applied.
    Retention,
    /// A setting was changed.
    Settings,
    /// Staff were added, removed, or given a new password; the key was changed.
    Staff,
    /// Visitors were searched (only the query's length and the number of results are kept).
    Search,
}

impl Action {
    /// Every action, in the order the audit screen offers them.
    pub const ALL: [Action; 18] = [
        Action::View,
        Action::Create,
        Action::Update,
        Action::Print,
        Action::Export,
        Action::Erase,
        Action::SignIn,
        Action::SignOut,
        Action::SignInFailed,
        Action::Lock,
        Action::Backup,
        Action::Restore,
        Action::Consent,
        Action::SubjectAccess,
        Action::Retention,
        Action::Settings,
        Action::Staff,
        Action::Search,
    ];

    /// The code stored in `audit_log.action` (also the i18n key suffix).
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::View => "view",
            Action::Update => "update",
            Action::Print => "print",
            Action::Export => "export",
            Action::Erase => "erase",
            Action::SignIn => "sign_in",
            Action::SignOut => "sign_out",
            Action::SignInFailed => "sign_in_failed",
            Action::Lock => "lock",
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::Consent => "consent",
            Action::SubjectAccess => "subject_access",
            Action::Retention => "retention",
            Action::Settings => "settings",
            Action::Staff => "staff",
            Action::Search => "search",
        }
    }

    /// The action stored as `code`.
    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// The hash before the first row.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row as it is chained.
struct Row<'a> {
    id: i64,
    at: &'a str,
    staff_id: Option<i64>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<i64>,
    detail: &'a str,
}

impl Row<'_> {
    /// SHA-256 over the previous hash and every field, each length-prefixed so no two rows
    /// read alike; hex.
    fn hash(&self, previous: &str) -> String {
        let optional = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
        let fields = [
            previous.to_owned(),
            self.id.to_string(),
            self.at.to_owned(),
            optional(self.staff_id),
            self.action.to_owned(),
            self.entity.to_owned(),
            optional(self.entity_id),
            self.detail.to_owned(),
        ];
        let mut hash = Sha256::new();
        for field in fields {
            hash.update((field.len() as u64).to_le_bytes());
            hash.update(field.as_bytes());
        }
        hex::encode(hash.finalize())
    }
}

/// Appends one entry; the caller's transaction makes it land with the change it records.
pub fn record(
    conn: &Connection,
    actor: &Actor,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    at: &str,
) -> Result<()> {
    record_with_detail(conn, actor, action, (entity, entity_id), "", at)
}

/// Appends one entry with its detail (counts and codes, never a name or typed text).
pub(super) fn record_with_detail(
    conn: &Connection,
    actor: &Actor,
    action: Action,
    (entity, entity_id): (&str, Option<i64>),
    detail: &str,
    at: &str,
) -> Result<()> {
    append(
        conn,
        Some(actor.staff_id.0),
        action,
        entity,
        entity_id,
        detail,
        at,
    )
}

fn append(
    conn: &Connection,
    staff_id: Option<i64>,
    action: Action,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
    at: &str,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })?;
    let (id, previous) = last.map_or((1, GENESIS.to_owned()), |(id, hash)| (id + 1, hash));
    let row = Row {
        id,
        at,
        staff_id,
        action: action.code(),
        entity,
        entity_id,
        detail,
    };
    conn.prepare_cached(
        "INSERT INTO audit_log (id, at, staff_id, action, entity, entity_id, detail, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute((
        id,
        at,
        staff_id,
        row.action,
        entity,
        entity_id,
        detail,
        row.hash(&previous),
    ))?;
    Ok(())
}

/// Records that `actor` corrected a row, naming the fields changed (never their values).
pub(super) fn record_changes(
    conn: &Connection,
    actor: &Actor,
    row: (&str, i64),
    changed: &[&str],
    at: &str,
) -> Result<()> {
    record_with_detail(
        conn,
        actor,
        Action::Update,
        (row.0, Some(row.1)),
        &format!("fields={}", changed.join(",")),
        at,
    )
}

/// Records that `actor` exported figures (no row: figures concern the whole file).
pub fn record_export(db: &super::Database, actor: &Actor, at: &str) -> Result<()> {
    record(&db.conn, actor, Action::Export, "figures", None, at)
}

/// Records that `actor` exported `entries` entries of the audit trail.
pub fn record_trail_export(
    db: &super::Database,
    actor: &Actor,
    entries: usize,
    at: &str,
) -> Result<()> {
    record_with_detail(
        &db.conn,
        actor,
        Action::Export,
        ("audit_log", None),
        &format!("entries={entries}"),
        at,
    )
}

/// Records an event of the desk itself, not of one row: sign-in, sign-out, lock, backup,
/// restore.
pub fn record_event(db: &super::Database, actor: &Actor, action: Action, at: &str) -> Result<()> {
    record(&db.conn, actor, action, "desk", None, at)
}

/// Records a change to the staff (`what`: `added`, `removed`, `password`, `key`).
pub fn record_staff_change(
    db: &super::Database,
    actor: &Actor,
    staff_id: Option<i64>,
    what: &str,
    at: &str,
) -> Result<()> {
    record_with_detail(
        &db.conn,
        actor,
        Action::Staff,
        ("staff", staff_id),
        what,
        at,
    )
}

/// Records a refused sign-in: `staff_id` when the name was on the staff.
pub fn record_failed_sign_in(db: &super::Database, staff_id: Option<i64>, at: &str) -> Result<()> {
    append(
        &db.conn,
        staff_id,
        Action::SignInFailed,
        "desk",
        None,
        "",
        at,
    )
}

/// Records a search by its query's length in characters and the number of results: never
/// the query itself.
pub fn record_search(
    db: &super::Database,
    actor: &Actor,
    query_length: usize,
    results: usize,
    at: &str,
) -> Result<()> {
    append(
        &db.conn,
        Some(actor.staff_id.0),
        Action::Search,
        "visitors",
        None,
        &format!("length={query_length} results={results}"),
        at,
    )
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Row id, in the order written.
    pub id: i64,
    /// When, `YYYY-MM-DDTHH:MM[:SS]`.
    pub at: String,
    /// Staff member id (none for a refused sign-in under a name not on the staff).
    pub staff_id: Option<i64>,
    /// Action code.
    pub action: String,
    /// Table name, or `desk` for events of the desk itself.
    pub entity: String,
    /// Row id.
    pub entity_id: Option<i64>,
    /// Counts and codes, e.g. `length=4 results=12` for a search.
    pub detail: String,
    /// The visitor's bureau code, for an entry about a visitor's own row.
    pub visitor_code: Option<String>,
}

/// Which entries the audit screen shows; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Done by this staff member.
    pub staff_id: Option<i64>,
    /// This action.
    pub action: Option<Action>,
    /// About the visitor with this bureau code (their card, visits, referrals and
    /// accompaniments).
    pub visitor_code: Option<String>,
    /// On or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// On or before this day, `YYYY-MM-DD`.
    pub to: Option<String>,
}

/// The entries `filter` selects, newest first, at most `limit` (coordinators and
/// administrators).
pub fn entries(
    db: &super::Database,
    actor: &Actor,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<Entry>> {
    actor.require(Permission::AuditTrail)?;
    selected(&db.conn, filter, limit)
}

/// The entries `filter` selects, newest first; the caller has checked the permission.
pub(super) fn selected(conn: &Connection, filter: &Filter, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "WITH chosen (visitor) AS (SELECT id FROM visitors WHERE code = ?5)
         SELECT a.id, a.at, a.staff_id, a.action, a.entity, a.entity_id, a.detail, v.code
         FROM audit_log a
         LEFT JOIN visitors v ON a.entity = 'visitors' AND v.id = a.entity_id
         WHERE (?1 IS NULL OR a.staff_id = ?1)
           AND (?2 IS NULL OR a.action = ?2)
           AND (?3 IS NULL OR substr(a.at, 1, 10) >= ?3)
           AND (?4 IS NULL OR substr(a.at, 1, 10) <= ?4)
           AND (?5 IS NULL
                OR (a.entity = 'visitors' AND a.entity_id IN (SELECT visitor FROM chosen))
                OR (a.entity = 'visits' AND a.entity_id IN
                    (SELECT id FROM visits WHERE visitor_id IN (SELECT visitor FROM chosen)))
                OR (a.entity = 'referrals' AND a.entity_id IN
                    (SELECT r.id FROM referrals r JOIN visits w ON w.id = r.visit_id
                     WHERE w.visitor_id IN (SELECT visitor FROM chosen)))
                OR (a.entity = 'accompaniments' AND a.entity_id IN
                    (SELECT c.id FROM accompaniments c JOIN visits w ON w.id = c.visit_id
                     WHERE w.visitor_id IN (SELECT visitor FROM chosen))))
         ORDER BY a.id DESC LIMIT ?6",
    )?;
    let rows = stmt
        .query_map(
            (
                filter.staff_id,
                filter.action.map(Action::code),
                filter.from.as_deref(),
                filter.to.as_deref(),
                filter.visitor_code.as_deref(),
                limit as i64,
            ),
            entry,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        staff_id: r.get(2)?,
        action: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        detail: r.get(6)?,
        visitor_code: r.get(7)?,
    })
}

/// The latest entries, newest first (for tests of what a call recorded).
pub fn latest(db: &super::Database, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = db.conn.prepare_cached(
        "SELECT id, at, staff_id, action, entity, entity_id, detail, NULL FROM audit_log
         ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows in the trail.
    pub rows: i64,
    /// The last row's hash: noted down, it shows later whether newest rows were removed.
    pub head: String,
    /// The first row whose hash does not follow from the rows before it (changed, removed,
    /// or inserted outside the desk), if any.
    pub first_broken: Option<i64>,
}

/// Recomputes the chain from the first row.
pub fn verify(db: &super::Database) -> Result<ChainReport> {
    verify_chain(&db.conn)
}

fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(
        "SELECT id, at, staff_id, action, entity, entity_id, detail, NULL, hash FROM audit_log
         ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut report = ChainReport {
        rows: 0,
        head: GENESIS.to_owned(),
        first_broken: None,
    };
    let mut expected_id = 1;
    while let Some(r) = rows.next()? {
        let e = entry(r)?;
        let stored: String = r.get(8)?;
        let row = Row {
            id: e.id,
            at: &e.at,
            staff_id: e.staff_id,
            action: &e.action,
            entity: &e.entity,
            entity_id: e.entity_id,
            detail: &e.detail,
        };
        if report.first_broken.is_none()
            && (e.id != expected_id || row.hash(&report.head) != stored)
        {
            report.first_broken = Some(e.id);
        }
        report.rows += 1;
        report.head = stored;
        expected_id = e.id + 1;
    }
    Ok(report)
}

/// Rewrites the trail of an older file into the chained table (the schema upgrade to
/// version 4): rows keep their order and content, and are chained as they are copied.
pub(super) fn chain_existing(conn: &Connection) -> Result<()> {
    let old: Vec<(String, i64, String, String, Option<i64>)> = conn
        .prepare("SELECT at, staff_id, action, entity, entity_id FROM audit_log_v3 ORDER BY id")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (at, staff_id, action, entity, entity_id) in old {
        let action = Action::from_code(&action).unwrap_or(Action::View);
        append(conn, Some(staff_id), action, &entity, entity_id, "", &at)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Database;
    use crate::domain::{Role, StaffId};

    fn admin() -> Actor {
        Actor {
            staff_id: StaffId(1),
            role: Role::Admin,
            organisation: None,
        }
    }

    fn trail() -> Database {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        crate::db::staff::insert(&mut db, "Мария", Role::Admin, "2026-01-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        for minute in 0..5 {
            record_event(
                &db,
                &admin(),
                Action::SignIn,
                &format!("2026-01-01T09:0{minute}"),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        record_search(&db, &admin(), 4, 12, "2026-01-01T09:06").unwrap_or_else(|e| panic!("{e}"));
        db
    }

    #[test]
    fn an_untouched_trail_verifies_and_every_action_round_trips() {
        let db = trail();
        let report = verify(&db).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.rows, report.first_broken), (6, None));
        assert_eq!(report.head.len(), 64);
        assert_eq!(
            latest(&db, 1).unwrap_or_default()[0].detail,
            "length=4 results=12"
        );
        for action in Action::ALL {
            assert_eq!(Action::from_code(action.code()), Some(action));
        }
    }

    #[test]
    fn the_database_refuses_to_change_or_remove_an_entry() {
        let db = trail();
        for sql in [
            "UPDATE audit_log SET staff_id = 2 WHERE id = 3",
            "DELETE FROM audit_log WHERE id = 3",
            "DELETE FROM audit_log",
        ] {
            let refused = db.conn.execute(sql, []);
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("append-only")),
                "{sql}: {refused:?}"
            );
        }
        assert_eq!(verify(&db).map(|r| r.rows).ok(), Some(6));
    }

    #[test]
    fn a_row_changed_or_removed_behind_the_desks_back_breaks_the_chain_there() {
        let tamper = |sql: &str| {
            let db = trail();
            db.conn
                .execute_batch(&format!(
                    "DROP TRIGGER audit_log_refuses_update; DROP TRIGGER audit_log_refuses_delete; {sql}"
                ))
                .unwrap_or_else(|e| panic!("{e}"));
            verify(&db).unwrap_or_else(|e| panic!("{e}")).first_broken
        };
        assert_eq!(
            tamper("UPDATE audit_log SET staff_id = NULL WHERE id = 3"),
            Some(3)
        );
        assert_eq!(
            tamper("UPDATE audit_log SET at = '2026-01-01T08:00' WHERE id = 1"),
            Some(1)
        );
        assert_eq!(tamper("DELETE FROM audit_log WHERE id = 4"), Some(5));
        assert_eq!(
            tamper("UPDATE audit_log SET detail = 'length=9 results=1' WHERE id = 6"),
            Some(6)
        );
    }
}
