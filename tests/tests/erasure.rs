//! LGPD erasure through a real server on a real port, with real stores: an erased person's
//! documents leave the server and every replica — down to the bytes of the files: no byte of
//! the name stays in the server's SQLite files or a device's store, drafts and damaged
//! copies included —, an offline device's late edit or merge can't bring them back, a citizen
//! erases its own requests, only those allowed may erase, and not more than the rate allows.

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
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Replica {
    fn new() -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db");
        let (store, _) = Store::open(&path).expect("open");
        Replica {
            store,
            path,
            _dir: dir,
        }
    }

    fn staff(server: &TestServer, user: &str) -> Replica {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.db");
        let r = Replica {
            store: esv_tests::sync_server::team_store(&path),
            path,
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
            .erase(
                STREAM,
                "p1",
                &esv_server::db::Eraser::admin("2026-11-24T13:00:00Z".into()),
            )
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

/// A name no other test data holds, as typed (with accents) and as folded for search.
const NAME: &str = "Zulmira Quitéria Bonfim";
const MOTHER: &str = "Benedita Anunciação Prates";

fn named(id: &str) -> Entity {
    Entity::Person(Person {
        social_name: Some(NAME.into()),
        civil_name: Some(format!("{NAME} da Silva")),
        mother_name: Some(MOTHER.into()),
        ..Person::new(id, OFFICE, "ana", now())
    })
}

/// The needles a scan looks for: the name and the mother's name as UTF-8, and folded the way
/// projections and search keep text.
fn needles() -> Vec<Vec<u8>> {
    [NAME, MOTHER]
        .iter()
        .flat_map(|n| [n.to_string(), esv_shared::text::fold(n)])
        .map(String::into_bytes)
        .collect()
}

/// Which needles appear in the files at `path` and beside it (`-wal`, `-shm`).
fn found_in(path: &std::path::Path, needles: &[Vec<u8>]) -> Vec<String> {
    let mut found = Vec::new();
    // A team device's store is encrypted: its pages are read decrypted, free ones and the
    // WAL's included, as someone holding the PIN would read them.
    if esv_replica::vault::is_encrypted(path) {
        let plain = esv_tests::sqlcipher_pages::plaintext(path, esv_tests::sync_server::TEAM_PIN);
        for needle in needles {
            if plain.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!(
                    "{} in the decrypted pages of {}",
                    String::from_utf8_lossy(needle),
                    path.display()
                ));
            }
        }
        return found;
    }
    for ext in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{ext}", path.display()));
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!(
                    "{} in {}",
                    String::from_utf8_lossy(needle),
                    file.display()
                ));
            }
        }
    }
    found
}

/// The documents whose changes in the server's log hold any of `needles`, on either backend.
fn logged_with(server: &TestServer, needles: &[Vec<u8>]) -> Vec<String> {
    let db = server.db();
    let from = vec![PullFrom {
        stream: STREAM.into(),
        device: None,
        after: 0,
    }];
    let pulls = server
        .runtime
        .block_on(db.pull(from, 100_000))
        .expect("pull");
    let mut docs: Vec<String> = pulls
        .changes
        .into_iter()
        .filter(|p| {
            needles
                .iter()
                .any(|n| p.change.windows(n.len()).any(|w| w == n.as_slice()))
        })
        .map(|p| p.doc_id)
        .collect();
    docs.dedup();
    docs
}

fn sqlite_backend() -> bool {
    std::env::var("ESV_TEST_BACKEND").as_deref() != Ok("postgres")
}

