//! Correcting the record (issue 14): a visitor's record corrected through the library and
//! through the card, with consents added as new records and the trail naming the fields.

use bureau_desk::app::Screen;
use bureau_desk::db::{self, Database, audit, consents, referrals, staff, visitors, visits};
use bureau_desk::domain::referrals::ReferralDraft;
use bureau_desk::domain::{
    Actor, Answer, ConsentScope, NewVisit, OrganisationId, Role, ServiceLine, ServiceTypeId,
    VisitorDraft, VisitorId,
};
use chrono::{NaiveDate, NaiveDateTime};
use egui::{Key, Modifiers};
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

/// A person registered without consent to share, with a visit and a referral from it.
fn registered(db: &mut Database, desk: &Actor) -> (VisitorId, bureau_desk::domain::VisitId) {
    let new = VisitorDraft {
        given_name: "Зорница".into(),
        family_name: "Кварцова".into(),
        consents: vec![ConsentScope::Registration],
        ..Default::default()
    }
    .validate(day(2))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let id = ok(visitors::insert(db, desk, &new, "2026-10-02T09:00")).id;
    let visit = NewVisit {
        visitor: Some(id),
        at: at(2, 10),
        staff: desk.staff_id,
        language: "bg".into(),
        interpreter: false,
        duration_minutes: None,
        services: vec![ServiceLine {
            service_type: ServiceTypeId(1),
            provider: OrganisationId(1),
        }],
        notes: String::new(),
    };
    let visit = ok(visits::insert(db, desk, &visit, "2026-10-02T10:00"));
    let referral = ReferralDraft {
        visit: Some(visit),
        organisation: Some(OrganisationId(1)),
        service_type: Some(ServiceTypeId(2)),
        ..Default::default()
    }
    .validate(day(2))
    .unwrap_or_else(|e| panic!("{e:?}"));
    ok(referrals::insert_referral(db, desk, &referral, at(2, 11)));
    (id, visit)
}

/// A referral issued from `visit` at `when`, and its slip.
fn slip_of_new_referral(
    db: &mut Database,
    desk: &Actor,
    visit: bureau_desk::domain::VisitId,
    when: NaiveDateTime,
) -> bureau_desk::domain::slips::SlipData {
    let referral = ReferralDraft {
        visit: Some(visit),
        organisation: Some(OrganisationId(1)),
        service_type: Some(ServiceTypeId(2)),
        ..Default::default()
    }
    .validate(when.date())
    .unwrap_or_else(|e| panic!("{e:?}"));
    let id = ok(referrals::insert_referral(db, desk, &referral, when));
    ok(referrals::referral_slip(db, desk, id, when))
}

