//! The lock screen: after an idle time, or on Ctrl+L, the desk shows nothing personal. The same
//! person unlocks with their password and finds what they were typing; another person signing
//! in starts a clean desk, and the first person's unsaved work is kept for them, not shown.

use secrecy::SecretString;

use super::session::{self, Attempts};
use super::{
    AccompanimentForm, Card, Desk, OrganisationForm, ReferralForm, RightsForm, Screen, VisitForm,
    VisitorForm,
};
use crate::db::{self, audit, staff};
use crate::domain::{StaffId, VisitorSummary};

/// The lock screen's fields.
#[derive(Debug, Default)]
pub struct LockForm {
    /// Name typed or picked.
    pub name: String,
    /// Password typed; wiped after each try.
    pub password: zeroize::Zeroizing<String>,
    /// Why the last try failed (i18n key).
    pub error: Option<&'static str>,
    /// The password field should take the keyboard on the next frame.
    pub focus_field: bool,
    attempts: Attempts,
}

/// One person's unsaved work, kept while someone else works at the desk.
pub(super) struct Parked {
    screen: Screen,
    query: String,
    results: Vec<VisitorSummary>,
    selected: usize,
    card: Option<Card>,
    visitor_form: VisitorForm,
    visitor_edit: Option<super::VisitorEdit>,
    void_form: super::VoidForm,
    merge_form: Option<super::MergeForm>,
    visit_form: VisitForm,
    referral_form: ReferralForm,
    accompaniment_form: AccompanimentForm,
    organisation_form: Option<OrganisationForm>,
    outcome_note: String,
    rights: RightsForm,
}

impl Desk {
    /// Locks the desk: the screen shows nothing personal until someone signs in.
    pub(super) fn lock(&mut self) -> db::Result<()> {
        if self.screen == Screen::Locked {
            return Ok(());
        }
        // The screen locks even when the trail cannot be written (a file gone from under it).
        let kept = self.keep_drafts(true);
        let searched = self.record_search();
        self.screen_before_lock = self.screen;
        self.screen = Screen::Locked;
        self.replace_question = None;
        self.notice = None;
        // A coordinator's password half-typed for an erasure does not wait behind the lock.
        self.rights.erase = None;
        self.lock_form = LockForm {
            name: self
                .at_desk
                .as_ref()
                .map(|s| s.display_name.clone())
                .unwrap_or_default(),
            focus_field: true,
            ..LockForm::default()
        };
        kept?;
        searched?;
        self.record_event(audit::Action::Lock)
    }

    /// Unlocks with the name and password typed: the same person goes back to where they were;
    /// another person gets a desk of their own.
    pub(super) fn unlock(&mut self) -> db::Result<()> {
        if !self.lock_form.attempts.may_try() {
            self.lock_form.error = Some("sign_in.wait");
            return Ok(());
        }
        let password = SecretString::from(self.lock_form.password.as_str());
        self.lock_form.password.clear();
        self.lock_form.focus_field = true;
        let person = match session::verify(&self.db, &self.lock_form.name, &password) {
            Ok(person) => person,
            Err(error) => {
                self.lock_form.attempts.failed();
                self.lock_form.error = Some(error.label_key());
                let whose = staff::named(&self.db, &self.lock_form.name)?.map(|s| s.id.0);
                return audit::record_failed_sign_in(&self.db, whose, &self.stamp());
            }
        };
        audit::record_event(
            &self.db,
            &person.actor(),
            audit::Action::SignIn,
            &self.stamp(),
        )?;
        self.lock_form = LockForm::default();
        let same = self.at_desk.as_ref().is_some_and(|s| s.id == person.id);
        if same {
            self.screen = self.screen_before_lock;
            self.focus_search = self.screen == Screen::Desk;
            return Ok(());
        }
        if let Some(previous) = self.at_desk.as_ref().map(|s| s.id) {
            let work = self.park();
            self.parked.insert(previous, work);
        }
        let id: StaffId = person.id;
        self.at_desk = Some(person);
        match self.parked.remove(&id) {
            Some(work) => {
                self.restore(work);
                self.kept = Default::default();
                self.keep_drafts(true)?;
            }
            None => {
                self.screen = Screen::Desk;
                self.focus_search = true;
                self.restore_drafts()?;
            }
        }
        self.refresh_day()
    }

    fn park(&mut self) -> Parked {
        Parked {
            screen: self.screen_before_lock,
            query: std::mem::take(&mut self.query),
            results: std::mem::take(&mut self.results),
            selected: std::mem::take(&mut self.selected),
            card: self.card.take(),
            visitor_form: std::mem::take(&mut self.visitor_form),
            visitor_edit: self.visitor_edit.take(),
            void_form: std::mem::take(&mut self.void_form),
            merge_form: self.merge_form.take(),
            visit_form: std::mem::take(&mut self.visit_form),
            referral_form: std::mem::take(&mut self.referral_form),
            accompaniment_form: std::mem::take(&mut self.accompaniment_form),
            organisation_form: self.organisation_form.take(),
            outcome_note: std::mem::take(&mut self.outcome_note),
            rights: std::mem::take(&mut self.rights),
        }
    }

    fn restore(&mut self, work: Parked) {
        self.screen = work.screen;
        self.query = work.query;
        self.results = work.results;
        self.selected = work.selected;
        self.card = work.card;
        self.visitor_form = work.visitor_form;
        self.visitor_edit = work.visitor_edit;
        self.void_form = work.void_form;
        self.merge_form = work.merge_form;
        self.visit_form = work.visit_form;
        self.referral_form = work.referral_form;
        self.accompaniment_form = work.accompaniment_form;
        self.organisation_form = work.organisation_form;
        self.outcome_note = work.outcome_note;
        self.rights = work.rights;
    }
}
