//! The real desk screens driven through egui_kittest: find by label, type, click, then check
//! what the database holds and what the screen shows.

use bureau_desk::app::{Clock, Command, Desk, Notice, Screen};
use bureau_desk::db::{Database, OpenMode, staff};
use bureau_desk::domain::Role;
use bureau_desk::domain::figures::PeriodError;
use bureau_desk::ui::{BureauApp, theme};
use chrono::NaiveDate;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use rusqlite::Connection;

pub(crate) fn tr(key: &str) -> String {
    bureau_desk::translate("bg", key, &[])
}

pub(crate) struct Setup {
    pub(crate) harness: Harness<'static, BureauApp>,
    pub(crate) path: std::path::PathBuf,
    pub(crate) _dir: tempfile::TempDir,
}

pub(crate) fn desk() -> Setup {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    // A coordinator: the desk's work and the reports.
    let maria = staff::insert(&mut db, "Мария", Role::Coordinator, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(db, maria, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
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

/// The whole window (sign-in screen first) on `gate`'s file, slips written under `dir`, at
/// 1366×768 with the desk's theme.
pub(crate) fn window(
    gate: bureau_desk::app::session::Gate,
    dir: &std::path::Path,
    now: chrono::NaiveDateTime,
) -> Harness<'static, bureau_desk::ui::DeskWindow> {
    let window = bureau_desk::ui::DeskWindow::new(
        gate,
        bureau_desk::app::SlipOutput {
            folder: dir.join("slips"),
            open_viewer: false,
        },
        Clock::Fixed(now),
    );
    Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, w: &mut bureau_desk::ui::DeskWindow| w.show(ui), window)
}

pub(crate) fn count(path: &std::path::Path, sql: &str) -> i64 {
    Connection::open(path)
        .and_then(|c| c.query_row(sql, [], |r| r.get(0)))
        .unwrap_or(-1)
}

/// Clicks a field (which gives it the keyboard) and types into it.
pub(crate) fn type_into(h: &mut Harness<'static, BureauApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Scrolls a control into view (the card's history scrolls) and clicks it.
fn reach_and_click(h: &mut Harness<'static, BureauApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// The desk opens on the desk screen for the staff member signed in.
pub(crate) fn choose_staff(h: &mut Harness<'static, BureauApp>) {
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert!(
        h.query_by_label("Мария").is_some(),
        "the name in the top bar"
    );
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
    h.get_by_label(&tr("visitor_form.latin_fold")).click();
    h.run();
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
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'settings' AND detail = 'ui.language' AND staff_id = 1"
        ),
        1,
        "a settings change, by whom"
    );
}

/// A desk whose database already holds a visitor who consented to sharing, one visit of theirs
/// and a clinic to refer them to; the visitor's card is open.
pub(crate) fn desk_with_a_visit() -> Setup {
    use bureau_desk::db::{organisations, visitors, visits};
    use bureau_desk::domain::{
        Actor, ConsentScope, OrganisationDraft, OrganisationKind, ServiceLine, VisitDraft,
        VisitorDraft,
    };
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    {
        let mut db = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
        let actor = Actor {
            staff_id: bureau_desk::domain::StaffId(1),
            role: Role::Coordinator,
            organisation: None,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let visitor = VisitorDraft {
            given_name: "Олена".into(),
            family_name: "Коваленко".into(),
            preferred_language: bureau_desk::domain::Answer::Given("uk".into()),
            consents: vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals],
            ..Default::default()
        };
        let visitor = visitor.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
        let visitor = visitors::insert(&mut db, &actor, &visitor, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let visit = VisitDraft {
            visitor: Some(visitor.id),
            date: "23.11.2026".into(),
            time: "09:30".into(),
            staff: Some(actor.staff_id),
            language: "uk".into(),
            services: vec![ServiceLine {
                service_type: bureau_desk::domain::ServiceTypeId(4),
                provider: bureau_desk::domain::OrganisationId(1),
            }],
            ..Default::default()
        };
        let visit = visit
            .validate(today.and_hms_opt(10, 0, 0).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        visits::insert(&mut db, &actor, &visit, "2026-11-23T09:30")
            .unwrap_or_else(|e| panic!("{e}"));
        let clinic = OrganisationDraft {
            kind: Some(OrganisationKind::Clinic),
            name_bg: "Клиника Изток".into(),
            name_en: "East Clinic".into(),
            address_bg: "ул. „Изток“ 1".into(),
            active: true,
            ..Default::default()
        };
        let clinic = clinic.validate().unwrap_or_else(|e| panic!("{e:?}"));
        organisations::save(&mut db, &actor, None, &clinic, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let slips = _dir.path().join("slips");
    harness.state_mut().desk.slip_output = bureau_desk::app::SlipOutput {
        folder: slips,
        open_viewer: false,
    };
    let h = &mut harness;
    choose_staff(h);
    type_into(h, &tr("desk.search"), "олена");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().desk.card.is_some(), "the card is open");
    Setup {
        harness,
        path,
        _dir,
    }
}

#[test]
fn refer_print_and_mark_attended_from_the_follow_up_list() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("card.referral")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::ReferralForm);
    type_into(h, &tr("referral_form.destination"), "изток");
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("Достъп до здравеопазване").click();
    h.run();
    type_into(
        h,
        &tr("referral_form.reason"),
        "Регистрация при личен лекар",
    );
    type_into(h, &tr("referral_form.appointment_date"), "24.11.2026");
    type_into(h, &tr("referral_form.appointment_time"), "10:30");
    // Due today, so it is on the follow-up list at once.
    let follow_up = tr("referral_form.follow_up");
    h.get_by_label(&follow_up).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&follow_up).type_text("23.11.2026");
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM referrals WHERE reference = 'R-2026-000001' AND appointment_at = '2026-11-24T10:30' AND shares_details = 1 AND status = 'issued'"
        ),
        1
    );
    assert_eq!(h.state().desk.screen, Screen::Desk);

    // Print: the PDF is written and names the visitor by code and given name.
    h.get_by_label(&tr("card.print")).click();
    h.run();
    let slip = _dir.path().join("slips/R-2026-000001.pdf");
    let bytes = std::fs::read(&slip).unwrap_or_else(|e| panic!("{}: {e}", slip.display()));
    assert!(bytes.starts_with(b"%PDF"));
    let where_it_is = bureau_desk::translate(
        "bg",
        "notice.slip_printed",
        &[("code", &slip.display().to_string())],
    );
    assert!(
        h.query_by_label(&where_it_is).is_some(),
        "the desk says where the slip is"
    );
    assert!(h.query_by_label(&tr("notice.open_folder")).is_some());
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'print' AND entity = 'referrals'"
        ),
        1
    );

    // The follow-up list on the desk: one click records the outcome.
    let due = bureau_desk::translate("bg", "desk.follow_up", &[("count", "1")]);
    assert!(
        h.query_by_label(&due).is_some(),
        "the referral is due for follow-up"
    );
    let attended = tr("referral_status.attended");
    h.get_all_by_label(&attended)
        .next()
        .unwrap_or_else(|| panic!("no button"))
        .click();
    h.run();
    // A click too many is undone for a few seconds, and clicked again.
    h.get_by_label(&tr("notice.undo")).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM referrals WHERE status = 'issued'"
        ),
        1,
        "undone"
    );
    assert!(h.query_by_label(&tr("notice.undo")).is_none());
    h.get_all_by_label(&attended)
        .next()
        .unwrap_or_else(|| panic!("no button"))
        .click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM referrals WHERE status = 'attended' AND status_changed_by = 1"
        ),
        1
    );
    let none_due = bureau_desk::translate("bg", "desk.follow_up", &[("count", "0")]);
    assert!(h.query_by_label(&none_due).is_some());
}

