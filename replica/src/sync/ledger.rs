//! The store's side of sync: local edits (marked to push), what to push, and applying a sync
//! round — acknowledgements, pulled changes and new cursors — in one SQLite transaction, so a
//! process killed at any point loses nothing and repeats nothing the server hasn't deduplicated.
//!
//! Per document, `acked` is a set of change hashes the server holds together with all their
//! ancestors; a push sends `doc.get_changes(acked)`. It only ever grows by what the server
//! acknowledged or sent, so that rule holds whatever the network did.

use std::collections::{BTreeMap, HashSet};

use automerge::{ActorId, Automerge, Change, ChangeHash, ReadDoc};
use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::document::{self, DocumentError, Entity, Stamp};
use esv_shared::sync::{DocChanges, Erased, Pulled, Scope, SnapshotDoc};
use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::{ReplicaError, Result};
use crate::store::{set_meta_tx, Store};

/// A document's local changes the server has not acknowledged, ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub changes: DocChanges,
    /// The document's heads when the push was read: acknowledged together.
    pub heads: Vec<ChangeHash>,
    /// The server has acknowledged some of it before (it holds the document).
    pub known_to_server: bool,
}

/// Writes an entity into its document as one change (`document::write` or its batched form).
type Writer = fn(&mut Automerge, &Entity, &Stamp) -> std::result::Result<bool, DocumentError>;

