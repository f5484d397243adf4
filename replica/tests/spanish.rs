//! The catalog in Spanish: articles and services read in the person's language, the Portuguese
//! marked "(em português)" where a text has no Spanish, Spanish words found by search, and
//! documents with the Spanish fields still read by an app that knows nothing of them.

use automerge::{ActorId, Automerge};
use chrono::{DateTime, NaiveDate, Utc};
use esv_replica::Store;
use esv_shared::document::{self, Entity, Stamp};
use esv_shared::domain::{RightsArticle, RightsGroup, Source};
use esv_shared::ipc::{Locale, SearchRequest};

mod support;
use support::store;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("instant")
        .with_timezone(&Utc)
}

fn stamp() -> Stamp {
    Stamp {
        message: "editor do catálogo nacional".into(),
        time: 1_796_000_000,
    }
}

/// A rights article published after the release, with no Spanish text yet.
fn untranslated() -> RightsArticle {
    RightsArticle {
        id: "direitos-novo-sem-traducao".into(),
        title: "Um direito novo".into(),
        group: RightsGroup::Documents,
        summary: "Um texto que ainda não tem tradução.".into(),
        body: vec!["Só em português, por enquanto.".into()],
        sources: vec![Source {
            citation: "Lei de teste".into(),
            url: None,
        }],
        reviewed_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        help_services: Vec::new(),
        keywords: vec!["novidade".into()],
        es: None,
    }
}

fn put(store: &mut Store, entity: &Entity) {
    let doc = document::create(entity, ActorId::random(), &stamp()).expect("create");
    store
        .put_documents([(entity.doc_id(), doc)], now())
        .expect("put");
}

#[test]
fn an_article_read_in_spanish_is_the_spanish_text_with_the_same_sources() {
    let (_dir, mut store) = store();
    let pt = store.rights_article("direitos-cpf", now()).expect("pt");
    store.set_locale(Locale::Es);
    let es = store.rights_article("direitos-cpf", now()).expect("es");
    assert_eq!(es.title, "CPF: cómo sacarlo o regularizarlo");
    assert_eq!(es.language, Locale::Es);
    assert_eq!(es.body.len(), pt.body.len(), "paragraph by paragraph");
    assert!(es.body[0].contains("Receita Federal (oficina federal de impuestos)"));
    assert_eq!(es.sources, pt.sources, "the law citations stay as they are");
    assert_eq!(es.group_label, "Documentos");
    assert!(
        es.reviewed_label.starts_with("Revisado el ") && es.reviewed_label.contains("Traducción"),
        "{}",
        es.reviewed_label
    );
    assert_eq!(pt.language, Locale::PtBr);
    assert_eq!(pt.title, "CPF: como tirar ou regularizar");
}

#[test]
fn a_service_read_in_spanish_is_the_spanish_text() {
    let (_dir, mut store) = store();
    store.set_locale(Locale::Es);
    let detail = store
        .service_detail("nacional-cvv-188", now())
        .expect("detail");
    assert_eq!(
        detail.name,
        "CVV 188 — Apoyo emocional y prevención del suicidio"
    );
    assert_eq!(detail.language, Locale::Es);
    assert!(detail.description.starts_with("Si usted está sufriendo"));
    assert_eq!(detail.audience, "Cualquier persona que necesite hablar.");
    assert_eq!(detail.provider, "Servicios nacionales");
    assert!(detail.share_text.contains("Apoyo emocional"));
    // The office's own page: its name is a proper name; its description is in Spanish.
    let office = store.service_detail("es-vitoria", now()).expect("office");
    assert_eq!(office.name, "Escritório Social de Vitória");
    assert!(office.description.starts_with("El Escritório Social reúne"));
    // Every service of the bundled catalog has a Spanish text: no card is marked.
    let home = store.home(now()).expect("home");
    let marked: Vec<&str> = home
        .services
        .iter()
        .chain(&home.offices)
        .filter(|c| c.language != Locale::Es || c.name.contains("(em português)"))
        .map(|c| c.id.as_str())
        .collect();
    assert!(marked.is_empty(), "not in Spanish: {marked:?}");
}

