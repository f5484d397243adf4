//! The domain of Escritório Social Virtual, shared by the UI (wasm32) and the native crates.
//!
//! Invariant: no I/O and no clock here. Everything that depends on time takes `now`, or a
//! [`clock::Clock`] its caller made.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod clock;
pub mod consent;
#[cfg(feature = "documents")]
pub mod document;
pub mod domain;
pub mod geo;
pub mod holidays;
pub mod hours;
pub mod ipc;
pub mod lenient;
pub mod locale;
pub mod matching;
pub mod needs;
pub mod people;
pub mod release;
pub mod report;
pub mod requests;
pub mod share;
pub mod slip;
pub mod sync;
pub mod text;
pub mod translation;
pub mod words;
