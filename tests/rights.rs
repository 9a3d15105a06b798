//! The person's rights: consent withdrawn changes the next slip; an erased person leaves every
//! figure as it was and no trace of their name in the search index, in exports or in the raw
//! file; retention finds and anonymises the right people.

use std::path::Path;

use bureau_desk::db::{
    self, Database, OpenMode, audit, consents, erasure, figures, referrals, staff, visitors, visits,
};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::figures::Period;
use bureau_desk::domain::referrals::ReferralDraft;
use bureau_desk::domain::{
    Actor, ConsentScope, NewVisit, OrganisationId, Role, ServiceLine, ServiceTypeId, VisitId,
    VisitorDraft, VisitorId,
};
use bureau_desk::export::subject::{SubjectFormat, write_subject};
use bureau_desk::export::{self, Format, Options};
use bureau_desk::output::Overwrite;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::Connection;

fn ok<T>(result: db::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("{y}-{m}-{d}"))
}

fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default()
}

fn stamp(date: NaiveDate, hour: u32) -> String {
    at(date, hour).format("%Y-%m-%dT%H:%M").to_string()
}

/// The name, phone and notes of the person who asks to be forgotten: text found nowhere else.
const GIVEN: &str = "Зорница";
const FAMILY: &str = "Кварцова";
const LATIN: &str = "Zornitsa";
const PHONE: &str = "0899 765 432";
const NOTE: &str = "бележка за изтриването";
const REASON: &str = "причина за насочването";

/// Registers the person with consent to share, two visits with notes in two months and a
/// referral with a reason.
fn register(db: &mut Database, desk: &Actor) -> (VisitorId, VisitId) {
    let new = VisitorDraft {
        given_name: GIVEN.into(),
        family_name: FAMILY.into(),
        given_name_latin: LATIN.into(),
        family_name_latin: "Kvartsova".into(),
        phone: PHONE.into(),
        birth: "14.03.1990".into(),
        consents: vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals],
        consent_date: "02.09.2026".into(),
        ..Default::default()
    }
    .validate(day(2026, 9, 2))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let id = ok(visitors::insert(db, desk, &new, &stamp(day(2026, 9, 2), 9))).id;
    let mut last = None;
    for date in [day(2026, 9, 2), day(2026, 10, 14)] {
        let visit = NewVisit {
            visitor: Some(id),
            at: at(date, 10),
            staff: desk.staff_id,
            language: "bg".into(),
            interpreter: false,
            duration_minutes: Some(20),
            services: vec![ServiceLine {
                service_type: ServiceTypeId(1),
                provider: OrganisationId(1),
            }],
            notes: NOTE.into(),
        };
        last = Some(ok(visits::insert(db, desk, &visit, &stamp(date, 10))));
    }
    let visit = last.unwrap_or_else(|| panic!("a visit"));
    let referral = ReferralDraft {
        visit: Some(visit),
        organisation: Some(OrganisationId(1)),
        service_type: Some(ServiceTypeId(2)),
        reason: REASON.into(),
        ..Default::default()
    }
    .validate(day(2026, 10, 14))
    .unwrap_or_else(|e| panic!("{e:?}"));
    ok(referrals::insert_referral(
        db,
        desk,
        &referral,
        at(day(2026, 10, 14), 11),
    ));
    (id, visit)
}

fn demo_file(path: &Path) -> (Database, Actor) {
    let mut db = ok(Database::open(path, OpenMode::CreateIfMissing));
    ok(demo::generate(
        &mut db,
        DemoOptions {
            visitors: 300,
            seed: 17,
            today: day(2026, 11, 23),
        },
    ));
    let coordinator = ok(staff::insert(
        &mut db,
        "Координатор",
        Role::Coordinator,
        "2026-11-23T09:00",
    ))
    .actor();
    (db, coordinator)
}

