//! The HTTP API, `/v1/…`: register a citizen device, sign a staff device in, sync (push and
//! pull in one request), erase a subject's documents (LGPD), snapshots of every stream for
//! a new device, the national roll-up of monthly reports (`rollup.rs`), the audit log of
//! openings of people's records (`crate::audit`) and the office's accounts and devices for its
//! Coordinator (`crate::accounts`). Bodies are JSON, gzip-compressed
//! both ways when the client asks; every request is idempotent.

use automerge::{Automerge, Change};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use esv_shared::sync::{
    may_erase, readable_streams, EraseRequest, Erased, ErrorBody, ErrorCode, LoginRequest,
    Principal, RegisterRequest, Role, Session, Snapshot, SnapshotDoc, SyncRequest, SyncResponse,
    CATALOG_STREAM, PROTOCOL, PROTOCOL_HEADER,
};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

use crate::auth::{self, Caller};
use crate::body::{body_bytes, parse, parse_json, parse_open};
use crate::db::{DeviceRow, DocBatch, EraseLimit, Eraser, PullFrom};
use crate::error::{Result, ServerError};
use crate::source::Source;

pub use crate::body::{MAX_BODY, OPEN_BODY};
/// The most changes one sync response carries.
pub const MAX_PULL: usize = 2_000;

/// What a disabled account reads when it tries to sign in (with the right password).
pub const DISABLED: &str =
    "Esta conta foi desativada pela coordenação do Escritório Social. Fale com a coordenação.";

pub use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        // Open endpoints (no token): small bodies only.
        .route("/v1/devices", open(post(register)))
        .route("/v1/login", open(post(login)))
        .route("/v1/sync", post(sync))
        .route("/v1/erase", post(erase))
        .route("/v1/snapshots", get(snapshots))
        .route(
            "/v1/rollup",
            post(crate::rollup::receive).get(crate::rollup::national),
        )
        .route("/v1/audit", post(crate::audit::push).get(crate::audit::log))
        .route("/v1/accounts", get(crate::accounts::list))
        .route("/v1/accounts/users", post(crate::accounts::add_user))
        .route(
            "/v1/accounts/users/disable",
            post(crate::accounts::disable_user),
        )
        .route(
            "/v1/accounts/users/password",
            post(crate::accounts::set_password),
        )
        .route(
            "/v1/accounts/devices/revoke",
            post(crate::accounts::revoke_device),
        )
        .fallback(not_found)
        .layer(middleware::from_fn(protocol_version))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        // Outermost: the line counts the bytes as sent, compressed or not.
        .layer(middleware::from_fn(crate::log::access))
        .with_state(state)
}

/// An open endpoint: at most [`OPEN_BODY`] read, after decompression; a body announced larger
/// is refused before any of it is read.
fn open(route: axum::routing::MethodRouter<AppState>) -> axum::routing::MethodRouter<AppState> {
    route
        .layer(DefaultBodyLimit::max(OPEN_BODY))
        .layer(middleware::from_fn(announced_size))
}

async fn announced_size(request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > OPEN_BODY as u64) {
        return ServerError::TooLarge(OPEN_BODY).into_response();
    }
    next.run(request).await
}

/// Everything the server makes of a sync body from outside: the request, and its push checked
/// and hashed. (A fuzz target: `fuzz/fuzz_targets/server_sync_body.rs`.)
pub fn decode_sync(bytes: &[u8], who: Option<&Principal>) -> Result<(SyncRequest, Vec<DocBatch>)> {
    let mut request: SyncRequest = parse_json(bytes)?;
    let batches = crate::vouch::check_push(who, std::mem::take(&mut request.push))?;
    Ok((request, batches))
}

/// Every request answered within the `request_timeout` setting, its body read included
/// (`crate::conn` bounds only the head): past it, a 503 in plain words. Work already handed
/// to the database finishes on its own; every request is idempotent, so trying again is safe.
async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.settings.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ServerError::TimedOut(limit.as_secs()).into_response(),
    }
}

/// An older client gets "atualize o aplicativo", never a body it can't read.
async fn protocol_version(request: Request, next: Next) -> Response {
    let version = request
        .headers()
        .get(PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().parse::<u32>().unwrap_or(0));
    if matches!(version, Some(v) if v < PROTOCOL) {
        return ServerError::UpgradeRequired.into_response();
    }
    // Bodies are JSON; another declared type is a client bug, said plainly.
    let content_type = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if let Some(kind) = content_type.filter(|k| !k.is_empty() && k != "application/json") {
        return ServerError::UnsupportedType(kind).into_response();
    }
    next.run(request).await
}

