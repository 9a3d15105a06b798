//! The bureau's domain: visitors, visits, services, staff and the rules that validate what a
//! person types. Nothing here knows about the database, the screen or paper.

/// Declares an enum stored as a text code, with `ALL`, `code`, `from_code` and `label_key`.
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $prefix:literal { $($(#[$vdoc:meta])* $variant:ident => $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $code)] $variant),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// Reads a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }

            /// The i18n key of its label.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $code)),* }
            }
        }
    };
}

pub mod access;
pub mod backups;
pub mod bidi;
pub mod directory;
pub mod feedback;
pub mod figures;
pub mod households;
pub mod import;
pub mod merges;
pub mod programme;
pub mod reference;
pub mod referrals;
pub mod report;
pub mod slips;
pub mod subject;
pub mod text;
pub mod visitors;
pub mod visits;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use directory::{Organisation, OrganisationDetails, OrganisationDraft, OrganisationKind};
pub use visitors::{
    Answer, ConsentRecord, ConsentScope, LegalStatus, NewVisitor, Sex, Visitor, VisitorDraft,
    VisitorSummary,
};
pub use visits::{NewVisit, ServiceLine, Visit, VisitDraft, VisitService, Voided};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub i64);
    )*};
}

id_type!(
    /// A visitor's row id.
    VisitorId,
    /// A visit's row id.
    VisitId,
    /// A staff member's row id.
    StaffId,
    /// An organisation's row id.
    OrganisationId,
    /// A service type's row id.
    ServiceTypeId,
    /// A merge's row id.
    MergeId,
);

/// Who is acting: every library call that reads or writes personal data takes one, so roles and
/// the audit trail hang on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The staff member at the desk.
    pub staff_id: StaffId,
    /// Their role, for access checks.
    pub role: Role,
    /// A partner's organisation: the only provider whose visits they see and log.
    pub organisation: Option<OrganisationId>,
}

/// What a staff member may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// Desk social worker.
    Desk,
    /// Coordinator: also reports and settings.
    Coordinator,
    /// Administrator: also staff and erasure.
    Admin,
    /// Volunteer: escorts, limited view.
    Volunteer,
    /// An NGO partner's consultant at the bureau: logs the services their organisation gives,
    /// sees a card's identity and their own organisation's visits only. Has no key slot.
    Partner,
}

impl Role {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Desk => "desk",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
            Role::Volunteer => "volunteer",
            Role::Partner => "partner",
        }
    }

    /// Every role, in the order a picker shows them.
    pub const ALL: [Role; 5] = [
        Role::Desk,
        Role::Coordinator,
        Role::Admin,
        Role::Volunteer,
        Role::Partner,
    ];

    /// The i18n key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Desk => "role.desk",
            Role::Coordinator => "role.coordinator",
            Role::Admin => "role.admin",
            Role::Volunteer => "role.volunteer",
            Role::Partner => "role.partner",
        }
    }

    /// Reads a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "desk" => Role::Desk,
            "coordinator" => Role::Coordinator,
            "admin" => Role::Admin,
            "volunteer" => Role::Volunteer,
            "partner" => Role::Partner,
            _ => return None,
        })
    }
}

/// A member of staff, as listed at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// Row id.
    pub id: StaffId,
    /// First name, as printed on slips.
    pub display_name: String,
    /// What they may do.
    pub role: Role,
    /// Still working here.
    pub active: bool,
    /// A partner's organisation.
    pub organisation: Option<OrganisationId>,
}

impl Staff {
    /// This staff member acting at the desk.
    pub fn actor(&self) -> Actor {
        Actor {
            staff_id: self.id,
            role: self.role,
            organisation: self.organisation,
        }
    }
}

/// An entry of the service catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceType {
    /// Row id.
    pub id: ServiceTypeId,
    /// Stable code used by reports.
    pub code: String,
    /// Name in Bulgarian.
    pub name_bg: String,
    /// Name in English.
    pub name_en: String,
}

