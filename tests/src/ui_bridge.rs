//! The Tauri shell's stand-in for browser tests of the UI: serves `ui/dist` on 127.0.0.1 and
//! answers the UI's `invoke` calls from a real `esv_replica::Store` at a fixed instant.
//!
//! Each page (`index.html`, the citizen's, and `team.html`, the team's) gets one extra
//! `<script>` ([`SHIM_PATH`]) that defines
//! `window.__TAURI__.core.invoke(cmd, args)` as `POST /ipc/<cmd>` with the arguments as JSON; an
//! error answer rejects the promise with the `IpcError` JSON, as Tauri does. The shim also keeps
//! `window.__esvBridge = {log, errors}`: every call with its timing, and every script error.
//!
//! The commands are answered by the app's own table (`esv_replica::dispatch`), so the browser
//! tests exercise the very code the app runs; only the shell differs ([`BridgeShell`]: no sync
//! server, a fixed instant, no voice).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use chrono::{DateTime, Utc};
use esv_replica::dispatch::{dispatch, Shell};
use esv_replica::session::Session;
use esv_replica::Store;
use esv_shared::ipc::{IpcError, IpcErrorKind, Locale, SyncStatusView};
use serde_json::Value;

/// Where the page loads the `invoke` shim from (a file, not an inline script, so a strict CSP
/// would still allow it).
pub const SHIM_PATH: &str = "/__esv_bridge.js";

const SHIM_JS: &str = include_str!("ui_bridge_shim.js");

/// Why the bridge could not start.
#[derive(Debug, Clone)]
pub struct BridgeError(pub String);

impl std::fmt::Display for BridgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BridgeError {}

/// A command the bridge could not answer: one the app's table does not have, or the `IpcError`
/// the real app would have returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    UnknownCommand(String),
    Ipc(IpcError),
}

impl From<IpcError> for Failure {
    fn from(e: IpcError) -> Failure {
        Failure::Ipc(e)
    }
}

fn ipc_error(kind: IpcErrorKind, message: String) -> IpcError {
    IpcError { kind, message }
}

/// The bridge's shell: `server` plays `$ESV_SERVER`, `now` the app's clock; there is no
/// background sync (the status says sync is off, as the app does with no server) and no voice
/// (speech is checked for its arguments and says nothing).
pub struct BridgeShell<'a> {
    pub server: Option<&'a str>,
    pub now: DateTime<Utc>,
}

impl Shell for BridgeShell<'_> {
    fn server(&self) -> Option<&str> {
        self.server
    }
    fn now(&self) -> DateTime<Utc> {
        self.now
    }
    fn sync_view(&self, _store: &Store) -> SyncStatusView {
        SyncStatusView {
            enabled: false,
            running: false,
            label: String::new(),
            problem: None,
            pending: 0,
            held: None,
        }
    }
    fn wake_sync(&self) {}
    fn speak(&self, _text: &str, _locale: Locale) -> Result<(), IpcError> {
        Ok(())
    }
    fn stop_speaking(&self) -> Result<(), IpcError> {
        Ok(())
    }
}

/// Answers one command with the app's dispatcher. `server` plays `$ESV_SERVER`.
pub fn answer(
    session: &Mutex<Session>,
    server: Option<&str>,
    now: DateTime<Utc>,
    cmd: &str,
    args: &Value,
) -> Result<Value, Failure> {
    let shell = BridgeShell { server, now };
    match dispatch(session, &shell, cmd, args.clone()) {
        Some(result) => Ok(result?),
        None => Err(Failure::UnknownCommand(cmd.to_owned())),
    }
}

struct Shared {
    session: Mutex<Session>,
    server: Option<String>,
    now: DateTime<Utc>,
    dist: PathBuf,
    index_html: String,
}

/// `index.html` with the shim loaded first thing in `<head>`.
pub fn inject_shim(index_html: &str) -> Result<String, BridgeError> {
    let at = index_html
        .find("<head>")
        .map(|i| i + "<head>".len())
        .ok_or_else(|| BridgeError("ui/dist/index.html has no <head>".to_owned()))?;
    let mut out = String::with_capacity(index_html.len() + 64);
    out.push_str(&index_html[..at]);
    out.push_str(&format!("\n  <script src=\"{SHIM_PATH}\"></script>"));
    out.push_str(&index_html[at..]);
    Ok(out)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, kind: &'static str, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.into(),
    )
        .into_response()
}

async fn static_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = uri.path();
    if path == "/" || path == "/index.html" {
        return respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            shared.index_html.clone(),
        );
    }
    if path == SHIM_PATH {
        return respond(StatusCode::OK, "text/javascript; charset=utf-8", SHIM_JS);
    }
    let relative = path.trim_start_matches('/');
    let safe = !relative.is_empty()
        && relative
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains('\\'));
    if !safe {
        return respond(StatusCode::NOT_FOUND, "text/plain", "not found");
    }
    let file = shared.dist.join(relative);
    // The other pages (team.html) need the shim as much as index.html.
    if file.extension().is_some_and(|e| e == "html") {
        return match std::fs::read_to_string(&file).map(|html| inject_shim(&html)) {
            Ok(Ok(html)) => respond(StatusCode::OK, "text/html; charset=utf-8", html),
            Ok(Err(e)) => respond(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", e.0),
            Err(_) => respond(StatusCode::NOT_FOUND, "text/plain", "not found"),
        };
    }
    match std::fs::read(&file) {
        Ok(bytes) => respond(StatusCode::OK, content_type(&file), bytes),
        Err(_) => respond(StatusCode::NOT_FOUND, "text/plain", "not found"),
    }
}

