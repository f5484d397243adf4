//! One pulled document that cannot be applied, read or projected costs only itself: the rest of
//! the round is applied and the cursors move, the bad one is kept aside with its reason, and it
//! is taken in later when what it lacked comes (more of it, an update of the app). Real SQLite
//! files, real automerge documents.

use std::collections::BTreeMap;
use std::path::Path;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ROOT};
use chrono::{DateTime, Utc};
use esv_replica::sync::HeldKind;
use esv_replica::Store;
use esv_shared::document::{self, DocKind, Entity, Stamp, SCHEMA};
use esv_shared::domain::RightsArticle;
use esv_shared::locale::Locale;
use esv_shared::requests::{Request, RequestKind};
use esv_shared::sync::{Pulled, Scope, NATIONAL};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

fn later() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:30:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

fn stamp() -> Stamp {
    Stamp {
        message: "outro aparelho".into(),
        time: 1_764_000_000,
    }
}

fn national() -> Scope {
    Scope::Catalog {
        office: NATIONAL.into(),
    }
}

fn open(path: &Path) -> Store {
    let (store, notice) = Store::open(path).expect("open store");
    assert_eq!(notice, None);
    store
}

/// A rights article like the bundled ones, under another id.
fn article(store: &Store, id: &str, title: &str) -> RightsArticle {
    let Some(Entity::RightsArticle(base)) = store
        .entities(DocKind::RightsArticle)
        .expect("articles")
        .into_iter()
        .next()
    else {
        panic!("the bundled catalog has rights articles");
    };
    RightsArticle {
        id: id.into(),
        title: title.into(),
        ..base
    }
}

/// Another device's document of `entity`.
fn authored(entity: &Entity) -> Automerge {
    document::create(entity, ActorId::random(), &stamp()).expect("create")
}

fn changes_since(doc: &Automerge, heads: &[ChangeHash]) -> Vec<Vec<u8>> {
    doc.get_changes(heads)
        .into_iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect()
}

fn pulled(doc_id: &str, scope: &Scope, changes: Vec<Vec<u8>>) -> Vec<Pulled> {
    changes
        .into_iter()
        .enumerate()
        .map(|(i, change)| Pulled {
            stream: scope.stream(),
            seq: i as u64 + 1,
            doc_id: doc_id.into(),
            scope: scope.clone(),
            change,
        })
        .collect()
}

/// Every projection row, as text, in a fixed order (the full-text rows without their rowids).
/// Applies a catalog round of `bad` with a good national document beside it (catalog cursor
/// 2); answers how many documents changed.
fn apply_beside(store: &mut Store, mut bad: Vec<Pulled>, fine: &Entity) -> usize {
    bad.extend(pulled(
        &fine.doc_id(),
        &national(),
        changes_since(&authored(fine), &[]),
    ));
    store
        .apply_round(
            &[],
            bad,
            &[],
            &BTreeMap::from([("catalog".to_owned(), 2)]),
            now(),
        )
        .expect("round")
}

fn projections(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("raw");
    let mut out = Vec::new();
    for sql in [
        "SELECT id || '|' || doc_id || '|' || title || '|' || data FROM articles ORDER BY id",
        "SELECT id || '|' || doc_id || '|' || name || '|' || data FROM providers ORDER BY id",
        "SELECT id || '|' || doc_id || '|' || name || '|' || data FROM services ORDER BY id",
        "SELECT service_id || '|' || category FROM service_categories ORDER BY 1",
        "SELECT id || '|' || doc_id || '|' || status || '|' || data FROM requests ORDER BY id",
        "SELECT id || '|' || doc_id || '|' || data FROM opportunities ORDER BY id",
        "SELECT kind || '|' || ref || '|' || name || '|' || body FROM search_fts ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(sql).expect("prepare");
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        out.extend(rows);
    }
    out
}

