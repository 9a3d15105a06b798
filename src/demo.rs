//! A realistic generated database: a year at the bureau's pace by default (about 1,150
//! visitors and 1,500 visits), names in the scripts people from each country write, returning
//! visitors, and the services mix of the first-year evaluation. Larger sizes spread over more
//! years (1,000,000 visitors ≈ ten years), for benchmarks. Every person in it is invented.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Weekday};
use rand::distr::weighted::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;

use crate::db::{self, Database, catalogue, settings};
use crate::domain::feedback::NewFeedback;
use crate::domain::households::Relation;
use crate::domain::referrals::{
    AccompanimentStatus, NewAccompaniment, NewReferral, ReferralStatus,
};
use crate::domain::visitors::Birth;
use crate::domain::{
    Actor, Answer, ConsentScope, LegalStatus, NewVisit, NewVisitor, OrganisationDetails,
    OrganisationId, OrganisationKind, Role, ServiceLine, ServiceTypeId, Sex, StaffId, format_stamp,
};

/// How big and which random sequence.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// Number of registered visitors.
    pub visitors: usize,
    /// Random seed: the same seed gives the same database for the same `today`.
    pub seed: u64,
    /// The last day of the generated period; visits are dated up to it.
    pub today: NaiveDate,
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    /// Visitors registered.
    pub visitors: usize,
    /// Visits logged (anonymous ones included).
    pub visits: usize,
}

/// Visitors registered per year at the bureau's pace (first-year evaluation).
pub const VISITORS_PER_YEAR: usize = 1150;

struct Origin {
    country: &'static str,
    weight: u32,
    language: &'static str,
    script: Script,
}

#[derive(Clone, Copy, PartialEq)]
enum Script {
    Arabic,
    Farsi,
    Ukrainian,
    Russian,
    Latin,
}

const ORIGINS: &[Origin] = &[
    Origin {
        country: "IQ",
        weight: 22,
        language: "ar",
        script: Script::Arabic,
    },
    Origin {
        country: "SY",
        weight: 20,
        language: "ar",
        script: Script::Arabic,
    },
    Origin {
        country: "UA",
        weight: 22,
        language: "uk",
        script: Script::Ukrainian,
    },
    Origin {
        country: "AF",
        weight: 16,
        language: "fa",
        script: Script::Farsi,
    },
    Origin {
        country: "IR",
        weight: 4,
        language: "fa",
        script: Script::Farsi,
    },
    Origin {
        country: "MA",
        weight: 2,
        language: "ar",
        script: Script::Arabic,
    },
    Origin {
        country: "DZ",
        weight: 2,
        language: "fr",
        script: Script::Latin,
    },
    Origin {
        country: "RU",
        weight: 3,
        language: "ru",
        script: Script::Russian,
    },
    Origin {
        country: "BY",
        weight: 1,
        language: "ru",
        script: Script::Russian,
    },
    Origin {
        country: "TR",
        weight: 3,
        language: "en",
        script: Script::Latin,
    },
    Origin {
        country: "PK",
        weight: 2,
        language: "en",
        script: Script::Latin,
    },
    Origin {
        country: "NG",
        weight: 1,
        language: "en",
        script: Script::Latin,
    },
    Origin {
        country: "CU",
        weight: 1,
        language: "en",
        script: Script::Latin,
    },
    Origin {
        country: "CD",
        weight: 1,
        language: "fr",
        script: Script::Latin,
    },
];