/// A plain connection to the (unencrypted) test file, to look at its rows as they are.
fn raw(path: &Path) -> Connection {
    Connection::open(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Every month with visits, each whole year, and the whole span.
fn periods(path: &Path) -> Vec<Period> {
    let first: String = raw(path)
        .query_row("SELECT min(visited_at) FROM visits", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    let first = day(
        first[..4].parse().unwrap_or(2026),
        first[5..7].parse().unwrap_or(1),
        1,
    );
    let mut periods = Vec::new();
    let mut month = first;
    while month <= day(2026, 11, 1) {
        periods.push(Period::month(month.year(), month.month()).unwrap_or_else(|| panic!("month")));
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or_else(|| panic!("next month"));
    }
    for year in first.year()..=2026 {
        periods.push(Period {
            from: day(year, 1, 1),
            to: day(year, 12, 31),
        });
    }
    periods.push(Period {
        from: first,
        to: day(2026, 11, 30),
    });
    periods
}

/// Everything in the file and its write-ahead log, as bytes.
fn raw_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap_or_default();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(wal).unwrap_or_default());
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn erasure_keeps_every_figure_and_leaves_no_trace_of_the_person() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let (mut db, coordinator) = demo_file(&path);
    let (person, _) = register(&mut db, &coordinator);
    // Three people of the demo with the most visits go too, with their birth years and notes.
    let mut erased: Vec<VisitorId> = raw(&path)
        .prepare(
            "SELECT visitor_id FROM visits WHERE visitor_id IS NOT NULL
             GROUP BY visitor_id ORDER BY count(*) DESC, visitor_id LIMIT 3",
        )
        .and_then(|mut s| s.query_map([], |r| Ok(VisitorId(r.get(0)?)))?.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    erased.push(person);

    let periods = periods(&path);
    let key = [9u8; 32];
    let before: Vec<_> = periods
        .iter()
        .map(|p| {
            (
                ok(figures::compute(&db, &coordinator, *p)),
                ok(figures::records(&db, &coordinator, *p, &key)),
            )
        })
        .collect();

    // An unsaved visit form about the person, kept as a draft.
    ok(bureau_desk::db::drafts::keep(
        &db,
        &coordinator,
        bureau_desk::db::drafts::DraftForm::Visit,
        Some(person),
        &format!("{{\"notes\":\"{NOTE} {GIVEN}\"}}"),
        "2026-11-23T11:00",
    ));

    // The raw file holds the person before (so the scan below would see them).
    Connection::open(&path)
        .and_then(|c| c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())))
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = raw_bytes(&path);
    for text in [GIVEN, FAMILY, LATIN, NOTE, REASON] {
        assert!(holds(&bytes, text), "{text} is in the file before erasure");
    }

    let now = at(day(2026, 11, 23), 12);
    for id in &erased {
        let code = ok(erasure::erase(&mut db, &coordinator, *id, None, now));
        assert!(code.starts_with("ERASED-"), "{code}");
    }

    for (period, (figures_before, records_before)) in periods.iter().zip(&before) {
        assert_eq!(
            &ok(figures::compute(&db, &coordinator, *period)),
            figures_before,
            "figures of {period:?}"
        );
        assert_eq!(
            &ok(figures::records(&db, &coordinator, *period, &key)),
            records_before,
            "records of {period:?}"
        );
    }

    // Never found, never shown.
    for query in [GIVEN, "зорн", "zornitsa", "Kvartsova", "765432", "B-"] {
        let hits = ok(visitors::search(&db, &coordinator, query, 50));
        assert!(
            hits.iter().all(|h| !erased.contains(&h.id)),
            "{query} finds an erased person"
        );
    }
    let code = format!("B-{:06}", person.0);
    assert!(ok(visitors::search(&db, &coordinator, &code, 5)).is_empty());
    assert!(matches!(
        visitors::find(&mut db, &coordinator, person, "2026-11-23T12:05"),
        Err(db::Error::NotFound)
    ));
    let index_rows: i64 = raw(&path)
        .query_row(
            "SELECT (SELECT count(*) FROM visitor_search WHERE rowid = ?1)
                  + (SELECT count(*) FROM visitor_name_words WHERE visitor_id = ?1)",
            [person.0],
            |r| r.get(0),
        )
        .unwrap_or(-1);
    assert_eq!(index_rows, 0, "no search index rows are left");
    let drafts_left: i64 = raw(&path)
        .query_row(
            "SELECT count(*) FROM drafts WHERE visitor_id = ?1",
            [person.0],
            |r| r.get(0),
        )
        .unwrap_or(-1);
    assert_eq!(drafts_left, 0, "no draft about the person is left");
    let entry = &ok(audit::latest(&db, 1))[0];
    assert_eq!(
        (entry.action.as_str(), entry.entity_id),
        ("erase", Some(person.0))
    );

    // Not in an export: the text ones are read as they are (the spreadsheet and the PDF are
    // drawn from the same figures and records).
    let year = Period {
        from: day(2026, 1, 1),
        to: day(2026, 12, 31),
    };
    let f = ok(figures::compute(&db, &coordinator, year));
    for format in [Format::Json, Format::Csv] {
        let out = dir.path().join(export::default_name(&f, format));
        let options = Options {
            locale: "bg".into(),
            ..Options::default()
        };
        ok(export::write_to(
            &db,
            &coordinator,
            &f,
            format,
            &out,
            &options,
            Overwrite::Refuse,
        ));
        let bytes: Vec<u8> = if out.is_dir() {
            std::fs::read_dir(&out)
                .into_iter()
                .flatten()
                .flatten()
                .flat_map(|f| std::fs::read(f.path()).unwrap_or_default())
                .collect()
        } else {
            std::fs::read(&out).unwrap_or_default()
        };
        assert!(!bytes.is_empty(), "{format:?} written");
        for text in [GIVEN, LATIN, NOTE, REASON, &code] {
            assert!(!holds(&bytes, text), "{text} in the {format:?} export");
        }
    }

    // Not in the raw file, nor in its log.
    drop(db);
    let bytes = raw_bytes(&path);
    for text in [
        GIVEN,
        FAMILY,
        LATIN,
        "zornitsa",
        "Kvartsova",
        PHONE,
        "899765432",
        NOTE,
        REASON,
    ] {
        assert!(!holds(&bytes, text), "{text} is still in the raw file");
    }
}

