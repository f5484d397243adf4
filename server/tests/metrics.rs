//! The real `esv-server`'s Prometheus figures on their own address (`--metrics-listen`):
//! requests by route template and status, the changes a device pushed, the sync bytes and the
//! database's operations are counted; no device, account, office or token appears; and the
//! API's own port does not serve them.

mod support;

use support::{office_and_staff, serve_with, PASSWORD};

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;

/// `GET path` over a fresh connection to `base` (`http://host:port`): (status, body).
fn get(base: &str, path: &str, headers: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"
    )
    .expect("request");
    let mut got = String::new();
    stream.read_to_string(&mut got).expect("response");
    let status = got[9..12].parse().expect("status");
    let body = got.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

/// The value of the series `series` (name and labels, exactly as written), if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().expect("number"))
}

#[test]
fn requests_changes_and_database_operations_are_counted_without_naming_anyone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    office_and_staff(&db);
    let (mut server, url) = serve_with(&db, &["--metrics-listen", "127.0.0.1:0"], Stdio::null());
    // The second line the server prints: where its figures are.
    let metrics = {
        let line = support::stdout_line(&mut server);
        let at = line.trim().rsplit(' ').next().expect("address").to_owned();
        assert!(at.ends_with("/metrics"), "{line}");
        at.trim_end_matches("/metrics").to_owned()
    };

    support::staff_pushed_a_closure(dir.path(), &url);
    // A request without a token: counted with its status.
    let (status, _) = get(&url, "/v1/accounts", "");
    assert_eq!(status, 401);

    let (status, text) = get(&metrics, "/metrics", "");
    assert_eq!(status, 200, "{text}");
    let count = |series: &str| value(&text, series).unwrap_or_else(|| panic!("{series}:\n{text}"));
    assert_eq!(
        count(r#"esv_http_requests_total{route="/v1/login",method="POST",status="200"}"#),
        1.0
    );
    assert!(
        count(r#"esv_http_requests_total{route="/v1/sync",method="POST",status="200"}"#) >= 1.0
    );
    assert_eq!(
        count(r#"esv_http_requests_total{route="/v1/accounts",method="GET",status="401"}"#),
        1.0
    );
    // The push's changes reached the log, and the sync body and answer were counted.
    assert!(count(r#"esv_sync_changes_ingested_total{result="accepted"}"#) >= 1.0);
    assert!(count("esv_sync_received_bytes_total") > 0.0);
    assert!(count(r#"esv_http_response_bytes_total{route="/v1/sync"}"#) > 0.0);
    // Each database operation is timed: the ingest ran once per push that carried changes.
    assert!(count(r#"esv_db_operation_duration_seconds_count{operation="ingest"}"#) >= 1.0);
    assert!(
        count(r#"esv_db_operation_duration_seconds_count{operation="device_by_token"}"#) >= 1.0
    );
    assert_eq!(
        count(r#"esv_http_request_duration_seconds_bucket{route="/v1/login",le="+Inf"}"#),
        1.0
    );
    assert!(
        text.contains("# TYPE esv_http_requests_total counter"),
        "{text}"
    );
    // Nobody is named: not the account, the office, the device, nor the password.
    for secret in ["ana", "es-vitoria", "vitoria", PASSWORD, "teste"] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }

    // Not on the API's port, and nothing else on the figures' one.
    let (status, body) = get(&url, "/metrics", "");
    assert_ne!(status, 200, "{body}");
    assert!(!body.contains("esv_"), "{body}");
    assert_eq!(get(&metrics, "/v1/health", "").0, 404);

    server.kill().expect("kill");
    server.wait().expect("wait");
}
