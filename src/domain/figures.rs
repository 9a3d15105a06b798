//! The figures of a period for the evaluation and the funder, defined in `docs/figures.md`.
//! Computed in one place (`db::figures`); every export and the reports screen show these.
//! Figures only: no names, codes, phone numbers or notes.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The first year a period may start in.
pub const FIRST_YEAR: i32 = 2000;
/// The last year a period may end in.
pub const LAST_YEAR: i32 = 2100;

/// Why a typed period could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not a month (`2026-11`) or a day (`2026-11-23`) of the calendar.
    #[error("write months as 2026-11 and days as 2026-11-23, with a four-digit year")]
    NotADate,
    /// The year is outside `FIRST_YEAR..=LAST_YEAR`.
    #[error("the year must be between 2000 and 2100")]
    YearOutOfRange,
    /// A month was asked and something else was given.
    #[error("a month is written as 2026-11, without a day")]
    NotAMonth,
    /// The first day comes after the last.
    #[error("the start of the period comes after its end")]
    Reversed,
}

impl PeriodError {
    /// The i18n key of the sentence shown on the reports screen.
    pub fn label_key(self) -> &'static str {
        match self {
            PeriodError::NotADate => "report.bad_period",
            PeriodError::YearOutOfRange => "report.period_year",
            PeriodError::NotAMonth => "report.period_not_a_month",
            PeriodError::Reversed => "report.period_reversed",
        }
    }
}

/// A period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// One calendar month.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(Period {
            from,
            to: next.pred_opt()?,
        })
    }

    /// The period just before this one: the same number of whole months when the period is
    /// whole months (so a month compares with the month before), else the same number of days.
    pub fn previous(self) -> Period {
        let whole_months =
            self.from.day() == 1 && self.to.succ_opt().is_some_and(|next| next.day() == 1);
        if whole_months {
            let months = (self.to.year() * 12 + self.to.month0() as i32)
                - (self.from.year() * 12 + self.from.month0() as i32)
                + 1;
            if let (Some(from), Some(to)) = (
                self.from
                    .checked_sub_months(chrono::Months::new(months as u32)),
                self.from.pred_opt(),
            ) {
                return Period { from, to };
            }
        }
        let days = (self.to - self.from).num_days() + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        Period {
            from: to - chrono::Days::new(days as u64 - 1),
            to,
        }
    }

    /// Reads `YYYY-MM` (a whole month) or `YYYY-MM-DD`, or the same the Bulgarian way, `MM.YYYY`
    /// or `DD.MM.YYYY` as every other date field takes it; `end` picks the month's last day.
    /// The year has four digits, from `FIRST_YEAR` to `LAST_YEAR`.
    pub fn parse_bound(text: &str, end: bool) -> Result<NaiveDate, PeriodError> {
        let text = text.trim();
        let parts: Vec<&str> = if text.contains('.') {
            text.split('.').rev().collect()
        } else {
            text.split('-').collect()
        };
        let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
            (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
                .ok_or(PeriodError::NotADate)
        };
        let (year, month, day) = match parts.as_slice() {
            [y, m] => (number(y, 4..=4)?, number(m, 1..=2)?, None),
            [y, m, d] => (
                number(y, 4..=4)?,
                number(m, 1..=2)?,
                Some(number(d, 1..=2)?),
            ),
            _ => return Err(PeriodError::NotADate),
        };
        if !(FIRST_YEAR..=LAST_YEAR).contains(&(year as i32)) {
            return Err(PeriodError::YearOutOfRange);
        }
        match day {
            Some(day) => NaiveDate::from_ymd_opt(year as i32, month, day),
            None => Period::month(year as i32, month).map(|m| if end { m.to } else { m.from }),
        }
        .ok_or(PeriodError::NotADate)
    }

    /// Reads one calendar month, `YYYY-MM`; a day is refused.
    pub fn parse_month(text: &str) -> Result<Period, PeriodError> {
        if text.trim().matches('-').count() != 1 {
            return Err(PeriodError::NotAMonth);
        }
        Ok(Period {
            from: Period::parse_bound(text, false)?,
            to: Period::parse_bound(text, true)?,
        })
    }

    /// Reads a period from its first and last month or day; the start may not come after the end.
    pub fn parse(from: &str, to: &str) -> Result<Period, PeriodError> {
        let period = Period {
            from: Period::parse_bound(from, false)?,
            to: Period::parse_bound(to, true)?,
        };
        if period.from > period.to {
            return Err(PeriodError::Reversed);
        }
        Ok(period)
    }

    /// The calendar months the period touches, as `YYYY-MM`.
    pub fn months(self) -> Vec<String> {
        let mut out = Vec::new();
        let mut day = self.from.with_day(1).unwrap_or(self.from);
        while day <= self.to {
            out.push(day.format("%Y-%m").to_string());
            day = day
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.to.succ_opt().unwrap_or(self.to));
        }
        out
    }
}