/// (written, Latin) given names, male then female.
const ARABIC_MALE: &[(&str, &str)] = &[
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmad"),
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("يوسف", "Youssef"),
    ("مصطفى", "Mustafa"),
    ("إبراهيم", "Ibrahim"),
    ("سامر", "Samer"),
    ("جمال", "Jamal"),
    ("كريم", "Karim"),
    ("وليد", "Walid"),
];
const ARABIC_FEMALE: &[(&str, &str)] = &[
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("زينب", "Zainab"),
    ("نور", "Nour"),
    ("سارة", "Sara"),
    ("ليلى", "Layla"),
    ("هدى", "Huda"),
    ("رنا", "Rana"),
    ("آية", "Aya"),
    ("أمل", "Amal"),
];
const ARABIC_FAMILY: &[(&str, &str)] = &[
    ("حسن", "Hassan"),
    ("العلي", "Al-Ali"),
    ("الأحمد", "Al-Ahmad"),
    ("إبراهيم", "Ibrahim"),
    ("الخطيب", "Al-Khatib"),
    ("عبد الله", "Abdullah"),
    ("الجبوري", "Al-Jubouri"),
    ("الحسيني", "Al-Husseini"),
    ("حمدان", "Hamdan"),
    ("يوسف", "Youssef"),
    ("الشامي", "Al-Shami"),
    ("النجار", "Al-Najjar"),
    ("قاسم", "Kassem"),
];
const FARSI_MALE: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("علی", "Ali"),
    ("رضا", "Reza"),
    ("حسین", "Hossein"),
    ("احمد", "Ahmad"),
    ("مهدی", "Mahdi"),
    ("جواد", "Javad"),
    ("فرید", "Farid"),
    ("نوید", "Navid"),
    ("عبدالله", "Abdullah"),
];
const FARSI_FEMALE: &[(&str, &str)] = &[
    ("زهرا", "Zahra"),
    ("فاطمه", "Fatemeh"),
    ("مریم", "Maryam"),
    ("سکینه", "Sakina"),
    ("شبنم", "Shabnam"),
    ("لیلا", "Leila"),
    ("نرگس", "Narges"),
    ("پروانه", "Parvaneh"),
];
const FARSI_FAMILY: &[(&str, &str)] = &[
    ("رضایی", "Rezaei"),
    ("احمدی", "Ahmadi"),
    ("حسینی", "Hosseini"),
    ("محمدی", "Mohammadi"),
    ("کریمی", "Karimi"),
    ("نوری", "Noori"),
    ("هاشمی", "Hashemi"),
    ("عزیزی", "Azizi"),
    ("رحیمی", "Rahimi"),
    ("صدیقی", "Sediqi"),
];
const UKRAINIAN_MALE: &[&str] = &[
    "Андрій",
    "Олександр",
    "Дмитро",
    "Сергій",
    "Іван",
    "Богдан",
    "Микола",
    "Юрій",
];
const UKRAINIAN_FEMALE: &[&str] = &[
    "Олена",
    "Наталія",
    "Ірина",
    "Оксана",
    "Тетяна",
    "Юлія",
    "Марія",
    "Світлана",
    "Ганна",
];
const UKRAINIAN_FAMILY: &[&str] = &[
    "Коваленко",
    "Шевченко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Мельник",
    "Поліщук",
    "Савчук",
    "Гнатюк",
];
const RUSSIAN_MALE: &[&str] = &["Алексей", "Дмитрий", "Сергей", "Михаил", "Павел", "Николай"];
const RUSSIAN_FEMALE: &[&str] = &["Екатерина", "Анна", "Ольга", "Елена", "Наталья", "Татьяна"];
const RUSSIAN_FAMILY: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Новиков",
];
const LATIN_MALE: &[&str] = &[
    "Mehmet", "Emre", "Imran", "Bilal", "Chinedu", "Yusuf", "Karim", "Jean", "Luis", "Tariq",
];
const LATIN_FEMALE: &[&str] = &[
    "Ayşe", "Zeynep", "Amina", "Élodie", "Chiamaka", "Hira", "Yasmine", "María",
];
const LATIN_FAMILY: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Khan",
    "Okafor",
    "Benali",
    "Mbeki",
    "Hernández",
    "Kabila",
    "Demir",
    "Ahmed",
];

