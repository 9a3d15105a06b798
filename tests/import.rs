//! Bringing in the first year (issue 10): a register saved by Bulgarian Excel is read, grouped
//! into people and visits, checked by a dry run, and imported all or nothing, once.

use std::path::Path;

use bureau_desk::db::imports::{self, Refusal};
use bureau_desk::db::{self, Database, figures, staff, visitors, visits};
use bureau_desk::domain::figures::Period;
use bureau_desk::domain::import::Field;
use bureau_desk::domain::{Actor, Answer, Role, VisitorDraft};
use bureau_desk::import::{Choices, Encoding, read_register};
use chrono::{NaiveDate, NaiveDateTime};

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default()
}

/// A register as Bulgarian Excel saves it: `;`, Windows-1251, a note on two lines, CAPITALS,
/// several ways of writing a day, the same man typed in Cyrillic and Latin letters, two women
/// of one name born 19 years apart, a row without a date and a day as an Excel serial number.
const REGISTER: &str =
    "Дата;Име;Фамилия;Държава;Пол;Година на раждане;Телефон;Услуга;Организация;Бележки\r
03.03.2025;ИВАН;ПЕТРОВ;Сирия;М;1985;0888 111 222;Правна помощ;БЧК;\"първи ред\r
втори ред\"\r
03.03.2025 г.;Ivan;Petrov;SY;m;;;Информация и консултация;;\r
15.04.2025;Иван;Петров;Syria;м;1985;;Правна помощ;;\r
2025-04-16;Olena;Kovalenko;UA;Ж;1988;;Хуманитарна помощ / помощ в натура;;\r
17.04.25;Мария;Иванова;Украйна;ж;1990;;Информация и консултация;;\r
17.04.25;Мария;Иванова;Украйна;ж;1971;;Информация и консултация;;\r
;Без;Дата;;;;;Правна помощ;;\r
45777;Ахмед;Хасан;Ирак;М;;;Правна помощ;;\r
";

fn write_cp1251(path: &Path, text: &str) {
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1251.encode(text);
    assert!(!lossy, "the register fits Windows-1251");
    ok(std::fs::write(path, &bytes));
}

/// A desk with a coordinator and Олена Коваленко already registered (born 1988).
fn desk() -> (Database, Actor) {
    let mut db = ok(Database::open_in_memory());
    let coordinator = ok(staff::insert(
        &mut db,
        "Мария",
        Role::Coordinator,
        "2025-01-01T09:00",
    ))
    .actor();
    let olena = VisitorDraft {
        given_name: "Олена".into(),
        family_name: "Коваленко".into(),
        birth: "1988".into(),
        ..Default::default()
    }
    .validate(now().date())
    .unwrap_or_else(|e| panic!("{e:?}"));
    ok(visitors::insert(
        &mut db,
        &coordinator,
        &olena,
        "2025-01-02T09:00",
    ));
    (db, coordinator)
}

fn count(db: &Database, actor: &Actor, query: &str) -> usize {
    ok(visitors::search(db, actor, query, 50)).len()
}

#[test]
fn a_bulgarian_excel_register_is_grouped_into_people_and_visits_and_imported_all_or_nothing_once() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("регистър.csv");
    write_cp1251(&path, REGISTER);
    let table = ok(read_register(&path, None));
    assert_eq!(table.encoding, Some(Encoding::Windows1251));
    let (mut db, coordinator) = desk();

    // A desk worker may not import; the dry run writes nothing.
    let desk_worker = ok(staff::insert(
        &mut db,
        "Петя",
        Role::Desk,
        "2025-01-01T09:00",
    ))
    .actor();
    assert!(matches!(
        imports::run(
            &mut db,
            &desk_worker,
            &table,
            &Choices::default(),
            true,
            now()
        ),
        Err(db::Error::Forbidden(_))
    ));
    let dry = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        true,
        now(),
    ));
    let r = &dry.report;
    assert_eq!(dry.refused, None);
    assert_eq!(
        (r.rows, r.people_new, r.people_existing, r.people_to_review),
        (8, 4, 1, 2)
    );
    assert_eq!((r.visits, r.services), (6, 7));
    assert_eq!(
        r.rejected
            .iter()
            .map(|x| (x.line, x.reason.as_str()))
            .collect::<Vec<_>>(),
        [(9, "no date")],
        "the line in the file, after a note on two lines"
    );
    assert!(r.unplaced_values.is_empty(), "{:?}", r.unplaced_values);
    assert_eq!(
        r.visits_by_month
            .iter()
            .map(|(m, n)| (m.as_str(), *n))
            .collect::<Vec<_>>(),
        [("2025-03", 1), ("2025-04", 5)]
    );
    assert_eq!(
        r.review.iter().map(|x| x.lines.clone()).collect::<Vec<_>>(),
        [vec![7], vec![8]],
        "the two women of one name"
    );
    assert_eq!(
        count(&db, &coordinator, "Петров"),
        0,
        "a dry run writes nothing"
    );

    let done = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        false,
        now(),
    ));
    assert!(done.report.imported);
    // Once imported, each woman to review is listed with the other, by code, to compare.
    let review: Vec<Vec<String>> = done.report.review.iter().map(|x| x.codes.clone()).collect();
    assert_eq!(review.len(), 2);
    assert_eq!(review[0].len(), 2);
    assert_eq!(
        (&review[0][0], &review[0][1]),
        (&review[1][1], &review[1][0])
    );
    let ivan = ok(visitors::search(&db, &coordinator, "Ivan Petrov", 5));
    assert_eq!(ivan.len(), 1, "one person in both scripts");
    let ivan = ok(visitors::find(
        &mut db,
        &coordinator,
        ivan[0].id,
        "2026-01-10T09:01",
    ));
    assert_eq!(ivan.full_name(), "Иван Петров", "CAPITALS read as a name");
    assert_eq!(
        ivan.details.country_of_origin,
        Answer::Given("SY".to_owned())
    );
    assert_eq!(ivan.details.phone, Answer::Given("0888 111 222".to_owned()));
    assert!(
        ivan.details.consents.is_empty(),
        "no consent until the desk records it"
    );
    let mut history = ok(visits::for_visitor(&db, &coordinator, ivan.id));
    history.reverse();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[0].services.len(),
        2,
        "two rows of one day, one visit"
    );
    assert_eq!(history[0].notes, "първи ред\r\nвтори ред");
    // Олена was in the desk already: her visit is on her card, not on a second one.
    assert_eq!(count(&db, &coordinator, "Коваленко"), 1);
    let april = ok(figures::compute(
        &db,
        &coordinator,
        Period::month(2025, 4).unwrap_or_else(|| panic!("a month")),
    ));
    assert_eq!((april.visits, april.unique_visitors), (5, 5));

    // The same file again is refused, and nothing changes.
    let again = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        false,
        now(),
    ));
    assert!(matches!(again.refused, Some(Refusal::AlreadyImported(_))));
    assert_eq!(count(&db, &coordinator, "Петров"), 1);
}

