//! Storage: upgrades from older files, refusing newer or foreign files.

use std::path::Path;

use bureau_desk::db::{self, Database, OpenMode, audit, staff, visitors};
use bureau_desk::domain::Role;
use rusqlite::Connection;

/// The shape of a database: every object and every table's columns.
fn shape(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    let mut objects: Vec<(String, String, String)> = conn
        .prepare("SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    objects.sort();
    let mut shape = Vec::new();
    for (kind, name, table) in objects {
        shape.push(format!("{kind} {name} on {table}"));
        if kind == "table" {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{name}')"))
                .and_then(|mut s| {
                    s.query_map([], |r| {
                        Ok(format!(
                            "  {} {} {} {:?} {}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, i64>(4)?
                        ))
                    })?
                    .collect()
                })
                .unwrap_or_else(|e| panic!("{e}"));
            shape.extend(columns);
        }
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or(-1);
    shape.push(format!("user_version {version}"));
    shape
}

#[test]
fn a_version_1_file_upgrades_to_exactly_the_current_schema() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v1.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v1.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, created_at) VALUES (1, 'Мария', '2025-01-01T09:00');
         INSERT INTO visitors (id, code, given_name, family_name, created_at, created_by, updated_at)
             VALUES (1, 'B-000001', 'Иван', 'Петров', '2025-01-01T09:00', 1, '2025-01-01T09:00');
         INSERT INTO visitor_search (rowid, native, latin, skeleton, phone, code)
             VALUES (1, 'иван петров', 'ivan petrov', 'vn ptrv', '', 'b000001');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);

    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    let upgraded = Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        upgraded.schema_version().ok(),
        Some(bureau_desk::db::migrations::SCHEMA_VERSION)
    );

    // The upgrade filled the short-query index for people already registered.
    let actor = staff::list(&upgraded).unwrap_or_default()[0].actor();
    let hits = visitors::search(&upgraded, &actor, "iv", 5).unwrap_or_default();
    assert_eq!(
        hits.iter().map(|h| h.code.as_str()).collect::<Vec<_>>(),
        ["B-000001"]
    );
    drop(upgraded);
    assert_eq!(shape(&old), shape(&fresh));
}

#[test]
fn a_version_2_file_upgrades_to_exactly_the_current_schema_and_keeps_its_staff() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v2.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v2.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'coordinator', '2025-01-01T09:00');
         INSERT INTO visitors (id, code, given_name, family_name, created_at, created_by, updated_at)
             VALUES (1, 'B-000001', 'Иван', 'Петров', '2025-01-01T09:00', 1, '2025-01-01T09:00');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    let upgraded = Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let kept = staff::list(&upgraded).unwrap_or_default();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].display_name.as_str(), kept[0].role),
        ("Мария", Role::Coordinator)
    );
    drop(upgraded);
    assert_eq!(shape(&old), shape(&fresh));
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap_or(-1);
    assert_eq!(broken, 0, "the visitor still refers to its staff member");
}

#[test]
fn a_version_3_trail_is_chained_in_order_and_becomes_append_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v3.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v3.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2025-01-01T09:00');
         INSERT INTO audit_log (at, staff_id, action, entity, entity_id) VALUES
             ('2025-01-01T09:00', 1, 'create', 'visitors', 1),
             ('2025-01-01T09:01', 1, 'view', 'visitors', 1),
             ('2025-01-01T09:02', 1, 'print', 'referrals', 7);",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    let upgraded = Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let report = audit::verify(&upgraded).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.rows, report.first_broken), (3, None));
    let kept: Vec<(String, String, Option<i64>)> = audit::latest(&upgraded, 10)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|e| (e.at, e.action, e.entity_id))
        .collect();
    assert_eq!(
        kept,
        [
            ("2025-01-01T09:00".to_owned(), "create".to_owned(), Some(1)),
            ("2025-01-01T09:01".to_owned(), "view".to_owned(), Some(1)),
            ("2025-01-01T09:02".to_owned(), "print".to_owned(), Some(7)),
        ]
    );
    drop(upgraded);
    assert_eq!(shape(&old), shape(&fresh));
    let refused =
        Connection::open(&old).and_then(|c| c.execute("DELETE FROM audit_log WHERE id = 1", []));
    assert!(refused.is_err(), "the upgraded trail is append-only");
}

