//! The printable evaluation report, A4: lays out a [`Report`] the export has prepared (every
//! word translated, every number written, hidden counts hidden) as key numbers, bar charts,
//! the monthly chart and tables. A hidden count gets no bar: its length would give it away.

use printpdf::{Op, PdfDocument};

use super::SlipError;
use super::page::{MARGIN, MM, Writer, a4_pdf};
use super::shaping::Fonts;
use crate::domain::report::{BarChart, Grid, MonthlyChart, Report, Section};

const TITLE: f32 = 18.0;
const HEADING: f32 = 12.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;
/// The grey of a bar of a breakdown (0 black, 1 white).
const BAR_SHADE: f32 = 0.55;

fn heading(w: &mut Writer<'_>, title: &str) {
    // Keep a heading with at least two of its rows.
    w.ensure_room(HEADING * 1.45 + 2.0 * BODY * 1.6);
    w.paragraph(title, HEADING, MARGIN, w.width - 2.0 * MARGIN);
}

/// Horizontal bars, each with its label (wrapped in its column) and its count.
fn bars(w: &mut Writer<'_>, chart: &BarChart) {
    heading(w, &chart.title);
    let max = chart
        .bars
        .iter()
        .filter_map(|b| b.length)
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let label_width = 62.0 * MM;
    let bar_room = w.width - 2.0 * MARGIN - label_width - 22.0 * MM;
    for bar in &chart.bars {
        let lines = w.wrap(&bar.label, BODY, label_width - 3.0 * MM);
        let row = BODY * 1.6 + (lines.len().max(1) - 1) as f32 * BODY * 1.3;
        w.ensure_room(row);
        w.y -= BODY * 1.6;
        let y = w.y;
        for (i, line) in lines.iter().enumerate() {
            let fonts = w.fonts;
            let line_y = y - i as f32 * BODY * 1.3;
            let x = if line.rtl {
                MARGIN + label_width - 3.0 * MM - line.width
            } else {
                MARGIN
            };
            fonts.draw(line, x, line_y, BODY, w.ops());
        }
        // A hidden count, or none, draws no bar.
        let length = bar.length.map_or(0.0, |n| bar_room * n as f32 / max);
        if length > 0.0 {
            w.fill(MARGIN + label_width, y - 1.0, length, BODY, BAR_SHADE);
        }
        w.text_at(&bar.value, BODY, MARGIN + label_width + length + 4.0, y);
        w.y -= row - BODY * 1.6;
    }
    w.gap(6.0);
}

/// Visits and people per month as pairs of columns; a hidden count draws no column.
fn monthly_chart(w: &mut Writer<'_>, chart: &MonthlyChart) {
    w.paragraph(&chart.title, HEADING, MARGIN, w.width - 2.0 * MARGIN);
    let height = 45.0 * MM;
    w.ensure_room(height + 2.0 * BODY * 1.6);
    let base = w.y - height - BODY;
    let max = chart
        .months
        .iter()
        .flat_map(|m| [m.visits, m.people])
        .flatten()
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let slot = ((w.width - 2.0 * MARGIN) / chart.months.len().max(1) as f32).min(30.0 * MM);
    for (i, month) in chart.months.iter().enumerate() {
        let x = MARGIN + i as f32 * slot;
        let bar = slot * 0.35;
        let visits = month.visits.map_or(0.0, |n| height * n as f32 / max);
        if let Some(n) = month.visits {
            w.fill(x, base, bar, (height * n as f32 / max).max(0.5), 0.35);
        }
        if let Some(n) = month.people {
            w.fill(x + bar, base, bar, (height * n as f32 / max).max(0.5), 0.7);
        }
        w.text_at(&month.visits_text, SMALL - 1.0, x, base + visits + 2.0);
        w.text_at(&month.label, SMALL - 1.0, x, base - SMALL - 1.0);
    }
    w.y = base - SMALL * 3.0;
    let y = w.y;
    let mut x = MARGIN;
    for (shade, name) in [(0.35, &chart.legend[0]), (0.7, &chart.legend[1])] {
        w.fill(x, y - 1.0, SMALL, SMALL, shade);
        x += SMALL + 4.0 + w.text_at(name, SMALL, x + SMALL + 4.0, y) + 12.0;
    }
    w.gap(10.0);
}

