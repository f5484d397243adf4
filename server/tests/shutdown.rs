//! SIGTERM (what systemd and Docker send) stops the real `esv-server` gracefully: the port
//! closes at once, the request in flight — a real replica's push — finishes and is
//! acknowledged, the SQLite file is checkpointed, the process exits 0, and after a restart on
//! the same file the device's next sync completes with nothing lost. A request that never
//! finishes is cut after the grace period.

mod support;

use support::{now, office_and_staff, read_log, reasons_in, serve, serve_with, PASSWORD};

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use esv_replica::{sync, Store};

/// The server's database: a SQLite file in `dir`, or with `ESV_TEST_BACKEND=postgres` a
/// fresh database of a temporary PostgreSQL cluster.
fn database(dir: &Path) -> PathBuf {
    match std::env::var("ESV_TEST_BACKEND").as_deref() {
        Ok("postgres") => PathBuf::from(esv_tests::postgres::TempCluster::get().new_database()),
        _ => dir.join("server.db"),
    }
}

fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://").parse().expect("address")
}

/// Bytes from `from` until `\r\n\r\n`: (the head, what came after it).
fn read_head(from: &mut TcpStream) -> (Vec<u8>, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return (buf, rest);
        }
        let n = from.read(&mut chunk).expect("read head");
        assert!(n > 0, "closed before the end of the head");
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The first `POST /v1/sync` through a [`Proxy`] is held: its head reaches the server asking
/// `Expect: 100-continue`, and once the server's handler asks for the body (it answers `100
/// Continue`) `held` is told; its body goes on only when `go` is.
struct Hold {
    held: mpsc::Sender<()>,
    go: mpsc::Receiver<()>,
}

/// A TCP proxy in front of the server, one request per connection (`Connection: close`).
struct Proxy {
    url: String,
}

impl Proxy {
    fn start(target: SocketAddr, hold: Hold) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let hold = Arc::new(Mutex::new(Some(hold)));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let hold = Arc::clone(&hold);
                std::thread::spawn(move || relay(client, target, &hold));
            }
        });
        Proxy { url }
    }
}

fn relay(mut client: TcpStream, target: SocketAddr, hold: &Mutex<Option<Hold>>) {
    let (head, rest) = read_head(&mut client);
    let text = String::from_utf8_lossy(&head).into_owned();
    let held = if text.starts_with("POST /v1/sync ") {
        hold.lock().expect("lock").take()
    } else {
        None
    };
    let mut lines: Vec<&str> = text
        .trim_end_matches("\r\n")
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    if held.is_some() {
        lines.push("Expect: 100-continue");
    }
    let head = format!("{}\r\n\r\n", lines.join("\r\n"));
    let Ok(mut server) = TcpStream::connect(target) else {
        return; // The server is gone: the client sees its connection closed.
    };
    server.write_all(head.as_bytes()).expect("head");
    if let Some(hold) = held {
        let (interim, after) = read_head(&mut server);
        assert!(
            interim.starts_with(b"HTTP/1.1 100"),
            "{}",
            String::from_utf8_lossy(&interim)
        );
        assert!(after.is_empty());
        hold.held.send(()).expect("held");
        hold.go
            .recv_timeout(Duration::from_secs(120))
            .expect("told to go on");
    }
    server.write_all(&rest).expect("body");
    let (mut up_from, mut up_to) = (
        client.try_clone().expect("clone"),
        server.try_clone().expect("clone"),
    );
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut up_from, &mut up_to);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Both);
}

fn wait_exit(server: &mut Child, within: Duration) -> Option<ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Some(status) = server.try_wait().expect("wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn terminate(server: &Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
}