#[test]
fn no_byte_of_an_erased_name_stays_in_the_files() {
    let server = TestServer::start();
    let mut a = Replica::staff(&server, "ana");
    let mut b = Replica::staff(&server, "bia");
    a.sync();
    b.sync();
    a.edit(named("p1"));
    for i in 0..5 {
        a.edit(encounter(
            "p1",
            &format!("e{i}"),
            &format!("{NAME} precisa de RG"),
        ));
    }
    a.edit(person("p2", "João"));
    a.sync();
    b.sync();
    // Bia's device has a draft about her and a damaged copy of an older store beside its own.
    b.store
        .save_draft_field("encounter:avulso", "person_id", "p1".into(), now())
        .expect("draft");
    b.store
        .save_draft_field(
            "encounter:o7",
            "notes",
            format!("ligar para {MOTHER}").into(),
            now(),
        )
        .expect("draft");
    b.store
        .save_draft_field("encounter:o8", "social_name", "Outra Pessoa".into(), now())
        .expect("draft");
    let damaged = b.path.with_file_name("store.db.danificado-20261124T100000");
    std::fs::write(&damaged, format!("SQLite format 3\0…{NAME}…")).expect("damaged copy");

    // Before: the name is there to find, in the server's log and in the device's store.
    let all = needles();
    let utf8 = vec![NAME.as_bytes().to_vec()];
    if sqlite_backend() {
        assert!(
            !found_in(&server.db_path, &utf8).is_empty(),
            "the scan finds it"
        );
    }
    b.store.checkpoint().expect("checkpoint");
    assert!(!found_in(&b.path, &utf8).is_empty(), "the scan finds it");

    a.erase(&office_scope(OFFICE), "p1").expect("erase");
    b.sync();

    if sqlite_backend() {
        let left = found_in(&server.db_path, &all);
        assert!(left.is_empty(), "server files still hold {left:?}");
    }
    for r in [&a, &b] {
        let left = found_in(&r.path, &all);
        assert!(left.is_empty(), "{} still holds {left:?}", r.path.display());
        assert!(r.docs_of("p1").is_empty());
    }
    assert!(
        !damaged.exists(),
        "a damaged copy can't be searched: it goes"
    );
    assert_eq!(
        b.store.drafts().expect("drafts"),
        vec!["encounter:o8".to_owned()],
        "drafts naming her go, others stay"
    );
    // What was not erased is still there to find (the scan would see a name).
    assert!(!found_in(&b.path, &[b"Jo\xc3\xa3o".to_vec()]).is_empty());
    assert_eq!(b.docs_of("p2").len(), 1);
}

#[test]
fn consent_documents_go_with_their_person() {
    let server = TestServer::start();
    let db = server.db();
    server.runtime.block_on(async {
        db.ingest(vec![
            batch("person:p1", 1),
            batch("consent:p1/c1", 2),
            batch("outreach:o1", 1),
        ])
        .await
        .expect("ingest");
        db.erase(
            STREAM,
            "p1",
            &esv_server::db::Eraser::admin("2026-11-24T13:00:00Z".into()),
        )
        .await
        .expect("erase");
        let left: Vec<String> = db
            .stream_docs(STREAM, None)
            .await
            .expect("docs")
            .docs
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        assert_eq!(
            left,
            vec!["outreach:o1".to_owned()],
            "the outreach names no one"
        );
        let late = db
            .ingest(vec![batch("consent:p1/c2", 1)])
            .await
            .expect("late");
        assert_eq!(
            (late.accepted, late.erased.len()),
            (0, 1),
            "dropped, and told"
        );
    });
}

