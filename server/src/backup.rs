//! `esv-server backup FILE` and `restore FILE` for the SQLite database: a backup is one
//! consistent copy taken while the server keeps serving (SQLite's online backup, every page
//! in one read transaction), written to `FILE.tmp`, checked, synced and only then renamed over
//! `FILE` — so a full disk or a crash leaves the previous backup whole. A restore checks the
//! copy first and writes it into the database (stop the server before).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, ServerError};

/// The SQLite file a `--database` setting names; PostgreSQL has its own tools.
pub fn sqlite_path(database: &str) -> Result<PathBuf> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Err(ServerError::Config(
            "cópias de segurança de um banco PostgreSQL se fazem com pg_dump e pg_restore".into(),
        ));
    }
    Ok(PathBuf::from(
        database.strip_prefix("sqlite://").unwrap_or(database),
    ))
}

/// Copies every page of `from` into `to` in one step (one read transaction of `from`: a
/// consistent copy even while a server writes), waiting out a writer's lock.
fn copy(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if waits < 200 => {
                waits += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("o banco ficou ocupado por mais de 10 segundos".into()),
                ))
            }
        }
    }
}

/// SQLite's complaint in plain words, for the ones a person can act on.
fn plain(e: &rusqlite::Error) -> String {
    use rusqlite::ffi::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DiskFull | SystemIoFailure) => {
            format!("não há espaço no disco ou a escrita falhou ({e})")
        }
        Some(NotADatabase) => "o arquivo não é um banco SQLite".into(),
        Some(CannotOpen) => format!("o arquivo não pôde ser aberto ({e})"),
        Some(ReadOnly | PermissionDenied) => format!("sem permissão de escrita ({e})"),
        _ => e.to_string(),
    }
}

/// SQLite's own check of a whole file.
fn check(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    Ok((verdict != "ok").then_some(verdict))
}

/// Writes a consistent copy of the database to `target` (via `target.tmp`). Blocking.
pub fn backup(database: &str, target: &Path) -> Result<()> {
    let source = sqlite_path(database)?;
    if !source.exists() {
        return Err(ServerError::Config(format!(
            "o banco {} não existe",
            source.display()
        )));
    }
    let mut tmp = target.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let failed = |e: &dyn std::fmt::Display| {
        let _ = std::fs::remove_file(&tmp);
        ServerError::Config(format!(
            "a cópia de segurança não pôde ser escrita em {}: {e}. A cópia anterior, se havia, \
             ficou como estava.",
            target.display()
        ))
    };
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> rusqlite::Result<Option<String>> {
        let from = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        from.busy_timeout(Duration::from_secs(10))?;
        let mut to = Connection::open(&tmp)?;
        copy(&from, &mut to)?;
        // One file, no -wal beside it: a backup is copied around as a single file.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        check(&to)
    })();
    match written {
        Ok(None) => {}
        Ok(Some(problem)) => return Err(failed(&format!("a cópia saiu danificada ({problem})"))),
        Err(e) => return Err(failed(&plain(&e))),
    }
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed(&e))?;
    std::fs::rename(&tmp, target).map_err(|e| failed(&e))?;
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Replaces the database's contents with the backup `from`, after checking it. Blocking.
pub fn restore(database: &str, from: &Path) -> Result<()> {
    let target = sqlite_path(database)?;
    let bad = |e: &dyn std::fmt::Display| {
        ServerError::Config(format!(
            "{} não serve como cópia de segurança: {e}. O banco não foi alterado.",
            from.display()
        ))
    };
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(&plain(&e)))?;
    match check(&source) {
        Ok(None) => {}
        Ok(Some(problem)) => return Err(bad(&format!("está danificada ({problem})"))),
        Err(e) => return Err(bad(&plain(&e))),
    }
    let tables: i64 = source
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('offices', 'changes')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| bad(&plain(&e)))?;
    if tables != 2 {
        return Err(bad(&"não é um banco do esv-server"));
    }
    let mut to = Connection::open(&target).map_err(|e| {
        ServerError::Config(format!("não foi possível abrir {}: {e}", target.display()))
    })?;
    to.busy_timeout(Duration::from_secs(10))?;
    copy(&source, &mut to).map_err(|e| {
        ServerError::Config(format!(
            "a restauração em {} falhou: {}",
            target.display(),
            plain(&e)
        ))
    })?;
    Ok(())
}