impl ServiceType {
    /// The name in the given UI language (Bulgarian or, for anything else, English).
    pub fn name(&self, locale: &str) -> &str {
        if locale == "bg" {
            &self.name_bg
        } else {
            &self.name_en
        }
    }
}

/// One problem with one field of a form, shown beside that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Which field (a stable name the screen matches on, e.g. `"given_name"`).
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// The kinds of input problem, each with a sentence in `i18n/*.yml` under `problem.*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A required field is empty.
    Required,
    /// Longer than the field allows.
    TooLong {
        /// The limit in characters.
        max: usize,
    },
    /// Contains control characters (tabs, escapes…).
    ControlCharacters,
    /// Not a date that exists.
    BadDate,
    /// Not a time of day.
    BadTime,
    /// A birth year outside 1900..=this year.
    BirthYearOutOfRange,
    /// A date in the future where only the past makes sense.
    InFuture,
    /// A consent's day before the day of the consent record it changes.
    BeforeConsent,
    /// A number was expected.
    NotANumber,
    /// A duration outside 1..=600 minutes.
    DurationOutOfRange,
    /// Not a code from the list.
    UnknownCode,
    /// A phone number with no digits or too few of them.
    BadPhone,
    /// A visit needs at least one service.
    NoServices,
    /// Nobody was chosen as the staff member at the desk.
    NoStaff,
    /// Not an e-mail address.
    BadEmail,
    /// An end at or before the start.
    EndsBeforeStart,
    /// A date that is not in the month being edited.
    OutsideMonth,
}

impl Problem {
    /// The i18n key of the sentence for this problem.
    pub fn label_key(self) -> &'static str {
        match self {
            Problem::Required => "problem.required",
            Problem::TooLong { .. } => "problem.too_long",
            Problem::ControlCharacters => "problem.control_characters",
            Problem::BadDate => "problem.bad_date",
            Problem::BadTime => "problem.bad_time",
            Problem::BirthYearOutOfRange => "problem.birth_year_out_of_range",
            Problem::InFuture => "problem.in_future",
            Problem::BeforeConsent => "problem.before_consent",
            Problem::NotANumber => "problem.not_a_number",
            Problem::DurationOutOfRange => "problem.duration_out_of_range",
            Problem::UnknownCode => "problem.unknown_code",
            Problem::BadPhone => "problem.bad_phone",
            Problem::NoServices => "problem.no_services",
            Problem::NoStaff => "problem.no_staff",
            Problem::BadEmail => "problem.bad_email",
            Problem::EndsBeforeStart => "problem.ends_before_start",
            Problem::OutsideMonth => "problem.outside_month",
        }
    }
}

/// Characters that could mislead on paper or screen and carry no letter: bidi embeddings,
/// overrides and isolates (which could reverse the rest of a slip's line), the bidi marks, and
/// invisible zero-width spaces and joiners-of-nothing. The zero-width (non-)joiners U+200C and
/// U+200D stay: Persian and Arabic spelling needs them, and they reorder nothing.
pub fn is_misleading_format(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// Checks a free-text field: removes the characters [`is_misleading_format`] names, trims
/// it, refuses control characters and overlong text. Newlines are allowed only where
/// `multiline` says so.
pub fn clean_text(
    field: &'static str,
    value: &str,
    max: usize,
    multiline: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let visible: String = value
        .chars()
        .filter(|&c| !is_misleading_format(c))
        .collect();
    let trimmed = visible.trim();
    if trimmed
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r')))
    {
        errors.push(FieldError {
            field,
            problem: Problem::ControlCharacters,
        });
    } else if trimmed.chars().count() > max {
        errors.push(FieldError {
            field,
            problem: Problem::TooLong { max },
        });
    }
    trimmed.to_owned()
}

/// Reads a date as a Bulgarian desk types it: `dd.mm.yyyy` (also `d.m.yyyy`) or ISO `yyyy-mm-dd`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
        .filter(|d| d.year_ce().1 >= 1000)
}

