//! The gate's list through the real store (a SQLite file) and an injected clock: units kept in
//! the office's document, a unit's CSV list read with each bad line costing only itself and a
//! second reading adding nobody twice, the week the team's home shows, an encounter at the gate
//! that starts from the entry (and nothing kept without consent), who may do what, and the
//! entries nobody met that are due to be erased.

mod support;

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::ReplicaError;
use esv_shared::ipc::gate::ReleaseInput;
use esv_shared::people::{ConsentForm, Origin, Stage};
use esv_shared::sync::Role;

const OFFICE: &str = "es-vitoria";

/// Vitória is UTC−3: 2027-01-04T15:00Z is Monday 4 January 2027, noon there.
fn now() -> DateTime<Utc> {
    "2027-01-04T15:00:00Z".parse().expect("test")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("test")
}

fn staff_store() -> (tempfile::TempDir, esv_replica::Store) {
    let (dir, mut store) = support::store();
    support::sign_in(&mut store, Role::Staff, OFFICE);
    store
        .facility_save(
            OFFICE,
            None,
            "Centro de Detenção Provisória de Viana",
            "Viana",
            now(),
        )
        .expect("test");
    store
        .facility_save(
            OFFICE,
            None,
            "Penitenciária Feminina de Cariacica",
            "Cariacica",
            now(),
        )
        .expect("test");
    (dir, store)
}

const LIST: &str = "Nome;Data prevista;Unidade;Data de nascimento\n\
    José da Silva;05/01/2027;Centro de Detenção Provisória de Viana;03/05/1990\n\
    Ana Souza;04/01/2027;Penitenciária Feminina de Cariacica;\n\
    Carla Dias;20/01/2027;penitenciaria feminina de cariacica;\n\
    Paulo;99/01/2027;Centro de Detenção Provisória de Viana;\n\
    Antônio Reis;02/01/2027;Centro de Detenção Provisória de Viana;\n";

#[test]
fn a_units_list_is_read_once_and_a_bad_line_costs_only_itself() {
    let (_dir, mut store) = staff_store();
    let units = store.prison_facilities(OFFICE).expect("test");
    assert_eq!(units.len(), 2);
    assert_eq!(units[0].id, "centro-detencao-provisoria-viana");

    let first = store.releases_import_view(LIST, now()).expect("test");
    assert_eq!((first.added, first.already), (4, 0), "{first:?}");
    assert_eq!(first.problems.len(), 1);
    assert_eq!(first.problems[0].line, 5);
    assert!(
        first.problems[0].message.contains("99/01/2027"),
        "{first:?}"
    );
    assert!(
        first.message.contains("4 pessoas entraram"),
        "{}",
        first.message
    );

    // The same list again (a unit sends its list every week): nobody twice.
    let again = store.releases_import_view(LIST, now()).expect("test");
    assert_eq!((again.added, again.already), (0, 4), "{again:?}");

    // A whole list that can't be read changes nothing.
    let err = store
        .releases_import("Ana;04/01/2027\n", now())
        .expect_err("test");
    assert!(err.to_string().contains("nomes das colunas"), "{err}");
    assert_eq!(
        store
            .releases_expected(OFFICE, day("2026-12-01"), 90, 200)
            .expect("test")
            .len(),
        4
    );
}

