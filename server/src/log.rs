//! The server's log (`tracing`), on stderr, plain text or JSON lines: one line per request —
//! method, route template, status, milliseconds, bytes sent, the device when known — and
//! never a name, a token, a query string or a body.

use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use tracing_subscriber::fmt::MakeWriter;

/// How the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `2026-12-07T13:51:13.123456Z  INFO pedido method=POST route=/v1/sync status=200 …`
    #[default]
    Text,
    /// One JSON object a line, its fields at the top level.
    Json,
}

impl Format {
    /// `text` or `json`.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Sends the process's log to `writer` in `format`, level INFO and above (`RUST_LOG` is not
/// read: a debug level of a dependency could print what this log promises not to). Only the
/// first call takes effect.
pub fn init<W>(format: Format, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .with_ansi(false);
    let _ = match format {
        Format::Text => builder.try_init(),
        Format::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .try_init(),
    };
}

/// Where a request's device is noted once the token is checked (`crate::auth`), so its log
/// line can name it.
#[derive(Debug, Clone, Default)]
pub struct Who(Arc<OnceLock<String>>);

impl Who {
    pub fn note(&self, device: &str) {
        let _ = self.0.set(device.to_owned());
    }
}

/// The middleware that logs every request when its answer has been sent (or dropped).
pub async fn access(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The template (`/v1/accounts/users`), never the path as sent with its query.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(desconhecido)".to_owned(), |p| p.as_str().to_owned());
    let who = Who::default();
    request.extensions_mut().insert(who.clone());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    response.map(|body| {
        Body::new(Counted {
            body,
            bytes: 0,
            line: Some(Line {
                method: method.to_string(),
                route,
                status,
                started,
                who,
            }),
        })
    })
}

/// What a request's line says, written when its body is done.
struct Line {
    method: String,
    route: String,
    status: u16,
    started: Instant,
    who: Who,
}

impl Line {
    fn write(self, bytes: u64) {
        let took = self.started.elapsed();
        crate::metrics::global().request(&self.method, &self.route, self.status, took, bytes);
        let latency_ms = took.as_millis() as u64;
        let (method, route, status) = (self.method, self.route, self.status);
        match self.who.0.get() {
            Some(device) => tracing::info!(
                method = %method,
                route = %route,
                status,
                latency_ms,
                bytes,
                device = %device,
                "pedido"
            ),
            None => tracing::info!(
                method = %method,
                route = %route,
                status,
                latency_ms,
                bytes,
                "pedido"
            ),
        }
    }
}

/// A response body that counts the bytes it hands on and writes the request's line when it
/// ends or is dropped (the client went away).
struct Counted {
    body: Body,
    bytes: u64,
    line: Option<Line>,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = std::pin::Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.bytes += data.len() as u64;
                }
            }
            Poll::Ready(None) => {
                let bytes = self.bytes;
                if let Some(line) = self.line.take() {
                    line.write(bytes);
                }
            }
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        if let Some(line) = self.line.take() {
            line.write(self.bytes);
        }
    }
}