#[test]
fn values_it_cannot_place_are_listed_and_block_the_import_until_mapped_or_created() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("r.csv");
    ok(std::fs::write(
        &path,
        "\u{feff}Date,Name,Country,Service,Колона\n1.2.2025,Nour Hassan,Сирия арабска,консулт.,x\n2.2.2025,Nour Hassan,Сирия арабска,Legal assistance,y\n",
    ));
    let table = ok(read_register(&path, None));
    let (mut db, coordinator) = desk();
    let dry = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        true,
        now(),
    ));
    let unplaced: Vec<(&str, &str, usize)> = dry
        .report
        .unplaced_values
        .iter()
        .map(|u| (u.column.as_str(), u.value.as_str(), u.rows))
        .collect();
    assert_eq!(
        unplaced,
        [("Country", "Сирия арабска", 2), ("Service", "консулт.", 1)]
    );
    assert_eq!(
        dry.report
            .columns
            .iter()
            .map(|c| c.field)
            .collect::<Vec<_>>(),
        [
            Field::Date,
            Field::Name,
            Field::Country,
            Field::Service,
            Field::Ignore
        ]
    );
    let refused = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        false,
        now(),
    ));
    assert_eq!(refused.refused, Some(Refusal::Unplaced(2)));
    assert_eq!(count(&db, &coordinator, "Nour"), 0, "nothing written");

    let choices = Choices {
        values: vec![(Field::Country, "Сирия арабска".into(), "SY".into())],
        create_missing: true,
        ..Choices::default()
    };
    let done = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &choices,
        false,
        now(),
    ));
    assert_eq!(done.refused, None, "{:?}", done.report.unplaced_values);
    assert_eq!(done.report.created, ["service: консулт."]);
    assert_eq!((done.report.people_new, done.report.visits), (1, 2));
    let bad = Choices {
        values: vec![(Field::Country, "x".into(), "Атлантида".into())],
        ..Choices::default()
    };
    assert!(matches!(
        ok(imports::run(
            &mut db,
            &coordinator,
            &table,
            &bad,
            true,
            now()
        ))
        .refused,
        Some(Refusal::BadValue(_))
    ));
}

#[test]
fn an_xlsx_register_with_real_dates_and_names_in_two_scripts_is_one_person() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("register.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("dd.mm.yyyy");
    for (col, heading) in ["Date", "Name", "Phone", "Service"].iter().enumerate() {
        ok(sheet.write_string(0, col as u16, *heading));
    }
    for (row, (day, name)) in [(3, "محمد حسن"), (20, "Mohammed Hassan")]
        .iter()
        .enumerate()
    {
        let row = row as u32 + 1;
        let when = ok(ExcelDateTime::from_ymd(2025, 5, *day));
        ok(sheet.write_datetime_with_format(row, 0, &when, &date));
        ok(sheet.write_string(row, 1, *name));
        ok(sheet.write_number(row, 2, 359_888_123_456.0));
        ok(sheet.write_string(row, 3, "information"));
    }
    ok(book.save(&path));
    let table = ok(read_register(&path, None));
    assert_eq!(table.rows[0].1[0], "45780", "a date cell as its serial day");
    let (mut db, coordinator) = desk();
    let done = ok(imports::run(
        &mut db,
        &coordinator,
        &table,
        &Choices::default(),
        false,
        now(),
    ));
    assert_eq!(done.refused, None);
    let r = &done.report;
    assert_eq!((r.people_new, r.people_to_review, r.visits), (1, 0, 2));
    assert_eq!(
        r.visits_by_month
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["2025-05"]
    );
    let found = ok(visitors::search(&db, &coordinator, "0888123456", 5));
    assert_eq!(
        found.len(),
        1,
        "the phone typed as a number kept its digits"
    );
}

