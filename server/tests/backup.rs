//! `esv-server backup FILE` while the real server serves, and `restore FILE`: the copy holds
//! what was acknowledged, a failed write (the file size limit standing in for a full disk)
//! leaves the previous backup byte for byte and no `.tmp`, and a restored database serves a
//! device's next sync, and erases again whoever was erased after the copy was taken.

mod support;

use support::{admin, now, office_and_staff, serve, BIN};

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use esv_replica::{sync, Store};

fn esv(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--database")
        .arg(db)
        .args(args)
        .output()
        .expect("run esv-server")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_backup_taken_while_serving_restores_and_a_failed_one_keeps_the_last() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("server.db");
    office_and_staff(&db);
    let (mut server, url) = serve(&db);
    let mut store = support::staff_pushed_a_closure(dir.path(), &url);

    // Taken while the server runs.
    let copy = dir.path().join("copia.db");
    let out = esv(&db, &["backup", copy.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out));
    let listed = text(&esv(&copy, &["doc", "list", "office:"]));
    assert!(listed.contains("office:es-vitoria"), "{listed}");
    let before = std::fs::read(&copy).expect("backup");

    // A later backup that cannot be written (no room: at most 2 KiB per file) fails plainly
    // and leaves the last one as it was.
    admin(
        &db,
        &[
            "office",
            "add",
            "rr-boa-vista",
            "Escritório Social de Roraima",
        ],
    );
    let out = Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 4; exec \"$0\" \"$@\""])
        .arg(BIN)
        .arg("--database")
        .arg(&db)
        .arg("backup")
        .arg(&copy)
        .output()
        .expect("run");
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("não pôde ser escrita"), "{said}");
    assert!(said.contains("ficou como estava"), "{said}");
    assert_eq!(std::fs::read(&copy).expect("backup"), before);
    assert!(!dir.path().join("copia.db.tmp").exists());

    // An erasure (LGPD) after the copy was taken: written to the erasure log beside the
    // database, 0600, before it runs.
    let out = esv(
        &db,
        &[
            "erase",
            "--office",
            "es-vitoria",
            "--subject",
            "p1",
            "--scope",
            "office",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    let stream = said
        .split(" apagados de ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("stream")
        .to_owned();
    let erasure_log = dir.path().join("server.db.erasures");
    assert!(std::fs::read_to_string(&erasure_log)
        .expect("erasure log")
        .contains("\"p1\""));

    // Restored after the server stops: the office added after the copy is gone, the edit
    // the device pushed before it is there, and the device syncs on.
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let started = Instant::now();
    while server.try_wait().expect("wait").is_none() {
        assert!(started.elapsed() < Duration::from_secs(30), "still running");
        std::thread::sleep(Duration::from_millis(20));
    }
    let not_a_db = dir.path().join("notas.txt");
    std::fs::write(&not_a_db, "não é um banco").expect("file");
    let out = esv(&db, &["restore", not_a_db.to_str().expect("path")]);
    assert!(!out.status.success());
    assert!(text(&out).contains("não foi alterado"), "{}", text(&out));
    assert!(text(&esv(&db, &["office", "list"])).contains("rr-boa-vista"));

    let out = esv(&db, &["restore", copy.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out));
    // The erasure made after the copy is made again: the person does not come back.
    assert!(text(&out).contains("1 apagamento(s)"), "{}", text(&out));
    let erased = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let db = esv_server::Db::open(db.to_str().expect("path")).await?;
            let rows = db.erasures(&stream).await;
            db.close().await?;
            rows
        })
        .expect("erasures");
    assert!(erased.iter().any(|e| e.subject == "p1"), "{erased:?}");
    let offices = text(&esv(&db, &["office", "list"]));
    assert!(offices.contains("es-vitoria"), "{offices}");
    assert!(!offices.contains("rr-boa-vista"), "{offices}");

    let (mut server, url) = serve(&db);
    let mut account = store.account().expect("account").expect("signed in");
    account.server = url.clone();
    store.set_account(&account).expect("account");
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("sync after the restore");
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let (mut fresh, _) = Store::open(&fresh_dir.path().join("c.db")).expect("store");
    sync::sync(&mut fresh, Some(&url), now(), &mut |_| {}).expect("fresh pull");
    let office = fresh
        .entities(esv_shared::document::DocKind::Office)
        .expect("offices")
        .into_iter()
        .find_map(|e| match e {
            esv_shared::document::Entity::Office(o) if o.id == "es-vitoria" => Some(o),
            _ => None,
        })
        .expect("office");
    assert!(
        office
            .schedule
            .exceptions
            .iter()
            .any(|x| x.reason == "mutirão"),
        "{:?}",
        office.schedule.exceptions
    );
    let _ = server.kill();
    let _ = server.wait();
}
