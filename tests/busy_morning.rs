//! The desk on a busy morning (issue 13): typed work is never lost, pickers pick what was meant,
//! a code typed in Cyrillic finds its person. Driven through the real screens.

use bureau_desk::app::{Clock, Command, Desk, Notice, Screen};
use bureau_desk::db::{Database, OpenMode, staff};
use bureau_desk::domain::Answer;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::ui::{Setup, choose_staff, count, desk, tr, type_into};

/// Back to an empty desk (no card, no search), then types `text` into the search field.
fn search_afresh(h: &mut Harness<'static, bureau_desk::ui::BureauApp>, text: &str) {
    h.state_mut().desk.card = None;
    h.state_mut().desk.query.clear();
    h.run();
    type_into(h, &tr("desk.search"), text);
}

#[test]
fn esc_in_a_picker_clears_the_picker_and_a_left_form_comes_back_until_discarded() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Олена");
    let country = tr("visitor.country_of_origin");
    type_into(h, &country, "ира");
    h.key_press(Key::Escape);
    h.run();
    let desk = &h.state().desk;
    assert_eq!(desk.screen, Screen::VisitorForm, "Esc in a picker stays");
    assert_eq!(
        desk.visitor_form.draft.given_name, "Олена",
        "nothing typed is lost"
    );
    assert!(
        desk.visitor_form.country_filter.is_empty(),
        "only the picker is cleared"
    );

    // "ира" + Enter is Iraq; ↓ moves the choice.
    type_into(h, &country, "ира");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        h.state().desk.visitor_form.draft.country_of_origin,
        Answer::Given("IQ".to_owned())
    );
    h.state_mut().desk.visitor_form.draft.country_of_origin = Answer::NotAsked;
    h.run();
    type_into(h, &country, "ира");
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        h.state().desk.visitor_form.draft.country_of_origin,
        Answer::Given("IR".to_owned()),
        "the second match, Iran"
    );

    // Esc on the form goes back to the desk; the form comes back as it was left.
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitorForm);
    assert!(h.query_by_label(&tr("form.draft_back")).is_some());
    assert_eq!(
        h.get_by_label(&tr("visitor.given_name")).value().as_deref(),
        Some("Олена")
    );
    h.get_by_label(&tr("form.discard")).click();
    h.run();
    assert_eq!(
        h.get_by_label(&tr("visitor.given_name")).value().as_deref(),
        Some("")
    );
    assert_eq!(count(&path, "SELECT count(*) FROM drafts"), 0);
}

#[test]
fn a_draft_is_in_the_file_and_comes_back_after_a_restart_for_its_owner_only() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Мохамед");
    type_into(h, &tr("visitor.family_name"), "Нури");
    // The window closes (the desk signs out): the draft is in the file.
    h.state_mut().desk.run(Command::SignOut);
    drop(harness);
    assert_eq!(count(&path, "SELECT count(*) FROM drafts"), 1);

    let reopen = |name: &str| {
        let mut db = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
        let member = match staff::named(&db, name).unwrap_or_else(|e| panic!("{e}")) {
            Some(member) => member,
            None => staff::insert(
                &mut db,
                name,
                bureau_desk::domain::Role::Desk,
                "2026-11-23T11:00",
            )
            .unwrap_or_else(|e| panic!("{e}")),
        };
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(11, 0, 0))
            .unwrap_or_default();
        Desk::new(db, member, Clock::Fixed(now)).unwrap_or_else(|e| panic!("{e}"))
    };
    let other = reopen("Георги");
    assert!(
        other.visitor_form.draft.given_name.is_empty(),
        "another person does not get it"
    );
    drop(other);
    let mut again = reopen("Мария");
    assert_eq!(
        again.notice,
        Some(Notice::Saved("notice.drafts_back", String::new()))
    );
    again.run(Command::NewVisitor);
    assert_eq!(again.screen, Screen::VisitorForm);
    assert_eq!(again.visitor_form.draft.given_name, "Мохамед");
    assert_eq!(again.visitor_form.draft.family_name, "Нури");
    again.run(Command::SaveVisitor);
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 1);
    assert_eq!(
        count(&path, "SELECT count(*) FROM drafts"),
        0,
        "a saved form leaves no draft"
    );
}

