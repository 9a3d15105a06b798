//! The right to be forgotten, and the retention limit that applies it to people the bureau has
//! not seen for years. An erased person keeps only what reports count (sex, country of origin,
//! nationality, legal status, language, and the age band at each visit), so every figure of
//! every past month stays as it was; their names, birth date, phone, languages, household,
//! search index rows and every note written about them are gone in one transaction.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use rand::RngCore;
use rusqlite::Connection;

use super::{Database, Result, audit};
use crate::domain::access::Permission;
use crate::domain::figures::{Birth, age_band};
use crate::domain::{Actor, VisitorId, format_stamp};

/// What the given name of an erased person becomes (the column may not be empty).
pub const ERASED_NAME: &str = "—";

/// Erases one person. A coordinator or administrator may alone; a desk worker needs a
/// coordinator's confirmation (`confirmed_by`, signed in with their own password on the desk).
/// Returns the meaningless code the person's rows now carry.
pub fn erase(
    db: &mut Database,
    actor: &Actor,
    visitor: VisitorId,
    confirmed_by: Option<&Actor>,
    now: NaiveDateTime,
) -> Result<String> {
    let confirmed = confirmed_by.is_some_and(|c| c.role.may(Permission::Erase));
    if !(actor.role.may(Permission::Erase) || confirmed && actor.role.may(Permission::SeeCard)) {
        return Err(crate::domain::access::Forbidden(Permission::Erase).into());
    }
    let at = format_stamp(now);
    let tx = db.conn.transaction()?;
    let code = erase_in(&tx, visitor, &at)?;
    let detail = confirmed_by
        .filter(|_| !actor.role.may(Permission::Erase))
        .map(|c| format!("confirmed by staff {}", c.staff_id.0))
        .unwrap_or_default();
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Erase,
        ("visitors", Some(visitor.0)),
        &detail,
        &at,
    )?;
    tx.commit()?;
    forget_old_pages(db);
    Ok(code)
}

