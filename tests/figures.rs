//! The figures, checked against a separate, straightforward computation over the raw rows, on
//! generated data and on hand-made edge cases; and the exports read back.

use std::collections::{BTreeMap, HashMap, HashSet};

use bureau_desk::db::{Database, Error, OpenMode, figures, staff};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::figures::{Count, Figures, Period, duration_band};
use bureau_desk::domain::{Actor, Role};
use bureau_desk::export::{self, Format, Options};
use bureau_desk::output::Overwrite;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::Connection;

struct Visit {
    id: i64,
    visitor: Option<i64>,
    at: NaiveDateTime,
    language: String,
    interpreter: bool,
    duration: Option<u32>,
}

/// A visitor's counted answers: country, nationality, sex, birth (year, day, answer), legal
/// status, language.
type Person = (
    String,
    String,
    String,
    (Option<i32>, Option<NaiveDate>, String),
    String,
    String,
);

/// The age band at `on` as docs/figures.md defines it, worked out here apart from the library:
/// whole years from the birth day when known, else the year's difference, else why not.
fn band_by_hand(birth: &(Option<i32>, Option<NaiveDate>, String), on: NaiveDate) -> String {
    let age = match birth {
        (_, Some(day), _) => {
            let birthday_to_come = (on.month(), on.day()) < (day.month(), day.day());
            Some(on.year() - day.year() - i32::from(birthday_to_come))
        }
        (Some(year), None, _) => Some(on.year() - year),
        (None, None, answer) => return answer.clone(),
    };
    match age.unwrap_or_default() {
        ..18 => "0-17",
        18..35 => "18-34",
        35..50 => "35-49",
        50..65 => "50-64",
        _ => "65+",
    }
    .to_owned()
}

/// Everything read plainly from the file.
struct Raw {
    visits: Vec<Visit>,
    services: Vec<(i64, String, String)>,
    people: HashMap<i64, Person>,
    referrals: Vec<(NaiveDateTime, String)>,
    accompaniments: Vec<(NaiveDateTime, String)>,
    feedback: Vec<(NaiveDate, i64, i64)>,
}

fn stamp(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn read(path: &std::path::Path) -> Raw {
    let conn = Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    let all = |sql: &str| -> Vec<Vec<rusqlite::types::Value>> {
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{e}"));
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect()
        })
        .and_then(|rows| rows.collect())
        .unwrap_or_else(|e| panic!("{e}"))
    };
    use rusqlite::types::Value::{Integer, Text};
    let text = |v: &rusqlite::types::Value| match v {
        Text(t) => t.clone(),
        _ => String::new(),
    };
    let int = |v: &rusqlite::types::Value| match v {
        Integer(i) => Some(*i),
        _ => None,
    };
    Raw {
        visits: all("SELECT id, visitor_id, visited_at, language, interpreter, duration_minutes FROM visits WHERE voided_at IS NULL")
            .iter()
            .map(|r| Visit {
                id: int(&r[0]).unwrap_or_default(),
                visitor: int(&r[1]),
                at: stamp(&text(&r[2])),
                language: text(&r[3]),
                interpreter: int(&r[4]) == Some(1),
                duration: int(&r[5]).map(|d| d as u32),
            })
            .collect(),
        services: all("SELECT s.visit_id, t.code, o.name_en FROM services_rendered s JOIN service_types t ON t.id = s.service_type_id JOIN organisations o ON o.id = s.provider_id")
            .iter()
            .map(|r| (int(&r[0]).unwrap_or_default(), text(&r[1]), text(&r[2])))
            .collect(),
        people: all("SELECT id, country_of_origin, nationality, sex, birth_year, legal_status, preferred_language, birth_date, birth_answer FROM visitors")
            .iter()
            .map(|r| {
                let birth = (
                    int(&r[4]).map(|y| y as i32),
                    NaiveDate::parse_from_str(&text(&r[7]), "%Y-%m-%d").ok(),
                    text(&r[8]),
                );
                (int(&r[0]).unwrap_or_default(), (text(&r[1]), text(&r[2]), text(&r[3]), birth, text(&r[5]), text(&r[6])))
            })
            .collect(),
        referrals: all("SELECT issued_at, status FROM referrals WHERE reissued_as IS NULL AND visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL)").iter().map(|r| (stamp(&text(&r[0])), text(&r[1]))).collect(),
        accompaniments: all("SELECT scheduled_at, status FROM accompaniments WHERE reissued_as IS NULL AND visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL)").iter().map(|r| (stamp(&text(&r[0])), text(&r[1]))).collect(),
        feedback: all("SELECT given_on, overall, staff FROM feedback")
            .iter()
            .map(|r| (NaiveDate::parse_from_str(&text(&r[0]), "%Y-%m-%d").unwrap_or_default(), int(&r[1]).unwrap_or_default(), int(&r[2]).unwrap_or_default()))
            .collect(),
    }
}