#[test]
fn the_import_screen_reads_checks_places_a_value_and_imports_with_its_progress() {
    use crate::ui::{Setup, count, desk, tr, type_into};
    use egui_kittest::kittest::Queryable;
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let register = _dir.path().join("регистър.csv");
    write_cp1251(
        &register,
        "Дата;Име;Фамилия;Държава;Услуга\r\n03.11.2026;Иван;Петров;Сирия;Правна помощ\r\n04.11.2026;Ivan;Petrov;Сирия арабска;Правна помощ\r\n;Без;Дата;;Правна помощ\r\n",
    );
    let h = &mut harness;
    h.run();
    h.get_by_label(&tr("app.tab_reports")).click();
    h.run();
    h.get_by_label(&tr("import.open")).click();
    h.run();
    assert_eq!(h.state().desk.screen, bureau_desk::app::Screen::Import);
    type_into(h, &tr("import.file"), &register.display().to_string());
    h.get_by_label(&tr("import.read")).click();
    h.run();
    let report = h
        .state()
        .desk
        .import
        .outcome
        .clone()
        .unwrap_or_else(|| panic!("the dry run"))
        .report;
    assert_eq!((report.rows, report.rejected.len()), (3, 1));
    let left_out = bureau_desk::translate(
        "bg",
        "import.line",
        &[
            ("line", "4"),
            (
                "why",
                &bureau_desk::translate("bg", "import.problem.no_date", &[]),
            ),
        ],
    );
    assert!(h.query_by_label(&left_out).is_some(), "{left_out}");
    // The unplaced country is typed in; the dry run then finds one man in two scripts.
    let stands_for =
        bureau_desk::translate("bg", "import.stands_for", &[("value", "Сирия арабска")]);
    type_into(h, &stands_for, "SY");
    h.get_by_label(&tr("import.check")).click();
    h.run();
    let outcome = h
        .state()
        .desk
        .import
        .outcome
        .clone()
        .unwrap_or_else(|| panic!("checked"));
    assert_eq!(outcome.refused, None);
    assert_eq!((outcome.report.people_new, outcome.report.visits), (1, 2));
    assert_eq!(
        count(&path, "SELECT count(*) FROM visitors"),
        0,
        "nothing written yet"
    );
    h.get_by_label(&tr("import.start")).click();
    for _ in 0..100 {
        h.run();
        if !h.state().desk.import.running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    h.run();
    assert!(
        h.state()
            .desk
            .import
            .outcome
            .as_ref()
            .is_some_and(|o| o.report.imported),
        "{:?}",
        h.state().desk.import.outcome
    );
    assert_eq!(count(&path, "SELECT count(*) FROM visitors"), 1);
    assert_eq!(count(&path, "SELECT count(*) FROM visits"), 2);
    assert_eq!(count(&path, "SELECT count(*) FROM imports"), 1);
}

#[test]
fn people_to_review_are_compared_from_the_import_screen_and_merged() {
    use crate::ui::{Setup, count, desk, tr, type_into};
    use egui_kittest::kittest::Queryable;
    let Setup {
        mut harness,
        path,
        _dir,
    } = desk();
    let register = _dir.path().join("r.csv");
    ok(std::fs::write(
        &register,
        "Дата;Имена;Година на раждане;Услуга\n03.11.2026;Мария Иванова;1990;legal\n04.11.2026;Maria Ivanova;1991;legal\n",
    ));
    let h = &mut harness;
    h.run();
    h.state_mut()
        .desk
        .run(bureau_desk::app::Command::OpenImport);
    h.run();
    type_into(h, &tr("import.file"), &register.display().to_string());
    h.get_by_label(&tr("import.read")).click();
    h.run();
    h.get_by_label(&tr("import.start")).click();
    for _ in 0..100 {
        h.run();
        if !h.state().desk.import.running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    h.run();
    let compare = bureau_desk::translate(
        "bg",
        "import.compare",
        &[("code", "B-000001"), ("other", "B-000002")],
    );
    h.get_by_label(&compare).click();
    h.run();
    assert_eq!(h.state().desk.screen, bureau_desk::app::Screen::Merge);
    h.get_by_label(&tr("merge.confirm")).click();
    h.run();
    assert_eq!(
        count(&path, "SELECT count(*) FROM visits WHERE visitor_id = 1"),
        2,
        "one person with both visits"
    );
}
