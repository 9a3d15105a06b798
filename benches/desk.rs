//! Desk benchmarks on a generated database (`demo`, 1,000,000 visitors by default; set
//! `BENCH_VISITORS` for a smaller run): search-as-you-type against a plain LIKE scan, logging a
//! visit durably, drawing the desk with a long result list, and a 10,000-character paste
//! (`--only-paste`), and importing a 10,000-row register into a new file (`--only-import`).
//! Prints p50/p95 per measure;
//! the figures are recorded in `docs/benchmarks.md`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use bureau_desk::app::{Clock, Desk, Screen};
use bureau_desk::db::{Database, OpenMode, staff, visitors, visits};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::slips::{Place, SlipData, SlipKind};
use bureau_desk::domain::{NewVisit, Role, ServiceLine, VisitorId, VisitorSummary};
use bureau_desk::slip::Paper;
use bureau_desk::ui::{BureauApp, theme};
use chrono::NaiveDate;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index.min(samples.len() - 1)]
}

fn report(name: &str, samples: &mut [Duration]) -> (Duration, Duration) {
    let p50 = percentile(samples, 0.50);
    let p95 = percentile(samples, 0.95);
    println!(
        "{name:<48} n={:<6} p50={:>9.3?} p95={:>9.3?}",
        samples.len(),
        p50,
        p95
    );
    (p50, p95)
}

fn database(visitors: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join(format!("visitors-{visitors}.sqlite"));
    if !path.exists() {
        let _ = std::fs::create_dir_all(&dir);
        let started = Instant::now();
        let mut db =
            Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let summary = demo::generate(
            &mut db,
            DemoOptions {
                visitors,
                seed: 2021,
                today,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "generated {} visitors, {} visits in {:.1?}",
            summary.visitors,
            summary.visits,
            started.elapsed()
        );
    }
    path
}

/// Queries of 2 to 20 characters as a desk types them: Latin, Cyrillic, Arabic, Farsi, phone
/// digits and codes, each typed one keystroke at a time.
const QUERIES: &[&str] = &[
    "mohammed",
    "мохамед",
    "محمد",
    "ahmad hassan",
    "Олена Коваленко",
    "fatima",
    "رضایی",
    "hosseini",
    "ivan",
    "Шевченко",
    "0887 123",
    "+359 88",
    "B-004571",
    "zeynep kaya",
    "al-khatib",
    "Ахмад Хасан",
];

/// A referral slip with a mixed Arabic, Latin and Cyrillic content, as the desk prints it.
fn sample_slip() -> SlipData {
    let place = |bg: &str, en: &str| Place {
        name_bg: bg.into(),
        name_en: en.into(),
        address_bg: "ул. „Пиротска“ 5, София".into(),
        address_en: "5 Pirotska St, Sofia".into(),
        hours_bg: "пон–пет 9:00–17:00".into(),
        hours_en: "Mon–Fri 9:00–17:00".into(),
        phone: "+359 2 000 0000".into(),
    };
    SlipData {
        kind: SlipKind::Referral {
            reason: "Регистрация при личен лекар".into(),
            appointment: NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(10, 30, 0)),
            family: Vec::new(),
        },
        reference: "R-2026-000123".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        issued_by: "Мария".into(),
        bureau: place(
            "Бюро за информация и услуги за граждани на трети страни",
            "Bureau for Information and Services for Third-Country Nationals",
        ),
        visitor_code: "B-000457".into(),
        visitor_given_name: Some("أحمد".into()),
        destination: place(
            "Диагностично-консултативен център (демо)",
            "Diagnostic and Consultative Centre (demo)",
        ),
        service_code: "health".into(),
        service_names: ("Достъп до здравеопазване".into(), "Health access".into()),
        preferred_language: Some("ar".into()),
    }
}

fn bench_slips() {
    let slip = sample_slip();
    for (first, second) in [("ar", "bg"), ("fa", "bg"), ("uk", "bg")] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..100 {
            let started = Instant::now();
            let pdf = bureau_desk::slip::render(&slip, first, second, Paper::A5)
                .unwrap_or_else(|e| panic!("{e}"));
            times.push(started.elapsed());
            size = pdf.len();
        }
        report(
            &format!("slip {first}+{second} A5 ({:.1} KB)", size as f64 / 1024.0),
            &mut times,
        );
    }
}

