//! The desk's state and the commands that change it. The screens draw this state and push
//! `Command`s; `Desk::run` carries them out after the frame and refreshes what the screens show,
//! so no query ever runs while drawing. Nothing here knows about egui. The commands of each
//! area live in a module of their own.

mod accounts;
mod audit_trail;
mod backups;
mod corrections;
mod damaged;
mod drafts;
mod households;
mod lock;
mod merges;
mod outcomes;
mod programme;
mod register_import;
mod reports;
pub mod session;

pub use accounts::{RekeyForm, StaffForm};
pub use audit_trail::{AUDIT_LIMIT, AuditScreen};
pub use backups::{BackupState, BackupsScreen};
pub use corrections::{VisitorEdit, VoidForm};
pub use households::{FamilyLinkForm, FamilyOf, PresentMember};
pub use lock::LockForm;
pub use merges::MergeForm;
pub use outcomes::UNDO_FOR;
pub use programme::{DayOffForm, ProgrammeScreen, ProgrammeView, SlotEditor};
pub use register_import::ImportScreen;
mod rights;
pub use rights::{EraseForm, RightsForm};
mod slips;

use std::path::{Path, PathBuf};

use chrono::{Days, Local, NaiveDateTime};

use crate::db::{
    self, Database, audit, catalogue, consents, organisations, referrals, settings, staff,
    visitors, visits,
};
use crate::domain::access::Permission;
use crate::domain::referrals::{
    Accompaniment, AccompanimentDraft, AccompanimentId, AccompanimentStatus, Referral,
    ReferralDraft, ReferralId, ReferralStatus,
};
use crate::domain::slips::SLIP_LANGUAGES;
use crate::domain::{
    Actor, ConsentRecord, ConsentScope, FieldError, Organisation, OrganisationDraft,
    OrganisationId, ServiceLine, ServiceType, Staff, StaffId, Visit, VisitDraft, VisitId, Visitor,
    VisitorDraft, VisitorId, VisitorSummary, format_date,
};
use crate::output::Overwrite;
use crate::slip::Paper;

/// The screens of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Search, the visitor card and the day.
    Desk,
    /// Register a new visitor.
    VisitorForm,
    /// Correct a registered visitor's record.
    EditVisitor,
    /// Log a visit.
    VisitForm,
    /// Issue a referral from a visit.
    ReferralForm,
    /// Book an accompaniment from a visit.
    AccompanimentForm,
    /// The organisations the bureau works with.
    Directory,
    /// The coming week's accompaniments.
    Week,
    /// The visitor's own feedback screen (handed over; no staff data shown).
    Feedback,
    /// The figures of a period, with exports.
    Reports,
    /// Locked: nothing personal shown until someone signs in.
    Locked,
    /// The people who work at the desk (administrators).
    Staff,
    /// The backups, and restoring one (administrators).
    Backups,
    /// The audit trail (coordinators and administrators).
    Audit,
    /// Two registrations of one person side by side, to merge them.
    Merge,
    /// Bringing in an earlier register (coordinators and administrators).
    Import,
    /// The month's programme of partners at the bureau.
    Programme,
}

/// Which slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipTarget {
    /// A referral slip.
    Referral(ReferralId),
    /// An accompaniment confirmation.
    Accompaniment(AccompanimentId),
}

/// What the system's file dialog is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFor {
    /// The folder exports go to.
    ExportFolder,
    /// Where to save this slip.
    Slip(SlipTarget),
    /// The register to import.
    Register,
}

/// A file dialog the desk wants opened: for what, in which folder, with which file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRequest {
    /// What the answer is for.
    pub purpose: PathFor,
    /// The folder the dialog starts in.
    pub folder: PathBuf,
    /// The file name offered, when a file is asked for.
    pub file_name: Option<String>,
}