fn sorted(counts: &[Count]) -> BTreeMap<String, u64> {
    counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (c.key.clone(), c.count))
        .collect()
}

fn tally<I: IntoIterator<Item = String>>(keys: I) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for key in keys {
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

/// The figures computed the long way, from the raw rows.
fn check(raw: &Raw, period: Period, f: &Figures) {
    let inside = |at: NaiveDateTime| at.date() >= period.from && at.date() <= period.to;
    let visits: Vec<&Visit> = raw.visits.iter().filter(|v| inside(v.at)).collect();
    let people: HashSet<i64> = visits.iter().filter_map(|v| v.visitor).collect();
    let first_ever: HashMap<i64, NaiveDateTime> = raw
        .visits
        .iter()
        .filter_map(|v| v.visitor.map(|p| (p, v.at)))
        .fold(HashMap::new(), |mut m, (p, at)| {
            let e = m.entry(p).or_insert(at);
            if at < *e {
                *e = at;
            }
            m
        });
    let new: usize = people
        .iter()
        .filter(|p| first_ever[p].date() >= period.from)
        .count();
    let what = format!("{period:?}");
    assert_eq!(f.unique_visitors, people.len() as u64, "{what}");
    assert_eq!(f.new_visitors, new as u64, "{what}");
    assert_eq!(f.returning_visitors, (people.len() - new) as u64, "{what}");
    assert_eq!(f.visits, visits.len() as u64, "{what}");
    assert_eq!(
        f.anonymous_visits,
        visits.iter().filter(|v| v.visitor.is_none()).count() as u64,
        "{what}"
    );
    let ids: HashSet<i64> = visits.iter().map(|v| v.id).collect();
    let services: Vec<&(i64, String, String)> =
        raw.services.iter().filter(|s| ids.contains(&s.0)).collect();
    assert_eq!(f.services_total, services.len() as u64, "{what}");
    assert_eq!(
        sorted(&f.services_by_type),
        tally(services.iter().map(|s| s.1.clone())),
        "{what}"
    );
    assert_eq!(
        sorted(&f.services_by_provider),
        tally(services.iter().map(|s| s.2.clone())),
        "{what}"
    );
    let person = |p: &i64| raw.people[p].clone();
    assert_eq!(
        sorted(&f.countries_of_origin),
        tally(people.iter().map(|p| person(p).0)),
        "{what}"
    );
    assert_eq!(
        sorted(&f.nationality),
        tally(people.iter().map(|p| person(p).1)),
        "{what}"
    );
    assert_eq!(
        sorted(&f.sex),
        tally(people.iter().map(|p| person(p).2)),
        "{what}"
    );
    assert_eq!(
        sorted(&f.age_bands),
        tally(people.iter().map(|p| band_by_hand(&person(p).3, period.to))),
        "{what}"
    );
    assert_eq!(
        sorted(&f.legal_status),
        tally(people.iter().map(|p| person(p).4)),
        "{what}"
    );
    assert_eq!(
        sorted(&f.languages),
        tally(people.iter().map(|p| person(p).5)),
        "{what}"
    );
    assert_eq!(
        sorted(&f.visits_by_language),
        tally(visits.iter().map(|v| v.language.clone())),
        "{what}"
    );
    assert_eq!(
        sorted(&f.interpreter),
        tally(visits.iter().map(|v| {
            if v.interpreter {
                "interpreter"
            } else {
                "no_interpreter"
            }
            .to_owned()
        })),
        "{what}"
    );
    assert_eq!(
        sorted(&f.duration_bands),
        tally(visits.iter().map(|v| duration_band(v.duration).to_owned())),
        "{what}"
    );
    let kind = |v: &Visit| match v.visitor {
        None => "anonymous",
        Some(p) => {
            let earlier = raw
                .visits
                .iter()
                .any(|e| e.visitor == Some(p) && (e.at < v.at || (e.at == v.at && e.id < v.id)));
            if earlier { "follow_up" } else { "first" }
        }
    };
    assert_eq!(
        sorted(&f.consultations),
        tally(visits.iter().map(|v| kind(v).to_owned())),
        "{what}"
    );
    let referrals: Vec<_> = raw.referrals.iter().filter(|r| inside(r.0)).collect();
    assert_eq!(f.referrals.total, referrals.len() as u64, "{what}");
    assert_eq!(
        sorted(&f.referrals.by_outcome),
        tally(referrals.iter().map(|r| r.1.clone())),
        "{what}"
    );
    let accompaniments: Vec<_> = raw.accompaniments.iter().filter(|a| inside(a.0)).collect();
    assert_eq!(
        f.accompaniments.total,
        accompaniments.len() as u64,
        "{what}"
    );
    assert_eq!(
        sorted(&f.accompaniments.by_outcome),
        tally(accompaniments.iter().map(|a| a.1.clone())),
        "{what}"
    );
    let feedback: Vec<_> = raw
        .feedback
        .iter()
        .filter(|r| r.0 >= period.from && r.0 <= period.to)
        .collect();
    assert_eq!(f.satisfaction.responses, feedback.len() as u64, "{what}");
    for mark in 1..=5 {
        let n = feedback.iter().filter(|r| r.1 == mark).count() as u64;
        assert_eq!(
            f.satisfaction.overall.distribution[mark as usize - 1],
            n,
            "{what}"
        );
    }
    if !feedback.is_empty() {
        let mean = feedback.iter().map(|r| r.2 as f64).sum::<f64>() / feedback.len() as f64;
        assert!(
            (f.satisfaction.staff.mean.unwrap_or(0.0) - mean).abs() < 0.006,
            "{what}"
        );
    }
    let with = |code: &str| {
        people
            .iter()
            .filter(|p| {
                visits.iter().any(|v| {
                    v.visitor == Some(**p) && services.iter().any(|s| s.0 == v.id && s.1 == code)
                })
            })
            .count() as u64
    };
    assert_eq!(f.participants.supported, people.len() as u64);
    assert_eq!(
        f.participants.language_course,
        with("bulgarian_course"),
        "{what}"
    );
    assert_eq!(f.participants.legal_assistance, with("legal"), "{what}");
    assert_eq!(
        f.participants.labour_market_guidance,
        with("labour"),
        "{what}"
    );
    assert_eq!(
        f.participants.civic_orientation,
        with("information"),
        "{what}"
    );
    let monthly_visits: u64 = f.monthly.iter().map(|m| m.visits).sum();
    assert_eq!(monthly_visits, f.visits, "{what}");
    let monthly_anonymous: u64 = f.monthly.iter().map(|m| m.anonymous_visits).sum();
    assert_eq!(monthly_anonymous, f.anonymous_visits, "{what}");
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn actor(db: &Database) -> Actor {
    staff::list(db).unwrap_or_default().first().map_or(
        Actor {
            staff_id: bureau_desk::domain::StaffId(1),
            role: Role::Admin,
            organisation: None,
        },
        |s| s.actor(),
    )
}

#[test]
fn every_figure_agrees_with_a_separate_count_on_generated_data() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("demo.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    demo::generate(
        &mut db,
        DemoOptions {
            visitors: 500,
            seed: 11,
            today: day(2026, 11, 23),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let raw = read(&path);
    let actor = actor(&db);
    for period in [
        Period::month(2026, 10).unwrap_or_else(|| panic!("month")),
        Period::month(2026, 3).unwrap_or_else(|| panic!("month")),
        Period {
            from: day(2025, 11, 24),
            to: day(2026, 11, 23),
        },
        Period {
            from: day(2026, 6, 10),
            to: day(2026, 6, 10),
        },
        Period {
            from: day(2030, 1, 1),
            to: day(2030, 1, 31),
        },
    ] {
        let f = figures::compute(&db, &actor, period).unwrap_or_else(|e| panic!("{e}"));
        check(&raw, period, &f);
    }
    let year = figures::compute(
        &db,
        &actor,
        Period {
            from: day(2025, 11, 24),
            to: day(2026, 11, 23),
        },
    )
    .unwrap_or_default();
    assert!(
        year.unique_visitors >= 450
            && year.referrals.total > 10
            && year.satisfaction.responses > 50,
        "{:?}",
        (
            year.unique_visitors,
            year.referrals.total,
            year.satisfaction.responses
        )
    );
}

#[test]
fn edge_cases_late_visits_earlier_first_visits_anonymous_and_empty_months() {
    use bureau_desk::db::{visitors, visits};
    use bureau_desk::domain::{NewVisit, ServiceLine, VisitorDraft};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("edge.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let staff = staff::insert(&mut db, "Мария", Role::Coordinator, "2026-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let actor = staff.actor();
    let register = |db: &mut Database, name: &str| {
        let draft = VisitorDraft {
            given_name: name.into(),
            birth: "1990".into(),
            ..Default::default()
        };
        let new = draft
            .validate(day(2026, 11, 23))
            .unwrap_or_else(|e| panic!("{e:?}"));
        visitors::insert(db, &actor, &new, "2026-09-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .id
    };
    let returning = register(&mut db, "Returning");
    let newcomer = register(&mut db, "Newcomer");
    let log = |db: &mut Database, who: Option<bureau_desk::domain::VisitorId>, at: &str| {
        let visit = NewVisit {
            visitor: who,
            at: stamp(at),
            staff: actor.staff_id,
            language: "ar".into(),
            interpreter: false,
            duration_minutes: Some(20),
            services: vec![ServiceLine {
                service_type: bureau_desk::domain::ServiceTypeId(1),
                provider: bureau_desk::domain::OrganisationId(1),
            }],
            notes: String::new(),
        };
        visits::insert(db, &actor, &visit, at).unwrap_or_else(|e| panic!("{e}"));
    };
    log(&mut db, Some(returning), "2026-09-30T23:59"); // first visit: the month before
    log(&mut db, Some(returning), "2026-10-15T10:00");
    log(&mut db, Some(newcomer), "2026-10-31T23:59"); // the last minute of the month
    log(&mut db, Some(newcomer), "2026-10-31T23:59"); // twice at the same minute
    log(&mut db, None, "2026-10-01T00:00"); // anonymous, the first minute
    log(&mut db, None, "2026-11-01T00:00"); // the next month
    let october = Period::month(2026, 10).unwrap_or_else(|| panic!("month"));
    let f = figures::compute(&db, &actor, october).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (f.unique_visitors, f.new_visitors, f.returning_visitors),
        (2, 1, 1)
    );
    assert_eq!((f.visits, f.anonymous_visits, f.services_total), (4, 1, 4));
    assert_eq!(
        sorted(&f.consultations),
        tally(["follow_up", "first", "follow_up", "anonymous"].map(String::from))
    );
    check(&read(&path), october, &f);
    let september = figures::compute(&db, &actor, Period::month(2026, 9).unwrap_or(october))
        .unwrap_or_default();
    assert_eq!(
        (
            september.unique_visitors,
            september.new_visitors,
            september.visits
        ),
        (1, 1, 1)
    );
    let empty = figures::compute(&db, &actor, Period::month(2026, 12).unwrap_or(october))
        .unwrap_or_default();
    assert_eq!(
        (
            empty.unique_visitors,
            empty.visits,
            empty.satisfaction.overall.mean
        ),
        (0, 0, None)
    );
    assert_eq!(empty.monthly.len(), 1);
}

#[test]
fn exports_agree_with_each_other_and_name_nobody() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("demo.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    demo::generate(
        &mut db,
        DemoOptions {
            visitors: 300,
            seed: 3,
            today: day(2026, 11, 23),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let actor = actor(&db);
    let period = Period {
        from: day(2026, 1, 1),
        to: day(2026, 10, 31),
    };
    let f = figures::compute(&db, &actor, period).unwrap_or_else(|e| panic!("{e}"));
    let plain = Options {
        mask_small_counts: false,
        locale: "en".into(),
        records: true,
        exact_dates: true,
        ..Options::default()
    };

    // JSON: the named keys, plain integers.
    let json_path = dir.path().join("f.json");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Json,
        &json_path,
        &plain,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    for key in [
        "period",
        "unique_visitors",
        "new_visitors",
        "returning_visitors",
        "anonymous_visits",
        "visits",
        "services_total",
        "services_by_type",
        "services_by_provider",
        "countries_of_origin",
        "sex",
        "age_bands",
        "legal_status",
        "languages",
        "referrals",
        "accompaniments",
        "satisfaction",
        "participants",
        "monthly",
        "records",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["unique_visitors"].as_u64(), Some(f.unique_visitors));
    let records = json["records"].as_array().cloned().unwrap_or_default();
    assert_eq!(records.len() as u64, f.visits);

    // XLSX read back: the summary sheet's numbers are the JSON's.
    let xlsx_path = dir.path().join("f.xlsx");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Xlsx,
        &xlsx_path,
        &plain,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    use calamine::{Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&xlsx_path).unwrap_or_else(|e| panic!("{e}"));
    let names = book.sheet_names().to_vec();
    assert!(names.len() >= 20 && names[0] == "Summary", "{names:?}");
    let sheet = book
        .worksheet_range("Summary")
        .unwrap_or_else(|e| panic!("{e}"));
    let value_of = |label: &str| -> Option<f64> {
        sheet
            .rows()
            .find(|r| r.first().is_some_and(|c| *c == label))
            .and_then(|r| r.get(2))
            .and_then(|c| c.to_string().parse().ok())
    };
    assert_eq!(
        value_of("Unique visitors"),
        json["unique_visitors"].as_f64()
    );
    assert_eq!(value_of("Visits"), json["visits"].as_f64());
    assert_eq!(
        value_of("Services rendered"),
        json["services_total"].as_f64()
    );
    assert_eq!(
        value_of("Anonymous visits"),
        json["anonymous_visits"].as_f64()
    );

    // CSV: one file per table, with a byte-order mark; the records table uses pseudonyms.
    let csv_dir = dir.path().join("csv");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Csv,
        &csv_dir,
        &plain,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let records_csv = std::fs::read_to_string(csv_dir.join("records.csv")).unwrap_or_default();
    assert!(records_csv.starts_with('\u{FEFF}'));
    assert_eq!(records_csv.lines().count() as u64, f.visits + 1);

    // No names, bureau codes or phone numbers anywhere.
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let people: Vec<(String, String, String)> = conn
        .prepare("SELECT given_name, code, phone FROM visitors")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .unwrap_or_default();
    let mut everything = std::fs::read_to_string(&json_path).unwrap_or_default();
    for entry in std::fs::read_dir(&csv_dir).unwrap_or_else(|e| panic!("{e}")) {
        everything.push_str(
            &std::fs::read_to_string(entry.map(|e| e.path()).unwrap_or_default())
                .unwrap_or_default(),
        );
    }
    for (name, code, phone) in people {
        assert!(
            !everything.contains(&format!("\"{name}\""))
                && !everything.contains(&format!(",{name},")),
            "{name}"
        );
        assert!(!everything.contains(&code), "{code}");
        assert!(phone.is_empty() || !everything.contains(&phone), "{phone}");
    }

    // Pseudonyms stay the same across exports until the key is rotated, and a rotation takes
    // effect only with an export that lists pseudonyms and was written.
    let key = || figures::pseudonym_key(&db).unwrap_or_else(|e| panic!("{e}"));
    let before = key();
    assert_eq!(before, key());
    let rotate = Options {
        rotate_pseudonyms: true,
        ..plain.clone()
    };
    let no_records = dir.path().join("rotated.xlsx");
    let refused = export::write_to(
        &db,
        &actor,
        &f,
        Format::Xlsx,
        &no_records,
        &rotate,
        Overwrite::Refuse,
    );
    assert!(
        matches!(refused, Err(Error::NoPseudonymsToRotate)),
        "{refused:?}"
    );
    assert!(!no_records.exists());
    let failed = export::write_to(
        &db,
        &actor,
        &f,
        Format::Json,
        &json_path,
        &rotate,
        Overwrite::Refuse,
    );
    assert!(matches!(failed, Err(Error::Output(_))), "the file exists");
    assert_eq!(key(), before, "a failed export keeps the key");
    let rotated_path = dir.path().join("rotated.json");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Json,
        &rotated_path,
        &rotate,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let after = key();
    assert_ne!(after, before, "a written export rotates the key");
    let rotated: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&rotated_path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    let persons = |doc: &serde_json::Value| -> Vec<String> {
        doc["records"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["person"].as_str().map(str::to_owned))
            .filter(|p| !p.is_empty())
            .collect()
    };
    let (old, new) = (persons(&json), persons(&rotated));
    assert!(!new.is_empty() && new.iter().all(|p| !old.contains(p)));
    let under_new_key: HashSet<String> =
        (1..=400).map(|id| figures::pseudonym(&after, id)).collect();
    assert!(new.iter().all(|p| under_new_key.contains(p)));

    // Small counts are masked in the spreadsheet when asked.
    let masked = Options {
        mask_small_counts: true,
        locale: "bg".into(),
        ..Options::default()
    };
    let masked_path = dir.path().join("masked.xlsx");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Xlsx,
        &masked_path,
        &masked,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut book = open_workbook_auto(&masked_path).unwrap_or_else(|e| panic!("{e}"));
    // The counts: every column after the label and the code (marks 1–5 are labels).
    let mut hidden = 0;
    // A partner's sessions and days are about no person, and are never hidden.
    let not_people: Vec<String> = ["slots_offered", "days_offered", "days_served", "show_rate"]
        .iter()
        .map(|c| bureau_desk::translate("bg", &format!("report.column.{c}"), &[]))
        .collect();
    for (name, range) in book.worksheets() {
        let header: Vec<String> = range
            .rows()
            .nth(1)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        for row in range.rows().skip(2) {
            let label = row.first().map(|c| c.to_string()).unwrap_or_default();
            if label.is_empty() || label.contains(':') {
                continue; // the notes under the summary
            }
            for (column, cell) in row.iter().enumerate().skip(2) {
                if header.get(column).is_some_and(|h| not_people.contains(h)) {
                    continue;
                }
                let text = cell.to_string();
                assert!(
                    !["1", "2", "3", "4"].contains(&text.as_str()),
                    "no bare small count: {name}, {label}"
                );
                hidden += usize::from(matches!(cell, calamine::Data::Empty));
            }
        }
    }
    assert!(hidden > 0, "hidden counts are blank cells");
}

#[test]
fn the_printable_report_reads_back_in_bulgarian_with_small_counts_masked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, actor, f) = october_of_a_small_bureau(dir.path());
    let pdf_path = dir.path().join("report.pdf");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Pdf,
        &pdf_path,
        &Options {
            mask_small_counts: true,
            locale: "bg".into(),
            ..Options::default()
        },
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf_path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    // The key numbers, in Bulgarian and written the Bulgarian way; a hidden one says so.
    let hidden = bureau_desk::translate("bg", "report.hidden", &[]);
    let line = |key: &str, n: u64| {
        format!(
            "{}: ",
            bureau_desk::translate("bg", &format!("report.key.{key}"), &[]),
        ) + &if (1..5).contains(&n) {
            hidden.clone()
        } else {
            bureau_desk::domain::report::format_count(n, "bg")
        }
    };
    for (key, n) in [
        ("unique_visitors", f.unique_visitors),
        ("visits", f.visits),
        ("services_total", f.services_total),
        ("new_visitors", f.new_visitors),
        ("anonymous_visits", f.anonymous_visits),
    ] {
        let expected = line(key, n);
        let label = expected.split(':').next().unwrap_or_default().to_owned();
        assert!(
            text.lines().any(|l| l.trim() == expected)
                || text
                    .lines()
                    .any(|l| l.trim() == format!("{label}: {hidden}")),
            "{expected}\n{text}"
        );
    }
    if let Some(mean) = f.satisfaction.overall.mean {
        let dot = format!("{mean:.2}");
        let comma = dot.replace('.', ",");
        assert!(
            text.contains(&comma) || !text.contains(&dot),
            "a mean is written {comma} in Bulgarian"
        );
    }
    // Every table of the JSON has its table in the PDF, under its Bulgarian heading.
    for table in export::tables(&f) {
        let heading = bureau_desk::translate("bg", &format!("report.table.{}", table.name), &[]);
        if table.name != "summary" {
            assert!(text.contains(&heading), "{heading}\n{text}");
        }
    }
    assert!(
        text.contains("Услуги по вид") && text.contains("Информация и консултация"),
        "{text}"
    );
    assert!(text.contains(&hidden), "small counts are hidden: {text}");
    assert!(
        !text.contains("unknown") && !text.contains("<5"),
        "no English left in the Bulgarian report"
    );
}

#[test]
fn an_empty_period_says_so_instead_of_empty_headings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("empty.sqlite");
    let db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let actor = actor(&db);
    let f = figures::compute(
        &db,
        &actor,
        Period::month(2026, 10).unwrap_or_else(|| panic!("month")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = export::printed_report(
        &f,
        &Options {
            mask_small_counts: true,
            locale: "en".into(),
            ..Options::default()
        },
        "Bureau",
        &[],
    );
    assert!(report.sections.is_empty());
    assert_eq!(
        report.nothing_recorded.as_deref(),
        Some(bureau_desk::translate("en", "report.nothing_recorded", &[]).as_str())
    );
}

#[test]
fn cells_that_look_like_formulas_are_text_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("demo.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    demo::generate(
        &mut db,
        DemoOptions {
            visitors: 200,
            seed: 4,
            today: day(2026, 11, 23),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Every organisation gets a name that a spreadsheet would run.
    let attack = "=HYPERLINK(\"http://evil.example\",\"click\")";
    Connection::open(&path)
        .and_then(|c| {
            c.execute(
                "UPDATE organisations SET name_en = ?1 || id, name_bg = '@SUM(A1)' || id",
                [attack],
            )
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let actor = actor(&db);
    let period = Period {
        from: day(2026, 1, 1),
        to: day(2026, 10, 31),
    };
    let f = figures::compute(&db, &actor, period).unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        locale: "en".into(),
        ..Options::default()
    };
    let csv_dir = dir.path().join("csv");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Csv,
        &csv_dir,
        &options,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut quoted = 0;
    for entry in std::fs::read_dir(&csv_dir).unwrap_or_else(|e| panic!("{e}")) {
        let file = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let mut reader = csv::Reader::from_path(&file).unwrap_or_else(|e| panic!("{e}"));
        for record in reader.records() {
            for field in record.unwrap_or_else(|e| panic!("{e}")).iter() {
                assert!(
                    !field.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        || field.trim().parse::<f64>().is_ok(),
                    "{}: {field}",
                    file.display()
                );
                quoted += usize::from(field.starts_with(&format!("'{attack}")));
            }
        }
    }
    assert!(quoted > 0, "the providers' names are in the CSV, quoted");

    let xlsx_path = dir.path().join("f.xlsx");
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Xlsx,
        &xlsx_path,
        &options,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&xlsx_path).unwrap_or_else(|e| panic!("{e}"));
    let mut as_text = 0;
    for name in book.sheet_names().to_vec() {
        let formulas = book
            .worksheet_formula(&name)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}: no cell holds a formula"
        );
        let range = book
            .worksheet_range(&name)
            .unwrap_or_else(|e| panic!("{e}"));
        as_text += range
            .used_cells()
            .filter(|(_, _, cell)| matches!(cell, Data::String(s) if s.starts_with(attack)))
            .count();
    }
    assert!(as_text > 0, "the names are string cells, shown as typed");
}

/// A demo register of 300 people and its figures for October 2026.
fn october_of_a_small_bureau(dir: &std::path::Path) -> (Database, Actor, Figures) {
    let path = dir.join("demo.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    demo::generate(
        &mut db,
        DemoOptions {
            visitors: 300,
            seed: 5,
            today: day(2026, 11, 23),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let actor = actor(&db);
    let f = figures::compute(
        &db,
        &actor,
        Period::month(2026, 10).unwrap_or_else(|| panic!("month")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (db, actor, f)
}

#[test]
fn the_spreadsheet_hides_small_counts_so_that_no_sheet_gives_them_back() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, actor, f) = october_of_a_small_bureau(dir.path());
    let path = dir.path().join("october.xlsx");
    let options = Options {
        mask_small_counts: true,
        locale: "bg".into(),
        ..Options::default()
    };
    export::write_to(
        &db,
        &actor,
        &f,
        Format::Xlsx,
        &path,
        &options,
        Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The library's own check on the tables it wrote from.
    let tables = export::tables(&f);
    let hidden = export::disclosure::hidden_cells(&tables);
    assert!(
        !hidden.is_empty(),
        "a small bureau's month has small counts"
    );
    assert_eq!(export::disclosure::working_out(&tables, &hidden), None);

    // A reader's check on the file: in every breakdown sheet whose total the summary shows,
    // either nothing is blank, or at least two cells are and what they add up to (the total
    // less what is shown) is more than one a cell, so that no blank is fixed.
    use calamine::{Data, Reader, open_workbook_auto};
    let mut book = open_workbook_auto(&path).unwrap_or_else(|e| panic!("{e}"));
    let title = |table: &str| bureau_desk::translate("bg", &format!("report.table.{table}"), &[]);
    let summary = book
        .worksheet_range(&title("summary"))
        .unwrap_or_else(|e| panic!("{e}"));
    let total_of = |code: &str| -> Option<f64> {
        summary
            .rows()
            .find(|r| r.get(1).is_some_and(|c| *c == code))
            .and_then(|r| match r.get(2) {
                Some(Data::Float(x)) => Some(*x),
                Some(Data::Int(x)) => Some(*x as f64),
                _ => None,
            })
    };
    let mut checked = 0;
    for (table, total) in [
        ("services_by_type", "services_total"),
        ("countries_of_origin", "unique_visitors"),
        ("nationality", "unique_visitors"),
        ("sex", "unique_visitors"),
        ("age_bands", "unique_visitors"),
        ("legal_status", "unique_visitors"),
        ("languages", "unique_visitors"),
        ("visits_by_language", "visits"),
        ("consultations", "visits"),
        ("duration_bands", "visits"),
    ] {
        let Some(total) = total_of(total) else {
            continue;
        };
        let sheet = book
            .worksheet_range(&title(table))
            .unwrap_or_else(|e| panic!("{e}"));
        let (mut shown, mut blanks) = (0.0, 0);
        for row in sheet.rows().skip(2) {
            match row.get(2) {
                Some(Data::Float(x)) => shown += x,
                Some(Data::Int(x)) => shown += *x as f64,
                Some(Data::Empty) | None => blanks += 1,
                Some(other) => panic!("{table}: a count is {other:?}"),
            }
        }
        if blanks > 0 {
            assert!(blanks >= 2, "{table}: one blank is the total less the rest");
            assert!(
                total - shown > f64::from(blanks),
                "{table}: {blanks} blanks adding up to {} can only be ones",
                total - shown
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "some sheet hides counts");
}

#[test]
fn labels_follow_the_chosen_language_with_the_code_beside_them() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, actor, f) = october_of_a_small_bureau(dir.path());
    use calamine::{Reader, open_workbook_auto};
    for locale in ["bg", "en"] {
        let path = dir.path().join(format!("{locale}.xlsx"));
        let options = Options {
            mask_small_counts: false,
            locale: locale.into(),
            ..Options::default()
        };
        export::write_to(
            &db,
            &actor,
            &f,
            Format::Xlsx,
            &path,
            &options,
            Overwrite::Refuse,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut book = open_workbook_auto(&path).unwrap_or_else(|e| panic!("{e}"));
        let title =
            |table: &str| bureau_desk::translate(locale, &format!("report.table.{table}"), &[]);
        let label_of = |book: &mut calamine::Sheets<_>, table: &str, code: &str| -> String {
            book.worksheet_range(&title(table))
                .unwrap_or_else(|e| panic!("{table}: {e}"))
                .rows()
                .find(|r| r.get(1).is_some_and(|c| *c == code))
                .and_then(|r| r.first().map(ToString::to_string))
                .unwrap_or_default()
        };
        // The same code, two meanings: a service and a legal status.
        for (table, code, key) in [
            (
                "services_by_type",
                "humanitarian",
                "slip.services.humanitarian",
            ),
            ("legal_status", "humanitarian", "legal_status.humanitarian"),
            ("countries_of_origin", "SY", ""),
        ] {
            if !f
                .services_by_type
                .iter()
                .chain(&f.legal_status)
                .chain(&f.countries_of_origin)
                .any(|c| c.key == code)
            {
                continue;
            }
            let label = label_of(&mut book, table, code);
            if key.is_empty() {
                assert_eq!(
                    label,
                    if locale == "bg" {
                        "Сирия"
                    } else {
                        "Syria"
                    }
                );
            } else {
                assert_eq!(label, bureau_desk::translate(locale, key, &[]), "{table}");
            }
        }
        // An organisation in the workbook's language.
        let provider = f
            .services_by_provider
            .first()
            .map(|c| c.key.clone())
            .unwrap_or_default();
        let named = bureau_desk::db::organisations::list(&db)
            .unwrap_or_default()
            .into_iter()
            .find(|o| o.details.name_en == provider)
            .map(|o| o.name(locale).to_owned())
            .unwrap_or_default();
        assert_eq!(
            label_of(&mut book, "services_by_provider", &provider),
            named
        );
        let bands = book
            .worksheet_range(&title("age_bands"))
            .unwrap_or_else(|e| panic!("{e}"));
        // No age is "unknown": why not is said, each answer apart.
        for answer in ["not_asked", "doesnt_know", "refused"] {
            let label = bands
                .rows()
                .find(|r| r.get(1).is_some_and(|c| *c == answer))
                .and_then(|r| r.first().map(ToString::to_string))
                .unwrap_or_default();
            assert_eq!(
                label,
                bureau_desk::translate(locale, &format!("answer.{answer}"), &[])
            );
        }
    }
}

#[test]
fn the_csv_folder_says_its_period_and_labels_and_hides_like_the_spreadsheet() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, actor, f) = october_of_a_small_bureau(dir.path());
    let read = |folder: &std::path::Path, file: &str| -> Vec<csv::StringRecord> {
        csv::Reader::from_path(folder.join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"))
            .records()
            .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
            .collect()
    };
    let mut labels = Vec::new();
    for locale in ["bg", "en"] {
        let folder = dir.path().join(format!("csv-{locale}"));
        let options = Options {
            mask_small_counts: true,
            locale: locale.into(),
            ..Options::default()
        };
        export::write_to(
            &db,
            &actor,
            &f,
            Format::Csv,
            &folder,
            &options,
            Overwrite::Refuse,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let period = read(&folder, "period.csv");
        assert_eq!(&period[0][0], "2026-10-01");
        assert_eq!(&period[0][1], "2026-10-31");
        assert_eq!(&period[0][3], locale);
        assert_eq!(
            &period[0][4],
            bureau_desk::translate(locale, "report.hidden_note", &[])
        );
        let countries = read(&folder, "countries_of_origin.csv");
        labels.push(countries[0][1].to_owned());
        // A hidden count is an empty field named in the row's `hidden` column.
        let hidden: Vec<_> = countries.iter().filter(|r| r[2].is_empty()).collect();
        assert!(hidden.iter().all(|r| &r[3] == "count"));
        let small = f
            .countries_of_origin
            .iter()
            .any(|c| (1..5).contains(&c.count));
        assert_eq!(!hidden.is_empty(), small);
        assert!(
            !folder.join("records.csv").exists(),
            "records only when asked"
        );
    }
    assert_ne!(labels[0], labels[1], "--lang changes the labels");
}

#[test]
fn records_are_asked_for_and_single_nobody_out_by_a_rare_country_or_a_day() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (db, actor, f) = october_of_a_small_bureau(dir.path());
    let json = |name: &str, options: &Options| -> serde_json::Value {
        let path = dir.path().join(name);
        export::write_to(
            &db,
            &actor,
            &f,
            Format::Json,
            &path,
            options,
            Overwrite::Refuse,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let plain = Options {
        locale: "en".into(),
        mask_small_counts: true,
        ..Options::default()
    };
    let figures_only = json("figures.json", &plain);
    assert!(figures_only.get("records").is_none());
    assert!(
        figures_only["hidden_in_published_tables"]
            .as_array()
            .is_some_and(|cells| !cells.is_empty()),
        "the JSON lists what the other formats hide"
    );
    let with_records = json(
        "records.json",
        &Options {
            records: true,
            ..plain.clone()
        },
    );
    let records = with_records["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(records.len() as u64, f.visits);
    let rare: Vec<&str> = f
        .countries_of_origin
        .iter()
        .filter(|c| c.count < 5)
        .map(|c| c.key.as_str())
        .collect();
    assert!(!rare.is_empty(), "the month has a rare country");
    for record in &records {
        assert_eq!(record["date"].as_str(), Some("2026-10"));
        let country = record["country_of_origin"].as_str().unwrap_or_default();
        assert!(!rare.contains(&country), "{country} names a rare country");
    }
    let exact = json(
        "exact.json",
        &Options {
            records: true,
            exact_dates: true,
            ..plain
        },
    );
    assert!(
        exact["records"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["date"].as_str().is_some_and(|d| d.len() == 10))
    );
}