/// How an Arabic name sounds when a Bulgarian desk writes it in Cyrillic.
fn bulgarian_spelling(latin: &str) -> String {
    const MAP: &[(&str, &str)] = &[
        ("kh", "х"),
        ("sh", "ш"),
        ("ch", "ч"),
        ("ou", "у"),
        ("oo", "у"),
        ("ee", "и"),
        ("ss", "с"),
        ("mm", "м"),
        ("a", "а"),
        ("b", "б"),
        ("d", "д"),
        ("e", "е"),
        ("f", "ф"),
        ("g", "г"),
        ("h", "х"),
        ("i", "и"),
        ("j", "дж"),
        ("k", "к"),
        ("l", "л"),
        ("m", "м"),
        ("n", "н"),
        ("o", "о"),
        ("r", "р"),
        ("s", "с"),
        ("t", "т"),
        ("u", "у"),
        ("v", "в"),
        ("w", "у"),
        ("y", "й"),
        ("z", "з"),
        ("q", "к"),
        ("-", "-"),
        ("'", ""),
    ];
    let lower = latin.to_lowercase();
    let mut out = String::new();
    let mut rest = lower.as_str();
    'outer: while !rest.is_empty() {
        for (from, to) in MAP {
            if let Some(tail) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = tail;
                continue 'outer;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    let mut chars = out.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// Service codes with their share of all services rendered (the evaluation's mix).
const SERVICE_MIX: &[(&str, u32)] = &[
    ("information", 24),
    ("legal", 15),
    ("accompaniment", 11),
    ("referral", 10),
    ("financial", 7),
    ("humanitarian", 6),
    ("interpretation", 5),
    ("documents", 6),
    ("labour", 4),
    ("bulgarian_course", 3),
    ("computer_course", 1),
    ("medicines", 2),
    ("food", 2),
    ("health", 3),
    ("education", 2),
    ("social_benefits", 2),
    ("psychosocial", 1),
    ("housing", 2),
];

/// The NGO partners of the demo's core group (names only; no contact details are invented).
const PARTNERS: &[(&str, &str)] = &[
    ("Каритас София", "Caritas Sofia"),
    (
        "Български хелзинкски комитет",
        "Bulgarian Helsinki Committee",
    ),
    (
        "Център за правна помощ – Глас в България",
        "Center for Legal Aid – Voice in Bulgaria",
    ),
    (
        "Съвет на жените бежанки в България",
        "Council of Refugee Women in Bulgaria",
    ),
    ("Фондация „Мисия Криле“", "Mission Wings Foundation"),
    (
        "Асоциация за интеграция на бежанци и мигранти",
        "Association for Integration of Refugees and Migrants",
    ),
];

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

/// Institutions of the demo directory. Their names are generic and every detail is marked as
/// a demo: none of it should be mistaken for a real address or phone number.
const INSTITUTIONS: &[(OrganisationKind, &str, &str, &[&str])] = &[
    (
        OrganisationKind::Hospital,
        "Университетска болница (демо)",
        "University Hospital (demo)",
        &["health"],
    ),
    (
        OrganisationKind::Clinic,
        "Диагностично-консултативен център (демо)",
        "Diagnostic and Consultative Centre (demo)",
        &["health", "medicines"],
    ),
    (
        OrganisationKind::MigrationDirectorate,
        "Дирекция „Миграция“ (демо)",
        "Migration Directorate (demo)",
        &["documents", "legal"],
    ),
    (
        OrganisationKind::RefugeeAgency,
        "Държавна агенция за бежанците (демо)",
        "State Agency for Refugees (demo)",
        &["documents", "legal", "housing"],
    ),
    (
        OrganisationKind::LabourOffice,
        "Дирекция „Бюро по труда“ (демо)",
        "Labour Office Directorate (demo)",
        &["labour"],
    ),
    (
        OrganisationKind::SocialAssistance,
        "Дирекция „Социално подпомагане“ (демо)",
        "Social Assistance Directorate (demo)",
        &["social_benefits", "financial"],
    ),
    (
        OrganisationKind::School,
        "Средно училище (демо)",
        "Secondary School (demo)",
        &["education"],
    ),
    (
        OrganisationKind::Municipal,
        "Районна администрация (демо)",
        "District Administration (demo)",
        &["documents", "housing"],
    ),
];

/// Reasons a desk writes on a referral (in Bulgarian, as the receiving clerk reads them).
const REASONS: &[&str] = &[
    "Регистрация при личен лекар",
    "Консултация със специалист",
    "Записване в училище",
    "Регистрация като търсещ работа",
    "Подаване на документи за социална помощ",
    "Консултация за разрешение за пребиваване",
    "Подновяване на документ за самоличност",
];

/// Where accompaniments meet.
const MEETING_POINTS: &[&str] = &[
    "Пред бюрото",
    "Пред входа на институцията",
    "На спирката на метрото",
];

/// What the generator needs at hand for every visit.
struct World {
    today: NaiveDate,
    staff: Vec<StaffId>,
    services: Vec<(ServiceTypeId, String)>,
    weights: WeightedIndex<u32>,
    partners: Vec<OrganisationId>,
    /// Institutions with the service codes they offer.
    institutions: Vec<(OrganisationId, &'static [&'static str])>,
    bureau: OrganisationId,
    red_cross: OrganisationId,
}

impl World {
    fn service_id(&self, code: &str) -> Option<ServiceTypeId> {
        self.services
            .iter()
            .find(|(_, c)| c == code)
            .map(|(id, _)| *id)
    }