/// The figures of a month and of a year on the big file.
fn bench_figures(db: &Database, actor: &bureau_desk::domain::Actor) {
    use bureau_desk::domain::figures::Period;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    for (name, period) in [
        (
            "figures for one month",
            Period {
                from: day(2026, 10, 1),
                to: day(2026, 10, 31),
            },
        ),
        (
            "figures for one year",
            Period {
                from: day(2025, 11, 1),
                to: day(2026, 10, 31),
            },
        ),
    ] {
        let mut times = Vec::new();
        let mut visits = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let figures = bureau_desk::db::figures::compute(db, actor, period)
                .unwrap_or_else(|e| panic!("{e}"));
            times.push(started.elapsed());
            visits = figures.visits;
        }
        report(&format!("{name} ({visits} visits)"), &mut times);
    }
}

/// Search-as-you-type over every keystroke of `QUERIES`, after one unmeasured pass.
fn keystrokes(db: &Database, actor: &bureau_desk::domain::Actor) -> Vec<Duration> {
    let prefixes: Vec<String> = QUERIES
        .iter()
        .flat_map(|query| {
            let chars: Vec<char> = query.chars().collect();
            (2..=chars.len().min(20))
                .map(move |len| chars[..len].iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    for prefix in &prefixes {
        std::hint::black_box(visitors::search(db, actor, prefix, 50).unwrap_or_default());
    }
    prefixes
        .iter()
        .map(|prefix| {
            let started = Instant::now();
            std::hint::black_box(visitors::search(db, actor, prefix, 50).unwrap_or_default());
            started.elapsed()
        })
        .collect()
}

/// Logging a visit with three services, durably, 300 times.
fn visit_logging(
    db: &mut Database,
    actor: &bureau_desk::domain::Actor,
    size: usize,
) -> Vec<Duration> {
    let services: Vec<ServiceLine> = (1..=3)
        .map(|id| ServiceLine {
            service_type: bureau_desk::domain::ServiceTypeId(id),
            provider: bureau_desk::domain::OrganisationId(1),
        })
        .collect();
    let at = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(11, 0, 0))
        .unwrap_or_default();
    (0..300)
        .map(|n| {
            let visit = NewVisit {
                visitor: Some(VisitorId(1 + (n * 3331) % size as i64)),
                at,
                staff: actor.staff_id,
                language: "ar".into(),
                interpreter: true,
                duration_minutes: Some(20),
                services: services.clone(),
                notes: String::new(),
            };
            let started = Instant::now();
            visits::insert(db, actor, &visit, "2026-11-23T11:00:00")
                .unwrap_or_else(|e| panic!("{e}"));
            started.elapsed()
        })
        .collect()
}

/// The cost of encryption: the same searches and visit logging on the plain file and on an
/// encrypted copy of it (SQLCipher), side by side in one run; signing in (argon2id); and the
/// sign-in screen from nothing (reading the key file, drawing the first frame).
fn bench_encryption(path: &std::path::Path, size: usize) {
    use bureau_desk::app::session;
    use bureau_desk::keys::{DatabaseKey, KeyFile};
    let password = secrecy::SecretString::from("a benchmark password");
    let encrypted = path.with_file_name(format!("visitors-{size}-encrypted.sqlite"));
    let plain = Database::open(path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let admin = staff::list(&plain).unwrap_or_default()[0].clone();
    if !encrypted.exists() {
        let started = Instant::now();
        let key = DatabaseKey::generate();
        plain
            .export_copy(&encrypted, Some(&key))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut file = KeyFile::default();
        file.set_password(admin.id.0, &admin.display_name, &password, &key)
            .unwrap_or_else(|e| panic!("{e}"));
        file.save(&bureau_desk::output::key_file_of(&encrypted))
            .unwrap_or_else(|e| panic!("{e}"));
        println!("encrypted copy made in {:.1?}", started.elapsed());
    }
    drop(plain);
    let mut sign_ins = Vec::new();
    let mut opened = None;
    for _ in 0..5 {
        let started = Instant::now();
        let signed_in = session::sign_in(&encrypted, &admin.display_name, &password)
            .unwrap_or_else(|e| panic!("{e}"));
        sign_ins.push(started.elapsed());
        opened = Some(signed_in);
    }
    report(
        "sign in (argon2id 64 MiB, t=3, open the file)",
        &mut sign_ins,
    );
    let Some(signed_in) = opened else {
        return;
    };
    let actor = signed_in.staff.actor();
    let mut encrypted_db = signed_in.database;
    let mut plain_db = Database::open(path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    report(
        "search as you type, plain file",
        &mut keystrokes(&plain_db, &actor),
    );
    report(
        "search as you type, encrypted file",
        &mut keystrokes(&encrypted_db, &actor),
    );
    report(
        "log a visit with 3 services, plain file",
        &mut visit_logging(&mut plain_db, &actor, size),
    );
    report(
        "log a visit with 3 services, encrypted file",
        &mut visit_logging(&mut encrypted_db, &actor, size),
    );
    let mut cold = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let gate = session::Gate::new(encrypted.clone(), false);
        let mut window = bureau_desk::ui::DeskWindow::new(
            gate,
            bureau_desk::app::SlipOutput {
                folder: std::env::temp_dir(),
                open_viewer: false,
            },
            Clock::System,
        );
        let ctx = egui::Context::default();
        theme::install(&ctx);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| window.show(ui));
        output.textures_delta.clear();
        std::hint::black_box(output);
        cold.push(started.elapsed());
    }
    report(
        "sign-in screen from nothing (fonts, key file, frame)",
        &mut cold,
    );
}

/// 10,000 characters pasted into the search field and a name field of the new-visitor form:
/// the frame that takes the paste, and the frames after it with the cut text on screen. Drawn
/// through `egui_kittest`, which also builds the accessibility tree each frame: an upper bound
/// of the window's own frame.
fn bench_paste() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    let mut database = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let member = staff::insert(&mut database, "Мария", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let desk = Desk::new(database, member, Clock::System).unwrap_or_else(|e| panic!("{e}"));
    let mut harness = Harness::builder()
        .with_size([1366.0, 768.0])
        .with_context_setup(theme::install)
        .build_ui_state(|ui, app: &mut BureauApp| app.show(ui), BureauApp::new(desk));
    harness.run();
    let pasted = "ы".repeat(10_000);
    let label = |key: &str| bureau_desk::translate("bg", key, &[]);
    for (name, field) in [
        ("search field", label("desk.search")),
        ("new visitor's given name", label("visitor.given_name")),
    ] {
        if name.starts_with("new visitor") {
            harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
            harness.run();
        }
        harness.get_by_label(&field).focus();
        harness.run();
        let mut taking = Vec::new();
        let mut after = Vec::new();
        for _ in 0..20 {
            harness.event(egui::Event::Key {
                key: egui::Key::A,
                physical_key: None,
                pressed: true,
                repeat: false,
                modifiers: egui::Modifiers::COMMAND,
            });
            harness.event(egui::Event::Paste(pasted.clone()));
            let started = Instant::now();
            harness.step();
            taking.push(started.elapsed());
            for _ in 0..10 {
                let started = Instant::now();
                harness.step();
                after.push(started.elapsed());
            }
        }
        let kept = harness
            .get_by_label(&field)
            .value()
            .map_or(0, |v| v.chars().count());
        assert_eq!(
            kept,
            bureau_desk::ui::widgets::LINE_LIMIT,
            "the paste reached the {name}, cut"
        );
        report(
            &format!("frame taking a 10,000-char paste ({name})"),
            &mut taking,
        );
        report(&format!("  frames after it, text cut ({name})"), &mut after);
    }
}

/// A register of 10,000 visit rows as Bulgarian Excel saves it: 3,000 people typed in
/// Cyrillic, Latin or Arabic script, one to several visits each over a year.
fn register_csv() -> String {
    const GIVEN: [&str; 12] = [
        "Ахмад",
        "Ahmad",
        "محمد",
        "Олена",
        "Olena",
        "Фатима",
        "Fatima",
        "Иван",
        "Мариам",
        "Mariam",
        "علي",
        "Юсуф",
    ];
    const FAMILY: [&str; 10] = [
        "Хасан",
        "Hassan",
        "حسن",
        "Коваленко",
        "Kovalenko",
        "Ахмади",
        "Ahmadi",
        "Петров",
        "Шевченко",
        "نجار",
    ];
    // A father's name tells the people of one given and family name apart.
    const FATHER: [&str; 25] = [
        "Omar",
        "Олег",
        "Karim",
        "Бахрам",
        "Said",
        "Тарас",
        "Nabil",
        "Рашид",
        "Jamal",
        "Хамид",
        "Walid",
        "Самир",
        "Zaki",
        "Фарид",
        "Bilal",
        "Назар",
        "Rami",
        "Давуд",
        "Tarek",
        "Ибрахим",
        "Mansur",
        "Гафур",
        "Latif",
        "Петро",
        "Sami",
    ];
    const SERVICES: [&str; 4] = [
        "Правна помощ",
        "Информация и консултация",
        "Хуманитарна помощ / помощ в натура",
        "legal",
    ];
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut out = String::from("Дата;Име;Фамилия;Държава;Пол;Година на раждане;Услуга;Бележки\r\n");
    for row in 0..10_000u64 {
        let person = row % 3_000;
        let (given, family) = (
            GIVEN[(person % 12) as usize],
            FAMILY[((person / 12) % 10) as usize],
        );
        let birth = 1950 + (person * 7919 % 60);
        let day = NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(next(360))))
            .unwrap_or_default();
        out.push_str(&format!(
            "{};{given} {};{family};Сирия;{};{birth};{};\"бележка {row}\"\r\n",
            day.format("%d.%m.%Y"),
            FATHER[(person / 120) as usize],
            if person % 2 == 0 { "М" } else { "Ж" },
            SERVICES[next(4) as usize],
        ));
    }
    out
}

