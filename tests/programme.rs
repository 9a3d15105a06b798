//! The month's programme and households: storage, copying a month, the checks, who is in
//! today, the printed poster in every language, and the new figures against hand counts.

use std::process::Command;

use bureau_desk::db::{self, Database, OpenMode, households, programme, staff, visitors, visits};
use bureau_desk::domain::households::Relation;
use bureau_desk::domain::programme::{Flag, Month, SlotForm};
use bureau_desk::domain::slips::{Place, SLIP_LANGUAGES};
use bureau_desk::domain::{
    Actor, NewVisit, OrganisationId, Role, ServiceLine, ServiceTypeId, VisitorDraft, VisitorId,
};
use bureau_desk::slip::programme::{Poster, PosterPaper, render};
use chrono::{NaiveDate, NaiveDateTime};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
}

fn at(d: u32, time: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(&format!("2026-12-{d:02} {time}"), "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn december() -> Month {
    Month::parse("2026-12").unwrap_or_else(|| panic!("a month"))
}

fn people(db: &mut Database) -> (Actor, Actor) {
    let coordinator = staff::insert(db, "Десислава", Role::Coordinator, "2026-11-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"))
        .actor();
    let desk = staff::insert(db, "Елена", Role::Desk, "2026-11-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"))
        .actor();
    (coordinator, desk)
}

fn service(db: &Database, code: &str) -> ServiceTypeId {
    db::catalogue::service_types(db)
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.code == code)
        .map_or(ServiceTypeId(0), |s| s.id)
}

/// A slot typed as on the programme screen.
fn slot(
    organisation: i64,
    service: ServiceTypeId,
    weekday: Option<u8>,
    days: (&str, &str),
    hours: (&str, &str),
    languages: &str,
    place: &str,
) -> SlotForm {
    SlotForm {
        organisation: Some(OrganisationId(organisation)),
        services: vec![service],
        weekday,
        weeks: days.0.into(),
        dates: days.1.into(),
        starts: hours.0.into(),
        ends: hours.1.into(),
        languages: languages.into(),
        place: place.into(),
        note: String::new(),
    }
}

