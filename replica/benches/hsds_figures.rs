//! Prints the HSDS figures of the office console: preview and import of a 5,000-service
//! bundle (CSV files in a tempdir) into a fresh store, as 500 organizations of 10 services
//! and as 5,000 organizations of one service (one catalog document each, where forgetting a
//! document's old projection must not scan the index); a second import of the same bundle
//! (nothing changes); the export. Run: `cargo bench -p esv-replica --bench hsds_figures`.

mod table;

use std::fmt::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use table::{ms, percentile, row, store_size};

use chrono::{DateTime, Utc};
use esv_replica::hsds::Bundle;
use esv_replica::sync::Account;
use esv_replica::Store;
use esv_shared::sync::{Role, Session};

const SERVICES: usize = 5_000;
const OFFICE: &str = "es-vitoria";
const CATEGORIES: [&str; 5] = ["documents", "health", "work-income", "food", "legal"];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Writes a bundle of `SERVICES` services, `per_org` per organization.
fn write_bundle(dir: &Path, per_org: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let orgs = SERVICES / per_org;
    let mut organizations = String::from("id,name,description,url\n");
    let mut locations = String::from("id,name,latitude,longitude,address_1,city,state_province\n");
    for o in 0..orgs {
        let _ = writeln!(
            organizations,
            "org-{o},Organização parceira {o},Atende a população de Vitória,https://parceira{o}.example.org"
        );
        let _ = writeln!(
            locations,
            "local-{o},Sede {o},{:.4},{:.4},Rua {o} número {o},Vitória,ES",
            -20.3 - (o % 100) as f64 / 1000.0,
            -40.3 - (o / 100) as f64 / 1000.0
        );
    }
    let mut services = String::from(
        "id,organization_id,name,description,eligibility_description,assured_date,categories\n",
    );
    let mut links = String::from("id,service_id,location_id\n");
    let mut schedules = String::from("id,service_id,byday,opens_at,closes_at\n");
    let mut phones = String::from("id,service_id,number\n");
    for s in 0..SERVICES {
        let o = s / per_org;
        let _ = writeln!(
            services,
            "org-{o}-s{s},org-{o},Serviço {s} de documentos e saúde,Atendimento número {s} sem agendamento,Pessoas egressas e familiares,2026-10-01,{}",
            CATEGORIES[s % CATEGORIES.len()]
        );
        let _ = writeln!(links, "l-{s},org-{o}-s{s},local-{o}");
        let _ = writeln!(
            schedules,
            "h-{s}a,org-{o}-s{s},\"MO,TU,WE,TH,FR\",08:00,12:00"
        );
        let _ = writeln!(
            schedules,
            "h-{s}b,org-{o}-s{s},\"MO,TU,WE,TH,FR\",13:00,17:00"
        );
        let _ = writeln!(phones, "t-{s},org-{o}-s{s},(27) 3{:03}-{:04}", s % 1000, s);
    }
    for (name, text) in [
        ("organizations.csv", organizations),
        ("services.csv", services),
        ("locations.csv", locations),
        ("service_at_location.csv", links),
        ("schedules.csv", schedules),
        ("phones.csv", phones),
    ] {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

fn staff_store(path: &Path) -> Store {
    let (store, _) = Store::open(path).expect("open store");
    store
        .set_account(&Account {
            server: "http://127.0.0.1:9".to_owned(),
            session: Session {
                device: "dev-0123456789abcdef0123".to_owned(),
                token: "token".to_owned(),
                role: Role::Staff,
                office: OFFICE.to_owned(),
                username: Some("bench".to_owned()),
            },
        })
        .expect("account");
    store
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    table::header();
    for per_org in [10, 1] {
        let orgs = SERVICES / per_org;
        let bundle_dir = dir.path().join(format!("bundle-{per_org}"));
        write_bundle(&bundle_dir, per_org).expect("write bundle");
        let path = dir.path().join(format!("store-{per_org}.db"));
        let mut store = staff_store(&path);
        let (bundle, read) = timed(|| Bundle::read(&bundle_dir).expect("read"));
        // The preview is read-only: its median of five runs.
        let mut previews = Vec::new();
        let mut plan = None;
        for _ in 0..5 {
            let (p, took) = timed(|| store.hsds_preview(OFFICE, &bundle, now()).expect("preview"));
            previews.push(took);
            plan = Some(p);
        }
        previews.sort();
        let preview = percentile(&previews, 0.5);
        let plan = plan.expect("a preview");
        assert_eq!(
            plan.added.len(),
            SERVICES + orgs,
            "{:?}",
            plan.rejected.first()
        );
        let (done, import) = timed(|| store.hsds_import(OFFICE, &bundle, now()).expect("import"));
        assert_eq!(done.written, orgs);
        let (again, reimport) = timed(|| {
            store
                .hsds_import(OFFICE, &bundle, now())
                .expect("import again")
        });
        assert_eq!(again.written, 0);
        let (export, exported) = timed(|| store.hsds_export(OFFICE).expect("export"));
        assert!(export.services >= SERVICES);
        let label = format!("{SERVICES} services in {orgs} organizations");
        row(&format!("read CSV bundle ({label})"), ms(read), "");
        row(&format!("preview ({label})"), ms(preview), "");
        row(
            &format!("import, fresh store ({label})"),
            ms(import),
            "≤ 10 s (with read)",
        );
        row(
            &format!("read + preview + import ({label})"),
            ms(read + preview + import),
            "≤ 10 s",
        );
        row(
            &format!("import again, nothing changes ({label})"),
            ms(reimport),
            "",
        );
        row(&format!("export ({label})"), ms(exported), "");
        store.checkpoint().expect("checkpoint");
        row(
            &format!("store size after the import ({label})"),
            format!("{:.1} MB", store_size(&path) as f64 / 1e6),
            "",
        );
    }
}