async fn ipc(
    State(shared): State<Arc<Shared>>,
    UrlPath(cmd): UrlPath<String>,
    body: Bytes,
) -> Response {
    let args: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                let e = ipc_error(
                    IpcErrorKind::BadInput,
                    format!("argumentos não são JSON: {e}"),
                );
                return error_response(StatusCode::BAD_REQUEST, &e);
            }
        }
    };
    // On a blocking thread: a command may make HTTP calls of its own (the team's sign-in
    // uses the replica's blocking client, which must not run inside the async runtime).
    let result = tokio::task::spawn_blocking(move || {
        answer(
            &shared.session,
            shared.server.as_deref(),
            shared.now,
            &cmd,
            &args,
        )
    })
    .await
    .unwrap_or_else(|_| {
        Err(Failure::Ipc(ipc_error(
            IpcErrorKind::Internal,
            "o bridge de teste falhou ao responder".to_owned(),
        )))
    });
    match result {
        Ok(value) => respond(
            StatusCode::OK,
            "application/json",
            serde_json::to_vec(&value).unwrap_or_default(),
        ),
        Err(Failure::Ipc(e)) => {
            let status = match e.kind {
                IpcErrorKind::NotFound => StatusCode::NOT_FOUND,
                IpcErrorKind::BadInput => StatusCode::BAD_REQUEST,
                IpcErrorKind::Locked | IpcErrorKind::NotAllowed => StatusCode::FORBIDDEN,
                IpcErrorKind::Network => StatusCode::BAD_GATEWAY,
                IpcErrorKind::Storage | IpcErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, &e)
        }
        Err(Failure::UnknownCommand(cmd)) => {
            eprintln!("ui bridge: unknown command {cmd:?}: not in esv_shared::ipc::cmd");
            let e = ipc_error(
                IpcErrorKind::Internal,
                format!("o bridge de teste não conhece o comando {cmd:?}"),
            );
            error_response(StatusCode::NOT_IMPLEMENTED, &e)
        }
    }
}

fn error_response(status: StatusCode, e: &IpcError) -> Response {
    respond(
        status,
        "application/json",
        serde_json::to_vec(e).unwrap_or_default(),
    )
}

/// A running bridge. Dropping it stops the server.
pub struct UiBridge {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _store_dir: tempfile::TempDir,
}

impl UiBridge {
    /// Opens a fresh store (the bundled catalog) in a temporary directory and serves `dist` on
    /// a free port of 127.0.0.1, answering every command as of `now`.
    pub fn start(dist: &Path, now: DateTime<Utc>) -> Result<UiBridge, BridgeError> {
        UiBridge::start_with_server(dist, now, None)
    }

    /// As [`UiBridge::start`], with `server` as the app's `$ESV_SERVER` (team sign-in).
    pub fn start_with_server(
        dist: &Path,
        now: DateTime<Utc>,
        server: Option<String>,
    ) -> Result<UiBridge, BridgeError> {
        let index = dist.join("index.html");
        let index_html = std::fs::read_to_string(&index).map_err(|e| {
            BridgeError(format!(
                "{}: {e} (build the UI first: bash scripts/build-ui.sh)",
                index.display()
            ))
        })?;
        let index_html = inject_shim(&index_html)?;
        let store_dir =
            tempfile::tempdir().map_err(|e| BridgeError(format!("no temporary directory: {e}")))?;
        let (session, _notice) = Session::open(&store_dir.path().join("esv.db"), now);
        if let Err(e) = session.current().map_or(Err("no store"), |_| Ok(())) {
            return Err(BridgeError(format!("could not open the store: {e}")));
        }
        let shared = Arc::new(Shared {
            session: Mutex::new(session),
            server,
            now,
            dist: dist.to_path_buf(),
            index_html,
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .map_err(|e| BridgeError(format!("could not bind 127.0.0.1:0: {e}")))?;
        let addr = listener
            .local_addr()
            .map_err(|e| BridgeError(format!("no local address: {e}")))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| BridgeError(format!("set_nonblocking: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| BridgeError(format!("no tokio runtime: {e}")))?;
        let router = Router::new()
            .route("/ipc/{cmd}", post(ipc))
            .fallback(static_file)
            .with_state(shared.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("ui-bridge".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("ui bridge: listener: {e}");
                            return;
                        }
                    };
                    let shutdown = async {
                        let _ = rx.await;
                    };
                    if let Err(e) = axum::serve(listener, router)
                        .with_graceful_shutdown(shutdown)
                        .await
                    {
                        eprintln!("ui bridge: server stopped: {e}");
                    }
                });
            })
            .map_err(|e| BridgeError(format!("could not start the bridge thread: {e}")))?;
        Ok(UiBridge {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
            _store_dir: store_dir,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Runs `f` on the app's session, under its lock: how a test writes a data set or syncs,
    /// as the app's sync thread would.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session, DateTime<Utc>) -> T) -> T {
        let mut session = self
            .shared
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut session, self.shared.now)
    }
}

impl std::fmt::Debug for UiBridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UiBridge")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Drop for UiBridge {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use esv_shared::ipc::commands as c;
    use serde_json::json;

