//! The person's rights at the desk: consent given or withdrawn on the card, everything about the
//! person written where the desk worker chooses, erasure (a desk worker needs a coordinator's
//! confirmation, typed on the same desk), and the administrator's retention review.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::session::{self, Attempts};
use super::{Command, Desk, Notice};
use crate::db::erasure::RetentionReview;
use crate::db::{self, audit, consents, erasure, settings, staff};
use crate::domain::access::Permission;
use crate::domain::visitors::consent_day;
use crate::domain::{ConsentScope, VisitorId};
use crate::export::subject::{SubjectFormat, write_subject};

/// The rights section of the open card, and the retention review.
#[derive(Debug, Default)]
pub struct RightsForm {
    /// The day a consent change is recorded for (`dd.mm.yyyy`; empty: today).
    pub consent_day: String,
    /// Why the day typed was refused (i18n key).
    pub consent_error: Option<&'static str>,
    /// Where "everything about this person" is written: a folder, or a file name.
    pub subject_path: String,
    /// The erasure being confirmed, if "Erase this person" was pressed.
    pub erase: Option<EraseForm>,
    /// The retention review last counted (administrators).
    pub retention: Option<RetentionReview>,
    /// The administrator ticked that the people counted are to be anonymised.
    pub retention_confirmed: bool,
}

/// The confirmation of an erasure.
#[derive(Debug, Default)]
pub struct EraseForm {
    /// The visitor to erase.
    pub visitor: Option<VisitorId>,
    /// A desk worker's erasure: the coordinator who confirms it.
    pub coordinator: String,
    /// Their password; wiped after each try.
    pub password: zeroize::Zeroizing<String>,
    /// Why the last try failed (i18n key).
    pub error: Option<&'static str>,
    attempts: Attempts,
}

impl Desk {
    /// Records that the open card's visitor gave or withdrew a consent on the day typed.
    pub(super) fn record_consent(&mut self, scope: ConsentScope, given: bool) -> db::Result<()> {
        let (Some(actor), Some(id)) = (self.actor(), self.card_visitor()) else {
            return Ok(());
        };
        let now = self.now();
        let dated = match consent_day(&self.rights.consent_day, now.date()) {
            Ok(day) => day,
            Err(problem) => {
                self.rights.consent_error = Some(problem.label_key());
                return Ok(());
            }
        };
        match consents::record(&mut self.db, &actor, id, (scope, given), dated, now) {
            Err(db::Error::Invalid(problems)) => {
                self.rights.consent_error = problems.first().map(|p| p.problem.label_key());
                return Ok(());
            }
            other => other?,
        }
        self.rights.consent_error = None;
        self.rights.consent_day.clear();
        let code = self.card_code();
        self.refresh_open_card()?;
        self.notice = Some(Notice::Saved(
            if given {
                "notice.consent_given"
            } else {
                "notice.consent_withdrawn"
            },
            code,
        ));
        Ok(())
    }

    /// Writes everything about the open card's visitor where the desk worker typed, asking
    /// before replacing a file.
    pub(super) fn save_subject(&mut self, format: SubjectFormat) -> db::Result<()> {
        let (Some(actor), Some(id)) = (self.actor(), self.card_visitor()) else {
            return Ok(());
        };
        let Some(path) = subject_target(&self.rights.subject_path, &self.card_code(), format)
        else {
            self.notice = Some(Notice::Failed("error.subject_path"));
            return Ok(());
        };
        let Some(overwrite) = self.overwrite_or_ask(&path, false, Command::SaveSubject(format))?
        else {
            return Ok(());
        };
        let now = self.now();
        let language = self.slip_languages.0.clone();
        write_subject(
            &self.db,
            &actor,
            id,
            format,
            Some(&language),
            &path,
            overwrite,
            now,
        )?;
        self.notice = Some(Notice::Saved(
            "notice.subject_saved",
            path.display().to_string(),
        ));
        Ok(())
    }

    /// Opens the confirmation of "Erase this person" for the open card.
    pub(super) fn start_erase(&mut self) {
        self.rights.erase = Some(EraseForm {
            visitor: self.card_visitor(),
            ..EraseForm::default()
        });
    }

