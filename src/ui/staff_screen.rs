//! The staff screen (administrators): who works at the desk, adding a person with their own
//! password, resetting a password, removing a person, changing the database key.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk};
use crate::domain::Role;

/// Draws the staff screen.
pub fn staff_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("staff.title", locale = locale));
    ui.add_space(8.0);
    let me = desk.at_desk.as_ref().map(|s| s.id);
    egui::Grid::new("staff_list")
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for member in &desk.staff {
                ui.label(RichText::new(&member.display_name).strong());
                ui.label(t!(member.role.label_key(), locale = locale));
                if ui
                    .small_button(t!("staff.reset_password", locale = locale))
                    .clicked()
                {
                    desk.staff_form.reset_for = Some(member.id);
                }
                if Some(member.id) == me {
                    ui.label("");
                } else if desk.staff_form.remove_asked == Some(member.id) {
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(t!("staff.really_remove", locale = locale))
                                .color(theme::STATUS_MISSED),
                        );
                        if ui
                            .small_button(t!("staff.remove_yes", locale = locale))
                            .clicked()
                        {
                            commands.push(Command::RemoveStaff(member.id));
                        }
                        if ui
                            .small_button(t!("staff.remove_no", locale = locale))
                            .clicked()
                        {
                            desk.staff_form.remove_asked = None;
                        }
                    });
                } else if ui
                    .small_button(t!("staff.remove", locale = locale))
                    .clicked()
                {
                    desk.staff_form.remove_asked = Some(member.id);
                }
                ui.end_row();
            }
        });
    ui.separator();
    let reset_name = desk.staff_form.reset_for.and_then(|id| {
        desk.staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.display_name.clone())
    });
    let form = &mut desk.staff_form;
    ui.set_max_width(480.0);
    match &reset_name {
        Some(name) => {
            ui.label(RichText::new(t!("staff.reset_for", locale = locale, name = name)).strong());
        }
        None => {
            ui.label(RichText::new(t!("staff.add_title", locale = locale)).strong());
            let name_label = ui.label(t!("staff.name", locale = locale));
            ui.add(
                TextEdit::singleline(&mut form.name)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(name_label.id);
            ui.horizontal_wrapped(|ui| {
                ui.label(t!("staff.role", locale = locale));
                for role in Role::ALL {
                    if ui
                        .selectable_label(
                            form.role == Some(role),
                            t!(role.label_key(), locale = locale),
                        )
                        .clicked()
                    {
                        form.role = Some(role);
                    }
                }
            });
            if form.role == Some(Role::Partner) {
                ui.horizontal_wrapped(|ui| {
                    ui.label(t!("staff.organisation", locale = locale));
                    for org in &desk.providers {
                        if ui
                            .selectable_label(form.organisation == Some(org.id), org.name(locale))
                            .clicked()
                        {
                            form.organisation = Some(org.id);
                        }
                    }
                });
            }
        }
    }
    let first = ui.label(t!("sign_in.new_password", locale = locale));
    ui.add(
        TextEdit::singleline(&mut *form.password)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .password(true)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(first.id);
    let again = ui.label(t!("sign_in.new_password_again", locale = locale));
    ui.add(
        TextEdit::singleline(&mut *form.password_again)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .password(true)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(again.id);
    ui.small(t!("sign_in.strength_rule", locale = locale));
    ui.horizontal(|ui| {
        if reset_name.is_some() {
            if ui
                .button(t!("staff.set_password", locale = locale))
                .clicked()
            {
                commands.push(Command::ResetPassword);
            }
            if ui.button(t!("form.cancel", locale = locale)).clicked() {
                form.reset_for = None;
            }
        } else if ui.button(t!("staff.add", locale = locale)).clicked() {
            commands.push(Command::AddStaff);
        }
    });
    if let Some(key) = form.error {
        ui.colored_label(theme::ERROR, t!(key, locale = locale));
    }
    ui.add_space(12.0);
    ui.separator();
    rekey_ui(ui, desk, commands, locale);
    ui.add_space(12.0);
    ui.separator();
    super::rights::retention_section(ui, desk, commands);
}

/// The change of database key: the administrator's password, a second click, then the new
/// recovery code shown once with its sheet.
fn rekey_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>, locale: &str) {
    let form = &mut desk.rekey_form;
    ui.label(RichText::new(t!("rekey.title", locale = locale)).strong());
    if let Some(code) = &form.recovery {
        ui.label(t!("rekey.done", locale = locale));
        ui.add_space(8.0);
        ui.add(
            egui::Label::new(RichText::new(code.expose()).monospace().size(20.0))
                .wrap_mode(egui::TextWrapMode::Extend),
        );
        ui.add_space(8.0);
        if ui
            .button(t!("sign_in.print_recovery", locale = locale))
            .clicked()
        {
            commands.push(Command::PrintNewRecovery);
        }
        ui.add_space(4.0);
        if ui.button(t!("rekey.noted", locale = locale)).clicked() {
            commands.push(Command::NewRecoveryNoted);
        }
    } else {
        ui.label(t!("rekey.explained", locale = locale));
        let label = ui.label(t!("rekey.password", locale = locale));
        ui.add(
            TextEdit::singleline(&mut *form.password)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .password(true)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if form.asked {
            ui.colored_label(theme::STATUS_MISSED, t!("rekey.really", locale = locale));
            ui.horizontal(|ui| {
                if ui.button(t!("rekey.yes", locale = locale)).clicked() {
                    commands.push(Command::Rekey);
                }
                if ui.button(t!("staff.remove_no", locale = locale)).clicked() {
                    form.asked = false;
                }
            });
        } else if ui.button(t!("rekey.change", locale = locale)).clicked() {
            form.asked = true;
        }
    }
    if let Some(key) = form.error {
        ui.colored_label(theme::ERROR, t!(key, locale = locale));
    }
}
