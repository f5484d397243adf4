//! Search as a table: what a person types, and the category one of the top three results must
//! have — with and without accents, with a typo, with everyday words.

use chrono::{DateTime, Utc};
use esv_replica::Store;
use esv_shared::domain::Category;
use esv_shared::ipc::SearchRequest;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    (dir, store)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("instant")
        .with_timezone(&Utc)
}

fn check(store: &mut Store, query: &str, want: Category) {
    let request = SearchRequest {
        text: query.into(),
        ..Default::default()
    };
    let results = store.search(&request, now()).expect("search");
    let top: Vec<String> = results.iter().take(3).map(|c| c.name.clone()).collect();
    assert!(
        results.iter().take(3).any(|c| c.categories.contains(&want)),
        "{query:?} should find {want:?} in the top 3, found {top:?}"
    );
}

#[test]
fn documents() {
    let (_dir, mut store) = store();
    for query in [
        "identidade",
        "Identidade",
        "IDENTIDADE",
        "RG",
        "rg",
        "cin",
        "carteira de identidade",
        "identidad",
        "identiddae",
        "onde tirar o RG",
        "documentos",
        "documento",
        "cpf",
        "titulo de eleitor",
        "título de eleitor",
    ] {
        check(&mut store, query, Category::Documents);
    }
}

#[test]
fn work() {
    let (_dir, mut store) = store();
    for query in [
        "emprego",
        "Emprego",
        "emprgo",
        "trabalho",
        "trabalhos",
        "vaga",
        "vaga de emprego",
        "bico",
        "carteira de trabalho",
        "ctps",
    ] {
        check(&mut store, query, Category::WorkIncome);
    }
}

#[test]
fn legal() {
    let (_dir, mut store) = store();
    for query in [
        "advogado",
        "defensoria",
        "defensoria publica",
        "processo",
        "juridico",
        "jurídico",
    ] {
        check(&mut store, query, Category::Legal);
    }
}

#[test]
fn results_are_services_with_badges() {
    let (_dir, mut store) = store();
    let request = SearchRequest {
        text: "escritorio social".into(),
        ..Default::default()
    };
    let results = store.search(&request, now()).expect("search");
    assert!(!results.is_empty());
    assert!(results.iter().all(|c| !c.open.text.is_empty()));
    // Category filter and open-now filter narrow, never widen.
    let all = store.search(&SearchRequest::default(), now()).expect("all");
    let docs = store
        .search(
            &SearchRequest {
                category: Some(Category::Documents),
                ..Default::default()
            },
            now(),
        )
        .expect("documents");
    assert!(!docs.is_empty() && docs.len() < all.len());
    assert!(docs
        .iter()
        .all(|c| c.categories.contains(&Category::Documents)));
    let open = store
        .search(
            &SearchRequest {
                open_now_only: true,
                ..Default::default()
            },
            now(),
        )
        .expect("open");
    assert!(open
        .iter()
        .all(|c| c.open.kind == esv_shared::ipc::OpenKind::Open));
    assert!(!open.is_empty() && open.len() < all.len());
}
