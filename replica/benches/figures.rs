//! Prints the foundation's figures: store open + first list, search p50/p95 over the bundled
//! catalog plus 5,000 generated services, open-now for 5,000 services, the store's size and the
//! UI's gzipped wasm. Run: `cargo bench -p esv-replica --features synthetic --bench figures`.

mod table;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use table::{ms, percentile, row, store_size};

use chrono::{DateTime, Utc};
use esv_replica::{synthetic, Store};
use esv_shared::ipc::SearchRequest;

const SERVICES: usize = 5_000;

/// Queries people type: words, typos, accents or none, synonyms, phrases, noise.
fn queries() -> Vec<String> {
    let base = [
        "identidade",
        "rg",
        "cin",
        "cpf",
        "documento",
        "carteira de identidade",
        "identidad",
        "emprego",
        "emprgo",
        "trabalho",
        "vaga",
        "bico",
        "carteira de trabalho",
        "ctps",
        "sine",
        "comida",
        "fome",
        "marmita",
        "restaurante popular",
        "almoço",
        "almoco",
        "cesta basica",
        "remedio",
        "remédio",
        "posto de saude",
        "ubs",
        "medico",
        "vacina",
        "caps ad",
        "droga",
        "alcool",
        "dependencia",
        "advogado",
        "defensoria",
        "processo",
        "juridico",
        "jurídico",
        "dormir",
        "abrigo",
        "albergue",
        "banho",
        "rua",
        "escola",
        "estudar",
        "eja",
        "supletivo",
        "certidao de nascimento",
        "cartorio",
        "bolsa familia",
        "cadunico",
        "cras",
        "creas",
        "violencia",
        "familia",
        "filhos",
        "tornozeleira",
        "condicional",
        "regime aberto",
        "titulo de eleitor",
        "inss",
        "auxilio reclusao",
        "escritorio social",
        "vitoria",
        "boa vista",
        "manaus",
        "onde tirar o rg",
        "preciso de emprego hoje",
        "lugar para dormir",
        "",
        "a",
        "de",
        "x",
        "🙂",
        "\"rg\" OR cpf",
        "NEAR(rg cpf)",
    ];
    let mut all: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
    // Prefixes, as a person types.
    for word in [
        "identidade",
        "emprego",
        "defensoria",
        "restaurante",
        "abrigo",
    ] {
        for n in 2..=word.len() {
            all.push(word[..n].to_owned());
        }
    }
    while all.len() < 240 {
        let next = all[all.len() % base.len()].to_uppercase();
        all.push(next);
    }
    all
}