/// Every user action, one variant each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Sign out: the desk closes the database and the sign-in screen comes back.
    SignOut,
    /// Lock the desk (Ctrl+L, or after the idle time).
    Lock,
    /// Lock the desk for another person to sign in (the name field empty).
    SwitchUser,
    /// Show the audit trail (coordinators and administrators).
    OpenAudit,
    /// Show the audit entries the filter typed selects.
    FilterAudit,
    /// Write the audit entries shown as CSV.
    ExportAudit,
    /// Show the backups screen.
    OpenBackups,
    /// Make a backup now.
    BackupNow,
    /// Restore the backup at this place of the list to the new file typed.
    RestoreBackup(usize),
    /// Show the staff screen.
    OpenStaff,
    /// Add the person typed on the staff screen.
    AddStaff,
    /// Reset the password of the person chosen on the staff screen to the one typed.
    ResetPassword,
    /// Remove a person from the desk.
    RemoveStaff(StaffId),
    /// Change the database key with the administrator's password typed on the staff screen.
    Rekey,
    /// Print the sheet of the recovery code a rekey just made.
    PrintNewRecovery,
    /// The new recovery code is put away: it leaves the screen, its sheet is deleted.
    NewRecoveryNoted,
    /// Unlock with the name and password typed on the lock screen.
    Unlock,
    /// Switch the UI language (remembered in the database).
    SetLanguage(String),
    /// The search text changed: refresh the results.
    Search,
    /// Empty the search field.
    ClearSearch,
    /// Move the highlighted result by this many rows.
    MoveSelection(i32),
    /// Open the visitor card of the highlighted result.
    OpenSelected,
    /// Open a visitor card.
    OpenVisitor(VisitorId),
    /// Open the new-visitor form (with the search text as the given name).
    NewVisitor,
    /// The name in the visitor form changed: look for people already registered.
    CheckDuplicates,
    /// Compare two registrations side by side, to merge them (the open card first).
    CompareVisitors(VisitorId, VisitorId),
    /// Merge the two registrations compared, as chosen.
    ConfirmMerge,
    /// Undo a merge made today.
    UndoMerge(crate::domain::MergeId),
    /// Open the import screen.
    OpenImport,
    /// The register chosen in the file dialog: read it and make the dry run.
    SetImportPath(PathBuf),
    /// Read the register at the path typed, and make the dry run.
    ReadImport,
    /// Make the dry run again with the choices as they now are.
    CheckImport,
    /// Import the register.
    StartImport,
    /// Validate and save the visitor form.
    SaveVisitor,
    /// Open the visit form, for a visitor or anonymous.
    StartVisit(Option<VisitorId>),
    /// Add a service line to the visit form.
    AddService(ServiceLine),
    /// Remove a service line from the visit form.
    RemoveService(usize),
    /// Validate and save the visit form.
    SaveVisit,
    /// Leave a form without saving and go back to the desk (the form is kept as a draft). With
    /// a picker's filter typed, only the filters are cleared.
    Cancel,
    /// Open the folder of the slip written last.
    OpenSlipFolder,
    /// Put the notice away (a done-notice also goes by itself after a few seconds).
    DismissNotice,
    /// Show the next results of the search (the list holds `RESULT_LIMIT` more).
    MoreResults,
    /// Put back what the outcome just recorded replaced (within a few seconds).
    UndoOutcome,
    /// Throw away a form's draft: the new-visitor form starts clean, the others go back to
    /// the desk.
    DiscardDraft(db::drafts::DraftForm),
    /// Open the referral form for a visit.
    StartReferral(VisitId),
    /// Correct the open card's record (the visitor form, prefilled).
    EditVisitor,
    /// Validate and store the correction.
    SaveVisitorEdit,
    /// Ask for the reason to void this visit of the open card (`None`: put the question away).
    AskToVoid(Option<VisitId>),
    /// Void the visit with the reason typed.
    VoidVisit,
    /// Open this visit of the card in the visit form, to correct it.
    CorrectVisit(VisitId),
    /// Open this referral of the card in the referral form, to correct it.
    CorrectReferral(ReferralId),
    /// Open this accompaniment of the card in the accompaniment form, to correct it.
    CorrectAccompaniment(AccompanimentId),
    /// Validate and save the referral form.
    SaveReferral,
    /// Open the accompaniment form for a visit.
    StartAccompaniment(VisitId),
    /// Validate and save the accompaniment form.
    SaveAccompaniment,
    /// Record a referral's outcome.
    SetReferralStatus(ReferralId, ReferralStatus),
    /// Record an accompaniment's outcome.
    SetAccompanimentStatus(AccompanimentId, AccompanimentStatus),
    /// Write the slip to the slips folder and open it in the system's PDF viewer.
    PrintSlip(SlipTarget),
    /// Write the slip to the path the person chose.
    SaveSlipAs(SlipTarget, PathBuf),
    /// Ask the person for a path with the system's file dialog (the window opens it and
    /// answers with `SaveSlipAs` or `SetExportFolder`).
    AskForPath(PathFor),
    /// Export to this folder from now on (remembered on this desk).
    SetExportFolder(PathBuf),
    /// Show the directory.
    OpenDirectory,
    /// Show the coming week's accompaniments.
    OpenWeek,
    /// Go back to the desk.
    OpenDesk,
    /// Open the organisation form (`None` for a new organisation).
    EditOrganisation(Option<OrganisationId>),
    /// Validate and save the organisation form.
    SaveOrganisation,
    /// Hand the screen to the visitor for feedback, in the open card's language.
    OpenFeedback,
    /// Validate and store the visitor's feedback.
    SaveFeedback,
    /// A staff action takes the screen back from the visitor.
    LeaveFeedback,
    /// Show the reports screen.
    OpenReports,
    /// Compute the figures of the period typed on the reports screen.
    ComputeReport,
    /// Write the figures of the shown period in this format to the exports folder.
    Export(crate::export::Format),
    /// Print slips on this paper from now on (remembered in the database).
    SetSlipPaper(Paper),
    /// Answer "replace" to the question about an existing file: the write is done again over it.
    ReplaceFile,
    /// Answer "keep" to the question about an existing file: nothing is written.
    KeepFile,
    /// The open card's visitor gave (`true`) or withdrew a consent on the day typed.
    RecordConsent(ConsentScope, bool),
    /// Write everything about the open card's visitor, in this form, where the path typed says.
    SaveSubject(crate::export::subject::SubjectFormat),
    /// Ask to confirm "Erase this person" for the open card.
    StartErase,
    /// Leave the erasure unconfirmed: nothing is erased.
    CancelErase,
    /// Erase the person being confirmed.
    ConfirmErase,
    /// Count the people past the retention limit.
    ReviewRetention,
    /// Anonymise the people the retention review counted.
    ApplyRetention,
    /// Open the programme screen on this month.
    OpenProgramme,
    /// Show the programme of the month this many months away (0: the month shown again, its
    /// editor closed).
    StepProgrammeMonth(i32),
    /// Edit a slot of the month shown (None: a new slot).
    EditSlot(Option<i64>),
    /// Save the slot being edited.
    SaveSlot,
    /// Remove a slot from its month.
    RemoveSlot(i64),
    /// Start the month shown as a copy of the month before.
    CopyPreviousMonth,
    /// Cancel a slot on a day, or close the bureau that day, as typed.
    AddDayOff,
    /// Take a day off back.
    RemoveDayOff(i64),
    /// Print the month shown as a poster.
    PrintProgramme,
    /// Register a family member of the open card's person.
    AddFamilyMember,
    /// Link the person whose code was typed into the open card's family.
    LinkFamilyMember,
    /// Take a member out of their family.
    UnlinkFamilyMember(VisitorId),
    /// Tick or untick a family member as present at the visit being logged (by place).
    ToggleMemberPresent(usize),
}

/// Where "now" comes from: the system clock, or a fixed time in tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The local wall clock.
    System,
    /// Always this time.
    Fixed(NaiveDateTime),
}

impl Clock {
    /// The current local time.
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => Local::now().naive_local(),
            Clock::Fixed(at) => at,
        }
    }
}

/// A short message shown at the top of the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Something was saved (i18n key of the sentence, and the code it concerns).
    Saved(&'static str, String),
    /// Something went wrong (i18n key of the sentence).
    Failed(&'static str),
}

/// An open visitor card: the visitor and their history.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The visitor.
    pub visitor: Visitor,
    /// Every visit, newest first.
    pub visits: Vec<Visit>,
    /// Every referral, newest first.
    pub referrals: Vec<Referral>,
    /// Every accompaniment, newest first.
    pub accompaniments: Vec<Accompaniment>,
    /// Every consent given or withdrawn, oldest first (empty for a role that sees identities
    /// only).
    pub consents: Vec<ConsentRecord>,
    /// Second registrations merged into this record, whose codes still find it.
    pub aliases: Vec<crate::domain::merges::Alias>,
    /// Other people registered with a like name, who may be the same person (only for a role
    /// that may merge).
    pub like_names: Vec<VisitorSummary>,
    /// Their family, contact person first (only for a role that sees the whole card).
    pub household: Option<crate::domain::households::Household>,
}

/// The new-visitor form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitorForm {
    /// What has been typed.
    pub draft: VisitorDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// People already registered whose name is like the one typed.
    pub duplicates: Vec<VisitorSummary>,
    /// Filter text of the country-of-origin picker.
    pub country_filter: String,
    /// Filter text of the nationality picker.
    pub nationality_filter: String,
    /// Filter text of the preferred-language picker.
    pub language_filter: String,
    /// Filter text of the languages-spoken picker.
    pub spoken_filter: String,
    /// The form came back from a draft (the form says so, with "Discard").
    pub reopened: bool,
    /// Saving was asked about because people of a like name are registered; the next save
    /// makes the new card.
    pub duplicate_asked: bool,
    /// The person is registered as a family member of this card's person.
    pub family_of: Option<FamilyOf>,
}

/// The visit form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitForm {
    /// What has been typed.
    pub draft: VisitDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// Code and name of the visitor, for the heading; `None` when anonymous.
    pub visitor: Option<(String, String)>,
    /// Filter text of the service picker.
    pub service_filter: String,
    /// Filter text of the language picker.
    pub language_filter: String,
    /// The provider new service lines get; None: the partner today's programme has in for the
    /// service (on now first), else the first provider (the bureau).
    pub provider: Option<crate::domain::OrganisationId>,
    /// The form came back from a draft (the form says so, with "Discard").
    pub reopened: bool,
    /// The draft reopened is for another person or visit than the one just chosen: the form
    /// says so, so nothing is logged on the wrong card.
    pub for_someone_else: bool,
    /// The logged visit this form corrects (`None`: a new visit).
    pub correcting: Option<VisitId>,
    /// The visitor's family members: those ticked present get the same visit.
    pub family: Vec<PresentMember>,
}

