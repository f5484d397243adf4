//! Sync through a real server on a real port, with real stores: staff edits reach citizens,
//! concurrent edits converge, scopes hold, bad input changes nothing.

use chrono::{DateTime, Utc};
use esv_replica::sync::{self, SyncError, SyncReport};
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::OpenKind;
use esv_shared::sync::{DocChanges, ErrorCode, Scope, SyncRequest};
use esv_tests::sync_server::{TestServer, PASSWORD};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("date")
        .with_timezone(&Utc)
}

/// Tuesday morning in Vitória.
fn now() -> DateTime<Utc> {
    at("2026-11-24T10:00:00-03:00")
}

struct Replica {
    store: Store,
    _dir: tempfile::TempDir,
}

impl Replica {
    fn new() -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
        Replica { store, _dir: dir }
    }

    /// A team device: its store protected by PIN, as a team account needs.
    fn team() -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = esv_tests::sync_server::team_store(&dir.path().join("store.db"));
        Replica { store, _dir: dir }
    }

    fn staff(server: &TestServer, user: &str) -> Replica {
        let r = Replica::team();
        sync::login(&r.store, &server.url, user, PASSWORD, "teste").expect("login");
        r
    }

    fn citizen(server: &TestServer) -> Replica {
        let r = Replica::new();
        sync::register(&r.store, &server.url, "es-vitoria").expect("register");
        r
    }

    fn sync(&mut self) -> SyncReport {
        sync::sync(&mut self.store, None, now(), &mut |_| {}).expect("sync")
    }

    fn try_sync(&mut self) -> Result<SyncReport, ReplicaError> {
        sync::sync(&mut self.store, None, now(), &mut |_| {})
    }

    fn open(&mut self, id: &str, when: &str) -> (OpenKind, String) {
        let d = self.store.service_detail(id, at(when)).expect("detail");
        (d.open.kind, d.open.text)
    }
}

fn server_code(e: &ReplicaError) -> Option<ErrorCode> {
    match e {
        ReplicaError::Sync(SyncError::Server { code, .. }) => Some(*code),
        _ => None,
    }
}

#[test]
fn a_closure_set_by_staff_reaches_a_citizen_after_sync() {
    let server = TestServer::start();
    let mut staff = Replica::staff(&server, "ana");
    let mut citizen = Replica::citizen(&server);
    citizen.sync();
    let wednesday = "2026-11-25T10:00:00-03:00";
    assert_eq!(citizen.open("es-vitoria", wednesday).0, OpenKind::Open);

    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
    assert!(staff
        .store
        .set_exception("es-vitoria", date, Vec::new(), "Dedetização", now())
        .expect("closure"));
    assert_eq!(
        staff.store.outgoing_count().expect("count"),
        1,
        "waits to be sent"
    );
    let sent = staff.sync();
    assert!(sent.accepted >= 1, "{sent:?}");
    assert_eq!(staff.store.outgoing_count().expect("count"), 0);

    assert_eq!(
        citizen.open("es-vitoria", wednesday).0,
        OpenKind::Open,
        "not before sync"
    );
    let got = citizen.sync();
    assert_eq!(got.changed_docs, 1, "{got:?}");
    let (kind, text) = citizen.open("es-vitoria", wednesday);
    assert_eq!(kind, OpenKind::Closed);
    assert!(text.to_lowercase().contains("dedetização"), "{text}");

    // New weekly hours too: closed at 16h on Thursday now.
    let hours = esv_shared::hours::spec::parse("seg-sex 09:00-15:00").expect("spec");
    staff
        .store
        .set_weekly_hours("es-vitoria", hours, now())
        .expect("hours");
    staff.sync();
    citizen.sync();
    assert_eq!(
        citizen.open("es-vitoria", "2026-11-26T16:00:00-03:00").0,
        OpenKind::Closed
    );
    assert_eq!(
        citizen.open("es-vitoria", "2026-11-26T14:00:00-03:00").0,
        OpenKind::Open
    );
    assert!(citizen.store.last_sync().expect("last").is_some());
}

