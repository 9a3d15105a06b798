//! Reading the bureau's earlier register (one row a visit, or one row a person, typed in Excel):
//! which column holds what, values read the way Bulgarian registers write them, and rows grouped
//! into people and visits. Pure: the file is read by `crate::import`, the plan is written by
//! `db::imports`. A value this cannot place is listed for the person to map, never guessed.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::reference::{self, Entry};
use super::text::{fold, phone_digits, skeleton, to_latin, words};
use super::visitors::{LegalStatus, MAX_NAME, Sex};

/// What a column of the register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The day of the visit.
    Date,
    /// Given name.
    GivenName,
    /// Family name.
    FamilyName,
    /// The whole name in one column (given name first).
    Name,
    /// Country of origin.
    Country,
    /// Nationality.
    Nationality,
    /// Sex.
    Sex,
    /// Birth year or date.
    Birth,
    /// Phone, as typed.
    Phone,
    /// The service or services given.
    Service,
    /// The organisation that gave them.
    Organisation,
    /// Notes.
    Notes,
    /// The language used (or the person's language).
    Language,
    /// Legal status.
    LegalStatus,
    /// Not imported.
    Ignore,
}

impl Field {
    /// Every field, in the order a mapping lists them.
    pub const ALL: [Field; 15] = [
        Field::Date,
        Field::GivenName,
        Field::FamilyName,
        Field::Name,
        Field::Country,
        Field::Nationality,
        Field::Sex,
        Field::Birth,
        Field::Phone,
        Field::Service,
        Field::Organisation,
        Field::Notes,
        Field::Language,
        Field::LegalStatus,
        Field::Ignore,
    ];

    /// The code used on the command line (`--map Дата=date`) and in the report.
    pub fn code(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::Name => "name",
            Field::Country => "country",
            Field::Nationality => "nationality",
            Field::Sex => "sex",
            Field::Birth => "birth",
            Field::Phone => "phone",
            Field::Service => "service",
            Field::Organisation => "organisation",
            Field::Notes => "notes",
            Field::Language => "language",
            Field::LegalStatus => "legal_status",
            Field::Ignore => "ignore",
        }
    }

    /// Reads a field's code.
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    /// The headings, Bulgarian and English (folded), a column of this field goes by.
    fn headings(self) -> &'static [&'static str] {
        match self {
            Field::Date => &[
                "дата",
                "дата на посещение",
                "дата на посещението",
                "date",
                "visit date",
                "day",
            ],
            Field::GivenName => &[
                "име",
                "собствено име",
                "first name",
                "given name",
                "forename",
            ],
            Field::FamilyName => &[
                "фамилия",
                "фамилно име",
                "презиме и фамилия",
                "last name",
                "family name",
                "surname",
            ],
            Field::Name => &[
                "имена",
                "име и фамилия",
                "трите имена",
                "лице",
                "name",
                "full name",
                "visitor",
            ],
            Field::Country => &[
                "държава",
                "страна",
                "държава на произход",
                "произход",
                "country",
                "country of origin",
                "origin",
            ],
            Field::Nationality => &["гражданство", "националност", "nationality", "citizenship"],
            Field::Sex => &["пол", "sex", "gender"],
            Field::Birth => &[
                "година на раждане",
                "г.р.",
                "г. р.",
                "гр",
                "рождена година",
                "дата на раждане",
                "роден",
                "year of birth",
                "birth year",
                "date of birth",
                "born",
                "birth",
            ],
            Field::Phone => &[
                "телефон",
                "тел.",
                "тел",
                "gsm",
                "мобилен",
                "phone",
                "telephone",
                "mobile",
            ],
            Field::Service => &[
                "услуга",
                "услуги",
                "вид услуга",
                "вид на услугата",
                "service",
                "services",
                "service type",
            ],
            Field::Organisation => &[
                "организация",
                "партньор",
                "доставчик",
                "предоставена от",
                "organisation",
                "organization",
                "provider",
                "partner",
            ],
            Field::Notes => &[
                "бележки",
                "бележка",
                "коментар",
                "коментари",
                "забележка",
                "notes",
                "note",
                "comment",
                "comments",
            ],
            Field::Language => &["език", "езици", "language", "languages"],
            Field::LegalStatus => &[
                "статут",
                "правен статут",
                "статус",
                "status",
                "legal status",
            ],
            Field::Ignore => &[],
        }
    }
}

