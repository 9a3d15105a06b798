//! Nothing lost: crash rounds with a killed writer, one desk per file, faults that must be
//! said without losing what was typed or stored.

use std::process::Command;

use bureau_desk::app::session::{Gate, GateStep};
use bureau_desk::db::backup;
use bureau_desk::single_desk::DeskLock;

use crate::crash::{self, Tally};

/// The writer's side of the crash rounds: this test binary, run again by
/// `killed_writers_lose_no_committed_visit`, writes until it is killed. Run on its own it
/// does nothing.
#[test]
#[ignore = "the child process of the crash rounds"]
fn crash_writer_child() {
    if let Some(path) = std::env::var_os(crash::CHILD_DB) {
        crash::write_until_killed(std::path::Path::new(&path));
    }
}

#[test]
fn killed_writers_lose_no_committed_visit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    let me = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut tally = Tally::default();
    for _ in 0..20 {
        let mut writer = Command::new(&me);
        writer.args([
            "reliability::crash_writer_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ]);
        crash::round(&path, writer, &mut tally);
    }
    assert_eq!(tally.rounds, 20);
    assert!(tally.visits_committed >= 20, "{tally:?}");
    assert!(tally.referrals_committed >= 20, "{tally:?}");
    assert_eq!(
        (
            tally.visits_lost,
            tally.referrals_lost,
            tally.half_written,
            tally.integrity_failures,
            tally.stale_locks
        ),
        (0, 0, 0, 0, 0),
        "{tally:?}"
    );
}

#[test]
fn a_killed_import_leaves_the_whole_register_or_none_of_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let prepared = dir.path().join("bureau.sqlite");
    crash::prepare(&prepared);
    let register = dir.path().join("register.csv");
    std::fs::write(&register, crash::register_csv(1_500)).unwrap_or_else(|e| panic!("{e}"));
    // One import left to finish: how many visits it adds and how long it takes; the rounds
    // kill theirs at a random moment in that time and a little after.
    let (adds, took) = crash::full_import(&prepared, &register, dir.path());
    assert!(adds > 1_000, "the register's visits: {adds}");
    let within = took + took / 5;
    let (mut tally, rounds) = (crash::ImportTally::default(), 8);
    for _ in 0..rounds {
        crash::import_round(&prepared, &register, adds, within, dir.path(), &mut tally);
    }
    println!("{adds} visits in {took:?}; {tally:?}");
    assert_eq!(tally.rounds, rounds);
    assert_eq!(
        (tally.partial, tally.integrity_failures, tally.stale_locks),
        (0, 0, 0),
        "{tally:?}"
    );
    assert_eq!(tally.whole + tally.none, rounds, "{tally:?}");
}

#[test]
fn a_second_desk_on_the_same_file_is_refused_and_a_reader_runs_beside_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    let first = Gate::new(path.clone(), true);
    assert_eq!(first.step, GateStep::SignIn);
    let second = Gate::new(path.clone(), true);
    assert_eq!(second.step, GateStep::Unusable);
    assert_eq!(second.error, Some("sign_in.open_elsewhere"));
    assert!(
        bureau_desk::translate("en", "sign_in.open_elsewhere", &[])
            .contains("already open on this file on this PC")
    );
    let bin = env!("CARGO_BIN_EXE_bureau-desk");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .env("BUREAU_DESK_PASSWORD", bureau_desk::demo::DEMO_PASSWORD)
            .env("BUREAU_DESK_NEW_PASSWORD", "a long new password")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let db = path.to_string_lossy().into_owned();
    // A command that changes the file is refused while the desk holds it...
    let add = run(&[
        "staff", "--db", &db, "--staff", "Admin", "add", "Ivo", "--role", "desk",
    ]);
    assert!(!add.status.success());
    let said = String::from_utf8_lossy(&add.stderr);
    assert!(said.contains("already open on"), "{said}");
    // ... one that reads runs beside it.
    let search = run(&["search", "--db", &db, "--staff", "Admin", "a"]);
    assert!(
        search.status.success(),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    // Closed, the desk lets the next one in.
    drop(first);
    drop(second);
    assert!(DeskLock::acquire(&path).is_ok());
}

