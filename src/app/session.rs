//! Signing in: what is at a database's path (nothing yet, a plain file from before encryption,
//! or an encrypted file with its key file), creating a new encrypted file with its first
//! administrator, converting a plain file, and opening an encrypted one with a staff member's
//! password or the recovery code. The command line and the sign-in screen both go through here.

use std::path::{Path, PathBuf};

use secrecy::SecretString;

use crate::db::{self, Database, OpenMode, staff};
use crate::domain::{Role, Staff};
use crate::keys::{self, KeyError, KeyFile, RecoveryCode};
use crate::output::{key_file_of, with_suffix};
use crate::single_desk::DeskLock;

/// Why signing in or setting up did not work. Each is one sentence for the person.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A key problem: wrong password, damaged slot or key file, weak new password.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The database refused.
    #[error(transparent)]
    Database(#[from] db::Error),
    /// Nobody of that name can open this file.
    #[error("nobody called '{0}' can open this database")]
    UnknownName(String),
    /// The staff member was removed.
    #[error("this staff member no longer works at the desk")]
    Inactive,
    /// The two passwords typed differ.
    #[error("the two passwords are not the same")]
    Mismatch,
    /// A name is needed.
    #[error("type a name")]
    NoName,
    /// A new database was asked for where a file exists.
    #[error("{0} already exists")]
    Exists(PathBuf),
    /// A partner needs their organisation.
    #[error("a partner belongs to an organisation: name it")]
    NoOrganisation,
    /// An administrator may not remove themselves.
    #[error("you cannot remove yourself; another administrator can")]
    RemoveSelf,
    /// The file is not a plain database and has no key file beside it.
    #[error("{0} is not a bureau-desk database, or its key file is missing")]
    NoKeyFile(PathBuf),
    /// Another desk holds the file, or its folder cannot be written to.
    #[error(transparent)]
    Lock(#[from] crate::single_desk::LockError),
    /// The file is plain and must be converted before anyone can sign in.
    #[error("{0} is not encrypted yet: open it with the desk once to encrypt it")]
    NotEncrypted(PathBuf),
}

impl SessionError {
    /// The i18n key of the sentence shown on the sign-in screen.
    pub fn label_key(&self) -> &'static str {
        match self {
            SessionError::Key(KeyError::WrongPassword) => "sign_in.wrong_password",
            SessionError::Key(KeyError::DamagedSlot | KeyError::DamagedFile(_)) => {
                "sign_in.damaged_keys"
            }
            SessionError::Key(KeyError::Missing(_)) | SessionError::NoKeyFile(_) => {
                "sign_in.missing_keys"
            }
            SessionError::Key(KeyError::WeakPassword) => "sign_in.weak_password",
            SessionError::Key(KeyError::NoSlot) | SessionError::UnknownName(_) => {
                "sign_in.unknown_name"
            }
            SessionError::Key(KeyError::Write(_)) => "error.io",
            SessionError::Database(error) => error.label_key(),
            SessionError::Inactive => "sign_in.inactive",
            SessionError::Mismatch => "sign_in.mismatch",
            SessionError::NoName => "sign_in.no_name",
            SessionError::Exists(_) => "error.output_exists",
            SessionError::NotEncrypted(_) => "sign_in.not_encrypted",
            SessionError::NoOrganisation => "staff.no_organisation",
            SessionError::RemoveSelf => "staff.remove_self",
            SessionError::Lock(crate::single_desk::LockError::Held(_)) => "sign_in.open_elsewhere",
            SessionError::Lock(crate::single_desk::LockError::Io(..)) => "sign_in.folder_read_only",
        }
    }
}

/// What is at a database path.
pub enum FileState {
    /// Nothing yet: a new database and its first administrator are made.
    New,
    /// A plain database from before encryption: the first administrator converts it.
    Plain,
    /// An encrypted database and its key file: staff sign in.
    Encrypted(KeyFile),
}

impl FileState {
    /// Looks at `path` and its key file. An encrypted file without its key file, or with a
    /// damaged one, is an error: nobody can open it.
    pub fn of(path: &Path) -> Result<FileState, SessionError> {
        if !path.exists() {
            return Ok(FileState::New);
        }
        if Database::is_plain_file(path) {
            return Ok(FileState::Plain);
        }
        match KeyFile::load(&key_file_of(path)) {
            Ok(file) => Ok(FileState::Encrypted(file)),
            Err(KeyError::Missing(_)) => Err(SessionError::NoKeyFile(path.to_owned())),
            Err(other) => Err(other.into()),
        }
    }
}

/// A signed-in staff member on an open database.
pub struct SignedIn {
    /// The open database.
    pub database: Database,
    /// Who signed in.
    pub staff: Staff,
}

/// A new encrypted database, or a converted one: its first administrator is signed in, and
/// the recovery code is shown once.
pub struct SetUp {
    /// The administrator on the open database.
    pub signed_in: SignedIn,
    /// The recovery code, to print and keep in the bureau's safe.
    pub recovery: RecoveryCode,
}

fn checked_new_password(password: &SecretString, again: &SecretString) -> Result<(), SessionError> {
    use secrecy::ExposeSecret;
    if password.expose_secret() != again.expose_secret() {
        return Err(SessionError::Mismatch);
    }
    keys::check_strength(password)?;
    Ok(())
}

