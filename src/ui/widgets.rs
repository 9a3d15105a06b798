//! Small pieces shared by the screens: labelled fields with their error, name labels that draw
//! right-to-left text correctly, and the filter-as-you-type code picker.

use egui::{Response, RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::Command;
use crate::domain::bidi::visual_runs;
use crate::domain::reference::{Entry, ranked};
use crate::domain::referrals::{AccompanimentStatus, ReferralStatus};
use crate::domain::text::has_rtl;
use crate::domain::visitors::NoAnswer;
use crate::domain::{Answer, FieldError, Organisation, OrganisationId, Problem};

/// At most this many characters go into a one-line field: a longer paste is cut, and the
/// field says so (every field's own limit is lower, and checked when saving).
pub const LINE_LIMIT: usize = 1_000;

/// At most this many characters go into a notes field.
pub const NOTE_LIMIT: usize = 4_000;

/// Under a field whose text reached `limit`: the sentence that the rest was cut.
pub fn cut_notice(ui: &mut Ui, value: &str, limit: usize, locale: &str) {
    if value.chars().count() >= limit {
        ui.colored_label(
            theme::ERROR,
            t!("form.cut", locale = locale, max = limit).into_owned(),
        );
    }
}

/// A label above a single-line field, tied to it for screen readers and tests, with the
/// field's error (if any) below it.
pub fn text_field(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    errors: &[FieldError],
    field: &str,
    locale: &str,
) -> Response {
    let label = ui.label(label);
    let response = ui
        .add(
            TextEdit::singleline(value)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if has_rtl(value) {
        // egui draws typed Arabic words left to right; show the correct order beside it.
        ui.horizontal(|ui| {
            ui.small(t!("form.rtl_preview", locale = locale));
            name_label(ui, value, theme::BODY_SIZE);
        });
    }
    cut_notice(ui, value, LINE_LIMIT, locale);
    field_error(ui, errors, field, locale);
    response
}

/// The error sentence for `field`, in the error colour, if there is one.
pub fn field_error(ui: &mut Ui, errors: &[FieldError], field: &str, locale: &str) {
    for error in errors.iter().filter(|e| e.field == field) {
        ui.colored_label(theme::ERROR, problem_text(error.problem, locale));
    }
}

/// The sentence for a problem.
pub fn problem_text(problem: Problem, locale: &str) -> String {
    match problem {
        Problem::TooLong { max } => {
            t!(problem.label_key(), locale = locale, max = max).into_owned()
        }
        Problem::BirthYearOutOfRange => {
            let year = chrono::Datelike::year(&chrono::Local::now());
            t!(problem.label_key(), locale = locale, year = year).into_owned()
        }
        other => t!(other.label_key(), locale = locale).into_owned(),
    }
}

/// Draws a name or one line of text in any script: Latin and Cyrillic as they are; text with
/// Arabic or Farsi is split into direction runs in visual order, each right-to-left run drawn with
/// the Arabic font first so its letters join and its words run right to left.
pub fn name_label(ui: &mut Ui, text: &str, size: f32) -> Response {
    if !has_rtl(text) {
        return ui.label(RichText::new(text).size(size));
    }
    // The pieces in visual order, left to right.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for run in visual_runs(text) {
        if run.rtl {
            // egui lays out pieces in different fonts left to right, so the ASCII punctuation
            // the Arabic font lacks is split off, mirrored, and the pieces put in reverse.
            pieces.extend(rtl_pieces(run.text).into_iter().rev().map(|p| (p, true)));
        } else {
            pieces.push((run.text.to_owned(), false));
        }
    }
    // A right-aligned parent lays a row out from the right: hand it the pieces from the right.
    if ui.layout().prefer_right_to_left() {
        pieces.reverse();
    }
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for (piece, rtl) in pieces {
            let mut rich = RichText::new(piece).size(size);
            if rtl {
                rich = rich.family(theme::rtl_family());
            }
            ui.label(rich);
        }
    })
    .response
}

