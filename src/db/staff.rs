//! Staff: the people who can be at the desk.

use rusqlite::Row;

use super::{Database, Error, Result};
use crate::domain::{FieldError, Problem, Role, Staff, StaffId, clean_text};

const STAFF_COLS: &str = "id, display_name, role, active, organisation_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Staff> {
    let role: String = row.get("role")?;
    Ok(Staff {
        id: StaffId(row.get("id")?),
        display_name: row.get("display_name")?,
        role: Role::from_code(&role).unwrap_or(Role::Volunteer),
        active: row.get("active")?,
        organisation: row
            .get::<_, Option<i64>>("organisation_id")?
            .map(crate::domain::OrganisationId),
    })
}

/// Active staff, by name.
pub fn list(db: &Database) -> Result<Vec<Staff>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {STAFF_COLS} FROM staff WHERE active = 1 ORDER BY display_name, id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One staff member.
pub fn find(db: &Database, id: StaffId) -> Result<Staff> {
    Ok(db.conn.query_row(
        &format!("SELECT {STAFF_COLS} FROM staff WHERE id = ?1"),
        [id.0],
        from_row,
    )?)
}

/// Adds a staff member; the name is checked like any other typed text.
pub fn insert(db: &mut Database, name: &str, role: Role, now: &str) -> Result<Staff> {
    let name = checked_name(name)?;
    let id = write(&db.conn, &name, role, now)?;
    find(db, id)
}

/// A staff name as typed, cleaned, or the problems with it.
fn checked_name(name: &str) -> Result<String> {
    let mut errors = Vec::new();
    let name = clean_text("staff_name", name, 100, false, &mut errors);
    if name.is_empty() {
        errors.push(FieldError {
            field: "staff_name",
            problem: Problem::Required,
        });
    }
    if errors.is_empty() {
        Ok(name)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Adds an NGO partner's consultant, tied to their organisation, with a password kept as an
/// argon2id hash here: a partner has no key slot, so their password opens no file. Only an
/// administrator adds people.
pub fn add_partner(
    db: &mut Database,
    actor: &crate::domain::Actor,
    name: &str,
    organisation: crate::domain::OrganisationId,
    password: &secrecy::SecretString,
    now: &str,
) -> Result<Staff> {
    actor.require(crate::domain::access::Permission::ManageStaff)?;
    let name = checked_name(name)?;
    let hash = partner_hash(password)?;
    db.conn.execute(
        "INSERT INTO staff (display_name, role, organisation_id, password_hash, created_at)
         VALUES (?1, 'partner', ?2, ?3, ?4)",
        (&name, organisation.0, &hash, now),
    )?;
    find(db, StaffId(db.conn.last_insert_rowid()))
}

/// A partner's password as an argon2id hash (PHC string), if it is strong enough.
fn partner_hash(password: &secrecy::SecretString) -> Result<String> {
    use argon2::PasswordHasher;
    use secrecy::ExposeSecret;
    if crate::keys::check_strength(password).is_err() {
        return Err(Error::Invalid(vec![FieldError {
            field: "password",
            problem: Problem::Required,
        }]));
    }
    Ok(argon2::Argon2::default()
        .hash_password(password.expose_secret().as_bytes())
        .map_err(|e| Error::Storage(e.to_string()))?
        .to_string())
}

/// Gives the active partner `partner` a new password (the partner, or an administrator's
/// reset): the old one signs in no more.
pub fn set_partner_password(
    db: &Database,
    actor: &crate::domain::Actor,
    partner: StaffId,
    password: &secrecy::SecretString,
) -> Result<()> {
    if actor.staff_id != partner {
        actor.require(crate::domain::access::Permission::ManageStaff)?;
    }
    let hash = partner_hash(password)?;
    let changed = db.conn.execute(
        "UPDATE staff SET password_hash = ?2 WHERE id = ?1 AND role = 'partner' AND active = 1",
        (partner.0, &hash),
    )?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The active partner called `name` (case ignored), if `password` is theirs. Partners sign in
/// this way on a desk a staff member opened.
pub fn verify_partner(
    db: &Database,
    name: &str,
    password: &secrecy::SecretString,
) -> Result<Staff> {
    use argon2::PasswordVerifier;
    use secrecy::ExposeSecret;
    let wanted = name.trim().to_lowercase();
    let mut stmt = db.conn.prepare_cached(
        "SELECT id, display_name, password_hash FROM staff
         WHERE role = 'partner' AND active = 1 AND password_hash IS NOT NULL",
    )?;
    let candidates: Vec<(i64, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (id, _, hash) = candidates
        .into_iter()
        .find(|(_, n, _)| n.to_lowercase() == wanted)
        .ok_or(Error::NotFound)?;
    argon2::Argon2::default()
        .verify_password(password.expose_secret().as_bytes(), hash.as_str())
        .map_err(|_| Error::WrongPassword)?;
    find(db, StaffId(id))
}

/// The active staff member called `name` (case and surrounding spaces ignored), if any.
pub fn named(db: &Database, name: &str) -> Result<Option<Staff>> {
    let wanted = name.trim().to_lowercase();
    Ok(list(db)?
        .into_iter()
        .find(|s| s.display_name.to_lowercase() == wanted))
}

/// Makes the active staff member called `name` (case ignored) an administrator, or adds them
/// as one: the person who sets up encryption on an older file.
pub fn make_admin(db: &mut Database, name: &str, now: &str) -> Result<Staff> {
    match named(db, name)? {
        Some(found) => {
            db.conn.execute(
                "UPDATE staff SET role = 'admin' WHERE id = ?1",
                [found.id.0],
            )?;
            find(db, found.id)
        }
        None => insert(db, name, Role::Admin, now),
    }
}

/// Marks a staff member as no longer working at the desk.
pub fn deactivate(db: &Database, id: StaffId) -> Result<()> {
    let changed = db
        .conn
        .execute("UPDATE staff SET active = 0 WHERE id = ?1", [id.0])?;
    if changed == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Writes a staff member as given; the caller owns the transaction (also the demo's path).
pub(crate) fn write(
    conn: &rusqlite::Connection,
    name: &str,
    role: Role,
    now: &str,
) -> Result<StaffId> {
    conn.execute(
        "INSERT INTO staff (display_name, role, created_at) VALUES (?1, ?2, ?3)",
        (name, role.code(), now),
    )?;
    Ok(StaffId(conn.last_insert_rowid()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_round_trip_and_names_are_checked() {
        let mut db = Database::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let maria = insert(&mut db, " Мария ", Role::Coordinator, "2026-11-23T09:00")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(maria.display_name, "Мария");
        assert_eq!(find(&db, maria.id).ok(), Some(maria.clone()));
        assert_eq!(list(&db).unwrap_or_default(), [maria]);
        assert!(matches!(
            insert(&mut db, "   ", Role::Desk, "2026-11-23T09:00"),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(
            insert(&mut db, "a\u{0}b", Role::Desk, "2026-11-23T09:00"),
            Err(Error::Invalid(_))
        ));
        assert!(matches!(find(&db, StaffId(99)), Err(Error::NotFound)));
    }
}
