//! The store against real SQLite files: first start, migrations of an old file, projections
//! rebuilt from documents, reproducible catalog bytes, and damaged files kept aside.

use std::path::Path;

use chrono::{DateTime, Utc};
use esv_replica::{bundled, migrations, Store};
use esv_shared::document::{self, DocKind, Entity, Stamp};
use esv_shared::ipc::SearchRequest;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

fn open(path: &Path) -> Store {
    let (store, notice) = Store::open(path).expect("open store");
    assert_eq!(notice, None, "a new store needs no notice");
    store
}

/// Every projection row, in a stable order, for comparisons.
fn projection_dump(store: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(store.path()).expect("second connection");
    let mut out = Vec::new();
    for sql in [
        "SELECT id || '|' || doc_id || '|' || kind || '|' || name || '|' || data FROM providers ORDER BY id",
        "SELECT id || '|' || doc_id || '|' || provider_id || '|' || name || '|' || data FROM services ORDER BY id",
        "SELECT service_id || '|' || category FROM service_categories ORDER BY 1",
        "SELECT id || '|' || doc_id || '|' || title || '|' || grp || '|' || data FROM articles ORDER BY id",
        "SELECT kind || '|' || ref || '|' || name || '|' || keywords || '|' || categories || '|' || body FROM search_fts ORDER BY kind, ref",
        // Which document each full-text row came from (what `forget` deletes by), and no row
        // without one.
        "SELECT r.doc_id || '|' || f.kind || '|' || f.ref FROM search_rows r
           JOIN search_fts f ON f.rowid = r.fts_rowid ORDER BY 1",
        "SELECT 'unowned full-text rows: ' || count(*) FROM search_fts
           WHERE rowid NOT IN (SELECT fts_rowid FROM search_rows)",
    ] {
        let mut stmt = conn.prepare(sql).expect("prepare");
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows");
        out.extend(rows);
    }
    out
}

#[test]
fn first_start_loads_the_bundled_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir.path().join("store.db"));
    let status = store.status().expect("status");
    assert!(
        status.services >= 10,
        "bundled services: {}",
        status.services
    );
    assert!(
        status.articles >= 10,
        "bundled articles: {}",
        status.articles
    );
    assert_eq!(status.catalog_version, bundled::version());
    assert!(
        status.updated_label.starts_with("Dados de "),
        "{}",
        status.updated_label
    );
    let home = store.home(at("2026-11-24T10:00:00-03:00")).expect("home");
    let vitoria = home
        .offices
        .iter()
        .find(|o| o.name.contains("Vitória"))
        .expect("the Vitória office is on the first screen");
    assert_eq!(vitoria.open.text, "Aberto agora · fecha às 17h");
    assert_eq!(home.categories.len(), 9);
}

#[test]
fn reopening_does_not_load_the_catalog_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let before = projection_dump(&open(&path));
    let after = projection_dump(&open(&path));
    assert_eq!(before, after);
}

#[test]
fn vitoria_office_hours_as_the_leaflet_states() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir.path().join("store.db"));
    let detail = store
        .service_detail("es-vitoria", at("2026-11-28T10:00:00-03:00"))
        .expect("office detail");
    assert_eq!(detail.open.text, "Fechado · abre segunda às 8h");
    assert_eq!(detail.hours[0].hours, "8h às 17h");
    assert_eq!(detail.hours[4].hours, "8h às 17h");
    assert_eq!(detail.hours[5].hours, "Fechado");
    let phones: Vec<&str> = detail.phones.iter().map(|p| p.tel_url.as_str()).collect();
    assert_eq!(phones, ["tel:2731325137", "tel:2732225572"]);
    assert_eq!(detail.email.as_deref(), Some("saef@sejus.es.gov.br"));
    let address = detail.address.expect("address");
    assert!(
        address.lines[0].contains("Jerônimo Monteiro"),
        "{:?}",
        address.lines
    );
    assert!(address
        .maps_url
        .starts_with("https://www.openstreetmap.org/search?query="));
    // 25/12 is a national holiday and a working day of the office: it is listed.
    let detail = store
        .service_detail("es-vitoria", at("2026-12-01T10:00:00-03:00"))
        .expect("office detail");
    assert!(
        detail
            .next_closures
            .iter()
            .any(|c| c.date_label == "sexta-feira, 25 de dezembro"),
        "{:?}",
        detail.next_closures
    );
}

