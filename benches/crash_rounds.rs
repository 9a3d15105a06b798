//! Crash rounds at scale: `cargo bench --bench crash_rounds [-- ROUNDS]` (100 by default)
//! kills a writer that many times and writes the tally into `docs/reliability.md`.

#[path = "../tests/crash/mod.rs"]
mod crash;

use std::path::Path;
use std::process::Command;

const BEGIN: &str = "<!-- crash-rounds:begin -->";
const END: &str = "<!-- crash-rounds:end -->";

fn main() {
    if let Some(path) = std::env::var_os(crash::CHILD_DB) {
        crash::write_until_killed(Path::new(&path));
        return;
    }
    // `cargo bench` passes `--bench`; the first number is the count of rounds.
    let rounds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bureau.sqlite");
    crash::prepare(&path);
    let me = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut tally = crash::Tally::default();
    for _ in 0..rounds {
        crash::round(&path, Command::new(&me), &mut tally);
    }
    // Imports killed at a random moment: each on a fresh copy of a prepared file.
    let prepared = dir.path().join("prepared.sqlite");
    crash::prepare(&prepared);
    let register = dir.path().join("register.csv");
    std::fs::write(&register, crash::register_csv(3_000)).unwrap_or_else(|e| panic!("{e}"));
    let (adds, took) = crash::full_import(&prepared, &register, dir.path());
    let mut imports = crash::ImportTally::default();
    for _ in 0..rounds / 2 {
        crash::import_round(
            &prepared,
            &register,
            adds,
            took + took / 5,
            dir.path(),
            &mut imports,
        );
    }
    let report = format!(
        "{BEGIN}\n\
         Last run: {date}, `cargo bench --bench crash_rounds -- {rounds}` (writer killed with SIGKILL \
         at a random moment after its first commit, in each round).\n\n\
         | rounds | visits committed | visits lost | referrals with slip committed | referrals lost | half-written rows | integrity failures | stale locks |\n\
         |---|---|---|---|---|---|---|---|\n\
         | {} | {} | {} | {} | {} | {} | {} | {} |\n\n\
         Imports of a {import_rows}-row register ({adds} visits, {took:.1?} from start to exit) killed \
         at a random moment within that time and a fifth more, each on a fresh copy of the file:\n\n\
         | rounds | whole register there | none of it there | part of it there | integrity failures | stale locks |\n\
         |---|---|---|---|---|---|\n\
         | {} | {} | {} | {} | {} | {} |\n\
         {END}",
        tally.rounds,
        tally.visits_committed,
        tally.visits_lost,
        tally.referrals_committed,
        tally.referrals_lost,
        tally.half_written,
        tally.integrity_failures,
        tally.stale_locks,
        imports.rounds,
        imports.whole,
        imports.none,
        imports.partial,
        imports.integrity_failures,
        imports.stale_locks,
        date = chrono::Local::now().format("%Y-%m-%d"),
        import_rows = 3_000,
    );
    println!("{report}");
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reliability.md");
    let text = std::fs::read_to_string(&doc).unwrap_or_default();
    let updated = match (text.find(BEGIN), text.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!("{}{report}{}", &text[..start], &text[end + END.len()..])
        }
        _ => format!("{text}\n{report}\n"),
    };
    std::fs::write(&doc, updated).unwrap_or_else(|e| panic!("{e}"));
    let lost = tally.visits_lost + tally.referrals_lost + tally.half_written;
    let import_harm = imports.partial + imports.integrity_failures + imports.stale_locks;
    if lost + tally.integrity_failures + tally.stale_locks + import_harm > 0 {
        eprintln!("crash rounds lost data: {tally:?} {imports:?}");
        std::process::exit(1);
    }
}
