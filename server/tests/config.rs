//! `esv-server --config FILE`: the real binary takes its settings from a TOML file, the
//! environment wins over the file, and a file with an unknown key is refused before the
//! server starts, naming the key and its line.

mod support;

use support::BIN;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `esv-server --config FILE serve` with `env`; the process and its address.
fn start(config: &Path, env: &[(&str, &str)]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .arg("--config")
        .arg(config)
        .arg("serve")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .expect("address")
        .to_owned();
    (child, addr)
}

fn stop(mut child: Child) -> String {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(child.wait().expect("wait").success());
    log
}

#[test]
fn the_file_sets_what_flags_and_environment_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("do-arquivo.db");
    let config = dir.path().join("esv-server.toml");
    std::fs::write(
        &config,
        format!(
            "# esv-server\ndatabase = {:?}\nlog-format = \"json\"\nlisten = \"127.0.0.1:0\"\n\
             header-timeout = 1\n",
            db.display().to_string()
        ),
    )
    .expect("config");

    let (server, addr) = start(&config, &[]);
    assert!(db.exists(), "the database named in the file was not opened");
    // header-timeout = 1: half a request line is cut within about a second.
    let mut loris = TcpStream::connect(&addr).expect("connect");
    loris.write_all(b"GET /v1/he").expect("half a line");
    loris
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let started = Instant::now();
    let _ = loris.read(&mut [0u8; 64]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let log = stop(server);
    assert!(
        log.lines().all(|l| l.starts_with('{')),
        "log-format = json was not taken:\n{log}"
    );

    // The environment wins over the file.
    let (server, _) = start(&config, &[("ESV_LOG_FORMAT", "text")]);
    let log = stop(server);
    assert!(log.contains(" INFO "), "{log}");
    assert!(!log.lines().any(|l| l.starts_with('{')), "{log}");
}

#[test]
fn an_unknown_key_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("esv-server.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:0\"\n\nrequest_timeout = 60\n",
    )
    .expect("config");
    let out = Command::new(BIN)
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "it started");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("linha 3"), "{err}");
    assert!(
        err.contains("chave desconhecida `request_timeout`"),
        "{err}"
    );
    // Nothing was opened either.
    assert!(!dir.path().join("esv-server.db").exists());
}
