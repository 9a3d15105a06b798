//! The referral form: destination, service, reason, appointment and follow-up date.

use egui::{ScrollArea, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::{action_bar, field_error, form_heading, organisation_picker, text_field};
use crate::app::{Command, Desk};

/// Draws the referral form.
pub fn referral_form_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let services = desk.services.clone();
    let destinations = desk.destinations.clone();
    // A partner at the bureau can be booked into their next session of the programme.
    let next_session = desk
        .referral_form
        .draft
        .organisation
        .map(|o| desk.next_session_of(o));
    // A referral can cover the visitor's family (the slip lists every member's code).
    let family_size = desk
        .card
        .as_ref()
        .and_then(|c| c.household.as_ref())
        .map_or(0, |h| h.members.len());
    let form = &mut desk.referral_form;
    let title = if form.correcting.is_some() {
        "referral_form.correct_title"
    } else {
        "referral_form.title"
    };
    form_heading(ui, &t!(title, locale = locale), form.visitor.as_ref());
    if !form.may_share {
        ui.colored_label(
            theme::STATUS_MISSED,
            t!("referral_form.code_only", locale = locale),
        );
    }
    let errors = form.errors.clone();
    if form.reopened {
        super::widgets::draft_banner(
            ui,
            Command::DiscardDraft(crate::db::drafts::DraftForm::Referral),
            form.for_someone_else,
            commands,
            locale,
        );
    }
    action_bar(
        ui,
        !errors.is_empty(),
        Command::SaveReferral,
        commands,
        locale,
    );
    ui.checkbox(
        &mut form.print_after_save,
        t!("referral_form.print_after_save", locale = locale),
    );
    if family_size > 1 {
        ui.checkbox(
            &mut form.draft.for_household,
            t!(
                "referral_form.for_household",
                locale = locale,
                count = family_size
            ),
        );
    }
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                let ui = &mut columns[0];
                let d = &mut form.draft;
                organisation_picker(
                    ui,
                    &t!("referral_form.destination", locale = locale),
                    &mut form.destination_filter,
                    &mut d.organisation,
                    &destinations,
                    locale,
                );
                field_error(ui, &errors, "organisation", locale);
                ui.label(t!("referral_form.service", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    for service in &services {
                        if ui
                            .selectable_label(
                                d.service_type == Some(service.id),
                                service.name(locale),
                            )
                            .clicked()
                        {
                            d.service_type = Some(service.id);
                        }
                    }
                });
                field_error(ui, &errors, "service_type", locale);
                let ui = &mut columns[1];
                text_field(
                    ui,
                    &t!("referral_form.reason", locale = locale),
                    &mut d.reason,
                    &errors,
                    "reason",
                    locale,
                );
                text_field(
                    ui,
                    &t!("referral_form.appointment_date", locale = locale),
                    &mut d.appointment_date,
                    &errors,
                    "appointment_date",
                    locale,
                );
                text_field(
                    ui,
                    &t!("referral_form.appointment_time", locale = locale),
                    &mut d.appointment_time,
                    &errors,
                    "appointment_time",
                    locale,
                );
                if let Some(Some(at)) = next_session {
                    let when = crate::domain::format_date_time(at, locale);
                    if ui
                        .button(t!("programme.next_slot", locale = locale, when = when))
                        .clicked()
                    {
                        d.appointment_date = crate::domain::format_date(at.date(), "bg");
                        d.appointment_time = at.format("%H:%M").to_string();
                    }
                }
                text_field(
                    ui,
                    &t!("referral_form.follow_up", locale = locale),
                    &mut d.follow_up,
                    &errors,
                    "follow_up",
                    locale,
                );
            });
        });
}
