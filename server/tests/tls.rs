//! HTTPS straight from `esv-server serve --tls-cert --tls-key`: a certificate made with the
//! openssl command, the real binary, and curl trusting only that certificate; SIGTERM closes
//! the HTTPS port at once while a request in flight finishes.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

use support::BIN;

/// A self-signed certificate for localhost and 127.0.0.1, made with openssl: (cert, key).
fn certificate(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .args([
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(made.success());
    (cert, key)
}

#[test]
fn the_server_speaks_https_with_a_certificate_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = certificate(dir.path());
    let db = dir.path().join("server.db");
    let mut server = Command::new(BIN)
        .arg("--database")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .spawn()
        .expect("server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let url = line.trim().rsplit(' ').next().expect("url").to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{line}");

    let health = Command::new("curl")
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(&cert)
        .arg(format!("{url}/v1/health"))
        .output()
        .expect("curl");
    let body = String::from_utf8_lossy(&health.stdout);
    assert!(
        health.status.success(),
        "{}",
        String::from_utf8_lossy(&health.stderr)
    );
    assert!(body.contains("\"protocol\":1"), "{body}");
    // Plain HTTP on the HTTPS port gets nothing, and the server keeps serving.
    let plain = Command::new("curl")
        .args(["-sS", "--max-time", "5"])
        .arg(url.replace("https://", "http://") + "/v1/health")
        .output()
        .expect("curl");
    assert!(!plain.status.success());
    let again = Command::new("curl")
        .args(["-sS", "--max-time", "10", "--cacert"])
        .arg(&cert)
        .arg(format!("{url}/v1/health"))
        .output()
        .expect("curl");
    assert!(again.status.success());
    let _ = server.kill();
    let _ = server.wait();

    // A missing key is a one-line error, not a crash.
    let out = Command::new(BIN)
        .arg("--database")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&cert)
        .arg("--tls-key")
        .arg(dir.path().join("nope.pem"))
        .output()
        .expect("server");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("chave privada") && err.contains("nope.pem"),
        "{err}"
    );
}

#[test]
fn sigterm_closes_the_https_port_while_a_request_finishes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = certificate(dir.path());
    let mut server = Command::new(BIN)
        .arg("--database")
        .arg(dir.path().join("server.db"))
        .args(["serve", "--listen", "127.0.0.1:0", "--shutdown-grace", "3"])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let port = line
        .trim()
        .rsplit("https://")
        .next()
        .expect("port")
        .to_owned();
    // A request over TLS whose body never comes: in flight when SIGTERM arrives.
    let mut client = Command::new("openssl")
        .args(["s_client", "-quiet", "-connect", &port])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_client");
    client
        .stdin
        .as_mut()
        .expect("stdin")
        .write_all(
            b"POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\nExpect: 100-continue\r\n\r\n",
        )
        .expect("head");
    let mut interim = String::new();
    BufReader::new(client.stdout.take().expect("stdout"))
        .read_line(&mut interim)
        .expect("100 Continue");
    assert!(interim.starts_with("HTTP/1.1 100"), "{interim}");
    let sent = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    // The port refuses new connections while the server still waits for that request.
    let started = Instant::now();
    while TcpStream::connect(&port).is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the HTTPS port still accepts after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        server.try_wait().expect("wait").is_none(),
        "it did not wait"
    );
    assert!(server.wait().expect("wait").success());
    let _ = client.kill();
    let _ = client.wait();
}
