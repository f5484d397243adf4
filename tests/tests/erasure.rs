//! LGPD erasure through a real server on a real port, with real stores: an erased person's
//! documents leave the server and every replica, an offline device's late edit can't bring
//! them back, a citizen erases its own requests, and only those allowed may erase.

use chrono::{DateTime, Utc};
use esv_replica::sync::{self, Remote};
use esv_replica::{ReplicaError, Store};
use esv_server::db::PullFrom;
use esv_shared::document::Entity;
use esv_shared::people::{Encounter, Person};
use esv_shared::requests::{Request, RequestKind};
use esv_shared::sync::{ErrorCode, Scope, SyncRequest};
use esv_tests::sync_server::{TestServer, PASSWORD};

const OFFICE: &str = "es-vitoria";
const STREAM: &str = "office:es-vitoria";
const REQUESTS: &str = "requests:es-vitoria";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

fn office_scope(office: &str) -> Scope {
    Scope::Office {
        office: office.into(),
    }
}

struct Replica {
    store: Store,
    _dir: tempfile::TempDir,
}

impl Replica {
    fn new() -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db");
        let (store, _) = Store::open(&path).expect("open");
        Replica { store, _dir: dir }
    }

    fn staff(server: &TestServer, user: &str) -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = Replica {
            store: esv_tests::sync_server::team_store(&dir.path().join("store.db")),
            _dir: dir,
        };
        sync::login(&r.store, &server.url, user, PASSWORD, "teste").expect("login");
        r
    }

    fn citizen(server: &TestServer) -> Replica {
        let r = Replica::new();
        sync::register(&r.store, &server.url, OFFICE).expect("register");
        r
    }

    fn device(&self) -> String {
        self.store
            .account()
            .expect("account")
            .expect("signed in")
            .session
            .device
    }

    fn token(&self) -> String {
        self.store
            .account()
            .expect("account")
            .expect("signed in")
            .session
            .token
    }

    fn sync(&mut self) {
        sync::sync(&mut self.store, None, now(), &mut |_| {}).expect("sync");
    }

    fn edit(&mut self, entity: Entity) {
        assert!(self.store.edit(&entity, now()).expect("edit"));
    }

    fn erase(&mut self, scope: &Scope, subject: &str) -> Result<(), ReplicaError> {
        sync::erase(&mut self.store, scope, subject, now()).map(|_| ())
    }

    /// The ids of the documents this device holds about `subject`.
    fn docs_of(&self, subject: &str) -> Vec<String> {
        self.store
            .document_ids()
            .expect("ids")
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| esv_shared::sync::subject(id) == Some(subject))
            .collect()
    }

    /// Projection rows and ledger rows left of documents about `subject`.
    fn rows_of(&self, subject: &str) -> usize {
        self.store.inspect(|conn| rows_about(conn, subject))
    }
}

fn rows_about(conn: &rusqlite::Connection, subject: &str) -> usize {
    let mut n = 0;
    for table in ["people", "encounters", "referrals", "requests", "sync_docs"] {
        let mut stmt = conn
            .prepare(&format!("SELECT doc_id FROM {table}"))
            .expect("select");
        n += stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("rows")
            .map(|id| id.expect("id"))
            .filter(|id| esv_shared::sync::subject(id) == Some(subject))
            .count();
    }
    n
}

fn person(id: &str, name: &str) -> Entity {
    Entity::Person(Person {
        social_name: Some(name.into()),
        ..Person::new(id, OFFICE, "ana", now())
    })
}

fn encounter(person: &str, id: &str, notes: &str) -> Entity {
    Entity::Encounter(Encounter {
        id: format!("{person}/{id}"),
        person_id: person.into(),
        office_id: OFFICE.into(),
        outreach_id: None,
        at: now(),
        staff: "ana".into(),
        consent_id: "c1".into(),
        needs: Vec::new(),
        follow_up: None,
        notes: notes.into(),
    })
}

fn request(device: &str, id: &str, text: &str) -> Entity {
    Entity::Request(Request {
        id: format!("{device}/{id}"),
        office_id: OFFICE.into(),
        device: device.into(),
        kind: RequestKind::Documents,
        text: text.into(),
        name: None,
        contact: None,
        service_id: None,
        created_at: now(),
        assigned_to: None,
        events: Vec::new(),
    })
}

