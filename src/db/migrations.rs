//! The schema version and the step-by-step upgrade of older files.

use rusqlite::Connection;

use super::{Result, audit, visitors};

/// The whole current schema (`schema.sql`), run on a new file.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// The version `schema.sql` describes; must match its `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 11;

/// Brings a file at `from` up to `SCHEMA_VERSION`, one version at a time, in one transaction:
/// either every step lands or none does. Foreign keys are off while tables are rebuilt (SQLite's
/// documented way to change a table's constraints) and checked before the commit.
pub fn upgrade(conn: &mut Connection, from: i64) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let result = (|| {
        let tx = conn.transaction()?;
        for version in from..SCHEMA_VERSION {
            upgrade_from(&tx, version)?;
        }
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(super::Error::Storage(format!(
                "the upgrade would leave {broken} broken references"
            )));
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    })();
    conn.pragma_update(None, "foreign_keys", "ON")?;
    result
}

/// One step: from `version` to `version + 1`.
fn upgrade_from(conn: &Connection, version: i64) -> Result<()> {
    match version {
        // Version 1 searched short queries by scanning; version 2 adds the word index for them,
        // and an index that keeps the monthly figures of referrals fast.
        1 => {
            conn.execute_batch(
                "CREATE INDEX referrals_by_issue ON referrals (issued_at);
                 CREATE TABLE visitor_name_words (
                     word       TEXT NOT NULL,
                     visitor_id INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
                     PRIMARY KEY (word, visitor_id)
                 ) WITHOUT ROWID;
                 CREATE INDEX visitor_name_words_by_visitor ON visitor_name_words (visitor_id);",
            )?;
            visitors::rebuild_name_words(conn)
        }
        // Version 3 adds the partner role, tied to an organisation. SQLite cannot change a
        // CHECK in place: the staff table is made anew and its rows copied.
        2 => {
            conn.execute_batch(
                "CREATE TABLE staff_v3 (
                     id              INTEGER PRIMARY KEY,
                     display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
                     role            TEXT NOT NULL DEFAULT 'desk'
                                     CHECK (role IN ('desk', 'partner', 'coordinator', 'admin', 'volunteer')),
                     organisation_id INTEGER REFERENCES organisations (id),
                     password_hash   TEXT,
                     active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                     created_at      TEXT NOT NULL,
                     CHECK ((role = 'partner') = (organisation_id IS NOT NULL))
                 );
                 INSERT INTO staff_v3 (id, display_name, role, password_hash, active, created_at)
                     SELECT id, display_name, role, NULL, active, created_at FROM staff;
                 DROP TABLE staff;
                 ALTER TABLE staff_v3 RENAME TO staff;",
            )?;
            Ok(())
        }
        // Version 4 makes the audit trail append-only and chained, with more actions and a
        // detail column: the table is made anew and its rows chained as they are copied.
        3 => {
            conn.execute_batch(
                "DROP INDEX audit_log_by_entity;
                 ALTER TABLE audit_log RENAME TO audit_log_v3;
                 CREATE TABLE audit_log (
                     id        INTEGER PRIMARY KEY,
                     at        TEXT NOT NULL,
                     staff_id  INTEGER REFERENCES staff (id),
                     action    TEXT NOT NULL CHECK (action IN (
                                   'create', 'view', 'update', 'erase', 'export', 'print',
                                   'sign_in', 'sign_out', 'sign_in_failed', 'lock', 'backup', 'restore',
                                   'consent', 'subject_access', 'retention', 'settings', 'staff', 'search')),
                     entity    TEXT NOT NULL,
                     entity_id INTEGER,
                     detail    TEXT NOT NULL DEFAULT '',
                     hash      TEXT NOT NULL CHECK (length(hash) = 64)
                 );
                 CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);
                 CREATE INDEX audit_log_by_staff ON audit_log (staff_id, at);",
            )?;
            audit::chain_existing(conn)?;
            conn.execute_batch(
                "DROP TABLE audit_log_v3;
                 CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                 CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
            )?;
            Ok(())
        }
        // Version 5 keeps consent as a history of new records (withdrawal no longer edits the
        // row), keeps an erased visitor's age band on their visits, and makes the search index
        // forget removed rows at once.
        4 => {
            conn.execute_batch(
                "DROP INDEX consents_by_visitor;
                 ALTER TABLE consents RENAME TO consents_v4;
                 CREATE TABLE consents (
                     id          INTEGER PRIMARY KEY,
                     visitor_id  INTEGER NOT NULL REFERENCES visitors (id),
                     scope       TEXT NOT NULL CHECK (scope IN ('registration', 'share_with_referrals', 'contact_by_phone')),
                     given       INTEGER NOT NULL DEFAULT 1 CHECK (given IN (0, 1)),
                     dated       TEXT NOT NULL,
                     recorded_by INTEGER NOT NULL REFERENCES staff (id),
                     recorded_at TEXT NOT NULL
                 );
                 INSERT INTO consents (visitor_id, scope, given, dated, recorded_by, recorded_at)
                     SELECT visitor_id, scope, 1, given_on, recorded_by, given_on || 'T00:00'
                     FROM consents_v4 ORDER BY id;
                 INSERT INTO consents (visitor_id, scope, given, dated, recorded_by, recorded_at)
                     SELECT visitor_id, scope, 0, withdrawn_on, recorded_by, withdrawn_on || 'T00:00'
                     FROM consents_v4 WHERE withdrawn_on IS NOT NULL ORDER BY id;
                 DROP TABLE consents_v4;
                 CREATE INDEX consents_by_visitor ON consents (visitor_id, scope);
                 CREATE TRIGGER consents_refuse_update BEFORE UPDATE ON consents
                 BEGIN SELECT RAISE(ABORT, 'a consent is changed by a new record'); END;
                 CREATE TRIGGER consents_refuse_delete BEFORE DELETE ON consents
                 BEGIN SELECT RAISE(ABORT, 'a consent is changed by a new record'); END;
                 CREATE VIEW consents_in_force AS
                 SELECT c.visitor_id, c.scope, c.dated FROM consents c
                 WHERE c.given = 1 AND NOT EXISTS (
                     SELECT 1 FROM consents later
                     WHERE later.visitor_id = c.visitor_id AND later.scope = c.scope
                       AND later.id > c.id);
                 ALTER TABLE visits ADD COLUMN age_band TEXT;
                 INSERT INTO visitor_search (visitor_search, rank) VALUES ('secure-delete', 1);",
            )?;
            Ok(())
        }
        // Version 6 keeps unsaved forms as drafts.
        5 => {
            conn.execute_batch(
                "CREATE TABLE drafts (
                     staff_id   INTEGER NOT NULL REFERENCES staff (id),
                     form       TEXT NOT NULL CHECK (form IN ('visitor', 'visit', 'referral', 'accompaniment')),
                     visitor_id INTEGER REFERENCES visitors (id),
                     body       TEXT NOT NULL,
                     saved_at   TEXT NOT NULL,
                     PRIMARY KEY (staff_id, form)
                 );",
            )?;
            Ok(())
        }
        // Version 7 corrects the record: who last changed a visitor, visits voided with a
        // reason instead of deleted, and referrals and accompaniments reissued after their slip was printed.
        6 => {
            conn.execute_batch(
                "ALTER TABLE visitors ADD COLUMN updated_by INTEGER REFERENCES staff (id);
                 ALTER TABLE visits ADD COLUMN voided_at TEXT;
                 ALTER TABLE visits ADD COLUMN voided_by INTEGER REFERENCES staff (id);
                 ALTER TABLE visits ADD COLUMN void_reason TEXT NOT NULL DEFAULT ''
                     CHECK (length(void_reason) <= 500);
                 CREATE VIEW counted_visits AS SELECT * FROM visits WHERE voided_at IS NULL;
                 ALTER TABLE referrals ADD COLUMN reissued_as INTEGER REFERENCES referrals (id);
                 ALTER TABLE accompaniments ADD COLUMN reissued_as INTEGER REFERENCES accompaniments (id);",
            )?;
            Ok(())
        }
        // Version 8 merges two registrations of one person: the alias column, the merges and
        // what each moved, and a consent whose owner (only) may change.
        7 => {
            conn.execute_batch(
                "ALTER TABLE visitors ADD COLUMN merged_into INTEGER REFERENCES visitors (id);
                 DROP TRIGGER consents_refuse_update;
                 CREATE TRIGGER consents_refuse_update
                 BEFORE UPDATE OF id, scope, given, dated, recorded_by, recorded_at ON consents
                 BEGIN SELECT RAISE(ABORT, 'a consent is changed by a new record'); END;
                 CREATE TABLE merges (
                     id          INTEGER PRIMARY KEY,
                     kept_id     INTEGER NOT NULL REFERENCES visitors (id),
                     merged_id   INTEGER NOT NULL REFERENCES visitors (id),
                     merged_at   TEXT NOT NULL,
                     merged_by   INTEGER NOT NULL REFERENCES staff (id),
                     kept_before TEXT NOT NULL,
                     undone_at   TEXT,
                     undone_by   INTEGER REFERENCES staff (id)
                 );
                 CREATE INDEX merges_by_kept ON merges (kept_id);
                 CREATE TABLE merge_moves (
                     merge_id INTEGER NOT NULL REFERENCES merges (id),
                     entity   TEXT NOT NULL CHECK (entity IN ('visits', 'consents', 'drafts', 'visitors')),
                     row_id   INTEGER NOT NULL,
                     PRIMARY KEY (merge_id, entity, row_id)
                 ) WITHOUT ROWID;",
            )?;
            Ok(())
        }
        // Version 9 brings in earlier registers: each file imported once.
        8 => {
            conn.execute_batch(
                "CREATE TABLE imports (
                     id          INTEGER PRIMARY KEY,
                     file_hash   TEXT NOT NULL UNIQUE CHECK (length(file_hash) = 64),
                     imported_at TEXT NOT NULL,
                     imported_by INTEGER NOT NULL REFERENCES staff (id),
                     rows        INTEGER NOT NULL,
                     people_new  INTEGER NOT NULL,
                     visits      INTEGER NOT NULL
                 );",
            )?;
            Ok(())
        }
        // Version 10 makes names meet across scripts more often (new consonant keys, one-letter
        // keys as words): every person's search keys are written anew.
        9 => visitors::rebuild_search_index(conn),
        // Version 11 holds the month's programme (recurring slots, their services, days off)
        // instead of one row per day and service, relation codes in households, and referrals
        // that cover a household. A placeholder slot of version 10 becomes a dated slot.
        10 => {
            conn.execute_batch(
                "ALTER TABLE programme_slots RENAME TO programme_slots_v10;
                 DROP INDEX programme_slots_by_day;
                 CREATE TABLE programme_slots (
                     id              INTEGER PRIMARY KEY,
                     month           TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
                     organisation_id INTEGER NOT NULL REFERENCES organisations (id),
                     weekday         INTEGER CHECK (weekday BETWEEN 1 AND 7),
                     weeks           TEXT NOT NULL DEFAULT '',
                     dates           TEXT NOT NULL DEFAULT '',
                     starts_at       TEXT NOT NULL CHECK (starts_at GLOB '[0-2][0-9]:[0-5][0-9]'),
                     ends_at         TEXT NOT NULL CHECK (ends_at GLOB '[0-2][0-9]:[0-5][0-9]' AND ends_at > starts_at),
                     languages       TEXT NOT NULL DEFAULT '',
                     place           TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 100),
                     note            TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 300),
                     CHECK ((weekday IS NULL) = (dates <> ''))
                 );
                 CREATE INDEX programme_slots_by_month ON programme_slots (month);
                 CREATE TABLE programme_slot_services (
                     slot_id         INTEGER NOT NULL REFERENCES programme_slots (id) ON DELETE CASCADE,
                     service_type_id INTEGER NOT NULL REFERENCES service_types (id),
                     PRIMARY KEY (slot_id, service_type_id)
                 ) WITHOUT ROWID;
                 CREATE TABLE programme_days_off (
                     id      INTEGER PRIMARY KEY,
                     day     TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
                     slot_id INTEGER REFERENCES programme_slots (id) ON DELETE CASCADE,
                     note    TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 300)
                 );
                 CREATE INDEX programme_days_off_by_day ON programme_days_off (day);
                 INSERT INTO programme_slots (id, month, organisation_id, dates, starts_at, ends_at, languages)
                     SELECT id, substr(day, 1, 7), organisation_id, day, starts_at, ends_at, language
                     FROM programme_slots_v10 WHERE ends_at > starts_at;
                 INSERT INTO programme_slot_services (slot_id, service_type_id)
                     SELECT id, service_type_id FROM programme_slots_v10 WHERE ends_at > starts_at;
                 DROP TABLE programme_slots_v10;
                 UPDATE visitors SET household_role = CASE
                     WHEN household_id IS NULL THEN ''
                     WHEN household_role IN ('contact', 'spouse', 'child', 'parent', 'sibling') THEN household_role
                     ELSE 'other' END
                 WHERE household_id IS NOT NULL OR household_role != '';
                 ALTER TABLE referrals ADD COLUMN for_household INTEGER NOT NULL DEFAULT 0
                     CHECK (for_household IN (0, 1));",
            )?;
            Ok(())
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_file_declares_the_code_version() {
        assert!(SCHEMA.contains(&format!("PRAGMA user_version = {SCHEMA_VERSION};")));
    }
}
