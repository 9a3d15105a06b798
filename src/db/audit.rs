//! The audit trail: who saw and changed what, by id only.

use rusqlite::Connection;

use super::Result;
use crate::domain::Actor;

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
}

impl Action {
    fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::View => "view",
            Action::Update => "update",
            Action::Print => "print",
            Action::Export => "export",
        }
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
    conn.prepare_cached(
        "INSERT INTO audit_log (at, staff_id, action, entity, entity_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((at, actor.staff_id.0, action.code(), entity, entity_id))?;
    Ok(())
}

/// Records that `actor` exported figures (no row: figures concern the whole file).
pub fn record_export(db: &super::Database, actor: &Actor, at: &str) -> Result<()> {
    record(&db.conn, actor, Action::Export, "figures", None, at)
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Staff member id.
    pub staff_id: i64,
    /// Action code.
    pub action: String,
    /// Table name.
    pub entity: String,
    /// Row id.
    pub entity_id: Option<i64>,
}

/// The latest entries, newest first.
pub fn latest(db: &super::Database, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = db.conn.prepare_cached(
        "SELECT staff_id, action, entity, entity_id FROM audit_log ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok(Entry {
                staff_id: r.get(0)?,
                action: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
