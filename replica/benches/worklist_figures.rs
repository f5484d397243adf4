//! Prints the team home's "Pendências" figures: the worklist of an office over 20,000 people
//! (a plan goal for one in two, one in fifty merged into another), 50,000 encounters over three
//! months (two in five scheduling a return) and 25,000 referrals, plain store and the same
//! store encrypted with a PIN (as a team device's is). Goal: ≤ 100 ms. Then, on the encrypted
//! store, the gate's list: five units' lists of 500 lines read (goal: ≤ 2 s each), the same
//! list read again (nobody added twice), and the home with 2,500 people on the list. Run:
//! `cargo bench -p
//! esv-replica --bench worklist_figures` (or with `--profile dev`, which keeps SQLite
//! optimised and is slower everywhere else: an upper bound).

mod table;

use std::time::{Duration as Elapsed, Instant};

use table::{ms, percentile, row, store_size};

use chrono::{DateTime, Duration, Utc};
use esv_replica::{Pin, Store};
use esv_shared::document::Entity;
use esv_shared::people::{
    Consent, ConsentForm, Encounter, GoalStatus, Need, Person, PlanGoal, Referral, ReferralStatus,
    CONSENT_PURPOSE,
};

const PEOPLE: usize = 20_000;
const ENCOUNTERS: usize = 50_000;
const OFFICE: &str = "es-vitoria";
const SERVICES: &[&str] = &[
    "es-vitoria-documentos",
    "es-vitoria-escuta",
    "es-vitoria-encaminhamentos",
];
const RUNS: usize = 30;

/// A small deterministic generator (the same data every run).
struct Seq(u64);

impl Seq {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn person(i: usize, seq: &mut Seq, start: DateTime<Utc>) -> Entity {
    let mut p = Person::new(&format!("p{i:06}"), OFFICE, "caio", start);
    p.social_name = Some(format!("Pessoa {i}"));
    p.consents.push(Consent {
        id: format!("c{i:06}"),
        purpose: CONSENT_PURPOSE.into(),
        form: ConsentForm::Spoken,
        staff: "caio".into(),
        at: start,
        withdrawn_at: None,
    });
    if i.is_multiple_of(2) {
        let status = [GoalStatus::Open, GoalStatus::Open, GoalStatus::Done][seq.next(3)];
        p.plan.push(PlanGoal {
            id: format!("g{i:06}"),
            need: Need::ALL[seq.next(Need::ALL.len())],
            action: "Tirar a 2ª via do RG no Faça Fácil".into(),
            responsible: "Pessoa".into(),
            due: Some(start.date_naive() + Duration::days(seq.next(120) as i64)),
            status,
            set_by: "caio".into(),
            set_at: start,
        });
    }
    if i % 50 == 49 {
        p.merged_into = Some(format!("p{:06}", i - 1));
    }
    Entity::Person(p)
}

fn encounter(i: usize, seq: &mut Seq, start: DateTime<Utc>) -> (Entity, String, DateTime<Utc>) {
    let person = format!("p{:06}", seq.next(PEOPLE));
    let at = start + Duration::minutes(seq.next(91 * 24 * 60) as i64);
    let follow_up =
        (seq.next(5) < 2).then(|| at.date_naive() + Duration::days(7 + seq.next(30) as i64));
    let e = Encounter {
        id: format!("{person}/e{i:06}"),
        person_id: person.clone(),
        office_id: OFFICE.into(),
        outreach_id: None,
        at,
        staff: "caio".into(),
        consent_id: "c".into(),
        needs: vec![Need::ALL[seq.next(Need::ALL.len())]],
        follow_up,
        notes: "Saiu hoje da unidade; precisa da CIN para o cadastro no CRAS.".into(),
    };
    (Entity::Encounter(e), person, at)
}

fn referral(i: usize, person: &str, at: DateTime<Utc>, seq: &mut Seq) -> Entity {
    let status = ReferralStatus::ALL[seq.next(ReferralStatus::ALL.len())];
    let answered = (status != ReferralStatus::Referred).then(|| at + Duration::days(3));
    Entity::Referral(Referral {
        id: format!("{person}/r{i:06}"),
        person_id: person.to_owned(),
        office_id: OFFICE.into(),
        encounter_id: None,
        service_id: SERVICES[seq.next(SERVICES.len())].into(),
        made_at: at,
        made_by: "caio".into(),
        reason: None,
        status,
        outcome: answered.map(|_| "atendida".into()),
        outcome_at: answered,
        outcome_by: answered.map(|_| "caio".into()),
    })
}

/// Writes the data set, 1,000 documents per transaction (a fast path for the set-up only).
fn fill(store: &mut Store, now: DateTime<Utc>) {
    let mut seq = Seq(23);
    let start: DateTime<Utc> = "2026-09-01T03:00:00Z".parse().expect("instant");
    let mut batch: Vec<Entity> = Vec::new();
    let mut flush = |batch: &mut Vec<Entity>| {
        store.edit_all(batch, now).expect("write");
        batch.clear();
    };
    for i in 0..PEOPLE {
        batch.push(person(i, &mut seq, start));
        if batch.len() >= 1_000 {
            flush(&mut batch);
        }
    }
    for i in 0..ENCOUNTERS {
        let (e, person, at) = encounter(i, &mut seq, start);
        batch.push(e);
        if i.is_multiple_of(2) {
            batch.push(referral(i, &person, at, &mut seq));
        }
        if batch.len() >= 1_000 {
            flush(&mut batch);
        }
    }
    flush(&mut batch);
}

fn timed(label: &str, store: &mut Store, now: DateTime<Utc>) {
    let t = Instant::now();
    let first = store.worklist(OFFICE, now).expect("worklist");
    let cold = t.elapsed();
    let mut times: Vec<Elapsed> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            store.worklist(OFFICE, now).expect("worklist");
            t.elapsed()
        })
        .collect();
    times.sort();
    row(&format!("worklist, {label}: first"), ms(cold), "≤ 100 ms");
    row(
        &format!("worklist, {label}: p50 of {RUNS}"),
        ms(percentile(&times, 0.5)),
        "≤ 100 ms",
    );
    row(
        &format!("worklist, {label}: p95 of {RUNS}"),
        ms(percentile(&times, 0.95)),
        "≤ 100 ms",
    );
    let count = |k| first.items.iter().filter(|i| i.kind == k).count();
    use esv_shared::ipc::team::DueKind;
    row(
        &format!("  items due ({label})"),
        format!("{}", first.total),
        "",
    );
    row(
        &format!(
            "  first {} shown: returns/goals/referrals",
            first.items.len()
        ),
        format!(
            "{}/{}/{}",
            count(DueKind::Return),
            count(DueKind::Goal),
            count(DueKind::Referral)
        ),
        "",
    );
}

