//! HSDS import and export against a real store file: the plan and its rejected rows with
//! their line numbers, an import as local edits in one transaction (nothing of it left when a
//! write fails half-way), who may import, the round trip through CSV and JSON, and the
//! "needs review" list.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use esv_replica::hsds::{Bundle, ImportPlan};
use esv_replica::review::ReviewKind;
use esv_replica::sync::Account;
use esv_replica::{ReplicaError, Store};
use esv_shared::document::{DocKind, Entity};
use esv_shared::domain::{Organization, Service};
use esv_shared::sync::{Role, Session};

const OFFICE: &str = "es-vitoria";

fn now() -> DateTime<Utc> {
    at("2026-11-24T10:00:00-03:00")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("instant")
        .with_timezone(&Utc)
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds")
}

fn store_as(dir: &Path, role: Option<(Role, &str)>) -> Store {
    let (store, _) = Store::open(&dir.join("store.db")).expect("open store");
    if let Some((role, office)) = role {
        store
            .set_account(&Account {
                server: "http://127.0.0.1:9".to_owned(),
                session: Session {
                    device: "dev-0123456789abcdef0123".to_owned(),
                    token: "token".to_owned(),
                    role,
                    office: office.to_owned(),
                    username: Some("ana".to_owned()),
                },
            })
            .expect("account");
    }
    store
}

fn staff_store(dir: &Path) -> Store {
    store_as(dir, Some((Role::Staff, OFFICE)))
}

fn organizations(store: &Store) -> Vec<Organization> {
    store
        .entities(DocKind::Organization)
        .expect("organizations")
        .into_iter()
        .filter_map(|e| match e {
            Entity::Organization(o) if o.office_id.as_deref() == Some(OFFICE) => Some(o),
            _ => None,
        })
        .collect()
}

fn service(store: &Store, id: &str) -> Option<Service> {
    organizations(store)
        .into_iter()
        .flat_map(|o| o.services)
        .find(|s| s.id == id)
}

fn ids(items: &[esv_replica::hsds::Item]) -> Vec<&str> {
    let mut ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    ids
}

/// The rejected rows as (file, line).
fn rejected_rows(plan: &ImportPlan) -> Vec<(String, usize)> {
    plan.rejected
        .iter()
        .map(|r| (r.at.file.clone(), r.at.line))
        .collect()
}

fn message_of(plan: &ImportPlan, file: &str, line: usize) -> String {
    plan.rejected
        .iter()
        .find(|r| r.at.file == file && r.at.line == line)
        .map(|r| r.to_string())
        .unwrap_or_else(|| panic!("{file} linha {line} was not rejected: {:#?}", plan.rejected))
}

#[test]
fn the_preview_says_what_changes_and_which_rows_are_rejected_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = staff_store(dir.path());
    let before = store.document_ids().expect("ids");
    let bundle = Bundle::read(&fixture()).expect("bundle");
    let plan = store.hsds_preview(OFFICE, &bundle, now()).expect("preview");
    let expected: Vec<(String, usize)> = [
        ("locations.csv", 3),
        ("organizations.csv", 3),
        ("organizations.csv", 5),
        ("phones.csv", 3),
        ("schedules.csv", 3),
        ("schedules.csv", 6),
        ("service_at_location.csv", 4),
        ("services.csv", 5),
        ("services.csv", 6),
        ("services.csv", 7),
        ("services.csv", 8),
    ]
    .into_iter()
    .map(|(f, l)| (f.to_owned(), l))
    .collect();
    assert_eq!(rejected_rows(&plan), expected, "{:#?}", plan.rejected);
    for (file, line, words) in [
        (
            "schedules.csv",
            3,
            "schedules.csv linha 3: fecha (08:00) antes de abrir (17:00)",
        ),
        ("phones.csv", 3, "não parece um número de telefone"),
        ("services.csv", 5, "organization_id \"orgao-fantasma\""),
        ("services.csv", 6, "falta o nome"),
        (
            "services.csv",
            7,
            "foi recusada (organizations.csv linha 5)",
        ),
        ("services.csv", 8, "categoria desconhecida \"arte\""),
        (
            "locations.csv",
            3,
            "fuso horário \"America/Vitoria\" desconhecido",
        ),
        ("organizations.csv", 3, "falta o código (id)"),
        ("schedules.csv", 6, "terminou em 2026-06-30"),
        (
            "service_at_location.csv",
            4,
            "o local \"caps-ad-sede\" foi recusado (locations.csv linha 3)",
        ),
    ] {
        let message = message_of(&plan, file, line);
        assert!(message.contains(words), "{message:?} should say {words:?}");
    }
    assert_eq!(
        ids(&plan.added),
        [
            "caps-ad-acolhimento",
            "cras-centro-bolsa",
            "cras-centro-cadunico",
            "es-vitoria/caps-ad",
            "es-vitoria/cras-centro"
        ]
    );
    assert!(
        plan.changed.is_empty() && plan.removed.is_empty(),
        "{plan:#?}"
    );
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("cras-centro-bolsa") && n.contains("não foi alterado")),
        "a service whose hours were refused keeps its hours: {:?}",
        plan.notes
    );
    assert_eq!(
        store.document_ids().expect("ids"),
        before,
        "a preview writes nothing"
    );
}

