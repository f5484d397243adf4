//! Stores encrypted at rest, on real files: no plaintext in the file or its WAL, wrong PINs
//! change nothing and wait longer and longer, a locked store is never moved aside, a plain
//! store encrypted keeps its data (even if stopped between steps), search works, wipe leaves
//! nothing, and a revoked device wipes itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use esv_replica::{sync, EncryptStep, Pin, ReplicaError, Store};
use esv_shared::domain::{Opportunity, OpportunityKind};
use esv_shared::ipc::SearchRequest;

const NAME: &str = "Maria Aparecida Teste";
const ESV: &str = env!("CARGO_BIN_EXE_esv");

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T10:00:00-03:00")
        .expect("date")
        .with_timezone(&Utc)
}

/// A moment by the wall clock `at` and the boot clock (`boot`, `uptime` seconds).
fn booted(boot: &str, uptime: i64, at: DateTime<Utc>) -> esv_replica::vault::Moment {
    esv_replica::vault::Moment {
        wall: at,
        boot: Some(esv_replica::vault::BootMark {
            boot: boot.to_owned(),
            uptime_secs: u64::try_from(uptime).expect("uptime"),
        }),
    }
}

/// A passphrase opens a store as a PIN does.
#[test]
fn a_passphrase_protects_a_store_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("frase.db");
    let phrase = pin("o sol nasce em Vitória");
    Store::encrypt_with_pin(&path, &phrase).expect("protect");
    Store::open_with_pin(&path, &pin("o sol nasce em vitória"), now()).expect_err("wrong case");
    let (store, _) = Store::open_with_pin(&path, &phrase, now()).expect("open");
    assert!(store.is_encrypted());
}

fn pin(text: &str) -> Pin {
    Pin::new(text).expect("pin")
}

fn opportunity(title: &str) -> Opportunity {
    Opportunity {
        id: "vaga-teste".to_owned(),
        office_id: "es-vitoria".to_owned(),
        kind: OpportunityKind::Job,
        title: title.to_owned(),
        description: "Auxiliar de cozinha, contato com a equipe do Escritório Social".to_owned(),
        deadline: NaiveDate::from_ymd_opt(2027, 1, 31).expect("date"),
        requirements: vec!["ensino fundamental".to_owned()],
        reviewed_on: now().date_naive(),
    }
}