/// A heading as compared: folded, without stray spaces and a closing colon or asterisk.
fn heading_key(heading: &str) -> String {
    fold(heading.trim().trim_end_matches([':', '*']).trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a column heading names, if it is one of the known headings.
pub fn field_of_heading(heading: &str) -> Option<Field> {
    let key = heading_key(heading);
    Field::ALL
        .into_iter()
        .find(|f| f.headings().contains(&key.as_str()))
}

/// One row a visit, or one row a person (no visits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Each row is a visit of a person (the person retyped each time).
    Visits,
    /// Each row is a person.
    People,
}

impl Shape {
    /// Told from the columns: a register with a date column lists visits.
    pub fn detect(fields: &[Field]) -> Shape {
        if fields.contains(&Field::Date) {
            Shape::Visits
        } else {
            Shape::People
        }
    }
}

/// Reads a day as Bulgarian registers write it: `dd.mm.yyyy`, `dd.mm.yyyy г.`, `d.m.yy`,
/// `dd/mm/yyyy`, `yyyy-mm-dd`, an Excel serial number, with a time after it ignored.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = text
        .strip_suffix("г.")
        .or_else(|| text.strip_suffix('г'))
        .unwrap_or(text)
        .trim();
    let first = text.split_whitespace().next()?;
    let first = first.trim_end_matches(['г', '.']);
    if !first.is_empty() && first.chars().all(|c| c.is_ascii_digit()) {
        // Excel counts days from 30 December 1899; the range keeps plain years out.
        let serial: u64 = first.parse().ok()?;
        if !(10_000..=80_000).contains(&serial) {
            return None;
        }
        return NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial));
    }
    if let Ok(day) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
        return Some(day);
    }
    let parts: Vec<&str> = first.split(['.', '/', '-']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    let year: i32 = match y.len() {
        4 => y.parse().ok()?,
        // Two digits: this century unless that is in the future.
        2 => {
            let yy: i32 = y.parse().ok()?;
            let now = chrono::Local::now().year() % 100;
            if yy <= now { 2000 + yy } else { 1900 + yy }
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, m, d)
}

/// Reads a sex as typed: М/Ж, мъж/жена, m/f, male/female (any case).
pub fn parse_sex(text: &str) -> Option<Sex> {
    match fold(text.trim()).trim_end_matches('.') {
        "м" | "мъж" | "мъжки" | "m" | "male" | "man" => Some(Sex::Male),
        "ж" | "жена" | "женски" | "f" | "w" | "female" | "woman" => Some(Sex::Female),
        "друг" | "друго" | "other" => Some(Sex::Other),
        _ => None,
    }
}

/// A reference entry by its code, or its Bulgarian or English name, in any case.
fn entry_by_name<'a>(list: &'a [Entry], text: &str) -> Option<&'a Entry> {
    let typed = fold(text.trim());
    if typed.is_empty() {
        return None;
    }
    list.iter().find(|e| {
        e.code.eq_ignore_ascii_case(&typed)
            || fold(&e.name_bg) == typed
            || fold(&e.name_en) == typed
            || to_latin(&fold(&e.name_bg)) == typed
    })
}

/// Reads a country by ISO code or name ("Сирия", "Syria", "SY", "SYR" is not read).
pub fn parse_country(text: &str) -> Option<String> {
    const ALIASES: [(&str, &str); 6] = [
        ("сирия", "SY"),
        ("иран", "IR"),
        ("русия", "RU"),
        ("usa", "US"),
        ("uk", "GB"),
        ("великобритания", "GB"),
    ];
    let typed = fold(text.trim());
    if let Some((_, code)) = ALIASES.iter().find(|(name, _)| *name == typed) {
        return Some((*code).to_owned());
    }
    entry_by_name(reference::countries(), text).map(|e| e.code.clone())
}

