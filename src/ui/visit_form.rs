//! The visit form: when, who, which language, the services rendered (picked by typing), notes.

use egui::{ScrollArea, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::{action_bar, field_error, form_heading, name_label, staff_picker, text_field};
use crate::app::{Command, Desk};
use crate::domain::ServiceLine;
use crate::domain::reference::{self, find, languages};
use crate::domain::text::{fold, to_latin};

/// The width of a service line's provider picker.
const LINE_PROVIDER_WIDTH: f32 = 320.0;

/// Draws the visit form.
pub fn visit_form_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let title = if desk.visit_form.correcting.is_some() {
        "visit_form.correct_title"
    } else if desk.visit_form.visitor.is_some() {
        "visit_form.title"
    } else {
        "visit_form.title_anonymous"
    };
    form_heading(
        ui,
        &t!(title, locale = locale),
        desk.visit_form.visitor.as_ref(),
    );
    // Keyboard first: the service picker has the keys when the form opens.
    let focus_first = std::mem::take(&mut desk.focus_form);
    let services = desk.services.clone();
    let providers = desk.providers.clone();
    let staff = desk.staff.clone();
    let desk_languages = desk.desk_languages.clone();
    let in_today = desk.todays_providers();
    let form = &mut desk.visit_form;
    let errors = form.errors.clone();
    if form.reopened {
        super::widgets::draft_banner(
            ui,
            Command::DiscardDraft(crate::db::drafts::DraftForm::Visit),
            form.for_someone_else,
            commands,
            locale,
        );
    }
    action_bar(ui, !errors.is_empty(), Command::SaveVisit, commands, locale);
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                let ui = &mut columns[0];
                let d = &mut form.draft;
                ui.label(t!("visit_form.services", locale = locale));
                let mut remove = None;
                for (index, line) in d.services.iter_mut().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        if ui
                            .small_button("×")
                            .on_hover_text(t!("form.remove", locale = locale))
                            .clicked()
                        {
                            remove = Some(index);
                        }
                        let service = services
                            .iter()
                            .find(|s| s.id == line.service_type)
                            .map_or("?", |s| s.name(locale));
                        let service_label = ui.label(format!("{service} —"));
                        // Each line has its own provider; the picker below gives new lines one.
                        let provider = providers
                            .iter()
                            .find(|p| p.id == line.provider)
                            .map_or("?", |p| p.name(locale));
                        // Today's partners for this service first.
                        let here: Vec<_> = in_today
                            .iter()
                            .filter(|(s, _)| *s == line.service_type)
                            .map(|(_, o)| *o)
                            .collect();
                        let mut ordered: Vec<_> = providers.iter().collect();
                        ordered.sort_by_key(|p| !here.contains(&p.id));
                        egui::ComboBox::from_id_salt(("service_line_provider", index))
                            .selected_text(provider)
                            .width(ui.available_width().min(LINE_PROVIDER_WIDTH))
                            .show_ui(ui, |ui| {
                                for p in ordered {
                                    let name = if here.contains(&p.id) {
                                        format!(
                                            "{} · {}",
                                            p.name(locale),
                                            t!("programme.today_provider", locale = locale)
                                        )
                                    } else {
                                        p.name(locale).to_owned()
                                    };
                                    ui.selectable_value(&mut line.provider, p.id, name);
                                }
                            })
                            .response
                            .labelled_by(service_label.id)
                            .on_hover_text(t!("visit_form.line_provider", locale = locale));
                    });
                }
                if let Some(index) = remove {
                    commands.push(Command::RemoveService(index));
                }
                let label = ui.label(t!("visit_form.add_service", locale = locale));
                let response = ui
                    .add(
                        TextEdit::singleline(&mut form.service_filter)
                            .char_limit(crate::ui::widgets::LINE_LIMIT)
                            .hint_text(t!("form.type_to_filter", locale = locale))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(label.id);
                if focus_first {
                    response.request_focus();
                }
                let filter = fold(form.service_filter.trim());
                let matching: Vec<_> = services
                    .iter()
                    .filter(|s| {
                        filter.is_empty()
                            || [&s.name_bg, &s.name_en, &s.code].iter().any(|n| {
                                fold(n).contains(&filter)
                                    || to_latin(n).contains(&to_latin(&filter))
                            })
                    })
                    .collect();
                // The provider chosen below, else the partner in today for the service, else
                // the bureau.
                let provider_for = |service| {
                    form.provider
                        .or_else(|| {
                            in_today
                                .iter()
                                .find(|(s, _)| *s == service)
                                .map(|(_, o)| *o)
                        })
                        .or_else(|| providers.first().map(|p| p.id))
                };
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if enter
                    && !filter.is_empty()
                    && let Some(first) = matching.first()
                    && let Some(provider) = provider_for(first.id)
                {
                    commands.push(Command::AddService(ServiceLine {
                        service_type: first.id,
                        provider,
                    }));
                }
                ui.horizontal_wrapped(|ui| {
                    for service in &matching {
                        if ui.small_button(service.name(locale)).clicked()
                            && let Some(provider) = provider_for(service.id)
                        {
                            commands.push(Command::AddService(ServiceLine {
                                service_type: service.id,
                                provider,
                            }));
                        }
                    }
                });
                field_error(ui, &errors, "services", locale);
                let provider_label = ui.label(t!("visit_form.provider", locale = locale));
                let by_programme = t!("visit_form.provider_by_programme", locale = locale);
                let selected = providers
                    .iter()
                    .find(|p| Some(p.id) == form.provider)
                    .map_or(by_programme.to_string(), |p| p.name(locale).to_owned());
                egui::ComboBox::from_id_salt("provider")
                    .selected_text(selected)
                    .width(ui.available_width())
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut form.provider, None, by_programme);
                        for p in &providers {
                            ui.selectable_value(&mut form.provider, Some(p.id), p.name(locale));
                        }
                    })
                    .response
                    .labelled_by(provider_label.id);

                let label = ui.label(t!("visit_form.notes", locale = locale));
                ui.add(
                    TextEdit::multiline(&mut d.notes)
                        .char_limit(crate::ui::widgets::NOTE_LIMIT)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
                crate::ui::widgets::cut_notice(
                    ui,
                    &d.notes,
                    crate::ui::widgets::NOTE_LIMIT,
                    locale,
                );
                if crate::domain::text::has_rtl(&d.notes) {
                    for line in d.notes.lines() {
                        name_label(ui, line, theme::BODY_SIZE);
                    }
                }
                field_error(ui, &errors, "notes", locale);

                let ui = &mut columns[1];
                super::family::present_members(ui, &form.family, commands, locale);
                text_field(
                    ui,
                    &t!("visit_form.date", locale = locale),
                    &mut d.date,
                    &errors,
                    "date",
                    locale,
                );
                text_field(
                    ui,
                    &t!("visit_form.time", locale = locale),
                    &mut d.time,
                    &errors,
                    "time",
                    locale,
                );
                staff_picker(
                    ui,
                    "visit_staff",
                    &t!("visit_form.staff", locale = locale),
                    &mut d.staff,
                    &staff,
                );
                field_error(ui, &errors, "staff", locale);

                ui.label(t!("visit_form.language", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    for code in &desk_languages {
                        let name =
                            find(languages(), code).map_or(code.as_str(), |e| e.name(locale));
                        if ui.selectable_label(d.language == *code, name).clicked() {
                            d.language = code.clone();
                        }
                    }
                });
                ui.add(
                    TextEdit::singleline(&mut form.language_filter)
                        .char_limit(crate::ui::widgets::LINE_LIMIT)
                        .hint_text(t!("visit_form.other_language", locale = locale)),
                );
                if !form.language_filter.trim().is_empty() {
                    ui.horizontal_wrapped(|ui| {
                        let filter = form.language_filter.clone();
                        for entry in reference::matching(languages(), &filter).take(6) {
                            if ui.small_button(entry.name(locale)).clicked() {
                                d.language = entry.code.clone();
                                form.language_filter.clear();
                            }
                        }
                    });
                }
                if !desk_languages.contains(&d.language) {
                    ui.label(
                        find(languages(), &d.language)
                            .map_or(d.language.as_str(), |e| e.name(locale)),
                    );
                }
                field_error(ui, &errors, "language", locale);
                ui.checkbox(
                    &mut d.interpreter,
                    t!("visit_form.interpreter", locale = locale),
                );
                text_field(
                    ui,
                    &t!("visit_form.duration", locale = locale),
                    &mut d.duration,
                    &errors,
                    "duration",
                    locale,
                );
            });
        });
}
