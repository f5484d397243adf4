//! Prints one figure: a field day (50 encounters recorded offline) synced over a mobile link
//! throttled to 64 kbit/s each way with 300 ms round trip, through a TCP proxy in this file;
//! the link is measured first so the figure can be trusted, and the office's staff device must
//! then see all 50 people. Run: `cargo bench -p esv-tests --bench field_sync`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::field::{EncounterForm, PersonFields, ReferralForm};
use esv_replica::sync::{self, Remote, SyncReport};
use esv_replica::Store;
use esv_shared::people::{ConsentForm, Need, Race, Stage};
use esv_shared::sync::SyncRequest;
use esv_tests::sync_server::{TestServer, PASSWORD};

/// One way; the round trip is twice this.
const LATENCY: Duration = Duration::from_millis(150);
/// 64 kbit/s.
const BYTES_PER_SECOND: f64 = 8_000.0;
/// Bytes released at a time: 32 ms of the link, so pacing is smooth, not bursty.
const SLICE: usize = 256;
const ENCOUNTERS: usize = 50;
const GOAL: Duration = Duration::from_secs(30);
/// A sync stopped short (it should not be) is resumed at most this often.
const MAX_SYNCS: usize = 10;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn row(what: &str, value: String, goal: &str) {
    println!("| {what:<52} | {value:>14} | {goal:<18} |");
}

fn header() {
    println!(
        "| figure                                               |          value | goal               |"
    );
    println!(
        "|------------------------------------------------------|----------------|--------------------|"
    );
}

fn now() -> DateTime<Utc> {
    "2026-12-01T13:00:00Z".parse().expect("instant")
}

// ---------------------------------------------------------------------------------------------
// The link.

/// Bytes that crossed the link, per direction, and the connections it carried.
#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
}

/// A throttling TCP proxy on 127.0.0.1 in front of `target`.
struct Link {
    url: String,
    counters: Arc<Counters>,
}

impl Link {
    fn start(target: &str) -> Link {
        let target = target.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let counters = Arc::new(Counters::default());
        let c = Arc::clone(&counters);
        std::thread::spawn(move || {
            for device in listener.incoming().flatten() {
                let accepted = Instant::now();
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                c.connections.fetch_add(1, Ordering::Relaxed);
                carry(device, server, accepted, &c);
            }
        });
        Link { url, counters }
    }

    fn bytes(&self) -> (u64, u64) {
        (
            self.counters.up.load(Ordering::Relaxed),
            self.counters.down.load(Ordering::Relaxed),
        )
    }

    fn connections(&self) -> u64 {
        self.counters.connections.load(Ordering::Relaxed)
    }
}

/// Both directions of one connection. The device's connect() returned at once on loopback;
/// a real one waits a round trip for SYN-ACK before it sends, so its first byte can reach the
/// server no earlier than one round trip plus one way after the connection began.
fn carry(device: TcpStream, server: TcpStream, accepted: Instant, counters: &Arc<Counters>) {
    let _ = device.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(device_in), Ok(server_in)) = (device.try_clone(), server.try_clone()) else {
        return;
    };
    let handshake = accepted + 3 * LATENCY;
    let up = Arc::clone(counters);
    direction(device_in, server, handshake, move |n| {
        up.up.fetch_add(n, Ordering::Relaxed);
    });
    let down = Arc::clone(counters);
    direction(server_in, device, accepted, move |n| {
        down.down.fetch_add(n, Ordering::Relaxed);
    });
}

enum Piece {
    /// Bytes and when they were read.
    Data(Instant, Vec<u8>),
    End,
}

