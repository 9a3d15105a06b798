//! The coming week's accompaniments, day by day, with their outcome buttons.

use egui::{RichText, ScrollArea, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::accompaniment_status;
use crate::app::{Command, Desk};
use crate::domain::format_date;
use crate::domain::referrals::{Accompaniment, AccompanimentStatus};

/// Draws the week view.
pub fn week_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("week.title", locale = locale));
    outcome_note_field(ui, desk, locale);
    let desk = &*desk;
    if desk.week.is_empty() {
        ui.label(RichText::new(t!("week.none", locale = locale)).color(theme::MUTED));
    }
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut day = None;
            for booked in &desk.week {
                if day != Some(booked.scheduled_at.date()) {
                    day = Some(booked.scheduled_at.date());
                    ui.add_space(6.0);
                    ui.strong(format_date(booked.scheduled_at.date(), locale));
                }
                accompaniment_row(ui, desk, booked, commands);
            }
        });
}

/// "done / no-show / cancelled" for a planned accompaniment: one click records it (with the
/// outcome note, if one was typed).
pub fn accompaniment_outcome_buttons(
    ui: &mut Ui,
    booked: &Accompaniment,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    if booked.status != AccompanimentStatus::Planned {
        return;
    }
    for status in [
        AccompanimentStatus::Done,
        AccompanimentStatus::NoShow,
        AccompanimentStatus::Cancelled,
    ] {
        if ui
            .small_button(t!(status.label_key(), locale = locale))
            .clicked()
        {
            commands.push(Command::SetAccompanimentStatus(booked.id, status));
        }
    }
}

/// The note the next outcome button records with the accompaniment ("documents filed").
pub fn outcome_note_field(ui: &mut Ui, desk: &mut Desk, locale: &str) {
    ui.horizontal(|ui| {
        let label = ui.label(t!("week.outcome_note", locale = locale));
        ui.add(
            egui::TextEdit::singleline(&mut desk.outcome_note)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(420.0),
        )
        .labelled_by(label.id);
    });
}

/// One accompaniment: time, visitor code, institution, escort, status and outcome buttons.
pub fn accompaniment_row(
    ui: &mut Ui,
    desk: &Desk,
    booked: &Accompaniment,
    commands: &mut Vec<Command>,
) {
    let locale = desk.locale.as_str();
    ui.horizontal_wrapped(|ui| {
        ui.label(booked.scheduled_at.format("%H:%M").to_string());
        ui.label(
            RichText::new(booked.visitor_code.as_deref().unwrap_or("—"))
                .color(theme::CODE)
                .monospace(),
        );
        ui.label(desk.organisation_name(booked.organisation));
        if let Some(escort) = booked.escort {
            ui.label(RichText::new(desk.staff_name(escort)).color(theme::MUTED));
        }
        accompaniment_status(ui, booked.status, locale);
        if !booked.outcome_note.is_empty() {
            super::widgets::name_label(ui, &booked.outcome_note, theme::SMALL_SIZE);
        }
        accompaniment_outcome_buttons(ui, booked, commands, locale);
    });
}
