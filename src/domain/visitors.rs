//! Visitors: the form's draft, its validation into a `NewVisitor`, and the stored `Visitor`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::reference::{countries, find, languages};
use super::text::phone_digits;
use super::{FieldError, Problem, StaffId, VisitorId, clean_text, parse_date};

/// An optional answer, with the HMIS distinction between not asking, not knowing and declining.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Answer<T> {
    /// The person answered.
    Given(T),
    /// The question was not asked.
    #[default]
    NotAsked,
    /// The person does not know.
    DoesNotKnow,
    /// The person prefers not to answer.
    Refused,
}

/// The choice a form offers beside an optional field when no value is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NoAnswer {
    /// Not asked (the default).
    #[default]
    NotAsked,
    /// Does not know.
    DoesNotKnow,
    /// Prefers not to answer.
    Refused,
}

impl NoAnswer {
    /// All choices, in the order a form shows them.
    pub const ALL: [NoAnswer; 3] = [NoAnswer::NotAsked, NoAnswer::DoesNotKnow, NoAnswer::Refused];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            NoAnswer::NotAsked => "not_asked",
            NoAnswer::DoesNotKnow => "doesnt_know",
            NoAnswer::Refused => "refused",
        }
    }

    /// The i18n key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            NoAnswer::NotAsked => "answer.not_asked",
            NoAnswer::DoesNotKnow => "answer.doesnt_know",
            NoAnswer::Refused => "answer.refused",
        }
    }

    /// The answer this choice stands for.
    pub fn into_answer<T>(self) -> Answer<T> {
        match self {
            NoAnswer::NotAsked => Answer::NotAsked,
            NoAnswer::DoesNotKnow => Answer::DoesNotKnow,
            NoAnswer::Refused => Answer::Refused,
        }
    }
}

impl<T> Answer<T> {
    /// The value, if one was given.
    pub fn given(&self) -> Option<&T> {
        match self {
            Answer::Given(v) => Some(v),
            _ => None,
        }
    }

    /// The answer code for a missing value; `None` when a value was given.
    pub fn no_answer(&self) -> Option<NoAnswer> {
        match self {
            Answer::Given(_) => None,
            Answer::NotAsked => Some(NoAnswer::NotAsked),
            Answer::DoesNotKnow => Some(NoAnswer::DoesNotKnow),
            Answer::Refused => Some(NoAnswer::Refused),
        }
    }

    /// Reads a stored code column: one of the answer codes, or a value parsed by `value`.
    pub fn from_code(code: &str, value: impl FnOnce(&str) -> Option<T>) -> Self {
        match code {
            "not_asked" => Answer::NotAsked,
            "doesnt_know" => Answer::DoesNotKnow,
            "refused" => Answer::Refused,
            other => value(other).map_or(Answer::NotAsked, Answer::Given),
        }
    }
}

impl Answer<String> {
    /// The stored code: the value itself or the answer code.
    pub fn code(&self) -> &str {
        match self {
            Answer::Given(v) => v,
            other => other.no_answer().map_or("not_asked", NoAnswer::code),
        }
    }
}

code_enum!(
    /// Sex as the person states it.
    Sex, "sex" {
        /// Female.
        Female => "female",
        /// Male.
        Male => "male",
        /// Other.
        Other => "other",
    }
);

code_enum!(
    /// Legal status in Bulgaria.
    LegalStatus, "legal_status" {
        /// Asylum seeker (procedure pending).
        AsylumSeeker => "asylum_seeker",
        /// Recognised refugee.
        Refugee => "refugee",
        /// Humanitarian status.
        Humanitarian => "humanitarian",
        /// Temporary protection (e.g. from Ukraine).
        TemporaryProtection => "temporary_protection",
        /// Third-country national with a residence permit.
        ResidencePermit => "residence_permit",
        /// Stateless person.
        Stateless => "stateless",
        /// Other or unknown status.
        Other => "other",
    }
);

code_enum!(
    /// What a consent covers.
    ConsentScope, "consent" {
        /// Keeping the visitor's registration data.
        Registration => "registration",
        /// Passing their details to an organisation they are referred to.
        ShareWithReferrals => "share_with_referrals",
        /// Calling them back by phone.
        ContactByPhone => "contact_by_phone",
    }
);

