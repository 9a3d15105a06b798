//! The directory: organisations the bureau works with and refers visitors to.

use super::reference::{find, languages};
use super::{FieldError, OrganisationId, Problem, ServiceTypeId, clean_text};

code_enum!(
    /// What kind of organisation.
    OrganisationKind, "organisation_kind" {
        /// The bureau itself.
        Bureau => "bureau",
        /// An NGO partner.
        Ngo => "ngo",
        /// A hospital.
        Hospital => "hospital",
        /// A clinic or GP practice.
        Clinic => "clinic",
        /// A school or kindergarten.
        School => "school",
        /// The migration directorate.
        MigrationDirectorate => "migration_directorate",
        /// The State Agency for Refugees.
        RefugeeAgency => "refugee_agency",
        /// A labour office.
        LabourOffice => "labour_office",
        /// Social assistance directorate.
        SocialAssistance => "social_assistance",
        /// Municipal services.
        Municipal => "municipal",
        /// Anything else.
        Other => "other",
    }
);

/// Everything the directory keeps about an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationDetails {
    /// Kind.
    pub kind: OrganisationKind,
    /// Name in Bulgarian.
    pub name_bg: String,
    /// Name in English.
    pub name_en: String,
    /// Address in Bulgarian.
    pub address_bg: String,
    /// Address in Latin letters.
    pub address_en: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Opening hours in Bulgarian.
    pub hours_bg: String,
    /// Opening hours in English.
    pub hours_en: String,
    /// Languages spoken there (ISO 639-1).
    pub languages: Vec<String>,
    /// Services offered.
    pub services: Vec<ServiceTypeId>,
    /// Still in use.
    pub active: bool,
}

/// A stored organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Row id.
    pub id: OrganisationId,
    /// Its details.
    pub details: OrganisationDetails,
}

impl Organisation {
    /// The name in a language: Bulgarian for "bg", English for anything else.
    pub fn name(&self, locale: &str) -> &str {
        if locale == "bg" {
            &self.details.name_bg
        } else {
            &self.details.name_en
        }
    }

    /// The address in a language (falls back to the other one when empty).
    pub fn address(&self, locale: &str) -> &str {
        pick(locale, &self.details.address_bg, &self.details.address_en)
    }

    /// The opening hours in a language (falls back to the other one when empty).
    pub fn hours(&self, locale: &str) -> &str {
        pick(locale, &self.details.hours_bg, &self.details.hours_en)
    }
}

fn pick<'a>(locale: &str, bg: &'a str, en: &'a str) -> &'a str {
    match (locale == "bg", bg.is_empty(), en.is_empty()) {
        (true, false, _) | (false, false, true) => bg,
        _ => en,
    }
}

/// The directory form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationDraft {
    /// The organisation being edited, or `None` for a new one.
    pub id: Option<OrganisationId>,
    /// Kind.
    pub kind: Option<OrganisationKind>,
    /// Name in Bulgarian.
    pub name_bg: String,
    /// Name in English.
    pub name_en: String,
    /// Address in Bulgarian.
    pub address_bg: String,
    /// Address in Latin letters.
    pub address_en: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Hours in Bulgarian.
    pub hours_bg: String,
    /// Hours in English.
    pub hours_en: String,
    /// Languages spoken (ISO 639-1).
    pub languages: Vec<String>,
    /// Services offered.
    pub services: Vec<ServiceTypeId>,
    /// Still in use.
    pub active: bool,
}

impl OrganisationDraft {
    /// A draft to edit an existing organisation.
    pub fn edit(org: &Organisation) -> Self {
        let d = &org.details;
        OrganisationDraft {
            id: Some(org.id),
            kind: Some(d.kind),
            name_bg: d.name_bg.clone(),
            name_en: d.name_en.clone(),
            address_bg: d.address_bg.clone(),
            address_en: d.address_en.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
            hours_bg: d.hours_bg.clone(),
            hours_en: d.hours_en.clone(),
            languages: d.languages.clone(),
            services: d.services.clone(),
            active: d.active,
        }
    }

    /// Validates the draft; names may be given in one language only (copied to the other).
    pub fn validate(&self) -> Result<OrganisationDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut name_bg = clean_text("name_bg", &self.name_bg, 200, false, &mut errors);
        let mut name_en = clean_text("name_en", &self.name_en, 200, false, &mut errors);
        if name_bg.is_empty() && name_en.is_empty() {
            errors.push(FieldError {
                field: "name_bg",
                problem: Problem::Required,
            });
        } else if name_bg.is_empty() {
            name_bg = name_en.clone();
        } else if name_en.is_empty() {
            name_en = name_bg.clone();
        }
        let kind = self.kind;
        if kind.is_none() {
            errors.push(FieldError {
                field: "kind",
                problem: Problem::Required,
            });
        }
        let address_bg = clean_text("address_bg", &self.address_bg, 300, false, &mut errors);
        let address_en = clean_text("address_en", &self.address_en, 300, false, &mut errors);
        let phone = clean_text("phone", &self.phone, 60, false, &mut errors);
        let email = clean_text("email", &self.email, 120, false, &mut errors);
        if !email.is_empty() && (!email.contains('@') || email.contains(' ')) {
            errors.push(FieldError {
                field: "email",
                problem: Problem::BadEmail,
            });
        }
        let hours_bg = clean_text("hours_bg", &self.hours_bg, 200, false, &mut errors);
        let hours_en = clean_text("hours_en", &self.hours_en, 200, false, &mut errors);
        if self
            .languages
            .iter()
            .any(|c| find(languages(), c).is_none())
        {
            errors.push(FieldError {
                field: "languages",
                problem: Problem::UnknownCode,
            });
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(OrganisationDetails {
                kind,
                name_bg,
                name_en,
                address_bg,
                address_en,
                phone,
                email,
                hours_bg,
                hours_en,
                languages: self.languages.clone(),
                services: self.services.clone(),
                active: self.active,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_is_enough_and_is_copied() {
        let draft = OrganisationDraft {
            kind: Some(OrganisationKind::Hospital),
            name_bg: "УМБАЛ „Александровска“".into(),
            active: true,
            ..Default::default()
        };
        let details = draft.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(details.name_en, "УМБАЛ „Александровска“");
    }

    #[test]
    fn missing_kind_name_and_bad_email_are_reported() {
        let fields: Vec<_> = OrganisationDraft {
            email: "nobody".into(),
            ..Default::default()
        }
        .validate()
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(fields, ["name_bg", "kind", "email"]);
    }

    #[test]
    fn address_and_hours_fall_back_to_the_other_language() {
        let org = Organisation {
            id: OrganisationId(1),
            details: OrganisationDetails {
                kind: OrganisationKind::Clinic,
                name_bg: "Клиника".into(),
                name_en: "Clinic".into(),
                address_bg: "ул. Пиротска 5".into(),
                address_en: String::new(),
                phone: String::new(),
                email: String::new(),
                hours_bg: String::new(),
                hours_en: "Mon-Fri 9-17".into(),
                languages: vec![],
                services: vec![],
                active: true,
            },
        };
        assert_eq!(org.address("en"), "ул. Пиротска 5");
        assert_eq!(org.hours("bg"), "Mon-Fri 9-17");
        assert_eq!(org.name("ar"), "Clinic");
    }
}
