//! The command line: which database the desk opens, and the commands that run without a
//! window. Every command on a database signs in as a staff member.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::app::default_slip_languages;
use secrecy::SecretString;

use crate::app::session;
use crate::db::{self, Database, audit, erasure, referrals, settings, staff, visitors};
use crate::demo::{self, DemoOptions};
use crate::domain::Actor;
use crate::domain::figures::{Period, PeriodError};
use crate::domain::programme::Month;
use crate::domain::referrals::{AccompanimentId, ReferralId};
use crate::export;
use crate::export::subject::SubjectFormat;
use crate::output::{self, OutputError, Overwrite};
use crate::single_desk::DeskLock;
use crate::slip::programme::PosterPaper;
use crate::slip::{self, Paper};

/// bureau-desk: the reception desk of a one-stop information and services bureau.
#[derive(Debug, Parser)]
#[command(name = "bureau-desk", version, about)]
pub struct Cli {
    /// Open this database file instead of the default one in the user's data folder.
    #[arg(long, value_name = "FILE", conflicts_with = "demo")]
    pub db: Option<PathBuf>,
    /// Create the file given with --db if it does not exist yet.
    #[arg(long, requires = "db")]
    pub create: bool,
    /// Open a demo database full of invented visitors (generated on first use).
    #[arg(long)]
    pub demo: bool,
    /// A command to run instead of opening the desk.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Commands that run without a window.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Create a new encrypted database with its first administrator, and print the recovery
    /// code once (password from the terminal, or BUREAU_DESK_PASSWORD).
    Init {
        /// The new database file (must not exist).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The first administrator's name.
        #[arg(long, value_name = "NAME")]
        admin: String,
    },
    /// Set a staff member's password: signed in as them, or with the recovery code
    /// (an administrator's reset). The new password comes from the terminal or
    /// BUREAU_DESK_NEW_PASSWORD.
    Password {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Whose password.
        #[arg(long, value_name = "NAME")]
        staff: String,
        /// Open the file with the recovery code (from the terminal or
        /// BUREAU_DESK_RECOVERY_KEY) instead of the current password.
        #[arg(long)]
        recovery_key: bool,
    },
    /// List, add or remove the people who work at the desk (administrators). A new person's
    /// password comes from the terminal or BUREAU_DESK_NEW_PASSWORD.
    Staff {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The administrator signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// What to do.
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Give the database a new key (an administrator): a backup of the old files is made first;
    /// afterwards only this administrator's password and the new recovery code (printed once)
    /// open it, and the others need new passwords (`staff` on the desk's Staff screen).
    Rekey {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The administrator (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
    },
    /// Make a checked, encrypted backup of the database (with its key file) in a folder; older
    /// backups beyond 7 daily, 4 weekly and 12 monthly are removed. Administrators only.
    Backup {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The folder the backup goes to.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
    },
    /// Restore a backup to a new database file (its key file is copied beside it), then sign in
    /// on it and check it.
    Restore {
        /// The backup file (`…-YYYYMMDD-HHMMSS.sqlite`, its `.keys` beside it).
        #[arg(long, value_name = "FILE")]
        backup: PathBuf,
        /// The new database file (must not exist).
        #[arg(long, value_name = "NEW_FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
    },
    /// Write a realistic generated database to a new encrypted file; every staff member's
    /// password is "demo", the administrator is "Admin".
    Demo {
        /// The new database file (must not exist).
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// How many visitors (a year at the bureau's pace by default).
        #[arg(long, default_value_t = demo::VISITORS_PER_YEAR)]
        visitors: usize,
        /// Random seed: the same seed gives the same people.
        #[arg(long, default_value_t = 2021)]
        seed: u64,
    },
    /// Write a referral slip or an accompaniment confirmation as a PDF.
    Slip {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// The referral's id.
        #[arg(
            long,
            value_name = "ID",
            conflicts_with = "accompaniment",
            required_unless_present = "accompaniment"
        )]
        referral: Option<i64>,
        /// The accompaniment's id.
        #[arg(long, value_name = "ID")]
        accompaniment: Option<i64>,
        /// The visitor's side (default: their preferred language).
        #[arg(long, value_name = "LL")]
        lang: Option<String>,
        /// The receiving clerk's side (default: bg).
        #[arg(long, value_name = "LL")]
        second_lang: Option<String>,
        /// Where to write the PDF.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Replace the file given with --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write the month's programme of partners at the bureau as a poster or handout (PDF), in
    /// one language or two side by side.
    Programme {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// Who signs in (else whoever the password is of; from the terminal or
        /// BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// The month.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The language: bg, en, ar, fa, uk, ru or fr.
        #[arg(long, value_name = "LL")]
        lang: String,
        /// A second language, side by side with the first.
        #[arg(long, value_name = "LL")]
        second_lang: Option<String>,
        /// The paper: a4 (handout, or a poster near the desk) or a3 (the wall).
        #[arg(long, value_name = "a4|a3", default_value = "a4")]
        paper: String,
        /// Where to write the PDF.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Replace the file given with --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Export the figures of a period (no names: people appear under pseudonyms).
    Export {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// First month or day, YYYY-MM or YYYY-MM-DD.
        #[arg(
            long,
            value_name = "DATE",
            required_unless_present = "month",
            conflicts_with = "month"
        )]
        from: Option<String>,
        /// Last month or day, YYYY-MM or YYYY-MM-DD.
        #[arg(long, value_name = "DATE", required_unless_present = "month")]
        to: Option<String>,
        /// One calendar month, YYYY-MM (instead of --from and --to).
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// xlsx, csv, json or pdf.
        #[arg(long)]
        format: String,
        /// The file to write (a folder for csv).
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Hide counts from 1 to 4, and as many more as it takes that none can be worked out, in
        /// the xlsx, csv and pdf (on unless "false"); json keeps every count and lists them.
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        mask_small_counts: bool,
        /// Also list the period's visits one by one under pseudonyms (json and csv), with rare
        /// countries of origin as "other" and the month instead of the day.
        #[arg(long)]
        records: bool,
        /// With --records: give each visit's day instead of its month.
        #[arg(long)]
        exact_dates: bool,
        /// List the visits under a new pseudonym key (with --records): once the export is
        /// written, no pseudonym matches an earlier export.
        #[arg(long)]
        rotate_pseudonyms: bool,
        /// Replace the file (or csv folder) given with --out if it exists.
        #[arg(long)]
        force: bool,
        /// Language of the spreadsheet's and the report's headings: bg or en.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Show the desk's settings, or change some: `bureau.phone="+359 2 000 0000"`.
    Settings {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// Settings to change, each KEY=VALUE.
        #[arg(value_name = "KEY=VALUE")]
        changes: Vec<String>,
    },
    /// Check the whole file: SQLite's integrity check, every reference between rows, and the
    /// audit trail's chain of hashes. Exits with 0 only when everything holds. A coordinator or
    /// administrator signs in: named with --staff, or found by their password alone.
    Check {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The coordinator or administrator (password from the terminal or
        /// BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
    },
    /// Write everything the bureau holds about one person (subject access): identity,
    /// consents, visits, referrals, accompaniments and the audit entries about them, as JSON or
    /// as a PDF in their language beside Bulgarian.
    Subject {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// The person's bureau code, e.g. B-000457.
        #[arg(long, value_name = "CODE")]
        visitor: String,
        /// pdf or json.
        #[arg(long)]
        format: String,
        /// The PDF's language beside Bulgarian (bg, en, fr, ar, fa, uk, ru); the person's
        /// preferred language when not given.
        #[arg(long, value_name = "LL")]
        lang: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file given with --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Count the people past the retention limit (`retention.years` after their last visit),
    /// by the year of their last visit; with --apply, anonymise them as an erasure does.
    /// Administrators only.
    Retention {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The administrator (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// Anonymise the people counted.
        #[arg(long)]
        apply: bool,
    },
    /// Bring in the bureau's earlier register (CSV, XLSX or ODS; coordinators and
    /// administrators): one row a visit or a person, Bulgarian or English headings. Prints what
    /// it would bring in; without --dry-run brings it in, all or nothing, once per file.
    Import {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// The register: .csv (any of ; , tab), .xlsx, .xls or .ods.
        #[arg(value_name = "REGISTER")]
        register: PathBuf,
        /// Only count and check: nothing is written to the database.
        #[arg(long)]
        dry_run: bool,
        /// Also write the report as JSON here.
        #[arg(long, value_name = "REPORT.json")]
        report: Option<PathBuf>,
        /// What a column holds, by its heading: date, given_name, family_name, name, country,
        /// nationality, sex, birth, phone, service, organisation, notes, language,
        /// legal_status or ignore.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// What a value the import could not place stands for, e.g. `country:Сирия арабска=SY`
        /// or `service:консулт.=information`.
        #[arg(long = "value", value_name = "FIELD:VALUE=TARGET")]
        values: Vec<String>,
        /// Add the services and organisations the register names and the desk does not know.
        #[arg(long)]
        create_missing: bool,
        /// The encoding of a CSV file (utf-8 or windows-1251), when not the one detected.
        #[arg(long, value_name = "ENCODING")]
        encoding: Option<String>,
        /// One row a visit (visits) or a person (people), when not the one detected.
        #[arg(long, value_name = "visits|people")]
        rows: Option<String>,
        /// Replace the file given with --report if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Search visitors as the desk does, best match first.
    Search {
        /// The database file.
        #[arg(long, value_name = "FILE")]
        db: PathBuf,
        /// The staff member signing in (password from the terminal or BUREAU_DESK_PASSWORD).
        #[arg(long, value_name = "NAME")]
        staff: Option<String>,
        /// Any part of a name (any script), a phone number or a bureau code.
        query: String,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object a line instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// What `bureau-desk staff` does.
#[derive(Debug, Subcommand)]
pub enum StaffAction {
    /// Everyone at the desk: id, name, role.
    List,
    /// Add a person with their own password.
    Add {
        /// Their name, as printed on slips.
        name: String,
        /// desk, coordinator, admin, volunteer or partner.
        #[arg(long)]
        role: String,
        /// A partner's organisation (its id in the directory).
        #[arg(long, value_name = "ID")]
        organisation: Option<i64>,
    },
    /// Remove a person: their password opens nothing from now on.
    Remove {
        /// Their name.
        name: String,
    },
}

/// What the binary should do after the command line was read.
pub enum Outcome {
    /// Open the desk window on the database at this path (the sign-in screen first); `demo`
    /// says it is the demo, whose passwords the sign-in screen may show.
    OpenDesk {
        /// The database file (it may not exist yet: the desk then sets it up).
        path: PathBuf,
        /// It is the demo database.
        demo: bool,
    },
    /// A command ran and printed its result.
    Done,
}

/// The default database file: `bureau-desk.sqlite` in the user's data folder.
pub fn default_database_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("bg", "Sofia One-Stop Bureau", "bureau-desk")
        .map(|dirs| dirs.data_dir().join("bureau-desk.sqlite"))
}

fn demo_database_path() -> Option<PathBuf> {
    default_database_path().map(|p| p.with_file_name("demo.sqlite"))
}

/// Carries out the command line. Errors come back as one sentence for the person.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, String> {
    // A command that changes the file holds its desk lock until it is done.
    let _lock = match cli.command.as_ref().and_then(CliCommand::changes_database) {
        Some(db) => changing(db)?,
        None => None,
    };
    match cli.command {
        Some(CliCommand::Demo { db, visitors, seed }) => {
            let summary = write_demo(&db, visitors, seed)?;
            writeln!(
                out,
                "{}: {} visitors, {} visits",
                db.display(),
                summary.visitors,
                summary.visits
            )
            .map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Export {
            db,
            from,
            to,
            month,
            format,
            out: path,
            mask_small_counts,
            records,
            exact_dates,
            rotate_pseudonyms,
            force,
            lang,
            staff,
        }) => {
            if !crate::UI_LANGUAGES.contains(&lang.as_str()) {
                return Err(format!("'{lang}' is not a report language; use bg or en"));
            }
            let format = export::Format::parse(&format).ok_or_else(|| {
                format!("'{format}' is not an export format; use xlsx, csv, json or pdf")
            })?;
            if rotate_pseudonyms && !(format.lists_records() && records) {
                return Err(db::Error::NoPseudonymsToRotate.to_string());
            }
            if exact_dates && !records {
                return Err("--exact-dates goes with --records, the list of visits".to_owned());
            }
            let period = match (month, from, to) {
                (Some(month), _, _) => Period::parse_month(&month)
                    .map_err(|e| format!("--month '{month}' is not a month: {e}"))?,
                (None, from, to) => {
                    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
                    Period::parse(&from, &to).map_err(|e| match e {
                        PeriodError::Reversed => {
                            format!(
                                "--from {from} comes after --to {to}; give the earlier date first"
                            )
                        }
                        other => format!("'{from}' to '{to}' is not a period: {other}"),
                    })?
                }
            };
            let (database, actor) = signed_in(&db, staff.as_deref())?;
            let figures =
                db::figures::compute(&database, &actor, period).map_err(|e| e.to_string())?;
            let options = export::Options {
                mask_small_counts,
                locale: lang,
                records,
                exact_dates,
                rotate_pseudonyms,
                generated_at: None,
            };
            export::write(
                &database,
                &actor,
                &figures,
                format,
                &path,
                &options,
                overwrite(force),
                chrono::Local::now().naive_local(),
            )
            .map_err(|e| not_written(&path, e))?;
            writeln!(out, "{}", path.display()).map_err(|e| e.to_string())?;
            if rotate_pseudonyms {
                writeln!(
                    out,
                    "New pseudonyms: the people in this export cannot be linked to earlier exports."
                )
                .map_err(|e| e.to_string())?;
            }
            Ok(Outcome::Done)
        }
        Some(CliCommand::Settings { db, staff, changes }) => {
            let (database, actor) = signed_in(&db, staff.as_deref())?;
            for change in &changes {
                let (key, value) = change
                    .split_once('=')
                    .ok_or_else(|| format!("'{change}' is not KEY=VALUE"))?;
                let changed = settings::change(&database, &actor, key.trim(), value, &now_stamp())
                    .map_err(|e| e.to_string())?;
                if !changed {
                    return Err(format!(
                        "'{change}' is not a setting this command changes, or its value does not fit; run without changes to list them"
                    ));
                }
            }
            for (key, purpose) in settings::EDITABLE {
                let value = settings::get(&database, key)
                    .map_err(|e| e.to_string())?
                    .unwrap_or_default();
                writeln!(out, "{key}={value}\t# {purpose}").map_err(|e| e.to_string())?;
            }
            Ok(Outcome::Done)
        }
        Some(CliCommand::Slip {
            db,
            referral,
            accompaniment,
            lang,
            second_lang,
            out: path,
            force,
            staff,
        }) => {
            let (mut database, actor) = signed_in(&db, staff.as_deref())?;
            let now = chrono::Local::now().naive_local();
            let data = match (referral, accompaniment) {
                (Some(id), _) => {
                    referrals::referral_slip(&mut database, &actor, ReferralId(id), now)
                        .map_err(|e| not_found(e, &format!("there is no referral with id {id}")))?
                }
                (None, Some(id)) => referrals::accompaniment_slip(
                    &mut database,
                    &actor,
                    AccompanimentId(id),
                    now,
                )
                .map_err(|e| not_found(e, &format!("there is no accompaniment with id {id}")))?,
                (None, None) => return Err("name a --referral or an --accompaniment".to_owned()),
            };
            let (default_first, default_second) =
                default_slip_languages(data.preferred_language.as_deref());
            let first = lang.unwrap_or(default_first);
            let second = second_lang.unwrap_or(default_second);
            let paper_setting =
                settings::get(&database, settings::SLIP_PAPER).map_err(|e| e.to_string())?;
            let paper = Paper::from_setting(&paper_setting.unwrap_or_default());
            let bytes = slip::render(&data, &first, &second, paper).map_err(|e| e.to_string())?;
            output::write_file(&path, overwrite(force), &database.own_files(), |w| {
                Ok(w.write_all(&bytes)?)
            })
            .map_err(|e| not_written(&path, e.into()))?;
            writeln!(out, "{}", path.display()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Programme {
            db,
            staff,
            month,
            lang,
            second_lang,
            paper,
            out: path,
            force,
        }) => {
            let month = Month::parse(&month)
                .ok_or_else(|| format!("'{month}' is not a month: write it as 2026-12"))?;
            let paper = PosterPaper::parse(&paper)
                .ok_or_else(|| format!("'{paper}' is not a paper size: write a4 or a3"))?;
            let (database, _actor) = named_or_found(
                &db,
                staff.as_deref(),
                crate::domain::access::Permission::SeeIdentity,
            )?;
            let programme = db::programme::month(&database, month).map_err(|e| e.to_string())?;
            let organisations = db::organisations::list(&database).map_err(|e| e.to_string())?;
            let services = db::catalogue::service_types(&database).map_err(|e| e.to_string())?;
            let bureau = settings::bureau(&database).map_err(|e| e.to_string())?;
            let poster = slip::programme::Poster {
                programme: &programme,
                organisations: &organisations,
                services: &services,
                bureau: &bureau,
            };
            let bytes = slip::programme::render(&poster, &lang, second_lang.as_deref(), paper)
                .map_err(|e| e.to_string())?;
            output::write_file(&path, overwrite(force), &database.own_files(), |w| {
                Ok(w.write_all(&bytes)?)
            })
            .map_err(|e| not_written(&path, e.into()))?;
            writeln!(out, "{}", path.display()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Check { db, staff }) => {
            let (database, actor) = named_or_found(
                &db,
                staff.as_deref(),
                crate::domain::access::Permission::AuditTrail,
            )?;
            let health = database.check(&actor).map_err(|e| e.to_string())?;
            write_health(&health, out).map_err(|e| e.to_string())?;
            if !health.holds() {
                return Err(format!(
                    "{} did not pass the check; keep it as it is and restore the latest backup to a new file",
                    db.display()
                ));
            }
            Ok(Outcome::Done)
        }
        Some(CliCommand::Subject {
            db,
            staff,
            visitor,
            format,
            lang,
            out: path,
            force,
        }) => {
            let format = match format.as_str() {
                "pdf" => SubjectFormat::Pdf,
                "json" => SubjectFormat::Json,
                other => return Err(format!("'{other}' is not a format here; use pdf or json")),
            };
            if let Some(lang) = &lang
                && !crate::domain::slips::SLIP_LANGUAGES.contains(&lang.as_str())
            {
                return Err(format!(
                    "'{lang}' is not a language of the copy; use bg, en, fr, ar, fa, uk or ru"
                ));
            }
            let no_one = || format!("nobody is registered with the code '{visitor}'");
            let id = crate::domain::text::parse_visitor_code(&visitor).ok_or_else(no_one)?;
            let (database, actor) = signed_in(&db, staff.as_deref())?;
            export::subject::write_subject(
                &database,
                &actor,
                crate::domain::VisitorId(id),
                format,
                lang.as_deref(),
                &path,
                overwrite(force),
                chrono::Local::now().naive_local(),
            )
            .map_err(|e| match e {
                db::Error::NotFound => no_one(),
                other => not_written(&path, other),
            })?;
            writeln!(out, "{}", path.display()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Import {
            db,
            staff,
            register,
            dry_run,
            report,
            map,
            values,
            create_missing,
            encoding,
            rows,
            force,
        }) => {
            let choices = import_choices(&map, &values, rows.as_deref(), create_missing)?;
            let encoding = match encoding.as_deref() {
                None => None,
                Some(name) => Some(crate::import::Encoding::from_name(name).ok_or_else(|| {
                    format!("'{name}' is not an encoding here; use utf-8 or windows-1251")
                })?),
            };
            if report.as_deref() == Some(register.as_path()) {
                return Err("the report cannot be written over the register".to_owned());
            }
            let table =
                crate::import::read_register(&register, encoding).map_err(|e| e.to_string())?;
            let (mut database, actor) = signed_in(&db, staff.as_deref())?;
            let outcome = db::imports::run(
                &mut database,
                &actor,
                &table,
                &choices,
                dry_run,
                chrono::Local::now().naive_local(),
            )
            .map_err(|e| e.to_string())?;
            if let Some(path) = &report {
                let own = database.own_files();
                output::write_file(path, overwrite(force), &own, |w| {
                    serde_json::to_writer_pretty(w, &outcome)
                        .map_err(|e| OutputError::Writer(e.to_string()))
                })
                .map_err(|e| not_written(path, e.into()))?;
            }
            print_import(&outcome, dry_run, out).map_err(|e| e.to_string())?;
            match &outcome.refused {
                Some(refusal) => Err(format!("nothing was imported: {refusal}")),
                None => Ok(Outcome::Done),
            }
        }
        Some(CliCommand::Retention { db, staff, apply }) => {
            let (mut database, actor) = signed_in(&db, staff.as_deref())?;
            retention(&mut database, &actor, apply, out)?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Search {
            db,
            query,
            limit,
            json,
            staff,
        }) => {
            let (database, actor) = signed_in(&db, staff.as_deref())?;
            search(&database, &actor, &query, limit, json, out)?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Staff { db, staff, action }) => {
            let (mut database, actor) = signed_in(&db, staff.as_deref())?;
            match action {
                StaffAction::List => {
                    for member in staff::list(&database).map_err(|e| e.to_string())? {
                        writeln!(
                            out,
                            "{}\t{}\t{}",
                            member.id.0,
                            member.display_name,
                            member.role.code()
                        )
                        .map_err(|e| e.to_string())?;
                    }
                }
                StaffAction::Add {
                    name,
                    role,
                    organisation,
                } => {
                    let role = crate::domain::Role::from_code(&role).ok_or_else(|| {
                        format!("'{role}' is not a role; use desk, coordinator, admin, volunteer or partner")
                    })?;
                    let password = new_password("BUREAU_DESK_NEW_PASSWORD")?;
                    let now = crate::domain::format_stamp(chrono::Local::now().naive_local());
                    let member = session::NewMember {
                        name: &name,
                        role,
                        organisation: organisation.map(crate::domain::OrganisationId),
                    };
                    let added = session::add_staff(
                        &mut database,
                        &actor,
                        &member,
                        &password,
                        &password,
                        &now,
                    )
                    .map_err(|e| e.to_string())?;
                    writeln!(
                        out,
                        "{}\t{}\t{}",
                        added.id.0,
                        added.display_name,
                        role.code()
                    )
                    .map_err(|e| e.to_string())?;
                }
                StaffAction::Remove { name } => {
                    let member = staff::named(&database, &name)
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| format!("nobody called '{name}' works at this desk"))?;
                    session::remove_staff(&database, &actor, &member, &now_stamp())
                        .map_err(|e| e.to_string())?;
                    writeln!(
                        out,
                        "{} no longer opens this database.",
                        member.display_name
                    )
                    .map_err(|e| e.to_string())?;
                }
            }
            Ok(Outcome::Done)
        }
        Some(CliCommand::Rekey { db, staff }) => {
            let name = staff.ok_or("name the administrator with --staff NAME")?;
            let password = secret_from("BUREAU_DESK_PASSWORD", &format!("Password of {name}: "))?;
            let signed_in = session::sign_in(&db, &name, &password).map_err(|e| e.to_string())?;
            let folder = db::backup::folder_of(&signed_in.database).map_err(|e| e.to_string())?;
            let admin = signed_in.staff;
            let (_, code) = session::rekey(
                signed_in.database,
                &admin,
                &password,
                &folder,
                chrono::Local::now().naive_local(),
            )
            .map_err(|e| e.to_string())?;
            writeln!(
                out,
                "{}: a new database key. Only {} and the new recovery code open it now; \
                 give everyone else a new password on the Staff screen.\n\
                 New recovery code (shown only now; the old one no longer works):\n\n    {}\n",
                db.display(),
                admin.display_name,
                code.expose()
            )
            .map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Backup {
            db,
            out: folder,
            staff,
        }) => {
            let (database, actor) = signed_in(&db, staff.as_deref())?;
            let backup = db::backup::write_as(
                &database,
                &actor,
                &folder,
                chrono::Local::now().naive_local(),
            )
            .map_err(|e| format!("no backup was made in {}: {e}", folder.display()))?;
            writeln!(out, "{}", backup.path.display()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Restore { backup, db, staff }) => {
            db::backup::restore(&backup, &db).map_err(|e| e.to_string())?;
            // Both files are opened without a trace, to compare them as they are; only then
            // does the restored file record who restored it.
            let checked = opened(&db, staff.as_deref()).and_then(|(restored, actor)| {
                let (original, _) = opened(&backup, staff.as_deref())?;
                restored
                    .verify_against(&original)
                    .map_err(|e| e.to_string())?;
                drop(original);
                audit::record_event(&restored, &actor, audit::Action::Restore, &now_stamp())
                    .map_err(|e| e.to_string())
            });
            if let Err(error) = checked {
                return Err(format!(
                    "{} was restored but does not check out ({error}); keep the backup",
                    db.display()
                ));
            }
            writeln!(out, "{}: restored and checked", db.display()).map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Init { db, admin }) => {
            let password = new_password("BUREAU_DESK_PASSWORD")?;
            let now = crate::domain::format_stamp(chrono::Local::now().naive_local());
            let set_up = session::create(&db, &admin, &password, &password, &now)
                .map_err(|e| e.to_string())?;
            writeln!(
                out,
                "{}: a new encrypted database; {} is its administrator.\n\
                 Recovery code (shown only now; print it and keep it in the bureau's safe):\n\n    {}\n",
                db.display(),
                set_up.signed_in.staff.display_name,
                set_up.recovery.expose()
            )
            .map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        Some(CliCommand::Password {
            db,
            staff,
            recovery_key,
        }) => {
            let (database, member) = if recovery_key {
                let code = secret_from("BUREAU_DESK_RECOVERY_KEY", "Recovery code: ")?;
                let database =
                    session::open_with_recovery(&db, &code).map_err(|e| e.to_string())?;
                let member = staff::named(&database, &staff)
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("nobody called '{staff}' works at this desk"))?;
                (database, member)
            } else {
                let password = secret_from("BUREAU_DESK_PASSWORD", "Current password: ")?;
                let signed_in =
                    session::sign_in(&db, &staff, &password).map_err(|e| e.to_string())?;
                (signed_in.database, signed_in.staff)
            };
            let new = new_password("BUREAU_DESK_NEW_PASSWORD")?;
            session::set_password(
                &database,
                &member.actor(),
                &member,
                (&new, &new),
                &now_stamp(),
            )
            .map_err(|e| e.to_string())?;
            writeln!(out, "The password of {} is changed.", member.display_name)
                .map_err(|e| e.to_string())?;
            Ok(Outcome::Done)
        }
        None => {
            let (path, demo) = if cli.demo {
                let path = demo_database_path().ok_or("no data folder is known for this user")?;
                // A demo from before encryption is put aside, not deleted: the new demo's
                // passwords are the ones the README gives.
                if Database::is_plain_file(&path) {
                    let aside = path.with_extension("sqlite.unencrypted");
                    std::fs::rename(&path, &aside).map_err(|e| e.to_string())?;
                    writeln!(
                        out,
                        "The old demo database (not encrypted) is now {}; a new one is made.",
                        aside.display()
                    )
                    .map_err(|e| e.to_string())?;
                }
                if !path.exists() {
                    write_demo(&path, demo::VISITORS_PER_YEAR, 2021)?;
                }
                (path, true)
            } else if let Some(path) = cli.db {
                if !path.exists() && !cli.create {
                    return Err(format!(
                        "there is no database at {}; add --create to start a new database there",
                        path.display()
                    ));
                }
                (path, false)
            } else {
                let path =
                    default_database_path().ok_or("no data folder is known for this user")?;
                (path, false)
            };
            if path.exists() && !path.is_file() {
                return Err(format!("{} is not a database file", path.display()));
            }
            Ok(Outcome::OpenDesk { path, demo })
        }
    }
}

impl CliCommand {
    /// The database file this command changes, whose desk lock it holds while it runs;
    /// `None` for a command that only reads (those run beside an open desk).
    fn changes_database(&self) -> Option<&Path> {
        match self {
            CliCommand::Demo { db, .. }
            | CliCommand::Rekey { db, .. }
            | CliCommand::Restore { db, .. }
            | CliCommand::Init { db, .. }
            | CliCommand::Password { db, .. } => Some(db),
            CliCommand::Settings { db, changes, .. } if !changes.is_empty() => Some(db),
            CliCommand::Retention {
                db, apply: true, ..
            } => Some(db),
            CliCommand::Staff { db, action, .. } if !matches!(action, StaffAction::List) => {
                Some(db)
            }
            _ => None,
        }
    }
}

/// The desk lock on `path`, for a command that changes the database: refused while a desk
/// (or another such command) has the file open. Where even the folder is missing, no desk can
/// have it open: the command goes on and says what is missing, or makes it.
fn changing(path: &Path) -> Result<Option<DeskLock>, String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Ok(None);
    }
    DeskLock::acquire(path).map(Some).map_err(|e| e.to_string())
}

/// Signs in on `path` as `staff` (the password from `BUREAU_DESK_PASSWORD` or the terminal)
/// and records the sign-in in its audit trail.
fn signed_in(path: &Path, staff: Option<&str>) -> Result<(Database, Actor), String> {
    let (database, actor) = opened(path, staff)?;
    recorded_sign_in(database, actor)
}

/// Signs in as `staff` when named, else as whoever the password opens the file for among those
/// who may do `permission`; the sign-in is recorded either way.
fn named_or_found(
    path: &Path,
    staff: Option<&str>,
    permission: crate::domain::access::Permission,
) -> Result<(Database, Actor), String> {
    if staff.is_some() {
        return signed_in(path, staff);
    }
    refuse_plain(path)?;
    let password = secret_from("BUREAU_DESK_PASSWORD", "Password: ")?;
    let signed_in =
        session::sign_in_whoever(path, &password, permission).map_err(|e| e.to_string())?;
    let actor = signed_in.staff.actor();
    recorded_sign_in(signed_in.database, actor)
}

/// Records in the audit trail that `actor` signed in on `database`.
fn recorded_sign_in(database: Database, actor: Actor) -> Result<(Database, Actor), String> {
    audit::record_event(&database, &actor, audit::Action::SignIn, &now_stamp())
        .map_err(|e| e.to_string())?;
    Ok((database, actor))
}

/// Now, as the audit trail writes it.
fn now_stamp() -> String {
    crate::domain::format_stamp(chrono::Local::now().naive_local())
}

/// What `check` found, a line for each part.
fn write_health(health: &db::Health, out: &mut dyn Write) -> std::io::Result<()> {
    if health.integrity.is_empty() {
        writeln!(out, "integrity_check: ok")?;
    } else {
        for line in &health.integrity {
            writeln!(out, "integrity_check: {line}")?;
        }
    }
    match health.broken_references {
        0 => writeln!(out, "foreign_key_check: ok")?,
        n => writeln!(
            out,
            "foreign_key_check: {n} rows refer to rows that are not there"
        )?,
    }
    let chain = &health.chain;
    match chain.first_broken {
        None => writeln!(
            out,
            "audit trail: {} entries, chain intact, last hash {}",
            chain.rows, chain.head
        )?,
        Some(id) => writeln!(
            out,
            "audit trail: {} entries, chain broken at entry {id}: it or the one before it was changed, removed or added outside the desk",
            chain.rows
        )?,
    }
    writeln!(
        out,
        "{}",
        if health.holds() {
            "everything holds"
        } else {
            "PROBLEMS FOUND"
        }
    )
}

/// Refuses a missing file or a plain one (the desk encrypts those on first start).
fn refuse_plain(path: &Path) -> Result<(), String> {
    if !path.exists() {
        return Err(format!("there is no database at {}", path.display()));
    }
    if Database::is_plain_file(path) {
        return Err(session::SessionError::NotEncrypted(path.to_owned()).to_string());
    }
    Ok(())
}

/// Opens `path` signed in as `staff` without writing anything to it.
fn opened(path: &Path, staff: Option<&str>) -> Result<(Database, Actor), String> {
    refuse_plain(path)?;
    let name = staff.ok_or(
        "name who signs in with --staff NAME (the password is read from the terminal or BUREAU_DESK_PASSWORD)",
    )?;
    let password = secret_from("BUREAU_DESK_PASSWORD", &format!("Password of {name}: "))?;
    let signed_in = session::sign_in(path, name, &password).map_err(|e| match e {
        session::SessionError::Database(db::Error::NotADatabase(_)) => format!(
            "{} could not be opened as a bureau-desk database",
            path.display()
        ),
        other => other.to_string(),
    })?;
    let actor = signed_in.staff.actor();
    Ok((signed_in.database, actor))
}

/// A secret from an environment variable (for scripts), else typed at the terminal unseen.
fn secret_from(variable: &str, prompt: &str) -> Result<SecretString, String> {
    if let Ok(value) = std::env::var(variable) {
        return Ok(SecretString::from(value));
    }
    rpassword::prompt_password(prompt)
        .map(SecretString::from)
        .map_err(|_| format!("no terminal to type it in: set {variable} for scripts"))
}

/// A new password: from the environment variable, or typed twice at the terminal.
fn new_password(variable: &str) -> Result<SecretString, String> {
    use secrecy::ExposeSecret;
    if let Ok(value) = std::env::var(variable) {
        let password = SecretString::from(value);
        crate::keys::check_strength(&password).map_err(|e| e.to_string())?;
        return Ok(password);
    }
    let first = secret_from(variable, "New password (10 characters or 4 words): ")?;
    let again = secret_from(variable, "The new password again: ")?;
    if first.expose_secret() != again.expose_secret() {
        return Err(session::SessionError::Mismatch.to_string());
    }
    crate::keys::check_strength(&first).map_err(|e| e.to_string())?;
    Ok(first)
}

fn write_demo(path: &Path, visitors: usize, seed: u64) -> Result<demo::DemoSummary, String> {
    if path.exists() {
        return Err(format!(
            "{} already exists; the demo writes a new file",
            path.display()
        ));
    }
    let today = chrono::Local::now().date_naive();
    session::create_demo(
        path,
        DemoOptions {
            visitors,
            seed,
            today,
        },
    )
    .map_err(|e| e.to_string())
}

fn overwrite(force: bool) -> Overwrite {
    if force {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    }
}

/// The import's choices from the command line's words.
fn import_choices(
    map: &[String],
    values: &[String],
    rows: Option<&str>,
    create_missing: bool,
) -> Result<crate::import::Choices, String> {
    use crate::domain::import::{Field, Shape};
    let field = |code: &str| {
        Field::from_code(code).ok_or_else(|| {
            let all: Vec<&str> = Field::ALL.iter().map(|f| f.code()).collect();
            format!("'{code}' is not a field; use one of {}", all.join(", "))
        })
    };
    let map = map
        .iter()
        .map(|m| {
            let (column, code) = m
                .rsplit_once('=')
                .ok_or_else(|| format!("--map {m}: write it as COLUMN=FIELD"))?;
            Ok((column.trim().to_owned(), field(code)?))
        })
        .collect::<Result<_, String>>()?;
    let values = values
        .iter()
        .map(|v| {
            let (code, rest) = v
                .split_once(':')
                .ok_or_else(|| format!("--value {v}: write it as FIELD:VALUE=TARGET"))?;
            let (value, target) = rest
                .rsplit_once('=')
                .ok_or_else(|| format!("--value {v}: write it as FIELD:VALUE=TARGET"))?;
            Ok((field(code)?, value.to_owned(), target.to_owned()))
        })
        .collect::<Result<_, String>>()?;
    let shape = match rows {
        None => None,
        Some("visits") => Some(Shape::Visits),
        Some("people") => Some(Shape::People),
        Some(other) => return Err(format!("--rows {other}: use visits or people")),
    };
    Ok(crate::import::Choices {
        map,
        shape,
        create_missing,
        values,
    })
}

/// What an import brought in, or would: the counts, the rows left out, the values to place.
fn print_import(
    outcome: &db::imports::Outcome,
    dry_run: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let r = &outcome.report;
    let verb = if r.imported {
        "imported"
    } else if dry_run {
        "would import"
    } else {
        "not imported"
    };
    writeln!(
        out,
        "{verb}: {} rows; people: {} new, {} already in the desk, {} to review; {} visits with {} services; {} rows rejected",
        r.rows,
        r.people_new,
        r.people_existing,
        r.people_to_review,
        r.visits,
        r.services,
        r.rejected.len()
    )?;
    for column in &r.columns {
        writeln!(
            out,
            "column '{}' → {} ({})",
            column.heading,
            column.field.code(),
            column.samples.join(" | ")
        )?;
    }
    for (month, visits) in &r.visits_by_month {
        writeln!(out, "{month}: {visits} visits")?;
    }
    for rejected in &r.rejected {
        writeln!(out, "line {}: {}", rejected.line, rejected.reason)?;
    }
    for value in &r.unplaced_values {
        writeln!(
            out,
            "not placed: {} '{}' ({} rows) — --value {}:{}=…",
            value.column,
            value.value,
            value.rows,
            value.field.code(),
            value.value
        )?;
    }
    for review in &r.review {
        let lines: Vec<String> = review.lines.iter().map(usize::to_string).collect();
        writeln!(
            out,
            "to review (may be one person): lines {} {}",
            lines.join(", "),
            review.codes.join(" ")
        )?;
    }
    for created in &r.created {
        writeln!(out, "added {created}")?;
    }
    Ok(())
}

/// The sentence for an output that was not written.
fn not_written(path: &Path, error: db::Error) -> String {
    match error {
        db::Error::Output(OutputError::Exists(_)) => format!(
            "{} already exists; add --force to replace it",
            path.display()
        ),
        db::Error::Output(OutputError::OwnFile(_)) => format!(
            "{} is one of the desk's own files (its database, key file or backups); nothing was written, choose another name",
            path.display()
        ),
        db::Error::NoPseudonymsToRotate => error.to_string(),
        other => format!("{} could not be written: {other}", path.display()),
    }
}

fn not_found(error: db::Error, sentence: &str) -> String {
    match error {
        db::Error::NotFound => sentence.to_owned(),
        other => other.to_string(),
    }
}

/// The retention review on the terminal, and the run with `apply`.
fn retention(
    database: &mut Database,
    actor: &Actor,
    apply: bool,
    out: &mut dyn Write,
) -> Result<(), String> {
    let now = chrono::Local::now().naive_local();
    let years = settings::retention_years(database).map_err(|e| e.to_string())?;
    let review = erasure::review(database, actor, now.date(), years).map_err(|e| e.to_string())?;
    let say =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(|e| e.to_string());
    say(
        out,
        format!(
            "retention: {years} years after the last visit (people last seen before {})",
            review.before
        ),
    )?;
    for (year, people) in &review.by_year {
        say(out, format!("last visit in {year}: {people}"))?;
    }
    say(out, format!("past the limit: {}", review.total()))?;
    if apply {
        let done =
            erasure::apply(database, actor, now.date(), years, now).map_err(|e| e.to_string())?;
        say(out, format!("anonymised: {done}"))?;
    } else if review.total() > 0 {
        say(out, "run again with --apply to anonymise them".to_owned())?;
    }
    Ok(())
}

fn search(
    database: &Database,
    actor: &Actor,
    query: &str,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), String> {
    let hits = visitors::search(database, actor, query, limit).map_err(|e| e.to_string())?;
    audit::record_search(
        database,
        actor,
        query.trim().chars().count(),
        hits.len(),
        &now_stamp(),
    )
    .map_err(|e| e.to_string())?;
    for hit in hits {
        let line = if json {
            serde_json::json!({
                "id": hit.id.0,
                "code": hit.code,
                "given_name": hit.given_name,
                "family_name": hit.family_name,
                "latin_name": hit.latin_name,
                "country_of_origin": hit.country_of_origin,
                "score": (hit.score * 1000.0).round() / 1000.0,
            })
            .to_string()
        } else {
            format!(
                "{}\t{} {}\t{}\t{:.3}",
                hit.code, hit.given_name, hit.family_name, hit.latin_name, hit.score
            )
        };
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}
