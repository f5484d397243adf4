//! Documents a sync brought that could not be applied, read or projected, kept aside raw in the
//! device-only `quarantine` table — why, in plain pt-BR, and every byte that came — so one bad
//! document never stops a round (design.md, invariant 9). They are tried again when more of
//! them comes and after an update of the app; what the store held before stays as it was.

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::document::SCHEMA;
use esv_shared::sync::Scope;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::{ReplicaError, Result};
use crate::store::{set_meta_tx, Store};

/// The meta key holding the build that last retried the quarantine.
const APP_VERSION_KEY: &str = "quarantine.app_version";

/// This build, as the quarantine knows it: a new version of the app or of the document schema
/// may read what the previous one could not.
pub fn app_version() -> String {
    format!("{}+schema.{SCHEMA}", env!("CARGO_PKG_VERSION"))
}

/// Most bytes kept aside for one document, and for all of them: beyond, the reason is kept
/// and the bytes are not.
pub const MAX_HELD_DOC: usize = 16 * 1024 * 1024;
pub const MAX_HELD_TOTAL: usize = 64 * 1024 * 1024;

/// Why a document is kept aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeldKind {
    /// Bytes that are no automerge change or document, or that automerge could not apply.
    Damaged,
    /// Changes whose earlier changes never came: healed when they come.
    MissingDeps,
    /// Automerge content that is no entity of this app (no kind, an unknown kind, a wrong
    /// shape).
    NotAnEntity,
    /// Written by a later version of the app: kept, and shown once the app is updated.
    NewerSchema,
    /// Content that shows an item another document already shows (the same id).
    Clash,
    /// A document whose id names another owner than the scope it came in (another citizen
    /// device, another office), or a kind that never lives there (`sync::ownership`).
    WrongOwner,
}

impl HeldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldKind::Damaged => "damaged",
            HeldKind::MissingDeps => "missing-deps",
            HeldKind::NotAnEntity => "not-an-entity",
            HeldKind::NewerSchema => "newer-schema",
            HeldKind::Clash => "clash",
            HeldKind::WrongOwner => "wrong-owner",
        }
    }

    fn parse(s: &str) -> HeldKind {
        match s {
            "missing-deps" => HeldKind::MissingDeps,
            "not-an-entity" => HeldKind::NotAnEntity,
            "newer-schema" => HeldKind::NewerSchema,
            "clash" => HeldKind::Clash,
            "wrong-owner" => HeldKind::WrongOwner,
            _ => HeldKind::Damaged,
        }
    }
}

/// One document kept aside, as `esv status` and the app list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quarantined {
    pub doc_id: String,
    pub kind: HeldKind,
    /// Why, in plain pt-BR ("chegaram alterações sem as anteriores; …").
    pub reason: String,
    /// When it was first kept aside.
    pub since: DateTime<Utc>,
    /// When more of it last came.
    pub last_at: DateTime<Utc>,
}

/// Why one document could not be taken in: kept aside, or a failure of the store itself
/// (a full disk), which stops the round as any other.
pub(crate) enum Fault {
    Held(HeldKind, String),
    Store(ReplicaError),
}

impl From<ReplicaError> for Fault {
    fn from(e: ReplicaError) -> Fault {
        Fault::Store(e)
    }
}

impl From<rusqlite::Error> for Fault {
    fn from(e: rusqlite::Error) -> Fault {
        Fault::Store(e.into())
    }
}

/// What is kept of one document.
pub(crate) struct HeldRow {
    pub scope: Scope,
    /// The changes and saved documents that came for it, oldest first.
    pub entries: Vec<Vec<u8>>,
    pub last_at: DateTime<Utc>,
}

/// Each entry prefixed by its length (4 bytes, big-endian).
fn encode(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.len() + 4).sum());
    for entry in entries {
        let len = u32::try_from(entry.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&entry[..len as usize]);
    }
    out
}