/// A birth date or year, as much as the person gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birth {
    /// The year.
    pub year: i32,
    /// The full date, if known.
    pub date: Option<NaiveDate>,
}

/// The new-visitor form as typed: plain strings and choices, kept as they are until saved (and
/// stored as a draft while it is not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitorDraft {
    /// Given name, as the person writes it.
    pub given_name: String,
    /// Family name, as the person writes it.
    pub family_name: String,
    /// Given name in Latin letters, if given.
    pub given_name_latin: String,
    /// Family name in Latin letters, if given.
    pub family_name_latin: String,
    /// Sex, or why none.
    pub sex: Answer<Sex>,
    /// Birth year (`1985`) or date (`12.03.1985`).
    pub birth: String,
    /// Why no birth year, when the field is empty.
    pub birth_answer: NoAnswer,
    /// ISO 3166 country code, or why none.
    pub country_of_origin: Answer<String>,
    /// ISO 3166 country code or "stateless", or why none.
    pub nationality: Answer<String>,
    /// Legal status, or why none.
    pub legal_status: Answer<LegalStatus>,
    /// Preferred language (ISO 639-1), or why none.
    pub preferred_language: Answer<String>,
    /// Other languages spoken (ISO 639-1).
    pub languages: Vec<String>,
    /// Phone number as typed.
    pub phone: String,
    /// Why no phone, when the field is empty.
    pub phone_answer: NoAnswer,
    /// Consents given now.
    pub consents: Vec<ConsentScope>,
    /// The date the consents were given (`dd.mm.yyyy`); empty means today.
    pub consent_date: String,
}

/// A validated visitor, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisitor {
    /// Given name, as written.
    pub given_name: String,
    /// Family name, as written (may be empty).
    pub family_name: String,
    /// Given name in Latin letters (may be empty).
    pub given_name_latin: String,
    /// Family name in Latin letters (may be empty).
    pub family_name_latin: String,
    /// Sex.
    pub sex: Answer<Sex>,
    /// Birth year or date.
    pub birth: Answer<Birth>,
    /// Country of origin code.
    pub country_of_origin: Answer<String>,
    /// Nationality code or "stateless".
    pub nationality: Answer<String>,
    /// Legal status.
    pub legal_status: Answer<LegalStatus>,
    /// Preferred language code.
    pub preferred_language: Answer<String>,
    /// Other languages spoken.
    pub languages: Vec<String>,
    /// Phone as typed.
    pub phone: Answer<String>,
    /// Consents given, with their date.
    pub consents: Vec<(ConsentScope, NaiveDate)>,
}

impl VisitorDraft {
    /// A registered person's record as the form would have it typed, for correcting it: the
    /// birth as a year or a `dd.mm.yyyy` date, the consents in force ticked (a consent ticked
    /// anew is dated with the form's consent date, today when empty).
    pub fn from_details(details: &NewVisitor) -> VisitorDraft {
        let (birth, birth_answer) = match &details.birth {
            Answer::Given(Birth {
                date: Some(date), ..
            }) => (date.format("%d.%m.%Y").to_string(), NoAnswer::NotAsked),
            Answer::Given(Birth { year, date: None }) => (year.to_string(), NoAnswer::NotAsked),
            other => (String::new(), other.no_answer().unwrap_or_default()),
        };
        let (phone, phone_answer) = match &details.phone {
            Answer::Given(phone) => (phone.clone(), NoAnswer::NotAsked),
            other => (String::new(), other.no_answer().unwrap_or_default()),
        };
        VisitorDraft {
            given_name: details.given_name.clone(),
            family_name: details.family_name.clone(),
            given_name_latin: details.given_name_latin.clone(),
            family_name_latin: details.family_name_latin.clone(),
            sex: details.sex.clone(),
            birth,
            birth_answer,
            country_of_origin: details.country_of_origin.clone(),
            nationality: details.nationality.clone(),
            legal_status: details.legal_status.clone(),
            preferred_language: details.preferred_language.clone(),
            languages: details.languages.clone(),
            phone,
            phone_answer,
            consents: details.consents.iter().map(|(scope, _)| *scope).collect(),
            consent_date: String::new(),
        }
    }
}

