//! Visits and the services rendered in them.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use super::{Database, Error, Result, audit};
use crate::domain::access::Permission;
use crate::domain::{
    Actor, NewVisit, OrganisationId, ServiceLine, ServiceTypeId, StaffId, Visit, VisitId,
    VisitService, VisitorId, Voided, changed_fields, format_stamp, parse_stamp,
};

/// Columns of `Visit`; `first` is derived: no earlier visit by the same visitor. An anonymous
/// visit links to nobody, so it counts as a first consultation.
const VISIT_COLS: &str = "v.id, v.visitor_id, p.code, v.visited_at, v.staff_id, v.language, \
     v.interpreter, v.duration_minutes, v.notes, v.voided_at, v.voided_by, v.void_reason, \
     v.visitor_id IS NULL OR NOT EXISTS (SELECT 1 FROM counted_visits e WHERE e.visitor_id = v.visitor_id \
         AND (e.visited_at < v.visited_at OR (e.visited_at = v.visited_at AND e.id < v.id))) AS first";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Visit> {
    let at: String = row.get("visited_at")?;
    Ok(Visit {
        id: VisitId(row.get("id")?),
        visitor: row.get::<_, Option<i64>>("visitor_id")?.map(VisitorId),
        visitor_code: row.get("code")?,
        at: parse_stamp(&at).unwrap_or_default(),
        staff: StaffId(row.get("staff_id")?),
        language: row.get("language")?,
        interpreter: row.get("interpreter")?,
        duration_minutes: row.get("duration_minutes")?,
        first: row.get("first")?,
        services: Vec::new(),
        notes: row.get("notes")?,
        voided: match row.get::<_, Option<String>>("voided_at")? {
            Some(at) => Some(Voided {
                at,
                by: StaffId(row.get("voided_by")?),
                reason: row.get("void_reason")?,
            }),
            None => None,
        },
    })
}

/// Voids a visit logged in error, with the reason: it stays for the audit trail and on the
/// card (struck through), and leaves every figure. The one who logged it may void it; a
/// coordinator or an administrator any visit. Never deleted.
pub fn void(
    db: &mut Database,
    actor: &Actor,
    visit: VisitId,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    actor.require(Permission::LogVisits)?;
    let reason = crate::domain::visits::void_reason(reason).map_err(Error::Invalid)?;
    let tx = db.conn.transaction()?;
    if logged(&tx, visit)?.is_none_or(|(by, _)| by != actor.staff_id.0) {
        actor.require(Permission::CorrectAnyVisit)?;
    }
    let at = format_stamp(now);
    let voided = tx.execute(
        "UPDATE visits SET voided_at = ?2, voided_by = ?3, void_reason = ?4
         WHERE id = ?1 AND voided_at IS NULL",
        (visit.0, &at, actor.staff_id.0, &reason),
    )?;
    if voided == 0 {
        return Err(Error::NotFound);
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("visits", Some(visit.0)),
        "voided",
        &at,
    )?;
    tx.commit()?;
    Ok(())
}

/// Who logged a visit, and when (`YYYY-MM-DD…`), from the audit trail's entry of its creation.
fn logged(conn: &Connection, visit: VisitId) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT staff_id, at FROM audit_log
             WHERE action = 'create' AND entity = 'visits' AND entity_id = ?1",
            [visit.0],
            |r| {
                Ok(r.get::<_, Option<i64>>(0)?
                    .zip(Some(r.get::<_, String>(1)?)))
            },
        )
        .optional()?
        .flatten())
}

