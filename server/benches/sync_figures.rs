//! Prints the sync figures of issue 5: 1,000 small service records created on the server side;
//! (A) a fresh device syncs them all, (B) it syncs again with nothing changed, (C) 100 records
//! change on the server and 100 others on the offline device, then it syncs. Bytes on the wire
//! are counted by a TCP proxy between device and server (headers included); the server is the
//! real binary in its own process, so its CPU time and memory are its own. Also: ingest rate,
//! 100 devices syncing at once, and automerge's own sync protocol one document at a time.
//! Run: `cargo bench -p esv-server --bench sync_figures`.

#[path = "../tests/support/mod.rs"]
mod support;

use support::{admin, now, serve, PASSWORD};

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use esv_replica::sync::{self, Remote};
use esv_replica::Store;
use esv_shared::document::Entity;
use esv_shared::domain::{Category, Location, Organization, Phone, Service, Uf};

const DOCS: usize = 1_000;
/// Repeats for steadier CPU means (the kernel counts CPU in 10 ms ticks).
const A_AGAIN: usize = 20;
const B_AGAIN: usize = 50;
const C_AGAIN: usize = 50;

/// CPU seconds (user + system) and peak memory of a process, from /proc.
/// A staff device's store, protected by PIN as a team account needs.
fn team_store(path: &std::path::Path) -> Store {
    let pin = esv_replica::Pin::new("482915").expect("pin");
    Store::encrypt_with_pin(path, &pin).expect("protect");
    let at: chrono::DateTime<chrono::Utc> = "2026-12-01T13:00:00Z".parse().expect("instant");
    Store::open_with_pin(path, &pin, at).expect("open").0
}

fn proc_usage(pid: u32) -> (f64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let cpu = (ticks(11) + ticks(12)) / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    (cpu, hwm)
}

/// A TCP proxy that counts the bytes going each way.
struct Counter {
    url: String,
    up: Arc<AtomicU64>,
    down: Arc<AtomicU64>,
}

impl Counter {
    fn start(target: &str) -> Counter {
        let target = target.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (up, down) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let (u, d) = (Arc::clone(&up), Arc::clone(&down));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let pipe = |mut from: TcpStream, mut to: TcpStream, count: Arc<AtomicU64>| {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 64 * 1024];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 || to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                            count.fetch_add(n as u64, Ordering::Relaxed);
                        }
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    });
                };
                pipe(
                    client.try_clone().expect("clone"),
                    server.try_clone().expect("clone"),
                    Arc::clone(&u),
                );
                pipe(server, client, Arc::clone(&d));
            }
        });
        Counter { url, up, down }
    }

    fn take(&self) -> (u64, u64) {
        (
            self.up.swap(0, Ordering::Relaxed),
            self.down.swap(0, Ordering::Relaxed),
        )
    }
}

fn record(i: usize) -> Entity {
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    Entity::Organization(Organization {
        id: format!("es-vitoria/bench-{i:04}"),
        name: format!("Parceiro {i:04}"),
        description: String::new(),
        office_id: Some("es-vitoria".into()),
        website: None,
        reviewed_on: day,
        es: None,
        services: vec![Service {
            id: format!("bench-{i:04}-s"),
            name: format!("Atendimento social número {i:04}"),
            description: format!(
                "Serviço {i} de teste: acolhimento, orientação sobre documentos, encaminhamento para a rede \
                 de saúde e assistência social, apoio para procurar trabalho. Atendimento gratuito, sem marcar."
            ),
            categories: vec![Category::SocialAssistance],
            audience: String::new(),
            required_documents: Vec::new(),
            location: Some(Location {
                address: format!("Rua das Palmeiras, {}, Bairro Centro, Vitória", 100 + i),
                directions: None,
                municipality: "Vitória".into(),
                municipality_ibge: None,
                uf: Uf::ES,
                tz: "America/Sao_Paulo".into(),
                lat: None,
                lon: None,
            }),
            phones: vec![Phone { number: format!("2733{i:06}"), display: format!("(27) 33{i:06}"), label: None }],
            email: Some(format!("parceiro{i}@example.org")),
            website: None,
            schedule: None,
            keywords: Vec::new(),
            sources: Vec::new(),
            reviewed_on: day,
            es: None,
        }],
    })
}

fn phone_change(entity: &mut Entity, n: usize) {
    if let Entity::Organization(o) = entity {
        o.services[0].phones[0].display = format!("(27) 99{n:06}");
    }
}

