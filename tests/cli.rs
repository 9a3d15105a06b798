//! The command line, run as a person would run it.

use std::process::Command;

use bureau_desk::app::session;
use bureau_desk::db::{Database, audit};
use bureau_desk::demo;

/// The program, with the demo's password for the commands that sign in.
fn bureau_desk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bureau-desk"));
    command.env("BUREAU_DESK_PASSWORD", demo::DEMO_PASSWORD);
    command
}

/// Signs in on an encrypted file as the demo's administrator.
fn open_as_admin(db: &std::path::Path) -> (Database, bureau_desk::domain::Actor) {
    let signed_in = session::sign_in(db, demo::DEMO_ADMIN, &demo::DEMO_PASSWORD.into())
        .unwrap_or_else(|e| panic!("{e}"));
    let actor = signed_in.staff.actor();
    (signed_in.database, actor)
}

#[test]
fn check_finds_a_trail_changed_with_an_outside_tool() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let made = bureau_desk()
        .args(["demo", "--visitors", "50", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(made.status.success());
    // A search and a slip leave their traces; the check signs in by password alone.
    let searched = bureau_desk()
        .args(["search", "--staff", "Admin", "--db"])
        .arg(&db)
        .arg("iv")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(searched.status.success());
    let check = || {
        bureau_desk()
            .args(["check", "--db"])
            .arg(&db)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let good = check();
    let printed = String::from_utf8_lossy(&good.stdout).into_owned();
    assert!(
        good.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(printed.contains("integrity_check: ok"), "{printed}");
    assert!(printed.contains("foreign_key_check: ok"), "{printed}");
    assert!(printed.contains("chain intact"), "{printed}");
    assert!(printed.contains("everything holds"), "{printed}");
    let (database, _) = open_as_admin(&db);
    let trail = audit::latest(&database, 1000).unwrap_or_default();
    let search = trail
        .iter()
        .find(|e| e.action == "search")
        .unwrap_or_else(|| panic!("the search was recorded"));
    assert!(
        search.detail.starts_with("length=2 results="),
        "{}",
        search.detail
    );
    let key = database
        .key()
        .map(|k| k.sqlcipher_pragma().to_string())
        .unwrap_or_default();
    drop(database);

    // Someone with the key opens the file with plain SQLCipher: the database refuses to
    // change the trail, so they drop its triggers and change an entry.
    let outside = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    outside
        .pragma_update(None, "key", &key)
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = outside.execute("DELETE FROM audit_log WHERE id = 2", []);
    assert!(refused.is_err_and(|e| e.to_string().contains("append-only")));
    outside
        .execute_batch(
            "DROP TRIGGER audit_log_refuses_update;
             UPDATE audit_log SET staff_id = NULL WHERE id = 2;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    drop(outside);
    let bad = check();
    let printed = String::from_utf8_lossy(&bad.stdout).into_owned();
    assert!(!bad.status.success(), "{printed}");
    assert!(printed.contains("chain broken at entry 2"), "{printed}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did not pass the check"));
}

#[test]
fn demo_then_search_as_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .args(["--visitors", "300", "--seed", "5"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = bureau_desk()
        .args(["search", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["мохамед", "--limit", "5", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!lines.is_empty() && lines.len() <= 5);
    let scores: Vec<f64> = lines
        .iter()
        .map(|l| l["score"].as_f64().unwrap_or(-1.0))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    for line in &lines {
        for key in ["id", "code", "given_name", "family_name", "score"] {
            assert!(line.get(key).is_some(), "{key} in {line}");
        }
    }

    // The demo refuses to overwrite an existing file.
    let again = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!again.status.success());
}

#[test]
fn bad_files_and_arguments_fail_in_one_sentence_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("missing.sqlite");
    let out = bureau_desk()
        .args(["search", "--staff", "Admin", "--db"])
        .arg(&missing)
        .arg("ivan")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!missing.exists());

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, this is not a database at all, sorry")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = bureau_desk()
        .args(["search", "--staff", "Admin", "--db"])
        .arg(&text)
        .arg("ivan")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a bureau-desk database"));
    assert_eq!(
        std::fs::read_to_string(&text).unwrap_or_default(),
        "hello, this is not a database at all, sorry",
        "left untouched"
    );

    let out = bureau_desk()
        .args(["--db"])
        .arg(&missing)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(!missing.exists());

    let out = bureau_desk()
        .args(["demo", "--db"])
        .arg(dir.path().join("x.sqlite"))
        .args(["--visitors", "many"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
}

#[test]
fn slips_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    // A year at the bureau's pace, so that every status occurs whatever day it is run.
    let out = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The demo holds referrals and accompaniments in every status.
    {
        let (database, actor) = open_as_admin(&db);
        let today = chrono::Local::now().date_naive();
        let whole = bureau_desk::domain::figures::Period {
            from: today - chrono::Days::new(400),
            to: today + chrono::Days::new(30),
        };
        let f = bureau_desk::db::figures::compute(&database, &actor, whole)
            .unwrap_or_else(|e| panic!("{e}"));
        let statuses = |counts: &[bureau_desk::domain::figures::Count]| {
            let mut keys: Vec<String> = counts.iter().map(|c| c.key.clone()).collect();
            keys.sort();
            keys
        };
        assert_eq!(
            statuses(&f.referrals.by_outcome),
            ["attended", "cancelled", "issued", "not_attended"]
        );
        assert_eq!(
            statuses(&f.accompaniments.by_outcome),
            ["cancelled", "done", "no_show", "planned"]
        );
    }

    let pdf = dir.path().join("r1.pdf");
    let out = bureau_desk()
        .args(["slip", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--referral", "1", "--lang", "ar", "--out"])
        .arg(&pdf)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read(&pdf).is_ok_and(|b| b.starts_with(b"%PDF")));
    let pdf = dir.path().join("a1.pdf");
    let out = bureau_desk()
        .args(["slip", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--accompaniment", "1", "--out"])
        .arg(&pdf)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(pdf.exists());

    for (args, expected) in [
        (
            vec!["--referral", "999999"],
            "there is no referral with id 999999",
        ),
        (
            vec!["--accompaniment", "999999"],
            "there is no accompaniment with id 999999",
        ),
        (
            vec!["--referral", "1", "--lang", "xx"],
            "there is no slip text in the language 'xx'",
        ),
    ] {
        let missing = dir.path().join("never.pdf");
        let out = bureau_desk()
            .args(["slip", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(&args)
            .arg("--out")
            .arg(&missing)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expected) && stderr.trim().lines().count() == 1,
            "{stderr}"
        );
        assert!(!missing.exists());
    }
}

#[test]
fn exports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .args(["--visitors", "300"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let month = chrono::Local::now()
        .date_naive()
        .format("%Y-%m")
        .to_string();
    for (format, name) in [
        ("json", "f.json"),
        ("xlsx", "f.xlsx"),
        ("pdf", "f.pdf"),
        ("csv", "csv"),
    ] {
        let path = dir.path().join(name);
        let out = bureau_desk()
            .args(["export", "--staff", "Admin", "--db"])
            .arg(&db)
            .args([
                "--month",
                &month,
                "--format",
                format,
                "--lang",
                "bg",
                "--records",
                "--out",
            ])
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(path.exists(), "{format}");
    }
    let json = |path: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default()
    };
    // The first visit of the month with a person (anonymous visits have no pseudonym).
    let person = |doc: serde_json::Value| -> String {
        doc["records"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["person"].as_str())
            .find(|p| !p.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    let first = person(json(&dir.path().join("f.json")));
    assert_eq!(first.len(), 16);
    let again = dir.path().join("again.json");
    let out = bureau_desk()
        .args(["export", "--staff", "Admin", "--db"])
        .arg(&db)
        .args([
            "--month",
            &month,
            "--format",
            "json",
            "--records",
            "--rotate-pseudonyms",
            "--out",
        ])
        .arg(&again)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("New pseudonyms"),
        "the rotation is said"
    );
    assert_ne!(
        person(json(&again)),
        first,
        "a rotated key gives new pseudonyms"
    );

    for (args, expected) in [
        (
            vec!["--month", "2026-13", "--format", "json"],
            "is not a month",
        ),
        (
            vec!["--month", "26-03", "--format", "json"],
            "four-digit year",
        ),
        (
            vec!["--month", "2026-03-15", "--format", "json"],
            "without a day",
        ),
        (
            vec!["--month", "0000-01", "--format", "json"],
            "between 2000 and 2100",
        ),
        (
            vec!["--month", "9999-12", "--format", "json"],
            "between 2000 and 2100",
        ),
        (
            vec!["--month", &month, "--format", "docx"],
            "is not an export format",
        ),
        (
            vec!["--from", "2026-11", "--to", "2026-01", "--format", "json"],
            "--from 2026-11 comes after --to 2026-01",
        ),
        (
            vec!["--month", &month, "--format", "pdf", "--rotate-pseudonyms"],
            "only json and csv exports list visits under pseudonyms",
        ),
    ] {
        let out = bureau_desk()
            .args(["export", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(&args)
            .arg("--out")
            .arg(dir.path().join("x"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expected) && stderr.trim().lines().count() == 1,
            "{stderr}"
        );
    }
}

#[test]
fn settings_are_listed_and_changed_with_their_values_checked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("desk.sqlite");
    let out = bureau_desk()
        .args(["demo", "--visitors", "10", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let out = bureau_desk()
        .args(["settings", "--staff", "Admin", "--db"])
        .arg(&db)
        .arg("bureau.phone=+359 2 000 0000")
        .arg("slip.paper=A4")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        listing.contains("bureau.phone=+359 2 000 0000\t") && listing.contains("slip.paper=A4\t"),
        "{listing}"
    );
    for bad in ["slip.paper=letter", "export.pseudonym_key=00", "nonsense"] {
        let out = bureau_desk()
            .args(["settings", "--staff", "Admin", "--db"])
            .arg(&db)
            .arg(bad)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success(), "{bad}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim().lines().count(),
            1
        );
    }
}

#[test]
fn exports_and_slips_never_touch_the_desks_own_files_nor_replace_without_force() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .args(["--visitors", "200", "--seed", "9"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    // A search leaves the -wal and -shm beside the file, as an open desk does.
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let before = std::fs::read(&db).unwrap_or_default();
    let wal = dir.path().join("demo.sqlite-wal");
    let shm = dir.path().join("demo.sqlite-shm");
    let keys = dir.path().join("demo.keys");
    let keys_before = std::fs::read(&keys).unwrap_or_default();
    let backup = dir.path().join("backups").join("demo-2026-12-01.sqlite");
    let roundabout = dir.path().join(".").join("demo.sqlite");
    let link = dir.path().join("link.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&db, &link).unwrap_or_else(|e| panic!("{e}"));
    for format in ["pdf", "xlsx", "json", "csv"] {
        for target in [&db, &wal, &shm, &keys, &backup, &roundabout, &link] {
            if !cfg!(unix) && target == &link {
                continue;
            }
            for force in [false, true] {
                let mut command = bureau_desk();
                command
                    .args(["export", "--staff", "Admin", "--db"])
                    .arg(&db)
                    .args(["--month", &month, "--format", format, "--out"])
                    .arg(target);
                if force {
                    command.arg("--force");
                }
                let out = command.output().unwrap_or_else(|e| panic!("{e}"));
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    !out.status.success() && stderr.contains("one of the desk's own files"),
                    "{format} onto {target:?}: {stderr}"
                );
            }
        }
    }
    // The folder that holds the database is not a csv folder either.
    let out = bureau_desk()
        .args(["export", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--month", &month, "--format", "csv", "--force", "--out"])
        .arg(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let out = bureau_desk()
        .args(["slip", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--referral", "1", "--force", "--out"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("one of the desk's own files"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!backup.exists());
    let (database, _) = open_as_admin(&db);
    database
        .verify_against(&database)
        .unwrap_or_else(|e| panic!("integrity: {e}"));
    drop(database);
    assert_eq!(
        std::fs::read(&db).unwrap_or_default().len(),
        before.len(),
        "the database is whole"
    );
    assert_eq!(std::fs::read(&keys).unwrap_or_default(), keys_before);

    // An existing file is replaced only with --force; the folder holds no temporary left over.
    let report = dir.path().join("report.json");
    std::fs::write(&report, "mine").unwrap_or_else(|e| panic!("{e}"));
    let export = |force: bool| {
        let mut command = bureau_desk();
        command
            .args(["export", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(["--month", &month, "--format", "json", "--out"])
            .arg(&report);
        if force {
            command.arg("--force");
        }
        command.output().unwrap_or_else(|e| panic!("{e}"))
    };
    let refused = export(false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("add --force"));
    assert_eq!(std::fs::read_to_string(&report).unwrap_or_default(), "mine");
    assert!(export(true).status.success());
    assert!(
        std::fs::read_to_string(&report)
            .unwrap_or_default()
            .contains("unique_visitors")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".bureau-desk-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn init_makes_a_file_nobody_reads_without_a_password_and_the_recovery_code_resets_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("bureau.sqlite");
    let strong = "кафе в девет сутринта";
    let weak = bureau_desk()
        .env("BUREAU_DESK_PASSWORD", "short")
        .args(["init", "--admin", "Мария", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!weak.status.success() && !db.exists());
    let out = bureau_desk()
        .env("BUREAU_DESK_PASSWORD", strong)
        .args(["init", "--admin", "Мария", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = printed
        .split_whitespace()
        .find(|w| w.len() == 39 && w.matches('-').count() == 7)
        .unwrap_or_else(|| panic!("a recovery code in {printed}"))
        .to_owned();

    // No plain SQLite header; plain SQLite and a wrong key both fail to read it.
    let bytes = std::fs::read(&db).unwrap_or_default();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    let plain = rusqlite::Connection::open(&db).and_then(|c| {
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    assert!(plain.is_err(), "plain SQLite reads nothing");
    let wrong_key = rusqlite::Connection::open(&db).and_then(|c| {
        c.pragma_update(None, "key", format!("x'{}'", "00".repeat(32)))?;
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    assert!(wrong_key.is_err(), "a wrong key reads nothing");
    let keys = std::fs::read_to_string(dir.path().join("bureau.keys")).unwrap_or_default();
    assert!(!keys.contains(strong) && !keys.contains(&code));

    // Commands sign in: no name, a wrong password, then the right one.
    let search = |password: &str, staff: Option<&str>| {
        let mut command = bureau_desk();
        command.env("BUREAU_DESK_PASSWORD", password).arg("search");
        if let Some(name) = staff {
            command.args(["--staff", name]);
        }
        command
            .arg("--db")
            .arg(&db)
            .arg("ivan")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let nameless = search(strong, None);
    assert!(String::from_utf8_lossy(&nameless.stderr).contains("--staff NAME"));
    let wrong = search("not the password at all", Some("Мария"));
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("password is not right"));
    assert!(search(strong, Some("мария")).status.success());

    // The recovery code resets the password; the old one stops working.
    let new = "a brand new password";
    let reset = bureau_desk()
        .env("BUREAU_DESK_RECOVERY_KEY", code.to_lowercase())
        .env("BUREAU_DESK_NEW_PASSWORD", new)
        .args(["password", "--recovery-key", "--staff", "Мария", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert!(!search(strong, Some("Мария")).status.success());
    assert!(search(new, Some("Мария")).status.success());

    // The demo is encrypted too, with the documented administrator and password.
    let demo_db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--visitors", "20", "--db"])
        .arg(&demo_db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    assert!(!Database::is_plain_file(&demo_db));
    let (database, actor) = open_as_admin(&demo_db);
    assert_eq!(actor.role, bureau_desk::domain::Role::Admin);
    drop(database);
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--visitors", "40", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let folder = dir.path().join("usb");
    // Only an administrator makes backups.
    let refused = bureau_desk()
        .args(["backup", "--staff", "Елена", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&folder)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("your role may not do this"));
    let out = bureau_desk()
        .args(["backup", "--staff", "Admin", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&folder)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(made.exists() && made.with_extension("keys").exists());
    // The database, its key file, the backup folder and the backups: this user's only.
    #[cfg(unix)]
    for path in [
        db.clone(),
        db.with_extension("keys"),
        folder.clone(),
        made.clone(),
        made.with_extension("keys"),
    ] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0o777);
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", path.display());
    }
    let restored = dir.path().join("restored.sqlite");
    let out = bureau_desk()
        .args(["restore", "--staff", "Admin", "--backup"])
        .arg(&made)
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("restored and checked"));
    // The same data; the restored file's trail ends with who restored it.
    let (a, _) = open_as_admin(&db);
    let (b, _) = open_as_admin(&restored);
    assert_eq!(
        a.content_digest_except(&["audit_log"]).ok(),
        b.content_digest_except(&["audit_log"]).ok()
    );
    let last = audit::latest(&b, 1).unwrap_or_default();
    assert_eq!(last.first().map(|e| e.action.as_str()), Some("restore"));
    assert!(audit::verify(&b).is_ok_and(|r| r.first_broken.is_none()));
    // Onto an existing file: refused.
    let again = bureau_desk()
        .args(["restore", "--staff", "Admin", "--backup"])
        .arg(&made)
        .arg("--db")
        .arg(&restored)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!again.status.success());

    // A backup folder on a full disk: the process may write no file beyond 64 KiB (a write
    // past it fails as on a full disk), so the copy cannot be written. The command says so,
    // leaves nothing half-written in the folder and the database as it was.
    let before = open_as_admin(&db)
        .0
        .content_digest_except(&["audit_log"])
        .ok();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or_default();
    assert!(
        size > 128 * 1024,
        "the database ({size} bytes) must not fit"
    );
    let full = dir.path().join("full");
    let out = Command::new("bash")
        .args(["-c", "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_bureau-desk"))
        .args(["backup", "--staff", "Admin", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&full)
        .env("BUREAU_DESK_PASSWORD", demo::DEMO_PASSWORD)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no backup was made in"), "{said}");
    let left: Vec<_> = std::fs::read_dir(&full)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(
        open_as_admin(&db)
            .0
            .content_digest_except(&["audit_log"])
            .ok(),
        before
    );
}

#[test]
fn administrators_add_and_remove_staff_each_with_their_own_password() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--visitors", "20", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let staff = |args: &[&str], new_password: Option<&str>| {
        let mut command = bureau_desk();
        if let Some(password) = new_password {
            command.env("BUREAU_DESK_NEW_PASSWORD", password);
        }
        command
            .args(["staff", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let petar = "петър има нова парола";
    let added = staff(&["add", "Петър", "--role", "desk"], Some(petar));
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let listed = String::from_utf8_lossy(&staff(&["list"], None).stdout).into_owned();
    assert!(listed.contains("Петър\tdesk"), "{listed}");
    let search_as = |name: &str, password: &str| {
        bureau_desk()
            .env("BUREAU_DESK_PASSWORD", password)
            .args(["search", "--staff", name, "--db"])
            .arg(&db)
            .arg("ivan")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(search_as("Петър", petar).status.success());
    // A partner needs an organisation, and gets no key slot: their password opens nothing.
    let no_org = staff(
        &["add", "Надя", "--role", "partner"],
        Some("надя е от центъра"),
    );
    assert!(!no_org.status.success());
    let partner = staff(
        &["add", "Надя", "--role", "partner", "--organisation", "2"],
        Some("надя е от центъра"),
    );
    assert!(
        partner.status.success(),
        "{}",
        String::from_utf8_lossy(&partner.stderr)
    );
    assert!(!search_as("Надя", "надя е от центъра").status.success());
    // Removed: the slot is gone.
    assert!(staff(&["remove", "Петър"], None).status.success());
    assert!(!search_as("Петър", petar).status.success());
    // A desk worker may not manage staff; nobody removes themselves.
    let as_elena = bureau_desk()
        .env("BUREAU_DESK_NEW_PASSWORD", "some long password")
        .args(["staff", "--staff", "Елена", "--db"])
        .arg(&db)
        .args(["add", "Иван", "--role", "desk"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(String::from_utf8_lossy(&as_elena.stderr).contains("your role may not do this"));
    assert!(!staff(&["remove", "Admin"], None).status.success());
}

#[test]
fn rekey_from_the_command_line_prints_a_new_recovery_code() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let out = bureau_desk()
        .args(["demo", "--visitors", "20", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let (before, _) = open_as_admin(&db);
    let digest = before
        .content_digest_except(&["audit_log"])
        .unwrap_or_default();
    drop(before);
    let out = bureau_desk()
        .args(["rekey", "--staff", "Admin", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        printed
            .split_whitespace()
            .any(|w| w.len() == 39 && w.matches('-').count() == 7),
        "{printed}"
    );
    let (after, _) = open_as_admin(&db);
    assert_eq!(
        after
            .content_digest_except(&["audit_log"])
            .unwrap_or_default(),
        digest
    );
    // Елена's slot went with the old key; a backup of the old pair was made first.
    let elena = bureau_desk()
        .args(["search", "--staff", "Елена", "--db"])
        .arg(&db)
        .arg("ivan")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!elena.status.success());
    assert!(
        std::fs::read_dir(dir.path().join("backups"))
            .map(|d| d.count() >= 2)
            .unwrap_or(false),
        "the backup and its key file"
    );
}

#[test]
fn subject_access_and_retention_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.sqlite");
    let made = bureau_desk()
        .args(["demo", "--db"])
        .arg(&db)
        .args(["--visitors", "300", "--seed", "5"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(made.status.success());
    let subject = |format: &str, out: &std::path::Path, extra: &[&str]| {
        bureau_desk()
            .args(["subject", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(["--visitor", "B-000001", "--format", format, "--out"])
            .arg(out)
            .args(extra)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let json = dir.path().join("B-000001.json");
    let done = subject("json", &json, &[]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    for key in [
        "identity",
        "consents",
        "visits",
        "referrals",
        "accompaniments",
        "audit",
    ] {
        assert!(value.get(key).is_some(), "{key}");
    }
    assert_eq!(value["identity"]["code"], "B-000001");
    assert!(
        !value["visits"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .is_empty()
    );

    let pdf = dir.path().join("B-000001.pdf");
    let done = subject("pdf", &pdf, &[]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(std::fs::read(&pdf).unwrap_or_default().starts_with(b"%PDF"));
    let again = subject("pdf", &pdf, &[]);
    assert!(!again.status.success(), "no overwrite without --force");
    assert!(
        subject("pdf", &pdf, &["--force", "--lang", "fa"])
            .status
            .success()
    );

    let unknown = bureau_desk()
        .args(["subject", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--visitor", "B-999999", "--format", "json", "--out"])
        .arg(dir.path().join("nobody.json"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("nobody is registered with the code 'B-999999'")
    );
    assert!(!dir.path().join("nobody.json").exists());

    let retention = |extra: &[&str]| {
        let out = bureau_desk()
            .args(["retention", "--staff", "Admin", "--db"])
            .arg(&db)
            .args(extra)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let review = retention(&[]);
    assert!(
        review.starts_with("retention: 5 years after the last visit"),
        "{review}"
    );
    assert!(review.contains("past the limit: 0"), "{review}");
    assert!(retention(&["--apply"]).contains("anonymised: 0"));
    let desk = bureau_desk()
        .args(["retention", "--staff", "Георги", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!desk.status.success(), "administrators only");
}

#[test]
fn a_register_is_imported_from_the_command_line_and_counted_by_the_export() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("bureau.sqlite");
    let bureau_desk = || {
        let mut command = bureau_desk();
        command.env("BUREAU_DESK_PASSWORD", "кафе в девет сутринта");
        command
    };
    let made = bureau_desk()
        .args(["init", "--admin", "Admin", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        "\u{feff}Дата;Име;Фамилия;Държава;Услуга;Бележки\n\
         03.04.2025;Иван;Петров;Сирия;Правна помощ;\"бележка\nна два реда\"\n\
         04.04.2025 г.;Olena;Kovalenko;UA;Информация и консултация;\n\
         ;Без;Дата;;Правна помощ;\n\
         05.04.2025;Olena;Kovalenko;UA;непозната услуга;\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = dir.path().join("report.json");
    let import = |extra: &[&str]| {
        bureau_desk()
            .args(["import", "--staff", "Admin", "--db"])
            .arg(&db)
            .arg(&register)
            .args(extra)
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let dry = import(&["--dry-run", "--report", report.to_str().unwrap_or_default()]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
    for key in [
        "rows",
        "people_new",
        "people_existing",
        "people_to_review",
        "visits",
        "services",
        "rejected",
        "unplaced_values",
        "visits_by_month",
    ] {
        assert!(json.get(key).is_some(), "the report has {key}: {json}");
    }
    assert_eq!(json["rows"], 4);
    assert_eq!(json["rejected"][0]["line"], 5);
    assert_eq!(json["rejected"][0]["reason"], "no date");
    assert_eq!(json["unplaced_values"][0]["value"], "непозната услуга");
    // The unplaced service blocks the import, and the report is not replaced without --force.
    let blocked = import(&["--report", report.to_str().unwrap_or_default()]);
    assert!(!blocked.status.success());
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("--force"));
    let blocked = import(&[]);
    assert!(!blocked.status.success());
    assert!(
        String::from_utf8_lossy(&blocked.stderr).contains("could not be placed"),
        "{}",
        String::from_utf8_lossy(&blocked.stderr)
    );
    let done = import(&["--value", "service:непозната услуга=information"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stdout).starts_with("imported: 4 rows"));
    let again = import(&["--value", "service:непозната услуга=information"]);
    assert!(!again.status.success(), "the same file twice");
    assert!(String::from_utf8_lossy(&again.stderr).contains("imported already"));

    let figures = dir.path().join("april.json");
    let export = bureau_desk()
        .args(["export", "--staff", "Admin", "--db"])
        .arg(&db)
        .args(["--month", "2025-04", "--format", "json", "--out"])
        .arg(&figures)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let text = std::fs::read_to_string(&figures).unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let figures = json.get("figures").unwrap_or(&json);
    assert_eq!(figures["visits"], 3, "{text}");
    assert_eq!(figures["unique_visitors"], 2, "{text}");
}
