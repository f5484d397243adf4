//! The server killed with SIGKILL while devices push keeps every change it acknowledged: the
//! real `esv-server` binary, a real SQLite file, real replicas; killed at varying moments,
//! restarted on the same file, then a fresh device must see every acknowledged edit.

mod support;

use support::{now, office_and_staff, reasons_in, serve, PASSWORD};

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use esv_replica::sync;
use esv_replica::Store;

#[test]
fn every_acknowledged_change_survives_a_killed_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    office_and_staff(&db);
    let (mut server, url) = serve(&db);
    // A staff account signs into a store protected by PIN only (the cheapest Argon2 cost:
    // this test is about the server).
    let staff = dir.path().join("staff.db");
    let pin = esv_replica::Pin::new("482915").expect("pin");
    let cheap = esv_replica::vault::KdfParams {
        memory_kib: 8,
        passes: 1,
        lanes: 1,
    };
    Store::encrypt_with_cost(&staff, &pin, cheap, None).expect("protect");
    let (mut store, _) = Store::open_with_pin(&staff, &pin, now()).expect("store");
    sync::login(&store, &url, "ana", PASSWORD, "teste").expect("login");

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    for round in 0..4u32 {
        // Push edits, one sync each, while the server is killed a varying time after the round's
        // first acknowledged sync (a busy machine may take longer than any fixed delay to answer
        // the first one; the kill must still land mid-stream, after something was acknowledged).
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(AtomicU32::new(0));
        let killer = {
            let stop = Arc::clone(&stop);
            let acks = Arc::clone(&acks);
            let delay = Duration::from_millis(40 + 170 * u64::from(round));
            let pid = server.id();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                while acks.load(Ordering::SeqCst) == 0
                    && started.elapsed() < Duration::from_secs(60)
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                std::thread::sleep(delay);
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
                stop.store(true, Ordering::SeqCst);
            })
        };
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) || n < 3 {
            n += 1;
            let day = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
                + chrono::Duration::days(i64::from(round * 100 + n));
            let reason = format!("fechamento {round}-{n}");
            store
                .set_exception("es-vitoria", day, Vec::new(), &reason, now())
                .expect("edit");
            let pending = reasons_in(&store);
            if sync::sync(&mut store, None, now(), &mut |_| {}).is_ok() {
                // Everything this device held when the sync answered is on the server.
                let mut acked = acknowledged.lock().expect("lock");
                *acked = pending;
                acks.fetch_add(1, Ordering::SeqCst);
            }
            if n > 4000 {
                break;
            }
        }
        killer.join().expect("killer");
        let _ = server.wait();
        // Restart on the same file; the same device carries on and sends what it still holds.
        let (restarted, new_url) = serve(&db);
        server = restarted;
        let mut account = store.account().expect("account").expect("signed in");
        account.server = new_url;
        store.set_account(&account).expect("account");
        let fresh_dir = tempfile::tempdir().expect("tempdir");
        let (mut fresh, _) = Store::open(&fresh_dir.path().join("c.db")).expect("store");
        sync::sync(&mut fresh, Some(&account.server), now(), &mut |_| {}).expect("fresh pull");
        let seen = reasons_in(&fresh);
        let acked = acknowledged.lock().expect("lock").clone();
        assert!(
            !acked.is_empty(),
            "round {round}: some syncs were acknowledged"
        );
        for reason in &acked {
            assert!(
                seen.contains(reason),
                "round {round}: {reason} was acknowledged and lost"
            );
        }
    }
    // Finally everything the device holds reaches the server.
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("final sync");
    assert_eq!(store.outgoing_count().expect("count"), 0);
    let _ = server.kill();
}