/// A small tmpfs of its own, unmounted when dropped: a disk that really fills up, and that
/// can be made read-only under an open desk. Needs the right to mount (root, as in CI).
struct SmallDisk {
    mount: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn new(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let mount = dir.path().join("disk");
        std::fs::create_dir(&mount).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { mount, _dir: dir })
    }

    fn remount(&self, options: &str) {
        let done = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.mount)
            .status()
            .is_ok_and(|s| s.success());
        assert!(done, "remount {options}");
    }

    /// Writes a filler file until the disk is full.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.mount.join("filler");
        let mut file = std::fs::File::create(&filler).unwrap_or_else(|e| panic!("{e}"));
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..512]).is_ok() {}
        let _ = file.sync_all();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
    }
}

fn desk_on(path: &std::path::Path) -> bureau_desk::app::Desk {
    use bureau_desk::db::{Database, OpenMode, staff};
    let mut db = Database::open(path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let maria = staff::insert(
        &mut db,
        "Мария",
        bureau_desk::domain::Role::Coordinator,
        "2026-11-23T09:00",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 5, 0))
        .unwrap_or_default();
    bureau_desk::app::Desk::new(db, maria, bureau_desk::app::Clock::Fixed(now))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn visitors_in(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .and_then(|c| c.query_row("SELECT count(*) FROM visitors", [], |r| r.get(0)))
        .unwrap_or(-1)
}

fn register(desk: &mut bureau_desk::app::Desk, name: &str) {
    desk.visitor_form.draft.given_name = name.to_owned();
    desk.run(bureau_desk::app::Command::SaveVisitor);
}

#[test]
fn a_full_disk_is_said_keeps_the_form_and_loses_nothing_saved() {
    use bureau_desk::app::Notice;
    let Some(disk) = SmallDisk::new("3m") else {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs as root)");
        return;
    };
    let path = disk.mount.join("desk.sqlite");
    let mut desk = desk_on(&path);
    register(&mut desk, "Иван");
    assert_eq!(visitors_in(&path), 1);
    // The day's backup (on the same disk) is made before the disk fills.
    desk.finish_backup();
    let filler = disk.fill();
    // Enough visitors to need new pages once the disk is full; the one refused keeps its form.
    let mut refused = None;
    for i in 0..200 {
        register(&mut desk, &format!("Петър {i} {}", "д".repeat(60)));
        if !desk.visitor_form.draft.given_name.is_empty() {
            refused = Some((i, desk.notice.clone()));
            break;
        }
    }
    let (typed, notice) = refused.unwrap_or_else(|| panic!("the disk never filled"));
    let Some(Notice::Failed(key)) = notice else {
        panic!("a refused save says why: {notice:?}");
    };
    assert_eq!(key, "error.disk_full");
    assert!(
        bureau_desk::translate("en", key, &[]).contains("The disk is full"),
        "one clear sentence"
    );
    let kept = format!("Петър {typed} {}", "д".repeat(60));
    assert_eq!(desk.visitor_form.draft.given_name, kept, "the form is kept");
    // Space again: the same form saves, and everything saved before is there.
    std::fs::remove_file(filler).unwrap_or_else(|e| panic!("{e}"));
    desk.run(bureau_desk::app::Command::SaveVisitor);
    // (A backup that failed on the full disk may say so now; the form is saved.)
    assert!(
        desk.visitor_form.draft.given_name.is_empty(),
        "{:?}",
        desk.notice
    );
    assert_eq!(visitors_in(&path), typed as i64 + 2);
}