#[test]
fn after_a_save_the_next_form_starts_clean_and_an_anonymous_visit_closes_the_card() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 1);
    assert!(h.state().desk.card.is_some(), "the new card is open");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(
        h.get_by_label(&tr("visitor.given_name")).value().as_deref(),
        Some(""),
        "not the code of the person just saved"
    );
    h.key_press(Key::Escape);
    h.run();

    // An anonymous visit leaves nobody's card on screen.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.run();
    type_into(h, &tr("visit_form.add_service"), "inform");
    h.key_press(Key::Enter);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM visits WHERE visitor_id IS NULL"
        ),
        1
    );
    assert!(h.state().desk.card.is_none(), "no one's card after it");
}

#[test]
fn a_bureau_code_typed_with_a_cyrillic_letter_finds_its_person() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Олена");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    // Cyrillic В, where the Latin B is on a Bulgarian keyboard.
    search_afresh(h, "В-000001");
    let found: Vec<String> = h
        .state()
        .desk
        .results
        .iter()
        .map(|r| r.code.clone())
        .collect();
    assert_eq!(found, vec!["B-000001".to_owned()]);
}

#[test]
fn closing_the_window_with_a_form_unsaved_asks_first() {
    use bureau_desk::app::session;
    use bureau_desk::demo::{self, DemoOptions};
    use bureau_desk::ui::DeskWindow;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    session::create_demo(
        &path,
        DemoOptions {
            visitors: 10,
            seed: 2,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let mut harness = crate::ui::window(
        bureau_desk::app::session::Gate::new(path.clone(), true),
        dir.path(),
        now,
    );
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("sign_in.password"))
        .type_text(demo::DEMO_PASSWORD);
    h.run();
    h.get_by_label(&tr("sign_in.sign_in")).click();
    h.run();
    assert!(h.state().desk().is_some(), "signed in");
    let ask_to_close = |h: &mut Harness<'static, DeskWindow>| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.run();
    };
    ask_to_close(h);
    assert!(!h.state().asking_to_close, "nothing typed: no question");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label(&tr("visitor.given_name")).type_text("Олена");
    h.run();
    ask_to_close(h);
    assert!(h.state().asking_to_close);
    assert!(h.query_by_label(&tr("window.unsaved_title")).is_some());
    h.get_by_label(&tr("window.back_to_form")).click();
    h.run();
    assert!(!h.state().asking_to_close);
    assert_eq!(
        h.state()
            .desk()
            .map(|d| d.visitor_form.draft.given_name.clone()),
        Some("Олена".to_owned()),
        "the form is there"
    );
}

#[test]
fn a_common_name_shows_more_results_on_request_with_birth_year_and_country() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    for n in 0..55 {
        let desk = &mut h.state_mut().desk;
        desk.visitor_form.draft.given_name = "Мохамед".to_owned();
        desk.visitor_form.draft.family_name = format!("Хасан{n}");
        desk.visitor_form.draft.birth = (1960 + n).to_string();
        desk.visitor_form.draft.country_of_origin = Answer::Given("IQ".to_owned());
        desk.run(Command::SaveVisitor);
    }
    search_afresh(h, "мохамед");
    assert_eq!(h.state().desk.results.len(), 50);
    let more = bureau_desk::translate("bg", "desk.more_results", &[("count", "50")]);
    h.get_by_label(&more).click();
    h.run();
    assert_eq!(
        h.state().desk.results.len(),
        55,
        "the rest are a click away"
    );
    let newest = &h.state().desk.results[0];
    let told_apart = format!("{} · Ирак", newest.birth_year.unwrap_or_default());
    assert!(
        h.query_all_by_label(&told_apart).next().is_some(),
        "each row says the birth year and the country"
    );
}

#[test]
fn a_farsi_name_without_a_latin_form_reads_with_its_vowels_marked_as_automatic() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    let desk = &mut h.state_mut().desk;
    desk.visitor_form.draft.given_name = "محمد".to_owned();
    desk.visitor_form.draft.family_name = "نوری".to_owned();
    desk.run(Command::SaveVisitor);
    search_afresh(h, "نوری");
    assert!(
        h.query_by_label("≈ Mohammad Nouri").is_some(),
        "not \"Mhmd Nwry\""
    );
}

