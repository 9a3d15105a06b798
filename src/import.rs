//! Bringing in the bureau's earlier register: a CSV (`;`, `,` or tab; UTF-8 with or without a
//! BOM, or Windows-1251 — detected, and overridable), an XLSX or an ODS file, one row a visit or
//! one row a person. `read_register` reads the file into a table; `plan` reads its values and
//! groups its rows into people and visits, with the dry run's report; `db::imports::run` writes
//! the plan in one transaction.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::import::{
    Column, Field, Lists, PersonRows, Registered, Rejected, RowProblem, RowRead, Shape, Unplaced,
    field_of_heading, group_people, read_rows,
};
use crate::domain::visitors::{Answer, Birth, NewVisitor};

/// How the text of a CSV file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// Windows-1251 (Cyrillic), as Bulgarian Excel saves "CSV".
    #[serde(rename = "windows-1251")]
    Windows1251,
}

impl Encoding {
    /// Reads an encoding's name as typed (`utf-8`, `utf8`, `windows-1251`, `cp1251`).
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name.trim().to_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1251" | "cp1251" | "1251" => Some(Encoding::Windows1251),
            _ => None,
        }
    }
}

/// Why a register could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("the register could not be read: {0}")]
    Io(#[from] std::io::Error),
    /// A spreadsheet that calamine cannot open.
    #[error("the spreadsheet could not be read: {0}")]
    Spreadsheet(String),
    /// A CSV row that cannot be parsed.
    #[error("line {line} of the register could not be read: {reason}")]
    Csv {
        /// The line.
        line: u64,
        /// Why.
        reason: String,
    },
    /// No headings row, or no rows under it.
    #[error("the register has no headings row")]
    Empty,
}

/// A register as read: its headings and rows, with how it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// SHA-256 of the file's bytes, so the same file is not imported twice.
    pub hash: String,
    /// The headings row.
    pub headings: Vec<String>,
    /// Each row with its line in the file (the headings are line 1).
    pub rows: Vec<(usize, Vec<String>)>,
    /// The encoding of a CSV file (`None` for a spreadsheet).
    pub encoding: Option<Encoding>,
    /// The separator of a CSV file.
    pub delimiter: Option<char>,
}

/// Reads a register: XLSX, XLS or ODS by their extension, anything else as CSV in `encoding`
/// (detected when `None`).
pub fn read_register(path: &Path, encoding: Option<Encoding>) -> Result<Table, ReadError> {
    let bytes = std::fs::read(path)?;
    let hash = hex::encode(Sha256::digest(&bytes));
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    let mut table = if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        read_spreadsheet(path)?
    } else {
        read_csv(&bytes, encoding)?
    };
    table.hash = hash;
    Ok(table)
}

/// The text of a CSV file, decoded: UTF-8 when it has the BOM or is valid UTF-8, else
/// Windows-1251, unless an encoding is given.
fn decode(bytes: &[u8], encoding: Option<Encoding>) -> (String, Encoding) {
    let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF");
    let encoding = encoding.unwrap_or(
        if without_bom.is_some() || std::str::from_utf8(bytes).is_ok() {
            Encoding::Utf8
        } else {
            Encoding::Windows1251
        },
    );
    let text = match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(without_bom.unwrap_or(bytes)).into_owned(),
        Encoding::Windows1251 => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    };
    (text, encoding)
}

/// The separator of the headings line: the most frequent of `;`, tab and `,` outside quotes.
fn detect_delimiter(text: &str) -> char {
    let mut counts = [(';', 0usize), ('\t', 0), (',', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            c if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(';', |(d, _)| *d)
}

/// Reads a CSV register from its bytes (what `read_register` does for a file not a spreadsheet).
pub fn read_csv(bytes: &[u8], encoding: Option<Encoding>) -> Result<Table, ReadError> {
    let (text, encoding) = decode(bytes, encoding);
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    // The line a record starts on, counted from the byte it starts at (a quoted note may hold
    // line breaks, so records and lines differ).
    let (mut line, mut counted_to) = (1usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            line: e.position().map_or(0, csv::Position::line),
            reason: e.to_string(),
        })?;
        // The reader may place a record at the line break before it: skip to its first byte.
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += text
            .as_bytes()
            .get(counted_to..start)
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        counted_to = start.max(counted_to);
        records.push((line, record.iter().map(str::to_owned).collect::<Vec<_>>()));
    }
    let mut records = records.into_iter();
    let (_, headings) = records.next().ok_or(ReadError::Empty)?;
    Ok(Table {
        hash: String::new(),
        headings,
        rows: records.collect(),
        encoding: Some(encoding),
        delimiter: Some(delimiter),
    })
}