fn article_title(path: &Path, id: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(path).expect("raw");
    conn.query_row("SELECT title FROM articles WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .ok()
}

fn held(store: &Store) -> BTreeMap<String, HeldKind> {
    store
        .quarantined()
        .expect("quarantined")
        .into_iter()
        .map(|q| (q.doc_id, q.kind))
        .collect()
}

#[test]
fn one_round_with_bad_documents_applies_the_good_one_and_keeps_the_rest_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let mut store = open(&path);
    let scope = national();

    // A good document.
    let good = Entity::RightsArticle(article(&store, "novo-direito", "Um direito novo"));
    let mut round = pulled(&good.doc_id(), &scope, changes_since(&authored(&good), &[]));

    // Bytes that are no automerge change.
    round.extend(pulled(
        "rights-article:lixo",
        &scope,
        vec![b"isto nao e uma alteracao".to_vec()],
    ));

    // A change whose earlier change is never sent.
    let orphan_entity = article(&store, "sem-anteriores", "Primeira versão");
    let mut orphan = authored(&Entity::RightsArticle(orphan_entity.clone()));
    let first = orphan.get_heads();
    let first_change = changes_since(&orphan, &[]);
    let edited = Entity::RightsArticle(RightsArticle {
        title: "Segunda versão".into(),
        ..orphan_entity
    });
    document::write(&mut orphan, &edited, &stamp()).expect("edit");
    round.extend(pulled(
        &edited.doc_id(),
        &scope,
        changes_since(&orphan, &first),
    ));

    // A change to a document this device holds that takes its kind away.
    let (existing_id, _) = store
        .document_ids()
        .expect("ids")
        .into_iter()
        .find(|(_, kind)| kind == "rights-article")
        .expect("a bundled article");
    let existing_heads = store.heads(&existing_id).expect("heads");
    let before = projections(&path);
    let mut fork = store
        .document(&existing_id)
        .expect("read")
        .expect("stored")
        .with_actor(ActorId::random());
    let mut tx = fork.transaction();
    tx.delete(ROOT, "kind").expect("delete kind");
    tx.commit();
    round.extend(pulled(
        &existing_id,
        &scope,
        changes_since(&fork, &existing_heads),
    ));

    // A document of a later schema.
    let future = Entity::RightsArticle(article(&store, "do-futuro", "Do futuro"));
    let mut newer = authored(&future);
    let mut tx = newer.transaction();
    tx.put(ROOT, "schema", SCHEMA + 1).expect("schema");
    tx.commit();
    round.extend(pulled(&future.doc_id(), &scope, changes_since(&newer, &[])));

    // A citizen's request whose id names another device than its scope.
    let request = Entity::Request(Request {
        id: "aparelho-b/1".into(),
        office_id: "es-vitoria".into(),
        device: "aparelho-b".into(),
        kind: RequestKind::Documents,
        text: "Preciso da segunda via do RG".into(),
        name: None,
        contact: None,
        service_id: None,
        created_at: now(),
        assigned_to: None,
        events: Vec::new(),
    });
    let citizen = Scope::Citizen {
        office: "es-vitoria".into(),
        device: "aparelho-a".into(),
    };
    round.extend(pulled(
        &request.doc_id(),
        &citizen,
        changes_since(&authored(&request), &[]),
    ));

    let cursors = BTreeMap::from([
        ("catalog".to_owned(), 42),
        ("requests:es-vitoria".to_owned(), 7),
    ]);
    let changed = store
        .apply_round(&[], round, &[], &cursors, now())
        .expect("one bad document never fails the round");

    assert_eq!(changed, 1, "only the good document changed");
    assert_eq!(
        store.cursors().expect("cursors"),
        cursors,
        "the cursors moved"
    );
    assert_eq!(
        article_title(&path, "novo-direito").as_deref(),
        Some("Um direito novo")
    );
    assert_eq!(
        held(&store),
        BTreeMap::from([
            (existing_id.clone(), HeldKind::NotAnEntity),
            ("request:aparelho-b/1".to_owned(), HeldKind::WrongOwner),
            ("rights-article:do-futuro".to_owned(), HeldKind::NewerSchema),
            ("rights-article:lixo".to_owned(), HeldKind::Damaged),
            (
                "rights-article:sem-anteriores".to_owned(),
                HeldKind::MissingDeps
            ),
        ])
    );
    for q in store.quarantined().expect("quarantined") {
        assert_eq!(q.since, now(), "{}", q.doc_id);
        assert!(!q.reason.is_empty(), "{}", q.doc_id);
    }
    let no_kind = store
        .quarantined()
        .expect("quarantined")
        .into_iter()
        .find(|q| q.doc_id == existing_id)
        .expect("held");
    assert!(no_kind.reason.contains("“kind”"), "{}", no_kind.reason);
    for id in [
        "rights-article:lixo",
        "rights-article:sem-anteriores",
        "rights-article:do-futuro",
        "request:aparelho-b/1",
    ] {
        assert!(
            store.document(id).expect("read").is_none(),
            "{id} not stored"
        );
    }

    // The document this device held is as it was, its projection too.
    assert_eq!(store.heads(&existing_id).expect("heads"), existing_heads);
    let mut after = projections(&path);
    after.retain(|row| !row.contains("novo-direito") && !row.contains("Um direito novo"));
    assert_eq!(after, before, "only the good document's rows are new");

    // What staff are told, in both languages.
    assert_eq!(
        store.quarantine_label().expect("label").as_deref(),
        Some(
            "Atualize o aplicativo para ver 1 item novo. 4 documentos recebidos não puderam \
             ser lidos."
        )
    );
    store.set_locale(Locale::Es);
    assert_eq!(
        store.quarantine_label().expect("label").as_deref(),
        Some(
            "Actualice la aplicación para ver 1 elemento nuevo. 4 documentos recibidos no se \
             pudieron leer."
        )
    );

    // The projections made round by round are those made from the documents.
    let incremental = projections(&path);
    store.rebuild_projections().expect("rebuild");
    assert_eq!(projections(&path), incremental);

    // A later round brings the missing change: held and new ones are applied together.
    let next = BTreeMap::from([("catalog".to_owned(), 43)]);
    let changed = store
        .apply_round(
            &[],
            pulled(&edited.doc_id(), &scope, first_change),
            &[],
            &next,
            later(),
        )
        .expect("round");
    assert_eq!(changed, 1);
    assert_eq!(
        article_title(&path, "sem-anteriores").as_deref(),
        Some("Segunda versão"),
        "both changes are in"
    );
    assert!(!held(&store).contains_key("rights-article:sem-anteriores"));
    assert_eq!(held(&store).len(), 4);
    assert_eq!(store.cursors().expect("cursors")["catalog"], 43);

    // Retried by this build, the newer document stays aside (kept, not lost) …
    assert_eq!(store.retry_quarantined(later()).expect("retry"), 0);
    assert_eq!(
        held(&store).get("rights-article:do-futuro"),
        Some(&HeldKind::NewerSchema)
    );
    assert_eq!(article_title(&path, "do-futuro"), None);
    // … and an app that reads its schema takes it in and shows it.
    assert_eq!(
        store
            .retry_quarantined_up_to(SCHEMA + 1, Some(later()))
            .expect("retry as the updated app"),
        1
    );
    assert_eq!(
        article_title(&path, "do-futuro").as_deref(),
        Some("Do futuro")
    );
    assert!(!held(&store).contains_key("rights-article:do-futuro"));
    assert_eq!(
        store.heads("rights-article:do-futuro").expect("heads"),
        newer.get_heads(),
        "the document is the one that came, whole"
    );
}

