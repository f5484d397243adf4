//! Prints the busca ativa figures of a field device: saving an encounter (person, consent,
//! encounter, referral in one transaction) in a store that already knows 20,000 people, plain
//! and encrypted with a PIN; person search over those 20,000 people as a name is typed; and the
//! store's size per 1,000 encounters; and opening the office's requests queue with 10,000
//! requests. Run: `cargo bench -p esv-replica --bench field_figures`.

mod table;

use std::time::Instant;

use table::{ms, percentile, row, store_size};

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::{Pin, Store};
use esv_shared::document::Entity;
use esv_shared::people::{Consent, ConsentForm, Need, Person, Race, Stage, CONSENT_PURPOSE};

const PEOPLE: usize = 20_000;

const FIRST: &[&str] = &[
    "Maria",
    "José",
    "Ana",
    "João",
    "Antônio",
    "Francisca",
    "Carlos",
    "Paulo",
    "Adriana",
    "Lucas",
    "Juliana",
    "Marcos",
    "Luiz",
    "Patrícia",
    "Rafael",
    "Aline",
    "Daniel",
    "Sandra",
    "Thiago",
    "Camila",
    "Bruno",
    "Fernanda",
    "Rodrigo",
    "Vanessa",
    "Diego",
    "Kátia",
    "Wellington",
    "Rosângela",
    "Edson",
    "Cícero",
];
const MIDDLE: &[&str] = &[
    "Aparecida",
    "Carlos",
    "Eduardo",
    "de Fátima",
    "Cristina",
    "Henrique",
    "Luiz",
    "Helena",
    "",
    "",
    "",
];
const LAST: &[&str] = &[
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Nascimento",
    "Moreira",
    "Cardoso",
    "Teixeira",
];

/// A small deterministic generator (the same people every run).
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

fn name(seq: &mut Seq) -> String {
    let parts = [
        FIRST[seq.next(FIRST.len())],
        MIDDLE[seq.next(MIDDLE.len())],
        LAST[seq.next(LAST.len())],
        LAST[seq.next(LAST.len())],
    ];
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn person(i: usize, seq: &mut Seq, now: DateTime<Utc>) -> Person {
    Person {
        id: format!("p{i:06}"),
        office_id: "es-vitoria".into(),
        social_name: Some(name(seq)),
        civil_name: None,
        birth_date: NaiveDate::from_ymd_opt(
            1960 + seq.next(45) as i32,
            1 + seq.next(12) as u32,
            1 + seq.next(28) as u32,
        ),
        mother_name: Some(name(seq)),
        contact: None,
        stage: Some(Stage::Released),
        race: Some(Race::ALL[seq.next(Race::ALL.len())]),
        gender_identity: None,
        missing_documents: Vec::new(),
        consents: vec![Consent {
            id: format!("c{i:06}"),
            purpose: CONSENT_PURPOSE.into(),
            form: ConsentForm::Spoken,
            staff: "caio".into(),
            at: now,
            withdrawn_at: None,
        }],
        created_at: now,
        created_by: "caio".into(),
        merged_into: None,
        plan: Vec::new(),
        origin: None,
        release_date: None,
        release_place: None,
    }
}

fn form(seq: &mut Seq) -> EncounterForm {
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: "caio".into(),
        person: PersonFields {
            social_name: Some(name(seq)),
            birth_date: NaiveDate::from_ymd_opt(1980 + seq.next(20) as i32, 3, 9),
            mother_name: Some(name(seq)),
            race: Some(Race::Brown),
            stage: Some(Stage::Released),
            ..Default::default()
        },
        consent: Some(ConsentForm::Spoken),
        needs: vec![Need::CivilDocuments, Need::Housing, Need::WorkIncome],
        referrals: vec![ReferralForm {
            service_id: "es-vitoria-documentos".into(),
            reason: Some("Segunda via da CIN".into()),
        }],
        notes: "Saiu hoje da unidade; vai dormir na casa da irmã esta semana. Precisa da CIN \
                para o cadastro no CRAS e quer voltar a estudar (EJA)."
            .into(),
        ..Default::default()
    }
}

