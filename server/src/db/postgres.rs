//! The PostgreSQL backend, for a state or national server shared by many offices and run as
//! several stateless instances. Same tables and meaning as `sqlite.rs`.
//!
//! Ordering rule: a puller must never see change N+1 of a stream committed before change N,
//! or its cursor would skip N. So an ingest locks the stream's counter row (`SELECT … FOR
//! UPDATE`) before it checks for duplicates and numbers its changes, and holds it until it
//! commits: ingests into one stream serialise, in the order of their sequence numbers. Streams
//! are locked in sorted order, so two ingests never wait on each other in a cycle.

use std::collections::{BTreeSet, HashSet};

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use esv_shared::audit::{AuditOpening, AuditRecord};
use esv_shared::sync::{Erased, Pulled, Role, Scope};
use tokio_postgres::error::SqlState;
use tokio_postgres::{IsolationLevel, NoTls, Row};

use super::{
    audit_record, audit_time, doc_subject, Attempt, AuditCursor, DeviceRow, DocBatch, DocRow,
    Eraser, ErasureRow, Ingested, OfficeRow, PullFrom, Pulls, RemovedDoc, StreamDocs, UserRow,
};
use crate::error::{Result, ServerError};

const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE offices (id TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE users (
        username      TEXT PRIMARY KEY,
        office        TEXT NOT NULL REFERENCES offices (id),
        role          TEXT NOT NULL,
        password_hash TEXT NOT NULL
    );
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
    );
    CREATE TABLE streams (name TEXT PRIMARY KEY, last_seq BIGINT NOT NULL);
    CREATE TABLE docs (
        doc_id TEXT PRIMARY KEY,
        stream TEXT NOT NULL,
        scope  TEXT NOT NULL,
        device TEXT
    );
    CREATE TABLE changes (
        stream TEXT NOT NULL,
        seq    BIGINT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES docs (doc_id),
        device TEXT,
        hash   BYTEA NOT NULL,
        bytes  BYTEA NOT NULL,
        PRIMARY KEY (stream, seq),
        UNIQUE (doc_id, hash)
    );
    CREATE INDEX changes_by_device ON changes (stream, device, seq);
",
    "
    ALTER TABLE docs ADD COLUMN subject TEXT;
    CREATE INDEX docs_by_subject ON docs (stream, subject);
    CREATE TABLE erasures (
        stream    TEXT NOT NULL,
        seq       BIGINT NOT NULL,
        subject   TEXT NOT NULL,
        erased_at TEXT NOT NULL,
        PRIMARY KEY (stream, seq),
        UNIQUE (stream, subject)
    );
",
    "
    CREATE TABLE rollups (
        office      TEXT NOT NULL REFERENCES offices (id),
        period      TEXT NOT NULL,
        report      TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (office, period)
    );
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
    );
    CREATE INDEX audit_log_by_office ON audit_log (office, at);
",
    // Accounts managed by the office's Coordinator from the app (see `crate::accounts`).
    "
    ALTER TABLE users ADD COLUMN display_name TEXT;
    ALTER TABLE users ADD COLUMN disabled_at TEXT;
    CREATE INDEX users_by_office ON users (office, username);
    CREATE INDEX devices_by_office ON devices (office, created_at);
",
    // What the server checks a push against (`crate::vouch`); removed documents.
    "
    ALTER TABLE changes ADD COLUMN actor BYTEA;
    ALTER TABLE changes ADD COLUMN actor_seq BIGINT;
    CREATE INDEX changes_by_actor ON changes (doc_id, actor, actor_seq);
    CREATE TABLE removed_docs (
        doc_id     TEXT PRIMARY KEY,
        stream     TEXT NOT NULL,
        reason     TEXT NOT NULL,
        removed_at TEXT NOT NULL
    );
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
    // The front door's throttle (`crate::throttle`), shared by every instance.
    "
    CREATE TABLE attempts (
        key        TEXT PRIMARY KEY,
        failures   INT NOT NULL,
        expires_at BIGINT NOT NULL
    );
    CREATE INDEX attempts_by_expiry ON attempts (expires_at);
",
    // Erasure (issue 14): who erased, counted for the rate limit; consent documents are their
    // person's (`sync::subject`).
    "
    ALTER TABLE erasures ADD COLUMN erased_by_user TEXT;
    ALTER TABLE erasures ADD COLUMN erased_by_device TEXT;
    CREATE INDEX erasures_by_user ON erasures (erased_by_user, erased_at);
    CREATE INDEX erasures_by_device ON erasures (erased_by_device, erased_at);
    UPDATE docs SET subject = split_part(substr(doc_id, 9), '/', 1)
     WHERE subject IS NULL AND substr(doc_id, 1, 8) = 'consent:'
       AND position('/' in substr(doc_id, 9)) > 1;
",
];