#[test]
fn a_snapshot_with_a_bad_document_takes_in_the_rest_and_sets_the_cursor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let mut store = open(&path);
    let good = Entity::RightsArticle(article(&store, "do-instantaneo", "Do instantâneo"));
    let docs = vec![
        esv_shared::sync::SnapshotDoc {
            doc_id: "rights-article:danificado".into(),
            scope: national(),
            bytes: vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3],
        },
        esv_shared::sync::SnapshotDoc {
            doc_id: good.doc_id(),
            scope: national(),
            bytes: authored(&good).save(),
        },
    ];
    let changed = store
        .apply_snapshot("catalog", 99, docs, &[], now())
        .expect("snapshot");
    assert_eq!(changed, 1);
    assert_eq!(store.cursors().expect("cursors")["catalog"], 99);
    assert_eq!(
        article_title(&path, "do-instantaneo").as_deref(),
        Some("Do instantâneo")
    );
    assert_eq!(
        held(&store),
        BTreeMap::from([("rights-article:danificado".to_owned(), HeldKind::Damaged)])
    );
}

#[test]
fn a_clash_heals_when_the_store_opens_after_an_update() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let scope = national();
    let b = {
        let mut store = open(&path);
        let mut a = article(&store, "primeiro", "Primeiro");
        // Another document that shows the same article id.
        let b = Entity::RightsArticle(article(&store, "primeiro", "Segundo, com o mesmo id"));
        let a_doc = authored(&Entity::RightsArticle(a.clone()));
        let mut round = pulled(
            "rights-article:primeiro",
            &scope,
            changes_since(&a_doc, &[]),
        );
        round.extend(pulled(
            "rights-article:segundo",
            &scope,
            changes_since(&authored(&b), &[]),
        ));
        let cursors = BTreeMap::from([("catalog".to_owned(), 2)]);
        store
            .apply_round(&[], round, &[], &cursors, now())
            .expect("round");
        assert_eq!(
            held(&store),
            BTreeMap::from([("rights-article:segundo".to_owned(), HeldKind::Clash)])
        );
        // The first document then takes another id: the clash is gone, but nothing new of
        // the second came, so it waits.
        let mut a_doc = a_doc;
        let heads = a_doc.get_heads();
        a.id = "primeiro-renomeado".into();
        document::write(&mut a_doc, &Entity::RightsArticle(a.clone()), &stamp()).expect("write");
        store
            .apply_round(
                &[],
                pulled(
                    "rights-article:primeiro",
                    &scope,
                    changes_since(&a_doc, &heads),
                ),
                &[],
                &BTreeMap::from([("catalog".to_owned(), 3)]),
                now(),
            )
            .expect("round");
        assert_eq!(held(&store).len(), 1);
        b
    };
    // Opened again by the same build: not retried.
    {
        let store = open(&path);
        assert_eq!(
            held(&store).len(),
            1,
            "the same build does not retry at open"
        );
        assert_eq!(
            store.meta("quarantine.app_version").expect("meta"),
            Some(esv_replica::sync::app_version())
        );
    }
    // As after an update of the app: retried at open, taken in and projected.
    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute(
            "UPDATE meta SET value = '0.0.1+schema.1' WHERE key = 'quarantine.app_version'",
            [],
        )
        .expect("older build");
    let store = open(&path);
    assert!(held(&store).is_empty(), "{:?}", store.quarantined());
    assert_eq!(
        article_title(&path, "primeiro").as_deref(),
        Some("Segundo, com o mesmo id")
    );
    assert_eq!(
        article_title(&path, "primeiro-renomeado").as_deref(),
        Some("Primeiro")
    );
    assert!(store
        .document(&b.doc_id())
        .expect("read")
        .is_some_and(|d| !d.get_heads().is_empty()));
}

