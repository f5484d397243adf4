//! Projections of personal documents: a citizen's requests; an office's people, outreaches,
//! encounters and referrals. Rows carry the entity as JSON plus the columns lists sort and
//! filter by; nothing of them enters the catalog's full-text index.

use esv_shared::document::Entity;
use rusqlite::{params, Transaction};

use crate::error::Result;

const TABLES: [&str; 5] = [
    "requests",
    "people",
    "outreaches",
    "encounters",
    "referrals",
];

pub fn project(tx: &Transaction<'_>, doc_id: &str, entity: &Entity) -> Result<()> {
    match entity {
        Entity::Request(r) => {
            tx.execute(
                "INSERT INTO requests (id, doc_id, office_id, device, status, created_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    r.id,
                    doc_id,
                    r.office_id,
                    r.device,
                    r.status().slug(),
                    r.created_at.to_rfc3339(),
                    json(r)
                ],
            )?;
        }
        Entity::Person(p) => {
            tx.execute(
                "INSERT INTO people (id, doc_id, office_id, display_name, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![p.id, doc_id, p.office_id, p.display_name(), json(p)],
            )?;
        }
        Entity::Outreach(o) => {
            tx.execute(
                "INSERT INTO outreaches (id, doc_id, office_id, date, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![o.id, doc_id, o.office_id, o.date.to_string(), json(o)],
            )?;
        }
        Entity::Encounter(e) => {
            tx.execute(
                "INSERT INTO encounters (id, doc_id, person_id, at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.id, doc_id, e.person_id, e.at.to_rfc3339(), json(e)],
            )?;
        }
        Entity::Referral(r) => {
            tx.execute(
                "INSERT INTO referrals (id, doc_id, person_id, service_id, status, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    r.id,
                    doc_id,
                    r.person_id,
                    r.service_id,
                    r.status.slug(),
                    json(r)
                ],
            )?;
        }
        Entity::Office(_)
        | Entity::Organization(_)
        | Entity::RightsArticle(_)
        | Entity::Opportunity(_) => {}
    }
    Ok(())
}

/// Removes what a personal document projected: one row, found by its primary key (the part of
/// the document id after `kind:`), so a write costs the same with 20 people or 20,000.
pub fn forget(tx: &Transaction<'_>, doc_id: &str) -> Result<()> {
    let Some((kind, id)) = doc_id.split_once(':') else {
        return Ok(());
    };
    let table = match kind {
        "request" => "requests",
        "person" => "people",
        "outreach" => "outreaches",
        "encounter" => "encounters",
        "referral" => "referrals",
        _ => return Ok(()),
    };
    tx.execute(
        &format!("DELETE FROM {table} WHERE id = ?1 AND doc_id = ?2"),
        params![id, doc_id],
    )?;
    Ok(())
}

pub fn clear(tx: &Transaction<'_>) -> Result<()> {
    for table in TABLES {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

/// An entity as its JSON row.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