#[test]
fn a_corrected_record_reads_back_is_found_by_its_new_name_and_names_its_fields_in_the_trail() {
    let mut db = ok(Database::open_in_memory());
    let maria = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let (person, visit) = registered(&mut db, &maria);
    let slip = slip_of_new_referral(&mut db, &maria, visit, at(3, 9));
    assert_eq!(slip.visitor_given_name, None, "no consent to share yet");

    let before = ok(visitors::find(&mut db, &maria, person, "2026-10-20T09:00"));
    assert_eq!(before.last_change, None);
    let mut draft = VisitorDraft::from_details(&before.details);
    assert_eq!(draft.given_name, "Зорница", "the form is prefilled");
    draft.family_name = "Петрова".into();
    draft.country_of_origin = Answer::Given("SY".into());
    draft.phone = "0888 111 222".into();
    draft.consents.push(ConsentScope::ShareWithReferrals);
    draft.consent_date = "20.10.2026".into();
    let corrected = draft.validate(day(20)).unwrap_or_else(|e| panic!("{e:?}"));
    let changed = ok(visitors::update(
        &mut db,
        &maria,
        person,
        &corrected,
        at(20, 10),
    ));
    assert_eq!(
        changed,
        ["family_name", "country_of_origin", "phone", "consents"]
    );

    let after = ok(visitors::find(&mut db, &maria, person, "2026-10-20T11:00"));
    assert_eq!(after.details.family_name, "Петрова");
    assert_eq!(after.details.country_of_origin, Answer::Given("SY".into()));
    assert_eq!(after.details.phone, Answer::Given("0888 111 222".into()));
    assert_eq!(
        after.last_change,
        Some(("2026-10-20T10:00".to_owned(), maria.staff_id))
    );
    // The search index follows the record: the new name is found, the old one is gone.
    let codes = |db: &Database, query: &str| -> Vec<String> {
        ok(visitors::search(db, &maria, query, 10))
            .into_iter()
            .map(|hit| hit.code)
            .collect()
    };
    assert_eq!(codes(&db, "Петрова"), std::slice::from_ref(&after.code));
    assert_eq!(codes(&db, "0888111222"), std::slice::from_ref(&after.code));
    assert!(codes(&db, "Кварцова").is_empty());
    // The consent is a new record, and the next slip carries the name.
    let history = ok(consents::history(&db, &maria, person));
    assert_eq!(history.len(), 2, "registration, then sharing: {history:?}");
    let slip = slip_of_new_referral(&mut db, &maria, visit, at(20, 12));
    assert_eq!(slip.visitor_given_name.as_deref(), Some("Зорница"));
    // The trail names the fields, never the values.
    let trail = ok(audit::entries(
        &db,
        &maria,
        &audit::Filter {
            action: Some(audit::Action::Update),
            ..Default::default()
        },
        10,
    ));
    assert_eq!(trail.len(), 1);
    assert_eq!(
        trail[0].detail,
        "fields=family_name,country_of_origin,phone,consents"
    );
    assert!(!trail[0].detail.contains("Петрова") && !trail[0].detail.contains("0888"));

    // Unticking a consent withdraws it as a new record; saving what is there changes nothing.
    let mut draft = VisitorDraft::from_details(&after.details);
    draft
        .consents
        .retain(|c| *c != ConsentScope::ShareWithReferrals);
    let withdrawn = draft.validate(day(21)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        ok(visitors::update(
            &mut db,
            &maria,
            person,
            &withdrawn,
            at(21, 9)
        )),
        ["consents"]
    );
    assert_eq!(ok(consents::history(&db, &maria, person)).len(), 3);
    let same = VisitorDraft::from_details(
        &ok(visitors::find(&mut db, &maria, person, "2026-10-21T10:00")).details,
    )
    .validate(day(21))
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(ok(visitors::update(&mut db, &maria, person, &same, at(21, 10))).is_empty());
}

#[test]
fn only_a_role_that_sees_the_whole_card_may_correct_it() {
    let mut db = ok(Database::open_in_memory());
    let maria = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Desk,
        "2026-10-01T09:00",
    ))
    .actor();
    let (person, _) = registered(&mut db, &maria);
    let record = ok(visitors::find(&mut db, &maria, person, "2026-10-03T09:00")).details;
    for role in [Role::Volunteer, Role::Partner] {
        let someone = Actor {
            role,
            organisation: (role == Role::Partner).then_some(OrganisationId(1)),
            ..maria
        };
        assert!(matches!(
            visitors::update(&mut db, &someone, person, &record, at(3, 10)),
            Err(db::Error::Forbidden(_))
        ));
    }
}

