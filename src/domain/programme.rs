//! The month's programme at the bureau: which partner offers which services on which days, at
//! which hours, in which languages and in which room. A slot recurs on a weekday (every week or
//! only some weeks of the month) or falls on listed dates; days off cancel one slot on one day or
//! close the whole bureau. Expanding a month gives its sessions; the checks flag what a
//! coordinator should look at (two sessions in one room at once, a slot with no language).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::{FieldError, OrganisationId, Problem, ServiceTypeId, clean_text, parse_date};

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// The month of a date.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let first = NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
        Some(Month { first })
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first.pred_opt().unwrap_or(self.first)
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        let last = self.last_day();
        self.first.iter_days().take_while(move |d| *d <= last)
    }

    /// Whether `date` falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        Month::of(date) == self
    }

    /// The month before.
    pub fn previous(self) -> Month {
        Month::of(self.first.pred_opt().unwrap_or(self.first))
    }

    /// The month after.
    pub fn next(self) -> Month {
        Month {
            first: self
                .first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.first),
        }
    }

    /// `YYYY-MM`, as stored.
    pub fn code(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// When a slot takes place within its month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recurrence {
    /// On a weekday: every one of the month (`weeks` empty) or only the listed ones (1 is the
    /// month's first such weekday, 5 its fifth).
    Weekly {
        /// The weekday.
        weekday: Weekday,
        /// Which of the month's such weekdays; empty: every one.
        weeks: Vec<u8>,
    },
    /// On these dates only (an extra session, an irregular partner).
    Dates(Vec<NaiveDate>),
}

impl Recurrence {
    /// Whether the slot takes place on `day`.
    pub fn falls_on(&self, day: NaiveDate) -> bool {
        match self {
            Recurrence::Weekly { weekday, weeks } => {
                day.weekday() == *weekday
                    && (weeks.is_empty() || weeks.contains(&week_of_month(day)))
            }
            Recurrence::Dates(dates) => dates.contains(&day),
        }
    }
}

/// Weeks of the month as stored and typed: "1 3".
pub fn weeks_text(weeks: &[u8]) -> String {
    weeks
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which of the month's such weekdays `day` is: 1 for the first Tuesday, 2 for the second…
pub fn week_of_month(day: NaiveDate) -> u8 {
    u8::try_from((day.day0() / 7) + 1).unwrap_or(5)
}

/// A checked slot, ready to store in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotDraft {
    /// The partner that provides it.
    pub organisation: OrganisationId,
    /// The services offered (one or more).
    pub services: Vec<ServiceTypeId>,
    /// When in the month.
    pub recurrence: Recurrence,
    /// From.
    pub starts: NaiveTime,
    /// Until.
    pub ends: NaiveTime,
    /// ISO 639-1 codes offered; empty is allowed but flagged.
    pub languages: Vec<String>,
    /// The room in the bureau.
    pub place: String,
    /// A note for the programme ("bring your documents").
    pub note: String,
}

/// A stored slot of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Row id.
    pub id: i64,
    /// Its month.
    pub month: Month,
    /// What and when.
    pub draft: SlotDraft,
}

/// A one-off change: one slot cancelled on a day, or (`slot` None) the bureau closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOff {
    /// Row id.
    pub id: i64,
    /// The day.
    pub day: NaiveDate,
    /// The slot cancelled; None: every slot (a holiday).
    pub slot: Option<i64>,
    /// Why, as shown in the programme.
    pub note: String,
}

/// A month's programme: its slots and days off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    /// The month.
    pub month: Month,
    /// Its slots, by weekday and start.
    pub slots: Vec<Slot>,
    /// Its one-off changes, by day.
    pub days_off: Vec<DayOff>,
}

/// One occurrence of a slot: the slot on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session<'a> {
    /// The day.
    pub day: NaiveDate,
    /// The slot.
    pub slot: &'a Slot,
}

impl Session<'_> {
    /// When it starts.
    pub fn starts(&self) -> NaiveDateTime {
        self.day.and_time(self.slot.draft.starts)
    }

    /// When it ends.
    pub fn ends(&self) -> NaiveDateTime {
        self.day.and_time(self.slot.draft.ends)
    }
}

impl Programme {
    /// Whether the bureau is closed on `day`, and why.
    pub fn closed_on(&self, day: NaiveDate) -> Option<&DayOff> {
        self.days_off
            .iter()
            .find(|off| off.day == day && off.slot.is_none())
    }

