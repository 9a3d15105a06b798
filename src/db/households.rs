//! Households: linking family members, and the household a card shows.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::{Database, Error, Result, audit, figures::parse_day};
use crate::domain::access::Permission;
use crate::domain::figures::{Birth, age_band};
use crate::domain::households::{Household, Member, Relation};
use crate::domain::{Actor, VisitorId};

/// Why two people could not be linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefusal {
    /// A person cannot be their own family member.
    #[error("a person cannot be linked to themselves")]
    Same,
    /// The member already belongs to another household.
    #[error("this person already belongs to another household; take them out of it first")]
    Elsewhere,
    /// The card's person has no household and the member has one: relations are to that
    /// household's contact, so the link is made from a card in it.
    #[error("this person already has a household: link from the card of one of its members")]
    FromTheirCard,
}

impl LinkRefusal {
    /// The i18n key of the sentence shown to a person.
    pub fn label_key(self) -> &'static str {
        match self {
            LinkRefusal::Same => "household.refused_same",
            LinkRefusal::Elsewhere => "household.refused_elsewhere",
            LinkRefusal::FromTheirCard => "household.refused_from_their_card",
        }
    }
}

/// The household of `visitor`, its contact person first, with each member's age band on
/// `today`; None when they belong to none. Needs the whole card (ages come from births).
pub fn of_visitor(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
    today: NaiveDate,
) -> Result<Option<Household>> {
    actor.require(Permission::SeeCard)?;
    let household: Option<i64> = db
        .conn
        .query_row(
            "SELECT household_id FROM visitors WHERE id = ?1",
            [visitor.0],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let Some(id) = household else {
        return Ok(None);
    };
    let mut stmt = db.conn.prepare_cached(
        "SELECT id, code, given_name, household_role, birth_year, birth_date, birth_answer
         FROM visitors WHERE household_id = ?1 AND erased_at IS NULL AND merged_into IS NULL
         ORDER BY household_role != 'contact', code",
    )?;
    let members = stmt
        .query_map([id], |r| {
            let relation: String = r.get(3)?;
            let answer: String = r.get(6)?;
            let birth = Birth {
                year: r.get(4)?,
                date: parse_day(r.get(5)?),
                answer: &answer,
            };
            Ok(Member {
                visitor: VisitorId(r.get(0)?),
                code: r.get(1)?,
                given_name: r.get(2)?,
                relation: Relation::from_code(&relation).unwrap_or(Relation::Other),
                age_band: age_band(&birth, today),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Household { id, members }))
}

/// A link made: the household and the member linked into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Linked {
    /// The household's row id.
    pub household: i64,
    /// The member's record (the one an alias was merged into, when an alias was given).
    pub member: VisitorId,
}

/// Links `member` into the household of `to` with `relation` (to the household's contact). A
/// household is started with `to` as its contact when they have none; a member already in it
/// gets the new relation. An alias links the record it was merged into; an erased record or one
/// that does not exist is `NotFound`.
pub fn link(
    db: &mut Database,
    actor: &Actor,
    to: VisitorId,
    member: VisitorId,
    relation: Relation,
    now: &str,
) -> Result<Linked> {
    actor.require(Permission::Register)?;
    let tx = db.conn.transaction()?;
    let member = tx
        .query_row(
            "SELECT coalesce(merged_into, id) FROM visitors WHERE id = ?1",
            [member.0],
            |r| r.get(0),
        )
        .map(VisitorId)?;
    if to == member {
        return Err(Error::Household(LinkRefusal::Same));
    }
    let household_of = |id: VisitorId| -> Result<Option<i64>> {
        Ok(tx.query_row(
            "SELECT household_id FROM visitors
             WHERE id = ?1 AND erased_at IS NULL AND merged_into IS NULL",
            [id.0],
            |r| r.get(0),
        )?)
    };
    let household = match (household_of(to)?, household_of(member)?) {
        (Some(theirs), Some(members)) if theirs != members => {
            return Err(Error::Household(LinkRefusal::Elsewhere));
        }
        (Some(theirs), _) => theirs,
        (None, Some(_)) => return Err(Error::Household(LinkRefusal::FromTheirCard)),
        (None, None) => {
            tx.execute(
                "INSERT INTO households (created_at, created_by) VALUES (?1, ?2)",
                rusqlite::params![now, actor.staff_id.0],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "UPDATE visitors SET household_id = ?1, household_role = 'contact' WHERE id = ?2",
                rusqlite::params![id, to.0],
            )?;
            id
        }
    };
    tx.execute(
        "UPDATE visitors SET household_id = ?1, household_role = ?2 WHERE id = ?3
             AND household_role IS NOT 'contact'",
        rusqlite::params![household, relation.code(), member.0],
    )?;
    for id in [to, member] {
        audit::record_with_detail(
            &tx,
            actor,
            audit::Action::Update,
            ("visitors", Some(id.0)),
            &format!("household={household}"),
            now,
        )?;
    }
    tx.commit()?;
    Ok(Linked { household, member })
}

/// Takes `member` out of their household; the others stay linked.
pub fn unlink(db: &mut Database, actor: &Actor, member: VisitorId, now: &str) -> Result<()> {
    actor.require(Permission::Register)?;
    let tx = db.conn.transaction()?;
    let changed = tx.execute(
        "UPDATE visitors SET household_id = NULL, household_role = ''
         WHERE id = ?1 AND household_id IS NOT NULL",
        [member.0],
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("visitors", Some(member.0)),
        "household=none",
        now,
    )?;
    tx.commit()?;
    Ok(())
}