#[test]
fn an_erasure_records_who_and_is_refused_above_the_rate() {
    use esv_server::routes::MAX_ERASURES_PER_HOUR;
    let server = TestServer::start();
    let a = Replica::staff(&server, "ana");
    let b = Replica::staff(&server, "bia");
    let remote = Remote::new(&server.url).expect("remote");
    let erase = |token: &str, subject: &str| {
        remote.erase(
            token,
            &esv_shared::sync::EraseRequest {
                scope: office_scope(OFFICE),
                subject: subject.into(),
            },
        )
    };
    for i in 0..MAX_ERASURES_PER_HOUR {
        erase(&a.token(), &format!("p{i}")).expect("within the rate");
        server.hand.advance(chrono::Duration::minutes(1));
    }
    let refused = |e: sync::SyncError, minutes: &str| match e {
        sync::SyncError::Server {
            code: ErrorCode::TooManyAttempts,
            message,
        } => {
            assert!(message.contains("na última hora"), "{message}");
            assert!(message.contains(minutes), "{message}");
        }
        other => panic!("{other:?}"),
    };
    // The first of the window was 20 minutes ago: it leaves the window in 40.
    refused(
        erase(&a.token(), "p-demais").expect_err("over the rate"),
        "Espere 40 minutos",
    );
    erase(&a.token(), "p0").expect("erasing again what is erased is not a new erasure");
    erase(&b.token(), "p-outra").expect("another account has its own rate");
    server.hand.advance(chrono::Duration::minutes(39));
    refused(
        erase(&a.token(), "p-demais").expect_err("still over"),
        "Espere 1 minuto ",
    );
    server.hand.advance(chrono::Duration::minutes(1));
    erase(&a.token(), "p-demais").expect("the oldest left the window");

    let rows = server
        .runtime
        .block_on(server.db().erasures(STREAM))
        .expect("erasures");
    assert_eq!(rows.len() as u32, MAX_ERASURES_PER_HOUR + 2);
    let first = &rows[0];
    assert_eq!(first.subject, "p0");
    assert_eq!(first.erased_by_user.as_deref(), Some("ana"));
    assert_eq!(first.erased_by_device.as_deref(), Some(a.device().as_str()));
    assert_eq!(first.erased_at, esv_tests::sync_server::SERVER_START);
    let other = rows.iter().find(|r| r.subject == "p-outra").expect("bia's");
    assert_eq!(other.erased_by_user.as_deref(), Some("bia"));
    // The server's administrator is recorded as such, and never limited.
    let db = server.db();
    for i in 0..3 {
        server
            .runtime
            .block_on(esv_server::admin::erase(
                &db,
                OFFICE,
                "office",
                &format!("adm{i}"),
                &server.clock,
            ))
            .expect("admin");
    }
    let rows = server.runtime.block_on(db.erasures(STREAM)).expect("rows");
    let last = rows.last().expect("last");
    assert_eq!(
        (
            last.erased_by_user.as_deref(),
            last.erased_by_device.as_deref()
        ),
        (None, Some(esv_server::db::ADMIN_ERASER))
    );
}

#[test]
fn a_pending_merge_does_not_bring_an_erased_duplicate_back() {
    let server = TestServer::start();
    let mut a = Replica::staff(&server, "ana");
    let mut b = Replica::staff(&server, "bia");
    a.sync();
    b.sync();
    a.edit(named("p1"));
    a.edit(encounter("p1", "e1", "precisa de RG"));
    a.edit(Entity::Person(Person {
        social_name: Some("Zu".into()),
        ..Person::new("p2", OFFICE, "ana", now())
    }));
    a.sync();
    b.sync();
    // Offline, Bia merges p1 into p2 (p2 gains p1's civil and mother's names), then types
    // p2's contact.
    let merged = b
        .store
        .merge_people("p2", "p1", "bia", now())
        .expect("merge");
    assert_eq!(merged.kept.mother_name.as_deref(), Some(MOTHER));
    let Entity::Person(mut p2) = b
        .store
        .entities(esv_shared::document::DocKind::Person)
        .expect("people")
        .into_iter()
        .find(|e| matches!(e, Entity::Person(p) if p.id == "p2"))
        .expect("p2")
    else {
        unreachable!()
    };
    p2.contact = Some("27 99999-0000".into());
    b.edit(Entity::Person(p2));
    // Meanwhile p1 is erased. (Her name is in the log, to be found.)
    assert_eq!(
        logged_with(&server, &[MOTHER.as_bytes().to_vec()]),
        vec!["person:p1".to_owned()]
    );
    a.erase(&office_scope(OFFICE), "p1").expect("erase");
    b.sync();

    let p2_on = |r: &Replica| match r.store.document("person:p2").expect("doc") {
        Some(doc) => match esv_shared::document::read(&doc).expect("read") {
            Entity::Person(p) => p,
            other => panic!("{other:?}"),
        },
        None => panic!("p2 is gone"),
    };
    let kept = p2_on(&b);
    assert_eq!(
        kept.social_name.as_deref(),
        Some("Zu"),
        "its own name stays"
    );
    assert_eq!(
        kept.contact.as_deref(),
        Some("27 99999-0000"),
        "typed after: kept"
    );
    assert_eq!(
        (kept.civil_name, kept.mother_name),
        (None, None),
        "the copy went"
    );
    assert!(b.docs_of("p1").is_empty());
    a.sync();
    let there = p2_on(&a);
    assert_eq!(there.contact.as_deref(), Some("27 99999-0000"));
    assert_eq!(there.mother_name, None);
    assert_eq!(b.store.outgoing_count().expect("count"), 0);
    // The server's log, on either backend, never took the copy in (and its files hold
    // nothing of her either).
    assert_eq!(logged_with(&server, &needles()), Vec::<String>::new());
    if sqlite_backend() {
        let left = found_in(&server.db_path, &needles());
        assert!(left.is_empty(), "the server holds {left:?}");
    }
    // Not even in the history of p2 on either device.
    for r in [&a, &b] {
        r.store.checkpoint().expect("checkpoint");
        let left = found_in(&r.path, &[MOTHER.as_bytes().to_vec()]);
        assert!(left.is_empty(), "{left:?}");
    }
}

