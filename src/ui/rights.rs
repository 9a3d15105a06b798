//! The person's rights on the card (consent history and changes, everything about them, "Erase
//! this person"), and the retention review on the staff screen.

use egui::{RichText, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Card, Command, Desk};
use crate::domain::access::Permission;
use crate::domain::{ConsentScope, format_date};
use crate::export::subject::SubjectFormat;

/// The card's fold with consent, subject access and erasure.
pub fn rights_section(ui: &mut Ui, desk: &mut Desk, card: &Card, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    egui::CollapsingHeader::new(t!("rights.heading", locale = locale))
        .id_salt("rights")
        .show(ui, |ui| {
            ui.strong(t!("rights.history", locale = locale));
            for record in &card.consents {
                let state = if record.given {
                    t!("rights.given", locale = locale)
                } else {
                    t!("rights.withdrawn", locale = locale)
                };
                ui.label(format!(
                    "{} · {}: {state} · {}",
                    format_date(record.dated, locale),
                    t!(record.scope.label_key(), locale = locale),
                    record.recorded_by
                ));
            }
            if card.consents.is_empty() {
                ui.label(
                    RichText::new(t!("rights.no_consent", locale = locale)).color(theme::MUTED),
                );
            }
            if desk.may(Permission::Register) {
                consent_controls(ui, desk, card, commands, locale);
            }
            if desk.may(Permission::SubjectAccess) {
                ui.add_space(6.0);
                ui.strong(t!("rights.subject", locale = locale));
                ui.horizontal_wrapped(|ui| {
                    short_field(
                        ui,
                        &t!("rights.subject_path", locale = locale),
                        &mut desk.rights.subject_path,
                        320.0,
                    );
                    for (format, key) in [
                        (SubjectFormat::Pdf, "rights.save_pdf"),
                        (SubjectFormat::Json, "rights.save_json"),
                    ] {
                        if ui.button(t!(key, locale = locale)).clicked() {
                            commands.push(Command::SaveSubject(format));
                        }
                    }
                });
            }
            if desk.may(Permission::SeeCard) {
                ui.add_space(6.0);
                erase_controls(ui, desk, card, commands, locale);
            }
        });
}

/// A labelled one-line field of a fixed width, for a row of controls.
fn short_field(ui: &mut Ui, label: &str, value: &mut String, width: f32) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .desired_width(width),
    )
    .labelled_by(label.id);
}

fn consent_controls(
    ui: &mut Ui,
    desk: &mut Desk,
    card: &Card,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    ui.horizontal_wrapped(|ui| {
        short_field(
            ui,
            &t!("rights.day", locale = locale),
            &mut desk.rights.consent_day,
            100.0,
        );
        if let Some(key) = desk.rights.consent_error {
            ui.colored_label(theme::ERROR, t!(key, locale = locale));
        }
    });
    ui.horizontal_wrapped(|ui| {
        for scope in ConsentScope::ALL {
            let holds = card.visitor.has_consent(*scope);
            let scope_name = t!(scope.label_key(), locale = locale);
            let label = if holds {
                t!("rights.withdraw", locale = locale, scope = scope_name)
            } else {
                t!("rights.give", locale = locale, scope = scope_name)
            };
            if ui.button(label).clicked() {
                commands.push(Command::RecordConsent(*scope, !holds));
            }
        }
    });
}

fn erase_controls(
    ui: &mut Ui,
    desk: &mut Desk,
    card: &Card,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    let alone = desk.may(Permission::Erase);
    let Some(form) = desk.rights.erase.as_mut() else {
        if ui
            .button(RichText::new(t!("rights.erase", locale = locale)).color(theme::ERROR))
            .clicked()
        {
            commands.push(Command::StartErase);
        }
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.strong(t!("erase.title", locale = locale, code = card.visitor.code));
        for key in ["erase.goes", "erase.stays", "erase.backups"] {
            ui.label(t!(key, locale = locale));
        }
        if !alone {
            ui.label(RichText::new(t!("erase.ask_coordinator", locale = locale)).strong());
            ui.horizontal_wrapped(|ui| {
                short_field(
                    ui,
                    &t!("erase.coordinator", locale = locale),
                    &mut form.coordinator,
                    160.0,
                );
                let label = ui.label(t!("erase.password", locale = locale));
                let password = egui::TextEdit::singleline(&mut *form.password)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .password(true)
                    .desired_width(160.0);
                let field = ui.add(password).labelled_by(label.id);
                if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    commands.push(Command::ConfirmErase);
                }
            });
        }
        if let Some(key) = form.error {
            ui.colored_label(theme::ERROR, t!(key, locale = locale));
        }
        ui.horizontal(|ui| {
            let erase = egui::Button::new(
                RichText::new(t!("erase.confirm", locale = locale))
                    .strong()
                    .color(theme::ERROR),
            );
            if ui.add(erase).clicked() {
                commands.push(Command::ConfirmErase);
            }
            if ui.button(t!("erase.cancel", locale = locale)).clicked() {
                commands.push(Command::CancelErase);
            }
        });
    });
}

/// The administrator's retention review: how many people are past the limit, by the year of
/// their last visit, and anonymising them after an explicit tick.
pub fn retention_section(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("retention.heading", locale = locale));
    if ui.button(t!("retention.count", locale = locale)).clicked() {
        commands.push(Command::ReviewRetention);
    }
    let Some(review) = desk.rights.retention.clone() else {
        return;
    };
    ui.label(t!(
        "retention.limit",
        locale = locale,
        years = review.years,
        before = format_date(review.before, locale)
    ));
    for (year, count) in &review.by_year {
        ui.label(t!(
            "retention.year_line",
            locale = locale,
            year = year,
            count = count
        ));
    }
    if review.total() == 0 {
        ui.label(RichText::new(t!("retention.none", locale = locale)).color(theme::MUTED));
        return;
    }
    ui.strong(t!(
        "retention.total",
        locale = locale,
        count = review.total()
    ));
    ui.checkbox(
        &mut desk.rights.retention_confirmed,
        t!("retention.confirm", locale = locale, count = review.total()),
    );
    let apply = egui::Button::new(
        RichText::new(t!("retention.apply", locale = locale)).color(theme::ERROR),
    );
    if ui
        .add_enabled(desk.rights.retention_confirmed, apply)
        .clicked()
    {
        commands.push(Command::ApplyRetention);
    }
}