/// The documents the server holds in a stream, and the documents its log has changes of.
fn server_docs(server: &TestServer, stream: &str) -> (Vec<String>, Vec<String>) {
    let db = server.db();
    server.runtime.block_on(async {
        let docs = db.stream_docs(stream, None).await.expect("docs");
        let from = vec![PullFrom {
            stream: stream.into(),
            device: None,
            after: 0,
        }];
        let pulls = db.pull(from, 100_000).await.expect("pull");
        let mut logged: Vec<String> = pulls.changes.into_iter().map(|p| p.doc_id).collect();
        logged.sort();
        logged.dedup();
        (docs.docs.into_iter().map(|(id, _, _)| id).collect(), logged)
    })
}

fn about(ids: &[String], subject: &str) -> usize {
    ids.iter()
        .filter(|id| esv_shared::sync::subject(id) == Some(subject))
        .count()
}

/// Ana's device records p1 and p2 with one encounter each and syncs; Bia's device has them.
fn two_people(server: &TestServer) -> (Replica, Replica) {
    let mut a = Replica::staff(server, "ana");
    let mut b = Replica::staff(server, "bia");
    a.sync();
    b.sync();
    a.edit(person("p1", "Maria"));
    a.edit(encounter("p1", "e1", "precisa de RG"));
    a.edit(person("p2", "João"));
    a.edit(encounter("p2", "e1", "procura trabalho"));
    a.sync();
    b.sync();
    assert_eq!(b.docs_of("p1").len(), 2);
    assert_eq!(b.docs_of("p2").len(), 2);
    (a, b)
}

fn forbidden(e: &ReplicaError) -> bool {
    matches!(
        e,
        ReplicaError::Sync(sync::SyncError::Server {
            code: ErrorCode::Forbidden,
            message,
        }) if message.contains("sem permissão")
    )
}

#[test]
fn an_erased_person_leaves_the_server_and_every_replica() {
    let server = TestServer::start();
    let (mut a, mut b) = two_people(&server);

    a.erase(&office_scope(OFFICE), "p1").expect("erase");
    assert!(a.docs_of("p1").is_empty(), "gone here at once");
    assert_eq!(a.rows_of("p1"), 0, "projections and ledger too");
    let (docs, logged) = server_docs(&server, STREAM);
    assert_eq!(about(&docs, "p1") + about(&logged, "p1"), 0, "{docs:?}");
    assert_eq!(about(&docs, "p2"), 2, "other people untouched");
    assert_eq!(about(&logged, "p2"), 2);

    a.sync();
    assert_eq!(a.store.outgoing_count().expect("count"), 0);
    b.sync();
    assert!(b.docs_of("p1").is_empty(), "{:?}", b.docs_of("p1"));
    assert_eq!(b.rows_of("p1"), 0);
    assert_eq!(b.docs_of("p2").len(), 2, "other people untouched");
    assert!(b.rows_of("p2") > 0);
    assert!(b
        .store
        .document("office:es-vitoria")
        .expect("doc")
        .is_some());

    // A fresh device never sees them; its snapshot names the erasure.
    let mut fresh = Replica::staff(&server, "coord");
    fresh.sync();
    assert!(fresh.docs_of("p1").is_empty());
    assert_eq!(fresh.docs_of("p2").len(), 2);
    let snapshots = Remote::new(&server.url)
        .expect("remote")
        .snapshots(Some(&fresh.token()), &[STREAM.to_owned()])
        .expect("snapshot");
    assert_eq!(snapshots[0].erased, vec!["p1".to_owned()]);
    b.store.rebuild_projections().expect("rebuild");
    assert_eq!(b.rows_of("p1"), 0, "a rebuild brings nothing back");
}