/// One row of a breakdown: a code (a country, a service, a status…) and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// The code: ISO country or language, service code, status, band… or an answer code
    /// ('not_asked', 'doesnt_know', 'refused').
    pub key: String,
    /// How many.
    pub count: u64,
}

/// Referrals issued in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReferralFigures {
    /// How many.
    pub total: u64,
    /// By destination organisation (English name).
    pub by_destination: Vec<Count>,
    /// By service code.
    pub by_service: Vec<Count>,
    /// By outcome (status).
    pub by_outcome: Vec<Count>,
}

/// Accompaniments scheduled in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccompanimentFigures {
    /// How many.
    pub total: u64,
    /// By institution (English name).
    pub by_institution: Vec<Count>,
    /// By outcome (status).
    pub by_outcome: Vec<Count>,
}

/// The answers to one feedback question.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ratings {
    /// Mean mark (1–5), `None` without responses.
    pub mean: Option<f64>,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
}

/// Satisfaction feedback given in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Satisfaction {
    /// Responses.
    pub responses: u64,
    /// The service overall.
    pub overall: Ratings,
    /// The staff's attitude and competence.
    pub staff: Ratings,
}

/// The funder's participant indicators (EU AMIF style), counted in people, not services.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Participants {
    /// People supported: the unique visitors.
    pub supported: u64,
    /// Of whom in a Bulgarian language course.
    pub language_course: u64,
    /// Of whom in a civic-orientation activity (information and consultation).
    pub civic_orientation: u64,
    /// Of whom given professional / labour-market guidance.
    pub labour_market_guidance: u64,
    /// Of whom given legal assistance.
    pub legal_assistance: u64,
}

/// One month of the per-month series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// Distinct people with a visit in the month (within the period).
    pub unique_visitors: u64,
    /// Of whom with their first visit ever in the month.
    pub new_visitors: u64,
    /// Visits, anonymous ones included.
    pub visits: u64,
    /// Anonymous visits.
    pub anonymous_visits: u64,
    /// Services rendered.
    pub services: u64,
}

/// Every figure of a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// The period.
    pub period: Option<Period>,
    /// Distinct people with at least one visit in the period.
    pub unique_visitors: u64,
    /// Of whom with their first visit ever in the period.
    pub new_visitors: u64,
    /// Of whom with an earlier visit.
    pub returning_visitors: u64,
    /// Visits with nobody recorded.
    pub anonymous_visits: u64,
    /// All visits, anonymous ones included.
    pub visits: u64,
    /// Services rendered in those visits.
    pub services_total: u64,
    /// Services by type (service code).
    pub services_by_type: Vec<Count>,
    /// Services by providing organisation (English name).
    pub services_by_provider: Vec<Count>,
    /// Unique visitors by country of origin.
    pub countries_of_origin: Vec<Count>,
    /// Unique visitors by nationality.
    pub nationality: Vec<Count>,
    /// Unique visitors by sex.
    pub sex: Vec<Count>,
    /// Unique visitors by age band at the period's end.
    pub age_bands: Vec<Count>,
    /// Unique visitors by legal status.
    pub legal_status: Vec<Count>,
    /// Unique visitors by preferred language.
    pub languages: Vec<Count>,
    /// Visits by the language used.
    pub visits_by_language: Vec<Count>,
    /// Visits by interpreter need ('interpreter', 'no_interpreter').
    pub interpreter: Vec<Count>,
    /// Visits as first consultations, follow-ups or anonymous.
    pub consultations: Vec<Count>,
    /// Visits by duration band.
    pub duration_bands: Vec<Count>,
    /// Referrals.
    pub referrals: ReferralFigures,
    /// Accompaniments.
    pub accompaniments: AccompanimentFigures,
    /// Satisfaction.
    pub satisfaction: Satisfaction,
    /// The funder's participant indicators.
    pub participants: Participants,
    /// Per-month series.
    pub monthly: Vec<MonthFigures>,
    /// Families among the people of the period.
    pub households: HouseholdFigures,
    /// People of the period under 18 (the age band `0-17`, at the period's end).
    pub children: u64,
    /// Each partner's programme at the bureau against the visits they served.
    pub programme: Vec<ProgrammeLine>,
}

