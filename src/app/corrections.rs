//! Correcting the record: a registered person's card edited with the same form and checks as
//! at registration (consents are never edited: ticked or unticked, they become new records); a
//! visit corrected or voided; a referral or accompaniment corrected, or reissued once printed.

use super::{
    AccompanimentForm, Command, Desk, Notice, ReferralForm, Screen, SlipTarget, VisitForm,
    VisitorForm, drafts,
};
use crate::db::referrals::{self, AccompanimentCorrection, ReferralCorrection};
use crate::db::{self, organisations, visitors, visits};
use crate::domain::referrals::{AccompanimentDraft, AccompanimentId, ReferralDraft, ReferralId};
use crate::domain::{
    FieldError, ServiceLine, VisitDraft, VisitId, VisitorDraft, VisitorId, format_date,
};

/// The correction of one person's record, kept while the desk is open (leaving the form and
/// coming back to the same person brings back what was typed).
#[derive(Debug, Clone, PartialEq)]
pub struct VisitorEdit {
    /// Whose record.
    pub visitor: VisitorId,
    /// Their bureau code, for the heading.
    pub code: String,
    /// The record as it was read, to tell what the person changed.
    pub original: VisitorDraft,
    /// The form, prefilled.
    pub form: VisitorForm,
}

/// The reason being typed for voiding a visit on the open card.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VoidForm {
    /// Which visit.
    pub visit: Option<VisitId>,
    /// The reason, as typed.
    pub reason: String,
    /// Problems from the last attempt.
    pub errors: Vec<FieldError>,
}

impl VisitorEdit {
    /// True when something was changed and not yet saved.
    pub fn has_changes(&self) -> bool {
        self.form.draft != self.original
    }
}

impl Desk {
    /// Opens the open card's record in the visitor form, prefilled; a correction left unsaved
    /// for the same person comes back as it was.
    pub(super) fn edit_visitor(&mut self) -> db::Result<()> {
        let Some(card) = self.card.as_ref() else {
            return Ok(());
        };
        if card.visitor.restricted {
            // Fields this role does not see would be written back as unanswered.
            return Err(db::Error::Forbidden(
                crate::domain::access::Permission::SeeCard,
            ));
        }
        let visitor = card.visitor.id;
        let kept = self
            .visitor_edit
            .as_ref()
            .is_some_and(|edit| edit.visitor == visitor && edit.has_changes());
        if !kept {
            let original = VisitorDraft::from_details(&card.visitor.details);
            self.visitor_edit = Some(VisitorEdit {
                visitor,
                code: card.visitor.code.clone(),
                form: VisitorForm {
                    draft: original.clone(),
                    ..VisitorForm::default()
                },
                original,
            });
        }
        self.screen = Screen::EditVisitor;
        self.focus_form = true;
        Ok(())
    }

    /// Validates the correction like a registration and stores it; the card shows the record
    /// as it now is, with who changed it and when.
    pub(super) fn save_visitor_edit(&mut self) -> db::Result<()> {
        let today = self.now().date();
        let (Some(actor), Some(edit)) = (self.actor(), self.visitor_edit.as_mut()) else {
            return Ok(());
        };
        let new = match edit.form.draft.validate(today) {
            Ok(new) => new,
            Err(errors) => {
                edit.form.errors = errors;
                return Ok(());
            }
        };
        let (visitor, code) = (edit.visitor, edit.code.clone());
        let now = self.now();
        let changed = match visitors::update(&mut self.db, &actor, visitor, &new, now) {
            Err(db::Error::Invalid(errors)) => {
                if let Some(edit) = self.visitor_edit.as_mut() {
                    edit.form.errors = errors;
                }
                return Ok(());
            }
            other => other?,
        };
        self.visitor_edit = None;
        self.notice = Some(if changed.is_empty() {
            Notice::Saved("notice.nothing_changed", code)
        } else {
            Notice::Saved("notice.visitor_corrected", code)
        });
        self.try_run(Command::OpenVisitor(visitor))?;
        self.screen = Screen::Desk;
        self.focus_search = true;
        Ok(())
    }

    /// Voids the visit the reason was typed for; the card shows it struck through.
    pub(super) fn void_visit(&mut self) -> db::Result<()> {
        let (Some(actor), Some(visit)) = (self.actor(), self.void_form.visit) else {
            return Ok(());
        };
        let now = self.now();
        match visits::void(&mut self.db, &actor, visit, &self.void_form.reason, now) {
            Err(db::Error::Invalid(errors)) => {
                self.void_form.errors = errors;
                return Ok(());
            }
            other => other?,
        }
        self.void_form = VoidForm::default();
        let card = self
            .card
            .as_ref()
            .map(|c| (c.visitor.id, c.visitor.code.clone()));
        if let Some((visitor, code)) = card {
            self.try_run(Command::OpenVisitor(visitor))?;
            self.notice = Some(Notice::Saved("notice.visit_voided", code));
        }
        self.refresh_day()
    }

