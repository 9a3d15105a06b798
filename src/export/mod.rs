//! Exports of the figures: JSON (one document), CSV (one file per table), XLSX (a summary
//! sheet and one sheet per table) and a printable PDF report with charts. Figures only; where visits are listed one by one (the
//! `records` table), people appear under pseudonyms.

use std::path::Path;

use chrono::NaiveDateTime;
use rust_i18n::t;
use serde::Serialize;

use crate::db::{self, Database, audit, figures};
use crate::domain::figures::{Count, Figures, Period, shown};
use crate::domain::reference::{countries, languages, name_of};
use crate::domain::{Actor, format_stamp};
use crate::output::{self, OutputError, Overwrite};

pub mod subject;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document.
    Json,
    /// A folder of CSV files.
    Csv,
    /// One spreadsheet.
    Xlsx,
    /// A printable report with charts.
    Pdf,
}

impl Format {
    /// Reads a format name as typed on the command line.
    pub fn parse(text: &str) -> Option<Format> {
        match text.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Whether the export lists visits one by one under pseudonyms (JSON and CSV do).
    pub fn lists_records(self) -> bool {
        matches!(self, Format::Json | Format::Csv)
    }

    /// Its name ("json"…).
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// How to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Show counts below 5 as "<5" in the XLSX and PDF (JSON and CSV keep plain integers).
    pub mask_small_counts: bool,
    /// Language of the spreadsheet's headers ("bg" or "en").
    pub locale: String,
    /// List the visits under a new pseudonym key (JSON and CSV only); the new key replaces the
    /// old one only when the export was written, so no pseudonym matches an earlier export.
    pub rotate_pseudonyms: bool,
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A label or code.
    Text(String),
    /// A count of people, visits or services.
    Count(u64),
    /// A mean.
    Number(f64),
}

/// One table of figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File and sheet name, English snake_case.
    pub name: &'static str,
    /// Column keys (translated for the spreadsheet under `report.column.*`).
    pub columns: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

fn breakdown(name: &'static str, counts: &[Count]) -> Table {
    Table {
        name,
        columns: vec!["key", "count"],
        rows: counts
            .iter()
            .map(|c| vec![Cell::Text(c.key.clone()), Cell::Count(c.count)])
            .collect(),
    }
}

/// The key figures, one per row.
pub fn summary(f: &Figures) -> Vec<(&'static str, Cell)> {
    let mean = |m: Option<f64>| m.map_or(Cell::Text(String::new()), Cell::Number);
    vec![
        ("unique_visitors", Cell::Count(f.unique_visitors)),
        ("new_visitors", Cell::Count(f.new_visitors)),
        ("returning_visitors", Cell::Count(f.returning_visitors)),
        ("anonymous_visits", Cell::Count(f.anonymous_visits)),
        ("visits", Cell::Count(f.visits)),
        ("services_total", Cell::Count(f.services_total)),
        ("referrals", Cell::Count(f.referrals.total)),
        ("accompaniments", Cell::Count(f.accompaniments.total)),
        (
            "satisfaction_responses",
            Cell::Count(f.satisfaction.responses),
        ),
        (
            "satisfaction_overall_mean",
            mean(f.satisfaction.overall.mean),
        ),
        ("satisfaction_staff_mean", mean(f.satisfaction.staff.mean)),
    ]
}

/// Every table of the figures, in the order of `docs/figures.md`.
pub fn tables(f: &Figures) -> Vec<Table> {
    let p = &f.participants;
    let ratings = |name: &'static str, r: &crate::domain::figures::Ratings| Table {
        name,
        columns: vec!["key", "count"],
        rows: (1..=5u64)
            .map(|mark| {
                vec![
                    Cell::Text(mark.to_string()),
                    Cell::Count(r.distribution[mark as usize - 1]),
                ]
            })
            .collect(),
    };
    vec![
        Table {
            name: "summary",
            columns: vec!["key", "value"],
            rows: summary(f)
                .into_iter()
                .map(|(k, v)| vec![Cell::Text(k.to_owned()), v])
                .collect(),
        },
        breakdown("services_by_type", &f.services_by_type),
        breakdown("services_by_provider", &f.services_by_provider),
        breakdown("countries_of_origin", &f.countries_of_origin),
        breakdown("nationality", &f.nationality),
        breakdown("sex", &f.sex),
        breakdown("age_bands", &f.age_bands),
        breakdown("legal_status", &f.legal_status),
        breakdown("languages", &f.languages),
        breakdown("visits_by_language", &f.visits_by_language),
        breakdown("interpreter", &f.interpreter),
        breakdown("consultations", &f.consultations),
        breakdown("duration_bands", &f.duration_bands),
        breakdown("referrals_by_destination", &f.referrals.by_destination),
        breakdown("referrals_by_service", &f.referrals.by_service),
        breakdown("referrals_by_outcome", &f.referrals.by_outcome),
        breakdown(
            "accompaniments_by_institution",
            &f.accompaniments.by_institution,
        ),
        breakdown("accompaniments_by_outcome", &f.accompaniments.by_outcome),
        ratings("satisfaction_overall", &f.satisfaction.overall),
        ratings("satisfaction_staff", &f.satisfaction.staff),
        Table {
            name: "participants",
            columns: vec!["key", "count"],
            rows: [
                ("supported", p.supported),
                ("language_course", p.language_course),
                ("civic_orientation", p.civic_orientation),
                ("labour_market_guidance", p.labour_market_guidance),
                ("legal_assistance", p.legal_assistance),
            ]
            .into_iter()
            .map(|(k, n)| vec![Cell::Text(k.to_owned()), Cell::Count(n)])
            .collect(),
        },
        Table {
            name: "monthly",
            columns: vec![
                "month",
                "unique_visitors",
                "new_visitors",
                "visits",
                "anonymous_visits",
                "services",
            ],
            rows: f
                .monthly
                .iter()
                .map(|m| {
                    vec![
                        Cell::Text(m.month.clone()),
                        Cell::Count(m.unique_visitors),
                        Cell::Count(m.new_visitors),
                        Cell::Count(m.visits),
                        Cell::Count(m.anonymous_visits),
                        Cell::Count(m.services),
                    ]
                })
                .collect(),
        },
    ]
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    #[serde(flatten)]
    figures: &'a Figures,
    records: &'a [figures::Record],
}