fn read_spreadsheet(path: &Path) -> Result<Table, ReadError> {
    use calamine::{Data, Reader};
    let mut workbook =
        calamine::open_workbook_auto(path).map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(ReadError::Empty)?
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let text = |cell: &Data| -> String {
        match cell {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            // Whole numbers (years, phone numbers typed as numbers) without ".0".
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            // A date cell: its day as an Excel serial number, which the day reader takes.
            Data::DateTime(d) => format!("{}", d.as_f64().floor() as i64),
            Data::DateTimeIso(d) => d.clone(),
            Data::DurationIso(d) => d.clone(),
            Data::Error(e) => format!("{e:?}"),
        }
    };
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, row)| (first_row + i + 1, row.iter().map(text).collect::<Vec<_>>()));
    let (_, headings) = rows.next().ok_or(ReadError::Empty)?;
    Ok(Table {
        hash: String::new(),
        headings,
        rows: rows.collect(),
        encoding: None,
        delimiter: None,
    })
}

/// How the person asked the register to be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    /// Columns mapped by hand: (heading as in the file, field).
    pub map: Vec<(String, Field)>,
    /// One row a visit or a person; detected when `None`.
    pub shape: Option<Shape>,
    /// Services and organisations the register names that the desk does not know are added
    /// to the catalogue and the directory.
    pub create_missing: bool,
    /// Values placed by hand: (field, value as typed, what it stands for: a code, or a
    /// service's or organisation's name or code).
    pub values: Vec<(Field, String, String)>,
}

/// Adds the values placed by hand to `lists`, each checked against what its field takes.
/// Returns the first target that names nothing the desk knows.
pub fn place_values(lists: &mut Lists, values: &[(Field, String, String)]) -> Result<(), String> {
    use crate::domain::import::{
        find_known, parse_country, parse_language, parse_legal_status, parse_sex,
    };
    for (field, value, target) in values {
        let placed = match field {
            Field::Service => find_known(&lists.services, target).map(|k| k.id.to_string()),
            Field::Organisation => {
                find_known(&lists.organisations, target).map(|k| k.id.to_string())
            }
            Field::Country => parse_country(target),
            Field::Nationality => parse_country(target)
                .or_else(|| (target.trim() == "stateless").then(|| "stateless".to_owned())),
            Field::Language => parse_language(target),
            Field::Sex => parse_sex(target).map(|s| s.code().to_owned()),
            Field::LegalStatus => parse_legal_status(target).map(|s| s.code().to_owned()),
            _ => None,
        };
        let Some(placed) = placed else {
            return Err(format!(
                "'{target}' is not a {} the desk knows",
                field.code()
            ));
        };
        lists
            .mapped
            .insert((*field, crate::domain::text::fold(value.trim())), placed);
    }
    Ok(())
}

/// The columns with their fields: mapped by hand, else matched by heading, else ignored.
pub fn columns(table: &Table, choices: &Choices) -> Vec<Column> {
    table
        .headings
        .iter()
        .enumerate()
        .map(|(i, heading)| {
            let mapped = choices
                .map
                .iter()
                .find(|(h, _)| h.trim().to_lowercase() == heading.trim().to_lowercase())
                .map(|(_, f)| *f);
            let samples = table
                .rows
                .iter()
                .filter_map(|(_, cells)| cells.get(i).filter(|c| !c.trim().is_empty()))
                .take(3)
                .cloned()
                .collect();
            Column {
                heading: heading.clone(),
                field: mapped
                    .or_else(|| field_of_heading(heading))
                    .unwrap_or(Field::Ignore),
                samples,
            }
        })
        .collect()
}

/// A person the import registers, or finds already registered, with their visits.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPerson {
    /// The person already in the desk, or `None` to register them.
    pub existing: Option<i64>,
    /// The key their rows were grouped by.
    pub key: String,
    /// People in the desk of the same name they were not matched to.
    pub like_registered: Vec<i64>,
    /// Their record, from their rows (registered people keep their own).
    pub details: NewVisitor,
    /// Their visits, one a day.
    pub visits: Vec<PlannedVisit>,
}

/// One visit: the rows of one person on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVisit {
    /// The day.
    pub day: NaiveDate,
    /// (service id, provider id), each once.
    pub services: Vec<(i64, i64)>,
    /// Language used (ISO 639-1), or `not_asked`.
    pub language: String,
    /// The rows' notes.
    pub notes: String,
}

