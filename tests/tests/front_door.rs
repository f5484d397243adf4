//! The server's front door, through a real server on a real port and real HTTP from chosen
//! source addresses (127.0.0.1 and 127.0.0.2 are both this machine): twenty wrong passwords
//! sent at once reach Argon2 at most five times; a username locked at one source still signs
//! in from another with the right password; the same counts hold across two server instances
//! over one database; an open endpoint refuses a large body with 413 in plain words, before
//! reading it; registrations over the hourly rate get 429 in plain words; a team device idle
//! for 31 days must sign in again while a citizen device idle as long still syncs.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use esv_replica::sync::{Remote, SyncError};
use esv_server::{throttle, Settings};
use esv_shared::sync::{ErrorBody, ErrorCode, SyncRequest};
use esv_tests::sync_server::{TestServer, PASSWORD, SERVER_START};

/// One HTTP/1.1 POST from `source` (a loopback address), with `body` sent as is and a
/// `Content-Length` of `length` (the body's own when `None`): the status and the body.
fn post_from(
    source: &str,
    server: &TestServer,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
    length: Option<usize>,
) -> (u16, String) {
    let target: SocketAddr = server
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("address");
    let ip: IpAddr = source.parse().expect("source");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind(SocketAddr::new(ip, 0)).expect("bind");
        socket.connect(target).await.expect("connect")
    });
    let mut stream = stream.into_std().expect("std");
    stream.set_nonblocking(false).expect("blocking");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {target}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n",
        length.unwrap_or(body.len())
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("head");
    // The server may answer, and close, before it has read everything: that is the point.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn login_from(source: &str, server: &TestServer, user: &str, password: &str) -> (u16, String) {
    let body = serde_json::json!({
        "username": user, "password": password, "device_name": "teste"
    });
    post_from(
        source,
        server,
        "/v1/login",
        &[],
        body.to_string().as_bytes(),
        None,
    )
}

fn register_from(source: &str, server: &TestServer) -> (u16, String) {
    post_from(
        source,
        server,
        "/v1/devices",
        &[],
        br#"{"office":"es-vitoria"}"#,
        None,
    )
}

fn code(body: &str) -> ErrorCode {
    serde_json::from_str::<ErrorBody>(body)
        .unwrap_or_else(|e| panic!("{e}: {body}"))
        .code
}

fn message(body: &str) -> String {
    serde_json::from_str::<ErrorBody>(body)
        .unwrap_or_else(|e| panic!("{e}: {body}"))
        .message
}

#[test]
fn twenty_guesses_at_once_reach_argon2_at_most_five_times() {
    let server = TestServer::start();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let guesses: Vec<_> = (0..20)
            .map(|i| {
                let server = &server;
                s.spawn(move || login_from("127.0.0.1", server, "ana", &format!("errada-{i:02}")).0)
            })
            .collect();
        guesses
            .into_iter()
            .map(|g| g.join().expect("guess"))
            .collect()
    });
    let verified = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(
        verified + refused,
        20,
        "only wrong passwords and waits: {statuses:?}"
    );
    assert!(
        verified <= throttle::AT_SOURCE.attempts as usize,
        "{verified} verified: {statuses:?}"
    );
    assert_eq!(
        verified,
        throttle::AT_SOURCE.attempts as usize,
        "{statuses:?}"
    );

    // The right password waits too at that source, said plainly…
    let (status, body) = login_from("127.0.0.1", &server, "ana", PASSWORD);
    assert_eq!(status, 429, "{body}");
    assert_eq!(code(&body), ErrorCode::TooManyAttempts);
    assert!(message(&body).contains("espere 15 minutos"), "{body}");
    // …while Ana, at another address, signs in: guessing elsewhere can't lock her out.
    let (status, body) = login_from("127.0.0.2", &server, "ana", PASSWORD);
    assert_eq!(status, 200, "{body}");
    // An unknown username meets the same lock, so the answer tells nothing of who exists.
    for _ in 0..throttle::AT_SOURCE.attempts {
        assert_eq!(login_from("127.0.0.1", &server, "ninguem", "x").0, 401);
    }
    let (status, body) = login_from("127.0.0.1", &server, "ninguem", "x");
    assert_eq!((status, code(&body)), (429, ErrorCode::TooManyAttempts));
    // The window ends by the server's clock.
    server.hand.advance(Days::minutes(15));
    let (status, body) = login_from("127.0.0.1", &server, "ana", PASSWORD);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn two_server_instances_over_one_database_share_the_counts() {
    let first = TestServer::start();
    let second = TestServer::beside(&first);
    for i in 0..throttle::AT_SOURCE.attempts {
        let server = if i % 2 == 0 { &first } else { &second };
        let (status, body) = login_from("127.0.0.1", server, "bia", "errada-errada");
        assert_eq!(status, 401, "{body}");
    }
    for server in [&first, &second] {
        let (status, body) = login_from("127.0.0.1", server, "bia", PASSWORD);
        assert_eq!(status, 429, "{body}");
    }
    // A right password elsewhere gives its attempt back, on either instance.
    for server in [&second, &first, &second] {
        let (status, body) = login_from("127.0.0.2", server, "bia", PASSWORD);
        assert_eq!(status, 200, "{body}");
    }
}