/// Fills a store with 20,000 people, 1,000 per transaction (a fast path for the set-up only).
fn fill(store: &mut Store, seq: &mut Seq, now: DateTime<Utc>) {
    for chunk in 0..PEOPLE / 1_000 {
        let people: Vec<Entity> = (chunk * 1_000..(chunk + 1) * 1_000)
            .map(|i| Entity::Person(person(i, seq, now)))
            .collect();
        store.edit_all(&people, now).expect("people");
    }
}

fn saving(label: &str, store: &mut Store, seq: &mut Seq, now: DateTime<Utc>) {
    let mut times = Vec::new();
    for _ in 0..200 {
        let f = form(seq);
        let t = Instant::now();
        store.record_encounter(&f, now).expect("record");
        times.push(t.elapsed());
    }
    times.sort();
    row(
        &format!("save an encounter, {label}: p50"),
        ms(percentile(&times, 0.5)),
        "",
    );
    row(
        &format!("save an encounter, {label}: p95"),
        ms(percentile(&times, 0.95)),
        "≤ 50 ms",
    );
}

fn main() {
    let now: DateTime<Utc> = "2026-12-01T13:00:00Z".parse().expect("instant");
    let dir = tempfile::tempdir().expect("tempdir");
    table::header();

    // Plain store (a staff desktop) and encrypted store (a field phone), each with 20,000 people.
    let plain = dir.path().join("plain.db");
    let (mut store, _) = Store::open(&plain).expect("open");
    let t = Instant::now();
    fill(&mut store, &mut Seq(7), now);
    row(
        &format!("write {PEOPLE} people (set-up, 1,000 per transaction)"),
        ms(t.elapsed()),
        "",
    );
    saving("plain store, 20,000 people", &mut store, &mut Seq(11), now);

    let locked = dir.path().join("locked.db");
    let pin = Pin::new("482915").expect("pin");
    Store::encrypt_with_pin(&locked, &pin).expect("encrypt");
    let t = Instant::now();
    let (mut secret, _) = Store::open_with_pin(&locked, &pin, now).expect("open");
    row(
        "open an encrypted store with the PIN (Argon2id)",
        ms(t.elapsed()),
        "",
    );
    fill(&mut secret, &mut Seq(7), now);
    saving("encrypted, 20,000 people", &mut secret, &mut Seq(11), now);

    // Person search as a name is typed, letter by letter, and a few whole names with typos.
    let mut queries: Vec<String> = Vec::new();
    for whole in [
        "maria aparecida silva",
        "jose carlos",
        "rosangela",
        "wellington souza",
    ] {
        for n in 2..=whole.len() {
            queries.push(whole[..n].to_owned());
        }
    }
    queries.extend(
        [
            "maria aparecdia",
            "jose souza",
            "katia",
            "cicero lima",
            "thiago",
            "tiago",
            "patricia alves",
        ]
        .map(str::to_owned),
    );
    let t = Instant::now();
    let first = secret.find_people("maria", None, now).expect("find");
    row(
        &format!(
            "person search, first after a change ({} found)",
            first.len()
        ),
        ms(t.elapsed()),
        "",
    );
    let mut times = Vec::new();
    for q in &queries {
        let t = Instant::now();
        secret.find_people(q, None, now).expect("find");
        times.push(t.elapsed());
    }
    times.sort();
    row(
        &format!(
            "person search over {PEOPLE} people, p50 ({} queries)",
            queries.len()
        ),
        ms(percentile(&times, 0.5)),
        "",
    );
    row(
        "person search over 20,000 people, p95",
        ms(percentile(&times, 0.95)),
        "≤ 20 ms",
    );
    drop(secret);

    // Size: 1,000 encounters, each with its person and a referral, in an empty encrypted store.
    let sized = dir.path().join("sized.db");
    Store::encrypt_with_pin(&sized, &pin).expect("encrypt");
    let (mut small, _) = Store::open_with_pin(&sized, &pin, now).expect("open");
    small.checkpoint().expect("checkpoint");
    let before = store_size(&sized);
    let mut seq = Seq(3);
    for _ in 0..1_000 {
        small
            .record_encounter(&form(&mut seq), now)
            .expect("record");
    }
    small.checkpoint().expect("checkpoint");
    let after = store_size(&sized);
    row(
        "store growth per 1,000 encounters (person + referral)",
        format!("{:.2} MiB", (after - before) as f64 / 1_048_576.0),
        "",
    );

    queue(&mut store, now);
}