/// One direction: a reader thread timestamps what it reads; a writer thread delivers each
/// slice no earlier than its arrival plus the one-way latency, and no sooner than the link
/// can carry it after the slice before (so latency overlaps, bandwidth does not).
fn direction(
    mut from: TcpStream,
    mut to: TcpStream,
    link_free_at: Instant,
    count: impl Fn(u64) + Send + 'static,
) {
    let (tx, rx) = mpsc::channel::<Piece>();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Piece::End);
                    return;
                }
                Ok(n) => {
                    if tx
                        .send(Piece::Data(Instant::now(), buf[..n].to_vec()))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    std::thread::spawn(move || {
        // When the last slice finished arriving at the far end (the receiver's clock).
        let mut free = link_free_at;
        for piece in rx {
            match piece {
                Piece::Data(read_at, bytes) => {
                    for slice in bytes.chunks(SLICE) {
                        let start = (read_at + LATENCY).max(free);
                        let done =
                            start + Duration::from_secs_f64(slice.len() as f64 / BYTES_PER_SECOND);
                        let wait = done.saturating_duration_since(Instant::now());
                        if !wait.is_zero() {
                            std::thread::sleep(wait);
                        }
                        if to.write_all(slice).is_err() {
                            return;
                        }
                        count(slice.len() as u64);
                        // The ideal time, not the woken one: sleep's lateness does not add up.
                        free = done;
                    }
                }
                Piece::End => {
                    let _ = to.shutdown(Shutdown::Write);
                    return;
                }
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Measuring the link: a probe server that reads `up` bytes and answers `down` bytes, on one
// connection as often as asked.

fn start_probe() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || answer_probes(conn));
        }
    });
    addr
}

fn answer_probes(mut conn: TcpStream) {
    let _ = conn.set_nodelay(true);
    let mut header = [0u8; 8];
    while conn.read_exact(&mut header).is_ok() {
        let up = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let down = u32::from_be_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let mut body = vec![0u8; up];
        if conn.read_exact(&mut body).is_err() || conn.write_all(&vec![b'x'; down]).is_err() {
            return;
        }
    }
}

/// Sends `up` bytes, waits for `down` bytes back: the time it took.
fn exchange(conn: &mut TcpStream, up: usize, down: usize) -> Duration {
    let started = Instant::now();
    let mut message = Vec::with_capacity(8 + up);
    message.extend_from_slice(&(up as u32).to_be_bytes());
    message.extend_from_slice(&(down as u32).to_be_bytes());
    message.resize(8 + up, b'y');
    conn.write_all(&message).expect("probe write");
    let mut answer = vec![0u8; down];
    conn.read_exact(&mut answer).expect("probe read");
    started.elapsed()
}

struct LinkFigures {
    first_exchange: Duration,
    rtt: Duration,
    down_rate: f64,
    up_rate: f64,
}

fn measure_link() -> LinkFigures {
    let link = Link::start(&start_probe());
    let mut conn = TcpStream::connect(link.url.trim_start_matches("http://")).expect("connect");
    conn.set_nodelay(true).expect("nodelay");
    // The 8-byte header counts too; 1 byte each way is a tiny request.
    let first_exchange = exchange(&mut conn, 1, 1);
    let rtt = exchange(&mut conn, 1, 1);
    let down = 40_000;
    let took_down = exchange(&mut conn, 1, down);
    let took_up = exchange(&mut conn, down, 1);
    let rate = |bytes: usize, took: Duration| {
        bytes as f64 / took.saturating_sub(rtt).as_secs_f64().max(1e-3)
    };
    LinkFigures {
        first_exchange,
        rtt,
        down_rate: rate(down, took_down),
        up_rate: rate(down + 8, took_up),
    }
}

// ---------------------------------------------------------------------------------------------
// The field day.

const SOCIAL_NAMES: [&str; 10] = [
    "Luana",
    "Rafael",
    "Josiane",
    "Anderson",
    "Valéria",
    "Cleiton",
    "Rosângela",
    "Wellington",
    "Tainá",
    "Ederson",
];
const SURNAMES: [&str; 5] = [
    "Nascimento Correia",
    "Pereira da Silva",
    "Gomes Rangel",
    "Barcelos Teixeira",
    "Sant'Ana Moreira",
];
const MOTHERS: [&str; 7] = [
    "Maria das Graças",
    "Sebastiana",
    "Luzia Aparecida",
    "Terezinha",
    "Dalva",
    "Marlene",
    "Joselita",
];
const PLACES: [&str; 4] = [
    "na saída da Penitenciária Estadual de Vila Velha",
    "no Centro de Detenção Provisória de Viana",
    "na Casa de Custódia de Viana",
    "no ponto de ônibus em frente ao presídio de Xuri",
];
const ASKS: [&str; 5] = [
    "precisa da segunda via da identidade e do CPF para abrir conta e receber o auxílio",
    "quer voltar a estudar na EJA e procura vaga de emprego com carteira assinada",
    "está sem lugar para dormir esta semana e pediu ajuda para falar com a família",
    "faz tratamento de saúde e perdeu a receita do remédio de uso contínuo",
    "tem audiência marcada e não sabe onde fica a Defensoria Pública",
];

