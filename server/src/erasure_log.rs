//! The erasures, also kept outside the database: `<database>.erasures` beside a SQLite file, one
//! JSON line per erasure (stream, subject, when, who — ids, never anyone's data), appended and
//! synced before the erasure runs. A database restored from a backup taken before an erasure
//! would bring the person back; `esv-server restore` re-applies every erasure of this file, so
//! an LGPD erasure outlives the backups made before it.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::db::Eraser;
use crate::error::{Result, ServerError};

/// One erasure as the file keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub stream: String,
    pub subject: String,
    pub at: String,
    pub username: Option<String>,
    pub device: String,
}

impl Entry {
    pub fn new(stream: &str, subject: &str, by: &Eraser) -> Entry {
        Entry {
            stream: stream.to_owned(),
            subject: subject.to_owned(),
            at: by.at.clone(),
            username: by.username.clone(),
            device: by.device.clone(),
        }
    }

    /// Who asked, as the erasure is recorded again (never limited: it was allowed once).
    pub fn eraser(&self) -> Eraser {
        Eraser {
            username: self.username.clone(),
            device: self.device.clone(),
            at: self.at.clone(),
            limit: None,
        }
    }
}

/// The file beside the SQLite database `database`.
pub fn path_for(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".erasures");
    PathBuf::from(name)
}

/// Appends `entry` and waits until it is on disk; the file is created 0600.
pub fn append(path: &Path, entry: &Entry) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let failed = |e: std::io::Error| {
        ServerError::Config(format!(
            "o registro de apagamentos {} não pôde ser escrito ({e}); nada foi apagado",
            path.display()
        ))
    };
    let mut file = options.open(path).map_err(failed)?;
    let mut line = serde_json::to_string(entry).map_err(|e| ServerError::Config(e.to_string()))?;
    line.push('\n');
    file.write_all(line.as_bytes()).map_err(failed)?;
    file.sync_data().map_err(failed)
}

/// Every entry of the file (none if it does not exist), and how many lines could not be read
/// (a line cut by a crash in the middle of a write is the only way to make one).
pub fn read(path: &Path) -> Result<(Vec<Entry>, usize)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
        Err(e) => {
            return Err(ServerError::Config(format!(
                "o registro de apagamentos {} não pôde ser lido: {e}",
                path.display()
            )))
        }
    };
    let mut entries = Vec::new();
    let mut unreadable = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(entry) => entries.push(entry),
            Err(_) => unreadable += 1,
        }
    }
    Ok((entries, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_read_back_and_a_cut_line_is_counted_not_fatal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = path_for(&dir.path().join("esv.db"));
        assert_eq!(read(&path).expect("absent").0, Vec::new());
        let first = Entry::new(
            "office:es-vitoria",
            "p1",
            &Eraser::admin("2026-12-07T10:00:00Z".into()),
        );
        append(&path, &first).expect("append");
        let second = Entry {
            subject: "p2".into(),
            ..first.clone()
        };
        append(&path, &second).expect("append");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let mut text = std::fs::read_to_string(&path).expect("text");
        text.push_str("{\"stream\":\"office:es-vit");
        std::fs::write(&path, text).expect("cut");
        let (entries, unreadable) = read(&path).expect("read");
        assert_eq!(entries, vec![first, second]);
        assert_eq!(unreadable, 1);
    }
}
