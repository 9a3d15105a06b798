//! Satisfaction feedback, given by the visitor on the desk's screen: two marks and an optional
//! comment, stored with the date and the language only — never linked to a person or a visit.

use chrono::NaiveDate;

use super::{FieldError, Problem, clean_text};

/// The feedback screen as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackDraft {
    /// The language the screen is shown in (ISO 639-1).
    pub language: String,
    /// The service overall, 1–5.
    pub overall: Option<u8>,
    /// The staff's attitude and competence, 1–5.
    pub staff: Option<u8>,
    /// An optional comment.
    pub comment: String,
}

/// Validated feedback, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// The day it was given (no time: nothing to match it with a visit).
    pub given_on: NaiveDate,
    /// The language of the screen.
    pub language: String,
    /// The service overall.
    pub overall: u8,
    /// The staff.
    pub staff: u8,
    /// Comment.
    pub comment: String,
}

impl FeedbackDraft {
    /// Validates the draft for `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<NewFeedback, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mark =
            |field: &'static str, value: Option<u8>, errors: &mut Vec<FieldError>| match value {
                Some(m @ 1..=5) => m,
                _ => {
                    errors.push(FieldError {
                        field,
                        problem: Problem::Required,
                    });
                    0
                }
            };
        let overall = mark("overall", self.overall, &mut errors);
        let staff = mark("staff", self.staff, &mut errors);
        let comment = clean_text("comment", &self.comment, 1000, true, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewFeedback {
            given_on: today,
            language: self.language.clone(),
            overall,
            staff,
            comment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_marks_are_needed_and_bounded() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let good = FeedbackDraft {
            language: "ar".into(),
            overall: Some(5),
            staff: Some(4),
            comment: "شكراً".into(),
        };
        assert_eq!(
            good.validate(today).map(|f| (f.overall, f.staff)),
            Ok((5, 4))
        );
        let bad = FeedbackDraft {
            overall: Some(6),
            ..FeedbackDraft::default()
        };
        let fields: Vec<_> = bad
            .validate(today)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["overall", "staff"]);
    }
}
