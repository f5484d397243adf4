//! `esv` subcommands beyond looking things up: sync (register, login, sync) and staff edits
//! of the catalog (hours, closures).

pub mod edit;
pub mod sync;
