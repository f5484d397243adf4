//! Why a call to the office's server failed, in plain words: its own module, below both the
//! replica's error type and the sync client, so neither depends on the other to name it.

use esv_shared::sync::ErrorCode;

/// Why a call to the server failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("sem conexão com o servidor ({0}); os dados ficam guardados e serão enviados depois")]
    Offline(String),
    #[error("{message}")]
    Server { code: ErrorCode, message: String },
    /// The server lacks changes a pushed one of `doc_id` depends on (it lost them): send that
    /// document's whole history.
    #[error("{message}")]
    MissingDeps { doc_id: String, message: String },
    #[error("a resposta do servidor veio incompleta ou danificada ({0}); tente de novo")]
    BadResponse(String),
    #[error("este aparelho ainda não está conectado a um escritório: entre (esv login) ou registre-se (esv register)")]
    NotSignedIn,
    #[error("endereço de servidor inválido: {0}")]
    BadUrl(String),
}

impl SyncError {
    /// Worth trying again later (network, a cut or damaged answer, a server error).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Offline(_) | SyncError::BadResponse(_) => true,
            SyncError::Server { code, .. } => *code == ErrorCode::Internal,
            SyncError::NotSignedIn | SyncError::BadUrl(_) | SyncError::MissingDeps { .. } => false,
        }
    }
}
