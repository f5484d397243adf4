//! Convergence, as a property: 2–5 staff replicas make random catalog edits offline and sync
//! in a random order through a real server; after everyone syncs twice more, every replica
//! holds the same documents, nothing waits to be sent, and a closure no one else touched is on
//! every replica.
//!
//! CI runs 1,000 cases (two tests of 500, one per core); `ESV_SOAK_CASES=10000 cargo nextest
//! run -p esv-tests --test sync_convergence --release` is the soak.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::sync::{self, Account};
use esv_replica::Store;
use esv_server::db::{Db, DeviceRow};
use esv_shared::sync::{Role, Session};
use proptest::prelude::*;

const SPECS: &[&str] = &[
    "seg-sex 08:00-17:00",
    "seg-sex 09:00-15:00",
    "seg-qui 08:00-12:00 13:00-17:00; sex 08:00-12:00",
    "ter-sab 10:00-19:00",
    "seg-sex 22:00-06:00+1",
];
const REASONS: &[&str] = &[
    "Recesso",
    "Dedetização",
    "Mutirão externo",
    "Falta de energia",
];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

#[derive(Debug, Clone)]
enum Op {
    Hours {
        replica: usize,
        spec: usize,
    },
    Close {
        replica: usize,
        day: i64,
        reason: usize,
    },
    Reopen {
        replica: usize,
        day: i64,
    },
    Sync {
        replica: usize,
    },
}

fn op(replicas: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..replicas, 0..SPECS.len()).prop_map(|(replica, spec)| Op::Hours { replica, spec }),
        (0..replicas, 1..6i64, 0..REASONS.len()).prop_map(|(replica, day, reason)| Op::Close {
            replica,
            day,
            reason
        }),
        (0..replicas, 1..6i64).prop_map(|(replica, day)| Op::Reopen { replica, day }),
        (0..replicas).prop_map(|replica| Op::Sync { replica }),
        (0..replicas).prop_map(|replica| Op::Sync { replica }),
    ]
}

fn case() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (2..=5usize).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 1..16)))
}

/// A staff device's store (protected by PIN, as a team account needs) with the bundled
/// catalog already loaded, copied with its key file for each replica.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("template.db");
        drop(esv_tests::sync_server::team_store(&path));
        (dir, path)
    });
    path
}

