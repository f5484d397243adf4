//! The server's storage: offices, accounts, devices, the append-only change log per
//! stream, and offices' suppressed monthly reports for the national roll-up. One interface,
//! two backends: an embedded SQLite file (the default, no set-up) and PostgreSQL (many
//! offices, several stateless server instances).

pub mod pg_tls;
mod postgres;
mod sqlite;

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::audit::{AuditOpening, AuditRecord};
use esv_shared::sync::{Erased, Principal, Pulled, Role, Scope};
use serde::Serialize;

pub use postgres::Postgres;
pub use sqlite::Sqlite;

use crate::error::Result;

/// An office known to this server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OfficeRow {
    pub id: String,
    pub name: String,
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub username: String,
    pub office: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    /// "Ana Souza", when one was given.
    pub display_name: Option<String>,
    /// When the account was disabled: it can't sign in any more.
    pub disabled_at: Option<String>,
}

/// A device: a signed-in staff device or an anonymous citizen device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceRow {
    pub id: String,
    pub office: String,
    pub role: Role,
    /// The account it signed in with; `None` for a citizen device.
    pub username: Option<String>,
    pub name: String,
    pub created_at: String,
    pub last_seen: Option<String>,
    pub revoked_at: Option<String>,
    /// Its account was disabled: until then it may still send what it holds (and receives
    /// nothing); after, it is revoked.
    pub retire_at: Option<String>,
}

impl DeviceRow {
    pub fn principal(&self) -> Principal {
        Principal {
            device: self.id.clone(),
            role: self.role,
            office: self.office.clone(),
        }
    }
}

/// The changes of one document to append, already parsed, hashed and checked in themselves
/// (`crate::vouch::check_push`); the checks against the log happen inside `ingest`.
#[derive(Debug, Clone)]
pub struct DocBatch {
    pub doc_id: String,
    pub scope: Scope,
    /// In causal order.
    pub changes: Vec<NewChange>,
    /// An id from before ids named their office (`sync::Ownership::Legacy`): taken only for a
    /// document the log already holds in this scope.
    pub legacy: bool,
}

impl DocBatch {
    /// A batch of `changes` (uncompressed, in causal order), as a test or a benchmark makes it.
    pub fn new(doc_id: &str, scope: Scope, changes: &[automerge::Change]) -> DocBatch {
        DocBatch {
            legacy: esv_shared::sync::ownership(doc_id, &scope)
                == esv_shared::sync::Ownership::Legacy,
            doc_id: doc_id.to_owned(),
            scope,
            changes: changes.iter().map(NewChange::of).collect(),
        }
    }
}

/// One change as the log keeps it: its hash, the hashes it depends on, its actor and that
/// actor's sequence number, and its bytes (never compressed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub hash: [u8; 32],
    pub deps: Vec<[u8; 32]>,
    pub actor: Vec<u8>,
    pub seq: u64,
    pub bytes: Vec<u8>,
}

impl NewChange {
    pub fn of(change: &automerge::Change) -> NewChange {
        NewChange {
            hash: change.hash().0,
            deps: change.deps().iter().map(|h| h.0).collect(),
            actor: change.actor_id().to_bytes().to_vec(),
            seq: change.seq(),
            bytes: change.raw_bytes().to_vec(),
        }
    }
}

/// A document in the log, as `esv-server doc list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRow {
    pub doc_id: String,
    pub stream: String,
    pub scope: String,
    pub changes: u64,
    pub bytes: u64,
}

/// A document an administrator removed (`esv-server doc remove`): gone from the log, and
/// later pushes of it are dropped, not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedDoc {
    pub doc_id: String,
    pub stream: String,
    pub reason: String,
    pub removed_at: String,
}

/// The refusal of a new document under an id from before ids named their office.
pub(crate) fn legacy_refused(batch: &DocBatch) -> crate::error::ServerError {
    crate::error::ServerError::RefusedPush {
        doc_id: batch.doc_id.clone(),
        message: format!(
            "{} é um documento novo com um nome antigo: o código de um documento novo do \
             catálogo começa pelo escritório ({}/…); atualize o aplicativo",
            batch.doc_id,
            batch.scope.office()
        ),
    }
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ingested {
    pub accepted: u32,
    pub duplicates: u32,
    /// Erasures that pushed documents fell under: their changes were dropped, not stored (a
    /// device that was offline during the erasure must delete its copy, not retry forever).
    pub erased: Vec<Erased>,
    /// Documents an administrator removed: their changes were dropped, not stored.
    pub removed: Vec<String>,
}

/// What a pull found: changes, and erasures in the same stretch of each stream's log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pulls {
    pub changes: Vec<Pulled>,
    pub erased: Vec<Erased>,
    /// More changes wait after these.
    pub more: bool,
}

