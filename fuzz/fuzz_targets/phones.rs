//! Phone numbers and bureau codes as typed: no panic; the digits kept are digits, and a code
//! that reads prints back as the same code.
#![no_main]

use bureau_desk::domain::text::{parse_visitor_code, phone_digits, visitor_code};
use bureau_desk::domain::visitors::VisitorDraft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert!(phone_digits(text).chars().all(|c| c.is_ascii_digit()));
    if let Some(id) = parse_visitor_code(text) {
        assert_eq!(parse_visitor_code(&visitor_code(id)), Some(id));
    }
    let draft = VisitorDraft {
        given_name: "Иван".into(),
        phone: text.into(),
        ..VisitorDraft::default()
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let _ = draft.validate(today);
});
