//! What an erasure (LGPD) removes from a device besides the subject's documents: form drafts
//! that name the person, a merge of an erased duplicate not yet sent (its copy into the kept
//! record is taken back before the kept record goes to the server), the bytes SQLite keeps
//! after a delete (`secure_delete` is on, and the WAL is checkpointed and truncated), and the
//! damaged copies of the store kept aside, which can't be searched for the person and so go
//! whole.
//!
//! A merge copies what only the duplicate knew into the kept record (`merge.rs`). Automerge
//! history can't be edited, so once that change reaches the server, erasing the duplicate
//! alone would leave its name in the kept record's history: `person_erase` erases the whole
//! family of merged records. Until then the merge is *pending* (`merge_pending`, migration 11,
//! device-only): the sync holds the kept record back until the duplicate's own change (its
//! `merged_into`) has been answered, and if the answer is the duplicate's erasure, the kept
//! record is rewritten from what the server holds of it plus everything typed on this device
//! except what came from the duplicate.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use automerge::{Automerge, ChangeHash};
use esv_shared::document::{self, Entity, Stamp};
use esv_shared::people::Person;
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// Notes a merge of `duplicate` into `kept` made on this device, with the kept record's heads
/// before it, in the merge's transaction.
pub(crate) fn note_merge(
    tx: &Transaction<'_>,
    kept: &str,
    duplicate: &str,
    before: &[ChangeHash],
) -> Result<()> {
    tx.execute(
        "INSERT INTO merge_pending (kept, duplicate, before_heads) VALUES (?1, ?2, ?3)
         ON CONFLICT (kept, duplicate) DO NOTHING",
        params![
            kept,
            duplicate,
            before.iter().flat_map(|h| h.0).collect::<Vec<u8>>()
        ],
    )?;
    Ok(())
}

/// Before the documents of `subject` go (in the erasure's transaction): pending merges of it
/// are taken back out of the records they were merged into, and drafts naming it are dropped.
/// Returns how many drafts and records changed.
pub(crate) fn before_erasing(tx: &Transaction<'_>, subject: &str) -> Result<usize> {
    let person: Option<Person> = match crate::store::load_document(tx, &format!("person:{subject}"))
    {
        Ok(Some(doc)) => match document::read(&doc) {
            Ok(Entity::Person(p)) => Some(p),
            _ => None,
        },
        _ => None,
    };
    let mut changed = 0;
    if crate::migrations::has_table(tx, "merge_pending")? {
        if let Some(dup) = &person {
            changed += take_back_merges(tx, dup)?;
        }
        tx.execute(
            "DELETE FROM merge_pending WHERE kept = ?1 OR duplicate = ?1",
            [subject],
        )?;
    }
    changed += drop_drafts(tx, subject, person.as_ref())?;
    Ok(changed)
}