/// Corrects a visit: its day and time, who saw the visitor, the language, the interpreter, the
/// duration, the notes and the services with their providers (the person stays: a visit on
/// the wrong card is voided). The one who logged it may correct it on the day they logged
/// it; a coordinator or an administrator any visit, any day. A voided visit is not corrected.
/// The audit trail gets the names of the fields changed; returns them (empty: nothing changed).
pub fn correct(
    db: &mut Database,
    actor: &Actor,
    visit: VisitId,
    corrected: &NewVisit,
    now: NaiveDateTime,
) -> Result<Vec<&'static str>> {
    actor.require(Permission::LogVisits)?;
    if !actor.sees_every_visit()
        && corrected
            .services
            .iter()
            .any(|s| Some(s.provider) != actor.organisation)
    {
        return Err(Error::Forbidden(Permission::LogVisits));
    }
    let today = now.date().to_string();
    let tx = db.conn.transaction()?;
    let own_today = logged(&tx, visit)?
        .is_some_and(|(by, at)| by == actor.staff_id.0 && at.starts_with(&today));
    if !own_today {
        actor.require(Permission::CorrectAnyVisit)?;
    }
    let before = tx
        .query_row(
            &format!(
                "SELECT {VISIT_COLS} FROM visits v LEFT JOIN visitors p ON p.id = v.visitor_id
                 WHERE v.id = ?1 AND v.voided_at IS NULL"
            ),
            [visit.0],
            from_row,
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    let before = with_services(&tx, vec![before])?.remove(0);
    let lines: Vec<(i64, i64)> = before
        .services
        .iter()
        .map(|s| (s.service_type.0, s.provider.0))
        .collect();
    let new_lines: Vec<(i64, i64)> = corrected
        .services
        .iter()
        .map(|s| (s.service_type.0, s.provider.0))
        .collect();
    let changed = changed_fields([
        ("at", before.at != corrected.at),
        ("staff", before.staff != corrected.staff),
        ("language", before.language != corrected.language),
        ("interpreter", before.interpreter != corrected.interpreter),
        (
            "duration",
            before.duration_minutes != corrected.duration_minutes,
        ),
        ("notes", before.notes != corrected.notes),
        ("services", lines != new_lines),
    ]);
    if changed.is_empty() {
        return Ok(changed);
    }
    tx.prepare_cached(
        "UPDATE visits SET visited_at = :at, staff_id = :staff, language = :language,
             interpreter = :interpreter, duration_minutes = :duration, notes = :notes
         WHERE id = :id",
    )?
    .execute(named_params! {
        ":id": visit.0,
        ":at": format_stamp(corrected.at),
        ":staff": corrected.staff.0,
        ":language": corrected.language,
        ":interpreter": corrected.interpreter,
        ":duration": corrected.duration_minutes,
        ":notes": corrected.notes,
    })?;
    tx.execute(
        "DELETE FROM services_rendered WHERE visit_id = ?1",
        [visit.0],
    )?;
    write_services(&tx, visit.0, &corrected.services)?;
    audit::record_changes(
        &tx,
        actor,
        ("visits", visit.0),
        &changed,
        &format_stamp(now),
    )?;
    tx.commit()?;
    Ok(changed)
}

/// Logs a visit and its services in one transaction (durable: `synchronous = FULL`).
pub fn insert(db: &mut Database, actor: &Actor, visit: &NewVisit, now: &str) -> Result<VisitId> {
    insert_all(db, actor, std::slice::from_ref(visit), now)?
        .pop()
        .ok_or(Error::NotFound)
}

/// Logs several visits (a family seen together: one visit each) in one transaction: all are
/// stored or none.
pub fn insert_all(
    db: &mut Database,
    actor: &Actor,
    visits: &[NewVisit],
    now: &str,
) -> Result<Vec<VisitId>> {
    actor.require(Permission::LogVisits)?;
    // A partner logs only the services their own organisation gives.
    if !actor.sees_every_visit()
        && visits
            .iter()
            .flat_map(|v| &v.services)
            .any(|s| Some(s.provider) != actor.organisation)
    {
        return Err(Error::Forbidden(Permission::LogVisits));
    }
    let tx = db.conn.transaction()?;
    let mut ids = Vec::with_capacity(visits.len());
    for visit in visits {
        let id = insert_row(&tx, visit, now)?;
        audit::record(&tx, actor, audit::Action::Create, "visits", Some(id.0), now)?;
        ids.push(id);
    }
    tx.commit()?;
    Ok(ids)
}

/// Writes one visit with its services; the caller owns the transaction (also the demo's path).
pub(crate) fn insert_row(conn: &Connection, visit: &NewVisit, now: &str) -> Result<VisitId> {
    conn.prepare_cached(
        "INSERT INTO visits (visitor_id, visited_at, staff_id, language, interpreter,
             duration_minutes, notes, created_at)
         VALUES (:visitor, :at, :staff, :language, :interpreter, :duration, :notes, :now)",
    )?
    .execute(named_params! {
        ":visitor": visit.visitor.map(|v| v.0),
        ":at": format_stamp(visit.at),
        ":staff": visit.staff.0,
        ":language": visit.language,
        ":interpreter": visit.interpreter,
        ":duration": visit.duration_minutes,
        ":notes": visit.notes,
        ":now": now,
    })?;
    let id = conn.last_insert_rowid();
    write_services(conn, id, &visit.services)?;
    Ok(VisitId(id))
}

/// Writes the service lines of one visit; the caller owns the transaction.
fn write_services(conn: &Connection, visit: i64, lines: &[ServiceLine]) -> Result<()> {
    let mut service = conn.prepare_cached(
        "INSERT INTO services_rendered (visit_id, service_type_id, provider_id) VALUES (?1, ?2, ?3)",
    )?;
    for line in lines {
        service.execute((visit, line.service_type.0, line.provider.0))?;
    }
    Ok(())
}