    fn visit(
        &self,
        rng: &mut StdRng,
        visitor: Option<crate::domain::VisitorId>,
        at: NaiveDateTime,
        language: &str,
    ) -> NewVisit {
        let count = match rng.random_range(0..10) {
            0..=5 => 1,
            6..=8 => 2,
            _ => 3,
        };
        let mut lines: Vec<ServiceLine> = Vec::new();
        for _ in 0..count {
            let (service_type, code) = &self.services[self.weights.sample(rng)];
            let provider = match code.as_str() {
                "legal" | "psychosocial" | "bulgarian_course" | "computer_course" | "housing" => {
                    *pick(rng, &self.partners)
                }
                "financial" | "humanitarian" | "food" | "medicines" => self.red_cross,
                _ if rng.random_bool(0.2) => *pick(rng, &self.partners),
                _ => self.bureau,
            };
            if !lines.iter().any(|l| l.service_type == *service_type) {
                lines.push(ServiceLine {
                    service_type: *service_type,
                    provider,
                });
            }
        }
        let interpreter = !matches!(language, "bg" | "ru" | "uk" | "en") && rng.random_bool(0.6);
        NewVisit {
            visitor,
            at,
            staff: self.staff[rng.random_range(0..3)],
            language: if interpreter || rng.random_bool(0.5) {
                language.to_owned()
            } else {
                "bg".to_owned()
            },
            interpreter,
            duration_minutes: rng.random_bool(0.8).then(|| rng.random_range(5..90)),
            services: lines,
            notes: String::new(),
        }
    }

    /// Logs a visit, with the referral or accompaniment its services call for, and their
    /// outcomes where the follow-up date or the meeting has passed.
    fn log(
        &self,
        batch: &mut db::Batch<'_>,
        rng: &mut StdRng,
        visit: &NewVisit,
    ) -> db::Result<usize> {
        let visit_id = batch.insert_visit(visit, &format_stamp(visit.at))?;
        // About one visitor in six leaves feedback; most are pleased, some are not.
        if rng.random_range(0..6) == 0 {
            let mark = |rng: &mut StdRng| match rng.random_range(0..100) {
                0..=2 => 1,
                3..=7 => 2,
                8..=17 => 3,
                18..=49 => 4,
                _ => 5,
            };
            let language =
                if crate::domain::slips::SLIP_LANGUAGES.contains(&visit.language.as_str()) {
                    visit.language.clone()
                } else {
                    "bg".to_owned()
                };
            let response = NewFeedback {
                given_on: visit.at.date(),
                language,
                overall: mark(rng),
                staff: mark(rng).max(3),
                comment: String::new(),
            };
            batch.insert_feedback(&response)?;
        }
        let has = |code: &str| {
            self.service_id(code)
                .is_some_and(|id| visit.services.iter().any(|l| l.service_type == id))
        };
        if has("referral") {
            let (organisation, offered) = *pick(rng, &self.institutions);
            let code = pick::<&str>(rng, offered);
            let Some(service_type) = self
                .service_id(code)
                .or_else(|| visit.services.first().map(|l| l.service_type))
            else {
                return Ok(1);
            };
            let appointment_at = rng.random_bool(0.6).then(|| {
                let day = working_day(visit.at.date() + Days::new(rng.random_range(1..15)));
                day.and_hms_opt(
                    rng.random_range(8..16),
                    if rng.random_bool(0.5) { 0 } else { 30 },
                    0,
                )
                .unwrap_or_default()
            });
            let follow_up_on = appointment_at.map_or(visit.at.date(), |a| a.date()) + Days::new(7);
            let referral = NewReferral {
                visit: visit_id,
                organisation,
                service_type,
                reason: (*pick(rng, REASONS)).to_owned(),
                appointment_at,
                follow_up_on,
                for_household: false,
            };
            let outcome = (follow_up_on < self.today).then(|| {
                let status = match rng.random_range(0..100) {
                    0..=59 => ReferralStatus::Attended,
                    60..=79 => ReferralStatus::NotAttended,
                    80..=84 => ReferralStatus::Cancelled,
                    _ => ReferralStatus::Issued,
                };
                (
                    status,
                    follow_up_on.and_hms_opt(11, 0, 0).unwrap_or_default(),
                )
            });
            let outcome = outcome.filter(|(status, _)| *status != ReferralStatus::Issued);
            batch.insert_referral(visit.staff, &referral, visit.at, outcome)?;
        }
        if has("accompaniment") {
            let (organisation, _) = *pick(rng, &self.institutions);
            let day = working_day(visit.at.date() + Days::new(rng.random_range(1..10)));
            let scheduled_at = day
                .and_hms_opt(
                    rng.random_range(8..14),
                    if rng.random_bool(0.5) { 0 } else { 30 },
                    0,
                )
                .unwrap_or_default();
            let booked = NewAccompaniment {
                visit: visit_id,
                organisation,
                purpose: (*pick(rng, REASONS)).to_owned(),
                scheduled_at,
                meeting_point: (*pick(rng, MEETING_POINTS)).to_owned(),
                escort: Some(self.staff[rng.random_range(0..self.staff.len())]),
                interpreter_language: (visit.interpreter).then(|| visit.language.clone()),
            };
            let outcome = (day < self.today).then(|| match rng.random_range(0..100) {
                0..=74 => (AccompanimentStatus::Done, "Документите са подадени."),
                75..=86 => (AccompanimentStatus::NoShow, ""),
                87..=94 => (AccompanimentStatus::Cancelled, "Отменено от институцията."),
                _ => (AccompanimentStatus::Planned, ""),
            });
            let outcome = outcome.filter(|(status, _)| *status != AccompanimentStatus::Planned);
            batch.insert_accompaniment(visit.staff, &booked, visit.at, outcome)?;
        }
        Ok(1)
    }
}