fn save(db: &mut Database, actor: &Actor, month: Month, form: &SlotForm) -> i64 {
    let draft = form.validate(month).unwrap_or_else(|e| panic!("{e:?}"));
    programme::save_slot(db, actor, month, None, &draft, "2026-11-20T10:00")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// November 2026: a lawyer (the bureau, id 1) every Tuesday, the Red Cross (id 2) on the first
/// and third Thursdays, and an extra session on the 27th.
fn november(db: &mut Database, coordinator: &Actor) -> Month {
    let month = december().previous();
    let legal = service(db, "legal");
    let humanitarian = service(db, "humanitarian");
    save(
        db,
        coordinator,
        month,
        &slot(
            1,
            legal,
            Some(2),
            ("", ""),
            ("09:00", "12:00"),
            "fa ar",
            "Стая 1",
        ),
    );
    save(
        db,
        coordinator,
        month,
        &slot(
            2,
            humanitarian,
            Some(4),
            ("1 3", ""),
            ("10:00", "13:00"),
            "uk",
            "Стая 2",
        ),
    );
    save(
        db,
        coordinator,
        month,
        &slot(
            2,
            humanitarian,
            None,
            ("", "27"),
            ("14:00", "15:00"),
            "",
            "",
        ),
    );
    month
}

#[test]
fn a_month_is_copied_from_the_one_before_and_edited_by_a_coordinator_only() {
    let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let (coordinator, desk) = people(&mut db);
    let previous = november(&mut db, &coordinator);
    // The desk reads the programme but may not change it.
    let legal = service(&db, "legal");
    let draft = slot(1, legal, Some(1), ("", ""), ("09:00", "10:00"), "bg", "")
        .validate(december())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(
        programme::save_slot(&mut db, &desk, december(), None, &draft, "2026-11-30T09:00"),
        Err(db::Error::Forbidden(_))
    ));
    let copied = programme::copy_previous_month(&mut db, &coordinator, december(), "2026-11-30")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        copied, 2,
        "the weekly slots; the extra session stays in November"
    );
    let december_programme = programme::month(&db, december()).unwrap_or_else(|e| panic!("{e}"));
    let november_programme = programme::month(&db, previous).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(november_programme.slots.len(), 3, "November is as it was");
    for (copy, original) in december_programme
        .slots
        .iter()
        .zip(november_programme.slots.iter())
    {
        assert_eq!(copy.draft, original.draft);
        assert_ne!(copy.id, original.id);
    }
    // A second copy would double the month: refused.
    assert!(matches!(
        programme::copy_previous_month(&mut db, &coordinator, december(), "2026-11-30"),
        Err(db::Error::ProgrammeNotEmpty)
    ));
    // Edit: the lawyer moves to the afternoon; a day off and a holiday.
    let lawyer = december_programme.slots[0].clone();
    let mut form = SlotForm::from_slot(&lawyer);
    form.starts = "13:00".into();
    form.ends = "16:00".into();
    let edited = form
        .validate(december())
        .unwrap_or_else(|e| panic!("{e:?}"));
    programme::save_slot(
        &mut db,
        &coordinator,
        december(),
        Some(lawyer.id),
        &edited,
        "2026-11-30T10:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    programme::add_day_off(&mut db, &coordinator, day(8), Some(lawyer.id), "", "x")
        .unwrap_or_else(|e| panic!("{e}"));
    programme::add_day_off(&mut db, &coordinator, day(29), None, "", "x")
        .unwrap_or_else(|e| panic!("{e}"));
    // A slot's day off must fall in its month.
    assert!(
        programme::add_day_off(
            &mut db,
            &coordinator,
            day(8) - chrono::Days::new(30),
            Some(lawyer.id),
            "",
            "x"
        )
        .is_err()
    );
    let month = programme::month(&db, december()).unwrap_or_else(|e| panic!("{e}"));
    let tuesdays: Vec<u32> = month
        .sessions()
        .iter()
        .filter(|s| s.slot.id == lawyer.id)
        .map(|s| chrono::Datelike::day(&s.day))
        .collect();
    assert_eq!(tuesdays, [1, 15, 22], "8th cancelled, 29th closed");
    assert_eq!(month.slots[0].draft.starts.to_string(), "13:00:00");
    // Removing a slot takes its days off with it.
    programme::delete_slot(&mut db, &coordinator, lawyer.id, "x").unwrap_or_else(|e| panic!("{e}"));
    let month = programme::month(&db, december()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(month.slots.len(), 1);
    assert_eq!(month.days_off.len(), 1, "the holiday stays");
}

#[test]
fn overlaps_in_one_room_and_slots_without_a_language_are_flagged_and_today_is_listed() {
    let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let (coordinator, _) = people(&mut db);
    let legal = service(&db, "legal");
    let a = save(
        &mut db,
        &coordinator,
        december(),
        &slot(
            1,
            legal,
            Some(2),
            ("", ""),
            ("09:00", "12:00"),
            "fa",
            "Стая 1",
        ),
    );
    let b = save(
        &mut db,
        &coordinator,
        december(),
        &slot(2, legal, None, ("", "15"), ("11:30", "13:00"), "", "стая 1"),
    );
    let c = save(
        &mut db,
        &coordinator,
        december(),
        &slot(
            2,
            legal,
            Some(2),
            ("", ""),
            ("12:00", "14:00"),
            "ar",
            "Стая 1",
        ),
    );
    let month = programme::month(&db, december()).unwrap_or_else(|e| panic!("{e}"));
    let flags = month.flags();
    assert!(flags.contains(&Flag::NoLanguage { slot: b }));
    assert!(flags.contains(&Flag::Overlap {
        day: day(15),
        place: "Стая 1".into(),
        first: a,
        second: b,
    }));
    assert!(flags.iter().any(|f| matches!(f, Flag::Overlap { first, second, .. } if *first == b.min(c) && *second == b.max(c))));
    // a (ends 12:00) and c (starts 12:00) follow each other: no overlap.
    assert!(
        !flags.iter().any(
            |f| matches!(f, Flag::Overlap { first, second, .. } if *first == a && *second == c)
        )
    );
    // Tuesday the 15th at 11:45: a and b are on, c is later.
    let today = month.at_the_bureau(at(15, "11:45"));
    let ids = |s: &[bureau_desk::domain::programme::Session<'_>]| -> Vec<i64> {
        s.iter().map(|s| s.slot.id).collect()
    };
    assert_eq!(ids(&today.now), [a, b]);
    assert_eq!(ids(&today.later), [c]);
    let evening = month.at_the_bureau(at(15, "18:00"));
    assert!(evening.now.is_empty() && evening.later.is_empty());
    let next = bureau_desk::domain::programme::next_session(
        std::slice::from_ref(&month),
        OrganisationId(2),
        at(15, "13:30"),
    );
    assert_eq!(next.map(|s| (s.day, s.slot.id)), Some((day(22), c)));
}

fn bureau() -> Place {
    Place {
        name_bg: "Бюро за информация и услуги".into(),
        name_en: "Information and Services Bureau".into(),
        address_bg: "ул. „Пиротска“ 5, София".into(),
        address_en: "5 Pirotska St, Sofia".into(),
        hours_bg: String::new(),
        hours_en: String::new(),
        phone: "+359 2 000 0000".into(),
    }
}

fn tr(language: &str, key: &str) -> String {
    bureau_desk::translate(language, key, &[])
}

#[test]
fn the_poster_reads_back_in_every_language_alone_and_beside_bulgarian() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let (coordinator, _) = people(&mut db);
    november(&mut db, &coordinator);
    programme::copy_previous_month(&mut db, &coordinator, december(), "x")
        .unwrap_or_else(|e| panic!("{e}"));
    programme::add_day_off(&mut db, &coordinator, day(24), None, "", "x")
        .unwrap_or_else(|e| panic!("{e}"));
    let month = programme::month(&db, december()).unwrap_or_else(|e| panic!("{e}"));
    let organisations = db::organisations::list(&db).unwrap_or_default();
    let services = db::catalogue::service_types(&db).unwrap_or_default();
    let place = bureau();
    let poster = Poster {
        programme: &month,
        organisations: &organisations,
        services: &services,
        bureau: &place,
    };
    for language in SLIP_LANGUAGES {
        for (second, paper) in [(None, PosterPaper::A4), (Some("bg"), PosterPaper::A3)] {
            let pdf = render(&poster, language, second, paper).unwrap_or_else(|e| panic!("{e}"));
            assert!(pdf.len() <= 200_000, "{language}: {} bytes", pdf.len());
            let text = crate::slips::extract(&pdf, dir.path(), language);
            let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let expect = |words: String| {
                let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(
                    flowing.contains(&words),
                    "{language} {second:?}: {words}\n{text}"
                );
            };
            expect(format!(
                "{} — {} 2026",
                tr(language, "slip.poster.title"),
                tr(language, "slip.poster.month_12")
            ));
            expect(tr(language, "slip.poster.weekday_2"));
            expect(tr(language, "slip.poster.weekday_4"));
            expect(format!(
                "09:00–12:00 {}",
                tr(language, "slip.services.legal")
            ));
            expect(tr(language, "slip.poster.weeks").replace("%{weeks}", "1, 3"));
            expect(format!("24.12 {}", tr(language, "slip.poster.closed")));
            expect(format!(
                "{} +359 2 000 0000",
                tr(language, "slip.poster.call")
            ));
            if second.is_some() {
                expect("Програма в бюрото — Декември 2026".into());
            }
            assert!(
                !text.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)),
                "{language}: Arabic presentation forms"
            );
        }
    }
    // Both fonts are embedded, as subsets.
    let pdf = render(&poster, "fa", Some("bg"), PosterPaper::A3).unwrap_or_else(|e| panic!("{e}"));
    crate::slips::assert_fonts_embedded_as_subsets(&pdf, dir.path());
}