#[test]
fn book_an_accompaniment_and_see_it_on_the_days_list() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("card.accompaniment")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::AccompanimentForm);
    type_into(h, &tr("accompaniment_form.institution"), "east");
    h.key_press(Key::Enter);
    h.run();
    type_into(h, &tr("accompaniment_form.time"), "08:45");
    type_into(h, &tr("accompaniment_form.meeting_point"), "Пред бюрото");
    h.get_by_label(&tr("form.save")).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM accompaniments WHERE scheduled_at = '2026-11-24T08:45' AND status = 'planned' AND escort_staff_id = 1"
        ),
        1
    );
    let soon = bureau_desk::translate("bg", "desk.accompaniments_soon", &[("count", "1")]);
    assert!(
        h.query_by_label(&soon).is_some(),
        "tomorrow's accompaniment is on the desk"
    );
    assert!(h.query_all_by_label("Клиника Изток").count() >= 1);
    h.get_by_label(&tr("app.tab_week")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Week);
    assert!(
        h.query_by_label("24.11.2026").is_some(),
        "the week view groups by day"
    );
    // Tomorrow's meeting cannot be a no-show yet.
    h.get_by_label(&tr("accompaniment_status.no_show")).click();
    h.run();
    assert!(h.query_by_label(&tr("error.too_early")).is_some());
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM accompaniments WHERE status = 'planned'"
        ),
        1
    );
}

#[test]
fn the_visitor_gives_feedback_on_their_own_screen() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("app.tab_feedback")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Feedback);
    // In the visitor's language (Ukrainian), with nothing of the staff on screen.
    assert!(h.query_by_label("Як пройшов ваш візит сьогодні?").is_some());
    assert!(
        h.query_by_label("Мария").is_none(),
        "no staff name on the visitor's screen"
    );
    // Arabic instead, as the visitor chooses.
    h.get_by_label("العربية").click();
    h.run();
    assert_eq!(h.state().desk.feedback.draft.language, "ar");
    h.get_all_by_label("5\nجيد جداً")
        .next()
        .unwrap_or_else(|| panic!("first question"))
        .click();
    h.run();
    h.get_by_label(&bureau_desk::translate("ar", "feedback.send", &[]))
        .click();
    h.run();
    assert_eq!(
        count(&path, "SELECT count(*) FROM feedback"),
        0,
        "both questions are needed"
    );
    h.get_all_by_label("4\nجيد")
        .nth(1)
        .unwrap_or_else(|| panic!("second question"))
        .click();
    h.run();
    h.get_by_label(&bureau_desk::translate("ar", "feedback.send", &[]))
        .click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM feedback WHERE overall = 5 AND staff = 4 AND language = 'ar' AND given_on = '2026-11-23'"
        ),
        1
    );
    assert_eq!(
        h.state().desk.screen,
        Screen::Feedback,
        "stays with the visitor until staff take it back"
    );
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Feedback);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::D);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
}

#[test]
fn the_reports_screen_shows_the_figures_of_a_period() {
    let Setup {
        mut harness,
        path: _,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("app.tab_reports")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Reports);
    let figures = h.state().desk.reports.figures.clone().unwrap_or_default();
    assert_eq!(
        (
            figures.unique_visitors,
            figures.visits,
            figures.new_visitors
        ),
        (1, 1, 1)
    );
    assert!(
        h.query_all_by_label(&tr("report.key.unique_visitors"))
            .count()
            >= 1
    );
    // Another period, typed.
    let from = tr("report.from");
    h.get_by_label(&from).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&from).type_text("2026-12");
    h.run();
    h.get_by_label(&tr("report.show")).click();
    h.run();
    assert_eq!(
        h.state().desk.reports.period_error,
        Some(PeriodError::Reversed),
        "the start after the end is refused"
    );
    assert!(h.query_by_label(&tr("report.period_reversed")).is_some());
    h.get_by_label(&tr("report.this_month")).click();
    h.run();
    assert_eq!(h.state().desk.reports.period_error, None);
    let exports = _dir.path().join("exports");
    h.state_mut().desk.reports.folder = exports.display().to_string();
    h.get_by_label("JSON").click();
    h.run();
    let written = exports.join("figures-2026-11-01_2026-11-30.json");
    assert!(written.exists());

    // The same export again: the desk asks first, and "keep" writes nothing.
    std::fs::write(&written, "an earlier export").unwrap_or_else(|e| panic!("{e}"));
    h.get_by_label("JSON").click();
    h.run();
    let question = tr("replace.keep");
    assert!(
        h.query_by_label(&question).is_some(),
        "asks before replacing"
    );
    h.get_by_label(&question).click();
    h.run();
    assert!(h.state().desk.replace_question.is_none());
    assert_eq!(
        std::fs::read_to_string(&written).unwrap_or_default(),
        "an earlier export"
    );
    // "Replace" writes the new export over it.
    h.get_by_label("JSON").click();
    h.run();
    h.get_by_label(&tr("replace.replace")).click();
    h.run();
    let replaced = std::fs::read_to_string(&written).unwrap_or_default();
    assert!(replaced.contains("unique_visitors"), "{replaced}");
    assert!(
        !replaced.contains("\"records\""),
        "visits are listed only when asked"
    );
    // Asked for: the visits one by one, under pseudonyms, by month.
    h.get_by_label(&tr("report.records")).click();
    h.run();
    h.get_by_label("JSON").click();
    h.run();
    h.get_by_label(&tr("replace.replace")).click();
    h.run();
    let with_records: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&written).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    let visits = with_records["records"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        visits.len() as u64,
        with_records["visits"].as_u64().unwrap_or_default()
    );
    assert!(
        visits
            .iter()
            .all(|v| v["date"].as_str().is_some_and(|d| d.len() == 7))
    );
}

