//! The Tauri shell's stand-in for browser tests of the UI: serves `ui/dist` on 127.0.0.1 and
//! answers the UI's `invoke` calls from a real `esv_replica::Store` at a fixed instant.
//!
//! `index.html` gets one extra `<script>` ([`SHIM_PATH`]) that defines
//! `window.__TAURI__.core.invoke(cmd, args)` as `POST /ipc/<cmd>` with the arguments as JSON; an
//! error answer rejects the promise with the `IpcError` JSON, as Tauri does. The shim also keeps
//! `window.__esvBridge = {log, errors}`: every call with its timing, and every script error.
//!
//! A new command is one line in [`answer`]; a unit test checks that every name in
//! `esv_shared::ipc::commands::ALL` is answered.

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
use esv_replica::session::Session;
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::{
    commands as c, IpcError, IpcErrorKind, Locale, SearchRequest, SyncStatusView,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
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

/// A command the bridge could not answer: one it does not know (a bug in the bridge: add it to
/// [`answer`]), or the `IpcError` the real app would have returned.
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

/// The app's conversion (`ReplicaError::to_ipc`), logged as the app logs it.
pub fn to_ipc(e: ReplicaError) -> IpcError {
    eprintln!("ui bridge: command error: {e}");
    e.to_ipc()
}

fn ipc_error(kind: IpcErrorKind, message: String) -> IpcError {
    IpcError { kind, message }
}

/// A named argument, as Tauri passes them.
fn arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<T, IpcError> {
    let value = args.get(name).ok_or_else(|| {
        ipc_error(
            IpcErrorKind::BadInput,
            format!("falta o argumento {name:?}"),
        )
    })?;
    serde_json::from_value(value.clone()).map_err(|e| {
        ipc_error(
            IpcErrorKind::BadInput,
            format!("argumento {name:?} inválido: {e}"),
        )
    })
}

fn json<T: Serialize>(view: T) -> Result<Value, Failure> {
    serde_json::to_value(view).map_err(|e| {
        Failure::Ipc(ipc_error(
            IpcErrorKind::Internal,
            format!("resposta não serializável: {e}"),
        ))
    })
}

fn view<T: Serialize>(result: esv_replica::Result<T>) -> Result<Value, Failure> {
    json(result.map_err(to_ipc)?)
}

/// What the app says when no sync server is configured: nothing about sync is shown.
fn sync_disabled() -> SyncStatusView {
    SyncStatusView {
        enabled: false,
        running: false,
        label: String::new(),
        problem: None,
        pending: 0,
        held: None,
    }
}

/// An optional named argument: missing and `null` are both `None`.
fn opt_arg<T: DeserializeOwned>(args: &Value, name: &str) -> Result<Option<T>, IpcError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => arg(args, name).map(Some),
    }
}

/// `service_detail` also notes the service as viewed ("Vistos por último"), as the app does.
fn detail_and_note(store: &mut Store, id: &str, now: DateTime<Utc>) -> Result<Value, Failure> {
    let detail = view(store.service_detail(id, now))?;
    if let Err(e) = store.note_viewed(id, now) {
        eprintln!("ui bridge: recent: {e}");
    }
    Ok(detail)
}

fn set_locale(store: &mut Store, args: &Value) -> Result<Value, Failure> {
    store.set_locale(arg(args, "locale")?);
    json(())
}

/// No voice in a browser test: check `speak`'s arguments and say nothing.
fn silent_speech(args: &Value) -> Result<Value, Failure> {
    arg::<String>(args, "text")?;
    arg::<Locale>(args, "locale")?;
    json(())
}

