//! The consent term read to a person names who answers for their data (the office's
//! controlador and encarregado, set by staff) and the ANPD, in the team's language; the consent
//! records the text as read. A bad setting is refused in plain words and changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields};
use esv_replica::{ReplicaError, Store};
use esv_shared::domain::DataProtection;
use esv_shared::locale::Locale;
use esv_shared::people::ConsentForm;

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
            ..Default::default()
        },
        consent: Some(ConsentForm::Spoken),
        ..Default::default()
    }
}

/// The purpose the consent of a person recorded just now holds.
fn recorded_term(store: &mut Store, name: &str) -> String {
    let recorded = store.record_encounter(&form(name), now()).expect("record");
    let person = store.person(&recorded.person_id).expect("person");
    person.consents[0].purpose.clone()
}

fn sejus() -> DataProtection {
    DataProtection {
        controller: "a Secretaria de Estado da Justiça".into(),
        dpo: "o Encarregado de Dados da Sejus".into(),
        dpo_contact: "encarregado@exemplo.es.gov.br".into(),
    }
}

#[test]
fn without_an_encarregado_the_term_names_the_office_and_the_anpd() {
    let (_dir, mut store) = store();
    let term = recorded_term(&mut store, "Maria Teste");
    assert!(
        term.contains("Quem responde por esses dados é o Escritório Social de Vitória"),
        "{term}"
    );
    assert!(
        term.contains("Peça aqui o contato do encarregado"),
        "{term}"
    );
    assert!(
        term.contains("Autoridade Nacional de Proteção de Dados"),
        "{term}"
    );
}

#[test]
fn the_encarregado_staff_set_is_named_and_recorded_in_the_team_language() {
    let (_dir, mut store) = store();
    assert!(store
        .set_data_protection("es-vitoria", Some(sejus()), now())
        .expect("set"));
    let term = recorded_term(&mut store, "Maria Teste");
    assert!(term.contains("a Secretaria de Estado da Justiça"), "{term}");
    assert!(term.contains("encarregado@exemplo.es.gov.br"), "{term}");

    store.set_locale(Locale::Es);
    let term = recorded_term(&mut store, "María Prueba");
    assert!(
        term.starts_with("El Escritório Social va a guardar"),
        "{term}"
    );
    assert!(term.contains("encarregado@exemplo.es.gov.br"), "{term}");
    assert!(
        term.contains("Autoridad Nacional de Protección de Datos"),
        "{term}"
    );

    // Cleared: back to asking at the office.
    store.set_locale(Locale::PtBr);
    store
        .set_data_protection("es-vitoria", None, now())
        .expect("clear");
    let term = recorded_term(&mut store, "Joana Teste");
    assert!(term.contains("Peça aqui o contato"), "{term}");
}

#[test]
fn a_setting_with_a_blank_part_or_an_unknown_office_is_refused_and_changes_nothing() {
    let (_dir, mut store) = store();
    store
        .set_data_protection("es-vitoria", Some(sejus()), now())
        .expect("set");
    let mut blank = sejus();
    blank.dpo_contact = "   ".into();
    let err = store
        .set_data_protection("es-vitoria", Some(blank), now())
        .expect_err("blank contact");
    let ReplicaError::BadInput(words) = err else {
        panic!("plain words expected: {err:?}");
    };
    assert!(words.contains("contato do encarregado"), "{words}");
    let err = store
        .set_data_protection("nao-existe", Some(sejus()), now())
        .expect_err("unknown office");
    assert!(matches!(err, ReplicaError::NotFound(_)), "{err:?}");
    let term = recorded_term(&mut store, "Maria Teste");
    assert!(
        term.contains("encarregado@exemplo.es.gov.br"),
        "the earlier setting stands: {term}"
    );
}