#[test]
fn the_card_corrects_its_record_with_ctrl_e_and_says_who_changed_it() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::EditVisitor);
    assert!(h.query_by_label(&tr("visitor_form.edit_title")).is_some());
    let family = tr("visitor.family_name");
    assert_eq!(
        h.state()
            .desk
            .visitor_edit
            .as_ref()
            .map(|e| e.form.draft.family_name.clone()),
        Some("Коваленко".to_owned()),
        "prefilled"
    );
    // A bad birth year is refused like at registration, and nothing is lost.
    type_into(h, &tr("visitor.birth"), "3000");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::EditVisitor, "refused");
    h.state_mut()
        .desk
        .visitor_edit
        .as_mut()
        .unwrap_or_else(|| panic!("the correction"))
        .form
        .draft
        .birth = "1991".into();
    h.get_by_label(&family).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&family).type_text("Шевченко");
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    let card = h
        .state()
        .desk
        .card
        .clone()
        .unwrap_or_else(|| panic!("the card"));
    assert_eq!(card.visitor.details.family_name, "Шевченко");
    assert!(card.visitor.last_change.is_some());
    let (at, by) = card
        .visitor
        .last_change
        .clone()
        .unwrap_or_else(|| panic!("changed"));
    let when = bureau_desk::domain::format_stored_moment(&at, "bg");
    let who = h.state().desk.staff_name(by).to_owned();
    let said = bureau_desk::translate("bg", "card.changed", &[("when", &when), ("who", &who)]);
    assert!(h.query_by_label(&said).is_some(), "{said}");
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE family_name = 'Шевченко' AND birth_year = 1991"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'update' AND detail = 'fields=family_name,birth'"
        ),
        1
    );
}

/// A file with two people: Зорница (one visit on the 2nd) and Олег, logged on the 5th and,
/// unless `without_the_mistake`, logged again by mistake on the 8th.
fn two_people(without_the_mistake: bool) -> (Database, Actor, Vec<bureau_desk::domain::VisitId>) {
    let mut db = ok(Database::open_in_memory());
    let maria = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Desk,
        "2026-10-01T09:00",
    ))
    .actor();
    let (_, first) = registered(&mut db, &maria);
    let oleg = VisitorDraft {
        given_name: "Олег".into(),
        birth: "1980".into(),
        ..Default::default()
    }
    .validate(day(5))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let oleg = ok(visitors::insert(&mut db, &maria, &oleg, "2026-10-05T09:00")).id;
    let mut ids = vec![first];
    let days: &[u32] = if without_the_mistake { &[5] } else { &[5, 8] };
    for d in days {
        let visit = NewVisit {
            visitor: Some(oleg),
            at: at(*d, 10),
            staff: maria.staff_id,
            language: "ru".into(),
            interpreter: true,
            duration_minutes: Some(30),
            services: vec![
                ServiceLine {
                    service_type: ServiceTypeId(2),
                    provider: OrganisationId(1),
                },
                ServiceLine {
                    service_type: ServiceTypeId(3),
                    provider: OrganisationId(1),
                },
            ],
            notes: String::new(),
        };
        ids.push(ok(visits::insert(
            &mut db,
            &maria,
            &visit,
            &format!("2026-10-{d:02}T10:00"),
        )));
    }
    (db, maria, ids)
}