/// One stream to pull: its name, the device filter (a citizen reads only its own documents),
/// and the cursor after which to read.
#[derive(Debug, Clone)]
pub struct PullFrom {
    pub stream: String,
    pub device: Option<String>,
    pub after: u64,
}

/// Every change of each document of a stream up to `seq`, for a snapshot.
#[derive(Debug, Clone, Default)]
pub struct StreamDocs {
    pub seq: u64,
    pub docs: Vec<(String, Scope, Vec<Vec<u8>>)>,
    /// Subjects erased in the stream up to `seq` (filtered by device like the documents).
    pub erased: Vec<String>,
}

/// One counter of the front door's throttle (`crate::throttle`): a key (a kind and a SHA-256,
/// never what was typed), how many attempts its window allows, and the window's length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub key: String,
    pub limit: u32,
    /// Seconds from the counter's first attempt to its reset.
    pub window: i64,
}

/// Who erases a subject, recorded with the erasure (`erasures.erased_by_user`,
/// `erased_by_device`), and the rate they are held to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eraser {
    /// The account that asked; `None` for a citizen device or the server's administrator.
    pub username: Option<String>,
    /// The device that asked, or [`ADMIN_ERASER`] for `esv-server erase`.
    pub device: String,
    /// When (the server's clock, RFC 3339).
    pub at: String,
    /// At most `max` new erasures by this account (a citizen: this device) since `since`;
    /// `None` for the server's administrator.
    pub limit: Option<EraseLimit>,
}

/// The device an erasure by `esv-server erase` is recorded with.
pub const ADMIN_ERASER: &str = "esv-server";

/// A rate: at most `max` erasures since `since` (RFC 3339, the same form as `erased_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EraseLimit {
    pub since: String,
    pub max: u32,
}

impl Eraser {
    /// The server's administrator at `at`: recorded, never limited.
    pub fn admin(at: String) -> Eraser {
        Eraser {
            username: None,
            device: ADMIN_ERASER.to_owned(),
            at,
            limit: None,
        }
    }

    /// The refusal once the limit is reached: the oldest erasure of the window, `oldest`,
    /// leaves it `oldest - since` from now.
    pub(crate) fn refused(&self, oldest: Option<&str>) -> crate::error::ServerError {
        let max = self.limit.as_ref().map_or(0, |l| l.max);
        let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok();
        let minutes = match (
            oldest.and_then(parse),
            self.limit.as_ref().and_then(|l| parse(&l.since)),
        ) {
            (Some(oldest), Some(since)) => (oldest - since).num_seconds().max(0) as u64,
            _ => 3600,
        }
        .div_ceil(60)
        .max(1);
        let wait = if minutes == 1 {
            "1 minuto".to_owned()
        } else {
            format!("{minutes} minutos")
        };
        crate::error::ServerError::TooManyErasures { max, wait }
    }
}

/// An erasure as the server keeps it: where, what, when and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureRow {
    pub stream: String,
    pub seq: u64,
    pub subject: String,
    pub erased_at: String,
    pub erased_by_user: Option<String>,
    /// `None` for erasures made before the server recorded who.
    pub erased_by_device: Option<String>,
}

/// Whom a document is about, as the `docs` table keeps it (`subject` column): read from the
/// id alone (invariant 9), `None` for documents about no one.
pub fn doc_subject(doc_id: &str) -> Option<String> {
    esv_shared::sync::subject(doc_id).map(str::to_owned)
}

/// An audit entry's time as both backends keep it: RFC 3339 in UTC with milliseconds, so
/// text order is time order.
pub(crate) fn audit_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Where a page of the audit log starts: the last entry of the page before, as
/// `(received_at, device, entry_id)` — the log's order, newest first.
pub type AuditCursor = (String, String, String);

/// An audit row as read from either backend:
/// `(entry_id, device, username, office, person_id, at, received_at, what)`.
pub(crate) type AuditRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
);

/// An audit row read back.
pub(crate) fn audit_record(row: AuditRow) -> Result<AuditRecord> {
    let (id, device, username, office, person_id, at, received_at, what) = row;
    let instant = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| crate::error::ServerError::Config(format!("data do registro: {e}")))
    };
    Ok(AuditRecord {
        at: instant(&at)?,
        received_at: Some(instant(&received_at)?),
        what: esv_shared::audit::OpeningKind::parse(&what).unwrap_or_default(),
        id,
        device,
        username,
        office,
        person_id,
    })
}

