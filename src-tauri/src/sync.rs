//! The app's background sync: a thread with its own connection to the store that syncs at
//! start, every 15 minutes, at once when asked, and — after a failure — again with growing,
//! jittered waits, so the catalog updates by itself when the network returns. A request whose
//! status changed in a sync is told by a notification. A locked device does not sync (its
//! key is not in memory); unlocking wakes the loop.

use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use esv_replica::session::Keyring;
use esv_replica::sync::{self, Backoff};
use esv_replica::{ReplicaError, Store};
use esv_shared::ipc::RequestView;
use esv_shared::ipc::SyncStatusView;

use crate::state::now;

const EVERY: Duration = Duration::from_secs(15 * 60);

/// What the loop tells the person about their requests: called with each request whose
/// status a sync changed, and the person's language (the request's labels are in it).
pub type Notify = Box<dyn Fn(&RequestView, esv_shared::ipc::Locale) + Send>;

/// What the UI asks about sync, and how it asks for one now.
pub struct SyncHandle {
    server: Option<String>,
    wake: Mutex<Sender<()>>,
    status: Arc<Mutex<Shared>>,
}

#[derive(Default)]
struct Shared {
    running: bool,
    problem: Option<String>,
}

impl SyncHandle {
    /// Starts the loop for the store at `path`. `server` is `$ESV_SERVER`; without it (and
    /// without a signed-in account) the loop sleeps and the UI shows nothing about sync.
    pub fn start(keyring: Keyring, server: Option<String>, notify: Notify) -> SyncHandle {
        let (wake, woken) = channel::<()>();
        let status = Arc::new(Mutex::new(Shared::default()));
        let handle = SyncHandle {
            server: server.clone(),
            wake: Mutex::new(wake),
            status: Arc::clone(&status),
        };
        std::thread::spawn(move || {
            let mut backoff = Backoff::default();
            let mut wait = Duration::ZERO;
            loop {
                match woken.recv_timeout(wait) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
                wait = match run_once(&keyring, server.as_deref(), &status, &notify) {
                    Outcome::Done => {
                        backoff.reset();
                        EVERY
                    }
                    Outcome::Retry => backoff.next_delay(Backoff::jitter()),
                    Outcome::Idle => EVERY,
                    Outcome::Wiped => return,
                };
            }
        });
        handle
    }

    pub fn wake(&self) {
        if let Ok(wake) = self.wake.lock() {
            let _ = wake.send(());
        }
    }

    /// The status, read from the app's own connection to the store.
    pub fn view(&self, store: &Store) -> SyncStatusView {
        let (running, problem) = self
            .status
            .lock()
            .map(|s| (s.running, s.problem.clone()))
            .unwrap_or((false, None));
        let account = store.account().ok().flatten();
        let enabled = self.server.is_some() || account.is_some();
        let last = store.last_sync().ok().flatten();
        let pending = store.outgoing_count().unwrap_or(0);
        let label = match last {
            Some(at) => esv_shared::hours::label::synced_at(store.locale(), at, now()),
            None => match store.locale() {
                esv_shared::ipc::Locale::PtBr => "Ainda não sincronizado".to_owned(),
                esv_shared::ipc::Locale::Es => "Todavía no sincronizado".to_owned(),
            },
        };
        SyncStatusView {
            enabled,
            running,
            label,
            problem,
            pending,
            held: store.quarantine_label().ok().flatten(),
        }
    }
}

enum Outcome {
    Done,
    Retry,
    Idle,
    /// The office revoked the device and its data were erased: the loop ends.
    Wiped,
}

fn run_once(
    keyring: &Keyring,
    server: Option<&str>,
    status: &Mutex<Shared>,
    notify: &Notify,
) -> Outcome {
    let mut store: Store = match keyring.open() {
        Ok(store) => store,
        Err(ReplicaError::Locked) => return Outcome::Idle,
        Err(_) => return Outcome::Retry,
    };
    if server.is_none() && !matches!(store.account(), Ok(Some(_))) {
        return Outcome::Idle;
    }
    if let Ok(mut s) = status.lock() {
        s.running = true;
    }
    let before = store.request_statuses().unwrap_or_default();
    let result = sync::sync(&mut store, server, now(), &mut |_| {});
    let (outcome, problem) = match result {
        Ok(_) => {
            for changed in store.changed_requests(&before, now()).unwrap_or_default() {
                notify(&changed, store.locale());
            }
            (Outcome::Done, None)
        }
        Err(e @ (ReplicaError::DeviceWiped | ReplicaError::DeviceRetired)) => {
            keyring.forget();
            (Outcome::Wiped, Some(e.to_string()))
        }
        Err(esv_replica::ReplicaError::Sync(e)) if e.is_transient() => (
            Outcome::Retry,
            Some(
                "Sem conexão com o Escritório Social. Os dados deste aparelho continuam valendo; \
                  tentaremos de novo sozinhos."
                    .to_owned(),
            ),
        ),
        Err(e) => (Outcome::Retry, Some(e.to_string())),
    };
    if let Ok(mut s) = status.lock() {
        s.running = false;
        s.problem = problem;
    }
    outcome
}