#[test]
fn a_voided_visit_leaves_every_figure_as_if_never_logged_and_stays_on_the_card_and_in_the_trail() {
    use bureau_desk::db::figures;
    use bureau_desk::domain::figures::Period;
    let october = Period::month(2026, 10).unwrap_or_else(|| panic!("a month"));
    let (mut db, maria, ids) = two_people(false);
    let mistake = ids[2];
    // Figures are read as a coordinator would.
    let reader = |actor: &Actor| Actor {
        role: Role::Coordinator,
        ..*actor
    };
    let before = ok(figures::compute(&db, &reader(&maria), october));
    assert_eq!(before.visits, 3);
    // A referral issued from the visit logged in error goes out of the figures with it.
    let referral = ReferralDraft {
        visit: Some(mistake),
        organisation: Some(OrganisationId(2)),
        service_type: Some(ServiceTypeId(2)),
        ..Default::default()
    }
    .validate(day(9))
    .unwrap_or_else(|e| panic!("{e:?}"));
    ok(referrals::insert_referral(
        &mut db,
        &maria,
        &referral,
        at(9, 9),
    ));
    assert_eq!(
        ok(figures::compute(&db, &reader(&maria), october))
            .referrals
            .total,
        before.referrals.total + 1
    );

    // A reason is required; someone else at the desk may not void Мария's visit.
    assert!(matches!(
        visits::void(&mut db, &maria, mistake, "  ", at(9, 9)),
        Err(db::Error::Invalid(_))
    ));
    let georgi = ok(staff::insert(
        &mut db,
        "Георги",
        Role::Desk,
        "2026-10-01T09:00",
    ))
    .actor();
    assert!(matches!(
        visits::void(&mut db, &georgi, mistake, "logged twice", at(9, 9)),
        Err(db::Error::Forbidden(_))
    ));
    ok(visits::void(
        &mut db,
        &maria,
        mistake,
        "logged twice",
        at(9, 10),
    ));
    assert!(matches!(
        visits::void(&mut db, &maria, mistake, "again", at(9, 11)),
        Err(db::Error::NotFound)
    ));

    let (never, never_actor, _) = two_people(true);
    let expected = ok(figures::compute(&never, &reader(&never_actor), october));
    assert_eq!(
        ok(figures::compute(&db, &reader(&maria), october)),
        expected
    );
    assert_eq!(
        ok(figures::records(&db, &reader(&maria), october, b"key")).len(),
        ok(figures::records(
            &never,
            &reader(&never_actor),
            october,
            b"key"
        ))
        .len()
    );
    // Still on the card, marked, and out of the day's list.
    let oleg = ok(visits::for_visitor(&db, &maria, VisitorId(2)));
    assert_eq!(oleg.len(), 2);
    let voided = oleg
        .iter()
        .find(|v| v.id == mistake)
        .and_then(|v| v.voided.clone())
        .unwrap_or_else(|| panic!("voided, not deleted"));
    assert_eq!(
        (voided.by, voided.reason.as_str()),
        (maria.staff_id, "logged twice")
    );
    assert!(ok(visits::on_day(&db, &maria, day(8))).is_empty());
    // The person's own copy holds the voided visit too, marked, with the reason.
    let copy = ok(bureau_desk::db::subject::gather(
        &db,
        &maria,
        VisitorId(2),
        "2026-10-09T13:00",
    ));
    assert_eq!(
        copy.visits
            .iter()
            .map(|v| v.voided.as_deref())
            .collect::<Vec<_>>(),
        [None, Some("logged twice")]
    );
    let desislava = ok(staff::insert(
        &mut db,
        "Десислава",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let trail = ok(audit::entries(
        &db,
        &desislava,
        &audit::Filter {
            action: Some(audit::Action::Update),
            ..Default::default()
        },
        10,
    ));
    assert_eq!(
        trail
            .iter()
            .map(|e| (e.entity.as_str(), e.entity_id, e.detail.as_str()))
            .collect::<Vec<_>>(),
        [("visits", Some(mistake.0), "voided")]
    );
    // A coordinator may void any visit: Олег's last one goes, and he with it.
    ok(visits::void(
        &mut db,
        &desislava,
        ids[1],
        "wrong card",
        at(9, 12),
    ));
    let after = ok(figures::compute(&db, &reader(&maria), october));
    assert_eq!((after.visits, after.unique_visitors), (1, 1));
}

#[test]
fn a_visit_is_voided_from_the_card_with_a_reason_and_shown_struck_through() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("card.void")).click();
    h.run();
    assert!(h.query_by_label(&tr("card.void_explained")).is_some());
    h.get_by_label(&tr("card.void_confirm")).click();
    h.run();
    assert!(
        h.query_by_label(&bureau_desk::ui::widgets::problem_text(
            bureau_desk::domain::Problem::Required,
            "bg"
        ))
        .is_some(),
        "a reason is asked for"
    );
    type_into(h, &tr("card.void_reason"), "записано на грешната карта");
    h.get_by_label(&tr("card.void_confirm")).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visits WHERE voided_at IS NOT NULL AND void_reason = 'записано на грешната карта'"
        ),
        1
    );
    assert_eq!(count(&path, "SELECT count(*) FROM counted_visits"), 0);
    let card = h
        .state()
        .desk
        .card
        .clone()
        .unwrap_or_else(|| panic!("the card"));
    assert!(card.visits[0].voided.is_some(), "still on the card");
    assert!(h.query_by_label(&tr("card.void")).is_none(), "voided once");
}