fn encounter_form(i: usize) -> EncounterForm {
    let first = SOCIAL_NAMES[i % SOCIAL_NAMES.len()];
    let surname = SURNAMES[(i / SOCIAL_NAMES.len()) % SURNAMES.len()];
    let mother = format!(
        "{} {}",
        MOTHERS[i % MOTHERS.len()],
        SURNAMES[(i + 2) % SURNAMES.len()]
    );
    let needs_all = [
        Need::CivilDocuments,
        Need::WorkIncome,
        Need::Housing,
        Need::Health,
        Need::Legal,
        Need::Education,
        Need::Family,
    ];
    let needs: Vec<Need> = (0..2 + i % 2)
        .map(|k| needs_all[(i + k * 3) % needs_all.len()])
        .collect();
    let races = [Race::Brown, Race::Black, Race::White, Race::Indigenous];
    let notes = format!(
        "Abordagem {}. {} saiu há {} dias, {}. Combinamos retorno no Escritório Social na \
         próxima semana; levar comprovante de endereço se tiver.",
        PLACES[i % PLACES.len()],
        first,
        1 + i % 9,
        ASKS[i % ASKS.len()],
    );
    EncounterForm {
        office_id: "es-vitoria".into(),
        staff: "caio".into(),
        person: PersonFields {
            social_name: Some(format!("{first} {surname}")),
            birth_date: NaiveDate::from_ymd_opt(
                1970 + (i * 7 % 35) as i32,
                1 + (i % 12) as u32,
                1 + (i * 5 % 28) as u32,
            ),
            mother_name: Some(mother),
            stage: Some(Stage::Released),
            race: Some(races[i % races.len()]),
            ..Default::default()
        },
        consent: Some(ConsentForm::Spoken),
        needs,
        referrals: vec![ReferralForm {
            service_id: "es-vitoria-documentos".into(),
            reason: Some("Emitir a Carteira de Identidade Nacional (CIN) e o CPF".into()),
        }],
        follow_up: NaiveDate::from_ymd_opt(2026, 12, 8),
        notes,
        ..Default::default()
    }
}

/// What the first push would put on the wire: raw changes, as JSON, gzipped as sent (fast),
/// and gzipped at the best level for comparison.
fn push_sizes(store: &Store) -> (usize, usize, usize, usize) {
    let outgoing = store.outgoing().expect("outgoing");
    let raw = outgoing
        .iter()
        .flat_map(|o| o.changes.changes.iter().map(Vec::len))
        .sum();
    let request = SyncRequest {
        push: outgoing.into_iter().map(|o| o.changes).collect(),
        cursors: store.cursors().expect("cursors"),
        limit: Some(1_000),
    };
    let json = serde_json::to_vec(&request).expect("json");
    let gzip = |level| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
        gz.write_all(&json).expect("gzip");
        gz.finish().expect("gzip").len()
    };
    (
        raw,
        json.len(),
        gzip(flate2::Compression::fast()),
        gzip(flate2::Compression::best()),
    )
}

