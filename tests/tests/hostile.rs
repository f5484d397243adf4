//! Hostile clients against a real server on a real port (both backends with
//! `ESV_TEST_BACKEND`): a citizen, a field worker and a staff member of another office push
//! random bytes, changes with dependencies never sent, forged actor sequences, ids of other
//! owners, deflate bombs and oversized pushes, in a seeded random order between honest edits.
//! None of it stops the honest staff device's sync, changes a document outside the pusher's
//! scope, or loses an honest change. The seed is printed on failure (`ESV_HOSTILE_SEED` replays
//! one).

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, Change, ROOT};
use chrono::{DateTime, Utc};
use esv_replica::sync::{self, Remote, SyncError};
use esv_replica::Store;
use esv_shared::sync::{DocChanges, Scope, SyncRequest, CATALOG_STREAM};
use esv_tests::sync_server::{TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

/// A small, seeded generator (xorshift), so a failing sequence can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Device {
    store: Store,
    token: String,
    device: String,
    _dir: tempfile::TempDir,
}

fn device(server: &TestServer, user: Option<&str>) -> Device {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let store = match user {
        Some(_) => esv_tests::sync_server::team_store(&path),
        None => Store::open(&path).expect("open").0,
    };
    match user {
        Some(u) => drop(sync::login(&store, &server.url, u, PASSWORD, "teste").expect("login")),
        None => drop(sync::register(&store, &server.url, "es-vitoria").expect("register")),
    }
    let session = store
        .account()
        .expect("account")
        .expect("signed in")
        .session;
    Device {
        store,
        token: session.token,
        device: session.device,
        _dir: dir,
    }
}

/// Changes of a fresh document by `actor`: `n` of them, each on top of the last.
fn changes(actor: &[u8], n: usize, salt: u64) -> Vec<Change> {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(actor));
    for i in 0..n {
        doc.put(ROOT, "n", (i as i64) ^ salt as i64).expect("put");
        doc.commit();
    }
    doc.get_changes(&[])
}

/// A new citizen device, synced from nothing, is told the office closes at 19h45 (the last
/// honest edit of each test).
fn assert_last_hours_served(server: &TestServer, context: &str) {
    let mut fresh = device(server, None);
    sync::sync(&mut fresh.store, None, now(), &mut |_| {}).expect("fresh sync");
    let detail = fresh
        .store
        .service_detail(
            "es-vitoria",
            "2026-12-02T10:00:00-03:00".parse().expect("t"),
        )
        .expect("office");
    let shown = format!("{:?}", detail.hours);
    assert!(
        shown.contains("19h45") || shown.contains("19:45"),
        "{context}: the last honest hours are served: {shown}"
    );
}

fn bytes(cs: &[Change]) -> Vec<Vec<u8>> {
    cs.iter().map(|c| c.raw_bytes().to_vec()).collect()
}

fn deflate_bomb() -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &vec![0u8; 32 << 20]).expect("deflate");
    let body = enc.finish().expect("deflate");
    let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    esv_server::vouch::write_leb128(&mut chunk, body.len() as u64);
    chunk.extend(body);
    chunk
}

/// One hostile push: what it is, and the body.
fn attack(rng: &mut Rng, who: &Device, office: &str, round: u64) -> (&'static str, SyncRequest) {
    let catalog = Scope::Catalog {
        office: office.to_owned(),
    };
    let citizen = Scope::Citizen {
        office: office.to_owned(),
        device: who.device.clone(),
    };
    let own_request = format!("request:{}/r{round}", who.device);
    let h = changes(format!("hostil-{round}").as_bytes(), 3, rng.next());
    let (what, doc_id, scope, changes): (&str, String, Scope, Vec<Vec<u8>>) = match rng.below(8) {
        0 => (
            "random bytes",
            own_request,
            citizen,
            vec![(0..rng.below(200)).map(|_| rng.next() as u8).collect()],
        ),
        1 => (
            "a change whose dependency never came",
            own_request,
            citizen,
            bytes(&h[1..]),
        ),
        2 => {
            // Two different changes with the same actor and sequence number.
            let other = changes(format!("hostil-{round}").as_bytes(), 1, rng.next() ^ 1);
            (
                "a forged actor sequence",
                own_request,
                citizen,
                vec![h[0].raw_bytes().to_vec(), other[0].raw_bytes().to_vec()],
            )
        }
        3 => (
            "a national rights article",
            "rights-article:direitos-cpf".into(),
            Scope::Catalog {
                office: "nacional".into(),
            },
            bytes(&h),
        ),
        4 => (
            "another office's organisation",
            "organization:es-vitoria/cras-centro".into(),
            Scope::Catalog {
                office: "rr-boa-vista".into(),
            },
            bytes(&h),
        ),
        5 => ("a deflate bomb", own_request, citizen, vec![deflate_bomb()]),
        6 => (
            "the office's own document",
            "office:es-vitoria".into(),
            catalog,
            bytes(&h),
        ),
        _ => (
            "a new document under an old-style id",
            "organization:cras-centro".into(),
            catalog,
            bytes(&h),
        ),
    };
    (
        what,
        SyncRequest {
            push: vec![DocChanges {
                doc_id,
                scope,
                changes,
            }],
            ..Default::default()
        },
    )
}

