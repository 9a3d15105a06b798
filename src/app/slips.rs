//! The desk's slip commands: print a referral slip or an accompaniment confirmation, or save
//! it where the person chose.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Command, Desk, Notice, PathFor, PathRequest, SlipTarget};
use crate::db::{self, referrals};
use crate::domain::slips::SlipData;
use crate::output::{self, Overwrite};
use crate::slip;

/// How long a slip printed for the viewer stays in the slips folder.
const SLIP_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// How often the running desk looks for slips past their lifetime.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

impl Desk {
    /// Removes slips older than a day from the slips folder, once an hour.
    pub(super) fn sweep_slips_if_due(&mut self) {
        if self
            .slips_swept
            .is_some_and(|at| at.elapsed() < SWEEP_EVERY)
        {
            return;
        }
        self.slips_swept = Some(Instant::now());
        // A slip that cannot be removed now is tried again in an hour, and at exit.
        let _ = output::clear_slips(&self.slip_output.folder, SLIP_LIFETIME);
    }

    /// Writes the slip to the slips folder and opens it in the system's PDF viewer. A reprint
    /// gets a name of its own, so an earlier print is never replaced.
    pub(super) fn print_slip(&mut self, target: SlipTarget) -> db::Result<()> {
        let folder = self.slip_output.folder.clone();
        std::fs::create_dir_all(&folder)?;
        let data = self.slip_data(target)?;
        let path = output::free_name(&folder, &data.reference, "pdf");
        self.write_slip(&data, &path, Overwrite::Refuse)?;
        self.open_for_printing(&path);
        Ok(())
    }

    /// Opens a page written to the slips folder in the system's PDF viewer. It is written
    /// either way: the notice says where, and the top bar offers its folder, also when no PDF
    /// viewer could be started.
    pub(super) fn open_for_printing(&mut self, path: &Path) {
        self.last_slip = Some(path.to_owned());
        let opened = !self.slip_output.open_viewer || open::that_detached(path).is_ok();
        let key = if opened {
            "notice.slip_printed"
        } else {
            "notice.slip_no_viewer"
        };
        self.notice = Some(Notice::Saved(key, path.display().to_string()));
    }

    /// Opens the folder of the slip written last in the system's file manager.
    pub(super) fn open_slip_folder(&mut self) -> db::Result<()> {
        if let Some(folder) = self.last_slip.as_deref().and_then(Path::parent) {
            open::that_detached(folder)?;
        }
        Ok(())
    }

    /// Writes the slip to the path the person chose, asking before replacing a file. The
    /// folder is remembered for the next file.
    pub(super) fn save_slip_as(&mut self, target: SlipTarget, path: &Path) -> db::Result<()> {
        if path.as_os_str().is_empty() || path.is_dir() {
            self.notice = Some(Notice::Failed("error.slip_path"));
            return Ok(());
        }
        let retry = Command::SaveSlipAs(target, path.to_owned());
        let Some(overwrite) = self.overwrite_or_ask(path, false, retry)? else {
            return Ok(());
        };
        let data = self.slip_data(target)?;
        self.write_slip(&data, path, overwrite)?;
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            self.set_export_folder(folder)?;
        }
        self.notice = Some(Notice::Saved(
            "notice.slip_saved",
            path.display().to_string(),
        ));
        Ok(())
    }

    /// Asks the window for the system's file dialog: in the folder used last, offering the
    /// slip's reference as its file name.
    pub(super) fn ask_for_path(&mut self, purpose: PathFor) {
        let file_name = match purpose {
            PathFor::ExportFolder | PathFor::Register => None,
            PathFor::Slip(target) => self.slip_reference(target).map(|r| format!("{r}.pdf")),
        };
        self.path_asked = Some(PathRequest {
            purpose,
            folder: PathBuf::from(self.reports.folder.trim()),
            file_name,
        });
    }

    /// The reference of a slip on the open card.
    fn slip_reference(&self, target: SlipTarget) -> Option<String> {
        let card = self.card.as_ref()?;
        match target {
            SlipTarget::Referral(id) => card
                .referrals
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.reference.clone()),
            SlipTarget::Accompaniment(id) => card
                .accompaniments
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.reference.clone()),
        }
    }

    fn slip_data(&mut self, target: SlipTarget) -> db::Result<SlipData> {
        let actor = self.actor().ok_or(db::Error::NotFound)?;
        let now = self.now();
        match target {
            SlipTarget::Referral(id) => referrals::referral_slip(&mut self.db, &actor, id, now),
            SlipTarget::Accompaniment(id) => {
                referrals::accompaniment_slip(&mut self.db, &actor, id, now)
            }
        }
    }

    fn write_slip(&mut self, data: &SlipData, path: &Path, overwrite: Overwrite) -> db::Result<()> {
        let (first, second) = &self.slip_languages;
        let bytes = slip::render(data, first, second, self.slip_paper)
            .map_err(|e| db::Error::Slip(e.to_string()))?;
        output::write_file(path, overwrite, &self.db.own_files(), |w| {
            Ok(w.write_all(&bytes)?)
        })?;
        self.last_slip = Some(path.to_owned());
        Ok(())
    }
}
