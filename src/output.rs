//! Writing the files the desk hands out (exports, slips, and every later writer) without harm:
//! never onto one of the desk's own files (the database, its `-wal`/`-shm`/`-journal`, the key
//! file, the backups), never over an existing file unless the person said so, and always through
//! a temporary file in the same folder that is renamed into place — a writer that fails leaves
//! nothing behind, not even half a file.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What can go wrong writing an output file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path is, or leads to, one of the desk's own files.
    #[error(
        "{0} is one of the desk's own files (its database, key file or backups); choose another name"
    )]
    OwnFile(PathBuf),
    /// The path exists and replacing it was not allowed.
    #[error("{0} already exists")]
    Exists(PathBuf),
    /// The path names a folder where a file is written, or the reverse.
    #[error("{0} is a folder, not a file name")]
    IsFolder(PathBuf),
    /// An existing folder holds files an export would not write, so it is not replaced.
    #[error("{0} holds other files; choose a new folder")]
    ForeignFolder(PathBuf),
    /// No file name was given.
    #[error("no file name was given")]
    NoName,
    /// The writer itself failed.
    #[error("{0}")]
    Writer(String),
    /// The file system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Whether an existing file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// An existing file is left alone and the write fails with `OutputError::Exists`.
    Refuse,
    /// The person agreed to replace an existing file (`--force`, or "Replace" on screen).
    Replace,
}

/// The desk's own files, which no output may touch.
#[derive(Debug, Clone, Default)]
pub struct OwnFiles {
    /// Files that must not be written or replaced.
    files: Vec<PathBuf>,
    /// Folders nothing may be written into.
    folders: Vec<PathBuf>,
}

impl OwnFiles {
    /// The files that belong to a database at `database`: the file, its journals, its key
    /// file (`.keys`), its lock file and its default backups folder.
    pub fn of_database(database: &Path) -> Self {
        let mut files = vec![database.to_owned()];
        for suffix in ["-wal", "-shm", "-journal"] {
            files.push(with_suffix(database, suffix));
        }
        files.push(key_file_of(database));
        files.push(crate::single_desk::lock_file_of(database));
        OwnFiles {
            files: files.iter().map(|p| resolved(p)).collect(),
            folders: vec![resolved(&database.with_file_name("backups"))],
        }
    }

    /// Fails when writing `target` as a file would touch one of the desk's own files.
    pub fn check_file(&self, target: &Path) -> Result<(), OutputError> {
        let own = || OutputError::OwnFile(target.to_owned());
        let target_resolved = resolved(target);
        if self.files.iter().any(|f| same_path(f, &target_resolved))
            || self.folders.iter().any(|d| target_resolved.starts_with(d))
        {
            return Err(own());
        }
        // A hard link, or a path that resolves by another route, to an existing own file.
        if target.exists()
            && self
                .files
                .iter()
                .any(|f| same_file::is_same_file(f, target).unwrap_or(false))
        {
            return Err(own());
        }
        Ok(())
    }

    /// Fails when writing `target` as a folder of files would touch one of the desk's own
    /// files: the folder may not hold them, nor lie inside a protected folder.
    pub fn check_folder(&self, target: &Path) -> Result<(), OutputError> {
        self.check_file(target)?;
        let target_resolved = resolved(target);
        if self
            .files
            .iter()
            .chain(&self.folders)
            .any(|own| own.starts_with(&target_resolved))
        {
            return Err(OutputError::OwnFile(target.to_owned()));
        }
        Ok(())
    }
}

/// `path` with `suffix` added to its file name (`desk.sqlite` → `desk.sqlite-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The key file that sits beside a database.
pub fn key_file_of(database: &Path) -> PathBuf {
    database.with_extension("keys")
}

/// A path with its folder's symbolic links resolved, whether or not the file exists yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => resolved(parent).join(name),
        _ => absolute,
    }
}

fn same_path(a: &Path, b: &Path) -> bool {
    if cfg!(windows) {
        a.as_os_str().eq_ignore_ascii_case(b.as_os_str())
    } else {
        a == b
    }
}

/// The folder a new file at `target` goes into ("." for a bare name).
fn folder_of(target: &Path) -> Result<PathBuf, OutputError> {
    if target.file_name().is_none() {
        return Err(OutputError::NoName);
    }
    Ok(match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    })
}

