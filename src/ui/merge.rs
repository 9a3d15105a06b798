//! "These are the same person": two registrations side by side, field by field. Where they
//! differ the person picks the value to keep; the record whose code is kept is chosen at the top.

use egui::{Grid, RichText, ScrollArea, Ui};
use rust_i18n::t;

use super::desk::field_text;
use super::theme;
use super::widgets::name_label;
use crate::app::{Command, Desk, MergeForm};
use crate::domain::merges::FIELDS;
use crate::domain::{Visitor, format_date};

/// Draws the comparison and its confirmation.
pub fn merge_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let Some(form) = desk.merge_form.as_mut() else {
        return;
    };
    ui.heading(t!("merge.title", locale = locale));
    ui.label(RichText::new(t!("merge.explained", locale = locale)).color(theme::MUTED));
    ui.add_space(6.0);
    let (kept, other) = if form.keep_left {
        (&form.left, &form.right)
    } else {
        (&form.right, &form.left)
    };
    let (kept_code, other_code) = (kept.code.clone(), other.code.clone());
    ui.horizontal(|ui| {
        if ui
            .button(RichText::new(t!("merge.confirm", locale = locale)).strong())
            .clicked()
        {
            commands.push(Command::ConfirmMerge);
        }
        if ui.button(t!("form.cancel", locale = locale)).clicked() {
            commands.push(Command::Cancel);
        }
        ui.label(t!(
            "merge.outcome",
            locale = locale,
            other = other_code.as_str(),
            kept = kept_code.as_str()
        ));
    });
    ui.separator();
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| comparison(ui, form, locale));
}

fn comparison(ui: &mut Ui, form: &mut MergeForm, locale: &str) {
    let differing = form.differing();
    Grid::new("merge_fields")
        .num_columns(3)
        .striped(true)
        .spacing([16.0, 6.0])
        .min_col_width(240.0)
        .show(ui, |ui| {
            ui.label("");
            heading_cell(ui, &form.left, form.visits.0, locale);
            heading_cell(ui, &form.right, form.visits.1, locale);
            ui.end_row();
            ui.label(t!("merge.keep_code", locale = locale));
            let (left_code, right_code) = (form.left.code.clone(), form.right.code.clone());
            ui.radio_value(&mut form.keep_left, true, left_code);
            ui.radio_value(&mut form.keep_left, false, right_code);
            ui.end_row();
            for field in FIELDS {
                ui.label(t!(format!("merge.field.{field}"), locale = locale));
                let left = shown(field_text(&form.left.details, field, locale));
                let right = shown(field_text(&form.right.details, field, locale));
                if differing.contains(&field) {
                    let from_right = form.from_right.contains(&field);
                    let left_clicked = choice(ui, !from_right, &left);
                    let right_clicked = choice(ui, from_right, &right);
                    if left_clicked || right_clicked {
                        form.from_right.retain(|f| *f != field);
                        if right_clicked {
                            form.from_right.push(field);
                        }
                    }
                } else {
                    name_label(ui, &left, theme::BODY_SIZE);
                    name_label(ui, &right, theme::BODY_SIZE);
                }
                ui.end_row();
            }
            ui.label(t!("merge.field.languages", locale = locale));
            ui.label(shown(field_text(&form.left.details, "languages", locale)));
            ui.label(shown(field_text(&form.right.details, "languages", locale)));
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(
        RichText::new(t!("merge.languages_and_consents", locale = locale)).color(theme::MUTED),
    );
}

/// A column's heading: the code, the name as written, when registered and how many visits.
fn heading_cell(ui: &mut Ui, visitor: &Visitor, visits: usize, locale: &str) {
    ui.vertical(|ui| {
        ui.label(RichText::new(&visitor.code).color(theme::CODE).monospace());
        name_label(ui, &visitor.full_name(), theme::BODY_SIZE);
        let registered = visitor
            .created_at
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| format_date(d, locale))
            .unwrap_or_default();
        ui.label(
            RichText::new(t!(
                "merge.registered",
                locale = locale,
                day = registered,
                count = visits
            ))
            .small()
            .color(theme::MUTED),
        );
    });
}

/// An empty name part shown as a dash, so a choice of "nothing" is still visible.
fn shown(text: String) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text
    }
}

/// One value to choose: a radio button with the value as its label (an Arabic or Farsi value
/// drawn beside it, shaped). Returns true when clicked.
fn choice(ui: &mut Ui, selected: bool, text: &str) -> bool {
    if !crate::domain::text::has_rtl(text) {
        return ui.radio(selected, text).clicked();
    }
    ui.horizontal(|ui| {
        let radio = ui.radio(selected, "");
        // The value is drawn beside it; screen readers and tests still read it on the button.
        radio.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, text)
        });
        name_label(ui, text, theme::BODY_SIZE);
        radio.clicked()
    })
    .inner
}
