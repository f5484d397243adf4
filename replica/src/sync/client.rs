//! The HTTP side of sync (reqwest, blocking): one method per endpoint of `/v1`, gzip bodies
//! both ways, the protocol version on every request, and the server's errors kept typed.

use std::io::Write;
use std::time::Duration;

use esv_shared::accounts::{
    AccountDevice, AccountUser, AccountsList, DisableUser, NewUser, RevokeDevice, SetPassword,
};
use esv_shared::audit::{AuditAccepted, AuditLog, AuditPush};
use esv_shared::sync::{
    EraseRequest, Erased, ErrorBody, ErrorCode, LoginRequest, RegisterRequest, Session, Snapshot,
    SyncRequest, SyncResponse, PROTOCOL, PROTOCOL_HEADER, UPGRADE_MESSAGE,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use crate::sync_error::SyncError;

static REQUESTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A sync server, by its base address (`https://escritorio.example/`).
#[derive(Debug, Clone)]
pub struct Remote {
    base: String,
    http: reqwest::blocking::Client,
}

/// One HTTP client per process: building one reads the system's root certificates, which
/// costs more than a whole sync on a slow phone.
fn client() -> Result<reqwest::blocking::Client, SyncError> {
    static CLIENT: std::sync::OnceLock<reqwest::blocking::Client> = std::sync::OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    // rustls needs one process-wide crypto provider; ring builds everywhere (Android too).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .gzip(true)
        // A redirect could carry a token or a person's record to another host, or from
        // https:// to plain http://: none is followed, the address must be the server's own.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SyncError::Offline(e.to_string()))?;
    Ok(CLIENT.get_or_init(|| client).clone())
}

impl Remote {
    pub fn new(base: &str) -> Result<Remote, SyncError> {
        let base = base.trim().trim_end_matches('/').to_owned();
        check_address(&base)?;
        Ok(Remote {
            base,
            http: client()?,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// How many HTTP requests this process has made to sync servers (for the benchmarks'
    /// round-trip counts).
    pub fn requests() -> u64 {
        REQUESTS.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Result<T, SyncError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(PROTOCOL_HEADER, PROTOCOL.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            let json =
                serde_json::to_vec(body).map_err(|e| SyncError::BadResponse(e.to_string()))?;
            // The default level: a field day of 50 encounters is 79 KB instead of 100 KB at the
            // fastest (tests/benches/field_sync.rs), seconds saved on a slow link.
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&json)
                .map_err(|e| SyncError::BadResponse(e.to_string()))?;
            let compressed = gz
                .finish()
                .map_err(|e| SyncError::BadResponse(e.to_string()))?;
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::CONTENT_ENCODING, "gzip")
                .body(compressed);
        }
        REQUESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = request.send().map_err(|e| SyncError::Offline(short(&e)))?;
        let status = response.status();
        let response_location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(200).collect::<String>());
        let bytes = response
            .bytes()
            .map_err(|e| SyncError::BadResponse(short(&e)))?;
        if status.is_redirection() {
            let to = response_location.unwrap_or_default();
            return Err(SyncError::BadUrl(format!(
                "o servidor mandou para outro endereço ({to}); por segurança o aplicativo não \
                 segue; confira com a coordenação o endereço certo do servidor"
            )));
        }
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::BadResponse(e.to_string()));
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(ErrorBody {
                code: ErrorCode::MissingDeps,
                message,
                doc_id: Some(doc_id),
            }) => Err(SyncError::MissingDeps { doc_id, message }),
            Ok(body) => Err(SyncError::Server {
                code: body.code,
                message: body.message,
            }),
            Err(_) if status == reqwest::StatusCode::UPGRADE_REQUIRED => Err(SyncError::Server {
                code: ErrorCode::UpgradeRequired,
                message: UPGRADE_MESSAGE.to_owned(),
            }),
            Err(_)
                if status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429 =>
            {
                Err(SyncError::Offline(format!("o servidor respondeu {status}")))
            }
            Err(_) => Err(SyncError::BadResponse(format!(
                "o servidor respondeu {status}"
            ))),
        }
    }

    /// Registers this device anonymously with an office (citizens).
    pub fn register(
        &self,
        office: &str,
        chosen: Option<(&str, &str)>,
    ) -> Result<Session, SyncError> {
        let body = RegisterRequest {
            office: office.to_owned(),
            device: chosen.map(|(device, _)| device.to_owned()),
            token: chosen.map(|(_, token)| token.to_owned()),
        };
        self.call(reqwest::Method::POST, "/v1/devices", None, Some(&body))
    }

    /// Signs this device in with a staff account.
    pub fn login(
        &self,
        username: &str,
        password: &str,
        device_name: &str,
    ) -> Result<Session, SyncError> {
        let body = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
            device_name: device_name.to_owned(),
        };
        self.call(reqwest::Method::POST, "/v1/login", None, Some(&body))
    }

    pub fn sync(
        &self,
        token: Option<&str>,
        request: &SyncRequest,
    ) -> Result<SyncResponse, SyncError> {
        self.call(reqwest::Method::POST, "/v1/sync", token, Some(request))
    }

    /// Erases a subject's documents on the server (LGPD); repeating it is harmless.
    pub fn erase(&self, token: &str, request: &EraseRequest) -> Result<Erased, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/erase",
            Some(token),
            Some(request),
        )
    }

    /// Sends an office's suppressed monthly report for the national roll-up.
    pub fn send_report(
        &self,
        token: &str,
        report: &esv_shared::report::Report,
    ) -> Result<esv_shared::report::Received, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/rollup",
            Some(token),
            Some(report),
        )
    }

    /// The national roll-up of a month (Coordinators).
    pub fn national_report(
        &self,
        token: &str,
        period: esv_shared::report::Period,
    ) -> Result<esv_shared::report::Report, SyncError> {
        let path = format!("/v1/rollup?period={period}");
        self.call::<(), _>(reqwest::Method::GET, &path, Some(token), None)
    }

    /// Sends openings of people's records to the office's audit log.
    pub fn audit_push(&self, token: &str, push: &AuditPush) -> Result<AuditAccepted, SyncError> {
        self.call(reqwest::Method::POST, "/v1/audit", Some(token), Some(push))
    }

    /// A page of the office's audit log (its Coordinator only): the first, or the one after
    /// `before` (the `next` of the page before).
    pub fn audit_log(
        &self,
        token: &str,
        office: &str,
        before: Option<&str>,
    ) -> Result<AuditLog, SyncError> {
        let mut path = format!("/v1/audit?office={}", urlencode(office));
        if let Some(before) = before {
            path += &format!("&before={}", urlencode(before));
        }
        self.call::<(), _>(reqwest::Method::GET, &path, Some(token), None)
    }

    /// The office's accounts and team devices (its Coordinator only).
    pub fn accounts(&self, token: &str, office: &str) -> Result<AccountsList, SyncError> {
        let path = format!("/v1/accounts?office={}", urlencode(office));
        self.call::<(), _>(reqwest::Method::GET, &path, Some(token), None)
    }

    /// Adds a FieldWorker or Staff account to the Coordinator's office.
    pub fn add_account(&self, token: &str, user: &NewUser) -> Result<AccountUser, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/accounts/users",
            Some(token),
            Some(user),
        )
    }

    /// Disables an account of the Coordinator's office and revokes its devices.
    pub fn disable_account(
        &self,
        token: &str,
        request: &DisableUser,
    ) -> Result<AccountUser, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/accounts/users/disable",
            Some(token),
            Some(request),
        )
    }

    /// A new password for an account of the Coordinator's office.
    pub fn set_account_password(
        &self,
        token: &str,
        request: &SetPassword,
    ) -> Result<AccountUser, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/accounts/users/password",
            Some(token),
            Some(request),
        )
    }

    /// Revokes a team device of the Coordinator's office.
    pub fn revoke_device(
        &self,
        token: &str,
        request: &RevokeDevice,
    ) -> Result<AccountDevice, SyncError> {
        self.call(
            reqwest::Method::POST,
            "/v1/accounts/devices/revoke",
            Some(token),
            Some(request),
        )
    }

    /// Snapshots of the named streams, in one request.
    pub fn snapshots(
        &self,
        token: Option<&str>,
        streams: &[String],
    ) -> Result<Vec<Snapshot>, SyncError> {
        let list: Vec<String> = streams.iter().map(|s| urlencode(s)).collect();
        let path = format!("/v1/snapshots?streams={}", list.join(","));
        self.call::<(), _>(reqwest::Method::GET, &path, token, None)
    }
}

