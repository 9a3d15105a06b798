//! Merging two registrations of one person (issue 14): everything moves to the kept record, the
//! other code stays an alias that search finds, figures count one person, and a coordinator can
//! undo it on the day, giving back both records as they were.

use bureau_desk::app::Screen;
use bureau_desk::db::{
    self, Database, consents, erasure, figures, merges, referrals, staff, visitors, visits,
};
use bureau_desk::domain::figures::Period;
use bureau_desk::domain::merges::MergeRefusal;
use bureau_desk::domain::referrals::ReferralDraft;
use bureau_desk::domain::{
    Actor, Answer, ConsentScope, NewVisit, OrganisationId, Role, ServiceLine, ServiceTypeId,
    VisitId, VisitorDraft, VisitorId,
};
use chrono::{NaiveDate, NaiveDateTime};
use egui_kittest::kittest::Queryable;

use crate::ui::{Setup, count, desk_with_a_visit, tr, type_into};

fn ok<T>(result: db::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, d).unwrap_or_else(|| panic!("day {d}"))
}

fn at(d: u32, hour: u32) -> NaiveDateTime {
    day(d).and_hms_opt(hour, 0, 0).unwrap_or_default()
}

fn register(db: &mut Database, actor: &Actor, draft: VisitorDraft, d: u32) -> VisitorId {
    let new = draft.validate(day(d)).unwrap_or_else(|e| panic!("{e:?}"));
    ok(visitors::insert(
        db,
        actor,
        &new,
        &format!("2026-10-{d:02}T09:00"),
    ))
    .id
}

/// A visit on day `d` with a referral issued from it.
fn visit_with_referral(db: &mut Database, actor: &Actor, visitor: VisitorId, d: u32) -> VisitId {
    let visit = NewVisit {
        visitor: Some(visitor),
        at: at(d, 10),
        staff: actor.staff_id,
        language: "ar".into(),
        interpreter: false,
        duration_minutes: None,
        services: vec![ServiceLine {
            service_type: ServiceTypeId(1),
            provider: OrganisationId(1),
        }],
        notes: String::new(),
    };
    let visit = ok(visits::insert(
        db,
        actor,
        &visit,
        &format!("2026-10-{d:02}T10:00"),
    ));
    let referral = ReferralDraft {
        visit: Some(visit),
        organisation: Some(OrganisationId(1)),
        service_type: Some(ServiceTypeId(2)),
        ..Default::default()
    }
    .validate(day(d))
    .unwrap_or_else(|e| panic!("{e:?}"));
    ok(referrals::insert_referral(db, actor, &referral, at(d, 11)));
    visit
}

/// The same woman registered twice: as Нур Хасан on the 2nd (no birth year, no consent to
/// share) and as Nour Hassan on the 5th (born 1990, consent to share), each with visits.
struct Twice {
    db: Database,
    coordinator: Actor,
    desk: Actor,
    first: VisitorId,
    second: VisitorId,
}

fn registered_twice() -> Twice {
    let mut db = ok(Database::open_in_memory());
    let coordinator = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let desk = ok(staff::insert(
        &mut db,
        "Петя",
        Role::Desk,
        "2026-10-01T09:00",
    ))
    .actor();
    let first = register(
        &mut db,
        &desk,
        VisitorDraft {
            given_name: "Нур".into(),
            family_name: "Хасан".into(),
            languages: vec!["en".into()],
            consents: vec![ConsentScope::Registration],
            ..Default::default()
        },
        2,
    );
    visit_with_referral(&mut db, &desk, first, 2);
    let second = register(
        &mut db,
        &desk,
        VisitorDraft {
            given_name: "Nour".into(),
            family_name: "Hassan".into(),
            birth: "1990".into(),
            phone: "0888 123 456".into(),
            languages: vec!["fr".into()],
            consents: vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals],
            consent_date: "05.10.2026".into(),
            ..Default::default()
        },
        5,
    );
    visit_with_referral(&mut db, &desk, second, 5);
    visit_with_referral(&mut db, &desk, second, 8);
    Twice {
        db,
        coordinator,
        desk,
        first,
        second,
    }
}

fn october() -> Period {
    Period::month(2026, 10).unwrap_or_else(|| panic!("a month"))
}