#[test]
fn a_slip_is_never_saved_onto_the_database_and_asks_before_replacing() {
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
        .unwrap_or_else(|| panic!("a visit on the card"));
    h.state_mut().desk.run(Command::StartReferral(visit));
    h.run();
    let destination = h.state().desk.destinations.first().map(|o| o.id);
    let service = h.state().desk.services.first().map(|s| s.id);
    {
        let form = &mut h.state_mut().desk.referral_form;
        form.draft.organisation = destination;
        form.draft.service_type = service;
    }
    h.state_mut().desk.run(Command::SaveReferral);
    h.run();
    let reference = h
        .state()
        .desk
        .card
        .as_ref()
        .and_then(|c| c.referrals.first().map(|r| r.reference.clone()))
        .unwrap_or_else(|| panic!("a referral on the card"));
    let before = std::fs::read(&path).unwrap_or_default();
    // "Save as…" asks the system's file dialog, here answered with the database itself.
    let answers = Answers::with(&path);
    h.state_mut().set_file_chooser(Box::new(answers.clone()));
    h.get_by_label(&tr("card.save_as")).click();
    h.run();
    let asked = answers.asked();
    assert_eq!(asked.len(), 1, "one dialog opened");
    assert_eq!(asked[0].file_name, Some(format!("{reference}.pdf")));
    assert_eq!(
        asked[0].folder,
        std::path::PathBuf::from(h.state().desk.reports.folder.trim()),
        "the dialog starts in the folder used last"
    );
    assert_eq!(
        h.state().desk.notice,
        Some(Notice::Failed("error.output_own_file"))
    );
    assert!(h.query_by_label(&tr("error.output_own_file")).is_some());
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    assert_eq!(
        count(&path, "SELECT count(*) FROM visits"),
        1,
        "still a database"
    );

    // An existing file: asked, and kept on "keep".
    let other = _dir.path().join("slip.pdf");
    std::fs::write(&other, "mine").unwrap_or_else(|e| panic!("{e}"));
    answers.answer_with(&other);
    h.get_by_label(&tr("card.save_as")).click();
    h.run();
    assert!(h.query_by_label(&tr("replace.keep")).is_some());
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().desk.replace_question.is_none());
    assert_eq!(std::fs::read_to_string(&other).unwrap_or_default(), "mine");
    h.get_by_label(&tr("card.save_as")).click();
    h.run();
    h.get_by_label(&tr("replace.replace")).click();
    h.run();
    assert!(
        std::fs::read(&other)
            .unwrap_or_default()
            .starts_with(b"%PDF"),
        "replaced by the slip"
    );
    // The slip's folder is the one the next dialog and export start in.
    assert_eq!(
        h.state().desk.reports.folder,
        _dir.path().display().to_string()
    );
}

/// Answers every file dialog with one path, as the person would, and keeps what was asked.
#[derive(Clone)]
pub(crate) struct Answers {
    path: std::rc::Rc<std::cell::RefCell<std::path::PathBuf>>,
    asked: std::rc::Rc<std::cell::RefCell<Vec<bureau_desk::app::PathRequest>>>,
}

impl Answers {
    pub(crate) fn with(path: &std::path::Path) -> Self {
        Answers {
            path: std::rc::Rc::new(std::cell::RefCell::new(path.to_owned())),
            asked: std::rc::Rc::default(),
        }
    }

    pub(crate) fn answer_with(&self, path: &std::path::Path) {
        *self.path.borrow_mut() = path.to_owned();
    }

    pub(crate) fn asked(&self) -> Vec<bureau_desk::app::PathRequest> {
        self.asked.borrow().clone()
    }
}

impl bureau_desk::ui::file_dialog::FileChooser for Answers {
    fn open(
        &self,
        request: bureau_desk::app::PathRequest,
        _title: String,
        answer: std::sync::mpsc::Sender<bureau_desk::ui::file_dialog::Chosen>,
        ctx: egui::Context,
    ) {
        self.asked.borrow_mut().push(request.clone());
        let _ = answer.send((request.purpose, self.path.borrow().clone()));
        ctx.request_repaint();
    }
}

#[test]
fn a_returning_visitors_visit_with_two_services_from_the_keyboard_alone() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    // The card is open after typing part of the name and Enter (done by the setup).
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitForm);
    for service in ["правна", "инфор"] {
        h.event(egui::Event::Text(service.to_owned()));
        h.run();
        h.key_press(Key::Enter);
        h.run();
    }
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert_eq!(count(&path, "SELECT count(*) FROM visits"), 2);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM services_rendered s JOIN service_types t ON t.id = s.service_type_id WHERE t.code IN ('legal', 'information')"
        ),
        2
    );
}