#[test]
fn an_import_writes_the_good_rows_as_local_edits_and_a_second_one_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(dir.path());
    let bundle = Bundle::read(&fixture()).expect("bundle");
    let plan = store.hsds_import(OFFICE, &bundle, now()).expect("import");
    assert_eq!(plan.written, 2, "two organizations, one document each");
    assert_eq!(plan.rejected.len(), 11);

    let cadunico = service(&store, "cras-centro-cadunico").expect("imported");
    assert_eq!(cadunico.keywords, ["CadÚnico", "CAD"]);
    assert_eq!(cadunico.phones[0].number, "2733826000");
    assert_eq!(cadunico.phones[0].display, "(27) 3382-6000");
    let place = cadunico.location.expect("location");
    assert_eq!(place.municipality_ibge, Some(3_205_309));
    assert_eq!(
        place.tz, "America/Sao_Paulo",
        "the office's zone when the row names none"
    );
    assert_eq!(place.address, "Rua Sete de Setembro, 100");
    let hours = cadunico.schedule.expect("hours");
    assert_eq!(hours.intervals.len(), 5);
    assert_eq!(hours.reviewed_on.to_string(), "2026-10-01");
    assert_eq!(hours.review_due.to_string(), "2027-04-01");

    let acolhimento = service(&store, "caps-ad-acolhimento").expect("imported");
    assert_eq!(acolhimento.location, None, "its location row was refused");
    assert_eq!(
        acolhimento.schedule, None,
        "one of its hours rows was refused"
    );
    assert_eq!(acolhimento.phones.len(), 1, "the good phone only");
    assert!(service(&store, "caps-ad-oficina").is_none());

    let outgoing: Vec<String> = store
        .outgoing()
        .expect("outgoing")
        .into_iter()
        .map(|o| o.changes.doc_id)
        .collect();
    assert!(
        outgoing.contains(&"organization:es-vitoria/cras-centro".to_owned()),
        "{outgoing:?}"
    );
    assert!(
        outgoing.contains(&"organization:es-vitoria/caps-ad".to_owned()),
        "{outgoing:?}"
    );
    let hits = store
        .search(
            &esv_shared::ipc::SearchRequest {
                text: "cadastro unico".into(),
                ..Default::default()
            },
            now(),
        )
        .expect("search");
    assert!(
        hits.iter().any(|h| h.id == "cras-centro-cadunico"),
        "the import is searchable"
    );

    let again = store
        .hsds_import(OFFICE, &bundle, now())
        .expect("import again");
    assert!(
        again.added.is_empty() && again.changed.is_empty(),
        "{again:#?}"
    );
    assert_eq!(again.written, 0);
    assert_eq!(again.unchanged, 5);
}

