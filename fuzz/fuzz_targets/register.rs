//! A register's bytes as a CSV (any encoding, separator, quoting): reading and planning never
//! panic, and every row read is either placed in the plan or left out with its line.
#![no_main]

use bureau_desk::domain::import::Lists;
use bureau_desk::import::{Choices, plan, read_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(table) = read_csv(data, None) else {
        return;
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
    let (_, report) = plan(&table, &Choices::default(), &Lists::default(), &[], (1, today));
    assert!(report.rejected.len() <= report.rows);
    assert!(report.rows <= table.rows.len());
});
