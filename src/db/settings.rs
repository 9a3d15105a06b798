//! Key/value settings of the desk.

use rusqlite::OptionalExtension;

use super::{Database, Result};

/// The UI language chosen last.
pub const UI_LANGUAGE: &str = "ui.language";
/// The languages services are offered in, ISO 639-1, space-separated.
pub const DESK_LANGUAGES: &str = "desk.languages";
/// The folder automatic backups go to (empty: `backups` beside the database).
pub const BACKUP_FOLDER: &str = "backup.folder";
/// Minutes without a key press or a click after which the desk locks itself (1–120; 5).
pub const LOCK_MINUTES: &str = "desk.lock_minutes";
/// Years after a person's last visit after which the retention review anonymises them (1–30; 5).
pub const RETENTION_YEARS: &str = "retention.years";
/// The retention limit when none is set.
pub const DEFAULT_RETENTION_YEARS: u32 = 5;
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

/// The settings a coordinator may change from the command line, with what each is for.
pub const EDITABLE: [(&str, &str); 13] = [
    (UI_LANGUAGE, "interface language: bg or en"),
    (
        BACKUP_FOLDER,
        "folder of the automatic backups (a USB stick or a network folder); empty: backups beside the database",
    ),
    (
        LOCK_MINUTES,
        "minutes without a key press after which the desk locks itself: 1 to 120 (5)",
    ),
    (
        DESK_LANGUAGES,
        "languages services are offered in, ISO 639-1, space-separated",
    ),
    (SLIP_PAPER, "paper of the slips: A5 or A4"),
    (
        RETENTION_YEARS,
        "years after a person's last visit after which the retention review anonymises them: 1 to 30 (5)",
    ),
    (
        BUREAU_NAME_BG,
        "the bureau's name in Bulgarian, on slips and reports",
    ),
    (BUREAU_NAME_EN, "the bureau's name in English"),
    (
        BUREAU_ADDRESS_BG,
        "the bureau's address in Bulgarian, on slips",
    ),
    (BUREAU_ADDRESS_EN, "the bureau's address in Latin letters"),
    (BUREAU_PHONE, "the bureau's phone, on slips"),
    (BUREAU_HOURS_BG, "the bureau's opening hours in Bulgarian"),
    (BUREAU_HOURS_EN, "the bureau's opening hours in English"),
];

/// Checks a value for an editable setting; `None` when the key is not one or the value does
/// not fit it. Free text is trimmed and refused with control characters or over 300 characters.
pub fn checked(key: &str, value: &str) -> Option<String> {
    let value = value.trim();
    if !EDITABLE.iter().any(|(k, _)| *k == key)
        || value.chars().any(char::is_control)
        || value.chars().count() > 300
    {
        return None;
    }
    let fits = match key {
        UI_LANGUAGE => crate::UI_LANGUAGES.contains(&value),
        SLIP_PAPER => value.eq_ignore_ascii_case("a4") || value.eq_ignore_ascii_case("a5"),
        LOCK_MINUTES => value.parse::<u64>().is_ok_and(|m| (1..=120).contains(&m)),
        RETENTION_YEARS => value.parse::<u32>().is_ok_and(|y| (1..=30).contains(&y)),
        DESK_LANGUAGES => value.split_whitespace().all(|code| {
            crate::domain::reference::find(crate::domain::reference::languages(), code).is_some()
        }),
        _ => true,
    };
    fits.then(|| value.to_owned())
}

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

/// The retention limit in years (`RETENTION_YEARS`, or the default).
pub fn retention_years(db: &Database) -> Result<u32> {
    Ok(get(db, RETENTION_YEARS)?
        .and_then(|v| v.parse().ok())
        .filter(|y| (1..=30).contains(y))
        .unwrap_or(DEFAULT_RETENTION_YEARS))
}

/// The staff member who was at the desk last.
pub const LAST_STAFF: &str = "desk.last_staff";

/// The folder the last export went to, offered for the next one.
pub const EXPORT_FOLDER: &str = "desk.export_folder";

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
    write(&db.conn, key, value)
}

/// Changes an editable setting as a person (administrators only). `Ok(false)` when the key is
/// not one a person changes or the value does not fit it.
pub fn change(
    db: &Database,
    actor: &crate::domain::Actor,
    key: &str,
    value: &str,
    now: &str,
) -> Result<bool> {
    actor.require(crate::domain::access::Permission::Settings)?;
    recorded(db, actor, key, value, now)
}

/// Remembers a choice anyone at the desk makes on screen — the interface language or the slip
/// paper — with an entry in the audit trail like every settings change. `Ok(false)` for any
/// other key, or a value that does not fit.
pub fn remember_choice(
    db: &Database,
    actor: &crate::domain::Actor,
    key: &str,
    value: &str,
    now: &str,
) -> Result<bool> {
    if ![UI_LANGUAGE, SLIP_PAPER].contains(&key) {
        return Ok(false);
    }
    recorded(db, actor, key, value, now)
}

/// Writes a checked value with its entry in the audit trail, in one transaction.
fn recorded(
    db: &Database,
    actor: &crate::domain::Actor,
    key: &str,
    value: &str,
    now: &str,
) -> Result<bool> {
    match checked(key, value) {
        Some(value) => {
            let tx = db.conn.unchecked_transaction()?;
            write(&tx, key, &value)?;
            super::audit::record_with_detail(
                &tx,
                actor,
                super::audit::Action::Settings,
                ("settings", None),
                key,
                now,
            )?;
            tx.commit()?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Writes a setting; the caller owns the transaction (also the demo's path).
pub(crate) fn write(conn: &rusqlite::Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
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

    #[test]
    fn only_known_settings_with_fitting_values_are_accepted() {
        assert_eq!(checked(SLIP_PAPER, " a4 ").as_deref(), Some("a4"));
        assert_eq!(checked(SLIP_PAPER, "letter"), None);
        assert_eq!(checked(UI_LANGUAGE, "ar"), None);
        assert_eq!(checked(DESK_LANGUAGES, "bg ar xx"), None);
        assert_eq!(
            checked(BUREAU_PHONE, "+359 2 000 0000").as_deref(),
            Some("+359 2 000 0000")
        );
        assert_eq!(checked(BUREAU_PHONE, "a\u{7}b"), None);
        assert_eq!(
            checked("export.pseudonym_key", "00"),
            None,
            "secrets are not settable"
        );
    }
}