#[test]
fn a_visit_is_corrected_on_its_day_by_whoever_logged_it_and_by_a_coordinator_any_day() {
    use bureau_desk::db::figures;
    use bureau_desk::domain::figures::Period;
    let october = Period::month(2026, 10).unwrap_or_else(|| panic!("a month"));
    let (mut db, maria, ids) = two_people(false);
    let on_the_5th = ids[1];
    let coordinator = ok(staff::insert(
        &mut db,
        "Десислава",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let georgi = ok(staff::insert(
        &mut db,
        "Георги",
        Role::Desk,
        "2026-10-01T09:00",
    ))
    .actor();
    let logged = ok(visits::for_visitor(&db, &maria, VisitorId(2)))
        .into_iter()
        .find(|v| v.id == on_the_5th)
        .unwrap_or_else(|| panic!("the visit"));
    let mut corrected = NewVisit {
        visitor: logged.visitor,
        at: logged.at,
        staff: logged.staff,
        language: logged.language.clone(),
        interpreter: logged.interpreter,
        duration_minutes: Some(45),
        services: vec![ServiceLine {
            service_type: ServiceTypeId(2),
            provider: OrganisationId(1),
        }],
        notes: logged.notes.clone(),
    };
    let services_before = ok(figures::compute(&db, &coordinator, october)).services_total;
    // Not someone else at the desk, and not the one who logged it once the day is over.
    assert!(matches!(
        visits::correct(&mut db, &georgi, on_the_5th, &corrected, at(5, 15)),
        Err(db::Error::Forbidden(_))
    ));
    assert!(matches!(
        visits::correct(&mut db, &maria, on_the_5th, &corrected, at(6, 9)),
        Err(db::Error::Forbidden(_))
    ));
    assert_eq!(
        ok(visits::correct(
            &mut db,
            &maria,
            on_the_5th,
            &corrected,
            at(5, 15)
        )),
        ["duration", "services"]
    );
    assert_eq!(
        ok(figures::compute(&db, &coordinator, october)).services_total,
        services_before - 1
    );
    // A coordinator, days later; then nothing to change is nothing written.
    corrected.interpreter = false;
    assert_eq!(
        ok(visits::correct(
            &mut db,
            &coordinator,
            on_the_5th,
            &corrected,
            at(20, 9)
        )),
        ["interpreter"]
    );
    assert!(
        ok(visits::correct(
            &mut db,
            &coordinator,
            on_the_5th,
            &corrected,
            at(20, 10)
        ))
        .is_empty()
    );
    let trail: Vec<String> = ok(audit::entries(
        &db,
        &coordinator,
        &audit::Filter {
            action: Some(audit::Action::Update),
            ..Default::default()
        },
        10,
    ))
    .into_iter()
    .map(|e| e.detail)
    .collect();
    assert_eq!(trail, ["fields=interpreter", "fields=duration,services"]);
    // A voided visit is not corrected.
    ok(visits::void(
        &mut db,
        &coordinator,
        on_the_5th,
        "logged in error",
        at(20, 11),
    ));
    assert!(matches!(
        visits::correct(&mut db, &coordinator, on_the_5th, &corrected, at(20, 12)),
        Err(db::Error::NotFound)
    ));
}

#[test]
fn a_visit_is_corrected_from_the_card_in_its_own_form() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("card.correct")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitForm);
    assert!(h.query_by_label(&tr("visit_form.correct_title")).is_some());
    assert_eq!(
        h.state().desk.visit_form.draft.services.len(),
        1,
        "prefilled"
    );
    type_into(h, &tr("visit_form.duration"), "45");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visits WHERE duration_minutes = 45"
        ),
        1
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM visits"),
        1,
        "corrected, not added"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'update' AND detail = 'fields=duration'"
        ),
        1
    );
}

