//! Subject access: everything the bureau holds about one person, as plain data — for the JSON
//! file and the bilingual PDF they are given. Codes stay codes here; the PDF labels them.

use serde::Serialize;

/// Everything about one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectRecord {
    /// When this was put together, `YYYY-MM-DDTHH:MM`.
    pub produced_at: String,
    /// The bureau's name (Bulgarian, English).
    pub bureau: (String, String),
    /// Who the person is, as registered.
    pub identity: Identity,
    /// Second registrations of the person merged into this record, as each was registered.
    pub also_registered_as: Vec<Identity>,
    /// Every consent given or withdrawn, oldest first.
    pub consents: Vec<ConsentItem>,
    /// Every visit, oldest first.
    pub visits: Vec<VisitItem>,
    /// Every referral, oldest first.
    pub referrals: Vec<ReferralItem>,
    /// Every accompaniment, oldest first.
    pub accompaniments: Vec<AccompanimentItem>,
    /// Who looked at or changed their records, oldest first.
    pub audit: Vec<AuditItem>,
}

/// The registration. Answers a person did not give are their codes (`not_asked`,
/// `doesnt_know`, `refused`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    /// Bureau code.
    pub code: String,
    /// Given name, as written.
    pub given_name: String,
    /// Family name, as written.
    pub family_name: String,
    /// Given name in Latin letters.
    pub given_name_latin: String,
    /// Family name in Latin letters.
    pub family_name_latin: String,
    /// Sex code.
    pub sex: String,
    /// Birth date (`YYYY-MM-DD`), year, or answer code.
    pub birth: String,
    /// Country of origin (ISO code or answer code).
    pub country_of_origin: String,
    /// Nationality (ISO code, `stateless` or answer code).
    pub nationality: String,
    /// Legal status code.
    pub legal_status: String,
    /// Preferred language (ISO 639-1 or answer code).
    pub preferred_language: String,
    /// Other languages spoken.
    pub languages: Vec<String>,
    /// Phone as typed, or answer code.
    pub phone: String,
    /// When registered.
    pub registered_at: String,
    /// Who registered them (first name).
    pub registered_by: String,
    /// Their place in a family, if they are linked to one.
    pub household: Option<HouseholdLink>,
}

/// How a person is linked to a family: their relation to its contact person and how many other
/// members it has (not who they are: that is the others' own data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdLink {
    /// `contact`, `spouse`, `child`, `parent`, `sibling` or `other`.
    pub relation: String,
    /// The other current members.
    pub others: u64,
}

/// One consent record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentItem {
    /// Scope code.
    pub scope: String,
    /// Given (`true`) or withdrawn.
    pub given: bool,
    /// The day, `YYYY-MM-DD`.
    pub dated: String,
    /// Who recorded it (first name).
    pub recorded_by: String,
}

/// One service of a visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceItem {
    /// Service code of the catalogue.
    pub service: String,
    /// The providing organisation (Bulgarian, English).
    pub provider: (String, String),
}

/// One visit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VisitItem {
    /// When, `YYYY-MM-DDTHH:MM`.
    pub at: String,
    /// Language used.
    pub language: String,
    /// An interpreter took part.
    pub interpreter: bool,
    /// Minutes, if noted.
    pub duration_minutes: Option<u32>,
    /// The services given.
    pub services: Vec<ServiceItem>,
    /// Notes written.
    pub notes: String,
    /// Who saw them (first name).
    pub recorded_by: String,
    /// Why the visit was voided, when it was (logged in error: kept, counted nowhere).
    pub voided: Option<String>,
}

/// One referral.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferralItem {
    /// Printed reference.
    pub reference: String,
    /// When issued.
    pub issued_at: String,
    /// Where to (Bulgarian, English).
    pub organisation: (String, String),
    /// Service code.
    pub service: String,
    /// Reason written.
    pub reason: String,
    /// Appointment, if one was made.
    pub appointment_at: Option<String>,
    /// Status code.
    pub status: String,
    /// Who issued it (first name).
    pub recorded_by: String,
}

/// One accompaniment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccompanimentItem {
    /// Printed reference.
    pub reference: String,
    /// When.
    pub scheduled_at: String,
    /// The institution (Bulgarian, English).
    pub organisation: (String, String),
    /// Purpose written.
    pub purpose: String,
    /// Where to meet.
    pub meeting_point: String,
    /// Status code.
    pub status: String,
    /// Outcome written.
    pub outcome_note: String,
    /// Who booked it (first name).
    pub recorded_by: String,
}

/// One audit entry about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditItem {
    /// When.
    pub at: String,
    /// Who (first name; empty if nobody known).
    pub staff: String,
    /// Action code.
    pub action: String,
    /// What was touched: `visitors`, `visits`, `referrals`, `accompaniments`.
    pub entity: String,
}