#[test]
fn an_open_endpoint_refuses_a_large_body_with_413_before_reading_it() {
    let server = TestServer::start();
    let big = serde_json::json!({
        "username": "ana", "password": "x".repeat(20 * 1024), "device_name": ""
    })
    .to_string();
    for path in ["/v1/login", "/v1/devices"] {
        let (status, body) = post_from("127.0.0.1", &server, path, &[], big.as_bytes(), None);
        assert_eq!(status, 413, "{path}: {body}");
        assert_eq!(code(&body), ErrorCode::BadRequest);
        assert_eq!(
            message(&body),
            "o pedido é grande demais para este endereço (o limite é 16 KiB)",
            "{path}"
        );
    }
    // Announced as 64 MiB, with 1 KiB sent: answered at once, nothing more awaited.
    let started = Instant::now();
    let (status, body) = post_from(
        "127.0.0.1",
        &server,
        "/v1/login",
        &[],
        &[b' '; 1024],
        Some(64 * 1024 * 1024),
    );
    assert_eq!(status, 413, "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // Small when sent, large once inflated: the limit holds after decompression.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(big.as_bytes()).expect("gzip");
    let small = gz.finish().expect("gzip");
    assert!(small.len() < 1024);
    let (status, body) = post_from(
        "127.0.0.1",
        &server,
        "/v1/login",
        &[("Content-Encoding", "gzip")],
        &small,
        None,
    );
    assert_eq!(status, 413, "{body}");
    // A sign-in of the usual size is not affected.
    assert_eq!(login_from("127.0.0.1", &server, "ana", PASSWORD).0, 200);
}

#[test]
fn registrations_over_the_hourly_rate_of_a_source_wait() {
    let settings = Settings {
        registrations_per_hour: 3,
        ..Settings::default()
    };
    let server = TestServer::start_with(SERVER_START.parse().expect("instant"), settings);
    for _ in 0..3 {
        let (status, body) = register_from("127.0.0.1", &server);
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = register_from("127.0.0.1", &server);
    assert_eq!(status, 429, "{body}");
    assert_eq!(code(&body), ErrorCode::TooManyAttempts);
    assert_eq!(
        message(&body),
        "muitos aparelhos novos registrados a partir desta rede na última hora; tente de novo \
         em 60 minutos"
    );
    // Another network is not affected; the first one's hour ends by the server's clock.
    assert_eq!(register_from("127.0.0.2", &server).0, 200);
    server.hand.advance(Days::minutes(61));
    assert_eq!(register_from("127.0.0.1", &server).0, 200);
}

fn sync_error(result: Result<impl std::fmt::Debug, SyncError>) -> (ErrorCode, String) {
    match result {
        Err(SyncError::Server { code, message }) => (code, message),
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

#[test]
fn a_team_device_idle_past_the_setting_must_sign_in_again_a_citizen_keeps_its_token() {
    let server = TestServer::start();
    let remote = Remote::new(&server.url).expect("remote");
    let caio = remote
        .login("caio", PASSWORD, "celular de campo")
        .expect("caio");
    let ana = remote.login("ana", PASSWORD, "notebook").expect("ana");
    let citizen = remote.register("es-vitoria", None).expect("citizen");
    let sync = |token: &str| remote.sync(Some(token), &SyncRequest::default());
    for token in [&caio.token, &ana.token, &citizen.token] {
        sync(token).expect("a first sync");
    }
    // Ana syncs two days later; then 29 more days pass.
    server.hand.advance(Days::days(2));
    sync(&ana.token).expect("ana");
    server.hand.advance(Days::days(29));

    let (code, message) = sync_error(sync(&caio.token));
    assert_eq!(code, ErrorCode::SignInAgain);
    assert_eq!(
        message,
        "Este aparelho ficou mais de 30 dias sem se conectar. Por segurança, entre de novo com \
         seu usuário e senha."
    );
    // Refused again: a refused contact does not count as seen.
    assert_eq!(sync_error(sync(&caio.token)).0, ErrorCode::SignInAgain);
    sync(&ana.token).expect("29 days idle is within the 30");
    sync(&citizen.token).expect("a citizen device keeps its token");

    // The Coordinator's list says which device must sign in again, and calls it not active.
    let coord = remote
        .login("coord", PASSWORD, "notebook da coordenação")
        .expect("coord");
    let list = remote
        .accounts(&coord.token, "es-vitoria")
        .expect("accounts");
    let flag = |name: &str| {
        list.devices
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.must_sign_in_again)
    };
    assert_eq!(flag("celular de campo"), Some(true), "{list:#?}");
    assert_eq!(flag("notebook"), Some(false), "{list:#?}");
    assert_eq!(flag("notebook da coordenação"), Some(false), "{list:#?}");

    // Caio signs in again and syncs.
    let again = remote
        .login("caio", PASSWORD, "celular de campo")
        .expect("again");
    sync(&again.token).expect("the new sign-in syncs");
}

/// Not a check: the time of one sign-in round trip through the new throttle (Argon2 is
/// optimised even in test builds, see the workspace's Cargo.toml), printed for the record.
#[test]
fn sign_in_latency() {
    let server = TestServer::start();
    let remote = Remote::new(&server.url).expect("remote");
    remote.login("ana", PASSWORD, "x").expect("warm up");
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            remote.login("ana", PASSWORD, "x").expect("login");
            started.elapsed()
        })
        .collect();
    times.sort();
    let hash = esv_server::auth::hash_password(PASSWORD).expect("hash");
    let mut argon2: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            assert!(esv_server::auth::verify_password(PASSWORD, &hash));
            started.elapsed()
        })
        .collect();
    argon2.sort();
    println!(
        "sign-in round trip ({}): median {:?}, min {:?}, max {:?}; Argon2 alone: median {:?}",
        std::env::var("ESV_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into()),
        times[2],
        times[0],
        times[4],
        argon2[2]
    );
}

