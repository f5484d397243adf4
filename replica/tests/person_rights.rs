//! A person's rights over their own data (LGPD art. 18) carried out by the team on a real store:
//! a copy of the whole record (JSON and PDF, noted in the access log), a correction that clears
//! blanks and refuses what would leave no name, and a withdrawn consent that stops anything new
//! being kept while what was recorded stays. Only the person's own office may do any of it.

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::{ReplicaError, Store};
use esv_shared::audit::OpeningKind;
use esv_shared::ipc::team::{PersonCorrection, PlanGoalInput};
use esv_shared::locale::Locale;
use esv_shared::people::{CivilDocument, ConsentForm, Need, Origin, Race, Stage};
use esv_shared::sync::Role;

mod support;
use support::sign_in;

const OFFICE: &str = "es-vitoria";

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn later() -> DateTime<Utc> {
    "2026-12-07T15:00:00Z".parse().expect("instant")
}

/// A store with Maria Teste recorded (consent, an encounter with notes and a referral), signed
/// in as the office's staff. Answers her id.
fn with_maria() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let recorded = store
        .record_encounter(
            &EncounterForm {
                office_id: OFFICE.into(),
                staff: "ana".into(),
                person: PersonFields {
                    social_name: Some("Maria Teste".into()),
                    civil_name: Some("Mario Teste".into()),
                    birth_date: NaiveDate::from_ymd_opt(1990, 5, 17),
                    stage: Some(Stage::Released),
                    race: Some(Race::Brown),
                    missing_documents: vec![CivilDocument::IdCard],
                    ..Default::default()
                },
                consent: Some(ConsentForm::Spoken),
                needs: vec![Need::CivilDocuments, Need::Housing],
                referrals: vec![ReferralForm {
                    service_id: "es-vitoria-documentos".into(),
                    reason: None,
                }],
                follow_up: NaiveDate::from_ymd_opt(2026, 12, 10),
                notes: "Volta com a certidao de nascimento".into(),
                ..Default::default()
            },
            now(),
        )
        .expect("record");
    sign_in(&mut store, Role::Staff, OFFICE);
    (dir, store, recorded.person_id)
}

fn refused(err: ReplicaError) -> String {
    match err {
        ReplicaError::BadInput(words) => words,
        other => panic!("plain words expected, got {other:?}"),
    }
}

