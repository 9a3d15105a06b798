//! The printable evaluation report: the period's key numbers, its tables and bar charts, in
//! Bulgarian or English, A4. Counts from 1 to 4 show as "<5" unless asked otherwise.

use printpdf::PdfDocument;
use rust_i18n::t;

use super::SlipError;
use super::page::{MARGIN, MM, Writer, a4_pdf};
use super::shaping::Fonts;
use crate::domain::figures::{Count, Figures, shown};

const TITLE: f32 = 18.0;
const HEADING: f32 = 12.0;
const BODY: f32 = 9.5;
const SMALL: f32 = 8.0;

fn tr(locale: &str, key: &str) -> String {
    t!(key, locale = locale).into_owned()
}

/// Horizontal bars, longest first, each with its label and count.
fn bars(w: &mut Writer<'_>, locale: &str, table: &str, counts: &[Count], mask: bool, limit: usize) {
    // Keep a heading with at least two of its rows.
    w.ensure_room(HEADING * 1.45 + 2.0 * BODY * 1.6);
    w.paragraph(
        &tr(locale, &format!("report.table.{table}")),
        HEADING,
        MARGIN,
        w.width - 2.0 * MARGIN,
    );
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1) as f32;
    let label_width = 62.0 * MM;
    let bar_room = w.width - 2.0 * MARGIN - label_width - 20.0 * MM;
    for count in counts.iter().take(limit) {
        let row = BODY * 1.6;
        w.ensure_room(row);
        w.y -= row;
        let y = w.y;
        let name: String = crate::export::code_label(locale, table, &count.key)
            .chars()
            .take(40)
            .collect();
        w.text_at(&name, BODY, MARGIN, y);
        let length = bar_room * count.count as f32 / max;
        w.fill(MARGIN + label_width, y - 1.0, length.max(0.5), BODY, 0.55);
        w.text_at(
            &shown(count.count, mask),
            BODY,
            MARGIN + label_width + length + 4.0,
            y,
        );
    }
    w.gap(6.0);
}

/// Visits and people per month as pairs of columns.
fn monthly_chart(w: &mut Writer<'_>, locale: &str, figures: &Figures, mask: bool) {
    if figures.monthly.len() < 2 {
        return;
    }
    w.paragraph(
        &tr(locale, "report.visits_per_month"),
        HEADING,
        MARGIN,
        w.width - 2.0 * MARGIN,
    );
    let height = 45.0 * MM;
    w.ensure_room(height + 2.0 * BODY * 1.6);
    let base = w.y - height - BODY;
    let max = figures
        .monthly
        .iter()
        .map(|m| m.visits.max(m.unique_visitors))
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let slot = ((w.width - 2.0 * MARGIN) / figures.monthly.len() as f32).min(30.0 * MM);
    for (i, month) in figures.monthly.iter().enumerate() {
        let x = MARGIN + i as f32 * slot;
        let bar = slot * 0.35;
        let visits = height * month.visits as f32 / max;
        let people = height * month.unique_visitors as f32 / max;
        w.fill(x, base, bar, visits.max(0.5), 0.35);
        w.fill(x + bar, base, bar, people.max(0.5), 0.7);
        w.text_at(
            &shown(month.visits, mask),
            SMALL - 1.0,
            x,
            base + visits + 2.0,
        );
        w.text_at(
            month.month.get(2..).unwrap_or(&month.month),
            SMALL - 1.0,
            x,
            base - SMALL - 1.0,
        );
    }
    w.y = base - SMALL * 3.0;
    let y = w.y;
    let mut x = MARGIN;
    for (shade, key) in [
        (0.35, "report.key.visits"),
        (0.7, "report.key.unique_visitors"),
    ] {
        w.fill(x, y - 1.0, SMALL, SMALL, shade);
        x += SMALL + 4.0 + w.text_at(&tr(locale, key), SMALL, x + SMALL + 4.0, y) + 12.0;
    }
    w.gap(10.0);
}

/// Renders the report for the figures of a period in "bg" or "en".
pub fn render(
    figures: &Figures,
    locale: &str,
    bureau: &str,
    mask: bool,
) -> Result<Vec<u8>, SlipError> {
    let locale = if locale == "bg" { "bg" } else { "en" };
    let period = figures
        .period
        .map(|p| {
            format!(
                "{} – {}",
                crate::domain::format_date(p.from, "bg"),
                crate::domain::format_date(p.to, "bg")
            )
        })
        .unwrap_or_default();
    let mut doc = PdfDocument::new(&format!("{} {period}", tr(locale, "report.title")));
    let fonts = Fonts::load(&mut doc)?;
    let mut w = Writer::a4(&fonts);
    let content = w.width - 2.0 * MARGIN;
    w.paragraph(bureau, BODY, MARGIN, content);
    w.paragraph(&tr(locale, "report.title"), TITLE, MARGIN, content);
    w.paragraph(&period, HEADING, MARGIN, content);
    w.rule();
    for (key, value) in crate::export::summary(figures) {
        let value = match value {
            crate::export::Cell::Count(n) => shown(n, mask),
            crate::export::Cell::Number(x) => format!("{x:.2}"),
            crate::export::Cell::Text(text) => text,
        };
        w.paragraph(
            &format!("{}: {value}", tr(locale, &format!("report.key.{key}"))),
            BODY + 1.0,
            MARGIN,
            content,
        );
    }
    let p = &figures.participants;
    w.gap(4.0);
    w.paragraph(
        &tr(locale, "report.table.participants"),
        HEADING,
        MARGIN,
        content,
    );
    for (key, n) in [
        ("supported", p.supported),
        ("language_course", p.language_course),
        ("civic_orientation", p.civic_orientation),
        ("labour_market_guidance", p.labour_market_guidance),
        ("legal_assistance", p.legal_assistance),
    ] {
        w.paragraph(
            &format!(
                "{}: {}",
                tr(locale, &format!("report.key.{key}")),
                shown(n, mask)
            ),
            BODY,
            MARGIN,
            content,
        );
    }
    w.rule();
    monthly_chart(&mut w, locale, figures, mask);
    for (table, counts, limit) in [
        ("services_by_type", &figures.services_by_type, 18),
        ("countries_of_origin", &figures.countries_of_origin, 10),
        ("sex", &figures.sex, 6),
        ("age_bands", &figures.age_bands, 6),
        ("legal_status", &figures.legal_status, 10),
        ("languages", &figures.languages, 10),
        ("consultations", &figures.consultations, 3),
        ("duration_bands", &figures.duration_bands, 5),
        ("services_by_provider", &figures.services_by_provider, 10),
        (
            "referrals_by_destination",
            &figures.referrals.by_destination,
            10,
        ),
        ("referrals_by_outcome", &figures.referrals.by_outcome, 4),
        (
            "accompaniments_by_outcome",
            &figures.accompaniments.by_outcome,
            4,
        ),
    ] {
        bars(&mut w, locale, table, counts, mask, limit);
    }
    for (table, ratings) in [
        ("satisfaction_overall", &figures.satisfaction.overall),
        ("satisfaction_staff", &figures.satisfaction.staff),
    ] {
        let counts: Vec<Count> = (1..=5)
            .rev()
            .map(|mark| Count {
                key: mark.to_string(),
                count: ratings.distribution[mark - 1],
            })
            .collect();
        bars(&mut w, locale, table, &counts, mask, 5);
    }
    let pages = std::mem::take(&mut w.pages);
    Ok(a4_pdf(doc, pages))
}