#[test]
fn a_new_database_gets_its_administrator_then_staff_sign_in_with_their_own_password() {
    use bureau_desk::app::session::{Gate, GateStep};
    use bureau_desk::ui::DeskWindow;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let mut harness = crate::ui::window(Gate::new(path.clone(), false), dir.path(), now);
    let h = &mut harness;
    h.run();
    assert_eq!(
        h.state().gate().map(|g| g.step),
        Some(GateStep::CreateAdmin)
    );
    let password = "чай с лимон и мед";
    let type_in = |h: &mut Harness<'static, DeskWindow>, label: &str, text: &str| {
        h.get_by_label(label).click();
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    };
    type_in(h, &tr("sign_in.admin_name"), "Мария");
    type_in(h, &tr("sign_in.new_password"), password);
    type_in(h, &tr("sign_in.new_password_again"), "something else");
    h.get_by_label(&tr("sign_in.create")).click();
    h.run();
    assert!(h.query_by_label(&tr("sign_in.mismatch")).is_some());
    assert!(!path.exists(), "nothing made on a mismatch");
    type_in(h, &tr("sign_in.new_password"), password);
    type_in(h, &tr("sign_in.new_password_again"), password);
    h.get_by_label(&tr("sign_in.create")).click();
    h.run();
    assert_eq!(
        h.state().gate().map(|g| g.step),
        Some(GateStep::ShowRecovery)
    );
    let code = h
        .state()
        .gate()
        .and_then(|g| g.recovery.as_ref().map(|c| c.expose().to_owned()))
        .unwrap_or_default();
    assert!(h.query_by_label(&code).is_some(), "the code is shown");
    // The sheet is printed from a temporary file that goes when the desk opens.
    h.get_by_label(&tr("sign_in.print_recovery")).click();
    h.run();
    let sheet = h
        .state()
        .gate()
        .and_then(|g| g.recovery_sheet.clone())
        .unwrap_or_else(|| panic!("a sheet was printed"));
    let text = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&sheet)
        .arg("-")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        text.contains(&tr("recovery_sheet.title"))
            && text.contains(&code[..19])
            && text.contains(&code[20..]),
        "{text}"
    );
    h.get_by_label(&tr("sign_in.recovery_noted")).click();
    h.run();
    assert!(!sheet.exists(), "the printed sheet is deleted");
    let signed_in = h.state().desk().and_then(|d| d.at_desk.clone());
    assert_eq!(signed_in.map(|s| s.display_name), Some("Мария".to_owned()));
    assert!(!Database::is_plain_file(&path));

    // Sign out: the sign-in screen, nothing of the desk.
    h.get_by_label(&tr("app.sign_out")).click();
    h.run();
    h.run();
    assert!(h.state().desk().is_none());
    assert_eq!(h.state().gate().map(|g| g.step), Some(GateStep::SignIn));
    assert!(h.query_by_label(&tr("desk.search")).is_none());

    // A wrong password: a sentence, and the desk stays shut.
    h.get_by_label("Мария").click();
    h.run();
    type_in(h, &tr("sign_in.password"), "not my password");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label(&tr("sign_in.wrong_password")).is_some());
    assert!(h.state().desk().is_none());
    assert!(
        h.state().gate().is_some_and(|g| g.password.is_empty()),
        "the typed password is wiped"
    );
    type_in(h, &tr("sign_in.password"), password);
    h.key_press(Key::Enter);
    h.run();
    h.run();
    assert!(h.state().desk().is_some(), "signed in again");
    // The refused try is in the trail, before the sign-in it preceded.
    let events: Vec<String> = h
        .state_mut()
        .desk_mut()
        .map(|desk| {
            desk.run(Command::OpenAudit);
            desk.audit
                .entries
                .iter()
                .rev()
                .map(|e| e.action.clone())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        events.ends_with(&[
            "sign_out".to_owned(),
            "sign_in_failed".to_owned(),
            "sign_in".to_owned()
        ]),
        "{events:?}"
    );
    // Closing the window with a search typed: the search and the sign-out are recorded.
    if let Some(desk) = h.state_mut().desk_mut() {
        desk.run(Command::OpenDesk);
    }
    h.run();
    type_in(h, &tr("desk.search"), "мар");
    h.state_mut().close();
    let last: Vec<(String, String)> = h
        .state_mut()
        .desk_mut()
        .map(|desk| {
            desk.run(Command::OpenAudit);
            desk.audit
                .entries
                .iter()
                .take(3)
                .map(|e| (e.action.clone(), e.detail.clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        last[..2],
        [
            ("sign_out".to_owned(), String::new()),
            ("search".to_owned(), "length=3 results=0".to_owned())
        ],
        "{last:?}"
    );
}

#[test]
fn a_desk_worker_sees_no_reports_and_no_directory_editing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let elena = staff::insert(&mut db, "Елена", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(db, elena, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    assert!(h.query_by_label(&tr("app.tab_reports")).is_none());
    assert!(h.query_by_label(&tr("desk.new_visitor")).is_some());
    h.get_by_label(&tr("app.tab_directory")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Directory);
    assert!(h.query_by_label(&tr("directory.new")).is_none());
    // The command is refused by the library too, with a sentence.
    h.state_mut().desk.run(Command::OpenReports);
    h.run();
    assert_eq!(
        h.state().desk.notice,
        Some(Notice::Failed("error.forbidden"))
    );
}

#[test]
fn the_lock_keeps_a_draft_for_its_owner_and_hides_it_from_the_next_person() {
    use bureau_desk::app::session;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let maria_pw = "мария пише тук сутрин";
    let petar_pw = "петър идва следобед";
    let secret = |s: &str| secrecy::SecretString::from(s);
    let set_up = session::create(
        &path,
        "Мария",
        &secret(maria_pw),
        &secret(maria_pw),
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut db = set_up.signed_in.database;
    let petar = staff::insert(&mut db, "Петър", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let petar_id = petar.id.0;
    session::set_password(
        &db,
        &set_up.signed_in.staff.actor(),
        &petar,
        (&secret(petar_pw), &secret(petar_pw)),
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk =
        Desk::new(db, set_up.signed_in.staff, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("desk.new_visitor")).click();
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    assert_eq!(h.state().desk.visitor_form.draft.given_name, "Ахмед");

    // Ctrl+L: nothing personal, no tabs, not even the draft.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Locked);
    assert!(h.query_by_label("Ахмед").is_none());
    assert!(h.query_by_label(&tr("app.tab_desk")).is_none());
    let unlock = |h: &mut Harness<'static, BureauApp>, name: &str, password: &str| {
        h.get_by_label(&tr("sign_in.name")).click();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.get_by_label(&tr("sign_in.name")).type_text(name);
        h.run();
        h.get_by_label(&tr("sign_in.password")).click();
        h.run();
        h.get_by_label(&tr("sign_in.password")).type_text(password);
        h.run();
        h.get_by_label(&tr("lock.unlock")).click();
        h.run();
    };
    unlock(h, "Мария", "not her password");
    assert_eq!(h.state().desk.screen, Screen::Locked);
    assert!(h.query_by_label(&tr("sign_in.wrong_password")).is_some());

    // The same person: back to the form as it was.
    unlock(h, "Мария", maria_pw);
    assert_eq!(h.state().desk.screen, Screen::VisitorForm);
    assert_eq!(h.state().desk.visitor_form.draft.given_name, "Ахмед");

    // Another person: a clean desk; the draft is not theirs to see.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    unlock(h, "Петър", petar_pw);
    assert_eq!(h.state().desk.screen, Screen::Desk);
    assert_eq!(
        h.state()
            .desk
            .at_desk
            .as_ref()
            .map(|s| s.display_name.as_str()),
        Some("Петър")
    );
    assert!(h.state().desk.visitor_form.draft.given_name.is_empty());
    assert!(h.query_by_label("Ахмед").is_none());

    // Мария comes back: her draft is there again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    unlock(h, "Мария", maria_pw);
    assert_eq!(h.state().desk.screen, Screen::VisitorForm);
    assert_eq!(h.state().desk.visitor_form.draft.given_name, "Ахмед");

    // The trail holds each lock, the refused try under Мария's name and each sign-in.
    h.state_mut().desk.run(Command::OpenAudit);
    h.run();
    let maria = h.state().desk.at_desk.as_ref().map(|s| s.id.0);
    let events: Vec<(String, Option<i64>)> = h
        .state()
        .desk
        .audit
        .entries
        .iter()
        .rev()
        // (the backup made on opening lands whenever it finishes)
        .filter(|e| e.entity == "desk" && e.action != "backup")
        .map(|e| (e.action.clone(), e.staff_id))
        .collect();
    let petar_id = Some(petar_id);
    assert_eq!(
        events,
        [
            ("lock".to_owned(), maria),
            ("sign_in_failed".to_owned(), maria),
            ("sign_in".to_owned(), maria),
            ("lock".to_owned(), maria),
            ("sign_in".to_owned(), petar_id),
            ("lock".to_owned(), petar_id),
            ("sign_in".to_owned(), maria),
        ]
    );

    // Idle: the desk locks itself once the idle time has passed.
    h.state_mut().desk.lock_after = std::time::Duration::ZERO;
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Locked);
}

#[test]
fn an_administrator_adds_a_person_who_then_unlocks_the_desk_and_removes_them() {
    use bureau_desk::app::session;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let admin_pw = "администраторът е тук";
    let secret = |s: &str| secrecy::SecretString::from(s);
    let set_up = session::create(
        &path,
        "Мария",
        &secret(admin_pw),
        &secret(admin_pw),
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(
        set_up.signed_in.database,
        set_up.signed_in.staff,
        Clock::Fixed(now),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("app.tab_staff")).click();
    h.run();
    assert_eq!(
        h.state().desk.screen,
        Screen::Staff,
        "{:?}",
        h.state().desk.notice
    );
    type_into(h, &tr("staff.name"), "Петър");
    h.get_by_label(&tr("role.desk")).click();
    h.run();
    let petar_pw = "петър идва следобед";
    type_into(h, &tr("sign_in.new_password"), petar_pw);
    type_into(h, &tr("sign_in.new_password_again"), petar_pw);
    h.get_by_label(&tr("staff.add")).click();
    h.run();
    assert!(
        h.state()
            .desk
            .staff
            .iter()
            .any(|s| s.display_name == "Петър"),
        "{:?}",
        h.state().desk.staff_form.error
    );
    // Петър can now take the desk on the lock screen.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.get_by_label(&tr("sign_in.name")).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&tr("sign_in.name")).type_text("Петър");
    h.run();
    type_into(h, &tr("sign_in.password"), petar_pw);
    h.get_by_label(&tr("lock.unlock")).click();
    h.run();
    assert_eq!(
        h.state().desk.at_desk.as_ref().map(|s| s.role),
        Some(Role::Desk)
    );
    assert!(
        h.query_by_label(&tr("app.tab_staff")).is_none(),
        "not for a desk worker"
    );
    // Back to the administrator, who removes him: his password opens nothing any more.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.get_by_label(&tr("sign_in.name")).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label(&tr("sign_in.name")).type_text("Мария");
    h.run();
    type_into(h, &tr("sign_in.password"), admin_pw);
    h.get_by_label(&tr("lock.unlock")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Staff, "back where she was");
    h.get_by_label(&tr("staff.remove")).click();
    h.run();
    assert!(
        h.state()
            .desk
            .staff
            .iter()
            .any(|s| s.display_name == "Петър"),
        "one click only asks"
    );
    h.get_by_label(&tr("staff.remove_yes")).click();
    h.run();
    assert!(
        !h.state()
            .desk
            .staff
            .iter()
            .any(|s| s.display_name == "Петър")
    );
    drop(harness);
    assert!(session::sign_in(&path, "Петър", &secret(petar_pw)).is_err());
}

#[test]
fn an_administrator_changes_the_database_key_and_keeps_the_new_recovery_code() {
    use bureau_desk::app::session;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let admin_pw = "администраторът е тук";
    let petar_pw = "петър идва следобед";
    let secret = |s: &str| secrecy::SecretString::from(s);
    let set_up = session::create(
        &path,
        "Мария",
        &secret(admin_pw),
        &secret(admin_pw),
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let old_code = secret(set_up.recovery.expose());
    let mut database = set_up.signed_in.database;
    let maria = set_up.signed_in.staff;
    session::add_staff(
        &mut database,
        &maria.actor(),
        &session::NewMember {
            name: "Петър",
            role: Role::Desk,
            organisation: None,
        },
        &secret(petar_pw),
        &secret(petar_pw),
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(database, maria, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("app.tab_staff")).click();
    h.run();
    // A wrong password changes nothing, and says so.
    type_into(h, &tr("rekey.password"), "not my password at all");
    h.get_by_label(&tr("rekey.change")).click();
    h.run();
    h.get_by_label(&tr("rekey.yes")).click();
    h.run();
    assert!(h.query_by_label(&tr("sign_in.wrong_password")).is_some());
    assert!(h.state().desk.rekey_form.recovery.is_none());
    // The right one, and the second click: a new key and a new code on screen.
    type_into(h, &tr("rekey.password"), admin_pw);
    h.get_by_label(&tr("rekey.change")).click();
    h.run();
    assert!(
        h.state().desk.rekey_form.recovery.is_none(),
        "one click only asks"
    );
    h.get_by_label(&tr("rekey.yes")).click();
    h.run();
    let code = h
        .state()
        .desk
        .rekey_form
        .recovery
        .as_ref()
        .map(|c| c.expose().to_owned())
        .unwrap_or_else(|| panic!("no code: {:?}", h.state().desk.rekey_form.error));
    assert!(h.query_by_label(&code).is_some(), "the code is shown");
    h.get_by_label(&tr("sign_in.print_recovery")).click();
    h.run();
    let sheet = h
        .state()
        .desk
        .rekey_form
        .sheet
        .clone()
        .unwrap_or_else(|| panic!("no sheet"));
    assert!(sheet.exists());
    assert!(!sheet.starts_with(dir.path()), "never beside the database");
    // The desk goes on on the file under its new key.
    h.state_mut().desk.query = "петър".into();
    h.state_mut().desk.run(Command::Search);
    assert!(!matches!(h.state().desk.notice, Some(Notice::Failed(_))));
    h.get_by_label(&tr("rekey.noted")).click();
    h.run();
    assert!(h.query_by_label(&code).is_none(), "gone from the screen");
    assert!(!sheet.exists(), "the sheet goes with it");
    drop(harness);
    assert!(session::sign_in(&path, "Мария", &secret(admin_pw)).is_ok());
    assert!(
        session::sign_in(&path, "Петър", &secret(petar_pw)).is_err(),
        "his slot went with the old key"
    );
    assert!(session::open_with_recovery(&path, &old_code).is_err());
    assert!(session::open_with_recovery(&path, &secret(&code)).is_ok());
}

#[test]
fn an_administrator_restores_a_backup_to_a_new_file_from_the_backups_screen() {
    use bureau_desk::app::session;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let pw = "администраторът е тук";
    let secret = |s: &str| secrecy::SecretString::from(s);
    let set_up = session::create(&path, "Мария", &secret(pw), &secret(pw), "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let mut desk = Desk::new(
        set_up.signed_in.database,
        set_up.signed_in.staff,
        Clock::Fixed(now),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    desk.finish_backup();
    assert_eq!(desk.backups.last, Some(now), "made on opening");
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("app.tab_backups")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Backups);
    assert_eq!(h.state().desk.backups_screen.list.len(), 1);
    // Onto the database itself: refused, the file untouched.
    let before = std::fs::read(&path).unwrap_or_default();
    h.state_mut().desk.backups_screen.restore_path = path.display().to_string();
    h.get_by_label(&tr("backups.restore")).click();
    h.run();
    assert_eq!(
        h.state().desk.notice,
        Some(Notice::Failed("error.output_own_file"))
    );
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    let target = dir.path().join("restored.sqlite");
    h.state_mut().desk.backups_screen.restore_path = target.display().to_string();
    h.get_by_label(&tr("backups.restore")).click();
    h.run();
    assert!(
        matches!(
            h.state().desk.notice,
            Some(Notice::Saved("notice.restored", _))
        ),
        "{:?}",
        h.state().desk.notice
    );
    drop(harness);
    assert!(session::sign_in(&target, "Мария", &secret(pw)).is_ok());
}

#[test]
fn the_audit_screen_shows_who_did_what_by_code_never_by_name_and_exports_it() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.get_by_label(&tr("desk.new_visitor")).click();
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    type_into(h, &tr("visitor.family_name"), "Хасан");
    h.get_by_label(&tr("form.save")).click();
    h.run();
    h.state_mut().desk.run(Command::ClearSearch);
    h.run();
    // Typing a search letter by letter is one search; opening a result ends it.
    type_into(h, &tr("desk.search"), "ahm");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'search' AND detail = 'length=3 results=1'"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE detail LIKE '%ahm%'"
        ),
        0,
        "the query itself is never kept"
    );

    h.get_by_label(&tr("app.tab_audit")).click();
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Audit);
    let about = format!("{} B-000001", tr("audit.entity.visitors"));
    assert!(
        h.query_all_by_label(&about).count() >= 2,
        "created and looked at"
    );
    assert!(h.query_all_by_label(&tr("audit.act.view")).count() >= 1);
    assert!(h.query_by_label("Ахмед").is_none(), "no visitor's name");
    assert!(h.query_by_label("Ахмед Хасан").is_none());

    // Only this visitor's entries; then a date that cannot be read is said.
    type_into(h, &tr("audit.visitor_code"), "b-000001");
    h.get_by_label(&tr("audit.show")).click();
    h.run();
    let entries = h.state().desk.audit.entries.clone();
    assert!(!entries.is_empty());
    assert!(
        entries
            .iter()
            .all(|e| e.visitor_code.as_deref() == Some("B-000001") || e.entity == "visits"),
        "{entries:?}"
    );
    type_into(h, &tr("audit.from"), "32.13.2026");
    h.get_by_label(&tr("audit.show")).click();
    h.run();
    assert!(h.query_by_label(&tr("audit.bad_date")).is_some());
    h.state_mut().desk.audit.from.clear();
    h.get_by_label(&tr("audit.show")).click();
    h.run();

    let folder = path.with_file_name("exports");
    h.state_mut().desk.reports.folder = folder.display().to_string();
    h.get_by_label(&tr("audit.export")).click();
    h.run();
    let written: Vec<_> = std::fs::read_dir(&folder)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert_eq!(written.len(), 1, "{written:?}");
    let csv = std::fs::read_to_string(&written[0]).unwrap_or_default();
    assert!(csv.contains("id,at,staff_id,staff,action,entity,entity_id,visitor_code,detail"));
    assert!(csv.contains("B-000001") && !csv.contains("Ахмед"), "{csv}");
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'export' AND entity = 'audit_log'"
        ),
        1
    );
}

#[test]
fn the_card_withdraws_a_consent_saves_everything_about_the_person_and_erases_them() {
    use bureau_desk::domain::ConsentScope;
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk_with_a_visit();
    let h = &mut harness;
    h.get_by_label(&tr("rights.heading")).click();
    h.run();
    let share = tr(ConsentScope::ShareWithReferrals.label_key());
    let given_line = format!("23.11.2026 · {share}: {} · Мария", tr("rights.given"));
    assert!(h.query_by_label(&given_line).is_some(), "the history");

    // A day before the consent was given is refused and said; the day typed stays.
    type_into(h, &tr("rights.day"), "20.11.2026");
    let withdraw = bureau_desk::translate("bg", "rights.withdraw", &[("scope", share.as_str())]);
    h.get_by_label(&withdraw).click();
    h.run();
    assert!(h.query_by_label(&tr("problem.before_consent")).is_some());
    assert_eq!(h.state().desk.rights.consent_day, "20.11.2026");
    h.state_mut().desk.rights.consent_day.clear();
    type_into(h, &tr("rights.day"), "23.11.2026");
    h.get_by_label(&withdraw).click();
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM consents WHERE scope = 'share_with_referrals' AND given = 0 AND dated = '2026-11-23'"
        ),
        1,
        "a withdrawal is a record of its own"
    );
    let withdrawn_line = format!("23.11.2026 · {share}: {} · Мария", tr("rights.withdrawn"));
    assert!(h.query_by_label(&withdrawn_line).is_some());
    assert!(
        h.query_by_label(&given_line).is_some(),
        "the consent given stays in the history"
    );
    assert!(
        h.query_by_label(&tr("card.code_only")).is_some(),
        "the desk says slips carry the code only"
    );

    // Everything about her, into the folder typed; a second save asks before replacing.
    let folder = _dir.path().join("for-her");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    type_into(h, &tr("rights.subject_path"), &folder.display().to_string());
    h.get_by_label(&tr("rights.save_pdf")).click();
    h.run();
    let pdf = folder.join("B-000001.pdf");
    assert!(std::fs::read(&pdf).unwrap_or_default().starts_with(b"%PDF"));
    h.get_by_label(&tr("rights.save_json")).click();
    h.run();
    let json = std::fs::read_to_string(folder.join("B-000001.json")).unwrap_or_default();
    assert!(
        json.contains("Олена") && json.contains("\"visits\""),
        "{json}"
    );
    h.get_by_label(&tr("rights.save_pdf")).click();
    h.run();
    assert!(
        h.state().desk.replace_question.is_some(),
        "asks before replacing"
    );
    h.state_mut().desk.run(Command::KeepFile);
    h.run();

    reach_and_click(h, &tr("rights.erase"));
    let title = bureau_desk::translate("bg", "erase.title", &[("code", "B-000001")]);
    assert!(h.query_by_label(&title).is_some());
    reach_and_click(h, &tr("erase.confirm"));
    assert!(h.state().desk.card.is_none(), "the card is closed");
    assert!(
        matches!(
            &h.state().desk.notice,
            Some(Notice::Saved("notice.erased", code)) if code.starts_with("ERASED-")
        ),
        "{:?}",
        h.state().desk.notice
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE given_name = 'Олена'"
        ),
        0
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE erased_at IS NOT NULL"
        ),
        1
    );
    h.state_mut().desk.run(Command::ClearSearch);
    h.run();
    type_into(h, &tr("desk.search"), "олена");
    assert!(h.state().desk.results.is_empty(), "never found again");
}