/// One counter's attempt: a window that has passed starts again at one. The upsert takes
/// the row's lock, so concurrent attempts on one key, from any instance, count one by one.
const RESERVE: &str = "
    INSERT INTO attempts (key, failures, expires_at) VALUES ($1, 1, $2::BIGINT + $3::BIGINT)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN attempts.expires_at <= $2 THEN 1 ELSE attempts.failures + 1 END,
        expires_at = CASE WHEN attempts.expires_at <= $2 THEN $2::BIGINT + $3::BIGINT
                          ELSE attempts.expires_at END
    RETURNING failures, expires_at";

/// The migration that added `changes.actor` and `actor_seq`: filled from the bytes.
const ACTOR_MIGRATION: usize = 5;

async fn fill_actors(tx: &deadpool_postgres::Transaction<'_>) -> Result<()> {
    let rows = tx
        .query("SELECT stream, seq, bytes FROM changes", &[])
        .await?;
    let (mut streams, mut seqs, mut actors, mut actor_seqs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for r in &rows {
        let (stream, seq, bytes): (String, i64, Vec<u8>) = (r.get(0), r.get(1), r.get(2));
        let change = automerge::Change::from_bytes(bytes)
            .map_err(|e| ServerError::Config(format!("alteração {stream}/{seq} ilegível: {e}")))?;
        actors.push(change.actor_id().to_bytes().to_vec());
        actor_seqs.push(change.seq() as i64);
        streams.push(stream);
        seqs.push(seq);
    }
    tx.execute(
        "UPDATE changes SET actor = w.actor, actor_seq = w.actor_seq
         FROM unnest($1::TEXT[], $2::BIGINT[], $3::BYTEA[], $4::BIGINT[])
           AS w (stream, seq, actor, actor_seq)
         WHERE changes.stream = w.stream AND changes.seq = w.seq",
        &[&streams, &seqs, &actors, &actor_seqs],
    )
    .await?;
    Ok(())
}

/// The migration that added `docs.subject`: existing rows get theirs from their ids.
const SUBJECT_MIGRATION: usize = 1;

async fn fill_subjects(tx: &deadpool_postgres::Transaction<'_>) -> Result<()> {
    let (ids, subjects): (Vec<String>, Vec<String>) = tx
        .query("SELECT doc_id FROM docs", &[])
        .await?
        .iter()
        .filter_map(|r| {
            let id: String = r.get(0);
            doc_subject(&id).map(|s| (id, s))
        })
        .unzip();
    tx.execute(
        "UPDATE docs SET subject = w.subject
         FROM unnest($1::TEXT[], $2::TEXT[]) AS w (doc_id, subject) WHERE docs.doc_id = w.doc_id",
        &[&ids, &subjects],
    )
    .await?;
    Ok(())
}

#[derive(Clone)]
pub struct Postgres {
    pool: Pool,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

fn config_error(e: impl std::fmt::Display) -> ServerError {
    ServerError::Config(format!("PostgreSQL: {e}"))
}

impl Postgres {
    pub async fn open(url: &str) -> Result<Postgres> {
        let (url, mode, root) = super::pg_tls::split_url(url)?;
        let mut config: tokio_postgres::Config = url.parse().map_err(config_error)?;
        config.ssl_mode(mode.ssl_mode());
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = if mode == super::pg_tls::Mode::Disable {
            Manager::from_config(config, NoTls, manager_config)
        } else {
            let tls = super::pg_tls::client_config(mode, root.as_deref())?;
            Manager::from_config(config, super::pg_tls::Rustls(tls), manager_config)
        };
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(config_error)?;
        let db = Postgres { pool };
        db.migrate().await?;
        Ok(db)
    }

    pub async fn close(&self) -> Result<()> {
        self.pool.close();
        Ok(())
    }

    /// Whether this server's connection to PostgreSQL is encrypted (`pg_stat_ssl`).
    pub async fn encrypted(&self) -> Result<bool> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )
            .await
            .map_err(config_error)?;
        Ok(row.get(0))
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool
            .get()
            .await
            .map_err(|e| super::pg_tls::connect_error(&e))
    }

    async fn migrate(&self) -> Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Several instances may start together: one migrates, the others wait.
        tx.execute("SELECT pg_advisory_xact_lock(7373001)", &[])
            .await?;
        tx.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)",
            &[],
        )
        .await?;
        let done: i32 = tx
            .query_opt("SELECT version FROM schema_version", &[])
            .await?
            .map_or(0, |r| r.get(0));
        if done == 0 {
            tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])
                .await?;
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            tx.batch_execute(sql).await?;
            if i == SUBJECT_MIGRATION {
                fill_subjects(&tx).await?;
            }
            if i == ACTOR_MIGRATION {
                fill_actors(&tx).await?;
            }
            tx.execute("UPDATE schema_version SET version = $1", &[&(i as i32 + 1)])
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_office(&self, id: &str, name: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO offices (id, name) VALUES ($1, $2)",
                &[&id, &name],
            )
            .await
            .map_err(|e| conflict(e, format!("o escritório {id} já existe")))?;
        Ok(())
    }

    pub async fn put_rollup(
        &self,
        office: &str,
        period: &str,
        report: &str,
        received_at: &str,
    ) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO rollups (office, period, report, received_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (office, period) DO UPDATE SET report = $3, received_at = $4",
                &[&office, &period, &report, &received_at],
            )
            .await?;
        Ok(())
    }

    pub async fn rollups(&self, period: &str) -> Result<Vec<String>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT report FROM rollups WHERE period = $1 ORDER BY office",
                &[&period],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub async fn offices(&self) -> Result<Vec<OfficeRow>> {
        let rows = self
            .client()
            .await?
            .query("SELECT id, name FROM offices ORDER BY id", &[])
            .await?;
        Ok(rows
            .iter()
            .map(|r| OfficeRow {
                id: r.get(0),
                name: r.get(1),
            })
            .collect())
    }

    pub async fn add_user(&self, user: &UserRow) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO users (username, office, role, password_hash, display_name)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &user.username,
                    &user.office,
                    &user.role.as_str(),
                    &user.password_hash,
                    &user.display_name,
                ],
            )
            .await
            .map_err(|e| conflict(e, format!("o usuário {} já existe", user.username)))?;
        Ok(())
    }

    pub async fn set_password(&self, username: &str, hash: &str) -> Result<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE users SET password_hash = $2 WHERE username = $1",
                &[&username, &hash],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn user(&self, username: &str) -> Result<Option<UserRow>> {
        let row = self
            .client()
            .await?
            .query_opt(&format!("{USER_SELECT} WHERE username = $1"), &[&username])
            .await?;
        row.as_ref().map(user_row).transpose()
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let rows = self
            .client()
            .await?
            .query(&format!("{USER_SELECT} ORDER BY office, username"), &[])
            .await?;
        rows.iter().map(user_row).collect()
    }

    pub async fn office_users(&self, office: &str) -> Result<Vec<UserRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("{USER_SELECT} WHERE office = $1 ORDER BY username"),
                &[&office],
            )
            .await?;
        rows.iter().map(user_row).collect()
    }

    pub async fn office_team_devices(&self, office: &str) -> Result<Vec<DeviceRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!(
                    "{DEVICE_SELECT} WHERE office = $1 AND role <> 'citizen' \
                     ORDER BY created_at, id"
                ),
                &[&office],
            )
            .await?;
        rows.iter().map(device_row).collect()
    }

    pub async fn disable_user(&self, username: &str, now: &str, retire_at: &str) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let n = tx
            .execute(
                "UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE username = $1",
                &[&username, &now],
            )
            .await?;
        tx.execute(
            "UPDATE devices SET retire_at = COALESCE(retire_at, $2)
             WHERE username = $1 AND revoked_at IS NULL",
            &[&username, &retire_at],
        )
        .await?;
        tx.commit().await?;
        Ok(n == 1)
    }

    pub async fn add_device(&self, d: &DeviceRow, token_hash: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO devices (id, token_hash, office, role, username, name, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &d.id,
                    &token_hash,
                    &d.office,
                    &d.role.as_str(),
                    &d.username,
                    &d.name,
                    &d.created_at,
                ],
            )
            .await?;
        Ok(())
    }

    pub async fn add_audit(
        &self,
        device: &DeviceRow,
        entries: Vec<AuditOpening>,
        received_at: &str,
    ) -> Result<u32> {
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        let people: Vec<&str> = entries.iter().map(|e| e.person_id.as_str()).collect();
        let ats: Vec<String> = entries.iter().map(|e| audit_time(e.at)).collect();
        let whats: Vec<&str> = entries.iter().map(|e| e.what.as_str()).collect();
        self.client()
            .await?
            .execute(
                "INSERT INTO audit_log
                   (device, entry_id, username, office, person_id, at, received_at, what)
                 SELECT $1, e.id, $2, $3, e.person_id, e.at, $4, e.what
                 FROM unnest($5::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[])
                   AS e (id, person_id, at, what)
                 ON CONFLICT (device, entry_id) DO NOTHING",
                &[
                    &device.id,
                    &device.username,
                    &device.office,
                    &received_at,
                    &ids,
                    &people,
                    &ats,
                    &whats,
                ],
            )
            .await?;
        Ok(u32::try_from(entries.len()).unwrap_or(u32::MAX))
    }

    pub async fn audit_log(
        &self,
        office: &str,
        before: Option<AuditCursor>,
        limit: usize,
    ) -> Result<Vec<AuditRecord>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let client = self.client().await?;
        let rows = match before {
            None => {
                client
                    .query(
                        "SELECT entry_id, device, username, office, person_id, at, received_at,
                                what
                         FROM audit_log WHERE office = $1
                         ORDER BY received_at DESC, device DESC, entry_id DESC LIMIT $2",
                        &[&office, &limit],
                    )
                    .await?
            }
            Some((r, d, e)) => {
                client
                    .query(
                        "SELECT entry_id, device, username, office, person_id, at, received_at,
                                what
                         FROM audit_log
                         WHERE office = $1 AND (received_at, device, entry_id) < ($2, $3, $4)
                         ORDER BY received_at DESC, device DESC, entry_id DESC LIMIT $5",
                        &[&office, &r, &d, &e, &limit],
                    )
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                audit_record((
                    r.get(0),
                    r.get(1),
                    r.get(2),
                    r.get(3),
                    r.get(4),
                    r.get(5),
                    r.get(6),
                    r.get(7),
                ))
            })
            .collect()
    }

    pub async fn device_by_token(&self, token_hash: &str) -> Result<Option<DeviceRow>> {
        let row = self
            .client()
            .await?
            .query_opt(
                &format!("{DEVICE_SELECT} WHERE token_hash = $1"),
                &[&token_hash],
            )
            .await?;
        row.as_ref().map(device_row).transpose()
    }

    pub async fn touch_device(&self, id: &str, now: &str) -> Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE devices SET last_seen = $2 WHERE id = $1",
                &[&id, &now],
            )
            .await?;
        Ok(())
    }

    pub async fn reserve_attempts(
        &self,
        mut attempts: Vec<Attempt>,
        now: i64,
    ) -> Result<Option<i64>> {
        // Rows are locked in key order, so two reservations never wait on each other in a
        // cycle.
        attempts.sort_by(|a, b| a.key.cmp(&b.key));
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let reserve = tx.prepare_cached(RESERVE).await?;
        let mut refused: Option<i64> = None;
        for a in &attempts {
            let row = tx.query_one(&reserve, &[&a.key, &now, &a.window]).await?;
            let (failures, until): (i32, i64) = (row.get(0), row.get(1));
            if i64::from(failures) > i64::from(a.limit) {
                refused = Some(refused.map_or(until, |u| u.max(until)));
            }
        }
        // Refused: nothing is taken (the dropped transaction rolls back).
        if refused.is_none() {
            tx.commit().await?;
        }
        Ok(refused)
    }

    pub async fn return_attempts(&self, give_back: Vec<String>, forget: Vec<String>) -> Result<()> {
        // One statement at a time, each committed on its own: no row lock is held while
        // another is awaited, so this never deadlocks with a reservation.
        let client = self.client().await?;
        for key in &give_back {
            client
                .execute(
                    "UPDATE attempts SET failures = failures - 1 WHERE key = $1 AND failures > 0",
                    &[key],
                )
                .await?;
        }
        for key in &forget {
            client
                .execute("DELETE FROM attempts WHERE key = $1", &[key])
                .await?;
        }
        Ok(())
    }

    pub async fn prune_attempts(&self, now: i64, keep: u64) -> Result<u64> {
        let client = self.client().await?;
        client
            .execute(
                // Rows a reservation holds are skipped, never waited for.
                "DELETE FROM attempts WHERE key IN
                   (SELECT key FROM attempts WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED)",
                &[&now],
            )
            .await?;
        client
            .execute(
                "DELETE FROM attempts WHERE key IN
                   (SELECT key FROM attempts ORDER BY expires_at DESC OFFSET $1
                    FOR UPDATE SKIP LOCKED)",
                &[&(keep as i64)],
            )
            .await?;
        let left: i64 = client
            .query_one("SELECT count(*) FROM attempts", &[])
            .await?
            .get(0);
        Ok(left as u64)
    }

    pub async fn devices(&self) -> Result<Vec<DeviceRow>> {
        let rows = self
            .client()
            .await?
            .query(
                &format!("{DEVICE_SELECT} ORDER BY office, created_at, id"),
                &[],
            )
            .await?;
        rows.iter().map(device_row).collect()
    }

    pub async fn revoke_device(&self, id: &str, now: &str) -> Result<bool> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                &[&id, &now],
            )
            .await?;
        Ok(n == 1)
    }

    pub async fn ingest(&self, batches: Vec<DocBatch>) -> Result<Ingested> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // Lock every stream this ingest touches, in sorted order, and read its counter.
        let streams: BTreeSet<String> = batches.iter().map(|b| b.scope.stream()).collect();
        let mut last = std::collections::HashMap::new();
        for stream in &streams {
            tx.execute(
                "INSERT INTO streams (name, last_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
                &[stream],
            )
            .await?;
            let seq: i64 = tx
                .query_one(
                    "SELECT last_seq FROM streams WHERE name = $1 FOR UPDATE",
                    &[stream],
                )
                .await?
                .get(0);
            last.insert(stream.clone(), seq);
        }
        // Documents of erased subjects: dropped, and the erasure told (the streams are locked,
        // so no erasure can slip in between this check and the commit).
        let (pairs_streams, pairs_subjects): (Vec<String>, Vec<String>) = batches
            .iter()
            .filter_map(|b| doc_subject(&b.doc_id).map(|s| (b.scope.stream(), s)))
            .unzip();
        let mut done = Ingested::default();
        if !pairs_streams.is_empty() {
            let erased: Vec<Erased> = tx
                .query(
                    "SELECT DISTINCT e.stream, e.subject, e.seq FROM erasures e
                     JOIN unnest($1::TEXT[], $2::TEXT[]) AS w (stream, subject)
                       ON e.stream = w.stream AND e.subject = w.subject ORDER BY e.seq",
                    &[&pairs_streams, &pairs_subjects],
                )
                .await?
                .iter()
                .map(|r| Erased {
                    stream: r.get(0),
                    subject: r.get(1),
                    seq: r.get::<_, i64>(2) as u64,
                })
                .collect();
            done.erased = erased;
        }
        let batches: Vec<DocBatch> = batches
            .into_iter()
            .filter(|b| {
                let stream = b.scope.stream();
                let subject = doc_subject(&b.doc_id);
                !done
                    .erased
                    .iter()
                    .any(|e| e.stream == stream && Some(&e.subject) == subject.as_ref())
            })
            .collect();
        // Documents an administrator removed: dropped, and told.
        let all_ids: Vec<&str> = batches.iter().map(|b| b.doc_id.as_str()).collect();
        let removed: HashSet<String> = tx
            .query(
                "SELECT doc_id FROM removed_docs WHERE doc_id = ANY($1)",
                &[&all_ids],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        done.removed = removed.iter().cloned().collect();
        done.removed.sort();
        let batches: Vec<DocBatch> = batches
            .into_iter()
            .filter(|b| !removed.contains(&b.doc_id))
            .collect();
        let facts = log_facts(&tx, &batches).await?;
        // Documents: the scopes already known, in one query; new ones, in one insert.
        let doc_ids: Vec<&str> = batches.iter().map(|b| b.doc_id.as_str()).collect();
        let known: std::collections::HashMap<String, String> = tx
            .query(
                "SELECT doc_id, scope FROM docs WHERE doc_id = ANY($1)",
                &[&doc_ids],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let (mut new_ids, mut new_streams, mut new_scopes, mut new_devices, mut new_subjects) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for batch in &batches {
            let scope_json = serde_json::to_string(&batch.scope)?;
            match known.get(&batch.doc_id) {
                Some(scope) if *scope != scope_json => {
                    return Err(ServerError::ScopeMismatch(batch.doc_id.clone()));
                }
                Some(_) => {}
                None if new_ids.contains(&batch.doc_id) => {}
                None if batch.legacy => return Err(super::legacy_refused(batch)),
                None => {
                    new_ids.push(batch.doc_id.clone());
                    new_streams.push(batch.scope.stream());
                    new_scopes.push(scope_json);
                    new_devices.push(batch.scope.device().map(str::to_owned));
                    new_subjects.push(doc_subject(&batch.doc_id));
                }
            }
        }
        if !new_ids.is_empty() {
            tx.execute(
                "INSERT INTO docs (doc_id, stream, scope, device, subject)
                 SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[])",
                &[
                    &new_ids,
                    &new_streams,
                    &new_scopes,
                    &new_devices,
                    &new_subjects,
                ],
            )
            .await?;
        }
        // Changes: checked against what the log holds (read in two queries), the new ones
        // numbered in order and inserted in one statement.
        let mut rows = NewRows::default();
        for batch in &batches {
            let stream = batch.scope.stream();
            let new = crate::vouch::new_changes(batch, &facts)?;
            done.duplicates += (batch.changes.len() - new.len()) as u32;
            for change in new {
                let seq = last.entry(stream.clone()).or_insert(0);
                *seq += 1;
                rows.streams.push(stream.clone());
                rows.seqs.push(*seq);
                rows.doc_ids.push(&batch.doc_id);
                rows.devices.push(batch.scope.device());
                rows.hashes.push(&change.hash[..]);
                rows.bytes.push(&change.bytes);
                rows.actors.push(&change.actor);
                rows.actor_seqs.push(change.seq as i64);
                done.accepted += 1;
            }
        }
        if !rows.streams.is_empty() {
            tx.execute(
                "INSERT INTO changes (stream, seq, doc_id, device, hash, bytes, actor, actor_seq)
                 SELECT * FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[],
                                      $5::BYTEA[], $6::BYTEA[], $7::BYTEA[], $8::BIGINT[])",
                &[
                    &rows.streams,
                    &rows.seqs,
                    &rows.doc_ids,
                    &rows.devices,
                    &rows.hashes,
                    &rows.bytes,
                    &rows.actors,
                    &rows.actor_seqs,
                ],
            )
            .await?;
        }
        for (stream, seq) in &last {
            tx.execute(
                "UPDATE streams SET last_seq = $2 WHERE name = $1",
                &[stream, seq],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    pub async fn docs(&self, prefix: Option<&str>) -> Result<Vec<DocRow>> {
        let prefix = prefix.unwrap_or("").to_owned();
        let rows = self
            .client()
            .await?
            .query(
                "SELECT d.doc_id, d.stream, d.scope, count(c.seq),
                        coalesce(sum(length(c.bytes)), 0)::BIGINT
                 FROM docs d LEFT JOIN changes c ON c.doc_id = d.doc_id
                 WHERE left(d.doc_id, length($1)) = $1
                 GROUP BY d.doc_id ORDER BY d.doc_id",
                &[&prefix],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| DocRow {
                doc_id: r.get(0),
                stream: r.get(1),
                scope: r.get(2),
                changes: r.get::<_, i64>(3) as u64,
                bytes: r.get::<_, i64>(4) as u64,
            })
            .collect())
    }

    pub async fn remove_doc(&self, doc_id: &str, reason: &str, at: &str) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx
            .query_opt("SELECT stream FROM docs WHERE doc_id = $1", &[&doc_id])
            .await?
        else {
            return Ok(false);
        };
        let stream: String = row.get(0);
        // The stream's counter row, as an ingest takes it: nobody adds to it meanwhile.
        // The stream moves on, so a cached snapshot of it is made again without it.
        tx.execute(
            "UPDATE streams SET last_seq = last_seq + 1 WHERE name = $1",
            &[&stream],
        )
        .await?;
        tx.execute("DELETE FROM changes WHERE doc_id = $1", &[&doc_id])
            .await?;
        tx.execute("DELETE FROM docs WHERE doc_id = $1", &[&doc_id])
            .await?;
        tx.execute(
            "INSERT INTO removed_docs (doc_id, stream, reason, removed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (doc_id) DO NOTHING",
            &[&doc_id, &stream, &reason, &at],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn removed_docs(&self) -> Result<Vec<RemovedDoc>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT doc_id, stream, reason, removed_at FROM removed_docs
                 ORDER BY removed_at DESC, doc_id",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| RemovedDoc {
                doc_id: r.get(0),
                stream: r.get(1),
                reason: r.get(2),
                removed_at: r.get(3),
            })
            .collect())
    }

    pub async fn pull(&self, from: Vec<PullFrom>, limit: usize) -> Result<Pulls> {
        let mut client = self.client().await?;
        // One snapshot for changes and erasures: commits come in sequence order (the counter
        // lock), so it holds a prefix of each stream and a cursor moved past an erasure skips
        // nothing.
        let tx = read_snapshot(&mut client).await?;
        let erasures = tx
            .prepare_cached(
                "SELECT seq, subject FROM erasures
                 WHERE stream = $1 AND seq > $2 AND seq <= $3 AND ($4::TEXT IS NULL OR subject = $4)
                 ORDER BY seq",
            )
            .await?;
        let statement = tx
            .prepare_cached(
                "SELECT c.seq, c.doc_id, d.scope, c.bytes FROM changes c
                 JOIN docs d ON d.doc_id = c.doc_id
                 WHERE c.stream = $1 AND c.seq > $2 AND ($3::TEXT IS NULL OR c.device = $3)
                 ORDER BY c.seq LIMIT $4",
            )
            .await?;
        let mut out = Vec::new();
        let mut erased = Vec::new();
        let mut more = false;
        for f in &from {
            let room = limit.saturating_sub(out.len());
            if room == 0 {
                more = true;
                break;
            }
            let rows = tx
                .query(
                    &statement,
                    &[&f.stream, &(f.after as i64), &f.device, &(room as i64 + 1)],
                )
                .await?;
            // Cut short: erasures only up to the last change sent.
            let upto = if rows.len() > room {
                more = true;
                rows.get(room - 1)
                    .map_or(f.after as i64, |r| r.get::<_, i64>(0))
            } else {
                i64::MAX
            };
            for r in tx
                .query(&erasures, &[&f.stream, &(f.after as i64), &upto, &f.device])
                .await?
            {
                erased.push(Erased {
                    stream: f.stream.clone(),
                    seq: r.get::<_, i64>(0) as u64,
                    subject: r.get(1),
                });
            }
            for r in rows.iter().take(room) {
                out.push(Pulled {
                    stream: f.stream.clone(),
                    seq: r.get::<_, i64>(0) as u64,
                    doc_id: r.get(1),
                    scope: serde_json::from_str::<Scope>(r.get::<_, &str>(2))?,
                    change: r.get(3),
                });
            }
        }
        tx.commit().await?;
        Ok(Pulls {
            changes: out,
            erased,
            more,
        })
    }

    pub async fn erase(&self, stream: &str, subject: &str, by: &Eraser) -> Result<Erased> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // One eraser's erasures are counted and added one at a time, across instances and
        // streams: the count below can't be raced past the limit.
        let key = by.username.as_deref().unwrap_or(&by.device);
        tx.execute(
            "SELECT pg_advisory_xact_lock(7373002, hashtext($1))",
            &[&key],
        )
        .await?;
        // The stream's counter row, locked like an ingest: the erasure's position becomes
        // visible in order, and no ingest into the stream runs beside it.
        tx.execute(
            "INSERT INTO streams (name, last_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
            &[&stream],
        )
        .await?;
        let last: i64 = tx
            .query_one(
                "SELECT last_seq FROM streams WHERE name = $1 FOR UPDATE",
                &[&stream],
            )
            .await?
            .get(0);
        let done = |seq: i64| Erased {
            stream: stream.to_owned(),
            seq: seq as u64,
            subject: subject.to_owned(),
        };
        if let Some(row) = tx
            .query_opt(
                "SELECT seq FROM erasures WHERE stream = $1 AND subject = $2",
                &[&stream, &subject],
            )
            .await?
        {
            tx.commit().await?;
            return Ok(done(row.get(0)));
        }
        if let Some(limit) = &by.limit {
            let row = tx
                .query_one(
                    "SELECT count(*), min(erased_at) FROM erasures
                     WHERE erased_at > $3 AND CASE WHEN $1::TEXT IS NULL
                       THEN erased_by_user IS NULL AND erased_by_device = $2
                       ELSE erased_by_user = $1 END",
                    &[&by.username, &by.device, &limit.since],
                )
                .await?;
            let (count, oldest): (i64, Option<String>) = (row.get(0), row.get(1));
            if count >= i64::from(limit.max) {
                return Err(by.refused(oldest.as_deref()));
            }
        }
        let seq = last + 1;
        tx.execute(
            "UPDATE streams SET last_seq = $2 WHERE name = $1",
            &[&stream, &seq],
        )
        .await?;
        tx.execute(
            "INSERT INTO erasures (stream, seq, subject, erased_at, erased_by_user,
                                   erased_by_device)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&stream, &seq, &subject, &by.at, &by.username, &by.device],
        )
        .await?;
        tx.execute(
            "DELETE FROM changes WHERE stream = $1 AND doc_id IN
               (SELECT doc_id FROM docs WHERE stream = $1 AND subject = $2)",
            &[&stream, &subject],
        )
        .await?;
        tx.execute(
            "DELETE FROM docs WHERE stream = $1 AND subject = $2",
            &[&stream, &subject],
        )
        .await?;
        tx.commit().await?;
        Ok(done(seq))
    }

    pub async fn erasures(&self, stream: &str) -> Result<Vec<ErasureRow>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT stream, seq, subject, erased_at, erased_by_user, erased_by_device
                 FROM erasures WHERE stream = $1 ORDER BY seq",
                &[&stream],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| ErasureRow {
                stream: r.get(0),
                seq: r.get::<_, i64>(1) as u64,
                subject: r.get(2),
                erased_at: r.get(3),
                erased_by_user: r.get(4),
                erased_by_device: r.get(5),
            })
            .collect())
    }

    pub async fn stream_head(&self, stream: &str) -> Result<u64> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT last_seq FROM streams WHERE name = $1", &[&stream])
            .await?;
        Ok(row.map_or(0, |r| r.get::<_, i64>(0)) as u64)
    }

    pub async fn stream_docs(&self, stream: &str, device: Option<&str>) -> Result<StreamDocs> {
        let mut client = self.client().await?;
        // One snapshot of the database for the position and the changes it includes.
        let tx = read_snapshot(&mut client).await?;
        let seq: i64 = tx
            .query_opt("SELECT last_seq FROM streams WHERE name = $1", &[&stream])
            .await?
            .map_or(0, |r| r.get(0));
        let rows = tx
            .query(
                "SELECT c.doc_id, d.scope, c.bytes FROM changes c JOIN docs d ON d.doc_id = c.doc_id
                 WHERE c.stream = $1 AND c.seq <= $2 AND ($3::TEXT IS NULL OR c.device = $3)
                 ORDER BY c.doc_id, c.seq",
                &[&stream, &seq, &device],
            )
            .await?;
        let erased: Vec<String> = tx
            .query(
                "SELECT subject FROM erasures
                 WHERE stream = $1 AND seq <= $2 AND ($3::TEXT IS NULL OR subject = $3) ORDER BY seq",
                &[&stream, &seq, &device],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        tx.commit().await?;
        let mut docs: Vec<(String, Scope, Vec<Vec<u8>>)> = Vec::new();
        for r in rows {
            let doc_id: String = r.get(0);
            let bytes: Vec<u8> = r.get(2);
            match docs.last_mut() {
                Some((last, _, changes)) if *last == doc_id => changes.push(bytes),
                _ => {
                    let scope = serde_json::from_str::<Scope>(r.get::<_, &str>(1))?;
                    docs.push((doc_id, scope, vec![bytes]));
                }
            }
        }
        Ok(StreamDocs {
            seq: seq as u64,
            docs,
            erased,
        })
    }
}