/// The erasure itself, with the second registrations merged into the person (their names are
/// the person's too) and what a merge kept of the record to undo it; the caller owns the
/// transaction.
fn erase_in(conn: &Connection, visitor: VisitorId, at: &str) -> Result<String> {
    let aliases: Vec<i64> = conn
        .prepare_cached("SELECT id FROM visitors WHERE merged_into = ?1 AND erased_at IS NULL")?
        .query_map([visitor.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for alias in aliases {
        erase_in(conn, VisitorId(alias), at)?;
    }
    conn.execute(
        "UPDATE merges SET kept_before = '{}' WHERE kept_id = ?1 OR merged_id = ?1",
        [visitor.0],
    )?;
    let (birth_year, birth_date, birth_answer): (Option<i32>, Option<String>, String) = conn
        .query_row(
            "SELECT birth_year, birth_date, birth_answer FROM visitors WHERE id = ?1 AND erased_at IS NULL",
            [visitor.0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    let birth = Birth {
        year: birth_year,
        date: super::figures::parse_day(birth_date),
        answer: &birth_answer,
    };
    // The age band each visit is counted in, kept before the birth year goes.
    let visits: Vec<(i64, String)> = conn
        .prepare_cached("SELECT id, visited_at FROM visits WHERE visitor_id = ?1")?
        .query_map([visitor.0], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keep = conn.prepare_cached(
        "UPDATE visits SET notes = '', age_band = coalesce(age_band, ?2) WHERE id = ?1",
    )?;
    for (id, visited_at) in &visits {
        let day = visited_at
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_default();
        keep.execute((id, age_band(&birth, day)))?;
    }
    conn.execute(
        "UPDATE referrals SET reason = ''
         WHERE visit_id IN (SELECT id FROM visits WHERE visitor_id = ?1)",
        [visitor.0],
    )?;
    conn.execute(
        "UPDATE accompaniments SET purpose = '', meeting_point = '', outcome_note = ''
         WHERE visit_id IN (SELECT id FROM visits WHERE visitor_id = ?1)",
        [visitor.0],
    )?;
    conn.execute(
        "DELETE FROM visitor_languages WHERE visitor_id = ?1",
        [visitor.0],
    )?;
    conn.execute("DELETE FROM drafts WHERE visitor_id = ?1", [visitor.0])?;
    conn.execute(
        "DELETE FROM visitor_name_words WHERE visitor_id = ?1",
        [visitor.0],
    )?;
    conn.execute("DELETE FROM visitor_search WHERE rowid = ?1", [visitor.0])?;
    let mut random = [0u8; 6];
    rand::rng().fill_bytes(&mut random);
    let code = format!("ERASED-{}", hex::encode(random).to_uppercase());
    conn.execute(
        "UPDATE visitors SET code = ?2, given_name = ?3, family_name = '', given_name_latin = '',
             family_name_latin = '', birth_year = NULL, birth_date = NULL, birth_answer = 'not_asked',
             phone = '', phone_digits = '', phone_answer = 'not_asked', household_id = NULL,
             household_role = '', name_skeleton = '', updated_at = ?4, erased_at = ?4
         WHERE id = ?1",
        (visitor.0, &code, ERASED_NAME, at),
    )?;
    Ok(code)
}

/// Old versions of the erased pages must not stay behind: `secure_delete` (on for every
/// connection) zeroes what is freed in the file, and the write-ahead log that still holds the
/// pages as they were is emptied. A reader holding the log open defers that to the next
/// checkpoint, which is why a failure here is not the erasure's failure.
fn forget_old_pages(db: &Database) {
    let _ = db
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
}

/// The people past the retention limit, counted by the year of their last visit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReview {
    /// The limit applied: years after the last visit.
    pub years: u32,
    /// People last seen before this day are past it.
    pub before: NaiveDate,
    /// (year of the last visit, how many people), oldest year first.
    pub by_year: Vec<(i32, u64)>,
}

impl RetentionReview {
    /// How many people are past the limit.
    pub fn total(&self) -> u64 {
        self.by_year.iter().map(|(_, n)| n).sum()
    }
}

/// The first day still inside the limit: people last seen before it are past it.
fn cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// Each person past the limit with the day of their last visit (registration if none).
fn past_limit(conn: &Connection, before: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, last FROM (
             SELECT p.id, substr(coalesce(
                 (SELECT max(v.visited_at) FROM visits v WHERE v.visitor_id = p.id),
                 p.created_at), 1, 10) AS last
             FROM visitors p WHERE p.erased_at IS NULL AND p.merged_into IS NULL)
         WHERE last < ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([before.to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut people = Vec::new();
    for row in rows {
        let (id, last) = row?;
        let last = NaiveDate::parse_from_str(&last, "%Y-%m-%d").unwrap_or_default();
        people.push((id, last));
    }
    Ok(people)
}

/// Counts the people past the limit of `years` after their last visit (administrators).
pub fn review(
    db: &Database,
    actor: &Actor,
    today: NaiveDate,
    years: u32,
) -> Result<RetentionReview> {
    actor.require(Permission::Retention)?;
    let before = cutoff(today, years);
    let mut by_year: Vec<(i32, u64)> = Vec::new();
    for (_, last) in past_limit(&db.conn, before)? {
        match by_year.iter_mut().find(|(year, _)| *year == last.year()) {
            Some((_, n)) => *n += 1,
            None => by_year.push((last.year(), 1)),
        }
    }
    by_year.sort_unstable();
    Ok(RetentionReview {
        years,
        before,
        by_year,
    })
}

/// Anonymises every person past the limit, the same way as an erasure, in one transaction, with
/// an erasure entry for each in the audit trail and one for the retention run. Returns how many.
pub fn apply(
    db: &mut Database,
    actor: &Actor,
    today: NaiveDate,
    years: u32,
    now: NaiveDateTime,
) -> Result<u64> {
    actor.require(Permission::Retention)?;
    let at = format_stamp(now);
    let tx = db.conn.transaction()?;
    let people = past_limit(&tx, cutoff(today, years))?;
    for (id, _) in &people {
        erase_in(&tx, VisitorId(*id), &at)?;
        audit::record_with_detail(
            &tx,
            actor,
            audit::Action::Erase,
            ("visitors", Some(*id)),
            "retention",
            &at,
        )?;
    }
    let detail = format!("years={years} people={}", people.len());
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Retention,
        ("desk", None),
        &detail,
        &at,
    )?;
    tx.commit()?;
    forget_old_pages(db);
    Ok(people.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_whole_years_back_from_today() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(cutoff(day(2026, 12, 2), 5), day(2021, 12, 2));
        assert_eq!(cutoff(day(2028, 2, 29), 1), day(2027, 2, 28));
    }
}
