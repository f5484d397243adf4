//! The `esv` process killed at any moment of a sync and run again loses nothing and stores
//! nothing twice: a real server (in this process, on a real port), the real binary killed
//! with SIGKILL after varying delays, then a final sync; the server then holds exactly the
//! document's changes, once each.

use std::process::Command;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::{sync, Store};
use esv_server::{admin, Db};
use esv_shared::sync::Role;

const ESV: &str = env!("CARGO_BIN_EXE_esv");
const PASSWORD: &str = "senha-de-teste-123";
const PIN: &str = "482915";

fn pin() -> esv_replica::Pin {
    esv_replica::Pin::new(PIN).expect("pin")
}

fn open(path: &std::path::Path) -> Store {
    Store::open_with_pin(path, &pin(), now()).expect("store").0
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

#[test]
fn a_sync_killed_anywhere_loses_nothing_and_stores_nothing_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server_db = dir.path().join("server.db");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = {
        let path = server_db.display().to_string();
        let (db, listener) = runtime.block_on(async {
            let db = Db::open(&path).await.expect("db");
            admin::add_office(&db, "es-vitoria", "ES")
                .await
                .expect("office");
            admin::add_user(&db, "ana", "es-vitoria", Role::Staff, PASSWORD)
                .await
                .expect("user");
            (
                db,
                tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind"),
            )
        });
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        runtime.spawn(esv_server::serve(
            listener,
            db,
            esv_server::Clock::fixed("2026-12-01T13:00:00Z".parse().expect("instant")),
            std::future::pending(),
        ));
        url
    };
    let store_path = dir.path().join("staff.db");
    // A staff account only signs into a store protected by PIN.
    Store::encrypt_with_pin(&store_path, &pin()).expect("protect");
    let started = std::time::Instant::now();
    {
        let store = open(&store_path);
        sync::login(&store, &url, "ana", PASSWORD, "teste").expect("login");
    }
    // The child spends about this long deriving the key before it syncs: the kills below
    // fall after it, in the sync itself.
    let unlock = started.elapsed();
    let mut expected = Vec::new();
    for round in 0..12u64 {
        {
            let mut store = open(&store_path);
            for i in 0..15 {
                let day = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
                    + chrono::Duration::days((round * 15 + i) as i64);
                let reason = format!("fechamento {round}-{i}");
                store
                    .set_exception("es-vitoria", day, Vec::new(), &reason, now())
                    .expect("edit");
                expected.push(reason);
            }
        }
        let mut child = Command::new(ESV)
            .args(["--store"])
            .arg(&store_path)
            .args(["sync"])
            .env("ESV_PIN", PIN)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("esv sync");
        std::thread::sleep(unlock + Duration::from_millis(5 + round * 9));
        let _ = child.kill();
        let _ = child.wait();
    }
    let (mut store, notice) =
        Store::open_with_pin(&store_path, &pin(), now()).expect("store after kills");
    assert!(notice.is_none(), "the store was never damaged");
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("final sync");
    assert_eq!(store.outgoing_count().expect("count"), 0);
    let again = sync::sync(&mut store, None, now(), &mut |_| {}).expect("again");
    assert_eq!(
        (again.pushed_docs, again.accepted),
        (0, 0),
        "nothing left to send"
    );

    // The server holds each change of the document exactly once, and nothing is missing.
    let doc = store
        .document("office:es-vitoria")
        .expect("doc")
        .expect("some");
    let local = doc.get_changes(&[]).len();
    let conn = rusqlite::Connection::open(&server_db).expect("server db");
    let (stored, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT hash) FROM changes WHERE doc_id = 'office:es-vitoria'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("count");
    assert_eq!(stored, distinct);
    assert_eq!(stored as usize, local, "every change of the document, once");
    let office = store.service_detail("es-vitoria", now()).expect("detail");
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let (mut fresh, _) = Store::open(&fresh_dir.path().join("c.db")).expect("fresh");
    sync::sync(&mut fresh, Some(&url), now(), &mut |_| {}).expect("fresh pull");
    assert_eq!(
        fresh.service_detail("es-vitoria", now()).expect("detail"),
        office
    );
    let entity = fresh
        .entities(esv_shared::document::DocKind::Office)
        .expect("offices");
    let json = format!("{entity:?}");
    for reason in &expected {
        assert!(
            json.contains(reason.as_str()),
            "{reason} reached the server"
        );
    }
}
