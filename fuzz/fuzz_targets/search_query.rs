//! The search query planner and the full-text queries it builds: any text typed into the
//! search box answers without a panic or an SQL error.
#![no_main]

use std::sync::Mutex;
use std::sync::OnceLock;

use bureau_desk::db::{Database, staff, visitors};
use bureau_desk::domain::visitors::VisitorDraft;
use bureau_desk::domain::{Actor, Role};
use libfuzzer_sys::fuzz_target;

fn desk() -> &'static Mutex<(Database, Actor)> {
    static DESK: OnceLock<Mutex<(Database, Actor)>> = OnceLock::new();
    DESK.get_or_init(|| {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let admin = staff::insert(&mut db, "Мария", Role::Admin, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let actor = admin.actor();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        for (given, family, phone) in [
            ("Иван", "Петров", "0888 123 456"),
            ("أحمد", "الخطيب", "+359 88 765 4321"),
            ("Mohammad", "Rezaei", ""),
            ("Олена", "Шевченко", "0899 000 111"),
        ] {
            let draft = VisitorDraft {
                given_name: given.into(),
                family_name: family.into(),
                phone: phone.into(),
                ..VisitorDraft::default()
            };
            let valid = draft.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
            visitors::insert(&mut db, &actor, &valid, "2026-11-23T10:00")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        Mutex::new((db, actor))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(guard) = desk().lock() else {
        return;
    };
    let (db, actor) = &*guard;
    if let Err(error) = visitors::search(db, actor, query, 20) {
        panic!("{query:?}: {error}");
    }
});