#[test]
fn a_merge_keeps_every_visit_and_referral_and_the_alias_code_still_finds_the_person() {
    let Twice {
        mut db,
        coordinator,
        desk,
        first,
        second,
    } = registered_twice();
    let before = ok(figures::compute(&db, &coordinator, october()));
    assert_eq!((before.visits, before.unique_visitors), (3, 2));

    let kept = ok(visitors::find(&mut db, &desk, first, "2026-10-20T09:00"));
    let other = ok(visitors::find(&mut db, &desk, second, "2026-10-20T09:00"));
    let proposed = bureau_desk::domain::merges::proposed_from_other(&kept.details, &other.details);
    assert_eq!(
        proposed,
        ["birth", "phone"],
        "the answers the kept record lacks"
    );
    // A desk worker may merge (the names stay the kept record's).
    ok(merges::merge(
        &mut db,
        &desk,
        (first, second),
        &proposed,
        at(20, 10),
    ));

    let merged = ok(visitors::find(&mut db, &desk, first, "2026-10-20T10:05"));
    assert_eq!(merged.full_name(), "Нур Хасан");
    assert_eq!(merged.details.birth, other.details.birth);
    assert_eq!(merged.details.phone, other.details.phone);
    assert_eq!(merged.details.languages, ["en", "fr"]);
    // Every visit and referral is on the kept record; the alias's code opens it.
    assert_eq!(ok(visits::for_visitor(&db, &desk, first)).len(), 3);
    assert!(ok(visits::for_visitor(&db, &desk, second)).is_empty());
    assert_eq!(
        ok(referrals::referrals_for_visitor(&db, &desk, first)).len(),
        3
    );
    assert_eq!(
        ok(visitors::find(&mut db, &desk, second, "2026-10-20T10:06")).id,
        first
    );
    // The consent to share given on the second registration now holds for the person.
    assert!(merged.has_consent(ConsentScope::ShareWithReferrals));
    assert_eq!(ok(consents::history(&db, &desk, first)).len(), 3);
    // Search finds the person once, by the alias code and by the other spelling.
    let by_code = ok(visitors::search(&db, &desk, "B-000002", 10));
    assert_eq!(
        by_code
            .iter()
            .map(|h| (h.code.as_str(), h.found_as.as_deref()))
            .collect::<Vec<_>>(),
        [("B-000001", Some("B-000002"))]
    );
    let by_name = ok(visitors::search(&db, &desk, "Nour Hassan", 10));
    assert_eq!(
        by_name.iter().map(|h| h.id).collect::<Vec<_>>(),
        [first],
        "one person, found through the other spelling"
    );
    // Figures: the same visits, one person fewer.
    let after = ok(figures::compute(&db, &coordinator, october()));
    assert_eq!(
        (after.visits, after.unique_visitors),
        (before.visits, before.unique_visitors - 1)
    );
    let card = ok(merges::aliases(&db, &desk, first));
    assert_eq!(
        card.iter()
            .map(|a| (a.code.as_str(), a.merged_by))
            .collect::<Vec<_>>(),
        [("B-000002", desk.staff_id)]
    );
    // The person's own copy holds the second registration as it was registered.
    let copy = ok(bureau_desk::db::subject::gather(
        &db,
        &desk,
        first,
        "2026-10-20T10:10",
    ));
    assert_eq!(
        copy.also_registered_as
            .iter()
            .map(|i| (i.code.as_str(), i.given_name.as_str()))
            .collect::<Vec<_>>(),
        [("B-000002", "Nour")]
    );
    assert_eq!(copy.visits.len(), 3);
    let by_alias = ok(bureau_desk::db::subject::gather(
        &db,
        &desk,
        second,
        "2026-10-20T10:10",
    ));
    assert_eq!(
        by_alias.identity.code, "B-000001",
        "the alias's code gives the whole person"
    );
    let pdf = bureau_desk::slip::subject::render(&copy, "en").unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = crate::slips::extract(&pdf, dir.path(), "copy");
    // Long headings wrap: compared word by word.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let heading = bureau_desk::translate("en", "subject.also_registered", &[]);
    assert!(
        text.contains(&heading) && text.contains("B-000002") && text.contains("Nour"),
        "{text}"
    );
    // The trail names the merge and the fields taken, never a value.
    let trail = ok(bureau_desk::db::audit::latest(&db, 10));
    let details: Vec<&str> = trail.iter().map(|e| e.detail.as_str()).collect();
    assert!(
        details.contains(&"merge=1 from=2 fields=birth,phone"),
        "{details:?}"
    );
    assert!(details.contains(&"merge=1 into=1"), "{details:?}");
}

