//! Search as a table: what a person types, and the category one of the top three results must
//! have — with and without accents, with a typo, with everyday words.

use chrono::{DateTime, Utc};
use esv_replica::Store;
use esv_shared::domain::Category;
use esv_shared::ipc::SearchRequest;

mod support;
use support::store;

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

/// The bundled Vitória office on a Thursday morning: open on an ordinary one, closed on its
/// city's holidays — the fixed one (8 September) and the movable one (Corpus Christi, Easter +
/// 60), both from the catalog.
#[test]
fn the_office_is_closed_on_its_citys_fixed_and_movable_holidays() {
    let (_dir, mut store) = store();
    let at = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    };
    let office = |store: &mut Store, when: DateTime<Utc>| {
        let request = SearchRequest {
            text: "escritorio social vitoria".into(),
            ..Default::default()
        };
        let card = store
            .search(&request, when)
            .expect("search")
            .into_iter()
            .find(|c| c.provider == "Escritório Social de Vitória")
            .expect("the office's service");
        (card.open.kind, card.open.text)
    };
    use esv_shared::ipc::OpenKind;
    let ordinary = office(&mut store, at("2026-06-11T10:00:00-03:00"));
    assert_eq!(ordinary.0, OpenKind::Open, "{ordinary:?}");
    for day in [
        "2026-06-04T10:00:00-03:00",
        "2027-05-27T10:00:00-03:00",
        "2026-09-08T10:00:00-03:00",
    ] {
        let (kind, text) = office(&mut store, at(day));
        assert_ne!(kind, OpenKind::Open, "{day}: {text}");
    }
}
