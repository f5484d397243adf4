//! The documents an HSDS import writes (in batches) are real automerge documents: they hold
//! what the one-by-one form holds, load from their bytes, are rebuilt from their changes on
//! another device, and merge with edits made there while this one imports again.

use std::path::Path;

use automerge::{ActorId, Automerge};
use chrono::{DateTime, NaiveTime, Utc, Weekday};
use esv_replica::hsds::Bundle;
use esv_replica::sync::Account;
use esv_replica::Store;
use esv_shared::document::{self, Entity, Stamp};
use esv_shared::domain::{Organization, WeeklyInterval};
use esv_shared::sync::{Role, Session};

const OFFICE: &str = "es-vitoria";
const DOC: &str = "organization:es-vitoria/cras-centro";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("instant")
        .with_timezone(&Utc)
}

fn staff_store(path: &Path) -> Store {
    let (store, _) = Store::open(path).expect("open store");
    store
        .set_account(&Account {
            server: "http://127.0.0.1:9".to_owned(),
            session: Session {
                device: "dev-0123456789abcdef0123".to_owned(),
                token: "token".to_owned(),
                role: Role::Staff,
                office: OFFICE.to_owned(),
                username: Some("ana".to_owned()),
            },
        })
        .expect("account");
    store
}

/// The fixture bundle, with one more service of `cras-centro` when `extra`.
fn bundle(dir: &Path, extra: bool) -> Bundle {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds");
    std::fs::create_dir_all(dir).expect("bundle dir");
    for entry in std::fs::read_dir(&fixture).expect("fixture") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    if extra {
        let services = dir.join("services.csv");
        let mut text = std::fs::read_to_string(&services).expect("services");
        text.push_str(
            "cras-centro-novo,cras-centro,Carteira de trabalho,,Emissão da carteira digital,Adultos,2026-10-01,work-income,\n",
        );
        std::fs::write(&services, text).expect("services");
    }
    Bundle::read(dir).expect("bundle")
}

fn organization(doc: &Automerge) -> Organization {
    match document::read(doc).expect("read") {
        Entity::Organization(o) => o,
        other => panic!("not an organization: {other:?}"),
    }
}

/// The same entity written one operation at a time: what the document must hold.
fn one_by_one(doc: &Automerge) -> automerge::hydrate::Value {
    let stamp = Stamp {
        message: "referência".into(),
        time: 0,
    };
    let entity = Entity::Organization(organization(doc));
    document::create(&entity, ActorId::from(*b"reference-actor!"), &stamp)
        .expect("create")
        .hydrate(None)
}

#[test]
fn an_imported_document_loads_rebuilds_from_its_changes_and_merges_with_another_devices_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(&dir.path().join("store.db"));
    let first = bundle(&dir.path().join("first"), false);
    store.hsds_import(OFFICE, &first, now()).expect("import");

    let imported = store.document(DOC).expect("read").expect("imported");
    assert_eq!(imported.hydrate(None), one_by_one(&imported));
    let reloaded = Automerge::load(&imported.save()).expect("load its bytes");
    assert_eq!(organization(&reloaded), organization(&imported));

    // Another device gets the document as sync sends it: its changes, one by one.
    let mut other = Automerge::new().with_actor(ActorId::from(*b"other-device-000"));
    other
        .apply_changes(imported.get_changes(&[]))
        .expect("apply the changes");
    assert_eq!(other.get_heads(), imported.get_heads());
    assert_eq!(organization(&other), organization(&imported));

    // Meanwhile here: a second import adds a service to the document (a new object in an
    // existing document, in a batch) and staff set a service's hours.
    let second = bundle(&dir.path().join("second"), true);
    let plan = store.hsds_import(OFFICE, &second, now()).expect("import");
    assert_eq!(plan.written, 1, "{plan:#?}");
    let hours = vec![WeeklyInterval {
        weekday: Weekday::Sat,
        opens: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
        closes: NaiveTime::from_hms_opt(12, 0, 0).expect("time"),
    }];
    assert!(store
        .set_weekly_hours("cras-centro-bolsa", hours.clone(), now())
        .expect("hours"));

    // There: the other device renames a service.
    let mut theirs = organization(&other);
    let cadunico = theirs
        .services
        .iter_mut()
        .find(|s| s.id == "cras-centro-cadunico")
        .expect("cadunico");
    cadunico.name = "Cadastro Único (CadÚnico)".into();
    let stamp = Stamp {
        message: "edição local".into(),
        time: now().timestamp(),
    };
    assert!(document::write(&mut other, &Entity::Organization(theirs), &stamp).expect("write"));

    assert_eq!(
        store
            .put_documents([(DOC.to_owned(), other.clone())], now())
            .expect("merge theirs"),
        1
    );
    let merged = store.document(DOC).expect("read").expect("merged");
    let org = organization(&merged);
    let service = |id: &str| {
        org.services
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("no {id} in {:?}", org.services))
    };
    assert_eq!(
        service("cras-centro-cadunico").name,
        "Cadastro Único (CadÚnico)"
    );
    assert_eq!(service("cras-centro-novo").name, "Carteira de trabalho");
    assert_eq!(
        service("cras-centro-bolsa")
            .schedule
            .as_ref()
            .expect("hours")
            .intervals,
        hours
    );
    assert_eq!(
        store.conflicts(DOC).expect("conflicts"),
        Vec::<String>::new()
    );
    assert_eq!(merged.hydrate(None), one_by_one(&merged));

    // And the other device, merging this one's document, reads the same.
    let mut ours = merged.clone();
    other.merge(&mut ours).expect("merge ours");
    assert_eq!(other.get_heads(), merged.get_heads());
    assert_eq!(organization(&other), org);
}