#[test]
fn an_old_file_keeps_its_data_through_migrations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    // A file from the first release: documents only, no projections.
    let office = bundled::documents()
        .expect("bundle")
        .into_iter()
        .find(|d| d.kind == DocKind::Office)
        .expect("an office in the bundle");
    let mut doc = automerge::Automerge::load(&office.bytes).expect("load");
    let Entity::Office(mut edited) = document::read(&doc).expect("read") else {
        panic!("not an office");
    };
    edited.name = "Escritório Social de Vitória (editado neste aparelho)".into();
    let stamp = Stamp {
        message: "edit".into(),
        time: 1,
    };
    document::write(&mut doc, &Entity::Office(edited), &stamp).expect("write");
    {
        let store = Store::open_at_version(&path, 1).expect("old store");
        assert_eq!(store.schema_version().expect("version"), 1);
        let conn = rusqlite::Connection::open(&path).expect("conn");
        conn.execute(
            "INSERT INTO documents (doc_id, kind, bytes, updated_at) VALUES (?1, 'office', ?2, '2026-01-01T00:00:00Z')",
            rusqlite::params![office.doc_id, doc.save()],
        )
        .expect("insert old document");
    }
    let mut store = open(&path);
    assert_eq!(
        store.schema_version().expect("version"),
        migrations::latest()
    );
    // The local edit survived the upgrade and the bundled catalog merged with it.
    let detail = store
        .service_detail("es-vitoria", at("2026-11-24T10:00:00-03:00"))
        .expect("detail");
    assert_eq!(
        detail.name,
        "Escritório Social de Vitória (editado neste aparelho)"
    );
    let stored = store
        .document(&office.doc_id)
        .expect("read")
        .expect("present");
    assert_eq!(
        stored.get_heads(),
        doc.get_heads(),
        "the bundled history is already inside the edit"
    );
}

#[test]
fn projections_rebuilt_from_documents_equal_the_incremental_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir.path().join("store.db"));
    // A document rewritten twice: its old rows must be gone, not beside the new ones.
    for opens in [9, 10] {
        let hours = vec![esv_shared::domain::WeeklyInterval {
            weekday: chrono::Weekday::Mon,
            opens: chrono::NaiveTime::from_hms_opt(opens, 0, 0).expect("time"),
            closes: chrono::NaiveTime::from_hms_opt(16, 0, 0).expect("time"),
        }];
        assert!(store
            .set_weekly_hours("es-vitoria", hours, at("2026-11-24T10:00:00-03:00"))
            .expect("edit"));
    }
    let incremental = projection_dump(&store);
    assert!(incremental.len() > 20);
    assert!(incremental.contains(&"unowned full-text rows: 0".to_owned()));
    let n = store.rebuild_projections().expect("rebuild");
    assert_eq!(n, bundled::documents().expect("bundle").len());
    assert_eq!(projection_dump(&store), incremental);
}

#[test]
fn the_bundled_catalog_is_reproducible() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog/data");
    let catalog = esv_catalog::load_dir(&data).expect("catalog");
    let first = esv_catalog::compile(&catalog).expect("compile");
    let second =
        esv_catalog::compile(&esv_catalog::load_dir(&data).expect("catalog")).expect("compile");
    assert_eq!(first, second, "the same files must give the same bytes");
    assert_eq!(
        esv_catalog::encode_bundle(&first),
        esv_catalog::encode_bundle(&bundled::documents().expect("bundle")),
        "the app embeds exactly what the data files give"
    );
    // And reading a document back gives the entity that was written.
    for (doc, entity) in first.iter().zip(&catalog.entities) {
        let loaded = automerge::Automerge::load(&doc.bytes).expect("load");
        assert_eq!(
            &document::read(&loaded).expect("read"),
            entity,
            "{}",
            doc.doc_id
        );
    }
}

#[test]
fn a_damaged_file_is_kept_aside_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).expect("write garbage");
    let (mut store, notice) = Store::open(&path).expect("open recovers");
    let Some(esv_replica::OpenNotice::Recovered { kept_at, .. }) = notice.clone() else {
        panic!("expected a recovery notice, got {notice:?}");
    };
    assert_eq!(std::fs::read(&kept_at).expect("kept file"), garbage);
    assert!(notice
        .expect("notice")
        .message()
        .contains("guardado sem alterações"));
    assert!(
        store.status().expect("status").services > 0,
        "a new store was made"
    );
}

#[test]
fn a_truncated_file_is_kept_aside_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.db");
    drop(open(&path));
    // Fold the WAL in, then cut the file in half.
    rusqlite::Connection::open(&path)
        .and_then(|c| c.pragma_update(None, "journal_mode", "DELETE"))
        .expect("checkpoint");
    let bytes = std::fs::read(&path).expect("read");
    let half = &bytes[..bytes.len() / 2];
    std::fs::write(&path, half).expect("truncate");
    let (_store, notice) = Store::open(&path).expect("open recovers");
    match notice {
        Some(esv_replica::OpenNotice::Recovered { kept_at, .. }) => {
            assert_eq!(std::fs::read(kept_at).expect("kept"), half);
        }
        None => panic!("a truncated store must be noticed"),
    }
}

#[test]
fn odd_queries_never_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open(&dir.path().join("store.db"));
    let long = "documento ".repeat(200);
    for text in [
        "\"",
        "*",
        "NEAR",
        "OR",
        "AND",
        "a OR b",
        "NEAR(identidade cpf)",
        "\"rg",
        "rg*",
        "🙂🙂",
        "'; DROP TABLE services; --",
        "^",
        "-",
        ":",
        "()",
        long.as_str(),
        "",
    ] {
        let request = SearchRequest {
            text: text.into(),
            ..Default::default()
        };
        store
            .search(&request, at("2026-11-24T10:00:00-03:00"))
            .unwrap_or_else(|e| panic!("{text:?} failed: {e}"));
    }
    assert!(store.status().expect("status").services > 0);
}