/// The first administrator's name and new password, checked.
fn checked_admin(
    admin: &str,
    password: &SecretString,
    again: &SecretString,
) -> Result<(), SessionError> {
    checked_new_password(password, again)?;
    if admin.trim().is_empty() {
        return Err(SessionError::NoName);
    }
    Ok(())
}

/// The key file path of a new database at `path`; neither file may exist yet.
fn new_files(path: &Path) -> Result<PathBuf, SessionError> {
    let keys_path = key_file_of(path);
    for existing in [path, keys_path.as_path()] {
        if existing.exists() {
            return Err(SessionError::Exists(existing.to_owned()));
        }
    }
    Ok(keys_path)
}

/// A new database's set-up result; on failure its half-made files go.
fn cleaned_up_on_error<T>(
    path: &Path,
    keys_path: &Path,
    result: Result<T, SessionError>,
) -> Result<T, SessionError> {
    if result.is_err() {
        remove_database_files(path);
        drop(std::fs::remove_file(keys_path));
    }
    result
}

/// The key file of an encrypted database at `path`, or why there is none to sign in with.
fn encrypted_key_file(path: &Path) -> Result<KeyFile, SessionError> {
    match FileState::of(path)? {
        FileState::Encrypted(file) => Ok(file),
        FileState::New => Err(db::Error::Missing(path.to_owned()).into()),
        FileState::Plain => Err(SessionError::NotEncrypted(path.to_owned())),
    }
}

/// Writes at `keys_path` a key file holding only `admin`'s slot (sealed with `password`) and a
/// new recovery code, which it returns to show once.
fn admin_key_file(
    admin: &Staff,
    password: &SecretString,
    key: &keys::DatabaseKey,
    keys_path: &Path,
) -> Result<RecoveryCode, SessionError> {
    let mut file = KeyFile::default();
    file.set_password(admin.id.0, &admin.display_name, password, key)?;
    let recovery = file.new_recovery_code(key)?;
    file.save(keys_path)?;
    Ok(recovery)
}

/// Copies the open database under a new random key to `staging` (checked against it) and
/// returns the key; nothing is left at `staging` when it fails.
fn copy_under_new_key(
    database: &Database,
    staging: &Path,
) -> Result<keys::DatabaseKey, SessionError> {
    remove_database_files(staging);
    let key = keys::DatabaseKey::generate();
    if let Err(error) = database.export_copy(staging, Some(&key)) {
        remove_database_files(staging);
        return Err(error.into());
    }
    Ok(key)
}

/// Closes `database` and puts the copy at `staging` in its place. After the checkpoint the old
/// write-ahead log holds nothing the copy lacks, and it must not be applied to the copy, so it
/// goes before the copy takes the file's place.
fn replace_with_copy(database: Database, staging: &Path, path: &Path) -> Result<(), SessionError> {
    database.checkpoint()?;
    drop(database);
    for suffix in ["-wal", "-shm"] {
        drop(std::fs::remove_file(with_suffix(path, suffix)));
    }
    std::fs::rename(staging, path).map_err(db::Error::Io)?;
    Ok(())
}

/// Creates a new encrypted database at `path` with its first administrator, and the key file
/// beside it. Nothing is left behind if any step fails.
pub fn create(
    path: &Path,
    admin: &str,
    password: &SecretString,
    again: &SecretString,
    now: &str,
) -> Result<SetUp, SessionError> {
    checked_admin(admin, password, again)?;
    let keys_path = new_files(path)?;
    let result = (|| {
        let key = keys::DatabaseKey::generate();
        let mut database = Database::open_encrypted(path, OpenMode::CreateIfMissing, key)?;
        let staff = staff::insert(&mut database, admin, Role::Admin, now)?;
        let key = database.key().ok_or(KeyError::NoSlot)?;
        let recovery = admin_key_file(&staff, password, key, &keys_path)?;
        Ok(SetUp {
            signed_in: SignedIn { database, staff },
            recovery,
        })
    })();
    cleaned_up_on_error(path, &keys_path, result)
}

/// Encrypts a plain database from before encryption, in place: an encrypted copy is written
/// beside it and checked (it opens, passes the integrity check, every table has the same rows),
/// the key file is written, and only then does the copy replace the plain file. The person
/// converting becomes its first administrator (their staff entry if the name is on the list,
/// else a new one). Copies of the old plain file elsewhere must be deleted by hand.
pub fn encrypt_plain(
    path: &Path,
    admin: &str,
    password: &SecretString,
    again: &SecretString,
    now: &str,
) -> Result<SetUp, SessionError> {
    checked_admin(admin, password, again)?;
    let keys_path = key_file_of(path);
    let staging = staging_path(path);
    let mut plain = Database::open(path, OpenMode::Existing)?;
    let staff = staff::make_admin(&mut plain, admin, now)?;
    let key = copy_under_new_key(&plain, &staging)?;
    let recovery = admin_key_file(&staff, password, &key, &keys_path)?;
    replace_with_copy(plain, &staging, path)?;
    let database = Database::open_encrypted(path, OpenMode::Existing, key)?;
    Ok(SetUp {
        signed_in: SignedIn { database, staff },
        recovery,
    })
}