/// Families among the people of the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HouseholdFigures {
    /// Households with at least one member who visited in the period.
    pub served: u64,
    /// People of the period who belong to a household.
    pub individuals: u64,
}

/// One partner's programme in the period and whom they served.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeLine {
    /// The partner (English name, as in `services_by_provider`).
    pub organisation: String,
    /// Sessions their slots offered (a slot on one day), after days off.
    pub slots_offered: u64,
    /// Days with at least one of their sessions.
    pub days_offered: u64,
    /// Of those days, the ones on which they served at least one visit.
    pub days_served: u64,
    /// Counted visits with a service they provided in the period.
    pub visits_served: u64,
    /// `days_served / days_offered`, 0–1 (rounded to two places); None with no day.
    pub show_rate: Option<f64>,
}

/// Age bands of the evaluation, then why a person's age is not known (the answer codes, apart).
pub const AGE_BANDS: [&str; 8] = [
    "0-17",
    "18-34",
    "35-49",
    "50-64",
    "65+",
    "not_asked",
    "doesnt_know",
    "refused",
];

/// What the desk knows of a person's birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birth<'a> {
    /// The year, when given.
    pub year: Option<i32>,
    /// The day, when known.
    pub date: Option<NaiveDate>,
    /// `given`, or why not: `not_asked`, `doesnt_know`, `refused`.
    pub answer: &'a str,
}

