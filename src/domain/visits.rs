//! Visits: the visit form's draft, its validation into a `NewVisit`, and stored visits.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::reference::{find, languages};
use super::{
    FieldError, OrganisationId, Problem, ServiceTypeId, StaffId, VisitId, VisitorId, clean_text,
    parse_date,
};

/// The longest note accepted on a visit, in characters.
pub const MAX_NOTES: usize = 2000;

/// One service line on the visit form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    /// The type from the catalogue.
    pub service_type: ServiceTypeId,
    /// The organisation that provided it.
    pub provider: OrganisationId,
}

/// The visit form as typed (and stored as a draft while it is not saved).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitDraft {
    /// The visitor, or `None` for an anonymous visit.
    pub visitor: Option<VisitorId>,
    /// Date (`dd.mm.yyyy`).
    pub date: String,
    /// Time (`HH:MM`).
    pub time: String,
    /// The staff member who saw the visitor.
    pub staff: Option<StaffId>,
    /// Language used (ISO 639-1).
    pub language: String,
    /// An interpreter was needed.
    pub interpreter: bool,
    /// Duration in minutes, optional.
    pub duration: String,
    /// Services rendered.
    pub services: Vec<ServiceLine>,
    /// Short notes.
    pub notes: String,
}

/// A validated visit, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisit {
    /// The visitor, or `None` for an anonymous visit.
    pub visitor: Option<VisitorId>,
    /// When it happened.
    pub at: NaiveDateTime,
    /// Who saw the visitor.
    pub staff: StaffId,
    /// Language used.
    pub language: String,
    /// An interpreter was needed.
    pub interpreter: bool,
    /// Duration in minutes.
    pub duration_minutes: Option<u32>,
    /// Services rendered (at least one).
    pub services: Vec<ServiceLine>,
    /// Notes.
    pub notes: String,
}

impl VisitDraft {
    /// Validates the draft; `now` bounds the date (a visit cannot be logged for tomorrow).
    pub fn validate(&self, now: NaiveDateTime) -> Result<NewVisit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = parse_date(&self.date);
        if date.is_none() {
            errors.push(FieldError {
                field: "date",
                problem: Problem::BadDate,
            });
        }
        let time = NaiveTime::parse_from_str(self.time.trim(), "%H:%M").ok();
        if time.is_none() {
            errors.push(FieldError {
                field: "time",
                problem: if self.time.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::BadTime
                },
            });
        }
        let at = date.zip(time).map(|(d, t)| d.and_time(t));
        if date.is_some_and(|d: NaiveDate| d > now.date()) {
            errors.push(FieldError {
                field: "date",
                problem: Problem::InFuture,
            });
        }
        if self.staff.is_none() {
            errors.push(FieldError {
                field: "staff",
                problem: Problem::NoStaff,
            });
        }
        if self.language.trim().is_empty() {
            errors.push(FieldError {
                field: "language",
                problem: Problem::Required,
            });
        } else if find(languages(), self.language.trim()).is_none() {
            errors.push(FieldError {
                field: "language",
                problem: Problem::UnknownCode,
            });
        }
        let duration_minutes = match self.duration.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(m) if (1..=600).contains(&m) => Some(m),
                Ok(_) => {
                    errors.push(FieldError {
                        field: "duration",
                        problem: Problem::DurationOutOfRange,
                    });
                    None
                }
                Err(_) => {
                    errors.push(FieldError {
                        field: "duration",
                        problem: Problem::NotANumber,
                    });
                    None
                }
            },
        };
        if self.services.is_empty() {
            errors.push(FieldError {
                field: "services",
                problem: Problem::NoServices,
            });
        }
        let notes = clean_text("notes", &self.notes, MAX_NOTES, true, &mut errors);
        match (at, self.staff) {
            (Some(at), Some(staff)) if errors.is_empty() => Ok(NewVisit {
                visitor: self.visitor,
                at,
                staff,
                language: self.language.trim().to_lowercase(),
                interpreter: self.interpreter,
                duration_minutes,
                services: self.services.clone(),
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// A service as shown in a visit's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitService {
    /// The service type.
    pub service_type: ServiceTypeId,
    /// Who provided it.
    pub provider: OrganisationId,
}

/// A stored visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    /// Row id.
    pub id: VisitId,
    /// The visitor, or `None` when anonymous.
    pub visitor: Option<VisitorId>,
    /// The visitor's bureau code, when not anonymous.
    pub visitor_code: Option<String>,
    /// When.
    pub at: NaiveDateTime,
    /// Who saw the visitor.
    pub staff: StaffId,
    /// Language used.
    pub language: String,
    /// An interpreter was needed.
    pub interpreter: bool,
    /// Duration in minutes.
    pub duration_minutes: Option<u32>,
    /// Derived: this was the visitor's first visit.
    pub first: bool,
    /// Services rendered.
    pub services: Vec<VisitService>,
    /// Notes.
    pub notes: String,
    /// Set when the visit was voided: it stays on the card, struck through, and counts nowhere.
    pub voided: Option<Voided>,
}

/// Why and by whom a visit logged in error was voided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voided {
    /// When, `YYYY-MM-DDTHH:MM`.
    pub at: String,
    /// Who voided it.
    pub by: StaffId,
    /// The reason, as typed.
    pub reason: String,
}

