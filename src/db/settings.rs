//! Key/value settings of the desk.

use rusqlite::OptionalExtension;

use super::{Database, Result};

/// The UI language chosen last.
pub const UI_LANGUAGE: &str = "ui.language";
/// The languages services are offered in, ISO 639-1, space-separated.
pub const DESK_LANGUAGES: &str = "desk.languages";
/// The paper size of slips, "A5" (default) or "A4".
pub const SLIP_PAPER: &str = "slip.paper";
/// The bureau's details printed on slips.
pub const BUREAU_NAME_BG: &str = "bureau.name_bg";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_NAME_EN: &str = "bureau.name_en";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_ADDRESS_BG: &str = "bureau.address_bg";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_ADDRESS_EN: &str = "bureau.address_en";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_PHONE: &str = "bureau.phone";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_HOURS_BG: &str = "bureau.hours_bg";
/// See `BUREAU_NAME_BG`.
pub const BUREAU_HOURS_EN: &str = "bureau.hours_en";

/// The bureau's own details, as printed at the top of a slip.
pub fn bureau(db: &Database) -> Result<crate::domain::slips::Place> {
    let value = |key: &str| -> Result<String> { Ok(get(db, key)?.unwrap_or_default()) };
    Ok(crate::domain::slips::Place {
        name_bg: value(BUREAU_NAME_BG)?,
        name_en: value(BUREAU_NAME_EN)?,
        address_bg: value(BUREAU_ADDRESS_BG)?,
        address_en: value(BUREAU_ADDRESS_EN)?,
        hours_bg: value(BUREAU_HOURS_BG)?,
        hours_en: value(BUREAU_HOURS_EN)?,
        phone: value(BUREAU_PHONE)?,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_new_files_start_in_bulgarian() {
        let db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&db, UI_LANGUAGE).ok().flatten().as_deref(), Some("bg"));
        assert_eq!(
            get(&db, DESK_LANGUAGES).ok().flatten().as_deref(),
            Some("bg en fr ar fa uk ru")
        );
        set(&db, UI_LANGUAGE, "en").unwrap_or_else(|e| panic!("{e}"));
        set(&db, LAST_STAFF, "3").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(get(&db, UI_LANGUAGE).ok().flatten().as_deref(), Some("en"));
        assert_eq!(get(&db, LAST_STAFF).ok().flatten().as_deref(), Some("3"));
        assert_eq!(get(&db, "no.such.key").ok().flatten(), None);
    }
}
