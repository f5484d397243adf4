//! `esv` subcommands beyond looking things up: sync (register, login, sync) and staff edits
//! of the catalog (hours, closures), the PIN and wiping the store.

pub mod edit;
pub mod sync;
pub mod vault;