#[test]
fn a_done_notice_goes_by_itself_and_a_failure_stays_until_put_away() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Олена");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(matches!(h.state().desk.notice, Some(Notice::Saved(..))));
    // Ten seconds of frames (kittest steps a quarter of a second).
    h.run_steps(40);
    assert_eq!(h.state().desk.notice, None, "gone after a few seconds");

    h.state_mut().desk.notice = Some(Notice::Failed("error.disk_full"));
    h.run_steps(40);
    assert_eq!(
        h.state().desk.notice,
        Some(Notice::Failed("error.disk_full")),
        "a failure stays"
    );
    assert!(h.query_by_label(&tr("error.disk_full")).is_some());
    h.get_by_label("×").click();
    h.run();
    assert_eq!(h.state().desk.notice, None, "until put away");
}

#[test]
fn from_a_card_the_keyboard_refers_and_books_with_an_interpreter_of_the_visitors_language() {
    let Setup {
        mut harness, _dir, ..
    } = crate::ui::desk_with_a_visit();
    let h = &mut harness;
    assert!(h.state().desk.card.is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::J);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::AccompanimentForm);
    assert_eq!(
        h.state().desk.accompaniment_form.draft.interpreter_language,
        "uk",
        "a Ukrainian speaker goes with a Ukrainian interpreter"
    );
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::ReferralForm);
}

#[test]
fn a_likely_duplicate_is_shown_beside_the_name_and_asked_about_before_saving() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    type_into(h, &tr("visitor.family_name"), "Хасан");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 1);

    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    type_into(h, &tr("visitor.given_name"), "Ахмед");
    type_into(h, &tr("visitor.family_name"), "Хасан");
    let hint = h
        .get_by_label(&tr("visitor_form.possible_duplicates"))
        .rect();
    let name = h.get_by_label(&tr("visitor.family_name")).rect();
    assert!(
        hint.min.y < name.max.y + 200.0 && hint.max.y < 768.0,
        "beside the names, on screen: {hint:?} {name:?}"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(
        count(&path, "SELECT count(*) FROM visitors"),
        1,
        "asked first"
    );
    assert!(h.query_by_label(&tr("visitor_form.same_person")).is_some());
    h.get_by_label(&tr("visitor_form.save_as_new")).click();
    h.run();
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 2);
}

#[test]
fn the_keyboard_goes_from_name_to_birth_without_a_tab_per_answer_code() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert!(h.get_by_label(&tr("visitor.given_name")).is_focused());
    let mut tabs = 0;
    while !h.get_by_label(&tr("visitor.birth")).is_focused() && tabs < 20 {
        h.key_press(Key::Tab);
        h.run();
        tabs += 1;
    }
    // Family name, the fold of the Latin names, sex (its answer codes one stop), then birth.
    assert!(tabs <= 4, "{tabs} Tabs from the name to the birth year");
}

#[test]
fn each_service_line_keeps_its_own_provider() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.run();
    type_into(h, &tr("visit_form.add_service"), "inform");
    h.key_press(Key::Enter);
    h.run();
    let providers: Vec<_> = h.state().desk.providers.clone();
    assert!(providers.len() >= 2, "the catalogue has providers");
    let second = providers[1].clone();
    assert_eq!(
        h.state().desk.visit_form.draft.services[0].provider,
        providers[0].id
    );
    // The line's own picker, named by its service.
    let line = h.state().desk.visit_form.draft.services[0].service_type;
    let service = h
        .state()
        .desk
        .services
        .iter()
        .find(|s| s.id == line)
        .map(|s| s.name("bg").to_owned())
        .unwrap_or_default();
    h.get_by_label(&format!("{service} —")).click();
    h.run();
    h.get_all_by_label(second.name("bg"))
        .last()
        .unwrap_or_else(|| panic!("the other provider in the list"))
        .click();
    h.run();
    assert_eq!(
        h.state().desk.visit_form.draft.services[0].provider,
        second.id,
        "the line changed"
    );
    assert_eq!(
        h.state().desk.visit_form.provider,
        None,
        "new lines keep theirs: the partner in today, else the bureau"
    );
}