/// Reads a language by ISO 639-1 code or name ("арабски", "Arabic", "фарси", "ar").
pub fn parse_language(text: &str) -> Option<String> {
    const ALIASES: [(&str, &str); 6] = [
        ("фарси", "fa"),
        ("farsi", "fa"),
        ("дари", "fa"),
        ("dari", "fa"),
        ("кюрдски", "ku"),
        ("пущу", "ps"),
    ];
    let typed = fold(text.trim());
    if let Some((_, code)) = ALIASES.iter().find(|(name, _)| *name == typed) {
        return Some((*code).to_owned());
    }
    entry_by_name(reference::languages(), text).map(|e| e.code.clone())
}

/// Reads a legal status by its code, its label in Bulgarian or English, or a register's usual
/// words ("ТЗ", "бежанец", "хуманитарен статут").
pub fn parse_legal_status(text: &str) -> Option<LegalStatus> {
    const ALIASES: [(&str, LegalStatus); 9] = [
        ("тз", LegalStatus::AsylumSeeker),
        ("търсещ закрила", LegalStatus::AsylumSeeker),
        ("asylum seeker", LegalStatus::AsylumSeeker),
        ("бежанец", LegalStatus::Refugee),
        ("бежанка", LegalStatus::Refugee),
        ("хуманитарен", LegalStatus::Humanitarian),
        ("хуманитарен статут", LegalStatus::Humanitarian),
        ("вз", LegalStatus::TemporaryProtection),
        ("без гражданство", LegalStatus::Stateless),
    ];
    let typed = fold(text.trim());
    if let Some((_, status)) = ALIASES.iter().find(|(name, _)| *name == typed) {
        return Some(*status);
    }
    LegalStatus::ALL.iter().copied().find(|s| {
        s.code() == typed
            || ["bg", "en"]
                .iter()
                .any(|l| fold(&crate::translate(l, s.label_key(), &[])) == typed)
    })
}

/// A birth read from a register: a year, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthRead {
    /// The year.
    pub year: i32,
    /// The day, when a date was typed.
    pub date: Option<NaiveDate>,
}

/// Reads a birth year (`1985`, `1985 г.`) or a date, not after `today` and not before 1900.
pub fn parse_birth(text: &str, today: NaiveDate) -> Option<BirthRead> {
    let trimmed = text.trim().trim_end_matches(['г', '.', ' ']);
    let birth = if trimmed.len() == 4 && trimmed.chars().all(|c| c.is_ascii_digit()) {
        BirthRead {
            year: trimmed.parse().ok()?,
            date: None,
        }
    } else {
        let day = parse_day(text)?;
        BirthRead {
            year: day.year(),
            date: Some(day),
        }
    };
    (1900..=today.year())
        .contains(&birth.year)
        .then_some(birth)
        .filter(|b| b.date.is_none_or(|d| d <= today))
}

/// Something the import places by name in the desk's own lists (a service of the catalogue, an
/// organisation of the directory): its id and the names it goes by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    /// Row id.
    pub id: i64,
    /// Its code, if it has one (services).
    pub code: String,
    /// Bulgarian name.
    pub name_bg: String,
    /// English name.
    pub name_en: String,
}

/// The initials of a name's words, folded ("Български Червен кръст" → "бчк").
fn initials(name: &str) -> String {
    words(name).filter_map(|w| w.chars().next()).collect()
}

/// Finds a service or organisation by code, name or abbreviation, in either language.
pub fn find_known<'a>(list: &'a [Known], text: &str) -> Option<&'a Known> {
    let typed = fold(text.trim());
    if typed.is_empty() {
        return None;
    }
    let joined = |s: &str| words(s).collect::<Vec<_>>().join(" ");
    let typed_words = joined(&typed);
    list.iter()
        .find(|k| {
            k.code == typed
                || k.id.to_string() == typed
                || joined(&k.name_bg) == typed_words
                || joined(&k.name_en) == typed_words
        })
        .or_else(|| {
            // An abbreviation ("БЧК", "BRC"), only when it names one entry.
            let mut found = list.iter().filter(|k| {
                typed.chars().count() >= 2
                    && !typed.contains(' ')
                    && (initials(&k.name_bg) == typed || initials(&k.name_en) == typed)
            });
            match (found.next(), found.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        })
}

