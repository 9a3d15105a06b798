//! The service catalogue.

use rusqlite::Row;

use super::{Database, Result};
use crate::domain::{ServiceType, ServiceTypeId};

const SERVICE_COLS: &str = "id, code, name_bg, name_en";

fn service_from_row(row: &Row<'_>) -> rusqlite::Result<ServiceType> {
    Ok(ServiceType {
        id: ServiceTypeId(row.get("id")?),
        code: row.get("code")?,
        name_bg: row.get("name_bg")?,
        name_en: row.get("name_en")?,
    })
}

/// Active service types in catalogue order.
pub fn service_types(db: &Database) -> Result<Vec<ServiceType>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {SERVICE_COLS} FROM service_types WHERE active = 1 ORDER BY sort_order, id"
    ))?;
    let rows = stmt
        .query_map([], service_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
