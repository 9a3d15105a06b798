//! Which backups to keep: the newest of each of the last 7 days that have one, of the last 4
//! ISO weeks and of the last 12 months (grandfather–father–son). A backup kept for one rule is
//! not counted again by the others' buckets, so at most 7 + 4 + 12 are kept.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDateTime};

/// Daily backups kept.
pub const DAILY: usize = 7;
/// Weekly backups kept.
pub const WEEKLY: usize = 4;
/// Monthly backups kept.
pub const MONTHLY: usize = 12;

/// For each backup time (any order), whether it is kept.
pub fn to_keep(times: &[NaiveDateTime]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|a, b| times[*b].cmp(&times[*a]));
    let mut keep = vec![false; times.len()];
    let mut days = BTreeSet::new();
    let mut weeks = BTreeSet::new();
    let mut months = BTreeSet::new();
    for index in order {
        let at = times[index];
        let day = at.date();
        let week = (day.iso_week().year(), day.iso_week().week());
        let month = (day.year(), day.month());
        // Newest first: the first backup seen in a bucket is that bucket's newest.
        if days.len() < DAILY && days.insert(day) {
            keep[index] = true;
        }
        if weeks.len() < WEEKLY && weeks.insert(week) {
            keep[index] = true;
        }
        if months.len() < MONTHLY && months.insert(month) {
            keep[index] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(days_ago: i64, hour: u32) -> NaiveDateTime {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        (today - chrono::Days::new(days_ago as u64))
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
    }

    #[test]
    fn a_year_of_daily_backups_keeps_7_days_4_weeks_12_months() {
        // Two backups a day (morning and evening) for 400 days.
        let times: Vec<NaiveDateTime> = (0..400).flat_map(|d| [at(d, 9), at(d, 18)]).collect();
        let keep = to_keep(&times);
        let kept: Vec<NaiveDateTime> = times
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(t, _)| *t)
            .collect();
        // The last seven days, each by its evening backup.
        for d in 0..7 {
            assert!(kept.contains(&at(d, 18)), "day {d}");
            assert!(!kept.contains(&at(d, 9)), "only the newest of day {d}");
        }
        let weeks: BTreeSet<_> = kept
            .iter()
            .map(|t| (t.iso_week().year(), t.iso_week().week()))
            .collect();
        let months: BTreeSet<_> = kept.iter().map(|t| (t.year(), t.month())).collect();
        assert!(weeks.len() >= WEEKLY);
        assert_eq!(months.len(), MONTHLY);
        assert!(kept.len() <= DAILY + WEEKLY + MONTHLY, "{}", kept.len());
        assert!(
            kept.iter().all(|t| *t >= at(365, 0)),
            "nothing older than a year"
        );
    }

    proptest! {
        #[test]
        fn the_newest_is_always_kept_and_never_more_than_23(
            days in proptest::collection::vec((0i64..800, 0u32..24), 1..120)
        ) {
            let times: Vec<NaiveDateTime> = days.iter().map(|(d, h)| at(*d, *h)).collect();
            let keep = to_keep(&times);
            // Backups at the same second are one file on disk; one of them is kept.
            let newest = times.iter().max().copied();
            prop_assert!(times.iter().zip(&keep).any(|(t, k)| *k && Some(*t) == newest));
            prop_assert!(keep.iter().filter(|k| **k).count() <= DAILY + WEEKLY + MONTHLY);
        }
    }
}
