//! Names that meet across scripts (issue 10): our own list of spellings of one name in Latin,
//! Cyrillic and Arabic script, each registered as a person of its own; search for each
//! spelling must find the others in its first ten results.

use bureau_desk::db::{Database, staff, visitors};
use bureau_desk::domain::{Role, VisitorDraft};

/// Each name with its common spellings: Latin, then Cyrillic, then Arabic script.
pub(crate) const NAMES: &[&[&str]] = &[
    &[
        "Mohammed",
        "Muhammad",
        "Mohamed",
        "Mohammad",
        "Мохамед",
        "Мохаммед",
        "Мухаммад",
        "محمد",
    ],
    &["Ahmad", "Ahmed", "Ахмад", "Ахмед", "أحمد", "احمد"],
    &["Ali", "Aly", "Али", "علي", "على"],
    &["Omar", "Umar", "Омар", "Умар", "عمر"],
    &["Hassan", "Hasan", "Хасан", "Хассан", "حسن"],
    &[
        "Hussein",
        "Husain",
        "Hussain",
        "Hosein",
        "Хусейн",
        "Хусеин",
        "حسين",
    ],
    &["Fatima", "Fatma", "Fatimah", "Фатима", "Фатма", "فاطمة"],
    &["Aisha", "Aysha", "Ayesha", "Айша", "Аиша", "عائشة"],
    &["Khaled", "Khalid", "Халед", "Халид", "خالد"],
    &[
        "Youssef", "Yousef", "Yusuf", "Yousif", "Юсуф", "Юсеф", "يوسف",
    ],
    &[
        "Ibrahim",
        "Ebrahim",
        "Ибрахим",
        "Ебрахим",
        "إبراهيم",
        "ابراهيم",
    ],
    &["Mahmoud", "Mahmud", "Махмуд", "محمود"],
    &[
        "Mustafa",
        "Mostafa",
        "Moustafa",
        "Мустафа",
        "Мостафа",
        "مصطفى",
    ],
    &["Nour", "Noor", "Nur", "Нур", "نور"],
    &["Hayat", "Haiat", "Хаят", "Хайат", "حياة"],
    &["Younes", "Yunus", "Younis", "Юнус", "Юнес", "يونس"],
    &["Jamal", "Gamal", "Djamal", "Джамал", "Жамал", "جمال"],
    &["Karim", "Kareem", "Карим", "كريم"],
    &["Samir", "Sameer", "Самир", "سمير"],
    &["Walid", "Waleed", "Валид", "Уалид", "وليد"],
    &["Zainab", "Zaynab", "Zeinab", "Зейнаб", "Зайнаб", "زينب"],
    &["Maryam", "Mariam", "Мариам", "Марям", "مريم"],
    &["Layla", "Leila", "Laila", "Лейла", "Лайла", "ليلى"],
    &["Rania", "Ranya", "Рания", "رانيا"],
    &[
        "Abdullah",
        "Abdallah",
        "Abdulla",
        "Абдулла",
        "Абдала",
        "عبدالله",
    ],
    &["Yasser", "Yasir", "Yaser", "Ясер", "Ясир", "ياسر"],
    &["Tariq", "Tarek", "Tarik", "Тарик", "Тарек", "طارق"],
    &["Bilal", "Belal", "Билал", "بلال"],
    &["Rashid", "Rachid", "Rasheed", "Рашид", "رشيد"],
    &["Farid", "Fareed", "Фарид", "فريد"],
    &["Nabil", "Nabeel", "Набил", "نبيل"],
    &["Salma", "Selma", "Салма", "سلمى"],
    &["Huda", "Hoda", "Худа", "هدى"],
    &["Amina", "Aminah", "Амина", "أمينة"],
    &["Said", "Saeed", "Sayed", "Саид", "Саед", "سعيد"],
    &["Reza", "Riza", "Реза", "رضا"],
    &["Mehdi", "Mahdi", "Мехди", "Махди", "مهدي"],
    &["Zahra", "Zahraa", "Захра", "زهراء", "زهرة"],
    &["Hamid", "Hameed", "Хамид", "حميد"],
    &["Jawad", "Javad", "Джавад", "Жавад", "جواد"],
    &["Sara", "Sarah", "Сара", "سارة"],
    &["Dawood", "Dawud", "Daud", "Давуд", "Дауд", "داود"],
    &["Mariia", "Maria", "Mariya", "Мария", "Марія", "ماريا"],
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Arabic,
}