/// Signs a staff member in by name and password: unwraps their slot and opens the file.
pub fn sign_in(path: &Path, name: &str, password: &SecretString) -> Result<SignedIn, SessionError> {
    let file = encrypted_key_file(path)?;
    let id = file
        .staff_named(name)
        .ok_or_else(|| SessionError::UnknownName(name.trim().to_owned()))?;
    let key = file.unlock(id, password)?;
    let database = Database::open_encrypted(path, OpenMode::Existing, key)?;
    let staff = staff::find(&database, crate::domain::StaffId(id))?;
    if !staff.active {
        return Err(SessionError::Inactive);
    }
    Ok(SignedIn { database, staff })
}

/// Signs in whoever `password` belongs to among those who may do `needs` (for commands
/// where no name is given): tries each slot in turn, so it costs one key derivation per slot.
pub fn sign_in_whoever(
    path: &Path,
    password: &SecretString,
    needs: crate::domain::access::Permission,
) -> Result<SignedIn, SessionError> {
    let file = encrypted_key_file(path)?;
    let mut opened_but_not_allowed = false;
    for (id, _) in file.staff() {
        let Ok(key) = file.unlock(id, password) else {
            continue;
        };
        let database = Database::open_encrypted(path, OpenMode::Existing, key)?;
        let staff = staff::find(&database, crate::domain::StaffId(id))?;
        if staff.active && staff.role.may(needs) {
            return Ok(SignedIn { database, staff });
        }
        opened_but_not_allowed = true;
    }
    if opened_but_not_allowed {
        return Err(db::Error::from(crate::domain::access::Forbidden(needs)).into());
    }
    Err(keys::KeyError::WrongPassword.into())
}

/// Gives `staff` a new password on an open database (their own change, or an administrator's
/// reset): only their slot is rewritten, or for a partner only their hash.
pub fn set_password(
    database: &Database,
    actor: &crate::domain::Actor,
    staff: &Staff,
    (password, again): (&SecretString, &SecretString),
    now: &str,
) -> Result<(), SessionError> {
    if actor.staff_id != staff.id {
        actor
            .require(crate::domain::access::Permission::ManageStaff)
            .map_err(db::Error::from)?;
    }
    checked_new_password(password, again)?;
    let recorded =
        || db::audit::record_staff_change(database, actor, Some(staff.id.0), "password", now);
    if staff.role == Role::Partner {
        staff::set_partner_password(database, actor, staff.id, password)?;
        return Ok(recorded()?);
    }
    let path = database
        .path()
        .ok_or_else(|| SessionError::NotEncrypted(PathBuf::from(":memory:")))?;
    let key = database
        .key()
        .ok_or_else(|| SessionError::NotEncrypted(path.to_owned()))?;
    let keys_path = key_file_of(path);
    let mut file = KeyFile::load(&keys_path)?;
    file.set_password(staff.id.0, &staff.display_name, password, key)?;
    file.save(&keys_path)?;
    Ok(recorded()?)
}

/// A person to add to the desk.
#[derive(Debug, Clone, Copy)]
pub struct NewMember<'a> {
    /// Their name, as printed on slips.
    pub name: &'a str,
    /// Their role.
    pub role: Role,
    /// A partner's organisation.
    pub organisation: Option<crate::domain::OrganisationId>,
}

/// Adds a staff member who opens the file with their own password (a new key slot), or a
/// partner (no slot: a hash in the database, tied to their organisation). Administrators only.
pub fn add_staff(
    database: &mut Database,
    actor: &crate::domain::Actor,
    member: &NewMember<'_>,
    password: &SecretString,
    again: &SecretString,
    now: &str,
) -> Result<Staff, SessionError> {
    let NewMember {
        name,
        role,
        organisation,
    } = *member;
    actor
        .require(crate::domain::access::Permission::ManageStaff)
        .map_err(db::Error::from)?;
    checked_new_password(password, again)?;
    if role == Role::Partner {
        let organisation = organisation.ok_or(SessionError::NoOrganisation)?;
        let partner = staff::add_partner(database, actor, name, organisation, password, now)?;
        db::audit::record_staff_change(database, actor, Some(partner.id.0), "added", now)?;
        return Ok(partner);
    }
    let path = database
        .path()
        .ok_or_else(|| SessionError::NotEncrypted(PathBuf::from(":memory:")))?
        .to_owned();
    let keys_path = key_file_of(&path);
    let mut file = KeyFile::load(&keys_path)?;
    if file.staff_named(name).is_some() {
        return Err(SessionError::Exists(PathBuf::from(name.trim())));
    }
    let key = database
        .key()
        .ok_or_else(|| SessionError::NotEncrypted(path.clone()))?
        .duplicate();
    let member = staff::insert(database, name, role, now)?;
    file.set_password(member.id.0, &member.display_name, password, &key)?;
    file.save(&keys_path)?;
    db::audit::record_staff_change(database, actor, Some(member.id.0), "added", now)?;
    Ok(member)
}

/// Removes a staff member from the desk: their key slot goes (their password opens nothing
/// from now on) and their entry is marked inactive (their past work keeps its author).
/// Administrators only; nobody removes themselves.
pub fn remove_staff(
    database: &Database,
    actor: &crate::domain::Actor,
    member: &Staff,
    now: &str,
) -> Result<(), SessionError> {
    actor
        .require(crate::domain::access::Permission::ManageStaff)
        .map_err(db::Error::from)?;
    if member.id == actor.staff_id {
        return Err(SessionError::RemoveSelf);
    }
    if let Some(path) = database.path().filter(|_| database.is_encrypted()) {
        let keys_path = key_file_of(path);
        let mut file = KeyFile::load(&keys_path)?;
        if file.remove(member.id.0) {
            file.save(&keys_path)?;
        }
    }
    staff::deactivate(database, member.id)?;
    db::audit::record_staff_change(database, actor, Some(member.id.0), "removed", now)?;
    Ok(())
}

