//! The embedded backend: one SQLite file (WAL, `synchronous = FULL`, so an acknowledged change
//! survives a killed process and a power cut). One connection behind a mutex; SQLite serialises
//! writers anyway, so sequence numbers are handed out in commit order.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use esv_shared::audit::{AuditOpening, AuditRecord};
use esv_shared::sync::{Erased, Pulled, Role, Scope};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{
    audit_record, audit_time, doc_subject, Attempt, AuditCursor, AuditRow, DeviceRow, DocBatch,
    DocRow, Eraser, ErasureRow, Ingested, OfficeRow, PullFrom, Pulls, RemovedDoc, StreamDocs,
    UserRow,
};
use crate::error::{Result, ServerError};

const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE offices (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;
    CREATE TABLE users (
        username      TEXT PRIMARY KEY,
        office        TEXT NOT NULL REFERENCES offices (id),
        role          TEXT NOT NULL,
        password_hash TEXT NOT NULL
    ) STRICT;
    CREATE TABLE devices (
        id         TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        office     TEXT NOT NULL REFERENCES offices (id),
        role       TEXT NOT NULL,
        username   TEXT REFERENCES users (username),
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen  TEXT,
        revoked_at TEXT
    ) STRICT;
    CREATE TABLE streams (name TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) STRICT;
    CREATE TABLE docs (
        doc_id TEXT PRIMARY KEY,
        stream TEXT NOT NULL,
        scope  TEXT NOT NULL,
        device TEXT
    ) STRICT;
    CREATE TABLE changes (
        stream TEXT NOT NULL,
        seq    INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES docs (doc_id),
        device TEXT,
        hash   BLOB NOT NULL,
        bytes  BLOB NOT NULL,
        PRIMARY KEY (stream, seq),
        UNIQUE (doc_id, hash)
    ) STRICT;
    CREATE INDEX changes_by_device ON changes (stream, device, seq);
",
    "
    ALTER TABLE docs ADD COLUMN subject TEXT;
    CREATE INDEX docs_by_subject ON docs (stream, subject);
    CREATE TABLE erasures (
        stream    TEXT NOT NULL,
        seq       INTEGER NOT NULL,
        subject   TEXT NOT NULL,
        erased_at TEXT NOT NULL,
        PRIMARY KEY (stream, seq),
        UNIQUE (stream, subject)
    ) STRICT;
",
    "
    CREATE TABLE rollups (
        office      TEXT NOT NULL REFERENCES offices (id),
        period      TEXT NOT NULL,
        report      TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (office, period)
    ) STRICT;
    CREATE INDEX rollups_by_period ON rollups (period);
",
    // The audit log of openings of a person's record (see `crate::audit`).
    "
    CREATE TABLE audit_log (
        device      TEXT NOT NULL,
        entry_id    TEXT NOT NULL,
        username    TEXT,
        office      TEXT NOT NULL,
        person_id   TEXT NOT NULL,
        at          TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (device, entry_id)
    ) STRICT;
    CREATE INDEX audit_log_by_office ON audit_log (office, at);
",
    // Accounts managed by the office's Coordinator from the app (see `crate::accounts`).
    "
    ALTER TABLE users ADD COLUMN display_name TEXT;
    ALTER TABLE users ADD COLUMN disabled_at TEXT;
    CREATE INDEX users_by_office ON users (office, username);
    CREATE INDEX devices_by_office ON devices (office, created_at);
",
    // What the server checks a push against (`crate::vouch`): each change's actor and that
    // actor's sequence number; documents an administrator removed.
    "
    ALTER TABLE changes ADD COLUMN actor BLOB;
    ALTER TABLE changes ADD COLUMN actor_seq INTEGER;
    CREATE INDEX changes_by_actor ON changes (doc_id, actor, actor_seq);
    CREATE TABLE removed_docs (
        doc_id     TEXT PRIMARY KEY,
        stream     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        removed_at TEXT NOT NULL
    ) STRICT;
", // A disabled account's devices may still send what they hold until `retire_at`, then are
    // treated as revoked (`crate::auth`); a revoked device sends nothing at all.
    "
    ALTER TABLE devices ADD COLUMN retire_at TEXT;
",
    // The audit log in the order entries reached the server, and what each read was.
    "
    ALTER TABLE audit_log ADD COLUMN what TEXT NOT NULL DEFAULT 'record';
    CREATE INDEX audit_log_by_arrival ON audit_log (office, received_at, device, entry_id);
",
    // The front door's throttle (`crate::throttle`): one counter per hashed key, in the
    // database so it survives a restart and every instance shares it.
    "
    CREATE TABLE attempts (
        key        TEXT PRIMARY KEY,
        failures   INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX attempts_by_expiry ON attempts (expires_at);
",
    // Erasure (issue 14): who erased — the account and device, counted for the rate limit —,
    // and consent documents are their person's (`sync::subject`), so they are erased too.
    "
    ALTER TABLE erasures ADD COLUMN erased_by_user TEXT;
    ALTER TABLE erasures ADD COLUMN erased_by_device TEXT;
    CREATE INDEX erasures_by_user ON erasures (erased_by_user, erased_at);
    CREATE INDEX erasures_by_device ON erasures (erased_by_device, erased_at);
    UPDATE docs SET subject = substr(doc_id, 9, instr(substr(doc_id, 9), '/') - 1)
     WHERE subject IS NULL AND substr(doc_id, 1, 8) = 'consent:'
       AND instr(substr(doc_id, 9), '/') > 1;
",
];

/// One counter's attempt: a window that has passed starts again at one.
const RESERVE: &str = "
    INSERT INTO attempts (key, failures, expires_at) VALUES (?1, 1, ?2 + ?3)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN attempts.expires_at <= ?2 THEN 1 ELSE attempts.failures + 1 END,
        expires_at = CASE WHEN attempts.expires_at <= ?2 THEN ?2 + ?3 ELSE attempts.expires_at END
    RETURNING failures, expires_at";

/// The migration that added `changes.actor` and `actor_seq`: existing rows get theirs from
/// their bytes.
const ACTOR_MIGRATION: usize = 5;

fn fill_actors(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let mut rows = tx.prepare("SELECT stream, seq, bytes FROM changes")?;
    let mut update =
        tx.prepare("UPDATE changes SET actor = ?3, actor_seq = ?4 WHERE stream = ?1 AND seq = ?2")?;
    let mut query = rows.query([])?;
    while let Some(r) = query.next()? {
        let (stream, seq, bytes): (String, i64, Vec<u8>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let change = automerge::Change::from_bytes(bytes)
            .map_err(|e| ServerError::Config(format!("alteração {stream}/{seq} ilegível: {e}")))?;
        update.execute(params![
            stream,
            seq,
            change.actor_id().to_bytes(),
            change.seq() as i64
        ])?;
    }
    Ok(())
}

/// The migration that added `docs.subject`: existing rows get theirs from their ids.
const SUBJECT_MIGRATION: usize = 1;

fn fill_subjects(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    let ids: Vec<String> = tx
        .prepare("SELECT doc_id FROM docs")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    for id in ids {
        if let Some(subject) = doc_subject(&id) {
            tx.execute(
                "UPDATE docs SET subject = ?2 WHERE doc_id = ?1",
                params![id, subject],
            )?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Sqlite {
    conn: Arc<Mutex<Connection>>,
    /// Where erasures are also written (`crate::erasure_log`), beside the database file.
    erasure_log: PathBuf,
}

impl Sqlite {
    pub async fn open(path: PathBuf) -> Result<Sqlite> {
        let erasure_log = crate::erasure_log::path_for(&path);
        let conn = tokio::task::spawn_blocking(move || -> Result<Connection> {
            let mut conn = Connection::open(&path).map_err(|e| {
                ServerError::Config(format!("não foi possível abrir {}: {e}", path.display()))
            })?;
            // secure_delete: a deleted row's bytes are overwritten with zeros, so an erased
            // person does not survive in free pages or free space inside a page (LGPD).
            conn.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;",
            )?;
            let done: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                if i == SUBJECT_MIGRATION {
                    fill_subjects(&tx)?;
                }
                if i == ACTOR_MIGRATION {
                    fill_actors(&tx)?;
                }
                tx.pragma_update(None, "user_version", i as i64 + 1)?;
                tx.commit()?;
            }
            Ok(conn)
        })
        .await??;
        Ok(Sqlite {
            conn: Arc::new(Mutex::new(conn)),
            erasure_log,
        })
    }

    pub async fn close(&self) -> Result<()> {
        self.with(|c| {
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })
        .await
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().map_err(|_| ServerError::Poisoned)?;
            f(&mut conn)
        })
        .await?
    }

    pub async fn add_office(&self, id: &str, name: &str) -> Result<()> {
        let (id, name) = (id.to_owned(), name.to_owned());
        self.with(move |c| {
            c.execute(
                "INSERT INTO offices (id, name) VALUES (?1, ?2)",
                params![id, name],
            )
            .map_err(|e| conflict(e, format!("o escritório {id} já existe")))?;
            Ok(())
        })
        .await
    }

    pub async fn put_rollup(
        &self,
        office: &str,
        period: &str,
        report: &str,
        received_at: &str,
    ) -> Result<()> {
        let args = [office, period, report, received_at].map(str::to_owned);
        self.with(move |c| {
            c.execute(
                "INSERT INTO rollups (office, period, report, received_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (office, period) DO UPDATE SET report = ?3, received_at = ?4",
                params![args[0], args[1], args[2], args[3]],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn rollups(&self, period: &str) -> Result<Vec<String>> {
        let period = period.to_owned();
        self.with(move |c| {
            let mut stmt =
                c.prepare("SELECT report FROM rollups WHERE period = ?1 ORDER BY office")?;
            let rows = stmt
                .query_map([period], |r| r.get(0))?
                .collect::<std::result::Result<Vec<String>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn offices(&self) -> Result<Vec<OfficeRow>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT id, name FROM offices ORDER BY id")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(OfficeRow {
                        id: r.get(0)?,
                        name: r.get(1)?,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn add_user(&self, user: &UserRow) -> Result<()> {
        let user = user.clone();
        self.with(move |c| {
            c.execute(
                "INSERT INTO users (username, office, role, password_hash, display_name)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    user.username,
                    user.office,
                    user.role.as_str(),
                    user.password_hash,
                    user.display_name
                ],
            )
            .map_err(|e| conflict(e, format!("o usuário {} já existe", user.username)))?;
            Ok(())
        })
        .await
    }

    pub async fn set_password(&self, username: &str, hash: &str) -> Result<bool> {
        let (username, hash) = (username.to_owned(), hash.to_owned());
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                params![username, hash],
            )? == 1)
        })
        .await
    }

    pub async fn user(&self, username: &str) -> Result<Option<UserRow>> {
        let username = username.to_owned();
        self.with(move |c| {
            Ok(c.query_row(
                &format!("{USER_SELECT} WHERE username = ?1"),
                [username],
                user_row,
            )
            .optional()?)
        })
        .await
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!("{USER_SELECT} ORDER BY office, username"))?;
            let rows = stmt
                .query_map([], user_row)?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn office_users(&self, office: &str) -> Result<Vec<UserRow>> {
        let office = office.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(&format!(
                "{USER_SELECT} WHERE office = ?1 ORDER BY username"
            ))?;
            let rows = stmt
                .query_map([office], user_row)?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn office_team_devices(&self, office: &str) -> Result<Vec<DeviceRow>> {
        let office = office.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(&format!(
                "{DEVICE_SELECT} WHERE office = ?1 AND role <> 'citizen' ORDER BY created_at, id"
            ))?;
            let rows = stmt
                .query_map([office], device_row)?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn disable_user(&self, username: &str, now: &str, retire_at: &str) -> Result<bool> {
        let (username, now, retire_at) =
            (username.to_owned(), now.to_owned(), retire_at.to_owned());
        self.with(move |c| {
            let tx = c.transaction()?;
            let n = tx.execute(
                "UPDATE users SET disabled_at = COALESCE(disabled_at, ?2) WHERE username = ?1",
                params![username, now],
            )?;
            tx.execute(
                "UPDATE devices SET retire_at = COALESCE(retire_at, ?2)
                 WHERE username = ?1 AND revoked_at IS NULL",
                params![username, retire_at],
            )?;
            tx.commit()?;
            Ok(n == 1)
        })
        .await
    }

    pub async fn add_device(&self, d: &DeviceRow, token_hash: &str) -> Result<()> {
        let (d, token_hash) = (d.clone(), token_hash.to_owned());
        self.with(move |c| {
            c.execute(
                "INSERT INTO devices (id, token_hash, office, role, username, name, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    d.id,
                    token_hash,
                    d.office,
                    d.role.as_str(),
                    d.username,
                    d.name,
                    d.created_at
                ],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn add_audit(
        &self,
        device: &DeviceRow,
        entries: Vec<AuditOpening>,
        received_at: &str,
    ) -> Result<u32> {
        let (device, received_at) = (device.clone(), received_at.to_owned());
        self.with(move |c| {
            let tx = c.transaction()?;
            for e in &entries {
                tx.execute(
                    "INSERT INTO audit_log
                       (device, entry_id, username, office, person_id, at, received_at, what)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (device, entry_id) DO NOTHING",
                    params![
                        device.id,
                        e.id,
                        device.username,
                        device.office,
                        e.person_id,
                        audit_time(e.at),
                        received_at,
                        e.what.as_str()
                    ],
                )?;
            }
            tx.commit()?;
            Ok(u32::try_from(entries.len()).unwrap_or(u32::MAX))
        })
        .await
    }

    pub async fn audit_log(
        &self,
        office: &str,
        before: Option<AuditCursor>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>> {
        let office = office.to_owned();
        // Without a cursor, one that sorts after every entry.
        let (r, d, e) =
            before.unwrap_or_else(|| ("\u{10FFFF}".into(), String::new(), String::new()));
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT entry_id, device, username, office, person_id, at, received_at, what
                 FROM audit_log
                 WHERE office = ?1 AND (received_at, device, entry_id) < (?2, ?3, ?4)
                 ORDER BY received_at DESC, device DESC, entry_id DESC
                 LIMIT ?5",
            )?;
            let rows = stmt
                .query_map(params![office, r, d, e, limit], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })?
                .collect::<std::result::Result<Vec<AuditRow>, _>>()?;
            rows.into_iter().map(audit_record).collect()
        })
        .await
    }

    pub async fn device_by_token(&self, token_hash: &str) -> Result<Option<DeviceRow>> {
        let token_hash = token_hash.to_owned();
        self.with(move |c| {
            Ok(c.query_row(
                &format!("{DEVICE_SELECT} WHERE token_hash = ?1"),
                [&token_hash],
                device_row,
            )
            .optional()?)
        })
        .await
    }

    pub async fn touch_device(&self, id: &str, now: &str) -> Result<()> {
        let (id, now) = (id.to_owned(), now.to_owned());
        self.with(move |c| {
            c.execute(
                "UPDATE devices SET last_seen = ?2 WHERE id = ?1",
                params![id, now],
            )?;
            Ok(())
        })
        .await
    }

    pub async fn reserve_attempts(
        &self,
        mut attempts: Vec<Attempt>,
        now: i64,
    ) -> Result<Option<i64>> {
        attempts.sort_by(|a, b| a.key.cmp(&b.key));
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut refused: Option<i64> = None;
            {
                let mut reserve = tx.prepare_cached(RESERVE)?;
                for a in &attempts {
                    let (failures, until): (i64, i64) = reserve
                        .query_row(params![a.key, now, a.window], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })?;
                    if failures > i64::from(a.limit) {
                        refused = Some(refused.map_or(until, |u| u.max(until)));
                    }
                }
            }
            // Refused: nothing is taken (dropping the transaction rolls it back), so attempts
            // refused at the door never count against the other keys.
            if refused.is_none() {
                tx.commit()?;
            }
            Ok(refused)
        })
        .await
    }

    pub async fn return_attempts(&self, give_back: Vec<String>, forget: Vec<String>) -> Result<()> {
        self.with(move |c| {
            let tx = c.transaction()?;
            for key in &give_back {
                tx.execute(
                    "UPDATE attempts SET failures = failures - 1 WHERE key = ?1 AND failures > 0",
                    [key],
                )?;
            }
            for key in &forget {
                tx.execute("DELETE FROM attempts WHERE key = ?1", [key])?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    pub async fn prune_attempts(&self, now: i64, keep: u64) -> Result<u64> {
        self.with(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM attempts WHERE expires_at <= ?1", [now])?;
            tx.execute(
                "DELETE FROM attempts WHERE key IN
                   (SELECT key FROM attempts ORDER BY expires_at DESC LIMIT -1 OFFSET ?1)",
                [keep as i64],
            )?;
            let left: i64 = tx.query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))?;
            tx.commit()?;
            Ok(left as u64)
        })
        .await
    }

    pub async fn devices(&self) -> Result<Vec<DeviceRow>> {
        self.with(|c| {
            let mut stmt =
                c.prepare(&format!("{DEVICE_SELECT} ORDER BY office, created_at, id"))?;
            let rows = stmt
                .query_map([], device_row)?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn revoke_device(&self, id: &str, now: &str) -> Result<bool> {
        let (id, now) = (id.to_owned(), now.to_owned());
        self.with(move |c| {
            Ok(c.execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
                params![id, now],
            )? == 1)
        })
        .await
    }

    pub async fn ingest(&self, batches: Vec<DocBatch>) -> Result<Ingested> {
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut done = Ingested::default();
            let facts = log_facts(&tx, &batches)?;
            for batch in &batches {
                let stream = batch.scope.stream();
                let subject = doc_subject(&batch.doc_id);
                if let Some(erased) = erasure(&tx, &stream, subject.as_deref())? {
                    // Erased for good: an offline device's late edit is dropped, and told.
                    if !done.erased.contains(&erased) {
                        done.erased.push(erased);
                    }
                    continue;
                }
                let removed: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM removed_docs WHERE doc_id = ?1)",
                    [&batch.doc_id],
                    |r| r.get(0),
                )?;
                if removed {
                    done.removed.push(batch.doc_id.clone());
                    continue;
                }
                let scope_json = serde_json::to_string(&batch.scope)?;
                let known: Option<String> = tx
                    .query_row(
                        "SELECT scope FROM docs WHERE doc_id = ?1",
                        [&batch.doc_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                let new = crate::vouch::new_changes(batch, &facts)?;
                match known {
                    Some(scope) if scope != scope_json => {
                        return Err(ServerError::ScopeMismatch(batch.doc_id.clone()));
                    }
                    Some(_) => {}
                    None if batch.legacy => return Err(super::legacy_refused(batch)),
                    None => {
                        tx.execute(
                            "INSERT INTO docs (doc_id, stream, scope, device, subject)
                             VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![
                                batch.doc_id,
                                stream,
                                scope_json,
                                batch.scope.device(),
                                subject
                            ],
                        )?;
                    }
                }
                done.duplicates += (batch.changes.len() - new.len()) as u32;
                for change in new {
                    let seq = next_seq(&tx, &stream)?;
                    tx.execute(
                        "INSERT INTO changes (stream, seq, doc_id, device, hash, bytes, actor, actor_seq)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![
                            stream,
                            seq,
                            batch.doc_id,
                            batch.scope.device(),
                            &change.hash[..],
                            change.bytes,
                            change.actor,
                            change.seq as i64
                        ],
                    )?;
                    done.accepted += 1;
                }
            }
            tx.commit()?;
            Ok(done)
        })
        .await
    }

    pub async fn docs(&self, prefix: Option<&str>) -> Result<Vec<DocRow>> {
        let prefix = prefix.unwrap_or("").to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT d.doc_id, d.stream, d.scope, count(c.seq), coalesce(sum(length(c.bytes)), 0)
                 FROM docs d LEFT JOIN changes c ON c.doc_id = d.doc_id
                 WHERE substr(d.doc_id, 1, length(?1)) = ?1
                 GROUP BY d.doc_id ORDER BY d.doc_id",
            )?;
            let rows = stmt
                .query_map([&prefix], |r| {
                    Ok(DocRow {
                        doc_id: r.get(0)?,
                        stream: r.get(1)?,
                        scope: r.get(2)?,
                        changes: r.get::<_, i64>(3)? as u64,
                        bytes: r.get::<_, i64>(4)? as u64,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn remove_doc(&self, doc_id: &str, reason: &str, at: &str) -> Result<bool> {
        let (doc_id, reason, at) = (doc_id.to_owned(), reason.to_owned(), at.to_owned());
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let stream: Option<String> = tx
                .query_row("SELECT stream FROM docs WHERE doc_id = ?1", [&doc_id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(stream) = stream else {
                return Ok(false);
            };
            tx.execute("DELETE FROM changes WHERE doc_id = ?1", [&doc_id])?;
            tx.execute("DELETE FROM docs WHERE doc_id = ?1", [&doc_id])?;
            // The stream moves on, so a cached snapshot of it is made again without it.
            next_seq(&tx, &stream)?;
            tx.execute(
                "INSERT INTO removed_docs (doc_id, stream, reason, removed_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (doc_id) DO NOTHING",
                params![doc_id, stream, reason, at],
            )?;
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    pub async fn removed_docs(&self) -> Result<Vec<RemovedDoc>> {
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT doc_id, stream, reason, removed_at FROM removed_docs
                 ORDER BY removed_at DESC, doc_id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(RemovedDoc {
                        doc_id: r.get(0)?,
                        stream: r.get(1)?,
                        reason: r.get(2)?,
                        removed_at: r.get(3)?,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn pull(&self, from: Vec<PullFrom>, limit: usize) -> Result<Pulls> {
        self.with(move |c| {
            let tx = c.transaction()?;
            let mut out = Vec::new();
            let mut erased = Vec::new();
            let mut more = false;
            for f in &from {
                let room = limit.saturating_sub(out.len());
                if room == 0 {
                    more = true;
                    break;
                }
                let mut stmt = tx.prepare_cached(
                    "SELECT c.seq, c.doc_id, d.scope, c.bytes FROM changes c
                     JOIN docs d ON d.doc_id = c.doc_id
                     WHERE c.stream = ?1 AND c.seq > ?2 AND (?3 IS NULL OR c.device = ?3)
                     ORDER BY c.seq LIMIT ?4",
                )?;
                let rows = stmt
                    .query_map(
                        params![f.stream, f.after as i64, f.device, room as i64 + 1],
                        |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                r.get::<_, String>(1)?,
                                r.get::<_, String>(2)?,
                                r.get::<_, Vec<u8>>(3)?,
                            ))
                        },
                    )?
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                // Cut short: erasures only up to the last change sent, so the cursor never
                // passes a change the device has not had.
                let upto = if rows.len() > room {
                    more = true;
                    rows.get(room - 1).map_or(f.after as i64, |r| r.0)
                } else {
                    i64::MAX
                };
                let mut stmt = tx.prepare_cached(
                    "SELECT seq, subject FROM erasures
                     WHERE stream = ?1 AND seq > ?2 AND seq <= ?3 AND (?4 IS NULL OR subject = ?4)
                     ORDER BY seq",
                )?;
                let found = stmt
                    .query_map(params![f.stream, f.after as i64, upto, f.device], |r| {
                        Ok(Erased {
                            stream: f.stream.clone(),
                            seq: r.get::<_, i64>(0)? as u64,
                            subject: r.get(1)?,
                        })
                    })?
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                erased.extend(found);
                for (seq, doc_id, scope, change) in rows.into_iter().take(room) {
                    out.push(Pulled {
                        stream: f.stream.clone(),
                        seq: seq as u64,
                        doc_id,
                        scope: serde_json::from_str::<Scope>(&scope)?,
                        change,
                    });
                }
            }
            Ok(Pulls {
                changes: out,
                erased,
                more,
            })
        })
        .await
    }

    pub async fn erase(&self, stream: &str, subject: &str, by: &Eraser) -> Result<Erased> {
        self.erase_logged(stream, subject, by, true).await
    }

    /// An erasure from the erasure log, made again after a restore (not written to it twice).
    pub async fn reapply(&self, entry: &crate::erasure_log::Entry) -> Result<Erased> {
        self.erase_logged(&entry.stream, &entry.subject, &entry.eraser(), false)
            .await
    }

    async fn erase_logged(
        &self,
        stream: &str,
        subject: &str,
        by: &Eraser,
        log: bool,
    ) -> Result<Erased> {
        let (stream, subject, by) = (stream.to_owned(), subject.to_owned(), by.clone());
        let erasure_log = log.then(|| self.erasure_log.clone());
        self.with(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            if let Some(done) = erasure(&tx, &stream, Some(&subject))? {
                return Ok(done);
            }
            if let Some(limit) = &by.limit {
                // Per account; a citizen device (no account) by itself.
                let (count, oldest): (u32, Option<String>) = tx.query_row(
                    "SELECT count(*), min(erased_at) FROM erasures
                     WHERE erased_at > ?3 AND CASE WHEN ?1 IS NULL
                       THEN erased_by_user IS NULL AND erased_by_device = ?2
                       ELSE erased_by_user = ?1 END",
                    params![by.username, by.device, limit.since],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                if count >= limit.max {
                    return Err(by.refused(oldest.as_deref()));
                }
            }
            // Written down outside the database first: if it cannot be, nothing is erased
            // (the device asks again); a restore re-applies what it holds.
            if let Some(path) = &erasure_log {
                crate::erasure_log::append(
                    path,
                    &crate::erasure_log::Entry::new(&stream, &subject, &by),
                )?;
            }
            let seq = next_seq(&tx, &stream)?;
            tx.execute(
                "INSERT INTO erasures (stream, seq, subject, erased_at, erased_by_user,
                                       erased_by_device)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![stream, seq, subject, by.at, by.username, by.device],
            )?;
            tx.execute(
                "DELETE FROM changes WHERE stream = ?1 AND doc_id IN
                   (SELECT doc_id FROM docs WHERE stream = ?1 AND subject = ?2)",
                params![stream, subject],
            )?;
            tx.execute(
                "DELETE FROM docs WHERE stream = ?1 AND subject = ?2",
                params![stream, subject],
            )?;
            tx.commit()?;
            // The WAL still holds the pages as they were before: write them back into the
            // file (zeroed by secure_delete) and cut the WAL to nothing. One connection, so
            // no reader keeps an older snapshot alive.
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(Erased {
                stream,
                seq: seq as u64,
                subject,
            })
        })
        .await
    }

    pub async fn erasures(&self, stream: &str) -> Result<Vec<ErasureRow>> {
        let stream = stream.to_owned();
        self.with(move |c| {
            let mut stmt = c.prepare(
                "SELECT stream, seq, subject, erased_at, erased_by_user, erased_by_device
                 FROM erasures WHERE stream = ?1 ORDER BY seq",
            )?;
            let rows = stmt
                .query_map([stream], |r| {
                    Ok(ErasureRow {
                        stream: r.get(0)?,
                        seq: r.get::<_, i64>(1)? as u64,
                        subject: r.get(2)?,
                        erased_at: r.get(3)?,
                        erased_by_user: r.get(4)?,
                        erased_by_device: r.get(5)?,
                    })
                })?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    pub async fn stream_head(&self, stream: &str) -> Result<u64> {
        let stream = stream.to_owned();
        self.with(move |c| {
            let seq: Option<i64> = c
                .query_row(
                    "SELECT last_seq FROM streams WHERE name = ?1",
                    [stream],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(seq.unwrap_or(0) as u64)
        })
        .await
    }

    pub async fn stream_docs(&self, stream: &str, device: Option<&str>) -> Result<StreamDocs> {
        let (stream, device) = (stream.to_owned(), device.map(str::to_owned));
        self.with(move |c| {
            let tx = c.transaction()?;
            let seq: i64 = tx
                .query_row(
                    "SELECT last_seq FROM streams WHERE name = ?1",
                    [&stream],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            let mut stmt = tx.prepare(
                "SELECT c.doc_id, d.scope, c.bytes FROM changes c JOIN docs d ON d.doc_id = c.doc_id
                 WHERE c.stream = ?1 AND c.seq <= ?2 AND (?3 IS NULL OR c.device = ?3)
                 ORDER BY c.doc_id, c.seq",
            )?;
            let mut docs: Vec<(String, Scope, Vec<Vec<u8>>)> = Vec::new();
            let mut rows = stmt.query(params![stream, seq, device])?;
            while let Some(r) = rows.next()? {
                let doc_id: String = r.get(0)?;
                let bytes: Vec<u8> = r.get(2)?;
                match docs.last_mut() {
                    Some((last, _, changes)) if *last == doc_id => changes.push(bytes),
                    _ => {
                        let scope = serde_json::from_str::<Scope>(&r.get::<_, String>(1)?)?;
                        docs.push((doc_id, scope, vec![bytes]));
                    }
                }
            }
            drop(rows);
            drop(stmt);
            let erased = tx
                .prepare(
                    "SELECT subject FROM erasures
                     WHERE stream = ?1 AND seq <= ?2 AND (?3 IS NULL OR subject = ?3) ORDER BY seq",
                )?
                .query_map(params![stream, seq, device], |r| r.get(0))?
                .collect::<std::result::Result<Vec<String>, _>>()?;
            Ok(StreamDocs {
                seq: seq as u64,
                docs,
                erased,
            })
        })
        .await
    }
}

/// The erasure of `subject` in `stream`, if there was one.
fn erasure(
    tx: &rusqlite::Transaction<'_>,
    stream: &str,
    subject: Option<&str>,
) -> Result<Option<Erased>> {
    let Some(subject) = subject else {
        return Ok(None);
    };
    let seq: Option<i64> = tx
        .query_row(
            "SELECT seq FROM erasures WHERE stream = ?1 AND subject = ?2",
            params![stream, subject],
            |r| r.get(0),
        )
        .optional()?;
    Ok(seq.map(|seq| Erased {
        stream: stream.to_owned(),
        seq: seq as u64,
        subject: subject.to_owned(),
    }))
}

/// Takes the next sequence number of a stream (a change or an erasure), inside the writer's
/// transaction, so numbers are handed out in commit order.
/// What the log holds of the hashes and actors a push names (see `crate::vouch::LogFacts`).
fn log_facts(
    tx: &rusqlite::Transaction<'_>,
    batches: &[DocBatch],
) -> Result<crate::vouch::LogFacts> {
    let (hashes, actors) = crate::vouch::lookups(batches);
    let mut facts = crate::vouch::LogFacts::default();
    let mut held =
        tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM changes WHERE doc_id = ?1 AND hash = ?2)")?;
    for (doc, hash) in hashes {
        if held.query_row(params![doc, &hash[..]], |r| r.get::<_, bool>(0))? {
            facts.held.insert((doc, hash));
        }
    }
    let mut last =
        tx.prepare_cached("SELECT max(actor_seq) FROM changes WHERE doc_id = ?1 AND actor = ?2")?;
    for (doc, actor) in actors {
        let seq: Option<i64> = last.query_row(params![doc, actor], |r| r.get(0))?;
        if let Some(seq) = seq {
            facts.last_seq.insert((doc, actor), seq as u64);
        }
    }
    Ok(facts)
}

fn next_seq(tx: &rusqlite::Transaction<'_>, stream: &str) -> rusqlite::Result<i64> {
    tx.query_row(
        "INSERT INTO streams (name, last_seq) VALUES (?1, 1)
         ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1
         RETURNING last_seq",
        [stream],
        |r| r.get(0),
    )
}

const DEVICE_SELECT: &str =
    "SELECT id, office, role, username, name, created_at, last_seen, revoked_at, retire_at
     FROM devices";

fn role(r: &Row<'_>, i: usize) -> rusqlite::Result<Role> {
    let text: String = r.get(i)?;
    Role::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, text.into())
    })
}

const USER_SELECT: &str =
    "SELECT username, office, role, password_hash, display_name, disabled_at FROM users";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        username: r.get(0)?,
        office: r.get(1)?,
        role: role(r, 2)?,
        password_hash: r.get(3)?,
        display_name: r.get(4)?,
        disabled_at: r.get(5)?,
    })
}

fn device_row(r: &Row<'_>) -> rusqlite::Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0)?,
        office: r.get(1)?,
        role: role(r, 2)?,
        username: r.get(3)?,
        name: r.get(4)?,
        created_at: r.get(5)?,
        last_seen: r.get(6)?,
        revoked_at: r.get(7)?,
        retire_at: r.get(8)?,
    })
}

/// A unique or foreign-key violation becomes a plain message; anything else stays an error.
fn conflict(e: rusqlite::Error, message: String) -> ServerError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => ServerError::Conflict(message),
        _ => ServerError::from(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migration_5_keeps_existing_accounts_active_and_unnamed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("v4.db");
        {
            let conn = Connection::open(&path).expect("open");
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).expect("migration");
            }
            conn.pragma_update(None, "user_version", 4)
                .expect("version");
            conn.execute_batch(
                "INSERT INTO offices VALUES ('es-vitoria', 'ES');
                 INSERT INTO users VALUES ('ana', 'es-vitoria', 'staff', 'hash');",
            )
            .expect("rows");
        }
        let db = Sqlite::open(path).await.expect("migrated");
        let users = db.office_users("es-vitoria").await.expect("users");
        assert_eq!(users.len(), 1);
        assert_eq!(
            (
                users[0].username.as_str(),
                users[0].display_name.as_deref(),
                users[0].disabled_at.as_deref()
            ),
            ("ana", None, None)
        );
        assert!(db
            .disable_user("ana", "2026-12-01T13:00:00Z", "2026-12-08T13:00:00Z")
            .await
            .expect("disable"));
        let ana = db.user("ana").await.expect("read").expect("ana");
        assert_eq!(ana.disabled_at.as_deref(), Some("2026-12-01T13:00:00Z"));
        assert!(!db.disable_user("ninguem", "x", "x").await.expect("disable"));
    }

    #[tokio::test]
    async fn the_subject_migration_fills_existing_documents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        {
            // A file of the first schema, with documents in it.
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(MIGRATIONS[0]).expect("v1");
            conn.pragma_update(None, "user_version", 1)
                .expect("version");
            for (id, stream) in [
                ("person:p1", "office:es-vitoria"),
                ("encounter:p1/e1", "office:es-vitoria"),
                ("request:d7/r1", "requests:es-vitoria"),
                ("office:es-vitoria", "catalog"),
            ] {
                conn.execute(
                    "INSERT INTO docs (doc_id, stream, scope) VALUES (?1, ?2, '{}')",
                    params![id, stream],
                )
                .expect("doc");
            }
        }
        let db = Sqlite::open(path).await.expect("migrated");
        let subjects = db
            .with(|c| {
                let mut stmt = c.prepare("SELECT doc_id, subject FROM docs ORDER BY doc_id")?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<std::result::Result<Vec<(String, Option<String>)>, _>>()?;
                Ok(rows)
            })
            .await
            .expect("subjects");
        let expect = |id: &str, s: Option<&str>| (id.to_owned(), s.map(str::to_owned));
        assert_eq!(
            subjects,
            vec![
                expect("encounter:p1/e1", Some("p1")),
                expect("office:es-vitoria", None),
                expect("person:p1", Some("p1")),
                expect("request:d7/r1", Some("d7")),
            ]
        );
        // And the erasure finds them.
        let erased = db
            .erase(
                "office:es-vitoria",
                "p1",
                &super::super::Eraser::admin("2026-11-24T13:00:00Z".into()),
            )
            .await
            .expect("erase");
        assert_eq!(erased.seq, 1);
        let left = db
            .with(|c| Ok(c.query_row("SELECT count(*) FROM docs", [], |r| r.get::<_, i64>(0))?))
            .await
            .expect("count");
        assert_eq!(left, 2);
    }
}