/// A server address a device may talk to: `https://…`, or plain `http://` only to this very
/// machine (127.0.0.1 or ::1, where the tests and a developer's own server run). Anything
/// else over plain HTTP would send tokens and people's records readable to every network on
/// the way, so it is refused in plain words.
pub fn check_address(base: &str) -> Result<(), SyncError> {
    let url = reqwest::Url::parse(base).map_err(|e| {
        SyncError::BadUrl(format!(
            "{base:?} não é um endereço ({e}); escreva-o como https://servidor.exemplo.gov.br"
        ))
    })?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(SyncError::BadUrl(format!(
            "{base:?} não diz o nome do servidor"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SyncError::BadUrl(
            "o endereço do servidor não pode levar usuário ou senha".to_owned(),
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(SyncError::BadUrl(format!(
            "{base:?} usa http://, que deixa os dados das pessoas legíveis no caminho; \
             use o endereço https:// do servidor do Escritório Social"
        ))),
        _ => Err(SyncError::BadUrl(format!(
            "{base:?} deve começar com https://"
        ))),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    // The URL parser writes addresses in one form (`127.1` becomes `127.0.0.1`, IPv6 in
    // brackets), so these two strings are every way to name them.
    matches!(url.host_str(), Some("127.0.0.1" | "[::1]"))
}

/// The error's own words and its cause, without the URL (which may be long).
fn short(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::check_address;

    #[test]
    fn plain_http_only_to_this_machine() {
        let check = |base: &str, ok: bool| {
            assert_eq!(
                check_address(base).is_ok(),
                ok,
                "{base}: {:?}",
                check_address(base)
            );
        };
        check("https://escritorio.es.gov.br", true);
        check("https://10.0.0.5:8443", true);
        check("http://127.0.0.1:8080", true);
        check("http://[::1]:8080", true);
        check("http://127.1:8080", true);
        check("http://escritorio.es.gov.br", false);
        check("http://192.168.0.10:8080", false);
        check("http://localhost.evil.example", false);
        check("http://127.0.0.1.nip.io", false);
        check("ftp://escritorio.es.gov.br", false);
        check("https://ana:segredo@escritorio.es.gov.br", false);
        check("escritorio.es.gov.br", false);
        check("", false);
    }
}
