//! What goes on a slip: the data of a referral or an accompaniment confirmation, gathered from
//! the database, before it is laid out in two languages. Only what the visitor needs is here:
//! the bureau code and, with their consent, the given name.

use chrono::{NaiveDate, NaiveDateTime};

/// A place on paper: the bureau or a destination, in Bulgarian and in Latin letters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// Name in Bulgarian.
    pub name_bg: String,
    /// Name in English.
    pub name_en: String,
    /// Address in Bulgarian.
    pub address_bg: String,
    /// Address in Latin letters.
    pub address_en: String,
    /// Opening hours in Bulgarian.
    pub hours_bg: String,
    /// Opening hours in English.
    pub hours_en: String,
    /// Phone.
    pub phone: String,
}

impl Place {
    /// The Bulgarian text for the Bulgarian side, the English text for every other language;
    /// either falls back to the other when empty.
    pub fn pick<'a>(&'a self, language: &str, bg: &'a str, en: &'a str) -> &'a str {
        let (first, second) = if language == "bg" { (bg, en) } else { (en, bg) };
        if first.is_empty() { second } else { first }
    }

    /// The name for a language's side of the slip.
    pub fn name(&self, language: &str) -> &str {
        self.pick(language, &self.name_bg, &self.name_en)
    }

    /// The address for a language's side of the slip.
    pub fn address(&self, language: &str) -> &str {
        self.pick(language, &self.address_bg, &self.address_en)
    }

    /// The opening hours for a language's side of the slip.
    pub fn hours(&self, language: &str) -> &str {
        self.pick(language, &self.hours_bg, &self.hours_en)
    }
}

/// Which slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlipKind {
    /// A referral: the visitor goes on their own.
    Referral {
        /// Why.
        reason: String,
        /// The appointment, if one was made.
        appointment: Option<NaiveDateTime>,
        /// The codes of the other members of the visitor's household, when the referral
        /// covers it.
        family: Vec<String>,
    },
    /// An accompaniment: someone from the bureau goes with the visitor.
    Accompaniment {
        /// Purpose.
        purpose: String,
        /// When to meet.
        meeting_at: NaiveDateTime,
        /// Where to meet.
        meeting_point: String,
        /// First name of the escort.
        escort: Option<String>,
        /// Language of the interpreter who goes too.
        interpreter_language: Option<String>,
    },
}

/// Everything printed on one slip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipData {
    /// Referral or accompaniment, with what is particular to each.
    pub kind: SlipKind,
    /// Printed reference code (also in the QR code).
    pub reference: String,
    /// Date of issue.
    pub issued_on: NaiveDate,
    /// First name of the staff member who issued it.
    pub issued_by: String,
    /// The bureau's own details.
    pub bureau: Place,
    /// The visitor's bureau code.
    pub visitor_code: String,
    /// The visitor's given name, only when they consented to share their details.
    pub visitor_given_name: Option<String>,
    /// Where the visitor goes.
    pub destination: Place,
    /// Service code from the catalogue (for its name in every slip language).
    pub service_code: String,
    /// Service name in Bulgarian and English, for codes the slip text does not know.
    pub service_names: (String, String),
    /// The visitor's preferred language (ISO 639-1), the default first language of the slip.
    pub preferred_language: Option<String>,
}

/// The languages a slip can be printed in (complete in `i18n/slip`).
pub const SLIP_LANGUAGES: [&str; 7] = ["bg", "en", "fr", "ar", "fa", "uk", "ru"];
