//! Anonymous satisfaction feedback.

use super::{Database, Result};
use crate::domain::feedback::NewFeedback;

/// Stores one response. Deliberately takes no actor and writes no audit entry: nothing may tie
/// a response to the person at the desk or to the visitor.
pub fn insert(db: &Database, feedback: &NewFeedback) -> Result<()> {
    write(&db.conn, feedback)
}

/// Writes one response; the caller owns the transaction (also the demo's path).
pub(crate) fn write(conn: &rusqlite::Connection, feedback: &NewFeedback) -> Result<()> {
    conn
        .prepare_cached(
            "INSERT INTO feedback (given_on, language, overall, staff, comment) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute((
            feedback.given_on.to_string(),
            &feedback.language,
            feedback.overall,
            feedback.staff,
            &feedback.comment,
        ))?;
    Ok(())
}