fn side(path: &Path, ext: &str) -> PathBuf {
    PathBuf::from(format!("{}{ext}", path.display()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The name in UTF-8, UTF-16LE and UTF-16BE.
fn forms(text: &str) -> Vec<Vec<u8>> {
    let le = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    vec![text.as_bytes().to_vec(), le, be]
}

fn shows_name(path: &Path) -> bool {
    [path.to_owned(), side(path, "-wal")].iter().any(|p| {
        let bytes = std::fs::read(p).unwrap_or_default();
        forms(NAME).iter().any(|f| contains(&bytes, f))
    })
}

fn encrypted_store(dir: &Path, pin_text: &str) -> PathBuf {
    let path = dir.join("campo.db");
    Store::encrypt_with_pin(&path, &pin(pin_text)).expect("encrypt a new store");
    path
}

fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    files
}

fn opportunity_titles(store: &mut Store) -> Vec<String> {
    store
        .opportunities(now())
        .expect("opportunities")
        .into_iter()
        .map(|o| o.title)
        .collect()
}

#[test]
fn neither_the_file_nor_its_wal_holds_plaintext() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Plain: the name is there to read (so this test can fail).
    let plain = dir.path().join("plain.db");
    let (mut store, _) = Store::open(&plain).expect("plain");
    store
        .put_opportunity(opportunity(NAME), now())
        .expect("write");
    assert!(side(&plain, "-wal").exists(), "the WAL is still there");
    assert!(shows_name(&plain), "a plain store shows the name");
    drop(store);

    let path = encrypted_store(dir.path(), "246810");
    let (mut store, _) = Store::open_with_pin(&path, &pin("246810"), now()).expect("open");
    store
        .put_opportunity(opportunity(NAME), now())
        .expect("write");
    let wal = std::fs::read(side(&path, "-wal")).expect("the WAL is still there");
    assert!(!wal.is_empty());
    assert!(
        !shows_name(&path),
        "no plaintext in the encrypted file or its WAL"
    );
    assert_eq!(opportunity_titles(&mut store), [NAME]);
    drop(store);
    assert!(!shows_name(&path), "nor after the WAL is folded in");
    let head = std::fs::read(&path).expect("read");
    assert!(!head.starts_with(b"SQLite format 3"));
    let key = std::fs::read_to_string(side(&path, ".key")).expect("key file");
    assert!(!key.contains("246810"), "the key file never holds the PIN");
}

#[test]
fn a_wrong_pin_changes_nothing_and_the_right_one_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = encrypted_store(dir.path(), "135790");
    let (mut open, _) = Store::open_with_pin(&path, &pin("135790"), now()).expect("open");
    open.put_opportunity(opportunity(NAME), now())
        .expect("write");
    // Keep `open` open: the WAL stays beside the file while the wrong PINs are tried.
    let before = (
        std::fs::read(&path).expect("db"),
        std::fs::read(side(&path, "-wal")).expect("wal"),
    );
    for attempt in 0..2 {
        let e = Store::open_with_pin(&path, &pin("000000"), now()).expect_err("wrong PIN");
        assert!(
            matches!(e, ReplicaError::WrongPin { wait_seconds: 0 }),
            "{attempt}: {e:?}"
        );
        assert_eq!(e.to_string(), "PIN errado. Tente de novo.");
    }
    let after = (
        std::fs::read(&path).expect("db"),
        std::fs::read(side(&path, "-wal")).expect("wal"),
    );
    assert!(before == after, "db and WAL byte for byte as before");
    let (mut again, notice) =
        Store::open_with_pin(&path, &pin("135790"), now()).expect("right PIN");
    assert_eq!(notice, None);
    assert!(again.is_encrypted());
    assert_eq!(opportunity_titles(&mut again), [NAME]);
    let key = esv_replica::vault::KeyFile::read(&path).expect("key file");
    assert_eq!((key.failed_attempts, key.last_failure), (0, None));
}