    /// Whether `slot` is cancelled on `day` (alone or with the whole bureau).
    pub fn cancelled(&self, slot: &Slot, day: NaiveDate) -> bool {
        self.days_off
            .iter()
            .any(|off| off.day == day && off.slot.is_none_or(|id| id == slot.id))
    }

    /// The sessions of one day, by start time.
    pub fn sessions_on(&self, day: NaiveDate) -> Vec<Session<'_>> {
        if !self.month.contains(day) {
            return Vec::new();
        }
        let mut sessions: Vec<Session<'_>> = self
            .slots
            .iter()
            .filter(|slot| slot.draft.recurrence.falls_on(day) && !self.cancelled(slot, day))
            .map(|slot| Session { day, slot })
            .collect();
        sessions.sort_by_key(|s| (s.slot.draft.starts, s.slot.draft.ends, s.slot.id));
        sessions
    }

    /// Every session of the month, by day and start time.
    pub fn sessions(&self) -> Vec<Session<'_>> {
        self.month
            .days()
            .flat_map(|day| self.sessions_on(day))
            .collect()
    }

    /// Who is at the bureau on the day of `at`: the sessions on now, and the ones later that day.
    pub fn at_the_bureau(&self, at: NaiveDateTime) -> Today<'_> {
        let (mut now, mut later) = (Vec::new(), Vec::new());
        for session in self.sessions_on(at.date()) {
            if session.starts() > at {
                later.push(session);
            } else if session.ends() > at {
                now.push(session);
            }
        }
        Today { now, later }
    }

    /// What a coordinator should look at: slots with no language, and sessions that share a
    /// room at the same time.
    pub fn flags(&self) -> Vec<Flag> {
        let mut flags: Vec<Flag> = self
            .slots
            .iter()
            .filter(|slot| slot.draft.languages.is_empty())
            .map(|slot| Flag::NoLanguage { slot: slot.id })
            .collect();
        for day in self.month.days() {
            let sessions = self.sessions_on(day);
            for (i, a) in sessions.iter().enumerate() {
                for b in &sessions[i + 1..] {
                    let (sa, sb) = (&a.slot.draft, &b.slot.draft);
                    let same_room = !sa.place.is_empty() && same_place(&sa.place, &sb.place);
                    if same_room && sa.starts < sb.ends && sb.starts < sa.ends {
                        flags.push(Flag::Overlap {
                            day,
                            place: sa.place.clone(),
                            first: a.slot.id.min(b.slot.id),
                            second: a.slot.id.max(b.slot.id),
                        });
                    }
                }
            }
        }
        flags
    }
}

/// Who is at the bureau today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Today<'a> {
    /// Sessions going on now.
    pub now: Vec<Session<'a>>,
    /// Sessions later today, by start.
    pub later: Vec<Session<'a>>,
}

fn same_place(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Something in a month's programme to look at before it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// A slot offers no language.
    NoLanguage {
        /// The slot.
        slot: i64,
    },
    /// Two sessions in one room at overlapping hours.
    Overlap {
        /// The day.
        day: NaiveDate,
        /// The room.
        place: String,
        /// One slot.
        first: i64,
        /// The other.
        second: i64,
    },
}

impl Flag {
    /// Whether the flag concerns `slot`.
    pub fn concerns(&self, slot: i64) -> bool {
        match self {
            Flag::NoLanguage { slot: s } => *s == slot,
            Flag::Overlap { first, second, .. } => *first == slot || *second == slot,
        }
    }
}

/// The first session of `organisation` that starts after `after`, in the programmes given (this
/// month's and the next's).
pub fn next_session<'a>(
    programmes: &'a [Programme],
    organisation: OrganisationId,
    after: NaiveDateTime,
) -> Option<Session<'a>> {
    programmes
        .iter()
        .flat_map(Programme::sessions)
        .filter(|s| s.slot.draft.organisation == organisation && s.starts() > after)
        .min_by_key(|s| s.starts())
}

/// A slot as typed on the programme screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotForm {
    /// The partner.
    pub organisation: Option<OrganisationId>,
    /// The services ticked.
    pub services: Vec<ServiceTypeId>,
    /// 1 Monday … 7 Sunday; None: on the listed dates.
    pub weekday: Option<u8>,
    /// Which weeks of the month, "1 3"; empty: every week.
    pub weeks: String,
    /// The dates, "5.12.2026 19.12.2026" or days of the month "5 19", when weekday is None.
    pub dates: String,
    /// "09:00".
    pub starts: String,
    /// "12:30".
    pub ends: String,
    /// Language codes, "fa ar".
    pub languages: String,
    /// The room.
    pub place: String,
    /// A note.
    pub note: String,
}