/// On the device: the refused session is forgotten so the sign-in form asks for the password,
/// and what was typed meanwhile stays and goes with the new session.
#[test]
fn a_device_asked_to_sign_in_again_keeps_its_work_and_sends_it_after() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let at: chrono::DateTime<chrono::Utc> = SERVER_START.parse().expect("instant");
    let mut ana = esv_tests::sync_server::team_store(&dir.path().join("ana.db"));
    esv_replica::sync::login(&ana, &server.url, "ana", PASSWORD, "notebook").expect("login");
    esv_replica::sync::sync(&mut ana, None, at, &mut |_| {}).expect("first sync");
    let hours = esv_shared::hours::spec::parse("seg-sex 07:00-13:00").expect("spec");
    ana.set_weekly_hours("es-vitoria", hours, at).expect("edit");
    server.hand.advance(Days::days(31));
    let e = esv_replica::sync::sync(&mut ana, None, at, &mut |_| {}).expect_err("idle");
    assert!(e.to_string().contains("entre de novo"), "{e}");
    assert!(
        ana.account().expect("account").is_none(),
        "the session is forgotten"
    );
    assert_eq!(ana.outgoing_count().expect("count"), 1, "the edit stays");
    esv_replica::sync::login(&ana, &server.url, "ana", PASSWORD, "notebook").expect("again");
    let report = esv_replica::sync::sync(&mut ana, None, at, &mut |_| {}).expect("sync");
    assert_eq!(report.pushed_docs, 1);
    assert_eq!(ana.outgoing_count().expect("count"), 0);
}