fn main() {
    println!("Field day sync over 64 kbit/s, 300 ms round trip ({ENCOUNTERS} encounters)");
    println!();

    let link = measure_link();

    let server = TestServer::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut field = esv_tests::sync_server::team_store(&dir.path().join("campo.db"));
    // Signed in and synced at the office, on its own network: the catalog is on the device.
    sync::login(&field, &server.url, "caio", PASSWORD, "celular").expect("login");
    sync::sync(&mut field, None, now(), &mut |_| {}).expect("first sync");

    let recorded_started = Instant::now();
    let mut names = Vec::new();
    for i in 0..ENCOUNTERS {
        let form = encounter_form(i);
        names.extend(form.person.social_name.clone());
        let at = now() + chrono::Duration::minutes(10 * i as i64);
        field.record_encounter(&form, at).expect("record");
    }
    let recorded = recorded_started.elapsed();
    let waiting = field.outgoing_count().expect("count");
    let (raw, json, gzipped, gzipped_best) = push_sizes(&field);

    // Back in range of a weak signal: the device talks to the office through the link.
    let throttled = Link::start(&server.url);
    let mut account = field.account().expect("account").expect("signed in");
    account.server = throttled.url.clone();
    field.set_account(&account).expect("set account");

    let requests_before = Remote::requests();
    let at = now() + chrono::Duration::hours(9);
    let started = Instant::now();
    let mut report = SyncReport::default();
    let mut syncs = 0;
    while field.outgoing_count().expect("count") > 0 {
        assert!(syncs < MAX_SYNCS, "still {} documents to send", waiting);
        let r = sync::sync(&mut field, None, at, &mut |_| {}).expect("sync over the link");
        report.rounds += r.rounds;
        report.accepted += r.accepted;
        report.duplicates += r.duplicates;
        report.pulled += r.pulled;
        syncs += 1;
    }
    let took = started.elapsed();
    let requests = Remote::requests() - requests_before;
    let (up, down) = throttled.bytes();
    let connections = throttled.connections();

    // The figure only counts if the office really got the day.
    let mut staff = esv_tests::sync_server::team_store(&dir.path().join("ana.db"));
    sync::login(&staff, &server.url, "ana", PASSWORD, "escritório").expect("login");
    sync::sync(&mut staff, None, at, &mut |_| {}).expect("staff sync");
    let mut seen: Vec<String> = staff
        .people()
        .expect("people")
        .into_iter()
        .filter_map(|p| p.social_name)
        .collect();
    seen.sort();
    names.sort();
    assert_eq!(
        seen, names,
        "the staff device sees every person of the field day"
    );

    let rtt = 2 * LATENCY;
    let latency_part = rtt * (requests as u32 + connections as u32);
    let bandwidth_part = Duration::from_secs_f64((up + down) as f64 / BYTES_PER_SECOND);

    header();
    row(
        "link: first tiny exchange (connect + round trip)",
        ms(link.first_exchange),
        "≈ 600 ms",
    );
    row("link: tiny exchange, round trip", ms(link.rtt), "≈ 300 ms");
    row(
        "link: 40 KB down, rate",
        format!("{:.0} B/s", link.down_rate),
        "≈ 8,000 B/s",
    );
    row(
        "link: 40 KB up, rate",
        format!("{:.0} B/s", link.up_rate),
        "≈ 8,000 B/s",
    );
    row(
        &format!("record {ENCOUNTERS} encounters on the device (offline)"),
        ms(recorded),
        "",
    );
    row("documents waiting to be sent", waiting.to_string(), "");
    row("push: raw automerge changes", kb(raw as u64), "");
    row("push: as JSON (base64 changes)", kb(json as u64), "");
    row("push: JSON gzipped (fast), as sent", kb(gzipped as u64), "");
    row(
        "push: JSON gzipped (best), for comparison",
        kb(gzipped_best as u64),
        "",
    );
    row(
        "FIELD DAY SYNC over the link: wall time",
        secs(took),
        "≤ 30 s",
    );
    row("  sync calls until nothing waits", syncs.to_string(), "");
    row(
        "  sync rounds (SyncReport.rounds)",
        report.rounds.to_string(),
        "",
    );
    row("  HTTP requests (round trips)", requests.to_string(), "");
    row("  TCP connections opened", connections.to_string(), "");
    row(
        "  changes accepted by the server",
        report.accepted.to_string(),
        "",
    );
    row("  changes pulled back", report.pulled.to_string(), "");
    row("  bytes up through the link (headers incl.)", kb(up), "");
    row(
        "  bytes down through the link (headers incl.)",
        kb(down),
        "",
    );
    row(
        "  of which latency: (requests + connects) × 300 ms",
        secs(latency_part),
        "",
    );
    row(
        "  of which bandwidth: bytes ÷ 8,000 B/s",
        secs(bandwidth_part),
        "",
    );
    row(
        "  rest (device and server work)",
        secs(took.saturating_sub(latency_part + bandwidth_part)),
        "",
    );
    row(
        "staff device of the office sees the people",
        format!("{}/{ENCOUNTERS}", seen.len()),
        "all",
    );
    println!();
    if took <= GOAL {
        println!("goal met: {} ≤ {}", secs(took), secs(GOAL));
    } else {
        println!("goal MISSED: {} > {}", secs(took), secs(GOAL));
    }
}
