//! `esv-server`: the office's sync server. It stores the automerge changes devices push, per
//! stream, and hands them to every device allowed to read them. It never looks inside a
//! document (invariant 5): it checks scopes, validates that changes are well-formed, and keeps
//! them. Administration (offices, accounts, devices) is in [`admin`].

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod body;
pub mod config;
pub mod conn;
pub mod db;
pub mod erasure_log;
pub mod error;
pub mod log;
pub mod metrics;
pub mod rollup;
pub mod routes;
pub mod signals;
pub mod source;
pub mod state;
pub mod throttle;
pub mod tls;
pub mod vouch;

use std::future::Future;

use tokio::net::TcpListener;

pub use db::Db;
pub use error::{Result, ServerError};
pub use esv_shared::clock::Clock;
pub use state::Settings;

/// Serves the API on `listener` with the default settings until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    db: Db,
    clock: Clock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, db, clock, Settings::default(), shutdown).await
}

/// Serves the API on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (at most `settings.shutdown_grace`). Each request knows its connection's address
/// (`source::Peer`), which the front door counts by.
pub async fn serve_with(
    listener: TcpListener,
    db: Db,
    clock: Clock,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_on(listener, db, clock, settings, shutdown).await;
    Ok(())
}

/// Serves the API over HTTPS on `listener` until `shutdown` completes, as [`serve_with`].
pub async fn serve_tls(
    listener: TcpListener,
    tls: std::sync::Arc<rustls::ServerConfig>,
    db: Db,
    clock: Clock,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tls::TlsListener::new(listener, tls)?;
    serve_on(listener, db, clock, settings, shutdown).await;
    Ok(())
}

/// Serves on any listener (plain TCP or TLS); how it stopped.
pub async fn serve_on<L>(
    listener: L,
    db: Db,
    clock: Clock,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> conn::Stopped
where
    L: axum::serve::Listener<Addr = std::net::SocketAddr>,
{
    let limits = conn::Limits {
        grace: settings.shutdown_grace,
        header_timeout: settings.header_timeout,
    };
    let app = routes::router(routes::AppState::with_settings(db, clock, settings));
    conn::serve(listener, app, limits, shutdown).await
}
