//! Exports of the figures: JSON (one document), CSV (one file per table), XLSX (a summary
//! sheet and one sheet per table) and a printable PDF report with charts. Figures only; where
//! visits are listed one by one (the `records` table, asked for), people appear under
//! pseudonyms. The export labels every code in the chosen language and hides small counts
//! ([`disclosure`]); the PDF renderer is handed a plain [`Report`] to lay out.

use std::path::Path;

use chrono::NaiveDateTime;
use rust_i18n::t;
use serde::Serialize;

use std::collections::{BTreeSet, HashMap};

use crate::db::{self, Database, audit, figures};
use crate::domain::directory::Organisation;
use crate::domain::figures::{Count, Figures, Period};
use crate::domain::reference::{countries, languages, name_of};
use crate::domain::report::{
    Bar, BarChart, Grid, Line, MonthColumns, MonthlyChart, Report, Section, format_count,
    format_mean,
};
use crate::domain::{Actor, format_stamp};
use crate::output::{self, OutputError, Overwrite};
use disclosure::CellRef;

pub mod disclosure;
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
    /// Hide counts from 1 to 4, and as many more as it takes that none of them can be worked
    /// out ([`disclosure`]), in the spreadsheet, the CSV tables and the report. The JSON
    /// document keeps every count for the evaluator's own recomputation and lists the cells the
    /// others hide.
    pub mask_small_counts: bool,
    /// Language of the labels and headings ("bg" or "en").
    pub locale: String,
    /// Also list the period's visits one by one under pseudonyms (JSON and CSV only), with rare
    /// countries of origin as "other" and the month instead of the day.
    pub records: bool,
    /// With `records`: give each visit's day instead of its month.
    pub exact_dates: bool,
    /// List the visits under a new pseudonym key (with `records`); the new key replaces the
    /// old one only when the export was written, so no pseudonym matches an earlier export.
    pub rotate_pseudonyms: bool,
    /// When the export is made, as written in it; now when not given.
    pub generated_at: Option<NaiveDateTime>,
}

