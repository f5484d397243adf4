//! Sync with the office's server: the account this device holds, one full sync (snapshots
//! for streams never pulled, then push-and-pull rounds until nothing is left), retries with
//! backoff and jitter, and what the person is told ("última sincronização").

mod backoff;
mod client;
mod ledger;
mod quarantine;

use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::sync::{
    may_write, ownership, readable_streams, EraseRequest, Erased, ErrorCode, Ownership, Principal,
    Role, Scope, Session, SyncRequest,
};
use serde::{Deserialize, Serialize};

pub use backoff::Backoff;
pub use client::{Remote, SyncError};
pub use ledger::{untrusted, Outgoing};
pub(crate) use quarantine::hold_stored;
pub use quarantine::{app_version, HeldKind, Quarantined, MAX_HELD_DOC, MAX_HELD_TOTAL};

use crate::error::{ReplicaError, Result};
use crate::store::Store;

/// Most bytes of changes pushed in one request; more go in the next round. Sized so one
/// request crosses a 64 kbit/s link (8 KB/s; the body is about 1.1× the changes after base64
/// and gzip) in under a minute — half the client's 120 s timeout — so a long backlog on a bad
/// connection goes out round by round instead of timing out and starting over forever.
const PUSH_BUDGET: usize = 384 * 1024;
/// Changes asked for per round.
const PULL_LIMIT: u32 = 1_000;
/// A sync that needs more rounds than this stops and resumes next time.
const MAX_ROUNDS: usize = 10_000;

/// Whether the server will take `o` from `who` (the rules it checks, `sync::ownership`): the
/// account may write the scope, and the id names its owner — or is an id from before that rule
/// for a document the server already holds (it acknowledged some of it, or it answered that it
/// lacks part of it: `resent`). Anything else stays on the device, counted, so one document
/// never blocks the rest of the push.
fn sendable(
    who: Option<&Principal>,
    o: &Outgoing,
    resent: &std::collections::HashSet<String>,
) -> bool {
    may_write(who, &o.changes.scope)
        && match ownership(&o.changes.doc_id, &o.changes.scope) {
            Ownership::Fits => true,
            Ownership::Legacy => o.known_to_server || resent.contains(&o.changes.doc_id),
            Ownership::Wrong => false,
        }
}

/// The server and session this device syncs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub server: String,
    pub session: Session,
}

impl Account {
    pub fn principal(&self) -> Principal {
        Principal {
            device: self.session.device.clone(),
            role: self.session.role,
            office: self.session.office.clone(),
        }
    }
}

/// How far a sync has come, for a progress bar on a long first sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub rounds: usize,
    pub pulled: u64,
    pub pushed: u64,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub rounds: usize,
    pub pushed_docs: usize,
    pub accepted: u64,
    pub duplicates: u64,
    pub pulled: u64,
    pub changed_docs: usize,
    pub snapshot_docs: usize,
    /// Local edits this device's account may not send (they stay on the device).
    pub unsendable_docs: usize,
    /// Openings of people's records sent to the office's audit log.
    pub audit_sent: usize,
    /// Documents this device pushed that the server's administrator had removed
    /// (`esv-server doc remove`): the server dropped the changes, and this device counts them
    /// as answered so it stops offering them. Its own copy stays.
    pub removed_docs: Vec<String>,
    /// The server said this device's account was disabled: it took the push and sent nothing.
    /// Once everything is sent, [`sync`] wipes the device.
    pub retiring: bool,
}

impl Store {
    pub fn account(&self) -> Result<Option<Account>> {
        self.meta("sync.account")?
            .filter(|json| !json.is_empty())
            .map(|json| {
                serde_json::from_str(&json).map_err(|e| {
                    ReplicaError::BadInput(format!(
                        "a conta de sincronização guardada está ilegível: {e}"
                    ))
                })
            })
            .transpose()
    }

    pub fn set_account(&self, account: &Account) -> Result<()> {
        let json =
            serde_json::to_string(account).map_err(|e| ReplicaError::BadInput(e.to_string()))?;
        self.set_meta("sync.account", &json)
    }

    /// When this device last finished a sync.
    pub fn last_sync(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .meta("sync.last_at")?
            .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| d.with_timezone(&Utc)))
    }

    /// Why the last attempt failed, if it did.
    pub fn last_sync_error(&self) -> Result<Option<String>> {
        Ok(self.meta("sync.last_error")?.filter(|s| !s.is_empty()))
    }
}

/// Registers this device anonymously with `office` on `server` and keeps the session. The
/// device's own id and token (made on first use, see `Store::citizen_identity`) are sent, so
/// requests written before this day keep their id and a lost answer can be asked again.
pub fn register(store: &Store, server: &str, office: &str) -> Result<Account> {
    let remote = Remote::new(server)?;
    let (device, token) = store.citizen_identity()?;
    let session = remote.register(office, Some((&device, &token)))?;
    let account = Account {
        server: remote.base().to_owned(),
        session,
    };
    store.set_account(&account)?;
    Ok(account)
}

