//! The reports screen: pick a period, see its figures beside the previous period's, with
//! charts, and export them.

use egui::{RichText, ScrollArea, TextEdit, Ui};
use egui_plot::{Bar, BarChart, Plot};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk, PathFor};
use crate::domain::figures::{Count, Figures};
use crate::export::{self, Cell, Format, code_label, summary};

/// Draws the reports screen.
pub fn reports_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let today = desk.now().date();
    ui.horizontal(|ui| {
        ui.heading(t!("report.title", locale = locale));
        // The register kept before the desk comes in here, and then counts in every figure.
        if desk.may(crate::domain::access::Permission::Import)
            && ui.button(t!("import.open", locale = locale)).clicked()
        {
            commands.push(Command::OpenImport);
        }
    });
    let providers = desk.providers.clone();
    let reports = &mut desk.reports;
    ui.horizontal_wrapped(|ui| {
        let from = ui.label(t!("report.from", locale = locale));
        let a = ui
            .add(
                TextEdit::singleline(&mut reports.from)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .desired_width(110.0),
            )
            .labelled_by(from.id);
        let to = ui.label(t!("report.to", locale = locale));
        let b = ui
            .add(
                TextEdit::singleline(&mut reports.to)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .desired_width(110.0),
            )
            .labelled_by(to.id);
        if ui.button(t!("report.show", locale = locale)).clicked()
            || ((a.lost_focus() || b.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            commands.push(Command::ComputeReport);
        }
        // Months in the form the date fields use: 11.2026.
        let (month_form, january) = ("%m.%Y", "01.%Y");
        let this_month = today.format(month_form).to_string();
        let last_month = today
            .checked_sub_months(chrono::Months::new(1))
            .unwrap_or(today)
            .format(month_form)
            .to_string();
        let year_start = today.format(january).to_string();
        for (key, from, to) in [
            ("report.this_month", this_month.clone(), this_month.clone()),
            ("report.last_month", last_month.clone(), last_month),
            ("report.this_year", year_start, this_month),
        ] {
            if ui.small_button(t!(key, locale = locale)).clicked() {
                reports.from = from;
                reports.to = to;
                commands.push(Command::ComputeReport);
            }
        }
    });
    if let Some(error) = reports.period_error {
        ui.colored_label(theme::ERROR, t!(error.label_key(), locale = locale));
    }
    export_folder_field(ui, &mut reports.folder, locale, commands);
    ui.horizontal_wrapped(|ui| {
        ui.label(t!("report.export", locale = locale));
        for format in [Format::Pdf, Format::Xlsx, Format::Csv, Format::Json] {
            if ui
                .add_enabled(
                    reports.figures.is_some(),
                    egui::Button::new(format.name().to_uppercase()),
                )
                .clicked()
            {
                commands.push(Command::Export(format));
            }
        }
        ui.checkbox(
            &mut reports.mask_small_counts,
            t!("report.mask_small", locale = locale),
        );
        ui.checkbox(&mut reports.records, t!("report.records", locale = locale));
        if let Some(path) = &reports.last_export {
            ui.label(RichText::new(path.display().to_string()).color(theme::MUTED));
        }
    });
    ui.separator();
    let (Some(figures), previous) = (&reports.figures, &reports.previous) else {
        return;
    };
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            key_figures(ui, figures, previous.as_ref(), locale);
            ui.add_space(8.0);
            ui.columns(2, |columns| {
                monthly_chart(&mut columns[0], figures, locale);
                bar_chart(
                    &mut columns[1],
                    locale,
                    "services_by_type",
                    &figures.services_by_type,
                );
            });
            ui.columns(3, |columns| {
                count_table(
                    &mut columns[0],
                    locale,
                    "countries_of_origin",
                    &figures.countries_of_origin,
                );
                count_table(&mut columns[1], locale, "age_bands", &figures.age_bands);
                count_table(
                    &mut columns[2],
                    locale,
                    "legal_status",
                    &figures.legal_status,
                );
            });
            ui.columns(3, |columns| {
                count_table(&mut columns[0], locale, "sex", &figures.sex);
                count_table(
                    &mut columns[1],
                    locale,
                    "referrals_by_outcome",
                    &figures.referrals.by_outcome,
                );
                count_table(
                    &mut columns[2],
                    locale,
                    "accompaniments_by_outcome",
                    &figures.accompaniments.by_outcome,
                );
            });
            ui.columns(2, |columns| {
                let households = [
                    ("households_served", figures.households.served),
                    ("individuals_in_households", figures.households.individuals),
                    ("children", figures.children),
                ]
                .map(|(key, count)| Count {
                    key: key.to_owned(),
                    count,
                });
                count_table(&mut columns[0], locale, "households", &households);
                programme_table(&mut columns[1], locale, figures, &providers);
            });
        });
}

/// Each partner's sessions in the programme against the visits they served, each partner named
/// in the UI language.
fn programme_table(
    ui: &mut Ui,
    locale: &str,
    figures: &Figures,
    providers: &[crate::domain::Organisation],
) {
    ui.strong(t!("report.table.programme", locale = locale));
    egui::Grid::new("programme_figures")
        .striped(true)
        .show(ui, |ui| {
            for column in ["partner", "slots_offered", "show_rate", "visits_served"] {
                ui.label(t!(format!("report.column.{column}"), locale = locale));
            }
            ui.end_row();
            for line in &figures.programme {
                let name = providers
                    .iter()
                    .find(|p| p.details.name_en == line.organisation)
                    .map_or(line.organisation.as_str(), |p| p.name(locale));
                ui.label(name);
                ui.label(line.slots_offered.to_string());
                ui.label(
                    line.show_rate
                        .map(|r| format!("{:.0} %", r * 100.0))
                        .unwrap_or_default(),
                );
                ui.label(line.visits_served.to_string());
                ui.end_row();
            }
        });
}