impl NewVisitor {
    /// The names of the fields in which `other` differs from this record (consents by their
    /// scopes, not their dates): what a correction changed, for the audit trail.
    pub fn changed_fields(&self, other: &NewVisitor) -> Vec<&'static str> {
        let scopes = |v: &NewVisitor| {
            let mut s: Vec<&str> = v.consents.iter().map(|(c, _)| c.code()).collect();
            s.sort_unstable();
            s
        };
        let languages = |v: &NewVisitor| {
            let mut l = v.languages.clone();
            l.sort();
            l
        };
        super::changed_fields([
            ("given_name", self.given_name != other.given_name),
            ("family_name", self.family_name != other.family_name),
            (
                "given_name_latin",
                self.given_name_latin != other.given_name_latin,
            ),
            (
                "family_name_latin",
                self.family_name_latin != other.family_name_latin,
            ),
            ("sex", self.sex != other.sex),
            ("birth", self.birth != other.birth),
            (
                "country_of_origin",
                self.country_of_origin != other.country_of_origin,
            ),
            ("nationality", self.nationality != other.nationality),
            ("legal_status", self.legal_status != other.legal_status),
            (
                "preferred_language",
                self.preferred_language != other.preferred_language,
            ),
            ("languages", languages(self) != languages(other)),
            ("phone", self.phone != other.phone),
            ("consents", scopes(self) != scopes(other)),
        ])
    }
}

/// The longest name part accepted, in characters.
pub const MAX_NAME: usize = 100;

impl VisitorDraft {
    /// Validates the draft. `today` bounds birth and consent dates. Every problem is reported,
    /// each against its field; the draft itself is left untouched.
    pub fn validate(&self, today: NaiveDate) -> Result<NewVisitor, Vec<FieldError>> {
        let mut errors = Vec::new();
        let given_name = clean_text("given_name", &self.given_name, MAX_NAME, false, &mut errors);
        if self.given_name.trim().is_empty() {
            errors.push(FieldError {
                field: "given_name",
                problem: Problem::Required,
            });
        }
        let family_name = clean_text(
            "family_name",
            &self.family_name,
            MAX_NAME,
            false,
            &mut errors,
        );
        let given_name_latin = clean_text(
            "given_name_latin",
            &self.given_name_latin,
            MAX_NAME,
            false,
            &mut errors,
        );
        let family_name_latin = clean_text(
            "family_name_latin",
            &self.family_name_latin,
            MAX_NAME,
            false,
            &mut errors,
        );

        let birth = match parse_birth(&self.birth, today) {
            Ok(Some(birth)) => Answer::Given(birth),
            Ok(None) => self.birth_answer.into_answer(),
            Err(problem) => {
                errors.push(FieldError {
                    field: "birth",
                    problem,
                });
                Answer::NotAsked
            }
        };

        let known_country =
            |field: &'static str, answer: &Answer<String>, errors: &mut Vec<FieldError>| {
                if let Answer::Given(code) = answer {
                    let stateless = field == "nationality" && code == "stateless";
                    if !stateless && find(countries(), code).is_none() {
                        errors.push(FieldError {
                            field,
                            problem: Problem::UnknownCode,
                        });
                    }
                }
            };
        known_country("country_of_origin", &self.country_of_origin, &mut errors);
        known_country("nationality", &self.nationality, &mut errors);
        if let Answer::Given(code) = &self.preferred_language
            && find(languages(), code).is_none()
        {
            errors.push(FieldError {
                field: "preferred_language",
                problem: Problem::UnknownCode,
            });
        }
        if self
            .languages
            .iter()
            .any(|code| find(languages(), code).is_none())
        {
            errors.push(FieldError {
                field: "languages",
                problem: Problem::UnknownCode,
            });
        }

        let phone_text = clean_text("phone", &self.phone, 40, false, &mut errors);
        let phone = if phone_text.is_empty() {
            self.phone_answer.into_answer()
        } else {
            if phone_digits(&phone_text).len() < 6
                || phone_text
                    .chars()
                    .any(|c| !(c.is_ascii_digit() || " +-()/.".contains(c)))
            {
                errors.push(FieldError {
                    field: "phone",
                    problem: Problem::BadPhone,
                });
            }
            Answer::Given(phone_text)
        };

