//! Backups: a checked, encrypted copy with its key file; restore gives back the same data; the
//! rotation keeps 7 daily, 4 weekly and 12 monthly copies; a missing or unusable folder is said
//! and the desk goes on.

use bureau_desk::app::{Clock, Command, Desk, Notice, session};
use bureau_desk::db::{Database, OpenMode, backup, settings, staff};
use bureau_desk::demo::{self, DemoOptions};
use bureau_desk::domain::Role;
use bureau_desk::output::key_file_of;
use chrono::{NaiveDate, NaiveDateTime};
use secrecy::SecretString;

fn at(days: u64, hour: u32) -> NaiveDateTime {
    (NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default() + chrono::Days::new(days))
        .and_hms_opt(hour, 0, 0)
        .unwrap_or_default()
}

fn demo_password() -> SecretString {
    SecretString::from(demo::DEMO_PASSWORD)
}

#[test]
fn a_backup_restores_to_the_same_data_row_by_row_and_needs_its_key_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    session::create_demo(
        &path,
        DemoOptions {
            visitors: 120,
            seed: 8,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = session::sign_in(&path, demo::DEMO_ADMIN, &demo_password())
        .unwrap_or_else(|e| panic!("{e}"));
    let original = signed_in.database;
    let folder = dir.path().join("usb");
    let made = backup::write(&original, &folder, at(330, 9)).unwrap_or_else(|e| panic!("{e}"));
    assert!(made.path.starts_with(&folder) && made.path.exists());
    assert!(
        key_file_of(&made.path).exists(),
        "the key file goes with it"
    );
    assert!(
        !Database::is_plain_file(&made.path),
        "encrypted like the original"
    );
    assert!(
        std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok())
            .all(|e| !e.file_name().to_string_lossy().ends_with(".part")),
        "no temporary left"
    );

    let restored_path = dir.path().join("restored.sqlite");
    backup::restore(&made.path, &restored_path).unwrap_or_else(|e| panic!("{e}"));
    let restored = session::sign_in(&restored_path, demo::DEMO_ADMIN, &demo_password())
        .unwrap_or_else(|e| panic!("{e}"))
        .database;
    restored
        .verify_against(&original)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        restored.content_digest().ok(),
        original.content_digest().ok(),
        "the same rows, value for value"
    );
    assert!(restored.content_digest().is_ok_and(|d| d.len() == 64));
    // Restoring over an existing file is refused and leaves it alone.
    let before = std::fs::read(&restored_path).unwrap_or_default();
    assert!(backup::restore(&made.path, &restored_path).is_err());
    assert_eq!(std::fs::read(&restored_path).unwrap_or_default(), before);
    // Without its key file the backup opens for nobody.
    let stray = dir.path().join("stray.sqlite");
    std::fs::copy(&made.path, &stray).unwrap_or_else(|e| panic!("{e}"));
    assert!(session::sign_in(&stray, demo::DEMO_ADMIN, &demo_password()).is_err());
}

#[test]
fn a_backup_killed_half_way_is_cleared_and_none_replaces_another() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    staff::insert(&mut db, "Мария", Role::Admin, "2026-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("backups");
    std::fs::create_dir_all(&folder).unwrap_or_else(|e| panic!("{e}"));
    // What a desk closed during a backup leaves: an unfinished copy, two hours old; and one
    // another backup is writing just now, and someone else's file.
    let killed = folder.join(".desk-20260101-090000.sqlite.part");
    let writing = folder.join(".desk-20260101-100000.sqlite.part");
    let other = folder.join(".other-20260101-090000.sqlite.part");
    for file in [&killed, &writing, &other] {
        std::fs::write(file, b"half a database").unwrap_or_else(|e| panic!("{e}"));
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
    for file in [&killed, &other] {
        std::fs::File::options()
            .write(true)
            .open(file)
            .and_then(|f| f.set_modified(two_hours_ago))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let first = backup::write(&db, &folder, at(0, 11)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!killed.exists(), "the killed backup's copy is gone");
    // A second backup in the same second takes the next one rather than writing over the
    // first (the rotation then keeps the day's newest).
    let second = backup::write(&db, &folder, at(0, 11)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.at, at(0, 11) + chrono::Duration::seconds(1));
    assert_ne!(first.path, second.path);
    assert!(second.path.exists());
    assert!(writing.exists(), "a copy being written is left alone");
    assert!(other.exists(), "another database's files are not ours");
}

#[test]
fn rotation_keeps_seven_days_four_weeks_and_twelve_months() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    staff::insert(&mut db, "Мария", Role::Admin, "2026-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("backups");
    // A backup every third day for 14 months, then two on the last day.
    let mut times: Vec<NaiveDateTime> = (0..142).map(|d| at(d * 3, 18)).collect();
    times.push(at(426, 9));
    times.push(at(426, 17));
    for time in &times {
        backup::write(&db, &folder, *time).unwrap_or_else(|e| panic!("{e}"));
    }
    let kept: Vec<NaiveDateTime> = backup::list(&path, &folder)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|b| b.at)
        .collect();
    let expected: Vec<NaiveDateTime> = {
        let keep = bureau_desk::domain::backups::to_keep(&times);
        let mut expected: Vec<NaiveDateTime> = times
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(t, _)| *t)
            .collect();
        expected.sort();
        expected
    };
    assert_eq!(kept, expected);
    assert!(kept.len() <= 7 + 4 + 12);
    assert!(kept.contains(&at(426, 17)) && !kept.contains(&at(426, 9)));
    let months: std::collections::BTreeSet<String> =
        kept.iter().map(|t| t.format("%Y-%m").to_string()).collect();
    assert_eq!(months.len(), 12, "{months:?}");
}

