//! The month's programme: slots, their services, days off; copying a month; the sessions each
//! partner offered against the visits they served.

use chrono::NaiveDate;
use rusqlite::{Connection, named_params};

use super::{Database, Error, Result, audit};
use crate::domain::access::Permission;
use crate::domain::figures::ProgrammeLine;
use crate::domain::programme::{
    DayOff, Month, Programme, Recurrence, Slot, SlotDraft, parse_time, weekday_from_number,
    weeks_text,
};
use crate::domain::{Actor, FieldError, OrganisationId, Problem, ServiceTypeId};

/// The programme of `month`: its slots (by weekday, dates, start) and days off.
pub fn month(db: &Database, month: Month) -> Result<Programme> {
    read(&db.conn, month)
}

fn read(conn: &Connection, month: Month) -> Result<Programme> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, organisation_id, weekday, weeks, dates, starts_at, ends_at, languages, place, note
         FROM programme_slots WHERE month = ?1
         ORDER BY weekday IS NULL, weekday, dates, starts_at, id",
    )?;
    let rows = stmt.query_map([month.code()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<u8>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut services = conn.prepare_cached(
        "SELECT service_type_id FROM programme_slot_services WHERE slot_id = ?1 ORDER BY service_type_id",
    )?;
    let mut slots = Vec::new();
    for row in rows {
        let (id, organisation, weekday, weeks, dates, starts, ends, languages, place, note) = row?;
        let recurrence = match weekday.and_then(weekday_from_number) {
            Some(weekday) => Recurrence::Weekly {
                weekday,
                weeks: weeks
                    .split_whitespace()
                    .filter_map(|w| w.parse().ok())
                    .collect(),
            },
            None => Recurrence::Dates(
                dates
                    .split_whitespace()
                    .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .collect(),
            ),
        };
        let bad_time = || Error::Storage(format!("programme slot {id} has an unreadable time"));
        slots.push(Slot {
            id,
            month,
            draft: SlotDraft {
                organisation: OrganisationId(organisation),
                services: services
                    .query_map([id], |r| Ok(ServiceTypeId(r.get(0)?)))?
                    .collect::<rusqlite::Result<_>>()?,
                recurrence,
                starts: parse_time(&starts).ok_or_else(bad_time)?,
                ends: parse_time(&ends).ok_or_else(bad_time)?,
                languages: languages.split_whitespace().map(str::to_owned).collect(),
                place,
                note,
            },
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, day, slot_id, note FROM programme_days_off
         WHERE day BETWEEN ?1 AND ?2 ORDER BY day, slot_id IS NOT NULL, id",
    )?;
    let days_off = stmt
        .query_map(
            [month.first_day().to_string(), month.last_day().to_string()],
            |r| {
                let day: String = r.get(1)?;
                Ok(DayOff {
                    id: r.get(0)?,
                    day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                    slot: r.get(2)?,
                    note: r.get(3)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Programme {
        month,
        slots,
        days_off,
    })
}

/// The slot's recurrence as stored: weekday, weeks, dates.
fn recurrence_columns(recurrence: &Recurrence) -> (Option<u32>, String, String) {
    match recurrence {
        Recurrence::Weekly { weekday, weeks } => (
            Some(weekday.number_from_monday()),
            weeks_text(weeks),
            String::new(),
        ),
        Recurrence::Dates(dates) => (
            None,
            String::new(),
            dates
                .iter()
                .map(NaiveDate::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// Writes one slot and its services; the caller owns the transaction.
pub(crate) fn write_slot(
    conn: &Connection,
    month: Month,
    id: Option<i64>,
    d: &SlotDraft,
) -> Result<i64> {
    if let Recurrence::Dates(dates) = &d.recurrence
        && (dates.is_empty() || dates.iter().any(|date| !month.contains(*date)))
    {
        return Err(Error::Invalid(vec![FieldError {
            field: "dates",
            problem: Problem::OutsideMonth,
        }]));
    }
    let (weekday, weeks, dates) = recurrence_columns(&d.recurrence);
    let (starts, ends) = (
        d.starts.format("%H:%M").to_string(),
        d.ends.format("%H:%M").to_string(),
    );
    let languages = d.languages.join(" ");
    let id = match id {
        Some(id) => {
            let changed = conn.execute(
                "UPDATE programme_slots SET organisation_id = :organisation, weekday = :weekday,
                     weeks = :weeks, dates = :dates, starts_at = :starts, ends_at = :ends,
                     languages = :languages, place = :place, note = :note
                 WHERE id = :id AND month = :month",
                named_params! {
                    ":id": id, ":month": month.code(), ":organisation": d.organisation.0,
                    ":weekday": weekday, ":weeks": weeks, ":dates": dates, ":starts": starts,
                    ":ends": ends, ":languages": languages, ":place": d.place, ":note": d.note,
                },
            )?;
            if changed == 0 {
                return Err(Error::NotFound);
            }
            conn.execute(
                "DELETE FROM programme_slot_services WHERE slot_id = ?1",
                [id],
            )?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO programme_slots (month, organisation_id, weekday, weeks, dates,
                     starts_at, ends_at, languages, place, note)
                 VALUES (:month, :organisation, :weekday, :weeks, :dates, :starts, :ends,
                     :languages, :place, :note)",
                named_params! {
                    ":month": month.code(), ":organisation": d.organisation.0,
                    ":weekday": weekday, ":weeks": weeks, ":dates": dates, ":starts": starts,
                    ":ends": ends, ":languages": languages, ":place": d.place, ":note": d.note,
                },
            )?;
            conn.last_insert_rowid()
        }
    };
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO programme_slot_services (slot_id, service_type_id) VALUES (?1, ?2)",
    )?;
    for service in &d.services {
        insert.execute([id, service.0])?;
    }
    Ok(id)
}

/// Adds a slot to `month` (`id` None) or changes one of its slots. Coordinators and admins only.
pub fn save_slot(
    db: &mut Database,
    actor: &Actor,
    month: Month,
    id: Option<i64>,
    draft: &SlotDraft,
    now: &str,
) -> Result<i64> {
    actor.require(Permission::EditProgramme)?;
    let action = if id.is_some() {
        audit::Action::Update
    } else {
        audit::Action::Create
    };
    let tx = db.conn.transaction()?;
    let id = write_slot(&tx, month, id, draft)?;
    audit::record(&tx, actor, action, "programme_slots", Some(id), now)?;
    tx.commit()?;
    Ok(id)
}

/// Removes a slot (and its days off) from its month.
pub fn delete_slot(db: &mut Database, actor: &Actor, id: i64, now: &str) -> Result<()> {
    actor.require(Permission::EditProgramme)?;
    let tx = db.conn.transaction()?;
    if tx.execute("DELETE FROM programme_slots WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound);
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("programme_slots", Some(id)),
        "removed",
        now,
    )?;
    tx.commit()?;
    Ok(())
}

/// Cancels one slot on `day` (`slot` Some) or closes the bureau that day (a holiday).
pub fn add_day_off(
    db: &mut Database,
    actor: &Actor,
    day: NaiveDate,
    slot: Option<i64>,
    note: &str,
    now: &str,
) -> Result<i64> {
    actor.require(Permission::EditProgramme)?;
    let tx = db.conn.transaction()?;
    if let Some(slot) = slot {
        let month: String = tx.query_row(
            "SELECT month FROM programme_slots WHERE id = ?1",
            [slot],
            |r| r.get(0),
        )?;
        if Month::parse(&month) != Some(Month::of(day)) {
            return Err(Error::Invalid(vec![FieldError {
                field: "day",
                problem: Problem::OutsideMonth,
            }]));
        }
    }
    let id = write_day_off(&tx, day, slot, note)?;
    audit::record(
        &tx,
        actor,
        audit::Action::Create,
        "programme_days_off",
        Some(id),
        now,
    )?;
    tx.commit()?;
    Ok(id)
}

/// Writes one day off; the caller owns the transaction (also the demo's path).
pub(crate) fn write_day_off(
    conn: &Connection,
    day: NaiveDate,
    slot: Option<i64>,
    note: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO programme_days_off (day, slot_id, note) VALUES (?1, ?2, ?3)",
        rusqlite::params![day.to_string(), slot, note],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Takes a day off back: the slot (or the bureau) is open that day again.
pub fn remove_day_off(db: &mut Database, actor: &Actor, id: i64, now: &str) -> Result<()> {
    actor.require(Permission::EditProgramme)?;
    let tx = db.conn.transaction()?;
    if tx.execute("DELETE FROM programme_days_off WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound);
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("programme_days_off", Some(id)),
        "removed",
        now,
    )?;
    tx.commit()?;
    Ok(())
}

/// Starts `to` as a copy of the month before it: every weekly slot with its services (extra
/// sessions on dates and days off stay in their month). Refused when `to` already has slots, so
/// an edited month is never doubled; returns how many slots were copied.
pub fn copy_previous_month(
    db: &mut Database,
    actor: &Actor,
    to: Month,
    now: &str,
) -> Result<usize> {
    actor.require(Permission::EditProgramme)?;
    let tx = db.conn.transaction()?;
    let existing: i64 = tx.query_row(
        "SELECT count(*) FROM programme_slots WHERE month = ?1",
        [to.code()],
        |r| r.get(0),
    )?;
    if existing > 0 {
        return Err(Error::ProgrammeNotEmpty);
    }
    let previous = read(&tx, to.previous())?;
    let copies = crate::domain::programme::carried_over(&previous.slots);
    for draft in &copies {
        write_slot(&tx, to, None, draft)?;
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Create,
        ("programme_slots", None),
        &format!("copied={} month={}", copies.len(), to.code()),
        now,
    )?;
    tx.commit()?;
    Ok(copies.len())
}

/// Per partner with a slot in `from..=to` (by organisation id, named in English): the sessions
/// their slots offered, on how many days, on how many of those days they served anyone, and the
/// visits they served in the period (counted visits with a service they provided).
pub fn partner_figures(
    db: &Database,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ProgrammeLine>> {
    let mut offered: Vec<(OrganisationId, u64, Vec<NaiveDate>)> = Vec::new();
    let mut month = Month::of(from);
    while month.first_day() <= to {
        let programme = read(&db.conn, month)?;
        for session in programme.sessions() {
            if session.day < from || session.day > to {
                continue;
            }
            let organisation = session.slot.draft.organisation;
            match offered.iter_mut().find(|(o, ..)| *o == organisation) {
                Some((_, sessions, days)) => {
                    *sessions += 1;
                    if !days.contains(&session.day) {
                        days.push(session.day);
                    }
                }
                None => offered.push((organisation, 1, vec![session.day])),
            }
        }
        month = month.next();
    }
    let mut served = db.conn.prepare_cached(
        "SELECT substr(v.visited_at, 1, 10), count(DISTINCT v.id) FROM counted_visits v
         JOIN services_rendered s ON s.visit_id = v.id
         WHERE s.provider_id = ?1 AND v.visited_at >= ?2 AND v.visited_at < ?3
         GROUP BY 1",
    )?;
    let end = to.succ_opt().unwrap_or(to).to_string();
    let organisations = super::organisations::list(db)?;
    offered.sort_by_key(|(organisation, ..)| *organisation);
    let mut figures = Vec::new();
    for (organisation, sessions, days) in offered {
        let by_day: Vec<(String, i64)> = served
            .query_map(
                rusqlite::params![organisation.0, from.to_string(), end],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let days_offered = days.len() as u64;
        let days_served = days
            .iter()
            .filter(|d| by_day.iter().any(|(day, _)| *day == d.to_string()))
            .count() as u64;
        figures.push(ProgrammeLine {
            organisation: organisations
                .iter()
                .find(|o| o.id == organisation)
                .map(|o| o.details.name_en.clone())
                .unwrap_or_default(),
            slots_offered: sessions,
            days_offered,
            days_served,
            visits_served: by_day.iter().map(|(_, n)| n.unsigned_abs()).sum(),
            // The share of their programme days on which they served anyone, two places.
            show_rate: (days_offered > 0)
                .then(|| (days_served as f64 / days_offered as f64 * 100.0).round() / 100.0),
        });
    }
    Ok(figures)
}