#[test]
fn exports_go_to_the_folder_chosen_last_and_not_to_a_temporary_one() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    let first = h.state().desk.reports.folder.clone();
    assert!(
        first.ends_with("bureau-desk")
            && !first.starts_with(&std::env::temp_dir().display().to_string()),
        "{first}"
    );
    // Chosen with the system's folder dialog (answered here as the person would).
    let chosen = _dir.path().join("for-the-funder");
    std::fs::create_dir_all(&chosen).unwrap_or_else(|e| panic!("{e}"));
    h.state_mut()
        .set_file_chooser(Box::new(crate::ui::Answers::with(&chosen)));
    h.state_mut().desk.run(Command::OpenReports);
    h.run();
    h.get_by_label(&tr("report.choose_folder")).click();
    h.run();
    assert_eq!(h.state().desk.reports.folder, chosen.display().to_string());
    h.state_mut().desk.run(Command::OpenAudit);
    h.state_mut().desk.run(Command::ExportAudit);
    assert!(
        std::fs::read_dir(&chosen).is_ok_and(|mut d| d.next().is_some()),
        "the trail is exported there"
    );
    drop(harness);
    let db = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let maria = staff::list(&db)
        .unwrap_or_default()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("staff"));
    let again = Desk::new(db, maria, Clock::Fixed(chrono::NaiveDateTime::default()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        again.reports.folder,
        chosen.display().to_string(),
        "remembered"
    );
}

#[test]
fn choosing_in_a_picker_does_not_move_the_fields_below_it() {
    let Setup {
        mut harness, _dir, ..
    } = desk();
    let h = &mut harness;
    choose_staff(h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    let below = tr("visitor.legal_status");
    let before = h.get_by_label(&below).rect();
    type_into(h, &tr("visitor.country_of_origin"), "ира");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        h.state().desk.visitor_form.draft.country_of_origin,
        Answer::Given("IQ".to_owned())
    );
    let after = h.get_by_label(&below).rect();
    assert!(
        after.min.y >= before.min.y - 0.5,
        "the next field stays where it was: {before:?} → {after:?}"
    );
}

#[test]
fn a_referral_left_half_typed_comes_back_and_is_kept_in_the_file() {
    let Setup {
        mut harness,
        path,
        _dir,
    } = crate::ui::desk_with_a_visit();
    let h = &mut harness;
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run();
    type_into(h, &tr("referral_form.reason"), "болки в гърба");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::ReferralForm);
    assert!(h.query_by_label(&tr("form.draft_back")).is_some());
    assert_eq!(h.state().desk.referral_form.draft.reason, "болки в гърба");
    h.state_mut().desk.run(Command::SignOut);
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM drafts WHERE form = 'referral' AND visitor_id IS NOT NULL"
        ),
        1,
        "in the file, tied to the person for erasure"
    );
}

#[test]
fn a_visit_left_unsaved_for_one_person_is_not_taken_for_anothers() {
    let Setup {
        mut harness, _dir, ..
    } = crate::ui::desk_with_a_visit();
    let h = &mut harness;
    let olena = h
        .state()
        .desk
        .card
        .as_ref()
        .map(|c| c.visitor.id)
        .unwrap_or_else(|| panic!("a card"));
    // An anonymous visit half typed, then left.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    h.run();
    type_into(h, &tr("visit_form.add_service"), "inform");
    h.key_press(Key::Enter);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().desk.screen, Screen::Desk);
    // A visit for Олена brings the anonymous one back, and says it is not hers.
    h.state_mut().desk.run(Command::OpenVisitor(olena));
    h.state_mut().desk.run(Command::StartVisit(Some(olena)));
    h.run();
    assert_eq!(h.state().desk.screen, Screen::VisitForm);
    assert_eq!(
        h.state().desk.visit_form.draft.visitor,
        None,
        "nothing lost"
    );
    assert!(
        h.query_by_label(&tr("form.draft_for_someone_else"))
            .is_some()
    );
    // Thrown away, her own visit starts, without the warning.
    h.get_by_label(&tr("form.discard")).click();
    h.run();
    h.state_mut().desk.run(Command::StartVisit(Some(olena)));
    h.run();
    assert_eq!(h.state().desk.visit_form.draft.visitor, Some(olena));
    assert!(
        h.query_by_label(&tr("form.draft_for_someone_else"))
            .is_none()
    );
    // Her own visit left and started again is hers: no warning.
    type_into(h, &tr("visit_form.add_service"), "inform");
    h.key_press(Key::Enter);
    h.run();
    h.key_press(Key::Escape);
    h.run();
    h.state_mut().desk.run(Command::StartVisit(Some(olena)));
    h.run();
    assert!(h.state().desk.visit_form.reopened);
    assert!(
        h.query_by_label(&tr("form.draft_for_someone_else"))
            .is_none()
    );
}