/// Writes one file: `fill` writes its bytes into a temporary file in the target's folder,
/// which is flushed to disk and renamed into place only when `fill` succeeds.
pub fn write_file<F>(
    target: &Path,
    overwrite: Overwrite,
    own: &OwnFiles,
    fill: F,
) -> Result<(), OutputError>
where
    F: FnOnce(&mut dyn Write) -> Result<(), OutputError>,
{
    let folder = folder_of(target)?;
    own.check_file(target)?;
    if target.is_dir() {
        return Err(OutputError::IsFolder(target.to_owned()));
    }
    if overwrite == Overwrite::Refuse && target.symlink_metadata().is_ok() {
        return Err(OutputError::Exists(target.to_owned()));
    }
    let mut temporary = tempfile::Builder::new()
        .prefix(".bureau-desk-")
        .suffix(".part")
        .tempfile_in(&folder)?;
    {
        let mut buffered = std::io::BufWriter::new(temporary.as_file_mut());
        fill(&mut buffered)?;
        buffered.flush()?;
    }
    temporary.as_file().sync_all()?;
    match overwrite {
        Overwrite::Refuse => temporary.persist_noclobber(target).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                OutputError::Exists(target.to_owned())
            } else {
                OutputError::Io(e.error)
            }
        })?,
        Overwrite::Replace => temporary.persist(target).map_err(|e| e.error)?,
    };
    sync_folder(&folder);
    Ok(())
}

/// Writes a folder of files (`name`, bytes) the same way: into a temporary folder beside the
/// target, renamed into place when every file is written. An existing folder is replaced only
/// when allowed and only when it holds nothing but files of the same names.
pub fn write_folder(
    target: &Path,
    files: &[(String, Vec<u8>)],
    overwrite: Overwrite,
    own: &OwnFiles,
) -> Result<(), OutputError> {
    let folder = folder_of(target)?;
    own.check_folder(target)?;
    let exists = target.symlink_metadata().is_ok();
    if exists {
        if overwrite == Overwrite::Refuse {
            return Err(OutputError::Exists(target.to_owned()));
        }
        if !target.is_dir() {
            return Err(OutputError::Exists(target.to_owned()));
        }
        for entry in std::fs::read_dir(target)? {
            let name = entry?.file_name();
            if !files.iter().any(|(n, _)| OsString::from(n) == name) {
                return Err(OutputError::ForeignFolder(target.to_owned()));
            }
        }
    }
    let staging = tempfile::Builder::new()
        .prefix(".bureau-desk-")
        .tempdir_in(&folder)?;
    for (name, bytes) in files {
        let mut file = std::fs::File::create_new(staging.path().join(name))?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    if exists {
        // Move the old folder aside, put the new one in place, then drop the old one; if the
        // second step fails, the old folder goes back.
        let aside = tempfile::Builder::new()
            .prefix(".bureau-desk-old-")
            .tempdir_in(&folder)?;
        let aside_path = aside.path().join("old");
        std::fs::rename(target, &aside_path)?;
        if let Err(error) = std::fs::rename(staging.path(), target) {
            std::fs::rename(&aside_path, target)?;
            return Err(error.into());
        }
        drop(aside);
    } else {
        std::fs::rename(staging.path(), target)?;
    }
    // The staging folder was renamed away; forget it without deleting anything.
    let _ = staging.keep();
    sync_folder(&folder);
    Ok(())
}

/// A free name for a new file in `folder`: `stem.ext`, else `stem (2).ext`, `stem (3).ext`…
pub fn free_name(folder: &Path, stem: &str, extension: &str) -> PathBuf {
    let first = folder.join(format!("{stem}.{extension}"));
    if first.symlink_metadata().is_err() {
        return first;
    }
    (2u32..)
        .map(|n| folder.join(format!("{stem} ({n}).{extension}")))
        .find(|p| p.symlink_metadata().is_err())
        .unwrap_or(first)
}

/// Makes a rename durable: on Unix the folder's entry is flushed too. Best effort.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(folder) {
        drop(dir.sync_all());
    }
    #[cfg(not(unix))]
    let _ = folder;
}