#[test]
fn a_slip_printed_after_sharing_was_withdrawn_carries_only_the_code() {
    let mut db = ok(Database::open_in_memory());
    let desk = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Desk,
        "2026-09-01T09:00",
    ))
    .actor();
    let (person, visit) = register(&mut db, &desk);
    let referral = ok(referrals::referrals_for_visitor(&db, &desk, person))[0].id;
    let printed = ok(referrals::referral_slip(
        &mut db,
        &desk,
        referral,
        at(day(2026, 10, 14), 12),
    ));
    assert_eq!(printed.visitor_given_name.as_deref(), Some(GIVEN));

    ok(consents::record(
        &mut db,
        &desk,
        person,
        (ConsentScope::ShareWithReferrals, false),
        day(2026, 10, 20),
        at(day(2026, 10, 20), 9),
    ));
    let again = ok(referrals::referral_slip(
        &mut db,
        &desk,
        referral,
        at(day(2026, 10, 20), 10),
    ));
    assert_eq!(
        again.visitor_given_name, None,
        "issued before, printed after"
    );
    assert_eq!(again.visitor_code, printed.visitor_code);
    let draft = ReferralDraft {
        visit: Some(visit),
        organisation: Some(OrganisationId(1)),
        service_type: Some(ServiceTypeId(2)),
        ..Default::default()
    }
    .validate(day(2026, 10, 20))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let new = ok(referrals::insert_referral(
        &mut db,
        &desk,
        &draft,
        at(day(2026, 10, 20), 11),
    ));
    let slip = ok(referrals::referral_slip(
        &mut db,
        &desk,
        new,
        at(day(2026, 10, 20), 12),
    ));
    assert_eq!(slip.visitor_given_name, None, "issued after");
}