fn with_services(conn: &Connection, mut visits: Vec<Visit>) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT service_type_id, provider_id FROM services_rendered WHERE visit_id = ?1 ORDER BY id",
    )?;
    for visit in &mut visits {
        visit.services = stmt
            .query_map([visit.id.0], |r| {
                Ok(VisitService {
                    service_type: ServiceTypeId(r.get(0)?),
                    provider: OrganisationId(r.get(1)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(visits)
}

/// Every visit of one visitor, newest first.
pub fn for_visitor(db: &Database, actor: &Actor, visitor: VisitorId) -> Result<Vec<Visit>> {
    actor.require(Permission::SeeIdentity)?;
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {VISIT_COLS} FROM visits v LEFT JOIN visitors p ON p.id = v.visitor_id
         WHERE v.visitor_id = ?1 ORDER BY v.visited_at DESC, v.id DESC"
    ))?;
    let visits = stmt
        .query_map([visitor.0], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(visible_to(actor, with_services(&db.conn, visits)?))
}

/// What of these visits the actor may see: everything, or for a partner only the visits with a
/// service of their own organisation, only those services, and no notes (which other
/// organisations' staff wrote).
fn visible_to(actor: &Actor, mut visits: Vec<Visit>) -> Vec<Visit> {
    if actor.sees_every_visit() {
        return visits;
    }
    let own = |s: &crate::domain::VisitService| Some(s.provider) == actor.organisation;
    visits.retain(|v| v.services.iter().any(own));
    for visit in &mut visits {
        visit.services.retain(own);
        visit.notes.clear();
    }
    visits
}

/// The visits of one day, in time order.
pub fn on_day(db: &Database, actor: &Actor, day: NaiveDate) -> Result<Vec<Visit>> {
    actor.require(Permission::SeeIdentity)?;
    let start = format_stamp(day.and_time(chrono::NaiveTime::MIN));
    let end = format_stamp(
        day.succ_opt()
            .unwrap_or(day)
            .and_time(chrono::NaiveTime::MIN),
    );
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {VISIT_COLS} FROM visits v LEFT JOIN visitors p ON p.id = v.visitor_id
         WHERE v.visited_at >= ?1 AND v.visited_at < ?2 AND v.voided_at IS NULL
         ORDER BY v.visited_at, v.id"
    ))?;
    let visits = stmt
        .query_map([start, end], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(visible_to(actor, with_services(&db.conn, visits)?))
}

/// The stamp a visit row gets as `created_at`.
pub fn stamp(now: NaiveDateTime) -> String {
    now.format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{catalogue, test_support::db_with_staff, visitors};
    use crate::domain::{ServiceLine, VisitDraft, VisitorDraft};

    #[test]
    fn visits_round_trip_with_services_and_first_is_derived() {
        let (mut db, actor) = db_with_staff();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let now = today.and_hms_opt(12, 0, 0).unwrap_or_default();
        let draft = VisitorDraft {
            given_name: "Olena".into(),
            ..Default::default()
        };
        let new = draft.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
        let visitor = visitors::insert(&mut db, &actor, &new, "2026-11-23T10:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let services = catalogue::service_types(&db).unwrap_or_default();
        let providers = crate::db::organisations::providers(&db).unwrap_or_default();
        assert_eq!(services.len(), 18);
        let lines: Vec<ServiceLine> = services[..2]
            .iter()
            .map(|s| ServiceLine {
                service_type: s.id,
                provider: providers[0].id,
            })
            .collect();
        let log = |db: &mut Database, time: &str, who: Option<VisitorId>| {
            let draft = VisitDraft {
                visitor: who,
                date: "23.11.2026".into(),
                time: time.into(),
                staff: Some(actor.staff_id),
                language: "uk".into(),
                interpreter: true,
                duration: "25".into(),
                services: lines.clone(),
                notes: "needs a GP".into(),
            };
            let visit = draft.validate(now).unwrap_or_else(|e| panic!("{e:?}"));
            insert(db, &actor, &visit, &stamp(now)).unwrap_or_else(|e| panic!("{e}"))
        };
        let second = log(&mut db, "11:00", Some(visitor.id));
        let first = log(&mut db, "09:30", Some(visitor.id));
        log(&mut db, "10:00", None);
        let history = for_visitor(&db, &actor, visitor.id).unwrap_or_default();
        assert_eq!(
            history.iter().map(|v| (v.id, v.first)).collect::<Vec<_>>(),
            [(second, false), (first, true)]
        );
        assert_eq!(history[0].services.len(), 2);
        assert_eq!(history[0].duration_minutes, Some(25));
        assert!(history[0].interpreter);
        assert_eq!(history[0].notes, "needs a GP");
        let day = on_day(&db, &actor, today).unwrap_or_default();
        assert_eq!(day.len(), 3);
        assert_eq!(day[1].visitor, None);
        assert_eq!(day[0].visitor_code.as_deref(), Some("B-000001"));
    }
}
