//! Typed work is never lost: the new-visitor, visit, referral and accompaniment forms are kept
//! as drafts in the database file while they hold something unsaved (written about once a second as the person types), so
//! they come back after leaving the form, after the lock, after a closed window or a crash.
//! Starting the form again reopens the draft; the form's "Discard" throws it away.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{AccompanimentForm, Desk, Notice, ReferralForm, VisitForm, VisitorForm};
use crate::db::{self, drafts, drafts::DraftForm};
use crate::domain::referrals::{AccompanimentDraft, AccompanimentId, ReferralDraft, ReferralId};
use crate::domain::{OrganisationId, VisitDraft, VisitId, VisitorDraft, VisitorId};

/// How often the forms are compared with their kept drafts.
const KEEP_EVERY: Duration = Duration::from_secs(1);

/// What was last written of each form, to write only what changed.
#[derive(Debug, Default)]
pub struct KeptDrafts {
    visitor: Option<VisitorDraft>,
    visit: Option<KeptVisit>,
    referral: Option<KeptReferral>,
    accompaniment: Option<KeptAccompaniment>,
    checked: Option<Instant>,
}

/// The referral form as kept: what was typed, its heading and whether details may be shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KeptReferral {
    draft: ReferralDraft,
    visitor: Option<(String, String)>,
    may_share: bool,
    /// The referral being corrected, when the form corrects one.
    #[serde(default)]
    correcting: Option<ReferralId>,
}

/// The accompaniment form as kept: what was typed and its heading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KeptAccompaniment {
    draft: AccompanimentDraft,
    visitor: Option<(String, String)>,
    /// The accompaniment being corrected, when the form corrects one.
    #[serde(default)]
    correcting: Option<AccompanimentId>,
}

/// The visit form as kept: what was typed and the heading it was for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KeptVisit {
    draft: VisitDraft,
    visitor: Option<(String, String)>,
    provider: Option<OrganisationId>,
    /// The visit being corrected, when the form corrects one (drafts before version 7 have
    /// none).
    #[serde(default)]
    correcting: Option<VisitId>,
}

/// True when the new-visitor form holds something typed (beyond a family's details filled in).
pub fn visitor_form_has_work(form: &VisitorForm) -> bool {
    let start = form
        .family_of
        .as_ref()
        .map_or_else(VisitorDraft::default, |family| family.prefilled.clone());
    form.draft != start
}

/// True when the referral form holds something beyond what a new one starts with (its visit and
/// the follow-up day).
pub fn referral_form_has_work(form: &ReferralForm) -> bool {
    let d = &form.draft;
    d.organisation.is_some()
        || !d.reason.trim().is_empty()
        || !d.appointment_date.trim().is_empty()
        || !d.appointment_time.trim().is_empty()
}

/// True when the accompaniment form holds something beyond what a new one starts with (its
/// visit, tomorrow, the escort, the interpreter's language).
pub fn accompaniment_form_has_work(form: &AccompanimentForm) -> bool {
    let d = &form.draft;
    d.organisation.is_some()
        || !d.purpose.trim().is_empty()
        || !d.time.trim().is_empty()
        || !d.meeting_point.trim().is_empty()
}

/// True when the visit form holds something beyond what a new visit starts with (the day, the
/// time, the person who sees the visitor, the language).
pub fn visit_form_has_work(form: &VisitForm) -> bool {
    let d = &form.draft;
    !d.services.is_empty() || !d.notes.trim().is_empty() || !d.duration.trim().is_empty()
}

impl Desk {
    /// True when a form holds typed work not yet saved (the window asks before closing).
    pub fn has_unsaved_work(&self) -> bool {
        visitor_form_has_work(&self.visitor_form)
            || visit_form_has_work(&self.visit_form)
            || referral_form_has_work(&self.referral_form)
            || accompaniment_form_has_work(&self.accompaniment_form)
            || self.visitor_edit.as_ref().is_some_and(|e| e.has_changes())
    }

    /// The registered person a referral or accompaniment draft is about: the open card's, when
    /// the draft's visit is one of theirs.
    fn visitor_of_visit(&self, visit: Option<VisitId>) -> Option<VisitorId> {
        self.card_of_visit(visit).map(|card| card.visitor.id)
    }

    /// Writes the forms that changed since they were last kept, at most once a second unless
    /// `now` is asked (before the lock, before the window closes).
    pub(super) fn keep_drafts(&mut self, now: bool) -> db::Result<()> {
        if !now
            && self
                .kept
                .checked
                .is_some_and(|at| at.elapsed() < KEEP_EVERY)
        {
            return Ok(());
        }
        self.kept.checked = Some(Instant::now());
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        let visitor =
            visitor_form_has_work(&self.visitor_form).then(|| self.visitor_form.draft.clone());
        if visitor != self.kept.visitor {
            // A person not yet registered: no one to tie the draft to.
            keep_or_discard(
                self,
                &actor,
                DraftForm::Visitor,
                None,
                visitor.as_ref(),
                &stamp,
            )?;
            self.kept.visitor = visitor;
        }
        let visit = visit_form_has_work(&self.visit_form).then(|| KeptVisit {
            draft: self.visit_form.draft.clone(),
            visitor: self.visit_form.visitor.clone(),
            provider: self.visit_form.provider,
            correcting: self.visit_form.correcting,
        });
        if visit != self.kept.visit {
            let about = self.visit_form.draft.visitor;
            keep_or_discard(
                self,
                &actor,
                DraftForm::Visit,
                about,
                visit.as_ref(),
                &stamp,
            )?;
            self.kept.visit = visit;
        }
        let referral = referral_form_has_work(&self.referral_form).then(|| KeptReferral {
            draft: self.referral_form.draft.clone(),
            visitor: self.referral_form.visitor.clone(),
            may_share: self.referral_form.may_share,
            correcting: self.referral_form.correcting,
        });
        if referral != self.kept.referral {
            let about = self.visitor_of_visit(self.referral_form.draft.visit);
            keep_or_discard(
                self,
                &actor,
                DraftForm::Referral,
                about,
                referral.as_ref(),
                &stamp,
            )?;
            self.kept.referral = referral;
        }
        let accompaniment =
            accompaniment_form_has_work(&self.accompaniment_form).then(|| KeptAccompaniment {
                draft: self.accompaniment_form.draft.clone(),
                visitor: self.accompaniment_form.visitor.clone(),
                correcting: self.accompaniment_form.correcting,
            });
        if accompaniment != self.kept.accompaniment {
            let about = self.visitor_of_visit(self.accompaniment_form.draft.visit);
            keep_or_discard(
                self,
                &actor,
                DraftForm::Accompaniment,
                about,
                accompaniment.as_ref(),
                &stamp,
            )?;
            self.kept.accompaniment = accompaniment;
        }
        Ok(())
    }

