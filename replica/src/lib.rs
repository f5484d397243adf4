//! The device's copy of the world: a SQLite store of automerge documents (the source of truth)
//! and their projections, the bundled catalog, search, open-now views. Knows nothing of Tauri.

pub mod accounts;
pub mod audit;
pub mod bundled;
pub mod catalog_views;
mod consent_term;
pub mod dispatch;
pub mod drafts;
pub mod edit;
mod encrypted;
pub mod entry;
mod erasure;
pub mod error;
pub mod field;
pub mod files;
mod gate_views;
pub mod hsds;
mod ids;
pub mod index;
pub mod merge;
pub mod migrations;
pub mod office_views;
pub mod opportunities;
pub mod paths;
mod person_rights;
mod personal;
mod plan;
mod projection;
pub mod queue;
pub mod releases;
pub mod reports;
pub mod request_views;
pub mod requests;
pub mod review;
pub mod search;
pub mod session;
pub mod slip;
mod stem;
pub mod store;
pub mod sync;
mod sync_error;
#[cfg(feature = "synthetic")]
pub mod synthetic;
pub mod team_views;
pub mod vault;
pub mod views;
pub mod worklist;

pub use encrypted::{EncryptStep, StoreKey};
pub use error::{ReplicaError, Result};
pub use store::{OpenNotice, Store};
pub use vault::Pin;