/// The referral form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferralForm {
    /// What has been typed.
    pub draft: ReferralDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// Code and name of the visitor, for the heading; `None` when anonymous.
    pub visitor: Option<(String, String)>,
    /// The visitor consented to share their details with the destination.
    pub may_share: bool,
    /// Filter text of the destination picker.
    pub destination_filter: String,
    /// Print the slip right after saving.
    pub print_after_save: bool,
    /// The form came back from a draft (the form says so, with "Discard").
    pub reopened: bool,
    /// The draft reopened is for another person or visit than the one just chosen: the form
    /// says so, so nothing is logged on the wrong card.
    pub for_someone_else: bool,
    /// The issued referral this form corrects (`None`: a new referral).
    pub correcting: Option<ReferralId>,
}

/// The accompaniment form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccompanimentForm {
    /// What has been typed.
    pub draft: AccompanimentDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// Code and name of the visitor, for the heading.
    pub visitor: Option<(String, String)>,
    /// Filter text of the institution picker.
    pub destination_filter: String,
    /// The form came back from a draft (the form says so, with "Discard").
    pub reopened: bool,
    /// The draft reopened is for another person or visit than the one just chosen: the form
    /// says so, so nothing is logged on the wrong card.
    pub for_someone_else: bool,
    /// The planned accompaniment this form corrects (`None`: a new booking).
    pub correcting: Option<AccompanimentId>,
}

/// The organisation form of the directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrganisationForm {
    /// What has been typed.
    pub draft: OrganisationDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// Filter text of the languages picker.
    pub language_filter: String,
}

/// The feedback screen's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedbackForm {
    /// What the visitor chose.
    pub draft: crate::domain::feedback::FeedbackDraft,
    /// Problems from the last attempt.
    pub errors: Vec<FieldError>,
    /// The response was stored: the screen thanks the visitor.
    pub sent: bool,
}

/// The reports screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reports {
    /// First day or month typed (`YYYY-MM` or `YYYY-MM-DD`).
    pub from: String,
    /// Last day or month typed.
    pub to: String,
    /// The figures of the period, once computed.
    pub figures: Option<crate::domain::figures::Figures>,
    /// The figures of the period of the same length before it, for comparison.
    pub previous: Option<crate::domain::figures::Figures>,
    /// Why the period typed could not be read, if it could not.
    pub period_error: Option<crate::domain::figures::PeriodError>,
    /// Hide small counts in the PDF, XLSX and CSV exports (on by default).
    pub mask_small_counts: bool,
    /// List the period's visits one by one under pseudonyms in the JSON and CSV exports (off
    /// by default).
    pub records: bool,
    /// The last export written.
    pub last_export: Option<PathBuf>,
    /// The folder exports go to, as typed (shown on the reports and audit screens): the one
    /// used last, at first `bureau-desk` in the user's documents. Nothing is written while it
    /// is empty.
    pub folder: String,
}

/// The question asked before an existing file is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplaceQuestion {
    /// The file that exists.
    pub path: PathBuf,
    /// The command that wanted to write it, run again on "replace".
    pub retry: Command,
}

/// Where slips go and whether they are opened for printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipOutput {
    /// Folder the printed slips are written to.
    pub folder: PathBuf,
    /// Open each slip in the system's PDF viewer (off in tests).
    pub open_viewer: bool,
}

/// Everything the desk shows, and the database behind it.
pub struct Desk {
    db: Database,
    clock: Clock,
    /// UI language code ("bg" or "en").
    pub locale: String,
    /// Staff who can be at the desk.
    pub staff: Vec<Staff>,
    /// The staff member signed in at the desk.
    pub at_desk: Option<Staff>,
    /// The person signed out: the window closes this desk and shows the sign-in screen.
    pub signed_out: bool,
    /// The lock screen's fields.
    pub lock_form: LockForm,
    /// The staff screen's fields.
    pub staff_form: StaffForm,
    /// The staff screen's change of database key.
    pub rekey_form: RekeyForm,
    /// The desk locks itself after this long without a key press or a click.
    pub lock_after: std::time::Duration,
    /// The screen to go back to when the same person unlocks.
    screen_before_lock: Screen,
    /// Unsaved work of people who are not at the desk now, kept for them.
    parked: std::collections::HashMap<StaffId, lock::Parked>,
    /// Automatic backups: where they go and how the last went.
    pub backups: backups::BackupState,
    /// A page of the file did not read: after signing out, the sign-in screen offers the
    /// latest backup.
    pub damage_seen: bool,
    /// The forms as last kept in the drafts table.
    kept: drafts::KeptDrafts,
    /// The outcome just recorded and when, which the notice offers to undo.
    undo: Option<(outcomes::Undo, std::time::Instant)>,
    /// The backups screen.
    pub backups_screen: BackupsScreen,
    /// The service catalogue.
    pub services: Vec<ServiceType>,
    /// Organisations that provide services.
    pub providers: Vec<Organisation>,
    /// Languages services are offered in, ISO 639-1, most used first.
    pub desk_languages: Vec<String>,
    /// The screen shown.
    pub screen: Screen,
    /// The search text.
    pub query: String,
    /// Results for `query`, best first.
    pub results: Vec<VisitorSummary>,
    /// How many results the search asked for (grows with "more").
    pub result_limit: usize,
    /// The search being typed and how many it found, written to the audit trail (its length
    /// and count, not its text) once it is done: a card opened, the search cleared or another
    /// begun, the desk locked or left.
    search_seen: Option<(String, usize)>,
    /// Highlighted result.
    pub selected: usize,
    /// The open visitor card.
    pub card: Option<Card>,
    /// Today's visits, in time order.
    pub today: Vec<Visit>,
    /// The new-visitor form.
    pub visitor_form: VisitorForm,
    /// The visit form.
    pub visit_form: VisitForm,
    /// The referral form.
    pub referral_form: ReferralForm,
    /// The accompaniment form.
    pub accompaniment_form: AccompanimentForm,
    /// Organisations a visitor can be referred or accompanied to.
    pub destinations: Vec<Organisation>,
    /// The whole directory.
    pub directory: Vec<Organisation>,
    /// The organisation being edited, if any.
    pub organisation_form: Option<OrganisationForm>,
    /// Issued referrals whose follow-up date has come.
    pub follow_ups: Vec<Referral>,
    /// Accompaniments of today and tomorrow.
    pub accompaniments_soon: Vec<Accompaniment>,
    /// Accompaniments of the coming week (from today).
    pub week: Vec<Accompaniment>,
    /// The two slip languages: the visitor's side and the clerk's side.
    pub slip_languages: (String, String),
    /// The correction of a person's record being typed, if any.
    pub visitor_edit: Option<VisitorEdit>,
    /// The reason being typed for voiding a visit.
    pub void_form: VoidForm,
    /// Two registrations being compared to merge them.
    pub merge_form: Option<MergeForm>,
    /// The import screen.
    pub import: ImportScreen,
    /// A file dialog the window should open (taken by the window).
    pub path_asked: Option<PathRequest>,
    /// The paper slips are printed on.
    pub slip_paper: Paper,
    /// Outcome note typed before recording an accompaniment's outcome.
    pub outcome_note: String,
    /// Where printed slips go.
    pub slip_output: SlipOutput,
    /// The last slip written.
    pub last_slip: Option<PathBuf>,
    /// When the slips folder was last cleared of day-old slips.
    slips_swept: Option<std::time::Instant>,
    /// The feedback screen.
    pub feedback: FeedbackForm,
    /// The reports screen.
    pub reports: Reports,
    /// The audit screen.
    pub audit: AuditScreen,
    /// The card's consent, subject-access and erasure controls, and the retention review.
    pub rights: RightsForm,
    /// The last message.
    pub notice: Option<Notice>,
    /// A file the person asked to write exists: the desk asks before replacing it.
    pub replace_question: Option<ReplaceQuestion>,
    /// The one path the current write may replace (the person said so).
    replace_allowed: Option<PathBuf>,
    /// The programme screen.
    pub programme: ProgrammeScreen,
    /// Linking someone registered into the open card's family.
    pub family_link: FamilyLinkForm,
    /// This month's and next month's programme: who is at the bureau today, today's providers,
    /// a partner's next session.
    pub at_the_bureau: Vec<crate::domain::programme::Programme>,
    /// The search field should take the keyboard focus on the next frame.
    pub focus_search: bool,
    /// The first field of the form just opened should take the keyboard focus.
    pub focus_form: bool,
}

