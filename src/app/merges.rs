//! "These are the same person": two registrations compared side by side, the person choosing
//! which value to keep for each field that differs, then merged into one record; undone by a
//! coordinator on the same day.

use super::{Command, Desk, Notice, Screen};
use crate::db::{self, merges, visits};
use crate::domain::access::Permission;
use crate::domain::merges::{differing_fields, proposed_from_other};
use crate::domain::{Actor, MergeId, Visitor, VisitorId, VisitorSummary};

/// How many people of a like name the card offers to compare with.
const LIKE_NAMES: usize = 3;

/// The comparison of two registrations, while the person chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeForm {
    /// The record on the left: the open card.
    pub left: Visitor,
    /// The record on the right: the one it was compared with.
    pub right: Visitor,
    /// How many visits each has (left, right).
    pub visits: (usize, usize),
    /// Keep the left record's code (the other becomes its alias); else the right one's.
    pub keep_left: bool,
    /// The differing fields whose value comes from the right record; the others keep the
    /// left record's.
    pub from_right: Vec<&'static str>,
}

impl MergeForm {
    /// The fields in which the two records differ, in the order shown.
    pub fn differing(&self) -> Vec<&'static str> {
        differing_fields(&self.left.details, &self.right.details)
    }

    /// (kept, other) and the fields the kept record takes from the other.
    fn choice(&self) -> ((VisitorId, VisitorId), Vec<&'static str>) {
        if self.keep_left {
            ((self.left.id, self.right.id), self.from_right.clone())
        } else {
            let from_left = self
                .differing()
                .into_iter()
                .filter(|f| !self.from_right.contains(f))
                .collect();
            ((self.right.id, self.left.id), from_left)
        }
    }
}

impl Desk {
    /// Opens the comparison of two registrations. The one registered first keeps its code;
    /// each differing field starts with the kept record's value, or the other's where the kept
    /// record has no answer.
    pub(super) fn compare_visitors(&mut self, left: VisitorId, right: VisitorId) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        if left == right {
            return Err(crate::domain::merges::MergeRefusal::SameRecord.into());
        }
        let stamp = self.stamp();
        let left = db::visitors::find(&mut self.db, &actor, left, &stamp)?;
        let right = db::visitors::find(&mut self.db, &actor, right, &stamp)?;
        if left.restricted || right.restricted || left.id == right.id {
            return Err(crate::domain::merges::MergeRefusal::SameRecord.into());
        }
        let counted = |id| -> db::Result<usize> {
            Ok(visits::for_visitor(&self.db, &actor, id)?
                .iter()
                .filter(|v| v.voided.is_none())
                .count())
        };
        let visits = (counted(left.id)?, counted(right.id)?);
        let keep_left = left.id < right.id;
        let from_right = if keep_left {
            proposed_from_other(&left.details, &right.details)
        } else {
            let from_left = proposed_from_other(&right.details, &left.details);
            differing_fields(&left.details, &right.details)
                .into_iter()
                .filter(|f| !from_left.contains(f))
                .collect()
        };
        self.merge_form = Some(MergeForm {
            left,
            right,
            visits,
            keep_left,
            from_right,
        });
        self.screen = Screen::Merge;
        Ok(())
    }

    /// Merges the two records as chosen and opens the kept one's card.
    pub(super) fn confirm_merge(&mut self) -> db::Result<()> {
        let (Some(actor), Some(form)) = (self.actor(), self.merge_form.as_ref()) else {
            return Ok(());
        };
        let ((kept, other), from_other) = form.choice();
        let code = if form.keep_left {
            &form.right.code
        } else {
            &form.left.code
        }
        .clone();
        let now = self.now();
        merges::merge(&mut self.db, &actor, (kept, other), &from_other, now)?;
        self.merge_form = None;
        self.try_run(Command::OpenVisitor(kept))?;
        self.notice = Some(Notice::Saved("notice.merged", code));
        self.refresh_day()
    }

    /// Undoes a merge made today; the card shows the kept record as it was.
    pub(super) fn undo_merge(&mut self, merge: MergeId) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let now = self.now();
        let given_back = merges::undo(&mut self.db, &actor, merge, now)?;
        let card = self
            .card
            .as_ref()
            .map(|c| (c.visitor.id, c.aliases.clone()));
        let code = card
            .as_ref()
            .and_then(|(_, aliases)| aliases.iter().find(|a| a.visitor == given_back))
            .map(|a| a.code.clone())
            .unwrap_or_default();
        if let Some((visitor, _)) = card {
            self.try_run(Command::OpenVisitor(visitor))?;
        }
        self.notice = Some(Notice::Saved("notice.merge_undone", code));
        self.refresh_day()
    }

    /// People registered with a name like the card's (as written or in Latin letters), who may
    /// be the same person: the card offers to compare them. Empty for a role that may not merge.
    pub(super) fn like_names(
        &self,
        actor: &Actor,
        (id, name, latin): &(VisitorId, String, String),
    ) -> db::Result<Vec<VisitorSummary>> {
        if !actor.role.may(Permission::Merge) {
            return Ok(Vec::new());
        }
        let mut found: Vec<VisitorSummary> = Vec::new();
        for query in [name, latin] {
            if query.trim().is_empty() {
                continue;
            }
            for hit in db::visitors::search(&self.db, actor, query, LIKE_NAMES + 1)? {
                if hit.id != *id && !found.iter().any(|f| f.id == hit.id) {
                    found.push(hit);
                }
            }
        }
        found.truncate(LIKE_NAMES);
        Ok(found)
    }
}
