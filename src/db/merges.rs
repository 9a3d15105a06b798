//! Merging two registrations of one person, and undoing it on the same day. The kept record
//! takes the values chosen; the other record's visits (their referrals and accompaniments hang
//! on them), consents and drafts move to it, and the other record stays as an alias whose code
//! and names search still finds. Every row moved is noted, so undoing moves exactly those back.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension};

use super::{Database, Result, audit, visitors};
use crate::domain::access::Permission;
use crate::domain::merges::{self, Alias, MergeRefusal};
use crate::domain::{Actor, MergeId, StaffId, VisitorId, format_stamp};

/// The kept record's columns a merge may change, kept as they were so an undo restores them.
const KEPT_COLUMNS: [&str; 20] = [
    "given_name",
    "family_name",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth_year",
    "birth_date",
    "birth_answer",
    "country_of_origin",
    "nationality",
    "legal_status",
    "preferred_language",
    "phone",
    "phone_digits",
    "phone_answer",
    "household_id",
    "household_role",
    "name_skeleton",
    "updated_at",
    "updated_by",
];

/// What moves from the merged record to the kept one: (entity noted, table, the row's key, the
/// column naming its person). Visits carry their referrals and accompaniments; an earlier alias
/// of the merged record becomes the kept record's, so no alias points to another alias.
const MOVES: [(&str, &str, &str, &str); 4] = [
    ("visits", "visits", "id", "visitor_id"),
    ("consents", "consents", "id", "visitor_id"),
    ("drafts", "drafts", "rowid", "visitor_id"),
    ("visitors", "visitors", "id", "merged_into"),
];

/// Makes `other` a second registration of `kept`: the kept record takes the fields named in
/// `from_other` from the other record (`domain::merges::FIELDS`) and the languages of both;
/// everything that hangs on the other record moves to it; the other's code becomes an alias.
/// Both records are read in the transaction that writes, so nothing slips in between.
pub fn merge(
    db: &mut Database,
    actor: &Actor,
    (kept, other): (VisitorId, VisitorId),
    from_other: &[&str],
    now: NaiveDateTime,
) -> Result<MergeId> {
    actor.require(Permission::Merge)?;
    actor.require(Permission::SeeCard)?;
    if kept == other {
        return Err(MergeRefusal::SameRecord.into());
    }
    let stamp = format_stamp(now);
    let tx = db.conn.transaction()?;
    let live = |id| match visitors::read(&tx, id) {
        Err(super::Error::NotFound) => Err(super::Error::Merge(MergeRefusal::NotLive)),
        other => other,
    };
    let (kept_record, other_record) = (live(kept)?, live(other)?);
    let before = snapshot(&tx, kept)?;
    tx.prepare_cached(
        "INSERT INTO merges (kept_id, merged_id, merged_at, merged_by, kept_before)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute((kept.0, other.0, &stamp, actor.staff_id.0, before))?;
    let merge = MergeId(tx.last_insert_rowid());
    for (entity, table, key, owner) in MOVES {
        tx.execute(
            &format!(
                "INSERT INTO merge_moves (merge_id, entity, row_id)
                 SELECT ?1, '{entity}', {key} FROM {table} WHERE {owner} = ?2"
            ),
            (merge.0, other.0),
        )?;
    }
    move_rows(&tx, merge, kept)?;
    let details = merges::merged(&kept_record.details, &other_record.details, from_other);
    visitors::write_details(&tx, actor, kept, &details, &stamp)?;
    // The kept record joins the other's household when it had none.
    tx.execute(
        "UPDATE visitors SET
             household_id = coalesce(household_id, (SELECT household_id FROM visitors WHERE id = ?2)),
             household_role = CASE WHEN household_id IS NULL
                 THEN (SELECT household_role FROM visitors WHERE id = ?2) ELSE household_role END
         WHERE id = ?1",
        (kept.0, other.0),
    )?;
    tx.execute(
        "UPDATE visitors SET merged_into = ?1 WHERE id = ?2",
        (kept.0, other.0),
    )?;
    visitors::reindex(&tx, kept, &kept_record.code, &details)?;
    let changed = merges::differing_fields(&kept_record.details, &details);
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("visitors", Some(kept.0)),
        &format!(
            "merge={} from={} fields={}",
            merge.0,
            other.0,
            changed.join(",")
        ),
        &stamp,
    )?;
    audit::record_with_detail(
        &tx,
        actor,
        audit::Action::Update,
        ("visitors", Some(other.0)),
        &format!("merge={} into={}", merge.0, kept.0),
        &stamp,
    )?;
    tx.commit()?;
    Ok(merge)
}