#[test]
fn a_referral_is_corrected_in_place_until_printed_then_reissued_under_a_new_reference() {
    use bureau_desk::db::figures;
    use bureau_desk::db::referrals::ReferralCorrection;
    use bureau_desk::domain::figures::Period;
    use bureau_desk::domain::referrals::ReferralStatus;
    let october = Period::month(2026, 10).unwrap_or_else(|| panic!("a month"));
    let mut db = ok(Database::open_in_memory());
    let maria = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let (person, _) = registered(&mut db, &maria);
    let issued = ok(referrals::referrals_for_visitor(&db, &maria, person))[0].clone();
    let draft = |organisation: i64, reason: &str| {
        ReferralDraft {
            visit: Some(issued.visit),
            organisation: Some(OrganisationId(organisation)),
            service_type: Some(issued.service_type),
            reason: reason.into(),
            follow_up: "09.10.2026".into(),
            ..Default::default()
        }
        .validate(day(3))
        .unwrap_or_else(|e| panic!("{e:?}"))
    };
    // Not printed yet: corrected where it is, same reference.
    let first = draft(1, "документи за статут");
    let done = ok(referrals::correct_referral(
        &mut db,
        &maria,
        issued.id,
        &first,
        at(3, 9),
    ));
    assert!(
        matches!(&done, ReferralCorrection::Corrected(fields) if fields.contains(&"reason")),
        "{done:?}"
    );
    let now = ok(referrals::referrals_for_visitor(&db, &maria, person));
    assert_eq!(
        (now.len(), now[0].reference.as_str()),
        (1, issued.reference.as_str())
    );
    assert_eq!(now[0].reason, "документи за статут");
    // Printed, then corrected: the printed one is cancelled, a new reference carries the change.
    ok(referrals::referral_slip(
        &mut db,
        &maria,
        issued.id,
        at(3, 10),
    ));
    let moved = draft(2, "документи за статут");
    let ReferralCorrection::Reissued(new) = ok(referrals::correct_referral(
        &mut db,
        &maria,
        issued.id,
        &moved,
        at(3, 11),
    )) else {
        panic!("reissued");
    };
    let all = ok(referrals::referrals_for_visitor(&db, &maria, person));
    let old = all
        .iter()
        .find(|r| r.id == issued.id)
        .unwrap_or_else(|| panic!("the printed one stays"));
    let renewed = all
        .iter()
        .find(|r| r.id == new)
        .unwrap_or_else(|| panic!("the new one"));
    assert_eq!(old.status, ReferralStatus::Cancelled);
    assert_ne!(renewed.reference, old.reference, "a reference of its own");
    assert_eq!(renewed.organisation, OrganisationId(2));
    let slip = ok(referrals::referral_slip(&mut db, &maria, new, at(3, 12)));
    assert_eq!(slip.reference, renewed.reference);
    // Counted once, and a cancelled one is corrected no more.
    let figures = ok(figures::compute(&db, &maria, october));
    assert_eq!(figures.referrals.total, 1);
    assert!(matches!(
        referrals::correct_referral(&mut db, &maria, issued.id, &first, at(3, 13)),
        Err(db::Error::NotFound)
    ));
    let trail: Vec<String> = ok(audit::entries(&db, &maria, &audit::Filter::default(), 50))
        .into_iter()
        .filter(|e| e.entity == "referrals")
        .map(|e| e.detail)
        .collect();
    assert!(
        trail.contains(&format!("reissued as {}", renewed.reference)),
        "{trail:?}"
    );
}

#[test]
fn a_referral_is_corrected_from_the_card() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    let visit = h
        .state()
        .desk
        .card
        .as_ref()
        .and_then(|c| c.visits.first().map(|v| v.id))
        .unwrap_or_else(|| panic!("a visit"));
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::StartReferral(visit));
    h.run();
    let destination = h.state().desk.destinations.first().map(|o| o.id);
    let service = h.state().desk.services.first().map(|s| s.id);
    {
        let form = &mut h.state_mut().desk.referral_form;
        form.draft.organisation = destination;
        form.draft.service_type = service;
    }
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::SaveReferral);
    h.run();
    // The visit's "Correct…" comes first, the referral's under it.
    h.get_all_by_label(&tr("card.correct"))
        .last()
        .unwrap_or_else(|| panic!("the referral's button"))
        .click();
    h.run();
    assert!(
        h.query_by_label(&tr("referral_form.correct_title"))
            .is_some()
    );
    type_into(h, &tr("referral_form.reason"), "поправена причина");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM referrals WHERE reason = 'поправена причина'"
        ),
        1
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM referrals"),
        1,
        "not printed: in place"
    );
}