/// A right-to-left run cut into pieces at ASCII punctuation (each its own piece, mirrored as it
/// is drawn in right-to-left text), in logical order.
fn rtl_pieces(run: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for c in run.chars() {
        if c.is_ascii_punctuation() {
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            let mirrored = match c {
                '(' => ')',
                ')' => '(',
                '[' => ']',
                ']' => '[',
                '{' => '}',
                '}' => '{',
                '<' => '>',
                '>' => '<',
                other => other,
            };
            pieces.push(mirrored.to_string());
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    // A space at either end of a piece would be drawn inside its right-to-left label, where
    // egui drops it: it becomes a piece of its own.
    let mut spaced = Vec::new();
    for piece in pieces {
        let core = piece.trim();
        if core.is_empty() {
            spaced.push(piece);
            continue;
        }
        let leading = &piece[..piece.len() - piece.trim_start().len()];
        let trailing = &piece[piece.trim_end().len()..];
        if !leading.is_empty() {
            spaced.push(leading.to_owned());
        }
        spaced.push(core.to_owned());
        if !trailing.is_empty() {
            spaced.push(trailing.to_owned());
        }
    }
    spaced
}

/// A closed-list answer (sex, legal status) in one drop-down with the answer codes after the
/// values: one Tab stop for the whole question. Labelled by `label`.
pub fn answer_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &Response,
    value: &mut Answer<T>,
    values: &[T],
    label_key: impl Fn(T) -> &'static str,
    locale: &str,
) {
    let shown = match &*value {
        Answer::Given(v) => t!(label_key(*v), locale = locale),
        other => t!(
            other.no_answer().unwrap_or_default().label_key(),
            locale = locale
        ),
    };
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(shown)
        .width(ui.available_width().min(320.0))
        .show_ui(ui, |ui| {
            for v in values {
                if ui
                    .selectable_label(
                        *value == Answer::Given(*v),
                        t!(label_key(*v), locale = locale),
                    )
                    .clicked()
                {
                    *value = Answer::Given(*v);
                }
            }
            ui.separator();
            for choice in NoAnswer::ALL {
                let current = value.no_answer() == Some(choice);
                if ui
                    .selectable_label(current, t!(choice.label_key(), locale = locale))
                    .clicked()
                {
                    *value = choice.into_answer();
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// Why an optional field is empty (not asked, does not know, prefers not to say): one
/// drop-down, so it is one Tab stop, not three.
pub fn no_answer_choices(ui: &mut Ui, current: Option<NoAnswer>, locale: &str) -> Option<NoAnswer> {
    let mut chosen = current.unwrap_or_default();
    let before = chosen;
    egui::ComboBox::from_id_salt(ui.next_auto_id())
        .selected_text(
            RichText::new(t!(chosen.label_key(), locale = locale)).size(theme::SMALL_SIZE),
        )
        .show_ui(ui, |ui| {
            for choice in NoAnswer::ALL {
                ui.selectable_value(&mut chosen, choice, t!(choice.label_key(), locale = locale));
            }
        })
        .response
        .on_hover_text(t!("form.why_empty", locale = locale));
    (chosen != before).then_some(chosen)
}

/// A code picker that filters as the person types ("ира" or "iraq" → Iraq), best matches first
/// (`reference::ranked`); ↑/↓ move the highlight and Enter picks it; a chosen value shows as a button that clears it. `extra` entries (e.g. "stateless")
/// come first.
#[allow(clippy::too_many_arguments)]
pub fn code_picker(
    ui: &mut Ui,
    label: &str,
    filter: &mut String,
    value: &mut Answer<String>,
    list: &[Entry],
    preferred: &[String],
    errors: &[FieldError],
    field: &str,
    locale: &str,
) {
    let label_response = ui.label(label);
    // The picker keeps the height it had open once a value is chosen, so the fields below do
    // not jump up under the pointer.
    let top = ui.cursor().min.y;
    let height_id = label_response.id.with("open_height");
    let chosen = matches!(value, Answer::Given(_));
    match value.clone() {
        Answer::Given(code) => {
            let name = list
                .iter()
                .find(|e| e.code.eq_ignore_ascii_case(&code))
                .map_or_else(
                    || t!("form.stateless", locale = locale).into_owned(),
                    |e| e.name(locale).to_owned(),
                );
            let text = format!("{name} ×");
            if ui
                .button(text)
                .on_hover_text(t!("form.clear", locale = locale))
                .clicked()
            {
                *value = Answer::NotAsked;
            }
        }
        other => {
            let response = ui
                .add(
                    TextEdit::singleline(filter)
                        .char_limit(crate::ui::widgets::LINE_LIMIT)
                        .hint_text(t!("form.type_to_filter", locale = locale))
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label_response.id);
            let matches: Vec<&Entry> = if filter.trim().is_empty() {
                preferred
                    .iter()
                    .filter_map(|c| list.iter().find(|e| &e.code == c))
                    .collect()
            } else {
                ranked(list, filter, locale, preferred)
                    .into_iter()
                    .take(6)
                    .collect()
            };
            // The highlighted match: ↑/↓ move it while the filter has the keys, Enter takes it.
            let highlight_id = response.id.with("highlight");
            let mut highlight: usize = ui.data(|d| d.get_temp(highlight_id)).unwrap_or(0);
            if response.changed() {
                highlight = 0;
            }
            if response.has_focus() && !matches.is_empty() {
                ui.input_mut(|i| {
                    if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown) {
                        highlight = (highlight + 1).min(matches.len() - 1);
                    }
                    if i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp) {
                        highlight = highlight.saturating_sub(1);
                    }
                });
            }
            highlight = highlight.min(matches.len().saturating_sub(1));
            ui.data_mut(|d| d.insert_temp(highlight_id, highlight));
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if enter
                && !filter.trim().is_empty()
                && let Some(chosen) = matches.get(highlight)
            {
                *value = Answer::Given(chosen.code.clone());
                filter.clear();
            }
            ui.horizontal_wrapped(|ui| {
                for (index, entry) in matches.iter().enumerate() {
                    let marked = index == highlight && !filter.trim().is_empty();
                    if ui.selectable_label(marked, entry.name(locale)).clicked() {
                        *value = Answer::Given(entry.code.clone());
                        filter.clear();
                    }
                }
            });
            if let Some(choice) = no_answer_choices(ui, other.no_answer(), locale) {
                *value = choice.into_answer();
            }
        }
    }
    let used = ui.cursor().min.y - top;
    if chosen {
        let open: f32 = ui.data(|d| d.get_temp(height_id)).unwrap_or(0.0);
        if open > used {
            ui.add_space(open - used);
        }
    } else {
        ui.data_mut(|d| d.insert_temp(height_id, used));
    }
    field_error(ui, errors, field, locale);
}

/// The Latin form of a result's name; one the desk made is marked "≈" and says so on hover.
pub fn latin_label(ui: &mut Ui, hit: &crate::domain::VisitorSummary, locale: &str) {
    if hit.latin_name.is_empty() {
        return;
    }
    if hit.latin_automatic {
        ui.label(RichText::new(format!("≈ {}", hit.latin_name)).color(theme::MUTED))
            .on_hover_text(t!("desk.latin_automatic", locale = locale));
    } else {
        ui.label(RichText::new(&hit.latin_name).color(theme::MUTED));
    }
}

/// Said on a form that came back from a draft, with the button that throws it away.
pub fn draft_banner(
    ui: &mut Ui,
    discard: Command,
    for_someone_else: bool,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    if for_someone_else {
        ui.label(
            RichText::new(t!("form.draft_for_someone_else", locale = locale)).color(theme::ERROR),
        );
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t!("form.draft_back", locale = locale)).color(theme::MUTED));
        if ui.button(t!("form.discard", locale = locale)).clicked() {
            commands.push(discard);
        }
    });
}

/// A form's title with the visitor it concerns: bureau code and name (none when anonymous).
pub fn form_heading(ui: &mut Ui, title: &str, visitor: Option<&(String, String)>) {
    ui.horizontal(|ui| {
        ui.heading(title);
        if let Some((code, name)) = visitor {
            ui.label(
                RichText::new(code)
                    .size(theme::HEADING_SIZE)
                    .color(theme::CODE)
                    .monospace(),
            );
            name_label(ui, name, theme::HEADING_SIZE);
        }
    });
}

/// Save and Cancel, always visible above a form, with the "nothing was saved" line when the
/// last attempt failed.
pub fn action_bar(
    ui: &mut Ui,
    failed: bool,
    save: Command,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    ui.horizontal(|ui| {
        if ui
            .button(RichText::new(t!("form.save", locale = locale)).strong())
            .clicked()
        {
            commands.push(save);
        }
        if ui.button(t!("form.cancel", locale = locale)).clicked() {
            commands.push(Command::Cancel);
        }
        if failed {
            ui.colored_label(theme::ERROR, t!("form.fix_errors", locale = locale));
        }
    });
    ui.separator();
}

/// A referral's status as a coloured word.
pub fn referral_status(ui: &mut Ui, status: ReferralStatus, locale: &str) -> Response {
    let colour = match status {
        ReferralStatus::Issued => theme::STATUS_OPEN,
        ReferralStatus::Attended => theme::STATUS_GOOD,
        ReferralStatus::NotAttended => theme::STATUS_MISSED,
        ReferralStatus::Cancelled => theme::STATUS_OFF,
    };
    ui.label(
        RichText::new(t!(status.label_key(), locale = locale))
            .color(colour)
            .strong(),
    )
}

/// An accompaniment's status as a coloured word.
pub fn accompaniment_status(ui: &mut Ui, status: AccompanimentStatus, locale: &str) -> Response {
    let colour = match status {
        AccompanimentStatus::Planned => theme::STATUS_OPEN,
        AccompanimentStatus::Done => theme::STATUS_GOOD,
        AccompanimentStatus::NoShow => theme::STATUS_MISSED,
        AccompanimentStatus::Cancelled => theme::STATUS_OFF,
    };
    ui.label(
        RichText::new(t!(status.label_key(), locale = locale))
            .color(colour)
            .strong(),
    )
}

/// A destination picker: filter by typing (either language), pick with a click or Enter.
pub fn organisation_picker(
    ui: &mut Ui,
    label: &str,
    filter: &mut String,
    chosen: &mut Option<OrganisationId>,
    organisations: &[Organisation],
    locale: &str,
) {
    let label = ui.label(label);
    if let Some(org) = chosen.and_then(|id| organisations.iter().find(|o| o.id == id)) {
        if ui
            .button(format!("{} ×", org.name(locale)))
            .on_hover_text(t!("form.clear", locale = locale))
            .clicked()
        {
            *chosen = None;
        }
        let details = [
            org.address(locale),
            org.hours(locale),
            org.details.phone.as_str(),
        ];
        ui.label(
            RichText::new(
                details
                    .iter()
                    .filter(|d| !d.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" · "),
            )
            .color(theme::MUTED),
        );
        return;
    }
    let response = ui
        .add(
            TextEdit::singleline(filter)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .hint_text(t!("form.type_to_filter", locale = locale))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let folded = crate::domain::text::fold(filter.trim());
    let matches: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| {
            folded.is_empty()
                || crate::domain::text::fold(&o.details.name_bg).contains(&folded)
                || crate::domain::text::fold(&o.details.name_en).contains(&folded)
        })
        .take(8)
        .collect();
    if response.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
        && !folded.is_empty()
        && let Some(first) = matches.first()
    {
        *chosen = Some(first.id);
        filter.clear();
    }
    ui.horizontal_wrapped(|ui| {
        for org in matches {
            if ui.small_button(org.name(locale)).clicked() {
                *chosen = Some(org.id);
                filter.clear();
            }
        }
    });
}

/// A labelled drop-down of the staff, for "seen by" and "escort".
pub fn staff_picker(
    ui: &mut Ui,
    id_salt: &str,
    label: &str,
    chosen: &mut Option<crate::domain::StaffId>,
    staff: &[crate::domain::Staff],
) {
    let label = ui.label(label);
    let name = staff
        .iter()
        .find(|s| Some(s.id) == *chosen)
        .map_or(String::new(), |s| s.display_name.clone());
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(name)
        .show_ui(ui, |ui| {
            for s in staff {
                ui.selectable_value(chosen, Some(s.id), &s.display_name);
            }
        })
        .response
        .labelled_by(label.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_in_right_to_left_text_is_split_off_and_mirrored() {
        assert_eq!(
            rtl_pieces("بشيء؟ (اختياري)"),
            ["بشيء؟", " ", ")", "اختياري", "("]
        );
        assert_eq!(rtl_pieces("أحمد حسن"), ["أحمد حسن"]);
    }
}
