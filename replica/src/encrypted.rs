//! The store of a field or staff device, encrypted at rest (SQLCipher) and unlocked with a PIN:
//! open with the PIN (counting wrong ones), turn a plain store into an encrypted one, change
//! the PIN, and wipe the device's data. The key file and the key derivation live in `vault`.
//!
//! An encrypted file is never treated as damaged because of a missing or wrong PIN: it is
//! never moved aside, overwritten or written to until the right PIN opens it.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode};

use crate::error::{ReplicaError, Result};
use crate::migrations;
use crate::store::{create_parent, OpenFail, OpenNotice, Store};
use crate::vault::{self, side_path, KeyFile, Moment, Pin, RawKey};

/// Where a failure can be simulated in [`Store::encrypt_with_pin`], for crash tests.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncryptStep {
    /// The encrypted copy is written and synced; the key file is not.
    CopyWritten,
    /// The key file is written; the plain file is still in place.
    KeyWritten,
}

impl Store {
    /// Opens an encrypted store with its PIN. A wrong PIN is counted in the key file and
    /// answered with [`ReplicaError::WrongPin`]; after three, each attempt waits longer
    /// ([`ReplicaError::PinWait`], without even trying the PIN). The right PIN clears the
    /// count. The data file is only read until the PIN is known to be right.
    ///
    /// A plain store (no key file, or one left by an encryption that did not finish) opens as
    /// with [`Store::open`].
    pub fn open_with_pin(
        path: &Path,
        pin: &Pin,
        now: impl Into<Moment>,
    ) -> Result<(Store, Option<OpenNotice>)> {
        if !vault::is_encrypted(path) {
            return Store::open(path);
        }
        let (store, _key) = Store::unlock(path, pin, now)?;
        Ok((store, None))
    }

    /// Opens an encrypted store with its PIN, as [`Store::open_with_pin`], and also answers
    /// its key, kept in memory only, so a second connection (the app's background sync) can
    /// open the store while it stays unlocked ([`Store::open_with_key`]).
    pub fn unlock(path: &Path, pin: &Pin, now: impl Into<Moment>) -> Result<(Store, StoreKey)> {
        let now = now.into();
        let mut keys = KeyFile::read(path)?;
        let wait = keys.wait_seconds(&now);
        if wait > 0 {
            return Err(ReplicaError::PinWait { seconds: wait });
        }
        let key = keys.derive(pin)?;
        let Some(conn) = unlock(path, &key)? else {
            keys.failed(&now);
            keys.write(path)?;
            return Err(ReplicaError::WrongPin {
                wait_seconds: keys.wait_seconds(&now),
            });
        };
        if keys.failed_attempts > 0 || keys.last_failure.is_some() {
            keys.failed_attempts = 0;
            keys.last_failure = None;
            keys.failure_boot = None;
            keys.write(path)?;
        }
        Ok((finish_encrypted(conn, path)?, StoreKey(key)))
    }

    /// Opens an encrypted store with the key an unlock answered. A key that is not this
    /// file's (the store was wiped, or made again) is [`ReplicaError::Locked`].
    pub fn open_with_key(path: &Path, key: &StoreKey) -> Result<Store> {
        if !vault::is_encrypted(path) {
            return Err(ReplicaError::Locked);
        }
        match unlock(path, &key.0)? {
            Some(conn) => finish_encrypted(conn, path),
            None => Err(ReplicaError::Locked),
        }
    }

    /// Encrypts the store at `path` with `pin` (a missing store is first made plain from the
    /// bundled catalog, which is public, then encrypted). The
    /// encrypted copy is written beside it and synced, then the key file, then the copy is
    /// renamed over the plain file: a stop at any point leaves either the plain store or the
    /// encrypted one with its key file. Close the app first: a store another program has open
    /// is refused ([`ReplicaError::InUse`]).
    pub fn encrypt_with_pin(path: &Path, pin: &Pin) -> Result<()> {
        Store::encrypt_with_pin_until(path, pin, None)
    }

    #[doc(hidden)]
    pub fn encrypt_with_pin_until(path: &Path, pin: &Pin, stop: Option<EncryptStep>) -> Result<()> {
        Store::encrypt_with_cost(path, pin, vault::DEFAULT_PARAMS, stop)
    }

