//! The audit screen's commands (coordinators and administrators): the trail filtered by staff
//! member, action, visitor code and dates, and its export as CSV.

use super::{Command, Desk, Notice};
use crate::db::{self, audit};
use crate::domain::access::Permission;
use crate::domain::{StaffId, parse_date};
use crate::export;

/// How many entries the screen shows at most (the export takes the same).
pub const AUDIT_LIMIT: usize = 500;

/// The audit screen's filter as typed, and what it found.
#[derive(Debug, Clone, Default)]
pub struct AuditScreen {
    /// Only this staff member's entries.
    pub staff: Option<StaffId>,
    /// Only this action.
    pub action: Option<audit::Action>,
    /// Only entries about the visitor with this bureau code.
    pub visitor_code: String,
    /// From this day (as typed, `DD.MM.YYYY` or `YYYY-MM-DD`; empty: from the start).
    pub from: String,
    /// To this day (as typed; empty: to today).
    pub to: String,
    /// The entries found, newest first.
    pub entries: Vec<audit::Entry>,
    /// A date typed that cannot be read (i18n key).
    pub error: Option<&'static str>,
}

impl AuditScreen {
    /// The filter typed, or the key of the sentence saying which date cannot be read.
    fn filter(&self) -> Result<audit::Filter, &'static str> {
        let day = |typed: &str| -> Result<Option<String>, &'static str> {
            let typed = typed.trim();
            if typed.is_empty() {
                return Ok(None);
            }
            parse_date(typed)
                .map(|d| Some(d.format("%Y-%m-%d").to_string()))
                .ok_or("audit.bad_date")
        };
        let code = self.visitor_code.trim().to_uppercase();
        Ok(audit::Filter {
            staff_id: self.staff.map(|s| s.0),
            action: self.action,
            visitor_code: (!code.is_empty()).then_some(code),
            from: day(&self.from)?,
            to: day(&self.to)?,
        })
    }
}

impl Desk {
    /// Shows the audit screen with the latest entries.
    pub(super) fn open_audit(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(Permission::AuditTrail)?;
        self.screen = super::Screen::Audit;
        self.filter_audit()
    }

    /// Shows the entries the filter typed selects.
    pub(super) fn filter_audit(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        match self.audit.filter() {
            Err(key) => self.audit.error = Some(key),
            Ok(filter) => {
                self.audit.error = None;
                self.audit.entries = audit::entries(&self.db, &actor, &filter, AUDIT_LIMIT)?;
            }
        }
        Ok(())
    }

    /// Writes the entries shown as CSV to the exports folder, asking before replacing a file.
    pub(super) fn export_audit(&mut self) -> db::Result<()> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        actor.require(Permission::AuditTrail)?;
        let Some(folder) = self.export_folder()? else {
            return Ok(());
        };
        let path = folder.join(format!("audit-{}.csv", self.now().format("%Y%m%d-%H%M")));
        let Some(overwrite) = self.overwrite_or_ask(&path, false, Command::ExportAudit)? else {
            return Ok(());
        };
        let now = self.now();
        export::write_audit_csv(&self.db, &actor, &self.audit.entries, &path, overwrite, now)?;
        self.notice = Some(Notice::Saved("notice.exported", path.display().to_string()));
        Ok(())
    }
}
