//! Crash rounds, shared by the test suite and the `crash_rounds` bench: a child process logs
//! visits with three services (and every third one a referral and its printed slip) in a
//! loop, printing each id once it is committed; the parent kills it with SIGKILL at a random
//! moment, reopens the file and checks that everything printed is there, whole, and that the
//! file passes its checks.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bureau_desk::app::session;
use bureau_desk::db::{Database, audit, catalogue, organisations, referrals, visits};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::referrals::{NewReferral, ReferralId};
use bureau_desk::domain::visits::{NewVisit, ServiceLine};
use bureau_desk::domain::{Actor, VisitorId};
use bureau_desk::single_desk::DeskLock;
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;
use secrecy::SecretString;

/// The environment variable that turns a process into the writer, naming its database.
pub const CHILD_DB: &str = "BUREAU_DESK_CRASH_DB";

/// The day the writer's visits are dated (after the demo's last day, so only they are on it).
fn crash_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

fn at(minute: u32) -> NaiveDateTime {
    crash_day()
        .and_hms_opt(9, minute % 60, 0)
        .unwrap_or_default()
}

const REASON: &str = "crash round";
const VISITOR: VisitorId = VisitorId(1);

/// Makes the database the rounds run on: a small demo.
pub fn prepare(path: &Path) {
    session::create_demo(
        path,
        DemoOptions {
            visitors: 20,
            seed: 5,
            today: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

fn sign_in(path: &Path) -> (Database, Actor) {
    let signed_in = session::sign_in(
        path,
        demo::DEMO_ADMIN,
        &SecretString::from(demo::DEMO_PASSWORD),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let actor = signed_in.staff.actor();
    (signed_in.database, actor)
}

/// The writer: holds the desk lock as the desk does, and writes until it is killed.
pub fn write_until_killed(path: &Path) {
    let _lock = DeskLock::acquire(path).unwrap_or_else(|e| panic!("{e}"));
    let (mut db, actor) = sign_in(path);
    let services: Vec<_> = catalogue::service_types(&db)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .take(3)
        .map(|s| s.id)
        .collect();
    let provider = organisations::list(&db).unwrap_or_else(|e| panic!("{e}"))[0].id;
    let mut out = std::io::stdout();
    for i in 0u32.. {
        let visit = NewVisit {
            visitor: Some(VISITOR),
            at: at(i),
            staff: actor.staff_id,
            language: "en".to_owned(),
            interpreter: false,
            duration_minutes: Some(10),
            services: services
                .iter()
                .map(|&service_type| ServiceLine {
                    service_type,
                    provider,
                })
                .collect(),
            notes: format!("{REASON} {i}"),
        };
        let id = visits::insert(&mut db, &actor, &visit, &visits::stamp(at(i)))
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = writeln!(out, "visit {}", id.0);
        if i % 3 == 0 {
            let referral = NewReferral {
                visit: id,
                organisation: provider,
                service_type: services[0],
                reason: REASON.to_owned(),
                appointment_at: None,
                follow_up_on: crash_day() + chrono::Days::new(7),
                for_household: false,
            };
            let referral = referrals::insert_referral(&mut db, &actor, &referral, at(i))
                .unwrap_or_else(|e| panic!("{e}"));
            let _ = writeln!(out, "referral {}", referral.0);
            referrals::referral_slip(&mut db, &actor, referral, at(i))
                .unwrap_or_else(|e| panic!("{e}"));
            let _ = writeln!(out, "slip {}", referral.0);
        }
        let _ = out.flush();
    }
}

/// What the rounds found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Rounds run.
    pub rounds: usize,
    /// Visits the writer said were committed.
    pub visits_committed: usize,
    /// Of those, missing or not whole after the kill.
    pub visits_lost: usize,
    /// Referrals (with the record of their printed slip) said committed.
    pub referrals_committed: usize,
    /// Of those, missing, or printed without the record of it.
    pub referrals_lost: usize,
    /// Rows there but half written (a visit without its three services, a referral without
    /// its audit entry).
    pub half_written: usize,
    /// Rounds after which the file failed integrity, foreign key or audit chain checks.
    pub integrity_failures: usize,
    /// Rounds in which the next start could not take the desk lock.
    pub stale_locks: usize,
}

/// Runs one writer as `command` (with the database in its environment), kills it at a
/// random moment once it writes, and checks the file. `tally` gathers the result.
pub fn round(path: &Path, mut command: Command, tally: &mut Tally) {
    let mut child = command
        .env(CHILD_DB, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let reader = {
        let lines = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line);
                }
            }
        })
    };
    // Wait for the first commit (sign-in takes a moment), then kill at a random moment.
    for _ in 0..600 {
        let writing = lines
            .lock()
            .is_ok_and(|l| l.iter().any(|l| l.starts_with("visit ")));
        if writing || child.try_wait().ok().flatten().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(rand::rng().random_range(0..150)));
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let printed = lines.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(
        printed.iter().any(|l| l.starts_with("visit ")),
        "the writer committed nothing before it was killed: {printed:?}"
    );
    tally.rounds += 1;
    check(path, &printed, tally);
}

