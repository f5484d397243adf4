//! Merging duplicate people across devices, through a real server: the office merges a
//! duplicate while a field device, offline, records an encounter with that duplicate; after
//! both sync, the kept record shows all three encounters on both devices, the duplicate stays
//! merged and search on the field device no longer lists it.

use chrono::{DateTime, Duration, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::sync;
use esv_replica::Store;
use esv_shared::people::ConsentForm;
use esv_tests::sync_server::{TestServer, PASSWORD};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn signed_in(server: &TestServer, dir: &tempfile::TempDir, user: &str) -> Store {
    let store = esv_tests::sync_server::team_store(&dir.path().join(format!("{user}.db")));
    sync::login(&store, &server.url, user, PASSWORD, "teste").expect("login");
    store
}

fn sync_now(store: &mut Store) {
    sync::sync(store, None, now(), &mut |_| {}).expect("sync");
}

fn encounter(staff: &str, person_id: Option<String>, name: &str) -> EncounterForm {
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: staff.into(),
        person_id: person_id.clone(),
        person: PersonFields {
            social_name: Some(name.into()),
            ..Default::default()
        },
        consent: person_id.is_none().then_some(ConsentForm::Spoken),
        ..Default::default()
    }
}

#[test]
fn an_encounter_with_the_duplicate_after_the_merge_shows_under_the_kept_record() {
    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ana = signed_in(&server, &dir, "ana");
    let mut caio = signed_in(&server, &dir, "caio");
    let keep = ana
        .record_encounter(&encounter("ana", None, "Marcos Duplo"), now())
        .expect("keep")
        .person_id;
    let dup = ana
        .record_encounter(&encounter("ana", None, "Marcos Dublo"), now())
        .expect("dup")
        .person_id;
    sync_now(&mut ana);
    sync_now(&mut caio);
    assert_eq!(
        caio.find_people("marcos", None, now()).expect("find").len(),
        2
    );

    // At the office, ana merges; meanwhile, offline, caio records one more with the duplicate.
    ana.merge_people(&keep, &dup, "ana", now() + Duration::hours(1))
        .expect("merge");
    let late = caio
        .record_encounter(
            &encounter("caio", Some(dup.clone()), ""),
            now() + Duration::hours(2),
        )
        .expect("late")
        .encounter_id;
    assert!(late.starts_with(&format!("{dup}/")), "the duplicate's id");
    sync_now(&mut caio);
    sync_now(&mut ana);
    sync_now(&mut caio);

    for (who, store) in [("ana", &mut ana), ("caio", &mut caio)] {
        let person = store.person(&dup).expect("dup");
        assert_eq!(
            person.merged_into.as_deref(),
            Some(keep.as_str()),
            "{who}: the duplicate stays merged"
        );
        let view = store.person_view(&keep, now()).expect("view");
        assert_eq!(view.encounters.len(), 3, "{who}: both histories");
        assert_eq!(
            view.encounters.last().map(|e| e.id.as_str()),
            Some(late.as_str()),
            "{who}: the late encounter, its id unchanged"
        );
        let found = store.find_people("marcos", None, now()).expect("find");
        assert_eq!(found.len(), 1, "{who}: search skips the duplicate");
        assert_eq!(found[0].person.id, keep);
    }
}