#[test]
fn erasing_a_subject_drops_its_quarantined_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let mut store = open(&path);
    let citizen = Scope::Citizen {
        office: "es-vitoria".into(),
        device: "aparelho-a".into(),
    };
    store
        .apply_round(
            &[],
            pulled("request:aparelho-a/1", &citizen, vec![vec![1, 2, 3]]),
            &[],
            &BTreeMap::from([("requests:es-vitoria".to_owned(), 1)]),
            now(),
        )
        .expect("round");
    assert_eq!(held(&store).len(), 1);
    store.erase_subject_locally("aparelho-a").expect("erase");
    assert!(held(&store).is_empty(), "nothing of the subject is kept");
}

#[test]
fn a_store_of_the_previous_version_gets_the_quarantine_and_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let previous = esv_replica::migrations::QUARANTINE - 1;
    let (documents, rows) = {
        let mut store = open(&path);
        let a = Entity::RightsArticle(article(&store, "antes", "De antes da atualização"));
        store.edit(&a, now()).expect("edit");
        let documents = store.document_ids().expect("ids");
        let rows = projections(&path);
        drop(store);
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute_batch(&format!(
            "DROP TABLE quarantine; DELETE FROM meta WHERE key = 'quarantine.app_version';
             ALTER TABLE audit_pending DROP COLUMN what;
             DROP INDEX referrals_waiting;
             DROP INDEX people_for_report_by_origin; ALTER TABLE people DROP COLUMN origin;
             CREATE INDEX people_for_report
                 ON people (office_id, id, stage, race, gender, merged_into);
             PRAGMA user_version = {previous};"
        ))
        .expect("downgrade");
        (documents, rows)
    };
    {
        let store = Store::open_at_version(&path, previous).expect("previous version");
        assert_eq!(store.schema_version().expect("version"), previous);
        assert!(store.quarantined().is_err(), "no quarantine table yet");
    }
    let store = open(&path);
    assert_eq!(
        store.schema_version().expect("version"),
        esv_replica::migrations::latest()
    );
    assert_eq!(store.quarantined().expect("the new table"), Vec::new());
    assert_eq!(store.document_ids().expect("ids"), documents);
    assert_eq!(projections(&path), rows);
    assert_eq!(
        store.outgoing_count().expect("outgoing"),
        1,
        "the edit still waits"
    );
}

