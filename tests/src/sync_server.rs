//! A real `esv-server` for tests: the axum app on a real port of 127.0.0.1, with its own
//! SQLite file, run on a tokio runtime in a background thread; two offices and one account of
//! each role already made. Dropping it stops the server. Its clock is a manual one, at
//! [`SERVER_START`] unless a test says otherwise, so nothing it stamps depends on today.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use esv_server::{admin, Clock, Db, Settings};
use esv_shared::clock::ManualClock;
use esv_shared::sync::Role;
use tokio::sync::oneshot;

/// Every test account's password.
pub const PASSWORD: &str = "senha-de-teste-123";
/// Where a test server's clock starts.
pub const SERVER_START: &str = "2026-12-01T13:00:00Z";
/// The PIN of every team device's store in the tests.
pub const TEAM_PIN: &str = "482915";

/// The Argon2id cost of test team stores: the least Argon2 allows, so suites that make
/// hundreds of them stay fast (the app's own cost is tested in replica's `tests/vault.rs`).
pub const TEST_KDF: esv_replica::vault::KdfParams = esv_replica::vault::KdfParams {
    memory_kib: 8,
    passes: 1,
    lanes: 1,
};

/// A team device's store at `path`, protected by [`TEAM_PIN`] (made so if it is new or
/// plain: a team account only signs into such a store) and opened with it.
pub fn team_store(path: &Path) -> esv_replica::Store {
    let pin = esv_replica::Pin::new(TEAM_PIN).expect("pin");
    if !esv_replica::vault::is_encrypted(path) {
        esv_replica::Store::encrypt_with_cost(path, &pin, TEST_KDF, None)
            .expect("protect with the PIN");
    }
    let at: DateTime<Utc> = SERVER_START.parse().expect("instant");
    esv_replica::Store::open_with_pin(path, &pin, at)
        .expect("open with the PIN")
        .0
}

pub struct TestServer {
    pub url: String,
    /// The database: a SQLite path or a postgres:// URL.
    pub db_url: String,
    pub db_path: PathBuf,
    pub runtime: tokio::runtime::Runtime,
    /// The server's clock, and the hand that moves it.
    pub clock: Clock,
    pub hand: ManualClock,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Offices `es-vitoria` and `rr-boa-vista`; accounts `coord`, `ana` (staff), `bia`
    /// (staff), `caio` (field worker) in Vitória and `rui` (staff) in Boa Vista.
    pub fn start() -> TestServer {
        TestServer::start_at(SERVER_START.parse().expect("instant"))
    }

    /// The same, with the server's clock at `at`.
    pub fn start_at(at: DateTime<Utc>) -> TestServer {
        TestServer::start_with(at, Settings::default())
    }

    /// The same, with the server's clock at `at` and these settings.
    pub fn start_with(at: DateTime<Utc>, settings: Settings) -> TestServer {
        let (clock, hand) = Clock::manual(at);
        let dir = tempfile::tempdir().expect("tempdir");
        let db_path = dir.path().join("server.db");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        // `ESV_TEST_BACKEND=postgres`: the same tests on a fresh database of a temporary
        // PostgreSQL cluster.
        let url = match std::env::var("ESV_TEST_BACKEND").as_deref() {
            Ok("postgres") => crate::postgres::TempCluster::get().new_database(),
            _ => db_path.display().to_string(),
        };
        let db_url = url.clone();
        let (db, listener) = runtime.block_on(async {
            let db = Db::open(&url).await.expect("db");
            admin::add_office(&db, "es-vitoria", "Escritório Social de Vitória")
                .await
                .expect("office");
            admin::add_office(&db, "rr-boa-vista", "Escritório Social de Roraima")
                .await
                .expect("office");
            for (user, office, role) in [
                ("coord", "es-vitoria", Role::Coordinator),
                ("ana", "es-vitoria", Role::Staff),
                ("bia", "es-vitoria", Role::Staff),
                ("caio", "es-vitoria", Role::FieldWorker),
                ("rui", "rr-boa-vista", Role::Staff),
            ] {
                admin::add_user(&db, user, office, role, PASSWORD)
                    .await
                    .expect("user");
            }
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            (db, listener)
        });
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let served = clock.clone();
        runtime.spawn(async move {
            let _ = esv_server::serve_with(listener, db, served, settings, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            url,
            db_url,
            db_path,
            runtime,
            clock,
            hand,
            stop: Some(stop),
            _dir: dir,
        }
    }

    /// A second server instance over `first`'s database (both SQLite on one file, or both
    /// on one PostgreSQL database), on a port of its own, on `first`'s clock.
    pub fn beside(first: &TestServer) -> TestServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let db_url = first.db_url.clone();
        let (db, listener) = runtime.block_on(async {
            let db = Db::open(&db_url).await.expect("db");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            (db, listener)
        });
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let served = first.clock.clone();
        runtime.spawn(async move {
            let _ = esv_server::serve(listener, db, served, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            url,
            db_url,
            db_path: first.db_path.clone(),
            runtime,
            clock: first.clock.clone(),
            hand: first.hand.clone(),
            stop: Some(stop),
            _dir: dir,
        }
    }

    /// A handle on the server's database, for administration during a test.
    pub fn db(&self) -> Db {
        self.runtime.block_on(Db::open(&self.db_url)).expect("db")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
