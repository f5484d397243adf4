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
    audit_record, audit_time, doc_subject, DeviceRow, DocBatch, Ingested, OfficeRow, PullFrom,
    Pulls, StreamDocs, UserRow,
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
];

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
        let config: tokio_postgres::Config = url.parse().map_err(config_error)?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(config_error)?;
        let db = Postgres { pool };
        db.migrate().await?;
        Ok(db)
    }

    async fn client(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(config_error)
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

    pub async fn disable_user(&self, username: &str, now: &str) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let n = tx
            .execute(
                "UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE username = $1",
                &[&username, &now],
            )
            .await?;
        tx.execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE username = $1",
            &[&username, &now],
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
        self.client()
            .await?
            .execute(
                "INSERT INTO audit_log
                   (device, entry_id, username, office, person_id, at, received_at)
                 SELECT $1, e.id, $2, $3, e.person_id, e.at, $4
                 FROM unnest($5::TEXT[], $6::TEXT[], $7::TEXT[]) AS e (id, person_id, at)
                 ON CONFLICT (device, entry_id) DO NOTHING",
                &[
                    &device.id,
                    &device.username,
                    &device.office,
                    &received_at,
                    &ids,
                    &people,
                    &ats,
                ],
            )
            .await?;
        Ok(u32::try_from(entries.len()).unwrap_or(u32::MAX))
    }

    pub async fn audit_log(&self, office: &str) -> Result<Vec<AuditRecord>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT entry_id, device, username, office, person_id, at FROM audit_log
                 WHERE office = $1 ORDER BY at DESC, device, entry_id",
                &[&office],
            )
            .await?;
        rows.iter()
            .map(|r| {
                let at: String = r.get(5);
                audit_record(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), &at)
            })
            .collect()
    }

    pub async fn device_by_token(&self, token_hash: &str, now: &str) -> Result<Option<DeviceRow>> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                &format!("{DEVICE_SELECT} WHERE token_hash = $1"),
                &[&token_hash],
            )
            .await?;
        let device = row.as_ref().map(device_row).transpose()?;
        if let Some(d) = &device {
            client
                .execute(
                    "UPDATE devices SET last_seen = $2 WHERE id = $1",
                    &[&d.id, &now],
                )
                .await?;
        }
        Ok(device)
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
        // Changes: which the log already holds, in one query; the rest numbered in order and
        // inserted in one statement.
        let (ids, hashes): (Vec<&str>, Vec<&[u8]>) = batches
            .iter()
            .flat_map(|b| {
                b.changes
                    .iter()
                    .map(move |(h, _)| (b.doc_id.as_str(), &h[..]))
            })
            .unzip();
        let held: HashSet<(String, Vec<u8>)> = tx
            .query(
                "SELECT c.doc_id, c.hash FROM changes c
                 JOIN unnest($1::TEXT[], $2::BYTEA[]) AS w (doc_id, hash)
                   ON c.doc_id = w.doc_id AND c.hash = w.hash",
                &[&ids, &hashes],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut rows = NewRows::default();
        let mut seen = HashSet::new();
        for batch in &batches {
            let stream = batch.scope.stream();
            for (hash, bytes) in &batch.changes {
                let key = (batch.doc_id.clone(), hash.to_vec());
                if held.contains(&key) || !seen.insert(key) {
                    done.duplicates += 1;
                    continue;
                }
                let seq = last.entry(stream.clone()).or_insert(0);
                *seq += 1;
                rows.streams.push(stream.clone());
                rows.seqs.push(*seq);
                rows.doc_ids.push(&batch.doc_id);
                rows.devices.push(batch.scope.device());
                rows.hashes.push(&hash[..]);
                rows.bytes.push(bytes);
                done.accepted += 1;
            }
        }
        if !rows.streams.is_empty() {
            tx.execute(
                "INSERT INTO changes (stream, seq, doc_id, device, hash, bytes)
                 SELECT * FROM unnest($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[],
                                      $5::BYTEA[], $6::BYTEA[])",
                &[
                    &rows.streams,
                    &rows.seqs,
                    &rows.doc_ids,
                    &rows.devices,
                    &rows.hashes,
                    &rows.bytes,
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

    pub async fn erase(&self, stream: &str, subject: &str, erased_at: &str) -> Result<Erased> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
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
        let seq = last + 1;
        tx.execute(
            "UPDATE streams SET last_seq = $2 WHERE name = $1",
            &[&stream, &seq],
        )
        .await?;
        tx.execute(
            "INSERT INTO erasures (stream, seq, subject, erased_at) VALUES ($1, $2, $3, $4)",
            &[&stream, &seq, &subject, &erased_at],
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
}

const DEVICE_SELECT: &str =
    "SELECT id, office, role, username, name, created_at, last_seen, revoked_at FROM devices";

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