/// Changes the database key (an administrator, with their own password): the file is copied
/// under a new random key and checked, a new key file holds only the administrator's slot and
/// a new recovery code, and both replace the old pair. Every other person's slot is gone: an
/// administrator gives them new passwords. A backup of the old pair is made first, so a power
/// cut between the two renames loses nothing (restore that backup).
pub fn rekey(
    database: Database,
    admin: &Staff,
    password: &SecretString,
    backup_folder: &Path,
    now: chrono::NaiveDateTime,
) -> Result<(Database, RecoveryCode), SessionError> {
    admin
        .actor()
        .require(crate::domain::access::Permission::ManageStaff)
        .map_err(db::Error::from)?;
    let checked = verify(&database, &admin.display_name, password)?;
    if checked.id != admin.id {
        return Err(SessionError::UnknownName(admin.display_name.clone()));
    }
    let path = database
        .path()
        .ok_or_else(|| SessionError::NotEncrypted(PathBuf::from(":memory:")))?
        .to_owned();
    if !database.is_encrypted() {
        return Err(SessionError::NotEncrypted(path));
    }
    db::backup::write(&database, backup_folder, now)?;
    let keys_path = key_file_of(&path);
    let staging = with_suffix(&path, ".rekey");
    let staging_keys = with_suffix(&keys_path, ".rekey");
    drop(std::fs::remove_file(&staging_keys));
    let key = copy_under_new_key(&database, &staging)?;
    let recovery = admin_key_file(admin, password, &key, &staging_keys)?;
    replace_with_copy(database, &staging, &path)?;
    std::fs::rename(&staging_keys, &keys_path).map_err(db::Error::Io)?;
    let reopened = Database::open_encrypted(&path, OpenMode::Existing, key)?;
    db::audit::record_staff_change(
        &reopened,
        &admin.actor(),
        None,
        "key",
        &crate::domain::format_stamp(now),
    )?;
    Ok((reopened, recovery))
}

/// Opens the database with the recovery code (an administrator resetting a password).
pub fn open_with_recovery(path: &Path, code: &SecretString) -> Result<Database, SessionError> {
    let file = encrypted_key_file(path)?;
    let key = file.unlock_with_recovery(code)?;
    Ok(Database::open_encrypted(path, OpenMode::Existing, key)?)
}

/// Writes a generated demo database to a new encrypted file: every staff member's password is
/// `demo::DEMO_PASSWORD`, and there is no recovery code.
pub fn create_demo(
    path: &Path,
    options: crate::demo::DemoOptions,
) -> Result<crate::demo::DemoSummary, SessionError> {
    let keys_path = new_files(path)?;
    let result = (|| {
        let key = keys::DatabaseKey::generate();
        let mut database = Database::open_encrypted(path, OpenMode::CreateIfMissing, key)?;
        let summary = crate::demo::generate(&mut database, options)?;
        let password = SecretString::from(crate::demo::DEMO_PASSWORD);
        let key = database.key().ok_or(KeyError::NoSlot)?;
        let mut file = KeyFile::default();
        for member in staff::list(&database)? {
            file.set_password(member.id.0, &member.display_name, &password, key)?;
        }
        file.save(&keys_path)?;
        Ok(summary)
    })();
    cleaned_up_on_error(path, &keys_path, result)
}

/// What the sign-in screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateStep {
    /// A new database: make the first administrator.
    CreateAdmin,
    /// A plain database from before encryption: the first administrator encrypts it.
    EncryptPlain,
    /// An encrypted database: a staff member signs in.
    SignIn,
    /// Set-up is done: the recovery code is shown once, to write down or print.
    ShowRecovery,
    /// The file cannot be opened here now (another desk has it, its folder is read-only); the
    /// screen says why.
    Unusable,
    /// The file or its key file is damaged or missing: the screen offers the latest backup.
    Damaged,
    /// The latest backup was restored in the damaged file's place: the screen says where the
    /// damaged file went before the desk opens.
    Restored,
}

/// Every action on the sign-in screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateCommand {
    /// Sign in with the name and password typed.
    SignIn,
    /// Create the first administrator (and the encrypted file) from what was typed.
    CreateAdmin,
    /// Print the recovery sheet (A4): written to a temporary file, opened in the PDF viewer,
    /// and deleted when the desk opens.
    PrintRecovery,
    /// The recovery code was written down: open the desk.
    RecoveryNoted,
    /// Switch the screen's language.
    SetLanguage(String),
    /// Look at the file again (the other desk was closed, the file was put back).
    LookAgain,
    /// Restore the latest backup in the damaged file's place, for the administrator whose name
    /// and password were typed.
    RestoreLatest,
    /// The restored file's report was read: open the desk.
    OpenRestored,
}

/// Failed sign-ins after which each further attempt waits, longer each time.
const FREE_ATTEMPTS: u32 = 5;

/// Failed password attempts in a row, and the wait they impose: after five, each further try
/// waits 1, 2, 4 … up to 64 seconds.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    /// Failed attempts in a row.
    pub failures: u32,
    /// No attempt is taken before this moment.
    wait_until: Option<std::time::Instant>,
}

