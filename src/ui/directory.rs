//! The directory: every organisation the bureau works with, and a form to add or change one.

use egui::{RichText, ScrollArea, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::{action_bar, field_error, text_field};
use crate::app::{Command, Desk};
use crate::domain::OrganisationKind;
use crate::domain::access::Permission;
use crate::domain::reference::{languages, matching, name_of};

/// The width of the directory's name column.
const NAME_WIDTH: f32 = 320.0;
/// The width of the directory's address column.
const ADDRESS_WIDTH: f32 = 220.0;

/// Draws the directory screen.
pub fn directory_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let may_edit = desk.may(Permission::EditDirectory);
    ui.horizontal(|ui| {
        ui.heading(t!("directory.title", locale = locale));
        if may_edit && ui.button(t!("directory.new", locale = locale)).clicked() {
            commands.push(Command::EditOrganisation(None));
        }
    });
    if desk.organisation_form.is_some() {
        organisation_form_ui(ui, desk, commands, locale);
        return;
    }
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("directory")
                .striped(true)
                .spacing([16.0, 8.0])
                .show(ui, |ui| {
                    for org in &desk.directory {
                        let d = &org.details;
                        ui.label(t!(d.kind.label_key(), locale = locale));
                        ui.vertical(|ui| {
                            // A wrapping name takes the least width a grid cell offers: it
                            // is given room for words, not syllables.
                            ui.set_min_width(NAME_WIDTH);
                            ui.strong(org.name(locale));
                            let other = if locale == "bg" {
                                &d.name_en
                            } else {
                                &d.name_bg
                            };
                            if other != org.name(locale) {
                                ui.label(RichText::new(other).color(theme::MUTED));
                            }
                        });
                        ui.vertical(|ui| {
                            ui.set_min_width(ADDRESS_WIDTH);
                            ui.label(org.address(locale));
                            ui.label(RichText::new(org.hours(locale)).color(theme::MUTED));
                        });
                        ui.label(&d.phone);
                        ui.label(
                            d.languages
                                .iter()
                                .map(|c| name_of(languages(), c, locale))
                                .collect::<Vec<_>>()
                                .join(", "),
                        );
                        let state = if d.active {
                            "directory.active"
                        } else {
                            "directory.inactive"
                        };
                        ui.label(t!(state, locale = locale));
                        if may_edit && ui.button(t!("directory.edit", locale = locale)).clicked() {
                            commands.push(Command::EditOrganisation(Some(org.id)));
                        }
                        ui.end_row();
                    }
                });
        });
}

fn organisation_form_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>, locale: &str) {
    let services = desk.services.clone();
    let Some(form) = desk.organisation_form.as_mut() else {
        return;
    };
    let errors = form.errors.clone();
    action_bar(
        ui,
        !errors.is_empty(),
        Command::SaveOrganisation,
        commands,
        locale,
    );
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                let ui = &mut columns[0];
                let d = &mut form.draft;
                ui.label(t!("directory.kind", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    for kind in OrganisationKind::ALL {
                        if ui
                            .selectable_label(
                                d.kind == Some(*kind),
                                t!(kind.label_key(), locale = locale),
                            )
                            .clicked()
                        {
                            d.kind = Some(*kind);
                        }
                    }
                });
                field_error(ui, &errors, "kind", locale);
                text_field(
                    ui,
                    &t!("directory.name_bg", locale = locale),
                    &mut d.name_bg,
                    &errors,
                    "name_bg",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.name_en", locale = locale),
                    &mut d.name_en,
                    &errors,
                    "name_en",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.address_bg", locale = locale),
                    &mut d.address_bg,
                    &errors,
                    "address_bg",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.address_en", locale = locale),
                    &mut d.address_en,
                    &errors,
                    "address_en",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.phone", locale = locale),
                    &mut d.phone,
                    &errors,
                    "phone",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.email", locale = locale),
                    &mut d.email,
                    &errors,
                    "email",
                    locale,
                );
                let ui = &mut columns[1];
                text_field(
                    ui,
                    &t!("directory.hours_bg", locale = locale),
                    &mut d.hours_bg,
                    &errors,
                    "hours_bg",
                    locale,
                );
                text_field(
                    ui,
                    &t!("directory.hours_en", locale = locale),
                    &mut d.hours_en,
                    &errors,
                    "hours_en",
                    locale,
                );
                ui.label(t!("directory.languages", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    let mut remove = None;
                    for (i, code) in d.languages.iter().enumerate() {
                        if ui
                            .small_button(format!("{} ×", name_of(languages(), code, locale)))
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    }
                    if let Some(i) = remove {
                        d.languages.remove(i);
                    }
                });
                ui.add(
                    egui::TextEdit::singleline(&mut form.language_filter)
                        .char_limit(crate::ui::widgets::LINE_LIMIT)
                        .hint_text(t!("form.type_to_filter", locale = locale)),
                );
                if !form.language_filter.trim().is_empty() {
                    let filter = form.language_filter.clone();
                    ui.horizontal_wrapped(|ui| {
                        for entry in matching(languages(), &filter).take(6) {
                            if ui.small_button(entry.name(locale)).clicked()
                                && !d.languages.contains(&entry.code)
                            {
                                d.languages.push(entry.code.clone());
                                form.language_filter.clear();
                            }
                        }
                    });
                }
                field_error(ui, &errors, "languages", locale);
                ui.label(t!("directory.services", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    for service in &services {
                        let offered = d.services.contains(&service.id);
                        if ui.selectable_label(offered, service.name(locale)).clicked() {
                            if offered {
                                d.services.retain(|s| *s != service.id);
                            } else {
                                d.services.push(service.id);
                            }
                        }
                    }
                });
                ui.checkbox(&mut d.active, t!("directory.active", locale = locale));
            });
        });
}