#[test]
fn a_version_4_withdrawal_becomes_a_record_of_its_own_and_consents_refuse_edits() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v4.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v4.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2025-01-01T09:00');
         INSERT INTO visitors (id, code, given_name, created_at, created_by, updated_at)
             VALUES (1, 'B-000001', 'Иван', '2025-01-01T09:00', 1, '2025-01-01T09:00');
         INSERT INTO consents (visitor_id, scope, given_on, recorded_by, withdrawn_on) VALUES
             (1, 'registration', '2025-01-01', 1, NULL),
             (1, 'share_with_referrals', '2025-01-01', 1, '2025-03-04');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    drop(Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(shape(&old), shape(&fresh));
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let history: Vec<(String, i64, String)> = conn
        .prepare("SELECT scope, given, dated FROM consents ORDER BY id")
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let row = |scope: &str, given, dated: &str| (scope.to_owned(), given, dated.to_owned());
    assert_eq!(
        history,
        [
            row("registration", 1, "2025-01-01"),
            row("share_with_referrals", 1, "2025-01-01"),
            row("share_with_referrals", 0, "2025-03-04"),
        ]
    );
    let in_force: Vec<String> = conn
        .prepare("SELECT scope FROM consents_in_force")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(in_force, ["registration"]);
    assert!(conn.execute("UPDATE consents SET given = 1", []).is_err());
    assert!(conn.execute("DELETE FROM consents", []).is_err());
}

#[test]
fn a_newer_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("newer.sqlite");
    drop(Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    Connection::open(&path)
        .and_then(|c| c.pragma_update(None, "user_version", 99))
        .unwrap_or_else(|e| panic!("{e}"));
    let result = Database::open(&path, OpenMode::Existing);
    assert!(matches!(
        result,
        Err(db::Error::TooNew {
            found: 99,
            supported: db::migrations::SCHEMA_VERSION
        })
    ));
    let version: i64 = Connection::open(&path)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))
        .unwrap_or_default();
    assert_eq!(version, 99);
}

#[test]
fn foreign_and_missing_files_are_refused_without_creating_anything() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Database::open(&text, OpenMode::Existing),
        Err(db::Error::NotADatabase(_))
    ));

    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE foo (x)"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Database::open(&other, OpenMode::Existing),
        Err(db::Error::NotADatabase(_))
    ));

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, "").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        Database::open(&empty, OpenMode::Existing),
        Err(db::Error::NotADatabase(_))
    ));
    assert_eq!(std::fs::metadata(&empty).map(|m| m.len()).unwrap_or(1), 0);

    let missing = dir.path().join("missing.sqlite");
    assert!(matches!(
        Database::open(&missing, OpenMode::Existing),
        Err(db::Error::Missing(_))
    ));
    assert!(!missing.exists());
}

#[test]
fn pragmas_make_a_logged_visit_durable() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.sqlite");
    let mut database =
        Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
    staff::insert(&mut database, "Мария", Role::Desk, "2026-11-23T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(database);
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap_or_default();
    assert_eq!(mode, "wal");
    let fk_violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap_or(-1);
    assert_eq!(fk_violations, 0);
}

#[test]
fn a_version_5_file_upgrades_to_exactly_the_current_schema_with_a_drafts_table() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v5.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v5.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2025-01-01T09:00');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    let upgraded = Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shape(&old), shape(&fresh));
    let maria = bureau_desk::db::staff::list(&upgraded)
        .unwrap_or_default()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the staff member is kept"))
        .actor();
    let form = bureau_desk::db::drafts::DraftForm::Visitor;
    bureau_desk::db::drafts::keep(&upgraded, &maria, form, None, "{}", "2026-12-03T09:00")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(bureau_desk::db::drafts::kept(&upgraded, &maria, form).is_ok_and(|d| d.is_some()));
}

#[test]
fn a_version_6_file_upgrades_to_exactly_the_current_schema_with_corrections() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v6.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v6.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2025-01-01T09:00');
         INSERT INTO visitors (id, code, given_name, created_at, created_by, updated_at)
             VALUES (1, 'B-000001', 'Олена', '2025-01-01T09:00', 1, '2025-01-01T09:00');
         INSERT INTO visits (id, visitor_id, visited_at, staff_id, language, created_at)
             VALUES (1, 1, '2025-01-01T09:00', 1, 'uk', '2025-01-01T09:00');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    drop(Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(shape(&old), shape(&fresh));
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let (by, voided, reason): (Option<i64>, Option<String>, String) = conn
        .query_row(
            "SELECT v.updated_by, s.voided_at, s.void_reason FROM visitors v, visits s",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (by, voided, reason.as_str()),
        (None, None, ""),
        "rows kept as they were"
    );
}

