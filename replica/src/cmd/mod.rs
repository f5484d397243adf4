//! `esv` subcommands beyond looking things up: sync (register, login, sync), staff edits of
//! the catalog (hours, closures, HSDS import and export, needs review), requests and busca
//! ativa, monitoring reports, the PIN and wiping the store.

pub mod casework;
pub mod edit;
pub mod gate;
pub mod hsds;
pub mod report;
pub mod sync;
pub mod vault;