fn ids(printed: &[String], kind: &str) -> Vec<i64> {
    printed
        .iter()
        .filter_map(|line| line.strip_prefix(kind)?.trim().parse().ok())
        .collect()
}

fn check(path: &Path, printed: &[String], tally: &mut Tally) {
    // The kill left the lock file behind: it must not block the next start.
    let lock = DeskLock::acquire(path);
    if lock.is_err() {
        tally.stale_locks += 1;
    }
    let (db, actor) = sign_in(path);
    let stored = visits::on_day(&db, &actor, crash_day()).unwrap_or_else(|e| panic!("{e}"));
    for id in ids(printed, "visit ") {
        tally.visits_committed += 1;
        if !stored.iter().any(|v| v.id.0 == id && v.services.len() == 3) {
            tally.visits_lost += 1;
        }
    }
    tally.half_written += stored.iter().filter(|v| v.services.len() != 3).count();
    let referrals: Vec<_> = referrals::referrals_for_visitor(&db, &actor, VISITOR)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|r| r.reason == REASON)
        .collect();
    let entries = |action| {
        audit::entries(
            &db,
            &actor,
            &audit::Filter {
                action: Some(action),
                ..audit::Filter::default()
            },
            1_000_000,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|e| e.entity == "referrals")
        .filter_map(|e| e.entity_id)
        .collect::<Vec<_>>()
    };
    let created = entries(audit::Action::Create);
    let printed_slips = entries(audit::Action::Print);
    let slips = ids(printed, "slip ");
    for id in ids(printed, "referral ") {
        tally.referrals_committed += 1;
        let there = referrals.iter().any(|r| r.id == ReferralId(id));
        if !there || (slips.contains(&id) && !printed_slips.contains(&id)) {
            tally.referrals_lost += 1;
        }
    }
    tally.half_written += referrals
        .iter()
        .filter(|r| !created.contains(&r.id.0))
        .count();
    let health = db.check(&actor).unwrap_or_else(|e| panic!("{e}"));
    if !health.holds() {
        tally.integrity_failures += 1;
    }
    // The next round's writer finds the file as a desk leaves it: nobody holds it.
    drop(db);
    drop(lock);
}

/// A register of the bureau's earlier years for the import rounds, as Bulgarian Excel saves it:
/// `rows` visits of a fifth as many people, names in three scripts.
pub fn register_csv(rows: u64) -> String {
    const GIVEN: [&str; 6] = ["Ахмад", "Ahmad", "محمد", "Олена", "Fatima", "Юсуф"];
    const FAMILY: [&str; 5] = ["Хасан", "Kovalenko", "حسن", "Петров", "Ahmadi"];
    const SERVICES: [&str; 3] = ["Правна помощ", "Информация и консултация", "legal"];
    // A father's name tells apart the people of one given and family name.
    const FATHER: [&str; 10] = [
        "Omar",
        "Олег",
        "Karim",
        "Бахрам",
        "Said",
        "Тарас",
        "Nabil",
        "Рашид",
        "Jamal",
        "Самир",
    ];
    let mut out = String::from("Дата;Име;Фамилия;Държава;Пол;Година на раждане;Услуга\r\n");
    for row in 0..rows {
        let person = row % (rows / 5).max(1);
        let day = NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(row * 7919 % 360)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{};{} {};{};Сирия;{};{};{}\r\n",
            day.format("%d.%m.%Y"),
            GIVEN[(person % 6) as usize],
            FATHER[(person / 30 % 10) as usize],
            FAMILY[(person / 6 % 5) as usize],
            if person.is_multiple_of(2) { "М" } else { "Ж" },
            1950 + person % 60,
            SERVICES[(row % 3) as usize],
        ));
    }
    out
}