/// Empties the desk's own slips folder of what it wrote: every PDF older than `age` (all of
/// them with `Duration::ZERO`) and every temporary file a cut-off write left. The slips printed
/// for the viewer carry names; they are not kept. Returns how many files went.
pub fn clear_slips(folder: &Path, age: std::time::Duration) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".pdf") || name.starts_with(".bureau-desk-");
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|at| now.duration_since(at).ok())
            .is_none_or(|elapsed| elapsed >= age);
        if ours && meta.is_file() && old {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, OwnFiles) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = dir.path().join("bureau-desk.sqlite");
        std::fs::write(&db, b"database").unwrap_or_else(|e| panic!("{e}"));
        let own = OwnFiles::of_database(&db);
        (dir, db, own)
    }

    fn bytes(b: &'static [u8]) -> impl FnOnce(&mut dyn Write) -> Result<(), OutputError> {
        move |w| Ok(w.write_all(b)?)
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn own_files_are_refused_by_every_route() {
        let (dir, db, own) = setup();
        let wal = dir.path().join("bureau-desk.sqlite-wal");
        let keys = dir.path().join("bureau-desk.keys");
        let backup = dir.path().join("backups").join("2026-12-01.sqlite");
        let dotted = dir.path().join(".").join("bureau-desk.sqlite");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap_or_else(|e| panic!("{e}"));
        let roundabout = sub.join("..").join("bureau-desk.sqlite");
        let hard = dir.path().join("hard.pdf");
        std::fs::hard_link(&db, &hard).unwrap_or_else(|e| panic!("{e}"));
        let mut targets = vec![db.clone(), wal, keys, backup, dotted, roundabout, hard];
        #[cfg(unix)]
        {
            let link = dir.path().join("link.pdf");
            std::os::unix::fs::symlink(&db, &link).unwrap_or_else(|e| panic!("{e}"));
            targets.push(link);
        }
        for target in targets {
            for overwrite in [Overwrite::Refuse, Overwrite::Replace] {
                let result = write_file(&target, overwrite, &own, bytes(b"pdf"));
                assert!(
                    matches!(result, Err(OutputError::OwnFile(_))),
                    "{target:?}: {result:?}"
                );
            }
        }
        assert_eq!(
            std::fs::read(&db).unwrap_or_default(),
            b"database",
            "the database is intact"
        );
        // A folder that holds the database is refused for a folder export.
        let result = write_folder(dir.path(), &[], Overwrite::Replace, &own);
        assert!(matches!(result, Err(OutputError::OwnFile(_))), "{result:?}");
    }

    #[test]
    fn an_existing_file_is_replaced_only_when_asked() {
        let (dir, _db, own) = setup();
        let target = dir.path().join("out.pdf");
        std::fs::write(&target, b"old").unwrap_or_else(|e| panic!("{e}"));
        let refused = write_file(&target, Overwrite::Refuse, &own, bytes(b"new"));
        assert!(matches!(refused, Err(OutputError::Exists(_))));
        assert_eq!(std::fs::read(&target).unwrap_or_default(), b"old");
        write_file(&target, Overwrite::Replace, &own, bytes(b"new"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&target).unwrap_or_default(), b"new");
    }

    #[test]
    fn a_failing_writer_leaves_no_file_and_no_temporary() {
        let (dir, _db, own) = setup();
        let before = entries(dir.path());
        let target = dir.path().join("out.json");
        let result = write_file(&target, Overwrite::Refuse, &own, |w| {
            w.write_all(b"{\"half\": ")?;
            Err(OutputError::Writer("the renderer failed".into()))
        });
        assert!(matches!(result, Err(OutputError::Writer(_))));
        assert_eq!(entries(dir.path()), before);
        // The same for a failed replacement: the old file stays as it was.
        std::fs::write(&target, b"old").unwrap_or_else(|e| panic!("{e}"));
        let result = write_file(&target, Overwrite::Replace, &own, |_| {
            Err(OutputError::Writer("no".into()))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read(&target).unwrap_or_default(), b"old");
    }

    #[test]
    fn folders_are_written_whole_and_replaced_only_when_they_hold_our_files() {
        let (dir, _db, own) = setup();
        let target = dir.path().join("csv");
        let files = vec![
            ("a.csv".to_owned(), b"1".to_vec()),
            ("b.csv".to_owned(), b"2".to_vec()),
        ];
        write_folder(&target, &files, Overwrite::Refuse, &own).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entries(&target), ["a.csv", "b.csv"]);
        assert!(matches!(
            write_folder(&target, &files, Overwrite::Refuse, &own),
            Err(OutputError::Exists(_))
        ));
        let newer = vec![
            ("a.csv".to_owned(), b"3".to_vec()),
            ("b.csv".to_owned(), b"4".to_vec()),
        ];
        write_folder(&target, &newer, Overwrite::Replace, &own).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read(target.join("a.csv")).unwrap_or_default(),
            b"3"
        );
        std::fs::write(target.join("mine.txt"), b"keep").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            write_folder(&target, &newer, Overwrite::Replace, &own),
            Err(OutputError::ForeignFolder(_))
        ));
        assert_eq!(
            std::fs::read(target.join("mine.txt")).unwrap_or_default(),
            b"keep"
        );
        assert_eq!(entries(dir.path()), ["bureau-desk.sqlite", "csv"]);
    }

    #[test]
    fn free_names_count_up() {
        let (dir, _db, _own) = setup();
        assert_eq!(
            free_name(dir.path(), "R-1", "pdf"),
            dir.path().join("R-1.pdf")
        );
        std::fs::write(dir.path().join("R-1.pdf"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            free_name(dir.path(), "R-1", "pdf"),
            dir.path().join("R-1 (2).pdf")
        );
    }

    #[test]
    fn the_slips_folder_keeps_only_what_is_younger_than_the_age_asked_and_only_slips() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for name in ["R-2026-000001.pdf", ".bureau-desk-abc.part", "notes.txt"] {
            std::fs::write(dir.path().join(name), b"x").unwrap_or_else(|e| panic!("{e}"));
        }
        let day = std::time::Duration::from_secs(24 * 3600);
        assert_eq!(
            clear_slips(dir.path(), day).ok(),
            Some(0),
            "all younger than a day"
        );
        assert_eq!(
            clear_slips(dir.path(), std::time::Duration::ZERO).ok(),
            Some(2)
        );
        assert!(
            dir.path().join("notes.txt").exists(),
            "not the desk's: left alone"
        );
        assert_eq!(clear_slips(&dir.path().join("gone"), day).ok(), Some(0));
    }
}
