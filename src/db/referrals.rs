//! Referrals and accompaniments: booking, outcomes, and the lists the desk shows.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use super::{Database, Error, Result, audit, organisations, settings};
use crate::domain::access::Permission;
use crate::domain::referrals::{
    Accompaniment, AccompanimentId, AccompanimentStatus, NewAccompaniment, NewReferral, Referral,
    ReferralId, ReferralStatus, accompaniment_reference, referral_reference,
};
use crate::domain::slips::{Place, SlipData, SlipKind};
use crate::domain::{
    Actor, OrganisationId, ServiceTypeId, StaffId, VisitId, VisitorId, changed_fields,
    format_stamp, parse_stamp,
};

const REFERRAL_COLS: &str = "r.id, r.reference, r.visit_id, v.visitor_id, p.code, r.organisation_id, \
     r.service_type_id, r.reason, r.appointment_at, r.follow_up_on, r.shares_details, r.status, \
     r.status_changed_at, r.status_changed_by, r.issued_by, r.issued_at, r.for_household";

const ACCOMPANIMENT_COLS: &str = "a.id, a.reference, a.visit_id, v.visitor_id, p.code, \
     a.organisation_id, a.purpose, a.scheduled_at, a.meeting_point, a.escort_staff_id, \
     a.interpreter_language, a.status, a.outcome_note, a.booked_by, a.booked_at";

fn stamp_of(row: &Row<'_>, column: &str) -> rusqlite::Result<Option<chrono::NaiveDateTime>> {
    Ok(row
        .get::<_, Option<String>>(column)?
        .and_then(|s| parse_stamp(&s)))
}

fn referral_from_row(row: &Row<'_>) -> rusqlite::Result<Referral> {
    let status: String = row.get("status")?;
    Ok(Referral {
        id: ReferralId(row.get("id")?),
        reference: row.get("reference")?,
        visit: VisitId(row.get("visit_id")?),
        visitor: row.get::<_, Option<i64>>("visitor_id")?.map(VisitorId),
        visitor_code: row.get("code")?,
        organisation: OrganisationId(row.get("organisation_id")?),
        service_type: ServiceTypeId(row.get("service_type_id")?),
        reason: row.get("reason")?,
        appointment_at: stamp_of(row, "appointment_at")?,
        follow_up_on: row
            .get::<_, Option<String>>("follow_up_on")?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        shares_details: row.get("shares_details")?,
        status: ReferralStatus::from_code(&status).unwrap_or(ReferralStatus::Issued),
        status_changed_at: stamp_of(row, "status_changed_at")?,
        status_changed_by: row.get::<_, Option<i64>>("status_changed_by")?.map(StaffId),
        issued_by: StaffId(row.get("issued_by")?),
        issued_at: stamp_of(row, "issued_at")?.unwrap_or_default(),
        for_household: row.get("for_household")?,
    })
}

fn accompaniment_from_row(row: &Row<'_>) -> rusqlite::Result<Accompaniment> {
    let status: String = row.get("status")?;
    Ok(Accompaniment {
        id: AccompanimentId(row.get("id")?),
        reference: row.get("reference")?,
        visit: VisitId(row.get("visit_id")?),
        visitor: row.get::<_, Option<i64>>("visitor_id")?.map(VisitorId),
        visitor_code: row.get("code")?,
        organisation: OrganisationId(row.get("organisation_id")?),
        purpose: row.get("purpose")?,
        scheduled_at: stamp_of(row, "scheduled_at")?.unwrap_or_default(),
        meeting_point: row.get("meeting_point")?,
        escort: row.get::<_, Option<i64>>("escort_staff_id")?.map(StaffId),
        interpreter_language: row.get("interpreter_language")?,
        status: AccompanimentStatus::from_code(&status).unwrap_or(AccompanimentStatus::Planned),
        outcome_note: row.get("outcome_note")?,
        booked_by: StaffId(row.get("booked_by")?),
        booked_at: stamp_of(row, "booked_at")?.unwrap_or_default(),
    })
}