fn key_of(path: &Path) -> PathBuf {
    esv_replica::vault::key_path(path)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// A server with a fresh database, and `n` staff devices registered straight in it (signing
/// in is tested elsewhere; Argon2 a thousand times would only slow this down).
fn setup(dir: &Path, n: usize) -> (tokio::sync::oneshot::Sender<()>, Vec<Store>) {
    let db_path = dir.join("server.db").display().to_string();
    let (db, listener) = runtime().block_on(async {
        let db = Db::open(&db_path).await.expect("db");
        db.add_office("es-vitoria", "ES Vitória")
            .await
            .expect("office");
        for i in 0..n {
            let device = DeviceRow {
                id: format!("dev-{i}"),
                office: "es-vitoria".into(),
                role: Role::Staff,
                username: None,
                name: format!("replica {i}"),
                created_at: "2026-11-24T00:00:00Z".into(),
                last_seen: None,
                revoked_at: None,
                retire_at: None,
            };
            let token = format!("token-{i}");
            db.add_device(&device, &esv_server::auth::token_hash(&token))
                .await
                .expect("device");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        (db, listener)
    });
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    runtime().spawn(async move {
        let _ = esv_server::serve(listener, db, esv_server::Clock::fixed(now()), async {
            let _ = stopped.await;
        })
        .await;
    });
    let stores = (0..n)
        .map(|i| {
            let path = dir.join(format!("replica-{i}.db"));
            std::fs::copy(template(), &path).expect("copy template");
            std::fs::copy(key_of(template()), key_of(&path)).expect("copy its key file");
            let store = esv_tests::sync_server::team_store(&path);
            store
                .set_account(&Account {
                    server: url.clone(),
                    session: Session {
                        device: format!("dev-{i}"),
                        token: format!("token-{i}"),
                        role: Role::Staff,
                        office: "es-vitoria".into(),
                        username: None,
                    },
                })
                .expect("account");
            store
        })
        .collect();
    (stop, stores)
}

fn day(d: i64) -> NaiveDate {
    now().date_naive() + Duration::days(d)
}

fn run_case(n: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let (stop, mut stores) = setup(dir.path(), n);
    // Every edit of a day's closure, on any replica: a day edited once, by a closure, must
    // end closed with that reason everywhere — closures are merged by date, so a concurrent
    // edit of another day or of the weekly hours can't lose it.
    let mut edits_of_day: std::collections::BTreeMap<i64, Vec<Option<&str>>> = Default::default();
    for op in ops {
        match *op {
            Op::Hours { replica, spec } => {
                let intervals = esv_shared::hours::spec::parse(SPECS[spec]).expect("spec");
                stores[replica]
                    .set_weekly_hours("es-vitoria", intervals, now())
                    .expect("hours");
            }
            Op::Close {
                replica,
                day: d,
                reason,
            } => {
                stores[replica]
                    .set_exception("es-vitoria", day(d), Vec::new(), REASONS[reason], now())
                    .expect("close");
                edits_of_day
                    .entry(d)
                    .or_default()
                    .push(Some(REASONS[reason]));
            }
            Op::Reopen { replica, day: d } => {
                // Reopening a day that isn't closed here is refused, and changes nothing.
                if stores[replica]
                    .remove_exception("es-vitoria", day(d), now())
                    .is_ok()
                {
                    edits_of_day.entry(d).or_default().push(None);
                }
            }
            Op::Sync { replica } => {
                sync::sync(&mut stores[replica], None, now(), &mut |_| {}).expect("sync");
            }
        }
    }
    for _ in 0..2 {
        for store in &mut stores {
            sync::sync(store, None, now(), &mut |_| {}).expect("final sync");
        }
    }
    let heads = stores[0].heads("office:es-vitoria").expect("heads");
    let detail = stores[0]
        .service_detail("es-vitoria", now())
        .expect("detail");
    for (i, store) in stores.iter_mut().enumerate().skip(1) {
        prop_assert_eq!(
            &store.heads("office:es-vitoria").expect("heads"),
            &heads,
            "replica {} heads",
            i
        );
        prop_assert_eq!(
            &store.service_detail("es-vitoria", now()).expect("detail"),
            &detail,
            "replica {}",
            i
        );
    }
    for (d, edits) in &edits_of_day {
        if let [Some(reason)] = edits.as_slice() {
            let date = day(*d);
            let kept = detail.next_closures.iter().any(|c| c.reason == *reason)
                || stores[0]
                    .entities(esv_shared::document::DocKind::Office)
                    .expect("entities")
                    .iter()
                    .any(|e| matches!(e, esv_shared::document::Entity::Office(o)
                        if o.schedule.exceptions.iter().any(|x| x.date == date && x.reason == *reason)));
            prop_assert!(kept, "the closure of {} ({}) was lost", date, reason);
        }
    }
    for store in stores {
        prop_assert_eq!(
            store.outgoing_count().expect("count"),
            0,
            "everything was sent"
        );
    }
    let _ = stop.send(());
    Ok(())
}

fn cases() -> u32 {
    std::env::var("ESV_SOAK_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

// The cases are run as two tests of half each, so the test runner gives them a core each: the
// property is the same, and so is the number of cases.
proptest! {
    #![proptest_config(ProptestConfig { cases: cases().div_ceil(2), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_whatever_the_order_of_edits_and_syncs((n, ops) in case()) {
        run_case(n, &ops)?;
    }

    #[test]
    fn replicas_converge_whatever_the_order_of_edits_and_syncs_second_half((n, ops) in case()) {
        run_case(n, &ops)?;
    }
}