/// A stored document this build cannot read — taken in by a newer app, then the app went back
/// a version — does not keep the store from opening or its projections from being made again:
/// it is kept aside, the rest is shown, and it is shown again once an app reads it.
#[test]
fn rebuilding_projections_keeps_an_unreadable_stored_document_aside_and_shows_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let scope = national();
    let mut store = open(&path);
    let future = Entity::RightsArticle(article(&store, "do-futuro", "Do futuro"));
    let mut newer = authored(&future);
    let mut tx = newer.transaction();
    tx.put(ROOT, "schema", SCHEMA + 1).expect("schema");
    tx.commit();
    let plain = Entity::RightsArticle(article(&store, "de-hoje", "De hoje"));
    let mut round = pulled(&future.doc_id(), &scope, changes_since(&newer, &[]));
    round.extend(pulled(
        &plain.doc_id(),
        &scope,
        changes_since(&authored(&plain), &[]),
    ));
    store
        .apply_round(
            &[],
            round,
            &[],
            &BTreeMap::from([("catalog".to_owned(), 2)]),
            now(),
        )
        .expect("round");
    // The newer app took it in and stored it …
    assert_eq!(
        store
            .retry_quarantined_up_to(SCHEMA + 1, Some(now()))
            .expect("as the newer app"),
        1
    );
    assert!(held(&store).is_empty());
    let stored: i64 = rusqlite::Connection::open(&path)
        .expect("raw")
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .expect("count");
    drop(store);

    // … and this build rebuilds the projections (what a migration at open does).
    let mut store = open(&path);
    let projected = store.rebuild_projections().expect("rebuild");
    assert_eq!(
        held(&store),
        BTreeMap::from([(future.doc_id(), HeldKind::NewerSchema)]),
        "{:?}",
        store.quarantined()
    );
    assert_eq!(article_title(&path, "do-futuro"), None, "not shown");
    assert_eq!(article_title(&path, "de-hoje").as_deref(), Some("De hoje"));
    assert!(
        store.document(&future.doc_id()).expect("read").is_some(),
        "its stored copy stays"
    );
    assert_eq!(projected as i64, stored - 1, "all but the one");
    assert!(store
        .entities(DocKind::RightsArticle)
        .expect("the others read")
        .iter()
        .any(|e| e.doc_id() == plain.doc_id()));
    // Retried by this build it stays aside; by an app that reads it, it is shown again.
    assert_eq!(store.retry_quarantined(later()).expect("retry"), 0);
    assert_eq!(
        store
            .retry_quarantined_up_to(SCHEMA + 1, Some(later()))
            .expect("updated"),
        1
    );
    assert!(held(&store).is_empty());
    assert_eq!(
        article_title(&path, "do-futuro").as_deref(),
        Some("Do futuro")
    );
}

/// An office's catalog document under another office's id, or a personal document in a
/// catalog, is kept aside whatever the server relayed; the right one beside it is shown.
#[test]
fn catalog_documents_that_name_another_owner_are_kept_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let mut store = open(&path);
    let office = Scope::Catalog {
        office: "es-vitoria".into(),
    };
    // A national rights article pushed into an office's catalog: national text is not an
    // office's to publish.
    let stray = Entity::RightsArticle(article(&store, "falso", "Texto falso"));
    let fine = Entity::RightsArticle(article(&store, "verdadeiro", "Texto certo"));
    let bad = pulled(
        &stray.doc_id(),
        &office,
        changes_since(&authored(&stray), &[]),
    );
    let changed = apply_beside(&mut store, bad, &fine);
    assert_eq!(changed, 1);
    assert_eq!(
        held(&store),
        BTreeMap::from([(stray.doc_id(), HeldKind::WrongOwner)])
    );
    assert_eq!(article_title(&path, "falso"), None);
    assert_eq!(
        article_title(&path, "verdadeiro").as_deref(),
        Some("Texto certo")
    );
}

/// A flood of bad bytes does not fill the phone: over the bound, the reason is kept and the
/// bytes are not, and the round still applies.
#[test]
fn a_document_too_big_to_keep_aside_keeps_its_reason_and_not_its_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let mut store = open(&path);
    let junk = vec![0x5a_u8; esv_replica::sync::MAX_HELD_DOC + 1];
    let fine = Entity::RightsArticle(article(&store, "pequeno", "Pequeno"));
    apply_beside(
        &mut store,
        pulled("rights-article:enorme", &national(), vec![junk]),
        &fine,
    );
    let q = store.quarantined().expect("quarantined");
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].kind, HeldKind::Damaged);
    assert!(q[0].reason.contains("grande demais"), "{}", q[0].reason);
    let kept: i64 = rusqlite::Connection::open(&path)
        .expect("raw")
        .query_row("SELECT sum(length(held)) FROM quarantine", [], |r| r.get(0))
        .expect("size");
    assert_eq!(kept, 0);
    assert_eq!(article_title(&path, "pequeno").as_deref(), Some("Pequeno"));
    assert_eq!(store.cursors().expect("cursors")["catalog"], 2);
}
