//! Forms typed and not yet saved, kept per staff member: each person reads and writes only their
//! own (the `Actor` decides whose), so a draft is never shown to the next person at the desk.

use rusqlite::OptionalExtension;

use super::{Database, Result};
use crate::domain::{Actor, VisitorId};

/// How long a draft nobody came back to is kept.
pub const KEPT_DAYS: u64 = 30;

/// Which form a draft is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DraftForm {
    /// The new-visitor form.
    Visitor,
    /// The visit form.
    Visit,
    /// The referral form.
    Referral,
    /// The accompaniment form.
    Accompaniment,
}

impl DraftForm {
    fn code(self) -> &'static str {
        match self {
            DraftForm::Visitor => "visitor",
            DraftForm::Visit => "visit",
            DraftForm::Referral => "referral",
            DraftForm::Accompaniment => "accompaniment",
        }
    }
}

/// A kept draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The form as typed (JSON).
    pub body: String,
    /// When it was last kept, `YYYY-MM-DDTHH:MM`.
    pub saved_at: String,
}

/// Keeps `body` as the actor's draft of `form` (replacing the one before). `visitor` is the
/// person the form is about, so erasing them removes it.
pub fn keep(
    db: &Database,
    actor: &Actor,
    form: DraftForm,
    visitor: Option<VisitorId>,
    body: &str,
    at: &str,
) -> Result<()> {
    db.conn
        .prepare_cached(
            "INSERT INTO drafts (staff_id, form, visitor_id, body, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (staff_id, form) DO UPDATE SET
                 visitor_id = excluded.visitor_id, body = excluded.body,
                 saved_at = excluded.saved_at",
        )?
        .execute((
            actor.staff_id.0,
            form.code(),
            visitor.map(|v| v.0),
            body,
            at,
        ))?;
    Ok(())
}

/// The actor's draft of `form`, if one is kept.
pub fn kept(db: &Database, actor: &Actor, form: DraftForm) -> Result<Option<Draft>> {
    Ok(db
        .conn
        .prepare_cached("SELECT body, saved_at FROM drafts WHERE staff_id = ?1 AND form = ?2")?
        .query_row((actor.staff_id.0, form.code()), |r| {
            Ok(Draft {
                body: r.get(0)?,
                saved_at: r.get(1)?,
            })
        })
        .optional()?)
}

/// Removes the actor's draft of `form` (saved or discarded).
pub fn discard(db: &Database, actor: &Actor, form: DraftForm) -> Result<()> {
    db.conn
        .prepare_cached("DELETE FROM drafts WHERE staff_id = ?1 AND form = ?2")?
        .execute((actor.staff_id.0, form.code()))?;
    Ok(())
}

/// Removes every draft kept before `before` (`YYYY-MM-DDTHH:MM`), whoever's: drafts hold what
/// was typed about a person, and are not kept for ever. Returns how many went.
pub fn forget_before(db: &Database, before: &str) -> Result<usize> {
    Ok(db
        .conn
        .prepare_cached("DELETE FROM drafts WHERE saved_at < ?1")?
        .execute([before])?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::staff;
    use crate::domain::Role;

    #[test]
    fn each_person_has_their_own_drafts_until_saved_or_old() {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let maria = staff::insert(&mut db, "Мария", Role::Desk, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .actor();
        let georgi = staff::insert(&mut db, "Георги", Role::Desk, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .actor();
        let form = DraftForm::Visitor;
        keep(&db, &maria, form, None, "{\"a\":1}", "2026-11-23T09:10")
            .unwrap_or_else(|e| panic!("{e}"));
        keep(&db, &maria, form, None, "{\"a\":2}", "2026-11-23T09:11")
            .unwrap_or_else(|e| panic!("{e}"));
        let mine = kept(&db, &maria, form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mine.map(|d| d.body), Some("{\"a\":2}".to_owned()));
        assert_eq!(kept(&db, &georgi, form).ok(), Some(None), "not another's");
        assert_eq!(kept(&db, &maria, DraftForm::Visit).ok(), Some(None));
        keep(&db, &georgi, form, None, "{}", "2026-12-30T09:00").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(forget_before(&db, "2026-12-01T00:00").ok(), Some(1));
        assert_eq!(kept(&db, &maria, form).ok(), Some(None), "old drafts go");
        assert!(kept(&db, &georgi, form).is_ok_and(|d| d.is_some()));
        discard(&db, &georgi, form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kept(&db, &georgi, form).ok(), Some(None));
    }
}
