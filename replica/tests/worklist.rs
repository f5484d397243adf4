//! "Pendências" through the real store (a SQLite file) and an injected clock: a return falls
//! due on its day and not the day before, and goes once the person is met again; a goal past
//! its deadline shows until it is done; a referral waits the office's number of days (a
//! setting kept in the store) and goes with its counter-referral; merged records, withdrawn
//! consents and other offices' people never show; most overdue first; the words in Spanish too.

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::sync::Account;
use esv_replica::worklist::REFERRAL_DAYS_DEFAULT;
use esv_replica::Store;
use esv_shared::ipc::team::{DueKind, PlanGoalInput, WorklistView};
use esv_shared::locale::Locale;
use esv_shared::people::{ConsentForm, Need, ReferralStatus};
use esv_shared::sync::{Role, Session};

const OFFICE: &str = "es-vitoria";

/// An instant, UTC. Vitória is UTC−3: "2026-12-05T03:00:00Z" is midnight there.
fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn open(dir: &tempfile::TempDir) -> Store {
    let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    store
        .set_account(&Account {
            server: "http://127.0.0.1:9".into(),
            session: Session {
                device: "dev-ana".into(),
                token: "t".into(),
                role: Role::Staff,
                office: OFFICE.into(),
                username: Some("ana".into()),
            },
        })
        .expect("account");
    store
}

/// An encounter: with a new person (`person` None, named `name`) or one already known.
fn meet(
    store: &mut Store,
    office: &str,
    person: Option<&str>,
    name: &str,
    now: DateTime<Utc>,
    follow_up: Option<&str>,
    referral: bool,
) -> esv_replica::field::Recorded {
    store
        .record_encounter(
            &EncounterForm {
                office_id: office.into(),
                staff: "ana".into(),
                person_id: person.map(str::to_owned),
                person: PersonFields {
                    social_name: person.is_none().then(|| name.to_owned()),
                    civil_name: person.is_none().then(|| format!("{name} Civil")),
                    ..Default::default()
                },
                consent: person.is_none().then_some(ConsentForm::Spoken),
                needs: vec![Need::CivilDocuments],
                referrals: if referral {
                    vec![ReferralForm {
                        service_id: "es-vitoria-documentos".into(),
                        reason: None,
                    }]
                } else {
                    Vec::new()
                },
                follow_up: follow_up.map(day),
                ..Default::default()
            },
            now,
        )
        .expect("encounter")
}

fn list(store: &mut Store, now: &str) -> WorklistView {
    store.worklist_view(at(now)).expect("worklist")
}

fn kinds(view: &WorklistView) -> Vec<(DueKind, String, i64)> {
    view.items
        .iter()
        .map(|i| (i.kind, i.person_name.clone(), i.overdue_days))
        .collect()
}

#[test]
fn a_return_falls_due_on_its_day_and_goes_once_the_person_is_met_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let joana = meet(
        &mut store,
        OFFICE,
        None,
        "Joana",
        at("2026-12-01T13:00:00Z"),
        Some("2026-12-05"),
        false,
    );
    // Not the day before (23:59 of the 4th in Vitória is already the 5th in UTC).
    assert!(list(&mut store, "2026-12-05T02:59:00Z").items.is_empty());
    let due = list(&mut store, "2026-12-05T03:00:00Z");
    assert_eq!(due.total, 1);
    let item = &due.items[0];
    assert_eq!(item.kind, DueKind::Return);
    assert_eq!(item.person_id, joana.person_id);
    assert_eq!(item.person_name, "Joana", "nome social first");
    assert_eq!(item.due, day("2026-12-05"));
    assert_eq!(item.what, "Retorno marcado para 05/12/2026");
    assert_eq!(item.since_label, "vence hoje");
    let later = list(&mut store, "2026-12-08T13:00:00Z");
    assert_eq!(later.items[0].since_label, "vencido há 3 dias");
    assert_eq!(later.items[0].overdue_days, 3);

    // Met again on the 6th: the return is made, nothing is due.
    meet(
        &mut store,
        OFFICE,
        Some(&joana.person_id),
        "",
        at("2026-12-06T14:00:00Z"),
        None,
        false,
    );
    assert!(list(&mut store, "2026-12-08T13:00:00Z").items.is_empty());
    // A return set at that later encounter is the one that counts.
    meet(
        &mut store,
        OFFICE,
        Some(&joana.person_id),
        "",
        at("2026-12-07T14:00:00Z"),
        Some("2026-12-10"),
        false,
    );
    assert!(list(&mut store, "2026-12-09T13:00:00Z").items.is_empty());
    let again = list(&mut store, "2026-12-10T13:00:00Z");
    assert_eq!(
        kinds(&again),
        [(DueKind::Return, "Joana".to_owned(), 0)],
        "{again:?}"
    );
    // Rebuilt from the documents, the projections say the same.
    store.rebuild_projections().expect("rebuild");
    assert_eq!(list(&mut store, "2026-12-10T13:00:00Z"), again);

    // A device no team account signed in to has no office to list.
    let other = tempfile::tempdir().expect("tempdir");
    let (mut citizen, _) = Store::open(&other.path().join("store.db")).expect("open");
    assert!(citizen.worklist_view(at("2026-12-10T13:00:00Z")).is_err());
}