#[test]
fn concurrent_edits_on_two_staff_devices_converge() {
    let server = TestServer::start();
    let mut ana = Replica::staff(&server, "ana");
    let mut bia = Replica::staff(&server, "bia");
    ana.sync();
    bia.sync();
    let spec = esv_shared::hours::spec::parse;
    // Offline, both change the same field, and each a different one.
    ana.store
        .set_weekly_hours(
            "es-vitoria",
            spec("seg-sex 08:00-14:00").expect("spec"),
            now(),
        )
        .expect("edit");
    bia.store
        .set_weekly_hours(
            "es-vitoria",
            spec("seg-sex 10:00-18:00").expect("spec"),
            now(),
        )
        .expect("edit");
    let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 24).expect("date");
    bia.store
        .set_exception("es-vitoria", d, Vec::new(), "Véspera de Natal", now())
        .expect("edit");
    ana.sync();
    bia.sync();
    ana.sync();
    assert_eq!(
        ana.store.heads("office:es-vitoria").expect("heads"),
        bia.store.heads("office:es-vitoria").expect("heads")
    );
    let a = ana.store.service_detail("es-vitoria", now()).expect("a");
    let b = bia.store.service_detail("es-vitoria", now()).expect("b");
    assert_eq!(a, b, "both devices show the same office");
    assert!(
        a.next_closures.iter().any(|c| c.reason.contains("Natal")),
        "bia's closure kept"
    );
    let conflicts = ana.store.conflicts("office:es-vitoria").expect("conflicts");
    assert!(
        !conflicts.is_empty(),
        "the same field edited on both devices shows as a conflict"
    );
}

#[test]
fn scopes_hold_on_the_server() {
    let server = TestServer::start();
    // A citizen device can't change the catalog: its edit stays on the device, the rest syncs.
    let mut citizen = Replica::citizen(&server);
    citizen.sync();
    let spec = esv_shared::hours::spec::parse("seg 08:00-09:00").expect("spec");
    citizen
        .store
        .set_weekly_hours("es-vitoria", spec.clone(), now())
        .expect("local edit");
    assert_eq!(citizen.sync().unsendable_docs, 1);
    // Staff of another office and a field worker can't either — and if a client sends such a
    // push anyway, the server refuses it.
    for user in ["rui", "caio"] {
        let mut r = Replica::staff(&server, user);
        r.sync();
        r.store
            .set_weekly_hours("es-vitoria", spec.clone(), now())
            .expect("local edit");
        assert_eq!(r.sync().unsendable_docs, 1, "{user}");
        let out = r.store.outgoing().expect("outgoing");
        let token = r.store.account().expect("acc").expect("some").session.token;
        let push = SyncRequest {
            push: vec![out[0].changes.clone()],
            ..Default::default()
        };
        let e = sync::Remote::new(&server.url)
            .expect("remote")
            .sync(Some(&token), &push)
            .expect_err("refused");
        assert!(
            matches!(
                e,
                SyncError::Server {
                    code: ErrorCode::Forbidden,
                    ..
                }
            ),
            "{user}: {e}"
        );
        assert!(e.to_string().contains("sem permissão"), "{e}");
    }
    // Nothing of theirs reached anyone.
    let mut other = Replica::citizen(&server);
    other.sync();
    assert_eq!(
        other.open("es-vitoria", "2026-11-24T10:00:00-03:00").0,
        OpenKind::Open
    );
    // An unregistered device still reads the public catalog.
    let mut anonymous = Replica::new();
    sync::sync(&mut anonymous.store, Some(&server.url), now(), &mut |_| {})
        .expect("anonymous pull");
}

#[test]
fn a_revoked_device_is_refused_and_wipes_itself() {
    let server = TestServer::start();
    let mut ana = Replica::staff(&server, "ana");
    ana.sync();
    let device = ana
        .store
        .account()
        .expect("acc")
        .expect("some")
        .session
        .device;
    let db = server.db();
    server
        .runtime
        .block_on(esv_server::admin::revoke_device(
            &db,
            &device,
            &server.clock,
        ))
        .expect("revoke");
    // A team device's store is encrypted: the revocation wipes it.
    let e = ana.try_sync().expect_err("revoked");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");
    assert!(e.to_string().contains("desconectado"), "{e}");
    // A new store on the same machine: a wrong password is said plainly.
    let fresh = Replica::team();
    let e =
        sync::login(&fresh.store, &server.url, "ana", "senha errada!!", "x").expect_err("wrong");
    assert_eq!(server_code(&e), Some(ErrorCode::WrongPassword));
    assert_eq!(e.to_string(), "usuário ou senha incorretos");
}

