//! Sync through a faulty network: every kind of fault at every exchange of a sync and at many
//! byte positions. Each faulty sync either fails with a plain error or succeeds; afterwards,
//! over a clean link, both devices converge and no edit is lost — the acknowledged ones least
//! of all.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::{sync, ReplicaError, Store};
use esv_tests::faulty_link::{Fault, FaultyLink};
use esv_tests::sync_server::{TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

fn reasons(store: &Store) -> Vec<String> {
    store
        .entities(esv_shared::document::DocKind::Office)
        .expect("offices")
        .into_iter()
        .filter_map(|e| match e {
            esv_shared::document::Entity::Office(o) if o.id == "es-vitoria" => {
                Some(o.schedule.exceptions)
            }
            _ => None,
        })
        .flatten()
        .map(|x| x.reason)
        .collect()
}

#[test]
fn whatever_the_network_does_devices_converge_and_nothing_is_lost() {
    let server = TestServer::start();
    let link = FaultyLink::start(&server.url);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ana = esv_tests::sync_server::team_store(&dir.path().join("ana.db"));
    let mut bia = esv_tests::sync_server::team_store(&dir.path().join("bia.db"));
    sync::login(&ana, &server.url, "ana", PASSWORD, "ana").expect("login");
    sync::login(&bia, &server.url, "bia", PASSWORD, "bia").expect("login");
    sync::sync(&mut ana, None, now(), &mut |_| {}).expect("first sync");
    sync::sync(&mut bia, None, now(), &mut |_| {}).expect("first sync");

    let mut faults = vec![
        Fault::DropRequest,
        Fault::DropResponse,
        Fault::Duplicate,
        Fault::Late,
        Fault::Delay(200),
    ];
    for at in [
        0,
        5,
        40,
        120,
        250,
        400,
        700,
        1_000,
        2_000,
        5_000,
        usize::MAX,
    ] {
        faults.extend([
            Fault::CutRequest(at),
            Fault::CutResponse(at),
            Fault::CorruptRequest(at),
            Fault::CorruptResponse(at),
        ]);
    }
    let mut made = Vec::new();
    let (mut ok, mut failed) = (0, 0);
    for (i, fault) in faults.iter().enumerate() {
        for k in 0..2 {
            // Both devices edit offline: different days, so both edits must survive.
            let n = made.len();
            let day = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date") + Duration::days(n as i64);
            let (who, other) = if n % 2 == 0 {
                (&mut ana, &mut bia)
            } else {
                (&mut bia, &mut ana)
            };
            let reason = format!("falha {i}-{k}");
            who.set_exception("es-vitoria", day, Vec::new(), &reason, now())
                .expect("edit");
            made.push(reason);
            other
                .set_exception(
                    "es-vitoria",
                    day + Duration::days(400),
                    Vec::new(),
                    &format!("outro {i}-{k}"),
                    now(),
                )
                .expect("edit");
            made.push(format!("outro {i}-{k}"));
            link.plan(k, *fault);
            match sync::sync(who, Some(&link.url), now(), &mut |_| {}) {
                Ok(_) => ok += 1,
                Err(e) => {
                    failed += 1;
                    assert!(
                        matches!(e, ReplicaError::Sync(_) | ReplicaError::BadInput(_)),
                        "{fault:?}: {e:?}"
                    );
                    let text = e.to_string();
                    assert!(
                        !text.is_empty() && !text.contains("panicked"),
                        "{fault:?}: {text}"
                    );
                    assert!(
                        who.outgoing_count().expect("count") >= 1,
                        "{fault:?}: the edit still waits"
                    );
                }
            }
            // The other device syncs over a clean link meanwhile.
            sync::sync(other, None, now(), &mut |_| {}).expect("clean sync");
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(400)); // late deliveries land
    for _ in 0..2 {
        sync::sync(&mut ana, None, now(), &mut |_| {}).expect("final");
        sync::sync(&mut bia, None, now(), &mut |_| {}).expect("final");
    }
    println!(
        "faults: {} exchanges planned, {ok} syncs succeeded, {failed} failed cleanly",
        faults.len() * 2
    );
    assert_eq!(
        ana.heads("office:es-vitoria").expect("h"),
        bia.heads("office:es-vitoria").expect("h")
    );
    assert_eq!(
        ana.service_detail("es-vitoria", now()).expect("a"),
        bia.service_detail("es-vitoria", now()).expect("b")
    );
    let (seen_a, seen_b) = (reasons(&ana), reasons(&bia));
    for reason in &made {
        assert!(
            seen_a.contains(reason) && seen_b.contains(reason),
            "{reason} was lost"
        );
    }
    assert!(
        ok > 0 && failed > 0,
        "faults both hurt and were survived ({ok} ok, {failed} failed)"
    );
}