/// New rows of the change log, column by column, for one `unnest` insert.
#[derive(Default)]
struct NewRows<'a> {
    streams: Vec<String>,
    seqs: Vec<i64>,
    doc_ids: Vec<&'a str>,
    devices: Vec<Option<&'a str>>,
    hashes: Vec<&'a [u8]>,
    bytes: Vec<&'a [u8]>,
    actors: Vec<&'a [u8]>,
    actor_seqs: Vec<i64>,
}

/// What the log holds of the hashes and actors a push names (see `crate::vouch::LogFacts`),
/// in two queries.
async fn log_facts(
    tx: &deadpool_postgres::Transaction<'_>,
    batches: &[DocBatch],
) -> Result<crate::vouch::LogFacts> {
    let (hashes, actors) = crate::vouch::lookups(batches);
    let mut facts = crate::vouch::LogFacts::default();
    let (ids, hs): (Vec<&str>, Vec<&[u8]>) =
        hashes.iter().map(|(d, h)| (d.as_str(), &h[..])).unzip();
    for r in tx
        .query(
            "SELECT c.doc_id, c.hash FROM changes c
             JOIN unnest($1::TEXT[], $2::BYTEA[]) AS w (doc_id, hash)
               ON c.doc_id = w.doc_id AND c.hash = w.hash",
            &[&ids, &hs],
        )
        .await?
    {
        let (doc, hash): (String, Vec<u8>) = (r.get(0), r.get(1));
        if let Ok(hash) = <[u8; 32]>::try_from(hash.as_slice()) {
            facts.held.insert((doc, hash));
        }
    }
    let (ids, actor_ids): (Vec<&str>, Vec<&[u8]>) = actors
        .iter()
        .map(|(d, a)| (d.as_str(), a.as_slice()))
        .unzip();
    for r in tx
        .query(
            "SELECT w.doc_id, w.actor, max(c.actor_seq) FROM unnest($1::TEXT[], $2::BYTEA[])
               AS w (doc_id, actor)
             JOIN changes c ON c.doc_id = w.doc_id AND c.actor = w.actor
             GROUP BY w.doc_id, w.actor",
            &[&ids, &actor_ids],
        )
        .await?
    {
        let seq: Option<i64> = r.get(2);
        if let Some(seq) = seq {
            facts.last_seq.insert((r.get(0), r.get(1)), seq as u64);
        }
    }
    Ok(facts)
}