#[test]
fn a_missing_translation_is_the_portuguese_marked_as_such() {
    let (_dir, mut store) = store();
    put(&mut store, &Entity::RightsArticle(untranslated()));
    store.set_locale(Locale::Es);
    let view = store
        .rights_article("direitos-novo-sem-traducao", now())
        .expect("article");
    assert_eq!(view.title, "Um direito novo (em português)");
    assert_eq!(view.language, Locale::PtBr);
    assert_eq!(view.body, ["Só em português, por enquanto."]);
    assert_eq!(view.reviewed_label, "Revisado el 01/12/2026");
    let listed = store.rights_list().expect("list");
    let item = listed
        .iter()
        .find(|a| a.id == "direitos-novo-sem-traducao")
        .expect("listed");
    assert_eq!(item.title, "Um direito novo (em português)");
    assert_eq!(item.language, Locale::PtBr);
    // In Portuguese nothing is marked.
    store.set_locale(Locale::PtBr);
    let view = store
        .rights_article("direitos-novo-sem-traducao", now())
        .expect("article");
    assert_eq!(view.title, "Um direito novo");
}

#[test]
fn spanish_words_find_articles_and_services() {
    let (_dir, mut store) = store();
    store.set_locale(Locale::Es);
    for (query, want) in [
        ("credencial de elector", "direitos-titulo-de-eleitor"),
        ("acta de nacimiento", "direitos-certidao-de-nascimento"),
        ("audiencia de custodia", "direitos-audiencia-de-custodia"),
        ("seguro de desempleo", "direitos-fgts-seguro-desemprego"),
    ] {
        let found = store.search_articles(query).expect("search");
        assert!(
            found.iter().take(3).any(|a| a.id == want),
            "{query:?} → {:?}",
            found.iter().map(|a| &a.id).collect::<Vec<_>>()
        );
        assert!(found.iter().all(|a| a.language == Locale::Es));
    }
    for (query, want) in [
        ("ambulancia", "nacional-samu-192"),
        ("libreta de trabajo", "nacional-ctps-digital"),
        ("violencia contra la mujer", "nacional-ligue-180"),
    ] {
        let request = SearchRequest {
            text: query.into(),
            ..SearchRequest::default()
        };
        let found = store.search(&request, now()).expect("search");
        assert!(
            found.iter().take(3).any(|c| c.id == want),
            "{query:?} → {:?}",
            found.iter().map(|c| &c.id).collect::<Vec<_>>()
        );
    }
}

/// The fields of a rights article as an app from before the Spanish texts knew them.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct ArticleBeforeSpanish {
    id: String,
    title: String,
    group: RightsGroup,
    summary: String,
    body: Vec<String>,
    sources: Vec<Source>,
    reviewed_on: NaiveDate,
    #[serde(default)]
    help_services: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
}

#[test]
fn an_older_app_reads_a_document_with_spanish_texts() {
    let bundled = esv_replica::bundled::documents().expect("bundle");
    let cpf = bundled
        .iter()
        .find(|d| d.doc_id.ends_with("direitos-cpf"))
        .expect("direitos-cpf");
    let doc = Automerge::load(&cpf.bytes).expect("load");
    let Entity::RightsArticle(article) = document::read(&doc).expect("read") else {
        panic!("not an article");
    };
    assert!(article.es.is_some(), "the bundled article carries Spanish");
    // What the projection stores and an older reader parses: the added key is ignored.
    let json = serde_json::to_value(&article).expect("json");
    assert!(json.get("es").is_some());
    let old: ArticleBeforeSpanish = serde_json::from_value(json).expect("old reader");
    assert_eq!(old.title, article.title);
    assert_eq!(old.body, article.body);
}