impl Attempts {
    /// Whether a try may be made now.
    pub fn may_try(&self) -> bool {
        self.wait_until
            .is_none_or(|until| std::time::Instant::now() >= until)
    }

    /// A try failed.
    pub fn failed(&mut self) {
        self.failures += 1;
        if self.failures >= FREE_ATTEMPTS {
            let seconds = 1u64 << (self.failures - FREE_ATTEMPTS).min(6);
            self.wait_until =
                Some(std::time::Instant::now() + std::time::Duration::from_secs(seconds));
        }
    }

    /// A try succeeded: the count starts again.
    pub fn succeeded(&mut self) {
        *self = Attempts::default();
    }
}

/// Checks a person's password on an open database: a staff member's unwraps their slot (which
/// must hold this database's key), a partner's is checked against their hash. Returns who it is.
pub fn verify(
    database: &Database,
    name: &str,
    password: &SecretString,
) -> Result<Staff, SessionError> {
    let slot_holder = match (database.path(), database.key()) {
        (Some(path), Some(key)) => {
            let file = KeyFile::load(&key_file_of(path))?;
            file.staff_named(name).map(|id| (file, id, key))
        }
        _ => None,
    };
    let staff = match slot_holder {
        Some((file, id, key)) => {
            if !file.unlock(id, password)?.same_as(key) {
                return Err(KeyError::DamagedSlot.into());
            }
            staff::find(database, crate::domain::StaffId(id))?
        }
        None => staff::verify_partner(database, name, password).map_err(|e| match e {
            db::Error::NotFound => SessionError::UnknownName(name.trim().to_owned()),
            db::Error::WrongPassword => SessionError::Key(KeyError::WrongPassword),
            other => other.into(),
        })?,
    };
    if !staff.active {
        return Err(SessionError::Inactive);
    }
    Ok(staff)
}

/// The sign-in screen's state: the file, what was typed, and the outcome.
pub struct Gate {
    /// The database file.
    pub path: PathBuf,
    /// It is the demo database (the screen says its password).
    pub demo: bool,
    /// The screen's language.
    pub locale: String,
    /// What the screen shows.
    pub step: GateStep,
    /// Names of the staff who can sign in.
    pub names: Vec<String>,
    /// Name typed or picked.
    pub name: String,
    /// Password typed; wiped after each attempt.
    pub password: zeroize::Zeroizing<String>,
    /// The new password typed again (set-up).
    pub password_again: zeroize::Zeroizing<String>,
    /// Why the last attempt failed (i18n key).
    pub error: Option<&'static str>,
    /// The first field to type in should take the keyboard on the next frame.
    pub focus_field: bool,
    /// Failed attempts in a row, and the wait they impose.
    pub attempts: Attempts,
    /// The recovery code to show once after set-up.
    pub recovery: Option<RecoveryCode>,
    /// A plain file was just encrypted (the screen says to delete its old copies).
    pub converted: bool,
    /// Open printed sheets in the system's PDF viewer (off in tests).
    pub open_viewer: bool,
    /// The recovery sheet printed, kept only until the desk opens.
    pub recovery_sheet: Option<PathBuf>,
    /// The result: a signed-in staff member on the open database.
    opened: Option<SignedIn>,
    /// The signed-in person is kept here while the recovery code is shown.
    pending: Option<SignedIn>,
    /// Sign-ins refused while the file could not be opened (whose name, if on the staff, and
    /// when): written to the audit trail at the next sign-in.
    refused: Vec<(Option<i64>, String)>,
    /// This window's hold on the file: one desk per file on this computer.
    lock: Option<DeskLock>,
    /// The damaged file's latest backup, offered on the damaged step.
    pub latest_backup: Option<crate::db::backup::Backup>,
    /// Where the damaged file was moved when its backup was restored.
    pub set_aside: Option<PathBuf>,
}

impl Gate {
    /// The sign-in screen for the database at `path`; it takes the file's desk lock, or says
    /// that another desk has it.
    pub fn new(path: PathBuf, demo: bool) -> Self {
        Self::holding(path, demo, None)
    }

    /// The sign-in screen again after signing out, keeping the lock the desk held.
    pub fn holding(path: PathBuf, demo: bool, lock: Option<DeskLock>) -> Self {
        let mut gate = Gate {
            path,
            demo,
            locale: "bg".to_owned(),
            step: GateStep::SignIn,
            names: Vec::new(),
            name: String::new(),
            password: Default::default(),
            password_again: Default::default(),
            error: None,
            focus_field: true,
            attempts: Attempts::default(),
            recovery: None,
            converted: false,
            open_viewer: false,
            recovery_sheet: None,
            opened: None,
            pending: None,
            refused: Vec::new(),
            lock,
            latest_backup: None,
            set_aside: None,
        };
        gate.look();
        gate
    }

    fn look(&mut self) {
        self.error = None;
        if self.lock.is_none() {
            match DeskLock::acquire(&self.path) {
                Ok(lock) => self.lock = Some(lock),
                Err(error) => {
                    self.step = GateStep::Unusable;
                    self.error = Some(SessionError::from(error).label_key());
                    return;
                }
            }
        }
        match FileState::of(&self.path) {
            Ok(FileState::New) => self.step = GateStep::CreateAdmin,
            Ok(FileState::Plain) => self.step = GateStep::EncryptPlain,
            Ok(FileState::Encrypted(file)) => {
                self.step = GateStep::SignIn;
                self.names = file.staff().into_iter().map(|(_, name)| name).collect();
                self.names.sort();
                if self.demo && self.name.is_empty() {
                    self.name = crate::demo::DEMO_ADMIN.to_owned();
                }
            }
            Err(error) => self.damaged(&error),
        }
    }