/// Rewrites every record `dup` was merged into on this device and not yet sent: from what
/// the server holds of it (its `acked` changes), with everything this device typed on it
/// except what the merge copied from `dup`.
fn take_back_merges(tx: &Transaction<'_>, dup: &Person) -> Result<usize> {
    let rows: Vec<(String, Vec<u8>)> = tx
        .prepare("SELECT kept, before_heads FROM merge_pending WHERE duplicate = ?1")?
        .query_map([&dup.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut changed = 0;
    for (kept, before) in rows {
        let doc_id = format!("person:{kept}");
        let Some(doc) = crate::store::load_document(tx, &doc_id)? else {
            continue;
        };
        let Some((acked, updated_at)) = tx
            .query_row(
                "SELECT s.acked, d.updated_at FROM sync_docs s
                 JOIN documents d ON d.doc_id = s.doc_id WHERE s.doc_id = ?1",
                [&doc_id],
                |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()?
        else {
            continue;
        };
        let now = read_person(&doc_id, &doc)?;
        // The record as it was before the merge; if that can't be read, as if it knew
        // nothing the duplicate knew.
        let before = doc
            .fork_at(&hashes(&before))
            .ok()
            .and_then(|d| read_person(&doc_id, &d).ok())
            .unwrap_or_else(|| blank(&now));
        let cleaned = without_copied(now, &before, dup);
        let acked = hashes(&acked);
        // A new actor: the changes taken back were never sent, and nothing may reuse their
        // actor's sequence numbers.
        let mut base = if acked.is_empty() {
            Automerge::new()
        } else {
            doc.fork_at(&acked)
                .map_err(|e| ReplicaError::document(&doc_id, e))?
        };
        let stamp = Stamp {
            message: format!("cadastro {} apagado: o que veio dele foi retirado", dup.id),
            time: 0,
        };
        let entity = Entity::Person(cleaned);
        document::write(&mut base, &entity, &stamp)
            .map_err(|e| ReplicaError::document(&doc_id, e))?;
        let written =
            document::as_written(&entity).map_err(|e| ReplicaError::document(&doc_id, e))?;
        crate::store::save_read_document(tx, &doc_id, &base, &written, &updated_at)?;
        tx.execute(
            "UPDATE sync_docs SET dirty = 1 WHERE doc_id = ?1",
            [&doc_id],
        )?;
        changed += 1;
    }
    Ok(changed)
}

fn hashes(blob: &[u8]) -> Vec<ChangeHash> {
    blob.chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok().map(ChangeHash))
        .collect()
}

/// `p` knowing none of what a merge can copy.
fn blank(p: &Person) -> Person {
    Person {
        social_name: None,
        civil_name: None,
        birth_date: None,
        mother_name: None,
        contact: None,
        stage: None,
        race: None,
        gender_identity: None,
        missing_documents: Vec::new(),
        consents: Vec::new(),
        plan: Vec::new(),
        origin: None,
        ..p.clone()
    }
}

fn read_person(doc_id: &str, doc: &Automerge) -> Result<Person> {
    match document::read(doc).map_err(|e| ReplicaError::document(doc_id, e))? {
        Entity::Person(p) => Ok(p),
        _ => Err(ReplicaError::BadInput(format!("{doc_id} não é uma pessoa"))),
    }
}

/// `now` without what the merge copied from `dup`: a value the kept record took from it
/// (different before the merge, the duplicate's now) goes back to what it was; consents and
/// plan goals that came from it go.
fn without_copied(mut now: Person, before: &Person, dup: &Person) -> Person {
    fn back<T: PartialEq + Clone>(now: &mut Option<T>, before: &Option<T>, dup: &Option<T>) {
        if now.is_some() && now == dup && now != before {
            *now = before.clone();
        }
    }
    back(&mut now.social_name, &before.social_name, &dup.social_name);
    back(&mut now.civil_name, &before.civil_name, &dup.civil_name);
    back(&mut now.birth_date, &before.birth_date, &dup.birth_date);
    back(&mut now.mother_name, &before.mother_name, &dup.mother_name);
    back(&mut now.contact, &before.contact, &dup.contact);
    back(&mut now.stage, &before.stage, &dup.stage);
    back(&mut now.race, &before.race, &dup.race);
    back(&mut now.origin, &before.origin, &dup.origin);
    back(
        &mut now.gender_identity,
        &before.gender_identity,
        &dup.gender_identity,
    );
    if now.missing_documents == dup.missing_documents
        && now.missing_documents != before.missing_documents
    {
        now.missing_documents = before.missing_documents.clone();
    }
    let came = |id: &str, dup_ids: &[&str], before_ids: &[&str]| {
        dup_ids.contains(&id) && !before_ids.contains(&id)
    };
    let (dup_goals, before_goals): (Vec<&str>, Vec<&str>) = (
        dup.plan.iter().map(|g| g.id.as_str()).collect(),
        before.plan.iter().map(|g| g.id.as_str()).collect(),
    );
    now.plan.retain(|g| !came(&g.id, &dup_goals, &before_goals));
    let (dup_consents, before_consents): (Vec<&str>, Vec<&str>) = (
        dup.consents.iter().map(|c| c.id.as_str()).collect(),
        before.consents.iter().map(|c| c.id.as_str()).collect(),
    );
    now.consents
        .retain(|c| !came(&c.id, &dup_consents, &before_consents));
    now
}

/// Drops the drafts that name `subject`: its id in any field, or one of its names (folded, so
/// "JOÃO" and "joao" are the same) inside any text. Drafts of other people stay.
fn drop_drafts(tx: &Transaction<'_>, subject: &str, person: Option<&Person>) -> Result<usize> {
    if !crate::migrations::has_table(tx, "drafts")? {
        return Ok(0);
    }
    let names: Vec<String> = person
        .into_iter()
        .flat_map(|p| [&p.social_name, &p.civil_name, &p.mother_name])
        .flatten()
        .map(|n| esv_shared::text::fold(n))
        .filter(|n| n.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .collect();
    let drafts: Vec<(String, String)> = tx
        .prepare("SELECT form, data FROM drafts")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut dropped = 0;
    for (form, data) in drafts {
        let value = serde_json::from_str::<Value>(&data).unwrap_or(Value::String(data));
        if names_subject(&value, subject, &names) {
            dropped += tx.execute("DELETE FROM drafts WHERE form = ?1", [&form])?;
        }
    }
    Ok(dropped)
}

fn names_subject(value: &Value, subject: &str, names: &[String]) -> bool {
    match value {
        Value::String(s) => {
            s == subject
                || s.strip_prefix(subject).is_some_and(|r| r.starts_with('/'))
                || s.split_once(':').is_some_and(|(_, id)| {
                    id == subject || id.strip_prefix(subject).is_some_and(|r| r.starts_with('/'))
                })
                || {
                    let folded = esv_shared::text::fold(s);
                    names.iter().any(|n| has_words(&folded, n))
                }
        }
        Value::Array(items) => items.iter().any(|v| names_subject(v, subject, names)),
        Value::Object(fields) => fields.values().any(|v| names_subject(v, subject, names)),
        _ => false,
    }
}

/// Whether `name` is in `text` as whole words ("ana" in "falar com ana", not in "banana").
fn has_words(text: &str, name: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(name).any(|(at, _)| {
        boundary(text[..at].chars().next_back()) && boundary(text[at + name.len()..].chars().next())
    })
}

impl Store {
    /// The kept records (document ids) of merges whose duplicate still waits to be sent,
    /// with the duplicate's document: the sync holds each back until the server has answered
    /// for the duplicate (kept it, or said it was erased).
    pub(crate) fn held_for_merge(&self) -> Result<HashMap<String, HashSet<String>>> {
        let mut held: HashMap<String, HashSet<String>> = HashMap::new();
        if !crate::migrations::has_table(&self.conn, "merge_pending")? {
            return Ok(held);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT 'person:' || m.kept, s.doc_id FROM merge_pending m
             JOIN sync_docs s ON s.doc_id = 'person:' || m.duplicate WHERE s.dirty = 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kept, dup) = row?;
            held.entry(kept).or_default().insert(dup);
        }
        Ok(held)
    }

    /// After an erasure has been committed: the WAL's copies of the deleted pages are written
    /// back (zeroed by `secure_delete`) and the WAL cut to nothing, and the damaged copies of
    /// this store kept aside are deleted. A busy checkpoint (another connection reading) is
    /// not an error: the next one finishes it.
    pub(crate) fn after_erasure(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        delete_damaged_copies(self.path())
    }
}

/// Deletes the copies `Store::open` kept aside of a damaged store at `path`
/// (`<name>.danificado-…`, with their `-wal` and `-shm`).
pub(crate) fn delete_damaged_copies(path: &Path) -> Result<()> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(());
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let prefix = format!("{}.danificado-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            std::fs::remove_file(entry.path()).map_err(|source| ReplicaError::File {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scans of `tests/erasure.rs` read plain stores; an encrypted one can't be
    /// read page by page here (no `sqlite_dbpage` in this SQLite build), so this checks it
    /// runs with the same `secure_delete`, the setting the scans prove on plain files.
    #[test]
    fn an_encrypted_store_zeroes_what_it_deletes_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db");
        drop(Store::open(&path).expect("plain"));
        let pin = crate::vault::Pin::new("246810").expect("pin");
        Store::encrypt_with_pin(&path, &pin).expect("encrypt");
        let now: chrono::DateTime<chrono::Utc> = "2026-12-01T13:00:00Z".parse().expect("instant");
        let (store, _) = Store::open_with_pin(&path, &pin, now).expect("open");
        assert!(store.is_encrypted());
        let on: i64 = store
            .conn
            .query_row("PRAGMA secure_delete", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(on, 1);
    }

    #[test]
    fn a_draft_names_a_person_by_id_or_by_whole_words_of_a_name() {
        let names = vec![esv_shared::text::fold("Ana Souza"), "ze".to_owned()];
        let check = |value: serde_json::Value, expect: bool| {
            assert_eq!(names_subject(&value, "p1", &names), expect, "{value}");
        };
        check(serde_json::json!({"person_id": "p1"}), true);
        check(serde_json::json!({"x": ["person:p1"]}), true);
        check(serde_json::json!({"x": "encounter:p1/e2"}), true);
        check(serde_json::json!({"person_id": "p10"}), false);
        check(
            serde_json::json!({"notes": "Falar com ANA SOUZA amanhã"}),
            true,
        );
        check(serde_json::json!({"notes": "ana souzaa"}), false);
        check(serde_json::json!({"notes": "Banana Souza"}), false);
        check(serde_json::json!({"n": 3, "b": true}), false);
    }
}