#[test]
fn undoing_a_merge_the_same_day_gives_back_both_records_as_they_were() {
    let Twice {
        mut db,
        coordinator,
        desk,
        first,
        second,
    } = registered_twice();
    let read = |db: &mut Database, id| {
        let visitor = ok(visitors::find(db, &coordinator, id, "2026-10-20T09:00"));
        let history = ok(visits::for_visitor(db, &coordinator, id));
        let consents = ok(consents::history(db, &coordinator, id));
        (visitor, history, consents)
    };
    let (first_before, second_before) = (read(&mut db, first), read(&mut db, second));
    let figures_before = ok(figures::compute(&db, &coordinator, october()));
    let merge = ok(merges::merge(
        &mut db,
        &desk,
        (first, second),
        &["given_name", "family_name", "birth"],
        at(20, 10),
    ));
    assert_eq!(
        ok(visitors::find(&mut db, &desk, first, "2026-10-20T10:01")).full_name(),
        "Nour Hassan"
    );
    // Only a coordinator undoes, and only on the day.
    assert!(matches!(
        merges::undo(&mut db, &desk, merge, at(20, 11)),
        Err(db::Error::Forbidden(_))
    ));
    assert!(matches!(
        merges::undo(&mut db, &coordinator, merge, at(21, 9)),
        Err(db::Error::Merge(MergeRefusal::TooLate))
    ));
    assert_eq!(
        ok(merges::undo(&mut db, &coordinator, merge, at(20, 16))),
        second
    );
    assert!(matches!(
        merges::undo(&mut db, &coordinator, merge, at(20, 17)),
        Err(db::Error::Merge(MergeRefusal::AlreadyUndone))
    ));
    assert_eq!(read(&mut db, first), first_before);
    assert_eq!(read(&mut db, second), second_before);
    assert_eq!(
        ok(figures::compute(&db, &coordinator, october())),
        figures_before
    );
    assert!(ok(merges::aliases(&db, &coordinator, first)).is_empty());
    let found = ok(visitors::search(&db, &coordinator, "B-000002", 10));
    assert_eq!(
        found
            .iter()
            .map(|h| (h.id, h.found_as.clone()))
            .collect::<Vec<_>>(),
        [(second, None)]
    );
    // Both are found by either spelling again, each as a record of its own.
    let mut by_name: Vec<_> = ok(visitors::search(&db, &coordinator, "Нур", 10))
        .into_iter()
        .map(|h| (h.id, h.found_as))
        .collect();
    by_name.sort_by_key(|(id, _)| *id);
    assert_eq!(by_name, [(first, None), (second, None)]);
}

#[test]
fn a_merge_is_refused_to_roles_without_the_card_and_between_records_no_longer_live() {
    let Twice {
        mut db,
        coordinator,
        desk,
        first,
        second,
    } = registered_twice();
    let volunteer = ok(staff::insert(
        &mut db,
        "Вяра",
        Role::Volunteer,
        "2026-10-01T09:00",
    ))
    .actor();
    assert!(matches!(
        merges::merge(&mut db, &volunteer, (first, second), &[], at(20, 10)),
        Err(db::Error::Forbidden(_))
    ));
    assert!(matches!(
        merges::merge(&mut db, &desk, (first, first), &[], at(20, 10)),
        Err(db::Error::Merge(MergeRefusal::SameRecord))
    ));
    let third = register(
        &mut db,
        &desk,
        VisitorDraft {
            given_name: "Nur".into(),
            ..Default::default()
        },
        9,
    );
    ok(merges::merge(
        &mut db,
        &desk,
        (first, second),
        &[],
        at(20, 10),
    ));
    // The alias cannot be merged again; the kept record can take in a third registration,
    // and then the first merge waits for the later one to be undone.
    assert!(matches!(
        merges::merge(&mut db, &desk, (third, second), &[], at(20, 11)),
        Err(db::Error::Merge(MergeRefusal::NotLive))
    ));
    let later = ok(merges::merge(
        &mut db,
        &desk,
        (first, third),
        &[],
        at(20, 11),
    ));
    assert_eq!(ok(merges::aliases(&db, &desk, first)).len(), 2);
    assert!(matches!(
        merges::undo(
            &mut db,
            &coordinator,
            bureau_desk::domain::MergeId(1),
            at(20, 12)
        ),
        Err(db::Error::Merge(MergeRefusal::LaterMerge))
    ));
    ok(merges::undo(&mut db, &coordinator, later, at(20, 12)));
    ok(merges::undo(
        &mut db,
        &coordinator,
        bureau_desk::domain::MergeId(1),
        at(20, 13),
    ));
    assert_eq!(ok(visits::for_visitor(&db, &desk, second)).len(), 2);
}

