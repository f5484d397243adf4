//! The replica's one error type. Each variant says, in plain words, what happened; the shells
//! (CLI, Tauri) turn it into their own form.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ReplicaError {
    #[error("o arquivo de dados em {path} não pôde ser aberto: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: Box<rusqlite::Error>,
    },
    #[error("a pasta de dados {path} não pôde ser criada: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("o arquivo de dados {path} está danificado e não pôde ser guardado à parte: {source}")]
    KeepAside {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("erro no banco de dados local: {0}")]
    Sqlite(#[from] Box<rusqlite::Error>),
    #[error("o arquivo de dados foi criado por uma versão mais nova do aplicativo (esquema {found}); atualize o aplicativo")]
    NewerStore { found: i64 },
    #[error("documento inválido {doc_id}: {source}")]
    Document {
        doc_id: String,
        #[source]
        source: Box<esv_shared::document::DocumentError>,
    },
    #[error("o catálogo embutido está danificado: {0}")]
    Bundle(String),
    #[error("não encontrado: {0}")]
    NotFound(String),
    #[error("{0}")]
    BadInput(String),
    /// The device's account may not do this (a field worker editing the catalog).
    #[error("{0}")]
    NotAllowed(String),
    #[error(transparent)]
    Sync(#[from] crate::sync_error::SyncError),
    #[error("Este aparelho está protegido por PIN. Digite o PIN para abrir.")]
    Locked,
    #[error("{}", wrong_pin(*wait_seconds))]
    WrongPin { wait_seconds: u64 },
    #[error("Muitas tentativas com PIN errado. Espere {} e tente de novo.", crate::error::duration(*seconds))]
    PinWait { seconds: u64 },
    #[error("o arquivo do PIN em {path} está ilegível ({why}); sem ele os dados protegidos não podem ser abertos")]
    KeyFile { path: PathBuf, why: String },
    #[error("o arquivo {path} não pôde ser gravado ou apagado: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("os dados protegidos por PIN estão danificados ({reason}); o arquivo foi mantido como está. Apague os dados do aparelho (esv wipe) e sincronize de novo com o escritório")]
    EncryptedDamaged { reason: String },
    #[error(
        "o arquivo de dados está aberto em outro programa; feche o aplicativo e tente de novo"
    )]
    InUse,
    #[error(
        "Este aparelho foi desconectado pelo escritório e os dados protegidos foram apagados dele."
    )]
    DeviceWiped,
    /// The account was disabled (the person left the team): the device sent everything it
    /// held, then wiped its data.
    #[error(
        "A conta deste aparelho foi desativada pela coordenação. Tudo o que ele guardava foi enviado ao Escritório Social, e os dados protegidos foram apagados dele."
    )]
    DeviceRetired,
    /// A team account (field worker, staff, coordinator) would bring people's records into a
    /// store anyone who holds the device could read.
    #[error(
        "Uma conta da equipe só entra em aparelho protegido por PIN, porque traz dados das pessoas atendidas. Proteja este aparelho com um PIN e entre de novo (no terminal: esv pin set --pin 123456; no aplicativo, o formulário de entrada pede o PIN)."
    )]
    NeedsPin,
}

fn wrong_pin(wait_seconds: u64) -> String {
    if wait_seconds == 0 {
        "PIN errado. Tente de novo.".to_owned()
    } else {
        format!(
            "PIN errado. Espere {} para tentar de novo.",
            duration(wait_seconds)
        )
    }
}

/// "30 segundos", "2 minutos", "1 minuto e 30 segundos".
pub(crate) fn duration(seconds: u64) -> String {
    let (m, s) = (seconds / 60, seconds % 60);
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (m, s) {
        (0, s) => plural(s, "segundo", "segundos"),
        (m, 0) => plural(m, "minuto", "minutos"),
        (m, s) => format!(
            "{} e {}",
            plural(m, "minuto", "minutos"),
            plural(s, "segundo", "segundos")
        ),
    }
}

pub type Result<T, E = ReplicaError> = std::result::Result<T, E>;

impl ReplicaError {
    /// Whether this is about one document's content (unreadable, or showing an item another
    /// document already shows), not about the store itself (a full disk, a closed file).
    pub(crate) fn is_about_a_document(&self) -> bool {
        match self {
            ReplicaError::Document { .. } => true,
            ReplicaError::Sqlite(e) => matches!(
                &**e,
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation
            ),
            _ => false,
        }
    }
}

