//! Merging duplicate people through the real store: the duplicate points to the kept record,
//! which gains what only the duplicate knew; both histories show in the kept record with
//! their ids unchanged; search no longer finds the duplicate; only the office's Staff or
//! Coordinator may merge; opening a record notes it for the audit log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::sync::Account;
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::team::MergeInput;
use esv_shared::people::{CivilDocument, ConsentForm, Need, Race, Stage};
use esv_shared::sync::{Role, Session};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn account(role: Role, username: &str, office: &str) -> Account {
    Account {
        server: "http://127.0.0.1:9".into(),
        session: Session {
            device: format!("dev-{username}"),
            token: "t".into(),
            role,
            office: office.into(),
            username: Some(username.into()),
        },
    }
}

fn form(fields: PersonFields, consent: ConsentForm, referral: bool) -> EncounterForm {
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: "caio".into(),
        person: fields,
        consent: Some(consent),
        needs: vec![Need::Housing],
        referrals: if referral {
            vec![ReferralForm {
                service_id: "es-vitoria-documentos".into(),
                reason: None,
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

#[test]
fn a_merged_duplicate_keeps_its_history_under_the_kept_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let kept = store
        .record_encounter(
            &form(
                PersonFields {
                    social_name: Some("Joana Silva".into()),
                    stage: Some(Stage::Released),
                    ..Default::default()
                },
                ConsentForm::Spoken,
                false,
            ),
            now(),
        )
        .expect("kept");
    let dup = store
        .record_encounter(
            &form(
                PersonFields {
                    social_name: Some("Joana da Silva".into()),
                    civil_name: Some("Joana Maria da Silva".into()),
                    birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
                    mother_name: Some("Rosa Silva".into()),
                    stage: Some(Stage::PreRelease),
                    race: Some(Race::Black),
                    missing_documents: vec![CivilDocument::Cpf],
                    ..Default::default()
                },
                ConsentForm::Signed,
                true,
            ),
            now() + Duration::hours(1),
        )
        .expect("duplicate");
    assert_eq!(
        store.find_people("joana", None, now()).expect("find").len(),
        2,
        "both found before the merge"
    );

    // Nobody signed in, a field worker, another office's staff: refused, nothing written.
    assert!(matches!(
        store.merge_people(&kept.person_id, &dup.person_id, "ana", now()),
        Err(ReplicaError::Sync(_))
    ));
    store
        .set_account(&account(Role::FieldWorker, "caio", "es-vitoria"))
        .expect("account");
    let refused = store
        .merge_people(&kept.person_id, &dup.person_id, "caio", now())
        .expect_err("field worker");
    assert!(
        refused.to_string().contains("equipe do escritório"),
        "{refused}"
    );
    store
        .set_account(&account(Role::Staff, "rui", "rr-boa-vista"))
        .expect("account");
    let refused = store
        .merge_people(&kept.person_id, &dup.person_id, "rui", now())
        .expect_err("another office");
    assert!(refused.to_string().contains("seu Escritório"), "{refused}");
    assert_eq!(store.person(&dup.person_id).expect("dup").merged_into, None);

    store
        .set_account(&account(Role::Staff, "ana", "es-vitoria"))
        .expect("account");
    let refused = store
        .merge_people(&kept.person_id, &kept.person_id, "ana", now())
        .expect_err("same record");
    assert!(refused.to_string().contains("diferentes"), "{refused}");

    let view = store
        .people_merge(
            &MergeInput {
                keep_id: kept.person_id.clone(),
                duplicate_id: dup.person_id.clone(),
            },
            now() + Duration::hours(2),
        )
        .expect("merge");
    // The kept record keeps its own words and gains what only the duplicate knew.
    assert_eq!(view.name, "Joana Silva");
    assert_eq!(view.civil_name.as_deref(), Some("Joana Maria da Silva"));
    assert_eq!(view.birth_label.as_deref(), Some("Nasceu em 17/05/1990"));
    assert_eq!(view.mother_name.as_deref(), Some("Rosa Silva"));
    assert_eq!(
        view.stage_label.as_deref(),
        Some("Pessoa egressa"),
        "kept's own stage"
    );
    assert_eq!(view.race_label.as_deref(), Some("Preta"));
    assert_eq!(view.missing_documents, ["CPF"]);
    let person = store.person(&kept.person_id).expect("kept");
    assert_eq!(person.consents.len(), 2, "both consents");
    assert_eq!(person.merged_into, None);
    // Both histories, with the duplicate's ids unchanged (they start with its id).
    let encounters: Vec<&str> = view.encounters.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(encounters, [&kept.encounter_id, &dup.encounter_id]);
    assert!(dup.encounter_id.starts_with(&format!("{}/", dup.person_id)));
    assert_eq!(view.referrals.len(), 1);
    assert_eq!(view.referrals[0].id, dup.referral_ids[0]);
    assert_eq!(store.encounters_of(&kept.person_id).expect("enc").len(), 2);
    assert_eq!(store.referrals_of(&kept.person_id).expect("ref").len(), 1);

    let duplicate = store.person(&dup.person_id).expect("dup");
    assert_eq!(
        duplicate.merged_into.as_deref(),
        Some(kept.person_id.as_str())
    );
    let dup_view = store.person_view(&dup.person_id, now()).expect("dup view");
    assert_eq!(
        dup_view.merged_into.as_deref(),
        Some(kept.person_id.as_str())
    );
    // Search skips the duplicate, also after the store is opened again.
    let found: Vec<String> = store
        .find_people("joana", None, now())
        .expect("find")
        .into_iter()
        .map(|m| m.person.id)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0], kept.person_id);
    drop(store);
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("reopen");
    let found = store.find_people("joana", None, now()).expect("find");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person.id, kept.person_id);

    // Merging again, or the other way round, is refused.
    let again = store
        .merge_people(&kept.person_id, &dup.person_id, "", now())
        .expect_err("again");
    assert!(again.to_string().contains("já estão juntos"), "{again}");
    let back = store
        .merge_people(&dup.person_id, &kept.person_id, "", now())
        .expect_err("backwards");
    assert!(back.to_string().contains("já foi juntado"), "{back}");

    // Every opening of a record by the team was noted for the audit log: who, which person,
    // when (the search above listed the kept record too: noted as a search).
    let pending: Vec<_> = store
        .pending_openings()
        .expect("pending")
        .into_iter()
        .filter(|o| o.what == esv_shared::audit::OpeningKind::Record)
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    // Oldest first: the duplicate was opened at `now`, the kept record two hours later.
    assert_eq!(pending[0].person_id, dup.person_id);
    assert_eq!(pending[0].at, now());
    assert_eq!(pending[1].person_id, kept.person_id);
    assert_eq!(pending[1].at, now() + Duration::hours(2));
}