    /// The desk that was open found a damaged page: the screen offers the latest backup.
    pub fn file_damaged(&mut self) {
        if self.step == GateStep::SignIn {
            self.damaged(&SessionError::Database(db::Error::Damaged(String::new())));
        }
    }

    /// The file or its key file cannot be read: says why and looks for the latest backup.
    fn damaged(&mut self, error: &SessionError) {
        self.step = GateStep::Damaged;
        self.error = Some(match error {
            SessionError::Database(db::Error::Damaged(_) | db::Error::NotADatabase(_)) => {
                "sign_in.damaged_file"
            }
            other => other.label_key(),
        });
        self.latest_backup = super::damaged::latest_backup(&self.path);
    }

    /// Restores the latest backup in the damaged file's place (an administrator of the backup
    /// signs in on it) and keeps them signed in for when the screen's report is read.
    fn restore_latest(&mut self) {
        let Some(latest) = self.latest_backup.clone() else {
            return;
        };
        if !self.attempts.may_try() {
            self.error = Some("sign_in.wait");
            return;
        }
        let password = SecretString::from(self.password.as_str());
        self.password.clear();
        self.focus_field = true;
        let now = chrono::Local::now().naive_local();
        match super::damaged::restore_in_place(&self.path, &latest, &self.name, &password, now) {
            Ok((signed_in, aside)) => {
                self.attempts.succeeded();
                let stamp = crate::domain::format_stamp(now);
                let recorded = db::audit::record_event(
                    &signed_in.database,
                    &signed_in.staff.actor(),
                    db::audit::Action::Restore,
                    &stamp,
                )
                .and_then(|()| self.record_sign_in(&signed_in, &stamp));
                if let Err(error) = recorded {
                    self.error = Some(error.label_key());
                    return;
                }
                self.error = None;
                self.set_aside = Some(aside);
                self.pending = Some(signed_in);
                self.step = GateStep::Restored;
            }
            Err(error) => {
                if matches!(error, SessionError::Key(KeyError::WrongPassword)) {
                    self.attempts.failed();
                }
                self.error = Some(match error {
                    SessionError::Database(db::Error::Forbidden(_)) => "sign_in.restore_admin_only",
                    other => other.label_key(),
                });
            }
        }
    }

    /// Carries out one action of the screen.
    pub fn run(&mut self, command: GateCommand) {
        match command {
            GateCommand::SetLanguage(locale) => {
                if crate::UI_LANGUAGES.contains(&locale.as_str()) {
                    self.locale = locale;
                }
            }
            GateCommand::SignIn => self.sign_in(),
            GateCommand::CreateAdmin => self.create_admin(),
            GateCommand::PrintRecovery => {
                if let Err(error) = self.print_recovery() {
                    self.error = Some(error.label_key());
                }
            }
            GateCommand::LookAgain => {
                if matches!(self.step, GateStep::Unusable | GateStep::Damaged) {
                    self.look();
                }
            }
            GateCommand::RestoreLatest => {
                if self.step == GateStep::Damaged {
                    self.restore_latest();
                }
            }
            GateCommand::OpenRestored => {
                if self.step == GateStep::Restored {
                    self.opened = self.pending.take();
                }
            }
            GateCommand::RecoveryNoted => {
                self.recovery = None;
                if let Some(sheet) = self.recovery_sheet.take() {
                    drop(std::fs::remove_file(sheet));
                }
                self.opened = self.pending.take();
            }
        }
    }

    fn sign_in(&mut self) {
        if !self.attempts.may_try() {
            self.error = Some("sign_in.wait");
            return;
        }
        let password = SecretString::from(self.password.as_str());
        self.password.clear();
        self.focus_field = true;
        let now = crate::domain::format_stamp(chrono::Local::now().naive_local());
        match sign_in(&self.path, &self.name, &password) {
            Ok(signed_in) => match self.record_sign_in(&signed_in, &now) {
                Ok(()) => {
                    self.attempts.succeeded();
                    self.error = None;
                    self.opened = Some(signed_in);
                }
                Err(error) => self.error = Some(error.label_key()),
            },
            // The key opened but the file does not read: it is damaged, not the password wrong.
            Err(
                error @ SessionError::Database(db::Error::Damaged(_) | db::Error::NotADatabase(_)),
            ) => self.damaged(&error),
            Err(error) => {
                self.attempts.failed();
                let whose = encrypted_key_file(&self.path)
                    .ok()
                    .and_then(|file| file.staff_named(&self.name));
                self.refused.push((whose, now));
                self.error = Some(error.label_key());
            }
        }
    }

    /// Writes the refused attempts kept so far and this sign-in to the audit trail.
    fn record_sign_in(&mut self, signed_in: &SignedIn, now: &str) -> Result<(), db::Error> {
        for (whose, at) in &self.refused {
            db::audit::record_failed_sign_in(&signed_in.database, *whose, at)?;
        }
        self.refused.clear();
        db::audit::record_event(
            &signed_in.database,
            &signed_in.staff.actor(),
            db::audit::Action::SignIn,
            now,
        )
    }

