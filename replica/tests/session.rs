//! The app's session with its store, through real files: a plain store opens at once; a PIN
//! protects it, five idle minutes lock it, a wrong PIN changes nothing, the background sync's
//! keyring works only while unlocked, a wipe closes it; and the team screens' views record and
//! show an encounter for the signed-in account.

use chrono::{DateTime, Duration, Utc};
use esv_replica::requests::NewRequest;
use esv_replica::session::Session;
use esv_replica::sync::Account;
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::team::{EncounterInput, FindPeopleInput, OutcomeInput, OutreachInput};
use esv_shared::people::{ConsentForm, Need, Race, ReferralStatus, Stage};
use esv_shared::sync::{Role, Session as SyncSession};

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

fn field_account() -> Account {
    Account {
        server: "http://127.0.0.1:9".into(),
        session: SyncSession {
            device: "dev-field-1".into(),
            token: "t".into(),
            role: Role::FieldWorker,
            office: "es-vitoria".into(),
            username: Some("ana".into()),
        },
    }
}

#[test]
fn a_pin_protects_the_store_and_idle_minutes_lock_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let (mut session, _) = Session::open(&path, now());
    let view = session.device_view(None, now());
    assert!(!view.protected && !view.locked && view.account.is_none());
    session.store(now()).expect("plain store is open");

    let mismatch = session
        .set_pin("123456", "123457", now())
        .expect_err("typed differently");
    assert!(
        mismatch.to_string().contains("não são iguais"),
        "{mismatch}"
    );
    let short = session.set_pin("123", "123", now()).expect_err("short");
    assert!(short.to_string().contains("de 6 a 64 números"), "{short}");
    session.store(now()).expect("still open after refusals");

    session.set_pin("246810", "246810", now()).expect("protect");
    let store = session
        .store(now())
        .expect("unlocked after setting the PIN");
    store.set_account(&field_account()).expect("account");
    let view = session.device_view(None, now());
    assert!(view.protected && !view.locked && view.is_team(), "{view:?}");
    assert_eq!(
        view.account.as_ref().map(|a| a.role_label.as_str()),
        Some("Equipe de campo")
    );

    // Four minutes apart, each command keeps it open; five minutes idle lock it.
    let t1 = now() + Duration::minutes(4);
    session.store(t1).expect("used within five minutes");
    let t2 = t1 + Duration::minutes(5);
    assert!(matches!(session.store(t2), Err(ReplicaError::Locked)));
    let view = session.device_view(None, t2);
    assert!(view.locked && view.account.is_none() && !view.is_team());
    let keyring = session.keyring();
    assert!(
        matches!(keyring.open(), Err(ReplicaError::Locked)),
        "locked for sync too"
    );

    let wrong = session.unlock("111111", t2).expect_err("wrong PIN");
    assert!(matches!(wrong, ReplicaError::WrongPin { .. }), "{wrong:?}");
    session.unlock("246810", t2).expect("right PIN");
    let account = session.store(t2).expect("open").account().expect("read");
    assert_eq!(
        account,
        Some(field_account()),
        "nothing lost by the wrong PIN"
    );
    let other = keyring
        .open()
        .expect("sync's own connection while unlocked");
    assert_eq!(other.account().expect("read"), Some(field_account()));
    drop(other);

    session.lock();
    assert!(matches!(session.store(t2), Err(ReplicaError::Locked)));
    session.unlock("246810", t2).expect("again");

    // A revocation seen by the background sync wipes the files: the session closes.
    Store::wipe(&path).expect("wipe");
    assert!(matches!(session.store(t2), Err(ReplicaError::DeviceWiped)));
    let view = session.device_view(None, t2);
    assert!(view.wiped && !view.is_team());
}