fn script(name: &str) -> Script {
    if name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
        Script::Arabic
    } else if name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        Script::Cyrillic
    } else {
        Script::Latin
    }
}

/// What a search for each spelling finds of the other spellings of its name.
pub(crate) struct Recall {
    /// Other spellings in the same script found in the first ten, and asked for.
    within: (usize, usize),
    /// Other spellings in another script found in the first ten, and asked for.
    across: (usize, usize),
    /// Searches whose other spellings found all rank above every other name, and searches.
    ordered: (usize, usize),
    /// "query → spelling not found".
    missed: Vec<String>,
}

pub(crate) fn recall() -> Recall {
    let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
    let actor = staff::insert(&mut db, "Мария", Role::Desk, "2026-12-01T09:00")
        .unwrap_or_else(|e| panic!("{e}"))
        .actor();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let mut ids = Vec::new();
    for (group, spellings) in NAMES.iter().enumerate() {
        for spelling in *spellings {
            let new = VisitorDraft {
                given_name: (*spelling).to_owned(),
                ..Default::default()
            }
            .validate(today)
            .unwrap_or_else(|e| panic!("{e:?}"));
            let id = visitors::insert(&mut db, &actor, &new, "2026-12-01T09:00")
                .unwrap_or_else(|e| panic!("{e}"))
                .id;
            ids.push((id, group, *spelling));
        }
    }
    let (mut within, mut within_asked, mut across, mut across_asked) = (0, 0, 0, 0);
    let mut missed = Vec::new();
    let mut ordered = 0;
    for (_, group, query) in &ids {
        let hits: Vec<_> = visitors::search(&db, &actor, query, 10)
            .unwrap_or_default()
            .into_iter()
            .map(|h| h.id)
            .collect();
        // Every other spelling found comes before any spelling of another name.
        let groups: Vec<usize> = hits
            .iter()
            .filter_map(|h| ids.iter().find(|(id, _, _)| id == h).map(|(_, g, _)| *g))
            .collect();
        let first_other = groups
            .iter()
            .position(|g| g != group)
            .unwrap_or(groups.len());
        if groups[first_other..].iter().all(|g| g != group) {
            ordered += 1;
        } else if std::env::var("NAMES_DEBUG").is_ok() {
            let names: Vec<&str> = hits
                .iter()
                .filter_map(|h| ids.iter().find(|(id, _, _)| id == h).map(|(_, _, n)| *n))
                .collect();
            println!("order {query}: {names:?}");
        }
        for (id, other_group, other) in &ids {
            if other_group != group || other == query {
                continue;
            }
            let found = hits.contains(id);
            if script(query) == script(other) {
                within_asked += 1;
                within += usize::from(found);
            } else {
                across_asked += 1;
                across += usize::from(found);
            }
            if !found {
                missed.push(format!("{query} → {other}"));
            }
        }
    }
    Recall {
        within: (within, within_asked),
        across: (across, across_asked),
        ordered: (ordered, ids.len()),
        missed,
    }
}

#[test]
fn the_other_spellings_of_a_name_are_in_the_first_ten_results() {
    let Recall {
        within,
        across,
        ordered,
        missed,
    } = recall();
    let share = |(a, b): (usize, usize)| a as f64 / b.max(1) as f64;
    println!(
        "recall within a script {}/{} = {:.3}; across scripts {}/{} = {:.3}; searches with every \
         other spelling above any other name {}/{} = {:.3}",
        within.0,
        within.1,
        share(within),
        across.0,
        across.1,
        share(across),
        ordered.0,
        ordered.1,
        share(ordered)
    );
    println!("missed: {}", missed.join(", "));
    // The goals, on our own list (the held-out list is the steering side's).
    assert!(share(within) >= 0.99, "within a script: {missed:?}");
    assert!(share(across) >= 0.97, "across scripts: {missed:?}");
    // Spellings of other names rank below the other spellings of the name typed: all but
    // where Arabic script cannot tell them apart (محمد finds Mahmud, whose long u Latin
    // spelling does not mark, beside Mohammed) — run with NAMES_DEBUG=1 to see them.
    assert!(share(ordered) >= 0.99, "ordering: {ordered:?}");
}