fn key_figures(ui: &mut Ui, figures: &Figures, previous: Option<&Figures>, locale: &str) {
    let before = previous.map(summary);
    egui::Grid::new("key_figures")
        .striped(true)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.strong(t!("report.column.key", locale = locale));
            ui.strong(t!("report.this_period", locale = locale));
            ui.strong(t!("report.previous_period", locale = locale));
            ui.end_row();
            // The open and cancelled referrals and accompaniments are in their outcome tables
            // below; the key figures keep to one screen.
            for (index, (key, value)) in summary(figures).into_iter().enumerate() {
                if export::is_part_of_a_total(key) {
                    continue;
                }
                ui.label(t!(format!("report.key.{key}"), locale = locale));
                ui.label(RichText::new(cell(&value, locale)).strong());
                let old = before
                    .as_ref()
                    .and_then(|b| b.get(index))
                    .map(|(_, v)| cell(v, locale))
                    .unwrap_or_default();
                ui.label(RichText::new(old).color(theme::MUTED));
                ui.end_row();
            }
        });
}

/// A key figure as the UI language writes it (4,50 in Bulgarian).
fn cell(value: &Cell, locale: &str) -> String {
    match value {
        Cell::Text(text) => text.clone(),
        Cell::Count(n) | Cell::Plain(n) => n.to_string(),
        Cell::Number(x) => crate::domain::report::format_mean(*x, locale),
    }
}

fn monthly_chart(ui: &mut Ui, figures: &Figures, locale: &str) {
    ui.strong(t!("report.visits_per_month", locale = locale));
    let visits: Vec<Bar> = figures
        .monthly
        .iter()
        .enumerate()
        .map(|(i, m)| Bar::new(i as f64, m.visits as f64).width(0.4))
        .collect();
    let people: Vec<Bar> = figures
        .monthly
        .iter()
        .enumerate()
        .map(|(i, m)| Bar::new(i as f64 + 0.4, m.unique_visitors as f64).width(0.4))
        .collect();
    // Months as the UI language writes them (11.2026 in Bulgarian).
    let months: Vec<String> = figures
        .monthly
        .iter()
        .map(|m| match m.month.split_once('-') {
            Some((year, month)) if locale == "bg" => format!("{month}.{year}"),
            _ => m.month.clone(),
        })
        .collect();
    Plot::new("monthly_chart")
        .height(220.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .legend(egui_plot::Legend::default())
        .x_axis_formatter(move |mark, _| label_at(&months, mark.value))
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(
                    t!("report.key.visits", locale = locale).into_owned(),
                    visits,
                )
                .color(theme::STATUS_OPEN),
            );
            plot.bar_chart(
                BarChart::new(
                    t!("report.key.unique_visitors", locale = locale).into_owned(),
                    people,
                )
                .color(theme::STATUS_GOOD),
            );
        });
}

/// The label of the bar at a whole-number axis mark; the plot also asks for marks between
/// bars, which get none (they repeated the month beside it).
fn label_at(labels: &[String], value: f64) -> String {
    if (value - value.round()).abs() > 1e-6 || value < 0.0 {
        return String::new();
    }
    labels
        .get(value.round() as usize)
        .cloned()
        .unwrap_or_default()
}

/// The first eight rows of a figures table as bars, labelled in `locale`.
fn bar_chart(ui: &mut Ui, locale: &str, table: &str, counts: &[Count]) {
    let title = t!(format!("report.table.{table}"), locale = locale).into_owned();
    let name = |code: &str| code_label(locale, table, code);
    ui.strong(&title);
    let shown: Vec<&Count> = counts.iter().take(8).collect();
    let bars: Vec<Bar> = shown
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Bar::new(i as f64, c.count as f64)
                .width(0.7)
                .name(name(&c.key))
        })
        .collect();
    let labels: Vec<String> = shown.iter().map(|c| name(&c.key)).collect();
    Plot::new(table)
        .height(220.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .x_axis_formatter(move |mark, _| label_at(&labels, mark.value).chars().take(14).collect())
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(title.clone(), bars).color(theme::CODE))
        });
}

/// The first ten rows of a figures table, labelled in `locale`.
fn count_table(ui: &mut Ui, locale: &str, table: &str, counts: &[Count]) {
    ui.strong(t!(format!("report.table.{table}"), locale = locale));
    egui::Grid::new(table).striped(true).show(ui, |ui| {
        for count in counts.iter().take(10) {
            ui.label(code_label(locale, table, &count.key));
            ui.label(count.count.to_string());
            ui.end_row();
        }
    });
}

/// The folder exports are written to: typed, or chosen with the system's dialog.
pub fn export_folder_field(
    ui: &mut Ui,
    folder: &mut String,
    locale: &str,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(t!("report.folder", locale = locale));
        ui.add(
            egui::TextEdit::singleline(folder)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(420.0),
        )
        .labelled_by(label.id);
        if ui
            .button(t!("report.choose_folder", locale = locale))
            .clicked()
        {
            commands.push(Command::AskForPath(PathFor::ExportFolder));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::label_at;

    #[test]
    fn only_whole_marks_are_labelled_so_no_month_repeats() {
        let months = vec!["11.2026".to_owned(), "12.2026".to_owned()];
        let shown: Vec<String> = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 2.0, -1.0]
            .iter()
            .map(|v| label_at(&months, *v))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(shown, months);
    }
}