#[test]
fn a_read_only_folder_is_said_at_the_door_and_the_file_is_not_touched() {
    let Some(disk) = SmallDisk::new("8m") else {
        eprintln!("skipped: mounting needs root (CI runs as root)");
        return;
    };
    let path = disk.mount.join("desk.sqlite");
    crash::prepare(&path);
    let before = std::fs::read(&path).unwrap_or_default();
    disk.remount("ro");
    let gate = Gate::new(path.clone(), true);
    assert_eq!(gate.step, GateStep::Unusable);
    assert_eq!(gate.error, Some("sign_in.folder_read_only"));
    assert!(
        bureau_desk::translate("en", "sign_in.folder_read_only", &[])
            .contains("cannot be written to")
    );
    // A command that changes the file says so too, and nothing is changed.
    let bin = env!("CARGO_BIN_EXE_bureau-desk");
    let out = Command::new(bin)
        .args(["retention", "--db"])
        .arg(&path)
        .args(["--staff", "Admin", "--apply"])
        .env("BUREAU_DESK_PASSWORD", bureau_desk::demo::DEMO_PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be written to"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&path).unwrap_or_default(), before);
    drop(gate);
    disk.remount("rw");
}

#[test]
fn a_database_moved_or_replaced_under_the_desk_stops_writes_and_keeps_the_form() {
    use bureau_desk::app::Notice;
    for replace in [false, true] {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("desk.sqlite");
        let mut desk = desk_on(&path);
        register(&mut desk, "Иван");
        let aside = dir.path().join("aside.sqlite");
        std::fs::rename(&path, &aside).unwrap_or_else(|e| panic!("{e}"));
        if replace {
            std::fs::write(&path, b"another file").unwrap_or_else(|e| panic!("{e}"));
        }
        register(&mut desk, "Петър");
        assert_eq!(desk.notice, Some(Notice::Failed("error.file_gone")));
        assert_eq!(desk.visitor_form.draft.given_name, "Петър");
        desk.run(bureau_desk::app::Command::SignOut);
        assert!(desk.signed_out, "signing out still works");
        drop(desk);
        if replace {
            assert_eq!(
                std::fs::read(&path).unwrap_or_default(),
                b"another file",
                "the file put in its place is not written"
            );
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{e}"));
        }
        // Put back, the file holds what was saved (its log waited beside it), and no more.
        std::fs::rename(&aside, &path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(visitors_in(&path), 1, "what was saved is in the file");
    }
}

/// Signs in on `path` as the demo's administrator.
fn demo_sign_in(path: &std::path::Path) -> Result<(), String> {
    let signed_in = bureau_desk::app::session::sign_in(
        path,
        bureau_desk::demo::DEMO_ADMIN,
        &secrecy::SecretString::from(bureau_desk::demo::DEMO_PASSWORD),
    )
    .map_err(|e| e.to_string())?;
    let actor = signed_in.staff.actor();
    let health = signed_in
        .database
        .check(&actor)
        .map_err(|e| e.to_string())?;
    if health.holds() {
        Ok(())
    } else {
        Err(format!("{health:?}"))
    }
}

#[test]
fn truncated_and_corrupted_files_are_refused_and_left_as_they_are() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    assert_eq!(demo_sign_in(&path), Ok(()));
    let whole = std::fs::read(&path).unwrap_or_default();
    let keys = std::fs::read(bureau_desk::output::key_file_of(&path)).unwrap_or_default();
    let page = 4096;
    let mut truncated = whole[..whole.len() / 2].to_vec();
    truncated.truncate(truncated.len() / page * page + 100);
    let mut corrupted = whole.clone();
    for byte in &mut corrupted[3 * page + 200..3 * page + 260] {
        *byte ^= 0x5A;
    }
    for (name, bytes) in [("truncated", truncated), ("corrupted", corrupted)] {
        let bad = dir.path().join(format!("{name}.sqlite"));
        std::fs::write(&bad, &bytes).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(bureau_desk::output::key_file_of(&bad), &keys)
            .unwrap_or_else(|e| panic!("{e}"));
        let said = demo_sign_in(&bad);
        eprintln!("{name}: {said:?}");
        assert!(said.is_err(), "{name} is refused");
        assert_eq!(
            std::fs::read(&bad).unwrap_or_default(),
            bytes,
            "{name} untouched"
        );
    }
}

mod bad_input {
    use bureau_desk::cli::Cli;
    use bureau_desk::db::{Database, settings, staff, visitors};
    use bureau_desk::domain::visitors::VisitorDraft;
    use bureau_desk::domain::{Actor, Role};
    use clap::Parser;
    use proptest::prelude::*;

    fn database() -> (Database, Actor) {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let admin = staff::insert(&mut db, "Мария", Role::Admin, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let actor = admin.actor();
        (db, actor)
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn control_characters_in_a_search_answer() {
        let (db, actor) = database();
        for query in ["\u{4}\0\0\0", "\0", "a\0b", "\u{1}\u{2}\u{3}"] {
            if let Err(error) = visitors::search(&db, &actor, query, 20) {
                panic!("{query:?}: {error}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Whatever is typed, a visitor that validates reads back from the file exactly as
        /// it was validated: names in any script, birth years or dates, phone numbers.
        #[test]
        fn what_validates_survives_a_save_and_load_unchanged(
            given in "\\PC{1,40}",
            family in "[\\p{Cyrillic}\\p{Arabic}\\p{Latin} '-]{0,30}",
            birth in "(19[0-9]{2}|20[0-2][0-9]|[0-3]?[0-9]\\.[01]?[0-9]\\.(19|20)[0-9]{2}|\\PC{0,6})",
            phone in "(\\+?[0-9 ()-]{0,16}|\\PC{0,8})",
        ) {
            let draft = VisitorDraft {
                given_name: given,
                family_name: family,
                birth,
                phone,
                ..VisitorDraft::default()
            };
            if let Ok(valid) = draft.validate(today()) {
                let (mut db, actor) = database();
                let saved = visitors::insert(&mut db, &actor, &valid, "2026-11-23T10:00")
                    .unwrap_or_else(|e| panic!("{e}"));
                let read = visitors::find(&mut db, &actor, saved.id, "2026-11-23T10:01")
                    .unwrap_or_else(|e| panic!("{e}"));
                prop_assert_eq!(read.details, valid);
                // And it is found again by its code.
                let found = visitors::search(&db, &actor, &saved.code, 5)
                    .unwrap_or_else(|e| panic!("{e}"));
                prop_assert!(found.iter().any(|v| v.id == saved.id));
            }
        }

        /// Any search query, in any script and of any shape, answers without an error.
        /// (`\u{4}\0\0\0` was found by the search_query fuzz target.)
        #[test]
        fn any_search_query_answers(query in "(\\PC|[\\x00-\\x1f]){0,60}") {
            let (db, actor) = database();
            prop_assert!(visitors::search(&db, &actor, &query, 20).is_ok());
        }

        /// A settings value is stored as given when it fits, refused when not; never an error.
        #[test]
        fn settings_values_are_kept_or_refused(
            key in proptest::sample::select(settings::EDITABLE.iter().map(|(k, _)| *k).collect::<Vec<_>>()),
            value in "\\PC{0,40}",
        ) {
            let (db, actor) = database();
            let changed = settings::change(&db, &actor, key, &value, "2026-11-23T10:00")
                .unwrap_or_else(|e| panic!("{e}"));
            if changed {
                let stored = settings::get(&db, key).unwrap_or_else(|e| panic!("{e}"));
                prop_assert_eq!(stored.as_deref().map(str::trim), Some(value.trim()));
            }
        }

        /// Any command line is read or refused with clap's message; none panics.
        #[test]
        fn any_command_line_is_read_or_refused(args in proptest::collection::vec(
            "(--db|--staff|--from|--to|--month|--format|--out|--limit|search|export|check|slip|--referral|\\PC{0,12})",
            0..8,
        )) {
            let _ = Cli::try_parse_from(std::iter::once("bureau-desk".to_owned()).chain(args));
        }
    }
}

#[test]
fn a_damaged_page_found_by_the_days_backup_is_said_and_offered_a_restore_at_sign_out() {
    use bureau_desk::app::{Clock, Command, Desk, Notice};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let original = dir.path().join("original.sqlite");
    crash::prepare(&original);
    let whole = std::fs::read(&original).unwrap_or_default();
    let keys = std::fs::read(bureau_desk::output::key_file_of(&original)).unwrap_or_default();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default();
    let page = 4096;
    // A page that signing in and drawing the desk do not read, damaged on disk: from the
    // last page back, the first whose damage only the day's backup finds.
    let found = (1..whole.len() / page).rev().take(40).find_map(|n| {
        let path = dir.path().join(format!("damaged-{n}.sqlite"));
        let mut bytes = whole.clone();
        for byte in &mut bytes[n * page + 200..n * page + 260] {
            *byte ^= 0x5A;
        }
        std::fs::write(&path, &bytes).ok()?;
        std::fs::write(bureau_desk::output::key_file_of(&path), &keys).ok()?;
        let signed_in = bureau_desk::app::session::sign_in(
            &path,
            bureau_desk::demo::DEMO_ADMIN,
            &secrecy::SecretString::from(bureau_desk::demo::DEMO_PASSWORD),
        )
        .ok()?;
        let mut desk = Desk::new(signed_in.database, signed_in.staff, Clock::Fixed(now)).ok()?;
        desk.finish_backup();
        desk.run(Command::BackupNow);
        (desk.notice == Some(Notice::Failed("error.damaged"))).then_some((path, desk))
    });
    let (path, desk) = found.unwrap_or_else(|| panic!("no page only the backup reads"));
    assert!(desk.damage_seen, "the sign-in screen will offer the backup");
    assert!(
        backup::list(&path, &backup::default_folder(&path))
            .unwrap_or_default()
            .is_empty(),
        "no damaged copy is kept as a backup"
    );
    // After signing out, the sign-in screen offers the latest backup.
    let mut gate = Gate::new(path.clone(), false);
    assert_eq!(gate.step, GateStep::SignIn);
    gate.file_damaged();
    assert_eq!(gate.step, GateStep::Damaged);
    assert_eq!(gate.error, Some("sign_in.damaged_file"));
}