/// The figure of issue 14: how long erasing a person with 50 encounters takes, at the server
/// (`POST /v1/erase`, its deletion and checkpoint) and on the erasing device, and for another
/// device's next sync. `cargo nextest run -p esv-tests --test erasure --run-ignored only`
/// (and with `ESV_TEST_BACKEND=postgres`).
#[test]
#[ignore = "prints a figure"]
fn figure_erasing_a_person_with_50_encounters() {
    let server = TestServer::start();
    let mut a = Replica::staff(&server, "ana");
    let mut b = Replica::staff(&server, "bia");
    a.sync();
    b.sync();
    for p in 0..20 {
        a.edit(person(&format!("q{p}"), "Outra"));
    }
    a.edit(named("p1"));
    for i in 0..50 {
        a.edit(encounter("p1", &format!("e{i}"), "atendimento"));
    }
    a.sync();
    b.sync();
    let runs = 5;
    let mut took = Vec::new();
    let mut other = Vec::new();
    for run in 0..runs {
        let id = format!("r{run}");
        let mut docs = vec![named(&id)];
        docs.extend((0..50).map(|i| encounter(&id, &format!("e{i}"), "atendimento")));
        a.store.edit_all(&docs, now()).expect("edit");
        a.sync();
        b.sync();
        let start = std::time::Instant::now();
        a.erase(&office_scope(OFFICE), &id).expect("erase");
        took.push(start.elapsed());
        let start = std::time::Instant::now();
        b.sync();
        other.push(start.elapsed());
        assert!(b.docs_of(&id).is_empty());
    }
    took.sort();
    other.sort();
    let backend = if sqlite_backend() {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!(
        "erasure of a person with 50 encounters ({backend}): median {:?} (min {:?}, max {:?}) \
         on the server and the erasing device; the other device's next sync {:?}",
        took[runs / 2],
        took[0],
        took[runs - 1],
        other[runs / 2]
    );
}

#[test]
fn erasing_a_merged_duplicate_erases_the_whole_family() {
    let server = TestServer::start();
    let (mut a, mut b) = two_people(&server);
    // p2 was merged into p1, and that reached the server: p1's history holds p2's data.
    a.edit(named("p3"));
    a.store
        .merge_people("p1", "p2", "ana", now())
        .expect("merge");
    a.store
        .merge_people("p1", "p3", "ana", now())
        .expect("merge");
    a.sync();
    b.sync();
    assert_eq!(a.store.merge_root("p3").expect("root"), "p1");
    let erased = a
        .store
        .person_erase(
            &esv_shared::ipc::office::PersonEraseInput {
                id: "p3".into(),
                confirm: "APAGAR".into(),
            },
            now(),
        )
        .expect("erase");
    let mut ids = erased.ids.clone();
    ids.sort();
    assert_eq!(ids, vec!["p1", "p2", "p3"], "{}", erased.message);
    b.sync();
    for subject in ["p1", "p2", "p3"] {
        assert!(a.docs_of(subject).is_empty() && b.docs_of(subject).is_empty());
    }
    assert_eq!(logged_with(&server, &needles()), Vec::<String>::new());
}