    /// Opens a visit of the card in the visit form, prefilled, to correct it. Unsaved work in
    /// the visit form comes back first (and says when it is not this visit).
    pub(super) fn start_visit_correction(&mut self, visit: VisitId) {
        if drafts::visit_form_has_work(&self.visit_form) {
            self.visit_form.reopened = true;
            self.visit_form.for_someone_else = self.visit_form.correcting != Some(visit);
            self.screen = Screen::VisitForm;
            self.focus_form = true;
            return;
        }
        let Some(card) = self.card.as_ref() else {
            return;
        };
        let Some(logged) = card.visits.iter().find(|v| v.id == visit) else {
            return;
        };
        self.visit_form = VisitForm {
            draft: VisitDraft {
                visitor: logged.visitor,
                date: format_date(logged.at.date(), "bg"),
                time: logged.at.format("%H:%M").to_string(),
                staff: Some(logged.staff),
                language: logged.language.clone(),
                interpreter: logged.interpreter,
                duration: logged
                    .duration_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                services: logged
                    .services
                    .iter()
                    .map(|s| ServiceLine {
                        service_type: s.service_type,
                        provider: s.provider,
                    })
                    .collect(),
                notes: logged.notes.clone(),
            },
            visitor: Some((card.visitor.code.clone(), card.visitor.full_name())),
            provider: logged.services.first().map(|s| s.provider),
            correcting: Some(visit),
            ..VisitForm::default()
        };
        self.screen = Screen::VisitForm;
        self.focus_form = true;
    }

    /// Validates the corrected visit like a new one and stores it.
    pub(super) fn save_visit_correction(&mut self) -> db::Result<()> {
        let (Some(actor), Some(visit)) = (self.actor(), self.visit_form.correcting) else {
            return Ok(());
        };
        let now = self.now();
        let corrected = match self.visit_form.draft.validate(now) {
            Ok(corrected) => corrected,
            Err(errors) => {
                self.visit_form.errors = errors;
                return Ok(());
            }
        };
        let changed = visits::correct(&mut self.db, &actor, visit, &corrected, now)?;
        let code = self
            .visit_form
            .visitor
            .as_ref()
            .map(|(code, _)| code.clone())
            .unwrap_or_default();
        self.discard_draft(db::drafts::DraftForm::Visit)?;
        self.notice = Some(if changed.is_empty() {
            Notice::Saved("notice.nothing_changed", code)
        } else {
            Notice::Saved("notice.visit_corrected", code)
        });
        self.screen = Screen::Desk;
        self.focus_search = true;
        if let Some(visitor) = corrected.visitor {
            self.try_run(Command::OpenVisitor(visitor))?;
        }
        self.refresh_day()
    }

    /// Opens an issued referral of the card in the referral form, prefilled, to correct it.
    /// Unsaved work in the referral form comes back first.
    pub(super) fn start_referral_correction(&mut self, id: ReferralId) -> db::Result<()> {
        self.destinations = organisations::destinations(&self.db)?;
        if drafts::referral_form_has_work(&self.referral_form) {
            self.referral_form.reopened = true;
            self.referral_form.for_someone_else = self.referral_form.correcting != Some(id);
            self.screen = Screen::ReferralForm;
            return Ok(());
        }
        let Some(issued) = self
            .card
            .as_ref()
            .and_then(|card| card.referrals.iter().find(|r| r.id == id))
            .cloned()
        else {
            return Ok(());
        };
        let (visitor, may_share) = self.card_for_visit(issued.visit);
        self.referral_form = ReferralForm {
            draft: ReferralDraft {
                visit: Some(issued.visit),
                organisation: Some(issued.organisation),
                service_type: Some(issued.service_type),
                reason: issued.reason.clone(),
                appointment_date: issued
                    .appointment_at
                    .map(|at| format_date(at.date(), "bg"))
                    .unwrap_or_default(),
                appointment_time: issued
                    .appointment_at
                    .map(|at| at.format("%H:%M").to_string())
                    .unwrap_or_default(),
                follow_up: issued
                    .follow_up_on
                    .map(|day| format_date(day, "bg"))
                    .unwrap_or_default(),
                for_household: issued.for_household,
            },
            visitor,
            may_share,
            correcting: Some(id),
            ..ReferralForm::default()
        };
        self.screen = Screen::ReferralForm;
        Ok(())
    }