/// Whether the visitor of a visit has consented to share their details with referrals.
fn visit_allows_sharing(conn: &Connection, visit: VisitId) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM visits v JOIN consents_in_force c ON c.visitor_id = v.visitor_id
             WHERE v.id = ?1 AND c.scope = 'share_with_referrals'",
        )?
        .query_row([visit.0], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Issues a referral in one transaction; whether details may be shared is taken from the
/// visitor's consent on record at this moment.
pub fn insert_referral(
    db: &mut Database,
    actor: &Actor,
    referral: &NewReferral,
    now: chrono::NaiveDateTime,
) -> Result<ReferralId> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let id = write_referral(&tx, actor.staff_id, referral, now)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Create,
        "referrals",
        Some(id.0),
        &format_stamp(now),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Writes one referral; the caller owns the transaction (also the demo's path).
pub(crate) fn write_referral(
    conn: &Connection,
    issued_by: StaffId,
    r: &NewReferral,
    now: chrono::NaiveDateTime,
) -> Result<ReferralId> {
    let id: i64 = conn.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM referrals",
        [],
        |row| row.get(0),
    )?;
    let shares = visit_allows_sharing(conn, r.visit)?;
    conn.prepare_cached(
        "INSERT INTO referrals (id, reference, visit_id, organisation_id, service_type_id, reason,
             appointment_at, follow_up_on, shares_details, issued_by, issued_at, for_household)
         VALUES (:id, :reference, :visit, :organisation, :service, :reason, :appointment,
             :follow_up, :shares, :staff, :now, :for_household)",
    )?
    .execute(named_params! {
        ":id": id,
        ":reference": referral_reference(now.year(), id),
        ":visit": r.visit.0,
        ":organisation": r.organisation.0,
        ":service": r.service_type.0,
        ":reason": r.reason,
        ":appointment": r.appointment_at.map(format_stamp),
        ":follow_up": r.follow_up_on.to_string(),
        ":shares": shares,
        ":staff": issued_by.0,
        ":now": format_stamp(now),
        ":for_household": r.for_household,
    })?;
    Ok(ReferralId(id))
}