async fn not_found(uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/v0") || !path.starts_with("/v") {
        return ServerError::UpgradeRequired.into_response();
    }
    let body = ErrorBody {
        code: ErrorCode::BadRequest,
        message: format!("endereço desconhecido: {path}"),
        doc_id: None,
    };
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "protocol": PROTOCOL, "server": env!("CARGO_PKG_VERSION") }))
}

/// `POST /v1/devices`: a citizen device registers, anonymously — so at most
/// `registrations_per_hour` from one source (`crate::throttle`).
async fn register(
    State(state): State<AppState>,
    source: Source,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Session>> {
    let request: RegisterRequest = parse_open(body)?;
    state
        .throttle
        .register(&state.db, &source, &state.settings, state.clock.now())
        .await?;
    if state.db.office(&request.office).await?.is_none() {
        return Err(ServerError::UnknownOffice(request.office));
    }
    if let (Some(device), Some(token)) = (request.device, request.token) {
        return Ok(Json(
            register_chosen(&state, request.office, device, token).await?,
        ));
    }
    let session = issue_device(
        &state,
        request.office,
        Role::Citizen,
        None,
        "aparelho de cidadão".into(),
    )
    .await?;
    Ok(Json(session))
}

/// A citizen device registering the id and token it made for itself. Sent again (the answer
/// was lost), it gets the same session; an id already taken with another token is refused,
/// so knowing a device's id never gives its documents away.
async fn register_chosen(
    state: &AppState,
    office: String,
    id: String,
    token: String,
) -> Result<Session> {
    let db = &state.db;
    let token_ok = token.len() == 43
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !esv_shared::sync::is_device_id(&id) || !token_ok {
        return Err(ServerError::BadRequest(
            "a identificação do aparelho não está no formato esperado".into(),
        ));
    }
    let hash = auth::token_hash(&token);
    let session = |id: String| Session {
        device: id,
        token: token.clone(),
        role: Role::Citizen,
        office: office.clone(),
        username: None,
    };
    if let Some(existing) = db.device_by_token(&hash).await? {
        if existing.id == id && existing.office == office && existing.role == Role::Citizen {
            return Ok(session(id));
        }
        return Err(ServerError::Forbidden("registrar este aparelho".into()));
    }
    let device = DeviceRow {
        id: id.clone(),
        office: office.clone(),
        role: Role::Citizen,
        username: None,
        name: "aparelho de cidadão".into(),
        created_at: state.now(),
        last_seen: None,
        revoked_at: None,
        retire_at: None,
    };
    db.add_device(&device, &hash)
        .await
        .map_err(|_| ServerError::Forbidden("registrar este aparelho".into()))?;
    Ok(session(id))
}

/// Makes a device with a fresh token; only the token's hash is stored.
async fn issue_device(
    state: &AppState,
    office: String,
    role: Role,
    username: Option<String>,
    name: String,
) -> Result<Session> {
    let db = &state.db;
    let (id, token) = auth::new_device()?;
    let device = DeviceRow {
        id: id.clone(),
        office: office.clone(),
        role,
        username: username.clone(),
        name,
        created_at: state.now(),
        last_seen: None,
        revoked_at: None,
        retire_at: None,
    };
    db.add_device(&device, &auth::token_hash(&token)).await?;
    Ok(Session {
        device: id,
        token,
        role,
        office,
        username,
    })
}

/// `POST /v1/login`: a team account signs a new device in. The attempt is reserved before the
/// password is checked (`crate::throttle`), and Argon2 runs at most once per core at a time.
async fn login(
    State(state): State<AppState>,
    source: Source,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Session>> {
    let request: LoginRequest = parse_open(body)?;
    let ticket = state
        .throttle
        .sign_in(&state.db, &request.username, &source, state.clock.now())
        .await?;
    let user = state.db.user(request.username.trim()).await?;
    let password = request.password;
    let permit = std::sync::Arc::clone(&state.argon2)
        .acquire_owned()
        .await
        .map_err(|_| ServerError::Config("a fila de verificação de senhas foi fechada".into()))?;
    let user = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match user {
            Some(u) if auth::verify_password(&password, &u.password_hash) => Some(u),
            Some(_) => None,
            None => {
                auth::verify_dummy(&password);
                None
            }
        }
    })
    .await?;
    // A wrong password keeps its attempt: the ticket is dropped.
    let Some(user) = user else {
        return Err(ServerError::WrongPassword);
    };
    ticket.right_password(&state.db).await?;
    if user.disabled_at.is_some() {
        return Err(ServerError::Refused(DISABLED.to_owned()));
    }
    let name = if request.device_name.trim().is_empty() {
        format!("aparelho de {}", user.username)
    } else {
        request.device_name.trim().to_owned()
    };
    let session = issue_device(&state, user.office, user.role, Some(user.username), name).await?;
    Ok(Json(session))
}