fn demo_details(
    kind: OrganisationKind,
    name_bg: &str,
    name_en: &str,
    n: usize,
    services: Vec<ServiceTypeId>,
) -> OrganisationDetails {
    OrganisationDetails {
        kind,
        name_bg: name_bg.to_owned(),
        name_en: name_en.to_owned(),
        address_bg: format!("ул. „Демо“ {n}, София"),
        address_en: format!("{n} Demo St, Sofia"),
        phone: format!("+359 2 000 00{n:02}"),
        email: String::new(),
        hours_bg: "пон–пет 9:00–17:00".to_owned(),
        hours_en: "Mon–Fri 9:00–17:00".to_owned(),
        languages: vec!["bg".to_owned(), "en".to_owned()],
        services,
        active: true,
    }
}

/// The demo's administrator.
pub const DEMO_ADMIN: &str = "Admin";
/// Every demo staff member's password (the README and the demo's sign-in screen say so).
pub const DEMO_PASSWORD: &str = "demo";

/// Fills an empty database (no visitors yet) with demo data.
pub fn generate(db: &mut Database, options: DemoOptions) -> db::Result<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(options.seed);
    let years = options.visitors.div_ceil(VISITORS_PER_YEAR * 87).max(1) as u64;
    let span_days = 365 * years;
    let start = options.today - Days::new(span_days - 1);
    let catalogue = catalogue::service_types(db)?;
    let mut batch = db.batch()?;
    let created = format_stamp(start.and_hms_opt(8, 0, 0).unwrap_or_default());
    let mut staff = Vec::new();
    for (name, role) in [
        ("Мария", Role::Admin),
        ("Елена", Role::Desk),
        ("Георги", Role::Desk),
        ("Десислава", Role::Coordinator),
    ] {
        staff.push(batch.insert_staff(name, role, &created)?);
    }
    staff.push(batch.insert_staff("Ахмад", Role::Volunteer, &created)?);
    // The administrator a newcomer signs in as (README); logs no visits of the demo.
    batch.insert_staff(DEMO_ADMIN, Role::Admin, &created)?;
    for (key, value) in [
        (settings::BUREAU_ADDRESS_BG, "ул. „Демо“ 1, София (демо)"),
        (settings::BUREAU_ADDRESS_EN, "1 Demo St, Sofia (demo)"),
        (settings::BUREAU_PHONE, "+359 2 000 0000"),
        (settings::BUREAU_HOURS_BG, "пон–пет 9:00–17:00"),
        (settings::BUREAU_HOURS_EN, "Mon–Fri 9:00–17:00"),
    ] {
        batch.set_setting(key, value)?;
    }
    let id_of = |code: &str| catalogue.iter().find(|s| s.code == code).map(|s| s.id);
    let mut partners = Vec::new();
    for (bg, en) in PARTNERS {
        let offered = ["legal", "psychosocial", "bulgarian_course", "housing"]
            .iter()
            .filter_map(|c| id_of(c))
            .collect();
        let details = OrganisationDetails {
            kind: OrganisationKind::Ngo,
            name_bg: (*bg).to_owned(),
            name_en: (*en).to_owned(),
            address_bg: String::new(),
            address_en: String::new(),
            phone: String::new(),
            email: String::new(),
            hours_bg: String::new(),
            hours_en: String::new(),
            languages: vec![],
            services: offered,
            active: true,
        };
        partners.push(batch.insert_organisation(&details)?);
    }
    let mut institutions = Vec::new();
    for (n, (kind, bg, en, offered)) in INSTITUTIONS.iter().enumerate() {
        let services = offered.iter().filter_map(|c| id_of(c)).collect();
        institutions.push((
            batch.insert_organisation(&demo_details(*kind, bg, en, n + 2, services))?,
            *offered,
        ));
    }
    let world = World {
        today: options.today,
        staff,
        services: SERVICE_MIX
            .iter()
            .filter_map(|(code, _)| id_of(code).map(|id| (id, (*code).to_owned())))
            .collect(),
        weights: WeightedIndex::new(SERVICE_MIX.iter().map(|(_, w)| *w))
            .map_err(|e| db::Error::Storage(e.to_string()))?,
        partners,
        institutions,
        // The two seeded providers: the bureau itself and the Red Cross desk.
        bureau: OrganisationId(1),
        red_cross: OrganisationId(2),
    };
    let origin_weights = WeightedIndex::new(ORIGINS.iter().map(|o| o.weight))
        .map_err(|e| db::Error::Storage(e.to_string()))?;

    let mut visits = 0usize;
    for n in 0..options.visitors {
        // Registrations spread evenly over the period, in order, so codes grow with time.
        let day = start + Days::new((n as u64 * span_days) / options.visitors.max(1) as u64);
        let first_at = desk_time(&mut rng, working_day(day));
        let origin = &ORIGINS[origin_weights.sample(&mut rng)];
        let visitor = person(&mut rng, origin, first_at.date());
        let actor = Actor {
            staff_id: world.staff[rng.random_range(0..3)],
            role: Role::Desk,
            organisation: None,
        };
        let id = batch.insert_visitor(&actor, &visitor, &format_stamp(first_at))?;
        let returns = match rng.random_range(0..100) {
            0..=76 => 0,
            77..=88 => 1,
            89..=95 => 2,
            _ => rng.random_range(3..7),
        };
        let mut at = first_at;
        for visit_no in 0..=returns {
            if visit_no > 0 {
                let gap = Days::new(rng.random_range(3..60));
                at = desk_time(&mut rng, working_day(at.date() + gap));
                if at.date() > options.today {
                    break;
                }
            }
            let visit = world.visit(&mut rng, Some(id), at, origin.language);
            visits += world.log(&mut batch, &mut rng, &visit)?;
        }
        // About one visit in twenty is anonymous: counted, nobody recorded.
        if rng.random_range(0..20) == 0 {
            let at = desk_time(&mut rng, working_day(day));
            let visit = world.visit(&mut rng, None, at, origin.language);
            visits += world.log(&mut batch, &mut rng, &visit)?;
        }
    }
    // A morning at the desk today, so a newcomer sees the day filled in.
    let today_visits = (options.visitors / 150).clamp(3, 14);
    for _ in 0..today_visits {
        let id = crate::domain::VisitorId(rng.random_range(1..=options.visitors.max(1) as i64));
        let at = desk_time(&mut rng, options.today);
        let visit = world.visit(&mut rng, (options.visitors > 0).then_some(id), at, "ar");
        visits += world.log(&mut batch, &mut rng, &visit)?;
    }
    demo_programme(&mut batch, &world, &id_of, options.today)?;
    // About one person in twelve came with family: the next one registered, as a spouse,
    // sibling or other relative.
    for contact in (1..options.visitors as i64).step_by(12) {
        let relation =
            [Relation::Spouse, Relation::Sibling, Relation::Other][rng.random_range(0..3)];
        batch.insert_household(
            world.staff[1],
            crate::domain::VisitorId(contact),
            &[(crate::domain::VisitorId(contact + 1), relation)],
            &created,
        )?;
    }
    batch.commit()?;
    db.optimize_search_index()?;
    Ok(DemoSummary {
        visitors: options.visitors,
        visits,
    })
}

