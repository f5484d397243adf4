//! Projections of personal documents: a citizen's requests; an office's people, outreaches,
//! encounters and referrals. Rows carry the entity as JSON plus the columns lists sort and
//! filter by and the monthly report reads (migration 9: the same values `json_extract` gives
//! of `data`; migration 13: each person's latest encounter with its return, a plan's goals as
//! rows of their own, the people the worklist may list; migration 15: the list of people
//! expected at the gate);
//! nothing of them enters the catalog's full-text index.

use esv_shared::document::Entity;
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Result;

const TABLES: [&str; 9] = [
    "requests",
    "people",
    "plan_goals",
    "worklist_people",
    "latest_encounters",
    "outreaches",
    "encounters",
    "referrals",
    "expected_releases",
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
            tx.prepare_cached(
                "INSERT INTO people (id, doc_id, office_id, display_name, data, stage, race,
                                     gender, merged_into, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                p.id,
                doc_id,
                p.office_id,
                p.display_name(),
                json(p),
                text(&p.stage),
                text(&p.race),
                p.gender_identity,
                p.merged_into,
                text(&p.origin)
            ])?;
            let mut goal = tx.prepare_cached(
                "INSERT INTO plan_goals (person_id, id, status, due, action)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for g in &p.plan {
                goal.execute(params![p.id, g.id, text(&g.status), text(&g.due), g.action])?;
            }
            // The worklist follows no one merged into another record or whose consent was
            // withdrawn (processing stops).
            if p.merged_into.is_none() && p.has_consent() {
                tx.prepare_cached(
                    "INSERT INTO worklist_people (id, office_id, display_name) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![p.id, p.office_id, p.display_name()])?;
            }
        }
        Entity::Outreach(o) => {
            tx.execute(
                "INSERT INTO outreaches (id, doc_id, office_id, date, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![o.id, doc_id, o.office_id, o.date.to_string(), json(o)],
            )?;
        }
        Entity::Encounter(e) => {
            tx.prepare_cached(
                "INSERT INTO encounters (id, doc_id, person_id, at, data, office_id,
                                         outreach_id, needs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                e.id,
                doc_id,
                e.person_id,
                e.at.to_rfc3339(),
                json(e),
                e.office_id,
                e.outreach_id,
                json(&e.needs)
            ])?;
            // The person's latest encounter, and the return it set (the worklist's).
            tx.prepare_cached(
                "INSERT INTO latest_encounters (person_id, at, follow_up) VALUES (?1, ?2, ?3)
                 ON CONFLICT (person_id) DO UPDATE
                 SET at = excluded.at, follow_up = excluded.follow_up
                 WHERE excluded.at >= latest_encounters.at",
            )?
            .execute(params![e.person_id, e.at.to_rfc3339(), text(&e.follow_up)])?;
        }
        Entity::Referral(r) => {
            tx.prepare_cached(
                "INSERT INTO referrals (id, doc_id, person_id, service_id, status, data,
                                        office_id, made_at, outcome_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                r.id,
                doc_id,
                r.person_id,
                r.service_id,
                r.status.slug(),
                json(r),
                r.office_id,
                text(&r.made_at),
                text(&r.outcome_at)
            ])?;
        }
        Entity::ExpectedRelease(e) => {
            tx.prepare_cached(
                "INSERT INTO expected_releases (id, doc_id, office_id, release_date,
                                                facility_id, name, person_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                e.id,
                doc_id,
                e.office_id,
                e.release_date.to_string(),
                e.facility_id,
                e.name,
                e.person_id,
                json(e)
            ])?;
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
        "expected-release" => "expected_releases",
        _ => return Ok(()),
    };
    if table == "encounters" {
        return forget_encounter(tx, id, doc_id);
    }
    let deleted = tx
        .prepare_cached(&format!(
            "DELETE FROM {table} WHERE id = ?1 AND doc_id = ?2"
        ))?
        .execute(params![id, doc_id])?;
    if table == "people" && deleted > 0 {
        tx.prepare_cached("DELETE FROM plan_goals WHERE person_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("DELETE FROM worklist_people WHERE id = ?1")?
            .execute([id])?;
    }
    Ok(())
}

/// Removes an encounter's row; its person's latest encounter is then found again among those
/// left (by the index on person and instant).
fn forget_encounter(tx: &Transaction<'_>, id: &str, doc_id: &str) -> Result<()> {
    let person: Option<String> = tx
        .prepare_cached("DELETE FROM encounters WHERE id = ?1 AND doc_id = ?2 RETURNING person_id")?
        .query_row(params![id, doc_id], |r| r.get(0))
        .optional()?;
    let Some(person) = person else {
        return Ok(());
    };
    tx.prepare_cached("DELETE FROM latest_encounters WHERE person_id = ?1")?
        .execute([&person])?;
    tx.prepare_cached(
        "INSERT INTO latest_encounters (person_id, at, follow_up)
         SELECT person_id, at, json_extract(data, '$.follow_up') FROM encounters
         WHERE person_id = ?1 ORDER BY at DESC LIMIT 1",
    )?
    .execute([&person])?;
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

/// A field as `json_extract` gives it when it is a JSON string (a slug as serde writes it, an
/// instant in serde's format); `None` for null.
fn text<T: serde::Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}
