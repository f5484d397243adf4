//! Documents written by a later version of the app, saved again by this one: fields and enum
//! values this version does not know are read as absent and stay in the document, so the
//! devices that updated first lose nothing when a device that did not update edits the record.

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use chrono::{DateTime, Utc};
use esv_shared::document::{self, Entity, Stamp};
use esv_shared::people::{CivilDocument, Consent, ConsentForm, Person, Race};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("instant")
        .with_timezone(&Utc)
}

fn stamp(message: &str) -> Stamp {
    Stamp {
        message: message.into(),
        time: 1_796_000_000,
    }
}

fn person() -> Person {
    let mut person = Person::new("p-1", "es-df", "ana", now());
    person.social_name = Some("Joana".into());
    person.race = Some(Race::Brown);
    person.missing_documents = vec![CivilDocument::IdCard];
    person.consents = vec![Consent {
        id: "c-1".into(),
        purpose: "atendimento".into(),
        form: ConsentForm::Spoken,
        staff: "ana".into(),
        at: now(),
        withdrawn_at: None,
    }];
    person
}

/// The object at `path` under the document's `data`.
fn object(doc: &Automerge, path: &[&str]) -> ObjId {
    let mut obj = match doc.get(&ROOT, "data").expect("get") {
        Some((Value::Object(_), id)) => id,
        other => panic!("no data: {other:?}"),
    };
    for key in path {
        obj = match doc.get(&obj, *key).expect("get") {
            Some((Value::Object(_), id)) => id,
            other => panic!("no object at {key}: {other:?}"),
        };
    }
    obj
}

fn text(doc: &Automerge, path: &[&str], key: &str) -> Option<String> {
    match doc.get(object(doc, path), key).expect("get")? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn texts(doc: &Automerge, key: &str) -> Vec<String> {
    let list = object(doc, &[key]);
    (0..doc.length(&list))
        .filter_map(|i| match doc.get(&list, i).expect("get") {
            Some((Value::Scalar(s), _)) => s.as_str().map(str::to_owned),
            _ => None,
        })
        .collect()
}

/// What a later version writes: a field this one lacks (at the top and inside a consent), a
/// raça/cor value and a civil document it does not know.
fn written_by_a_newer_app() -> Automerge {
    let mut doc = document::create(&Entity::Person(person()), ActorId::random(), &stamp("v1"))
        .expect("create");
    let mut tx = doc.transaction();
    let data = match tx.get(&ROOT, "data").expect("get") {
        Some((Value::Object(ObjType::Map), id)) => id,
        other => panic!("no data: {other:?}"),
    };
    tx.put(&data, "release_place", "CDP Papuda").expect("put");
    tx.put(&data, "race", "cor-de-uma-versao-futura")
        .expect("put");
    let documents = match tx.get(&data, "missing_documents").expect("get") {
        Some((Value::Object(ObjType::List), id)) => id,
        other => panic!("no list: {other:?}"),
    };
    tx.insert(&documents, 1, "reservista").expect("insert");
    let consents = match tx.get(&data, "consents").expect("get") {
        Some((Value::Object(ObjType::Map), id)) => id,
        other => panic!("no consents: {other:?}"),
    };
    let consent = match tx.get(&consents, "c-1").expect("get") {
        Some((Value::Object(ObjType::Map), id)) => id,
        other => panic!("no consent: {other:?}"),
    };
    tx.put(&consent, "controller_contact", "dpo@exemplo.gov.br")
        .expect("put");
    tx.commit();
    doc
}

fn read_person(doc: &Automerge) -> Person {
    match document::read(doc).expect("read") {
        Entity::Person(p) => p,
        other => panic!("not a person: {other:?}"),
    }
}

#[test]
fn an_older_app_reads_unknown_values_as_absent() {
    let doc = written_by_a_newer_app();
    let person = read_person(&doc);
    assert_eq!(
        person.race, None,
        "a raça/cor it does not know is not shown"
    );
    assert_eq!(person.missing_documents, vec![CivilDocument::IdCard]);
    assert_eq!(person.social_name.as_deref(), Some("Joana"));
}

#[test]
fn an_older_app_saving_an_edit_keeps_what_a_newer_app_added() {
    let mut doc = written_by_a_newer_app();
    let mut person = read_person(&doc);
    person.social_name = Some("Joana Silva".into());
    let changed =
        document::write(&mut doc, &Entity::Person(person), &stamp("v0 edit")).expect("write");
    assert!(changed);
    assert_eq!(
        text(&doc, &[], "social_name").as_deref(),
        Some("Joana Silva")
    );
    assert_eq!(
        text(&doc, &[], "release_place").as_deref(),
        Some("CDP Papuda")
    );
    assert_eq!(
        text(&doc, &[], "race").as_deref(),
        Some("cor-de-uma-versao-futura")
    );
    assert_eq!(texts(&doc, "missing_documents"), ["id-card", "reservista"]);
    assert_eq!(
        text(&doc, &["consents", "c-1"], "controller_contact").as_deref(),
        Some("dpo@exemplo.gov.br")
    );
}

#[test]
fn an_older_app_saving_without_an_edit_changes_nothing() {
    let mut doc = written_by_a_newer_app();
    let person = read_person(&doc);
    let changed = document::write(&mut doc, &Entity::Person(person), &stamp("v0")).expect("write");
    assert!(!changed, "saving what was read writes no change");
}

#[test]
fn what_the_person_changes_is_written_and_unread_list_values_stay() {
    let mut doc = written_by_a_newer_app();
    let mut person = read_person(&doc);
    person.race = Some(Race::Black);
    person.missing_documents.push(CivilDocument::Cpf);
    document::write(&mut doc, &Entity::Person(person), &stamp("v0 edit")).expect("write");
    assert_eq!(text(&doc, &[], "race").as_deref(), Some("black"));
    assert_eq!(
        texts(&doc, "missing_documents"),
        ["id-card", "cpf", "reservista"]
    );
    // And removing the only document this version knows keeps the one it cannot show.
    let mut person = read_person(&doc);
    person.missing_documents.clear();
    document::write(&mut doc, &Entity::Person(person), &stamp("v0 edit")).expect("write");
    assert_eq!(texts(&doc, "missing_documents"), ["reservista"]);
}

#[test]
fn a_field_this_version_knows_is_still_removed() {
    let bundled = esv_replica::bundled::documents().expect("bundle");
    let cpf = bundled
        .iter()
        .find(|d| d.doc_id.ends_with("direitos-cpf"))
        .expect("direitos-cpf");
    let mut doc = Automerge::load(&cpf.bytes)
        .expect("load")
        .with_actor(ActorId::random());
    let Entity::RightsArticle(mut article) = document::read(&doc).expect("read") else {
        panic!("not an article");
    };
    assert!(article.es.is_some());
    article.es = None;
    article.keywords.truncate(1);
    document::write(&mut doc, &Entity::RightsArticle(article), &stamp("editor")).expect("write");
    let data = object(&doc, &[]);
    assert!(
        doc.get(&data, "es").expect("get").is_none(),
        "a known field set to none is removed"
    );
    assert_eq!(texts(&doc, "keywords").len(), 1);
}

#[test]
fn a_consent_removed_here_is_removed_with_its_unknown_fields() {
    let mut doc = written_by_a_newer_app();
    let mut person = read_person(&doc);
    person.consents.clear();
    document::write(&mut doc, &Entity::Person(person), &stamp("v0 edit")).expect("write");
    let consents = object(&doc, &["consents"]);
    assert_eq!(doc.keys(&consents).count(), 0, "the keyed item is gone");
}