/// The key rows of one person share: the consonant keys of their name words, in order, so
/// that spellings of the same name in any script meet ("Нур Хасан", "Nour Hassan", "نور حسن").
pub fn person_key(name: &str) -> String {
    let mut keys: Vec<String> = words(name)
        .map(|w| skeleton(&w))
        .filter(|s| !s.is_empty())
        .collect();
    // Family name first or last: the same person.
    keys.sort();
    keys.join(" ")
}

/// What tells two people of one name apart: any of these known in both and different.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Traits {
    /// Birth year.
    pub birth_year: Option<i32>,
    /// Phone digits.
    pub phone: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
}

impl Traits {
    /// True when nothing known in both differs.
    pub fn agrees_with(&self, other: &Traits) -> bool {
        fn same<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        same(&self.birth_year, &other.birth_year)
            && same(&self.phone, &other.phone)
            && same(&self.sex, &other.sex)
    }

    /// These traits with what `other` knows and these do not.
    fn joined(&self, other: &Traits) -> Traits {
        Traits {
            birth_year: self.birth_year.or(other.birth_year),
            phone: self.phone.clone().or_else(|| other.phone.clone()),
            sex: self.sex.or(other.sex),
        }
    }
}

/// One row of the register, read: every value placed, or the row rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    /// Its line in the file (1 is the headings).
    pub line: usize,
    /// Given and family name, as written.
    pub name: (String, String),
    /// The day of the visit (visit registers).
    pub day: Option<NaiveDate>,
    /// What tells the person apart.
    pub traits: Traits,
    /// Birth, when given.
    pub birth: Option<BirthRead>,
    /// Phone as typed.
    pub phone: String,
    /// Country of origin code.
    pub country: Option<String>,
    /// Nationality code.
    pub nationality: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Legal status.
    pub legal_status: Option<LegalStatus>,
    /// Services given, by catalogue id.
    pub services: Vec<i64>,
    /// The organisation that gave them, by directory id.
    pub organisation: Option<i64>,
    /// Notes, as typed.
    pub notes: String,
}

/// A value no list could place: in which column, what, and in how many rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// The column's heading.
    pub column: String,
    /// The value as typed (trimmed).
    pub value: String,
    /// What it was read as.
    pub field: Field,
    /// How many rows hold it.
    pub rows: usize,
}

/// Why a row was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// Neither a given nor a family name.
    NoName,
    /// A name part longer than the desk keeps.
    NameTooLong,
    /// A visit row without a day.
    NoDate,
    /// A visit row without a service.
    NoService,
    /// A day that could not be read (as typed).
    BadDate(String),
    /// A day after today.
    FutureDate(String),
    /// A birth that could not be read.
    BadBirth(String),
    /// A phone with too few digits.
    BadPhone(String),
}

impl RowProblem {
    /// The i18n key of its sentence (with `%{value}` for the value typed).
    pub fn label_key(&self) -> &'static str {
        match self {
            RowProblem::NoName => "import.problem.no_name",
            RowProblem::NameTooLong => "import.problem.name_too_long",
            RowProblem::NoDate => "import.problem.no_date",
            RowProblem::NoService => "import.problem.no_service",
            RowProblem::BadDate(_) => "import.problem.bad_date",
            RowProblem::FutureDate(_) => "import.problem.future_date",
            RowProblem::BadBirth(_) => "import.problem.bad_birth",
            RowProblem::BadPhone(_) => "import.problem.bad_phone",
        }
    }

    /// The value typed, where the problem is about one.
    pub fn value(&self) -> &str {
        match self {
            RowProblem::BadDate(v)
            | RowProblem::FutureDate(v)
            | RowProblem::BadBirth(v)
            | RowProblem::BadPhone(v) => v,
            _ => "",
        }
    }

    /// In English words, for the command line and the JSON report.
    fn reason(&self) -> String {
        match self {
            RowProblem::NoName => "no name".to_owned(),
            RowProblem::NameTooLong => format!("a name longer than {MAX_NAME} characters"),
            RowProblem::NoDate => "no date".to_owned(),
            RowProblem::NoService => "no service".to_owned(),
            RowProblem::BadDate(v) => format!("the date '{v}' could not be read"),
            RowProblem::FutureDate(v) => format!("the date {v} is in the future"),
            RowProblem::BadBirth(v) => format!("the birth '{v}' could not be read"),
            RowProblem::BadPhone(v) => format!("the phone '{v}' has too few digits"),
        }
    }
}