#[test]
fn a_new_device_starts_from_a_snapshot_and_pushing_twice_stores_once() {
    let server = TestServer::start();
    let mut ana = Replica::staff(&server, "ana");
    ana.sync();
    for day in 1..=5 {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, day).expect("date");
        ana.store
            .set_exception("es-vitoria", d, Vec::new(), "Mutirão externo", now())
            .expect("edit");
    }
    ana.sync();
    let mut late = Replica::citizen(&server);
    let report = late.sync();
    assert!(report.snapshot_docs >= 1, "{report:?}");
    assert_eq!(
        late.store.heads("office:es-vitoria").expect("h"),
        ana.store.heads("office:es-vitoria").expect("h")
    );

    // The same changes pushed again are recognised by hash.
    let account = ana.store.account().expect("acc").expect("some");
    let remote = sync::Remote::new(&server.url).expect("remote");
    let doc = ana
        .store
        .document("office:es-vitoria")
        .expect("doc")
        .expect("some");
    let changes: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .into_iter()
        .map(|mut c| c.bytes().into_owned())
        .collect();
    let push = SyncRequest {
        push: vec![DocChanges {
            doc_id: "office:es-vitoria".into(),
            scope: Scope::Catalog {
                office: "es-vitoria".into(),
            },
            changes: changes.clone(),
        }],
        ..Default::default()
    };
    let first = remote
        .sync(Some(&account.session.token), &push)
        .expect("push");
    let again = remote
        .sync(Some(&account.session.token), &push)
        .expect("push");
    assert_eq!(first.accepted, 0, "everything was already there");
    assert_eq!(again.duplicates as usize, changes.len());
}

#[test]
fn bad_bodies_get_plain_errors_and_store_nothing() {
    let server = TestServer::start();
    let mut ana = Replica::staff(&server, "ana");
    ana.sync();
    let token = ana
        .store
        .account()
        .expect("acc")
        .expect("some")
        .session
        .token;
    let url = format!("{}/v1/sync", server.url);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |body: Vec<u8>, gzip: bool, protocol: &str| {
        let mut req = agent
            .post(&url)
            .header("authorization", &format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("x-esv-protocol", protocol);
        if gzip {
            req = req.header("content-encoding", "gzip");
        }
        let mut resp = req.send(&body[..]).expect("send");
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().unwrap_or_default();
        (status, text)
    };
    let head = |server: &TestServer| {
        let db = server.db();
        server
            .runtime
            .block_on(db.stream_head("catalog"))
            .expect("head")
    };
    let before = head(&server);

    // A change that is not automerge.
    let request = SyncRequest {
        push: vec![DocChanges {
            doc_id: "office:es-vitoria".into(),
            scope: Scope::Catalog {
                office: "es-vitoria".into(),
            },
            changes: vec![b"not a change".to_vec()],
        }],
        ..Default::default()
    };
    let (status, text) = post(serde_json::to_vec(&request).expect("json"), false, "1");
    assert_eq!(status, 400, "{text}");
    assert!(
        text.contains("não é uma alteração automerge válida"),
        "{text}"
    );
    // Broken JSON, a cut gzip stream, an old client.
    let (status, text) = post(b"{\"push\": [".to_vec(), false, "1");
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("JSON"), "{text}");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(
        &mut gz,
        &serde_json::to_vec(&SyncRequest::default()).expect("json"),
    )
    .expect("gz");
    let mut cut = gz.finish().expect("gz");
    cut.truncate(cut.len() / 2);
    let (status, text) = post(cut, true, "1");
    assert_eq!(status, 400, "{text}");
    let (status, text) = post(b"{}".to_vec(), false, "0");
    assert_eq!(status, 426, "{text}");
    assert!(text.contains("Atualize o aplicativo"), "{text}");
    // A fresh connection: the server may close the one above after its early 426 (its body
    // unread), and a pooled connection reused in that instant reads "peer disconnected".
    let fresh: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut old = fresh
        .get(&format!("{}/sync", server.url))
        .call()
        .expect("old path");
    assert_eq!(old.status().as_u16(), 426);
    assert!(old
        .body_mut()
        .read_to_string()
        .unwrap_or_default()
        .contains("Atualize"));

    assert_eq!(head(&server), before, "nothing was stored");
    // The device still syncs normally afterwards.
    ana.sync();
}

#[test]
fn a_device_whose_clock_is_a_week_off_still_syncs() {
    let server = TestServer::start();
    let mut ana = Replica::staff(&server, "ana");
    let mut citizen = Replica::citizen(&server);
    let skewed = now() + chrono::Duration::days(7);
    sync::sync(&mut ana.store, None, skewed, &mut |_| {}).expect("sync from the future");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).expect("date");
    ana.store
        .set_exception("es-vitoria", date, Vec::new(), "Inventário", skewed)
        .expect("edit");
    sync::sync(&mut ana.store, None, skewed, &mut |_| {}).expect("push");
    // A device a week behind receives it.
    let behind = now() - chrono::Duration::days(7);
    sync::sync(&mut citizen.store, None, behind, &mut |_| {}).expect("sync from the past");
    let d = citizen
        .store
        .service_detail("es-vitoria", at("2026-12-01T10:00:00-03:00"))
        .expect("detail");
    assert!(
        d.next_closures
            .iter()
            .any(|c| c.reason.contains("Inventário")),
        "{:?}",
        d.next_closures
    );
}