impl Options {
    fn generated_at(&self) -> NaiveDateTime {
        self.generated_at
            .unwrap_or_else(|| chrono::Local::now().naive_local())
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A label or code.
    Text(String),
    /// A count of people, visits or services.
    Count(u64),
    /// A mean or a rate.
    Number(f64),
    /// A count about no person (a partner's sessions or days): never hidden.
    Plain(u64),
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
    // The summary's "of which" lines: the row of an outcome table under its total.
    let part = |key: &str| {
        let (_, table, status) = SUMMARY_PARTS
            .iter()
            .find(|(k, _, _)| *k == key)
            .copied()
            .unwrap_or_default();
        let counts = if table == "referrals_by_outcome" {
            &f.referrals.by_outcome
        } else {
            &f.accompaniments.by_outcome
        };
        Cell::Count(
            counts
                .iter()
                .find(|c| c.key == status)
                .map_or(0, |c| c.count),
        )
    };
    vec![
        ("unique_visitors", Cell::Count(f.unique_visitors)),
        ("new_visitors", Cell::Count(f.new_visitors)),
        ("returning_visitors", Cell::Count(f.returning_visitors)),
        ("anonymous_visits", Cell::Count(f.anonymous_visits)),
        ("visits", Cell::Count(f.visits)),
        ("services_total", Cell::Count(f.services_total)),
        ("referrals", Cell::Count(f.referrals.total)),
        ("referrals_issued", part("referrals_issued")),
        ("referrals_cancelled", part("referrals_cancelled")),
        ("accompaniments", Cell::Count(f.accompaniments.total)),
        ("accompaniments_planned", part("accompaniments_planned")),
        ("accompaniments_cancelled", part("accompaniments_cancelled")),
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

/// The summary's lines that are a part of the figure before them, each the row of an outcome
/// table (key, table, status): the open and cancelled referrals, the planned and cancelled
/// accompaniments.
pub const SUMMARY_PARTS: [(&str, &str, &str); 4] = [
    ("referrals_issued", "referrals_by_outcome", "issued"),
    ("referrals_cancelled", "referrals_by_outcome", "cancelled"),
    (
        "accompaniments_planned",
        "accompaniments_by_outcome",
        "planned",
    ),
    (
        "accompaniments_cancelled",
        "accompaniments_by_outcome",
        "cancelled",
    ),
];

/// Whether a key figure of the summary is a part of the one before it ([`SUMMARY_PARTS`]).
pub fn is_part_of_a_total(key: &str) -> bool {
    SUMMARY_PARTS.iter().any(|(part, _, _)| *part == key)
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
            name: "households",
            columns: vec!["key", "count"],
            rows: [
                ("households_served", f.households.served),
                ("individuals_in_households", f.households.individuals),
                ("children", f.children),
            ]
            .into_iter()
            .map(|(k, n)| vec![Cell::Text(k.to_owned()), Cell::Count(n)])
            .collect(),
        },
        Table {
            name: "programme",
            columns: vec![
                "key",
                "slots_offered",
                "days_offered",
                "days_served",
                "show_rate",
                "visits_served",
            ],
            rows: f
                .programme
                .iter()
                .map(|p| {
                    vec![
                        Cell::Text(p.organisation.clone()),
                        Cell::Plain(p.slots_offered),
                        Cell::Plain(p.days_offered),
                        Cell::Plain(p.days_served),
                        p.show_rate
                            .map_or(Cell::Text(String::new()), |r| Cell::Number(r * 100.0)),
                        Cell::Count(p.visits_served),
                    ]
                })
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
    /// The cells the spreadsheet, CSV and report hide, as `table`/`key`/`column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    hidden_in_published_tables: Option<Vec<HiddenCell>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    records: Option<&'a [figures::Record]>,
}

fn period_of(f: &Figures) -> Period {
    f.period.unwrap_or(Period {
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MIN,
    })
}

/// A cell the published tables hide, named for the JSON document.
#[derive(Serialize)]
struct HiddenCell {
    table: &'static str,
    key: String,
    column: &'static str,
}

/// The tables of the figures with the cells to hide in them (none unless asked), and the
/// organisations' names in the export's language.
struct Published {
    tables: Vec<Table>,
    hidden: BTreeSet<CellRef>,
    /// English name (the figures' key) → name in the export's language.
    organisations: HashMap<String, String>,
}

/// The tables whose codes are organisations' English names.
const ORGANISATION_TABLES: [&str; 4] = [
    "services_by_provider",
    "programme",
    "referrals_by_destination",
    "accompaniments_by_institution",
];

impl Published {
    fn of(f: &Figures, options: &Options, organisations: &[Organisation]) -> Published {
        let tables = tables(f);
        let hidden = if options.mask_small_counts {
            disclosure::hidden_cells(&tables)
        } else {
            BTreeSet::new()
        };
        let organisations = organisations
            .iter()
            .map(|o| {
                (
                    o.details.name_en.clone(),
                    o.name(&options.locale).to_owned(),
                )
            })
            .collect();
        Published {
            tables,
            hidden,
            organisations,
        }
    }

    /// A row's code in words in `locale`: a summary key, a month, an organisation, a code of a
    /// breakdown.
    fn label(&self, locale: &str, table: &str, cell: &Cell) -> String {
        match (table, cell) {
            ("summary" | "participants" | "households", Cell::Text(key)) => {
                t!(format!("report.key.{key}"), locale = locale).into_owned()
            }
            ("monthly", Cell::Text(month)) => short_month(month, locale),
            (table, Cell::Text(name)) if ORGANISATION_TABLES.contains(&table) => self
                .organisations
                .get(name)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| name.clone()),
            (table, Cell::Text(code)) => code_label(locale, table, code),
            (_, other) => cell_text(other),
        }
    }

    fn is_hidden(&self, table: usize, row: usize, column: usize) -> bool {
        self.hidden.contains(&CellRef { table, row, column })
    }

    /// The hidden cells, named.
    fn named(&self) -> Vec<HiddenCell> {
        self.hidden
            .iter()
            .map(|c| {
                let table = &self.tables[c.table];
                HiddenCell {
                    table: table.name,
                    key: match table.rows[c.row].first() {
                        Some(Cell::Text(key)) => key.clone(),
                        _ => String::new(),
                    },
                    column: table.columns.get(c.column).copied().unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// The visits of the period as records for the evaluator: countries of origin with fewer than
/// five people in the period become "other", and the day becomes the month unless asked.
pub fn coarsened(
    mut records: Vec<figures::Record>,
    f: &Figures,
    exact_dates: bool,
) -> Vec<figures::Record> {
    let rare = |country: &str| {
        f.countries_of_origin
            .iter()
            .find(|c| c.key == country)
            .is_none_or(|c| c.count < disclosure::SMALLEST_SHOWN)
    };
    for record in &mut records {
        if !record.person.is_empty() && rare(&record.country_of_origin) {
            record.country_of_origin = "other".to_owned();
        }
        if !exact_dates {
            record.date.truncate(7);
        }
    }
    records
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
    let own = db.own_files();
    if options.rotate_pseudonyms && !(format.lists_records() && options.records) {
        return Err(db::Error::NoPseudonymsToRotate);
    }
    let new_key = options.rotate_pseudonyms.then(figures::fresh_pseudonym_key);
    let records = if options.records && format.lists_records() {
        let key = match &new_key {
            Some(key) => key.to_vec(),
            None => figures::pseudonym_key(db)?,
        };
        let records = figures::records(db, actor, period_of(f), &key)?;
        Some(coarsened(records, f, options.exact_dates))
    } else {
        None
    };
    let published = Published::of(f, options, &db::organisations::list(db)?);
    match format {
        Format::Json => {
            output::write_file(path, overwrite, &own, |w| {
                serde_json::to_writer_pretty(
                    w,
                    &JsonDocument {
                        figures: f,
                        hidden_in_published_tables: options
                            .mask_small_counts
                            .then(|| published.named()),
                        records: records.as_deref(),
                    },
                )
                .map_err(|e| OutputError::Writer(e.to_string()))
            })?;
        }
        Format::Csv => {
            let files = csv_files(f, &published, options, records)?;
            output::write_folder(path, &files, overwrite, &own)?;
        }
        Format::Xlsx => {
            let bytes = xlsx_bytes(f, &published, options)?;
            output::write_file(path, overwrite, &own, |w| Ok(w.write_all(&bytes)?))?;
        }
        Format::Pdf => {
            let bureau = db::settings::bureau(db)?;
            let name = if options.locale == "bg" {
                bureau.name_bg
            } else {
                bureau.name_en
            };
            let report = printed(f, &published, options, &name);
            let pdf =
                crate::slip::report::render(&report).map_err(|e| db::Error::Slip(e.to_string()))?;
            output::write_file(path, overwrite, &own, |w| Ok(w.write_all(&pdf)?))?;
        }
    }
    if let Some(key) = new_key {
        figures::store_pseudonym_key(db, &key)?;
    }
    Ok(())
}

/// The printed report of the figures in `options.locale`, small counts hidden when asked, and
/// organisations named as in `organisations` (else by their English names).
pub fn printed_report(
    f: &Figures,
    options: &Options,
    bureau: &str,
    organisations: &[Organisation],
) -> Report {
    printed(
        f,
        &Published::of(f, options, organisations),
        options,
        bureau,
    )
}

/// Breakdowns whose set of rows is open (countries, services, organisations…): the report shows
/// the largest and folds the rest, and every hidden count, into "other".
const FOLDED_AFTER: [(&str, usize); 10] = [
    ("services_by_type", 15),
    ("services_by_provider", 10),
    ("countries_of_origin", 10),
    ("nationality", 10),
    ("legal_status", 10),
    ("languages", 10),
    ("visits_by_language", 10),
    ("referrals_by_destination", 10),
    ("referrals_by_service", 10),
    ("accompaniments_by_institution", 10),
];

fn printed(f: &Figures, published: &Published, options: &Options, bureau: &str) -> Report {
    let locale = if options.locale == "bg" { "bg" } else { "en" };
    let tr = |key: &str| t!(key, locale = locale).into_owned();
    let hidden_word = tr("report.hidden");
    let period = period_of(f);
    let period_text = format!(
        "{} – {}",
        crate::domain::format_date(period.from, locale),
        crate::domain::format_date(period.to, locale)
    );
    let tables = &published.tables;
    let count_text = |t: usize, r: usize, c: usize, n: u64| {
        if published.is_hidden(t, r, c) {
            hidden_word.clone()
        } else {
            format_count(n, locale)
        }
    };
    let summary_index = tables.iter().position(|t| t.name == "summary");
    let summary = summary_index
        .map(|t| {
            tables[t]
                .rows
                .iter()
                .enumerate()
                .map(|(r, row)| Line {
                    label: match row.first() {
                        Some(Cell::Text(key)) => tr(&format!("report.key.{key}")),
                        _ => String::new(),
                    },
                    value: match row.get(1) {
                        Some(Cell::Count(n)) => count_text(t, r, 1, *n),
                        Some(Cell::Number(_)) if published.is_hidden(t, r, 1) => {
                            hidden_word.clone()
                        }
                        Some(Cell::Number(x)) => format_mean(*x, locale),
                        _ => "–".to_owned(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let nothing = f.visits == 0
        && f.referrals.total == 0
        && f.accompaniments.total == 0
        && f.satisfaction.responses == 0;
    // A table's rows as written: labels by `text`, rates and means by `number`, counts in the
    // language's way or "hidden".
    let grid_rows = |t: usize,
                     table: &Table,
                     text: &dyn Fn(&Cell) -> String,
                     number: &dyn Fn(f64) -> String|
     -> Vec<Vec<String>> {
        table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| match cell {
                        Cell::Text(_) => text(cell),
                        Cell::Count(n) => count_text(t, r, c, *n),
                        Cell::Plain(n) => format_count(*n, locale),
                        Cell::Number(x) => number(*x),
                    })
                    .collect()
            })
            .collect()
    };
    // The monthly chart and the participants come first, after the key numbers.
    let (mut first, mut sections) = (Vec::new(), Vec::new());
    let mut folded_any = false;
    let header = |table: &Table| -> Vec<String> {
        table
            .columns
            .iter()
            .map(|c| tr(&format!("report.column.{c}")))
            .collect()
    };
    for (t, table) in tables.iter().enumerate() {
        if nothing {
            break;
        }
        match table.name {
            "summary" => {}
            "monthly" => {
                let value =
                    |r: usize, c: usize, n: u64| (!published.is_hidden(t, r, c)).then_some(n);
                if f.monthly.len() >= 2 {
                    first.push(Section::Monthly(MonthlyChart {
                        title: tr("report.visits_per_month"),
                        legend: [tr("report.key.visits"), tr("report.key.unique_visitors")],
                        months: f
                            .monthly
                            .iter()
                            .enumerate()
                            .map(|(r, m)| MonthColumns {
                                label: short_month(&m.month, locale),
                                visits_text: count_text(t, r, 3, m.visits),
                                visits: value(r, 3, m.visits),
                                people: value(r, 1, m.unique_visitors),
                            })
                            .collect(),
                    }));
                }
                sections.push(Section::Grid(Grid {
                    title: tr("report.table.monthly"),
                    header: header(table),
                    rows: grid_rows(
                        t,
                        table,
                        &|cell| short_month(&cell_text(cell), locale),
                        &|x| format_mean(x, locale),
                    ),
                }));
            }
            "programme" => sections.push(Section::Grid(Grid {
                title: tr("report.table.programme"),
                // The first column names the partner.
                header: std::iter::once(tr("report.column.partner"))
                    .chain(header(table).into_iter().skip(1))
                    .collect(),
                rows: grid_rows(
                    t,
                    table,
                    &|cell| published.label(locale, "programme", cell),
                    &|rate| format!("{} %", format_count(rate.round() as u64, locale)),
                ),
            })),
            "participants" | "households" => first.push(Section::Grid(Grid {
                title: tr(&format!("report.table.{}", table.name)),
                header: vec![String::new(), tr("report.column.count")],
                rows: table
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, row)| match (row.first(), row.get(1)) {
                        (Some(Cell::Text(key)), Some(Cell::Count(n))) => {
                            vec![tr(&format!("report.key.{key}")), count_text(t, r, 1, *n)]
                        }
                        _ => Vec::new(),
                    })
                    .collect(),
            })),
            name => {
                let limit = FOLDED_AFTER
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, limit)| *limit);
                let total_shown = disclosure::total_of(tables, t)
                    .is_none_or(|(tt, tr_, tc)| !published.is_hidden(tt, tr_, tc));
                let mut bars = Vec::new();
                let (mut other, mut folded) = (0u64, 0usize);
                for (r, row) in table.rows.iter().enumerate() {
                    let (Some(code @ Cell::Text(_)), Some(Cell::Count(n))) =
                        (row.first(), row.get(1))
                    else {
                        continue;
                    };
                    let hidden = published.is_hidden(t, r, 1);
                    match limit {
                        Some(limit) if hidden || bars.len() >= limit => {
                            other += n;
                            folded += 1;
                        }
                        _ => bars.push(Bar {
                            label: published.label(locale, name, code),
                            value: count_text(t, r, 1, *n),
                            length: (!hidden).then_some(*n),
                        }),
                    }
                }
                if folded > 0 {
                    folded_any = true;
                    bars.push(Bar {
                        label: tr("report.other"),
                        value: if total_shown {
                            format_count(other, locale)
                        } else {
                            hidden_word.clone()
                        },
                        length: total_shown.then_some(other),
                    });
                }
                sections.push(Section::Bars(BarChart {
                    title: tr(&format!("report.table.{name}")),
                    bars,
                }));
            }
        }
    }
    first.append(&mut sections);
    let sections = first;
    let mut notes = Vec::new();
    if options.mask_small_counts {
        notes.push(tr("report.hidden_note"));
    }
    if folded_any {
        notes.push(tr("report.other_note"));
    }
    Report {
        document_title: format!("{} {period_text}", tr("report.title")),
        bureau: bureau.to_owned(),
        title: tr("report.title"),
        period: period_text,
        summary,
        nothing_recorded: nothing.then(|| tr("report.nothing_recorded")),
        sections,
        notes,
    }
}

/// A month `YYYY-MM` as the language writes it, short: `03.2026` in Bulgarian, `2026-03` in
/// English.
fn short_month(month: &str, locale: &str) -> String {
    match (locale, month.split_once('-')) {
        ("bg", Some((year, month))) => format!("{month}.{year}"),
        _ => month.to_owned(),
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) | Cell::Plain(n) => n.to_string(),
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

fn xlsx_bytes(f: &Figures, published: &Published, options: &Options) -> db::Result<Vec<u8>> {
    use rust_xlsxwriter::{Color, Format as CellFormat, FormatAlign, Note, Workbook};
    let locale = if options.locale == "bg" { "bg" } else { "en" };
    let tr = |key: &str| t!(key, locale = locale).into_owned();
    let xlsx = |e: rust_xlsxwriter::XlsxError| db::Error::Io(std::io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let rtl = CellFormat::new()
        .set_align(FormatAlign::Right)
        .set_reading_direction(2);
    let hidden_format = CellFormat::new().set_background_color(Color::RGB(0xD9D9D9));
    let period = period_of(f);
    for (t, table) in published.tables.iter().enumerate() {
        let sheet = book.add_worksheet();
        let title = tr(&format!("report.table.{}", table.name));
        // Sheet names: at most 31 characters, no []:*?/\.
        let sheet_name: String = title
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(&sheet_name).map_err(xlsx)?;
        let heading = format!(
            "{title} · {} – {}",
            crate::domain::format_date(period.from, locale),
            crate::domain::format_date(period.to, locale)
        );
        sheet
            .write_string_with_format(0, 0, &heading, &bold)
            .map_err(xlsx)?;
        // The label in words first, the code for machines beside it, then the numbers.
        let headers = std::iter::once(tr("report.column.label"))
            .chain(std::iter::once(tr("report.column.code")))
            .chain(
                table
                    .columns
                    .iter()
                    .skip(1)
                    .map(|key| tr(&format!("report.column.{key}"))),
            );
        for (col, header) in headers.enumerate() {
            sheet
                .write_string_with_format(1, col as u16, &header, &bold)
                .map_err(xlsx)?;
            sheet
                .set_column_width(col as u16, if col == 0 { 42 } else { 16 })
                .map_err(xlsx)?;
        }
        sheet.set_freeze_panes(2, 0).map_err(xlsx)?;
        for (r, row) in table.rows.iter().enumerate() {
            let line = r as u32 + 2;
            if let Some(code) = row.first() {
                let label = published.label(locale, table.name, code);
                if crate::domain::text::has_rtl(&label) {
                    sheet
                        .write_string_with_format(line, 0, &label, &rtl)
                        .map_err(xlsx)?;
                } else {
                    sheet.write_string(line, 0, &label).map_err(xlsx)?;
                }
                sheet.write_string(line, 1, cell_text(code)).map_err(xlsx)?;
            }
            for (c, cell) in row.iter().enumerate().skip(1) {
                let column = c as u16 + 1;
                if published.is_hidden(t, r, c) {
                    // A blank (so that sums skip it honestly) marked in grey with a note.
                    sheet
                        .write_blank(line, column, &hidden_format)
                        .map_err(xlsx)?;
                    sheet
                        .insert_note(line, column, &Note::new(tr("report.hidden_cell")))
                        .map_err(xlsx)?;
                    continue;
                }
                match cell {
                    Cell::Text(text) => sheet.write_string(line, column, text).map(|_| ()),
                    Cell::Count(n) | Cell::Plain(n) => {
                        sheet.write_number(line, column, *n as f64).map(|_| ())
                    }
                    Cell::Number(x) => sheet.write_number(line, column, *x).map(|_| ()),
                }
                .map_err(xlsx)?;
            }
        }
        if table.name == "summary" {
            let line = table.rows.len() as u32 + 3;
            let mut notes = vec![format!(
                "{}: {}",
                tr("report.generated"),
                format_stamp(options.generated_at())
            )];
            if options.mask_small_counts {
                notes.push(tr("report.hidden_note"));
            }
            for (line, note) in (line..).zip(notes) {
                sheet.write_string(line, 0, &note).map_err(xlsx)?;
            }
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

/// The CSV files of an export: `period.csv` (the period, when it was made, in which language,
/// the hiding rule), one file per table with the code, its label and the numbers, hidden
/// cells empty and named in a `hidden` column, and `records.csv` when asked.
fn csv_files(
    f: &Figures,
    published: &Published,
    options: &Options,
    records: Option<Vec<figures::Record>>,
) -> db::Result<Vec<(String, Vec<u8>)>> {
    let locale = if options.locale == "bg" { "bg" } else { "en" };
    let period = period_of(f);
    let rule = if options.mask_small_counts {
        t!("report.hidden_note", locale = locale).into_owned()
    } else {
        t!("report.nothing_hidden", locale = locale).into_owned()
    };
    let mut files = vec![(
        "period.csv".to_owned(),
        csv_bytes(
            &["from", "to", "generated_at", "language", "hidden_counts"],
            vec![vec![
                period.from.to_string(),
                period.to.to_string(),
                format_stamp(options.generated_at()),
                locale.to_owned(),
                rule,
            ]],
        )?,
    )];
    for (t, table) in published.tables.iter().enumerate() {
        let mut columns = vec![table.columns[0], "label"];
        columns.extend(table.columns.iter().skip(1));
        columns.push("hidden");
        let rows = table
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let mut fields = Vec::with_capacity(row.len() + 2);
                let mut hidden = Vec::new();
                for (c, cell) in row.iter().enumerate() {
                    if c == 0 {
                        fields.push(cell_text(cell));
                        fields.push(published.label(locale, table.name, cell));
                    } else if published.is_hidden(t, r, c) {
                        fields.push(String::new());
                        hidden.push(table.columns.get(c).copied().unwrap_or_default());
                    } else {
                        fields.push(cell_text(cell));
                    }
                }
                fields.push(hidden.join(";"));
                fields
            })
            .collect();
        files.push((format!("{}.csv", table.name), csv_bytes(&columns, rows)?));
    }
    if let Some(records) = records {
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
    }
    Ok(files)
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