fn main() {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    let dir = tempfile::tempdir().expect("tempdir");
    // `ESV_BENCH_STORE` keeps the store for a look afterwards (sqlite3).
    let path = std::env::var_os("ESV_BENCH_STORE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("store.db"));

    table::header();

    let t = Instant::now();
    let (mut store, _) = Store::open(&path).expect("open");
    let opened = t.elapsed();
    let t = Instant::now();
    let home = store.home(now).expect("home");
    let listed = t.elapsed();
    row("fresh store: open + load bundled catalog", ms(opened), "");
    row(
        &format!("fresh store: first list ({} services)", home.services.len()),
        ms(listed),
        "",
    );

    let t = Instant::now();
    let written = synthetic::load(&mut store, SERVICES, 42, now).expect("load synthetic");
    // 200 articles in all: the bundled ones and generated ones.
    let bundled_articles = store.rights_list().expect("articles").len();
    synthetic::load_articles(
        &mut store,
        200usize.saturating_sub(bundled_articles),
        42,
        now,
    )
    .expect("load synthetic articles");
    row(
        &format!("write {SERVICES} generated services ({written} documents)"),
        ms(t.elapsed()),
        "",
    );
    drop(store);

    let t = Instant::now();
    let (mut store, _) = Store::open(&path).expect("reopen");
    let reopened = t.elapsed();
    let t = Instant::now();
    let home = store.home(now).expect("home");
    let first_list = t.elapsed();
    row("store with 5,000 services: open", ms(reopened), "");
    row(
        &format!(
            "store with 5,000 services: first list ({})",
            home.services.len()
        ),
        ms(first_list),
        "",
    );

    let queries = queries();
    let t = Instant::now();
    let first = store
        .search(
            &SearchRequest {
                text: "identidade".into(),
                ..Default::default()
            },
            now,
        )
        .expect("search");
    row(
        &format!(
            "search, first query after open (cold, {} hits)",
            first.len()
        ),
        ms(t.elapsed()),
        "",
    );
    let mut times = Vec::with_capacity(queries.len());
    let mut empty = 0;
    for q in &queries {
        let request = SearchRequest {
            text: q.clone(),
            limit: Some(50),
            ..Default::default()
        };
        let t = Instant::now();
        let found = store.search(&request, now).expect("search");
        times.push(t.elapsed());
        empty += usize::from(found.is_empty());
    }
    times.sort();
    row(
        &format!(
            "search p50 ({} queries, {empty} with no result)",
            times.len()
        ),
        ms(percentile(&times, 0.5)),
        "",
    );
    row("search p95", ms(percentile(&times, 0.95)), "≤ 10 ms");

    // What the results screen does on each keystroke: services and articles, ranked with a
    // position known (distance in every card).
    let articles_total = store.rights_list().expect("articles").len();
    let near = esv_shared::geo::city_by_ibge(3205309).map(|c| c.centre);
    let mut both = Vec::with_capacity(queries.len());
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for q in &queries {
        let request = SearchRequest {
            text: q.clone(),
            limit: Some(50),
            near,
            ..Default::default()
        };
        let t = Instant::now();
        store.search(&request, now).expect("search");
        store.search_articles(q).expect("articles");
        both.push(t.elapsed());
        slowest.push((t.elapsed(), q.as_str()));
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, q) in slowest.iter().take(5) {
        let q: String = q.chars().take(40).collect();
        println!("|   slow: {q:<46} | {:>14} |                    |", ms(*d));
    }
    both.sort();
    row(
        &format!("search services + {articles_total} articles, near a city, p50"),
        ms(percentile(&both, 0.5)),
        "",
    );
    row(
        "search services + articles, near a city, p95",
        ms(percentile(&both, 0.95)),
        "≤ 10 ms",
    );
    row(
        "search max",
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        "",
    );

    let index = store.index().expect("index");
    let entries = index.entries.len();
    let mut open = 0;
    let t = Instant::now();
    for _ in 0..10 {
        open = index
            .entries
            .iter()
            .filter(|e| {
                matches!(
                    index.open_state(e, now),
                    esv_shared::hours::OpenState::Open { .. }
                )
            })
            .count();
    }
    row(
        &format!("open-now with next opening, {entries} services ({open} open)"),
        ms(t.elapsed() / 10),
        "",
    );
    let t = Instant::now();
    for _ in 0..10 {
        open = index
            .entries
            .iter()
            .filter(|e| index.is_open(e, now))
            .count();
    }
    row(
        &format!("open now, yes or no, for {entries} services ({open} open)"),
        ms(t.elapsed() / 10),
        "≤ 5 ms",
    );
    let request = SearchRequest {
        open_now_only: true,
        limit: Some(u32::MAX),
        ..Default::default()
    };
    let t = Instant::now();
    let open_cards = store.search(&request, now).expect("open now");
    row(
        &format!(
            "\"só abertos agora\" list, whole path ({} cards)",
            open_cards.len()
        ),
        ms(t.elapsed()),
        "",
    );

    drop(store);
    let size = store_size(&path);
    row(
        "store file size with 5,000 services (db + wal)",
        format!("{:.1} MiB", size as f64 / 1048576.0),
        "",
    );

    let wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/esv_ui_bg.wasm");
    let wasm_figure = match std::fs::read(&wasm) {
        Ok(bytes) => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&bytes).expect("gzip");
            let gz = gz.finish().expect("gzip");
            format!("{:.0} KiB", gz.len() as f64 / 1024.0)
        }
        Err(_) => "not built".to_owned(),
    };
    row("UI wasm, gzipped (ui/dist)", wasm_figure, "≤ 600 KiB");
}
