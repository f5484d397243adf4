//! The server's figures for Prometheus (text format 0.0.4), served on an address of their own
//! (`--metrics-listen`), never on the API's: requests by route, method and status with their
//! latency and bytes sent, changes ingested, sync bytes received, and each database operation's
//! latency. Labels are route templates, methods and status codes only — never a device, a
//! person, a token or a path as sent — so the number of series stays bounded.
//!
//! One registry per process ([`global`]), as Prometheus clients do: a server is one process.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds (`+Inf` is implied).
const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// How long things took, counted into [`BUCKETS`].
#[derive(Debug, Clone, Default)]
struct Histogram {
    /// Observations at or under each bound (not cumulative; summed when written).
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, took: Duration) {
        let seconds = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&le| seconds <= le) {
            self.counts[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }

    /// Its `_bucket`, `_sum` and `_count` lines, with `labels` (`route="/v1/sync"`) first.
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (le, n) in BUCKETS.iter().zip(self.counts) {
            cumulative += n;
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{le}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = |l: &str| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{{{l}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {}", braces(labels), self.sum);
        let _ = writeln!(out, "{name}_count{} {}", braces(labels), self.count);
    }
}

/// A request's series: (route template, method, status).
type RequestKey = (String, &'static str, u16);

/// Every figure the server keeps.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    sent: Mutex<BTreeMap<String, u64>>,
    database: Mutex<BTreeMap<&'static str, Histogram>>,
    changes_accepted: AtomicU64,
    changes_duplicate: AtomicU64,
    sync_received: AtomicU64,
}

/// The process's figures.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::default)
}

/// A method as a label: the ones the API answers, and `OTHER` for anything a client invents.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "POST" => "POST",
        "HEAD" => "HEAD",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    }
}

/// A label value with `\`, `"` and line breaks escaped, as the text format wants.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    /// A request answered: `route` is its template (or the fallback's name), never the path.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration, bytes: u64) {
        let key = (route.to_owned(), method_label(method), status);
        *lock(&self.requests).entry(key).or_default() += 1;
        lock(&self.latency)
            .entry(route.to_owned())
            .or_default()
            .observe(took);
        *lock(&self.sent).entry(route.to_owned()).or_default() += bytes;
    }

    /// A push's changes: those the log did not hold and those it already had.
    pub fn ingested(&self, accepted: u64, duplicates: u64) {
        self.changes_accepted.fetch_add(accepted, Ordering::Relaxed);
        self.changes_duplicate
            .fetch_add(duplicates, Ordering::Relaxed);
    }

    /// A sync body's size, as read (after gzip, if it came compressed).
    pub fn sync_received(&self, bytes: u64) {
        self.sync_received.fetch_add(bytes, Ordering::Relaxed);
    }

    /// A database operation (`Db`'s method name) and how long it took.
    pub fn database(&self, operation: &'static str, took: Duration) {
        lock(&self.database)
            .entry(operation)
            .or_default()
            .observe(took);
    }

    /// Everything, in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP esv_build_info The running esv-server's version.\n\
             # TYPE esv_build_info gauge\n\
             esv_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        head(
            &mut out,
            "esv_http_requests_total",
            "counter",
            "Requests answered, by route template, method and status.",
        );
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let route = escape(route);
            let _ = writeln!(
                out,
                "esv_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {n}"
            );
        }
        head(
            &mut out,
            "esv_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its answer's last byte, by route template.",
        );
        for (route, h) in lock(&self.latency).iter() {
            h.write(
                &mut out,
                "esv_http_request_duration_seconds",
                &format!("route=\"{}\"", escape(route)),
            );
        }
        head(
            &mut out,
            "esv_http_response_bytes_total",
            "counter",
            "Bytes of answers sent (as sent: compressed when the client asked), by route template.",
        );
        for (route, n) in lock(&self.sent).iter() {
            let _ = writeln!(
                out,
                "esv_http_response_bytes_total{{route=\"{}\"}} {n}",
                escape(route)
            );
        }
        head(
            &mut out,
            "esv_sync_changes_ingested_total",
            "counter",
            "Changes pushed by devices: accepted into the log, or already there.",
        );
        let _ = writeln!(
            out,
            "esv_sync_changes_ingested_total{{result=\"accepted\"}} {}\n\
             esv_sync_changes_ingested_total{{result=\"duplicate\"}} {}",
            self.changes_accepted.load(Ordering::Relaxed),
            self.changes_duplicate.load(Ordering::Relaxed)
        );
        head(
            &mut out,
            "esv_sync_received_bytes_total",
            "counter",
            "Bytes of sync bodies received, after decompression.",
        );
        let _ = writeln!(
            out,
            "esv_sync_received_bytes_total {}",
            self.sync_received.load(Ordering::Relaxed)
        );
        head(
            &mut out,
            "esv_db_operation_duration_seconds",
            "histogram",
            "Time of each database operation, by operation.",
        );
        for (operation, h) in lock(&self.database).iter() {
            h.write(
                &mut out,
                "esv_db_operation_duration_seconds",
                &format!("operation=\"{operation}\""),
            );
        }
        out
    }
}

fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A figure's lock; a panic elsewhere while holding it leaves figures that are still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Serves `GET /metrics` on `listener` until `shutdown` completes; anything else is 404.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::http::header;
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/metrics",
        get(|| async {
            (
                [(
                    header::CONTENT_TYPE,
                    "text/plain; version=0.0.4; charset=utf-8",
                )],
                global().render(),
            )
        }),
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_labels_are_escaped() {
        let m = Metrics::default();
        m.request("POST", "/v1/sync", 200, Duration::from_millis(3), 10);
        m.request("POST", "/v1/sync", 200, Duration::from_millis(30), 5);
        m.request("BREW", "a\"b", 404, Duration::from_secs(60), 0);
        let text = m.render();
        assert!(
            text.contains(
                "esv_http_requests_total{route=\"/v1/sync\",method=\"POST\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains("route=\"a\\\"b\",method=\"OTHER\",status=\"404\"} 1"),
            "{text}"
        );
        let bucket = |le: &str| {
            format!("esv_http_request_duration_seconds_bucket{{route=\"/v1/sync\",le=\"{le}\"}}")
        };
        assert!(text.contains(&format!("{} 0\n", bucket("0.001"))), "{text}");
        assert!(text.contains(&format!("{} 1\n", bucket("0.005"))), "{text}");
        assert!(text.contains(&format!("{} 2\n", bucket("0.05"))), "{text}");
        assert!(text.contains(&format!("{} 2\n", bucket("+Inf"))), "{text}");
        // Past the last bound: only in +Inf.
        assert!(
            text.contains("esv_http_request_duration_seconds_bucket{route=\"a\\\"b\",le=\"10\"} 0"),
            "{text}"
        );
        assert!(
            text.contains(
                "esv_http_request_duration_seconds_bucket{route=\"a\\\"b\",le=\"+Inf\"} 1"
            ),
            "{text}"
        );
        assert!(
            text.contains("esv_http_response_bytes_total{route=\"/v1/sync\"} 15"),
            "{text}"
        );
    }
}