fn period_of(f: &Figures) -> Period {
    f.period.unwrap_or(Period {
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MIN,
    })
}

/// Writes the figures like `write_to` and records the export in the audit trail.
#[allow(clippy::too_many_arguments)]
pub fn write(
    db: &Database,
    actor: &Actor,
    f: &Figures,
    format: Format,
    path: &Path,
    options: &Options,
    overwrite: Overwrite,
    now: NaiveDateTime,
) -> db::Result<()> {
    write_to(db, actor, f, format, path, options, overwrite)?;
    audit::record_export(db, actor, &format_stamp(now))
}

/// Writes audit entries as one CSV file (ids and bureau codes; a staff member's name beside
/// their id) and records the export in the audit trail. Coordinators and administrators.
pub fn write_audit_csv(
    db: &Database,
    actor: &Actor,
    entries: &[audit::Entry],
    path: &Path,
    overwrite: Overwrite,
    now: NaiveDateTime,
) -> db::Result<()> {
    actor.require(crate::domain::access::Permission::AuditTrail)?;
    let staff = db::staff::list(db)?;
    let name_of = |id: Option<i64>| {
        staff
            .iter()
            .find(|s| Some(s.id.0) == id)
            .map(|s| s.display_name.clone())
            .unwrap_or_default()
    };
    let optional = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let rows = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.at.clone(),
                optional(e.staff_id),
                name_of(e.staff_id),
                e.action.clone(),
                e.entity.clone(),
                optional(e.entity_id),
                e.visitor_code.clone().unwrap_or_default(),
                e.detail.clone(),
            ]
        })
        .collect();
    let bytes = csv_bytes(
        &[
            "id",
            "at",
            "staff_id",
            "staff",
            "action",
            "entity",
            "entity_id",
            "visitor_code",
            "detail",
        ],
        rows,
    )?;
    output::write_file(path, overwrite, &db.own_files(), |w| {
        Ok(w.write_all(&bytes)?)
    })?;
    audit::record_trail_export(db, actor, entries.len(), &format_stamp(now))
}

/// The file (or, for CSV, folder) name an export of these figures gets by default.
pub fn default_name(f: &Figures, format: Format) -> String {
    let period = period_of(f);
    let stem = format!("figures-{}_{}", period.from, period.to);
    match format {
        Format::Csv => stem,
        other => format!("{stem}.{}", other.name()),
    }
}