/// Waits until `addr` refuses connections; false if it still takes them after `within`.
fn refuses(addr: SocketAddr, within: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        if TcpStream::connect(addr).is_err() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn sigterm_finishes_the_push_in_flight_and_exits_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    office_and_staff(&db);
    let (mut server, url) = serve(&db);
    let mut store = esv_tests::sync_server::team_store(&dir.path().join("staff.db"));
    sync::login(&store, &url, "ana", PASSWORD, "teste").expect("login");
    // Caught up first, so the next sync is one push.
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("first sync");

    let (held, told_held) = mpsc::channel();
    let (go, told_go) = mpsc::channel();
    let proxy = Proxy::start(addr_of(&url), Hold { held, go: told_go });
    let mut account = store.account().expect("account").expect("signed in");
    account.server = proxy.url.clone();
    store.set_account(&account).expect("account");
    let day = NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
    store
        .set_exception("es-vitoria", day, Vec::new(), "dedetização", now())
        .expect("edit");

    let pid = server.id();
    let stopper = std::thread::spawn(move || {
        told_held
            .recv_timeout(Duration::from_secs(120))
            .expect("the push reached the handler");
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status();
        let closed = refuses(addr_of(&url), Duration::from_secs(30));
        // The body goes on only now, after the server stopped accepting.
        go.send(()).expect("go");
        closed
    });
    let pushed = sync::sync(&mut store, None, now(), &mut |_| {});
    let closed = stopper.join().expect("stopper");
    assert!(closed, "the port still accepted connections after SIGTERM");
    let report = pushed.expect("the push in flight was answered");
    assert_eq!(report.pushed_docs, 1, "{report:?}");
    assert!(report.accepted >= 1, "{report:?}");
    assert_eq!(store.outgoing_count().expect("count"), 0);

    let status = wait_exit(&mut server, Duration::from_secs(30)).expect("the server stopped");
    assert!(status.success(), "{status:?}");
    // Closed cleanly: the write-ahead log was written back into the file (SQLite).
    let wal = dir.path().join("server.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).expect("wal").len() == 0,
        "the WAL was left with {} bytes",
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0)
    );

    // Restarted on the same file, the device carries on, and a new device sees the edit.
    let (mut server, url) = serve(&db);
    account.server = url.clone();
    store.set_account(&account).expect("account");
    let day2 = NaiveDate::from_ymd_opt(2027, 3, 2).expect("date");
    store
        .set_exception("es-vitoria", day2, Vec::new(), "reforma", now())
        .expect("edit");
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("sync after the restart");
    assert_eq!(store.outgoing_count().expect("count"), 0);
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let (mut fresh, _) = Store::open(&fresh_dir.path().join("c.db")).expect("store");
    sync::sync(&mut fresh, Some(&url), now(), &mut |_| {}).expect("fresh pull");
    let seen = reasons_in(&fresh);
    for reason in ["dedetização", "reforma"] {
        assert!(seen.iter().any(|r| r == reason), "{reason} lost: {seen:?}");
    }
    terminate(&server);
    let status = wait_exit(&mut server, Duration::from_secs(30)).expect("stopped");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_request_that_never_finishes_is_cut_after_the_grace_period() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = database(dir.path());
    let (mut server, url) = serve_with(&db, &["--shutdown-grace", "1"], Stdio::piped());
    // A body announced and never sent: the handler waits for it for ever.
    let mut stalled = TcpStream::connect(addr_of(&url)).expect("connect");
    stalled
        .write_all(
            b"POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\nExpect: 100-continue\r\n\r\n",
        )
        .expect("head");
    let (interim, _) = read_head(&mut stalled);
    assert!(interim.starts_with(b"HTTP/1.1 100"));
    let asked = Instant::now();
    terminate(&server);
    let status = wait_exit(&mut server, Duration::from_secs(30)).expect("the server stopped");
    let took = asked.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took >= Duration::from_millis(900),
        "stopped before the grace period: {took:?}"
    );
    let log = read_log(&mut server);
    assert!(log.contains("SIGTERM"), "{log}");
    assert!(log.contains("1 conexão ainda ocupada"), "{log}");
}