#[test]
fn a_chain_of_merges_shows_every_history_and_a_citizen_notes_no_opening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let ids: Vec<_> = ["Ana Lima", "Ana P. Lima", "Ana Paula Lima"]
        .into_iter()
        .map(|name| {
            store
                .record_encounter(
                    &form(
                        PersonFields {
                            social_name: Some(name.into()),
                            ..Default::default()
                        },
                        ConsentForm::Spoken,
                        false,
                    ),
                    now(),
                )
                .expect("record")
        })
        .collect();
    store
        .set_account(&account(Role::Coordinator, "coord", "es-vitoria"))
        .expect("account");
    store
        .merge_people(&ids[1].person_id, &ids[2].person_id, "coord", now())
        .expect("2 into 1");
    store
        .merge_people(&ids[0].person_id, &ids[1].person_id, "coord", now())
        .expect("1 into 0");
    assert_eq!(
        store.encounters_of(&ids[0].person_id).expect("enc").len(),
        3
    );
    assert_eq!(store.merged_ids(&ids[0].person_id).expect("ids").len(), 3);

    store
        .set_account(&account(Role::Citizen, "x", "es-vitoria"))
        .expect("account");
    store.person_view(&ids[0].person_id, now()).expect("view");
    assert!(store.pending_openings().expect("pending").is_empty());
}
