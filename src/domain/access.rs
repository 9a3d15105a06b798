//! Who may do what: the roles' permissions (the matrix of `docs/access.md`). Every library call
//! that reads or writes personal data asks the acting person's role here first and fails with
//! `Forbidden` when the role may not; the screens hide what a role cannot do, but the check is
//! in the library.

use super::{Actor, Role};

/// Something a role may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Find visitors and see a card's identity: code, names, country, languages.
    SeeIdentity,
    /// See the whole card: legal status, birth date, phone, consents, every visit and its notes.
    SeeCard,
    /// Register a new visitor.
    Register,
    /// Log a visit (a partner only with their own organisation as the provider).
    LogVisits,
    /// Issue referrals, book accompaniments, print their slips, record their outcomes.
    Refer,
    /// Hand the screen to a visitor for feedback.
    Feedback,
    /// The period's figures, reports and exports.
    Reports,
    /// Change the directory of organisations.
    EditDirectory,
    /// Read the audit trail.
    AuditTrail,
    /// Add and remove staff, reset their passwords.
    ManageStaff,
    /// Change the desk's settings.
    Settings,
    /// Make and restore backups.
    Backups,
    /// Give a person everything the bureau holds about them (subject access).
    SubjectAccess,
    /// Erase a person (a desk worker only with a coordinator's confirmation).
    Erase,
    /// Review the retention limit and anonymise the people past it.
    Retention,
    /// Correct or void any visit, at any time (anyone may void the visits they logged, and
    /// correct them on the day they logged them).
    CorrectAnyVisit,
    /// Merge two registrations of one person into one record.
    Merge,
    /// Undo a merge, on the day it was made.
    UndoMerge,
    /// Bring in an earlier register.
    Import,
    /// Edit the month's programme of partners at the bureau (everyone reads it).
    EditProgramme,
}

impl Permission {
    /// Every permission, in the order of the matrix.
    pub const ALL: [Permission; 20] = [
        Permission::SeeIdentity,
        Permission::SeeCard,
        Permission::Register,
        Permission::LogVisits,
        Permission::Refer,
        Permission::Feedback,
        Permission::Reports,
        Permission::EditDirectory,
        Permission::AuditTrail,
        Permission::ManageStaff,
        Permission::Settings,
        Permission::Backups,
        Permission::SubjectAccess,
        Permission::Erase,
        Permission::Retention,
        Permission::CorrectAnyVisit,
        Permission::Merge,
        Permission::UndoMerge,
        Permission::Import,
        Permission::EditProgramme,
    ];
}

impl Role {
    /// Whether this role may do `permission`.
    pub fn may(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Coordinator => {
                !matches!(permission, ManageStaff | Settings | Backups | Retention)
            }
            Role::Desk => matches!(
                permission,
                SeeIdentity
                    | SeeCard
                    | Register
                    | LogVisits
                    | Refer
                    | Feedback
                    | SubjectAccess
                    | Merge
            ),
            Role::Partner => matches!(permission, SeeIdentity | LogVisits),
            // Volunteers escort visitors: the identity on the card and the accompaniments.
            Role::Volunteer => matches!(permission, SeeIdentity | Refer),
        }
    }
}

/// The acting person's role may not do this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this role may not do that ({0:?})")]
pub struct Forbidden(pub Permission);

impl Actor {
    /// Succeeds when the actor's role may do `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), Forbidden> {
        if self.role.may(permission) {
            Ok(())
        } else {
            Err(Forbidden(permission))
        }
    }

    /// Whether the actor sees every visit, or (a partner) only their organisation's.
    pub fn sees_every_visit(&self) -> bool {
        self.role.may(Permission::SeeCard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_may_everything_and_partners_almost_nothing() {
        for permission in Permission::ALL {
            assert!(Role::Admin.may(permission));
        }
        let partner: Vec<Permission> = Permission::ALL
            .into_iter()
            .filter(|p| Role::Partner.may(*p))
            .collect();
        assert_eq!(
            partner,
            [Permission::SeeIdentity, Permission::LogVisits],
            "a partner sees identities and logs their services"
        );
        assert!(Role::Coordinator.may(Permission::Reports));
        assert!(!Role::Coordinator.may(Permission::ManageStaff));
        assert!(!Role::Desk.may(Permission::Reports));
    }
}