fn row(what: &str, value: String, goal: &str) {
    println!("| {what:<58} | {value:>20} | {goal:<16} |");
}

fn kb(b: u64) -> String {
    format!("{:.1} KB", b as f64 / 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    admin(&db, &["office", "add", "es-vitoria", "ES"]);
    admin(
        &db,
        &[
            "user",
            "add",
            "ana",
            "--office",
            "es-vitoria",
            "--role",
            "staff",
        ],
    );
    admin(
        &db,
        &[
            "user",
            "add",
            "bia",
            "--office",
            "es-vitoria",
            "--role",
            "staff",
        ],
    );
    let (mut server, url) = serve(&db);
    let pid = server.id();

    // The records, made on the server side (a staff device that pushes them).
    let mut origin = team_store(&dir.path().join("origin.db"));
    sync::login(&origin, &url, "ana", PASSWORD, "origem").expect("login");
    sync::sync(&mut origin, None, now(), &mut |_| {}).expect("sync");
    let mut records: Vec<Entity> = (0..DOCS).map(record).collect();
    let t = Instant::now();
    for r in &records {
        origin.edit(r, now()).expect("edit");
    }
    let made = t.elapsed();
    let t = Instant::now();
    let pushed = sync::sync(&mut origin, None, now(), &mut |_| {}).expect("push");
    let push_time = t.elapsed();

    println!("| figure                                                     |                value | goal             |");
    println!("|------------------------------------------------------------|----------------------|------------------|");
    row(
        &format!("setup: {DOCS} records written on a device"),
        format!("{:.2} s", made.as_secs_f64()),
        "",
    );
    row(
        &format!(
            "setup: pushed {} changes in {} rounds",
            pushed.accepted, pushed.rounds
        ),
        format!("{:.0} ms", push_time.as_secs_f64() * 1000.0),
        "",
    );

    // (A) a fresh staff device syncs everything.
    let counter = Counter::start(&url);
    let mut device = team_store(&dir.path().join("device.db"));
    sync::login(&device, &url, "bia", PASSWORD, "aparelho").expect("login");
    let (cpu0, _) = proc_usage(pid);
    let calls0 = Remote::requests();
    let t = Instant::now();
    let a = sync::sync(&mut device, Some(&counter.url), now(), &mut |_| {}).expect("A");
    let a_time = t.elapsed();
    let (cpu1, _) = proc_usage(pid);
    let (up, down) = counter.take();
    row(
        "(A) fresh device: HTTP round trips",
        (Remote::requests() - calls0).to_string(),
        "≤ 2",
    );
    row(
        "(A) bytes on the wire (up + down)",
        format!("{} + {}", kb(up), kb(down)),
        "≤ 300 KB",
    );
    row(
        &format!("(A) documents received ({} by snapshot)", a.snapshot_docs),
        a.changed_docs.to_string(),
        "",
    );
    row(
        "(A) wall time",
        format!("{:.0} ms", a_time.as_secs_f64() * 1000.0),
        "",
    );
    row(
        "(A) server CPU time",
        format!("{:.0} ms", (cpu1 - cpu0) * 1000.0),
        "≤ 300 ms",
    );
    // The same again on more fresh devices, for a steadier CPU figure (ticks are 10 ms).
    let (cpu0, _) = proc_usage(pid);
    for n in 0..A_AGAIN {
        let mut again = team_store(&dir.path().join(format!("again-{n}.db")));
        sync::login(&again, &url, "bia", PASSWORD, "outro").expect("login");
        sync::sync(&mut again, None, now(), &mut |_| {}).expect("A again");
    }
    let (cpu1, _) = proc_usage(pid);
    row(
        &format!("(A) server CPU, mean of {A_AGAIN} more fresh devices (with sign-in)"),
        format!("{:.1} ms", (cpu1 - cpu0) * 1000.0 / A_AGAIN as f64),
        "",
    );

    // (B) again, nothing changed.
    let calls0 = Remote::requests();
    let (cpu0, _) = proc_usage(pid);
    let t = Instant::now();
    sync::sync(&mut device, Some(&counter.url), now(), &mut |_| {}).expect("B");
    let b_time = t.elapsed();
    let (cpu1, _) = proc_usage(pid);
    let (up, down) = counter.take();
    row(
        "(B) nothing changed: HTTP round trips",
        (Remote::requests() - calls0).to_string(),
        "1",
    );
    row(
        "(B) bytes on the wire (up + down)",
        format!("{} + {}", kb(up), kb(down)),
        "≤ 1 KB",
    );
    row(
        "(B) wall time",
        format!("{:.1} ms", b_time.as_secs_f64() * 1000.0),
        "",
    );
    row(
        "(B) server CPU time",
        format!("{:.0} ms", (cpu1 - cpu0) * 1000.0),
        "",
    );
    let (cpu0, _) = proc_usage(pid);
    for _ in 0..B_AGAIN {
        sync::sync(&mut device, None, now(), &mut |_| {}).expect("B again");
    }
    row(
        &format!("(B) server CPU, mean of {B_AGAIN} more rounds"),
        format!(
            "{:.2} ms",
            (proc_usage(pid).0 - cpu0) * 1000.0 / B_AGAIN as f64
        ),
        "",
    );

    // (C) 100 records change on the server, 100 others on the offline device.
    for (n, r) in records.iter_mut().take(100).enumerate() {
        phone_change(r, n);
        origin.edit(r, now()).expect("edit");
    }
    sync::sync(&mut origin, None, now(), &mut |_| {}).expect("server side");
    let mut local: Vec<Entity> = (900..1000).map(record).collect();
    for (n, r) in local.iter_mut().enumerate() {
        phone_change(r, 500 + n);
        device.edit(r, now()).expect("edit");
    }
    counter.take();
    let calls0 = Remote::requests();
    let (cpu0, _) = proc_usage(pid);
    let c = sync::sync(&mut device, Some(&counter.url), now(), &mut |_| {}).expect("C");
    let (cpu1, _) = proc_usage(pid);
    let (up, down) = counter.take();
    row(
        "(C) 100 + 100 changes: HTTP round trips",
        (Remote::requests() - calls0).to_string(),
        "≤ 2",
    );
    row(
        "(C) bytes on the wire (up + down)",
        format!("{} + {}", kb(up), kb(down)),
        "≤ 60 KB",
    );
    row(
        &format!("(C) sent {} new, received {}", c.accepted, c.pulled),
        String::new(),
        "",
    );
    row(
        "(C) server CPU time",
        format!("{:.0} ms", (cpu1 - cpu0) * 1000.0),
        "",
    );
    // More rounds of (C), for a steadier CPU figure: the server's share of each is its
    // device's sync (the origin's push is not counted).
    let mut cpu_c = 0.0;
    for round in 1..=C_AGAIN {
        for (n, r) in records.iter_mut().take(100).enumerate() {
            phone_change(r, round * 1000 + n);
            origin.edit(r, now()).expect("edit");
        }
        sync::sync(&mut origin, None, now(), &mut |_| {}).expect("server side");
        for (n, r) in local.iter_mut().enumerate() {
            phone_change(r, round * 1000 + 500 + n);
            device.edit(r, now()).expect("edit");
        }
        let (cpu0, _) = proc_usage(pid);
        sync::sync(&mut device, None, now(), &mut |_| {}).expect("C again");
        cpu_c += proc_usage(pid).0 - cpu0;
    }
    row(
        &format!("(C) server CPU, mean of {C_AGAIN} more rounds"),
        format!("{:.1} ms", cpu_c * 1000.0 / C_AGAIN as f64),
        "",
    );

    // Ingest rate: changes pushed by many documents' edits, measured at the device.
    let mut burst: Vec<Entity> = (0..DOCS).map(record).collect();
    for (n, r) in burst.iter_mut().enumerate() {
        phone_change(r, 200_000 + n);
        origin.edit(r, now()).expect("edit");
        phone_change(r, 300_000 + n);
        origin.edit(r, now()).expect("edit");
    }
    let (cpu0, _) = proc_usage(pid);
    let t = Instant::now();
    let ingest = sync::sync(&mut origin, None, now(), &mut |_| {}).expect("ingest");
    let secs = t.elapsed().as_secs_f64();
    let (cpu1, _) = proc_usage(pid);
    row(
        &format!(
            "ingest, SQLite: {} changes, device to stored (wall)",
            ingest.accepted
        ),
        format!("{:.0} changes/s", f64::from(ingest.accepted as u32) / secs),
        "",
    );
    row(
        "ingest, SQLite: per second of server CPU",
        format!(
            "{:.0} changes/s",
            f64::from(ingest.accepted as u32) / (cpu1 - cpu0).max(0.001)
        ),
        "≥ 5,000/s",
    );

    // 100 fresh devices at once, as the server sees them: each asks for its snapshots and
    // makes its first sync round (the devices here only receive; applying is their own work).
    let remote = Remote::new(&url).expect("remote");
    let sessions: Vec<_> = (0..100)
        .map(|_| remote.register("es-vitoria", None).expect("register"))
        .collect();
    let handles: Vec<_> = sessions
        .into_iter()
        .map(|session| {
            let remote = remote.clone();
            std::thread::spawn(move || {
                let t = Instant::now();
                let streams = vec!["catalog".to_owned(), "requests:es-vitoria".to_owned()];
                let snaps = remote
                    .snapshots(Some(&session.token), &streams)
                    .expect("snapshots");
                let cursors = snaps.iter().map(|s| (s.stream.clone(), s.seq)).collect();
                let request = esv_shared::sync::SyncRequest {
                    cursors,
                    ..Default::default()
                };
                remote.sync(Some(&session.token), &request).expect("sync");
                t.elapsed()
            })
        })
        .collect();
    let mut times: Vec<Duration> = handles
        .into_iter()
        .map(|h| h.join().expect("join"))
        .collect();
    times.sort();
    let (_, hwm) = proc_usage(pid);
    row(
        "100 fresh devices at once: p50 / p95 snapshot + first round",
        format!(
            "{:.0} / {:.0} ms",
            times[49].as_secs_f64() * 1000.0,
            times[94].as_secs_f64() * 1000.0
        ),
        "",
    );
    row(
        "server peak memory (VmHWM)",
        format!("{:.0} MB", hwm as f64 / 1024.0),
        "",
    );
    let _ = server.kill();
    let _ = server.wait();

    largest_pushes(&dir.path().join("big.db"));

    // Raw ingest on each backend, in-process: 5,000 new changes in pushes of 50 documents.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let pg_url = esv_tests::postgres::TempCluster::get().new_database();
    let sqlite_url = dir.path().join("ingest.db").display().to_string();
    for (name, url) in [("SQLite", sqlite_url), ("PostgreSQL", pg_url)] {
        let rate = rt.block_on(ingest_rate(&url));
        row(
            &format!("ingest, {name}: 5,000 changes in pushes of 50 (Db::ingest)"),
            format!("{rate:.0} changes/s"),
            "≥ 5,000/s",
        );
    }

    // Automerge's own sync protocol, one document at a time, in memory.
    let docs: Vec<automerge::Automerge> = (0..DOCS)
        .map(|i| {
            let doc = origin
                .document(&format!("organization:es-vitoria/bench-{i:04}"))
                .expect("doc")
                .expect("some");
            doc
        })
        .collect();
    let (mut messages, mut bytes) = (0u64, 0u64);
    let t = Instant::now();
    for doc in &docs {
        use automerge::sync::SyncDoc;
        let mut fresh = automerge::Automerge::new();
        let (mut s1, mut s2) = (automerge::sync::State::new(), automerge::sync::State::new());
        loop {
            let mut moved = false;
            if let Some(m) = doc.generate_sync_message(&mut s1) {
                let encoded = m.encode();
                messages += 1;
                bytes += encoded.len() as u64;
                fresh
                    .receive_sync_message(
                        &mut s2,
                        automerge::sync::Message::decode(&encoded).expect("decode"),
                    )
                    .expect("receive");
                moved = true;
            }
            if let Some(m) = fresh.generate_sync_message(&mut s2) {
                let encoded = m.encode();
                messages += 1;
                bytes += encoded.len() as u64;
                let mut doc = doc.clone();
                doc.receive_sync_message(
                    &mut s1,
                    automerge::sync::Message::decode(&encoded).expect("decode"),
                )
                .expect("receive");
                moved = true;
            }
            if !moved {
                break;
            }
        }
    }
    row(
        "automerge sync protocol, (A) one doc at a time: messages",
        messages.to_string(),
        "",
    );
    row(
        "automerge sync protocol, (A): bytes (uncompressed)",
        kb(bytes),
        "",
    );
    row(
        "automerge sync protocol, (A): CPU time in memory",
        format!("{:.0} ms", t.elapsed().as_secs_f64() * 1000.0),
        "",
    );
}

/// Changes per second `Db::ingest` stores: 100 pushes of 50 one-change documents.
async fn ingest_rate(url: &str) -> f64 {
    use automerge::transaction::Transactable;
    let db = esv_server::Db::open(url).await.expect("db");
    let batches: Vec<Vec<esv_server::db::DocBatch>> = (0..100)
        .map(|b| {
            (0..50)
                .map(|d| {
                    let mut doc = automerge::Automerge::new();
                    let mut tx = doc.transaction();
                    tx.put(automerge::ROOT, "name", format!("documento {b}-{d}"))
                        .expect("put");
                    tx.commit();
                    let change = doc.get_last_local_change().expect("change");
                    esv_server::db::DocBatch::new(
                        &format!("organization:es-vitoria/ingest-{b}-{d}"),
                        esv_shared::sync::Scope::Catalog {
                            office: "es-vitoria".into(),
                        },
                        &[change],
                    )
                })
                .collect()
        })
        .collect();
    let t = Instant::now();
    for batch in batches {
        db.ingest(batch).await.expect("ingest");
    }
    5_000.0 / t.elapsed().as_secs_f64()
}

/// Memory of a fresh server process while one citizen device pushes the largest pushes the
/// limits allow (`esv_server::vouch`): one change just under the per-change limit, a push of
/// three of them, and a compressed chunk that would inflate to 32 MiB.
fn largest_pushes(db: &std::path::Path) {
    use automerge::transaction::Transactable;
    use esv_shared::sync::{DocChanges, Scope, SyncRequest};
    admin(db, &["office", "add", "es-vitoria", "ES"]);
    let (mut server, url) = serve(db);
    let pid = server.id();
    let remote = Remote::new(&url).expect("remote");
    let session = remote.register("es-vitoria", None).expect("register");
    // A change of ~7.5 MiB that deflate cannot shrink (pseudo-random letters).
    let big_change = |salt: u64| {
        let mut x = salt.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let text: String = (0..7_500_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        let mut doc = automerge::Automerge::new();
        let mut tx = doc.transaction();
        tx.put(automerge::ROOT, "notes", text).expect("put");
        tx.commit();
        doc.get_last_local_change()
            .expect("change")
            .raw_bytes()
            .to_vec()
    };
    let push = |n: u32, changes: Vec<Vec<u8>>| SyncRequest {
        push: vec![DocChanges {
            doc_id: format!("request:{}/grande-{n}", session.device),
            scope: Scope::Citizen {
                office: "es-vitoria".into(),
                device: session.device.clone(),
            },
            changes,
        }],
        ..Default::default()
    };
    let (_, idle) = proc_usage(pid);
    row(
        "largest pushes: server memory at rest (VmHWM)",
        format!("{:.0} MB", idle as f64 / 1024.0),
        "",
    );
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &vec![0u8; 32 << 20]).expect("deflate");
    let body = enc.finish().expect("deflate");
    let mut bomb = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    esv_server::vouch::write_leb128(&mut bomb, body.len() as u64);
    bomb.extend(body);
    let sent = bomb.len();
    let outcome = remote.sync(Some(&session.token), &push(3, vec![bomb]));
    let (_, hwm) = proc_usage(pid);
    row(
        &format!(
            "a {} KB compressed chunk of 32 MiB: {}",
            sent / 1000,
            if outcome.is_ok() { "stored" } else { "refused" }
        ),
        format!("{:.0} MB", hwm as f64 / 1024.0),
        "peak memory",
    );
    let one = big_change(1);
    let size = one.len();
    let (cpu0, _) = proc_usage(pid);
    let outcome = remote.sync(Some(&session.token), &push(1, vec![one]));
    let (cpu1, hwm) = proc_usage(pid);
    row(
        &format!(
            "one change of {:.1} MiB: {}",
            size as f64 / 1048576.0,
            if outcome.is_ok() { "stored" } else { "refused" }
        ),
        format!(
            "{:.0} MB, {:.0} ms CPU",
            hwm as f64 / 1024.0,
            (cpu1 - cpu0) * 1000.0
        ),
        "peak memory",
    );
    let three = (2..5).map(big_change).collect();
    let outcome = remote.sync(Some(&session.token), &push(2, three));
    let (_, hwm) = proc_usage(pid);
    row(
        &format!(
            "a push of three such changes: {}",
            if outcome.is_ok() { "stored" } else { "refused" }
        ),
        format!("{:.0} MB", hwm as f64 / 1024.0),
        "peak memory",
    );
    let _ = server.kill();
    let _ = server.wait();
}