fn referrals_where(
    db: &Database,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Referral>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {REFERRAL_COLS} FROM referrals r JOIN visits v ON v.id = r.visit_id
         LEFT JOIN visitors p ON p.id = v.visitor_id {filter}"
    ))?;
    let rows = stmt
        .query_map(params, referral_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One referral.
pub fn find_referral(db: &Database, actor: &Actor, id: ReferralId) -> Result<Referral> {
    actor.require(Permission::Refer)?;
    referrals_where(db, "WHERE r.id = ?1", &[&id.0])?
        .pop()
        .ok_or(Error::NotFound)
}

/// A visitor's referrals, newest first.
pub fn referrals_for_visitor(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
) -> Result<Vec<Referral>> {
    actor.require(Permission::Refer)?;
    referrals_where(
        db,
        "WHERE v.visitor_id = ?1 ORDER BY r.issued_at DESC, r.id DESC",
        &[&visitor.0],
    )
}

/// Issued referrals whose follow-up date has come, oldest first.
pub fn referrals_to_follow_up(
    db: &Database,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<Referral>> {
    actor.require(Permission::Refer)?;
    referrals_where(
        db,
        "WHERE r.status = 'issued' AND r.follow_up_on <= ?1 ORDER BY r.follow_up_on, r.id",
        &[&today.to_string()],
    )
}

/// Writes a referral's outcome, who and when; the caller owns the transaction.
pub(crate) fn write_referral_status(
    conn: &Connection,
    id: ReferralId,
    status: ReferralStatus,
    by: StaffId,
    at: chrono::NaiveDateTime,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE referrals SET status = ?1, status_changed_at = ?2, status_changed_by = ?3 WHERE id = ?4",
        (status.code(), format_stamp(at), by.0, id.0),
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Records a referral's outcome, with who and when; returns the status it replaced (for an
/// undo). A no-show is refused before the appointment's time.
pub fn set_referral_status(
    db: &mut Database,
    actor: &Actor,
    id: ReferralId,
    status: ReferralStatus,
    now: chrono::NaiveDateTime,
) -> Result<ReferralStatus> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let (previous, appointment): (String, Option<String>) = tx.query_row(
        "SELECT status, appointment_at FROM referrals WHERE id = ?1",
        [id.0],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let not_yet = appointment
        .as_deref()
        .and_then(crate::domain::parse_stamp)
        .is_some_and(|at| at > now);
    if status == ReferralStatus::NotAttended && not_yet {
        return Err(Error::TooEarly);
    }
    write_referral_status(&tx, id, status, actor.staff_id, now)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        "referrals",
        Some(id.0),
        &format_stamp(now),
    )?;
    tx.commit()?;
    Ok(ReferralStatus::from_code(&previous).unwrap_or(ReferralStatus::Issued))
}

/// What correcting a referral did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralCorrection {
    /// Nothing differed; nothing was written.
    Unchanged,
    /// Its slip was never printed: corrected in place (these fields).
    Corrected(Vec<&'static str>),
    /// Its slip was printed: the printed one is cancelled and this referral, with a reference
    /// of its own, carries the corrected details (a slip in someone's hand never changes).
    Reissued(ReferralId),
}

/// Corrects an issued referral's destination, service, reason, appointment and follow-up
/// day. Until its slip is printed it is corrected in place; after, it is cancelled and
/// reissued under a new reference. One that has an outcome already is not corrected. The
/// trail names the fields changed (or the two references), never their values.
pub fn correct_referral(
    db: &mut Database,
    actor: &Actor,
    id: ReferralId,
    corrected: &NewReferral,
    now: chrono::NaiveDateTime,
) -> Result<ReferralCorrection> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let before = tx
        .query_row(
            &format!(
                "SELECT {REFERRAL_COLS} FROM referrals r JOIN visits v ON v.id = r.visit_id
                 LEFT JOIN visitors p ON p.id = v.visitor_id WHERE r.id = ?1 AND r.status = 'issued'"
            ),
            [id.0],
            referral_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    let changed = changed_fields([
        (
            "organisation",
            before.organisation != corrected.organisation,
        ),
        (
            "service_type",
            before.service_type != corrected.service_type,
        ),
        ("reason", before.reason != corrected.reason),
        (
            "for_household",
            before.for_household != corrected.for_household,
        ),
        (
            "appointment",
            before.appointment_at != corrected.appointment_at,
        ),
        (
            "follow_up",
            before.follow_up_on != Some(corrected.follow_up_on),
        ),
    ]);
    if changed.is_empty() {
        return Ok(ReferralCorrection::Unchanged);
    }
    let at = format_stamp(now);
    let done = if slip_printed(&tx, "referrals", id.0)? {
        write_referral_status(&tx, id, ReferralStatus::Cancelled, actor.staff_id, now)?;
        let renewed = NewReferral {
            visit: before.visit,
            ..corrected.clone()
        };
        let new = write_referral(&tx, actor.staff_id, &renewed, now)?;
        tx.execute(
            "UPDATE referrals SET reissued_as = ?2 WHERE id = ?1",
            (id.0, new.0),
        )?;
        record_reissue(
            &tx,
            actor,
            "referrals",
            (id.0, &before.reference),
            new.0,
            &changed,
            &at,
        )?;
        ReferralCorrection::Reissued(new)
    } else {
        tx.prepare_cached(
            "UPDATE referrals SET organisation_id = :organisation, service_type_id = :service,
                 reason = :reason, appointment_at = :appointment, follow_up_on = :follow_up,
                 for_household = :for_household
             WHERE id = :id",
        )?
        .execute(named_params! {
            ":id": id.0,
            ":organisation": corrected.organisation.0,
            ":service": corrected.service_type.0,
            ":reason": corrected.reason,
            ":appointment": corrected.appointment_at.map(format_stamp),
            ":follow_up": corrected.follow_up_on.to_string(),
            ":for_household": corrected.for_household,
        })?;
        audit::record_changes(&tx, actor, ("referrals", id.0), &changed, &at)?;
        ReferralCorrection::Corrected(changed)
    };
    tx.commit()?;
    Ok(done)
}

/// Whether the slip of this referral or accompaniment (`entity`) was ever printed or saved.
fn slip_printed(conn: &Connection, entity: &str, id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_log
             WHERE action = 'print' AND entity = ?1 AND entity_id = ?2)",
        (entity, id),
        |r| r.get(0),
    )?)
}

