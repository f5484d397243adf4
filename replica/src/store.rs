//! The local store: one SQLite file holding the saved automerge documents (the source of
//! truth) and the projections made from them. Opening it migrates old files, keeps a damaged
//! file aside instead of overwriting it, and loads the bundled catalog on first start. A store
//! protected by a PIN is opened by `encrypted.rs` and never taken for a damaged one here.

use std::path::{Path, PathBuf};

use automerge::Automerge;
use chrono::{DateTime, SecondsFormat, Utc};
use esv_shared::document::{self, DocKind, Entity};
use esv_shared::locale::Locale;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::bundled;
use crate::error::{ReplicaError, Result};
use crate::index::Index;
use crate::migrations;
use crate::projection;

/// The store of one device.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    /// In-memory view of the projections used by listing, open-now and search; rebuilt when
    /// documents change.
    pub(crate) index: Option<Index>,
    /// SQLite's `data_version` when `index` was made: it changes when another connection
    /// (the app's background sync) commits.
    pub(crate) data_version: i64,
    /// The language of the labels the views carry.
    pub(crate) locale: Locale,
    /// Counts index loads: whatever is cached beside the index is stale when it moves.
    pub(crate) generation: u64,
    /// People with their names prepared for search, and the `generation` they were read at.
    pub(crate) people_cache: Option<(u64, crate::field::PreparedPeople)>,
    /// Whether the file is encrypted (opened with a PIN): such a store wipes itself when the
    /// office revokes the device.
    pub(crate) encrypted: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// What happened while opening, that a person should be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNotice {
    /// The file was damaged; it was moved to `kept_at` untouched and a new store was made.
    Recovered { kept_at: PathBuf, reason: String },
}

impl OpenNotice {
    pub fn message(&self) -> String {
        match self {
            OpenNotice::Recovered { kept_at, reason } => format!(
                "O arquivo de dados estava danificado ({reason}). Ele foi guardado sem alterações em \
                 {} e um novo foi criado a partir do catálogo embutido.",
                kept_at.display()
            ),
        }
    }
}

impl Store {
    /// Opens (or creates) the store at `path`, ready to use. A damaged file is kept aside.
    /// A store protected by a PIN is never opened (nor moved) here: that is
    /// [`ReplicaError::Locked`], and [`Store::open_with_pin`] opens it.
    pub fn open(path: &Path) -> Result<(Store, Option<OpenNotice>)> {
        if crate::vault::is_encrypted(path) {
            return Err(ReplicaError::Locked);
        }
        create_parent(path)?;
        match Store::open_checked(path, migrations::latest()) {
            Ok(store) => Ok((store, None)),
            Err(OpenFail::Other(e)) => Err(e),
            Err(OpenFail::Damaged(reason)) => {
                let kept_at = keep_aside(path)?;
                let store =
                    Store::open_checked(path, migrations::latest()).map_err(|e| match e {
                        OpenFail::Other(e) => e,
                        OpenFail::Damaged(reason) => ReplicaError::BadInput(format!(
                            "o arquivo de dados novo também falhou: {reason}"
                        )),
                    })?;
                Ok((store, Some(OpenNotice::Recovered { kept_at, reason })))
            }
        }
    }

