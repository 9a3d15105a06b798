//! The audit screen (coordinators and administrators): who did what, by staff member, action,
//! visitor code and dates. Codes and ids only: never a visitor's name.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk};
use crate::db::audit::Action;
use crate::domain::{StaffId, format_stored_moment};

/// Draws the audit screen.
pub fn audit_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("audit.title", locale = locale));
    ui.label(RichText::new(t!("audit.explained", locale = locale)).color(theme::MUTED));
    ui.add_space(6.0);
    let staff: Vec<(StaffId, String)> = desk
        .staff
        .iter()
        .map(|s| (s.id, s.display_name.clone()))
        .collect();
    let any = t!("audit.any", locale = locale).into_owned();
    let action_name = |action: Action| t!(format!("audit.act.{}", action.code()), locale = locale);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("audit.staff", locale = locale));
        let chosen = desk
            .audit
            .staff
            .and_then(|id| staff.iter().find(|(s, _)| *s == id))
            .map_or_else(|| any.clone(), |(_, name)| name.clone());
        egui::ComboBox::from_id_salt("audit_staff")
            .selected_text(chosen)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut desk.audit.staff, None, any.as_str());
                for (id, name) in &staff {
                    ui.selectable_value(&mut desk.audit.staff, Some(*id), name.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t!("audit.action", locale = locale));
        let chosen = desk
            .audit
            .action
            .map_or_else(|| any.clone(), |a| action_name(a).into_owned());
        egui::ComboBox::from_id_salt("audit_action")
            .selected_text(chosen)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut desk.audit.action, None, any.as_str());
                for action in Action::ALL {
                    ui.selectable_value(&mut desk.audit.action, Some(action), action_name(action));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t!("audit.visitor_code", locale = locale));
        ui.add(
            TextEdit::singleline(&mut desk.audit.visitor_code)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(110.0),
        )
        .labelled_by(label.id);
        let label = ui.label(t!("audit.from", locale = locale));
        ui.add(
            TextEdit::singleline(&mut desk.audit.from)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(100.0),
        )
        .labelled_by(label.id);
        let label = ui.label(t!("audit.to", locale = locale));
        ui.add(
            TextEdit::singleline(&mut desk.audit.to)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(100.0),
        )
        .labelled_by(label.id);
        if ui.button(t!("audit.show", locale = locale)).clicked() {
            commands.push(Command::FilterAudit);
        }
        if ui.button(t!("audit.export", locale = locale)).clicked() {
            commands.push(Command::ExportAudit);
        }
    });
    super::reports::export_folder_field(ui, &mut desk.reports.folder, locale, commands);
    if let Some(key) = desk.audit.error {
        ui.label(RichText::new(t!(key, locale = locale)).color(theme::ERROR));
    }
    ui.add_space(6.0);
    if desk.audit.entries.is_empty() {
        ui.label(RichText::new(t!("audit.none", locale = locale)).color(theme::MUTED));
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("audit_entries")
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                for heading in [
                    "audit.when",
                    "audit.staff",
                    "audit.action",
                    "audit.about",
                    "audit.detail",
                ] {
                    ui.label(RichText::new(t!(heading, locale = locale)).strong());
                }
                ui.end_row();
                for entry in &desk.audit.entries {
                    ui.label(format_stored_moment(&entry.at, locale));
                    ui.label(match entry.staff_id {
                        Some(id) => desk.staff_name(StaffId(id)).to_owned(),
                        None => t!("audit.unknown_name", locale = locale).into_owned(),
                    });
                    ui.label(
                        Action::from_code(&entry.action)
                            .map_or_else(|| entry.action.clone(), |a| action_name(a).into_owned()),
                    );
                    let entity = t!(format!("audit.entity.{}", entry.entity), locale = locale);
                    let about = match (&entry.visitor_code, entry.entity_id) {
                        (Some(code), _) => format!("{entity} {code}"),
                        (None, Some(id)) => format!("{entity} #{id}"),
                        (None, None) => entity.into_owned(),
                    };
                    ui.label(about);
                    ui.label(RichText::new(&entry.detail).monospace().color(theme::MUTED));
                    ui.end_row();
                }
            });
    });
}