#[test]
fn a_goal_past_its_deadline_shows_until_it_is_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let p = meet(
        &mut store,
        OFFICE,
        None,
        "Carla",
        at("2026-12-01T13:00:00Z"),
        None,
        false,
    );
    let view = store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: p.person_id.clone(),
                need: "documentacao".into(),
                action: "Tirar o RG".into(),
                due: "2026-12-10".into(),
                ..PlanGoalInput::default()
            },
            at("2026-12-01T13:00:00Z"),
        )
        .expect("goal");
    let goal_id = view.plan[0].id.clone();
    // Due on the 10th: past it from the 11th.
    assert!(list(&mut store, "2026-12-10T23:00:00Z").items.is_empty());
    let due = list(&mut store, "2026-12-11T03:00:00Z");
    assert_eq!(kinds(&due), [(DueKind::Goal, "Carla".to_owned(), 1)]);
    assert_eq!(
        due.items[0].what,
        "Meta do plano: Tirar o RG (até 10/12/2026)"
    );
    assert_eq!(due.items[0].since_label, "vencido há 1 dia");

    store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: p.person_id.clone(),
                goal_id: Some(goal_id),
                status: "feito".into(),
                ..PlanGoalInput::default()
            },
            at("2026-12-12T13:00:00Z"),
        )
        .expect("done");
    assert!(list(&mut store, "2026-12-12T13:00:00Z").items.is_empty());
}

#[test]
fn a_referral_waits_the_offices_days_and_goes_with_its_counter_referral() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let p = meet(
        &mut store,
        OFFICE,
        None,
        "Rafa",
        at("2026-12-01T13:00:00Z"),
        None,
        true,
    );
    assert_eq!(store.referral_days().expect("days"), REFERRAL_DAYS_DEFAULT);
    // Made on the 1st (Vitória), 15 days: due on the 16th, not on the 15th.
    let before = list(&mut store, "2026-12-16T02:59:00Z");
    assert!(before.items.is_empty(), "{before:?}");
    assert_eq!(before.referral_days, 15);
    let due = list(&mut store, "2026-12-16T03:00:00Z");
    assert_eq!(kinds(&due), [(DueKind::Referral, "Rafa".to_owned(), 0)]);
    assert!(
        due.items[0].what.starts_with("Encaminhamento a ")
            && due.items[0]
                .what
                .ends_with(" sem resposta desde 01/12/2026"),
        "{}",
        due.items[0].what
    );
    assert_eq!(due.items[0].person_id, p.person_id);

    // The office sets 5 days: due on the 6th; kept in the store, read again after reopening.
    assert!(store.set_referral_days(0).is_err());
    assert!(store.set_referral_days(366).is_err());
    store.set_referral_days(5).expect("setting");
    drop(store);
    let mut store = open(&dir);
    assert_eq!(store.referral_days().expect("days"), 5);
    assert!(list(&mut store, "2026-12-05T13:00:00Z").items.is_empty());
    let six = list(&mut store, "2026-12-06T13:00:00Z");
    assert_eq!(six.referral_days, 5);
    assert_eq!(kinds(&six), [(DueKind::Referral, "Rafa".to_owned(), 0)]);
    assert_eq!(
        list(&mut store, "2026-12-16T13:00:00Z").items[0].since_label,
        "vencido há 10 dias"
    );

    // The partner answered: nothing waits.
    store
        .set_referral_outcome(
            &p.referral_ids[0],
            ReferralStatus::Attended,
            Some("Atendida no dia 3"),
            "ana",
            at("2026-12-16T14:00:00Z"),
        )
        .expect("outcome");
    assert!(list(&mut store, "2026-12-16T15:00:00Z").items.is_empty());
}

