//! Key/value settings of the desk.

use rusqlite::OptionalExtension;

use super::{Database, Result};

/// The UI language chosen last.
pub const UI_LANGUAGE: &str = "ui.language";
/// The languages services are offered in, ISO 639-1, space-separated.
pub const DESK_LANGUAGES: &str = "desk.languages";
/// The staff member who was at the desk last.
pub const LAST_STAFF: &str = "desk.last_staff";

/// Reads a setting.
pub fn get(db: &Database, key: &str) -> Result<Option<String>> {
    Ok(db
        .conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Writes a setting.
pub fn set(db: &Database, key: &str, value: &str) -> Result<()> {
    db.conn
        .prepare_cached(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute((key, value))?;
    Ok(())
}