/// A table: the first column takes what the numbers leave; numbers are right-aligned.
fn grid(w: &mut Writer<'_>, table: &Grid) {
    heading(w, &table.title);
    let content = w.width - 2.0 * MARGIN;
    let numbers = table.header.len().saturating_sub(1).max(1) as f32;
    let number_width = (content * 0.62 / numbers).min(26.0 * MM);
    let first_width = content - number_width * numbers;
    for (index, row) in std::iter::once(&table.header)
        .chain(&table.rows)
        .enumerate()
    {
        let size = if index == 0 { SMALL } else { BODY };
        let first = w.wrap(row.first().map_or("", String::as_str), size, first_width);
        // Headings of the number columns may wrap too.
        let cells: Vec<_> = row
            .iter()
            .skip(1)
            .map(|cell| w.wrap(cell, size, number_width - 2.0 * MM))
            .collect();
        let lines = cells
            .iter()
            .map(Vec::len)
            .chain([first.len()])
            .max()
            .unwrap_or(1)
            .max(1);
        let leading = size * 1.45;
        w.ensure_room(leading * lines as f32);
        let top = w.y - leading;
        for (i, line) in first.iter().enumerate() {
            let fonts = w.fonts;
            fonts.draw(line, MARGIN, top - i as f32 * leading, size, w.ops());
        }
        for (c, cell) in cells.iter().enumerate() {
            let right = MARGIN + first_width + (c + 1) as f32 * number_width - 2.0 * MM;
            for (i, line) in cell.iter().enumerate() {
                let fonts = w.fonts;
                fonts.draw(
                    line,
                    right - line.width,
                    top - i as f32 * leading,
                    size,
                    w.ops(),
                );
            }
        }
        w.y -= leading * lines as f32;
    }
    w.gap(8.0);
}

/// The pages of the report, as drawing operations.
fn pages(report: &Report, fonts: &Fonts) -> Vec<Vec<Op>> {
    let mut w = Writer::a4(fonts);
    let content = w.width - 2.0 * MARGIN;
    w.paragraph(&report.bureau, BODY, MARGIN, content);
    w.paragraph(&report.title, TITLE, MARGIN, content);
    w.paragraph(&report.period, HEADING, MARGIN, content);
    w.rule();
    for line in &report.summary {
        w.paragraph(
            &format!("{}: {}", line.label, line.value),
            BODY + 1.0,
            MARGIN,
            content,
        );
    }
    w.rule();
    if let Some(nothing) = &report.nothing_recorded {
        w.paragraph(nothing, HEADING, MARGIN, content);
    }
    for section in &report.sections {
        match section {
            Section::Bars(chart) => bars(&mut w, chart),
            Section::Monthly(chart) => monthly_chart(&mut w, chart),
            Section::Grid(table) => grid(&mut w, table),
        }
    }
    if !report.notes.is_empty() {
        w.rule();
        for note in &report.notes {
            w.paragraph(note, SMALL, MARGIN, content);
        }
    }
    std::mem::take(&mut w.pages)
}

/// Renders the report as an A4 PDF.
pub fn render(report: &Report) -> Result<Vec<u8>, SlipError> {
    let mut doc = PdfDocument::new(&report.document_title);
    let fonts = Fonts::load(&mut doc)?;
    let pages = pages(report, &fonts);
    Ok(a4_pdf(doc, pages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::Bar;
    use printpdf::{Color, Greyscale};

    /// The bars of breakdowns drawn on the pages: their widths, in order.
    fn bar_widths(pages: &[Vec<Op>]) -> Vec<f32> {
        let mut widths = Vec::new();
        let mut shade = None;
        for op in pages.iter().flatten() {
            match op {
                Op::SetFillColor {
                    col: Color::Greyscale(Greyscale { percent, .. }),
                } => shade = Some(*percent),
                Op::DrawRectangle { rectangle } if shade == Some(BAR_SHADE) => {
                    widths.push(rectangle.width.0);
                }
                _ => {}
            }
        }
        widths
    }

    #[test]
    fn a_hidden_count_has_no_bar_and_a_shown_one_its_length() {
        let mut doc = PdfDocument::new("test");
        let fonts = Fonts::load(&mut doc).unwrap_or_else(|e| panic!("{e}"));
        let bar = |label: &str, value: &str, length: Option<u64>| Bar {
            label: label.into(),
            value: value.into(),
            length,
        };
        let report = Report {
            sections: vec![Section::Bars(BarChart {
                title: "Countries of origin".into(),
                bars: vec![
                    bar("Syria", "20", Some(20)),
                    bar("Ukraine", "hidden", None),
                    bar("Iraq", "hidden", None),
                    bar("Afghanistan", "10", Some(10)),
                ],
            })],
            ..Report::default()
        };
        let widths = bar_widths(&pages(&report, &fonts));
        assert_eq!(widths.len(), 2, "one bar per shown count: {widths:?}");
        assert!((widths[0] / widths[1] - 2.0).abs() < 1e-3, "{widths:?}");
    }
}
