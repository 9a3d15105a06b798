//! "Import register": the file, what each column was read as, the values to place, the dry
//! run's counts and rows left out, then the import with its progress.

use egui::{ComboBox, Grid, RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk, ImportScreen, PathFor};
use crate::db::imports::Refusal;
use crate::domain::import::{Field, Shape};
use crate::import::Encoding;

/// Draws the import screen.
pub fn import_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    ui.heading(t!("import.title", locale = locale));
    ui.label(RichText::new(t!("import.explained", locale = locale)).color(theme::MUTED));
    ui.add_space(6.0);
    let screen = &mut desk.import;
    file_row(ui, screen, commands, locale);
    if let Some(error) = &screen.read_error {
        ui.colored_label(
            theme::ERROR,
            t!("import.read_failed", locale = locale, why = error.as_str()),
        );
    }
    if screen.running() {
        let (done, total) = screen.progress.get();
        let share = if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        };
        ui.add(egui::ProgressBar::new(share).show_percentage().text(t!(
            "import.running",
            locale = locale,
            done = done,
            total = total
        )));
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
        return;
    }
    let Some(outcome) = screen.outcome.clone() else {
        return;
    };
    ui.separator();
    let r = &outcome.report;
    ui.strong(t!(
        if r.imported {
            "import.done"
        } else {
            "import.would"
        },
        locale = locale,
        rows = r.rows,
        new = r.people_new,
        existing = r.people_existing,
        review = r.people_to_review,
        visits = r.visits,
        services = r.services,
        rejected = r.rejected.len()
    ));
    if let Some(refusal) = &outcome.refused {
        ui.colored_label(theme::ERROR, refusal_text(refusal, locale));
    }
    if !r.imported {
        let may_import = outcome.refused.is_none() && r.people_new + r.people_existing > 0;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    may_import,
                    egui::Button::new(RichText::new(t!("import.start", locale = locale)).strong()),
                )
                .clicked()
            {
                commands.push(Command::StartImport);
            }
            if ui.button(t!("import.check", locale = locale)).clicked() {
                commands.push(Command::CheckImport);
            }
        });
    }
    ui.add_space(6.0);
    ui.strong(t!("import.columns", locale = locale));
    columns_grid(ui, screen, &outcome.report.columns, commands, locale);
    if !r.unplaced_values.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("import.unplaced", locale = locale));
        Grid::new("import_unplaced").striped(true).show(ui, |ui| {
            for value in &r.unplaced_values {
                ui.label(&value.column);
                ui.label(t!("import.rows", locale = locale, count = value.rows));
                let label = ui.label(t!(
                    "import.stands_for",
                    locale = locale,
                    value = value.value.as_str()
                ));
                let target = screen
                    .targets
                    .entry((value.field, value.value.clone()))
                    .or_default();
                ui.add(
                    TextEdit::singleline(target)
                        .hint_text(t!("import.stands_for_hint", locale = locale)),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
        ui.checkbox(
            &mut screen.create_missing,
            t!("import.create_missing", locale = locale),
        );
    }
    if !r.review.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("import.review", locale = locale));
        for review in &r.review {
            let lines: Vec<String> = review.lines.iter().map(usize::to_string).collect();
            ui.horizontal_wrapped(|ui| {
                ui.label(t!(
                    "import.lines",
                    locale = locale,
                    lines = lines.join(", ")
                ));
                // Once imported, each can be compared with the people of the same name.
                if let Some((first, others)) = review.visitors.split_first() {
                    for (other, code) in others.iter().zip(review.codes.iter().skip(1)) {
                        let label = t!(
                            "import.compare",
                            locale = locale,
                            code = review.codes[0].as_str(),
                            other = code.as_str()
                        );
                        if ui.small_button(label).clicked() {
                            commands.push(Command::CompareVisitors(
                                crate::domain::VisitorId(*first),
                                crate::domain::VisitorId(*other),
                            ));
                        }
                    }
                }
            });
        }
    }
    if !r.visits_by_month.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("import.by_month", locale = locale));
        Grid::new("import_months").striped(true).show(ui, |ui| {
            for (month, visits) in &r.visits_by_month {
                ui.label(month);
                ui.label(visits.to_string());
                ui.end_row();
            }
        });
    }
    if !r.rejected.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!(
            "import.rejected",
            locale = locale,
            count = r.rejected.len()
        ));
        for rejected in &r.rejected {
            let why: Vec<String> = rejected
                .problems
                .iter()
                .map(|p| t!(p.label_key(), locale = locale, value = p.value()).into_owned())
                .collect();
            ui.label(t!(
                "import.line",
                locale = locale,
                line = rejected.line,
                why = why.join("; ")
            ));
        }
    }
}