#[test]
fn retention_counts_and_anonymises_only_the_people_past_the_limit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let mut db = ok(Database::open(&path, OpenMode::CreateIfMissing));
    let admin = ok(staff::insert(
        &mut db,
        "Admin",
        Role::Admin,
        "2019-01-01T09:00",
    ))
    .actor();
    let person = |db: &mut Database, name: &str, registered: NaiveDate| {
        let new = VisitorDraft {
            given_name: name.into(),
            ..Default::default()
        }
        .validate(registered)
        .unwrap_or_else(|e| panic!("{e:?}"));
        ok(visitors::insert(db, &admin, &new, &stamp(registered, 9))).id
    };
    let visit = |db: &mut Database, who: VisitorId, date: NaiveDate| {
        let new = NewVisit {
            visitor: Some(who),
            at: at(date, 10),
            staff: admin.staff_id,
            language: "bg".into(),
            interpreter: false,
            duration_minutes: None,
            services: vec![ServiceLine {
                service_type: ServiceTypeId(1),
                provider: OrganisationId(1),
            }],
            notes: String::new(),
        };
        ok(visits::insert(db, &admin, &new, &stamp(date, 10)));
    };
    // Last seen in 2019 and 2020: past five years on 2026-12-02. Seen again in 2024: kept, even
    // though registered in 2019. Registered in 2020 and never seen: past. Last seen the day
    // the limit falls on: kept.
    let old = person(&mut db, "Стар", day(2019, 3, 1));
    visit(&mut db, old, day(2019, 3, 1));
    let older = person(&mut db, "Друг", day(2020, 5, 1));
    visit(&mut db, older, day(2020, 6, 1));
    let back = person(&mut db, "Върнал", day(2019, 4, 1));
    visit(&mut db, back, day(2019, 4, 1));
    visit(&mut db, back, day(2024, 2, 1));
    let never = person(&mut db, "Никога", day(2020, 8, 1));
    let edge = person(&mut db, "Ръб", day(2021, 12, 2));
    visit(&mut db, edge, day(2021, 12, 2));

    let today = day(2026, 12, 2);
    let review = ok(erasure::review(&db, &admin, today, 5));
    assert_eq!(review.before, day(2021, 12, 2));
    assert_eq!(review.by_year, [(2019, 1), (2020, 2)]);
    assert_eq!(review.total(), 3);

    let done = ok(erasure::apply(&mut db, &admin, today, 5, at(today, 12)));
    assert_eq!(done, 3);
    for (who, kept) in [
        (old, false),
        (older, false),
        (never, false),
        (back, true),
        (edge, true),
    ] {
        let found = visitors::find(&mut db, &admin, who, "2026-12-02T12:01");
        assert_eq!(found.is_ok(), kept, "{who:?}");
    }
    assert_eq!(ok(erasure::review(&db, &admin, today, 5)).total(), 0);
    let entries = ok(audit::latest(&db, 10));
    assert!(
        entries
            .iter()
            .any(|e| e.action == "retention" && e.detail == "years=5 people=3")
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "erase" && e.detail == "retention")
            .count(),
        3
    );
}