#[test]
fn a_missing_or_unusable_backup_folder_is_said_and_the_desk_goes_on() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut db = Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let maria = staff::insert(&mut db, "Мария", Role::Admin, "2026-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    // The "folder" is a file: nothing can be written under it (a USB stick that is not there
    // behaves the same way to the desk).
    let not_a_folder = dir.path().join("usb-stick");
    std::fs::write(&not_a_folder, "not a folder").unwrap_or_else(|e| panic!("{e}"));
    settings::set(
        &db,
        settings::BACKUP_FOLDER,
        &not_a_folder.join("backups").display().to_string(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(backup::write(&db, &not_a_folder, at(0, 9)).is_err());
    let mut desk = Desk::new(db, maria, Clock::Fixed(at(330, 9))).unwrap_or_else(|e| panic!("{e}"));
    // The backup runs beside the desk; the desk answers meanwhile.
    desk.finish_backup();
    assert!(desk.backups.failed);
    assert_eq!(desk.notice, Some(Notice::Failed("backup.failed")));
    assert!(desk.backups.overdue(at(330, 9)));
    desk.query = "мария".into();
    desk.run(Command::Search);
    assert_eq!(
        desk.notice,
        Some(Notice::Failed("backup.failed")),
        "no new failure"
    );
    assert_eq!(
        std::fs::read_to_string(&not_a_folder).unwrap_or_default(),
        "not a folder"
    );

    // A good folder: the desk makes its backup on opening and shows its age.
    let dir2 = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path2 = dir2.path().join("desk.sqlite");
    let mut db2 =
        Database::open(&path2, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    let elena = staff::insert(&mut db2, "Елена", Role::Desk, "2026-01-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut desk2 =
        Desk::new(db2, elena, Clock::Fixed(at(330, 9))).unwrap_or_else(|e| panic!("{e}"));
    assert!(desk2.backups.running() || desk2.backups.last.is_some());
    desk2.finish_backup();
    assert_eq!(desk2.backups.last, Some(at(330, 9)));
    assert!(!desk2.backups.overdue(at(331, 9)));
    assert!(desk2.backups.overdue(at(333, 10)));
    assert_eq!(
        backup::list(&path2, &backup::default_folder(&path2))
            .unwrap_or_default()
            .len(),
        1
    );
}

#[test]
fn a_backup_taken_while_the_desk_keeps_writing_succeeds_and_holds_one_moment() {
    use bureau_desk::db::audit;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    session::create_demo(
        &path,
        DemoOptions {
            visitors: 120,
            seed: 3,
            today: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let signed_in = session::sign_in(&path, demo::DEMO_ADMIN, &demo_password())
        .unwrap_or_else(|e| panic!("{e}"));
    let db = signed_in.database;
    let actor = signed_in.staff.actor();
    let second = db.second_connection().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("usb");
    // The background backup of a busy desk: every view and search writes to the trail while
    // the copy is made.
    let backups = std::thread::spawn(move || {
        (0..4)
            .map(|n| backup::write(&second, &folder, at(330, 9 + n)).map(|made| made.path))
            .collect::<Vec<_>>()
    });
    let mut written = 0;
    while !backups.is_finished() {
        audit::record_search(&db, &actor, 4, 1, "2026-11-27T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        written += 1;
    }
    let made = backups
        .join()
        .unwrap_or_else(|_| panic!("the backup thread"));
    assert!(written > 0, "the desk wrote while the backups were made");
    let made: Vec<_> = made
        .into_iter()
        .map(|result| result.unwrap_or_else(|e| panic!("a backup of a busy desk failed: {e}")))
        .collect();
    // The rotation keeps the day's newest: it restores to a sound file.
    let newest = made.last().unwrap_or_else(|| panic!("no backup"));
    let restored = dir.path().join("restored.sqlite");
    backup::restore(newest, &restored).unwrap_or_else(|e| panic!("{e}"));
    let reopened = session::sign_in(&restored, demo::DEMO_ADMIN, &demo_password())
        .unwrap_or_else(|e| panic!("{e}"));
    let health = reopened
        .database
        .check(&reopened.staff.actor())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(health.holds(), "{health:?}");
}
