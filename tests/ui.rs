//! The real desk screens driven through egui_kittest: find by label, type, click, then check
//! what the database holds and what the screen shows.

use bureau_desk::app::{Clock, Desk, Screen};
use bureau_desk::db::{Database, OpenMode, staff};
use bureau_desk::domain::Role;
use bureau_desk::ui::{BureauApp, theme};
use chrono::NaiveDate;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use rusqlite::Connection;

fn tr(key: &str) -> String {
    bureau_desk::translate("bg", key, &[])
}

struct Setup {
    harness: Harness<'static, BureauApp>,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn desk() -> Setup {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    staff::insert(&mut db, "Мария", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(db, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    Setup {
        harness,
        path,
        _dir: dir,
    }
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    Connection::open(path)
        .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
        .unwrap_or(-1)
}

/// Clicks a field (which gives it the keyboard) and types into it.
fn type_into(h: &mut Harness<'static, BureauApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn choose_staff(h: &mut Harness<'static, BureauApp>) {
    h.run();
    h.get_by_label("Мария").click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
}

#[test]
fn register_find_open_and_log_a_visit_with_two_services() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);

    // Register.
    h.get_by_label(&tr("desk.new_visitor")).click();
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    type_into(h, &tr("visitor.family_name"), "Хасан");
    type_into(h, &tr("visitor.given_name_latin"), "Ahmed");
    type_into(h, &tr("visitor.birth"), "1990");
    h.get_by_label(&tr("form.save")).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE given_name = 'Ахмед' AND birth_year = 1990"
        ),
        1
    );
    assert_eq!(h.state().desk.screen, Screen::Desk);

    // Find by typing part of the name, in another script, and open with Enter.
    h.state_mut().desk.card = None;
    h.state_mut().desk.query.clear();
    h.run();
    type_into(h, &tr("desk.search"), "ahm");
    assert!(
        h.query_by_label("B-000001").is_some(),
        "the result shows the bureau code"
    );
    h.key_press(Key::Enter);
    h.run();
    let empty_history = bureau_desk::translate("bg", "card.history", &[("count", "0")]);
    assert!(
        h.query_by_label(&empty_history).is_some(),
        "the card is open"
    );
    assert_eq!(
        h.state()
            .desk
            .card
            .as_ref()
            .map(|c| c.visitor.code.as_str()),
        Some("B-000001")
    );

    // Log a visit: Ctrl+Enter, pick two services by typing, save.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitForm);
    let filter = tr("visit_form.add_service");
    type_into(h, &filter, "правна");
    h.key_press(Key::Enter);
    h.run();
    type_into(h, &filter, "инфор");
    h.key_press(Key::Enter);
    h.run();
    type_into(h, &tr("visit_form.notes"), "Needs an appointment.");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();

    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visits WHERE visitor_id = 1 AND visited_at = '2026-11-23T10:05'"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM services_rendered s JOIN service_types t ON t.id = s.service_type_id WHERE t.code IN ('legal', 'information')"
        ),
        2
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE entity = 'visits' AND action = 'create'"
        ),
        1
    );
    assert_eq!(h.state().desk.screen, Screen::Desk);
    let history = bureau_desk::translate("bg", "card.history", &[("count", "1")]);
    assert!(
        h.query_by_label(&history).is_some(),
        "the card shows one visit"
    );
    assert!(
        h.query_by_label_contains("• Правна помощ —").is_some(),
        "the service is in the history"
    );
    assert!(h.query_by_label_contains(&tr("card.first")).is_some());
    let today = bureau_desk::translate("bg", "desk.today", &[("count", "1")]);
    assert!(
        h.query_by_label(&today).is_some(),
        "today's visits on the desk"
    );
}

#[test]
fn an_invalid_form_keeps_its_text_and_says_what_is_wrong() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitorForm);
    type_into(h, &tr("visitor.given_name"), "Иван");
    type_into(h, &tr("visitor.birth"), "30.02.1985");
    type_into(h, &tr("visitor.phone"), "call me");
    h.get_by_label(&tr("form.save")).click();
    h.run();
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 0);
    assert!(h.query_by_label(&tr("problem.bad_date")).is_some());
    assert!(h.query_by_label(&tr("problem.bad_phone")).is_some());
    assert_eq!(
        h.get_by_label(&tr("visitor.given_name")).value().as_deref(),
        Some("Иван")
    );
    assert_eq!(
        h.get_by_label(&tr("visitor.birth")).value().as_deref(),
        Some("30.02.1985")
    );
    assert_eq!(h.state().desk.screen, Screen::VisitorForm);
}

#[test]
fn an_anonymous_visit_is_counted_without_a_person() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitForm);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(h.query_by_label(&tr("problem.no_services")).is_some());
    type_into(h, &tr("visit_form.add_service"), "inform");
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label(&tr("form.save")).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visits WHERE visitor_id IS NULL"
        ),
        1
    );
}

#[test]
fn the_language_choice_is_remembered() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.get_by_label("EN").click();
    h.run();
    assert!(
        h.query_by_label(&bureau_desk::translate("en", "desk.search", &[]))
            .is_some()
    );
    let stored: String = Connection::open(&path)
        .and_then(|c| {
            c.query_row(
                "SELECT value FROM settings WHERE key = 'ui.language'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or_default();
    assert_eq!(stored, "en");
}