    /// [`Store::encrypt_with_pin`] with another Argon2id cost: for tests that make hundreds of
    /// team stores (the cost is kept in the key file, so the store opens with it). The app and
    /// the `esv` command always use [`vault::DEFAULT_PARAMS`].
    #[doc(hidden)]
    pub fn encrypt_with_cost(
        path: &Path,
        pin: &Pin,
        cost: vault::KdfParams,
        stop: Option<EncryptStep>,
    ) -> Result<()> {
        if vault::is_encrypted(path) {
            return Err(ReplicaError::BadInput(
                "este aparelho já está protegido por PIN; para trocar, use a troca de PIN"
                    .to_owned(),
            ));
        }
        create_parent(path)?;
        let keys = KeyFile {
            argon2id: cost,
            ..KeyFile::new()?
        };
        let key = keys.derive(pin)?;
        let tmp = side_path(path, ".cifrando");
        remove_db_files(&tmp)?;

        let (store, _notice) = Store::open(path)?;
        let version = store.schema_version()?;
        export(&store.conn, &key, &tmp, version)?;
        drop(store);
        drop(key);
        // Every change must be in the plain file itself, not in a WAL left beside it (which
        // would be read as part of the encrypted file after the rename).
        let wal = side_path(path, "-wal");
        if std::fs::metadata(&wal)
            .map(|m| m.len() > 0)
            .unwrap_or(false)
        {
            remove_db_files(&tmp)?;
            return Err(ReplicaError::InUse);
        }
        sync_file(&tmp)?;
        if stop == Some(EncryptStep::CopyWritten) {
            return Err(simulated());
        }

        keys.write(path)?;
        if stop == Some(EncryptStep::KeyWritten) {
            return Err(simulated());
        }
        for ext in ["-wal", "-shm"] {
            remove_if_there(&side_path(path, ext))?;
        }
        std::fs::rename(&tmp, path).map_err(|e| io_error(path, e))?;
        vault::sync_dir(path);
        Ok(())
    }

    /// Changes the PIN of an encrypted store (SQLCipher `rekey`): the old PIN must be right
    /// (wrong ones count as in [`Store::open_with_pin`]). The new key comes from the same salt,
    /// so the key file does not change and the re-encryption, one transaction, is all or
    /// nothing: a stop leaves the old PIN or the new one working.
    pub fn change_pin(path: &Path, old: &Pin, new: &Pin, now: DateTime<Utc>) -> Result<()> {
        if !vault::is_encrypted(path) {
            return Err(ReplicaError::BadInput(
                "este aparelho não está protegido por PIN".to_owned(),
            ));
        }
        let (store, _) = Store::open_with_pin(path, old, now)?;
        let key = KeyFile::read(path)?.derive(new)?;
        key.rekey(&store.conn)?;
        Ok(())
    }

    /// Erases this device's store: the data file, its `-wal` and `-shm`, and the key file.
    /// The key file goes first and is overwritten before it is removed: without its salt the
    /// data cannot be decrypted again, not even with the PIN. Close every connection to the
    /// store before (the app's sync thread included); a store never created is not an error.
    pub fn wipe(path: &Path) -> Result<()> {
        let key = vault::key_path(path);
        if let Ok(meta) = std::fs::metadata(&key) {
            let len = usize::try_from(meta.len()).unwrap_or(0);
            if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&key) {
                let _ = std::io::Write::write_all(&mut f, &vec![0u8; len]);
                let _ = f.sync_all();
            }
        }
        remove_if_there(&key)?;
        remove_if_there(&side_path(path, ".key.tmp"))?;
        remove_db_files(path)?;
        remove_db_files(&side_path(path, ".cifrando"))?;
        vault::sync_dir(path);
        Ok(())
    }

    /// Closes this store's file and wipes it ([`Store::wipe`]); the value left can no longer
    /// read anything. Used when the office revokes the device.
    pub(crate) fn close_and_wipe(&mut self) -> Result<()> {
        self.conn = Connection::open_in_memory()?;
        self.index = None;
        let path = self.path().to_owned();
        Store::wipe(&path)
    }
}

/// An unlocked store's key, in memory only and wiped when dropped; never printed.
#[derive(Clone)]
pub struct StoreKey(RawKey);

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(••••)")
    }
}

fn finish_encrypted(conn: Connection, path: &Path) -> Result<Store> {
    Store::finish_open(conn, path, migrations::latest(), true).map_err(|e| match e {
        OpenFail::Other(e) => e,
        OpenFail::Damaged(reason) => ReplicaError::EncryptedDamaged { reason },
    })
}

/// A connection keyed with `key`, or `None` if the key is not the file's. Reads only.
fn unlock(path: &Path, key: &RawKey) -> Result<Option<Connection>> {
    let conn = Connection::open(path).map_err(|source| ReplicaError::Open {
        path: path.to_owned(),
        source: Box::new(source),
    })?;
    key.apply(&conn)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(Some(conn)),
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == ErrorCode::NotADatabase => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Writes everything `conn` holds into a new encrypted file at `tmp`.
fn export(conn: &Connection, key: &RawKey, tmp: &Path, version: i64) -> Result<()> {
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    // Made 0600 before SQLite opens it (an empty file is an empty database to SQLite).
    crate::files::create_private(tmp).map_err(|e| io_error(tmp, e))?;
    key.attach(conn, tmp, "cifrado")?;
    let done = conn
        .query_row("SELECT sqlcipher_export('cifrado')", [], |_| Ok(()))
        .and_then(|()| conn.pragma_update(Some("cifrado"), "user_version", version));
    conn.execute("DETACH DATABASE cifrado", [])?;
    done?;
    Ok(())
}

fn remove_db_files(path: &Path) -> Result<()> {
    remove_if_there(path)?;
    for ext in ["-wal", "-shm", "-journal"] {
        remove_if_there(&side_path(path, ext))?;
    }
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(path, e)),
    }
}

fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, source: std::io::Error) -> ReplicaError {
    ReplicaError::File {
        path: path.to_owned(),
        source,
    }
}

fn simulated() -> ReplicaError {
    ReplicaError::BadInput("parada simulada".to_owned())
}