    fn store() -> (tempfile::TempDir, Mutex<Session>) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (session, _) = Session::open(&dir.path().join("esv.db"), now());
        assert!(session.current().is_some(), "a fresh store opens");
        (dir, Mutex::new(session))
    }

    fn now() -> DateTime<Utc> {
        // Tuesday 24 November 2026, 10:00 in Vitória (UTC−3).
        Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0)
            .single()
            .expect("a valid instant")
    }

    #[test]
    fn every_command_is_answered() {
        let (_dir, store) = store();
        for cmd in c::ALL {
            // Without arguments a command may refuse (bad input), but it must be known.
            let result = answer(&store, None, now(), cmd, &json!({}));
            assert!(
                !matches!(result, Err(Failure::UnknownCommand(_))),
                "the UI bridge does not answer {cmd:?}"
            );
        }
        assert_eq!(
            answer(&store, None, now(), "no_such_command", &json!({})),
            Err(Failure::UnknownCommand("no_such_command".to_owned()))
        );
    }

    #[test]
    fn commands_answer_from_the_real_store() {
        let (_dir, store) = store();
        let ask = |cmd: &str, args: Value| {
            answer(&store, None, now(), cmd, &args)
                .unwrap_or_else(|e| panic!("{cmd} {args} failed: {e:?}"))
        };
        let home = ask(c::HOME, json!({}));
        assert_eq!(home["offices"][0]["id"], "es-vitoria", "{home}");
        let cards = ask(c::SEARCH, json!({"request": {"text": "identidade"}}));
        assert!(cards.as_array().is_some_and(|a| !a.is_empty()), "{cards}");
        let office = ask(c::SERVICE, json!({"id": "es-vitoria"}));
        assert_eq!(office["open"]["kind"], "open", "{office}");
        let rights = ask(c::RIGHTS, json!({}));
        assert!(rights.as_array().is_some_and(|a| a.len() > 5), "{rights}");
        let article = ask(c::ARTICLE, json!({"id": "direitos-cpf"}));
        assert_eq!(article["id"], "direitos-cpf");
        assert_eq!(ask(c::SYNC_STATUS, json!({}))["enabled"], false);
        assert_eq!(
            ask(
                c::FAVOURITE_SET,
                json!({"id": "es-vitoria-documentos", "on": true})
            ),
            true
        );
        let favourites = ask(c::FAVOURITES, json!({"near": null}));
        assert_eq!(favourites[0]["id"], "es-vitoria-documentos", "{favourites}");
        let recent = ask(c::RECENT, json!({}));
        assert_eq!(
            recent[0]["id"], "es-vitoria",
            "the office was opened above: {recent}"
        );
        let request = ask(
            c::REQUEST_NEW,
            json!({"request": {"kind": "documents", "text": "Preciso tirar o RG",
                "service_id": "es-vitoria-documentos"}}),
        );
        assert_eq!(request["office_id"], "es-vitoria", "{request}");
        let id = request["id"].clone();
        assert_eq!(ask(c::REQUESTS, json!({}))[0]["id"], id);
        let answered = ask(c::REQUEST_MESSAGE, json!({"id": id, "text": "De manhã"}));
        assert_eq!(answered["events"][0]["who_label"], "Você", "{answered}");
        assert_eq!(ask(c::REQUEST_CANCEL, json!({"id": id}))["closed"], true);
        assert_eq!(ask(c::REQUEST, json!({"id": id}))["status"], "cancelled");
        assert_eq!(ask(c::SET_LOCALE, json!({"locale": "es"})), Value::Null);
    }

    #[test]
    fn errors_are_ipc_errors_like_the_app() {
        let (_dir, store) = store();
        let missing = answer(
            &store,
            None,
            now(),
            c::SERVICE,
            &json!({"id": "nao-existe"}),
        );
        assert!(
            matches!(&missing, Err(Failure::Ipc(e)) if e.kind == IpcErrorKind::NotFound),
            "{missing:?}"
        );
        let bad = answer(&store, None, now(), c::SET_LOCALE, &json!({"locale": "xx"}));
        assert!(
            matches!(&bad, Err(Failure::Ipc(e)) if e.kind == IpcErrorKind::BadInput),
            "{bad:?}"
        );
    }

    #[test]
    fn the_shim_is_loaded_before_the_app() {
        let html = "<html><head>\n<script type=\"module\" src=\"main.js\"></script></head></html>";
        let out = inject_shim(html).expect("has a head");
        let shim = out.find(SHIM_PATH).expect("shim injected");
        let app = out.find("main.js").expect("app kept");
        assert!(shim < app, "{out}");
        assert!(inject_shim("<html></html>").is_err());
    }
}