async fn sync(
    State(state): State<AppState>,
    auth::Syncing(device): auth::Syncing,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<SyncResponse>> {
    let who = device.as_ref().map(DeviceRow::principal);
    // A device of a disabled account sends what it holds and is sent nothing.
    let retiring = device.as_ref().is_some_and(|d| d.retire_at.is_some());
    let body = body_bytes(body)?;
    crate::metrics::global().sync_received(body.len() as u64);
    let (request, batches) = decode_sync(&body, who.as_ref())?;
    let pushed: std::collections::HashSet<[u8; 32]> = batches
        .iter()
        .flat_map(|b| b.changes.iter().map(|c| c.hash))
        .collect();
    let ingested = if batches.is_empty() {
        Default::default()
    } else {
        state.db.ingest(batches).await?
    };
    crate::metrics::global().ingested(ingested.accepted.into(), ingested.duplicates.into());
    let streams = if retiring {
        Vec::new()
    } else {
        readable_streams(who.as_ref())
    };
    let from = streams
        .iter()
        .map(|(stream, device)| PullFrom {
            stream: stream.clone(),
            device: device.clone(),
            after: request.cursors.get(stream).copied().unwrap_or(0),
        })
        .collect::<Vec<_>>();
    let limit = request
        .limit
        .map_or(MAX_PULL, |l| (l as usize).clamp(1, MAX_PULL));
    let pulls = state.db.pull(from.clone(), limit).await?;
    let (pull, more) = (pulls.changes, pulls.more);
    let mut cursors = from
        .iter()
        .map(|f| (f.stream.clone(), f.after))
        .collect::<std::collections::BTreeMap<_, _>>();
    let positions = pull
        .iter()
        .map(|p| (&p.stream, p.seq))
        .chain(pulls.erased.iter().map(|e| (&e.stream, e.seq)));
    for (stream, seq) in positions {
        let cursor = cursors.entry(stream.clone()).or_insert(0);
        *cursor = (*cursor).max(seq);
    }
    // Erasures after the cursors, and those the push ran into (its device must delete them).
    let mut erased = pulls.erased;
    for e in ingested.erased {
        if !erased.contains(&e) {
            erased.push(e);
        }
    }
    // What the caller just sent needn't travel back (the cursor still moves past it).
    let pull = if pushed.is_empty() {
        pull
    } else {
        pull.into_iter()
            .filter(|p| {
                Change::from_bytes(p.change.clone()).map_or(true, |c| !pushed.contains(&c.hash().0))
            })
            .collect()
    };
    Ok(Json(SyncResponse {
        accepted: ingested.accepted,
        duplicates: ingested.duplicates,
        pull,
        cursors,
        more,
        erased,
        removed: ingested.removed,
        retiring,
    }))
}

/// New erasures one account (a citizen device: itself) may make in [`ERASURE_WINDOW`]: an
/// office erases a person at their request, one at a time, so more in an hour is a mistake or
/// a stolen account emptying the office's records — refused with 429 in plain words. Erasing
/// again what is already erased does not count. `esv-server erase` is not limited.
pub const MAX_ERASURES_PER_HOUR: u32 = 20;
pub const ERASURE_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// An instant as the server stamps it (`Clock::stamp`: the form `erased_at` is kept in, so
/// text order is time order).
fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One line per erasure on the server's log, with who asked and never a name: what an
/// operator replays after restoring a backup older than the erasure (ARCHITECTURE.md).
fn log_erasure(erased: &Erased, by: &Eraser) {
    tracing::info!(
        subject = erased.subject.as_str(),
        stream = erased.stream.as_str(),
        seq = erased.seq,
        by = by.username.as_deref().unwrap_or("cidadão"),
        device = by.device.as_str(),
        at = by.at.as_str(),
        "dados apagados"
    );
}

/// `POST /v1/erase`: the LGPD erasure of a subject (a person, or a citizen device's requests).
/// Every document about it leaves the scope's stream for good; devices learn it from their
/// next sync and delete their copies. Erasing again answers the first erasure.
async fn erase(
    State(state): State<AppState>,
    Caller(device): Caller,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Erased>> {
    let who = device.as_ref().map(DeviceRow::principal);
    let request: EraseRequest = parse(body)?;
    let subject = request.subject.trim();
    if subject.is_empty() {
        return Err(ServerError::BadRequest(
            "diga de quem são os dados a apagar".into(),
        ));
    }
    if !may_erase(who.as_ref(), &request.scope, subject) {
        return Err(ServerError::Forbidden(format!(
            "apagar os dados de {subject}"
        )));
    }
    let Some(device) = device else {
        return Err(ServerError::Unauthorized);
    };
    let now = state.clock.now();
    let by = Eraser {
        username: device.username.clone(),
        device: device.id.clone(),
        at: stamp(now),
        limit: Some(EraseLimit {
            since: stamp(now - ERASURE_WINDOW),
            max: MAX_ERASURES_PER_HOUR,
        }),
    };
    let erased = state
        .db
        .erase(&request.scope.stream(), subject, &by)
        .await?;
    log_erasure(&erased, &by);
    Ok(Json(erased))
}

#[derive(Debug, Deserialize)]
struct SnapshotQuery {
    /// Streams wanted, comma-separated; absent: every stream the caller may read.
    streams: Option<String>,
}

/// `GET /v1/snapshots`: for a new device, each readable stream as one saved document per
/// document (not the whole log), with the log position it includes — all in one answer.
async fn snapshots(
    State(state): State<AppState>,
    Caller(device): Caller,
    Query(query): Query<SnapshotQuery>,
) -> Result<Json<Vec<Snapshot>>> {
    let who = device.as_ref().map(DeviceRow::principal);
    let readable = readable_streams(who.as_ref());
    let wanted: Vec<(String, Option<String>)> = match &query.streams {
        None => readable,
        Some(list) => list
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|name| {
                readable
                    .iter()
                    .find(|(s, _)| s == name)
                    .cloned()
                    .ok_or_else(|| ServerError::Forbidden(format!("ler {name}")))
            })
            .collect::<Result<_>>()?,
    };
    let mut out = Vec::with_capacity(wanted.len());
    for (stream, filter) in wanted {
        if stream == CATALOG_STREAM && filter.is_none() {
            out.push(catalog_snapshot(&state).await?.as_ref().clone());
            continue;
        }
        let docs = state.db.stream_docs(&stream, filter.as_deref()).await?;
        out.push(tokio::task::spawn_blocking(move || compact(stream, docs)).await??);
    }
    Ok(Json(out))
}

/// The catalog's snapshot, rebuilt only when the catalog's log has moved. One builder at a
/// time: devices arriving together wait for it instead of each building their own.
async fn catalog_snapshot(state: &AppState) -> Result<std::sync::Arc<Snapshot>> {
    let mut cached = state.catalog_snapshot.lock().await;
    let head = state.db.stream_head(CATALOG_STREAM).await?;
    if let Some(snapshot) = cached.as_ref().filter(|s| s.seq == head) {
        return Ok(std::sync::Arc::clone(snapshot));
    }
    let docs = state.db.stream_docs(CATALOG_STREAM, None).await?;
    let built = std::sync::Arc::new(
        tokio::task::spawn_blocking(move || compact(CATALOG_STREAM.to_owned(), docs)).await??,
    );
    *cached = Some(std::sync::Arc::clone(&built));
    Ok(built)
}

/// Builds each document from its changes and saves it compactly.
fn compact(stream: String, docs: crate::db::StreamDocs) -> Result<Snapshot> {
    let seq = docs.seq;
    let erased = docs.erased;
    let docs = docs
        .docs
        .into_iter()
        .map(|(doc_id, scope, changes)| {
            let mut doc = Automerge::new();
            let changes = changes
                .into_iter()
                .map(Change::from_bytes)
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| ServerError::Config(format!("{doc_id}: {e}")))?;
            doc.apply_changes(changes)?;
            Ok(SnapshotDoc {
                doc_id,
                scope,
                bytes: doc.save(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Snapshot {
        stream,
        seq,
        docs,
        erased,
    })
}