#[test]
fn only_staff_and_coordinators_of_the_office_may_import() {
    let bundle = Bundle::read(&fixture()).expect("bundle");
    for (role, words) in [
        (None, "só a equipe do escritório"),
        (
            Some((Role::FieldWorker, OFFICE)),
            "só a equipe técnica e a coordenação",
        ),
        (
            Some((Role::Citizen, OFFICE)),
            "só a equipe técnica e a coordenação",
        ),
        (
            Some((Role::Staff, "es-roraima")),
            "esta conta é do escritório \"es-roraima\"",
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut store = store_as(dir.path(), role);
        let before = store.document_ids().expect("ids");
        match store.hsds_import(OFFICE, &bundle, now()) {
            Err(ReplicaError::NotAllowed(message)) => {
                assert!(message.contains(words), "{role:?}: {message:?}")
            }
            other => panic!("{role:?} was not refused: {other:?}"),
        }
        assert_eq!(store.document_ids().expect("ids"), before);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = store_as(dir.path(), Some((Role::Coordinator, OFFICE)));
    assert_eq!(
        store
            .hsds_import(OFFICE, &bundle, now())
            .expect("coordinator")
            .written,
        2
    );
}

#[test]
fn a_write_that_fails_half_way_leaves_nothing_of_the_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(dir.path());
    let before = store.document_ids().expect("ids");
    // A real SQLite failure on the second document's projection (the first is written by
    // then, inside the transaction).
    let conn = rusqlite::Connection::open(store.path()).expect("second connection");
    conn.execute_batch(
        "CREATE TRIGGER fail_import BEFORE INSERT ON services
         WHEN NEW.id = 'caps-ad-acolhimento'
         BEGIN SELECT RAISE(ABORT, 'disco cheio'); END;",
    )
    .expect("trigger");
    let bundle = Bundle::read(&fixture()).expect("bundle");
    let error = store
        .hsds_import(OFFICE, &bundle, now())
        .expect_err("the write fails");
    assert!(error.to_string().contains("disco cheio"), "{error}");
    assert_eq!(
        store.document_ids().expect("ids"),
        before,
        "no document of the import stayed"
    );
    assert_eq!(
        store.outgoing_count().expect("outgoing"),
        0,
        "nothing waits to be pushed"
    );
    let projected: i64 = conn
        .query_row(
            "SELECT count(*) FROM services WHERE id LIKE 'cras-centro-%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(
        projected, 0,
        "no projection row of the first document stayed"
    );

    conn.execute_batch("DROP TRIGGER fail_import")
        .expect("drop trigger");
    assert_eq!(
        store
            .hsds_import(OFFICE, &bundle, now())
            .expect("import")
            .written,
        2
    );
}

#[test]
fn an_export_imports_back_to_the_same_catalog_as_csv_and_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(dir.path());
    let bundle = Bundle::read(&fixture()).expect("bundle");
    store.hsds_import(OFFICE, &bundle, now()).expect("import");
    let export = store.hsds_export(OFFICE).expect("export");
    let out = dir.path().join("export");
    export.write_to(&out).expect("write");
    let office_services = match store
        .entities(DocKind::Office)
        .expect("offices")
        .into_iter()
        .find(|e| e.id() == OFFICE)
    {
        Some(Entity::Office(o)) => o.services.len(),
        _ => panic!("no office"),
    };
    assert_eq!(export.services, office_services + 3);

    // Into the same store: nothing to do, nothing refused — the bundled office included.
    let same = store
        .hsds_preview(OFFICE, &Bundle::read(&out).expect("csv"), now())
        .expect("preview");
    assert!(same.rejected.is_empty(), "{:#?}", same.rejected);
    assert!(
        same.added.is_empty() && same.changed.is_empty() && same.removed.is_empty(),
        "{same:#?}"
    );

    // Into fresh stores, as CSV and as JSON: the same organizations and the same office.
    let office = |s: &Store| s.entities(DocKind::Office).expect("offices");
    for source in [out.clone(), out.join("services.json")] {
        let other = tempfile::tempdir().expect("tempdir");
        let mut fresh = staff_store(other.path());
        let plan = fresh
            .hsds_import(OFFICE, &Bundle::read(&source).expect("bundle"), now())
            .expect("import");
        assert!(
            plan.rejected.is_empty(),
            "{}: {:#?}",
            source.display(),
            plan.rejected
        );
        assert_eq!(
            organizations(&fresh),
            organizations(&store),
            "{}",
            source.display()
        );
        assert_eq!(office(&fresh), office(&store), "{}", source.display());
    }
}

#[test]
fn a_bundle_in_json_is_checked_like_the_csv_files() {
    let json = r#"[
      {"id": "sine-vagas", "name": "Vagas de emprego", "description": "Intermediação de mão de obra",
       "categories": ["work-income"], "assured_date": "2026-11-01",
       "organization": {"id": "sine", "name": "Sine Vitória"},
       "service_at_locations": [{"location": {"id": "sine-sede", "latitude": -20.31, "longitude": -40.33,
          "addresses": [{"address_1": "Rua do Rosário, 10", "city": "Vitória", "state_province": "ES"}]}}],
       "schedules": [{"byday": "MO,TU,WE,TH,FR", "opens_at": "18:00", "closes_at": "24:00"},
                     {"byday": "TU,WE,TH,FR,SA", "opens_at": "00:00", "closes_at": "02:00"}],
       "phones": [{"number": "+55 27 3636-1000"}]},
      {"id": "sine-curso", "name": "Curso", "organization": {"id": "sine", "name": "Sine Vitória"},
       "categories": ["education"], "phones": [{"number": "12"}]}
    ]"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(dir.path());
    let bundle = Bundle::from_json("vagas.json", json).expect("json");
    let plan = store.hsds_import(OFFICE, &bundle, now()).expect("import");
    assert_eq!(rejected_rows(&plan), [("vagas.json".to_owned(), 2)]);
    assert_eq!(
        plan.rejected[0].to_string(),
        "vagas.json serviço 2: o telefone \"12\" não parece um número de telefone (tem 2 dígitos)"
    );
    let vagas = service(&store, "sine-vagas").expect("imported");
    assert_eq!(vagas.phones[0].number, "+552736361000");
    let hours = vagas.schedule.expect("hours");
    assert_eq!(
        hours.intervals.len(),
        5,
        "evenings past midnight are one interval each"
    );
    assert!(hours.intervals.iter().all(|i| i.passes_midnight()));
    assert_eq!(vagas.location.expect("location").municipality, "Vitória");
}

