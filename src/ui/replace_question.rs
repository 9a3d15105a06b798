//! The question asked before a file the person named is replaced: "replace" or "keep".

use egui::{RichText, Ui};
use rust_i18n::t;

use crate::app::{Command, Desk};

/// Draws the question over the screen while the desk has one.
pub fn replace_question_ui(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    let Some(question) = &desk.replace_question else {
        return;
    };
    let locale = desk.locale.as_str();
    let path = question.path.display().to_string();
    egui::Modal::new(egui::Id::unique("replace_question")).show(ui.ctx(), |ui| {
        ui.set_max_width(520.0);
        ui.label(RichText::new(t!("replace.title", locale = locale)).strong());
        ui.label(t!("replace.question", locale = locale, path = path));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(t!("replace.keep", locale = locale)).clicked() {
                commands.push(Command::KeepFile);
            }
            if ui.button(t!("replace.replace", locale = locale)).clicked() {
                commands.push(Command::ReplaceFile);
            }
        });
    });
}