/// A rejected row: its line and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The line in the file.
    pub line: usize,
    /// Why, in words.
    pub reason: String,
    /// Why, each problem apart (the screen says them in its language).
    #[serde(skip)]
    pub problems: Vec<RowProblem>,
}

impl Rejected {
    /// A row left out for these problems.
    pub fn new(line: usize, problems: Vec<RowProblem>) -> Rejected {
        Rejected {
            line,
            reason: problems
                .iter()
                .map(RowProblem::reason)
                .collect::<Vec<_>>()
                .join("; "),
            problems,
        }
    }
}

/// What the import has to place values against.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    /// The service catalogue.
    pub services: Vec<Known>,
    /// The directory.
    pub organisations: Vec<Known>,
    /// Values the person mapped by hand: (field, folded value) → what it stands for (a code,
    /// or an id for services and organisations).
    pub mapped: HashMap<(Field, String), String>,
}

/// The register's columns, each with the field it was matched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The heading as in the file.
    pub heading: String,
    /// What it holds.
    pub field: Field,
    /// The first few values, to check the mapping by.
    pub samples: Vec<String>,
}

/// Reads every row: values placed against the reference lists and `lists`, unplaced values
/// counted, rows without what they need rejected.
pub fn read_rows(
    columns: &[Column],
    rows: &[(usize, Vec<String>)],
    shape: Shape,
    lists: &Lists,
    today: NaiveDate,
) -> (Vec<RowRead>, Vec<Rejected>, Vec<Unplaced>) {
    let mut read = Vec::new();
    let mut rejected = Vec::new();
    let mut unplaced: BTreeMap<(String, Field, String), usize> = BTreeMap::new();
    for (line, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = RowRead {
            line: *line,
            name: (String::new(), String::new()),
            day: None,
            traits: Traits::default(),
            birth: None,
            phone: String::new(),
            country: None,
            nationality: None,
            language: None,
            legal_status: None,
            services: Vec::new(),
            organisation: None,
            notes: String::new(),
        };
        let mut problems: Vec<RowProblem> = Vec::new();
        for (column, cell) in columns.iter().zip(cells) {
            let value = cell.trim();
            if value.is_empty() {
                continue;
            }
            let mut not_placed = |field: Field, value: &str| {
                *unplaced
                    .entry((column.heading.clone(), field, value.to_owned()))
                    .or_default() += 1;
            };
            let mapped = lists.mapped.get(&(column.field, fold(value))).cloned();
            match column.field {
                Field::Ignore => {}
                Field::Date => match parse_day(value) {
                    Some(day) if day > today => {
                        problems.push(RowProblem::FutureDate(value.to_owned()))
                    }
                    Some(day) => row.day = Some(day),
                    None => problems.push(RowProblem::BadDate(value.to_owned())),
                },
                Field::GivenName => row.name.0 = clean_name(value),
                Field::FamilyName => row.name.1 = clean_name(value),
                Field::Name => {
                    let name = clean_name(value);
                    let (given, family) = name.split_once(' ').unwrap_or((&name, ""));
                    row.name = (given.to_owned(), family.to_owned());
                }
                Field::Country | Field::Nationality => {
                    let code = mapped.or_else(|| {
                        if column.field == Field::Nationality && fold(value) == "без гражданство"
                        {
                            Some("stateless".to_owned())
                        } else {
                            parse_country(value)
                        }
                    });
                    match code {
                        Some(code) if column.field == Field::Country => row.country = Some(code),
                        Some(code) => row.nationality = Some(code),
                        None => not_placed(column.field, value),
                    }
                }
                Field::Sex => match mapped
                    .as_deref()
                    .and_then(Sex::from_code)
                    .or_else(|| parse_sex(value))
                {
                    Some(sex) => row.traits.sex = Some(sex),
                    None => not_placed(column.field, value),
                },
                Field::Birth => match parse_birth(value, today) {
                    Some(birth) => {
                        row.traits.birth_year = Some(birth.year);
                        row.birth = Some(birth);
                    }
                    None => problems.push(RowProblem::BadBirth(value.to_owned())),
                },
                Field::Phone => {
                    let digits = phone_digits(value);
                    if digits.len() >= 6 {
                        row.phone = value.to_owned();
                        row.traits.phone = Some(digits);
                    } else {
                        problems.push(RowProblem::BadPhone(value.to_owned()));
                    }
                }
                Field::Service => {
                    for part in split_list(value) {
                        let id = lists
                            .mapped
                            .get(&(Field::Service, fold(part)))
                            .and_then(|m| m.parse().ok())
                            .or_else(|| find_known(&lists.services, part).map(|k| k.id));
                        match id {
                            Some(id) if !row.services.contains(&id) => row.services.push(id),
                            Some(_) => {}
                            None => not_placed(Field::Service, part),
                        }
                    }
                }
                Field::Organisation => match mapped
                    .and_then(|m| m.parse().ok())
                    .or_else(|| find_known(&lists.organisations, value).map(|k| k.id))
                {
                    Some(id) => row.organisation = Some(id),
                    None => not_placed(column.field, value),
                },
                Field::Notes => {
                    if !row.notes.is_empty() {
                        row.notes.push('\n');
                    }
                    row.notes.push_str(value);
                }
                Field::Language => match mapped.or_else(|| parse_language(value)) {
                    Some(code) => row.language = Some(code),
                    None => not_placed(column.field, value),
                },
                Field::LegalStatus => match mapped
                    .as_deref()
                    .and_then(LegalStatus::from_code)
                    .or_else(|| parse_legal_status(value))
                {
                    Some(status) => row.legal_status = Some(status),
                    None => not_placed(column.field, value),
                },
            }
        }
        if row.name.0.is_empty() {
            if row.name.1.is_empty() {
                problems.push(RowProblem::NoName);
            } else {
                row.name = (std::mem::take(&mut row.name.1), String::new());
            }
        }
        if row.name.0.chars().count() > MAX_NAME || row.name.1.chars().count() > MAX_NAME {
            problems.push(RowProblem::NameTooLong);
        }
        if shape == Shape::Visits && row.day.is_none() && problems.is_empty() {
            problems.push(RowProblem::NoDate);
        }
        if problems.is_empty() {
            read.push(row);
        } else {
            rejected.push(Rejected::new(*line, problems));
        }
    }
    let unplaced = unplaced
        .into_iter()
        .map(|((column, field, value), rows)| Unplaced {
            column,
            value,
            field,
            rows,
        })
        .collect();
    (read, rejected, unplaced)
}