/// The register's path, "Choose…", how to read it, and "Read".
fn file_row(ui: &mut Ui, screen: &mut ImportScreen, commands: &mut Vec<Command>, locale: &str) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("import.file", locale = locale));
        let field = ui
            .add(TextEdit::singleline(&mut screen.path).desired_width(420.0))
            .labelled_by(label.id);
        if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.push(Command::ReadImport);
        }
        if ui.button(t!("import.choose", locale = locale)).clicked() {
            commands.push(Command::AskForPath(PathFor::Register));
        }
        let encodings = [
            (None, "import.encoding_auto"),
            (Some(Encoding::Utf8), "import.encoding_utf8"),
            (Some(Encoding::Windows1251), "import.encoding_1251"),
        ];
        let chosen = encodings
            .iter()
            .find(|(e, _)| *e == screen.encoding)
            .map_or("import.encoding_auto", |(_, k)| k);
        let label = ui.label(t!("import.encoding", locale = locale));
        ComboBox::from_id_salt("import_encoding")
            .selected_text(t!(chosen, locale = locale))
            .show_ui(ui, |ui| {
                for (encoding, key) in encodings {
                    ui.selectable_value(&mut screen.encoding, encoding, t!(key, locale = locale));
                }
            })
            .response
            .labelled_by(label.id);
        let shapes = [
            (None, "import.rows_auto"),
            (Some(Shape::Visits), "import.rows_visits"),
            (Some(Shape::People), "import.rows_people"),
        ];
        let chosen = shapes
            .iter()
            .find(|(s, _)| *s == screen.shape)
            .map_or("import.rows_auto", |(_, k)| k);
        let label = ui.label(t!("import.rows_label", locale = locale));
        ComboBox::from_id_salt("import_shape")
            .selected_text(t!(chosen, locale = locale))
            .show_ui(ui, |ui| {
                for (shape, key) in shapes {
                    ui.selectable_value(&mut screen.shape, shape, t!(key, locale = locale));
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .button(RichText::new(t!("import.read", locale = locale)).strong())
            .clicked()
        {
            commands.push(Command::ReadImport);
        }
    });
}

/// Each column with what it was read as (changed with a picker) and its first values.
fn columns_grid(
    ui: &mut Ui,
    screen: &mut ImportScreen,
    columns: &[crate::domain::import::Column],
    commands: &mut Vec<Command>,
    locale: &str,
) {
    Grid::new("import_columns").striped(true).show(ui, |ui| {
        for column in columns {
            let heading = ui.label(&column.heading);
            let mut field = column.field;
            ComboBox::from_id_salt(("import_column", &column.heading))
                .selected_text(t!(
                    format!("import.field.{}", field.code()),
                    locale = locale
                ))
                .show_ui(ui, |ui| {
                    for choice in Field::ALL {
                        ui.selectable_value(
                            &mut field,
                            choice,
                            t!(format!("import.field.{}", choice.code()), locale = locale),
                        );
                    }
                })
                .response
                .labelled_by(heading.id);
            if field != column.field {
                screen.map.insert(column.heading.clone(), field);
                commands.push(Command::CheckImport);
            }
            ui.label(
                RichText::new(column.samples.join(" · "))
                    .small()
                    .color(theme::MUTED),
            );
            ui.end_row();
        }
    });
}

fn refusal_text(refusal: &Refusal, locale: &str) -> String {
    match refusal {
        Refusal::AlreadyImported(at) => t!(
            "import.refused_already",
            locale = locale,
            when = crate::domain::format_stored_moment(at, locale)
        )
        .into_owned(),
        Refusal::Unplaced(n) => {
            t!("import.refused_unplaced", locale = locale, count = n).into_owned()
        }
        Refusal::NothingToImport => t!("import.refused_nothing", locale = locale).into_owned(),
        Refusal::BadValue(target) => t!(
            "import.refused_bad_value",
            locale = locale,
            target = target.as_str()
        )
        .into_owned(),
    }
}