#[test]
fn needs_review_lists_what_was_not_reviewed_for_six_months_oldest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = staff_store(dir.path());
    store
        .hsds_import(OFFICE, &Bundle::read(&fixture()).expect("bundle"), now())
        .expect("import");
    let soon = store.needs_review(OFFICE, now()).expect("review");
    let never: Vec<&str> = soon
        .iter()
        .filter(|i| i.reviewed_on.is_none())
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        never,
        ["caps-ad-acolhimento", "cras-centro-bolsa"],
        "hours never given: {soon:#?}"
    );
    assert!(
        !soon.iter().any(|i| i.id == "cras-centro-cadunico"),
        "reviewed in October"
    );

    let later = store
        .needs_review(OFFICE, at("2027-05-01T12:00:00-03:00"))
        .expect("review");
    let cadunico: Vec<ReviewKind> = later
        .iter()
        .filter(|i| i.id == "cras-centro-cadunico")
        .map(|i| i.kind)
        .collect();
    assert_eq!(cadunico, [ReviewKind::Service, ReviewKind::Schedule]);
    let dates: Vec<_> = later.iter().map(|i| i.reviewed_on).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first, never-reviewed before all");
    assert!(
        !later.iter().any(|i| i.kind == ReviewKind::Article),
        "reviewed in November"
    );
    let much_later = store
        .needs_review(OFFICE, at("2028-01-01T12:00:00-03:00"))
        .expect("review");
    assert!(
        much_later.iter().any(|i| i.kind == ReviewKind::Article),
        "rights articles too"
    );
}

#[test]
fn imported_text_is_composed_and_an_export_runs_no_formula_in_a_spreadsheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("bundle");
    std::fs::create_dir(&source).expect("dir");
    for entry in std::fs::read_dir(fixture()).expect("fixture") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("name").to_owned();
        let mut text = std::fs::read_to_string(&path).expect("read");
        if name == "organizations.csv" {
            // A name typed decomposed ("a" + combining tilde) and a description that a
            // spreadsheet would run as a formula.
            text = text.replace(
                "CRAS Centro,Centro de",
                "CRAS Sa\u{303}o Pedro,=HYPERLINK(\"http://x\")&\" de",
            );
        }
        std::fs::write(source.join(name), text).expect("write");
    }
    let mut store = staff_store(dir.path());
    let plan = store
        .hsds_import(OFFICE, &Bundle::read(&source).expect("bundle"), now())
        .expect("import");
    let orgs = organizations(&store);
    let cras = orgs
        .iter()
        .find(|o| o.name.starts_with("CRAS S"))
        .unwrap_or_else(|| panic!("imported: {orgs:#?}\n{:#?}", plan.rejected));
    assert_eq!(cras.name, "CRAS São Pedro", "stored composed (NFC)");

    let export = store.hsds_export(OFFICE).expect("export");
    let (_, csv) = export
        .files
        .iter()
        .find(|(name, _)| name == "organizations.csv")
        .expect("organizations.csv");
    let csv = String::from_utf8(csv.clone()).expect("utf-8");
    let line = csv
        .lines()
        .find(|l| l.starts_with("cras-centro,"))
        .expect("the CRAS line");
    assert!(line.contains("CRAS São Pedro"), "{line}");
    assert!(
        line.contains(",\"'=HYPERLINK("),
        "the formula starts with an apostrophe: {line}"
    );
    let phones = &export
        .files
        .iter()
        .find(|(name, _)| name == "phones.csv")
        .expect("phones.csv")
        .1;
    assert!(
        !String::from_utf8_lossy(phones).contains(",'"),
        "phones and numbers are left as they are"
    );
}