/// The entries of [`encode`]; a torn tail is dropped.
fn decode(mut blob: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some((head, rest)) = blob.split_first_chunk::<4>() {
        let len = u32::from_be_bytes(*head) as usize;
        if rest.len() < len {
            break;
        }
        let (entry, rest) = rest.split_at(len);
        out.push(entry.to_vec());
        blob = rest;
    }
    out
}

fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What is kept aside of `doc_id`, if anything.
pub(crate) fn held(conn: &Connection, doc_id: &str) -> Result<Option<HeldRow>> {
    let row = conn
        .prepare_cached("SELECT scope, held, last_at FROM quarantine WHERE doc_id = ?1")?
        .query_row([doc_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    row.map(|(scope, blob, last_at)| {
        Ok(HeldRow {
            scope: serde_json::from_str(&scope).map_err(|e| {
                ReplicaError::BadInput(format!("documento guardado à parte ilegível: {e}"))
            })?,
            entries: decode(&blob),
            last_at: parse_time(&last_at),
        })
    })
    .transpose()
}

/// Keeps `doc_id` aside with everything that came for it (a row already there keeps its
/// `first_at`).
pub(crate) fn keep(
    tx: &Transaction<'_>,
    doc_id: &str,
    scope: &Scope,
    kind: HeldKind,
    reason: &str,
    entries: &[Vec<u8>],
    now: DateTime<Utc>,
) -> Result<()> {
    let scope = serde_json::to_string(scope)
        .map_err(|e| ReplicaError::BadInput(format!("escopo ilegível: {e}")))?;
    let mut blob = encode(entries);
    let others: i64 = tx.query_row(
        "SELECT coalesce(sum(length(held)), 0) FROM quarantine WHERE doc_id != ?1",
        [doc_id],
        |r| r.get(0),
    )?;
    let mut reason = reason.to_owned();
    if blob.len() > MAX_HELD_DOC || others as usize + blob.len() > MAX_HELD_TOTAL {
        // A phone's storage is not the place for a flood of bad documents: the reason stays,
        // the bytes go (the office's server still holds them).
        blob.clear();
        reason.push_str(
            "; grande demais para guardar neste aparelho — peça ao escritório para verificar",
        );
    }
    tx.prepare_cached(
        "INSERT INTO quarantine (doc_id, scope, kind, reason, held, first_at, last_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT (doc_id) DO UPDATE SET scope = ?2, kind = ?3, reason = ?4, held = ?5,
             last_at = ?6",
    )?
    .execute(params![
        doc_id,
        scope,
        kind.as_str(),
        reason,
        blob,
        stamp(now)
    ])?;
    Ok(())
}

/// Keeps aside a stored document this build could not show (`e`, from reading or projecting
/// it, see [`Store::rebuild_projections`]): its saved bytes, stamped with when it was stored.
/// A document that never came through sync (the bundled catalog's) has no scope to keep it
/// under; it stays unshown until the next build reads it.
pub(crate) fn hold_stored(
    tx: &Transaction<'_>,
    doc_id: &str,
    bytes: &[u8],
    updated_at: &str,
    e: &ReplicaError,
) -> Result<()> {
    let scope: Option<String> = tx
        .query_row(
            "SELECT scope FROM sync_docs WHERE doc_id = ?1",
            [doc_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(scope) = scope.and_then(|s| serde_json::from_str::<Scope>(&s).ok()) else {
        return Ok(());
    };
    let (kind, reason) = match e {
        ReplicaError::Document { source, .. } => match &**source {
            esv_shared::document::DocumentError::NewerSchema(v) => (
                HeldKind::NewerSchema,
                format!(
                    "foi escrito por uma versão mais nova do aplicativo (esquema {v}); \
                     atualize o aplicativo para vê-lo"
                ),
            ),
            _ => (
                HeldKind::NotAnEntity,
                format!("a cópia guardada não pôde ser lida ({e})"),
            ),
        },
        _ => (
            HeldKind::Clash,
            format!("mostra um item que outro documento já mostra ({e})"),
        ),
    };
    keep(
        tx,
        doc_id,
        &scope,
        kind,
        &reason,
        &[bytes.to_vec()],
        parse_time(updated_at),
    )
}

/// Forgets what was kept of `doc_id` (it was taken in, or erased).
pub(crate) fn release(conn: &Connection, doc_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM quarantine WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(())
}

/// Every document id kept aside.
pub(crate) fn held_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT doc_id FROM quarantine ORDER BY doc_id")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(ids)
}

impl Store {
    /// The documents a sync brought that are kept aside, oldest first.
    pub fn quarantined(&self) -> Result<Vec<Quarantined>> {
        let mut stmt = self.conn.prepare(
            "SELECT doc_id, kind, reason, first_at, last_at FROM quarantine
             ORDER BY first_at, doc_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Quarantined {
                    doc_id: r.get(0)?,
                    kind: HeldKind::parse(&r.get::<_, String>(1)?),
                    reason: r.get(2)?,
                    since: parse_time(&r.get::<_, String>(3)?),
                    last_at: parse_time(&r.get::<_, String>(4)?),
                })
            })?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// What the sync status tells about them, in the store's language ("Atualize o
    /// aplicativo para ver 1 item novo."); `None` when nothing is kept aside.
    pub fn quarantine_label(&self) -> Result<Option<String>> {
        let held = self.quarantined()?;
        let newer = held
            .iter()
            .filter(|q| q.kind == HeldKind::NewerSchema)
            .count();
        Ok(esv_shared::words::held_documents(
            self.locale,
            newer,
            held.len() - newer,
        ))
    }

    /// Tries every document kept aside again, as this build reads them. Returns how many were
    /// taken in (and left the quarantine).
    pub fn retry_quarantined(&mut self, now: DateTime<Utc>) -> Result<usize> {
        self.retry_quarantined_up_to(SCHEMA, Some(now))
    }

    /// [`Store::retry_quarantined`] as a build that reads document schemas up to `newest`
    /// does (`esv_shared::document::read_up_to`): what an update of the app does, played by
    /// tests with `SCHEMA + 1`. Without `now`, a document taken in is stamped with when it
    /// last came.
    pub fn retry_quarantined_up_to(
        &mut self,
        newest: i64,
        now: Option<DateTime<Utc>>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut released = 0;
        let mut changed = 0;
        let mut latest: Option<DateTime<Utc>> = None;
        for doc_id in held_ids(&tx)? {
            let Some(row) = held(&tx, &doc_id)? else {
                continue;
            };
            let at = now.unwrap_or(row.last_at);
            match super::ledger::take_in(&tx, &doc_id, &row.scope, Vec::new(), newest, at)? {
                super::ledger::Taken::Held => {}
                super::ledger::Taken::Changed => {
                    changed += 1;
                    released += 1;
                    latest = latest.max(Some(at));
                }
                super::ledger::Taken::Same => released += 1,
            }
        }
        if let Some(at) = latest {
            set_meta_tx(&tx, "updated_at", &stamp(at))?;
        }
        tx.commit()?;
        if changed > 0 {
            self.index = None;
        }
        Ok(released)
    }

    /// At open: when this build differs from the one that last looked at the quarantine (the
    /// app was updated), tries everything kept aside again.
    pub(crate) fn retry_after_update(&mut self) -> Result<()> {
        let version = app_version();
        if self.meta(APP_VERSION_KEY)?.as_deref() == Some(version.as_str()) {
            return Ok(());
        }
        self.retry_quarantined_up_to(SCHEMA, None)?;
        self.set_meta(APP_VERSION_KEY, &version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_the_blob_form() {
        let entries = vec![vec![1, 2, 3], Vec::new(), vec![9; 300]];
        assert_eq!(decode(&encode(&entries)), entries);
        let mut torn = encode(&entries);
        torn.truncate(torn.len() - 1);
        assert_eq!(
            decode(&torn),
            entries[..2].to_vec(),
            "a torn tail is dropped"
        );
    }
}