#[test]
fn merged_records_withdrawn_consents_and_other_offices_people_never_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let now = at("2026-12-01T13:00:00Z");
    let kept = meet(
        &mut store,
        OFFICE,
        None,
        "Luiza",
        now,
        Some("2026-12-03"),
        true,
    );
    let dup = meet(
        &mut store,
        OFFICE,
        None,
        "Luíza S.",
        now,
        Some("2026-12-02"),
        true,
    );
    meet(
        &mut store,
        "es-boa-vista",
        None,
        "Outra Pessoa",
        now,
        Some("2026-12-02"),
        true,
    );
    let before = list(&mut store, "2026-12-20T13:00:00Z");
    assert_eq!(
        kinds(&before),
        [
            (DueKind::Return, "Luíza S.".to_owned(), 18),
            (DueKind::Return, "Luiza".to_owned(), 17),
            (DueKind::Referral, "Luiza".to_owned(), 4),
            (DueKind::Referral, "Luíza S.".to_owned(), 4),
        ],
        "only this office's people"
    );

    store
        .merge_people(&kept.person_id, &dup.person_id, "ana", now)
        .expect("merge");
    // A person who withdrew consent: processing stops, nothing of theirs is listed.
    let gone = meet(
        &mut store,
        OFFICE,
        None,
        "Vera",
        now,
        Some("2026-12-02"),
        true,
    );
    assert_eq!(list(&mut store, "2026-12-20T13:00:00Z").total, 4);
    store
        .consent_withdraw(&gone.person_id, now)
        .expect("withdrawn");
    let after = list(&mut store, "2026-12-20T13:00:00Z");
    assert!(
        after.items.iter().all(|i| i.person_id == kept.person_id),
        "{after:?}"
    );
    assert_eq!(
        kinds(&after),
        [
            (DueKind::Return, "Luiza".to_owned(), 17),
            (DueKind::Referral, "Luiza".to_owned(), 4),
        ]
    );
}

#[test]
fn most_overdue_first_and_in_spanish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let first = at("2026-12-01T13:00:00Z");
    let a = meet(
        &mut store,
        OFFICE,
        None,
        "Ana Maria",
        first,
        Some("2026-12-09"),
        false,
    );
    meet(&mut store, OFFICE, None, "Bia", first, None, true);
    store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: a.person_id.clone(),
                need: "trabalho".into(),
                action: "Ir ao Sine".into(),
                due: "2026-12-04".into(),
                ..PlanGoalInput::default()
            },
            first,
        )
        .expect("goal");
    // On the 20th: the goal (due the 4th), the return (the 9th), the referral (the 16th).
    let now = "2026-12-20T13:00:00Z";
    let view = list(&mut store, now);
    assert_eq!(
        kinds(&view),
        [
            (DueKind::Goal, "Ana Maria".to_owned(), 16),
            (DueKind::Return, "Ana Maria".to_owned(), 11),
            (DueKind::Referral, "Bia".to_owned(), 4),
        ]
    );

    store.set_locale(Locale::Es);
    let es = list(&mut store, now);
    let words: Vec<(&str, &str)> = es
        .items
        .iter()
        .map(|i| (i.what.as_str(), i.since_label.as_str()))
        .collect();
    assert_eq!(
        words[..2],
        [
            (
                "Meta del plan: Ir ao Sine (hasta el 04/12/2026)",
                "vencido hace 16 días"
            ),
            (
                "Regreso previsto para el 09/12/2026",
                "vencido hace 11 días"
            ),
        ]
    );
    assert!(
        words[2].0.starts_with("Derivación a ")
            && words[2].0.ends_with(" sin respuesta desde el 01/12/2026"),
        "{:?}",
        words[2]
    );
    assert_eq!(words[2].1, "vencido hace 4 días");
    assert!(
        es.items
            .iter()
            .all(|i| !i.what.contains("Encaminhamento") && !i.since_label.contains("há")),
        "{es:?}"
    );
}