/// How many results the search list holds.
pub const RESULT_LIMIT: usize = 50;

impl Desk {
    /// Opens the desk on a database for the staff member who signed in; the UI language
    /// comes from the database.
    pub fn new(db: Database, at_desk: Staff, clock: Clock) -> db::Result<Self> {
        let locale = settings::get(&db, settings::UI_LANGUAGE)?
            .filter(|l| crate::UI_LANGUAGES.contains(&l.as_str()))
            .unwrap_or_else(|| "bg".to_owned());
        let lock_minutes = settings::get(&db, settings::LOCK_MINUTES)?
            .and_then(|m| m.parse::<u64>().ok())
            .filter(|m| (1..=120).contains(m))
            .unwrap_or(5);
        let desk_languages = settings::get(&db, settings::DESK_LANGUAGES)?
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let desk = Desk {
            staff: staff::list(&db)?,
            services: catalogue::service_types(&db)?,
            providers: organisations::providers(&db)?,
            clock,
            locale,
            at_desk: Some(at_desk),
            signed_out: false,
            lock_form: LockForm::default(),
            staff_form: StaffForm::default(),
            rekey_form: RekeyForm::default(),
            lock_after: std::time::Duration::from_secs(60 * lock_minutes),
            screen_before_lock: Screen::Desk,
            parked: std::collections::HashMap::new(),
            backups: backups::BackupState::default(),
            damage_seen: false,
            kept: drafts::KeptDrafts::default(),
            undo: None,
            backups_screen: BackupsScreen::default(),
            desk_languages,
            screen: Screen::Desk,
            query: String::new(),
            results: Vec::new(),
            result_limit: RESULT_LIMIT,
            search_seen: None,
            selected: 0,
            card: None,
            today: Vec::new(),
            visitor_form: VisitorForm::default(),
            visit_form: VisitForm::default(),
            referral_form: ReferralForm::default(),
            accompaniment_form: AccompanimentForm::default(),
            destinations: organisations::destinations(&db)?,
            directory: Vec::new(),
            organisation_form: None,
            follow_ups: Vec::new(),
            accompaniments_soon: Vec::new(),
            week: Vec::new(),
            slip_languages: ("bg".to_owned(), "bg".to_owned()),
            path_asked: None,
            visitor_edit: None,
            void_form: VoidForm::default(),
            merge_form: None,
            import: ImportScreen::default(),
            slip_paper: Paper::from_setting(
                &settings::get(&db, settings::SLIP_PAPER)?.unwrap_or_default(),
            ),
            outcome_note: String::new(),
            slip_output: SlipOutput {
                folder: std::env::temp_dir().join("bureau-desk-slips"),
                open_viewer: false,
            },
            last_slip: None,
            slips_swept: None,
            feedback: FeedbackForm::default(),
            reports: Reports {
                mask_small_counts: true,
                records: false,
                // The folder used last, or a folder of the desk's own in the documents.
                folder: settings::get(&db, settings::EXPORT_FOLDER)?
                    .filter(|f| !f.trim().is_empty())
                    .or_else(|| {
                        directories::UserDirs::new().map(|dirs| {
                            dirs.document_dir()
                                .map_or_else(
                                    || dirs.home_dir().join("Documents"),
                                    Path::to_path_buf,
                                )
                                .join("bureau-desk")
                                .display()
                                .to_string()
                        })
                    })
                    .unwrap_or_default(),
                ..Reports::default()
            },
            audit: AuditScreen::default(),
            rights: RightsForm::default(),
            notice: None,
            replace_question: None,
            replace_allowed: None,
            programme: ProgrammeScreen::default(),
            family_link: FamilyLinkForm::default(),
            at_the_bureau: Vec::new(),
            focus_search: true,
            focus_form: false,
            db,
        };
        let mut desk = desk;
        desk.refresh_day()?;
        desk.restore_drafts()?;
        desk.backups = backups::BackupState::of(&desk.db)?;
        desk.backup_if_due();
        Ok(desk)
    }

    /// The current time of this desk's clock.
    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// Whether the person signed in may do `permission` (the screens hide what they may not;
    /// the library refuses it anyway).
    pub fn may(&self, permission: Permission) -> bool {
        self.at_desk
            .as_ref()
            .is_some_and(|s| s.role.may(permission))
    }

    /// The staff member at the desk, acting.
    pub fn actor(&self) -> Option<Actor> {
        self.at_desk.as_ref().map(Staff::actor)
    }

    /// Writes an event of the desk (a lock, a sign-out, a backup) for the person at it.
    fn record_event(&self, action: audit::Action) -> db::Result<()> {
        match self.actor() {
            Some(actor) => audit::record_event(&self.db, &actor, action, &self.stamp()),
            None => Ok(()),
        }
    }

    /// Notes the search just run; the one before it is written to the audit trail when this
    /// one is not the same search typed further or shortened.
    fn note_search(&mut self) -> db::Result<()> {
        let query = self.query.trim().to_owned();
        let same_search = self.search_seen.as_ref().is_some_and(|(seen, _)| {
            !query.is_empty() && (query.starts_with(seen.as_str()) || seen.starts_with(&query))
        });
        if !same_search {
            self.record_search()?;
        }
        let found = self.results.len();
        self.search_seen = (!query.is_empty()).then_some((query, found));
        Ok(())
    }