#[test]
fn an_offline_edit_does_not_bring_an_erased_person_back() {
    let server = TestServer::start();
    let (mut a, mut b) = two_people(&server);
    // Bia's device is offline: it edits p1's encounter, adds another, and edits p2.
    b.edit(encounter("p1", "e1", "precisa de RG e CPF"));
    b.edit(encounter("p1", "e2", "voltou"));
    b.edit(person("p2", "João Silva"));

    a.erase(&office_scope(OFFICE), "p1").expect("erase");
    b.sync();
    assert!(b.docs_of("p1").is_empty(), "{:?}", b.docs_of("p1"));
    assert_eq!(b.rows_of("p1"), 0);
    assert_eq!(b.store.outgoing_count().expect("count"), 0, "no retry");
    let (docs, logged) = server_docs(&server, STREAM);
    assert_eq!(about(&docs, "p1") + about(&logged, "p1"), 0, "{logged:?}");

    // Everything else Bia typed went through.
    a.sync();
    let names: Vec<String> = a
        .store
        .entities(esv_shared::document::DocKind::Person)
        .expect("people")
        .into_iter()
        .filter_map(|e| match e {
            Entity::Person(p) => Some(p.display_name().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(names, vec!["João Silva".to_owned()]);
    b.sync();
    let (docs, _) = server_docs(&server, STREAM);
    assert_eq!(about(&docs, "p1"), 0, "still nothing after another round");
}

#[test]
fn a_citizen_erases_its_own_requests() {
    let server = TestServer::start();
    let mut staff = Replica::staff(&server, "ana");
    let mut citizen = Replica::citizen(&server);
    let mut other = Replica::citizen(&server);
    let (me, them) = (citizen.device(), other.device());
    citizen.edit(request(&me, "r1", "Preciso tirar o RG"));
    citizen.edit(request(&me, "r2", "Quero um curso"));
    other.edit(request(&them, "r1", "Preciso de advogado"));
    citizen.sync();
    other.sync();
    staff.sync();
    assert_eq!(staff.docs_of(&me).len(), 2);

    // "Apagar meus dados".
    let mine = Scope::Citizen {
        office: OFFICE.into(),
        device: me.clone(),
    };
    citizen.erase(&mine, &me).expect("erase");
    assert!(citizen.docs_of(&me).is_empty());
    assert_eq!(citizen.rows_of(&me), 0);
    let (docs, logged) = server_docs(&server, REQUESTS);
    assert_eq!(about(&docs, &me) + about(&logged, &me), 0);
    assert_eq!(about(&docs, &them), 1);

    staff.sync();
    assert!(staff.docs_of(&me).is_empty());
    assert_eq!(staff.rows_of(&me), 0);
    assert_eq!(
        staff.docs_of(&them).len(),
        1,
        "another citizen's request stays"
    );

    // Another citizen device learns nothing of it: neither in a pull nor in a snapshot.
    let remote = Remote::new(&server.url).expect("remote");
    let pulled = remote
        .sync(Some(&other.token()), &SyncRequest::default())
        .expect("pull");
    assert!(pulled.erased.is_empty(), "{:?}", pulled.erased);
    let snap = remote
        .snapshots(Some(&other.token()), &[REQUESTS.to_owned()])
        .expect("snapshot");
    assert!(snap[0].erased.is_empty());
    // The device itself does, and its cursor moves past the erasure.
    let own = remote
        .sync(Some(&citizen.token()), &SyncRequest::default())
        .expect("pull");
    assert_eq!(own.erased.len(), 1);
    assert_eq!(own.erased[0].subject, me);
    assert_eq!(own.cursors[REQUESTS], own.erased[0].seq);
    other.sync();
    assert_eq!(other.docs_of(&them).len(), 1);
}

#[test]
fn only_the_office_staff_and_the_citizen_itself_may_erase() {
    let server = TestServer::start();
    let (_a, _b) = two_people(&server);
    let mut field = Replica::staff(&server, "caio");
    field.sync();
    assert_eq!(field.docs_of("p1").len(), 2);
    let e = field
        .erase(&office_scope(OFFICE), "p1")
        .expect_err("refused");
    assert!(forbidden(&e), "{e:?}");
    assert_eq!(field.docs_of("p1").len(), 2, "nothing deleted here either");

    let mut elsewhere = Replica::staff(&server, "rui");
    let e = elsewhere
        .erase(&office_scope(OFFICE), "p1")
        .expect_err("refused");
    assert!(forbidden(&e), "{e:?}");

    // A citizen may not erase someone else's requests, nor a person.
    let mut citizen = Replica::citizen(&server);
    let someone = Scope::Citizen {
        office: OFFICE.into(),
        device: "outro-aparelho".into(),
    };
    assert!(forbidden(
        &citizen
            .erase(&someone, "outro-aparelho")
            .expect_err("refused")
    ));
    assert!(forbidden(
        &citizen
            .erase(&office_scope(OFFICE), "p1")
            .expect_err("refused")
    ));

    let (docs, logged) = server_docs(&server, STREAM);
    assert_eq!(about(&docs, "p1"), 2, "nothing deleted");
    assert_eq!(about(&logged, "p1"), 2);
}

#[test]
fn erasing_twice_is_the_same_erasure() {
    let server = TestServer::start();
    let (mut a, mut b) = two_people(&server);
    let remote = Remote::new(&server.url).expect("remote");
    let request = esv_shared::sync::EraseRequest {
        scope: office_scope(OFFICE),
        subject: "p1".into(),
    };
    let first = remote.erase(&a.token(), &request).expect("erase");
    let db = server.db();
    let head = server
        .runtime
        .block_on(db.stream_head(STREAM))
        .expect("head");
    let again = remote.erase(&b.token(), &request).expect("again");
    assert_eq!(first, again);
    assert_eq!(first.stream, STREAM);
    assert_eq!(
        server
            .runtime
            .block_on(db.stream_head(STREAM))
            .expect("head"),
        head,
        "no new position"
    );
    a.erase(&office_scope(OFFICE), "p1")
        .expect("through the replica");
    a.sync();
    b.sync();
    assert!(a.docs_of("p1").is_empty() && b.docs_of("p1").is_empty());
    assert_eq!(b.docs_of("p2").len(), 2);
}

/// `n` automerge changes of one document, as the server stores them.
fn batch(doc_id: &str, n: i64) -> esv_server::db::DocBatch {
    use automerge::transaction::Transactable;
    let mut doc = automerge::Automerge::new();
    for i in 0..n {
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "n", i).expect("put");
        tx.commit();
    }
    let changes: Vec<automerge::Change> = doc.get_changes(&[]);
    esv_server::db::DocBatch::new(doc_id, office_scope(OFFICE), &changes)
}

#[test]
fn a_paged_pull_never_moves_past_a_change_it_has_not_sent() {
    let server = TestServer::start();
    let db = server.db();
    server.runtime.block_on(async {
        db.ingest(vec![batch("person:p1", 3), batch("encounter:p1/e1", 1)])
            .await
            .expect("p1");
        db.ingest(vec![batch("person:p2", 2)]).await.expect("p2");
        let erased = db
            .erase(STREAM, "p1", "2026-11-24T13:00:00Z")
            .await
            .expect("erase");
        db.ingest(vec![batch("person:p3", 2)]).await.expect("p3");
        // A late push about p1 is dropped, not refused, and names the erasure.
        let late = db
            .ingest(vec![batch("encounter:p1/e2", 1), batch("person:p4", 1)])
            .await
            .expect("late");
        assert_eq!((late.accepted, late.duplicates), (1, 0));
        assert_eq!(late.erased, vec![erased.clone()]);

        let (mut cursor, mut changes, mut erasures) = (0, Vec::new(), Vec::new());
        loop {
            let from = vec![PullFrom {
                stream: STREAM.into(),
                device: None,
                after: cursor,
            }];
            let page = db.pull(from, 1).await.expect("pull");
            for p in &page.changes {
                assert!(p.seq > cursor);
                cursor = cursor.max(p.seq);
                changes.push(p.doc_id.clone());
            }
            for e in &page.erased {
                assert!(e.seq > cursor || page.changes.iter().any(|p| p.seq > e.seq));
                cursor = cursor.max(e.seq);
                erasures.push(e.clone());
            }
            if !page.more {
                break;
            }
        }
        assert_eq!(
            changes.len(),
            5,
            "every change left, none skipped: {changes:?}"
        );
        assert_eq!(about(&changes, "p1"), 0);
        assert_eq!(erasures, vec![erased]);
        assert_eq!(cursor, db.stream_head(STREAM).await.expect("head"));
    });
}

#[test]
fn the_coordinator_erases_at_the_server_with_the_admin_command() {
    let server = TestServer::start();
    let (_a, mut b) = two_people(&server);
    let db = server.db();
    let erased = server
        .runtime
        .block_on(esv_server::admin::erase(
            &db,
            OFFICE,
            "office",
            "p2",
            &server.clock,
        ))
        .expect("erase");
    assert_eq!(
        (erased.stream.as_str(), erased.subject.as_str()),
        (STREAM, "p2")
    );
    for (office, scope) in [("es-nowhere", "office"), (OFFICE, "catalog")] {
        assert!(server
            .runtime
            .block_on(esv_server::admin::erase(
                &db,
                office,
                scope,
                "p1",
                &server.clock
            ))
            .is_err());
    }
    b.sync();
    assert!(b.docs_of("p2").is_empty());
    assert_eq!(b.docs_of("p1").len(), 2);
}
