//! `esv-server`: the office's sync server. It stores the automerge changes devices push, per
//! stream, and hands them to every device allowed to read them. It never looks inside a
//! document (invariant 5): it checks scopes, validates that changes are well-formed, and keeps
//! them. Administration (offices, accounts, devices) is in [`admin`].

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod body;
pub mod db;
pub mod error;
pub mod rollup;
pub mod routes;
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

/// Serves the API on `listener` until `shutdown` completes. Each request knows its
/// connection's address (`source::Peer`), which the front door counts by.
pub async fn serve_with(
    listener: TcpListener,
    db: Db,
    clock: Clock,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = routes::router(routes::AppState::with_settings(db, clock, settings));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<source::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Serves the API over HTTPS on `listener` until `shutdown` completes.
pub async fn serve_tls(
    listener: TcpListener,
    tls: std::sync::Arc<rustls::ServerConfig>,
    db: Db,
    clock: Clock,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = routes::router(routes::AppState::with_settings(db, clock, settings));
    axum::serve(
        tls::TlsListener::new(listener, tls)?,
        app.into_make_service_with_connect_info::<source::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