impl PlannedVisit {
    /// The time a visit of a register that keeps only days is stored at.
    pub fn at(&self) -> chrono::NaiveDateTime {
        self.day.and_time(NaiveTime::MIN)
    }
}

/// A person of the register who may be someone else of the register or the desk.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Review {
    /// Their lines in the file.
    pub lines: Vec<usize>,
    /// Once imported: their bureau code first, then the codes of the people of the same name
    /// to compare them with.
    pub codes: Vec<String>,
    /// The same as visitor ids, for the screen's "Compare…".
    #[serde(skip)]
    pub visitors: Vec<i64>,
    /// Which planned person they are.
    #[serde(skip)]
    pub person: usize,
}

/// What an import would do, or did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The file's SHA-256.
    pub file_hash: String,
    /// How a CSV file was read.
    pub encoding: Option<Encoding>,
    /// The separator of a CSV file.
    pub delimiter: Option<String>,
    /// One row a visit or a person.
    pub shape: Option<Shape>,
    /// The columns and what each was read as.
    pub columns: Vec<Column>,
    /// Rows read (blank rows not counted).
    pub rows: usize,
    /// People to register.
    pub people_new: usize,
    /// People found already registered in the desk.
    pub people_existing: usize,
    /// People who may be someone else of the register or the desk: imported apart, listed to
    /// decide (merge on the card where they are one).
    pub people_to_review: usize,
    /// Each person to review: their lines, and once imported the codes to compare.
    pub review: Vec<Review>,
    /// Visits to log.
    pub visits: usize,
    /// Service lines of those visits.
    pub services: usize,
    /// Rows left out, with why.
    pub rejected: Vec<Rejected>,
    /// Values no list could place.
    pub unplaced_values: Vec<Unplaced>,
    /// Visits by month (`YYYY-MM`).
    pub visits_by_month: BTreeMap<String, usize>,
    /// Services and organisations added to the catalogue and directory (`--create-missing`).
    pub created: Vec<String>,
    /// The import ran (false: a dry run, or refused).
    pub imported: bool,
}

/// Reads the table's values and groups its rows into people and visits.
pub fn plan(
    table: &Table,
    choices: &Choices,
    lists: &Lists,
    registered: &[Registered],
    (bureau, today): (i64, NaiveDate),
) -> (Vec<PlannedPerson>, Report) {
    let columns = columns(table, choices);
    let fields: Vec<Field> = columns.iter().map(|c| c.field).collect();
    let shape = choices.shape.unwrap_or_else(|| Shape::detect(&fields));
    let (rows, mut rejected, unplaced) = read_rows(&columns, &table.rows, shape, lists, today);
    let mut people = Vec::new();
    let mut report = Report {
        file_hash: table.hash.clone(),
        encoding: table.encoding,
        delimiter: table.delimiter.map(|d| d.to_string()),
        shape: Some(shape),
        rows: rows.len() + rejected.len(),
        unplaced_values: unplaced,
        ..Report::default()
    };
    // A visit needs a service: a visit row without one is left out, said so.
    let (rows, no_service): (Vec<RowRead>, Vec<RowRead>) = rows
        .into_iter()
        .partition(|r| shape == Shape::People || !r.services.is_empty());
    let unplaced_lines = !report.unplaced_values.is_empty();
    for row in no_service {
        if !unplaced_lines {
            rejected.push(Rejected::new(row.line, vec![RowProblem::NoService]));
        }
    }
    for person in group_people(&rows, registered) {
        let planned = planned_person(&rows, &person, shape, bureau);
        if person.to_review {
            report.people_to_review += 1;
            report.review.push(Review {
                lines: person.rows.iter().map(|i| rows[*i].line).collect(),
                person: people.len(),
                ..Review::default()
            });
        }
        if planned.existing.is_some() {
            report.people_existing += 1;
        } else {
            report.people_new += 1;
        }
        for visit in &planned.visits {
            report.visits += 1;
            report.services += visit.services.len();
            *report
                .visits_by_month
                .entry(format!("{:04}-{:02}", visit.day.year(), visit.day.month()))
                .or_default() += 1;
        }
        people.push(planned);
    }
    rejected.sort_by_key(|r| r.line);
    report.rejected = rejected;
    report.columns = columns;
    (people, report)
}

