//! The directory of organisations: partners who provide services and places visitors are
//! referred or accompanied to.

use rusqlite::{Connection, Row, named_params};

use super::{Database, Result, audit};
use crate::domain::access::Permission;
use crate::domain::{
    Actor, Organisation, OrganisationDetails, OrganisationId, OrganisationKind, ServiceTypeId,
};

const ORGANISATION_COLS: &str = "id, kind, name_bg, name_en, address_bg, address_en, phone, \
     email, hours_bg, hours_en, languages, active";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Organisation> {
    let kind: String = row.get("kind")?;
    let languages: String = row.get("languages")?;
    Ok(Organisation {
        id: OrganisationId(row.get("id")?),
        details: OrganisationDetails {
            kind: OrganisationKind::from_code(&kind).unwrap_or(OrganisationKind::Other),
            name_bg: row.get("name_bg")?,
            name_en: row.get("name_en")?,
            address_bg: row.get("address_bg")?,
            address_en: row.get("address_en")?,
            phone: row.get("phone")?,
            email: row.get("email")?,
            hours_bg: row.get("hours_bg")?,
            hours_en: row.get("hours_en")?,
            languages: languages.split_whitespace().map(str::to_owned).collect(),
            services: Vec::new(),
            active: row.get("active")?,
        },
    })
}

fn query(db: &Database, filter: &str) -> Result<Vec<Organisation>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {ORGANISATION_COLS} FROM organisations {filter} ORDER BY kind != 'bureau', kind != 'ngo', name_bg, id"
    ))?;
    let mut organisations: Vec<Organisation> = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut services = db.conn.prepare_cached(
        "SELECT service_type_id FROM organisation_services WHERE organisation_id = ?1 ORDER BY service_type_id",
    )?;
    for org in &mut organisations {
        org.details.services = services
            .query_map([org.id.0], |r| Ok(ServiceTypeId(r.get(0)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(organisations)
}

/// The whole directory, the bureau and its partners first, then by Bulgarian name.
pub fn list(db: &Database) -> Result<Vec<Organisation>> {
    query(db, "")
}

/// Active organisations that provide services at the desk: the bureau and its NGO partners.
pub fn providers(db: &Database) -> Result<Vec<Organisation>> {
    query(db, "WHERE active = 1 AND kind IN ('bureau', 'ngo')")
}

/// Active organisations a visitor can be referred or accompanied to.
pub fn destinations(db: &Database) -> Result<Vec<Organisation>> {
    query(db, "WHERE active = 1 AND kind != 'bureau'")
}

/// One organisation.
pub fn find(db: &Database, id: OrganisationId) -> Result<Organisation> {
    query(db, &format!("WHERE id = {}", id.0))?
        .pop()
        .ok_or(super::Error::NotFound)
}

/// Adds an organisation (`id` is `None`) or changes one, in one transaction.
pub fn save(
    db: &mut Database,
    actor: &Actor,
    id: Option<OrganisationId>,
    details: &OrganisationDetails,
    now: &str,
) -> Result<OrganisationId> {
    actor.require(Permission::EditDirectory)?;
    let action = if id.is_some() {
        audit::Action::Update
    } else {
        audit::Action::Create
    };
    let tx = db.conn.transaction()?;
    let id = write(&tx, id, details)?;
    audit::record(&tx, actor, action, "organisations", Some(id.0), now)?;
    tx.commit()?;
    Ok(id)
}

/// Writes one organisation and its services; the caller owns the transaction.
pub(crate) fn write(
    conn: &Connection,
    id: Option<OrganisationId>,
    d: &OrganisationDetails,
) -> Result<OrganisationId> {
    let params = named_params! {
        ":kind": d.kind.code(),
        ":name_bg": d.name_bg,
        ":name_en": d.name_en,
        ":address_bg": d.address_bg,
        ":address_en": d.address_en,
        ":phone": d.phone,
        ":email": d.email,
        ":hours_bg": d.hours_bg,
        ":hours_en": d.hours_en,
        ":languages": d.languages.join(" "),
        ":active": d.active,
    };
    let id = match id {
        Some(id) => {
            let changed = conn.execute(
                &format!(
                    "UPDATE organisations SET kind = :kind, name_bg = :name_bg, name_en = :name_en,
                         address_bg = :address_bg, address_en = :address_en, phone = :phone,
                         email = :email, hours_bg = :hours_bg, hours_en = :hours_en,
                         languages = :languages, active = :active
                     WHERE id = {}",
                    id.0
                ),
                params,
            )?;
            if changed == 0 {
                return Err(super::Error::NotFound);
            }
            id
        }
        None => {
            conn.execute(
                "INSERT INTO organisations (kind, name_bg, name_en, address_bg, address_en, phone,
                     email, hours_bg, hours_en, languages, active)
                 VALUES (:kind, :name_bg, :name_en, :address_bg, :address_en, :phone, :email,
                     :hours_bg, :hours_en, :languages, :active)",
                params,
            )?;
            OrganisationId(conn.last_insert_rowid())
        }
    };
    conn.execute(
        "DELETE FROM organisation_services WHERE organisation_id = ?1",
        [id.0],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO organisation_services (organisation_id, service_type_id) VALUES (?1, ?2)",
    )?;
    for service in &d.services {
        insert.execute((id.0, service.0))?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_support::db_with_staff;
    use crate::domain::OrganisationDraft;

    #[test]
    fn directory_round_trip_and_edit() {
        let (mut db, actor) = db_with_staff();
        // The directory is kept by coordinators.
        let actor = crate::domain::Actor {
            role: crate::domain::Role::Coordinator,
            ..actor
        };
        let draft = OrganisationDraft {
            kind: Some(OrganisationKind::Hospital),
            name_bg: "УМБАЛ „Александровска“".into(),
            name_en: "Alexandrovska University Hospital".into(),
            address_bg: "ул. „Св. Георги Софийски“ 1, София".into(),
            address_en: "1 Sv. Georgi Sofiyski St, Sofia".into(),
            phone: "+359 2 9230 000".into(),
            hours_bg: "пон–пет 8:00–17:00".into(),
            hours_en: "Mon–Fri 8:00–17:00".into(),
            languages: vec!["bg".into(), "en".into()],
            services: vec![ServiceTypeId(14)],
            active: true,
            ..Default::default()
        };
        let details = draft.validate().unwrap_or_else(|e| panic!("{e:?}"));
        let id = save(&mut db, &actor, None, &details, "2026-11-23T10:00")
            .unwrap_or_else(|e| panic!("{e}"));
        let stored = find(&db, id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.details, details);
        assert!(
            destinations(&db)
                .unwrap_or_default()
                .iter()
                .any(|o| o.id == id)
        );
        assert!(
            !providers(&db)
                .unwrap_or_default()
                .iter()
                .any(|o| o.id == id)
        );

        let mut edit = OrganisationDraft::edit(&stored);
        edit.active = false;
        edit.services.clear();
        let changed = edit.validate().unwrap_or_else(|e| panic!("{e:?}"));
        save(&mut db, &actor, Some(id), &changed, "2026-11-23T10:05")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(find(&db, id).map(|o| o.details).ok(), Some(changed));
        assert!(
            !destinations(&db)
                .unwrap_or_default()
                .iter()
                .any(|o| o.id == id)
        );
        assert!(matches!(
            save(&mut db, &actor, Some(OrganisationId(999)), &details, "now"),
            Err(super::super::Error::NotFound)
        ));
    }
}