/// Signs this device in with a staff account and keeps the session. Only into a store
/// protected by PIN ([`ReplicaError::NeedsPin`] otherwise, before the server is asked): a team
/// account brings people's records to the device.
pub fn login(
    store: &Store,
    server: &str,
    username: &str,
    password: &str,
    device_name: &str,
) -> Result<Account> {
    if !store.is_encrypted() {
        return Err(ReplicaError::NeedsPin);
    }
    let remote = Remote::new(server)?;
    let session = remote.login(username, password, device_name)?;
    let account = Account {
        server: remote.base().to_owned(),
        session,
    };
    store.set_account(&account)?;
    Ok(account)
}

/// Erases every document about `subject` in `scope` (LGPD; "Apagar meus dados" for a citizen
/// device, `scope` its own citizen scope and `subject` its device id): on the server first —
/// which refuses anyone [`esv_shared::sync::may_erase`] does not allow — then on this device.
/// Other devices delete their copies on their next sync. Needs the server: offline, nothing is
/// deleted and the error says so.
pub fn erase(
    store: &mut Store,
    scope: &Scope,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<Erased> {
    let account = store.account()?.ok_or(SyncError::NotSignedIn)?;
    let remote = Remote::new(&account.server)?;
    let request = EraseRequest {
        scope: scope.clone(),
        subject: subject.to_owned(),
    };
    let erased = remote.erase(&account.session.token, &request)?;
    if store.erase_subject_locally(&erased.subject)? > 0 {
        store.set_meta(
            "updated_at",
            &now.to_rfc3339_opts(SecondsFormat::Secs, true),
        )?;
    }
    Ok(erased)
}

/// Syncs until nothing is left to push or pull. Without an account, pulls the public catalog
/// from `server` anonymously.
pub fn sync(
    store: &mut Store,
    server: Option<&str>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let result = sync_inner(store, server, now, progress);
    let error = match &result {
        Ok(_) => String::new(),
        Err(e) => e.to_string(),
    };
    store.set_meta("sync.last_error", &error)?;
    if result.is_ok() {
        store.set_meta(
            "sync.last_at",
            &now.to_rfc3339_opts(SecondsFormat::Secs, true),
        )?;
    }
    // The account was disabled (its person left the team): everything the device held has
    // gone to the office now (a sync that stopped before the end wipes nothing; the next one
    // goes on), so its data is wiped, as a revoked device's is.
    if let Ok(report) = &result {
        if report.retiring && store.outgoing_count()? <= report.unsendable_docs {
            if store.is_encrypted() {
                store.close_and_wipe()?;
            } else {
                store.set_meta("sync.account", "")?;
            }
            return Err(ReplicaError::DeviceRetired);
        }
    }
    // The device went too long without contact: its session is forgotten (the sign-in form
    // asks for the password again), and nothing else — everything typed stays, and goes with
    // the next session.
    if let Err(ReplicaError::Sync(SyncError::Server {
        code: ErrorCode::SignInAgain,
        ..
    })) = &result
    {
        store.set_meta("sync.account", "")?;
    }
    if let Err(ReplicaError::Sync(SyncError::Server {
        code: ErrorCode::DeviceRevoked,
        ..
    })) = &result
    {
        // The office revoked this device. An encrypted store (a field or staff device, where
        // sensitive data lives) closes its file and erases it, key file first; the caller
        // gets `DeviceWiped` and cannot go on using the store by mistake. A plain store (a
        // citizen's) only forgets the session.
        if store.is_encrypted() {
            store.close_and_wipe()?;
            return Err(ReplicaError::DeviceWiped);
        }
        store.set_meta("sync.account", "")?;
    }
    result
}

fn sync_inner(
    store: &mut Store,
    server: Option<&str>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport> {
    let mut account = store.account().ok().flatten();
    // A team account kept in a plain store (signed in before this rule) pulls nothing more
    // into it: the person protects the device with a PIN first, which keeps the session.
    if account
        .as_ref()
        .is_some_and(|a| a.session.role != Role::Citizen)
        && !store.is_encrypted()
    {
        return Err(ReplicaError::NeedsPin);
    }
    // A citizen's first request, written offline, registers the device with its office the
    // first time a server answers.
    if account.is_none() {
        if let (Some(server), Some(office)) = (server, store.office_of_first_request()?) {
            account = Some(register(store, server, &office)?);
        }
    }
    let base = match (&account, server) {
        (_, Some(server)) => server.to_owned(),
        (Some(a), None) => a.server.clone(),
        (None, None) => return Err(SyncError::NotSignedIn.into()),
    };
    let remote = Remote::new(&base)?;
    let token = account.as_ref().map(|a| a.session.token.clone());
    let principal = account.as_ref().map(Account::principal);
    let mut report = SyncReport::default();

    // Streams never pulled come as snapshots, all in one request: one saved document each,
    // not the whole log.
    let cursors = store.cursors()?;
    let fresh: Vec<String> = readable_streams(principal.as_ref())
        .into_iter()
        .map(|(stream, _)| stream)
        .filter(|stream| !cursors.contains_key(stream))
        .collect();
    let snapshots = if fresh.is_empty() {
        Vec::new()
    } else {
        match remote.snapshots(token.as_deref(), &fresh) {
            // A disabled account's device is sent nothing, but may still send what it holds.
            Err(SyncError::Server {
                code: ErrorCode::AccountDisabled,
                ..
            }) => Vec::new(),
            other => other?,
        }
    };
    {
        for snapshot in snapshots {
            report.snapshot_docs += snapshot.docs.len();
            report.changed_docs += store.apply_snapshot(
                &snapshot.stream,
                snapshot.seq,
                snapshot.docs,
                &snapshot.erased,
                now,
            )?;
        }
    }

    let mut resent = std::collections::HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let (outgoing, mut unsendable): (Vec<_>, Vec<_>) = store
            .outgoing()?
            .into_iter()
            .partition(|o| sendable(principal.as_ref(), o, &resent));
        // A record that took in a duplicate's data by a merge waits until the duplicate's own
        // change has been answered: if the answer is that it was erased, the merge is taken
        // back before the kept record leaves (`erasure.rs`). One whose duplicate can't go
        // stays here with it.
        let held = store.held_for_merge()?;
        let sending: std::collections::HashSet<String> =
            outgoing.iter().map(|o| o.changes.doc_id.clone()).collect();
        let (waiting, outgoing): (Vec<_>, Vec<_>) = outgoing
            .into_iter()
            .partition(|o| held.contains_key(&o.changes.doc_id));
        for o in waiting {
            let dup_goes = held[&o.changes.doc_id].iter().any(|d| sending.contains(d));
            if !dup_goes {
                unsendable.push(o);
            }
        }
        report.unsendable_docs = unsendable.len();
        let outgoing = within_budget(outgoing);
        let request = SyncRequest {
            push: outgoing.iter().map(|o| o.changes.clone()).collect(),
            cursors: store.cursors()?,
            limit: Some(PULL_LIMIT),
        };
        let response = match remote.sync(token.as_deref(), &request) {
            // The server lost changes this document builds on (a restore, a removal): send its
            // whole history next round — once per document per sync.
            Err(SyncError::MissingDeps { doc_id, .. }) if resent.insert(doc_id.clone()) => {
                store.resend_whole(&doc_id)?;
                continue;
            }
            other => other?,
        };
        report.rounds += 1;
        report.retiring |= response.retiring;
        report.pushed_docs += outgoing.len();
        report.accepted += u64::from(response.accepted);
        report.duplicates += u64::from(response.duplicates);
        report.pulled += response.pull.len() as u64;
        for doc_id in &response.removed {
            if !report.removed_docs.contains(doc_id) {
                report.removed_docs.push(doc_id.clone());
            }
        }
        let more = response.more;
        report.changed_docs += store.apply_round(
            &outgoing,
            response.pull,
            &response.erased,
            &response.cursors,
            now,
        )?;
        progress(Progress {
            rounds: report.rounds,
            pulled: report.pulled,
            pushed: report.accepted + report.duplicates,
        });
        if !more && store.outgoing_count()? <= report.unsendable_docs {
            report.audit_sent = send_openings(store, &remote, &account, token.as_deref())?;
            return Ok(report);
        }
    }
    Ok(report)
}

/// Sends the team account's openings of people's records, after the documents.
fn send_openings(
    store: &mut Store,
    remote: &Remote,
    account: &Option<Account>,
    token: Option<&str>,
) -> Result<usize> {
    match (account, token) {
        (Some(a), Some(token)) if a.session.role != esv_shared::sync::Role::Citizen => {
            store.send_openings(remote, token)
        }
        _ => Ok(0),
    }
}

/// The documents that fit in one request's budget — always at least one, whatever its size,
/// so a huge document can't stall sync.
fn within_budget(outgoing: Vec<Outgoing>) -> Vec<Outgoing> {
    let mut used = 0;
    outgoing
        .into_iter()
        .enumerate()
        .take_while(|(i, o)| {
            used += o.changes.changes.iter().map(Vec::len).sum::<usize>();
            *i == 0 || used <= PUSH_BUDGET
        })
        .map(|(_, o)| o)
        .collect()
}