#[test]
fn a_desk_worker_erases_only_with_a_coordinators_password() {
    use bureau_desk::db::visitors;
    use bureau_desk::domain::VisitorDraft;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    staff::insert(&mut db, "Мария", Role::Coordinator, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let elena = staff::insert(&mut db, "Елена", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let new = VisitorDraft {
        given_name: "Олена".into(),
        ..Default::default()
    }
    .validate(today)
    .unwrap_or_else(|e| panic!("{e:?}"));
    let id = visitors::insert(&mut db, &elena.actor(), &new, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    let now = today.and_hms_opt(10, 5, 0).unwrap_or_default();
    let desk = Desk::new(db, elena, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.state_mut().desk.run(Command::OpenVisitor(id));
    h.run();
    h.get_by_label(&tr("rights.heading")).click();
    h.run();
    reach_and_click(h, &tr("rights.erase"));
    assert!(h.query_by_label(&tr("erase.ask_coordinator")).is_some());
    type_into(h, &tr("erase.coordinator"), "Мария");
    type_into(h, &tr("erase.password"), "not her password");
    reach_and_click(h, &tr("erase.confirm"));
    let form = h.state().desk.rights.erase.as_ref();
    assert!(form.is_some_and(|f| f.error.is_some()), "refused, and said");
    assert!(
        form.is_some_and(|f| f.password.is_empty()),
        "the password is wiped"
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE erased_at IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM audit_log WHERE action = 'sign_in_failed'"
        ),
        1
    );
}

#[test]
fn an_administrator_reviews_retention_and_anonymises_after_ticking_the_box() {
    use bureau_desk::db::{visitors, visits};
    use bureau_desk::domain::{NewVisit, OrganisationId, ServiceLine, ServiceTypeId, VisitorDraft};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let admin = staff::insert(&mut db, "Мария", Role::Admin, "2019-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    for (name, year) in [("Стар", 2019), ("Нов", 2026)] {
        let day = NaiveDate::from_ymd_opt(year, 3, 1).unwrap_or_default();
        let new = VisitorDraft {
            given_name: name.into(),
            ..Default::default()
        }
        .validate(day)
        .unwrap_or_else(|e| panic!("{e:?}"));
        let stamp = format!("{day}T09:00");
        let id = visitors::insert(&mut db, &admin.actor(), &new, &stamp)
            .unwrap_or_else(|e| panic!("{e}"))
            .id;
        let visit = NewVisit {
            visitor: Some(id),
            at: day.and_hms_opt(9, 30, 0).unwrap_or_default(),
            staff: admin.id,
            language: "bg".into(),
            interpreter: false,
            duration_minutes: None,
            services: vec![ServiceLine {
                service_type: ServiceTypeId(1),
                provider: OrganisationId(1),
            }],
            notes: String::new(),
        };
        visits::insert(&mut db, &admin.actor(), &visit, &stamp).unwrap_or_else(|e| panic!("{e}"));
    }
    let now = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    let desk = Desk::new(db, admin, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    let h = &mut harness;
    h.run();
    h.state_mut().desk.run(Command::OpenStaff);
    h.run();
    reach_and_click(h, &tr("retention.count"));
    let year = bureau_desk::translate(
        "bg",
        "retention.year_line",
        &[("year", "2019"), ("count", "1")],
    );
    assert!(
        h.query_by_label(&year).is_some(),
        "counted by the year of the last visit"
    );
    let apply = tr("retention.apply");
    reach_and_click(h, &apply);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE erased_at IS NOT NULL"
        ),
        0,
        "nothing without the tick"
    );
    let tick = bureau_desk::translate("bg", "retention.confirm", &[("count", "1")]);
    reach_and_click(h, &tick);
    reach_and_click(h, &apply);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE erased_at IS NOT NULL AND code LIKE 'ERASED-%'"
        ),
        1
    );
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visitors WHERE given_name = 'Нов'"
        ),
        1
    );
    assert!(h.query_by_label(&tr("retention.none")).is_some());
}

