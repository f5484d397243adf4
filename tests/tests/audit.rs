//! The audit log of openings of a person's record, through a real server on a real port: a
//! team device notes each opening and its next sync sends them (then forgets them); the
//! office's Coordinator reads who opened which record, and no one else can — a Staff member,
//! a field worker, another office's staff or a citizen device get a plain refusal.

use chrono::{DateTime, Duration, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::sync::{self, Remote, SyncError};
use esv_replica::{ReplicaError, Store};
use esv_shared::audit::{AuditOpening, AuditPush, READ_REFUSED};
use esv_shared::people::ConsentForm;
use esv_shared::sync::{EraseRequest, ErrorCode, Scope};
use esv_tests::sync_server::{TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn signed_in(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let (store, _) = Store::open(&dir.path().join(format!("{user}.db"))).expect("open");
    sync::login(&store, &server.url, user, PASSWORD, "teste").expect("login");
    store
}

fn record(store: &mut Store, staff: &str, name: &str) -> String {
    store
        .record_encounter(
            &EncounterForm {
                office_id: "es-vitoria".into(),
                staff: staff.into(),
                person: PersonFields {
                    social_name: Some(name.into()),
                    ..Default::default()
                },
                consent: Some(ConsentForm::Spoken),
                ..Default::default()
            },
            now(),
        )
        .expect("record")
        .person_id
}

fn refused(result: esv_replica::Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(ReplicaError::Sync(SyncError::Server { code, message })) => {
            assert_eq!(code, ErrorCode::Forbidden, "{message}");
            message
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn openings_reach_the_coordinator_and_no_one_else() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ana = signed_in(&server, &dir, "ana");
    let joana = record(&mut ana, "ana", "Joana Auditada");
    ana.person_view(&joana, now()).expect("open");
    ana.person_view(&joana, now() + Duration::minutes(5))
        .expect("open again");
    assert_eq!(ana.pending_openings().expect("pending").len(), 2);
    let report = sync::sync(&mut ana, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(report.audit_sent, 2);
    assert!(
        ana.pending_openings().expect("pending").is_empty(),
        "forgotten once accepted"
    );

    // A field worker's opening, on their own device.
    let mut caio = signed_in(&server, &dir, "caio");
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("pull");
    caio.person_view(&joana, now() + Duration::minutes(10))
        .expect("open");
    let report = sync::sync(&mut caio, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(report.audit_sent, 1);

    let coord = signed_in(&server, &dir, "coord");
    let log = coord.audit_log().expect("the coordinator reads the log");
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[0].username.as_deref(), Some("caio"), "newest first");
    assert_eq!(log[0].at, now() + Duration::minutes(10));
    assert!(log
        .iter()
        .all(|e| e.person_id == joana && e.office == "es-vitoria"));
    assert_eq!(
        log.iter()
            .filter(|e| e.username.as_deref() == Some("ana"))
            .count(),
        2
    );
    let ana_device = ana
        .account()
        .expect("account")
        .expect("signed in")
        .session
        .device;
    assert_eq!(log[2].device, ana_device);
    // An entry holds the person's id, never their name.
    let json = serde_json::to_string(&log).expect("json");
    assert!(!json.contains("Joana"), "{json}");
    let view = {
        let mut coord = coord;
        coord.audit_log_view().expect("view")
    };
    assert_eq!(view[0].who, "caio");
    assert_eq!(view[0].when_label, "01/12/2026 às 10h10", "Vitória's time");

    // Staff, field workers, another office's staff: refused in plain words.
    assert_eq!(refused(ana.audit_log()), READ_REFUSED);
    assert_eq!(refused(caio.audit_log()), READ_REFUSED);
    let rui = signed_in(&server, &dir, "rui");
    assert_eq!(refused(rui.audit_log()), READ_REFUSED);
    let rui_account = rui.account().expect("account").expect("signed in");
    let remote = Remote::new(&server.url).expect("remote");
    let other = remote.audit_log(&rui_account.session.token, "es-vitoria");
    assert!(
        matches!(
            other,
            Err(SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            })
        ),
        "{other:?}"
    );
}

#[test]
fn the_server_keeps_each_entry_once_refuses_strangers_and_keeps_entries_after_erasure() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let remote = Remote::new(&server.url).expect("remote");
    let ana = signed_in(&server, &dir, "ana");
    let token = ana.account().expect("account").expect("in").session.token;
    let push = AuditPush {
        entries: vec![AuditOpening {
            id: "entrada-1".into(),
            person_id: "pessoa-x".into(),
            at: now(),
        }],
    };
    assert_eq!(remote.audit_push(&token, &push).expect("push").accepted, 1);
    // A lost answer and the same push again: kept once.
    assert_eq!(remote.audit_push(&token, &push).expect("again").accepted, 1);

    // No token, a bad token: unauthorized.
    let bad = remote.audit_push("token-falso", &push);
    assert!(
        matches!(
            bad,
            Err(SyncError::Server {
                code: ErrorCode::Unauthorized,
                ..
            })
        ),
        "{bad:?}"
    );
    // A citizen device opens no records: refused.
    let citizen_dir = tempfile::tempdir().expect("tempdir");
    let (citizen, _) = Store::open(&citizen_dir.path().join("c.db")).expect("open");
    let account = sync::register(&citizen, &server.url, "es-vitoria").expect("register");
    let denied = remote.audit_push(&account.session.token, &push);
    assert!(
        matches!(
            denied,
            Err(SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            })
        ),
        "{denied:?}"
    );
    let denied = remote.audit_log(&account.session.token, "es-vitoria");
    assert!(
        matches!(&denied, Err(SyncError::Server { code: ErrorCode::Forbidden, message }) if message == READ_REFUSED),
        "{denied:?}"
    );

    // Erasing the person leaves the entries (they hold only the id).
    let coord = signed_in(&server, &dir, "coord");
    let coord_token = coord.account().expect("account").expect("in").session.token;
    remote
        .erase(
            &coord_token,
            &EraseRequest {
                scope: Scope::Office {
                    office: "es-vitoria".into(),
                },
                subject: "pessoa-x".into(),
            },
        )
        .expect("erase");
    let log = remote
        .audit_log(&coord_token, "es-vitoria")
        .expect("log")
        .entries;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].id, "entrada-1");
    assert_eq!(log[0].username.as_deref(), Some("ana"));
    assert_eq!(log[0].at, now());
}
