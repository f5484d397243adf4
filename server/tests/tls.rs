//! HTTPS straight from `esv-server serve --tls-cert --tls-key`: a certificate made with the
//! openssl command, the real binary, and curl trusting only that certificate.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod support;

use support::BIN;

#[test]
fn the_server_speaks_https_with_a_certificate_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
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
