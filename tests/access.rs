//! The roles of docs/access.md, one test per row, calling the library directly: what a role
//! may not do fails with `Forbidden` whatever the screens show. And a partner's password alone
//! opens nothing.

use bureau_desk::app::session;
use bureau_desk::db::{
    self, Database, Error, consents, erasure, figures, organisations, referrals, settings, staff,
    visitors, visits,
};
use bureau_desk::domain::access::Permission;
use bureau_desk::domain::figures::Period;
use bureau_desk::domain::referrals::ReferralDraft;
use bureau_desk::domain::{
    Actor, ConsentScope, NewVisit, OrganisationDraft, OrganisationId, OrganisationKind, Role,
    ServiceLine, ServiceTypeId, VisitId, VisitorDraft, VisitorId,
};
use chrono::NaiveDate;
use secrecy::SecretString;

const NOW: &str = "2026-11-23T10:00";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

struct World {
    db: Database,
    admin: Actor,
    visitor: VisitorId,
    visit: VisitId,
    partner_org: OrganisationId,
}

fn ok<T>(result: db::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn visit_by(actor: &Actor, visitor: VisitorId, provider: OrganisationId, notes: &str) -> NewVisit {
    NewVisit {
        visitor: Some(visitor),
        at: today().and_hms_opt(10, 0, 0).unwrap_or_default(),
        staff: actor.staff_id,
        language: "ar".into(),
        interpreter: false,
        duration_minutes: None,
        services: vec![ServiceLine {
            service_type: ServiceTypeId(1),
            provider,
        }],
        notes: notes.into(),
    }
}

/// A bureau with an administrator, a partner organisation, a visitor and a visit by the desk.
fn world() -> World {
    let mut db = ok(Database::open_in_memory());
    let admin = ok(staff::insert(&mut db, "Admin", Role::Admin, NOW)).actor();
    let org = OrganisationDraft {
        kind: Some(OrganisationKind::Ngo),
        name_bg: "Център Надя".into(),
        name_en: "Nadya Centre".into(),
        active: true,
        ..Default::default()
    }
    .validate()
    .unwrap_or_else(|e| panic!("{e:?}"));
    let partner_org = ok(organisations::save(&mut db, &admin, None, &org, NOW));
    let new = VisitorDraft {
        given_name: "Ахмед".into(),
        family_name: "Хасан".into(),
        phone: "0888 123 456".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap_or_else(|e| panic!("{e:?}"));
    let visitor = ok(visitors::insert(&mut db, &admin, &new, NOW)).id;
    let visit = ok(visits::insert(
        &mut db,
        &admin,
        &visit_by(&admin, visitor, OrganisationId(1), "the desk's own note"),
        NOW,
    ));
    World {
        db,
        admin,
        visitor,
        visit,
        partner_org,
    }
}

fn member(w: &mut World, role: Role) -> Actor {
    if role == Role::Partner {
        let password = SecretString::from("the partner's password");
        return ok(staff::add_partner(
            &mut w.db,
            &w.admin,
            "Надя",
            w.partner_org,
            &password,
            NOW,
        ))
        .actor();
    }
    ok(staff::insert(&mut w.db, &format!("{role:?}"), role, NOW)).actor()
}

fn allowed<T>(result: db::Result<T>, expected: bool, what: &str) {
    match (result, expected) {
        (Ok(_), true) | (Err(Error::Forbidden(_)), false) => {}
        (Ok(_), false) => panic!("{what}: allowed where it must be refused"),
        (Err(e), _) => panic!("{what}: {e}"),
    }
}

/// Calls every library entry point the matrix names as `actor`, and checks each against the
/// role's row.
fn check_row(role: Role) {
    let mut w = world();
    let actor = member(&mut w, role);
    let may = |p| role.may(p);

    allowed(
        visitors::search(&w.db, &actor, "ахмед", 5),
        may(Permission::SeeIdentity),
        "search",
    );
    let card = visitors::find(&mut w.db, &actor, w.visitor, NOW);
    allowed(card, may(Permission::SeeIdentity), "card");
    if let Ok(card) = visitors::find(&mut w.db, &actor, w.visitor, NOW) {
        assert_eq!(card.restricted, !may(Permission::SeeCard), "{role:?}");
        assert_eq!(card.details.given_name, "Ахмед");
        if card.restricted {
            assert!(!format!("{:?}", card.details).contains("0888"), "no phone");
        }
    }
    let new = VisitorDraft {
        given_name: "Олена".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap_or_else(|e| panic!("{e:?}"));
    allowed(
        visitors::insert(&mut w.db, &actor, &new, NOW),
        may(Permission::Register),
        "register",
    );
    // A visit with the bureau as provider: a partner may not log another organisation's work.
    let bureau_visit = visit_by(&actor, w.visitor, OrganisationId(1), "");
    allowed(
        visits::insert(&mut w.db, &actor, &bureau_visit, NOW),
        may(Permission::LogVisits) && role != Role::Partner,
        "log a visit",
    );
    let history = visits::for_visitor(&w.db, &actor, w.visitor);
    allowed(history, may(Permission::SeeIdentity), "history");
    let referral = ReferralDraft {
        visit: Some(w.visit),
        organisation: Some(w.partner_org),
        service_type: Some(ServiceTypeId(1)),
        ..Default::default()
    }
    .validate(today())
    .unwrap_or_else(|e| panic!("{e:?}"));
    let now = today().and_hms_opt(10, 30, 0).unwrap_or_default();
    allowed(
        referrals::insert_referral(&mut w.db, &actor, &referral, now),
        may(Permission::Refer),
        "refer",
    );
    allowed(
        referrals::referrals_for_visitor(&w.db, &actor, w.visitor),
        may(Permission::Refer),
        "referrals on the card",
    );
    let month = Period::month(2026, 11).unwrap_or_else(|| panic!("month"));
    allowed(
        figures::compute(&w.db, &actor, month),
        may(Permission::Reports),
        "figures",
    );
    allowed(
        figures::records(&w.db, &actor, month, &[7; 32]),
        may(Permission::Reports),
        "records",
    );
    let org = ok(organisations::find(&w.db, w.partner_org));
    let details = OrganisationDraft::edit(&org)
        .validate()
        .unwrap_or_else(|e| panic!("{e:?}"));
    allowed(
        organisations::save(&mut w.db, &actor, Some(w.partner_org), &details, NOW),
        may(Permission::EditDirectory),
        "directory",
    );
    allowed(
        settings::change(&w.db, &actor, settings::SLIP_PAPER, "A4", NOW),
        may(Permission::Settings),
        "settings",
    );
    allowed(
        staff::add_partner(
            &mut w.db,
            &actor,
            "Друг",
            w.partner_org,
            &SecretString::from("another long password"),
            NOW,
        ),
        may(Permission::ManageStaff),
        "add staff",
    );
    allowed(
        consents::record(
            &mut w.db,
            &actor,
            w.visitor,
            (ConsentScope::ShareWithReferrals, true),
            today(),
            now,
        ),
        may(Permission::Register),
        "record a consent",
    );
    allowed(
        consents::history(&w.db, &actor, w.visitor),
        may(Permission::SeeCard),
        "consent history",
    );
    allowed(
        erasure::review(&w.db, &actor, today(), 5),
        may(Permission::Retention),
        "retention review",
    );
    allowed(
        erasure::apply(&mut w.db, &actor, today(), 5, now),
        may(Permission::Retention),
        "retention run",
    );
    let record = ok(visitors::find(
        &mut w.db,
        &Actor {
            role: Role::Admin,
            ..actor
        },
        w.visitor,
        NOW,
    ))
    .details;
    let mut corrected = record.clone();
    corrected.family_name = "Поправена".into();
    allowed(
        visitors::update(&mut w.db, &actor, w.visitor, &corrected, now),
        may(Permission::Register) && may(Permission::SeeCard),
        "correct a record",
    );
    // The visit was logged by someone else: voiding it takes the right to void any visit.
    allowed(
        visits::void(&mut w.db, &actor, w.visit, "logged in error", now),
        may(Permission::CorrectAnyVisit),
        "void another's visit",
    );
    // A second registration of the person, merged into the record and the merge undone.
    let twice = VisitorDraft {
        given_name: "Olena".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap_or_else(|e| panic!("{e:?}"));
    let twice = ok(visitors::insert(&mut w.db, &w.admin, &twice, NOW)).id;
    let may_merge = may(Permission::Merge) && may(Permission::SeeCard);
    let merge =
        match bureau_desk::db::merges::merge(&mut w.db, &actor, (w.visitor, twice), &[], now) {
            Ok(merge) if may_merge => merge,
            Err(Error::Forbidden(_)) if !may_merge => ok(bureau_desk::db::merges::merge(
                &mut w.db,
                &w.admin,
                (w.visitor, twice),
                &[],
                now,
            )),
            Ok(_) => panic!("merge: allowed where it must be refused"),
            Err(e) => panic!("merge: {e}"),
        };
    allowed(
        bureau_desk::db::merges::undo(&mut w.db, &actor, merge, now),
        may(Permission::UndoMerge),
        "undo a merge",
    );
    let register = bureau_desk::import::Table {
        hash: "0".repeat(64),
        headings: vec!["Име".into()],
        rows: vec![(2, vec!["Тест".into()])],
        encoding: None,
        delimiter: None,
    };
    allowed(
        bureau_desk::db::imports::run(
            &mut w.db,
            &actor,
            &register,
            &bureau_desk::import::Choices::default(),
            true,
            now,
        ),
        may(Permission::Import),
        "import a register (dry run)",
    );
    // Last: erasing alone (a desk worker needs a coordinator's confirmation).
    allowed(
        erasure::erase(&mut w.db, &actor, w.visitor, None, now),
        may(Permission::Erase),
        "erase",
    );
}

#[test]
fn a_desk_worker_erases_only_with_a_coordinators_confirmation() {
    let mut w = world();
    let desk = member(&mut w, Role::Desk);
    let other_desk = ok(staff::insert(&mut w.db, "Друга", Role::Desk, NOW)).actor();
    let coordinator = member(&mut w, Role::Coordinator);
    let now = today().and_hms_opt(11, 0, 0).unwrap_or_default();
    allowed(
        erasure::erase(&mut w.db, &desk, w.visitor, Some(&other_desk), now),
        false,
        "confirmed by another desk worker",
    );
    let code = ok(erasure::erase(
        &mut w.db,
        &desk,
        w.visitor,
        Some(&coordinator),
        now,
    ));
    assert!(code.starts_with("ERASED-"), "{code}");
    let entry = &ok(bureau_desk::db::audit::latest(&w.db, 1))[0];
    assert_eq!(
        (entry.action.as_str(), entry.staff_id, entry.detail.clone()),
        (
            "erase",
            Some(desk.staff_id.0),
            format!("confirmed by staff {}", coordinator.staff_id.0)
        )
    );
}

#[test]
fn desk_workers_register_log_and_refer_but_see_no_figures() {
    check_row(Role::Desk);
}

#[test]
fn coordinators_also_see_figures_and_keep_the_directory() {
    check_row(Role::Coordinator);
}

#[test]
fn administrators_may_everything() {
    check_row(Role::Admin);
}

#[test]
fn volunteers_see_identities_and_accompaniments_only() {
    check_row(Role::Volunteer);
}

#[test]
fn partners_see_identities_and_log_their_own_services_only() {
    check_row(Role::Partner);
    // What a partner sees of the history: their organisation's visits, without anyone's notes.
    let mut w = world();
    let partner = member(&mut w, Role::Partner);
    let own = visit_by(&partner, w.visitor, w.partner_org, "the partner's note");
    ok(visits::insert(&mut w.db, &partner, &own, NOW));
    let seen = ok(visits::for_visitor(&w.db, &partner, w.visitor));
    assert_eq!(seen.len(), 1, "only the partner's own visit");
    assert!(seen.iter().all(|v| v.notes.is_empty()));
    assert!(
        seen.iter()
            .flat_map(|v| &v.services)
            .all(|s| s.provider == w.partner_org)
    );
    let all = ok(visits::for_visitor(&w.db, &w.admin, w.visitor));
    assert_eq!(all.len(), 2, "the desk sees both");
    let day = ok(visits::on_day(&w.db, &partner, today()));
    assert_eq!(day.len(), 1);
}

#[test]
fn a_partners_password_alone_opens_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let admin_password = SecretString::from("the administrator's own");
    let set_up = session::create(&path, "Admin", &admin_password, &admin_password, NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut database = set_up.signed_in.database;
    let admin = set_up.signed_in.staff.actor();
    let org = OrganisationDraft {
        kind: Some(OrganisationKind::Ngo),
        name_bg: "Център Надя".into(),
        name_en: "Nadya Centre".into(),
        active: true,
        ..Default::default()
    }
    .validate()
    .unwrap_or_else(|e| panic!("{e:?}"));
    let org = ok(organisations::save(&mut database, &admin, None, &org, NOW));
    let partner_password = SecretString::from("the partner's password");
    ok(staff::add_partner(
        &mut database,
        &admin,
        "Надя",
        org,
        &partner_password,
        NOW,
    ));
    // On the open desk the partner's password is recognised.
    let partner = ok(staff::verify_partner(&database, "надя", &partner_password));
    assert_eq!(partner.role, Role::Partner);
    assert!(matches!(
        staff::verify_partner(&database, "Надя", &SecretString::from("wrong")),
        Err(Error::WrongPassword)
    ));
    // A partner cannot reset another's password; an administrator can, and the old one goes.
    let reset = SecretString::from("a new partner password");
    let other = ok(staff::add_partner(
        &mut database,
        &admin,
        "Олга",
        org,
        &SecretString::from("olga's own password"),
        NOW,
    ));
    assert!(matches!(
        staff::set_partner_password(&database, &partner.actor(), other.id, &reset),
        Err(Error::Forbidden(_))
    ));
    session::set_password(&database, &admin, &partner, (&reset, &reset), NOW)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        staff::verify_partner(&database, "Надя", &partner_password),
        Err(Error::WrongPassword)
    ));
    assert_eq!(
        ok(staff::verify_partner(&database, "Надя", &reset)).id,
        partner.id
    );
    let partner_password = reset;
    drop(database);
    // But it opens no file: there is no slot in the partner's name, and no slot opens with it.
    assert!(matches!(
        session::sign_in(&path, "Надя", &partner_password),
        Err(session::SessionError::UnknownName(_))
    ));
    assert!(session::sign_in(&path, "Admin", &partner_password).is_err());
    let keys = bureau_desk::keys::KeyFile::load(&bureau_desk::output::key_file_of(&path))
        .unwrap_or_else(|e| panic!("{e}"));
    for (id, _) in keys.staff() {
        assert!(keys.unlock(id, &partner_password).is_err());
    }
    assert!(keys.unlock_with_recovery(&partner_password).is_err());
}
