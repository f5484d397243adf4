//! What every handler shares: the database, the cached catalog snapshot, the wrong-password
//! throttle and the clock.

use esv_shared::clock::Clock;
use esv_shared::sync::Snapshot;

use crate::db::Db;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    /// The public catalog's last snapshot and the log position it includes: every new device
    /// asks for the same one, so it is built once per change of the catalog.
    pub catalog_snapshot: std::sync::Arc<tokio::sync::Mutex<Option<std::sync::Arc<Snapshot>>>>,
    /// Recent wrong passwords per username (whether or not the account exists).
    pub failures: std::sync::Arc<crate::throttle::Throttle>,
    /// Where every stamp the server writes comes from (revocations, erasures, last seen).
    pub clock: Clock,
}

impl AppState {
    pub fn new(db: Db, clock: Clock) -> AppState {
        AppState {
            db,
            clock,
            catalog_snapshot: Default::default(),
            failures: Default::default(),
        }
    }

    /// Now, as the server stores it (RFC 3339, UTC, seconds).
    pub fn now(&self) -> String {
        self.clock.stamp()
    }
}