#[test]
fn the_subject_access_copy_holds_every_visit_of_the_person_and_nothing_of_another() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let mut db = ok(Database::open(&path, OpenMode::CreateIfMissing));
    let desk = ok(staff::insert(
        &mut db,
        "Мария Иванова",
        Role::Desk,
        "2026-09-01T09:00",
    ))
    .actor();
    let (person, _) = register(&mut db, &desk);
    // Someone else, seen the same day.
    let other = VisitorDraft {
        given_name: "Олександра".into(),
        family_name: "Другова".into(),
        ..Default::default()
    }
    .validate(day(2026, 9, 2))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let other = ok(visitors::insert(&mut db, &desk, &other, "2026-09-02T11:00")).id;
    let visit = NewVisit {
        visitor: Some(other),
        at: at(day(2026, 9, 2), 11),
        staff: desk.staff_id,
        language: "uk".into(),
        interpreter: false,
        duration_minutes: None,
        services: vec![ServiceLine {
            service_type: ServiceTypeId(1),
            provider: OrganisationId(1),
        }],
        notes: "чужда бележка".into(),
    };
    ok(visits::insert(&mut db, &desk, &visit, "2026-09-02T11:00"));
    ok(visitors::find(&mut db, &desk, person, "2026-10-15T09:00"));
    // The other is the person's sister: the copy says the person is in a family of two, not
    // who the other is.
    ok(bureau_desk::db::households::link(
        &mut db,
        &desk,
        person,
        other,
        bureau_desk::domain::households::Relation::Sibling,
        "2026-10-15T09:05",
    ));

    let now = at(day(2026, 11, 23), 12);
    let json_path = dir.path().join("subject.json");
    let pdf_path = dir.path().join("subject.pdf");
    for (format, out) in [
        (SubjectFormat::Json, &json_path),
        (SubjectFormat::Pdf, &pdf_path),
    ] {
        ok(write_subject(
            &db,
            &desk,
            person,
            format,
            Some("ar"),
            out,
            Overwrite::Refuse,
            now,
        ));
    }

    let text = std::fs::read_to_string(&json_path).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["identity"]["given_name"], GIVEN);
    assert_eq!(json["identity"]["phone"], PHONE);
    assert_eq!(
        json["identity"]["household"],
        serde_json::json!({"relation": "contact", "others": 1})
    );
    let visits = json["visits"].as_array().cloned().unwrap_or_default();
    assert_eq!(visits.len(), 2, "every visit");
    for visit in &visits {
        assert_eq!(visit["notes"], NOTE);
        assert_eq!(visit["recorded_by"], "Мария", "first names only");
        assert_eq!(visit["services"][0]["service"], "information");
    }
    assert_eq!(json["referrals"][0]["reason"], REASON);
    assert_eq!(json["consents"].as_array().map(Vec::len), Some(2));
    let actions: Vec<String> = json["audit"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| format!("{} {}", e["action"], e["entity"]))
        .collect();
    for expected in [
        "\"create\" \"visitors\"",
        "\"create\" \"visits\"",
        "\"create\" \"referrals\"",
        "\"view\" \"visitors\"",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
    assert!(
        !text.contains("Олександра") && !text.contains("чужда"),
        "nothing of another"
    );
    assert!(!text.contains("Иванова"), "first names only");

    let pdf = crate::slips::extract(
        &std::fs::read(&pdf_path).unwrap_or_default(),
        dir.path(),
        "read",
    );
    for expected in [
        GIVEN,
        FAMILY,
        NOTE,
        REASON,
        "02.09.2026 10:00",
        "14.10.2026 10:00",
        "Какво пази бюрото за вас",
        "ما يحتفظ به المكتب عنك",
        "Семейство: лице за контакт · други членове: 1",
    ] {
        assert!(pdf.contains(expected), "{expected} in the PDF:\n{pdf}");
    }
    assert!(
        !pdf.contains("Олександра") && !pdf.contains("чужда"),
        "nothing of another"
    );

    let given: Vec<String> = ok(audit::latest(&db, 2))
        .into_iter()
        .map(|e| format!("{} {}", e.action, e.detail))
        .collect();
    assert_eq!(given, ["subject_access pdf", "subject_access json"]);
    let coordinator = ok(staff::insert(
        &mut db,
        "Коорд",
        Role::Coordinator,
        "2026-11-23T12:00",
    ));
    ok(erasure::erase(
        &mut db,
        &coordinator.actor(),
        person,
        None,
        now,
    ));
    let again = dir.path().join("again.json");
    assert!(matches!(
        write_subject(
            &db,
            &desk,
            person,
            SubjectFormat::Json,
            None,
            &again,
            Overwrite::Refuse,
            now
        ),
        Err(db::Error::NotFound)
    ));
    assert!(!again.exists(), "an erased person is never exported");
}
