//! The real `esv-server` bounds what a client may hold: a request head sent a few bytes and
//! then nothing (slow loris) has its connection closed after `--header-timeout`; a request
//! whose body stops coming is answered 503 in plain words after `--request-timeout`; other
//! clients are served meanwhile.

mod support;

use support::serve_with;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Everything `stream` sends until it closes (or the generous bound passes: then the test
/// fails on the time it took).
fn until_closed(stream: &mut TcpStream) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    (got, started.elapsed())
}

fn health(url: &str) -> String {
    let mut stream = TcpStream::connect(url.trim_start_matches("http://")).expect("connect");
    stream
        .write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("request");
    let (got, _) = until_closed(&mut stream);
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_stalled_head_is_closed_and_a_stalled_body_answered_503() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut server, url) = serve_with(
        &dir.path().join("server.db"),
        &["--header-timeout", "1", "--request-timeout", "1"],
        Stdio::null(),
    );
    let addr = url.trim_start_matches("http://").to_owned();

    // Half a request line, then nothing.
    let mut loris = TcpStream::connect(&addr).expect("connect");
    loris.write_all(b"POST /v1/sy").expect("half a line");
    // Served meanwhile.
    assert!(health(&url).contains("\"protocol\""));
    let (got, took) = until_closed(&mut loris);
    assert!(
        took < Duration::from_secs(10),
        "the stalled connection stayed open {took:?}"
    );
    assert!(
        took >= Duration::from_millis(500),
        "closed before the timeout: {took:?}"
    );
    // Closed without a response, or with an error status; never served.
    let text = String::from_utf8_lossy(&got);
    assert!(!text.contains(" 200 "), "{text}");

    // A whole head, half a body, then nothing: the request's own deadline answers.
    let mut stalled = TcpStream::connect(&addr).expect("connect");
    stalled
        .write_all(
            b"POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"push\":",
        )
        .expect("half a request");
    let (got, took) = until_closed(&mut stalled);
    let text = String::from_utf8_lossy(&got);
    assert!(took < Duration::from_secs(10), "{took:?}: {text}");
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("interrompido"), "{text}");

    // The server is still fine.
    assert!(health(&url).contains("\"protocol\""));
    let _ = server.kill();
    let _ = server.wait();
}