/// Writes the figures to exactly this path (a folder for CSV), through a temporary file renamed
/// into place: never onto one of the database's own files, and over an existing file only
/// with `Overwrite::Replace`. With `rotate_pseudonyms`, the records are written under a new key,
/// which replaces the old one only once the file is in place.
pub fn write_to(
    db: &Database,
    actor: &Actor,
    f: &Figures,
    format: Format,
    path: &Path,
    options: &Options,
    overwrite: Overwrite,
) -> db::Result<()> {
    let period = period_of(f);
    let own = db.own_files();
    if options.rotate_pseudonyms && !format.lists_records() {
        return Err(db::Error::NoPseudonymsToRotate);
    }
    let new_key = options.rotate_pseudonyms.then(figures::fresh_pseudonym_key);
    let key = match &new_key {
        Some(key) => key.to_vec(),
        None => figures::pseudonym_key(db)?,
    };
    match format {
        Format::Json => {
            let records = figures::records(db, actor, period, &key)?;
            output::write_file(path, overwrite, &own, |w| {
                serde_json::to_writer_pretty(
                    w,
                    &JsonDocument {
                        figures: f,
                        records: &records,
                    },
                )
                .map_err(|e| OutputError::Writer(e.to_string()))
            })?;
        }
        Format::Csv => {
            let mut files = Vec::new();
            for table in tables(f) {
                let rows = table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(cell_text).collect())
                    .collect();
                files.push((
                    format!("{}.csv", table.name),
                    csv_bytes(&table.columns, rows)?,
                ));
            }
            let records = figures::records(db, actor, period, &key)?;
            let columns = [
                "person",
                "date",
                "consultation",
                "language",
                "interpreter",
                "duration",
                "services",
                "country_of_origin",
                "sex",
                "age_band",
                "legal_status",
            ];
            let rows = records
                .into_iter()
                .map(|r| {
                    vec![
                        r.person,
                        r.date,
                        r.consultation,
                        r.language,
                        r.interpreter.to_string(),
                        r.duration,
                        r.services,
                        r.country_of_origin,
                        r.sex,
                        r.age_band,
                        r.legal_status,
                    ]
                })
                .collect();
            files.push(("records.csv".to_owned(), csv_bytes(&columns, rows)?));
            output::write_folder(path, &files, overwrite, &own)?;
        }
        Format::Xlsx => {
            let bytes = xlsx_bytes(f, options)?;
            output::write_file(path, overwrite, &own, |w| Ok(w.write_all(&bytes)?))?;
        }
        Format::Pdf => {
            let bureau = db::settings::bureau(db)?;
            let name = if options.locale == "bg" {
                bureau.name_bg
            } else {
                bureau.name_en
            };
            let pdf =
                crate::slip::report::render(f, &options.locale, &name, options.mask_small_counts)
                    .map_err(|e| db::Error::Slip(e.to_string()))?;
            output::write_file(path, overwrite, &own, |w| Ok(w.write_all(&pdf)?))?;
        }
    }
    if let Some(key) = new_key {
        figures::store_pseudonym_key(db, &key)?;
    }
    Ok(())
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Number(x) => format!("{x:.2}"),
    }
}

/// A CSV field that Excel and LibreOffice show as text and never run: one that starts like a
/// formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, unless it is a
/// plain number (a negative change, say).
pub fn inert_csv_field(field: &str) -> std::borrow::Cow<'_, str> {
    let formula_like = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_like && field.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// A CSV file in UTF-8 with a byte-order mark, so that Excel reads Cyrillic and Arabic right.
/// No field can run as a formula ([`inert_csv_field`]).
fn csv_bytes(columns: &[&str], rows: Vec<Vec<String>>) -> db::Result<Vec<u8>> {
    let mut bytes = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut writer = csv::Writer::from_writer(&mut bytes);
        let io = |e: csv::Error| db::Error::Io(std::io::Error::other(e.to_string()));
        writer
            .write_record(columns.iter().map(|c| inert_csv_field(c).into_owned()))
            .map_err(io)?;
        for row in rows {
            writer
                .write_record(row.iter().map(|f| inert_csv_field(f).into_owned()))
                .map_err(io)?;
        }
        writer.flush()?;
    }
    Ok(bytes)
}

