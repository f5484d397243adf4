//! A stream's sequence numbers become visible in order, on both backends: eight writers
//! ingest concurrently into the catalog stream while a reader pulls with its cursor; the
//! reader must see every change exactly once, in strictly increasing order with no gap.

use std::collections::HashSet;

use automerge::transaction::Transactable;
use esv_server::db::{Db, DocBatch, PullFrom};
use esv_shared::sync::Scope;

fn change(doc: &mut automerge::Automerge, n: usize) -> automerge::Change {
    let mut tx = doc.transaction();
    tx.put(automerge::ROOT, "n", n as i64).expect("put");
    tx.commit();
    doc.get_last_local_change().expect("change")
}

async fn check(db: Db) {
    const WRITERS: usize = 8;
    const EACH: usize = 40;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            tokio::spawn(async move {
                let mut doc = automerge::Automerge::new();
                for n in 0..EACH {
                    let batch = DocBatch::new(
                        &format!("organization:es-vitoria/w{w}"),
                        Scope::Catalog {
                            office: "es-vitoria".into(),
                        },
                        &[change(&mut doc, n)],
                    );
                    db.ingest(vec![batch]).await.expect("ingest");
                }
            })
        })
        .collect();
    let mut cursor = 0;
    let mut seen = HashSet::new();
    let total = WRITERS * EACH;
    let mut rounds = 0;
    while seen.len() < total {
        rounds += 1;
        assert!(rounds < 100_000, "the reader never caught up");
        let from = vec![PullFrom {
            stream: "catalog".into(),
            device: None,
            after: cursor,
        }];
        let pulled = db.pull(from, 17).await.expect("pull").changes;
        for p in pulled {
            assert_eq!(p.seq, cursor + 1, "no gap, no repeat");
            cursor = p.seq;
            assert!(seen.insert(p.change), "each change once");
        }
        tokio::task::yield_now().await;
    }
    for w in writers {
        w.await.expect("writer");
    }
    assert_eq!(db.stream_head("catalog").await.expect("head"), total as u64);
}

#[test]
fn sqlite_hands_out_sequence_numbers_in_commit_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let path = dir.path().join("s.db").display().to_string();
    rt.block_on(async { check(Db::open(&path).await.expect("db")).await });
}

#[test]
fn postgres_hands_out_sequence_numbers_in_commit_order() {
    let url = esv_tests::postgres::TempCluster::get().new_database();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async { check(Db::open(&url).await.expect("db")).await });
}