#[test]
fn erasing_a_merged_person_erases_the_second_registration_too() {
    let Twice {
        mut db,
        coordinator,
        desk,
        first,
        second,
    } = registered_twice();
    ok(merges::merge(
        &mut db,
        &desk,
        (first, second),
        &[],
        at(20, 10),
    ));
    let before = ok(figures::compute(&db, &coordinator, october()));
    ok(erasure::erase(
        &mut db,
        &coordinator,
        first,
        None,
        at(21, 9),
    ));
    for query in ["Nour", "Hassan", "Нур", "B-000002", "0888123456"] {
        assert!(
            ok(visitors::search(&db, &coordinator, query, 10)).is_empty(),
            "{query} finds nobody"
        );
    }
    assert!(matches!(
        visitors::find(&mut db, &coordinator, second, "2026-10-21T09:05"),
        Err(db::Error::NotFound)
    ));
    assert_eq!(
        ok(figures::compute(&db, &coordinator, october())),
        before,
        "figures stay as they were"
    );
}

#[test]
fn the_same_person_is_merged_from_search_beside_the_card_and_undone_by_the_coordinator() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    {
        let mut db = ok(Database::open(&path, db::OpenMode::Existing));
        let maria = ok(staff::list(&db))[0].actor();
        let again = VisitorDraft {
            given_name: "Olena".into(),
            family_name: "Kovalenko".into(),
            birth: "1988".into(),
            nationality: Answer::Given("UA".into()),
            ..Default::default()
        }
        .validate(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e:?}"));
        ok(visitors::insert(
            &mut db,
            &maria,
            &again,
            "2026-11-23T09:40",
        ));
    }
    let h = &mut harness;
    // The card of Олена (open) offers the like-named registration; search lists it too.
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::OpenVisitor(VisitorId(1)));
    h.run();
    let card = h
        .state()
        .desk
        .card
        .clone()
        .unwrap_or_else(|| panic!("card"));
    assert_eq!(
        card.like_names
            .iter()
            .map(|l| l.code.as_str())
            .collect::<Vec<_>>(),
        ["B-000002"]
    );
    h.get_by_label(&tr("desk.search")).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(&tr("desk.search")).type_text("Kovalenko");
    h.run();
    h.get_by_label(&tr("merge.same_person")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Merge);
    // Side by side: the birth year only the second has is proposed; the name is chosen.
    let codes = h.state().desk.merge_form.as_ref().map(|f| {
        (
            f.left.code.clone(),
            f.right.code.clone(),
            f.from_right.clone(),
        )
    });
    assert_eq!(
        codes,
        Some((
            "B-000001".to_owned(),
            "B-000002".to_owned(),
            vec!["birth", "nationality"]
        ))
    );
    h.get_by_label("Olena").click();
    h.run();
    h.get_by_label(&tr("merge.confirm")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    let card = h
        .state()
        .desk
        .card
        .clone()
        .unwrap_or_else(|| panic!("card"));
    assert_eq!(
        (card.visitor.code.as_str(), card.visitor.full_name()),
        ("B-000001", "Olena Коваленко".to_owned())
    );
    assert_eq!(
        card.visitor.details.nationality,
        Answer::Given("UA".to_owned())
    );
    assert!(
        card.like_names.is_empty(),
        "the other one is this person now"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE id = 2 AND merged_into = 1"
        ),
        1
    );
    // The card shows the alias; the coordinator undoes the merge the same day.
    let alias = &card.aliases[0];
    let when = bureau_desk::domain::format_stored_moment(&alias.merged_at, "bg");
    let line = bureau_desk::translate(
        "bg",
        "merge.alias",
        &[
            ("alias", "B-000002"),
            ("code", "B-000001"),
            ("when", &when),
            ("who", "Мария"),
        ],
    );
    assert!(h.query_by_label(&line).is_some(), "{line}");
    type_into(h, &tr("desk.search"), "");
    h.get_by_label(&tr("merge.undo")).click();
    h.run();
    let card = h
        .state()
        .desk
        .card
        .clone()
        .unwrap_or_else(|| panic!("card"));
    assert_eq!(card.visitor.full_name(), "Олена Коваленко");
    assert!(card.aliases.is_empty());
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE merged_into IS NOT NULL"
        ),
        0
    );
}