/// An erased person leaves nothing in the worklist's own tables (LGPD): not their latest
/// encounter, not their goals.
#[test]
fn an_erasure_leaves_nothing_of_the_person_in_the_worklists_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let first = at("2026-12-01T13:00:00Z");
    let p = meet(
        &mut store,
        OFFICE,
        None,
        "Dora",
        first,
        Some("2026-12-04"),
        true,
    );
    store
        .plan_goal_set(
            &PlanGoalInput {
                person_id: p.person_id.clone(),
                need: "moradia".into(),
                action: "Vaga no abrigo".into(),
                due: "2026-12-03".into(),
                ..PlanGoalInput::default()
            },
            first,
        )
        .expect("goal");
    meet(
        &mut store,
        OFFICE,
        Some(&p.person_id),
        "",
        at("2026-12-02T13:00:00Z"),
        None,
        false,
    );
    assert_eq!(
        kinds(&list(&mut store, "2026-12-20T13:00:00Z")),
        [
            (DueKind::Goal, "Dora".to_owned(), 17),
            (DueKind::Referral, "Dora".to_owned(), 4),
        ],
        "the later encounter made the return"
    );
    let rows = |store: &Store, table: &str| -> i64 {
        store.inspect(|conn| {
            conn.query_row(
                &format!("SELECT count(*) FROM {table} WHERE person_id = ?1"),
                [&p.person_id],
                |r| r.get(0),
            )
            .expect("count")
        })
    };
    assert_eq!(rows(&store, "latest_encounters"), 1);
    assert_eq!(rows(&store, "plan_goals"), 1);

    store
        .erase_subject_locally(&p.person_id)
        .expect("erase person");
    assert!(list(&mut store, "2026-12-20T13:00:00Z").items.is_empty());
    for table in ["latest_encounters", "plan_goals", "encounters", "referrals"] {
        assert_eq!(rows(&store, table), 0, "{table}");
    }
}

/// The shell of this test: no server, no sync, no voice; the clock is the one given.
struct Fixed(DateTime<Utc>);

impl esv_replica::dispatch::Shell for Fixed {
    fn server(&self) -> Option<&str> {
        None
    }
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
    fn sync_view(&self, _store: &Store) -> esv_shared::ipc::SyncStatusView {
        esv_shared::ipc::SyncStatusView {
            enabled: false,
            running: false,
            label: String::new(),
            problem: None,
            pending: 0,
            held: None,
        }
    }
    fn wake_sync(&self) {}
    fn speak(&self, _text: &str, _locale: Locale) -> Result<(), esv_shared::ipc::IpcError> {
        Ok(())
    }
    fn stop_speaking(&self) -> Result<(), esv_shared::ipc::IpcError> {
        Ok(())
    }
}

/// The command as the app and the browser tests' bridge call it: by name, with no arguments,
/// in the language the session was set to, on the shell's clock.
#[test]
fn the_worklist_command_answers_through_the_one_dispatcher() {
    use esv_shared::ipc::cmd::{names, Command, Worklist};
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let mut store = open(&dir);
        meet(
            &mut store,
            OFFICE,
            None,
            "Joana",
            at("2026-12-01T13:00:00Z"),
            Some("2026-12-05"),
            false,
        );
    }
    let path = dir.path().join("store.db");
    let (session, _) = esv_replica::session::Session::open(&path, at("2026-12-01T13:00:00Z"));
    let session = std::sync::Mutex::new(session);
    assert_eq!(Worklist::NAME, names::WORKLIST);
    assert!(names::ALL.contains(&"worklist"));
    let ask = |now: &str| {
        let answer = esv_replica::dispatch::dispatch(
            &session,
            &Fixed(at(now)),
            "worklist",
            serde_json::json!({}),
        )
        .expect("a command of the table")
        .expect("answered");
        serde_json::from_value::<<Worklist as Command>::Response>(answer).expect("its response")
    };
    assert!(ask("2026-12-04T13:00:00Z").items.is_empty());
    esv_replica::dispatch::dispatch(
        &session,
        &Fixed(at("2026-12-04T13:00:00Z")),
        "set_locale",
        serde_json::json!({"locale": "es"}),
    )
    .expect("known")
    .expect("set");
    let due = ask("2026-12-07T13:00:00Z");
    assert_eq!(due.items.len(), 1);
    assert_eq!(due.items[0].person_name, "Joana");
    assert_eq!(due.items[0].since_label, "vencido hace 2 días");
    assert_eq!(due.items[0].what, "Regreso previsto para el 05/12/2026");
}