#[test]
fn a_citizen_never_registered_erases_their_requests_here() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut session, _) = Session::open(&dir.path().join("store.db"), now());
    let store = session.store(now()).expect("open");
    for text in ["Preciso tirar meu CPF", "Quero uma vaga de curso"] {
        store
            .create_request(
                &NewRequest {
                    office_id: "es-vitoria".into(),
                    kind: Some(esv_shared::requests::RequestKind::Documents),
                    text: text.into(),
                    ..Default::default()
                },
                now(),
            )
            .expect("request");
    }
    assert_eq!(store.requests().expect("list").len(), 2);
    assert_eq!(session.erase_my_data(now()).expect("erase"), 2);
    let store = session.store(now()).expect("open");
    assert!(store.requests().expect("list").is_empty());
    assert!(
        store.service_detail("es-vitoria-documentos", now()).is_ok(),
        "catalog stays"
    );
}

#[test]
fn the_team_views_record_and_show_an_encounter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    let refused = store
        .encounter_record(&EncounterInput::default(), now())
        .expect_err("no account");
    assert!(matches!(refused, ReplicaError::Sync(_)), "{refused:?}");
    store.set_account(&field_account()).expect("account");

    let outreach = store
        .outreach_new(
            &OutreachInput {
                place: "Penitenciária Estadual de Vila Velha".into(),
                date: "01/12/2026".into(),
                team: String::new(),
            },
            now(),
        )
        .expect("outreach");
    assert_eq!(outreach.team, ["ana"], "the one signed in by default");

    let missing = store
        .encounter_record(&EncounterInput::default(), now())
        .expect_err("empty form");
    let words = missing.to_string();
    assert!(
        words.contains("nome pelo qual") && words.contains("consentimento"),
        "{words}"
    );
    assert!(store.people().expect("people").is_empty(), "nothing saved");

    let input = EncounterInput {
        outreach_id: Some(outreach.id.clone()),
        social_name: "Maria Aparecida Teste".into(),
        civil_name: "Mário Teste".into(),
        birth_date: "17/05/1990".into(),
        mother_name: "Joana Teste".into(),
        stage: Some(Stage::Released),
        race: Some(Race::Brown),
        gender_identity: "mulher trans".into(),
        consent: Some(ConsentForm::Spoken),
        needs: vec![Need::CivilDocuments, Need::Housing],
        referrals: vec!["es-vitoria-documentos".into()],
        follow_up: "2026-12-15".into(),
        notes: "Saiu hoje.".into(),
        ..EncounterInput::default()
    };
    let person = store.encounter_record(&input, now()).expect("recorded");
    assert_eq!(person.name, "Maria Aparecida Teste");
    assert_eq!(person.civil_name.as_deref(), Some("Mário Teste"));
    assert_eq!(person.birth_label.as_deref(), Some("Nasceu em 17/05/1990"));
    assert!(
        person.has_consent && person.consent_label.contains("ana"),
        "{}",
        person.consent_label
    );
    assert_eq!(person.encounters.len(), 1);
    let e = &person.encounters[0];
    assert_eq!(
        e.place.as_deref(),
        Some("Penitenciária Estadual de Vila Velha")
    );
    assert_eq!(e.needs, ["Documentação civil", "Moradia"]);
    assert_eq!(e.follow_up_label.as_deref(), Some("Retorno em 15/12/2026"));
    assert_eq!(person.referrals.len(), 1);
    assert_eq!(person.referrals[0].status, ReferralStatus::Referred);
    assert_eq!(store.outreaches_list().expect("list")[0].encounters, 1);

    // Search before create: a typo and no accents still find her; details tell her apart.
    let found = store
        .people_find(
            &FindPeopleInput {
                text: "maria aparecisa".into(),
                birth_date: Some("1990-05-17".into()),
                mother_name: Some("Joana Teste".into()),
            },
            now(),
        )
        .expect("find");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, person.id);
    assert_eq!(found[0].likeness.as_deref(), Some("same"));

    // A second encounter with the known person needs no new consent.
    let again = store
        .encounter_record(
            &EncounterInput {
                person_id: Some(person.id.clone()),
                needs: vec![Need::Food],
                ..EncounterInput::default()
            },
            now() + Duration::days(1),
        )
        .expect("second encounter");
    assert_eq!(again.encounters.len(), 2);
    assert_eq!(
        again.name, "Maria Aparecida Teste",
        "blank fields keep what was known"
    );

    let referral = &person.referrals[0];
    let outcome = store
        .referral_outcome(
            &OutcomeInput {
                id: referral.id.clone(),
                status: ReferralStatus::Attended,
                outcome: "Tirou a CIN".into(),
            },
            now() + Duration::days(3),
        )
        .expect("outcome");
    assert_eq!(outcome.status, ReferralStatus::Attended);
    assert_eq!(outcome.outcome.as_deref(), Some("Tirou a CIN"));

    let slip = store.referral_slip_view(&referral.id, now()).expect("slip");
    assert!(slip.text.contains("Maria Aparecida Teste"), "{}", slip.text);
    assert!(slip.qr_svg.starts_with("<svg") || slip.qr_svg.contains("<svg"));
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(&slip.pdf_base64)
        .expect("base64");
    assert!(pdf.starts_with(b"%PDF-"));

    // The same record for a Spanish-speaking team member: every word the store wrote is in
    // Spanish (what the team typed — names, notes, the outcome — stays as typed).
    store.set_locale(esv_shared::ipc::Locale::Es);
    let es = store
        .person_view(&person.id, now() + Duration::days(3))
        .expect("person");
    assert_eq!(es.birth_label.as_deref(), Some("Nació el 17/05/1990"));
    assert_eq!(
        es.stage_label.as_deref(),
        Some("Persona egresada de prisión")
    );
    assert_eq!(es.race_label.as_deref(), Some("Parda"));
    assert!(
        es.consent_label
            .starts_with("Consentimiento: leído en voz alta"),
        "{}",
        es.consent_label
    );
    let first = es
        .encounters
        .iter()
        .find(|e| e.follow_up_label.is_some())
        .expect("first");
    assert_eq!(first.needs, ["Documentación civil", "Vivienda"]);
    assert_eq!(
        first.follow_up_label.as_deref(),
        Some("Regreso el 15/12/2026")
    );
    assert_eq!(es.referrals[0].status_label, "Atendido");
    assert!(
        es.referrals[0].made_label.starts_with("Derivado el"),
        "{:?}",
        es.referrals[0]
    );
    let view = role_shown(&mut store);
    assert_eq!(view, "Equipo de campo");
    let portuguese = [
        "Nasceu",
        "Retorno",
        "Consentimento",
        "Encaminhado",
        "Moradia",
        "Pessoa",
    ];
    let shown = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        es.birth_label, es.stage_label, es.consent_label, es.encounters, es.referrals
    );
    for word in portuguese {
        assert!(!shown.contains(word), "{word} in {shown}");
    }
}

