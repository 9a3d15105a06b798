//! Consent, scope by scope, as a history: each consent given or withdrawn is a record of its own,
//! never an edit of an earlier one (the database refuses edits). What holds now is the record of
//! each scope made last (`consents_in_force`), whose day is never before the one it follows.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Database, Result, audit};
use crate::domain::access::Permission;
use crate::domain::{
    Actor, ConsentRecord, ConsentScope, FieldError, Problem, VisitorId, format_stamp,
};

/// Every consent record of a visitor, oldest first, with who recorded it.
pub fn history(db: &Database, actor: &Actor, visitor: VisitorId) -> Result<Vec<ConsentRecord>> {
    actor.require(Permission::SeeCard)?;
    let mut stmt = db.conn.prepare_cached(
        "SELECT c.scope, c.given, c.dated, s.display_name FROM consents c
         JOIN staff s ON s.id = c.recorded_by
         WHERE c.visitor_id = ?1 ORDER BY c.id",
    )?;
    let rows = stmt.query_map([visitor.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, bool>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut records = Vec::new();
    for row in rows {
        let (scope, given, dated, recorded_by) = row?;
        let (Some(scope), Ok(dated)) = (
            ConsentScope::from_code(&scope),
            NaiveDate::parse_from_str(&dated, "%Y-%m-%d"),
        ) else {
            continue;
        };
        records.push(ConsentRecord {
            scope,
            given,
            dated,
            recorded_by,
        });
    }
    Ok(records)
}

/// Records that the visitor gave (`given`) or withdrew a consent on `dated`, as a new record,
/// with an entry in the audit trail. Recording what already holds changes nothing; a day
/// before the scope's last record is refused (`Problem::BeforeConsent`).
pub fn record(
    db: &mut Database,
    actor: &Actor,
    visitor: VisitorId,
    (scope, given): (ConsentScope, bool),
    dated: NaiveDate,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Permission::Register)?;
    let tx = db.conn.transaction()?;
    record_in(
        &tx,
        actor,
        visitor,
        (scope, given),
        dated,
        &format_stamp(now),
    )?;
    tx.commit()?;
    Ok(())
}

/// Records one consent given or withdrawn inside the caller's transaction (nothing when it
/// already holds so); refused when dated before the scope's last record.
pub(super) fn record_in(
    tx: &rusqlite::Connection,
    actor: &Actor,
    visitor: VisitorId,
    (scope, given): (ConsentScope, bool),
    dated: NaiveDate,
    at: &str,
) -> Result<()> {
    tx.query_row(
        "SELECT 1 FROM visitors WHERE id = ?1 AND erased_at IS NULL AND merged_into IS NULL",
        [visitor.0],
        |_| Ok(()),
    )?;
    let holds: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM consents_in_force WHERE visitor_id = ?1 AND scope = ?2)",
        (visitor.0, scope.code()),
        |r| r.get(0),
    )?;
    if holds == given {
        return Ok(());
    }
    let last: Option<String> = tx.query_row(
        "SELECT max(dated) FROM consents WHERE visitor_id = ?1 AND scope = ?2",
        (visitor.0, scope.code()),
        |r| r.get(0),
    )?;
    if last.is_some_and(|last| dated.to_string() < last) {
        return Err(super::Error::Invalid(vec![FieldError {
            field: "consent_day",
            problem: Problem::BeforeConsent,
        }]));
    }
    tx.execute(
        "INSERT INTO consents (visitor_id, scope, given, dated, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        (
            visitor.0,
            scope.code(),
            given,
            dated.to_string(),
            actor.staff_id.0,
            at,
        ),
    )?;
    let detail = format!(
        "{} {}",
        scope.code(),
        if given { "given" } else { "withdrawn" }
    );
    audit::record_with_detail(
        tx,
        actor,
        audit::Action::Consent,
        ("visitors", Some(visitor.0)),
        &detail,
        at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{staff, visitors};
    use crate::domain::{Role, VisitorDraft};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_withdrawal_is_a_new_record_and_the_card_sees_the_consent_gone() {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let desk = staff::insert(&mut db, "Мария", Role::Desk, "2026-11-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .actor();
        let new = VisitorDraft {
            given_name: "Ахмед".into(),
            consents: vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals],
            consent_date: "02.11.2026".into(),
            ..Default::default()
        }
        .validate(day(2))
        .unwrap_or_else(|e| panic!("{e:?}"));
        let id = visitors::insert(&mut db, &desk, &new, "2026-11-02T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        let now = day(20).and_hms_opt(10, 0, 0).unwrap_or_default();
        let share = ConsentScope::ShareWithReferrals;
        record(&mut db, &desk, id, (share, false), day(19), now).unwrap_or_else(|e| panic!("{e}"));
        // Withdrawing again records nothing more; giving it again before the withdrawal is
        // refused.
        record(&mut db, &desk, id, (share, false), day(20), now).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            record(&mut db, &desk, id, (share, true), day(18), now),
            Err(crate::db::Error::Invalid(_))
        ));

        let card = visitors::find(&mut db, &desk, id, "2026-11-20T10:01")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(card.has_consent(ConsentScope::Registration));
        assert!(!card.has_consent(share), "withdrawn");
        let kept: Vec<(ConsentScope, bool, NaiveDate)> = history(&db, &desk, id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.scope, r.given, r.dated))
            .collect();
        assert_eq!(
            kept,
            [
                (ConsentScope::Registration, true, day(2)),
                (share, true, day(2)),
                (share, false, day(19)),
            ],
            "the consent given stays in the history beside its withdrawal"
        );
        let entry = &audit::latest(&db, 2).unwrap_or_default()[1];
        assert_eq!(
            (
                entry.action.as_str(),
                entry.entity_id,
                entry.detail.as_str()
            ),
            ("consent", Some(id.0), "share_with_referrals withdrawn")
        );
        // Given again later: it holds again.
        record(&mut db, &desk, id, (share, true), day(20), now).unwrap_or_else(|e| panic!("{e}"));
        let card = visitors::find(&mut db, &desk, id, "2026-11-20T10:02")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(card.has_consent(share));
    }
}
