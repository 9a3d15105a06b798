//! The accompaniment form: institution, purpose, date and time, meeting point, escort and
//! interpreter language.

use egui::{ScrollArea, Ui};
use rust_i18n::t;

use super::widgets::{
    action_bar, field_error, form_heading, organisation_picker, staff_picker, text_field,
};
use crate::app::{Command, Desk};
use crate::domain::reference::{find, languages};

/// Draws the accompaniment form.
pub fn accompaniment_form_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let destinations = desk.destinations.clone();
    let staff = desk.staff.clone();
    let desk_languages = desk.desk_languages.clone();
    let form = &mut desk.accompaniment_form;
    let title = if form.correcting.is_some() {
        "accompaniment_form.correct_title"
    } else {
        "accompaniment_form.title"
    };
    form_heading(ui, &t!(title, locale = locale), form.visitor.as_ref());
    let errors = form.errors.clone();
    if form.reopened {
        super::widgets::draft_banner(
            ui,
            Command::DiscardDraft(crate::db::drafts::DraftForm::Accompaniment),
            form.for_someone_else,
            commands,
            locale,
        );
    }
    action_bar(
        ui,
        !errors.is_empty(),
        Command::SaveAccompaniment,
        commands,
        locale,
    );
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                let ui = &mut columns[0];
                let d = &mut form.draft;
                organisation_picker(
                    ui,
                    &t!("accompaniment_form.institution", locale = locale),
                    &mut form.destination_filter,
                    &mut d.organisation,
                    &destinations,
                    locale,
                );
                field_error(ui, &errors, "organisation", locale);
                text_field(
                    ui,
                    &t!("accompaniment_form.purpose", locale = locale),
                    &mut d.purpose,
                    &errors,
                    "purpose",
                    locale,
                );
                text_field(
                    ui,
                    &t!("accompaniment_form.meeting_point", locale = locale),
                    &mut d.meeting_point,
                    &errors,
                    "meeting_point",
                    locale,
                );
                let ui = &mut columns[1];
                text_field(
                    ui,
                    &t!("accompaniment_form.date", locale = locale),
                    &mut d.date,
                    &errors,
                    "date",
                    locale,
                );
                text_field(
                    ui,
                    &t!("accompaniment_form.time", locale = locale),
                    &mut d.time,
                    &errors,
                    "time",
                    locale,
                );
                staff_picker(
                    ui,
                    "escort",
                    &t!("accompaniment_form.escort", locale = locale),
                    &mut d.escort,
                    &staff,
                );
                ui.label(t!("accompaniment_form.interpreter", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .selectable_label(
                            d.interpreter_language.is_empty(),
                            t!("accompaniment_form.no_interpreter", locale = locale),
                        )
                        .clicked()
                    {
                        d.interpreter_language.clear();
                    }
                    for code in &desk_languages {
                        let name =
                            find(languages(), code).map_or(code.as_str(), |e| e.name(locale));
                        if ui
                            .selectable_label(d.interpreter_language == *code, name)
                            .clicked()
                        {
                            d.interpreter_language = code.clone();
                        }
                    }
                });
                field_error(ui, &errors, "interpreter_language", locale);
            });
        });
}
