//! Outcomes of referrals and accompaniments, recorded with one click from the follow-up list
//! or the card: a no-show is refused before its time, and the outcome just recorded can be
//! undone for a few seconds.

use std::time::{Duration, Instant};

use super::{Desk, Notice, Screen};
use crate::db::{self, referrals};
use crate::domain::referrals::{AccompanimentId, AccompanimentStatus, ReferralId, ReferralStatus};

/// How long an outcome just recorded can be undone.
pub const UNDO_FOR: Duration = Duration::from_secs(10);

/// What an outcome replaced, to put it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// A referral's status before.
    Referral(ReferralId, ReferralStatus),
    /// An accompaniment's status and outcome note before.
    Accompaniment(AccompanimentId, AccompanimentStatus, String),
}

impl Desk {
    /// Records a referral's outcome, and offers to undo it.
    pub(super) fn set_referral_status(
        &mut self,
        id: ReferralId,
        status: ReferralStatus,
    ) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let now = self.now();
        let before = referrals::set_referral_status(&mut self.db, &actor, id, status, now)?;
        self.outcome_recorded(Undo::Referral(id, before))
    }

    /// Records an accompaniment's outcome with the note typed, and offers to undo it.
    pub(super) fn set_accompaniment_status(
        &mut self,
        id: AccompanimentId,
        status: AccompanimentStatus,
    ) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let now = self.now();
        let note = self.outcome_note.trim().to_owned();
        let (before, before_note) =
            referrals::set_accompaniment_status(&mut self.db, &actor, id, status, &note, now)?;
        self.outcome_note.clear();
        self.outcome_recorded(Undo::Accompaniment(id, before, before_note))
    }

    /// The outcome just recorded can still be undone.
    pub fn can_undo(&self) -> bool {
        self.undo
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() < UNDO_FOR)
    }

    /// Puts back what the last outcome replaced, within `UNDO_FOR`.
    pub(super) fn undo_outcome(&mut self) -> db::Result<()> {
        if !self.can_undo() {
            self.undo = None;
            return Ok(());
        }
        let (Some((undo, _)), Some(actor)) = (self.undo.take(), self.actor()) else {
            return Ok(());
        };
        let now = self.now();
        match undo {
            Undo::Referral(id, status) => {
                referrals::set_referral_status(&mut self.db, &actor, id, status, now)?;
            }
            Undo::Accompaniment(id, status, note) => {
                referrals::set_accompaniment_status(&mut self.db, &actor, id, status, &note, now)?;
            }
        }
        self.notice = Some(Notice::Saved("notice.outcome_undone", String::new()));
        self.after_outcome()
    }

    fn outcome_recorded(&mut self, undo: Undo) -> db::Result<()> {
        self.undo = Some((undo, Instant::now()));
        self.notice = Some(Notice::Saved("notice.outcome_recorded", String::new()));
        self.after_outcome()
    }

    fn after_outcome(&mut self) -> db::Result<()> {
        self.refresh_open_card()?;
        self.refresh_day()?;
        if self.screen == Screen::Week {
            self.try_run(super::Command::OpenWeek)?;
        }
        Ok(())
    }
}