impl ReplicaError {
    /// Whether the device's storage is full (SQLite's `SQLITE_FULL`, or `ENOSPC` on a file):
    /// said as such, not as damaged data.
    pub fn is_disk_full(&self) -> bool {
        let sqlite_full = |e: &rusqlite::Error| {
            matches!(e, rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::DiskFull)
        };
        let io_full = |e: &std::io::Error| {
            e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
        };
        match self {
            ReplicaError::Sqlite(e) | ReplicaError::Open { source: e, .. } => sqlite_full(e),
            ReplicaError::CreateDir { source, .. }
            | ReplicaError::KeepAside { source, .. }
            | ReplicaError::File { source, .. } => io_full(source),
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for ReplicaError {
    fn from(e: rusqlite::Error) -> ReplicaError {
        ReplicaError::Sqlite(Box::new(e))
    }
}

/// A message as a sentence: capital first letter, a full stop at the end.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl ReplicaError {
    /// What the person reads when a screen's request fails (the UI's `IpcError`): the store's
    /// own details stay in the log, the person gets what to do next. The app's commands and
    /// the browser test's bridge both use this one conversion.
    pub fn to_ipc(&self) -> esv_shared::ipc::IpcError {
        use esv_shared::ipc::IpcErrorKind;
        let (kind, message) = match self {
            ReplicaError::NotFound(_) => (
                IpcErrorKind::NotFound,
                "Não encontramos esta informação. Volte e tente outra busca.".to_owned(),
            ),
            ReplicaError::BadInput(m) => (IpcErrorKind::BadInput, m.clone()),
            ReplicaError::NotAllowed(m) => (IpcErrorKind::NotAllowed, m.clone()),
            ReplicaError::NeedsPin => (IpcErrorKind::NotAllowed, self.to_string()),
            _ if self.is_disk_full() => (
                IpcErrorKind::Storage,
                "O armazenamento do aparelho está cheio. Libere espaço (fotos, vídeos, \
                 aplicativos que não usa) e tente de novo; o que já estava guardado não se perdeu."
                    .to_owned(),
            ),
            ReplicaError::NewerStore { .. } => (IpcErrorKind::Storage, format!("{self}.")),
            ReplicaError::Locked | ReplicaError::DeviceWiped | ReplicaError::DeviceRetired => {
                (IpcErrorKind::Locked, self.to_string())
            }
            ReplicaError::WrongPin { .. } | ReplicaError::PinWait { .. } => {
                (IpcErrorKind::BadInput, self.to_string())
            }
            // The server's words (a wrong password, a refusal) or the network's, said plainly.
            ReplicaError::Sync(e) => (IpcErrorKind::Network, sentence(&e.to_string())),
            _ => (
                IpcErrorKind::Storage,
                "Não foi possível ler os dados guardados no aparelho. Feche e abra o aplicativo; \
                 se continuar, procure o Escritório Social."
                    .to_owned(),
            ),
        };
        esv_shared::ipc::IpcError { kind, message }
    }

    /// A document that could not be read or written.
    pub fn document(
        doc_id: &str,
        source: impl Into<esv_shared::document::DocumentError>,
    ) -> ReplicaError {
        ReplicaError::Document {
            doc_id: doc_id.to_owned(),
            source: Box::new(source.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use esv_shared::ipc::IpcErrorKind;

    /// A real SQLite file that cannot grow (its page budget spent, as on a full phone) fails
    /// with `SQLITE_FULL`: the person reads that the storage is full, not that data is damaged.
    #[test]
    fn a_full_storage_is_said_as_such() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = rusqlite::Connection::open(dir.path().join("full.db")).expect("open");
        conn.execute_batch("CREATE TABLE t (x BLOB); INSERT INTO t VALUES (zeroblob(100));")
            .expect("a first row");
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("pages");
        conn.pragma_update(None, "max_page_count", pages)
            .expect("cap the file");
        let full = conn
            .execute("INSERT INTO t VALUES (zeroblob(1000000))", [])
            .expect_err("no room");
        let e = ReplicaError::from(full);
        assert!(e.is_disk_full(), "{e}");
        let ipc = e.to_ipc();
        assert_eq!(ipc.kind, IpcErrorKind::Storage);
        assert!(
            ipc.message.contains("armazenamento do aparelho está cheio"),
            "{}",
            ipc.message
        );
        let kept: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("read");
        assert_eq!(kept, 1, "what was stored is still there");

        let other = ReplicaError::from(rusqlite::Error::QueryReturnedNoRows);
        assert!(!other.is_disk_full());
        assert!(!other.to_ipc().message.contains("cheio"));
        let not_allowed = ReplicaError::NotAllowed("Só a equipe do escritório edita.".into());
        assert_eq!(not_allowed.to_ipc().kind, IpcErrorKind::NotAllowed);
    }
}