        let consent_date = consent_day(&self.consent_date, today).unwrap_or_else(|problem| {
            errors.push(FieldError {
                field: "consent_date",
                problem,
            });
            today
        });

        if !errors.is_empty() {
            return Err(errors);
        }
        let mut languages = self.languages.clone();
        languages.sort();
        languages.dedup();
        Ok(NewVisitor {
            given_name,
            family_name,
            given_name_latin,
            family_name_latin,
            sex: self.sex.clone(),
            birth,
            country_of_origin: upper(&self.country_of_origin),
            nationality: upper(&self.nationality),
            legal_status: self.legal_status.clone(),
            preferred_language: self.preferred_language.clone(),
            languages,
            phone,
            consents: self
                .consents
                .iter()
                .map(|scope| (*scope, consent_date))
                .collect(),
        })
    }
}

fn upper(answer: &Answer<String>) -> Answer<String> {
    match answer {
        Answer::Given(code) if code != "stateless" => Answer::Given(code.to_uppercase()),
        other => other.clone(),
    }
}

/// Reads "1985" or "12.03.1985" / "1985-03-12". Empty means no answer.
fn parse_birth(text: &str, today: NaiveDate) -> Result<Option<Birth>, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let birth = if t.chars().all(|c| c.is_ascii_digit()) {
        let year: i32 = t.parse().map_err(|_| Problem::BirthYearOutOfRange)?;
        Birth { year, date: None }
    } else {
        let date = parse_date(t).ok_or(Problem::BadDate)?;
        if date > today {
            return Err(Problem::InFuture);
        }
        Birth {
            year: date.year(),
            date: Some(date),
        }
    };
    if !(1900..=today.year()).contains(&birth.year) {
        return Err(Problem::BirthYearOutOfRange);
    }
    Ok(Some(birth))
}

/// A stored visitor.
#[derive(Debug, Clone, PartialEq)]
pub struct Visitor {
    /// Row id.
    pub id: VisitorId,
    /// Bureau code, e.g. `B-000457`.
    pub code: String,
    /// Everything the form recorded.
    pub details: NewVisitor,
    /// Who registered them.
    pub created_by: StaffId,
    /// When ('YYYY-MM-DDTHH:MM').
    pub created_at: String,
    /// Only the identity was read (a partner's view): sex, birth, nationality, legal status,
    /// phone and consents are left out, not unanswered.
    pub restricted: bool,
    /// When the record was last corrected, and by whom (`None`: as registered).
    pub last_change: Option<(String, StaffId)>,
}

impl Visitor {
    /// The card as a role that sees only identities may see it: code, names, country of origin
    /// and languages.
    pub fn identity_only(mut self) -> Visitor {
        let d = &mut self.details;
        d.sex = Answer::NotAsked;
        d.birth = Answer::NotAsked;
        d.nationality = Answer::NotAsked;
        d.legal_status = Answer::NotAsked;
        d.phone = Answer::NotAsked;
        d.consents.clear();
        self.restricted = true;
        self
    }

    /// The full name as written.
    pub fn full_name(&self) -> String {
        join_name(&self.details.given_name, &self.details.family_name)
    }

    /// The full Latin name, if one was given.
    pub fn latin_name(&self) -> String {
        join_name(
            &self.details.given_name_latin,
            &self.details.family_name_latin,
        )
    }

    /// Whether a consent of this scope is on record.
    pub fn has_consent(&self, scope: ConsentScope) -> bool {
        self.details.consents.iter().any(|(s, _)| *s == scope)
    }
}

/// The day a consent was given or withdrawn, as typed (`dd.mm.yyyy`; empty means today): not a
/// day still to come.
pub fn consent_day(typed: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    if typed.trim().is_empty() {
        return Ok(today);
    }
    match parse_date(typed) {
        Some(day) if day > today => Err(Problem::InFuture),
        Some(day) => Ok(day),
        None => Err(Problem::BadDate),
    }
}

