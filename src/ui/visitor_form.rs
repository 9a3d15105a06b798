//! The new-visitor form: required fields first, then what the person agrees to give; likely
//! existing matches are shown while the name is typed.

use egui::{RichText, ScrollArea, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::{
    action_bar, code_picker, form_heading, name_label, no_answer_choices, text_field,
};
use crate::app::{Command, Desk, Screen, VisitorForm};
use crate::domain::reference::{countries, languages, name_of};
use crate::domain::visitors::{Answer, ConsentScope, LegalStatus, Sex};

/// Draws the visitor form: a new registration, or the correction of a registered person.
pub fn visitor_form_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let preferred = desk.desk_languages.clone();
    // Keyboard first: the given name has the keys when the form opens.
    let focus_first = std::mem::take(&mut desk.focus_form);
    if desk.screen == Screen::EditVisitor {
        let Some(edit) = desk.visitor_edit.as_mut() else {
            return;
        };
        let name = format!("{} {}", edit.original.given_name, edit.original.family_name);
        form_heading(
            ui,
            &t!("visitor_form.edit_title", locale = locale),
            Some(&(edit.code.clone(), name.trim().to_owned())),
        );
        action_bar(
            ui,
            !edit.form.errors.is_empty(),
            Command::SaveVisitorEdit,
            commands,
            locale,
        );
        form_body(
            ui,
            &mut edit.form,
            true,
            focus_first,
            &preferred,
            commands,
            locale,
        );
        return;
    }
    let form = &mut desk.visitor_form;
    ui.heading(t!("visitor_form.title", locale = locale));
    if let Some(family) = form.family_of.as_mut() {
        super::family::registering_for(ui, family, locale);
    }
    if form.reopened {
        super::widgets::draft_banner(
            ui,
            Command::DiscardDraft(crate::db::drafts::DraftForm::Visitor),
            false,
            commands,
            locale,
        );
    }
    action_bar(
        ui,
        !form.errors.is_empty(),
        Command::SaveVisitor,
        commands,
        locale,
    );
    form_body(ui, form, false, focus_first, &preferred, commands, locale);
}