    fn create_admin(&mut self) {
        let password = SecretString::from(self.password.as_str());
        let again = SecretString::from(self.password_again.as_str());
        let now = crate::domain::format_stamp(chrono::Local::now().naive_local());
        let result = match self.step {
            GateStep::EncryptPlain => {
                encrypt_plain(&self.path, &self.name, &password, &again, &now)
            }
            _ => create(&self.path, &self.name, &password, &again, &now),
        };
        match result {
            Ok(set_up) => {
                self.password.clear();
                self.password_again.clear();
                self.error = None;
                self.converted = self.step == GateStep::EncryptPlain;
                self.recovery = Some(set_up.recovery);
                self.pending = Some(set_up.signed_in);
                self.step = GateStep::ShowRecovery;
            }
            // What was typed stays, but the passwords go: they are typed again.
            Err(error) => {
                self.password.clear();
                self.password_again.clear();
                self.error = Some(error.label_key());
            }
        }
    }

    fn print_recovery(&mut self) -> Result<(), db::Error> {
        let (Some(code), Some(pending)) = (&self.recovery, &self.pending) else {
            return Ok(());
        };
        let sheet = print_recovery_sheet(&pending.database, code, &self.locale, self.open_viewer)?;
        if let Some(old) = self.recovery_sheet.replace(sheet) {
            drop(std::fs::remove_file(old));
        }
        Ok(())
    }

    /// The signed-in staff member and the open database, once someone signed in.
    pub fn take_opened(&mut self) -> Option<SignedIn> {
        self.opened.take()
    }

    /// The file's desk lock, for the desk that opens now to hold.
    pub fn take_lock(&mut self) -> Option<DeskLock> {
        self.lock.take()
    }
}

impl Drop for Gate {
    /// A recovery sheet printed and not yet put away goes with the screen (a window closed
    /// before "I have kept the code"). Only a killed process leaves it in the temporary folder.
    fn drop(&mut self) {
        if let Some(sheet) = self.recovery_sheet.take() {
            drop(std::fs::remove_file(sheet));
        }
    }
}

/// Writes the A4 recovery sheet for `code` of the open database to a new file in the system's
/// temporary folder (never beside the database) and opens it in the PDF viewer if asked. The
/// caller removes the file once the code is put away.
pub fn print_recovery_sheet(
    database: &Database,
    code: &RecoveryCode,
    locale: &str,
    open_viewer: bool,
) -> Result<PathBuf, db::Error> {
    let bureau = db::settings::bureau(database)?;
    let name = if locale == "bg" {
        bureau.name_bg
    } else {
        bureau.name_en
    };
    let path = database
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let today = crate::domain::format_date(chrono::Local::now().date_naive(), locale);
    let pdf = crate::slip::recovery::render(code.expose(), &name, &path, &today, locale)
        .map_err(|e| db::Error::Slip(e.to_string()))?;
    let file = tempfile::Builder::new()
        .prefix("bureau-desk-recovery-")
        .suffix(".pdf")
        .tempfile()?;
    let (mut handle, sheet) = file.keep().map_err(|e| db::Error::Io(e.error))?;
    if let Err(error) = std::io::Write::write_all(&mut handle, &pdf) {
        drop(std::fs::remove_file(&sheet));
        return Err(error.into());
    }
    if open_viewer {
        open::that_detached(&sheet)?;
    }
    Ok(sheet)
}

/// Where the encrypted copy of a plain file is written before it replaces it.
fn staging_path(path: &Path) -> PathBuf {
    with_suffix(path, ".encrypting")
}

