//! Running the real `esv-server` binary from tests and benchmarks: administration commands,
//! and `serve` on a free port, returning the process and its URL.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};

use chrono::{DateTime, Utc};

pub const BIN: &str = env!("CARGO_BIN_EXE_esv-server");
pub const PASSWORD: &str = "senha-de-teste-123";

/// Tuesday morning in Vitória.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

/// `esv-server --database <db> <args>`, with [`PASSWORD`] for accounts; must succeed.
pub fn admin(db: &Path, args: &[&str]) {
    let out = Command::new(BIN)
        .arg("--database")
        .arg(db)
        .args(args)
        .env("ESV_PASSWORD", PASSWORD)
        .output()
        .expect("run esv-server");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Starts `esv-server serve` on a free port; the process and its URL.
pub fn serve(db: &Path) -> (Child, String) {
    serve_with(db, &[], Stdio::null())
}

/// The same with more arguments of `serve`, and its log (stderr) sent to `log`.
pub fn serve_with(db: &Path, args: &[&str], log: Stdio) -> (Child, String) {
    let mut child = Command::new(BIN)
        .arg("--database")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        // Benchmarks register hundreds of citizen devices from this one address.
        .args(["--registrations-per-hour", "1000000"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn server");
    let line = stdout_line(&mut child);
    let url = line.trim().rsplit(' ').next().expect("address").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    (child, url)
}

/// The next line the server printed on stdout, read a byte at a time so the lines after it
/// stay in the pipe for the next call (and the pipe stays open: the server may print more).
pub fn stdout_line(server: &mut Child) -> String {
    use std::io::Read;
    let stdout = server.stdout.as_mut().expect("stdout");
    let mut line = Vec::new();
    let mut byte = [0u8];
    while stdout.read(&mut byte).expect("read stdout") == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    String::from_utf8(line).expect("utf-8")
}

/// The office es-vitoria and its staff account "ana" (with [`PASSWORD`]).
pub fn office_and_staff(db: &Path) {
    admin(
        db,
        &[
            "office",
            "add",
            "es-vitoria",
            "Escritório Social de Vitória",
        ],
    );
    admin(
        db,
        &[
            "user",
            "add",
            "ana",
            "--office",
            "es-vitoria",
            "--role",
            "staff",
        ],
    );
}

/// Ana's team store in `dir`, signed in at `url`, after it pushed one closure of es-vitoria
/// (1 April 2027, "mutirão").
pub fn staff_pushed_a_closure(dir: &Path, url: &str) -> esv_replica::Store {
    let mut store = esv_tests::sync_server::team_store(&dir.join("staff.db"));
    esv_replica::sync::login(&store, url, "ana", PASSWORD, "teste").expect("login");
    let day = chrono::NaiveDate::from_ymd_opt(2027, 4, 1).expect("date");
    store
        .set_exception("es-vitoria", day, Vec::new(), "mutirão", now())
        .expect("edit");
    esv_replica::sync::sync(&mut store, None, now(), &mut |_| {}).expect("push");
    store
}

/// The reasons of the closures of es-vitoria that `store` holds.
pub fn reasons_in(store: &esv_replica::Store) -> Vec<String> {
    use esv_shared::document::{DocKind, Entity};
    store
        .entities(DocKind::Office)
        .expect("offices")
        .into_iter()
        .filter_map(|e| match e {
            Entity::Office(o) if o.id == "es-vitoria" => Some(o.schedule.exceptions),
            _ => None,
        })
        .flatten()
        .map(|x| x.reason)
        .collect()
}

/// Everything `server` wrote to its stderr (its log), once it has closed it.
pub fn read_log(server: &mut Child) -> String {
    use std::io::Read;
    let mut log = String::new();
    server
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    log
}
