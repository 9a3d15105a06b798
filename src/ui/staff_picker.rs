//! "Who is at the desk?": pick a staff member, or add the first one.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use crate::app::{Command, Desk};

/// Draws the staff picker.
pub fn staff_picker_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    ui.add_space(24.0);
    ui.heading(t!("staff.who_is_at_desk", locale = &locale));
    ui.add_space(12.0);
    for staff in &desk.staff {
        if ui
            .button(RichText::new(&staff.display_name).size(20.0))
            .clicked()
        {
            commands.push(Command::ChooseStaff(staff.id));
        }
    }
    ui.add_space(16.0);
    let label = ui.label(t!("staff.new_name", locale = &locale));
    let response = ui
        .add(TextEdit::singleline(&mut desk.new_staff_name).desired_width(320.0))
        .labelled_by(label.id);
    if desk.staff.is_empty() && !response.has_focus() && desk.new_staff_name.is_empty() {
        response.request_focus();
    }
    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if (ui.button(t!("staff.add", locale = &locale)).clicked() || enter)
        && !desk.new_staff_name.trim().is_empty()
    {
        commands.push(Command::AddStaff);
    }
}