    /// Validates the corrected referral like a new one and stores it: in place until its slip
    /// is printed, as a new referral (and a new slip to print) after.
    pub(super) fn save_referral_correction(&mut self) -> db::Result<()> {
        let (Some(actor), Some(id)) = (self.actor(), self.referral_form.correcting) else {
            return Ok(());
        };
        let now = self.now();
        let corrected = match self.referral_form.draft.validate(now.date()) {
            Ok(corrected) => corrected,
            Err(errors) => {
                self.referral_form.errors = errors;
                return Ok(());
            }
        };
        let print = self.referral_form.print_after_save;
        let done = referrals::correct_referral(&mut self.db, &actor, id, &corrected, now)?;
        self.discard_draft(db::drafts::DraftForm::Referral)?;
        let (notice, slip) = match done {
            ReferralCorrection::Unchanged => ("notice.nothing_changed", id),
            ReferralCorrection::Corrected(_) => ("notice.referral_corrected", id),
            ReferralCorrection::Reissued(new) => ("notice.referral_reissued", new),
        };
        self.after_booking()?;
        let reference = self
            .card
            .as_ref()
            .and_then(|card| card.referrals.iter().find(|r| r.id == slip))
            .map(|r| r.reference.clone())
            .unwrap_or_default();
        self.notice = Some(Notice::Saved(notice, reference));
        if print {
            self.try_run(Command::PrintSlip(SlipTarget::Referral(slip)))?;
        }
        Ok(())
    }

    /// Opens a planned accompaniment of the card in the accompaniment form, prefilled, to
    /// correct it. Unsaved work in the accompaniment form comes back first.
    pub(super) fn start_accompaniment_correction(&mut self, id: AccompanimentId) -> db::Result<()> {
        self.destinations = organisations::destinations(&self.db)?;
        if drafts::accompaniment_form_has_work(&self.accompaniment_form) {
            self.accompaniment_form.reopened = true;
            self.accompaniment_form.for_someone_else =
                self.accompaniment_form.correcting != Some(id);
            self.screen = Screen::AccompanimentForm;
            return Ok(());
        }
        let Some(booked) = self
            .card
            .as_ref()
            .and_then(|card| card.accompaniments.iter().find(|a| a.id == id))
            .cloned()
        else {
            return Ok(());
        };
        let (visitor, _) = self.card_for_visit(booked.visit);
        self.accompaniment_form = AccompanimentForm {
            draft: AccompanimentDraft {
                visit: Some(booked.visit),
                organisation: Some(booked.organisation),
                purpose: booked.purpose.clone(),
                date: format_date(booked.scheduled_at.date(), "bg"),
                time: booked.scheduled_at.format("%H:%M").to_string(),
                meeting_point: booked.meeting_point.clone(),
                escort: booked.escort,
                interpreter_language: booked.interpreter_language.clone().unwrap_or_default(),
            },
            visitor,
            correcting: Some(id),
            ..AccompanimentForm::default()
        };
        self.screen = Screen::AccompanimentForm;
        Ok(())
    }

    /// Validates the corrected accompaniment like a new booking and stores it: in place until
    /// its confirmation is printed, as a new booking (and a new confirmation to print) after.
    pub(super) fn save_accompaniment_correction(&mut self) -> db::Result<()> {
        let (Some(actor), Some(id)) = (self.actor(), self.accompaniment_form.correcting) else {
            return Ok(());
        };
        let corrected = match self.accompaniment_form.draft.validate() {
            Ok(corrected) => corrected,
            Err(errors) => {
                self.accompaniment_form.errors = errors;
                return Ok(());
            }
        };
        let now = self.now();
        let done = referrals::correct_accompaniment(&mut self.db, &actor, id, &corrected, now)?;
        self.discard_draft(db::drafts::DraftForm::Accompaniment)?;
        let (notice, shown) = match done {
            AccompanimentCorrection::Unchanged => ("notice.nothing_changed", id),
            AccompanimentCorrection::Corrected(_) => ("notice.accompaniment_corrected", id),
            AccompanimentCorrection::Reissued(new) => ("notice.accompaniment_reissued", new),
        };
        self.after_booking()?;
        let reference = self
            .card
            .as_ref()
            .and_then(|card| card.accompaniments.iter().find(|a| a.id == shown))
            .map(|a| a.reference.clone())
            .unwrap_or_default();
        self.notice = Some(Notice::Saved(notice, reference));
        Ok(())
    }
}
