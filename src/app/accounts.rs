//! The staff screen's commands (administrators): add a person with their own password, reset a
//! password, remove a person. Who opens the file holds a key slot; a partner does not.

use secrecy::SecretString;

use super::session::{self, NewMember};
use super::{Desk, Notice, Screen};
use crate::db::{self, Database, OpenMode, staff};
use crate::domain::{OrganisationId, Role, StaffId};
use crate::keys::RecoveryCode;

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

/// The staff screen's change of database key (administrators).
#[derive(Debug, Default)]
pub struct RekeyForm {
    /// The administrator's own password, asked again.
    pub password: zeroize::Zeroizing<String>,
    /// The first click asks "really?": everyone else's password stops opening the file.
    pub asked: bool,
    /// The new recovery code, shown until the administrator has put it away.
    pub recovery: Option<RecoveryCode>,
    /// Its printed sheet, deleted with the code.
    pub sheet: Option<std::path::PathBuf>,
    /// Why the last try failed (i18n key).
    pub error: Option<&'static str>,
}

impl Drop for RekeyForm {
    /// The sheet lives only as long as the code is on screen.
    fn drop(&mut self) {
        if let Some(sheet) = self.sheet.take() {
            drop(std::fs::remove_file(sheet));
        }
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
        match session::set_password(
            &self.db,
            &actor,
            &member,
            (&password, &again),
            &self.stamp(),
        ) {
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
        match session::remove_staff(&self.db, &actor, &member, &self.stamp()) {
            Ok(()) => {
                self.notice = Some(Notice::Saved("notice.staff_removed", member.display_name));
                self.staff = staff::list(&self.db)?;
            }
            Err(error) => self.staff_form.error = Some(error.label_key()),
        }
        Ok(())
    }

    /// Changes the database key (`session::rekey`) with the password typed: the desk goes on
    /// on the file under its new key and shows the new recovery code. If it fails the desk
    /// goes on under the old key; if even that cannot be opened the person is signed out (the
    /// sign-in screen says what the file is).
    pub(super) fn rekey(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(crate::domain::access::Permission::ManageStaff)?;
        let Some(admin) = self.at_desk.clone() else {
            return Ok(());
        };
        let password = SecretString::from(self.rekey_form.password.as_str());
        self.rekey_form.password.clear();
        self.rekey_form.asked = false;
        let (Some(path), Some(old_key)) = (
            self.db.path().map(std::path::Path::to_owned),
            self.db.key().map(crate::keys::DatabaseKey::duplicate),
        ) else {
            self.rekey_form.error = Some("sign_in.not_encrypted");
            return Ok(());
        };
        // The backup beside the desk reads the file: it ends before the file is replaced.
        self.finish_backup();
        let folder = db::backup::folder_of(&self.db)?;
        let database = std::mem::replace(&mut self.db, Database::open_in_memory()?);
        match session::rekey(database, &admin, &password, &folder, self.now()) {
            Ok((database, recovery)) => {
                self.db = database;
                self.rekey_form.error = None;
                self.rekey_form.recovery = Some(recovery);
                self.staff = staff::list(&self.db)?;
                self.notice = Some(Notice::Saved("notice.rekeyed", admin.display_name));
            }
            Err(error) => {
                self.rekey_form.error = Some(error.label_key());
                match Database::open_encrypted(&path, OpenMode::Existing, old_key) {
                    Ok(database) => self.db = database,
                    Err(_) => self.signed_out = true,
                }
            }
        }
        Ok(())
    }

    /// Prints the sheet of the new recovery code.
    pub(super) fn print_new_recovery(&mut self) {
        let Some(code) = &self.rekey_form.recovery else {
            return;
        };
        match session::print_recovery_sheet(
            &self.db,
            code,
            &self.locale,
            self.slip_output.open_viewer,
        ) {
            Ok(sheet) => {
                if let Some(old) = self.rekey_form.sheet.replace(sheet) {
                    drop(std::fs::remove_file(old));
                }
            }
            Err(error) => self.rekey_form.error = Some(error.label_key()),
        }
    }
}
