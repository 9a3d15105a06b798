//! The reports screen's commands: the figures of the period typed, and their exports.

use super::{Command, Desk, Notice};
use crate::db::{self, figures};
use crate::domain::figures::Period;
use crate::export::{self, Format};

impl Desk {
    /// Computes the figures of the period typed on the reports screen, and of the period of
    /// the same length before it; a period that cannot be read says why.
    pub(super) fn compute_report(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        match Period::parse(&self.reports.from, &self.reports.to) {
            Err(error) => self.reports.period_error = Some(error),
            Ok(period) => {
                self.reports.period_error = None;
                self.reports.figures = Some(figures::compute(&self.db, &actor, period)?);
                self.reports.previous =
                    Some(figures::compute(&self.db, &actor, period.previous())?);
            }
        }
        Ok(())
    }

    /// Writes the shown figures in `format` to the exports folder, asking before replacing an
    /// earlier export of the same period.
    pub(super) fn export(&mut self, format: Format) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let Some(figures) = self.reports.figures.clone() else {
            return Ok(());
        };
        let Some(folder) = self.export_folder()? else {
            return Ok(());
        };
        let path = folder.join(export::default_name(&figures, format));
        let Some(overwrite) =
            self.overwrite_or_ask(&path, format == Format::Csv, Command::Export(format))?
        else {
            return Ok(());
        };
        let options = export::Options {
            mask_small_counts: self.reports.mask_small_counts,
            records: self.reports.records,
            locale: self.locale.clone(),
            ..export::Options::default()
        };
        let now = self.now();
        export::write(
            &self.db, &actor, &figures, format, &path, &options, overwrite, now,
        )?;
        self.notice = Some(Notice::Saved("notice.exported", path.display().to_string()));
        self.reports.last_export = Some(path);
        Ok(())
    }
}
