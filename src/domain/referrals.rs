//! Referrals to other organisations and accompaniments to institutions, with their outcomes.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::reference::{find, languages};
use super::{
    FieldError, OrganisationId, Problem, ServiceTypeId, StaffId, VisitId, VisitorId, clean_text,
    parse_date,
};

code_enum!(
    /// Where a referral stands.
    ReferralStatus, "referral_status" {
        /// Issued, outcome not known yet.
        Issued => "issued",
        /// The visitor went.
        Attended => "attended",
        /// The visitor did not go.
        NotAttended => "not_attended",
        /// Called off.
        Cancelled => "cancelled",
    }
);

code_enum!(
    /// Where an accompaniment stands.
    AccompanimentStatus, "accompaniment_status" {
        /// Booked.
        Planned => "planned",
        /// Took place.
        Done => "done",
        /// Called off.
        Cancelled => "cancelled",
        /// The visitor did not come.
        NoShow => "no_show",
    }
);

/// A referral's row id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ReferralId(pub i64);

/// An accompaniment's row id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct AccompanimentId(pub i64);

/// The printed reference of a referral: `R-2026-000123`.
pub fn referral_reference(year: i32, id: i64) -> String {
    format!("R-{year}-{id:06}")
}

/// The printed reference of an accompaniment: `A-2026-000045`.
pub fn accompaniment_reference(year: i32, id: i64) -> String {
    format!("A-{year}-{id:06}")
}

/// Reads an optional date and time pair; both empty is `None`.
fn optional_moment(
    date_field: &'static str,
    date: &str,
    time_field: &'static str,
    time: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDateTime> {
    let (date, time) = (date.trim(), time.trim());
    if date.is_empty() && time.is_empty() {
        return None;
    }
    let day = parse_date(date);
    if day.is_none() {
        errors.push(FieldError {
            field: date_field,
            problem: Problem::BadDate,
        });
    }
    let at = NaiveTime::parse_from_str(time, "%H:%M").ok();
    if at.is_none() {
        errors.push(FieldError {
            field: time_field,
            problem: if time.is_empty() {
                Problem::Required
            } else {
                Problem::BadTime
            },
        });
    }
    day.zip(at).map(|(d, t)| d.and_time(t))
}

/// The referral form as typed (and stored as a draft while it is not saved).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReferralDraft {
    /// The visit it is issued in.
    pub visit: Option<VisitId>,
    /// Destination.
    pub organisation: Option<OrganisationId>,
    /// The service the visitor is referred for.
    pub service_type: Option<ServiceTypeId>,
    /// Short reason.
    pub reason: String,
    /// Appointment date (`dd.mm.yyyy`), optional.
    pub appointment_date: String,
    /// Appointment time (`hh:mm`), optional.
    pub appointment_time: String,
    /// Follow-up date (`dd.mm.yyyy`); empty means a week after the appointment or today.
    pub follow_up: String,
    /// The referral covers the visitor's whole household: the slip lists every member's code.
    pub for_household: bool,
}

/// A validated referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// The visit it is issued in.
    pub visit: VisitId,
    /// Destination.
    pub organisation: OrganisationId,
    /// Service.
    pub service_type: ServiceTypeId,
    /// Reason.
    pub reason: String,
    /// Appointment, if one was made.
    pub appointment_at: Option<NaiveDateTime>,
    /// When to ask how it went.
    pub follow_up_on: NaiveDate,
    /// It covers the visitor's whole household.
    pub for_household: bool,
}

