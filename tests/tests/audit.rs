//! The audit log of reads of a person's data, through a real server on a real port: a team
//! device notes each opening of a record, each search listing a person and each referral slip,
//! and its next sync sends them (then forgets them); the office's Coordinator reads who saw
//! which person, in the order the server received them, a page at a time, and no one else can
//! — a Staff member, a field worker, another office's staff or a citizen device get a plain
//! refusal.

use chrono::{DateTime, Duration, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::sync::{self, Remote, SyncError};
use esv_replica::{ReplicaError, Store};
use esv_shared::audit::{AuditOpening, AuditPush, OpeningKind, PAGE, READ_REFUSED};
use esv_shared::people::ConsentForm;
use esv_shared::sync::{EraseRequest, ErrorCode, Scope};
use esv_tests::sync_server::{TestServer, PASSWORD};

/// A service of the bundled catalog a referral can point to.
const SERVICE: &str = "es-vitoria-documentos";

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn signed_in(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let store = esv_tests::sync_server::team_store(&dir.path().join(format!("{user}.db")));
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

    // A field worker's opening, on their own device, whose clock is a day behind: it reached
    // the server last, so it comes first — the server's time orders the log.
    let mut caio = signed_in(&server, &dir, "caio");
    sync::sync(&mut caio, None, now(), &mut |_| {}).expect("pull");
    caio.person_view(&joana, now() - Duration::days(1) + Duration::minutes(10))
        .expect("open");
    server.hand.advance(Duration::minutes(30));
    let report = sync::sync(&mut caio, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(report.audit_sent, 1);

    let coord = signed_in(&server, &dir, "coord");
    let (log, next) = coord
        .audit_log(None)
        .expect("the coordinator reads the log");
    assert_eq!((log.len(), next), (3, None), "{log:?}");
    assert_eq!(
        log[0].username.as_deref(),
        Some("caio"),
        "last arrived first"
    );
    assert_eq!(log[0].at, now() - Duration::days(1) + Duration::minutes(10));
    assert_eq!(log[0].received_at, Some(now() + Duration::minutes(30)));
    assert_eq!(log[2].received_at, Some(now()));
    assert!(log.iter().all(|e| e.what == OpeningKind::Record));
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
        coord.audit_log_view(None).expect("view")
    };
    assert_eq!(view.entries[0].who, "caio");
    assert_eq!(
        view.entries[0].when_label, "01/12/2026 às 10h30",
        "the server's time, in Vitória's zone"
    );
    assert_eq!(
        view.entries[0].opened_label,
        "no aparelho: 30/11/2026 às 10h10"
    );
    assert_eq!(view.entries[0].what_label, "Abriu o cadastro");

    // Staff, field workers, another office's staff: refused in plain words.
    assert_eq!(refused(ana.audit_log(None)), READ_REFUSED);
    assert_eq!(refused(caio.audit_log(None)), READ_REFUSED);
    let rui = signed_in(&server, &dir, "rui");
    assert_eq!(refused(rui.audit_log(None)), READ_REFUSED);
    let rui_account = rui.account().expect("account").expect("signed in");
    let remote = Remote::new(&server.url).expect("remote");
    let other = remote.audit_log(&rui_account.session.token, "es-vitoria", None);
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
            what: OpeningKind::Record,
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
    let denied = remote.audit_log(&account.session.token, "es-vitoria", None);
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
        .audit_log(&coord_token, "es-vitoria", None)
        .expect("log")
        .entries;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].id, "entrada-1");
    assert_eq!(log[0].username.as_deref(), Some("ana"));
    assert_eq!(log[0].at, now());
}