#[test]
fn after_three_wrong_pins_each_attempt_waits_longer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = encrypted_store(dir.path(), "112233");
    let wrong = pin("999999");
    let t0 = now();
    // The machine's boot clock keeps pace with the wall clock here.
    let attempt = |at: DateTime<Utc>, p: &Pin| {
        Store::open_with_pin(&path, p, booted("b1", 1_000 + (at - t0).num_seconds(), at))
            .map(|_| ())
    };
    for (i, expected_wait) in [0, 0, 30].into_iter().enumerate() {
        match attempt(t0, &wrong) {
            Err(ReplicaError::WrongPin { wait_seconds }) => {
                assert_eq!(wait_seconds, expected_wait, "attempt {i}");
            }
            other => panic!("attempt {i}: {other:?}"),
        }
    }
    let key_before = std::fs::read(side(&path, ".key")).expect("key");
    // During the wait even the right PIN is not tried.
    let started = std::time::Instant::now();
    match attempt(t0 + Duration::seconds(10), &pin("112233")) {
        Err(ReplicaError::PinWait { seconds: 20 }) => {}
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < std::time::Duration::from_millis(100),
        "no derivation"
    );
    assert_eq!(std::fs::read(side(&path, ".key")).expect("key"), key_before);
    let e = attempt(t0 + Duration::seconds(10), &wrong).expect_err("wait");
    assert_eq!(
        e.to_string(),
        "Muitas tentativas com PIN errado. Espere 20 segundos e tente de novo."
    );
    let t1 = t0 + Duration::seconds(30);
    match attempt(t1, &wrong) {
        Err(ReplicaError::WrongPin { wait_seconds: 60 }) => {}
        other => panic!("{other:?}"),
    }
    match attempt(t1 + Duration::seconds(59), &wrong) {
        Err(ReplicaError::PinWait { seconds: 1 }) => {}
        other => panic!("{other:?}"),
    }
    let t2 = t1 + Duration::seconds(60);
    match attempt(t2, &wrong) {
        Err(e @ ReplicaError::WrongPin { wait_seconds: 120 }) => {
            assert_eq!(
                e.to_string(),
                "PIN errado. Espere 2 minutos para tentar de novo."
            );
        }
        other => panic!("{other:?}"),
    }
    attempt(t2 + Duration::seconds(120), &pin("112233")).expect("the right PIN after the wait");
    // The count starts again.
    match attempt(t2 + Duration::seconds(121), &wrong) {
        Err(ReplicaError::WrongPin { wait_seconds: 0 }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_locked_store_is_refused_and_never_moved_aside() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = encrypted_store(dir.path(), "314159");
    let before = files_in(dir.path());
    let e = Store::open(&path).expect_err("locked");
    assert!(matches!(e, ReplicaError::Locked), "{e:?}");
    assert_eq!(
        e.to_string(),
        "Este aparelho está protegido por PIN. Digite o PIN para abrir."
    );
    assert_eq!(
        files_in(dir.path()),
        before,
        "nothing moved, nothing written"
    );
    let (mut store, _) = Store::open_with_pin(&path, &pin("314159"), now()).expect("open");
    assert!(store.status().expect("status").services > 0);
}

#[test]
fn a_plain_store_encrypted_keeps_all_its_data_and_search_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("equipe.db");
    let search = |store: &mut Store| {
        let request = SearchRequest {
            text: "documento de identidade".to_owned(),
            limit: Some(50),
            ..Default::default()
        };
        store
            .search(&request, now())
            .expect("search")
            .into_iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
    };
    let (plain_status, plain_found, plain_docs) = {
        let (mut store, _) = Store::open(&path).expect("plain");
        store
            .set_exception(
                "es-vitoria",
                NaiveDate::from_ymd_opt(2026, 12, 24).expect("date"),
                Vec::new(),
                "Véspera de Natal",
                now(),
            )
            .expect("edit");
        store
            .put_opportunity(opportunity(NAME), now())
            .expect("write");
        let status = store.status().expect("status");
        (
            status,
            search(&mut store),
            store.document_ids().expect("ids"),
        )
    };
    assert!(!plain_found.is_empty());

    // Stopped after the copy, or after the key file: the plain store still opens, whole.
    for stop in [EncryptStep::CopyWritten, EncryptStep::KeyWritten] {
        Store::encrypt_with_pin_until(&path, &pin("271828"), Some(stop)).expect_err("stopped");
        let (mut store, notice) = Store::open(&path).expect("the plain store after a stop");
        assert_eq!(notice, None, "{stop:?}");
        assert!(!store.is_encrypted());
        assert_eq!(store.document_ids().expect("ids"), plain_docs, "{stop:?}");
        assert_eq!(opportunity_titles(&mut store), [NAME]);
    }

    Store::encrypt_with_pin(&path, &pin("271828")).expect("encrypt");
    assert!(matches!(Store::open(&path), Err(ReplicaError::Locked)));
    assert!(!shows_name(&path));
    let leftovers: Vec<String> = files_in(dir.path()).into_iter().map(|(n, _)| n).collect();
    assert_eq!(leftovers, ["equipe.db", "equipe.db.key"]);
    let (mut store, _) = Store::open_with_pin(&path, &pin("271828"), now()).expect("open");
    assert_eq!(store.document_ids().expect("ids"), plain_docs);
    assert_eq!(store.status().expect("status"), plain_status);
    assert_eq!(opportunity_titles(&mut store), [NAME]);
    assert_eq!(
        search(&mut store),
        plain_found,
        "full-text search, encrypted"
    );
    assert_eq!(
        store.schema_version().expect("v"),
        esv_replica::migrations::latest()
    );
    store.rebuild_projections().expect("rebuild");
    assert_eq!(search(&mut store), plain_found);
    drop(store);

    let e = Store::encrypt_with_pin(&path, &pin("271828")).expect_err("already");
    assert!(e.to_string().contains("já está protegido"), "{e}");

    // A new PIN: the old one no longer opens it.
    Store::change_pin(&path, &pin("271828"), &pin("16180339"), now()).expect("change");
    assert!(matches!(
        Store::open_with_pin(&path, &pin("271828"), now()),
        Err(ReplicaError::WrongPin { .. })
    ));
    let (mut store, _) = Store::open_with_pin(&path, &pin("16180339"), now()).expect("new PIN");
    assert_eq!(search(&mut store), plain_found);
}

