//! The store's side of sync: local edits (marked to push), what to push, and applying a sync
//! round — acknowledgements, pulled changes and new cursors — in one SQLite transaction, so a
//! process killed at any point loses nothing and repeats nothing the server hasn't deduplicated.
//!
//! Per document, `acked` is a set of change hashes the server holds together with all their
//! ancestors; a push sends `doc.get_changes(acked)`. It only ever grows by what the server
//! acknowledged or sent, so that rule holds whatever the network did.
//!
//! Each pulled document is taken in inside its own savepoint ([`take_in`]): one that cannot be
//! applied, read or projected is rolled back and kept aside (`quarantine.rs`) while the rest of
//! the round, and its cursors, go on.

use std::collections::{BTreeMap, HashSet};

use automerge::{ActorId, Automerge, Change, ChangeHash, ReadDoc};
use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::document::{self, DocumentError, Entity, Stamp, SCHEMA};
use esv_shared::sync::{ownership, DocChanges, Erased, Ownership, Pulled, Scope, SnapshotDoc};
use rusqlite::{params, OptionalExtension, Transaction};

use super::quarantine::{self, Fault, HeldKind};
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
    // Merges of it not yet sent are taken back, drafts naming it go.
    let mut erased = crate::erasure::before_erasing(tx, subject)?;
    let mut ids: Vec<String> = Vec::new();
    for sql in [
        "SELECT doc_id FROM documents",
        "SELECT doc_id FROM sync_docs",
        "SELECT doc_id FROM quarantine",
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
    for doc_id in ids {
        if let Some(stream) = stream {
            let scope: Option<String> = tx
                .query_row(
                    "SELECT scope FROM sync_docs WHERE doc_id = ?1
                     UNION ALL SELECT scope FROM quarantine WHERE doc_id = ?1 LIMIT 1",
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
        quarantine::release(tx, &doc_id)?;
    }
    Ok(erased)
}

/// Runs automerge on bytes from outside (a sync answer, a snapshot). A malformed change that
/// still parses can make automerge panic while applying it (seen with 0.12 under the fuzz
/// corpus); that must be a refused document — its savepoint rolled back, it kept aside, the
/// rest of the round applied — not a crashed app.
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

/// What taking in one document's share of a round, a snapshot or a retry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Taken {
    /// The document changed (saved and projected).
    Changed,
    /// Nothing new in it.
    Same,
    /// It could not be taken in: kept aside, the store's copy as it was.
    Held,
}

/// Takes in what came for one document — `incoming` changes or saved documents, after what was
/// kept aside of it before — inside its own savepoint of `tx`. If anything about it fails
/// (bytes, automerge, missing dependencies, reading, projecting, its owner), the savepoint is
/// rolled back and everything that came for it is kept in the quarantine with the reason;
/// when it succeeds, a quarantine row of it goes. Only a failure of the store itself is an
/// error. `newest` is the latest document schema this build reads (`SCHEMA`).
pub(crate) fn take_in(
    tx: &Transaction<'_>,
    doc_id: &str,
    scope: &Scope,
    incoming: Vec<Vec<u8>>,
    newest: i64,
    now: DateTime<Utc>,
) -> Result<Taken> {
    let (was_held, entries) = match quarantine::held(tx, doc_id)? {
        None => (false, incoming),
        Some(row) => {
            let mut entries = row.entries;
            let mut seen: HashSet<Vec<u8>> = entries.iter().cloned().collect();
            entries.extend(incoming.into_iter().filter(|e| seen.insert(e.clone())));
            (true, entries)
        }
    };
    tx.execute_batch("SAVEPOINT take_in")?;
    match apply_entries(tx, doc_id, scope, &entries, was_held, newest, now) {
        Ok(changed) => {
            tx.execute_batch("RELEASE take_in")?;
            if was_held {
                quarantine::release(tx, doc_id)?;
            }
            Ok(if changed { Taken::Changed } else { Taken::Same })
        }
        Err(fault) => {
            tx.execute_batch("ROLLBACK TO take_in; RELEASE take_in")?;
            match fault {
                Fault::Held(kind, reason) => {
                    quarantine::keep(tx, doc_id, scope, kind, &reason, &entries, now)?;
                    Ok(Taken::Held)
                }
                Fault::Store(e) => Err(e),
            }
        }
    }
}

fn held(kind: HeldKind, reason: impl Into<String>) -> Fault {
    Fault::Held(kind, reason.into())
}

/// A change from outside, if the bytes are one (parsing must not take the app down either).
fn parse_change(bytes: &[u8]) -> Option<Change> {
    std::panic::catch_unwind(|| Change::from_bytes(bytes.to_vec()))
        .ok()
        .and_then(std::result::Result::ok)
}

/// Why a document is no entity of this app, in plain pt-BR.
fn not_an_entity(e: &DocumentError) -> String {
    let why = match e {
        DocumentError::Automerge(_) => "o conteúdo não pôde ser lido".to_owned(),
        DocumentError::Missing(field) => format!("falta o campo “{field}”"),
        DocumentError::UnknownKind(kind) => format!("o tipo “{kind}” é desconhecido"),
        DocumentError::NewerSchema(v) => format!("esquema {v}"),
        DocumentError::Shape(e) => format!("os dados não têm a forma esperada: {e}"),
    };
    format!("não é um documento deste aplicativo ({why})")
}

/// Applies `entries` to the stored copy of `doc_id`, reads it, saves and projects it and
/// records what the server holds of it, in the caller's savepoint. `Ok(changed)`. With
/// `reread`, it is read and projected even when nothing new came (it was kept aside while its
/// stored copy stayed: see [`Store::rebuild_projections`]).
fn apply_entries(
    tx: &Transaction<'_>,
    doc_id: &str,
    scope: &Scope,
    entries: &[Vec<u8>],
    reread: bool,
    newest: i64,
    now: DateTime<Utc>,
) -> std::result::Result<bool, Fault> {
    // The server refuses these (`sync::ownership`); one it took before that rule, or from a
    // server that does not check, is kept aside rather than shown as another owner's.
    if ownership(doc_id, scope) == Ownership::Wrong {
        let why = match scope {
            Scope::Citizen { .. } => {
                "veio como pedido de um aparelho de cidadão, mas o nome do documento é de outro \
                 aparelho"
            }
            Scope::Catalog { .. } => {
                "veio no catálogo de um escritório, mas o nome do documento é de outro \
                 escritório ou de um tipo que não fica no catálogo"
            }
            Scope::Office { .. } => {
                "veio com os dados de um escritório, mas não é um tipo de documento que fica ali"
            }
        };
        return Err(held(HeldKind::WrongOwner, why));
    }
    let damaged = |_| {
        held(
            HeldKind::Damaged,
            "chegou danificado: o automerge não conseguiu aplicar as alterações",
        )
    };
    let mut changes = Vec::new();
    let mut saved = Vec::new();
    for bytes in entries {
        match parse_change(bytes) {
            Some(change) => changes.push(change),
            None => saved.push(untrusted(doc_id, || Automerge::load(bytes)).map_err(|_| {
                held(
                    HeldKind::Damaged,
                    "chegou danificado: os dados não são alterações do automerge",
                )
            })?),
        }
    }
    let mut doc = match load(tx, doc_id) {
        Ok(doc) => doc.unwrap_or_default(),
        Err(ReplicaError::Document { .. }) => {
            return Err(held(
                HeldKind::Damaged,
                "a cópia guardada neste aparelho não pôde ser lida",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    let before = doc.get_heads();
    let mut theirs: Vec<ChangeHash> = changes.iter().map(Change::hash).collect();
    untrusted(doc_id, || doc.apply_changes(changes)).map_err(damaged)?;
    for mut other in saved {
        theirs.extend(other.get_heads());
        untrusted(doc_id, || doc.merge(&mut other).map(|_| ())).map_err(damaged)?;
    }
    if !doc.get_missing_deps(&[]).is_empty() {
        return Err(held(
            HeldKind::MissingDeps,
            "chegaram alterações sem as anteriores; será lido quando elas chegarem",
        ));
    }
    let changed = doc.get_heads() != before;
    if changed || reread {
        let entity = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            document::read_up_to(&doc, newest)
        }))
        .map_err(|_| {
            held(
                HeldKind::Damaged,
                "chegou danificado: o conteúdo não pôde ser lido",
            )
        })?
        .map_err(|e| match e {
            DocumentError::NewerSchema(v) => held(
                HeldKind::NewerSchema,
                format!(
                    "foi escrito por uma versão mais nova do aplicativo (esquema {v}); \
                     atualize o aplicativo para vê-lo"
                ),
            ),
            other => held(HeldKind::NotAnEntity, not_an_entity(&other)),
        })?;
        crate::store::save_read_document(tx, doc_id, &doc, &entity, &stamp(now)).map_err(|e| {
            match e {
                ReplicaError::Sqlite(inner)
                    if !matches!(
                        &*inner,
                        rusqlite::Error::SqliteFailure(f, _)
                            if f.code == rusqlite::ErrorCode::ConstraintViolation
                    ) =>
                {
                    Fault::Store(ReplicaError::Sqlite(inner))
                }
                other => held(
                    HeldKind::Clash,
                    format!("mostra um item que outro documento já mostra ({other})"),
                ),
            }
        })?;
    }
    let (mut acked, dirty) = ledger_row(tx, doc_id)?.unwrap_or_default();
    acked.extend(theirs);
    put_ledger(tx, doc_id, scope, &compact(&doc, acked), dirty)?;
    Ok(changed)
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
            self.people_cache = None;
        }
        self.after_erasure()?;
        Ok(erased)
    }

    /// Records one answered sync request: the pushed documents are acknowledged up to the
    /// heads they were read at, the pulled changes are applied (in batches, per document, each
    /// in its own savepoint: one that cannot be taken in is kept aside, see [`take_in`]), the
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
        let mut by_doc: BTreeMap<String, (Scope, Vec<Vec<u8>>)> = BTreeMap::new();
        for p in pulled {
            by_doc
                .entry(p.doc_id)
                .or_insert_with(|| (p.scope, Vec::new()))
                .1
                .push(p.change);
        }
        let mut changed = 0;
        for (doc_id, (scope, changes)) in by_doc {
            if take_in(&tx, &doc_id, &scope, changes, SCHEMA, now)? == Taken::Changed {
                changed += 1;
            }
        }
        // Last, so nothing this round pulled or acknowledged of an erased subject survives.
        for e in erased {
            changed += erase_subject_tx(&tx, Some(&e.stream), &e.subject)?;
        }
        // A merge whose kept record the server now holds whole can't be taken back any more.
        if crate::migrations::has_table(&tx, "merge_pending")? {
            tx.execute(
                "DELETE FROM merge_pending WHERE 'person:' || kept IN
                   (SELECT doc_id FROM sync_docs WHERE dirty = 0)",
                [],
            )?;
        }
        let changed = Store::finish(
            tx,
            cursors.iter().map(|(s, q)| (s.as_str(), *q)),
            changed,
            now,
        )?;
        if changed > 0 {
            self.index = None;
            self.people_cache = None;
        }
        if !erased.is_empty() {
            self.after_erasure()?;
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

    /// Merges a server snapshot (saved documents up to `seq`, each in its own savepoint as in
    /// [`Store::apply_round`]), deletes the documents of the subjects erased in the stream, and
    /// sets the stream's cursor, in one transaction.
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
            let taken = take_in(
                &tx,
                &snap.doc_id,
                &snap.scope,
                vec![snap.bytes],
                SCHEMA,
                now,
            )?;
            if taken == Taken::Changed {
                changed += 1;
            }
        }
        for subject in erased {
            changed += erase_subject_tx(&tx, Some(stream), subject)?;
        }
        let changed = Store::finish(tx, std::iter::once((stream, seq)), changed, now)?;
        if changed > 0 {
            self.index = None;
            self.people_cache = None;
        }
        if !erased.is_empty() {
            self.after_erasure()?;
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