/// The two trail entries of a reissue: the printed one is reissued as the new reference, the
/// new one is a reissue of the old with these fields changed.
fn record_reissue(
    tx: &Connection,
    actor: &Actor,
    entity: &str,
    (old, old_reference): (i64, &str),
    new: i64,
    changed: &[&str],
    at: &str,
) -> Result<()> {
    let reference: String = tx.query_row(
        &format!("SELECT reference FROM {entity} WHERE id = ?1"),
        [new],
        |r| r.get(0),
    )?;
    audit::record_with_detail(
        tx,
        actor,
        audit::Action::Update,
        (entity, Some(old)),
        &format!("reissued as {reference}"),
        at,
    )?;
    audit::record_with_detail(
        tx,
        actor,
        audit::Action::Create,
        (entity, Some(new)),
        &format!("reissue of {old_reference} fields={}", changed.join(",")),
        at,
    )
}

/// What correcting an accompaniment did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccompanimentCorrection {
    /// Nothing differed; nothing was written.
    Unchanged,
    /// Its confirmation was never printed: corrected in place (these fields).
    Corrected(Vec<&'static str>),
    /// Its confirmation was printed: that one is cancelled and this one carries the correction.
    Reissued(AccompanimentId),
}

/// Corrects a planned accompaniment's institution, purpose, time, meeting point, escort and
/// interpreter: in place until its confirmation is printed, cancelled and booked again under a
/// new reference after. One with an outcome already is not corrected.
pub fn correct_accompaniment(
    db: &mut Database,
    actor: &Actor,
    id: AccompanimentId,
    corrected: &NewAccompaniment,
    now: chrono::NaiveDateTime,
) -> Result<AccompanimentCorrection> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let before = tx
        .query_row(
            &format!(
                "SELECT {ACCOMPANIMENT_COLS} FROM accompaniments a JOIN visits v ON v.id = a.visit_id
                 LEFT JOIN visitors p ON p.id = v.visitor_id WHERE a.id = ?1 AND a.status = 'planned'"
            ),
            [id.0],
            accompaniment_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    let changed = changed_fields([
        (
            "organisation",
            before.organisation != corrected.organisation,
        ),
        ("purpose", before.purpose != corrected.purpose),
        (
            "scheduled_at",
            before.scheduled_at != corrected.scheduled_at,
        ),
        (
            "meeting_point",
            before.meeting_point != corrected.meeting_point,
        ),
        ("escort", before.escort != corrected.escort),
        (
            "interpreter_language",
            before.interpreter_language != corrected.interpreter_language,
        ),
    ]);
    if changed.is_empty() {
        return Ok(AccompanimentCorrection::Unchanged);
    }
    let at = format_stamp(now);
    let done = if slip_printed(&tx, "accompaniments", id.0)? {
        write_accompaniment_status(
            &tx,
            id,
            AccompanimentStatus::Cancelled,
            "",
            actor.staff_id,
            now,
        )?;
        let renewed = NewAccompaniment {
            visit: before.visit,
            ..corrected.clone()
        };
        let new = write_accompaniment(&tx, actor.staff_id, &renewed, now)?;
        tx.execute(
            "UPDATE accompaniments SET reissued_as = ?2 WHERE id = ?1",
            (id.0, new.0),
        )?;
        record_reissue(
            &tx,
            actor,
            "accompaniments",
            (id.0, &before.reference),
            new.0,
            &changed,
            &at,
        )?;
        AccompanimentCorrection::Reissued(new)
    } else {
        tx.prepare_cached(
            "UPDATE accompaniments SET organisation_id = :organisation, purpose = :purpose,
                 scheduled_at = :at, meeting_point = :meeting, escort_staff_id = :escort,
                 interpreter_language = :language
             WHERE id = :id",
        )?
        .execute(named_params! {
            ":id": id.0,
            ":organisation": corrected.organisation.0,
            ":purpose": corrected.purpose,
            ":at": format_stamp(corrected.scheduled_at),
            ":meeting": corrected.meeting_point,
            ":escort": corrected.escort.map(|s| s.0),
            ":language": corrected.interpreter_language,
        })?;
        audit::record_changes(&tx, actor, ("accompaniments", id.0), &changed, &at)?;
        AccompanimentCorrection::Corrected(changed)
    };
    tx.commit()?;
    Ok(done)
}