/// Moves every row noted for `merge` to `to` (the kept record when merging, the other when
/// undoing).
fn move_rows(conn: &Connection, merge: MergeId, to: VisitorId) -> Result<()> {
    for (entity, table, key, owner) in MOVES {
        conn.execute(
            &format!(
                "UPDATE {table} SET {owner} = ?3 WHERE {key} IN
                     (SELECT row_id FROM merge_moves WHERE merge_id = ?1 AND entity = ?2)"
            ),
            (merge.0, entity, to.0),
        )?;
    }
    Ok(())
}

/// The kept record's changeable columns and languages as they are, as JSON.
fn snapshot(conn: &Connection, id: VisitorId) -> Result<String> {
    let fields: Vec<String> = KEPT_COLUMNS.iter().map(|c| format!("'{c}', {c}")).collect();
    Ok(conn.query_row(
        &format!(
            "SELECT json_object({}, 'languages', json((SELECT json_group_array(language)
                 FROM visitor_languages WHERE visitor_id = v.id)))
             FROM visitors v WHERE id = ?1",
            fields.join(", ")
        ),
        [id.0],
        |r| r.get(0),
    )?)
}

/// Undoes a merge made today (coordinators and administrators): the kept record gets back its
/// fields and languages as they were before, the rows the merge moved go back, and the other
/// record is a registration of its own again. Returns the record given back.
pub fn undo(
    db: &mut Database,
    actor: &Actor,
    merge: MergeId,
    now: NaiveDateTime,
) -> Result<VisitorId> {
    actor.require(Permission::UndoMerge)?;
    let stamp = format_stamp(now);
    let tx = db.conn.transaction()?;
    let (kept, other, merged_at, before, undone): (i64, i64, String, String, Option<String>) = tx
        .query_row(
        "SELECT kept_id, merged_id, merged_at, kept_before, undone_at FROM merges WHERE id = ?1",
        [merge.0],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    if undone.is_some() {
        return Err(MergeRefusal::AlreadyUndone.into());
    }
    if merged_at.get(..10) != Some(now.date().to_string().as_str()) {
        return Err(MergeRefusal::TooLate.into());
    }
    let later: Option<i64> = tx
        .query_row(
            "SELECT id FROM merges WHERE id > ?1 AND undone_at IS NULL
                 AND (kept_id IN (?2, ?3) OR merged_id IN (?2, ?3))",
            (merge.0, kept, other),
            |r| r.get(0),
        )
        .optional()?;
    if later.is_some() {
        return Err(MergeRefusal::LaterMerge.into());
    }
    let (kept, other) = (VisitorId(kept), VisitorId(other));
    if matches!(visitors::read(&tx, kept), Err(super::Error::NotFound)) {
        return Err(MergeRefusal::NotLive.into());
    }
    move_rows(&tx, merge, other)?;
    let restore: Vec<String> = KEPT_COLUMNS
        .iter()
        .map(|c| format!("{c} = json_extract(?2, '$.{c}')"))
        .collect();
    tx.execute(
        &format!("UPDATE visitors SET {} WHERE id = ?1", restore.join(", ")),
        (kept.0, &before),
    )?;
    tx.execute(
        "DELETE FROM visitor_languages WHERE visitor_id = ?1",
        [kept.0],
    )?;
    tx.execute(
        "INSERT INTO visitor_languages (visitor_id, language)
         SELECT ?1, value FROM json_each(?2, '$.languages')",
        (kept.0, &before),
    )?;
    tx.execute(
        "UPDATE visitors SET merged_into = NULL WHERE id = ?1",
        [other.0],
    )?;
    let restored = visitors::read(&tx, kept)?;
    visitors::reindex(&tx, kept, &restored.code, &restored.details)?;
    tx.execute(
        "UPDATE merges SET undone_at = ?2, undone_by = ?3 WHERE id = ?1",
        (merge.0, &stamp, actor.staff_id.0),
    )?;
    for (id, detail) in [
        (kept, format!("merge={} undone", merge.0)),
        (other, format!("merge={} undone", merge.0)),
    ] {
        audit::record_with_detail(
            &tx,
            actor,
            audit::Action::Update,
            ("visitors", Some(id.0)),
            &detail,
            &stamp,
        )?;
    }
    tx.commit()?;
    Ok(other)
}

/// The second registrations merged into a record and not undone, oldest first.
pub fn aliases(db: &Database, actor: &Actor, kept: VisitorId) -> Result<Vec<Alias>> {
    actor.require(Permission::SeeIdentity)?;
    let mut statement = db.conn.prepare_cached(
        "SELECT m.id, v.id, v.code, m.merged_at, m.merged_by
         FROM visitors v JOIN merges m ON m.merged_id = v.id AND m.undone_at IS NULL
         WHERE v.merged_into = ?1 AND v.erased_at IS NULL ORDER BY m.id",
    )?;
    let aliases = statement
        .query_map([kept.0], |r| {
            Ok(Alias {
                merge: MergeId(r.get(0)?),
                visitor: VisitorId(r.get(1)?),
                code: r.get(2)?,
                merged_at: r.get(3)?,
                merged_by: StaffId(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(aliases)
}