/// More due than the screen takes: the total counts them all, the ones sent are the most
/// overdue of every kind, in order.
#[test]
fn past_two_hundred_the_most_overdue_are_sent_and_all_are_counted() {
    use esv_shared::document::Entity;
    use esv_shared::people::{Encounter, Person, Referral};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir);
    let start = at("2026-09-01T13:00:00Z");
    let mut docs = Vec::new();
    for i in 0..300_i64 {
        let id = format!("p{i:03}");
        let mut p = Person::new(&id, OFFICE, "ana", start);
        p.social_name = Some(format!("Pessoa {i:03}"));
        p.consents.push(esv_shared::people::Consent {
            id: format!("c{i:03}"),
            purpose: esv_shared::people::CONSENT_PURPOSE.into(),
            form: ConsentForm::Spoken,
            staff: "ana".into(),
            at: start,
            withdrawn_at: None,
        });
        docs.push(Entity::Person(p));
        let when = start + chrono::Duration::hours(7 * i);
        // Returns on even people, referrals on odd ones, each a few hours apart.
        if i % 2 == 0 {
            docs.push(Entity::Encounter(Encounter {
                id: format!("{id}/e"),
                person_id: id.clone(),
                office_id: OFFICE.into(),
                outreach_id: None,
                at: when,
                staff: "ana".into(),
                consent_id: "c".into(),
                needs: Vec::new(),
                follow_up: Some(when.date_naive() + chrono::Duration::days(1)),
                notes: String::new(),
            }));
        } else {
            docs.push(Entity::Referral(Referral {
                id: format!("{id}/r"),
                person_id: id.clone(),
                office_id: OFFICE.into(),
                encounter_id: None,
                service_id: "es-vitoria-documentos".into(),
                made_at: when,
                made_by: "ana".into(),
                reason: None,
                status: ReferralStatus::Referred,
                outcome: None,
                outcome_at: None,
                outcome_by: None,
            }));
        }
    }
    store.edit_all(&docs, start).expect("write");
    let view = list(&mut store, "2027-01-31T13:00:00Z");
    assert_eq!(view.total, 300);
    assert_eq!(view.items.len(), esv_shared::ipc::team::WORKLIST_SHOWN);
    assert!(
        view.items.windows(2).all(|w| w[0].due <= w[1].due),
        "most overdue first"
    );
    // Both kinds are among those sent, and nothing left out is more overdue than the last.
    assert!(view.items.iter().any(|i| i.kind == DueKind::Return));
    assert!(view.items.iter().any(|i| i.kind == DueKind::Referral));
    assert_eq!(view.items[0].person_name, "Pessoa 000");
    let last = view.items.last().expect("items").due;
    let sent: std::collections::HashSet<&str> =
        view.items.iter().map(|i| i.person_id.as_str()).collect();
    let all = store
        .worklist(OFFICE, at("2027-01-31T13:00:00Z"))
        .expect("again");
    assert_eq!(all, view, "the same answer twice");
    for i in 0..300 {
        let id = format!("p{i:03}");
        let when = start + chrono::Duration::hours(7 * i);
        let due = if i % 2 == 0 {
            when.date_naive() + chrono::Duration::days(1)
        } else {
            when.date_naive() + chrono::Duration::days(15)
        };
        if due < last {
            assert!(sent.contains(id.as_str()), "{id} due {due} left out");
        }
    }
}