#[test]
fn a_store_from_the_previous_schema_syncs_after_migration() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    // The schema before sync existed (migrations 1–2), with the catalog in it.
    {
        let (store, _) = Store::open(&path).expect("open");
        drop(store);
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(
            "DROP TABLE sync_docs; DROP TABLE sync_cursors; DROP TABLE opportunities;
             DROP TABLE favourites; DROP TABLE recent; DROP TABLE requests; DROP TABLE people;
             DROP TABLE outreaches; DROP TABLE encounters; DROP TABLE referrals; DROP TABLE drafts;
             DROP TABLE search_rows; DROP INDEX services_by_doc; DROP INDEX providers_by_doc;
             DROP INDEX articles_by_doc; DROP TABLE audit_pending; DROP TABLE quarantine;
             PRAGMA user_version = 2;",
        )
        .expect("downgrade");
    }
    let (mut store, notice) = Store::open(&path).expect("migrated");
    assert!(notice.is_none());
    assert_eq!(
        store.schema_version().expect("version"),
        esv_replica::migrations::latest()
    );
    assert!(
        store.home(now()).expect("home").services.len() > 10,
        "the catalog is still there"
    );
    // A team account needs the store protected by PIN first.
    drop(store);
    let mut store = esv_tests::sync_server::team_store(&path);
    sync::login(&store, &server.url, "ana", PASSWORD, "antigo").expect("login");
    let hours = esv_shared::hours::spec::parse("seg-sex 07:00-13:00").expect("spec");
    store
        .set_weekly_hours("es-vitoria", hours, now())
        .expect("edit");
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("sync");
    let mut citizen = Replica::citizen(&server);
    citizen.sync();
    assert_eq!(
        citizen.open("es-vitoria", "2026-11-24T14:00:00-03:00").0,
        OpenKind::Closed
    );
}

#[test]
fn random_bytes_foreign_automerge_bytes_and_a_gzip_bomb_are_refused() {
    let server = TestServer::start();
    let ana = Replica::staff(&server, "ana");
    let token = ana
        .store
        .account()
        .expect("acc")
        .expect("some")
        .session
        .token;
    let remote = sync::Remote::new(&server.url).expect("remote");
    // A saved document is valid automerge, but not a change.
    let saved = ana
        .store
        .document("office:es-vitoria")
        .expect("doc")
        .expect("some")
        .save();
    for bytes in [saved, (0..=255u8).cycle().take(4096).collect::<Vec<u8>>()] {
        let push = SyncRequest {
            push: vec![DocChanges {
                doc_id: "office:es-vitoria".into(),
                scope: Scope::Catalog {
                    office: "es-vitoria".into(),
                },
                changes: vec![bytes],
            }],
            ..Default::default()
        };
        let e = remote.sync(Some(&token), &push).expect_err("refused");
        assert!(
            matches!(
                e,
                SyncError::Server {
                    code: ErrorCode::BadRequest,
                    ..
                }
            ),
            "{e}"
        );
    }
    // 100 MB of zeros, gzipped to a few hundred KB: refused after 64 MiB, not stored, no crash.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..100 {
        std::io::Write::write_all(&mut gz, &zeros).expect("gz");
    }
    let bomb = gz.finish().expect("gz");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(&format!("{}/v1/sync", server.url))
        .header("authorization", &format!("Bearer {token}"))
        .header("content-encoding", "gzip")
        .header("x-esv-protocol", "1")
        .send(&bomb[..])
        .expect("send");
    assert_eq!(resp.status().as_u16(), 413, "too large: 413, said plainly");
    assert!(resp
        .body_mut()
        .read_to_string()
        .unwrap_or_default()
        .contains("grande demais"));
    let health = agent
        .get(&format!("{}/v1/health", server.url))
        .call()
        .expect("alive");
    assert_eq!(health.status().as_u16(), 200);
}

#[test]
fn repeated_wrong_passwords_are_slowed_down_the_same_for_unknown_users() {
    let server = TestServer::start();
    let r = Replica::team();
    for user in ["ana", "ninguem"] {
        for _ in 0..5 {
            let e =
                sync::login(&r.store, &server.url, user, "errada-errada", "x").expect_err("wrong");
            assert_eq!(
                server_code(&e),
                Some(ErrorCode::WrongPassword),
                "{user}: {e}"
            );
        }
        // Now even the right password waits, and an unknown name is answered the same way.
        let e = sync::login(&r.store, &server.url, user, PASSWORD, "x").expect_err("locked");
        assert_eq!(
            server_code(&e),
            Some(ErrorCode::TooManyAttempts),
            "{user}: {e}"
        );
        assert!(e.to_string().contains("espere 15 minutos"), "{e}");
    }
    // Other accounts are not affected.
    sync::login(&r.store, &server.url, "bia", PASSWORD, "x").expect("bia signs in");
}