/// Books an accompaniment in one transaction.
pub fn insert_accompaniment(
    db: &mut Database,
    actor: &Actor,
    a: &NewAccompaniment,
    now: chrono::NaiveDateTime,
) -> Result<AccompanimentId> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let id = write_accompaniment(&tx, actor.staff_id, a, now)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Create,
        "accompaniments",
        Some(id.0),
        &format_stamp(now),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Writes one accompaniment; the caller owns the transaction (also the demo's path).
pub(crate) fn write_accompaniment(
    conn: &Connection,
    booked_by: StaffId,
    a: &NewAccompaniment,
    now: chrono::NaiveDateTime,
) -> Result<AccompanimentId> {
    let id: i64 = conn.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM accompaniments",
        [],
        |row| row.get(0),
    )?;
    conn.prepare_cached(
        "INSERT INTO accompaniments (id, reference, visit_id, organisation_id, purpose, scheduled_at,
             meeting_point, escort_staff_id, interpreter_language, booked_by, booked_at)
         VALUES (:id, :reference, :visit, :organisation, :purpose, :at, :meeting, :escort,
             :language, :staff, :now)",
    )?
    .execute(named_params! {
        ":id": id,
        ":reference": accompaniment_reference(now.year(), id),
        ":visit": a.visit.0,
        ":organisation": a.organisation.0,
        ":purpose": a.purpose,
        ":at": format_stamp(a.scheduled_at),
        ":meeting": a.meeting_point,
        ":escort": a.escort.map(|s| s.0),
        ":language": a.interpreter_language,
        ":staff": booked_by.0,
        ":now": format_stamp(now),
    })?;
    Ok(AccompanimentId(id))
}