/// The storage backend.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

/// Calls the backend's method of the same name, and counts how long it took
/// (`crate::metrics`, by operation).
macro_rules! dispatch {
    ($self:ident, $method:ident($($arg:expr),*)) => {{
        let started = std::time::Instant::now();
        let result = match $self {
            Db::Sqlite(db) => db.$method($($arg),*).await,
            Db::Postgres(db) => db.$method($($arg),*).await,
        };
        crate::metrics::global().database(stringify!($method), started.elapsed());
        result
    }};
}

impl Db {
    /// Opens the database named by `url`: `postgres://…` or a path to a SQLite file.
    pub async fn open(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Db::Postgres(Postgres::open(url).await?));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Db::Sqlite(Sqlite::open(path.into()).await?))
    }

    pub async fn add_office(&self, id: &str, name: &str) -> Result<()> {
        dispatch!(self, add_office(id, name))
    }

    /// Closes the database as a server that stops does: SQLite writes the log back into the
    /// file (a checkpoint) so the file alone is the whole database; PostgreSQL's pool closes.
    pub async fn close(&self) -> Result<()> {
        dispatch!(self, close())
    }

    pub async fn offices(&self) -> Result<Vec<OfficeRow>> {
        dispatch!(self, offices())
    }

    pub async fn office(&self, id: &str) -> Result<Option<OfficeRow>> {
        Ok(self.offices().await?.into_iter().find(|o| o.id == id))
    }

    /// Keeps an office's suppressed monthly report (JSON), replacing an earlier one of the
    /// same month.
    pub async fn put_rollup(
        &self,
        office: &str,
        period: &str,
        report: &str,
        received_at: &str,
    ) -> Result<()> {
        dispatch!(self, put_rollup(office, period, report, received_at))
    }

    /// Every office's report of a month (JSON), by office.
    pub async fn rollups(&self, period: &str) -> Result<Vec<String>> {
        dispatch!(self, rollups(period))
    }

    pub async fn add_user(&self, user: &UserRow) -> Result<()> {
        dispatch!(self, add_user(user))
    }

    pub async fn set_password(&self, username: &str, hash: &str) -> Result<bool> {
        dispatch!(self, set_password(username, hash))
    }

    pub async fn user(&self, username: &str) -> Result<Option<UserRow>> {
        dispatch!(self, user(username))
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        dispatch!(self, users())
    }

    /// One office's accounts, by username.
    pub async fn office_users(&self, office: &str) -> Result<Vec<UserRow>> {
        dispatch!(self, office_users(office))
    }

    /// One office's team devices (not citizens'), oldest first.
    pub async fn office_team_devices(&self, office: &str) -> Result<Vec<DeviceRow>> {
        dispatch!(self, office_team_devices(office))
    }

    /// Disables an account and revokes every device it signed in on, in one transaction;
    /// returns whether it existed. Disabling again keeps the first time.
    pub async fn disable_user(&self, username: &str, now: &str, retire_at: &str) -> Result<bool> {
        dispatch!(self, disable_user(username, now, retire_at))
    }

    pub async fn add_device(&self, device: &DeviceRow, token_hash: &str) -> Result<()> {
        dispatch!(self, add_device(device, token_hash))
    }

    /// Records openings of people's records sent by `device`, with its account and office;
    /// an entry sent again is kept once. Returns how many were sent.
    pub async fn add_audit(
        &self,
        device: &DeviceRow,
        entries: Vec<AuditOpening>,
        received_at: &str,
    ) -> Result<u32> {
        dispatch!(self, add_audit(device, entries, received_at))
    }

    /// A page of an office's audit log, last arrived first: at most `limit` entries after
    /// `before` (the last of the page before).
    pub async fn audit_log(
        &self,
        office: &str,
        before: Option<AuditCursor>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>> {
        dispatch!(self, audit_log(office, before, limit))
    }

    /// The device a token belongs to, as stored (its `last_seen` untouched: see
    /// [`Db::touch_device`]).
    pub async fn device_by_token(&self, token_hash: &str) -> Result<Option<DeviceRow>> {
        dispatch!(self, device_by_token(token_hash))
    }

    /// Marks a device seen at `now`.
    pub async fn touch_device(&self, id: &str, now: &str) -> Result<()> {
        dispatch!(self, touch_device(id, now))
    }

    /// Takes one attempt from each counter, all or none, in one transaction: each counter
    /// whose window has passed starts again at one. `None` when every counter had room;
    /// otherwise nothing is taken and the answer is when the fullest counter opens again
    /// (Unix seconds). Concurrent calls queue on the counters' rows, so N attempts at once
    /// take N, whatever the number of server instances.
    pub async fn reserve_attempts(&self, attempts: Vec<Attempt>, now: i64) -> Result<Option<i64>> {
        dispatch!(self, reserve_attempts(attempts, now))
    }

    /// Gives back one attempt to each of `give_back` and forgets `forget` altogether (a right
    /// password: it was no guess).
    pub async fn return_attempts(&self, give_back: Vec<String>, forget: Vec<String>) -> Result<()> {
        dispatch!(self, return_attempts(give_back, forget))
    }

    /// Deletes counters whose window has passed, then, past `keep` rows, those closest to their
    /// end; returns how many rows remain.
    pub async fn prune_attempts(&self, now: i64, keep: u64) -> Result<u64> {
        dispatch!(self, prune_attempts(now, keep))
    }

    pub async fn devices(&self) -> Result<Vec<DeviceRow>> {
        dispatch!(self, devices())
    }

    /// Revokes a device; returns whether it existed.
    pub async fn revoke_device(&self, id: &str, now: &str) -> Result<bool> {
        dispatch!(self, revoke_device(id, now))
    }

    /// Appends the changes the log does not hold yet, all or nothing. A document keeps the
    /// scope it was first written with; a push naming another scope is refused.
    pub async fn ingest(&self, batches: Vec<DocBatch>) -> Result<Ingested> {
        dispatch!(self, ingest(batches))
    }

    /// The documents of the log, optionally only those whose id starts with `prefix`.
    pub async fn docs(&self, prefix: Option<&str>) -> Result<Vec<DocRow>> {
        dispatch!(self, docs(prefix))
    }

    /// Removes a document from the log for good, and notes why: later pushes of it are
    /// dropped. `false` if the log has no such document.
    pub async fn remove_doc(&self, doc_id: &str, reason: &str, at: &str) -> Result<bool> {
        dispatch!(self, remove_doc(doc_id, reason, at))
    }

    /// Documents removed by an administrator, newest first.
    pub async fn removed_docs(&self) -> Result<Vec<RemovedDoc>> {
        dispatch!(self, removed_docs())
    }

    /// Changes after each cursor, at most `limit` in all, oldest first per stream; the
    /// erasures among them (up to the last change returned when more remain, so a cursor moved
    /// past an erasure never skips a change); and whether more remain. One consistent view.
    pub async fn pull(&self, from: Vec<PullFrom>, limit: usize) -> Result<Pulls> {
        dispatch!(self, pull(from, limit))
    }

    /// Erases `subject` from `stream` in one transaction: the erasure takes the stream's next
    /// position and is recorded with its time and who asked (`by`), and every change and
    /// document row of the stream about the subject is deleted. Erasing again returns the
    /// first erasure. A new erasure past `by.limit` (counted per account, or per device
    /// without one, inside the same transaction) is refused: `TooManyErasures`. On SQLite the
    /// freed pages are zeroed (`secure_delete`) and the WAL is checkpointed and truncated
    /// afterwards, so no byte of the erased documents stays in the files.
    pub async fn erase(&self, stream: &str, subject: &str, by: &Eraser) -> Result<Erased> {
        dispatch!(self, erase(stream, subject, by))
    }

    /// An erasure of the erasure log (`crate::erasure_log`) made again after a restore; one
    /// already in the database stays as it was. PostgreSQL keeps no such log (its backups are
    /// pg_dump's: see ARCHITECTURE.md), so there it is a plain erasure.
    pub async fn reapply(&self, entry: &crate::erasure_log::Entry) -> Result<Erased> {
        match self {
            Db::Sqlite(db) => db.reapply(entry).await,
            Db::Postgres(db) => {
                db.erase(&entry.stream, &entry.subject, &entry.eraser())
                    .await
            }
        }
    }

    /// Whether the link to the database is encrypted: `None` for SQLite (a file, no link).
    pub async fn encrypted(&self) -> Result<Option<bool>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(db) => db.encrypted().await.map(Some),
        }
    }

    /// A stream's erasures, oldest first, with who made them.
    pub async fn erasures(&self, stream: &str) -> Result<Vec<ErasureRow>> {
        dispatch!(self, erasures(stream))
    }

    /// The last position of a stream.
    pub async fn stream_head(&self, stream: &str) -> Result<u64> {
        dispatch!(self, stream_head(stream))
    }

    /// Every change of every document of a stream (filtered by device), consistently.
    pub async fn stream_docs(&self, stream: &str, device: Option<&str>) -> Result<StreamDocs> {
        dispatch!(self, stream_docs(stream, device))
    }
}
