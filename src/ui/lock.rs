//! The lock screen: nothing personal on it; a name and a password to go on, or sign out.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk};

/// Draws the lock screen.
pub fn lock_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.vertical_centered(|ui| {
        ui.set_max_width(460.0);
        ui.add_space(60.0);
        ui.heading(RichText::new(t!("lock.title", locale = locale)).size(26.0));
        ui.add_space(8.0);
        ui.label(t!("lock.explained", locale = locale));
        ui.add_space(12.0);
        let form = &mut desk.lock_form;
        let name_label = ui.label(t!("sign_in.name", locale = locale));
        let name = ui
            .add(
                TextEdit::singleline(&mut form.name)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(name_label.id);
        let password_label = ui.label(t!("sign_in.password", locale = locale));
        let password = ui
            .add(
                TextEdit::singleline(&mut *form.password)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .password(true)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(password_label.id);
        if std::mem::take(&mut form.focus_field) {
            if form.name.is_empty() {
                name.request_focus();
            } else {
                password.request_focus();
            }
        }
        let enter = password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(t!("lock.unlock", locale = locale)).clicked() || enter {
                commands.push(Command::Unlock);
            }
            if ui.button(t!("app.sign_out", locale = locale)).clicked() {
                commands.push(Command::SignOut);
            }
        });
        if let Some(key) = form.error {
            ui.add_space(8.0);
            ui.colored_label(theme::ERROR, t!(key, locale = locale));
        }
    });
}