fn accompaniments_where(
    db: &Database,
    filter: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Accompaniment>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {ACCOMPANIMENT_COLS} FROM accompaniments a JOIN visits v ON v.id = a.visit_id
         LEFT JOIN visitors p ON p.id = v.visitor_id {filter}"
    ))?;
    let rows = stmt
        .query_map(params, accompaniment_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One accompaniment.
pub fn find_accompaniment(
    db: &Database,
    actor: &Actor,
    id: AccompanimentId,
) -> Result<Accompaniment> {
    actor.require(Permission::Refer)?;
    accompaniments_where(db, "WHERE a.id = ?1", &[&id.0])?
        .pop()
        .ok_or(Error::NotFound)
}

/// Accompaniments scheduled from `from` up to (not including) `until`, in time order.
pub fn accompaniments_between(
    db: &Database,
    actor: &Actor,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<Accompaniment>> {
    actor.require(Permission::Refer)?;
    accompaniments_where(
        db,
        "WHERE a.scheduled_at >= ?1 AND a.scheduled_at < ?2 ORDER BY a.scheduled_at, a.id",
        &[&from.to_string(), &until.to_string()],
    )
}

/// A visitor's accompaniments, newest first.
pub fn accompaniments_for_visitor(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
) -> Result<Vec<Accompaniment>> {
    actor.require(Permission::Refer)?;
    accompaniments_where(
        db,
        "WHERE v.visitor_id = ?1 ORDER BY a.scheduled_at DESC, a.id DESC",
        &[&visitor.0],
    )
}

/// Writes an accompaniment's outcome, note, who and when; the caller owns the transaction.
pub(crate) fn write_accompaniment_status(
    conn: &Connection,
    id: AccompanimentId,
    status: AccompanimentStatus,
    note: &str,
    by: StaffId,
    at: chrono::NaiveDateTime,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE accompaniments SET status = ?1, outcome_note = ?2, status_changed_at = ?3,
             status_changed_by = ?4 WHERE id = ?5",
        (status.code(), note, format_stamp(at), by.0, id.0),
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Records an accompaniment's outcome and note; returns the status and note it replaced (for
/// an undo). A no-show is refused before the meeting's time.
pub fn set_accompaniment_status(
    db: &mut Database,
    actor: &Actor,
    id: AccompanimentId,
    status: AccompanimentStatus,
    note: &str,
    now: chrono::NaiveDateTime,
) -> Result<(AccompanimentStatus, String)> {
    actor.require(Permission::Refer)?;
    let tx = db.conn.transaction()?;
    let (previous, previous_note, scheduled): (String, String, String) = tx.query_row(
        "SELECT status, outcome_note, scheduled_at FROM accompaniments WHERE id = ?1",
        [id.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let not_yet = crate::domain::parse_stamp(&scheduled).is_some_and(|at| at > now);
    if status == AccompanimentStatus::NoShow && not_yet {
        return Err(Error::TooEarly);
    }
    write_accompaniment_status(&tx, id, status, note, actor.staff_id, now)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Update,
        "accompaniments",
        Some(id.0),
        &format_stamp(now),
    )?;
    tx.commit()?;
    let previous =
        AccompanimentStatus::from_code(&previous).unwrap_or(AccompanimentStatus::Planned);
    Ok((previous, previous_note))
}

/// What a slip shows of the visitor of a visit: code, given name and preferred language.
fn slip_visitor(conn: &Connection, visit: VisitId) -> Result<(String, String, Option<String>)> {
    let row = conn
        .prepare_cached(
            "SELECT p.code, p.given_name, p.preferred_language FROM visits v
             LEFT JOIN visitors p ON p.id = v.visitor_id WHERE v.id = ?1",
        )?
        .query_row([visit.0], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
    let language = row.2.filter(|l| l.len() == 2);
    Ok((
        row.0.unwrap_or_else(|| "—".to_owned()),
        row.1.unwrap_or_default(),
        language,
    ))
}

fn place(org: &crate::domain::Organisation) -> Place {
    let d = &org.details;
    Place {
        name_bg: d.name_bg.clone(),
        name_en: d.name_en.clone(),
        address_bg: d.address_bg.clone(),
        address_en: d.address_en.clone(),
        hours_bg: d.hours_bg.clone(),
        hours_en: d.hours_en.clone(),
        phone: d.phone.clone(),
    }
}

fn service(db: &Database, id: ServiceTypeId) -> Result<(String, String, String)> {
    Ok(db.conn.query_row(
        "SELECT code, name_bg, name_en FROM service_types WHERE id = ?1",
        [id.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

fn staff_name(db: &Database, id: StaffId) -> Result<String> {
    Ok(db.conn.query_row(
        "SELECT display_name FROM staff WHERE id = ?1",
        [id.0],
        |r| r.get(0),
    )?)
}

/// Everything a referral slip prints, and a note in the audit trail that it was printed.
/// The given name is on it only if the visitor consented to share their details.
pub fn referral_slip(
    db: &mut Database,
    actor: &Actor,
    id: ReferralId,
    now: chrono::NaiveDateTime,
) -> Result<SlipData> {
    actor.require(Permission::Refer)?;
    let referral = find_referral(db, actor, id)?;
    let (code, given_name, language) = slip_visitor(&db.conn, referral.visit)?;
    let (service_code, name_bg, name_en) = service(db, referral.service_type)?;
    let slip = SlipData {
        kind: SlipKind::Referral {
            reason: referral.reason.clone(),
            appointment: referral.appointment_at,
            family: if referral.for_household {
                family_codes(&db.conn, referral.visit)?
            } else {
                Vec::new()
            },
        },
        reference: referral.reference.clone(),
        issued_on: referral.issued_at.date(),
        issued_by: staff_name(db, referral.issued_by)?,
        bureau: settings::bureau(db)?,
        visitor_code: code,
        // Shared only if it was agreed when the referral was issued and is not withdrawn since.
        visitor_given_name: (referral.shares_details
            && visit_allows_sharing(&db.conn, referral.visit)?)
        .then_some(given_name)
        .filter(|n| !n.is_empty()),
        destination: place(&organisations::find(db, referral.organisation)?),
        service_code,
        service_names: (name_bg, name_en),
        preferred_language: language,
    };
    audit::record(
        &db.conn,
        actor,
        audit::Action::Print,
        "referrals",
        Some(id.0),
        &format_stamp(now),
    )?;
    Ok(slip)
}

/// The codes of the other current members of the household of the visit's visitor.
fn family_codes(conn: &Connection, visit: VisitId) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.code FROM visits v JOIN visitors p ON p.id = v.visitor_id
         JOIN visitors m ON m.household_id = p.household_id AND m.id != p.id
         WHERE v.id = ?1 AND m.erased_at IS NULL AND m.merged_into IS NULL ORDER BY m.code",
    )?;
    Ok(stmt
        .query_map([visit.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Everything an accompaniment confirmation prints, and a note in the audit trail.
pub fn accompaniment_slip(
    db: &mut Database,
    actor: &Actor,
    id: AccompanimentId,
    now: chrono::NaiveDateTime,
) -> Result<SlipData> {
    actor.require(Permission::Refer)?;
    let booked = find_accompaniment(db, actor, id)?;
    let (code, given_name, language) = slip_visitor(&db.conn, booked.visit)?;
    let service_id: i64 = db.conn.query_row(
        "SELECT id FROM service_types WHERE code = 'accompaniment'",
        [],
        |r| r.get(0),
    )?;
    let (service_code, name_bg, name_en) = service(db, ServiceTypeId(service_id))?;
    let shares = visit_allows_sharing(&db.conn, booked.visit)?;
    let escort = booked.escort.map(|s| staff_name(db, s)).transpose()?;
    let slip = SlipData {
        kind: SlipKind::Accompaniment {
            purpose: booked.purpose.clone(),
            meeting_at: booked.scheduled_at,
            meeting_point: booked.meeting_point.clone(),
            escort,
            interpreter_language: booked.interpreter_language.clone(),
        },
        reference: booked.reference.clone(),
        issued_on: booked.booked_at.date(),
        issued_by: staff_name(db, booked.booked_by)?,
        bureau: settings::bureau(db)?,
        visitor_code: code,
        visitor_given_name: shares.then_some(given_name).filter(|n| !n.is_empty()),
        destination: place(&organisations::find(db, booked.organisation)?),
        service_code,
        service_names: (name_bg, name_en),
        preferred_language: language,
    };
    audit::record(
        &db.conn,
        actor,
        audit::Action::Print,
        "accompaniments",
        Some(id.0),
        &format_stamp(now),
    )?;
    Ok(slip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_support::db_with_staff;
    use crate::db::{visitors, visits};
    use crate::domain::referrals::{AccompanimentDraft, ReferralDraft};
    use crate::domain::{ConsentScope, ServiceLine, VisitDraft, VisitorDraft};

    fn at(day: u32, hour: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .unwrap_or_default()
    }

    /// A visitor (with or without consent to share) and a visit of theirs.
    fn visit(db: &mut Database, actor: &Actor, share: bool) -> (VisitorId, VisitId) {
        let consents = if share {
            vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals]
        } else {
            vec![ConsentScope::Registration]
        };
        let draft = VisitorDraft {
            given_name: "Olena".into(),
            consents,
            ..Default::default()
        };
        let new = draft
            .validate(at(23, 9).date())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let visitor =
            visitors::insert(db, actor, &new, "2026-11-23T09:00").unwrap_or_else(|e| panic!("{e}"));
        let draft = VisitDraft {
            visitor: Some(visitor.id),
            date: "23.11.2026".into(),
            time: "09:30".into(),
            staff: Some(actor.staff_id),
            language: "uk".into(),
            services: vec![ServiceLine {
                service_type: ServiceTypeId(4),
                provider: OrganisationId(1),
            }],
            ..Default::default()
        };
        let new = draft
            .validate(at(23, 10))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let id =
            visits::insert(db, actor, &new, "2026-11-23T09:30").unwrap_or_else(|e| panic!("{e}"));
        (visitor.id, id)
    }

    #[test]
    fn referrals_round_trip_follow_up_and_outcome() {
        let (mut db, actor) = db_with_staff();
        let (sharing, visit_a) = visit(&mut db, &actor, true);
        let (_, visit_b) = visit(&mut db, &actor, false);
        let draft = |visit| ReferralDraft {
            visit: Some(visit),
            organisation: Some(OrganisationId(2)),
            service_type: Some(ServiceTypeId(14)),
            reason: "Registration with a GP".into(),
            appointment_date: "24.11.2026".into(),
            appointment_time: "10:30".into(),
            follow_up: "25.11.2026".into(),
            for_household: false,
        };
        let new = draft(visit_a)
            .validate(at(23, 10).date())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let a =
            insert_referral(&mut db, &actor, &new, at(23, 10)).unwrap_or_else(|e| panic!("{e}"));
        let new_b = draft(visit_b)
            .validate(at(23, 10).date())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let b =
            insert_referral(&mut db, &actor, &new_b, at(23, 11)).unwrap_or_else(|e| panic!("{e}"));

        let stored = find_referral(&db, &actor, a).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.reference, "R-2026-000001");
        assert!(stored.shares_details, "consent to share was on record");
        assert_eq!(
            stored.appointment_at,
            Some(at(24, 10) + chrono::Duration::minutes(30))
        );
        assert_eq!(stored.visitor, Some(sharing));
        assert!(
            !find_referral(&db, &actor, b)
                .map(|r| r.shares_details)
                .unwrap_or(true),
            "no consent, no sharing"
        );

        assert!(
            referrals_to_follow_up(&db, &actor, at(24, 9).date())
                .unwrap_or_default()
                .is_empty()
        );
        let due = referrals_to_follow_up(&db, &actor, at(25, 9).date()).unwrap_or_default();
        assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), [a, b]);

        set_referral_status(&mut db, &actor, a, ReferralStatus::Attended, at(25, 12))
            .unwrap_or_else(|e| panic!("{e}"));
        let done = find_referral(&db, &actor, a).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (done.status, done.status_changed_by, done.status_changed_at),
            (
                ReferralStatus::Attended,
                Some(actor.staff_id),
                Some(at(25, 12))
            )
        );
        assert_eq!(
            referrals_to_follow_up(&db, &actor, at(25, 9).date())
                .unwrap_or_default()
                .len(),
            1
        );
        assert_eq!(
            referrals_for_visitor(&db, &actor, sharing)
                .unwrap_or_default()
                .len(),
            1
        );
        assert!(matches!(
            set_referral_status(
                &mut db,
                &actor,
                ReferralId(99),
                ReferralStatus::Cancelled,
                at(25, 12)
            ),
            Err(Error::NotFound)
        ));
    }

    #[test]
    fn accompaniments_round_trip_by_day_and_outcome() {
        let (mut db, actor) = db_with_staff();
        let (visitor, visit_id) = visit(&mut db, &actor, true);
        let draft = AccompanimentDraft {
            visit: Some(visit_id),
            organisation: Some(OrganisationId(2)),
            purpose: "Registration at the migration directorate".into(),
            date: "24.11.2026".into(),
            time: "08:45".into(),
            meeting_point: "At the bureau's entrance".into(),
            escort: Some(actor.staff_id),
            interpreter_language: "uk".into(),
        };
        let new = draft.validate().unwrap_or_else(|e| panic!("{e:?}"));
        let id = insert_accompaniment(&mut db, &actor, &new, at(23, 10))
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = find_accompaniment(&db, &actor, id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.reference, "A-2026-000001");
        assert_eq!(stored.visitor_code.as_deref(), Some("B-000001"));
        assert_eq!(
            (stored.scheduled_at, stored.status),
            (new.scheduled_at, AccompanimentStatus::Planned)
        );
        let tomorrow = at(24, 0).date();
        assert_eq!(
            accompaniments_between(
                &db,
                &actor,
                tomorrow,
                tomorrow.succ_opt().unwrap_or(tomorrow)
            )
            .unwrap_or_default()
            .len(),
            1
        );
        assert!(
            accompaniments_between(&db, &actor, at(23, 0).date(), tomorrow)
                .unwrap_or_default()
                .is_empty()
        );
        // A no-show before the meeting's time (08:45 on the 24th) is refused, and changes nothing.
        assert!(matches!(
            set_accompaniment_status(
                &mut db,
                &actor,
                id,
                AccompanimentStatus::NoShow,
                "",
                at(23, 16)
            ),
            Err(Error::TooEarly)
        ));
        let before = set_accompaniment_status(
            &mut db,
            &actor,
            id,
            AccompanimentStatus::Done,
            "Registered; card in 2 weeks.",
            at(24, 12),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            before,
            (AccompanimentStatus::Planned, String::new()),
            "what it replaced"
        );
        let done = accompaniments_for_visitor(&db, &actor, visitor).unwrap_or_default();
        assert_eq!(
            done.iter()
                .map(|a| (a.status, a.outcome_note.as_str()))
                .collect::<Vec<_>>(),
            [(AccompanimentStatus::Done, "Registered; card in 2 weeks.")]
        );
    }
}