/// The longest reason for voiding a visit, in characters.
pub const MAX_VOID_REASON: usize = 500;

/// Checks the reason typed for voiding a visit: required, one line, at most
/// `MAX_VOID_REASON` characters.
pub fn void_reason(typed: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = clean_text("void_reason", typed, MAX_VOID_REASON, false, &mut errors);
    if reason.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "void_reason",
            problem: Problem::Required,
        });
    }
    if errors.is_empty() {
        Ok(reason)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(10, 5, 0))
            .unwrap_or_default()
    }

    fn draft() -> VisitDraft {
        VisitDraft {
            visitor: Some(VisitorId(1)),
            date: "23.11.2026".into(),
            time: "10:05".into(),
            staff: Some(StaffId(1)),
            language: "ar".into(),
            services: vec![ServiceLine {
                service_type: ServiceTypeId(1),
                provider: OrganisationId(1),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_draft_validates() {
        let visit = draft().validate(now());
        assert_eq!(visit.map(|v| v.at), Ok(now()));
    }

    #[test]
    fn problems_are_reported_per_field() {
        let bad = VisitDraft {
            date: "32.11.2026".into(),
            time: "25:00".into(),
            duration: "lots".into(),
            services: vec![],
            notes: "\u{1b}[31m".into(),
            ..draft()
        };
        let fields: Vec<_> = bad
            .validate(now())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["date", "time", "duration", "services", "notes"]);
        let future = VisitDraft {
            date: "24.11.2026".into(),
            ..draft()
        };
        assert!(future.validate(now()).is_err());
    }

    proptest! {
        #[test]
        fn validation_never_panics(date in "\\PC{0,12}", time in "\\PC{0,6}", duration in "\\PC{0,5}") {
            let _ = VisitDraft { date, time, duration, ..draft() }.validate(now());
        }

        #[test]
        fn a_void_reason_is_kept_only_when_it_is_one_line_of_visible_text(typed in "\\PC{0,600}|[ \t\n]{0,3}") {
            match void_reason(&typed) {
                Ok(reason) => {
                    prop_assert!(!reason.is_empty());
                    prop_assert!(reason.chars().count() <= MAX_VOID_REASON);
                    prop_assert!(!reason.chars().any(char::is_control));
                    prop_assert_eq!(reason.trim(), reason.as_str());
                }
                Err(errors) => prop_assert!(errors.iter().all(|e| e.field == "void_reason")),
            }
        }
    }

    #[test]
    fn a_void_reason_is_required() {
        assert!(void_reason("   ").is_err());
        assert_eq!(
            void_reason(" logged twice ").ok().as_deref(),
            Some("logged twice")
        );
    }
}
