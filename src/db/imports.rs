//! Writing an import's plan: every person registered (or found), every visit logged, and the
//! file's hash recorded, in one transaction — all or nothing. A file already imported, or with
//! values nobody has placed yet, is refused with the report saying why.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::{Database, Result, audit, visitors, visits};
use crate::domain::access::Permission;
use crate::domain::import::{Field, Known, Lists, Registered, Traits, person_key};
use crate::domain::text::{to_latin, visitor_code};
use crate::domain::visitors::Sex;
use crate::domain::{
    Actor, NewVisit, OrganisationId, ServiceLine, ServiceTypeId, VisitorId, format_stamp,
};
use crate::import::{Choices, PlannedPerson, Report, Table, place_values, plan};

/// Why an import did not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// This very file was imported before (when).
    AlreadyImported(String),
    /// Values no list could place are left: map them, or create them (`--create-missing`).
    Unplaced(usize),
    /// No row makes a person.
    NothingToImport,
    /// A value placed by hand names nothing the desk knows (the target typed).
    BadValue(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::AlreadyImported(at) => write!(f, "this file was imported already, on {at}"),
            Refusal::Unplaced(n) => write!(
                f,
                "{n} values could not be placed: map them (--map for a column) or add the missing services and organisations (--create-missing)"
            ),
            Refusal::NothingToImport => write!(f, "no row of the register makes a person"),
            Refusal::BadValue(target) => {
                write!(f, "'{target}' is not a value the desk knows for that field")
            }
        }
    }
}

/// The outcome of an import or its dry run: the report, and why it did not run, if it did not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// What was (or would be) brought in.
    #[serde(flatten)]
    pub report: Report,
    /// Why nothing was written.
    pub refused: Option<Refusal>,
}

/// How far a running import is: people written of all, for a progress bar on another thread.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// (people written, people to write).
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Brings in a register (coordinators and administrators). A dry run writes nothing; a real
/// one writes everything the report counts in one transaction, or nothing.
pub fn run(
    db: &mut Database,
    actor: &Actor,
    table: &Table,
    choices: &Choices,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<Outcome> {
    run_with_progress(
        db,
        actor,
        table,
        choices,
        dry_run,
        now,
        &Progress::default(),
    )
}

/// `run`, counting the people written in `progress` as it goes.
pub fn run_with_progress(
    db: &mut Database,
    actor: &Actor,
    table: &Table,
    choices: &Choices,
    dry_run: bool,
    now: NaiveDateTime,
    progress: &Progress,
) -> Result<Outcome> {
    actor.require(Permission::Import)?;
    let stamp = format_stamp(now);
    let tx = db.conn.transaction()?;
    let already: Option<String> = tx
        .query_row(
            "SELECT imported_at FROM imports WHERE file_hash = ?1",
            [&table.hash],
            |r| r.get(0),
        )
        .optional()?;
    let registered = registered(&tx)?;
    let mut lists = lists(&tx)?;
    if let Err(why) = place_values(&mut lists, &choices.values) {
        return Ok(Outcome {
            report: Report::default(),
            refused: Some(Refusal::BadValue(why)),
        });
    }
    let bureau = bureau(&tx)?;
    let (mut people, mut report) = plan(table, choices, &lists, &registered, (bureau, now.date()));
    let refuse = |report, refusal| {
        Ok(Outcome {
            report,
            refused: Some(refusal),
        })
    };
    if let Some(at) = already {
        return refuse(report, Refusal::AlreadyImported(at));
    }
    if dry_run {
        return Ok(Outcome {
            report,
            refused: None,
        });
    }
    if choices.create_missing {
        let created = create_missing(&tx, &report)?;
        if !created.is_empty() {
            lists = self::lists(&tx)?;
            if let Err(why) = place_values(&mut lists, &choices.values) {
                return refuse(report, Refusal::BadValue(why));
            }
            (people, report) = plan(table, choices, &lists, &registered, (bureau, now.date()));
            report.created = created;
        }
    }
    if !report.unplaced_values.is_empty() {
        let n = report.unplaced_values.len();
        return refuse(report, Refusal::Unplaced(n));
    }
    if people.is_empty() {
        return refuse(report, Refusal::NothingToImport);
    }
    tx.prepare_cached(
        "INSERT INTO imports (file_hash, imported_at, imported_by, rows, people_new, visits)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((
        &table.hash,
        &stamp,
        actor.staff_id.0,
        report.rows as i64,
        report.people_new as i64,
        report.visits as i64,
    ))?;
    let import = tx.last_insert_rowid();
    progress.total.store(people.len(), Ordering::Relaxed);
    let ids = write_people(&tx, actor, &people, (import, progress), &stamp)?;
    // Each person to review with the people of the same name they may be, by code.
    for review in &mut report.review {
        let Some(person) = people.get(review.person) else {
            continue;
        };
        review.visitors = std::iter::once(ids[review.person])
            .chain(
                people
                    .iter()
                    .enumerate()
                    .filter(|(j, other)| *j != review.person && other.key == person.key)
                    .map(|(j, _)| ids[j]),
            )
            .chain(person.like_registered.iter().copied())
            .collect();
        review.visitors.dedup();
        review.codes = review.visitors.iter().map(|id| visitor_code(*id)).collect();
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Create,
        ("imports", Some(import)),
        &format!(
            "rows={} people_new={} people_existing={} visits={}",
            report.rows, report.people_new, report.people_existing, report.visits
        ),
        &stamp,
    )?;
    tx.commit()?;
    report.imported = true;
    Ok(Outcome {
        report,
        refused: None,
    })
}

