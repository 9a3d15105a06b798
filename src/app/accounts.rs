//! The staff screen's commands (administrators): add a person with their own password, reset a
//! password, remove a person. Who opens the file holds a key slot; a partner does not.

use secrecy::SecretString;

use super::session::{self, NewMember};
use super::{Desk, Notice, Screen};
use crate::db::{self, staff};
use crate::domain::{OrganisationId, Role, StaffId};

/// The staff screen's fields.
#[derive(Debug, Default)]
pub struct StaffForm {
    /// Name of the person to add.
    pub name: String,
    /// Their role.
    pub role: Option<Role>,
    /// A partner's organisation.
    pub organisation: Option<OrganisationId>,
    /// New password (for a new person, or a reset).
    pub password: zeroize::Zeroizing<String>,
    /// The same again.
    pub password_again: zeroize::Zeroizing<String>,
    /// Whose password is being reset, if that is what the form does.
    pub reset_for: Option<StaffId>,
    /// Whose removal waits for a second click ("really remove?").
    pub remove_asked: Option<StaffId>,
    /// Why the last action failed (i18n key).
    pub error: Option<&'static str>,
}

impl StaffForm {
    fn passwords(&mut self) -> (SecretString, SecretString) {
        let pair = (
            SecretString::from(self.password.as_str()),
            SecretString::from(self.password_again.as_str()),
        );
        self.password.clear();
        self.password_again.clear();
        pair
    }
}

impl Desk {
    /// Shows the staff screen.
    pub(super) fn open_staff(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::ManageStaff)?;
        self.staff = staff::list(&self.db)?;
        self.staff_form = StaffForm::default();
        self.screen = Screen::Staff;
        Ok(())
    }

    /// Adds the person typed on the staff screen.
    pub(super) fn add_staff(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        let (password, again) = self.staff_form.passwords();
        let Some(role) = self.staff_form.role else {
            self.staff_form.error = Some("staff.no_role");
            return Ok(());
        };
        let member = NewMember {
            name: &self.staff_form.name,
            role,
            organisation: self.staff_form.organisation,
        };
        let now = self.stamp();
        match session::add_staff(&mut self.db, &actor, &member, &password, &again, &now) {
            Ok(added) => {
                self.notice = Some(Notice::Saved("notice.staff_added", added.display_name));
                self.staff_form = StaffForm::default();
                self.staff = staff::list(&self.db)?;
            }
            Err(error) => self.staff_form.error = Some(error.label_key()),
        }
        Ok(())
    }

    /// Sets the new password typed for the person whose reset was asked.
    pub(super) fn reset_password(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::ManageStaff)?;
        let Some(id) = self.staff_form.reset_for else {
            return Ok(());
        };
        let member = staff::find(&self.db, id)?;
        let (password, again) = self.staff_form.passwords();
        match session::set_password(&self.db, &member, &password, &again) {
            Ok(()) => {
                self.notice = Some(Notice::Saved("notice.password_set", member.display_name));
                self.staff_form = StaffForm::default();
            }
            Err(error) => self.staff_form.error = Some(error.label_key()),
        }
        Ok(())
    }

    /// Removes a person: their slot goes and they are no longer on the list.
    pub(super) fn remove_staff(&mut self, id: StaffId) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        let member = staff::find(&self.db, id)?;
        match session::remove_staff(&self.db, &actor, &member) {
            Ok(()) => {
                self.notice = Some(Notice::Saved("notice.staff_removed", member.display_name));
                self.staff = staff::list(&self.db)?;
            }
            Err(error) => self.staff_form.error = Some(error.label_key()),
        }
        Ok(())
    }
}
