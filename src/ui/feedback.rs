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
const LARGE: f32 = 28.0;

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
    if form.sent {
        name_label(ui, &l("feedback.thanks"), LARGE + 4.0);
        return;
    }
    name_label(ui, &l("feedback.title"), LARGE + 4.0);
    ui.add_space(12.0);
    for (key, value) in [
        ("feedback.overall", &mut form.draft.overall),
        ("feedback.staff", &mut form.draft.staff),
    ] {
        name_label(ui, &l(key), LARGE);
        ui.horizontal(|ui| {
            for (mark, word) in [
                (1u8, "feedback.very_poor"),
                (2, "feedback.poor"),
                (3, "feedback.fair"),
                (4, "feedback.good"),
                (5, "feedback.very_good"),
            ] {
                let caption = format!("{mark}\n{}", l(word));
                let mut text = RichText::new(caption).size(LARGE - 6.0);
                if crate::domain::text::has_rtl(&l(word)) {
                    text = text.family(theme::rtl_family());
                }
                let button = egui::Button::selectable(*value == Some(mark), text)
                    .min_size(egui::vec2(150.0, 90.0));
                if ui.add(button).clicked() {
                    *value = Some(mark);
                }
            }
        });
        ui.add_space(12.0);
    }
    let label = ui.label(RichText::new(l("feedback.comment")).size(LARGE - 8.0));
    ui.add(
        TextEdit::multiline(&mut form.draft.comment)
            .desired_rows(3)
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
    if ui
        .add(
            egui::Button::new(RichText::new(l("feedback.send")).size(LARGE))
                .min_size(egui::vec2(240.0, 70.0)),
        )
        .clicked()
    {
        commands.push(Command::SaveFeedback);
    }
}