fn main() {
    let now: DateTime<Utc> = "2026-12-02T12:00:00Z".parse().expect("instant");
    let dir = tempfile::tempdir().expect("tempdir");
    table::header();

    let plain = dir.path().join("plain.db");
    let (mut store, _) = Store::open(&plain).expect("open");
    let t = Instant::now();
    fill(&mut store, now);
    row(
        &format!("write {PEOPLE} people, {ENCOUNTERS} encounters (set-up)"),
        ms(t.elapsed()),
        "",
    );
    store.checkpoint().expect("checkpoint");
    row(
        "store size (plain)",
        format!("{:.1} MiB", store_size(&plain) as f64 / 1_048_576.0),
        "",
    );
    // The catalog's index (the office's time zone, the services' names) is built once per
    // session, before the home screen asks: built here so "first" is the worklist's own.
    store.index().expect("index");
    timed("plain", &mut store, now);
    drop(store);

    // The same store encrypted with a PIN (a team device's).
    let pin = Pin::new("482915").expect("pin");
    Store::encrypt_with_pin(&plain, &pin).expect("encrypt");
    let (mut secret, _) = Store::open_with_pin(&plain, &pin, now).expect("open");
    secret.index().expect("index");
    timed("encrypted", &mut secret, now);
    gate(&mut secret, now);
}

/// A unit's list of 500 people, `run` making the names its own, dates over the next 30 days.
fn unit_list(run: usize, units: &[String]) -> String {
    let mut list = String::from("nome;data_prevista;unidade;data_nascimento\n");
    for i in 0..500 {
        list.push_str(&format!(
            "Pessoa da Lista {run} {i};{:02}/12/2026;{};{:02}/0{}/19{}\n",
            2 + i % 28,
            units[i % units.len()],
            1 + i % 28,
            1 + i % 9,
            60 + i % 40
        ));
    }
    list
}

fn gate(store: &mut Store, now: DateTime<Utc>) {
    use esv_shared::sync::{Role, Session};
    store
        .set_account(&esv_replica::sync::Account {
            server: "http://127.0.0.1:9".into(),
            session: Session {
                device: "d-bench".into(),
                token: "t".into(),
                role: Role::Staff,
                office: OFFICE.into(),
                username: Some("ana".into()),
            },
        })
        .expect("account");
    let units: Vec<String> = [
        "Centro de Detenção Provisória de Viana",
        "Penitenciária Feminina de Cariacica",
        "Penitenciária Estadual de Vila Velha",
    ]
    .iter()
    .map(|name| {
        store
            .facility_save(OFFICE, None, name, "", now)
            .expect("unit")
            .name
    })
    .collect();
    let mut times = Vec::new();
    for run in 0..5 {
        let list = unit_list(run, &units);
        let t = Instant::now();
        let done = store.releases_import(&list, now).expect("import");
        times.push(t.elapsed());
        assert_eq!((done.added, done.problems.len()), (500, 0), "{done:?}");
    }
    times.sort();
    row(
        "import a 500-line unit list (encrypted): p50 of 5",
        ms(percentile(&times, 0.5)),
        "≤ 2 s",
    );
    row(
        "import a 500-line unit list (encrypted): worst",
        ms(times[times.len() - 1]),
        "≤ 2 s",
    );
    let t = Instant::now();
    let again = store
        .releases_import(&unit_list(4, &units), now)
        .expect("import");
    assert_eq!((again.added, again.already), (0, 500));
    row(
        "the same list again (500 already there)",
        ms(t.elapsed()),
        "≤ 2 s",
    );
    let t = Instant::now();
    let home = store.worklist(OFFICE, now).expect("worklist");
    row(
        "worklist with 2,500 on the gate's list",
        ms(t.elapsed()),
        "≤ 100 ms",
    );
    row(
        "  expected at the gate this week",
        format!("{}", home.expected.len()),
        "",
    );
}