#[test]
fn wipe_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = encrypted_store(dir.path(), "123789");
    {
        let (mut store, _) = Store::open_with_pin(&path, &pin("123789"), now()).expect("open");
        store
            .put_opportunity(opportunity(NAME), now())
            .expect("write");
    }
    assert!(!files_in(dir.path()).is_empty());
    Store::wipe(&path).expect("wipe");
    assert_eq!(files_in(dir.path()), Vec::new());
    Store::wipe(&path).expect("wiping nothing is fine");
    // Afterwards the device starts again from the bundled catalog, unencrypted.
    let (store, _) = Store::open(&path).expect("fresh");
    assert!(!store.is_encrypted());
}

#[test]
fn pins_are_six_digits_or_more_or_a_long_passphrase() {
    let check = |text: &str, ok: Option<&str>| match (Pin::new(text), ok) {
        (Ok(_), None) => {}
        (Err(e), Some(start)) => assert!(e.to_string().starts_with(start), "{text}: {e}"),
        (got, want) => panic!("{text}: {got:?}, wanted {want:?}"),
    };
    check("123456", None);
    check("1234567890123", None);
    check("  246810  ", None);
    check("o sol nasce em Vitória", None);
    check(
        "12345",
        Some("o PIN deve ter de 6 a 64 números (este tem 5)"),
    );
    check(&"1".repeat(65), Some("o PIN deve ter"));
    check(
        "abcdef",
        Some("a frase secreta deve ter de 12 a 128 caracteres (esta tem 6)"),
    );
    check("12 34 56", Some("a frase secreta deve ter"));
    check(&"á".repeat(129), Some("a frase secreta deve ter"));
}

#[test]
fn pin_derivation_takes_a_few_tenths_of_a_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = encrypted_store(dir.path(), "555555");
    // Three wrong PINs: each derives the key once (the wait begins after the third).
    let runs = 3;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let e = Store::open_with_pin(&store, &pin("000001"), now()).expect_err("wrong");
        assert!(matches!(e, ReplicaError::WrongPin { .. }), "{e:?}");
    }
    let each = started.elapsed() / runs;
    println!(
        "PIN derivation, Argon2id {:?}: {:.0} ms per attempt",
        esv_replica::vault::DEFAULT_PARAMS,
        each.as_secs_f64() * 1000.0
    );
    assert!(each < std::time::Duration::from_secs(3), "{each:?}");
}

#[test]
fn the_cli_sets_a_pin_and_opens_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cli.db");
    let esv = |args: &[&str], env_pin: Option<&str>| {
        let mut cmd = Command::new(ESV);
        cmd.arg("--store")
            .arg(&path)
            .args(args)
            .env_remove("ESV_PIN");
        if let Some(p) = env_pin {
            cmd.env("ESV_PIN", p);
        }
        let out = cmd.output().expect("esv");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = esv(&["--pin", "482915", "pin", "set"], None);
    assert!(ok, "{out}{err}");
    assert!(out.contains("protegidos por PIN"), "{out}");
    let (ok, _, err) = esv(&["status"], None);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "erro: Este aparelho está protegido por PIN. Digite o PIN para abrir. (use --pin ou a variável ESV_PIN)"
    );
    let (ok, _, err) = esv(&["--pin", "111111", "status"], None);
    assert!(!ok);
    assert_eq!(err.trim(), "erro: PIN errado. Tente de novo.");
    let (ok, out, err) = esv(&["status"], Some("482915"));
    assert!(ok, "{err}");
    assert!(out.contains("Serviços:"), "{out}");
    let (ok, _, err) = esv(&["--pin", "12ab", "status"], None);
    assert!(!ok);
    assert!(
        err.starts_with("erro: a frase secreta deve ter de 12"),
        "{err}"
    );
    let (ok, _, err) = esv(&["wipe"], None);
    assert!(!ok && err.contains("--yes"), "{err}");
    let (ok, out, err) = esv(&["wipe", "--yes"], None);
    assert!(ok, "{err}");
    assert!(out.contains("Dados apagados"), "{out}");
    assert_eq!(files_in(dir.path()), Vec::new());
}

