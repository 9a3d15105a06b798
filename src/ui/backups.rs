//! The backups screen (administrators): where backups go, the backups there, "back up now",
//! and restoring one to a new file.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk};
use crate::domain::format_date_time;

/// Draws the backups screen.
pub fn backups_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("backups.title", locale = locale));
    if let Some(folder) = &desk.backups.folder {
        ui.label(t!(
            "backups.folder",
            locale = locale,
            folder = folder.display().to_string()
        ));
    }
    ui.horizontal(|ui| {
        if ui.button(t!("backups.now", locale = locale)).clicked() {
            commands.push(Command::BackupNow);
        }
        if desk.backups.running() {
            ui.label(RichText::new(t!("backups.running", locale = locale)).color(theme::MUTED));
        }
    });
    ui.separator();
    let label = ui.label(t!("backups.restore_to", locale = locale));
    ui.add(
        TextEdit::singleline(&mut desk.backups_screen.restore_path)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .desired_width(640.0),
    )
    .labelled_by(label.id);
    ui.small(t!("backups.restore_explained", locale = locale));
    ui.add_space(6.0);
    if desk.backups_screen.list.is_empty() {
        ui.label(RichText::new(t!("backups.none", locale = locale)).color(theme::MUTED));
    }
    egui::Grid::new("backups_list")
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for (index, made) in desk.backups_screen.list.iter().enumerate() {
                ui.label(format_date_time(made.at, locale));
                ui.label(
                    RichText::new(
                        made.path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    )
                    .monospace()
                    .color(theme::MUTED),
                );
                if ui
                    .small_button(t!("backups.restore", locale = locale))
                    .clicked()
                {
                    commands.push(Command::RestoreBackup(index));
                }
                ui.end_row();
            }
        });
}
