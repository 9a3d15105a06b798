//! Nothing lost: crash rounds with a killed writer, one desk per file, faults that must be
//! said without losing what was typed or stored.

use std::process::Command;

use bureau_desk::app::session::{Gate, GateStep};
use bureau_desk::single_desk::DeskLock;

use crate::crash::{self, Tally};

/// The writer's side of the crash rounds: this test binary, run again by
/// `killed_writers_lose_no_committed_visit`, writes until it is killed. Run on its own it
/// does nothing.
#[test]
#[ignore = "the child process of the crash rounds"]
fn crash_writer_child() {
    if let Some(path) = std::env::var_os(crash::CHILD_DB) {
        crash::write_until_killed(std::path::Path::new(&path));
    }
}

#[test]
fn killed_writers_lose_no_committed_visit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    let me = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut tally = Tally::default();
    for _ in 0..20 {
        let mut writer = Command::new(&me);
        writer.args([
            "reliability::crash_writer_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ]);
        crash::round(&path, writer, &mut tally);
    }
    assert_eq!(tally.rounds, 20);
    assert!(tally.visits_committed >= 20, "{tally:?}");
    assert!(tally.referrals_committed >= 20, "{tally:?}");
    assert_eq!(
        (
            tally.visits_lost,
            tally.referrals_lost,
            tally.half_written,
            tally.integrity_failures,
            tally.stale_locks
        ),
        (0, 0, 0, 0, 0),
        "{tally:?}"
    );
}

#[test]
fn a_second_desk_on_the_same_file_is_refused_and_a_reader_runs_beside_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    let first = Gate::new(path.clone(), true);
    assert_eq!(first.step, GateStep::SignIn);
    let second = Gate::new(path.clone(), true);
    assert_eq!(second.step, GateStep::Unusable);
    assert_eq!(second.error, Some("sign_in.open_elsewhere"));
    assert!(
        bureau_desk::translate("en", "sign_in.open_elsewhere", &[])
            .contains("already open on this file on this PC")
    );
    let bin = env!("CARGO_BIN_EXE_bureau-desk");
    let run = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .env("BUREAU_DESK_PASSWORD", bureau_desk::demo::DEMO_PASSWORD)
            .env("BUREAU_DESK_NEW_PASSWORD", "a long new password")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let db = path.to_string_lossy().into_owned();
    // A command that changes the file is refused while the desk holds it...
    let add = run(&[
        "staff", "--db", &db, "--staff", "Admin", "add", "Ivo", "--role", "desk",
    ]);
    assert!(!add.status.success());
    let said = String::from_utf8_lossy(&add.stderr);
    assert!(said.contains("already open on"), "{said}");
    // ... one that reads runs beside it.
    let search = run(&["search", "--db", &db, "--staff", "Admin", "a"]);
    assert!(
        search.status.success(),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    // Closed, the desk lets the next one in.
    drop(first);
    drop(second);
    assert!(DeskLock::acquire(&path).is_ok());
}