#[test]
fn an_accompaniment_is_corrected_until_its_confirmation_is_printed_then_booked_again() {
    use bureau_desk::db::figures;
    use bureau_desk::db::referrals::AccompanimentCorrection;
    use bureau_desk::domain::figures::Period;
    use bureau_desk::domain::referrals::{AccompanimentDraft, AccompanimentStatus};
    let october = Period::month(2026, 10).unwrap_or_else(|| panic!("a month"));
    let mut db = ok(Database::open_in_memory());
    let maria = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Coordinator,
        "2026-10-01T09:00",
    ))
    .actor();
    let (person, visit) = registered(&mut db, &maria);
    let booking = |time: &str, purpose: &str| {
        AccompanimentDraft {
            visit: Some(visit),
            organisation: Some(OrganisationId(1)),
            purpose: purpose.into(),
            date: "12.10.2026".into(),
            time: time.into(),
            ..Default::default()
        }
        .validate()
        .unwrap_or_else(|e| panic!("{e:?}"))
    };
    let id = ok(referrals::insert_accompaniment(
        &mut db,
        &maria,
        &booking("10:00", "регистрация"),
        at(3, 9),
    ));
    let done = ok(referrals::correct_accompaniment(
        &mut db,
        &maria,
        id,
        &booking("11:30", "регистрация"),
        at(3, 10),
    ));
    assert_eq!(
        done,
        AccompanimentCorrection::Corrected(vec!["scheduled_at"])
    );
    ok(referrals::accompaniment_slip(
        &mut db,
        &maria,
        id,
        at(3, 11),
    ));
    let AccompanimentCorrection::Reissued(new) = ok(referrals::correct_accompaniment(
        &mut db,
        &maria,
        id,
        &booking("11:30", "регистрация и адрес"),
        at(3, 12),
    )) else {
        panic!("booked again");
    };
    let all = ok(referrals::accompaniments_for_visitor(&db, &maria, person));
    assert_eq!(all.len(), 2);
    let old = all
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("old"));
    let renewed = all
        .iter()
        .find(|a| a.id == new)
        .unwrap_or_else(|| panic!("new"));
    assert_eq!(old.status, AccompanimentStatus::Cancelled);
    assert_ne!(old.reference, renewed.reference);
    assert_eq!(renewed.purpose, "регистрация и адрес");
    assert_eq!(
        ok(figures::compute(&db, &maria, october))
            .accompaniments
            .total,
        1
    );
}

#[test]
fn an_accompaniment_is_corrected_from_the_card() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    let visit = h
        .state()
        .desk
        .card
        .as_ref()
        .and_then(|c| c.visits.first().map(|v| v.id))
        .unwrap_or_else(|| panic!("a visit"));
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::StartAccompaniment(visit));
    h.run();
    let destination = h.state().desk.destinations.first().map(|o| o.id);
    {
        let form = &mut h.state_mut().desk.accompaniment_form;
        form.draft.organisation = destination;
        form.draft.time = "10:00".into();
    }
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::SaveAccompaniment);
    h.run();
    h.get_all_by_label(&tr("card.correct"))
        .last()
        .unwrap_or_else(|| panic!("the accompaniment's button"))
        .click();
    h.run();
    assert!(
        h.query_by_label(&tr("accompaniment_form.correct_title"))
            .is_some()
    );
    type_into(h, &tr("accompaniment_form.purpose"), "нова цел");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM accompaniments WHERE purpose = 'нова цел'"
        ),
        1
    );
    assert_eq!(count(&path, "SELECT count(*) FROM accompaniments"), 1);
}
