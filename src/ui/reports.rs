//! The reports screen: pick a period, see its figures beside the previous period's, with
//! charts, and export them.

use egui::{RichText, ScrollArea, TextEdit, Ui};
use egui_plot::{Bar, BarChart, Plot};
use rust_i18n::t;

use super::theme;
use crate::app::{Command, Desk};
use crate::domain::figures::{Count, Figures};
use crate::domain::reference::{countries, name_of};
use crate::export::{Cell, Format, summary};

/// Draws the reports screen.
pub fn reports_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let today = desk.now().date();
    ui.heading(t!("report.title", locale = locale));
    let reports = &mut desk.reports;
    ui.horizontal_wrapped(|ui| {
        let from = ui.label(t!("report.from", locale = locale));
        let a = ui
            .add(TextEdit::singleline(&mut reports.from).desired_width(110.0))
            .labelled_by(from.id);
        let to = ui.label(t!("report.to", locale = locale));
        let b = ui
            .add(TextEdit::singleline(&mut reports.to).desired_width(110.0))
            .labelled_by(to.id);
        if ui.button(t!("report.show", locale = locale)).clicked()
            || ((a.lost_focus() || b.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter)))
        {
            commands.push(Command::ComputeReport);
        }
        let this_month = today.format("%Y-%m").to_string();
        let last_month = today
            .checked_sub_months(chrono::Months::new(1))
            .unwrap_or(today)
            .format("%Y-%m")
            .to_string();
        let year_start = today.format("%Y-01").to_string();
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
    if reports.bad_period {
        ui.colored_label(theme::ERROR, t!("report.bad_period", locale = locale));
    }
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
                    "services_chart",
                    &t!("report.table.services_by_type", locale = locale),
                    &figures.services_by_type,
                    |code| desk_service_name(code, locale),
                );
            });
            ui.columns(3, |columns| {
                count_table(
                    &mut columns[0],
                    &t!("report.table.countries_of_origin", locale = locale),
                    &figures.countries_of_origin,
                    |c| country(c, locale),
                    10,
                );
                count_table(
                    &mut columns[1],
                    &t!("report.table.age_bands", locale = locale),
                    &figures.age_bands,
                    |c| c.to_owned(),
                    10,
                );
                count_table(
                    &mut columns[2],
                    &t!("report.table.legal_status", locale = locale),
                    &figures.legal_status,
                    |c| coded("legal_status", c, locale),
                    10,
                );
            });
            ui.columns(3, |columns| {
                count_table(
                    &mut columns[0],
                    &t!("report.table.sex", locale = locale),
                    &figures.sex,
                    |c| coded("sex", c, locale),
                    10,
                );
                count_table(
                    &mut columns[1],
                    &t!("report.table.referrals_by_outcome", locale = locale),
                    &figures.referrals.by_outcome,
                    |c| coded("referral_status", c, locale),
                    10,
                );
                count_table(
                    &mut columns[2],
                    &t!("report.table.accompaniments_by_outcome", locale = locale),
                    &figures.accompaniments.by_outcome,
                    |c| coded("accompaniment_status", c, locale),
                    10,
                );
            });
        });
}

fn desk_service_name(code: &str, locale: &str) -> String {
    crate::_rust_i18n_try_translate(locale, format!("slip.services.{code}"))
        .map_or_else(|| code.to_owned(), |s| s.into_owned())
}

fn country(code: &str, locale: &str) -> String {
    if code.len() == 2 {
        name_of(countries(), code, locale)
    } else {
        coded("answer", code, locale)
    }
}

/// The translation of a code under a section, or of an answer code, or the code itself.
fn coded(section: &str, code: &str, locale: &str) -> String {
    crate::_rust_i18n_try_translate(locale, format!("{section}.{code}"))
        .or_else(|| crate::_rust_i18n_try_translate(locale, format!("answer.{code}")))
        .map_or_else(|| code.to_owned(), |s| s.into_owned())
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
            for (index, (key, value)) in summary(figures).into_iter().enumerate() {
                ui.label(t!(format!("report.key.{key}"), locale = locale));
                ui.label(RichText::new(cell(&value)).strong());
                let old = before
                    .as_ref()
                    .and_then(|b| b.get(index))
                    .map(|(_, v)| cell(v))
                    .unwrap_or_default();
                ui.label(RichText::new(old).color(theme::MUTED));
                ui.end_row();
            }
        });
}

fn cell(value: &Cell) -> String {
    match value {
        Cell::Text(text) => text.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Number(x) => format!("{x:.2}"),
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
    let months: Vec<String> = figures.monthly.iter().map(|m| m.month.clone()).collect();
    Plot::new("monthly_chart")
        .height(220.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .legend(egui_plot::Legend::default())
        .x_axis_formatter(move |mark, _| {
            months
                .get(mark.value.round() as usize)
                .cloned()
                .unwrap_or_default()
        })
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

fn bar_chart(ui: &mut Ui, id: &str, title: &str, counts: &[Count], name: impl Fn(&str) -> String) {
    ui.strong(title);
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
    Plot::new(id)
        .height(220.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .x_axis_formatter(move |mark, _| {
            labels
                .get(mark.value.round() as usize)
                .map(|l| l.chars().take(14).collect())
                .unwrap_or_default()
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(title.to_owned(), bars).color(theme::CODE))
        });
}

fn count_table(
    ui: &mut Ui,
    title: &str,
    counts: &[Count],
    name: impl Fn(&str) -> String,
    limit: usize,
) {
    ui.strong(title);
    egui::Grid::new(title).striped(true).show(ui, |ui| {
        for count in counts.iter().take(limit) {
            ui.label(name(&count.key));
            ui.label(count.count.to_string());
            ui.end_row();
        }
    });
}
