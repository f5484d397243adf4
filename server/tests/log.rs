//! The real `esv-server`'s log: one line per request with its method, route template, status,
//! milliseconds, bytes and device (when known), as JSON with `--log-format json` and as plain
//! text by default — and no token, password, query string or body in any line.

mod support;

use support::{admin, read_log, serve_with};

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// One request over a fresh connection: (status, body).
fn call(url: &str, head: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(url.trim_start_matches("http://")).expect("connect");
    let request = format!(
        "{head}\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("request");
    let mut got = String::new();
    stream.read_to_string(&mut got).expect("response");
    let status = got[9..12].parse().expect("status");
    let body = got.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

/// Stops the server with SIGTERM; its whole log.
fn stop(mut server: Child) -> String {
    let sent = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let log = read_log(&mut server);
    assert!(server.wait().expect("wait").success());
    log
}

#[test]
fn each_request_is_one_json_line_with_its_route_and_device_and_no_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    admin(&db, &["office", "add", "es-vitoria", "Escritório Social"]);
    let (server, url) = serve_with(&db, &["--log-format", "json"], Stdio::piped());

    let (status, body) = call(
        &url,
        "POST /v1/devices HTTP/1.1",
        r#"{"office":"es-vitoria"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let session: serde_json::Value = serde_json::from_str(&body).expect("session");
    let (device, token) = (
        session["device"].as_str().expect("device").to_owned(),
        session["token"].as_str().expect("token").to_owned(),
    );
    let (status, body) = call(
        &url,
        &format!("GET /v1/snapshots?streams=catalog HTTP/1.1\r\nAuthorization: Bearer {token}"),
        "",
    );
    assert_eq!(status, 200, "{body}");
    let (status, _) = call(
        &url,
        "POST /v1/login HTTP/1.1",
        r#"{"username":"maria.silva","password":"segredo-da-maria","device_name":"x"}"#,
    );
    assert_eq!(status, 401);
    let (status, _) = call(&url, "GET /v1/pessoas?cpf=12345678900 HTTP/1.1", "");
    assert_eq!(status, 404);

    let log = stop(server);
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let request = |route: &str| {
        lines
            .iter()
            .find(|l| l["message"] == "pedido" && l["route"] == route)
            .unwrap_or_else(|| panic!("no line for {route}: {log}"))
    };
    let snapshots = request("/v1/snapshots");
    assert_eq!(snapshots["method"], "GET");
    assert_eq!(snapshots["status"], 200);
    assert_eq!(snapshots["device"], device.as_str());
    assert!(snapshots["latency_ms"].is_u64(), "{snapshots}");
    assert!(
        snapshots["bytes"].as_u64().expect("bytes") > 0,
        "{snapshots}"
    );
    assert_eq!(snapshots["level"], "INFO");
    assert!(snapshots["timestamp"].is_string());
    let register = request("/v1/devices");
    assert_eq!(register["status"], 200);
    assert!(register.get("device").is_none(), "{register}");
    assert_eq!(request("/v1/login")["status"], 401);
    assert_eq!(request("(desconhecido)")["status"], 404);
    // Exactly one line per request.
    let count = lines.iter().filter(|l| l["message"] == "pedido").count();
    assert_eq!(count, 4, "{log}");
    for secret in [
        token.as_str(),
        "streams=",
        "segredo-da-maria",
        "maria.silva",
        "cpf",
        "12345678900",
        "/v1/pessoas",
    ] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    assert!(lines.iter().any(|l| l["signal"] == "SIGTERM"), "{log}");
}

#[test]
fn the_default_log_is_plain_text_one_line_per_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (server, url) = serve_with(&dir.path().join("server.db"), &[], Stdio::piped());
    let (status, _) = call(&url, "GET /v1/health?x=1 HTTP/1.1", "");
    assert_eq!(status, 200);
    let log = stop(server);
    let line = log
        .lines()
        .find(|l| l.contains("pedido"))
        .unwrap_or_else(|| panic!("{log}"));
    for field in [
        "INFO",
        "method=GET",
        "route=/v1/health",
        "status=200",
        "latency_ms=",
        "bytes=",
    ] {
        assert!(line.contains(field), "{field} missing: {line}");
    }
    assert!(!log.contains("x=1"), "{log}");
    assert!(!line.starts_with('{'), "{line}");
}