    /// Opens with the first `migrations` migrations only: for tests of upgrades.
    pub fn open_at_version(path: &Path, migrations: i64) -> Result<Store> {
        let mut conn = Connection::open(path).map_err(|source| ReplicaError::Open {
            path: path.to_owned(),
            source: Box::new(source),
        })?;
        configure(&conn)?;
        migrations::migrate(&mut conn, migrations)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
            index: None,
            data_version: 0,
            locale: Locale::default(),
            generation: 0,
            people_cache: None,
            encrypted: false,
        })
    }

    fn open_checked(path: &Path, target: i64) -> std::result::Result<Store, OpenFail> {
        let conn = Connection::open(path).map_err(|source| {
            OpenFail::Other(ReplicaError::Open {
                path: path.to_owned(),
                source: Box::new(source),
            })
        })?;
        Store::finish_open(conn, path, target, false)
    }

    /// Checks, migrates and fills a connection that can read its file (keyed if encrypted).
    pub(crate) fn finish_open(
        mut conn: Connection,
        path: &Path,
        target: i64,
        encrypted: bool,
    ) -> std::result::Result<Store, OpenFail> {
        // Before the WAL exists: SQLite gives it the store's own mode.
        crate::files::keep_private(path).map_err(OpenFail::from)?;
        configure(&conn).map_err(OpenFail::from)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| OpenFail::from(ReplicaError::from(e)))?;
        if check != "ok" {
            return Err(OpenFail::Damaged(check));
        }
        let ran = migrations::migrate(&mut conn, target).map_err(OpenFail::from)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            index: None,
            data_version: 0,
            locale: Locale::default(),
            generation: 0,
            people_cache: None,
            encrypted,
        };
        if ran > 0 && target >= 2 {
            store.rebuild_projections().map_err(OpenFail::from)?;
        }
        if target >= 2 {
            bundled::load_if_new(&mut store).map_err(OpenFail::from)?;
        }
        if target >= migrations::QUARANTINE {
            store.retry_after_update().map_err(OpenFail::from)?;
        }
        Ok(store)
    }

    /// Moves everything in the write-ahead log into the main file (for measuring its size).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The language of the labels the views carry from now on.
    pub fn set_locale(&mut self, locale: Locale) {
        self.locale = locale;
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on this store's own connection (keyed, if the file is encrypted), for tests
    /// that check the rows and bytes behind the API. Screens never use it.
    #[doc(hidden)]
    pub fn inspect<R>(&self, f: impl FnOnce(&Connection) -> R) -> R {
        f(&self.conn)
    }

    /// Whether this store's file is encrypted (opened with a PIN).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Reads a saved document.
    pub fn document(&self, doc_id: &str) -> Result<Option<Automerge>> {
        load_document(&self.conn, doc_id)
    }

    /// Every document id with its kind.
    pub fn document_ids(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, kind FROM documents ORDER BY doc_id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Saves documents (merging into any copy already stored) and updates their projections,
    /// all in one transaction: after it returns, the change is on disk.
    pub fn put_documents(
        &mut self,
        docs: impl IntoIterator<Item = (String, Automerge)>,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let stamp = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let tx = self.conn.transaction()?;
        let mut written = 0;
        for (doc_id, mut doc) in docs {
            let existing: Option<Vec<u8>> = tx
                .query_row(
                    "SELECT bytes FROM documents WHERE doc_id = ?1",
                    [&doc_id],
                    |r| r.get(0),
                )
                .optional()?;
            let merged = match existing {
                Some(bytes) => {
                    let mut stored =
                        Automerge::load(&bytes).map_err(|e| ReplicaError::document(&doc_id, e))?;
                    if stored.get_heads() == doc.get_heads() {
                        continue;
                    }
                    stored
                        .merge(&mut doc)
                        .map_err(|e| ReplicaError::document(&doc_id, e))?;
                    stored
                }
                None => doc,
            };
            save_document(&tx, &doc_id, &merged, &stamp)?;
            written += 1;
        }
        if written > 0 {
            set_meta_tx(&tx, "updated_at", &stamp)?;
        }
        tx.commit()?;
        if written > 0 {
            self.index = None;
        }
        Ok(written)
    }

    /// Drops every projection and makes it again from the documents (invariant 2). A document
    /// this build cannot read or project (written by a newer app before a downgrade, a clash
    /// with another) stays stored but unshown, kept in the quarantine with the reason, so one
    /// document never keeps the store from opening; it is shown once it can be read. Returns
    /// how many documents were projected.
    pub fn rebuild_projections(&mut self) -> Result<usize> {
        let tx = self.conn.transaction()?;
        projection::clear(&tx)?;
        let rows: Vec<(String, Vec<u8>, String)> = {
            let mut stmt =
                tx.prepare("SELECT doc_id, bytes, updated_at FROM documents ORDER BY doc_id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            rows
        };
        let quarantine = migrations::has_table(&tx, "quarantine")?;
        let mut projected = 0;
        for (doc_id, bytes, updated_at) in &rows {
            tx.execute_batch("SAVEPOINT project_one")?;
            let result = load_entity(doc_id, bytes)
                .and_then(|entity| projection::project(&tx, doc_id, &entity));
            match result {
                Ok(()) => {
                    tx.execute_batch("RELEASE project_one")?;
                    projected += 1;
                }
                Err(e) if e.is_about_a_document() => {
                    tx.execute_batch("ROLLBACK TO project_one; RELEASE project_one")?;
                    if quarantine {
                        crate::sync::hold_stored(&tx, doc_id, bytes, updated_at, &e)?;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit()?;
        self.index = None;
        Ok(projected)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = ?2",
            params![key, value],
        )?;
        Ok(())
    }

    /// Every entity of a kind, read from the documents (not the projections).
    pub fn entities(&self, kind: DocKind) -> Result<Vec<Entity>> {
        let mut stmt = self
            .conn
            .prepare("SELECT doc_id, bytes FROM documents WHERE kind = ?1 ORDER BY doc_id")?;
        let rows = stmt
            .query_map([kind.as_str()], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        // A document this build cannot read (one a newer app stored, before the app went
        // back a version: kept aside at the next rebuild, see `rebuild_projections`) is not a
        // reason to show none of its kind.
        rows.iter()
            .filter_map(|(id, bytes)| match load_entity(id, bytes) {
                Err(e) if e.is_about_a_document() => None,
                other => Some(other),
            })
            .collect()
    }
}

pub(crate) enum OpenFail {
    /// The file is not a sound SQLite database: keep it aside.
    Damaged(String),
    Other(ReplicaError),
}

impl From<ReplicaError> for OpenFail {
    fn from(e: ReplicaError) -> OpenFail {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match &e {
            ReplicaError::Sqlite(inner) if matches!(&**inner, rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, DatabaseCorrupt | NotADatabase)) => {
                OpenFail::Damaged(e.to_string())
            }
            _ => OpenFail::Other(e),
        }
    }
}

pub(crate) fn create_parent(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() && !parent.exists() {
            crate::files::create_private_dir(parent)?;
        }
    }
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed change survives a power cut, not only a killed process (invariant 4).
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // A deleted row's bytes are overwritten with zeros, so an erased person (LGPD) survives
    // neither in free pages nor in a page's free space — plain and encrypted stores alike.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

pub(crate) fn set_meta_tx(tx: &Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
        params![key, value],
    )?;
    Ok(())
}

/// A saved document, read through any connection or transaction.
pub(crate) fn load_document(conn: &Connection, doc_id: &str) -> Result<Option<Automerge>> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT bytes FROM documents WHERE doc_id = ?1",
            [doc_id],
            |r| r.get(0),
        )
        .optional()?;
    bytes
        .map(|b| Automerge::load(&b).map_err(|e| ReplicaError::document(doc_id, e)))
        .transpose()
}

/// Saves a document and its projection (invariant 2: in the caller's transaction).
pub(crate) fn save_document(
    tx: &Transaction<'_>,
    doc_id: &str,
    doc: &Automerge,
    stamp: &str,
) -> Result<()> {
    let entity = document::read(doc).map_err(|e| ReplicaError::document(doc_id, e))?;
    save_read_document(tx, doc_id, doc, &entity, stamp)
}

/// [`save_document`] for a document whose entity the caller already holds as the document
/// reads it (`document::as_written` after `document::write`): no reading it back.
pub(crate) fn save_read_document(
    tx: &Transaction<'_>,
    doc_id: &str,
    doc: &Automerge,
    entity: &Entity,
    stamp: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO documents (doc_id, kind, bytes, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (doc_id) DO UPDATE SET kind = ?2, bytes = ?3, updated_at = ?4",
    )?
    .execute(params![doc_id, entity.kind().as_str(), doc.save(), stamp])?;
    projection::project(tx, doc_id, entity)?;
    Ok(())
}

pub(crate) fn load_entity(doc_id: &str, bytes: &[u8]) -> Result<Entity> {
    let doc = Automerge::load(bytes).map_err(|e| ReplicaError::document(doc_id, e))?;
    document::read(&doc).map_err(|source| ReplicaError::document(doc_id, source))
}

/// Moves a damaged store (and its WAL and shared-memory files) to a new name beside it, never
/// over an existing file.
fn keep_aside(path: &Path) -> Result<PathBuf> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%S");
    let name = path
        .file_name()
        .map_or_else(|| "store.db".into(), |n| n.to_string_lossy().into_owned());
    let mut n = 0;
    let kept_at = loop {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = path.with_file_name(format!("{name}.danificado-{stamp}{suffix}"));
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    let io = |source| ReplicaError::KeepAside {
        path: path.to_owned(),
        source,
    };
    std::fs::rename(path, &kept_at).map_err(io)?;
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", path.display()));
        if side.exists() {
            let target = PathBuf::from(format!("{}{ext}", kept_at.display()));
            std::fs::rename(&side, target).map_err(io)?;
        }
    }
    // What a damaged file holds is still people's data.
    crate::files::keep_private(&kept_at)?;
    Ok(kept_at)
}