    /// Erases the visitor being confirmed: at once for a coordinator, with the coordinator's
    /// name and password typed for a desk worker.
    pub(super) fn confirm_erase(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let Some(form) = self.rights.erase.as_mut() else {
            return Ok(());
        };
        let Some(visitor) = form.visitor else {
            return Ok(());
        };
        let confirmer = if actor.role.may(Permission::Erase) {
            None
        } else {
            if !form.attempts.may_try() {
                form.error = Some("sign_in.wait");
                return Ok(());
            }
            let password = SecretString::from(form.password.as_str());
            form.password.clear();
            match session::verify(&self.db, &form.coordinator, &password) {
                Ok(person) if person.role.may(Permission::Erase) => Some(person.actor()),
                Ok(_) => {
                    form.error = Some("erase.not_coordinator");
                    return Ok(());
                }
                Err(error) => {
                    form.attempts.failed();
                    form.error = Some(error.label_key());
                    let whose = staff::named(&self.db, &form.coordinator)?.map(|s| s.id.0);
                    return audit::record_failed_sign_in(&self.db, whose, &self.stamp());
                }
            }
        };
        let now = self.now();
        let code = erasure::erase(&mut self.db, &actor, visitor, confirmer.as_ref(), now)?;
        // Unsaved forms about them go with them (the file's drafts went in the erasure).
        let theirs = |visit| {
            self.card_of_visit(visit)
                .is_some_and(|c| c.visitor.id == visitor)
        };
        let referral = theirs(self.referral_form.draft.visit);
        let accompaniment = theirs(self.accompaniment_form.draft.visit);
        if self.visit_form.draft.visitor == Some(visitor) {
            self.discard_draft(crate::db::drafts::DraftForm::Visit)?;
        }
        if referral {
            self.discard_draft(crate::db::drafts::DraftForm::Referral)?;
        }
        if accompaniment {
            self.discard_draft(crate::db::drafts::DraftForm::Accompaniment)?;
        }
        self.rights = RightsForm {
            retention: self.rights.retention.take(),
            ..RightsForm::default()
        };
        self.card = None;
        self.results.retain(|hit| hit.id != visitor);
        self.refresh_day()?;
        self.notice = Some(Notice::Saved("notice.erased", code));
        Ok(())
    }

    /// Counts the people past the retention limit (administrators).
    pub(super) fn review_retention(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let years = settings::retention_years(&self.db)?;
        let today = self.now().date();
        self.rights.retention = Some(erasure::review(&self.db, &actor, today, years)?);
        self.rights.retention_confirmed = false;
        Ok(())
    }

    /// Anonymises the people the review counted, once the administrator has ticked the box.
    pub(super) fn apply_retention(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let Some(review) = &self.rights.retention else {
            return Ok(());
        };
        if !self.rights.retention_confirmed {
            return Ok(());
        }
        let years = review.years;
        let now = self.now();
        let done = erasure::apply(&mut self.db, &actor, now.date(), years, now)?;
        self.card = None;
        self.results.clear();
        self.review_retention()?;
        self.refresh_day()?;
        self.notice = Some(Notice::Saved("notice.retention_applied", done.to_string()));
        Ok(())
    }

    fn card_visitor(&self) -> Option<VisitorId> {
        self.card.as_ref().map(|c| c.visitor.id)
    }

    fn card_code(&self) -> String {
        self.card
            .as_ref()
            .map(|c| c.visitor.code.clone())
            .unwrap_or_default()
    }
}

/// The file "everything about this person" goes to: inside the folder typed as `CODE.pdf`
/// (or `.json`), or the file name typed with that extension. `None` when nothing was typed.
fn subject_target(typed: &str, code: &str, format: SubjectFormat) -> Option<PathBuf> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let path = Path::new(typed);
    Some(if path.is_dir() {
        path.join(format!("{code}.{}", format.name()))
    } else {
        path.with_extension(format.name())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_goes_into_a_folder_or_takes_the_name_typed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let folder = dir.path().display().to_string();
        assert_eq!(
            subject_target(&folder, "B-000007", SubjectFormat::Pdf),
            Some(dir.path().join("B-000007.pdf"))
        );
        let named = dir.path().join("for-sakina");
        assert_eq!(
            subject_target(
                &named.display().to_string(),
                "B-000007",
                SubjectFormat::Json
            ),
            Some(dir.path().join("for-sakina.json"))
        );
        assert_eq!(subject_target("  ", "B-000007", SubjectFormat::Pdf), None);
    }
}