#[test]
fn the_copy_holds_the_whole_record_as_json_and_pdf_and_is_logged() {
    let (_dir, mut store, maria) = with_maria();
    let copy = store.person_copy(&maria, later()).expect("copy");
    assert!(
        !copy.file_stem.contains("Maria"),
        "no name in the file's name"
    );
    let json: serde_json::Value = serde_json::from_str(&copy.json).expect("json");
    assert_eq!(json["person"]["social_name"], "Maria Teste");
    assert_eq!(json["person"]["civil_name"], "Mario Teste");
    assert_eq!(json["person"]["consents"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["encounters"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        json["encounters"][0]["notes"],
        "Volta com a certidao de nascimento"
    );
    assert_eq!(json["referrals"].as_array().map(Vec::len), Some(1));
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(&copy.pdf_base64)
        .expect("base64");
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("Maria Teste"), "the PDF names her");
    assert!(text.contains("Volta com a certidao de nascimento"));
    assert!(text.contains("Defensoria"), "says where to get legal help");
    let logged = store.pending_openings().expect("openings");
    assert!(
        logged
            .iter()
            .any(|o| o.person_id == maria && o.what == OpeningKind::Copy),
        "the copy is in the access log: {logged:?}"
    );

    store.set_locale(Locale::Es);
    let copy = store.person_copy(&maria, later()).expect("copy in Spanish");
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(&copy.pdf_base64)
        .expect("base64");
    assert!(String::from_utf8_lossy(&pdf).contains("Copia de sus datos"));
}

#[test]
fn only_the_persons_own_office_team_may_act_on_the_record() {
    let (_dir, mut store, maria) = with_maria();
    sign_in(&mut store, Role::Staff, "es-boa-vista");
    let words = refused(
        store
            .person_copy(&maria, later())
            .expect_err("other office"),
    );
    assert!(words.contains("equipe do Escritório Social"), "{words}");
    assert!(store.consent_withdraw(&maria, later()).is_err());
    sign_in(&mut store, Role::Citizen, OFFICE);
    assert!(
        store.person_copy(&maria, later()).is_err(),
        "a citizen device"
    );
    assert!(store.pending_openings().expect("openings").is_empty());
}

fn correction(id: &str) -> PersonCorrection {
    PersonCorrection {
        id: id.into(),
        social_name: "Maria Teste".into(),
        civil_name: String::new(),
        birth_date: String::new(),
        mother_name: String::new(),
        contact: "(27) 99999-0000".into(),
        stage: Some(Stage::Released),
        race: None,
        gender_identity: "mulher".into(),
        missing_documents: vec![CivilDocument::MilitaryCertificate],
        origin: Some(Origin::Justice),
    }
}

#[test]
fn a_correction_clears_blanks_and_sets_the_rest() {
    let (_dir, mut store, maria) = with_maria();
    let view = store
        .person_correct(&correction(&maria), later())
        .expect("corrected");
    assert_eq!(view.civil_name, None, "the civil name was cleared");
    assert_eq!(view.birth_label, None);
    assert_eq!(view.race_label, None);
    assert_eq!(view.contact.as_deref(), Some("(27) 99999-0000"));
    assert_eq!(view.missing_documents, ["Certificado de reservista"]);
    let person = store.person(&maria).expect("person");
    assert_eq!(person.civil_name, None);
    assert_eq!(person.race, None);
    assert_eq!(person.gender_identity.as_deref(), Some("mulher"));
    assert_eq!(person.origin, Some(Origin::Justice));
    assert_eq!(
        view.origin_label.as_deref(),
        Some("Pela Justiça, MP ou Defensoria")
    );
}

#[test]
fn a_correction_that_leaves_no_name_or_a_wrong_date_changes_nothing() {
    let (_dir, mut store, maria) = with_maria();
    let before = store.person(&maria).expect("person");
    let mut nameless = correction(&maria);
    nameless.social_name = "  ".into();
    let words = refused(
        store
            .person_correct(&nameless, later())
            .expect_err("no name"),
    );
    assert!(words.contains("nome"), "{words}");
    let mut wrong_date = correction(&maria);
    wrong_date.birth_date = "31/02/1990".into();
    let words = refused(
        store
            .person_correct(&wrong_date, later())
            .expect_err("date"),
    );
    assert!(words.contains("Data de nascimento"), "{words}");
    let mut too_long = correction(&maria);
    too_long.contact = "9".repeat(5000);
    refused(
        store
            .person_correct(&too_long, later())
            .expect_err("too long"),
    );
    assert_eq!(
        store.person(&maria).expect("person"),
        before,
        "nothing changed"
    );
}

#[test]
fn a_withdrawn_consent_stops_new_records_and_keeps_the_old_ones() {
    let (_dir, mut store, maria) = with_maria();
    let view = store.consent_withdraw(&maria, later()).expect("withdrawn");
    assert!(!view.has_consent);
    assert!(
        view.consent_label
            .contains("Consentimento retirado em 07/12/2026"),
        "{}",
        view.consent_label
    );
    assert_eq!(view.encounters.len(), 1, "what was recorded stays");
    assert_eq!(view.referrals.len(), 1);

    let again = EncounterForm {
        office_id: OFFICE.into(),
        staff: "ana".into(),
        person_id: Some(maria.clone()),
        needs: vec![Need::Food],
        ..Default::default()
    };
    let words = refused(
        store
            .record_encounter(&again, later())
            .expect_err("no consent"),
    );
    assert!(words.contains("consentimento"), "{words}");
    let goal = PlanGoalInput {
        person_id: maria.clone(),
        need: "moradia".into(),
        action: "Vaga no abrigo".into(),
        ..Default::default()
    };
    refused(
        store
            .plan_goal_set(&goal, later())
            .expect_err("no goal without consent"),
    );
    refused(
        store
            .consent_withdraw(&maria, later())
            .expect_err("nothing to withdraw"),
    );
    assert_eq!(store.encounters_of(&maria).expect("encounters").len(), 1);

    // A new consent, given again, lets the team record again.
    let given = EncounterForm {
        consent: Some(ConsentForm::Signed),
        ..again
    };
    store
        .record_encounter(&given, later())
        .expect("recorded again");
    assert_eq!(store.encounters_of(&maria).expect("encounters").len(), 2);
}
