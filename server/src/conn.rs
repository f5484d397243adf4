//! Serving connections by hand (hyper's HTTP/1, not `axum::serve`): each connection knows its
//! peer's address (`source::Peer`), and when shutdown begins the listener is closed at once,
//! every connection finishes the request it is serving and closes, and the wait for them is
//! bounded by the `shutdown_grace` setting — past it the rest are cut. A request's head must
//! arrive within `header_timeout` (slow loris); the whole request's own bound is
//! `routes::deadline`.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::serve::Listener;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::source::Peer;

/// How a server stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Connections still busy when the grace period ended, cut.
    pub cut: usize,
}

/// What a connection is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// After shutdown begins, how long requests in flight may take to finish.
    pub grace: Duration,
    /// How long the head of a request may take to arrive, counted from when the connection
    /// is ready for it (so also the longest a kept-alive connection stays idle).
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish (at most `limits.grace`).
pub async fn serve<L>(
    mut listener: L,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Stopped
where
    L: Listener<Addr = SocketAddr>,
{
    let (stopping, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            (io, peer) = listener.accept() => {
                connections.spawn(connection(io, peer, app.clone(), limits, stop.clone()));
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    // No new connections from here on: the port refuses them.
    drop(listener);
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(limits.grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    let cut = if drained.is_ok() {
        0
    } else {
        connections.len()
    };
    connections.shutdown().await;
    Stopped { cut }
}

/// One connection: its requests, until the client closes it or shutdown asks it to finish.
async fn connection<I>(
    io: I,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = tower::service_fn(move |request: axum::http::Request<Incoming>| {
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(ConnectInfo(Peer(peer)));
        app.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let conn = builder.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
    tokio::pin!(conn);
    let mut asked = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            changed = stop.wait_for(|stop| *stop), if !asked => {
                asked = true;
                if changed.is_ok() {
                    // Finishes the request in flight, if any, then closes; an idle one closes now.
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}
