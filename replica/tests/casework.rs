//! Requests and busca ativa on one device, through the real store: a citizen's request waits
//! in the outbox and keeps its timeline; an encounter needs consent, saves person, encounter
//! and referrals together, and search before create finds the person again; drafts keep what
//! was typed.

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::requests::NewRequest;
use esv_replica::{ReplicaError, Store};
use esv_shared::matching::{Likeness, PersonKey};
use esv_shared::people::{ConsentForm, Need, Race, ReferralStatus, Stage};
use esv_shared::requests::{Party, RequestKind, RequestStatus};

mod support;
use support::store;

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn form(name: &str) -> EncounterForm {
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: "ana".into(),
        person: PersonFields {
            social_name: Some(name.into()),
            birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
            mother_name: Some("Joana Teste".into()),
            stage: Some(Stage::Released),
            race: Some(Race::Brown),
            ..Default::default()
        },
        consent: Some(ConsentForm::Spoken),
        needs: vec![Need::CivilDocuments, Need::Housing],
        referrals: vec![ReferralForm {
            service_id: "es-vitoria-documentos".into(),
            reason: Some("Tirar a CIN".into()),
        }],
        ..Default::default()
    }
}

#[test]
fn a_request_waits_in_the_outbox_and_keeps_both_sides_of_its_timeline() {
    let (_dir, mut store) = store();
    let missing = store
        .create_request(
            &NewRequest {
                office_id: "es-vitoria".into(),
                text: "  ".into(),
                contact: Some("abc".into()),
                ..Default::default()
            },
            now(),
        )
        .expect_err("empty form");
    let ReplicaError::BadInput(words) = missing else {
        panic!("plain words expected");
    };
    assert!(words.contains("Escolha do que você precisa"), "{words}");
    assert!(words.contains("telefone"), "{words}");
    assert!(store.requests().expect("list").is_empty(), "nothing stored");

    let request = store
        .create_request(
            &NewRequest {
                office_id: "es-vitoria".into(),
                kind: Some(RequestKind::Documents),
                text: "Preciso tirar a segunda via do RG".into(),
                name: Some("Maria".into()),
                contact: Some("(27) 99999-1234".into()),
                service_id: None,
            },
            now(),
        )
        .expect("request");
    let (device, _) = store.citizen_identity().expect("identity");
    assert!(request.id.starts_with(&format!("{device}/")));
    let rows = store.requests().expect("list");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status(), RequestStatus::Waiting, "not sent yet");
    assert!(rows[0].pending);

    store
        .add_to_request(
            &request.id,
            Party::Citizen,
            None,
            Some("Pode ser de manhã"),
            None,
            now(),
        )
        .expect("message");
    let refused = store.add_to_request(
        &request.id,
        Party::Citizen,
        None,
        None,
        Some(RequestStatus::Done),
        now(),
    );
    assert!(matches!(refused, Err(ReplicaError::BadInput(_))));
    store
        .add_to_request(
            &request.id,
            Party::Citizen,
            None,
            None,
            Some(RequestStatus::Cancelled),
            now() + chrono::Duration::minutes(1),
        )
        .expect("cancel");
    let row = store.request(&request.id).expect("row");
    assert_eq!(row.request.status(), RequestStatus::Cancelled);
    assert_eq!(row.request.events.len(), 2);
    assert!(
        store
            .add_to_request(
                &request.id,
                Party::Office,
                Some("ana"),
                None,
                Some(RequestStatus::InProgress),
                now()
            )
            .is_err(),
        "a cancelled request stays cancelled"
    );
}

#[test]
fn nothing_about_a_person_is_saved_without_consent() {
    let (_dir, mut store) = store();
    let mut no_consent = form("Maria Aparecida Teste");
    no_consent.consent = None;
    let err = store
        .record_encounter(&no_consent, now())
        .expect_err("no consent");
    assert!(err.to_string().contains("consentimento"), "{err}");
    let mut nameless = form("  ");
    nameless.person.social_name = None;
    assert!(store.record_encounter(&nameless, now()).is_err());
    let mut unknown_service = form("Maria Aparecida Teste");
    unknown_service.referrals[0].service_id = "nao-existe".into();
    assert!(store.record_encounter(&unknown_service, now()).is_err());
    assert!(
        store.people().expect("people").is_empty(),
        "nothing half-saved"
    );
}

