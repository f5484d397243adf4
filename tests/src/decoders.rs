//! Every decoder of bytes that come from outside, as one function each: the fuzz targets in
//! `fuzz/` (cargo-fuzz, nightly) and the stable replay test `tests/tests/fuzz_replay.rs` call
//! these, so both exercise the real code. Errors are fine; a panic or a hang is a bug.

use automerge::{Automerge, Change};
use esv_shared::document;
use esv_shared::sync::{Principal, Role, SyncResponse};

/// A decoder under test: takes any bytes, must not panic.
pub type Target = fn(&[u8]);

/// The names of the targets, as `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("server_sync_body", server_sync_body),
    ("replica_sync_response", replica_sync_response),
    ("saved_document", saved_document),
    ("catalog_bundle", catalog_bundle),
];

/// What the server makes of a `POST /v1/sync` body from a staff device.
pub fn server_sync_body(bytes: &[u8]) {
    let who = Principal {
        device: "dev-fuzz".into(),
        role: Role::Staff,
        office: "es-vitoria".into(),
    };
    let _ = esv_server::routes::decode_sync(bytes, Some(&who));
}

/// What a device makes of a sync answer: the body, each pulled change, the document it builds.
pub fn replica_sync_response(bytes: &[u8]) {
    let Ok(response) = serde_json::from_slice::<SyncResponse>(bytes) else {
        return;
    };
    let mut doc = Automerge::new();
    let changes: Vec<Change> = response
        .pull
        .into_iter()
        .filter_map(|p| Change::from_bytes(p.change).ok())
        .collect();
    // As the replica applies them: a panic inside automerge becomes a refused answer.
    if esv_replica::sync::untrusted("fuzz", || doc.apply_changes(changes)).is_ok() {
        let _ = document::read(&doc);
        let _ = document::conflicts(&doc);
    }
}

/// A saved document (a snapshot from the server, a row of the local store).
pub fn saved_document(bytes: &[u8]) {
    if let Ok(doc) = esv_replica::sync::untrusted("fuzz", || Automerge::load(bytes)) {
        let _ = document::read(&doc);
        let _ = document::conflicts(&doc);
    }
}

/// The catalog bundle embedded in the app.
pub fn catalog_bundle(bytes: &[u8]) {
    let _ = esv_catalog::decode_bundle(bytes);
}