#[test]
fn a_revoked_device_with_an_encrypted_store_wipes_itself() {
    use esv_server::{admin, Db};
    use esv_shared::sync::Role;
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server_db = dir.path().join("server.db").display().to_string();
    let (db, url) = runtime.block_on(async {
        let db = Db::open(&server_db).await.expect("db");
        admin::add_office(&db, "es-vitoria", "ES")
            .await
            .expect("office");
        admin::add_user(&db, "ana", "es-vitoria", Role::Staff, "senha-de-teste-123")
            .await
            .expect("user");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(esv_server::serve(
            listener,
            db.clone(),
            esv_server::Clock::fixed("2026-12-01T13:00:00Z".parse().expect("instant")),
            std::future::pending(),
        ));
        (db, url)
    });
    let device_dir = dir.path().join("aparelho");
    let path = encrypted_store(&device_dir, "864200");
    let (mut store, _) = Store::open_with_pin(&path, &pin("864200"), now()).expect("open");
    let account = sync::login(&store, &url, "ana", "senha-de-teste-123", "campo").expect("login");
    store
        .put_opportunity(opportunity(NAME), now())
        .expect("write");
    sync::sync(&mut store, None, now(), &mut |_| {}).expect("first sync");
    runtime
        .block_on(admin::revoke_device(
            &db,
            &account.session.device,
            &esv_server::Clock::fixed("2026-12-01T13:00:00Z".parse().expect("instant")),
        ))
        .expect("revoke");
    let e = sync::sync(&mut store, None, now(), &mut |_| {}).expect_err("revoked");
    assert!(matches!(e, ReplicaError::DeviceWiped), "{e:?}");
    assert!(
        e.to_string().contains("dados protegidos foram apagados"),
        "{e}"
    );
    assert_eq!(
        files_in(&device_dir),
        Vec::new(),
        "nothing left on the device"
    );
    assert!(
        store.document_ids().is_err(),
        "the wiped store reads nothing"
    );
}

