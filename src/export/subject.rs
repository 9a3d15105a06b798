//! The subject-access copy written to a file: everything about one person as JSON, or as the
//! PDF in their language beside Bulgarian. Written like every export (a temporary file renamed
//! into place, never onto the desk's own files) and recorded in the audit trail once written.

use std::path::Path;

use chrono::NaiveDateTime;

use crate::db::{self, Database, subject};
use crate::domain::{Actor, VisitorId, format_stamp};
use crate::output::{self, OutputError, Overwrite};

/// The form of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectFormat {
    /// One JSON document with every record as stored.
    Json,
    /// A printable A4 copy in the person's language beside Bulgarian.
    Pdf,
}

impl SubjectFormat {
    /// The format's name and file extension.
    pub fn name(self) -> &'static str {
        match self {
            SubjectFormat::Json => "json",
            SubjectFormat::Pdf => "pdf",
        }
    }
}

/// Writes everything about `visitor` to `path`. The PDF is in `language` beside Bulgarian (the
/// person's preferred language when `None`).
#[allow(clippy::too_many_arguments)]
pub fn write_subject(
    db: &Database,
    actor: &Actor,
    visitor: VisitorId,
    format: SubjectFormat,
    language: Option<&str>,
    path: &Path,
    overwrite: Overwrite,
    now: NaiveDateTime,
) -> db::Result<()> {
    let stamp = format_stamp(now);
    let record = subject::gather(db, actor, visitor, &stamp)?;
    let own = db.own_files();
    match format {
        SubjectFormat::Json => output::write_file(path, overwrite, &own, |w| {
            serde_json::to_writer_pretty(w, &record).map_err(|e| OutputError::Writer(e.to_string()))
        })?,
        SubjectFormat::Pdf => {
            let language = language.unwrap_or(&record.identity.preferred_language);
            let bytes = crate::slip::subject::render(&record, language)
                .map_err(|e| db::Error::Slip(e.to_string()))?;
            output::write_file(path, overwrite, &own, |w| Ok(w.write_all(&bytes)?))?;
        }
    }
    subject::given(db, actor, visitor, format.name(), &stamp)
}