    /// Clears the typed filters of the pickers on the form shown; true when one held text (Esc
    /// in a picker clears the picker, not the form).
    fn clear_picker_filters(&mut self) -> bool {
        let filters: Vec<&mut String> = match self.screen {
            Screen::VisitorForm | Screen::EditVisitor => {
                let f = match (self.screen, self.visitor_edit.as_mut()) {
                    (Screen::EditVisitor, Some(edit)) => &mut edit.form,
                    _ => &mut self.visitor_form,
                };
                vec![
                    &mut f.country_filter,
                    &mut f.nationality_filter,
                    &mut f.language_filter,
                    &mut f.spoken_filter,
                ]
            }
            Screen::VisitForm => vec![
                &mut self.visit_form.service_filter,
                &mut self.visit_form.language_filter,
            ],
            Screen::ReferralForm => vec![&mut self.referral_form.destination_filter],
            Screen::AccompanimentForm => vec![&mut self.accompaniment_form.destination_filter],
            _ => Vec::new(),
        };
        let mut any = false;
        for filter in filters {
            any |= !filter.is_empty();
            filter.clear();
        }
        any
    }

    /// Runs the search typed, for up to `result_limit` results, and notes it for the trail.
    fn find_results(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        self.results = visitors::search(&self.db, &actor, &self.query, self.result_limit)?;
        self.note_search()
    }

    /// Writes the search noted last, if any, to the audit trail.
    fn record_search(&mut self) -> db::Result<()> {
        match (self.search_seen.take(), self.actor()) {
            (Some((query, results)), Some(actor)) => audit::record_search(
                &self.db,
                &actor,
                query.chars().count(),
                results,
                &self.stamp(),
            ),
            _ => Ok(()),
        }
    }

    /// Carries out one command; a failure becomes a notice, never a panic, and never loses
    /// what was typed.
    pub fn run(&mut self, command: Command) {
        if let Err(error) = self.try_run(command) {
            self.damage_seen |= matches!(error, db::Error::Damaged(_));
            self.notice = Some(Notice::Failed(error.label_key()));
        }
        if let Err(error) = self.keep_drafts(false) {
            self.notice = Some(Notice::Failed(error.label_key()));
        }
        self.backup_if_due();
    }

    fn stamp(&self) -> String {
        visits::stamp(self.now())
    }