#[test]
fn a_team_account_never_lives_in_a_plain_store() {
    use esv_shared::sync::{Role, Session};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("equipe.db");
    let (mut store, _) = Store::open(&path).expect("open");
    // Refused before any server is asked (nothing listens on port 9).
    let e = sync::login(&store, "http://127.0.0.1:9", "ana", "senha", "x").expect_err("plain");
    assert!(matches!(e, ReplicaError::NeedsPin), "{e:?}");
    assert!(e.to_string().contains("esv pin set"), "{e}");
    assert_eq!(
        e.to_ipc().kind,
        esv_shared::ipc::IpcErrorKind::NotAllowed,
        "said as a refusal, not as bad input"
    );
    assert!(store.account().expect("account").is_none());

    // A session kept in a plain store from before this rule pulls nothing more into it.
    let account = sync::Account {
        server: "http://127.0.0.1:9".to_owned(),
        session: Session {
            device: "d-antigo".to_owned(),
            token: "t".to_owned(),
            role: Role::Staff,
            office: "es-vitoria".to_owned(),
            username: Some("ana".to_owned()),
        },
    };
    store.set_account(&account).expect("kept from before");
    let e = sync::sync(&mut store, None, now(), &mut |_| {}).expect_err("plain");
    assert!(matches!(e, ReplicaError::NeedsPin), "{e:?}");

    // Protected by a PIN, the same session is kept and sync goes on to the network.
    drop(store);
    Store::encrypt_with_pin(&path, &pin("271828")).expect("protect");
    let (mut store, _) = Store::open_with_pin(&path, &pin("271828"), now()).expect("open");
    assert_eq!(store.account().expect("account"), Some(account));
    let e = sync::sync(&mut store, None, now(), &mut |_| {}).expect_err("offline");
    assert!(
        matches!(e, ReplicaError::Sync(sync::SyncError::Offline(_))),
        "{e:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_store_and_its_key_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let dir = tempfile::tempdir().expect("tempdir");
    let app = dir
        .path()
        .join("dados")
        .join(esv_replica::paths::APP_IDENTIFIER);
    let path = app.join("store.db");
    Store::encrypt_with_pin(&path, &pin("271828")).expect("protect");
    let (mut store, _) = Store::open_with_pin(&path, &pin("271828"), now()).expect("open");
    store
        .put_opportunity(opportunity(NAME), now())
        .expect("write");
    for file in [
        path.clone(),
        side(&path, ".key"),
        side(&path, "-wal"),
        side(&path, "-shm"),
    ] {
        assert!(file.exists(), "{}", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&app), 0o700, "the app's own folder");
    drop(store);

    // A store left world-readable by an older version, in the app's folder opened to others,
    // is closed up when it opens; a wrong PIN rewrites the key file 0600 too.
    for file in [&path, &side(&path, ".key"), &app] {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    Store::open_with_pin(&path, &pin("000000"), now()).expect_err("wrong PIN");
    assert_eq!(mode(&side(&path, ".key")), 0o600);
    Store::open_with_pin(&path, &pin("271828"), now()).expect("open");
    assert_eq!((mode(&path), mode(&app)), (0o600, 0o700));

    // A folder a person chose is theirs; the files in it are still private, and a damaged
    // store kept aside too.
    let chosen = dir.path().join("escolhida");
    std::fs::create_dir(&chosen).expect("dir");
    std::fs::set_permissions(&chosen, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let plain = chosen.join("store.db");
    std::fs::write(&plain, b"isto nao e um banco de dados SQLite, e tem mais de cem bytes para que o SQLite o leia como um arquivo danificado e nao vazio .........").expect("write");
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (_store, notice) = Store::open(&plain).expect("open");
    let Some(esv_replica::OpenNotice::Recovered { kept_at, .. }) = notice else {
        panic!("the damaged file is kept aside: {notice:?}");
    };
    assert_eq!((mode(&plain), mode(&kept_at)), (0o600, 0o600));
    assert_eq!(mode(&chosen), 0o755, "not the app's folder: left as it was");
}

/// Moving the wall clock forward does not end a wait: the boot clock says how long it has
/// really been. A reboot does not end it either: it counts from the boot.
#[test]
fn a_wait_after_wrong_pins_survives_the_clock_moved_forward_and_a_reboot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = encrypted_store(dir.path(), "112233");
    let t0 = now();
    for _ in 0..3 {
        Store::open_with_pin(&path, &pin("999999"), booted("b1", 500, t0)).expect_err("wrong");
    }
    let check = |at, boot: &str, uptime: i64, left: u64| match Store::open_with_pin(
        &path,
        &pin("112233"),
        booted(boot, uptime, at),
    ) {
        Err(ReplicaError::PinWait { seconds }) => assert_eq!(seconds, left),
        other => panic!("{boot} {uptime}: {other:?}"),
    };
    // The clock set a day ahead, ten real seconds later: 20 seconds still to wait.
    check(t0 + Duration::days(1), "b1", 510, 20);
    // Rebooted, and the clock a day ahead: the 5 seconds since the boot are all that count.
    check(t0 + Duration::days(1), "b2", 5, 25);
    // The key file keeps the boot clock of the last wrong PIN (never the PIN or the key).
    let keys = std::fs::read_to_string(side(&path, ".key")).expect("key");
    assert!(keys.contains("failure_boot"), "{keys}");
    // Once the wait has really passed, the right PIN opens.
    Store::open_with_pin(
        &path,
        &pin("112233"),
        booted("b1", 531, t0 + Duration::days(1)),
    )
    .expect("after the real wait");
}