#[test]
fn an_encounter_saves_person_encounter_and_referrals_and_the_person_is_found_again() {
    let (_dir, mut store) = store();
    let recorded = store
        .record_encounter(&form("Maria Aparecida Teste"), now())
        .expect("record");
    store
        .record_encounter(&form("José Carlos Exemplo"), now())
        .expect("record");
    let person = store.person(&recorded.person_id).expect("person");
    assert!(person.has_consent());
    assert_eq!(person.race, Some(Race::Brown));
    let encounters = store
        .encounters_of(&recorded.person_id)
        .expect("encounters");
    assert_eq!(encounters.len(), 1);
    assert_eq!(
        encounters[0].needs,
        vec![Need::CivilDocuments, Need::Housing]
    );
    assert_eq!(encounters[0].consent_id, person.consents[0].id);
    let referrals = store.referrals_of(&recorded.person_id).expect("referrals");
    assert_eq!(referrals.len(), 1);
    assert_eq!(referrals[0].status, ReferralStatus::Referred);

    // Search before create: no accents, a typo, the birth date to tell apart.
    let typed = PersonKey {
        social_name: Some("maria aparecida".into()),
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
        mother_name: Some("Joana Teste".into()),
        civil_name: None,
    };
    let found = store
        .find_people("maria aparecdia", Some(&typed), now())
        .expect("find");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].person.id, recorded.person_id);
    assert_eq!(found[0].likeness, Some(Likeness::Same));
    assert!(
        store.find_people("jose carlos", None, now()).expect("find")[0]
            .person
            .display_name()
            .starts_with("José")
    );

    // A second encounter with the known person needs no new consent.
    let mut again = form("");
    again.person = PersonFields::default();
    again.person_id = Some(recorded.person_id.clone());
    again.consent = None;
    again.referrals.clear();
    store.record_encounter(&again, now()).expect("again");
    assert_eq!(
        store
            .encounters_of(&recorded.person_id)
            .expect("list")
            .len(),
        2
    );
    assert_eq!(store.people().expect("people").len(), 2, "no duplicate");

    let outcome = store
        .set_referral_outcome(
            &referrals[0].id,
            ReferralStatus::Attended,
            Some("CIN pedida"),
            "bia",
            now(),
        )
        .expect("outcome");
    assert_eq!(outcome.outcome.as_deref(), Some("CIN pedida"));
    assert_eq!(
        store.referrals_of(&recorded.person_id).expect("list")[0].status,
        ReferralStatus::Attended
    );
}

#[test]
fn drafts_keep_every_field_as_typed_and_survive_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    {
        let (mut store, _) = Store::open(&path).expect("open");
        store
            .save_draft_field("encounter:new", "social_name", "Maria Apa".into(), now())
            .expect("draft");
        store
            .save_draft_field(
                "encounter:new",
                "social_name",
                "Maria Aparecida".into(),
                now(),
            )
            .expect("draft");
        store
            .save_draft_field(
                "encounter:new",
                "needs",
                serde_json::json!(["saude"]),
                now(),
            )
            .expect("draft");
    }
    let (mut store, _) = Store::open(&path).expect("reopen");
    let draft = store.draft("encounter:new").expect("draft");
    assert_eq!(draft["social_name"], "Maria Aparecida");
    assert_eq!(draft["needs"], serde_json::json!(["saude"]));
    assert_eq!(
        store.drafts().expect("forms"),
        vec!["encounter:new".to_owned()]
    );
    store.discard_draft("encounter:new").expect("discard");
    assert!(store.draft("encounter:new").expect("draft").is_empty());
}