    fn try_run(&mut self, command: Command) -> db::Result<()> {
        if let Err(gone) = self.db.still_in_place() {
            // Nothing more goes into a file that is no longer there; the desk can still be
            // signed out of and locked, and what was typed stays on screen.
            match command {
                Command::SignOut => self.signed_out = true,
                Command::Lock | Command::SwitchUser => drop(self.lock()),
                _ => {}
            }
            return Err(gone);
        }
        match command {
            Command::SignOut => {
                self.keep_drafts(true)?;
                self.record_search()?;
                self.record_event(audit::Action::SignOut)?;
                self.signed_out = true;
            }
            Command::Lock => self.lock()?,
            Command::SwitchUser => {
                self.lock()?;
                self.lock_form.name.clear();
            }
            Command::OpenStaff => self.open_staff()?,
            Command::OpenAudit => self.open_audit()?,
            Command::OpenImport => self.open_import()?,
            Command::SetImportPath(path) => {
                self.import.path = path.display().to_string();
                self.read_import()?;
            }
            Command::ReadImport => self.read_import()?,
            Command::CheckImport => self.check_import()?,
            Command::StartImport => self.start_import()?,
            Command::FilterAudit => self.filter_audit()?,
            Command::ExportAudit => self.export_audit()?,
            Command::OpenBackups => self.open_backups()?,
            Command::BackupNow => self.backup_now()?,
            Command::RestoreBackup(index) => self.restore_backup(index)?,
            Command::AddStaff => self.add_staff()?,
            Command::ResetPassword => self.reset_password()?,
            Command::RemoveStaff(id) => self.remove_staff(id)?,
            Command::Rekey => self.rekey()?,
            Command::PrintNewRecovery => self.print_new_recovery(),
            Command::NewRecoveryNoted => self.rekey_form = RekeyForm::default(),
            Command::Unlock => self.unlock()?,
            Command::SetLanguage(locale) => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let stamp = self.stamp();
                if settings::remember_choice(
                    &self.db,
                    &actor,
                    settings::UI_LANGUAGE,
                    &locale,
                    &stamp,
                )? {
                    self.locale = locale;
                }
            }
            Command::Search => {
                self.result_limit = RESULT_LIMIT;
                self.selected = 0;
                self.find_results()?;
            }
            Command::MoreResults => {
                self.result_limit += RESULT_LIMIT;
                self.find_results()?;
            }
            Command::ClearSearch => {
                self.record_search()?;
                self.query.clear();
                self.results.clear();
                self.selected = 0;
                self.card = None;
                self.focus_search = true;
            }
            Command::MoveSelection(step) => {
                if !self.results.is_empty() {
                    let last = self.results.len() as i64 - 1;
                    self.selected =
                        (self.selected as i64 + i64::from(step)).clamp(0, last) as usize;
                }
            }
            Command::OpenSelected => {
                if let Some(hit) = self.results.get(self.selected) {
                    let id = hit.id;
                    self.try_run(Command::OpenVisitor(id))?;
                }
            }
            Command::OpenVisitor(id) => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                self.record_search()?;
                let stamp = self.stamp();
                let visitor = visitors::find(&mut self.db, &actor, id, &stamp)?;
                // An alias's code opens the record it was merged into.
                let id = visitor.id;
                let history = visits::for_visitor(&self.db, &actor, id)?;
                let (issued, booked) = if actor.role.may(Permission::Refer) {
                    (
                        referrals::referrals_for_visitor(&self.db, &actor, id)?,
                        referrals::accompaniments_for_visitor(&self.db, &actor, id)?,
                    )
                } else {
                    (Vec::new(), Vec::new())
                };
                let consent_history = if actor.role.may(Permission::SeeCard) {
                    consents::history(&self.db, &actor, id)?
                } else {
                    Vec::new()
                };
                let visitor_name = (visitor.id, visitor.full_name(), visitor.latin_name());
                let preferred = visitor.details.preferred_language.given().cloned();
                self.slip_languages = default_slip_languages(preferred.as_deref());
                if self.card.as_ref().map(|c| c.visitor.id) != Some(id) {
                    self.rights.consent_day.clear();
                    self.rights.consent_error = None;
                    self.rights.erase = None;
                }
                self.card = Some(Card {
                    visitor,
                    visits: history,
                    referrals: issued,
                    accompaniments: booked,
                    consents: consent_history,
                    aliases: crate::db::merges::aliases(&self.db, &actor, id)?,
                    like_names: self.like_names(&actor, &visitor_name)?,
                    household: if actor.role.may(Permission::SeeCard) {
                        crate::db::households::of_visitor(&self.db, &actor, id, self.now().date())?
                    } else {
                        None
                    },
                });
                self.screen = Screen::Desk;
            }
            Command::NewVisitor if drafts::visitor_form_has_work(&self.visitor_form) => {
                self.record_search()?;
                self.visitor_form.reopened = true;
                self.screen = Screen::VisitorForm;
                self.focus_form = true;
                self.try_run(Command::CheckDuplicates)?;
            }
            Command::NewVisitor => {
                self.record_search()?;
                let mut form = VisitorForm::default();
                // The search text starts the name only when it is a name: not a phone number,
                // not the bureau code of the person just saved.
                let query = self.query.trim();
                if !crate::domain::text::is_number_like(query)
                    && crate::domain::text::parse_visitor_code(query).is_none()
                {
                    form.draft.given_name = query.to_owned();
                }
                self.visitor_form = form;
                self.screen = Screen::VisitorForm;
                self.focus_form = true;
                self.try_run(Command::CheckDuplicates)?;
            }
            Command::CheckDuplicates => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let d = &self.visitor_form.draft;
                let name = format!("{} {}", d.given_name, d.family_name);
                let latin = format!("{} {}", d.given_name_latin, d.family_name_latin);
                let mut found = visitors::search(&self.db, &actor, &name, 5)?;
                if !latin.trim().is_empty() {
                    for hit in visitors::search(&self.db, &actor, &latin, 5)? {
                        if !found.iter().any(|f| f.id == hit.id) {
                            found.push(hit);
                        }
                    }
                }
                self.visitor_form.duplicates = found;
                self.visitor_form.duplicate_asked = false;
            }
            // Someone of a name like this is registered: the form asks once before a second
            // card is made for what may be the same person.
            Command::SaveVisitor
                if !self.visitor_form.duplicates.is_empty()
                    && !self.visitor_form.duplicate_asked
                    && self.visitor_form.draft.validate(self.now().date()).is_ok() =>
            {
                self.visitor_form.duplicate_asked = true;
            }
            Command::EditVisitor => self.edit_visitor()?,
            Command::CompareVisitors(left, right) => self.compare_visitors(left, right)?,
            Command::ConfirmMerge => self.confirm_merge()?,
            Command::UndoMerge(merge) => self.undo_merge(merge)?,
            Command::SaveVisitorEdit => self.save_visitor_edit()?,
            Command::AskToVoid(visit) => {
                self.void_form = VoidForm {
                    visit,
                    ..VoidForm::default()
                }
            }
            Command::VoidVisit => self.void_visit()?,
            Command::SaveVisitor => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.visitor_form.draft.validate(self.now().date()) {
                    Err(errors) => self.visitor_form.errors = errors,
                    Ok(new) => {
                        let stamp = self.stamp();
                        let saved = visitors::insert(&mut self.db, &actor, &new, &stamp)?;
                        self.notice =
                            Some(Notice::Saved("notice.visitor_saved", saved.code.clone()));
                        if let Some(family) = self.visitor_form.family_of.take() {
                            self.link_registered_member(&family, saved.id)?;
                        }
                        self.discard_draft(db::drafts::DraftForm::Visitor)?;
                        self.query = saved.code.clone();
                        self.try_run(Command::Search)?;
                        self.try_run(Command::OpenVisitor(saved.id))?;
                        self.focus_search = true;
                    }
                }
            }
            Command::StartVisit(visitor) if drafts::visit_form_has_work(&self.visit_form) => {
                self.visit_form.reopened = true;
                self.visit_form.for_someone_else = self.visit_form.draft.visitor != visitor
                    || self.visit_form.correcting.is_some();
                self.screen = Screen::VisitForm;
                self.focus_form = true;
            }
            Command::StartVisit(visitor) => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let now = self.now();
                let card = self.card.as_ref().filter(|c| Some(c.visitor.id) == visitor);
                let language = card
                    .and_then(|c| c.visitor.details.preferred_language.given().cloned())
                    .or_else(|| self.desk_languages.first().cloned())
                    .unwrap_or_else(|| "bg".to_owned());
                self.visit_form = VisitForm {
                    draft: VisitDraft {
                        visitor,
                        date: format_date(now.date(), "bg"),
                        time: now.format("%H:%M").to_string(),
                        staff: Some(actor.staff_id),
                        language,
                        ..VisitDraft::default()
                    },
                    visitor: card.map(|c| (c.visitor.code.clone(), c.visitor.full_name())),
                    family: self.members_who_may_be_present(visitor),
                    // A partner gives their own organisation's services.
                    // Other staff: the partner in today for each service, else the bureau.
                    provider: actor.organisation,
                    ..VisitForm::default()
                };
                self.screen = Screen::VisitForm;
                self.focus_form = true;
            }
            Command::AddService(line) => {
                let services = &mut self.visit_form.draft.services;
                if !services.contains(&line) {
                    services.push(line);
                }
                self.visit_form.service_filter.clear();
                // Back to the service picker for the next one.
                self.focus_form = true;
            }
            Command::RemoveService(index) => {
                if index < self.visit_form.draft.services.len() {
                    self.visit_form.draft.services.remove(index);
                }
            }
            Command::CorrectVisit(visit) => self.start_visit_correction(visit),
            Command::SaveVisit if self.visit_form.correcting.is_some() => {
                self.save_visit_correction()?
            }
            Command::SaveVisit => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.visit_form.draft.validate(self.now()) {
                    Err(errors) => self.visit_form.errors = errors,
                    Ok(new) => {
                        let stamp = self.stamp();
                        let mut codes: Vec<String> = self
                            .visit_form
                            .visitor
                            .iter()
                            .map(|(c, _)| c.clone())
                            .collect();
                        // Each family member present gets their own visit, with the same
                        // services, stored with the visitor's in one transaction.
                        let mut all = vec![new.clone()];
                        for member in self.visit_form.family.iter().filter(|m| m.present) {
                            all.push(crate::domain::NewVisit {
                                visitor: Some(member.visitor),
                                ..new.clone()
                            });
                            codes.push(member.code.clone());
                        }
                        visits::insert_all(&mut self.db, &actor, &all, &stamp)?;
                        let code = codes.join(", ");
                        self.notice = Some(Notice::Saved("notice.visit_saved", code));
                        self.discard_draft(db::drafts::DraftForm::Visit)?;
                        self.screen = Screen::Desk;
                        self.focus_search = true;
                        match new.visitor {
                            Some(id) => self.try_run(Command::OpenVisitor(id))?,
                            // An anonymous visit leaves no one's card on screen.
                            None => self.card = None,
                        }
                        self.refresh_day()?;
                    }
                }
            }
            Command::Cancel if self.clear_picker_filters() => {}
            Command::OpenSlipFolder => self.open_slip_folder()?,
            Command::DismissNotice => self.notice = None,
            Command::DiscardDraft(form) => {
                self.discard_draft(form)?;
                if form == db::drafts::DraftForm::Visitor {
                    self.focus_form = true;
                } else {
                    self.screen = Screen::Desk;
                    self.focus_search = true;
                }
            }
            Command::StartReferral(visit)
                if drafts::referral_form_has_work(&self.referral_form) =>
            {
                self.referral_form.reopened = true;
                self.referral_form.for_someone_else = self.referral_form.draft.visit != Some(visit)
                    || self.referral_form.correcting.is_some();
                self.destinations = organisations::destinations(&self.db)?;
                self.screen = Screen::ReferralForm;
            }
            Command::StartAccompaniment(visit)
                if drafts::accompaniment_form_has_work(&self.accompaniment_form) =>
            {
                self.accompaniment_form.reopened = true;
                self.accompaniment_form.for_someone_else = self.accompaniment_form.draft.visit
                    != Some(visit)
                    || self.accompaniment_form.correcting.is_some();
                self.destinations = organisations::destinations(&self.db)?;
                self.screen = Screen::AccompanimentForm;
            }
            Command::Cancel | Command::OpenDesk => {
                self.screen = Screen::Desk;
                self.organisation_form = None;
                self.merge_form = None;
                self.focus_search = true;
                self.refresh_day()?;
            }
            Command::StartReferral(visit) => {
                let today = self.now().date();
                let (visitor, may_share) = self.card_for_visit(visit);
                self.referral_form = ReferralForm {
                    draft: ReferralDraft {
                        visit: Some(visit),
                        ..ReferralDraft::default()
                    },
                    visitor,
                    may_share,
                    ..ReferralForm::default()
                };
                self.referral_form.draft.follow_up = format_date(today + Days::new(7), "bg");
                self.destinations = organisations::destinations(&self.db)?;
                self.screen = Screen::ReferralForm;
            }
            Command::CorrectReferral(referral) => self.start_referral_correction(referral)?,
            Command::SaveReferral if self.referral_form.correcting.is_some() => {
                self.save_referral_correction()?
            }
            Command::SaveReferral => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.referral_form.draft.validate(self.now().date()) {
                    Err(errors) => self.referral_form.errors = errors,
                    Ok(new) => {
                        let now = self.now();
                        let id = referrals::insert_referral(&mut self.db, &actor, &new, now)?;
                        let print = self.referral_form.print_after_save;
                        self.discard_draft(db::drafts::DraftForm::Referral)?;
                        self.notice = Some(Notice::Saved("notice.referral_saved", String::new()));
                        self.after_booking()?;
                        if print {
                            self.try_run(Command::PrintSlip(SlipTarget::Referral(id)))?;
                        }
                    }
                }
            }
            Command::StartAccompaniment(visit) => {
                let (visitor, _) = self.card_for_visit(visit);
                let tomorrow = self.now().date() + Days::new(1);
                // Someone who does not speak Bulgarian goes with an interpreter of their
                // language unless the person booking says otherwise.
                let interpreter = self
                    .card_of_visit(Some(visit))
                    .and_then(|c| c.visitor.details.preferred_language.given().cloned())
                    .filter(|language| language != "bg")
                    .unwrap_or_default();
                self.accompaniment_form = AccompanimentForm {
                    draft: AccompanimentDraft {
                        visit: Some(visit),
                        date: format_date(tomorrow, "bg"),
                        escort: self.actor().map(|a| a.staff_id),
                        interpreter_language: interpreter,
                        ..AccompanimentDraft::default()
                    },
                    visitor,
                    ..AccompanimentForm::default()
                };
                self.destinations = organisations::destinations(&self.db)?;
                self.screen = Screen::AccompanimentForm;
            }
            Command::CorrectAccompaniment(id) => self.start_accompaniment_correction(id)?,
            Command::SaveAccompaniment if self.accompaniment_form.correcting.is_some() => {
                self.save_accompaniment_correction()?
            }
            Command::SaveAccompaniment => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.accompaniment_form.draft.validate() {
                    Err(errors) => self.accompaniment_form.errors = errors,
                    Ok(new) => {
                        let now = self.now();
                        referrals::insert_accompaniment(&mut self.db, &actor, &new, now)?;
                        self.discard_draft(db::drafts::DraftForm::Accompaniment)?;
                        self.notice =
                            Some(Notice::Saved("notice.accompaniment_saved", String::new()));
                        self.after_booking()?;
                    }
                }
            }
            Command::SetReferralStatus(id, status) => self.set_referral_status(id, status)?,
            Command::SetAccompanimentStatus(id, status) => {
                self.set_accompaniment_status(id, status)?;
            }
            Command::UndoOutcome => self.undo_outcome()?,
            Command::PrintSlip(target) => self.print_slip(target)?,
            Command::SaveSlipAs(target, path) => self.save_slip_as(target, &path)?,
            Command::AskForPath(purpose) => self.ask_for_path(purpose),
            Command::SetExportFolder(folder) => self.set_export_folder(&folder)?,
            Command::ReplaceFile => {
                if let Some(question) = self.replace_question.take() {
                    self.replace_allowed = Some(question.path);
                    let result = self.try_run(question.retry);
                    self.replace_allowed = None;
                    result?;
                }
            }
            Command::KeepFile => self.replace_question = None,
            Command::RecordConsent(scope, given) => self.record_consent(scope, given)?,
            Command::SaveSubject(format) => self.save_subject(format)?,
            Command::StartErase => self.start_erase(),
            Command::CancelErase => self.rights.erase = None,
            Command::ConfirmErase => self.confirm_erase()?,
            Command::ReviewRetention => self.review_retention()?,
            Command::ApplyRetention => self.apply_retention()?,
            Command::OpenProgramme => self.open_programme()?,
            Command::StepProgrammeMonth(step) => self.step_programme_month(step)?,
            Command::EditSlot(id) => self.edit_slot(id),
            Command::SaveSlot => self.save_slot()?,
            Command::RemoveSlot(id) => self.remove_slot(id)?,
            Command::CopyPreviousMonth => self.copy_previous_month()?,
            Command::AddDayOff => self.add_day_off()?,
            Command::RemoveDayOff(id) => self.remove_day_off(id)?,
            Command::PrintProgramme => self.print_programme()?,
            Command::AddFamilyMember => self.add_family_member()?,
            Command::LinkFamilyMember => self.link_family_member()?,
            Command::UnlinkFamilyMember(member) => self.unlink_family_member(member)?,
            Command::ToggleMemberPresent(index) => {
                if let Some(member) = self.visit_form.family.get_mut(index) {
                    member.present = !member.present;
                }
            }
            Command::OpenDirectory => {
                self.directory = organisations::list(&self.db)?;
                self.organisation_form = None;
                self.screen = Screen::Directory;
            }
            Command::OpenWeek => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let today = self.now().date();
                self.week = referrals::accompaniments_between(
                    &self.db,
                    &actor,
                    today,
                    today + Days::new(7),
                )?;
                self.screen = Screen::Week;
            }
            Command::EditOrganisation(id) => {
                let draft = match id {
                    Some(id) => OrganisationDraft::edit(&organisations::find(&self.db, id)?),
                    None => OrganisationDraft {
                        active: true,
                        ..OrganisationDraft::default()
                    },
                };
                self.organisation_form = Some(OrganisationForm {
                    draft,
                    ..OrganisationForm::default()
                });
            }
            Command::SetSlipPaper(paper) => {
                let value = match paper {
                    Paper::A4 => "A4",
                    Paper::A5 => "A5",
                };
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let stamp = self.stamp();
                if settings::remember_choice(&self.db, &actor, settings::SLIP_PAPER, value, &stamp)?
                {
                    self.slip_paper = paper;
                }
            }
            Command::OpenFeedback => {
                let language = self
                    .card
                    .as_ref()
                    .and_then(|c| c.visitor.details.preferred_language.given().cloned())
                    .filter(|l| SLIP_LANGUAGES.contains(&l.as_str()))
                    .unwrap_or_else(|| self.locale.clone());
                self.feedback = FeedbackForm::default();
                self.feedback.draft.language = language;
                self.screen = Screen::Feedback;
            }
            Command::SaveFeedback => match self.feedback.draft.validate(self.now().date()) {
                Err(errors) => self.feedback.errors = errors,
                Ok(response) => {
                    crate::db::feedback::insert(&self.db, &response)?;
                    self.feedback = FeedbackForm {
                        sent: true,
                        draft: crate::domain::feedback::FeedbackDraft {
                            language: response.language,
                            ..Default::default()
                        },
                        ..FeedbackForm::default()
                    };
                }
            },
            Command::LeaveFeedback => {
                self.feedback = FeedbackForm::default();
                self.screen = Screen::Desk;
                self.focus_search = true;
            }
            Command::OpenReports => {
                if self.reports.from.is_empty() {
                    let today = self.now().date();
                    let month = today.format("%m.%Y").to_string();
                    self.reports.from = month.clone();
                    self.reports.to = month;
                }
                self.screen = Screen::Reports;
                self.try_run(Command::ComputeReport)?;
            }
            Command::ComputeReport => self.compute_report()?,
            Command::Export(format) => self.export(format)?,
            Command::SaveOrganisation => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let stamp = visits::stamp(self.now());
                let Some(form) = self.organisation_form.as_mut() else {
                    return Ok(());
                };
                match form.draft.validate() {
                    Err(errors) => form.errors = errors,
                    Ok(details) => {
                        let id = form.draft.id;
                        organisations::save(&mut self.db, &actor, id, &details, &stamp)?;
                        self.organisation_form = None;
                        self.directory = organisations::list(&self.db)?;
                        self.destinations = organisations::destinations(&self.db)?;
                        self.providers = organisations::providers(&self.db)?;
                        self.notice =
                            Some(Notice::Saved("notice.organisation_saved", details.name_bg));
                    }
                }
            }
        }
        Ok(())
    }
    /// The open card's visitor, if the visit is theirs: code and name for a form's heading, and
    /// whether they consented to share their details with referrals.
    fn card_for_visit(&self, visit: VisitId) -> (Option<(String, String)>, bool) {
        self.card_of_visit(Some(visit)).map_or((None, false), |c| {
            (
                Some((c.visitor.code.clone(), c.visitor.full_name())),
                c.visitor.has_consent(ConsentScope::ShareWithReferrals),
            )
        })
    }

    /// The open card, when `visit` is one of its visits.
    fn card_of_visit(&self, visit: Option<VisitId>) -> Option<&Card> {
        self.card
            .as_ref()
            .filter(|c| c.visits.iter().any(|v| Some(v.id) == visit))
    }

    /// After a referral or accompaniment was saved: back to the card and the day.
    fn after_booking(&mut self) -> db::Result<()> {
        self.screen = Screen::Desk;
        self.focus_search = true;
        self.refresh_open_card()?;
        self.refresh_day()
    }

    fn refresh_open_card(&mut self) -> db::Result<()> {
        if let Some(id) = self.card.as_ref().map(|c| c.visitor.id) {
            self.try_run(Command::OpenVisitor(id))?;
        }
        Ok(())
    }

    fn refresh_day(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let today = self.now().date();
        self.today = visits::on_day(&self.db, &actor, today)?;
        self.refresh_programme_at_desk()?;
        if actor.role.may(Permission::Refer) {
            self.follow_ups = referrals::referrals_to_follow_up(&self.db, &actor, today)?;
            self.accompaniments_soon =
                referrals::accompaniments_between(&self.db, &actor, today, today + Days::new(2))?;
        }
        Ok(())
    }

    /// How a write to `path` may treat an existing file. The desk's own files are refused
    /// outright; a file the person agreed to replace is replaced; any other existing file
    /// makes the desk ask first (`None`: write nothing now, `retry` runs on "replace").
    fn overwrite_or_ask(
        &mut self,
        path: &Path,
        folder: bool,
        retry: Command,
    ) -> db::Result<Option<Overwrite>> {
        let own = self.db.own_files();
        if folder {
            own.check_folder(path)?;
        } else {
            own.check_file(path)?;
        }
        if self.replace_allowed.as_deref() == Some(path) {
            return Ok(Some(Overwrite::Replace));
        }
        if path.symlink_metadata().is_ok() {
            self.replace_question = Some(ReplaceQuestion {
                path: path.to_owned(),
                retry,
            });
            return Ok(None);
        }
        Ok(Some(Overwrite::Refuse))
    }

    /// The folder typed for exports, created if missing; `None`, and a sentence, when nothing
    /// is typed.
    fn export_folder(&mut self) -> db::Result<Option<PathBuf>> {
        let typed = self.reports.folder.trim();
        if typed.is_empty() {
            self.notice = Some(Notice::Failed("error.export_folder"));
            return Ok(None);
        }
        let folder = PathBuf::from(typed);
        std::fs::create_dir_all(&folder)?;
        // Remembered for the next export, on this desk.
        settings::set(&self.db, settings::EXPORT_FOLDER, typed)?;
        Ok(Some(folder))
    }

    /// Makes `folder` the exports folder, remembered on this desk.
    fn set_export_folder(&mut self, folder: &Path) -> db::Result<()> {
        let folder = folder.display().to_string();
        settings::set(&self.db, settings::EXPORT_FOLDER, &folder)?;
        self.reports.folder = folder;
        Ok(())
    }

    /// The database file this desk is open on.
    pub fn database_path(&self) -> PathBuf {
        self.db.path().map(Path::to_owned).unwrap_or_default()
    }

    /// Name of a service type in the UI language.
    pub fn service_name(&self, id: crate::domain::ServiceTypeId) -> &str {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.name(&self.locale))
    }

    /// Name of a provider in the UI language.
    pub fn provider_name(&self, id: crate::domain::OrganisationId) -> &str {
        self.providers
            .iter()
            .find(|p| p.id == id)
            .map_or("?", |p| p.name(&self.locale))
    }

    /// Name of any organisation in the UI language (the directory is small).
    pub fn organisation_name(&self, id: OrganisationId) -> &str {
        self.destinations
            .iter()
            .chain(&self.providers)
            .chain(&self.directory)
            .find(|o| o.id == id)
            .map_or("?", |o| o.name(&self.locale))
    }

    /// Name of a staff member.
    pub fn staff_name(&self, id: StaffId) -> &str {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.display_name.as_str())
    }
}

/// The slip languages for a visitor: their preferred language (if there is slip text in it)
/// and Bulgarian for the receiving clerk; English stands in for other languages.
pub fn default_slip_languages(preferred: Option<&str>) -> (String, String) {
    let first = match preferred {
        Some(code) if SLIP_LANGUAGES.contains(&code) => code,
        Some(_) => "en",
        None => "bg",
    };
    (first.to_owned(), "bg".to_owned())
}