#[test]
fn hostile_pushes_never_stop_an_honest_sync_nor_change_what_is_not_theirs() {
    let seed = std::env::var("ESV_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    let mut rng = Rng(seed | 1);
    let server = TestServer::start();
    let mut ana = device(&server, Some("ana"));
    let attackers = [
        (device(&server, None), "es-vitoria"),
        (device(&server, Some("caio")), "es-vitoria"),
        (device(&server, Some("rui")), "rr-boa-vista"),
    ];
    let remote = Remote::new(&server.url).expect("remote");
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("first sync");
    let office_before = ana.store.document_ids().expect("ids").len();
    let mut honest = Vec::new();
    for round in 0..40u64 {
        let (who, office) = &attackers[rng.below(3) as usize];
        let (what, push) = attack(&mut rng, who, office, round);
        let answer = remote.sync(Some(&who.token), &push);
        match answer {
            Err(SyncError::Server { .. } | SyncError::MissingDeps { .. }) => {}
            Err(e) => panic!("seed {seed}, round {round}, {what}: not a plain refusal: {e}"),
            Ok(r) => assert_eq!(
                r.accepted, 0,
                "seed {seed}, round {round}: {what} was stored"
            ),
        }
        // The honest staff device edits and syncs after every attack.
        let hours = format!("seg-sex 08:00-{:02}:00", 12 + round % 8);
        let spec = esv_shared::hours::spec::parse(&hours).expect("hours");
        ana.store
            .set_weekly_hours("es-vitoria", spec, now())
            .expect("edit");
        honest.push(hours);
        let report = sync::sync(&mut ana.store, None, now(), &mut |_| {})
            .unwrap_or_else(|e| panic!("seed {seed}, round {round}, after {what}: {e}"));
        assert_eq!(report.unsendable_docs, 0, "seed {seed}, round {round}");
    }
    // Every honest change arrived: a last, distinct edit reaches a new citizen device.
    let spec = esv_shared::hours::spec::parse("seg-sex 07:15-19:45").expect("hours");
    ana.store
        .set_weekly_hours("es-vitoria", spec, now())
        .expect("edit");
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("last sync");
    assert_eq!(honest.len(), 40);
    assert_last_hours_served(&server, &format!("seed {seed}"));
    // Nothing outside the pushers' scopes changed: the national text and the office's
    // documents are as the honest device has them, and no attacker document reached it.
    let ids = ana.store.document_ids().expect("ids");
    assert_eq!(ids.len(), office_before, "seed {seed}: {ids:?}");
    assert!(
        !ids.iter().any(|(id, _)| id.starts_with("request:")),
        "{ids:?}"
    );
    let db = server.db();
    let catalog = server
        .runtime
        .block_on(db.docs(Some("organization:cras-centro")))
        .expect("docs");
    assert!(catalog.is_empty(), "no squatting: {catalog:?}");
    let _ = CATALOG_STREAM;
}

#[test]
fn a_server_that_lost_changes_gets_the_whole_history_again_and_nothing_is_lost() {
    if std::env::var("ESV_TEST_BACKEND").as_deref() == Ok("postgres") {
        return; // The loss is made by hand in the SQLite file.
    }
    let server = TestServer::start();
    let mut ana = device(&server, Some("ana"));
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("first sync");
    for spec in ["seg-sex 08:00-16:00", "seg-sex 08:00-17:00"] {
        let spec = esv_shared::hours::spec::parse(spec).expect("hours");
        ana.store
            .set_weekly_hours("es-vitoria", spec, now())
            .expect("edit");
        sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    }
    // The server loses its newest change of the office (a restore from an older backup).
    let conn = rusqlite::Connection::open(&server.db_path).expect("server db");
    let lost = conn
        .execute(
            "DELETE FROM changes WHERE seq = (SELECT max(seq) FROM changes WHERE doc_id = 'office:es-vitoria')",
            [],
        )
        .expect("delete");
    assert_eq!(lost, 1);
    let spec = esv_shared::hours::spec::parse("seg-sex 07:15-19:45").expect("hours");
    ana.store
        .set_weekly_hours("es-vitoria", spec, now())
        .expect("edit");
    let report = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("healed");
    assert!(
        report.accepted >= 2,
        "the lost change went up again: {report:?}"
    );
    assert_last_hours_served(&server, "after the loss");
}

fn legacy_organization(name: &str) -> esv_shared::document::Entity {
    organization("cras-centro", name)
}

fn organization(id: &str, name: &str) -> esv_shared::document::Entity {
    esv_shared::document::Entity::Organization(esv_shared::domain::Organization {
        id: id.into(),
        name: name.into(),
        description: "Centro de Referência de Assistência Social".into(),
        office_id: Some("es-vitoria".into()),
        website: None,
        services: Vec::new(),
        reviewed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date"),
        es: None,
    })
}

/// An organisation named before ids carried their office (`organization:cras-centro`), which
/// the server holds from then: when the server loses part of it, the whole history goes up
/// again — the old name does not make the resent document unsendable.
#[test]
fn a_document_with_an_old_style_id_heals_after_the_server_lost_part_of_it() {
    if std::env::var("ESV_TEST_BACKEND").as_deref() == Ok("postgres") {
        return; // The loss is made by hand in the SQLite file.
    }
    let server = TestServer::start();
    let mut ana = device(&server, Some("ana"));
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("first sync");
    // The document as the server took it before the rule: written on a device, stored by the
    // server as it was then (straight into its log).
    ana.store
        .edit(&legacy_organization("CRAS Centro"), now())
        .expect("edit");
    let doc_id = "organization:cras-centro";
    let scope = Scope::Catalog {
        office: "es-vitoria".into(),
    };
    let first = ana.store.document(doc_id).expect("read").expect("stored");
    let mut batch = esv_server::db::DocBatch::new(doc_id, scope, &first.get_changes(&[]));
    batch.legacy = false;
    server
        .runtime
        .block_on(server.db().ingest(vec![batch]))
        .expect("ingest as before the rule");
    // Its own changes come back in the pull: from then on the device knows the server holds it.
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    for name in ["CRAS Centro (Vitória)", "CRAS Centro de Vitória"] {
        ana.store
            .edit(&legacy_organization(name), now())
            .expect("edit");
        let report = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
        assert_eq!(report.accepted, 1, "{report:?}");
    }
    // The server loses the newest change (a restore from an older backup) …
    let conn = rusqlite::Connection::open(&server.db_path).expect("server db");
    let lost = conn
        .execute(
            "DELETE FROM changes WHERE seq = (SELECT max(seq) FROM changes WHERE doc_id = ?1)",
            [doc_id],
        )
        .expect("delete");
    assert_eq!(lost, 1);
    // … and the next edit brings the whole history back.
    ana.store
        .edit(&legacy_organization("CRAS Centro — Vitória"), now())
        .expect("edit");
    let report = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("healed");
    assert_eq!(report.unsendable_docs, 0, "{report:?}");
    assert!(report.accepted >= 2, "{report:?}");
    assert_eq!(ana.store.outgoing_count().expect("count"), 0);
    let mut fresh = device(&server, None);
    sync::sync(&mut fresh.store, None, now(), &mut |_| {}).expect("fresh sync");
    let heads = fresh.store.heads(doc_id).expect("heads");
    assert_eq!(heads, ana.store.heads(doc_id).expect("heads"));
}

/// A document the server's administrator removed (`esv-server doc remove`): the device is told,
/// stops offering it, keeps its copy, and the rest of its work still goes up.
#[test]
fn a_removed_document_is_no_longer_offered_and_the_rest_still_syncs() {
    let server = TestServer::start();
    let mut ana = device(&server, Some("ana"));
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("first sync");
    ana.store
        .edit(
            &organization("es-vitoria/cras-centro", "CRAS Centro"),
            now(),
        )
        .expect("edit");
    let spec = esv_shared::hours::spec::parse("seg-sex 08:00-16:00").expect("hours");
    ana.store
        .set_weekly_hours("es-vitoria", spec, now())
        .expect("edit");
    sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    let removed = server
        .runtime
        .block_on(server.db().remove_doc(
            "office:es-vitoria",
            "teste de remoção",
            "2026-12-01T13:05:00Z",
        ))
        .expect("remove");
    assert!(removed);
    let spec = esv_shared::hours::spec::parse("seg-sex 07:15-19:45").expect("hours");
    ana.store
        .set_weekly_hours("es-vitoria", spec, now())
        .expect("edit");
    let report = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(report.removed_docs, vec!["office:es-vitoria".to_owned()]);
    assert_eq!(
        ana.store.outgoing_count().expect("count"),
        0,
        "not offered again"
    );
    assert!(ana
        .store
        .document("office:es-vitoria")
        .expect("read")
        .is_some());
    let again = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(again.pushed_docs, 0, "{again:?}");
    assert!(again.removed_docs.is_empty(), "{again:?}");
    // Her other work still goes up.
    ana.store
        .edit(
            &organization("es-vitoria/cras-centro", "CRAS Centro (Vitória)"),
            now(),
        )
        .expect("edit");
    let report = sync::sync(&mut ana.store, None, now(), &mut |_| {}).expect("sync");
    assert_eq!(report.accepted, 1, "{report:?}");
}