/// Reads "9:30" or "09:30".
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

impl SlotForm {
    /// The form filled with a stored slot, for editing.
    pub fn from_slot(slot: &Slot) -> SlotForm {
        let d = &slot.draft;
        let (weekday, weeks, dates) = match &d.recurrence {
            Recurrence::Weekly { weekday, weeks } => (
                Some(u8::try_from(weekday.number_from_monday()).unwrap_or(1)),
                weeks_text(weeks),
                String::new(),
            ),
            Recurrence::Dates(dates) => (
                None,
                String::new(),
                dates
                    .iter()
                    .map(|d| d.day().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        };
        SlotForm {
            organisation: Some(d.organisation),
            services: d.services.clone(),
            weekday,
            weeks,
            dates,
            starts: d.starts.format("%H:%M").to_string(),
            ends: d.ends.format("%H:%M").to_string(),
            languages: d.languages.join(" "),
            place: d.place.clone(),
            note: d.note.clone(),
        }
    }

    /// Checks the form for a slot of `month`; every problem is named with its field.
    pub fn validate(&self, month: Month) -> Result<SlotDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field: &'static str, problem: Problem| {
            errors.push(FieldError { field, problem });
        };
        let organisation = self.organisation;
        if organisation.is_none() {
            problem("organisation", Problem::Required);
        }
        if self.services.is_empty() {
            problem("services", Problem::NoServices);
        }
        let recurrence = match self.weekday {
            Some(n) => match weekday_from_number(n) {
                Some(weekday) => match parse_weeks(&self.weeks) {
                    Some(weeks) => Recurrence::Weekly { weekday, weeks },
                    None => {
                        problem("weeks", Problem::NotANumber);
                        Recurrence::Dates(Vec::new())
                    }
                },
                None => {
                    problem("weekday", Problem::UnknownCode);
                    Recurrence::Dates(Vec::new())
                }
            },
            None => match parse_dates(&self.dates, month) {
                Some(dates) if dates.is_empty() => {
                    problem("dates", Problem::Required);
                    Recurrence::Dates(dates)
                }
                Some(dates) => Recurrence::Dates(dates),
                None => {
                    problem("dates", Problem::OutsideMonth);
                    Recurrence::Dates(Vec::new())
                }
            },
        };
        let starts = parse_time(&self.starts);
        let ends = parse_time(&self.ends);
        if starts.is_none() {
            problem("starts", Problem::BadTime);
        }
        if ends.is_none() {
            problem("ends", Problem::BadTime);
        }
        if let (Some(s), Some(e)) = (starts, ends)
            && e <= s
        {
            problem("ends", Problem::EndsBeforeStart);
        }
        let mut languages: Vec<String> = Vec::new();
        for code in self
            .languages
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|c| !c.is_empty())
        {
            let code = code.to_lowercase();
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
                problem("languages", Problem::UnknownCode);
            } else if !languages.contains(&code) {
                languages.push(code);
            }
        }
        let place = clean_text("place", &self.place, 100, false, &mut errors);
        let note = clean_text("note", &self.note, 300, false, &mut errors);
        match (organisation, starts, ends) {
            (Some(organisation), Some(starts), Some(ends)) if errors.is_empty() => Ok(SlotDraft {
                organisation,
                services: self.services.clone(),
                recurrence,
                starts,
                ends,
                languages,
                place,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// 1 Monday … 7 Sunday.
pub fn weekday_from_number(n: u8) -> Option<Weekday> {
    match n {
        1..=7 => Weekday::try_from(n - 1).ok(),
        _ => None,
    }
}

/// Reads "1 3" (weeks of the month, 1–5); None when a word is not such a number.
pub fn parse_weeks(text: &str) -> Option<Vec<u8>> {
    let mut weeks = Vec::new();
    for word in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let week: u8 = word.parse().ok().filter(|w| (1..=5).contains(w))?;
        if !weeks.contains(&week) {
            weeks.push(week);
        }
    }
    weeks.sort_unstable();
    Some(weeks)
}

/// Reads dates of `month`: full dates (`5.12.2026`, `2026-12-05`) or days of the month (`5 19`).
/// None when one is not a day of that month.
pub fn parse_dates(text: &str, month: Month) -> Option<Vec<NaiveDate>> {
    let mut dates = Vec::new();
    for word in text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
    {
        let date = match word.parse::<u32>() {
            Ok(day) => month.first_day().with_day(day)?,
            Err(_) => parse_date(word).filter(|d| month.contains(*d))?,
        };
        if !dates.contains(&date) {
            dates.push(date);
        }
    }
    dates.sort_unstable();
    Some(dates)
}

/// The slots of `from` as slots of `to`: weekly slots carry over, dated ones (extra sessions)
/// do not, and neither do days off.
pub fn carried_over(from: &[Slot]) -> Vec<SlotDraft> {
    from.iter()
        .filter(|slot| matches!(slot.draft.recurrence, Recurrence::Weekly { .. }))
        .map(|slot| slot.draft.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month() -> Month {
        Month::parse("2026-12").unwrap_or_else(|| panic!("month"))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default()
    }

    fn slot(id: i64, recurrence: Recurrence, hours: (&str, &str), place: &str) -> Slot {
        Slot {
            id,
            month: month(),
            draft: SlotDraft {
                organisation: OrganisationId(id),
                services: vec![ServiceTypeId(1)],
                recurrence,
                starts: parse_time(hours.0).unwrap_or_default(),
                ends: parse_time(hours.1).unwrap_or_default(),
                languages: vec!["fa".into()],
                place: place.into(),
                note: String::new(),
            },
        }
    }

    fn tuesdays(weeks: Vec<u8>) -> Recurrence {
        Recurrence::Weekly {
            weekday: Weekday::Tue,
            weeks,
        }
    }

    #[test]
    fn months_read_and_step() {
        let m = month();
        assert_eq!(m.code(), "2026-12");
        assert_eq!(m.last_day(), day(31));
        assert_eq!(m.next().code(), "2027-01");
        assert_eq!(m.previous().code(), "2026-11");
        assert_eq!(m.days().count(), 31);
        assert_eq!(Month::parse("2026-13"), None);
        assert_eq!(Month::parse("26-12"), None);
    }

    #[test]
    fn a_weekly_slot_falls_on_its_weeks_and_days_off_cancel_it() {
        // December 2026: Tuesdays are the 1st, 8th, 15th, 22nd and 29th.
        let programme = Programme {
            month: month(),
            slots: vec![
                slot(1, tuesdays(vec![]), ("09:00", "12:00"), "Room 1"),
                slot(2, tuesdays(vec![1, 3]), ("10:00", "11:00"), "Room 2"),
                slot(3, Recurrence::Dates(vec![day(9)]), ("14:00", "16:00"), ""),
            ],
            days_off: vec![
                DayOff {
                    id: 1,
                    day: day(8),
                    slot: Some(1),
                    note: String::new(),
                },
                DayOff {
                    id: 2,
                    day: day(29),
                    slot: None,
                    note: "holiday".into(),
                },
            ],
        };
        let days = |id: i64| -> Vec<u32> {
            programme
                .sessions()
                .iter()
                .filter(|s| s.slot.id == id)
                .map(|s| s.day.day())
                .collect()
        };
        assert_eq!(days(1), [1, 15, 22]);
        assert_eq!(days(2), [1, 15]);
        assert_eq!(days(3), [9]);
        assert!(programme.closed_on(day(29)).is_some());
        let first = programme.sessions_on(day(1));
        assert_eq!(
            first.iter().map(|s| s.slot.id).collect::<Vec<_>>(),
            [1, 2],
            "by start time"
        );
    }

    #[test]
    fn overlaps_in_one_room_and_slots_without_language_are_flagged() {
        let mut quiet = slot(3, tuesdays(vec![]), ("11:00", "12:00"), "room 1 ");
        quiet.draft.languages.clear();
        let programme = Programme {
            month: month(),
            slots: vec![
                slot(1, tuesdays(vec![]), ("09:00", "11:00"), "Room 1"),
                slot(2, tuesdays(vec![]), ("10:00", "12:00"), "Room 2"),
                quiet,
                slot(
                    4,
                    Recurrence::Dates(vec![day(1)]),
                    ("10:30", "11:30"),
                    "Room 1",
                ),
            ],
            days_off: Vec::new(),
        };
        let flags = programme.flags();
        assert!(flags.contains(&Flag::NoLanguage { slot: 3 }));
        // Slot 4 meets slot 1 and slot 3 (the same room, whatever the case) on the 1st only;
        // back-to-back sessions (1 ends at 11:00 when 3 starts) do not overlap.
        let overlaps: Vec<(u32, i64, i64)> = flags
            .iter()
            .filter_map(|f| match f {
                Flag::Overlap {
                    day, first, second, ..
                } => Some((day.day(), *first, *second)),
                Flag::NoLanguage { .. } => None,
            })
            .collect();
        assert_eq!(overlaps, [(1, 1, 4), (1, 3, 4)]);
    }

    #[test]
    fn the_next_session_of_a_partner_may_be_next_month() {
        let december = Programme {
            month: month(),
            slots: vec![slot(1, tuesdays(vec![1]), ("09:00", "12:00"), "")],
            days_off: Vec::new(),
        };
        let mut january_slot = slot(1, tuesdays(vec![1]), ("09:00", "12:00"), "");
        january_slot.month = month().next();
        let january = Programme {
            month: month().next(),
            slots: vec![january_slot],
            days_off: Vec::new(),
        };
        let programmes = [december, january];
        let after = day(1).and_hms_opt(9, 30, 0).unwrap_or_default();
        let next = next_session(&programmes, OrganisationId(1), after);
        assert_eq!(
            next.map(|s| s.day),
            NaiveDate::from_ymd_opt(2027, 1, 5),
            "the first Tuesday of January"
        );
        assert!(next_session(&programmes, OrganisationId(2), after).is_none());
    }

    #[test]
    fn the_form_names_each_problem_and_reads_days_of_the_month() {
        let form = SlotForm {
            organisation: Some(OrganisationId(1)),
            services: vec![ServiceTypeId(2)],
            weekday: None,
            dates: "5, 19.12.2026".into(),
            starts: "9:00".into(),
            ends: "12:30".into(),
            languages: "FA, ar".into(),
            ..SlotForm::default()
        };
        let draft = form.validate(month()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(draft.recurrence, Recurrence::Dates(vec![day(5), day(19)]));
        assert_eq!(draft.languages, ["fa", "ar"]);
        let bad = SlotForm {
            dates: "5 40".into(),
            starts: "12:00".into(),
            ends: "11:00".into(),
            languages: "farsi".into(),
            ..SlotForm::default()
        };
        let fields: Vec<&str> = bad
            .validate(month())
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["organisation", "services", "dates", "ends", "languages"]
        );
        let round = SlotForm::from_slot(&Slot {
            id: 1,
            month: month(),
            draft: draft.clone(),
        })
        .validate(month());
        assert_eq!(round, Ok(draft), "a stored slot reads back into its form");
    }

    fn any_recurrence() -> impl proptest::strategy::Strategy<Value = Recurrence> {
        use proptest::prelude::*;
        prop_oneof![
            (1u8..=7, proptest::collection::btree_set(1u8..=5, 0..3)).prop_map(|(n, weeks)| {
                Recurrence::Weekly {
                    weekday: weekday_from_number(n).unwrap_or(Weekday::Mon),
                    weeks: weeks.into_iter().collect(),
                }
            }),
            proptest::collection::btree_set(1u32..=31, 1..4)
                .prop_map(|days| Recurrence::Dates(days.into_iter().map(day).collect())),
        ]
    }

    proptest::proptest! {
        #[test]
        fn week_and_date_lists_never_panic(text in "\\PC{0,30}") {
            let _ = parse_weeks(&text);
            let _ = parse_dates(&text, month());
        }

        #[test]
        fn every_valid_slot_reads_back_from_its_form(
            recurrence in any_recurrence(),
            start in 0u32..(23 * 60),
            length in 1u32..240,
            languages in proptest::collection::vec("[a-z]{2}", 0..4),
            place in "[A-Za-zА-я0-9 ]{0,20}",
        ) {
            let end = (start + length).min(23 * 60 + 59);
            let at = |minutes: u32| NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap_or_default();
            let mut unique: Vec<String> = Vec::new();
            for code in languages {
                if !unique.contains(&code) {
                    unique.push(code);
                }
            }
            let draft = SlotDraft {
                organisation: OrganisationId(1),
                services: vec![ServiceTypeId(2)],
                recurrence,
                starts: at(start),
                ends: at(end),
                languages: unique,
                place: place.trim().to_owned(),
                note: String::new(),
            };
            proptest::prop_assume!(draft.ends > draft.starts);
            let form = SlotForm::from_slot(&Slot { id: 1, month: month(), draft: draft.clone() });
            proptest::prop_assert_eq!(form.validate(month()), Ok(draft));
        }
    }
}
