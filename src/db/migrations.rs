//! The schema version and the step-by-step upgrade of older files.

use rusqlite::Connection;

use super::{Result, visitors};

/// The whole current schema (`schema.sql`), run on a new file.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// The version `schema.sql` describes; must match its `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 2;

/// Brings a file at `from` up to `SCHEMA_VERSION`, one version at a time, in one transaction:
/// either every step lands or none does.
pub fn upgrade(conn: &mut Connection, from: i64) -> Result<()> {
    let tx = conn.transaction()?;
    for version in from..SCHEMA_VERSION {
        upgrade_from(&tx, version)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
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