/// A valid automerge change of a new document (the server never looks inside).
fn some_change(text: &str) -> Vec<u8> {
    use automerge::transaction::Transactable;
    let mut doc = automerge::Automerge::new();
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "text", text).expect("put");
    tx.commit();
    doc.get_changes(&[])
        .pop()
        .expect("one change")
        .bytes()
        .into_owned()
}

#[test]
fn a_citizen_reads_only_its_own_requests_and_offices_keep_their_private_documents() {
    let server = TestServer::start();
    let remote = sync::Remote::new(&server.url).expect("remote");
    let token = |r: &Replica| r.store.account().expect("acc").expect("some").session;
    let (one, two) = (Replica::citizen(&server), Replica::citizen(&server));
    let (s1, s2) = (token(&one), token(&two));
    let push = |session: &esv_shared::sync::Session, doc_id: &str, scope: Scope| {
        let request = SyncRequest {
            push: vec![DocChanges {
                doc_id: doc_id.into(),
                scope,
                changes: vec![some_change(doc_id)],
            }],
            ..Default::default()
        };
        remote.sync(Some(&session.token), &request)
    };
    let mine = |s: &esv_shared::sync::Session| Scope::Citizen {
        office: "es-vitoria".into(),
        device: s.device.clone(),
    };
    // A request's id starts with its device (`request:<device>/…`).
    let um = format!("request:{}/um", s1.device);
    let dois = format!("request:{}/dois", s2.device);
    push(&s1, &um, mine(&s1)).expect("own request");
    push(&s2, &dois, mine(&s2)).expect("own request");
    // Writing into another device's scope, or under another's document, is refused.
    let e = push(&s1, &format!("request:{}/tres", s2.device), mine(&s2)).expect_err("not mine");
    assert!(
        matches!(
            e,
            SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            }
        ),
        "{e}"
    );
    let e = push(&s1, &dois, mine(&s1)).expect_err("taken");
    assert!(
        matches!(
            e,
            SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            }
        ),
        "{e}"
    );
    let pulled = |session: &esv_shared::sync::Session| -> Vec<String> {
        let r = remote
            .sync(Some(&session.token), &SyncRequest::default())
            .expect("pull");
        r.pull
            .into_iter()
            .filter(|p| !p.stream.starts_with("catalog"))
            .map(|p| p.doc_id)
            .collect()
    };
    assert_eq!(pulled(&s1), vec![um.clone()]);
    assert_eq!(pulled(&s2), vec![dois.clone()]);
    // The office's staff see both; a private document of Vitória stays in Vitória.
    let ana = token(&Replica::staff(&server, "ana"));
    let rui = token(&Replica::staff(&server, "rui"));
    push(
        &ana,
        "person:p1",
        Scope::Office {
            office: "es-vitoria".into(),
        },
    )
    .expect("private doc");
    let mut seen = pulled(&ana);
    seen.sort();
    let mut expected = vec!["person:p1".to_owned(), dois, um];
    expected.sort();
    assert_eq!(seen, expected);
    assert!(
        pulled(&rui).is_empty(),
        "Boa Vista sees nothing of Vitória's"
    );
    let e = push(
        &rui,
        "person:p1",
        Scope::Office {
            office: "es-vitoria".into(),
        },
    )
    .expect_err("no");
    assert!(
        matches!(
            e,
            SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            }
        ),
        "{e}"
    );
    let snaps = remote
        .snapshots(Some(&rui.token), &["office:es-vitoria".to_owned()])
        .expect_err("no");
    assert!(
        matches!(
            snaps,
            SyncError::Server {
                code: ErrorCode::Forbidden,
                ..
            }
        ),
        "{snaps}"
    );
}

#[test]
fn a_body_of_another_type_is_refused_plainly() {
    let server = TestServer::start();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut resp = agent
        .post(&format!("{}/v1/devices", server.url))
        .header("content-type", "text/plain")
        .header("x-esv-protocol", "1")
        .send("{\"office\":\"es-vitoria\"}")
        .expect("send");
    assert_eq!(resp.status().as_u16(), 415);
    assert!(resp
        .body_mut()
        .read_to_string()
        .unwrap_or_default()
        .contains("application/json"));
}
