//! Layout checks a screenshot review would make, on every screen, empty and busy, at the
//! reception PC's 1366×768, in both UI languages: read from the accessibility tree that
//! `egui_kittest` builds, so they see what the screen drew, not what the code meant.
//! - no interactive widget runs off the window's sides (a cut-off button cannot be clicked);
//! - no two interactive widgets on screen overlap (one would cover the other);
//! - no label is narrower than its longest word (one syllable per line).

use bureau_desk::app::{Clock, Command, Desk, Screen, session};
use bureau_desk::db::drafts::DraftForm;
use bureau_desk::db::{Database, OpenMode, staff};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::{Role, ServiceLine, VisitId, VisitorId};
use bureau_desk::ui::{BureauApp, theme};
use chrono::NaiveDate;
use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT;

const WIDTH: f32 = 1366.0;
const HEIGHT: f32 = 768.0;
/// The height of the status line at the bottom.
const STATUS: f32 = 36.0;

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default()
}

/// A desk on an empty bureau, and one on a demo year (administrator: every screen).
fn desks(dir: &std::path::Path) -> Vec<(&'static str, Desk)> {
    let empty_path = dir.join("empty.sqlite");
    let mut db =
        Database::open(&empty_path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let admin = staff::insert(&mut db, "Мария", Role::Admin, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let empty = Desk::new(db, admin, Clock::Fixed(now())).unwrap_or_else(|e| panic!("{e}"));
    let busy_path = dir.join("busy.sqlite");
    session::create_demo(
        &busy_path,
        DemoOptions {
            visitors: 400,
            seed: 11,
            today: now().date(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = session::sign_in(
        &busy_path,
        demo::DEMO_ADMIN,
        &secrecy::SecretString::from(demo::DEMO_PASSWORD),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let busy = Desk::new(signed_in.database, signed_in.staff, Clock::Fixed(now()))
        .unwrap_or_else(|e| panic!("{e}"));
    vec![("empty", empty), ("busy", busy)]
}

/// A small register for the import screen, at the same path on every machine (it is on
/// screen), written whole by a rename so two tests never read it half-written.
fn register() -> std::path::PathBuf {
    let path = std::env::temp_dir().join("bureau-desk-register.csv");
    let part =
        tempfile::NamedTempFile::new_in(std::env::temp_dir()).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        part.path(),
        "Дата;Име;Фамилия;Държава;Пол;Година на раждане;Услуга;Организация;Бележки\n\
         03.11.2025;Иван;Петров;Сирия;М;1985;Правна помощ;БЧК;първа среща\n\
         03.11.2025 г.;Ivan;Petrov;SY;m;;Информация и консултация;;\n\
         17.11.25;Мария;Иванова;Украйна;ж;1990;Информация и консултация;;\n\
         17.11.25;Мария;Иванова;Украйна;ж;1971;Информация и консултация;;\n\
         ;Без;Дата;;;;Правна помощ;;\n\
         20.11.2025;Ахмед;Хасан;Сирия арабска;М;;Правна помощ;;\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    part.persist(&path).unwrap_or_else(|e| panic!("{e}"));
    path
}

/// The commands that bring each screen up, from the desk; on a busy desk also a card, and a
/// visit with three service lines from the catalogue's longest providers.
fn screens(desk: &Desk) -> Vec<(&'static str, Vec<Command>)> {
    let mut providers = desk.providers.clone();
    providers.sort_by_key(|p| std::cmp::Reverse(p.details.name_bg.chars().count()));
    let lines: Vec<Command> = desk
        .services
        .iter()
        .zip(providers.iter().cycle())
        .take(3)
        .map(|(service, provider)| {
            Command::AddService(ServiceLine {
                service_type: service.id,
                provider: provider.id,
            })
        })
        .collect();
    let someone = VisitorId(1);
    let mut visit = vec![
        Command::OpenVisitor(someone),
        Command::StartVisit(Some(someone)),
    ];
    visit.extend(lines);
    vec![
        ("card", vec![Command::OpenVisitor(someone)]),
        (
            "edit visitor",
            vec![Command::OpenVisitor(someone), Command::EditVisitor],
        ),
        (
            "void a visit",
            vec![
                Command::OpenVisitor(someone),
                Command::AskToVoid(Some(VisitId(1))),
            ],
        ),
        (
            "merge",
            vec![
                Command::OpenVisitor(someone),
                Command::CompareVisitors(someone, VisitorId(2)),
            ],
        ),
        (
            "import",
            vec![Command::OpenImport, Command::SetImportPath(register())],
        ),
        ("referral", vec![Command::StartReferral(VisitId(1))]),
        (
            "accompaniment",
            vec![Command::StartAccompaniment(VisitId(1))],
        ),
        ("visit with services", visit),
        ("desk", vec![Command::ClearSearch]),
        ("new visitor", vec![Command::NewVisitor]),
        // The visit typed above would reopen as a draft: the anonymous form on its own.
        (
            "anonymous visit",
            vec![
                Command::DiscardDraft(DraftForm::Visit),
                Command::StartVisit(None),
            ],
        ),
        ("directory", vec![Command::OpenDirectory]),
        ("week", vec![Command::OpenWeek]),
        ("reports", vec![Command::OpenReports]),
        (
            "programme",
            vec![Command::OpenProgramme, Command::EditSlot(None)],
        ),
        ("audit", vec![Command::OpenAudit]),
        ("staff", vec![Command::OpenStaff]),
        ("backups", vec![Command::OpenBackups]),
        ("feedback", vec![Command::OpenFeedback]),
    ]
}

fn interactive(role: A11y) -> bool {
    matches!(
        role,
        A11y::Button
            | A11y::CheckBox
            | A11y::RadioButton
            | A11y::TextInput
            | A11y::MultilineTextInput
            | A11y::ComboBox
            | A11y::Link
            | A11y::Slider
            | A11y::Tab
    )
}

/// What is wrong with the screen drawn now, one sentence per finding.
fn findings(h: &Harness<'_, BureauApp>) -> Vec<String> {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(WIDTH, HEIGHT));
    let mut widgets: Vec<(String, egui::Rect)> = Vec::new();
    let mut found = Vec::new();
    for node in h.root().children_recursive() {
        let a11y = node.accesskit_node();
        let role = a11y.role();
        let label = a11y.label().unwrap_or_default();
        let Some(bounds) = a11y.bounding_box() else {
            continue;
        };
        let rect = egui::Rect::from_min_max(
            egui::pos2(bounds.x0 as f32, bounds.y0 as f32),
            egui::pos2(bounds.x1 as f32, bounds.y1 as f32),
        );
        if !rect.is_positive() {
            continue;
        }
        if interactive(role) {
            if rect.min.x < -0.5 || rect.max.x > WIDTH + 0.5 {
                found.push(format!("{role:?} {label:?} runs off the side: {rect:?}"));
            }
            // Only what is on screen now (scrolled content below the fold is clipped).
            if window.contains_rect(rect) {
                widgets.push((format!("{role:?} {label:?}"), rect));
            }
        }
        if role == A11y::Label && window.contains_rect(rect) {
            // A label's text is its accessible value.
            let text = a11y.value().unwrap_or_default();
            let longest = text
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            // Far narrower than any font draws the word: broken into pieces. Arabic letters
            // join into a narrower word than as many Latin or Cyrillic ones.
            let per_letter = if bureau_desk::domain::text::has_rtl(&text) {
                4.0
            } else {
                6.0
            };
            if longest >= 4 && rect.width() < longest as f32 * per_letter {
                found.push(format!(
                    "label {text:?} is {:.0} px wide for a {longest}-letter word",
                    rect.width()
                ));
            }
        }
    }
    // The status line is a panel of its own at the bottom, drawn over whatever a scrolled
    // screen has beneath it: its widgets are compared with each other, the screen's with each
    // other above it.
    let content = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(WIDTH, HEIGHT - STATUS));
    let in_status = |r: &egui::Rect| r.min.y >= HEIGHT - STATUS;
    for (i, (a, ra)) in widgets.iter().enumerate() {
        for (b, rb) in &widgets[i + 1..] {
            if in_status(ra) != in_status(rb) {
                continue;
            }
            let mut overlap = ra.intersect(*rb);
            if !in_status(ra) {
                overlap = overlap.intersect(content);
            }
            let nested = ra.contains_rect(*rb) || rb.contains_rect(*ra);
            if overlap.is_positive() && overlap.area() > 4.0 && !nested {
                found.push(format!("{a} {ra:?} overlaps {b} {rb:?}"));
            }
        }
    }
    found
}

#[test]
fn every_screen_fits_1366_by_768_empty_and_busy_in_both_languages() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut all = Vec::new();
    let mut reached = Vec::new();
    for (state, desk) in desks(dir.path()) {
        let mut harness = Harness::builder()
            .with_size([WIDTH, HEIGHT])
            .with_context_setup(theme::install)
            .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
        for locale in ["bg", "en"] {
            harness
                .state_mut()
                .desk
                .run(Command::SetLanguage(locale.into()));
            for (screen, commands) in screens(&harness.state().desk) {
                harness.state_mut().desk.run(Command::OpenDesk);
                for command in commands {
                    harness.state_mut().desk.run(command);
                }
                // A screen that cannot be reached on this desk (no visitor on an empty one)
                // is the desk itself.
                harness.run();
                reached.push((state, harness.state().desk.screen));
                for finding in findings(&harness) {
                    all.push(format!("{state} {locale} {screen}: {finding}"));
                }
            }
        }
    }
    for screen in [
        Screen::Desk,
        Screen::VisitorForm,
        Screen::EditVisitor,
        Screen::VisitForm,
        Screen::ReferralForm,
        Screen::AccompanimentForm,
        Screen::Directory,
        Screen::Week,
        Screen::Reports,
        Screen::Programme,
        Screen::Audit,
        Screen::Staff,
        Screen::Backups,
        Screen::Feedback,
    ] {
        assert!(
            reached.contains(&("busy", screen)),
            "{screen:?} was not reached on the busy desk"
        );
    }
    assert!(
        all.is_empty(),
        "{} findings:\n{}",
        all.len(),
        all.join("\n")
    );
}

/// Pictures of every screen of the busy desk in Bulgarian (the reception's language, and the
/// longer words; English is held to the same layout checks above), and of the empty desk, for
/// people to look at in review: `docs/screens/`, compared with the stored ones (a changed screen fails until the
/// pictures are renewed with `UPDATE_SNAPSHOTS=1`). Needs a renderer: `bash .ci/snapshots`.
#[cfg(feature = "snapshots")]
#[test]
fn pictures_of_every_screen() {
    // Paths are on screen: the same folder on every machine, and the same exports folder.
    let dir = std::env::temp_dir().join("bureau-desk-pictures");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let options = egui_kittest::SnapshotOptions::new()
        .output_path(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/screens"))
        // Software renderers differ a little in anti-aliasing from machine to machine; a
        // changed word changes hundreds of pixels.
        .max_failed_pixels(10);
    let mut failed = Vec::new();
    for (state, mut desk) in desks(&dir) {
        desk.reports.folder = dir.join("exports").display().to_string();
        let mut harness = Harness::builder()
            .with_size([WIDTH, HEIGHT])
            .with_context_setup(theme::install)
            .with_theme(egui::Theme::Light)
            .wgpu()
            .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
        harness
            .state_mut()
            .desk
            .run(Command::SetLanguage("bg".into()));
        for (screen, commands) in screens(&harness.state().desk) {
            // The empty bureau only at its desk, where it looks different.
            if state == "empty" && screen != "desk" {
                continue;
            }
            harness.state_mut().desk.run(Command::OpenDesk);
            for command in commands {
                harness.state_mut().desk.run(command);
            }
            harness.run();
            let name = format!("{state}-bg-{}", screen.replace(' ', "-"));
            if let Err(error) = harness.try_snapshot_options(&name, &options) {
                failed.push(format!("{name}: {error}"));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
