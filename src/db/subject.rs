//! Subject access: everything the bureau holds about one person — identity, consents with their
//! days, every visit with its services and providers, referrals, accompaniments, who at the
//! bureau recorded each (first names), and the audit entries about them.

use rusqlite::{Connection, OptionalExtension};

use super::{Database, Result, audit};
use crate::domain::access::Permission;
use crate::domain::subject::{
    AccompanimentItem, AuditItem, ConsentItem, HouseholdLink, Identity, ReferralItem, ServiceItem,
    SubjectRecord, VisitItem,
};
use crate::domain::{Actor, VisitorId};

/// Everything about one person (not an erased one). The writer of the copy records it in the
/// audit trail once it is written (`given`).
pub fn gather(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
    now: &str,
) -> Result<SubjectRecord> {
    actor.require(Permission::SubjectAccess)?;
    let conn = &db.conn;
    // Asked by the code of a second registration merged into a record: the whole person.
    let visitor = conn
        .prepare_cached("SELECT coalesce(merged_into, id) FROM visitors WHERE id = ?1")?
        .query_row([visitor.0], |r| r.get(0))
        .map(VisitorId)?;
    let identity = identity_of(conn, visitor)?;
    let aliases: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM visitors WHERE merged_into = ?1 AND erased_at IS NULL ORDER BY id",
        )?
        .query_map([visitor.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let also_registered_as = aliases
        .into_iter()
        .map(|alias| identity_of(conn, VisitorId(alias)))
        .collect::<Result<Vec<_>>>()?;
    // The trail about each second registration is about the person too.
    let mut trail = audit_items(conn, &identity.code)?;
    for alias in &also_registered_as {
        trail.extend(audit_items(conn, &alias.code)?);
    }
    trail.sort_by(|a, b| a.at.cmp(&b.at));
    let record = SubjectRecord {
        produced_at: now.to_owned(),
        bureau: (
            super::settings::get(db, super::settings::BUREAU_NAME_BG)?.unwrap_or_default(),
            super::settings::get(db, super::settings::BUREAU_NAME_EN)?.unwrap_or_default(),
        ),
        consents: consents(conn, visitor)?,
        visits: visits(conn, visitor)?,
        referrals: referrals(conn, visitor)?,
        accompaniments: accompaniments(conn, visitor)?,
        audit: trail,
        identity,
        also_registered_as,
    };
    Ok(record)
}

/// Records in the audit trail that the person was given a copy (`format`: `pdf` or `json`).
pub fn given(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
    format: &str,
    now: &str,
) -> Result<()> {
    actor.require(Permission::SubjectAccess)?;
    audit::record_with_detail(
        &db.conn,
        actor,
        audit::Action::SubjectAccess,
        ("visitors", Some(visitor.0)),
        format,
        now,
    )
}

/// A staff member's first name: the first word of their display name.
const FIRST_NAME: &str = "CASE WHEN instr(trim(s.display_name), ' ') > 0
     THEN substr(trim(s.display_name), 1, instr(trim(s.display_name), ' ') - 1)
     ELSE trim(s.display_name) END";

fn identity_of(conn: &Connection, visitor: VisitorId) -> Result<Identity> {
    let mut identity = conn.query_row(
        &format!(
            "SELECT p.code, p.given_name, p.family_name, p.given_name_latin, p.family_name_latin,
                    p.sex, coalesce(p.birth_date, CAST(p.birth_year AS TEXT), p.birth_answer),
                    p.country_of_origin, p.nationality, p.legal_status, p.preferred_language,
                    CASE WHEN p.phone_answer = 'given' THEN p.phone ELSE p.phone_answer END,
                    p.created_at, {FIRST_NAME}
             FROM visitors p JOIN staff s ON s.id = p.created_by
             WHERE p.id = ?1 AND p.erased_at IS NULL"
        ),
        [visitor.0],
        |r| {
            Ok(Identity {
                code: r.get(0)?,
                given_name: r.get(1)?,
                family_name: r.get(2)?,
                given_name_latin: r.get(3)?,
                family_name_latin: r.get(4)?,
                sex: r.get(5)?,
                birth: r.get(6)?,
                country_of_origin: r.get(7)?,
                nationality: r.get(8)?,
                legal_status: r.get(9)?,
                preferred_language: r.get(10)?,
                languages: Vec::new(),
                phone: r.get(11)?,
                registered_at: r.get(12)?,
                registered_by: r.get(13)?,
                household: None,
            })
        },
    )?;
    identity.languages = conn
        .prepare_cached(
            "SELECT language FROM visitor_languages WHERE visitor_id = ?1 ORDER BY language",
        )?
        .query_map([visitor.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    identity.household = conn
        .query_row(
            "SELECT p.household_role, (SELECT count(*) FROM visitors m
                 WHERE m.household_id = p.household_id AND m.id != p.id
                   AND m.erased_at IS NULL AND m.merged_into IS NULL)
             FROM visitors p WHERE p.id = ?1 AND p.household_id IS NOT NULL",
            [visitor.0],
            |r| {
                Ok(HouseholdLink {
                    relation: r.get(0)?,
                    others: r.get::<_, i64>(1)?.unsigned_abs(),
                })
            },
        )
        .optional()?;
    Ok(identity)
}

fn consents(conn: &Connection, visitor: VisitorId) -> Result<Vec<ConsentItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.scope, c.given, c.dated, {FIRST_NAME} FROM consents c
         JOIN staff s ON s.id = c.recorded_by WHERE c.visitor_id = ?1 ORDER BY c.dated, c.id"
    ))?;
    let rows = stmt
        .query_map([visitor.0], |r| {
            Ok(ConsentItem {
                scope: r.get(0)?,
                given: r.get(1)?,
                dated: r.get(2)?,
                recorded_by: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn visits(conn: &Connection, visitor: VisitorId) -> Result<Vec<VisitItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT v.id, v.visited_at, v.language, v.interpreter, v.duration_minutes, v.notes,
                {FIRST_NAME}, CASE WHEN v.voided_at IS NOT NULL THEN v.void_reason END
         FROM visits v JOIN staff s ON s.id = v.staff_id
         WHERE v.visitor_id = ?1 ORDER BY v.visited_at, v.id"
    ))?;
    let rows: Vec<(i64, VisitItem)> = stmt
        .query_map([visitor.0], |r| {
            Ok((
                r.get(0)?,
                VisitItem {
                    at: r.get(1)?,
                    language: r.get(2)?,
                    interpreter: r.get(3)?,
                    duration_minutes: r.get(4)?,
                    services: Vec::new(),
                    notes: r.get(5)?,
                    recorded_by: r.get(6)?,
                    voided: r.get(7)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut services = conn.prepare_cached(
        "SELECT t.code, o.name_bg, o.name_en FROM services_rendered r
         JOIN service_types t ON t.id = r.service_type_id
         JOIN organisations o ON o.id = r.provider_id
         WHERE r.visit_id = ?1 ORDER BY r.id",
    )?;
    let mut visits = Vec::with_capacity(rows.len());
    for (id, mut visit) in rows {
        visit.services = services
            .query_map([id], |r| {
                Ok(ServiceItem {
                    service: r.get(0)?,
                    provider: (r.get(1)?, r.get(2)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        visits.push(visit);
    }
    Ok(visits)
}

fn referrals(conn: &Connection, visitor: VisitorId) -> Result<Vec<ReferralItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.reference, r.issued_at, o.name_bg, o.name_en, t.code, r.reason,
                r.appointment_at, r.status, {FIRST_NAME}
         FROM referrals r JOIN visits v ON v.id = r.visit_id
         JOIN organisations o ON o.id = r.organisation_id
         JOIN service_types t ON t.id = r.service_type_id
         JOIN staff s ON s.id = r.issued_by
         WHERE v.visitor_id = ?1 ORDER BY r.issued_at, r.id"
    ))?;
    let rows = stmt
        .query_map([visitor.0], |r| {
            Ok(ReferralItem {
                reference: r.get(0)?,
                issued_at: r.get(1)?,
                organisation: (r.get(2)?, r.get(3)?),
                service: r.get(4)?,
                reason: r.get(5)?,
                appointment_at: r.get(6)?,
                status: r.get(7)?,
                recorded_by: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn accompaniments(conn: &Connection, visitor: VisitorId) -> Result<Vec<AccompanimentItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.reference, a.scheduled_at, o.name_bg, o.name_en, a.purpose, a.meeting_point,
                a.status, a.outcome_note, {FIRST_NAME}
         FROM accompaniments a JOIN visits v ON v.id = a.visit_id
         JOIN organisations o ON o.id = a.organisation_id
         JOIN staff s ON s.id = a.booked_by
         WHERE v.visitor_id = ?1 ORDER BY a.scheduled_at, a.id"
    ))?;
    let rows = stmt
        .query_map([visitor.0], |r| {
            Ok(AccompanimentItem {
                reference: r.get(0)?,
                scheduled_at: r.get(1)?,
                organisation: (r.get(2)?, r.get(3)?),
                purpose: r.get(4)?,
                meeting_point: r.get(5)?,
                status: r.get(6)?,
                outcome_note: r.get(7)?,
                recorded_by: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The audit entries about the person's card, visits, referrals and accompaniments.
fn audit_items(conn: &Connection, code: &str) -> Result<Vec<AuditItem>> {
    let filter = audit::Filter {
        visitor_code: Some(code.to_owned()),
        ..audit::Filter::default()
    };
    let names: std::collections::HashMap<i64, String> = conn
        .prepare_cached("SELECT id, display_name FROM staff")?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut items: Vec<AuditItem> = audit::selected(conn, &filter, usize::MAX >> 1)?
        .into_iter()
        .map(|e| AuditItem {
            staff: e
                .staff_id
                .and_then(|id| names.get(&id))
                .and_then(|n| n.split_whitespace().next())
                .unwrap_or_default()
                .to_owned(),
            at: e.at,
            action: e.action,
            entity: e.entity,
        })
        .collect();
    items.reverse();
    Ok(items)
}
