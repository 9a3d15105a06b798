//! Typed dates, stored time stamps and report period bounds: no panic, and a date that reads
//! prints back to the same day.
#![no_main]

use bureau_desk::domain::figures::Period;
use bureau_desk::domain::{format_date, parse_date, parse_stamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(day) = parse_date(text) {
        for locale in ["bg", "en"] {
            assert_eq!(parse_date(&format_date(day, locale)), Some(day));
        }
    }
    let _ = parse_stamp(text);
    let (from, to) = text.split_once('/').unwrap_or((text, text));
    if let Ok(period) = Period::parse(from, to) {
        assert!(period.from <= period.to);
    }
    let _ = Period::parse_month(text);
});