/// Registers the new people and logs every visit; the caller owns the transaction.
fn write_people(
    conn: &Connection,
    actor: &Actor,
    people: &[PlannedPerson],
    (import, progress): (i64, &Progress),
    stamp: &str,
) -> Result<Vec<i64>> {
    let mut next: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM visitors", [], |r| {
            r.get(0)
        })?;
    let mut ids = Vec::with_capacity(people.len());
    for person in people {
        let id = match person.existing {
            Some(id) => id,
            None => {
                let id = next;
                next += 1;
                visitors::insert_row(conn, actor, id, &visitor_code(id), &person.details, stamp)?;
                audit::record_with_detail(
                    conn,
                    actor,
                    audit::Action::Create,
                    ("visitors", Some(id)),
                    &format!("import={import}"),
                    stamp,
                )?;
                id
            }
        };
        for visit in &person.visits {
            let new = NewVisit {
                visitor: Some(VisitorId(id)),
                at: visit.at(),
                staff: actor.staff_id,
                language: visit.language.clone(),
                interpreter: false,
                duration_minutes: None,
                services: visit
                    .services
                    .iter()
                    .map(|(service, provider)| ServiceLine {
                        service_type: ServiceTypeId(*service),
                        provider: OrganisationId(*provider),
                    })
                    .collect(),
                notes: visit.notes.clone(),
            };
            visits::insert_row(conn, &new, stamp)?;
        }
        progress.done.fetch_add(1, Ordering::Relaxed);
        ids.push(id);
    }
    Ok(ids)
}

/// Adds the services and organisations the register names and the desk does not know: to the
/// catalogue under a code made from the name, to the directory as "other" organisations.
/// Returns what was added ("service: …", "organisation: …").
fn create_missing(conn: &Connection, report: &Report) -> Result<Vec<String>> {
    let mut created = Vec::new();
    for value in &report.unplaced_values {
        match value.field {
            Field::Service => {
                let base: String = to_latin(&value.value)
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let base = format!("imported_{}", base.trim_matches('_'));
                let mut code = base.clone();
                let mut n = 2;
                while conn
                    .query_row(
                        "SELECT 1 FROM service_types WHERE code = ?1",
                        [&code],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some()
                {
                    code = format!("{base}_{n}");
                    n += 1;
                }
                conn.execute(
                    "INSERT INTO service_types (code, name_bg, name_en, sort_order)
                     VALUES (?1, ?2, ?2, 100)",
                    (&code, &value.value),
                )?;
                created.push(format!("service: {}", value.value));
            }
            Field::Organisation => {
                conn.execute(
                    "INSERT INTO organisations (kind, name_bg, name_en) VALUES ('other', ?1, ?1)",
                    [&value.value],
                )?;
                created.push(format!("organisation: {}", value.value));
            }
            _ => {}
        }
    }
    Ok(created)
}

/// The catalogue and the directory, as the import places names against them.
fn lists(conn: &Connection) -> Result<Lists> {
    let read = |sql: &str| -> Result<Vec<Known>> {
        let mut statement = conn.prepare(sql)?;
        let rows = statement
            .query_map([], |r| {
                Ok(Known {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    name_bg: r.get(2)?,
                    name_en: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    };
    Ok(Lists {
        services: read("SELECT id, code, name_bg, name_en FROM service_types ORDER BY id")?,
        organisations: read("SELECT id, '', name_bg, name_en FROM organisations ORDER BY id")?,
        mapped: Default::default(),
    })
}

/// The bureau itself: the provider of a service when the register names none.
fn bureau(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT id FROM organisations WHERE kind = 'bureau' ORDER BY id LIMIT 1",
        [],
        |r| r.get(0),
    )?)
}

/// Everyone in the desk (not erased, not an alias), as the import matches people.
fn registered(conn: &Connection) -> Result<Vec<Registered>> {
    let mut statement = conn.prepare(
        "SELECT id, given_name, family_name, given_name_latin, family_name_latin, birth_year,
             phone_digits, sex
         FROM visitors WHERE erased_at IS NULL AND merged_into IS NULL",
    )?;
    let rows = statement.query_map([], |r| {
        let written = format!("{} {}", r.get::<_, String>(1)?, r.get::<_, String>(2)?);
        let latin = format!("{} {}", r.get::<_, String>(3)?, r.get::<_, String>(4)?);
        let phone: String = r.get(6)?;
        let mut keys = vec![person_key(&written)];
        if !latin.trim().is_empty() {
            keys.push(person_key(&latin));
        }
        Ok(Registered {
            id: r.get(0)?,
            keys,
            traits: Traits {
                birth_year: r.get(5)?,
                phone: Some(phone).filter(|p| !p.is_empty()),
                sex: Sex::from_code(&r.get::<_, String>(7)?),
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