/// The role label the team home shows, as `Session::device_view` makes it from the store.
fn role_shown(store: &mut Store) -> String {
    let role = store
        .account()
        .expect("read")
        .expect("signed in")
        .session
        .role;
    esv_replica::session::role_label_in(role, store.locale()).to_owned()
}

/// The person's language belongs to the session, not to one open store: it survives the lock
/// after idle minutes and the unlock, and the background sync's own connection speaks it too.
#[test]
fn the_language_survives_a_lock_and_reaches_the_background_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let (mut session, _) = Session::open(&path, now());
    session.set_pin("246810", "246810", now()).expect("protect");
    session.set_locale(esv_shared::ipc::Locale::Es);
    assert_eq!(
        session.store(now()).expect("open").locale(),
        esv_shared::ipc::Locale::Es
    );

    let later = now() + Duration::minutes(6);
    assert!(matches!(session.store(later), Err(ReplicaError::Locked)));
    // Chosen while locked (the app sets it at start, before the PIN): kept for the unlock.
    session.set_locale(esv_shared::ipc::Locale::Es);
    session.unlock("246810", later).expect("right PIN");
    let store = session.store(later).expect("open");
    assert_eq!(store.locale(), esv_shared::ipc::Locale::Es);
    assert_eq!(
        session.keyring().open().expect("unlocked").locale(),
        esv_shared::ipc::Locale::Es,
        "the background sync's connection"
    );
    session.set_locale(esv_shared::ipc::Locale::PtBr);
    assert_eq!(
        session.keyring().open().expect("unlocked").locale(),
        esv_shared::ipc::Locale::PtBr
    );
}