impl ReferralDraft {
    /// Validates the draft; `today` sets the default follow-up.
    pub fn validate(&self, today: NaiveDate) -> Result<NewReferral, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.organisation.is_none() {
            errors.push(FieldError {
                field: "organisation",
                problem: Problem::Required,
            });
        }
        if self.service_type.is_none() {
            errors.push(FieldError {
                field: "service_type",
                problem: Problem::Required,
            });
        }
        let reason = clean_text("reason", &self.reason, 500, false, &mut errors);
        let appointment_at = optional_moment(
            "appointment_date",
            &self.appointment_date,
            "appointment_time",
            &self.appointment_time,
            &mut errors,
        );
        let follow_up_on = if self.follow_up.trim().is_empty() {
            appointment_at.map_or(today, |a| a.date()) + Duration::days(7)
        } else {
            parse_date(&self.follow_up).unwrap_or_else(|| {
                errors.push(FieldError {
                    field: "follow_up",
                    problem: Problem::BadDate,
                });
                today
            })
        };
        match (self.visit, self.organisation, self.service_type) {
            (Some(visit), Some(organisation), Some(service_type)) if errors.is_empty() => {
                Ok(NewReferral {
                    visit,
                    organisation,
                    service_type,
                    reason,
                    appointment_at,
                    follow_up_on,
                    for_household: self.for_household,
                })
            }
            (None, _, _) => {
                errors.push(FieldError {
                    field: "visit",
                    problem: Problem::Required,
                });
                Err(errors)
            }
            _ => Err(errors),
        }
    }
}

/// A stored referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// Row id.
    pub id: ReferralId,
    /// Printed reference.
    pub reference: String,
    /// The visit it was issued in.
    pub visit: VisitId,
    /// The visitor, unless the visit was anonymous.
    pub visitor: Option<VisitorId>,
    /// The visitor's bureau code, `None` for an anonymous visit.
    pub visitor_code: Option<String>,
    /// Destination.
    pub organisation: OrganisationId,
    /// Service.
    pub service_type: ServiceTypeId,
    /// Reason.
    pub reason: String,
    /// Appointment.
    pub appointment_at: Option<NaiveDateTime>,
    /// Follow-up date.
    pub follow_up_on: Option<NaiveDate>,
    /// The visitor's consent to share their details with the destination was on record.
    pub shares_details: bool,
    /// Status.
    pub status: ReferralStatus,
    /// When the status last changed.
    pub status_changed_at: Option<NaiveDateTime>,
    /// Who changed it.
    pub status_changed_by: Option<StaffId>,
    /// Who issued it.
    pub issued_by: StaffId,
    /// When.
    pub issued_at: NaiveDateTime,
    /// It covers the visitor's whole household.
    pub for_household: bool,
}

/// The accompaniment form as typed (and stored as a draft while it is not saved).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct AccompanimentDraft {
    /// The visit it is booked in.
    pub visit: Option<VisitId>,
    /// The institution.
    pub organisation: Option<OrganisationId>,
    /// Purpose.
    pub purpose: String,
    /// Date (`dd.mm.yyyy`).
    pub date: String,
    /// Time (`hh:mm`).
    pub time: String,
    /// Where to meet.
    pub meeting_point: String,
    /// Who goes with the visitor.
    pub escort: Option<StaffId>,
    /// Language of an interpreter who goes too (ISO 639-1), empty if none.
    pub interpreter_language: String,
}

/// A validated accompaniment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccompaniment {
    /// The visit it is booked in.
    pub visit: VisitId,
    /// The institution.
    pub organisation: OrganisationId,
    /// Purpose.
    pub purpose: String,
    /// When.
    pub scheduled_at: NaiveDateTime,
    /// Where to meet.
    pub meeting_point: String,
    /// Who goes.
    pub escort: Option<StaffId>,
    /// Interpreter language.
    pub interpreter_language: Option<String>,
}