#[test]
fn a_version_7_file_upgrades_to_exactly_the_current_schema_with_merges_and_imports() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v7.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v7.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2025-01-01T09:00');
         INSERT INTO visitors (id, code, given_name, created_at, created_by, updated_at) VALUES
             (1, 'B-000001', 'Олена', '2025-01-01T09:00', 1, '2025-01-01T09:00'),
             (2, 'B-000002', 'Olena', '2025-01-02T09:00', 1, '2025-01-02T09:00');
         INSERT INTO consents (visitor_id, scope, dated, recorded_by, recorded_at)
             VALUES (2, 'registration', '2025-01-02', 1, '2025-01-02T09:00');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    drop(Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(shape(&old), shape(&fresh));
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let aliases: i64 = conn
        .query_row(
            "SELECT count(*) FROM visitors WHERE merged_into IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or(-1);
    assert_eq!(aliases, 0, "nobody is an alias after the upgrade");
    // The upgraded trigger lets a consent move to the kept record, and still refuses an edit.
    assert!(
        conn.execute("UPDATE consents SET visitor_id = 1", [])
            .is_ok()
    );
    assert!(conn.execute("UPDATE consents SET given = 0", []).is_err());
    assert!(conn.execute("DELETE FROM consents", []).is_err());
}

#[test]
fn a_version_9_file_gets_its_search_keys_written_anew() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("v9.sqlite");
    {
        let mut db =
            Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
        let actor = staff::insert(&mut db, "Мария", Role::Desk, "2026-01-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"))
            .actor();
        let nour = bureau_desk::domain::VisitorDraft {
            given_name: "Nour".into(),
            phone: "0888 123 456".into(),
            ..Default::default()
        }
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e:?}"));
        visitors::insert(&mut db, &actor, &nour, "2026-01-01T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // As a version 9 file would be: keys made the old way (here: none at all), and the
    // programme and referrals as they were before version 11.
    let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "DELETE FROM visitor_search; DELETE FROM visitor_name_words;
         DROP TABLE programme_days_off; DROP TABLE programme_slot_services;
         DROP TABLE programme_slots;
         CREATE TABLE programme_slots (
             id INTEGER PRIMARY KEY, day TEXT NOT NULL, starts_at TEXT NOT NULL,
             ends_at TEXT NOT NULL, organisation_id INTEGER NOT NULL REFERENCES organisations (id),
             service_type_id INTEGER NOT NULL REFERENCES service_types (id), language TEXT NOT NULL);
         CREATE INDEX programme_slots_by_day ON programme_slots (day);
         ALTER TABLE referrals DROP COLUMN for_household;
         PRAGMA user_version = 9;",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let db = Database::open(&path, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let actor = staff::list(&db).unwrap_or_default()[0].actor();
    for query in ["نور", "Нур", "0888123456", "B-000001", "no"] {
        assert_eq!(
            visitors::search(&db, &actor, query, 5)
                .unwrap_or_default()
                .iter()
                .map(|h| h.code.as_str())
                .collect::<Vec<_>>(),
            ["B-000001"],
            "{query}"
        );
    }
}

#[test]
fn a_version_10_file_gets_the_programme_as_slots_and_relation_codes_in_households() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("v10.sqlite");
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(include_str!("fixtures/schema_v10.sql"))
        .unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(
        "INSERT INTO staff (id, display_name, role, created_at) VALUES (1, 'Мария', 'admin', '2026-01-01T09:00');
         INSERT INTO households (id, created_at, created_by) VALUES (1, '2026-01-01T09:00', 1);
         INSERT INTO visitors (id, code, given_name, household_id, household_role, created_at, created_by, updated_at) VALUES
             (1, 'B-000001', 'Zahra', 1, 'mother', '2026-01-01T09:00', 1, '2026-01-01T09:00'),
             (2, 'B-000002', 'Ali', 1, 'child', '2026-01-01T09:00', 1, '2026-01-01T09:00'),
             (3, 'B-000003', 'Nour', NULL, 'stray', '2026-01-01T09:00', 1, '2026-01-01T09:00');
         INSERT INTO programme_slots (day, starts_at, ends_at, organisation_id, service_type_id, language)
             VALUES ('2026-03-10', '09:00', '12:00', 1, 2, 'fa');",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Database::open(&fresh, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}")));
    let upgraded = Database::open(&old, OpenMode::Existing).unwrap_or_else(|e| panic!("{e}"));
    let march = bureau_desk::domain::programme::Month::parse("2026-03")
        .unwrap_or_else(|| panic!("a month"));
    let programme =
        bureau_desk::db::programme::month(&upgraded, march).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(programme.slots.len(), 1);
    let sessions: Vec<String> = programme
        .sessions()
        .iter()
        .map(|s| s.day.to_string())
        .collect();
    assert_eq!(sessions, ["2026-03-10"]);
    assert_eq!(programme.slots[0].draft.languages, ["fa"]);
    drop(upgraded);
    assert_eq!(shape(&old), shape(&fresh));
    let conn = Connection::open(&old).unwrap_or_else(|e| panic!("{e}"));
    let roles: Vec<String> = conn
        .prepare("SELECT household_role FROM visitors ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    assert_eq!(roles, ["other", "child", ""], "free words become codes");
}