fn xlsx_bytes(f: &Figures, options: &Options) -> db::Result<Vec<u8>> {
    use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Workbook};
    let locale = options.locale.as_str();
    let xlsx = |e: rust_xlsxwriter::XlsxError| db::Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let rtl = CellFormat::new()
        .set_align(FormatAlign::Right)
        .set_reading_direction(2);
    let period = period_of(f);
    for table in tables(f) {
        let sheet = book.add_worksheet();
        let title = t!(format!("report.table.{}", table.name), locale = locale).into_owned();
        // Sheet names: at most 31 characters, no []:*?/\.
        let sheet_name: String = title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(&sheet_name).map_err(xlsx)?;
        if table.name == "summary" {
            sheet.set_right_to_left(false);
        }
        let heading = format!("{title} · {} – {}", period.from, period.to);
        sheet
            .write_string_with_format(0, 0, &heading, &bold)
            .map_err(xlsx)?;
        for (col, key) in table.columns.iter().enumerate() {
            let header = t!(format!("report.column.{key}"), locale = locale).into_owned();
            sheet
                .write_string_with_format(1, col as u16, &header, &bold)
                .map_err(xlsx)?;
            sheet
                .set_column_width(col as u16, if col == 0 { 42 } else { 16 })
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(2, 0).map_err(xlsx)?;
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 2;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(text) if crate::domain::text::has_rtl(text) => {
                        sheet
                            .write_string_with_format(r, c, text, &rtl)
                            .map_err(xlsx)?;
                    }
                    Cell::Text(text) => {
                        sheet
                            .write_string(r, c, label(text, locale))
                            .map_err(xlsx)?;
                    }
                    Cell::Count(n) if options.mask_small_counts && (1..5).contains(n) => {
                        sheet.write_string(r, c, shown(*n, true)).map_err(xlsx)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number(r, c, *n as f64).map_err(xlsx)?;
                    }
                    Cell::Number(x) => {
                        sheet.write_number(r, c, *x).map_err(xlsx)?;
                    }
                }
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

/// A code of a figures table in words, in `locale`: a service, country, language, status or
/// answer code, or a figure's key; anything else as it is. The report and the reports screen
/// both label their tables with it.
pub fn code_label(locale: &str, table: &str, code: &str) -> String {
    let try_key =
        |key: String| crate::_rust_i18n_try_translate(locale, key).map(|s| s.into_owned());
    match table {
        "services_by_type" | "referrals_by_service" => try_key(format!("slip.services.{code}")),
        "countries_of_origin" | "nationality" if code.len() == 2 => {
            Some(name_of(countries(), code, locale))
        }
        "languages" | "visits_by_language" if code.len() == 2 => {
            Some(name_of(languages(), code, locale))
        }
        "referrals_by_outcome" => try_key(format!("referral_status.{code}")),
        "accompaniments_by_outcome" => try_key(format!("accompaniment_status.{code}")),
        "sex" => try_key(format!("sex.{code}")),
        "legal_status" => try_key(format!("legal_status.{code}")),
        _ => None,
    }
    .or_else(|| try_key(format!("answer.{code}")))
    .or_else(|| try_key(format!("report.key.{code}")))
    .unwrap_or_else(|| code.to_owned())
}

/// A readable label for a code in the spreadsheet: a known figure, answer code or status gets
/// its translation; countries, languages and names stay as they are.
fn label(code: &str, locale: &str) -> String {
    for section in [
        "report.key",
        "answer",
        "sex",
        "legal_status",
        "referral_status",
        "accompaniment_status",
    ] {
        let key = format!("{section}.{code}");
        if let Some(text) = crate::_rust_i18n_try_translate(locale, key) {
            return text.into_owned();
        }
    }
    code.to_owned()
}

#[cfg(test)]
mod tests {
    use super::inert_csv_field;
    use proptest::prelude::*;

    #[test]
    fn formula_starts_are_quoted_and_numbers_are_not() {
        for attack in [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(inert_csv_field(attack), format!("'{attack}"));
        }
        assert_eq!(inert_csv_field("-12.50"), "-12.50");
        assert_eq!(inert_csv_field("Ахмед"), "Ахмед");
    }

    proptest! {
        #[test]
        fn no_field_starts_like_a_formula_unless_it_is_a_number(field in "\\PC{0,20}") {
            let inert = inert_csv_field(&field);
            prop_assert!(
                !inert.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    || inert.trim().parse::<f64>().is_ok()
            );
        }
    }
}