#[test]
fn the_programme_command_writes_the_poster_as_the_issue_names_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bureau-desk"))
            .env("BUREAU_DESK_PASSWORD", bureau_desk::demo::DEMO_PASSWORD)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let db = path.to_string_lossy().into_owned();
    assert!(
        run(&["demo", "--visitors", "40", "--db", &db])
            .status
            .success()
    );
    let month = chrono::Local::now()
        .date_naive()
        .format("%Y-%m")
        .to_string();
    let out = dir.path().join("programme.pdf");
    let out_arg = out.to_string_lossy().into_owned();
    let made = run(&[
        "programme",
        "--db",
        &db,
        "--month",
        &month,
        "--lang",
        "fa",
        "--second-lang",
        "bg",
        "--paper",
        "a3",
        "--out",
        &out_arg,
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let pdf = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let text = crate::slips::extract(&pdf, dir.path(), "cli");
    assert!(text.contains(&tr("fa", "slip.poster.title")), "{text}");
    assert!(text.contains("Вторник"), "{text}");
    // Never over an existing file without asking; a bad month or paper is named.
    let again = run(&[
        "programme",
        "--db",
        &db,
        "--month",
        &month,
        "--lang",
        "fa",
        "--out",
        &out_arg,
    ]);
    assert!(!again.status.success());
    for (month, paper) in [("12.2026", "a4"), (month.as_str(), "letter")] {
        let bad = run(&[
            "programme",
            "--db",
            &db,
            "--month",
            month,
            "--lang",
            "en",
            "--paper",
            paper,
            "--out",
            "x.pdf",
        ]);
        assert!(!bad.status.success());
        let said = String::from_utf8_lossy(&bad.stderr).into_owned();
        assert!(
            said.contains("12.2026") || said.contains("letter"),
            "{said}"
        );
    }
}

fn register(db: &mut Database, desk: &Actor, name: &str, birth: &str) -> VisitorId {
    let visitor = VisitorDraft {
        given_name: name.into(),
        birth: birth.into(),
        ..Default::default()
    }
    .validate(day(1))
    .unwrap_or_else(|e| panic!("{e:?}"));
    visitors::insert(db, desk, &visitor, "2026-11-02T09:00")
        .unwrap_or_else(|e| panic!("{e}"))
        .id
}

fn visit(db: &mut Database, desk: &Actor, who: VisitorId, when: NaiveDateTime, provider: i64) {
    let legal = service(db, "legal");
    let visit = NewVisit {
        visitor: Some(who),
        at: when,
        staff: desk.staff_id,
        language: "fa".into(),
        interpreter: false,
        duration_minutes: None,
        services: vec![ServiceLine {
            service_type: legal,
            provider: OrganisationId(provider),
        }],
        notes: String::new(),
    };
    visits::insert(db, desk, &visit, "2026-12-01T09:00").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn households_link_members_survive_an_erasure_and_count_in_the_figures() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut db = Database::open(&dir.path().join("f.sqlite"), OpenMode::CreateIfMissing)
        .unwrap_or_else(|e| panic!("{e}"));
    let (coordinator, desk) = people(&mut db);
    let mother = register(&mut db, &desk, "Zahra", "1988");
    let son = register(&mut db, &desk, "Ali", "2015");
    let daughter = register(&mut db, &desk, "Sara", "2019");
    let father = register(&mut db, &desk, "Reza", "1985");
    let neighbour = register(&mut db, &desk, "Omid", "1990");
    let alone = register(&mut db, &desk, "Nour", "2012");
    let other_family = register(&mut db, &desk, "Olena", "1979");
    let link = |db: &mut Database, to, member, relation| {
        households::link(db, &desk, to, member, relation, "2026-12-01T09:00")
    };
    let house = link(&mut db, mother, son, Relation::Child)
        .unwrap_or_else(|e| panic!("{e}"))
        .household;
    link(&mut db, mother, daughter, Relation::Child).unwrap_or_else(|e| panic!("{e}"));
    link(&mut db, son, father, Relation::Spouse).unwrap_or_else(|e| panic!("{e}"));
    link(&mut db, other_family, neighbour, Relation::Sibling).unwrap_or_else(|e| panic!("{e}"));
    // Someone in another family, or oneself, is refused with a reason.
    assert!(matches!(
        link(&mut db, mother, neighbour, Relation::Other),
        Err(db::Error::Household(households::LinkRefusal::Elsewhere))
    ));
    assert!(matches!(
        link(&mut db, mother, mother, Relation::Other),
        Err(db::Error::Household(households::LinkRefusal::Same))
    ));
    let family = households::of_visitor(&db, &desk, daughter, day(6))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a household"));
    assert_eq!(family.id, house);
    let listed: Vec<(VisitorId, Relation, &str)> = family
        .members
        .iter()
        .map(|m| (m.visitor, m.relation, m.age_band))
        .collect();
    assert_eq!(
        listed,
        [
            (mother, Relation::Contact, "35-49"),
            (son, Relation::Child, "0-17"),
            (daughter, Relation::Child, "0-17"),
            (father, Relation::Spouse, "35-49"),
        ]
    );
    // December: the mother and son come twice, the neighbour once, Nour (a child, no family) once.
    for (who, d) in [
        (mother, 2),
        (son, 2),
        (mother, 9),
        (son, 9),
        (neighbour, 3),
        (alone, 4),
    ] {
        visit(&mut db, &desk, who, at(d, "10:00"), 1);
    }
    let period =
        bureau_desk::domain::figures::Period::month(2026, 12).unwrap_or_else(|| panic!("period"));
    let figures = db::figures::compute(&db, &coordinator, period).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(figures.households.served, 2, "Zahra's and Olena's");
    assert_eq!(figures.households.individuals, 3, "Zahra, Ali, Omid");
    assert_eq!(figures.children, 2, "Ali and Nour");
    // A referral for the whole family: the slip lists the other members' codes.
    let mothers_visit = visits::for_visitor(&db, &desk, mother)
        .unwrap_or_default()
        .first()
        .map(|v| v.id)
        .unwrap_or_else(|| panic!("a visit"));
    let referral = bureau_desk::domain::referrals::NewReferral {
        visit: mothers_visit,
        organisation: OrganisationId(2),
        service_type: service(&db, "legal"),
        reason: String::new(),
        appointment_at: None,
        follow_up_on: day(20),
        for_household: true,
    };
    let issued = db::referrals::insert_referral(&mut db, &desk, &referral, at(9, "10:30"))
        .unwrap_or_else(|e| panic!("{e}"));
    let slip = db::referrals::referral_slip(&mut db, &desk, issued, at(9, "10:31"))
        .unwrap_or_else(|e| panic!("{e}"));
    match slip.kind {
        bureau_desk::domain::slips::SlipKind::Referral { family, .. } => {
            assert_eq!(family, ["B-000002", "B-000003", "B-000004"]);
        }
        other => panic!("{other:?}"),
    }
    // Erasing the son leaves the rest of the family and their visits as they were.
    db::erasure::erase(&mut db, &coordinator, son, None, at(10, "09:00"))
        .unwrap_or_else(|e| panic!("{e}"));
    let family = households::of_visitor(&db, &desk, mother, day(10))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a household"));
    let left: Vec<VisitorId> = family.members.iter().map(|m| m.visitor).collect();
    assert_eq!(left, [mother, daughter, father]);
    assert_eq!(
        visits::for_visitor(&db, &desk, mother)
            .unwrap_or_default()
            .len(),
        2
    );
    // Taking a member out keeps the others linked.
    households::unlink(&mut db, &desk, father, "x").unwrap_or_else(|e| panic!("{e}"));
    let family = households::of_visitor(&db, &desk, mother, day(10))
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a household"));
    assert_eq!(family.members.len(), 2);
    assert!(
        households::of_visitor(&db, &desk, father, day(10))
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
}

#[test]
fn the_export_names_each_partners_slots_against_the_visits_they_served() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut db = Database::open(&dir.path().join("f.sqlite"), OpenMode::CreateIfMissing)
        .unwrap_or_else(|e| panic!("{e}"));
    let (coordinator, desk) = people(&mut db);
    let legal = service(&db, "legal");
    // The bureau (1) on Tuesdays: 1, 8, 15, 22, 29 December, the 29th closed: 4 sessions.
    save(
        &mut db,
        &coordinator,
        december(),
        &slot(
            1,
            legal,
            Some(2),
            ("", ""),
            ("09:00", "12:00"),
            "fa",
            "Стая 1",
        ),
    );
    programme::add_day_off(&mut db, &coordinator, day(29), None, "", "x")
        .unwrap_or_else(|e| panic!("{e}"));
    // The Red Cross (2) on the 3rd and 17th: 2 sessions, nobody served.
    save(
        &mut db,
        &coordinator,
        december(),
        &slot(2, legal, None, ("", "3 17"), ("09:00", "12:00"), "uk", ""),
    );
    let people: Vec<VisitorId> = (0..6)
        .map(|n| register(&mut db, &desk, &format!("Person{n}"), "1990"))
        .collect();
    // The bureau serves on the 1st (3 visits) and 15th (2) — and on Wednesday the 2nd (1),
    // which is a visit served but no session day.
    for (who, d) in [(0, 1), (1, 1), (2, 1), (3, 15), (4, 15), (5, 2)] {
        visit(&mut db, &desk, people[who], at(d, "10:00"), 1);
    }
    let period =
        bureau_desk::domain::figures::Period::month(2026, 12).unwrap_or_else(|| panic!("period"));
    let figures = db::figures::compute(&db, &coordinator, period).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("december.json");
    bureau_desk::export::write_to(
        &db,
        &coordinator,
        &figures,
        bureau_desk::export::Format::Json,
        &path,
        &bureau_desk::export::Options {
            locale: "en".into(),
            ..Default::default()
        },
        bureau_desk::output::Overwrite::Refuse,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap_or_default()).unwrap_or_default();
    let lines = json["programme"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 2, "{json}");
    let line = |name: &str| {
        lines
            .iter()
            .find(|l| l["organisation"].as_str().is_some_and(|o| o.contains(name)))
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {lines:?}"))
    };
    let bureau = line("Bureau");
    assert_eq!(bureau["slots_offered"], 4);
    assert_eq!(bureau["days_offered"], 4);
    assert_eq!(bureau["days_served"], 2);
    assert_eq!(bureau["visits_served"], 6);
    assert_eq!(bureau["show_rate"], 0.5);
    let red_cross = line("Red Cross");
    assert_eq!(red_cross["slots_offered"], 2);
    assert_eq!(red_cross["visits_served"], 0);
    assert_eq!(json["households"]["served"], 0);
    assert_eq!(json["children"], 0);
}

mod screens {
    //! The programme screen, "today at the bureau", and the family on the card, driven through
    //! the real screens.

    use bureau_desk::app::Screen;
    use bureau_desk::domain::OrganisationId;
    use egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable;

    use crate::ui::{Setup, count, desk_with_a_visit, tr, type_into};

    #[test]
    fn a_coordinator_plans_a_slot_copies_the_month_and_the_desk_sees_who_is_in_today() {
        let Setup {
            mut harness,
            path,
            _dir,
        } = desk_with_a_visit();
        let h = &mut harness;
        h.get_by_label(&tr("app.tab_programme")).click();
        h.run();
        assert_eq!(h.state().desk.screen, Screen::Programme);
        assert!(h.query_by_label(&tr("programme.empty")).is_some());
        // Ctrl+N: a new slot, Monday 09:00–12:00 by default (today is Monday 23.11.2026).
        h.key_press_modifiers(Modifiers::COMMAND, Key::N);
        h.run();
        h.get_by_label(&tr("programme.organisation")).click();
        h.run();
        h.get_all_by_label("Български Червен кръст")
            .last()
            .unwrap_or_else(|| panic!("the Red Cross among the partners"))
            .click();
        h.run();
        h.get_by_label("Правна помощ").click();
        h.run();
        type_into(h, &tr("programme.languages"), "fa ar");
        type_into(h, &tr("programme.place"), "Стая 1");
        h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        h.run();
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM programme_slots WHERE month = '2026-11' AND weekday = 1
                 AND organisation_id = 2 AND languages = 'fa ar' AND place = 'Стая 1'
                 AND starts_at = '09:00' AND ends_at = '12:00'"
            ),
            1
        );
        assert!(h.state().desk.programme.editor.is_none());
        assert!(
            h.query_by_label_contains("09:00–12:00 Правна помощ")
                .is_some(),
            "the slot in the week grid"
        );
        // December starts as a copy of November.
        h.key_press(Key::PageDown);
        h.run();
        h.get_by_label(&tr("programme.copy_previous")).click();
        h.run();
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM programme_slots WHERE month = '2026-12'"
            ),
            1
        );
        // At the desk: the Red Cross is in now.
        h.key_press(Key::Escape);
        h.run();
        assert_eq!(h.state().desk.screen, Screen::Desk);
        assert!(h.query_by_label(&tr("programme.today")).is_some());
        assert!(h.query_by_label(&tr("programme.now")).is_some());
        assert!(
            h.query_by_label_contains("09:00–12:00 Правна помощ · Български Червен кръст · fa ar")
                .is_some()
        );
        // A visit's legal service goes to the partner in today, not the bureau.
        h.get_by_label(&tr("card.log_visit")).click();
        h.run();
        type_into(h, &tr("visit_form.add_service"), "правна");
        h.key_press(Key::Enter);
        h.run();
        let lines = h.state().desk.visit_form.draft.services.clone();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].provider, OrganisationId(2));
        h.key_press(Key::Escape);
        h.run();
        // A referral to the Red Cross books their next session: Monday 30.11 at 09:00.
        h.get_by_label(&tr("card.referral")).click();
        h.run();
        type_into(h, &tr("referral_form.destination"), "червен");
        h.key_press(Key::Enter);
        h.run();
        let next =
            bureau_desk::translate("bg", "programme.next_slot", &[("when", "30.11.2026 09:00")]);
        h.get_by_label(&next).click();
        h.run();
        let draft = h.state().desk.referral_form.draft.clone();
        assert_eq!(
            (
                draft.appointment_date.as_str(),
                draft.appointment_time.as_str()
            ),
            ("30.11.2026", "09:00")
        );
    }

    #[test]
    fn a_family_member_is_registered_from_the_card_and_a_visit_is_logged_for_both() {
        let Setup {
            mut harness,
            path,
            _dir,
        } = desk_with_a_visit();
        let h = &mut harness;
        // Started and left with nothing typed: the family's details are no draft, and the next
        // new visitor starts empty.
        h.get_by_label(&tr("household.add_member")).click();
        h.run();
        h.key_press(Key::Escape);
        h.run();
        assert_eq!(h.state().desk.screen, Screen::Desk);
        // (Esc on the desk clears the search, which a new registration would start from.)
        h.key_press(Key::Escape);
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::N);
        h.run();
        assert!(!h.state().desk.visitor_form.reopened);
        assert!(h.state().desk.visitor_form.family_of.is_none());
        assert_eq!(
            h.state().desk.visitor_form.draft.preferred_language,
            bureau_desk::domain::Answer::NotAsked,
            "nothing of the family's details"
        );
        assert_eq!(h.state().desk.visitor_form.draft.given_name, "");
        h.key_press(Key::Escape);
        h.run();
        type_into(h, &tr("desk.search"), "олена");
        h.key_press(Key::Enter);
        h.run();
        h.get_by_label(&tr("household.add_member")).click();
        h.run();
        assert_eq!(h.state().desk.screen, Screen::VisitorForm);
        // The family's language is filled in; the relation is asked.
        assert_eq!(
            h.state().desk.visitor_form.draft.preferred_language,
            bureau_desk::domain::Answer::Given("uk".into())
        );
        assert!(
            h.query_by_label(&bureau_desk::translate(
                "bg",
                "household.registering_for",
                &[("code", "B-000001")]
            ))
            .is_some()
        );
        type_into(h, &tr("visitor.given_name"), "Марко");
        type_into(h, &tr("visitor.birth"), "2016");
        h.get_by_label(&tr("form.save")).click();
        h.run();
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM visitors WHERE household_id IS NOT NULL
                 AND ((code = 'B-000001' AND household_role = 'contact')
                   OR (code = 'B-000002' AND household_role = 'child' AND preferred_language = 'uk'))"
            ),
            2
        );
        // Марко's card lists his mother; her card lists him, a child of 0-17.
        assert!(h.query_by_label(&tr("household.title")).is_some());
        h.get_by_label("B-000001").click();
        h.run();
        assert_eq!(
            h.state().desk.card.as_ref().map(|c| c.visitor.code.clone()),
            Some("B-000001".into())
        );
        assert!(h.query_all_by_label("B-000002").count() >= 1);
        assert!(
            h.query_by_label_contains(&format!("{} · 0-17", tr("relation.child")))
                .is_some()
        );
        // One visit for both: Alt+1 ticks Марко, each gets their visit and its service.
        h.get_by_label(&tr("card.log_visit")).click();
        h.run();
        type_into(h, &tr("visit_form.add_service"), "правна");
        h.key_press(Key::Enter);
        h.run();
        // The window sends the digit as text too, in the same frame, as X11 does: it stays
        // out of the field that has the keys.
        h.get_by_label(&tr("visit_form.add_service")).click();
        h.run();
        h.input_mut().events.extend([
            egui::Event::ModifiersChanged(Modifiers::ALT),
            egui::Event::Key {
                key: Key::Num1,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: Modifiers::ALT,
            },
            egui::Event::Text("1".into()),
        ]);
        h.run();
        h.event(egui::Event::ModifiersChanged(Modifiers::NONE));
        h.run();
        assert!(h.state().desk.visit_form.family[0].present);
        assert_eq!(h.state().desk.visit_form.service_filter, "");
        h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
        h.run();
        assert_eq!(h.state().desk.screen, Screen::Desk);
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM visits v JOIN services_rendered s ON s.visit_id = v.id
                 WHERE v.visitor_id = 2"
            ),
            1
        );
        assert_eq!(
            count(&path, "SELECT count(*) FROM visits WHERE visitor_id = 1"),
            2
        );
        // Linking by a code no one has says so.
        type_into(h, &tr("household.link_code"), "B-000099");
        h.get_by_label(&tr("household.link")).click();
        h.run();
        assert!(h.query_by_label(&tr("household.no_such_code")).is_some());
    }
}