/// Importing the register into a new file, five times, each from reading the file to the
/// committed transaction.
fn bench_import() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let register = dir.path().join("register.csv");
    std::fs::write(&register, register_csv()).unwrap_or_else(|e| panic!("{e}"));
    let mut samples = Vec::new();
    for round in 0..5 {
        let path = dir.path().join(format!("desk-{round}.sqlite"));
        let mut db =
            Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
        let actor = staff::insert(&mut db, "Мария", Role::Coordinator, "2026-01-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .actor();
        let started = Instant::now();
        let table =
            bureau_desk::import::read_register(&register, None).unwrap_or_else(|e| panic!("{e}"));
        let outcome = bureau_desk::db::imports::run(
            &mut db,
            &actor,
            &table,
            &bureau_desk::import::Choices::default(),
            false,
            chrono::Local::now().naive_local(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        samples.push(started.elapsed());
        assert!(outcome.report.imported, "{:?}", outcome.refused);
        if round == 0 {
            let r = &outcome.report;
            println!(
                "register: {} rows, {} people, {} visits, {} services",
                r.rows, r.people_new, r.visits, r.services
            );
        }
    }
    report("import a 10,000-row register", &mut samples);
}

fn main() {
    let only = |what: &str| std::env::args().any(|a| a == format!("--only-{what}"));
    if only("import") {
        bench_import();
        return;
    }
    if only("slips") {
        bench_slips();
        return;
    }
    if only("paste") {
        bench_paste();
        return;
    }
    let only_search = only("search");
    let size: usize = std::env::var("BENCH_VISITORS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = database(size);
    if only("encryption") {
        bench_encryption(&path, size);
        return;
    }
    let mut db = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let actor = staff::list(&db).unwrap_or_default()[0].actor();
    println!("database: {} visitors ({})", size, path.display());

    // One unmeasured pass first: a desk keeps its file open all day, so after the first few
    // searches the index is in memory. The cold first pass is reported on its own.
    let started = Instant::now();
    for query in QUERIES {
        let chars: Vec<char> = query.chars().collect();
        for len in 2..=chars.len().min(20) {
            let prefix: String = chars[..len].iter().collect();
            std::hint::black_box(visitors::search(&db, &actor, &prefix, 50).unwrap_or_default());
        }
    }
    println!(
        "{:<48} {:.1?}",
        "first (cold) pass over all keystrokes",
        started.elapsed()
    );
    let mut ours = Vec::new();
    let mut like = Vec::new();
    let mut slowest = Vec::new();
    for query in QUERIES {
        let chars: Vec<char> = query.chars().collect();
        for len in 2..=chars.len().min(20) {
            let prefix: String = chars[..len].iter().collect();
            let started = Instant::now();
            let hits = visitors::search(&db, &actor, &prefix, 50).unwrap_or_default();
            ours.push(started.elapsed());
            slowest.push((started.elapsed(), prefix.clone()));
            std::hint::black_box(hits);
            let started = Instant::now();
            let scan = visitors::scan_like(&db, &prefix, 50).unwrap_or_default();
            like.push(started.elapsed());
            std::hint::black_box(scan);
        }
    }
    let (_, ours_p95) = report("search as you type (2-20 chars)", &mut ours);
    slowest.sort();
    let worst: Vec<String> = slowest
        .iter()
        .rev()
        .take(5)
        .map(|(d, q)| format!("{q:?} {d:.1?}"))
        .collect();
    println!("{:<48} {}", "  slowest keystrokes", worst.join(", "));
    let (_, like_p95) = report("plain LIKE '%q%' scan, same keystrokes", &mut like);
    println!(
        "{:<48} {:.1}x faster at p95",
        "ratio",
        like_p95.as_secs_f64() / ours_p95.as_secs_f64()
    );

    if only("figures") {
        bench_figures(&db, &actor);
        return;
    }
    if only_search {
        return;
    }
    let services: Vec<ServiceLine> = {
        let database = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
        let member = staff::find(&database, actor.staff_id).unwrap_or_else(|e| panic!("{e}"));
        let desk = Desk::new(database, member, Clock::System).unwrap_or_else(|e| panic!("{e}"));
        desk.services
            .iter()
            .take(3)
            .map(|s| ServiceLine {
                service_type: s.id,
                provider: desk.providers[0].id,
            })
            .collect()
    };
    let mut logging = Vec::new();
    let at = NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(11, 0, 0))
        .unwrap_or_default();
    for n in 0..300 {
        let visit = NewVisit {
            visitor: Some(VisitorId(1 + (n * 3331) % size as i64)),
            at,
            staff: actor.staff_id,
            language: "ar".into(),
            interpreter: true,
            duration_minutes: Some(20),
            services: services.clone(),
            notes: String::new(),
        };
        let started = Instant::now();
        visits::insert(&mut db, &actor, &visit, "2026-11-23T11:00:00")
            .unwrap_or_else(|e| panic!("{e}"));
        logging.push(started.elapsed());
    }
    report(
        "log a visit with 3 services (WAL, synchronous=FULL)",
        &mut logging,
    );

    for rows in [200usize, 100_000] {
        let mut app = {
            let mut database = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
            let member = staff::insert(&mut database, "Мария", Role::Desk, "2026-11-23T09:00")
                .unwrap_or_else(|e| panic!("{e}"));
            let mut desk =
                Desk::new(database, member, Clock::System).unwrap_or_else(|e| panic!("{e}"));
            desk.screen = Screen::Desk;
            desk.results = (0..rows)
                .map(|i| VisitorSummary {
                    id: VisitorId(i as i64),
                    code: format!("B-{i:06}"),
                    given_name: if i % 2 == 0 {
                        "محمد".into()
                    } else {
                        "Олена".into()
                    },
                    family_name: if i % 2 == 0 {
                        "حسن".into()
                    } else {
                        "Коваленко".into()
                    },
                    latin_name: "Mohammad Hassan".into(),
                    latin_automatic: true,
                    country_of_origin: "IQ".into(),
                    birth_year: Some(1980 + (i % 30) as i32),
                    found_as: None,
                    score: 1.0,
                })
                .collect();
            BureauApp::new(desk)
        };
        let ctx = egui::Context::default();
        theme::install(&ctx);
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1366.0, 768.0),
            )),
            ..Default::default()
        };
        for _ in 0..5 {
            ctx.run_ui(input(), |ui| app.show(ui))
                .textures_delta
                .clear();
        }
        let mut frames = Vec::new();
        for _ in 0..200 {
            let started = Instant::now();
            let mut output = ctx.run_ui(input(), |ui| app.show(ui));
            frames.push(started.elapsed());
            output.textures_delta.clear();
            std::hint::black_box(output);
        }
        report(
            &format!("desk frame with {rows} results in the list"),
            &mut frames,
        );
    }
    bench_figures(&db, &actor);
    bench_slips();
    bench_paste();
    drop(db);
    bench_encryption(&path, size);
}