/// A name as stored: single spaces, CAPITALS typed for a whole word made Title case.
fn clean_name(value: &str) -> String {
    value
        .split_whitespace()
        .map(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|first| first.to_string() + &chars.as_str().to_lowercase())
                    .unwrap_or_default()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The parts of a cell that lists several values ("Правна помощ, Информация").
fn split_list(value: &str) -> Vec<&str> {
    value
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// A person of the register: their rows, and whether they are already in the desk.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRows {
    /// Indexes into the rows read, oldest visit first.
    pub rows: Vec<usize>,
    /// What tells them apart, from all their rows.
    pub traits: Traits,
    /// The person in the desk they are, if one matched.
    pub existing: Option<i64>,
    /// Could be the same as another person of the register or the desk but something differs:
    /// imported apart, listed for the person to decide (and merge on the card if they are one).
    pub to_review: bool,
    /// Their `person_key`.
    pub key: String,
    /// People in the desk of the same key they were not matched to (to compare with).
    pub like_registered: Vec<i64>,
}

/// A person already in the desk, as the import matches them.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    /// Row id.
    pub id: i64,
    /// Their `person_key`s (name as written, name in Latin letters).
    pub keys: Vec<String>,
    /// What tells them apart.
    pub traits: Traits,
}

/// Groups rows into people: one key of name and no conflicting birth year, phone or sex is one
/// person; people of one key who conflict are kept apart and marked for review. Each is matched
/// against the desk's people the same way.
pub fn group_people(rows: &[RowRead], registered: &[Registered]) -> Vec<PersonRows> {
    let mut by_key: BTreeMap<String, Vec<PersonRows>> = BTreeMap::new();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|i| (rows[*i].day, rows[*i].line));
    for index in order {
        let row = &rows[index];
        let key = person_key(&format!("{} {}", row.name.0, row.name.1));
        let people = by_key.entry(key.clone()).or_default();
        match people
            .iter_mut()
            .find(|p| p.traits.agrees_with(&row.traits))
        {
            Some(person) => {
                person.rows.push(index);
                person.traits = person.traits.joined(&row.traits);
            }
            None => people.push(PersonRows {
                rows: vec![index],
                traits: row.traits.clone(),
                existing: None,
                to_review: false,
                key,
                like_registered: Vec::new(),
            }),
        }
    }
    let mut registered_by_key: HashMap<&str, Vec<&Registered>> = HashMap::new();
    for person in registered {
        for key in &person.keys {
            let same = registered_by_key.entry(key.as_str()).or_default();
            if !same.iter().any(|p| p.id == person.id) {
                same.push(person);
            }
        }
    }
    let mut out = Vec::new();
    for (key, mut people) in by_key {
        let in_desk = registered_by_key
            .get(key.as_str())
            .cloned()
            .unwrap_or_default();
        let several = people.len() > 1;
        for person in &mut people {
            let agreeing: Vec<&&Registered> = in_desk
                .iter()
                .filter(|r| r.traits.agrees_with(&person.traits))
                .collect();
            person.existing = match agreeing.as_slice() {
                [one] => Some(one.id),
                _ => None,
            };
            person.to_review =
                several || agreeing.len() > 1 || (agreeing.is_empty() && !in_desk.is_empty());
            person.like_registered = in_desk
                .iter()
                .map(|r| r.id)
                .filter(|id| Some(*id) != person.existing)
                .collect();
        }
        out.extend(people);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn days_are_read_as_bulgarian_registers_write_them() {
        for (typed, expected) in [
            ("12.03.2025", day(2025, 3, 12)),
            ("12.03.2025 г.", day(2025, 3, 12)),
            ("12.03.2025г.", day(2025, 3, 12)),
            ("2.3.25", day(2025, 3, 2)),
            ("2025-03-12", day(2025, 3, 12)),
            ("12/03/2025", day(2025, 3, 12)),
            ("45728", day(2025, 3, 12)),
            ("12.03.2025 10:30", day(2025, 3, 12)),
            ("31.02.2025", None),
            ("2025", None),
            ("вторник", None),
        ] {
            assert_eq!(parse_day(typed), expected, "{typed}");
        }
    }

    #[test]
    fn sexes_countries_languages_and_statuses_are_read_in_either_language() {
        assert_eq!(parse_sex(" Ж "), Some(Sex::Female));
        assert_eq!(parse_sex("МЪЖ"), Some(Sex::Male));
        assert_eq!(parse_sex("f"), Some(Sex::Female));
        assert_eq!(parse_sex("x"), None);
        assert_eq!(parse_country("Сирия").as_deref(), Some("SY"));
        assert_eq!(parse_country(" AFGHANISTAN ").as_deref(), Some("AF"));
        assert_eq!(parse_country("ua").as_deref(), Some("UA"));
        assert_eq!(parse_country("Сирия арабска"), None);
        assert_eq!(parse_language("арабски").as_deref(), Some("ar"));
        assert_eq!(parse_language("Фарси").as_deref(), Some("fa"));
        assert_eq!(parse_legal_status("ТЗ"), Some(LegalStatus::AsylumSeeker));
        assert_eq!(parse_legal_status("бежанец"), Some(LegalStatus::Refugee));
        assert_eq!(
            parse_legal_status("temporary_protection"),
            Some(LegalStatus::TemporaryProtection)
        );
    }

    #[test]
    fn headings_are_matched_in_bulgarian_and_english() {
        assert_eq!(field_of_heading(" Дата "), Some(Field::Date));
        assert_eq!(field_of_heading("Година на раждане:"), Some(Field::Birth));
        assert_eq!(field_of_heading("ФАМИЛИЯ"), Some(Field::FamilyName));
        assert_eq!(field_of_heading("Country of origin"), Some(Field::Country));
        assert_eq!(field_of_heading("Колона 7"), None);
    }

    #[test]
    fn services_and_organisations_are_found_by_name_abbreviation_or_code() {
        let list = vec![
            Known {
                id: 2,
                code: "ngo".into(),
                name_bg: "Български Червен кръст".into(),
                name_en: "Bulgarian Red Cross".into(),
            },
            Known {
                id: 3,
                code: "legal".into(),
                name_bg: "Правна помощ".into(),
                name_en: "Legal assistance".into(),
            },
        ];
        let id = |typed| find_known(&list, typed).map(|k| k.id);
        assert_eq!(id("БЧК"), Some(2));
        assert_eq!(id("bulgarian  red cross"), Some(2));
        assert_eq!(id("ПРАВНА ПОМОЩ"), Some(3));
        assert_eq!(id("legal"), Some(3));
        assert_eq!(id("правна"), None, "never guessed from a part");
    }

    fn row(line: usize, name: &str, birth: Option<i32>, on: u32) -> RowRead {
        let (given, family) = name.split_once(' ').unwrap_or((name, ""));
        RowRead {
            line,
            name: (given.into(), family.into()),
            day: day(2025, 3, on),
            traits: Traits {
                birth_year: birth,
                ..Traits::default()
            },
            birth: None,
            phone: String::new(),
            country: None,
            nationality: None,
            language: None,
            legal_status: None,
            services: vec![1],
            organisation: None,
            notes: String::new(),
        }
    }

    #[test]
    fn rows_of_one_name_in_any_script_are_one_person_unless_they_conflict() {
        let rows = vec![
            row(2, "Нур Хасан", Some(1990), 3),
            row(3, "Nour Hassan", None, 5),
            row(4, "Hassan Nur", Some(1990), 9),
            row(5, "Nour Hassan", Some(1971), 9),
            row(6, "Олена Коваленко", None, 9),
        ];
        let registered = vec![Registered {
            id: 7,
            keys: vec![person_key("Olena Kovalenko")],
            traits: Traits::default(),
        }];
        let people = group_people(&rows, &registered);
        let lines = |p: &PersonRows| p.rows.iter().map(|i| rows[*i].line).collect::<Vec<_>>();
        let mut summary: Vec<(Vec<usize>, Option<i64>, bool)> = people
            .iter()
            .map(|p| (lines(p), p.existing, p.to_review))
            .collect();
        summary.sort();
        assert_eq!(
            summary,
            [
                (vec![2, 3, 4], None, true),
                (vec![5], None, true),
                (vec![6], Some(7), false)
            ]
        );
    }

    proptest! {
        #[test]
        fn reading_a_day_never_panics(text in "\\PC{0,24}") {
            let _ = parse_day(&text);
            let _ = parse_birth(&text, NaiveDate::MAX);
        }

        #[test]
        fn any_real_day_typed_dd_mm_yyyy_reads_back(days in 0u64..60_000) {
            let typed = NaiveDate::from_ymd_opt(1930, 1, 1).and_then(|d| d.checked_add_days(Days::new(days)));
            if let Some(typed) = typed {
                prop_assert_eq!(parse_day(&typed.format("%d.%m.%Y").to_string()), Some(typed));
                prop_assert_eq!(parse_day(&typed.format("%d.%m.%Y г.").to_string()), Some(typed));
                prop_assert_eq!(parse_day(&typed.format("%Y-%m-%d").to_string()), Some(typed));
            }
        }

        #[test]
        fn reading_rows_never_panics_and_accounts_for_every_row(
            cells in proptest::collection::vec(proptest::collection::vec("\\PC{0,12}", 4), 0..20)
        ) {
            let columns: Vec<Column> = [Field::Date, Field::Name, Field::Sex, Field::Service]
                .into_iter()
                .map(|field| Column { heading: field.code().into(), field, samples: Vec::new() })
                .collect();
            let rows: Vec<(usize, Vec<String>)> = cells.into_iter().enumerate().map(|(i, c)| (i + 2, c)).collect();
            let blank = rows.iter().filter(|(_, c)| c.iter().all(|v| v.trim().is_empty())).count();
            let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
            let (read, rejected, _) = read_rows(&columns, &rows, Shape::Visits, &Lists::default(), today);
            prop_assert_eq!(read.len() + rejected.len() + blank, rows.len());
        }
    }
}
