//! The server's one error type, and its one conversion into an HTTP response (invariant 6):
//! a status, a machine code the client acts on, and a plain pt-BR message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use esv_shared::sync::{ErrorBody, ErrorCode, UPGRADE_MESSAGE};

pub type Result<T, E = ServerError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{UPGRADE_MESSAGE}")]
    UpgradeRequired,
    #[error("este aparelho não está conectado: entre de novo")]
    Unauthorized,
    #[error("este aparelho foi desconectado pelo escritório")]
    DeviceRevoked,
    #[error("a conta deste aparelho foi desativada pela coordenação: ele só pode enviar o que ainda guarda")]
    AccountDisabled,
    #[error("usuário ou senha incorretos")]
    WrongPassword,
    /// A team device that has not contacted the server for longer than the idle setting.
    #[error(
        "Este aparelho ficou mais de {0} dias sem se conectar. Por segurança, entre de novo \
         com seu usuário e senha."
    )]
    SignInAgain(u32),
    #[error("muitas tentativas com senha errada; espere {0} minutos ou peça ajuda à coordenação")]
    TooManyAttempts(u64),
    #[error(
        "muitos aparelhos novos registrados a partir desta rede na última hora; tente de novo \
         em {0} minutos"
    )]
    TooManyRegistrations(u64),
    /// A body over the endpoint's limit (in bytes).
    #[error("o pedido é grande demais para este endereço (o limite é {})", size(*.0))]
    TooLarge(usize),
    #[error(
        "Esta conta já apagou os dados de {max} pessoas na última hora, o limite que protege \
         o escritório de um engano ou de uma conta roubada. Nada foi apagado agora. Espere \
         {wait} e tente de novo, ou peça à coordenação que apague pelo servidor."
    )]
    TooManyErasures { max: u32, wait: String },
    #[error("sem permissão para {0}")]
    Forbidden(String),
    /// Refused, in words that say who may (the message is the whole sentence).
    #[error("{0}")]
    Refused(String),
    #[error("o documento {0} já pertence a outro escopo")]
    ScopeMismatch(String),
    #[error("requisição inválida: {0}")]
    BadRequest(String),
    /// A new account that breaks the rules, in the words the app shows too.
    #[error("{0}")]
    Account(#[from] esv_shared::accounts::AccountProblem),
    #[error("tipo de conteúdo não aceito ({0}): envie application/json")]
    UnsupportedType(String),
    #[error("o escritório {0} não existe neste servidor")]
    UnknownOffice(String),
    #[error("{0}")]
    Conflict(String),
    /// Not found where the caller may look (the whole sentence).
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Config(String),
    /// A request that took longer than the `request_timeout` setting (in seconds).
    #[error(
        "o pedido levou mais de {0} segundos e foi interrompido; tente de novo (numa conexão \
         lenta, o aplicativo envia aos poucos)"
    )]
    TimedOut(u64),
    #[error("erro no banco de dados: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("erro no banco de dados: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("erro ao ler dados guardados: {0}")]
    Json(#[from] serde_json::Error),
    #[error("erro interno: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("erro interno: um acesso anterior ao banco falhou no meio")]
    Poisoned,
    #[error("erro ao gerar dados aleatórios: {0}")]
    Random(String),
    #[error("erro ao montar um documento: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A push refused before anything was stored: what it was and the document it was in.
    #[error("{message}")]
    RefusedPush { doc_id: String, message: String },
    /// A pushed change whose dependencies the server does not hold.
    #[error("{message}")]
    MissingDeps { doc_id: String, message: String },
}

/// A size as people read it: "16 KiB", "64 MiB".
fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

impl ServerError {
    /// The document a refusal is about.
    fn doc_id(&self) -> Option<String> {
        match self {
            ServerError::RefusedPush { doc_id, .. } | ServerError::MissingDeps { doc_id, .. } => {
                Some(doc_id.clone())
            }
            _ => None,
        }
    }

    fn code(&self) -> (StatusCode, ErrorCode) {
        use ServerError::*;
        match self {
            RefusedPush { .. } => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            MissingDeps { .. } => (StatusCode::CONFLICT, ErrorCode::MissingDeps),
            UpgradeRequired => (StatusCode::UPGRADE_REQUIRED, ErrorCode::UpgradeRequired),
            Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            DeviceRevoked => (StatusCode::UNAUTHORIZED, ErrorCode::DeviceRevoked),
            AccountDisabled => (StatusCode::FORBIDDEN, ErrorCode::AccountDisabled),
            WrongPassword => (StatusCode::UNAUTHORIZED, ErrorCode::WrongPassword),
            SignInAgain(_) => (StatusCode::UNAUTHORIZED, ErrorCode::SignInAgain),
            TooManyAttempts(_) | TooManyRegistrations(_) | TooManyErasures { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts)
            }
            TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BadRequest),
            Forbidden(_) | Refused(_) | ScopeMismatch(_) => {
                (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
            }
            BadRequest(_) | Account(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            UnsupportedType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::BadRequest),
            UnknownOffice(_) => (StatusCode::NOT_FOUND, ErrorCode::UnknownOffice),
            Conflict(_) => (StatusCode::CONFLICT, ErrorCode::BadRequest),
            NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::BadRequest),
            // Worth trying again later: the app's client treats it as a server hiccup.
            TimedOut(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Internal),
            Config(_) | Sqlite(_) | Postgres(_) | Json(_) | Join(_) | Poisoned | Random(_)
            | Automerge(_) | Io(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let (status, code) = self.code();
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!(error = %self, "erro no servidor");
            "Erro no servidor. Tente de novo mais tarde.".to_owned()
        } else {
            self.to_string()
        };
        let doc_id = self.doc_id();
        (
            status,
            Json(ErrorBody {
                code,
                message,
                doc_id,
            }),
        )
            .into_response()
    }
}
