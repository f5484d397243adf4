//! The citizen's look-up beyond search: favourites and recently viewed (this device only),
//! opportunities with deadlines, distances from a position or a chosen city, the text shared
//! on WhatsApp, and the views in Spanish.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::{ReplicaError, Store};
use esv_shared::domain::{Opportunity, OpportunityKind};
use esv_shared::geo;
use esv_shared::ipc::{GeoPoint, Locale, OpenKind, SearchRequest, SortOrder};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    (dir, store)
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    at("2026-11-24T10:00:00-03:00")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

#[test]
fn favourites_are_kept_on_the_device_newest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    {
        let (mut store, _) = Store::open(&path).expect("open");
        assert!(store.favourites(None, now()).expect("list").is_empty());
        assert!(store
            .set_favourite("nacional-cvv-188", true, now())
            .expect("add"));
        assert!(store
            .set_favourite("es-vitoria", true, now() + Duration::minutes(1))
            .expect("add office"));
        // Adding twice keeps one.
        store
            .set_favourite("nacional-cvv-188", true, now() + Duration::minutes(2))
            .expect("again");
        let err = store
            .set_favourite("nao-existe", true, now())
            .expect_err("unknown id");
        assert!(matches!(err, ReplicaError::NotFound(_)), "{err:?}");
    }
    let (mut store, _) = Store::open(&path).expect("reopen");
    let ids: Vec<String> = store
        .favourites(None, now())
        .expect("list")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["es-vitoria", "nacional-cvv-188"]);
    assert!(
        store
            .service_detail("nacional-cvv-188", now())
            .expect("detail")
            .favourite
    );
    assert!(!store
        .set_favourite("nacional-cvv-188", false, now())
        .expect("remove"));
    assert!(
        !store
            .service_detail("nacional-cvv-188", now())
            .expect("detail")
            .favourite
    );
    assert_eq!(store.favourites(None, now()).expect("list").len(), 1);
}

#[test]
fn recently_viewed_keeps_the_last_twenty_last_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let (mut store, _) = Store::open(&path).expect("open");
    let ids: Vec<String> = store
        .home(now())
        .expect("home")
        .services
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert!(ids.len() >= 20, "the bundled catalog has enough services");
    // Two services that have since left the catalog, seen first.
    let mut seen: Vec<String> = vec!["antigo-1".into(), "antigo-2".into()];
    seen.extend(ids.iter().take(20).cloned());
    for (i, id) in seen.iter().enumerate() {
        store
            .note_viewed(id, now() + Duration::seconds(i as i64))
            .expect("note");
    }
    // Seeing one again moves it to the top.
    store
        .note_viewed(&ids[5], now() + Duration::minutes(5))
        .expect("again");
    let recent: Vec<String> = store
        .recent(None, now())
        .expect("recent")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(recent.len(), 20);
    assert_eq!(recent[0], ids[5]);
    assert_eq!(recent[1], ids[19]);
    let raw = rusqlite::Connection::open(&path).expect("raw");
    let kept: i64 = raw
        .query_row("SELECT count(*) FROM recent", [], |r| r.get(0))
        .expect("count");
    assert_eq!(kept, 20, "only the last twenty are kept");
}

fn opportunity(id: &str, deadline: &str) -> Opportunity {
    Opportunity {
        id: id.into(),
        office_id: "es-vitoria".into(),
        kind: OpportunityKind::Course,
        title: "Curso de eletricista predial".into(),
        description: "Curso gratuito, com certificado.".into(),
        deadline: date(deadline),
        requirements: vec!["Saber ler e escrever".into()],
        reviewed_on: date("2026-11-24"),
    }
}