#[test]
fn ten_thousand_pasted_characters_are_cut_with_a_message_and_not_saved() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    let pasted = "ы".repeat(10_000);
    type_into(h, &tr("desk.search"), &pasted);
    let cut = bureau_desk::translate("bg", "form.cut", &[("max", "1000")]);
    assert_eq!(
        h.state().desk.query.chars().count(),
        bureau_desk::ui::widgets::LINE_LIMIT
    );
    assert!(h.query_by_label(&cut).is_some(), "the search field says so");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), &pasted);
    assert_eq!(
        h.get_by_label(&tr("visitor.given_name"))
            .value()
            .map(|v| v.chars().count()),
        Some(bureau_desk::ui::widgets::LINE_LIMIT)
    );
    assert!(h.query_by_label(&cut).is_some(), "the name field says so");
    h.get_by_label(&tr("form.save")).click();
    h.run();
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 0);
    assert_eq!(h.state().desk.screen, Screen::VisitorForm, "the form stays");
}

#[test]
fn a_damaged_file_is_kept_aside_and_an_administrator_restores_the_latest_backup_in_its_place() {
    use bureau_desk::app::session::{self, Gate, GateStep};
    use bureau_desk::db::{audit, backup};
    use bureau_desk::demo::{self, DemoOptions};
    use bureau_desk::ui::DeskWindow;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    let password = secrecy::SecretString::from(demo::DEMO_PASSWORD);
    session::create_demo(
        &path,
        DemoOptions {
            visitors: 30,
            seed: 5,
            today: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let made_at = NaiveDate::from_ymd_opt(2026, 12, 2)
        .and_then(|d| d.and_hms_opt(18, 0, 0))
        .unwrap_or_default();
    {
        let signed_in =
            session::sign_in(&path, demo::DEMO_ADMIN, &password).unwrap_or_else(|e| panic!("{e}"));
        backup::write(&signed_in.database, &backup::default_folder(&path), made_at)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // The first page is damaged: the key still unlocks, the file no longer reads.
    let mut damaged = std::fs::read(&path).unwrap_or_default();
    for byte in &mut damaged[100..180] {
        *byte ^= 0x5A;
    }
    std::fs::write(&path, &damaged).unwrap_or_else(|e| panic!("{e}"));
    let keys = std::fs::read(bureau_desk::output::key_file_of(&path)).unwrap_or_default();

    let mut harness = crate::ui::window(Gate::new(path.clone(), false), dir.path(), made_at);
    let h = &mut harness;
    h.run();
    let type_in = |h: &mut Harness<'static, DeskWindow>, label: &str, text: &str| {
        h.get_by_label(label).click();
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    };
    type_in(h, &tr("sign_in.name"), demo::DEMO_ADMIN);
    type_in(h, &tr("sign_in.password"), demo::DEMO_PASSWORD);
    h.get_by_label(&tr("sign_in.sign_in")).click();
    h.run();
    assert_eq!(h.state().gate().map(|g| g.step), Some(GateStep::Damaged));
    assert!(h.query_by_label(&tr("sign_in.damaged_file")).is_some());
    let latest = backup::list(&path, &backup::default_folder(&path))
        .unwrap_or_default()
        .pop()
        .unwrap_or_else(|| panic!("the backup"));
    let offer = bureau_desk::translate(
        "bg",
        "sign_in.backup_offer",
        &[
            ("when", "02.12.2026 18:00"),
            ("path", &latest.path.display().to_string()),
        ],
    );
    assert!(
        h.query_by_label(&offer).is_some(),
        "the latest backup is offered"
    );

    // A desk worker may not restore: nothing moves.
    if let Some(gate) = h.state_mut().gate_mut() {
        gate.name.clear();
    }
    type_in(h, &tr("sign_in.name"), "Георги");
    type_in(h, &tr("sign_in.password"), demo::DEMO_PASSWORD);
    h.get_by_label(&tr("sign_in.restore_latest")).click();
    h.run();
    assert!(
        h.query_by_label(&tr("sign_in.restore_admin_only"))
            .is_some()
    );
    assert_eq!(std::fs::read(&path).unwrap_or_default(), damaged);
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    assert!(
        names().iter().all(|n| !n.contains("restoring")),
        "{:?}",
        names()
    );

    if let Some(gate) = h.state_mut().gate_mut() {
        gate.name.clear();
    }
    type_in(h, &tr("sign_in.name"), demo::DEMO_ADMIN);
    type_in(h, &tr("sign_in.password"), demo::DEMO_PASSWORD);
    h.get_by_label(&tr("sign_in.restore_latest")).click();
    h.run();
    assert_eq!(h.state().gate().map(|g| g.step), Some(GateStep::Restored));
    let aside = h
        .state()
        .gate()
        .and_then(|g| g.set_aside.clone())
        .unwrap_or_else(|| panic!("where the damaged file went"));
    assert_eq!(
        std::fs::read(&aside).unwrap_or_default(),
        damaged,
        "the damaged file is kept byte for byte"
    );
    assert_eq!(
        std::fs::read(bureau_desk::output::key_file_of(&aside)).unwrap_or_default(),
        keys,
        "with its key file"
    );
    let said = bureau_desk::translate(
        "bg",
        "sign_in.restored",
        &[
            ("when", "02.12.2026 18:00"),
            ("path", &aside.display().to_string()),
        ],
    );
    assert!(h.query_by_label(&said).is_some());
    h.get_by_label(&tr("sign_in.open_desk")).click();
    h.run();
    assert!(h.state().gate().is_none(), "the desk is open");
    drop(harness);

    let reopened =
        session::sign_in(&path, demo::DEMO_ADMIN, &password).unwrap_or_else(|e| panic!("{e}"));
    let actor = reopened.staff.actor();
    assert!(
        reopened
            .database
            .check(&actor)
            .is_ok_and(|health| health.holds()),
        "the restored file is sound"
    );
    let restores = audit::entries(
        &reopened.database,
        &actor,
        &audit::Filter {
            action: Some(audit::Action::Restore),
            ..audit::Filter::default()
        },
        10,
    )
    .unwrap_or_default();
    assert_eq!(restores.len(), 1, "the restore is in the trail");
}