/// The form's fields. A correction shows no "already registered" list (the person is), and
/// says that consents ticked or unticked are recorded as new consents, dated.
fn form_body(
    ui: &mut Ui,
    form: &mut VisitorForm,
    correcting: bool,
    focus_first: bool,
    preferred: &[String],
    commands: &mut Vec<Command>,
    locale: &str,
) {
    let mut scroll = ScrollArea::vertical().auto_shrink([false, false]);
    if focus_first {
        // A new form starts at its top, where the required name is.
        scroll = scroll.vertical_scroll_offset(0.0);
    }
    scroll.show(ui, |ui| {
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            let errors = form.errors.clone();
            let d = &mut form.draft;
            let given = text_field(
                ui,
                &t!("visitor.given_name", locale = locale),
                &mut d.given_name,
                &errors,
                "given_name",
                locale,
            );
            if focus_first {
                given.request_focus();
            }
            let family = text_field(
                ui,
                &t!("visitor.family_name", locale = locale),
                &mut d.family_name,
                &errors,
                "family_name",
                locale,
            );
            // Optional details behind folds keep the form on one screen; a fold opens by
            // itself when it holds something or a problem.
            let latin_held = !d.given_name_latin.is_empty() || !d.family_name_latin.is_empty();
            let latin_wrong = errors.iter().any(|e| e.field.ends_with("_latin"));
            let mut latin_changed = false;
            egui::CollapsingHeader::new(t!("visitor_form.latin_fold", locale = locale))
                // A correction's folds are its own: one opened there stays closed on a new form.
                .id_salt(("latin_fold", correcting))
                .default_open(latin_held)
                .open(latin_wrong.then_some(true))
                .show(ui, |ui| {
                    let given_latin = text_field(
                        ui,
                        &t!("visitor.given_name_latin", locale = locale),
                        &mut d.given_name_latin,
                        &errors,
                        "given_name_latin",
                        locale,
                    );
                    let family_latin = text_field(
                        ui,
                        &t!("visitor.family_name_latin", locale = locale),
                        &mut d.family_name_latin,
                        &errors,
                        "family_name_latin",
                        locale,
                    );
                    latin_changed = given_latin.changed() || family_latin.changed();
                });
            if given.changed() || family.changed() || latin_changed {
                commands.push(Command::CheckDuplicates);
            }
            // Beside the names, as soon as there is a match, not below the fold.
            if !correcting {
                already_registered(ui, &form.duplicates, form.duplicate_asked, commands, locale);
            }

            let sex_label = ui.label(t!("visitor.sex", locale = locale));
            super::widgets::answer_combo(
                ui,
                &sex_label,
                &mut d.sex,
                Sex::ALL,
                Sex::label_key,
                locale,
            );

            text_field(
                ui,
                &t!("visitor.birth", locale = locale),
                &mut d.birth,
                &errors,
                "birth",
                locale,
            );
            if d.birth.trim().is_empty()
                && let Some(choice) = no_answer_choices(ui, Some(d.birth_answer), locale)
            {
                d.birth_answer = choice;
            }

            text_field(
                ui,
                &t!("visitor.phone", locale = locale),
                &mut d.phone,
                &errors,
                "phone",
                locale,
            );
            if d.phone.trim().is_empty()
                && let Some(choice) = no_answer_choices(ui, Some(d.phone_answer), locale)
            {
                d.phone_answer = choice;
            }

            let ui = &mut columns[1];
            let d = &mut form.draft;
            code_picker(
                ui,
                &t!("visitor.country_of_origin", locale = locale),
                &mut form.country_filter,
                &mut d.country_of_origin,
                countries(),
                &["IQ", "SY", "UA", "AF"].map(String::from),
                &errors,
                "country_of_origin",
                locale,
            );
            let status_label = ui.label(t!("visitor.legal_status", locale = locale));
            super::widgets::answer_combo(
                ui,
                &status_label,
                &mut d.legal_status,
                LegalStatus::ALL,
                LegalStatus::label_key,
                locale,
            );

            code_picker(
                ui,
                &t!("visitor.preferred_language", locale = locale),
                &mut form.language_filter,
                &mut d.preferred_language,
                languages(),
                preferred,
                &errors,
                "preferred_language",
                locale,
            );

            let more_held = d.nationality != Answer::NotAsked || !d.languages.is_empty();
            let more_wrong = errors
                .iter()
                .any(|e| e.field == "nationality" || e.field == "languages");
            egui::CollapsingHeader::new(t!("visitor_form.more_fold", locale = locale))
                .id_salt(("more_fold", correcting))
                .default_open(more_held)
                .open(more_wrong.then_some(true))
                .show(ui, |ui| {
                    code_picker(
                        ui,
                        &t!("visitor.nationality", locale = locale),
                        &mut form.nationality_filter,
                        &mut d.nationality,
                        countries(),
                        &["IQ", "SY", "UA", "AF"].map(String::from),
                        &errors,
                        "nationality",
                        locale,
                    );
                    if d.nationality.given().is_none()
                        && ui
                            .small_button(t!("form.stateless", locale = locale))
                            .clicked()
                    {
                        d.nationality = Answer::Given("stateless".into());
                    }
                    let mut spoken = Answer::NotAsked;
                    code_picker(
                        ui,
                        &t!("visitor.languages", locale = locale),
                        &mut form.spoken_filter,
                        &mut spoken,
                        languages(),
                        &[],
                        &errors,
                        "languages",
                        locale,
                    );
                    if let Answer::Given(code) = spoken
                        && !d.languages.contains(&code)
                    {
                        d.languages.push(code);
                    }
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
                });

            ui.label(t!("visitor.consent", locale = locale));
            if correcting {
                ui.label(
                    RichText::new(t!("visitor_form.consent_as_records", locale = locale))
                        .color(theme::MUTED),
                );
            }
            for scope in ConsentScope::ALL {
                let mut given = d.consents.contains(scope);
                if ui
                    .checkbox(&mut given, t!(scope.label_key(), locale = locale))
                    .changed()
                {
                    if given {
                        d.consents.push(*scope);
                    } else {
                        d.consents.retain(|s| s != scope);
                    }
                }
            }
            text_field(
                ui,
                &t!("visitor.consent_date", locale = locale),
                &mut d.consent_date,
                &errors,
                "consent_date",
                locale,
            );
        });
    });
}

/// People already registered under a name like the one typed, each a click from their card;
/// after a save was asked about, the question and its "save as a new person".
fn already_registered(
    ui: &mut Ui,
    duplicates: &[crate::domain::VisitorSummary],
    asked: bool,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    if duplicates.is_empty() {
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(t!("visitor_form.possible_duplicates", locale = locale)).strong());
        for hit in duplicates {
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(RichText::new(&hit.code).color(theme::CODE).monospace())
                    .on_hover_text(t!("visitor_form.open_existing", locale = locale))
                    .clicked()
                {
                    commands.push(Command::OpenVisitor(hit.id));
                }
                name_label(
                    ui,
                    &format!("{} {}", hit.given_name, hit.family_name),
                    theme::BODY_SIZE,
                );
                super::widgets::latin_label(ui, hit, locale);
                if let Some(year) = hit.birth_year {
                    ui.label(RichText::new(year.to_string()).color(theme::MUTED));
                }
            });
        }
        if asked {
            ui.colored_label(
                theme::ERROR,
                t!("visitor_form.same_person", locale = locale),
            );
            if ui
                .button(t!("visitor_form.save_as_new", locale = locale))
                .clicked()
            {
                commands.push(Command::SaveVisitor);
            }
        }
    });
}