#[test]
fn opportunities_show_until_their_deadline_then_disappear() {
    let (_dir, mut store) = store();
    assert!(store.opportunities(now()).expect("list").is_empty());
    store
        .put_opportunity(opportunity("curso-eletricista", "2026-11-30"), now())
        .expect("add");
    let mut job = opportunity("vaga-auxiliar", "2026-11-25");
    job.kind = OpportunityKind::Job;
    job.title = "Auxiliar de cozinha".into();
    store.put_opportunity(job, now()).expect("add job");

    let list = store.opportunities(now()).expect("list");
    let titles: Vec<&str> = list.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Auxiliar de cozinha", "Curso de eletricista predial"]
    );
    assert_eq!(list[0].kind_label, "Vaga de emprego");
    assert_eq!(list[0].deadline_label, "Inscrições até amanhã, 25/11/2026");
    assert_eq!(list[0].office, "Escritório Social de Vitória");
    // The last day still counts, in the office's own zone (23:30 in Vitória is 02:30 UTC).
    let last_evening = at("2026-11-25T23:30:00-03:00");
    assert_eq!(store.opportunities(last_evening).expect("list").len(), 2);
    assert_eq!(
        store.opportunities(last_evening).expect("list")[0].deadline_label,
        "Inscrições até hoje"
    );
    let next_day = at("2026-11-26T08:00:00-03:00");
    let titles: Vec<String> = store
        .opportunities(next_day)
        .expect("list")
        .into_iter()
        .map(|o| o.title)
        .collect();
    assert_eq!(titles, ["Curso de eletricista predial"]);
    // It is a synced document: it waits to be sent.
    assert!(store.outgoing_count().expect("pending") >= 2);
    // Its id carries its office, so no other office can take it (sync::ownership).
    let outgoing: Vec<String> = store
        .outgoing()
        .expect("outgoing")
        .into_iter()
        .map(|o| o.changes.doc_id)
        .collect();
    assert!(
        outgoing.contains(&"opportunity:es-vitoria/curso-eletricista".to_owned()),
        "{outgoing:?}"
    );
}

#[test]
fn a_bad_opportunity_is_refused_in_plain_words_and_nothing_is_stored() {
    let (_dir, mut store) = store();
    let mut bad = opportunity("Curso!", "2026-01-01");
    bad.title = "  ".into();
    bad.office_id = "es-lugar-nenhum".into();
    let err = store.put_opportunity(bad, now()).expect_err("refused");
    let ReplicaError::BadInput(message) = err else {
        panic!("{err:?}")
    };
    for part in [
        "título está vazio",
        "já passou",
        "letras minúsculas",
        "nenhum escritório",
    ] {
        assert!(message.contains(part), "{message:?} should say {part:?}");
    }
    assert!(store.opportunities(now()).expect("list").is_empty());
    assert_eq!(store.outgoing_count().expect("pending"), 0);
}

#[test]
fn distances_come_from_the_city_centre_when_the_address_has_no_coordinates() {
    let (_dir, mut store) = store();
    let vila_velha = geo::city_by_ibge(3205200).expect("Vila Velha").centre;
    let request = SearchRequest {
        text: "documentos".into(),
        near: Some(vila_velha),
        sort: SortOrder::Distance,
        ..Default::default()
    };
    let results = store.search(&request, now()).expect("search");
    let first = results.first().expect("results");
    assert_eq!(
        first.place, "Vitória/ES",
        "the office comes before remote services"
    );
    let km = first.distance_km.expect("distance");
    assert!((1.0..5.0).contains(&km), "{km}");
    assert_eq!(
        first.distance_label.as_deref(),
        Some(
            format!(
                "a cerca de {} km (centro de Vitória)",
                format!("{km:.1}").replace('.', ",")
            )
            .as_str()
        )
    );
    // Remote services have no distance and come after every place.
    let firsts_remote = results.iter().position(|c| c.distance_km.is_none());
    let last_place = results.iter().rposition(|c| c.distance_km.is_some());
    if let (Some(remote), Some(place)) = (firsts_remote, last_place) {
        assert!(place < remote, "places first: {results:#?}");
    }
    // A position that makes no sense is ignored, not an error.
    let request = SearchRequest {
        text: "documentos".into(),
        near: Some(GeoPoint {
            lat: f64::NAN,
            lon: 500.0,
        }),
        ..Default::default()
    };
    let results = store.search(&request, now()).expect("search");
    assert!(results.iter().all(|c| c.distance_km.is_none()));
}

