//! The fuzz targets on stable: every file of `fuzz/corpus/<target>/`, and thousands of
//! deterministic mutations of it (bit flips, cuts, insertions, repeats), through the same
//! decoders `fuzz/` fuzzes. None may panic. `cargo test -p esv-tests --test fuzz_replay --
//! --ignored` writes the seed files again from real data.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use esv_replica::Store;
use esv_shared::sync::{DocChanges, Pulled, Scope, SyncRequest, SyncResponse};
use esv_tests::decoders::TARGETS;

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.truncate(at),
            2 => out.insert(at, rng.next() as u8),
            3 if at < out.len() => {
                let end = (at + rng.below(64)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            _ => {
                if !out.is_empty() {
                    let i = at.min(out.len() - 1);
                    out[i] = [0, 0xff, b'"', b'{', b'[', b'\\'][rng.below(6)];
                }
            }
        }
    }
    out
}

/// Real inputs for each target, made from a real store.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc);
    let (mut store, _) = Store::open(&dir.path().join("s.db")).expect("store");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 24).expect("date");
    store
        .set_exception("es-vitoria", date, Vec::new(), "Véspera de Natal", now)
        .expect("edit");
    let doc = store
        .document("office:es-vitoria")
        .expect("doc")
        .expect("some");
    let changes: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .into_iter()
        .map(|mut c| c.bytes().into_owned())
        .collect();
    let scope = Scope::Catalog {
        office: "es-vitoria".into(),
    };
    let request = SyncRequest {
        push: vec![DocChanges {
            doc_id: "office:es-vitoria".into(),
            scope: scope.clone(),
            changes: changes.clone(),
        }],
        cursors: [("catalog".to_owned(), 3)].into(),
        limit: Some(100),
    };
    let response = SyncResponse {
        accepted: 1,
        duplicates: 0,
        pull: changes
            .iter()
            .enumerate()
            .map(|(i, c)| Pulled {
                stream: "catalog".into(),
                seq: i as u64 + 1,
                doc_id: "office:es-vitoria".into(),
                scope: scope.clone(),
                change: c.clone(),
            })
            .collect(),
        cursors: [("catalog".to_owned(), changes.len() as u64)].into(),
        more: false,
        erased: Vec::new(),
        removed: Vec::new(),
        retiring: false,
    };
    let bundle = esv_catalog::encode_bundle(&[esv_catalog::CompiledDoc {
        doc_id: "office:es-vitoria".into(),
        kind: esv_shared::document::DocKind::Office,
        bytes: doc.save(),
    }]);
    vec![
        (
            "server_sync_body",
            serde_json::to_vec(&request).expect("json"),
        ),
        (
            "replica_sync_response",
            serde_json::to_vec(&response).expect("json"),
        ),
        ("saved_document", doc.save()),
        ("catalog_bundle", bundle),
    ]
}

#[test]
fn the_corpus_and_its_mutations_never_panic() {
    let fresh = seeds();
    let mut rng = Rng(2026);
    let mut runs = 0;
    for (name, target) in TARGETS {
        let mut inputs: Vec<Vec<u8>> = fresh
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
            .collect();
        if let Ok(entries) = std::fs::read_dir(corpus_dir(name)) {
            inputs.extend(
                entries
                    .flatten()
                    .filter_map(|e| std::fs::read(e.path()).ok()),
            );
        }
        assert!(
            inputs.len() >= 2,
            "{name}: the corpus in fuzz/corpus/{name}/ is missing"
        );
        for input in &inputs {
            target(input);
            for _ in 0..400 {
                target(&mutate(input, &mut rng));
                runs += 1;
            }
        }
        target(&[]);
    }
    println!("fuzz replay: {runs} mutated inputs, no panic");
}

#[test]
#[ignore = "writes fuzz/corpus/ from real data"]
fn write_seed_corpus() {
    for (name, bytes) in seeds() {
        let dir = corpus_dir(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("seed-real"), bytes).expect("write");
    }
}