/// One record of a visitor's consent history: a scope given or withdrawn on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    /// What the consent covers.
    pub scope: ConsentScope,
    /// Given (`true`) or withdrawn.
    pub given: bool,
    /// The day the person gave or withdrew it.
    pub dated: NaiveDate,
    /// Who at the bureau recorded it (display name).
    pub recorded_by: String,
}

/// "Given Family", without stray spaces when a part is empty.
pub fn join_name(given: &str, family: &str) -> String {
    match (given.is_empty(), family.is_empty()) {
        (false, false) => format!("{given} {family}"),
        (false, true) => given.to_owned(),
        (true, _) => family.to_owned(),
    }
}

/// One line of a search result or duplicate list.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitorSummary {
    /// Row id.
    pub id: VisitorId,
    /// Bureau code.
    pub code: String,
    /// Given name as written.
    pub given_name: String,
    /// Family name as written.
    pub family_name: String,
    /// Latin form of the name, when it differs from the written one.
    pub latin_name: String,
    /// The Latin form was made by the desk, not typed: it is shown as a guess.
    pub latin_automatic: bool,
    /// Country of origin code or answer code.
    pub country_of_origin: String,
    /// Birth year, when given: two people of the same name are told apart by it.
    pub birth_year: Option<i32>,
    /// How well it matched the query; higher is better.
    pub score: f64,
    /// The code of a second registration merged into this record, when the search found the
    /// person through it ("B-000123 → B-000045").
    pub found_as: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_name_alone_is_enough() {
        let draft = VisitorDraft {
            given_name: " أحمد ".into(),
            ..Default::default()
        };
        let visitor = draft.validate(today()).map_err(|e| format!("{e:?}"));
        assert_eq!(visitor.map(|v| v.given_name), Ok("أحمد".to_owned()));
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let draft = VisitorDraft {
            given_name: String::new(),
            family_name: "x".repeat(100_000),
            birth: "1850".into(),
            phone: "abc".into(),
            country_of_origin: Answer::Given("ZZ".into()),
            consent_date: "31.02.2026".into(),
            ..Default::default()
        };
        let errors = draft.validate(today()).err().unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "given_name",
                "family_name",
                "birth",
                "country_of_origin",
                "phone",
                "consent_date"
            ]
        );
    }

    #[test]
    fn birth_reads_year_or_date() {
        assert_eq!(
            parse_birth("1985", today()),
            Ok(Some(Birth {
                year: 1985,
                date: None
            }))
        );
        let date = NaiveDate::from_ymd_opt(1985, 3, 12);
        assert_eq!(
            parse_birth("12.03.1985", today()),
            Ok(Some(Birth { year: 1985, date }))
        );
        assert_eq!(parse_birth("30.02.1985", today()), Err(Problem::BadDate));
        assert_eq!(
            parse_birth("2027", today()),
            Err(Problem::BirthYearOutOfRange)
        );
        assert_eq!(parse_birth("", today()), Ok(None));
    }

    #[test]
    fn not_knowing_is_kept_apart_from_not_asking() {
        let draft = VisitorDraft {
            given_name: "Ivan".into(),
            birth_answer: NoAnswer::DoesNotKnow,
            phone_answer: NoAnswer::Refused,
            ..Default::default()
        };
        let visitor = draft.validate(today()).ok();
        assert_eq!(
            visitor.as_ref().map(|v| v.birth.clone()),
            Some(Answer::DoesNotKnow)
        );
        assert_eq!(visitor.map(|v| v.phone), Some(Answer::Refused));
    }

    proptest! {
        #[test]
        fn validation_never_panics_and_never_changes_the_draft(
            given in "\\PC{0,120}", family in "\\PC{0,20}", birth in "\\PC{0,12}", phone in "\\PC{0,20}"
        ) {
            let draft = VisitorDraft { given_name: given, family_name: family, birth, phone, ..Default::default() };
            let before = draft.clone();
            let _ = draft.validate(today());
            prop_assert_eq!(draft, before);
        }

        #[test]
        fn any_plain_name_in_any_script_is_accepted(given in "[\\p{L}][\\p{L} '-]{0,40}") {
            let draft = VisitorDraft { given_name: given, ..Default::default() };
            prop_assert!(draft.validate(today()).is_ok());
        }
    }
}
