//! What the store's tests share: a fresh store in a temporary folder, and a team account put
//! on it without a server (the role and office a test needs).
#![allow(dead_code)] // each test file uses what it needs

use esv_replica::sync::Account;
use esv_replica::Store;
use esv_shared::sync::{Role, Session};

/// A new store file in a folder deleted when the first value is dropped.
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::open(&dir.path().join("store.db")).expect("open");
    (dir, store)
}

/// Signs the store in as "bia" with `role` at `office` (no server: nothing is sent).
pub fn sign_in(store: &mut Store, role: Role, office: &str) {
    store
        .set_account(&Account {
            server: "http://127.0.0.1:9".into(),
            session: Session {
                device: "d1".into(),
                token: "t".into(),
                role,
                office: office.into(),
                username: Some("bia".into()),
            },
        })
        .expect("account");
}
