//! Prints the monitoring report's figures: the monthly report of an office over 50,000
//! encounters of that month (20,000 people, 25,000 referrals, 60 outreaches), plain store and
//! the same store encrypted with a PIN, and the report as CSV. Run: `cargo bench -p esv-replica --bench
//! report_figures`.

mod table;

use std::time::Instant;

use table::{ms, percentile, row, store_size};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::{Pin, Store};
use esv_shared::document::Entity;
use esv_shared::people::{
    Consent, ConsentForm, Encounter, Need, Outreach, Person, Race, Referral, ReferralStatus, Stage,
    CONSENT_PURPOSE,
};
use esv_shared::report::{csv, Period};

const PEOPLE: usize = 20_000;
const ENCOUNTERS: usize = 50_000;
const OUTREACHES: usize = 60;
const OFFICE: &str = "es-vitoria";
const GENDERS: &[&str] = &[
    "homem",
    "mulher",
    "Homem cis",
    "mulher trans",
    "travesti",
    "não binário",
    "homem trans",
    "",
];
const SERVICES: &[&str] = &[
    "es-vitoria-documentos",
    "es-vitoria-escuta",
    "es-vitoria-encaminhamentos",
];

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

fn person(i: usize, seq: &mut Seq, now: DateTime<Utc>) -> Entity {
    let mut p = Person::new(&format!("p{i:06}"), OFFICE, "caio", now);
    p.social_name = Some(format!("Pessoa {i}"));
    p.stage = [
        Some(Stage::Released),
        Some(Stage::PreRelease),
        Some(Stage::Family),
        None,
    ][seq.next(4)];
    p.race = Some(Race::ALL[seq.next(Race::ALL.len())]);
    let g = GENDERS[seq.next(GENDERS.len())];
    p.gender_identity = (!g.is_empty()).then(|| g.to_owned());
    p.consents.push(Consent {
        id: format!("c{i:06}"),
        purpose: CONSENT_PURPOSE.into(),
        form: ConsentForm::Spoken,
        staff: "caio".into(),
        at: now,
        withdrawn_at: None,
    });
    Entity::Person(p)
}

fn encounter(i: usize, seq: &mut Seq, start: DateTime<Utc>) -> (Entity, String, DateTime<Utc>) {
    let person = format!("p{:06}", seq.next(PEOPLE));
    let at = start + Duration::minutes(seq.next(29 * 24 * 60) as i64);
    let needs = (0..1 + seq.next(3))
        .map(|_| Need::ALL[seq.next(Need::ALL.len())])
        .collect();
    let outreach = (seq.next(3) == 0).then(|| format!("o{:03}", seq.next(OUTREACHES)));
    let e = Encounter {
        id: format!("{person}/e{i:06}"),
        person_id: person.clone(),
        office_id: OFFICE.into(),
        outreach_id: outreach,
        at,
        staff: "caio".into(),
        consent_id: "c".into(),
        needs,
        follow_up: None,
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
    let mut seq = Seq(17);
    let start: DateTime<Utc> = "2026-11-01T03:00:00Z".parse().expect("instant");
    let mut batch: Vec<Entity> = (0..OUTREACHES)
        .map(|i| {
            Entity::Outreach(Outreach {
                id: format!("o{i:03}"),
                office_id: OFFICE.into(),
                place: format!("Unidade prisional {}", i % 12),
                date: NaiveDate::from_ymd_opt(2026, 11, 1 + (i % 28) as u32).expect("date"),
                team: vec!["caio".into()],
            })
        })
        .collect();
    let mut flush = |batch: &mut Vec<Entity>| {
        store.edit_all(batch, now).expect("write");
        batch.clear();
    };
    for i in 0..PEOPLE {
        batch.push(person(i, &mut seq, now));
        if batch.len() >= 1_000 {
            flush(&mut batch);
        }
    }
    for i in 0..ENCOUNTERS {
        let (e, person, at) = encounter(i, &mut seq, start);
        batch.push(e);
        if i % 2 == 0 {
            batch.push(referral(i, &person, at, &mut seq));
        }
        if batch.len() >= 1_000 {
            flush(&mut batch);
        }
    }
    flush(&mut batch);
}

fn timed(label: &str, store: &mut Store, now: DateTime<Utc>) {
    let period = Period::parse("2026-11").expect("period");
    let t = Instant::now();
    let first = store.monthly_report(OFFICE, period, now).expect("report");
    let cold = t.elapsed();
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        store.monthly_report(OFFICE, period, now).expect("report");
        times.push(t.elapsed());
    }
    times.sort();
    row(
        &format!("monthly report, {label}: first"),
        ms(cold),
        "≤ 1 s",
    );
    row(
        &format!("monthly report, {label}: p50 of 10"),
        ms(percentile(&times, 0.5)),
        "≤ 1 s",
    );
    let served = first
        .section(esv_shared::report::PEOPLE_BY_STAGE)
        .and_then(|s| s.table.totals.as_ref())
        .map(|t| t.all.to_string())
        .unwrap_or_default();
    row(&format!("  people served that month ({label})"), served, "");
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
    timed("plain, 50,000 encounters", &mut store, now);
    let period = Period::parse("2026-11").expect("period");
    let report = store.monthly_report(OFFICE, period, now).expect("report");
    let t = Instant::now();
    let text = csv::render(&report);
    row(
        &format!("report as CSV ({} lines)", text.lines().count()),
        ms(t.elapsed()),
        "",
    );
    drop(store);

    // The same store encrypted with a PIN (a field or staff device's).
    let pin = Pin::new("482915").expect("pin");
    Store::encrypt_with_pin(&plain, &pin).expect("encrypt");
    let (mut secret, _) = Store::open_with_pin(&plain, &pin, now).expect("open");
    timed("encrypted, 50,000 encounters", &mut secret, now);
}
