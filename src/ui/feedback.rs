//! The visitor's own screen: two questions with big marks and a comment, in their language,
//! right to left for Arabic and Farsi. Nothing of the staff or other visitors is shown, and only
//! a staff action (Ctrl+Shift+D) returns to the desk.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::name_label;
use crate::app::{Command, Desk};
use crate::domain::slips::SLIP_LANGUAGES;

/// Text size on the visitor's screen.
const LARGE: f32 = 26.0;

/// Draws the feedback screen.
pub fn feedback_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let form = &mut desk.feedback;
    let language = form.draft.language.clone();
    let l = |key: &str| t!(key, locale = language.as_str()).into_owned();
    ui.horizontal_wrapped(|ui| {
        for code in SLIP_LANGUAGES {
            let name = t!("slip.language_name", locale = code).into_owned();
            let text = RichText::new(name).size(theme::HEADING_SIZE);
            let text = if crate::domain::text::has_rtl(&t!("slip.language_name", locale = code)) {
                text.family(theme::rtl_family())
            } else {
                text
            };
            if ui
                .selectable_label(form.draft.language == code, text)
                .clicked()
            {
                form.draft.language = code.to_owned();
            }
        }
    });
    ui.add_space(16.0);
    // Arabic and Farsi read from the right: the whole form is right-aligned and the marks run
    // from 1 on the right to 5 on the left.
    let rtl = crate::domain::text::has_rtl(&l("feedback.title"));
    let (column, row) = if rtl {
        (
            egui::Layout::top_down(egui::Align::Max),
            egui::Layout::right_to_left(egui::Align::Center),
        )
    } else {
        (
            egui::Layout::top_down(egui::Align::Min),
            egui::Layout::left_to_right(egui::Align::Center),
        )
    };
    ui.with_layout(column, |ui| {
        if form.sent {
            name_label(ui, &l("feedback.thanks"), LARGE + 4.0);
            return;
        }
        name_label(ui, &l("feedback.title"), LARGE + 4.0);
        ui.add_space(6.0);
        for (key, value) in [
            ("feedback.overall", &mut form.draft.overall),
            ("feedback.staff", &mut form.draft.staff),
        ] {
            name_label(ui, &l(key), LARGE);
            ui.allocate_ui_with_layout(egui::vec2(ui.available_width(), 80.0), row, |ui| {
                for (mark, word) in [
                    (1u8, "feedback.very_poor"),
                    (2, "feedback.poor"),
                    (3, "feedback.fair"),
                    (4, "feedback.good"),
                    (5, "feedback.very_good"),
                ] {
                    let mut text = RichText::new(format!("{mark}\n{}", l(word))).size(LARGE - 6.0);
                    if rtl {
                        text = text.family(theme::rtl_family());
                    }
                    let button = egui::Button::new(text)
                        .selected(*value == Some(mark))
                        .min_size(egui::vec2(150.0, 76.0));
                    if ui.add(button).clicked() {
                        *value = Some(mark);
                    }
                }
            });
            ui.add_space(6.0);
        }
        let label = name_label(ui, &l("feedback.comment"), LARGE - 8.0);
        // The label is drawn in pieces for right-to-left text; it carries the whole sentence
        // for screen readers, and names the field.
        let sentence = l("feedback.comment");
        label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &sentence));
        ui.add(
            TextEdit::multiline(&mut form.draft.comment)
                .char_limit(crate::ui::widgets::NOTE_LIMIT)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .font(egui::FontId::proportional(LARGE - 8.0)),
        )
        .labelled_by(label.id);
        if crate::domain::text::has_rtl(&form.draft.comment) {
            for line in form.draft.comment.lines() {
                name_label(ui, line, LARGE - 8.0);
            }
        }
        if !form.errors.is_empty() {
            ui.colored_label(
                theme::ERROR,
                RichText::new(l("feedback.choose_both")).size(LARGE - 8.0),
            );
        }
        ui.add_space(12.0);
        let mut send = RichText::new(l("feedback.send")).size(LARGE);
        if rtl {
            send = send.family(theme::rtl_family());
        }
        if ui
            .add(egui::Button::new(send).min_size(egui::vec2(240.0, 60.0)))
            .clicked()
        {
            commands.push(Command::SaveFeedback);
        }
    });
}