/// The office's requests queue with 10,000 requests: opening it (the first page, with the
/// counts per status) and a filtered page.
fn queue(store: &mut Store, now: DateTime<Utc>) {
    use esv_shared::ipc::office::QueueFilter;
    use esv_shared::requests::{Party, Request, RequestEvent, RequestKind, RequestStatus};
    const REQUESTS: usize = 10_000;
    let kinds = [
        RequestKind::Appointment,
        RequestKind::Documents,
        RequestKind::WorkOrCourse,
        RequestKind::Legal,
        RequestKind::Other,
    ];
    let statuses = [
        None,
        Some(RequestStatus::Received),
        Some(RequestStatus::InProgress),
        Some(RequestStatus::Done),
    ];
    for chunk in 0..REQUESTS / 1_000 {
        let requests: Vec<Entity> = (chunk * 1_000..(chunk + 1) * 1_000)
            .map(|i| {
                let at = now - chrono::Duration::minutes(i64::try_from(i).unwrap_or(0));
                let events = statuses[i % statuses.len()]
                    .map(|status| RequestEvent {
                        id: esv_shared::requests::event_id(at, "ana"),
                        at,
                        by: Party::Office,
                        author: Some("ana".into()),
                        status: Some(status),
                        text: Some("Recebemos seu pedido.".into()),
                    })
                    .into_iter()
                    .collect();
                Entity::Request(Request {
                    id: format!("dev-{:04}/r-{i:05}", i % 3_000),
                    office_id: "es-vitoria".into(),
                    device: format!("dev-{:04}", i % 3_000),
                    kind: kinds[i % kinds.len()],
                    text: "Preciso de ajuda para tirar a segunda via do RG e do CPF.".into(),
                    name: (i % 2 == 0).then(|| "Maria".to_owned()),
                    contact: None,
                    service_id: None,
                    created_at: at,
                    assigned_to: (i % 7 == 0).then(|| "ana".to_owned()),
                    events,
                })
            })
            .collect();
        store.edit_all(&requests, now).expect("requests");
    }
    store
        .set_account(&esv_replica::sync::Account {
            server: "http://127.0.0.1:9".into(),
            session: esv_shared::sync::Session {
                device: "dev-staff".into(),
                token: "t".into(),
                role: esv_shared::sync::Role::Staff,
                office: "es-vitoria".into(),
                username: Some("ana".into()),
            },
        })
        .expect("account");
    let mut open = Vec::new();
    let mut filtered = Vec::new();
    for i in 0..30 {
        let t = Instant::now();
        let page = store
            .request_queue(&QueueFilter::default(), now)
            .expect("queue");
        open.push(t.elapsed());
        assert_eq!(page.total, REQUESTS);
        let t = Instant::now();
        store
            .request_queue(
                &QueueFilter {
                    kind: Some(kinds[i % kinds.len()]),
                    status: Some(RequestStatus::InProgress),
                    mine: i % 2 == 0,
                    offset: 0,
                },
                now,
            )
            .expect("filtered");
        filtered.push(t.elapsed());
    }
    open.sort();
    filtered.sort();
    row(
        &format!("open the requests queue, {REQUESTS} requests: p95"),
        ms(percentile(&open, 0.95)),
        "≤ 300 ms",
    );
    row(
        "the queue filtered by kind, status and assignee: p95",
        ms(percentile(&filtered, 0.95)),
        "",
    );
}
