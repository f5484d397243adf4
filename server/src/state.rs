//! What every handler shares: the database, the cached catalog snapshot, the front door's
//! throttle and settings, the bound on Argon2 verifications at once, and the clock.

use std::time::Duration;

use esv_shared::clock::Clock;
use esv_shared::sync::Snapshot;

use crate::db::Db;

/// The server's settings (`esv-server serve --…`), each with a default fit for most offices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Days a team device (field worker, staff, coordinator) may go without contacting the
    /// server before its token is refused and its user must sign in again. Citizen devices
    /// keep theirs.
    pub team_idle_days: u32,
    /// Believe the last address of `X-Forwarded-For`: only behind a proxy that sets it.
    pub trust_forwarded: bool,
    /// Anonymous registrations (citizen devices) accepted per source in an hour.
    pub registrations_per_hour: u32,
    /// After SIGTERM or Ctrl-C, how long requests in flight may take to finish before the
    /// server stops anyway.
    pub shutdown_grace: Duration,
    /// The longest a request may take, its body read included, before it is answered 503:
    /// the app's own client gives up at 120 s, and pushes are sized to cross a 64 kbit/s
    /// link in under 60 s, so past this nobody waits for the answer any more.
    pub request_timeout: Duration,
    /// How long a connection may take to send a request's head (and stay idle between
    /// requests) before it is closed: a client sending its head byte by byte (slow loris)
    /// holds a connection no longer than this.
    pub header_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            team_idle_days: 30,
            trust_forwarded: false,
            registrations_per_hour: 60,
            shutdown_grace: Duration::from_secs(30),
            request_timeout: Duration::from_secs(120),
            header_timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    /// The public catalog's last snapshot and the log position it includes: every new device
    /// asks for the same one, so it is built once per change of the catalog.
    pub catalog_snapshot: std::sync::Arc<tokio::sync::Mutex<Option<std::sync::Arc<Snapshot>>>>,
    /// Wrong passwords and registrations, counted in the database (`crate::throttle`).
    pub throttle: std::sync::Arc<crate::throttle::Throttle>,
    /// Argon2 verifications running at once, at most one per core: each holds 19 MiB, so
    /// a crowd of sign-ins waits its turn instead of taking the server's memory.
    pub argon2: std::sync::Arc<tokio::sync::Semaphore>,
    pub settings: Settings,
    /// Where every stamp the server writes comes from (revocations, erasures, last seen),
    /// and the throttle's and idle devices' "now".
    pub clock: Clock,
}

impl AppState {
    pub fn new(db: Db, clock: Clock) -> AppState {
        AppState::with_settings(db, clock, Settings::default())
    }

    pub fn with_settings(db: Db, clock: Clock, settings: Settings) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        AppState {
            db,
            clock,
            settings,
            catalog_snapshot: Default::default(),
            throttle: Default::default(),
            argon2: std::sync::Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }

    /// Now, as the server stores it (RFC 3339, UTC, seconds).
    pub fn now(&self) -> String {
        self.clock.stamp()
    }
}