/// Answers one command the way `src-tauri/src/commands.rs` and `team.rs` do: the session's
/// own commands here, the store's in [`answer_store`]. `server` plays `$ESV_SERVER`.
pub fn answer(
    session: &mut Session,
    server: Option<&str>,
    now: DateTime<Utc>,
    cmd: &str,
    args: &Value,
) -> Result<Value, Failure> {
    let device = |s: &mut Session| json(s.device_view(server, now));
    match cmd {
        c::DEVICE => device(session),
        c::SIGN_IN => {
            session
                .sign_in(&arg(args, "input")?, server, now)
                .map_err(to_ipc)?;
            device(session)
        }
        c::UNLOCK => {
            session
                .unlock(&arg::<String>(args, "pin")?, now)
                .map_err(to_ipc)?;
            device(session)
        }
        c::LOCK => {
            session.lock();
            device(session)
        }
        c::ERASE_MY_DATA => view(session.erase_my_data(now)),
        _ => answer_store(session.store(now).map_err(to_ipc)?, now, cmd, args),
    }
}

/// The commands that only need the open store. One line per command.
fn answer_store(
    store: &mut Store,
    now: DateTime<Utc>,
    cmd: &str,
    args: &Value,
) -> Result<Value, Failure> {
    match cmd {
        c::HOME => view(store.home_near(opt_arg(args, "near")?, now)),
        c::SEARCH => view(store.search(&arg(args, "request")?, now)),
        c::SERVICE => detail_and_note(store, &arg::<String>(args, "id")?, now),
        c::RIGHTS => view(store.rights_list()),
        c::ARTICLE => view(store.rights_article(&arg::<String>(args, "id")?, now)),
        c::SYNC_STATUS | c::SYNC_NOW => json(sync_disabled()),
        c::SET_LOCALE => set_locale(store, args),
        c::SEARCH_ARTICLES => {
            view(store.search_articles(&arg::<SearchRequest>(args, "request")?.text))
        }
        c::FAVOURITE_SET => {
            view(store.set_favourite(&arg::<String>(args, "id")?, arg(args, "on")?, now))
        }
        c::FAVOURITES => view(store.favourites(opt_arg(args, "near")?, now)),
        c::RECENT => view(store.recent(opt_arg(args, "near")?, now)),
        c::OPPORTUNITIES => view(store.opportunities(now)),
        c::SPEAK => silent_speech(args),
        c::STOP_SPEAKING => json(()),
        c::REQUEST_NEW => view(store.request_new(&arg(args, "request")?, now)),
        c::REQUESTS => view(store.requests_list(now)),
        c::REQUEST => view(store.request_detail(&arg::<String>(args, "id")?, now)),
        c::REQUEST_MESSAGE => view(store.request_message(
            &arg::<String>(args, "id")?,
            &arg::<String>(args, "text")?,
            now,
        )),
        c::REQUEST_CANCEL => view(store.request_cancel(&arg::<String>(args, "id")?, now)),
        c::OUTREACHES => view(store.outreaches_list()),
        c::OUTREACH_NEW => view(store.outreach_new(&arg(args, "input")?, now)),
        c::PEOPLE_FIND => view(store.people_find(&arg(args, "input")?)),
        c::PERSON => view(store.person_view(&arg::<String>(args, "id")?, now)),
        c::ENCOUNTER_RECORD => view(store.encounter_record(&arg(args, "input")?, now)),
        c::DRAFT_SAVE => view(store.save_draft_field(
            &arg::<String>(args, "form")?,
            &arg::<String>(args, "field")?,
            arg(args, "value")?,
            now,
        )),
        c::DRAFT => view(store.draft(&arg::<String>(args, "form")?)),
        c::DRAFT_DISCARD => view(store.discard_draft(&arg::<String>(args, "form")?)),
        c::REFERRAL_OUTCOME => view(store.referral_outcome(&arg(args, "input")?, now)),
        c::REFERRAL_SLIP => view(store.referral_slip_view(&arg::<String>(args, "id")?, now)),
        c::PLAN_GOAL_SET => view(store.plan_goal_set(&arg(args, "input")?, now)),
        c::QUEUE => view(store.request_queue(&arg(args, "filter")?, now)),
        c::QUEUE_REQUEST => view(store.queue_request(&arg::<String>(args, "id")?, now)),
        c::QUEUE_ASSIGN => view(store.queue_assign(
            &arg::<String>(args, "id")?,
            opt_arg::<String>(args, "to")?.as_deref(),
            now,
        )),
        c::QUEUE_ANSWER => view(store.queue_answer(&arg(args, "input")?, now)),
        c::HOURS_EDIT => view(store.hours_edit(&arg::<String>(args, "id")?, now)),
        c::HOURS_SET => view(store.hours_set(&arg(args, "input")?, now)),
        c::CLOSURE_SET => view(store.closure_set(&arg(args, "input")?, now)),
        c::CLOSURE_REMOVE => view(store.closure_remove(
            &arg::<String>(args, "id")?,
            &arg::<String>(args, "date")?,
            now,
        )),
        c::REVIEW => view(store.review_list(now)),
        c::REPORT => view(store.report_view(&arg(args, "input")?, now)),
        c::PEOPLE_MERGE => view(store.people_merge(&arg(args, "input")?, now)),
        c::PERSON_ERASE => view(store.person_erase(&arg(args, "input")?, now)),
        c::AUDIT_LOG => view(store.audit_log_view()),
        c::ACCOUNTS => view(store.accounts_view(now)),
        c::ACCOUNT_ADD => view(store.add_user(&arg(args, "input")?)),
        c::ACCOUNT_DISABLE => view(store.disable_user(&arg::<String>(args, "username")?)),
        c::DEVICE_REVOKE => view(store.revoke_device(&arg::<String>(args, "id")?)),
        _ => Err(Failure::UnknownCommand(cmd.to_owned())),
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
    let result = tokio::task::spawn_blocking(move || match shared.session.lock() {
        Ok(mut session) => answer(
            &mut session,
            shared.server.as_deref(),
            shared.now,
            &cmd,
            &args,
        ),
        Err(_) => Err(Failure::Ipc(ipc_error(
            IpcErrorKind::Internal,
            "o store do bridge de teste ficou inutilizável".to_owned(),
        ))),
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
                IpcErrorKind::Locked => StatusCode::FORBIDDEN,
                IpcErrorKind::Storage | IpcErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error_response(status, &e)
        }
        Err(Failure::UnknownCommand(cmd)) => {
            eprintln!("ui bridge: unknown command {cmd:?}: add it to ui_bridge::answer");
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
    use serde_json::json;

    fn store() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let (session, _) = Session::open(&dir.path().join("esv.db"), now());
        assert!(session.current().is_some(), "a fresh store opens");
        (dir, session)
    }

    fn now() -> DateTime<Utc> {
        // Tuesday 24 November 2026, 10:00 in Vitória (UTC−3).
        Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0)
            .single()
            .expect("a valid instant")
    }

    #[test]
    fn every_command_is_answered() {
        let (_dir, mut store) = store();
        for cmd in c::ALL {
            // Without arguments a command may refuse (bad input), but it must be known.
            let result = answer(&mut store, None, now(), cmd, &json!({}));
            assert!(
                !matches!(result, Err(Failure::UnknownCommand(_))),
                "the UI bridge does not answer {cmd:?}: add a line for it in ui_bridge::answer"
            );
        }
        assert_eq!(
            answer(&mut store, None, now(), "no_such_command", &json!({})),
            Err(Failure::UnknownCommand("no_such_command".to_owned()))
        );
    }

    #[test]
    fn commands_answer_from_the_real_store() {
        let (_dir, mut store) = store();
        let mut ask = |cmd: &str, args: Value| {
            answer(&mut store, None, now(), cmd, &args)
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
        let (_dir, mut store) = store();
        let missing = answer(
            &mut store,
            None,
            now(),
            c::SERVICE,
            &json!({"id": "nao-existe"}),
        );
        assert!(
            matches!(&missing, Err(Failure::Ipc(e)) if e.kind == IpcErrorKind::NotFound),
            "{missing:?}"
        );
        let bad = answer(
            &mut store,
            None,
            now(),
            c::SET_LOCALE,
            &json!({"locale": "xx"}),
        );
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