    /// Puts the drafts of the person at the desk back into the forms (on opening the desk, or
    /// when another person unlocks it with nothing parked), and says so when there were any.
    /// Drafts older than `drafts::KEPT_DAYS` are removed first.
    pub(super) fn restore_drafts(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let before = self.now() - chrono::Duration::days(drafts::KEPT_DAYS as i64);
        drafts::forget_before(&self.db, &crate::domain::format_stamp(before))?;
        self.kept = KeptDrafts::default();
        let visitor: Option<VisitorDraft> = kept_form(&self.db, &actor, DraftForm::Visitor)?;
        let visit: Option<KeptVisit> = kept_form(&self.db, &actor, DraftForm::Visit)?;
        let referral: Option<KeptReferral> = kept_form(&self.db, &actor, DraftForm::Referral)?;
        let accompaniment: Option<KeptAccompaniment> =
            kept_form(&self.db, &actor, DraftForm::Accompaniment)?;
        let any =
            visitor.is_some() || visit.is_some() || referral.is_some() || accompaniment.is_some();
        if let Some(kept) = referral {
            self.referral_form = ReferralForm {
                draft: kept.draft.clone(),
                visitor: kept.visitor.clone(),
                may_share: kept.may_share,
                correcting: kept.correcting,
                ..ReferralForm::default()
            };
            self.kept.referral = Some(kept);
        }
        if let Some(kept) = accompaniment {
            self.accompaniment_form = AccompanimentForm {
                draft: kept.draft.clone(),
                visitor: kept.visitor.clone(),
                correcting: kept.correcting,
                ..AccompanimentForm::default()
            };
            self.kept.accompaniment = Some(kept);
        }
        if let Some(draft) = visitor {
            self.visitor_form = VisitorForm {
                draft: draft.clone(),
                ..VisitorForm::default()
            };
            self.kept.visitor = Some(draft);
        }
        if let Some(kept) = visit {
            self.visit_form = VisitForm {
                draft: kept.draft.clone(),
                visitor: kept.visitor.clone(),
                provider: kept.provider,
                correcting: kept.correcting,
                ..VisitForm::default()
            };
            self.kept.visit = Some(kept);
        }
        if any {
            self.notice = Some(Notice::Saved("notice.drafts_back", String::new()));
        }
        Ok(())
    }

    /// Throws away the draft of `form` (the form's "Discard") and starts it clean.
    pub(super) fn discard_draft(&mut self, form: DraftForm) -> db::Result<()> {
        match form {
            DraftForm::Visitor => {
                self.visitor_form = VisitorForm::default();
                self.kept.visitor = None;
            }
            DraftForm::Visit => {
                self.visit_form = VisitForm::default();
                self.kept.visit = None;
            }
            DraftForm::Referral => {
                self.referral_form = ReferralForm::default();
                self.kept.referral = None;
            }
            DraftForm::Accompaniment => {
                self.accompaniment_form = AccompanimentForm::default();
                self.kept.accompaniment = None;
            }
        }
        match self.actor() {
            Some(actor) => drafts::discard(&self.db, &actor, form),
            None => Ok(()),
        }
    }
}

/// Keeps `kept` as the actor's draft of `form`, or removes the draft when there is none.
fn keep_or_discard<T: Serialize>(
    desk: &Desk,
    actor: &crate::domain::Actor,
    form: DraftForm,
    about: Option<VisitorId>,
    kept: Option<&T>,
    stamp: &str,
) -> db::Result<()> {
    match kept {
        Some(kept) => drafts::keep(&desk.db, actor, form, about, &to_json(kept)?, stamp),
        None => drafts::discard(&desk.db, actor, form),
    }
}

/// The actor's kept draft of `form`, read back; one that no longer reads (written by another
/// version of the form) is left out.
fn kept_form<T: serde::de::DeserializeOwned>(
    db: &db::Database,
    actor: &crate::domain::Actor,
    form: DraftForm,
) -> db::Result<Option<T>> {
    Ok(drafts::kept(db, actor, form)?.and_then(|d| serde_json::from_str(&d.body).ok()))
}

fn to_json<T: Serialize>(value: &T) -> db::Result<String> {
    serde_json::to_string(value).map_err(|e| db::Error::Storage(e.to_string()))
}