const DEVICE_SELECT: &str =
    "SELECT id, office, role, username, name, created_at, last_seen, revoked_at, retire_at
     FROM devices";

fn role(r: &Row, i: usize) -> Result<Role> {
    let text: &str = r.get(i);
    Role::parse(text)
        .ok_or_else(|| ServerError::Config(format!("papel desconhecido no banco: {text}")))
}

const USER_SELECT: &str =
    "SELECT username, office, role, password_hash, display_name, disabled_at FROM users";

fn user_row(r: &Row) -> Result<UserRow> {
    Ok(UserRow {
        username: r.get(0),
        office: r.get(1),
        role: role(r, 2)?,
        password_hash: r.get(3),
        display_name: r.get(4),
        disabled_at: r.get(5),
    })
}

fn device_row(r: &Row) -> Result<DeviceRow> {
    Ok(DeviceRow {
        id: r.get(0),
        office: r.get(1),
        role: role(r, 2)?,
        username: r.get(3),
        name: r.get(4),
        created_at: r.get(5),
        last_seen: r.get(6),
        revoked_at: r.get(7),
        retire_at: r.get(8),
    })
}

/// A unique violation becomes a plain message; anything else stays an error.
fn conflict(e: tokio_postgres::Error, message: String) -> ServerError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        ServerError::Conflict(message)
    } else {
        ServerError::from(e)
    }
}

/// A read-only transaction that sees one snapshot of the database, for reads whose parts must
/// agree (a stream's position and the changes it includes; changes and erasures).
async fn read_snapshot(
    client: &mut deadpool_postgres::Object,
) -> Result<deadpool_postgres::Transaction<'_>> {
    Ok(client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}