impl AccompanimentDraft {
    /// Validates the draft.
    pub fn validate(&self) -> Result<NewAccompaniment, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.organisation.is_none() {
            errors.push(FieldError {
                field: "organisation",
                problem: Problem::Required,
            });
        }
        let purpose = clean_text("purpose", &self.purpose, 500, false, &mut errors);
        if self.date.trim().is_empty() {
            errors.push(FieldError {
                field: "date",
                problem: Problem::Required,
            });
        }
        let scheduled_at = optional_moment("date", &self.date, "time", &self.time, &mut errors);
        let meeting_point = clean_text(
            "meeting_point",
            &self.meeting_point,
            200,
            false,
            &mut errors,
        );
        let language = self.interpreter_language.trim();
        if !language.is_empty() && find(languages(), language).is_none() {
            errors.push(FieldError {
                field: "interpreter_language",
                problem: Problem::UnknownCode,
            });
        }
        if self.visit.is_none() {
            errors.push(FieldError {
                field: "visit",
                problem: Problem::Required,
            });
        }
        match (self.visit, self.organisation, scheduled_at) {
            (Some(visit), Some(organisation), Some(scheduled_at)) if errors.is_empty() => {
                Ok(NewAccompaniment {
                    visit,
                    organisation,
                    purpose,
                    scheduled_at,
                    meeting_point,
                    escort: self.escort,
                    interpreter_language: (!language.is_empty()).then(|| language.to_lowercase()),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A stored accompaniment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accompaniment {
    /// Row id.
    pub id: AccompanimentId,
    /// Printed reference.
    pub reference: String,
    /// The visit it was booked in.
    pub visit: VisitId,
    /// The visitor, unless anonymous.
    pub visitor: Option<VisitorId>,
    /// The visitor's bureau code.
    pub visitor_code: Option<String>,
    /// The institution.
    pub organisation: OrganisationId,
    /// Purpose.
    pub purpose: String,
    /// When.
    pub scheduled_at: NaiveDateTime,
    /// Where to meet.
    pub meeting_point: String,
    /// Who goes.
    pub escort: Option<StaffId>,
    /// Interpreter language.
    pub interpreter_language: Option<String>,
    /// Status.
    pub status: AccompanimentStatus,
    /// Outcome note.
    pub outcome_note: String,
    /// Who booked it.
    pub booked_by: StaffId,
    /// When.
    pub booked_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn referral_follow_up_defaults_to_a_week_after_the_appointment() {
        let draft = ReferralDraft {
            visit: Some(VisitId(1)),
            organisation: Some(OrganisationId(3)),
            service_type: Some(ServiceTypeId(14)),
            reason: "GP registration".into(),
            appointment_date: "25.11.2026".into(),
            appointment_time: "10:30".into(),
            follow_up: String::new(),
            for_household: false,
        };
        let referral = draft.validate(today()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            referral.follow_up_on,
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default()
        );
        assert_eq!(
            referral
                .appointment_at
                .map(|a| a.format("%H:%M").to_string())
                .as_deref(),
            Some("10:30")
        );
        let no_appointment = ReferralDraft {
            appointment_date: String::new(),
            appointment_time: String::new(),
            ..draft
        };
        assert_eq!(
            no_appointment.validate(today()).map(|r| r.follow_up_on),
            Ok(today() + Duration::days(7))
        );
    }

    #[test]
    fn referral_problems_are_reported() {
        let fields: Vec<_> = ReferralDraft {
            appointment_date: "32.13.2026".into(),
            ..Default::default()
        }
        .validate(today())
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(
            fields,
            [
                "organisation",
                "service_type",
                "appointment_date",
                "appointment_time",
                "visit"
            ]
        );
    }

    #[test]
    fn accompaniment_needs_a_place_and_a_time() {
        let draft = AccompanimentDraft {
            visit: Some(VisitId(1)),
            organisation: Some(OrganisationId(2)),
            date: "24.11.2026".into(),
            time: "08:45".into(),
            interpreter_language: "AR".into(),
            ..Default::default()
        };
        let booked = draft.validate().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(booked.interpreter_language.as_deref(), Some("ar"));
        let fields: Vec<_> = AccompanimentDraft {
            time: "8".into(),
            ..draft
        }
        .validate()
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(fields, ["time"]);
    }

    #[test]
    fn references_are_readable() {
        assert_eq!(referral_reference(2026, 123), "R-2026-000123");
        assert_eq!(accompaniment_reference(2026, 45), "A-2026-000045");
    }
}