/// A weekly slot of the demo: who, which service, which weekday and weeks, hours, languages,
/// room.
type DemoSlot<'a> = (
    OrganisationId,
    &'a str,
    Weekday,
    &'a [u8],
    (&'a str, &'a str),
    &'a str,
    &'a str,
);

/// The partners' programme of last month, this month and next: a lawyer on Tuesdays, a
/// psychologist on Thursday mornings, a Farsi-speaking mediator on the first and third
/// Wednesdays, the language course twice a week, and one training day the bureau is closed.
fn demo_programme(
    batch: &mut db::Batch<'_>,
    world: &World,
    id_of: &dyn Fn(&str) -> Option<ServiceTypeId>,
    today: NaiveDate,
) -> db::Result<()> {
    use crate::domain::programme::{Month, Recurrence, SlotDraft, parse_time};
    let partner = |i: usize| world.partners.get(i).copied().unwrap_or(world.bureau);
    let slots: [DemoSlot<'_>; 6] = [
        (
            partner(2),
            "legal",
            Weekday::Tue,
            &[],
            ("09:00", "12:30"),
            "fa ar en",
            "Стая 1",
        ),
        (
            partner(1),
            "legal",
            Weekday::Mon,
            &[2, 4],
            ("13:30", "16:30"),
            "ar en",
            "Стая 1",
        ),
        (
            partner(0),
            "psychosocial",
            Weekday::Thu,
            &[],
            ("09:30", "12:30"),
            "ar uk ru",
            "Стая 2",
        ),
        (
            partner(3),
            "information",
            Weekday::Wed,
            &[1, 3],
            ("10:00", "13:00"),
            "fa",
            "Стая 2",
        ),
        (
            partner(5),
            "bulgarian_course",
            Weekday::Mon,
            &[],
            ("14:00", "16:00"),
            "bg en",
            "Зала",
        ),
        (
            world.red_cross,
            "humanitarian",
            Weekday::Fri,
            &[],
            ("10:00", "13:00"),
            "ar fa en uk",
            "Стая 1",
        ),
    ];
    let this = Month::of(today);
    for month in [this.previous(), this, this.next()] {
        for (organisation, service, weekday, weeks, (from, to), languages, place) in slots {
            batch.insert_programme_slot(
                month,
                &SlotDraft {
                    organisation,
                    services: id_of(service).into_iter().collect(),
                    recurrence: Recurrence::Weekly {
                        weekday,
                        weeks: weeks.to_vec(),
                    },
                    starts: parse_time(from).unwrap_or_default(),
                    ends: parse_time(to).unwrap_or_default(),
                    languages: languages.split(' ').map(str::to_owned).collect(),
                    place: place.to_owned(),
                    note: String::new(),
                },
            )?;
        }
        // The month's last Friday is a training day.
        if let Some(friday) = month.days().filter(|d| d.weekday() == Weekday::Fri).last() {
            batch.insert_day_closed(friday, "обучение на екипа")?;
        }
    }
    Ok(())
}