#[test]
fn the_home_lists_this_weeks_gate_and_an_encounter_starts_from_the_entry() {
    let (_dir, mut store) = staff_store();
    store.releases_import(LIST, now()).expect("test");
    let home = store.worklist(OFFICE, now()).expect("test");
    let names: Vec<&str> = home.expected.iter().map(|e| e.name.as_str()).collect();
    // Today and the next six days, by date: not Antônio (two days ago), not Carla (the 20th).
    assert_eq!(names, ["Ana Souza", "José da Silva"]);
    assert_eq!(home.expected[0].when_label, "hoje");
    assert_eq!(home.expected[1].when_label, "amanhã");
    assert_eq!(
        home.expected[1].facility,
        "Centro de Detenção Provisória de Viana"
    );
    assert!(home.expected[1]
        .birth_label
        .as_deref()
        .is_some_and(|b| b.contains("03/05/1990")));

    let jose = home.expected[1].id.clone();
    let form = EncounterForm {
        office_id: OFFICE.into(),
        staff: "bia".into(),
        release_id: Some(jose.clone()),
        person: PersonFields {
            social_name: Some("Zé".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    // No consent: nothing is kept, and José is still expected.
    let refused = store.record_encounter(&form, now()).expect_err("test");
    assert!(matches!(refused, ReplicaError::BadInput(_)), "{refused}");
    assert_eq!(
        store.worklist(OFFICE, now()).expect("test").expected.len(),
        2
    );

    let met = store
        .record_encounter(
            &EncounterForm {
                consent: Some(ConsentForm::Spoken),
                ..form.clone()
            },
            now(),
        )
        .expect("test");
    assert_eq!(met.person_id, jose, "the person takes the entry's id");
    let person = store.person(&jose).expect("test");
    assert_eq!(person.social_name.as_deref(), Some("Zé"));
    assert_eq!(person.civil_name.as_deref(), Some("José da Silva"));
    assert_eq!(person.birth_date, Some(day("1990-05-03")));
    assert_eq!(person.origin, Some(Origin::Gate));
    assert_eq!(person.stage, Some(Stage::Released));
    assert_eq!(person.release_date, Some(day("2027-01-04")));
    assert_eq!(
        person.release_place.as_deref(),
        Some("Centro de Detenção Provisória de Viana")
    );
    let entry = store.expected_release(&jose).expect("test");
    assert_eq!(entry.person_id.as_deref(), Some(jose.as_str()));
    assert_eq!(entry.met_at, Some(now()));

    // Met: off the week's list, and not met twice.
    let names: Vec<String> = store
        .worklist(OFFICE, now())
        .expect("test")
        .expected
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(names, ["Ana Souza"]);
    let twice = store
        .record_encounter(
            &EncounterForm {
                consent: Some(ConsentForm::Spoken),
                ..form
            },
            now(),
        )
        .expect_err("test");
    assert!(twice.to_string().contains("já foi atendida"), "{twice}");
}

#[test]
fn a_known_person_met_from_the_list_keeps_their_record() {
    let (_dir, mut store) = staff_store();
    store.releases_import(LIST, now()).expect("test");
    let known = store
        .record_encounter(
            &EncounterForm {
                office_id: OFFICE.into(),
                staff: "bia".into(),
                person: PersonFields {
                    civil_name: Some("Ana Souza".into()),
                    origin: Some(Origin::Family),
                    ..Default::default()
                },
                consent: Some(ConsentForm::Signed),
                ..Default::default()
            },
            now(),
        )
        .expect("test");
    let ana = store.worklist(OFFICE, now()).expect("test").expected[0].clone();
    assert_eq!(ana.name, "Ana Souza");
    store
        .record_encounter(
            &EncounterForm {
                office_id: OFFICE.into(),
                staff: "bia".into(),
                person_id: Some(known.person_id.clone()),
                release_id: Some(ana.id.clone()),
                ..Default::default()
            },
            now(),
        )
        .expect("test");
    let person = store.person(&known.person_id).expect("test");
    assert_eq!(person.origin, Some(Origin::Family), "what was known stays");
    assert_eq!(
        person.release_place.as_deref(),
        Some("Penitenciária Feminina de Cariacica")
    );
    let entry = store.expected_release(&ana.id).expect("test");
    assert_eq!(entry.person_id.as_deref(), Some(known.person_id.as_str()));
}

#[test]
fn typing_a_person_in_is_checked_and_said_in_plain_words() {
    let (_dir, mut store) = staff_store();
    let input = ReleaseInput {
        name: "  Maria   das Dores ".into(),
        release_date: "06/01/2027".into(),
        facility: "pfc-inexistente".into(),
        ..Default::default()
    };
    let err = store.release_add_view(&input, now()).expect_err("test");
    assert!(err.to_string().contains("unidade prisional"), "{err}");
    let input = ReleaseInput {
        facility: "Penitenciária Feminina de Cariacica".into(),
        ..input
    };
    let added = store.release_add_view(&input, now()).expect("test");
    assert_eq!(added.name, "Maria das Dores");
    assert_eq!(added.when_label, "qua 06/01");
    let twice = store.release_add_view(&input, now()).expect_err("test");
    assert!(twice.to_string().contains("já está na lista"), "{twice}");
    let err = store
        .release_add_view(
            &ReleaseInput {
                release_date: String::new(),
                ..input
            },
            now(),
        )
        .expect_err("test");
    assert!(err.to_string().contains("data prevista"), "{err}");
}

#[test]
fn a_field_worker_types_names_but_neither_imports_lists_nor_edits_units() {
    let (dir, store) = staff_store();
    drop(store);
    let (mut store, _) = esv_replica::Store::open(&dir.path().join("store.db")).expect("test");
    support::sign_in(&mut store, Role::FieldWorker, OFFICE);
    let err = store.releases_import(LIST, now()).expect_err("test");
    assert!(matches!(err, ReplicaError::NotAllowed(_)), "{err}");
    let err = store
        .facility_save(OFFICE, None, "Casa de Custódia", "Viana", now())
        .expect_err("test");
    assert!(matches!(err, ReplicaError::NotAllowed(_)), "{err}");
    let added = store
        .release_add_view(
            &ReleaseInput {
                name: "Rui".into(),
                release_date: "2027-01-05".into(),
                facility: "centro-detencao-provisoria-viana".into(),
                ..Default::default()
            },
            now(),
        )
        .expect("test");
    assert_eq!(added.when_label, "amanhã");
}

#[test]
fn entries_nobody_met_are_due_for_erasure_a_month_after_their_day() {
    let (_dir, mut store) = staff_store();
    store.releases_import(LIST, now()).expect("test");
    // 2 January + 30 days: on 1 February Antônio's entry is kept, on 2 February it is due.
    let feb = |d: u32| day(&format!("2027-02-{d:02}"));
    assert!(store
        .releases_stale(OFFICE, feb(1))
        .expect("test")
        .is_empty());
    assert_eq!(store.releases_stale(OFFICE, feb(2)).expect("test").len(), 1);
    // Every one of them by March, but never an entry the team met.
    let jose = store.worklist(OFFICE, now()).expect("test").expected[1]
        .id
        .clone();
    store
        .record_encounter(
            &EncounterForm {
                office_id: OFFICE.into(),
                staff: "bia".into(),
                release_id: Some(jose.clone()),
                consent: Some(ConsentForm::Spoken),
                ..Default::default()
            },
            now(),
        )
        .expect("test");
    let stale = store
        .releases_stale(OFFICE, day("2027-03-31"))
        .expect("test");
    assert_eq!(stale.len(), 3);
    assert!(!stale.contains(&jose));
}