fn hashes_to_blob(hashes: &[ChangeHash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

fn blob_to_hashes(blob: &[u8]) -> Vec<ChangeHash> {
    blob.chunks_exact(32)
        .filter_map(|c| <[u8; 32]>::try_from(c).ok().map(ChangeHash))
        .collect()
}

/// Keeps only what is needed: when every head of the document is acknowledged, the heads
/// alone say the same.
fn compact(doc: &Automerge, acked: Vec<ChangeHash>) -> Vec<ChangeHash> {
    let set: HashSet<ChangeHash> = acked.iter().copied().collect();
    let heads = doc.get_heads();
    if heads.iter().all(|h| set.contains(h)) {
        heads
    } else {
        let mut acked = acked;
        acked.sort_unstable();
        acked.dedup();
        acked
    }
}

fn load(tx: &Transaction<'_>, doc_id: &str) -> Result<Option<Automerge>> {
    crate::store::load_document(tx, doc_id)
}

fn save(tx: &Transaction<'_>, doc_id: &str, doc: &Automerge, stamp: &str) -> Result<()> {
    crate::store::save_document(tx, doc_id, doc, stamp)
}

fn ledger_row(tx: &Transaction<'_>, doc_id: &str) -> Result<Option<(Vec<ChangeHash>, bool)>> {
    Ok(tx
        .query_row(
            "SELECT acked, dirty FROM sync_docs WHERE doc_id = ?1",
            [doc_id],
            |r| {
                Ok((
                    blob_to_hashes(&r.get::<_, Vec<u8>>(0)?),
                    r.get::<_, bool>(1)?,
                ))
            },
        )
        .optional()?)
}

fn put_ledger(
    tx: &Transaction<'_>,
    doc_id: &str,
    scope: &Scope,
    acked: &[ChangeHash],
    dirty: bool,
) -> Result<()> {
    tx.execute(
        "INSERT INTO sync_docs (doc_id, scope, acked, dirty) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (doc_id) DO UPDATE SET scope = ?2, acked = ?3, dirty = ?4",
        params![
            doc_id,
            serde_json::to_string(scope).map_err(bad_json)?,
            hashes_to_blob(acked),
            dirty
        ],
    )?;
    Ok(())
}

/// Deletes every document about `subject` — its saved bytes, its projections and its ledger
/// row, so nothing of it is pushed again — in the caller's transaction. With `stream`, only
/// documents synced in that stream (a document this device never synced counts as any).
/// Returns how many documents went.
fn erase_subject_tx(tx: &Transaction<'_>, stream: Option<&str>, subject: &str) -> Result<usize> {
    let mut ids: Vec<String> = Vec::new();
    for sql in [
        "SELECT doc_id FROM documents",
        "SELECT doc_id FROM sync_docs",
    ] {
        let mut stmt = tx.prepare(sql)?;
        let found = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        ids.extend(
            found
                .into_iter()
                .filter(|id| esv_shared::sync::subject(id) == Some(subject)),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    let mut erased = 0;
    for doc_id in ids {
        if let Some(stream) = stream {
            let scope: Option<String> = tx
                .query_row(
                    "SELECT scope FROM sync_docs WHERE doc_id = ?1",
                    [&doc_id],
                    |r| r.get(0),
                )
                .optional()?;
            let elsewhere = scope
                .and_then(|s| serde_json::from_str::<Scope>(&s).ok())
                .is_some_and(|s| s.stream() != stream);
            if elsewhere {
                continue;
            }
        }
        crate::projection::forget(tx, &doc_id)?;
        erased += tx.execute("DELETE FROM documents WHERE doc_id = ?1", [&doc_id])?;
        tx.execute("DELETE FROM sync_docs WHERE doc_id = ?1", [&doc_id])?;
    }
    Ok(erased)
}

/// Runs automerge on bytes from outside (a sync answer, a snapshot). A malformed change that
/// still parses can make automerge panic while applying it (seen with 0.12 under the fuzz
/// corpus); that must be a refused answer — the round's transaction rolled back, nothing
/// stored — not a crashed app.
pub fn untrusted<T>(
    doc_id: &str,
    work: impl FnOnce() -> std::result::Result<T, automerge::AutomergeError>,
) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(result) => result.map_err(|e| ReplicaError::document(doc_id, e)),
        Err(_) => Err(ReplicaError::BadInput(format!(
            "o servidor enviou alterações danificadas de {doc_id}; nada foi guardado. Tente \
             sincronizar de novo mais tarde."
        ))),
    }
}

fn bad_json(e: serde_json::Error) -> ReplicaError {
    ReplicaError::BadInput(format!("dados de sincronização ilegíveis: {e}"))
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// This device's automerge actor, made on first use and kept.
    pub fn actor(&self) -> Result<ActorId> {
        if let Some(hex) = self.meta("actor")? {
            if let Ok(actor) = ActorId::try_from(hex.as_str()) {
                return Ok(actor);
            }
        }
        let actor = ActorId::random();
        self.set_meta("actor", &actor.to_hex_string())?;
        Ok(actor)
    }

    /// Writes `entity` as a local edit: a change in its document holding only what differs,
    /// its projection, and a mark to push it — in one transaction. Returns whether anything
    /// changed.
    pub fn edit(&mut self, entity: &Entity, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.edit_all(std::slice::from_ref(entity), now)? > 0)
    }

    /// Writes several entities as local edits in one transaction: all or none of them (an
    /// encounter with its person and referrals). Returns how many changed.
    pub fn edit_all(&mut self, entities: &[Entity], now: DateTime<Utc>) -> Result<usize> {
        self.edit_all_as(entities, now, "edição local")
    }

    /// [`Store::edit_all`] with the changes' message saying what wrote them ("importação
    /// HSDS").
    pub(crate) fn edit_all_as(
        &mut self,
        entities: &[Entity],
        now: DateTime<Utc>,
        message: &str,
    ) -> Result<usize> {
        self.write_all(entities, now, message, document::write)
    }

    /// [`Store::edit_all_as`] for a bulk import: each new object of a change (a new
    /// document, a new service) is made in one batch (`document::write_batched`).
    pub(crate) fn import_all_as(
        &mut self,
        entities: &[Entity],
        now: DateTime<Utc>,
        message: &str,
    ) -> Result<usize> {
        self.write_all(entities, now, message, document::write_batched)
    }

    fn write_all(
        &mut self,
        entities: &[Entity],
        now: DateTime<Utc>,
        message: &str,
        write: Writer,
    ) -> Result<usize> {
        let actor = self.actor()?;
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for entity in entities {
            let doc_id = entity.doc_id();
            let mut doc = match load(&tx, &doc_id)? {
                Some(doc) => doc.with_actor(actor.clone()),
                None => Automerge::new().with_actor(actor.clone()),
            };
            let change = Stamp {
                message: message.to_owned(),
                time: now.timestamp(),
            };
            if !write(&mut doc, entity, &change).map_err(|e| ReplicaError::document(&doc_id, e))? {
                continue;
            }
            let written =
                document::as_written(entity).map_err(|e| ReplicaError::document(&doc_id, e))?;
            crate::store::save_read_document(&tx, &doc_id, &doc, &written, &stamp(now))?;
            let acked = ledger_row(&tx, &doc_id)?
                .map(|(a, _)| a)
                .unwrap_or_default();
            put_ledger(&tx, &doc_id, &entity.scope(), &acked, true)?;
            changed += 1;
        }
        if changed == 0 {
            return Ok(0);
        }
        set_meta_tx(&tx, "updated_at", &stamp(now))?;
        tx.commit()?;
        // Personal documents are not in the catalog's index: keep it, and bring the people
        // prepared for search up to date one by one rather than preparing 20,000 again.
        if entities.iter().all(|e| e.kind().is_personal()) {
            for entity in entities {
                if let Entity::Person(person) = entity {
                    crate::field::remember_person(self, person);
                }
            }
        } else {
            self.index = None;
        }
        Ok(changed)
    }

    /// Every document with changes the server has not acknowledged.
    pub fn outgoing(&self) -> Result<Vec<Outgoing>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.doc_id, s.scope, s.acked, d.bytes FROM sync_docs s
             JOIN documents d ON d.doc_id = s.doc_id WHERE s.dirty = 1 ORDER BY s.doc_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Vec<u8>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(doc_id, scope, acked, bytes)| {
                let doc =
                    Automerge::load(&bytes).map_err(|e| ReplicaError::document(&doc_id, e))?;
                let changes = doc
                    .get_changes(&blob_to_hashes(&acked))
                    .into_iter()
                    .map(|mut c| c.bytes().into_owned())
                    .collect();
                Ok(Outgoing {
                    known_to_server: !acked.is_empty(),
                    heads: doc.get_heads(),
                    changes: DocChanges {
                        doc_id,
                        scope: serde_json::from_str(&scope).map_err(bad_json)?,
                        changes,
                    },
                })
            })
            .collect()
    }

    /// Forgets what the server acknowledged of `doc_id`, so the next push sends its whole
    /// history (the server said it lacks some of it).
    pub fn resend_whole(&mut self, doc_id: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_docs SET acked = x'', dirty = 1 WHERE doc_id = ?1",
            [doc_id],
        )?;
        Ok(())
    }

    /// How many documents wait to be sent.
    pub fn outgoing_count(&self) -> Result<usize> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM sync_docs WHERE dirty = 1", [], |r| {
                r.get::<_, i64>(0)
            })? as usize)
    }

    /// The cursor per stream.
    pub fn cursors(&self) -> Result<BTreeMap<String, u64>> {
        let mut stmt = self.conn.prepare("SELECT stream, seq FROM sync_cursors")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        Ok(rows)
    }

    /// Deletes every local document about `subject` (a person, or a citizen device's
    /// requests): saved bytes, projections and ledger rows, in one transaction. Every other
    /// document stays as it is. Returns how many documents went.
    pub fn erase_subject_locally(&mut self, subject: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let erased = erase_subject_tx(&tx, None, subject)?;
        tx.commit()?;
        if erased > 0 {
            self.index = None;
        }
        Ok(erased)
    }

    /// Records one answered sync request: the pushed documents are acknowledged up to the
    /// heads they were read at, the pulled changes are applied (in batches, per document), the
    /// erased subjects' documents are deleted, and the cursors move — all in one transaction.
    /// Returns how many documents changed (erased ones included).
    pub fn apply_round(
        &mut self,
        pushed: &[Outgoing],
        pulled: Vec<Pulled>,
        erased: &[Erased],
        cursors: &BTreeMap<String, u64>,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        for out in pushed {
            let doc_id = &out.changes.doc_id;
            let Some((acked, _)) = ledger_row(&tx, doc_id)? else {
                continue;
            };
            let Some(doc) = load(&tx, doc_id)? else {
                continue;
            };
            let mut acked = acked;
            acked.extend(out.heads.iter().copied());
            let acked = compact(&doc, acked);
            // Still dirty if it was edited while the request was on its way.
            let dirty = doc.get_heads() != out.heads;
            put_ledger(&tx, doc_id, &out.changes.scope, &acked, dirty)?;
        }
        let mut by_doc: BTreeMap<String, (Scope, Vec<Change>)> = BTreeMap::new();
        for p in pulled {
            let change = Change::from_bytes(p.change).map_err(|e| {
                ReplicaError::BadInput(format!(
                    "o servidor enviou uma alteração danificada de {}: {e}",
                    p.doc_id
                ))
            })?;
            by_doc
                .entry(p.doc_id)
                .or_insert_with(|| (p.scope, Vec::new()))
                .1
                .push(change);
        }
        let mut changed = 0;
        for (doc_id, (scope, changes)) in by_doc {
            let hashes: Vec<ChangeHash> = changes.iter().map(Change::hash).collect();
            let mut doc = load(&tx, &doc_id)?.unwrap_or_default();
            let before = doc.get_heads();
            untrusted(&doc_id, || doc.apply_changes(changes))?;
            if !doc.get_missing_deps(&[]).is_empty() {
                return Err(ReplicaError::BadInput(format!(
                    "o servidor enviou alterações de {doc_id} sem as anteriores; tente sincronizar de novo"
                )));
            }
            if doc.get_heads() != before {
                save(&tx, &doc_id, &doc, &stamp(now))?;
                changed += 1;
            }
            let (mut acked, dirty) = ledger_row(&tx, &doc_id)?.unwrap_or_default();
            acked.extend(hashes);
            put_ledger(&tx, &doc_id, &scope, &compact(&doc, acked), dirty)?;
        }
        // Last, so nothing this round pulled or acknowledged of an erased subject survives.
        for e in erased {
            changed += erase_subject_tx(&tx, Some(&e.stream), &e.subject)?;
        }
        let changed = Store::finish(
            tx,
            cursors.iter().map(|(s, q)| (s.as_str(), *q)),
            changed,
            now,
        )?;
        if changed > 0 {
            self.index = None;
        }
        Ok(changed)
    }

    /// Moves the cursors forward (never back), notes when data changed, and commits.
    fn finish<'a>(
        tx: Transaction<'_>,
        cursors: impl Iterator<Item = (&'a str, u64)>,
        changed: usize,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        for (stream, seq) in cursors {
            tx.execute(
                "INSERT INTO sync_cursors (stream, seq) VALUES (?1, ?2)
                 ON CONFLICT (stream) DO UPDATE SET seq = max(seq, ?2)",
                params![stream, seq as i64],
            )?;
        }
        if changed > 0 {
            set_meta_tx(&tx, "updated_at", &stamp(now))?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Merges a server snapshot (saved documents up to `seq`), deletes the documents of the
    /// subjects erased in the stream, and sets the stream's cursor, in one transaction.
    pub fn apply_snapshot(
        &mut self,
        stream: &str,
        seq: u64,
        docs: Vec<SnapshotDoc>,
        erased: &[String],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut changed = 0;
        for snap in docs {
            let mut theirs = untrusted(&snap.doc_id, || Automerge::load(&snap.bytes))?;
            let server_heads = theirs.get_heads();
            let mut doc = load(&tx, &snap.doc_id)?.unwrap_or_default();
            let before = doc.get_heads();
            untrusted(&snap.doc_id, || doc.merge(&mut theirs).map(|_| ()))?;
            if doc.get_heads() != before {
                save(&tx, &snap.doc_id, &doc, &stamp(now))?;
                changed += 1;
            }
            let (mut acked, dirty) = ledger_row(&tx, &snap.doc_id)?.unwrap_or_default();
            acked.extend(server_heads);
            put_ledger(&tx, &snap.doc_id, &snap.scope, &compact(&doc, acked), dirty)?;
        }
        for subject in erased {
            changed += erase_subject_tx(&tx, Some(stream), subject)?;
        }
        let changed = Store::finish(tx, std::iter::once((stream, seq)), changed, now)?;
        if changed > 0 {
            self.index = None;
        }
        Ok(changed)
    }

    /// Fields of a document that were edited concurrently on two devices (see
    /// [`document::conflicts`]).
    pub fn conflicts(&self, doc_id: &str) -> Result<Vec<String>> {
        Ok(self
            .document(doc_id)?
            .map(|d| document::conflicts(&d))
            .unwrap_or_default())
    }

    /// The heads of a stored document (for tests and conflict checks).
    pub fn heads(&self, doc_id: &str) -> Result<Vec<ChangeHash>> {
        Ok(self
            .document(doc_id)?
            .map(|d| d.get_heads())
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_survive_the_blob_form() {
        let hashes = vec![ChangeHash([1; 32]), ChangeHash([200; 32])];
        assert_eq!(blob_to_hashes(&hashes_to_blob(&hashes)), hashes);
        assert!(
            blob_to_hashes(&[1, 2, 3]).is_empty(),
            "a torn blob yields nothing, not garbage"
        );
    }
}
