//! The system's file dialog (the desktop portal on Linux, the native dialog elsewhere), opened
//! on a thread of its own so the desk keeps drawing while it is open.

use std::path::PathBuf;
use std::sync::mpsc::Sender;

use crate::app::{PathFor, PathRequest};

/// What the person chose in a file dialog: for what, and where.
pub type Chosen = (PathFor, PathBuf);

/// Opens a file dialog and sends what the person chose; nothing is sent when they cancel.
pub trait FileChooser {
    /// Opens the dialog for `request` with `title`; asks `ctx` for a frame once answered.
    fn open(&self, request: PathRequest, title: String, answer: Sender<Chosen>, ctx: egui::Context);
}

/// The operating system's own dialog, through `rfd`. Where no dialog service exists (no
/// desktop portal and no zenity on Linux) the dialog does not open: the export folder can
/// still be typed, and printed slips say where they were written.
pub struct SystemDialog;

impl FileChooser for SystemDialog {
    fn open(
        &self,
        request: PathRequest,
        title: String,
        answer: Sender<Chosen>,
        ctx: egui::Context,
    ) {
        std::thread::spawn(move || {
            let dialog = rfd::AsyncFileDialog::new().set_title(title);
            // A folder not made yet (the first export makes it) would make some dialogs start
            // in "Recent": start in the nearest folder that exists.
            let start = request.folder.ancestors().find(|folder| folder.is_dir());
            let dialog = match start {
                Some(folder) => dialog.set_directory(folder),
                None => dialog,
            };
            let chosen = match request.purpose {
                // zenity (rfd's fallback without a portal) starts where its file name points.
                PathFor::ExportFolder => pollster::block_on(
                    match start {
                        Some(folder) => dialog.set_file_name(format!("{}/", folder.display())),
                        None => dialog,
                    }
                    .pick_folder(),
                ),
                PathFor::Register => pollster::block_on(
                    dialog
                        .add_filter("CSV, XLSX, ODS", &["csv", "txt", "xlsx", "xls", "ods"])
                        .pick_file(),
                ),
                PathFor::Slip(_) => pollster::block_on(
                    dialog
                        .add_filter("PDF", &["pdf"])
                        .set_file_name(request.file_name.unwrap_or_default())
                        .save_file(),
                ),
            };
            if let Some(file) = chosen {
                // The window may have closed meanwhile: then nobody waits for the answer.
                let _ = answer.send((request.purpose, file.path().to_owned()));
                ctx.request_repaint();
            }
        });
    }
}