fn remove_database_files(path: &Path) {
    drop(std::fs::remove_file(path));
    for suffix in ["-wal", "-shm", "-journal"] {
        drop(std::fs::remove_file(with_suffix(path, suffix)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text)
    }

    const NOW: &str = "2026-12-02T09:00";

    #[test]
    fn five_failures_are_free_then_each_try_waits() {
        let mut attempts = Attempts::default();
        for _ in 0..4 {
            attempts.failed();
            assert!(attempts.may_try());
        }
        attempts.failed();
        assert!(!attempts.may_try(), "the fifth failure imposes a wait");
        attempts.succeeded();
        assert!(attempts.may_try() && attempts.failures == 0);
    }

    #[test]
    fn a_new_file_is_encrypted_and_opens_only_with_a_password() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bureau.sqlite");
        let pw = secret("a good long password");
        assert!(matches!(
            create(&path, "Admin", &pw, &secret("different"), NOW),
            Err(SessionError::Mismatch)
        ));
        assert!(matches!(
            create(&path, "Admin", &secret("short"), &secret("short"), NOW),
            Err(SessionError::Key(KeyError::WeakPassword))
        ));
        assert!(!path.exists(), "nothing written for a refused set-up");
        let set_up = create(&path, "Admin", &pw, &pw, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set_up.signed_in.staff.role, Role::Admin);
        drop(set_up.signed_in);
        // Not SQLite's plain header at byte 0.
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(!bytes.starts_with(b"SQLite format 3"));
        assert!(matches!(FileState::of(&path), Ok(FileState::Encrypted(_))));
        assert!(matches!(
            sign_in(&path, "Admin", &secret("wrong password!")),
            Err(SessionError::Key(KeyError::WrongPassword))
        ));
        assert!(matches!(
            sign_in(&path, "Nobody", &pw),
            Err(SessionError::UnknownName(_))
        ));
        let again = sign_in(&path, " admin ", &pw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.staff.display_name, "Admin");
        assert!(matches!(
            create(&path, "Admin", &pw, &pw, NOW),
            Err(SessionError::Exists(_))
        ));
    }

    #[test]
    fn rekey_leaves_only_the_administrator_and_a_new_recovery_code() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bureau.sqlite");
        let pw = secret("a good long password");
        let set_up = create(&path, "Admin", &pw, &pw, NOW).unwrap_or_else(|e| panic!("{e}"));
        let old_code = secret(set_up.recovery.expose());
        let mut database = set_up.signed_in.database;
        let admin = set_up.signed_in.staff;
        let other = secret("the other person's");
        add_staff(
            &mut database,
            &admin.actor(),
            &NewMember {
                name: "Петър",
                role: Role::Desk,
                organisation: None,
            },
            &other,
            &other,
            NOW,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let before = database
            .content_digest_except(&["audit_log"])
            .unwrap_or_default();
        let old_file = std::fs::read(key_file_of(&path)).unwrap_or_default();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default();
        assert!(matches!(
            rekey(
                database,
                &admin,
                &secret("not the password"),
                &dir.path().join("b"),
                at
            ),
            Err(SessionError::Key(KeyError::WrongPassword))
        ));
        let database = sign_in(&path, "Admin", &pw)
            .unwrap_or_else(|e| panic!("{e}"))
            .database;
        let (database, code) = rekey(database, &admin, &pw, &dir.path().join("b"), at)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            database
                .content_digest_except(&["audit_log"])
                .unwrap_or_default(),
            before
        );
        let last = db::audit::latest(&database, 1).unwrap_or_default();
        assert_eq!(
            last.iter()
                .map(|e| (e.action.as_str(), e.detail.as_str()))
                .collect::<Vec<_>>(),
            [("staff", "key")]
        );
        drop(database);
        assert!(sign_in(&path, "Admin", &pw).is_ok());
        assert!(
            sign_in(&path, "Петър", &other).is_err(),
            "others need new passwords"
        );
        assert!(open_with_recovery(&path, &old_code).is_err());
        assert!(open_with_recovery(&path, &secret(code.expose())).is_ok());
        // The old key file no longer opens the file.
        let moved = dir.path().join("old.sqlite");
        std::fs::copy(&path, &moved).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(key_file_of(&moved), old_file).unwrap_or_else(|e| panic!("{e}"));
        assert!(sign_in(&moved, "Admin", &pw).is_err());
        assert!(!dir.path().join("bureau.sqlite.rekey").exists());
    }

    #[test]
    fn the_recovery_code_resets_a_password() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bureau.sqlite");
        let pw = secret("a good long password");
        let set_up = create(&path, "Admin", &pw, &pw, NOW).unwrap_or_else(|e| panic!("{e}"));
        let code = secret(set_up.recovery.expose());
        let admin = set_up.signed_in.staff.clone();
        drop(set_up);
        let database = open_with_recovery(&path, &code).unwrap_or_else(|e| panic!("{e}"));
        let new = secret("the new password now");
        set_password(&database, &admin.actor(), &admin, (&new, &new), NOW)
            .unwrap_or_else(|e| panic!("{e}"));
        drop(database);
        assert!(sign_in(&path, "Admin", &pw).is_err());
        assert!(sign_in(&path, "Admin", &new).is_ok());
        assert!(matches!(
            open_with_recovery(&path, &secret("0000-0000-0000-0000-0000-0000-0000-0000")),
            Err(SessionError::Key(KeyError::WrongPassword))
        ));
    }

    #[test]
    fn a_plain_file_is_converted_with_every_row_and_becomes_unreadable_without_the_key() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("old.sqlite");
        let mut plain =
            Database::open(&path, OpenMode::CreateIfMissing).unwrap_or_else(|e| panic!("{e}"));
        crate::demo::generate(
            &mut plain,
            crate::demo::DemoOptions {
                visitors: 60,
                seed: 4,
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let before = plain.row_counts().unwrap_or_else(|e| panic!("{e}"));
        drop(plain);
        assert!(matches!(FileState::of(&path), Ok(FileState::Plain)));
        assert!(matches!(
            sign_in(&path, "Мария", &secret("whatever it is")),
            Err(SessionError::NotEncrypted(_))
        ));
        let pw = secret("converting this file");
        let set_up = encrypt_plain(&path, "Мария", &pw, &pw, NOW).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set_up.signed_in.staff.role, Role::Admin);
        let after = set_up
            .signed_in
            .database
            .row_counts()
            .unwrap_or_else(|e| panic!("{e}"));
        let audit = |counts: &[(String, i64)]| {
            counts
                .iter()
                .filter(|(name, _)| name != "audit_log" && name != "staff")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(audit(&after), audit(&before));
        drop(set_up);
        assert!(!Database::is_plain_file(&path));
        assert!(!dir.path().join("old.sqlite.encrypting").exists());
        assert!(
            Database::open(&path, OpenMode::Existing).is_err(),
            "no key, no file"
        );
        let signed_in = sign_in(&path, "Мария", &pw).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            audit(&signed_in.database.row_counts().unwrap_or_default()),
            audit(&before)
        );
    }
}