/// The names of the fields whose pair says they changed, in the order given: what a correction
/// changed, for the audit trail.
pub fn changed_fields(fields: impl IntoIterator<Item = (&'static str, bool)>) -> Vec<&'static str> {
    fields
        .into_iter()
        .filter_map(|(field, changed)| changed.then_some(field))
        .collect()
}

/// The stored form of a visit or appointment time, `YYYY-MM-DDTHH:MM`.
pub fn format_stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a stored time stamp back.
pub fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// A date in the UI language's usual form: `23.11.2026` in Bulgarian, `2026-11-23` otherwise.
pub fn format_date(date: NaiveDate, locale: &str) -> String {
    if locale == "bg" {
        date.format("%d.%m.%Y").to_string()
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

/// A moment in the UI language's usual form: `23.11.2026 09:05` in Bulgarian.
pub fn format_date_time(at: NaiveDateTime, locale: &str) -> String {
    format!("{} {}", format_date(at.date(), locale), at.format("%H:%M"))
}

/// A stored moment (`YYYY-MM-DDTHH:MM[:SS]`) in the UI language's usual form; the text as
/// stored when it cannot be read.
pub fn format_stored_moment(stamp: &str, locale: &str) -> String {
    parse_stamp(stamp).map_or_else(|| stamp.to_owned(), |at| format_date_time(at, locale))
}

use chrono::Datelike as _;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_parse_in_both_forms_and_refuse_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 12);
        assert_eq!(parse_date("12.03.2026"), d);
        assert_eq!(parse_date("12.3.2026"), d);
        assert_eq!(parse_date("2026-03-12"), d);
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn clean_text_removes_bidi_overrides_and_invisible_characters_but_keeps_persian_joiners() {
        let mut errors = Vec::new();
        let spoof = "\u{202E}Ali\u{202C} \u{2067}x\u{2069}\u{200B}\u{FEFF}\u{200F}";
        assert_eq!(clean_text("name", spoof, 80, false, &mut errors), "Ali x");
        assert_eq!(
            clean_text("name", "می\u{200C}خواهم", 80, false, &mut errors),
            "می\u{200C}خواهم"
        );
        assert!(errors.is_empty());
    }

    proptest! {
        #[test]
        fn clean_text_never_keeps_a_misleading_character(text in "\\PC{0,40}", extra in proptest::sample::select(vec!['\u{202A}', '\u{202B}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2068}', '\u{200B}', '\u{FEFF}'])) {
            let mut errors = Vec::new();
            let typed = format!("{text}{extra}{text}");
            let cleaned = clean_text("notes", &typed, 1000, true, &mut errors);
            prop_assert!(!cleaned.chars().any(is_misleading_format));
            // Cleaning what is clean changes nothing: a saved text reads back as it was saved.
            let mut again = Vec::new();
            prop_assert_eq!(clean_text("notes", &cleaned, 1000, true, &mut again), cleaned);
        }
    }

    #[test]
    fn clean_text_catches_control_characters_and_length() {
        let mut errors = Vec::new();
        assert_eq!(clean_text("f", "  Иван ", 10, false, &mut errors), "Иван");
        assert!(errors.is_empty());
        clean_text("f", "a\u{7}b", 10, false, &mut errors);
        clean_text("f", &"x".repeat(100_000), 100, false, &mut errors);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].problem, Problem::ControlCharacters);
        assert_eq!(errors[1].problem, Problem::TooLong { max: 100 });
    }

    proptest! {
        #[test]
        fn parse_date_never_panics(s in "\\PC{0,30}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn parse_date_reads_what_format_date_writes(days in 0i64..80_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default() + chrono::Days::new(days as u64);
            prop_assert_eq!(parse_date(&format_date(date, "bg")), Some(date));
            prop_assert_eq!(parse_date(&format_date(date, "en")), Some(date));
        }
    }
}