/// The age band of someone at `on`: their age in whole years from their birth date when it is
/// known, else from their birth year (the age they reach in `on`'s year); without either, why
/// (`not_asked`, `doesnt_know`, `refused`).
pub fn age_band(birth: &Birth<'_>, on: NaiveDate) -> &'static str {
    let age = match (birth.date, birth.year) {
        (Some(date), _) => Some(
            on.year()
                - date.year()
                - i32::from((on.month(), on.day()) < (date.month(), date.day())),
        ),
        (None, Some(year)) => Some(on.year() - year),
        (None, None) => None,
    };
    match age {
        None => match birth.answer {
            "doesnt_know" => "doesnt_know",
            "refused" => "refused",
            _ => "not_asked",
        },
        Some(age) if age < 18 => "0-17",
        Some(age) if age < 35 => "18-34",
        Some(age) if age < 50 => "35-49",
        Some(age) if age < 65 => "50-64",
        Some(_) => "65+",
    }
}

/// Duration bands of the evaluation (minutes).
pub const DURATION_BANDS: [&str; 5] = ["<15", "15-29", "30-59", "60+", "unknown"];

/// The duration band of a visit.
pub fn duration_band(minutes: Option<u32>) -> &'static str {
    match minutes {
        None => "unknown",
        Some(m) if m < 15 => "<15",
        Some(m) if m < 30 => "15-29",
        Some(m) if m < 60 => "30-59",
        Some(_) => "60+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn periods_read_months_and_days() {
        assert_eq!(
            Period::month(2026, 2),
            Some(Period {
                from: day(2026, 2, 1),
                to: day(2026, 2, 28)
            })
        );
        assert_eq!(Period::parse_bound("2026-12", true), Ok(day(2026, 12, 31)));
        assert_eq!(Period::parse_bound("12.2026", true), Ok(day(2026, 12, 31)));
        assert_eq!(
            Period::parse_bound("5.12.2026", false),
            Ok(day(2026, 12, 5))
        );
        assert_eq!(
            Period::parse_bound("2026.12", false),
            Err(PeriodError::NotADate)
        );
        assert_eq!(Period::parse_bound("2026-12", false), Ok(day(2026, 12, 1)));
        assert_eq!(
            Period::parse_bound("2026-12-05", true),
            Ok(day(2026, 12, 5))
        );
        assert_eq!(
            Period::parse_bound("2026-13", true),
            Err(PeriodError::NotADate)
        );
        let year = Period {
            from: day(2025, 11, 15),
            to: day(2026, 2, 3),
        };
        assert_eq!(year.months(), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        let march = Period::month(2026, 3).unwrap_or(year);
        assert_eq!(
            march.previous(),
            Period {
                from: day(2026, 2, 1),
                to: day(2026, 2, 28)
            }
        );
        let days = Period {
            from: day(2026, 3, 10),
            to: day(2026, 3, 19),
        };
        assert_eq!(
            days.previous(),
            Period {
                from: day(2026, 2, 28),
                to: day(2026, 3, 9)
            }
        );
        let first_year = Period {
            from: day(2021, 9, 1),
            to: day(2022, 8, 31),
        };
        assert_eq!(
            first_year.previous(),
            Period {
                from: day(2020, 9, 1),
                to: day(2021, 8, 31)
            }
        );
    }

    #[test]
    fn bands() {
        let on = day(2026, 11, 30);
        let year = |year| Birth {
            year: Some(year),
            date: None,
            answer: "given",
        };
        assert_eq!(age_band(&year(2010), on), "0-17");
        assert_eq!(age_band(&year(2008), on), "18-34");
        assert_eq!(age_band(&year(1961), on), "65+");
        // Born 1 December 2008: 17 on 30 November 2026, though 2026 − 2008 = 18.
        let late_birthday = Birth {
            date: Some(day(2008, 12, 1)),
            ..year(2008)
        };
        assert_eq!(age_band(&late_birthday, on), "0-17");
        assert_eq!(age_band(&late_birthday, day(2026, 12, 1)), "18-34");
        for answer in ["not_asked", "doesnt_know", "refused"] {
            let unknown = Birth {
                year: None,
                date: None,
                answer,
            };
            assert_eq!(age_band(&unknown, on), answer);
        }
        assert_eq!(duration_band(Some(14)), "<15");
        assert_eq!(duration_band(Some(60)), "60+");
    }

    #[test]
    fn period_parsing_table() {
        use PeriodError::*;
        let month = |y, m| Period::month(y, m).unwrap_or_else(|| panic!("month"));
        let cases: [(&str, Result<Period, PeriodError>); 14] = [
            ("2026-03", Ok(month(2026, 3))),
            (" 2026-3 ", Ok(month(2026, 3))),
            ("2000-01", Ok(month(2000, 1))),
            ("2100-12", Ok(month(2100, 12))),
            ("26-03", Err(NotADate)),
            ("0026-03", Err(YearOutOfRange)),
            ("0000-01", Err(YearOutOfRange)),
            ("9999-12", Err(YearOutOfRange)),
            ("1999-12", Err(YearOutOfRange)),
            ("2026-03-15", Err(NotAMonth)),
            ("2026-00", Err(NotADate)),
            ("2026-13", Err(NotADate)),
            ("+2026-03", Err(NotADate)),
            ("", Err(NotAMonth)),
        ];
        for (text, expected) in cases {
            assert_eq!(Period::parse_month(text), expected, "{text:?}");
        }
        assert_eq!(
            Period::parse("2026-03", "2026-01"),
            Err(Reversed),
            "from after to"
        );
        assert_eq!(
            Period::parse("2026-02-29", "2026-03"),
            Err(NotADate),
            "no 29 February in 2026"
        );
        assert_eq!(
            Period::parse("2026-01-15", "2026-03"),
            Ok(Period {
                from: day(2026, 1, 15),
                to: day(2026, 3, 31)
            })
        );
    }

    proptest::proptest! {
        /// Whatever is typed, the parser answers without panicking, and what it accepts is a
        /// day of a year in range that prints back as it was read.
        #[test]
        fn period_bounds_accept_only_real_days_in_range(text in "\\PC{0,12}", end: bool) {
            if let Ok(date) = Period::parse_bound(&text, end) {
                proptest::prop_assert!((FIRST_YEAR..=LAST_YEAR).contains(&date.year()));
                let t = text.trim();
                proptest::prop_assert!(t.len() >= 6 && t.as_bytes()[4] == b'-');
                proptest::prop_assert_eq!(&t[..4], date.format("%Y").to_string());
            }
        }

        #[test]
        fn every_day_in_range_reads_back(days in 0i64..36_890, end: bool) {
            let date = day(2000, 1, 1) + chrono::Days::new(days as u64);
            let text = date.format("%Y-%m-%d").to_string();
            proptest::prop_assert_eq!(Period::parse_bound(&text, end), Ok(date));
            let month = date.format("%Y-%m").to_string();
            let whole = Period::parse_month(&month).unwrap_or_else(|e| panic!("{e}"));
            proptest::prop_assert!(whole.from <= date && date <= whole.to);
        }
    }
}