#[test]
fn a_service_is_shared_as_plain_text() {
    let (_dir, mut store) = store();
    let detail = store
        .service_detail("es-vitoria-documentos", now())
        .expect("detail");
    // The review date is the catalog's own, read from its data files: rewording a service
    // moves it, and the share text must follow.
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog/data");
    let reviewed_on = esv_catalog::load_dir(&data)
        .expect("catalog")
        .entities
        .iter()
        .find_map(|e| match e {
            esv_shared::document::Entity::Office(o) => o
                .services
                .iter()
                .find(|s| s.id == "es-vitoria-documentos")
                .map(|s| s.reviewed_on),
            _ => None,
        })
        .expect("the service is in the catalog");
    assert_eq!(
        detail.share_text,
        format!(
            "Orientação para tirar documentos\n\
             Escritório Social de Vitória\n\
             Endereço: Avenida Jerônimo Monteiro, nº 96, Edifício das Repartições Públicas, \
             Centro, Vitória/ES, Acesso pela Avenida Beira-Mar\n\
             Horário: segunda-feira a sexta-feira, 8h às 17h\n\
             Telefone: (27) 3132-5137 / (27) 3222-5572\n\
             (Informação do app Escritório Social Virtual; informações conferidas em {})",
            reviewed_on.format("%d/%m/%Y")
        )
    );
    assert!(detail
        .speech_text
        .starts_with("Orientação para tirar documentos. Aberto agora, fecha às 17h."));
}

#[test]
fn the_views_speak_spanish_when_asked() {
    let (_dir, mut store) = store();
    store.set_locale(Locale::Es);
    let home = store.home(now()).expect("home");
    let office = &home.offices[0];
    assert_eq!(office.open.kind, OpenKind::Open);
    assert_eq!(office.open.text, "Abierto ahora · cierra a las 17:00");
    assert_eq!(office.open.tz, "America/Sao_Paulo");
    assert_eq!(office.open.tz_note, "Hora de Brasília");
    assert!(home.categories.iter().any(|c| c.label == "Salud"));
    assert!(home.status.updated_label.contains("funciona sin internet"));
    let detail = store.service_detail("es-vitoria", now()).expect("detail");
    assert_eq!(detail.hours[0].day, "Lunes");
    assert_eq!(detail.hours[0].hours, "8:00 a 17:00");
    assert!(detail
        .share_text
        .contains("Horario: lunes a viernes, 8:00 a 17:00"));
    let article = store
        .rights_article("direitos-cpf", now())
        .expect("article");
    assert!(article
        .disclaimer
        .contains("Defensoria Pública (defensa pública gratuita)"));
    store.set_locale(Locale::PtBr);
    assert_eq!(
        store.home(now()).expect("home").offices[0].open.text,
        "Aberto agora · fecha às 17h"
    );
}

#[test]
fn articles_are_found_by_what_people_type() {
    let (_dir, mut store) = store();
    for (query, want) in [
        ("cpf", "direitos-cpf"),
        ("titulo de eleitor", "direitos-titulo-de-eleitor"),
        ("auxilio reclusao", "direitos-auxilio-reclusao"),
        ("saidinha", "direitos-saida-temporaria"),
        ("saida temporaria", "direitos-saida-temporaria"),
        ("audiencia de custodia", "direitos-audiencia-de-custodia"),
        ("reservista", "direitos-situacao-militar-reservista"),
        (
            "alistamento militar",
            "direitos-situacao-militar-reservista",
        ),
        ("nao consigo pagar a multa", "direitos-pena-de-multa"),
        (
            "medida socioeducativa",
            "direitos-jovens-medida-socioeducativa",
        ),
        ("conta de luz", "direitos-tarifa-social-energia"),
    ] {
        let found = store.search_articles(query).expect("search");
        assert!(
            found.iter().take(3).any(|a| a.id == want),
            "{query:?} should find {want}: {:?}",
            found.iter().map(|a| &a.id).collect::<Vec<_>>()
        );
    }
    for hostile in ["\"", "NEAR(a b)", "* OR *", &"x".repeat(2000), "😀"] {
        store.search_articles(hostile).expect("never an error");
    }
}

#[test]
fn results_narrow_as_a_word_is_typed_letter_by_letter() {
    let (_dir, mut store) = store();
    let all = store.home(now()).expect("home").services.len();
    let mut counts = Vec::new();
    for typed in ["co", "com", "comi", "comida"] {
        let request = SearchRequest {
            text: typed.into(),
            ..Default::default()
        };
        let found = store.search(&request, now()).expect("search");
        assert!(!found.is_empty(), "{typed:?} already finds something");
        assert!(found.len() < all, "{typed:?} does not list everything");
        counts.push(found.len());
    }
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "each letter narrows: {counts:?}"
    );
}