/// Not only the record: a search listing a person (civil name, birth date, mother's name) and
/// the referral slip are reads too — once per person while a name is typed, not per key.
#[test]
fn a_search_and_a_slip_are_reads_of_a_person_too() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ana = signed_in(&server, &dir, "ana");
    let joana = record(&mut ana, "ana", "Joana Buscada");
    let jose = record(&mut ana, "ana", "Joana Outra");
    for (i, typed) in ["jo", "joa", "joan", "joana"].iter().enumerate() {
        let found = ana
            .find_people(typed, None, now() + Duration::seconds(i as i64))
            .expect("find");
        assert_eq!(found.len(), 2, "{typed}");
    }
    let kinds = |store: &Store| -> Vec<(String, OpeningKind)> {
        let mut v: Vec<_> = store
            .pending_openings()
            .expect("pending")
            .into_iter()
            .map(|o| (o.person_id, o.what))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let mut both = vec![
        (joana.clone(), OpeningKind::Search),
        (jose.clone(), OpeningKind::Search),
    ];
    both.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(kinds(&ana), both, "once each while typing");
    // Later on, the same search is a new read.
    ana.find_people("joana", None, now() + Duration::minutes(11))
        .expect("find");
    assert_eq!(ana.pending_openings().expect("pending").len(), 4);

    // The referral slip carries the name: a read as well.
    let referral = ana
        .record_encounter(
            &EncounterForm {
                office_id: "es-vitoria".into(),
                staff: "ana".into(),
                person_id: Some(joana.clone()),
                consent: Some(ConsentForm::Spoken),
                referrals: vec![esv_replica::field::ReferralForm {
                    service_id: SERVICE.into(),
                    reason: None,
                }],
                ..Default::default()
            },
            now(),
        )
        .expect("referral")
        .referral_ids
        .remove(0);
    ana.referral_slip(&referral, now()).expect("slip");
    // Her copy of her record (LGPD art. 18) is a read that leaves the store too.
    ana.person_copy(&joana, now()).expect("copy");
    sync::sync(&mut ana, None, now(), &mut |_| {}).expect("sync");
    let coord = signed_in(&server, &dir, "coord");
    let (log, _) = coord.audit_log(None).expect("log");
    assert!(
        log.iter()
            .any(|e| e.person_id == joana && e.what == OpeningKind::Slip),
        "{log:?}"
    );
    assert!(
        log.iter()
            .any(|e| e.person_id == joana && e.what == OpeningKind::Copy),
        "{log:?}"
    );
    assert_eq!(
        log.iter().filter(|e| e.what == OpeningKind::Search).count(),
        4
    );
}

/// The log comes a page at a time, last arrived first, each entry once across the pages.
#[test]
fn the_log_comes_a_page_at_a_time() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let remote = Remote::new(&server.url).expect("remote");
    let ana = signed_in(&server, &dir, "ana");
    let token = ana.account().expect("account").expect("in").session.token;
    // Three pushes of 150, a minute apart by the server's clock.
    let total = 2 * PAGE + 50;
    for batch in 0..3 {
        let entries = (0..total / 3)
            .map(|i| AuditOpening {
                id: format!("entrada-{batch}-{i}"),
                person_id: format!("pessoa-{}", i % 7),
                at: now(),
                what: OpeningKind::Search,
            })
            .collect();
        remote
            .audit_push(&token, &AuditPush { entries })
            .expect("push");
        server.hand.advance(Duration::minutes(1));
    }
    let coord = signed_in(&server, &dir, "coord");
    let mut seen = Vec::new();
    let mut before = None;
    let mut pages = 0;
    loop {
        let (page, next) = coord.audit_log(before.as_deref()).expect("page");
        assert!(page.len() <= PAGE);
        seen.extend(page);
        pages += 1;
        match next {
            Some(n) => before = Some(n),
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (3, total));
    let mut ids: Vec<&str> = seen.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "each entry once");
    assert!(
        seen.windows(2)
            .all(|w| w[0].received_at >= w[1].received_at),
        "last arrived first"
    );
    // A page asked for with a cursor that is not one: a plain refusal.
    let bad = remote.audit_log(
        &coord.account().expect("account").expect("in").session.token,
        "es-vitoria",
        Some("não é um cursor"),
    );
    assert!(
        matches!(
            bad,
            Err(SyncError::Server {
                code: ErrorCode::BadRequest,
                ..
            })
        ),
        "{bad:?}"
    );
}