/// The same day, or the next Monday if it falls on a weekend.
fn working_day(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + Days::new(2),
        Weekday::Sun => day + Days::new(1),
        _ => day,
    }
}

fn desk_time(rng: &mut StdRng, day: NaiveDate) -> NaiveDateTime {
    let minutes = rng.random_range(9 * 60..17 * 60);
    day.and_hms_opt(minutes / 60, minutes % 60, 0)
        .unwrap_or_default()
}

fn person(rng: &mut StdRng, origin: &Origin, registered: NaiveDate) -> NewVisitor {
    let sex = if rng.random_bool(0.55) {
        Sex::Male
    } else {
        Sex::Female
    };
    let male = sex == Sex::Male;
    let (given, family, given_latin, family_latin) = match origin.script {
        Script::Arabic | Script::Farsi => {
            let (males, females, families) = if origin.script == Script::Arabic {
                (ARABIC_MALE, ARABIC_FEMALE, ARABIC_FAMILY)
            } else {
                (FARSI_MALE, FARSI_FEMALE, FARSI_FAMILY)
            };
            let (g, gl) = *pick(rng, if male { males } else { females });
            let (f, fl) = *pick(rng, families);
            match rng.random_range(0..100) {
                // Written by the visitor in their own script, with a passport spelling.
                0..=54 => (g.to_owned(), f.to_owned(), gl.to_owned(), fl.to_owned()),
                // Written in Arabic script only.
                55..=69 => (g.to_owned(), f.to_owned(), String::new(), String::new()),
                // Written by the desk in Bulgarian Cyrillic, as heard.
                70..=84 => (
                    bulgarian_spelling(gl),
                    bulgarian_spelling(fl),
                    String::new(),
                    String::new(),
                ),
                // Latin only.
                _ => (gl.to_owned(), fl.to_owned(), String::new(), String::new()),
            }
        }
        Script::Ukrainian | Script::Russian => {
            let (males, females, families) = if origin.script == Script::Ukrainian {
                (UKRAINIAN_MALE, UKRAINIAN_FEMALE, UKRAINIAN_FAMILY)
            } else {
                (RUSSIAN_MALE, RUSSIAN_FEMALE, RUSSIAN_FAMILY)
            };
            let g = *pick(rng, if male { males } else { females });
            let mut f = (*pick(rng, families)).to_owned();
            if !male && origin.script == Script::Russian {
                f.push('а');
            }
            (g.to_owned(), f, String::new(), String::new())
        }
        Script::Latin => {
            let g = *pick(rng, if male { LATIN_MALE } else { LATIN_FEMALE });
            (
                (*g).to_owned(),
                (*pick(rng, LATIN_FAMILY)).to_owned(),
                String::new(),
                String::new(),
            )
        }
    };
    let age = match rng.random_range(0..100) {
        0..=11 => rng.random_range(0..18),
        12..=51 => rng.random_range(18..35),
        52..=79 => rng.random_range(35..50),
        80..=94 => rng.random_range(50..65),
        _ => rng.random_range(65..85),
    };
    let birth = match rng.random_range(0..100) {
        0..=59 => Answer::Given(Birth {
            year: registered.year() - age,
            date: None,
        }),
        60..=84 => {
            let date = NaiveDate::from_ymd_opt(
                registered.year() - age,
                rng.random_range(1..13),
                rng.random_range(1..29),
            );
            date.map_or(Answer::NotAsked, |d| {
                Answer::Given(Birth {
                    year: d.year(),
                    date: Some(d),
                })
            })
        }
        85..=92 => Answer::DoesNotKnow,
        93..=96 => Answer::Refused,
        _ => Answer::NotAsked,
    };
    let legal_status = match (origin.country, rng.random_range(0..100)) {
        (_, 95..) => Answer::Refused,
        (_, 90..) => Answer::DoesNotKnow,
        ("UA", _) => Answer::Given(LegalStatus::TemporaryProtection),
        ("SY", n) if n < 55 => Answer::Given(LegalStatus::Humanitarian),
        ("SY", _) => Answer::Given(LegalStatus::Refugee),
        ("IQ" | "AF" | "IR", n) if n < 50 => Answer::Given(LegalStatus::AsylumSeeker),
        ("IQ" | "AF" | "IR", n) if n < 75 => Answer::Given(LegalStatus::Refugee),
        ("IQ" | "AF" | "IR", n) if n < 85 => Answer::Given(LegalStatus::Humanitarian),
        (_, n) if n < 5 => Answer::Given(LegalStatus::Stateless),
        (_, n) if n < 75 => Answer::Given(LegalStatus::ResidencePermit),
        _ => Answer::Given(LegalStatus::Other),
    };
    let phone = match rng.random_range(0..100) {
        0..=69 => Answer::Given(format!(
            "+359 8{} {:03} {:04}",
            rng.random_range(7..10),
            rng.random_range(0..1000),
            rng.random_range(0..10000)
        )),
        70..=84 => Answer::NotAsked,
        _ => Answer::Refused,
    };
    let mut consents = vec![(ConsentScope::Registration, registered)];
    if rng.random_bool(0.6) {
        consents.push((ConsentScope::ShareWithReferrals, registered));
    }
    if phone.given().is_some() && rng.random_bool(0.7) {
        consents.push((ConsentScope::ContactByPhone, registered));
    }
    let mut languages = Vec::new();
    if rng.random_bool(0.3) {
        languages.push("en".to_owned());
    }
    if matches!(origin.script, Script::Ukrainian) && rng.random_bool(0.6) {
        languages.push("ru".to_owned());
    }
    NewVisitor {
        given_name: given,
        family_name: family,
        given_name_latin: given_latin,
        family_name_latin: family_latin,
        sex: if rng.random_bool(0.03) {
            Answer::Refused
        } else {
            Answer::Given(sex)
        },
        birth,
        country_of_origin: Answer::Given(origin.country.to_owned()),
        nationality: if rng.random_bool(0.04) {
            Answer::Given("stateless".to_owned())
        } else {
            Answer::Given(origin.country.to_owned())
        },
        legal_status,
        preferred_language: Answer::Given(origin.language.to_owned()),
        languages,
        phone,
        consents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{staff, visitors, visits};

    #[test]
    fn a_year_at_the_bureaus_pace() {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let summary = generate(
            &mut db,
            DemoOptions {
                visitors: VISITORS_PER_YEAR,
                seed: 7,
                today,
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(summary.visitors, 1150);
        assert!((1350..1700).contains(&summary.visits), "{summary:?}");
        let admin = staff::list(&db)
            .unwrap_or_default()
            .into_iter()
            .find(|s| s.role == Role::Admin);
        let actor = admin
            .map(|s| s.actor())
            .unwrap_or_else(|| panic!("no admin"));
        assert!(
            !visits::on_day(&db, &actor, today)
                .unwrap_or_default()
                .is_empty()
        );
        // Cross-script names are there to be found.
        let hits = visitors::search(&db, &actor, "mohammed", 50).unwrap_or_default();
        assert!(
            hits.iter()
                .any(|h| crate::domain::text::has_rtl(&h.given_name))
        );
        assert!(hits.iter().any(|h| {
            h.given_name
                .chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
        }));
    }

    #[test]
    fn bulgarian_spelling_sounds_right() {
        assert_eq!(bulgarian_spelling("Mohammed"), "Мохамед");
        assert_eq!(bulgarian_spelling("Khaled"), "Халед");
        assert_eq!(bulgarian_spelling("Hassan"), "Хасан");
    }
}