/// What the import rounds found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportTally {
    /// Rounds run.
    pub rounds: usize,
    /// Rounds after which the whole register was in the file.
    pub whole: usize,
    /// Rounds after which none of it was.
    pub none: usize,
    /// Rounds after which part of it was (must be none).
    pub partial: usize,
    /// Rounds after which the file failed its checks.
    pub integrity_failures: usize,
    /// Rounds in which the next start could not take the desk lock.
    pub stale_locks: usize,
}

/// Every visit in the file, whatever its day.
fn visits_in(path: &Path) -> u64 {
    let (db, actor) = sign_in(path);
    let all = bureau_desk::domain::figures::Period {
        from: NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default(),
        to: NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default(),
    };
    bureau_desk::db::figures::compute(&db, &actor, all)
        .unwrap_or_else(|e| panic!("{e}"))
        .visits
}

/// A copy of the `prepared` database and its key file in `dir`, named `name`.
fn fresh_copy(prepared: &Path, dir: &Path, name: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    for (from, to) in [
        (prepared.to_owned(), path.clone()),
        (
            bureau_desk::output::key_file_of(prepared),
            bureau_desk::output::key_file_of(&path),
        ),
    ] {
        std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
    path
}

/// `bureau-desk import` of `register` into `path`, started.
fn start_import(path: &Path, register: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_bureau-desk"))
        .args(["import", "--staff", demo::DEMO_ADMIN, "--db"])
        .arg(path)
        .arg(register)
        .env("BUREAU_DESK_PASSWORD", demo::DEMO_PASSWORD)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// An import of `register` into a copy of `prepared` left to finish: the visits it adds and
/// how long it took, from start to exit.
pub fn full_import(prepared: &Path, register: &Path, dir: &Path) -> (u64, Duration) {
    let path = fresh_copy(prepared, dir, "whole.sqlite");
    let before = visits_in(&path);
    let started = std::time::Instant::now();
    let status = start_import(&path, register)
        .wait()
        .unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    assert!(status.success(), "the import runs to its end");
    (visits_in(&path) - before, took)
}

/// One import round: a fresh copy of the `prepared` database (and its key file) in `dir`,
/// `bureau-desk import` of `register` run on it and killed at a random moment within `within`,
/// then the file is checked: it holds the whole register (`adds` more visits) or none of it.
pub fn import_round(
    prepared: &Path,
    register: &Path,
    adds: u64,
    within: Duration,
    dir: &Path,
    tally: &mut ImportTally,
) {
    let path = fresh_copy(prepared, dir, &format!("round-{}.sqlite", tally.rounds));
    let before = visits_in(&path);
    let mut child = start_import(&path, register);
    let wait = rand::rng().random_range(0..within.as_millis().max(1) as u64);
    std::thread::sleep(Duration::from_millis(wait));
    let _ = child.kill();
    let _ = child.wait();
    tally.rounds += 1;
    let lock = DeskLock::acquire(&path);
    if lock.is_err() {
        tally.stale_locks += 1;
    }
    let after = visits_in(&path);
    match after.checked_sub(before) {
        Some(0) => tally.none += 1,
        Some(added) if added == adds => tally.whole += 1,
        _ => tally.partial += 1,
    }
    let (db, actor) = sign_in(&path);
    if !db.check(&actor).unwrap_or_else(|e| panic!("{e}")).holds() {
        tally.integrity_failures += 1;
    }
    drop(db);
    drop(lock);
}