/// One person's record and visits from their rows: for each field the value of their latest
/// row that has one.
fn planned_person(
    rows: &[RowRead],
    person: &PersonRows,
    shape: Shape,
    bureau: i64,
) -> PlannedPerson {
    let theirs: Vec<&RowRead> = person.rows.iter().map(|i| &rows[*i]).collect();
    let latest =
        |pick: &dyn Fn(&RowRead) -> Option<String>| theirs.iter().rev().find_map(|r| pick(r));
    let given = |answer: Option<String>| answer.map_or(Answer::NotAsked, Answer::Given);
    let first = theirs[0];
    let birth = theirs.iter().rev().find_map(|r| r.birth);
    let details = NewVisitor {
        given_name: first.name.0.clone(),
        family_name: first.name.1.clone(),
        given_name_latin: String::new(),
        family_name_latin: String::new(),
        sex: person.traits.sex.map_or(Answer::NotAsked, Answer::Given),
        birth: birth.map_or(Answer::NotAsked, |b| {
            Answer::Given(Birth {
                year: b.year,
                date: b.date,
            })
        }),
        country_of_origin: given(latest(&|r| r.country.clone())),
        nationality: given(latest(&|r| r.nationality.clone())),
        legal_status: theirs
            .iter()
            .rev()
            .find_map(|r| r.legal_status)
            .map_or(Answer::NotAsked, Answer::Given),
        preferred_language: given(latest(&|r| r.language.clone())),
        languages: Vec::new(),
        phone: given(latest(&|r| Some(r.phone.clone()).filter(|p| !p.is_empty()))),
        // Imported people have no consent on record until the desk records it.
        consents: Vec::new(),
    };
    let mut visits: Vec<PlannedVisit> = Vec::new();
    if shape == Shape::Visits {
        for row in &theirs {
            let Some(day) = row.day else { continue };
            let provider = row.organisation.unwrap_or(bureau);
            let visit = match visits.iter_mut().find(|v| v.day == day) {
                Some(visit) => visit,
                None => {
                    visits.push(PlannedVisit {
                        day,
                        services: Vec::new(),
                        language: row
                            .language
                            .clone()
                            .or_else(|| details.preferred_language.given().cloned())
                            .unwrap_or_else(|| "not_asked".to_owned()),
                        notes: String::new(),
                    });
                    let last = visits.len() - 1;
                    &mut visits[last]
                }
            };
            for service in &row.services {
                if !visit.services.iter().any(|(s, _)| s == service) {
                    visit.services.push((*service, provider));
                }
            }
            if !row.notes.is_empty() {
                if !visit.notes.is_empty() {
                    visit.notes.push('\n');
                }
                visit.notes.push_str(&row.notes);
            }
            // The desk keeps at most 2000 characters of notes a visit.
            if visit.notes.chars().count() > 2000 {
                visit.notes = visit.notes.chars().take(2000).collect();
            }
        }
    }
    PlannedPerson {
        existing: person.existing,
        key: person.key.clone(),
        like_registered: person.like_registered.clone(),
        details,
        visits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_read_as_a_register_and_planned_never_panic(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b';'), Just(b','), Just(b'\t'), Just(b'"'), Just(b'\n'), Just(b'\r'), any::<u8>()],
                0..400,
            )
        ) {
            if let Ok(table) = read_csv(&bytes, None) {
                let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
                let (_, report) = plan(&table, &Choices::default(), &Lists::default(), &[], (1, today));
                prop_assert!(report.rejected.len() <= report.rows);
                prop_assert!(report.rows <= table.rows.len());
            }
        }
    }

    #[test]
    fn windows_1251_and_a_bom_are_told_apart_and_the_separator_found() {
        let cp1251 = encoding_rs::WINDOWS_1251
            .encode("Дата;Име\r\n12.03.2025;Иван\r\n")
            .0;
        let table = read_csv(&cp1251, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(table.encoding, Some(Encoding::Windows1251));
        assert_eq!(table.headings, ["Дата", "Име"]);
        assert_eq!(
            table.rows,
            [(2, vec!["12.03.2025".to_owned(), "Иван".to_owned()])]
        );
        let bom =
            "\u{feff}Date,Name,Notes\n1.2.2025,Ivan,\"two\nlines, quoted\"\n2.2.2025,Olena,\n";
        let table = read_csv(bom.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (table.encoding, table.delimiter, table.headings[0].as_str()),
            (Some(Encoding::Utf8), Some(','), "Date")
        );
        assert_eq!(table.rows[0].1[2], "two\nlines, quoted");
        assert_eq!(
            table.rows[1].0, 4,
            "the line a row starts on, after a note of two lines"
        );
        let tabs = read_csv("Име\tДата\nA\t1.1.2025\n".as_bytes(), None);
        assert_eq!(tabs.map(|t| t.delimiter).ok(), Some(Some('\t')));
    }
}
