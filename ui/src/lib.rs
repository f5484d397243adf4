//! The Leptos user interface (client-side rendered, wasm32): screens for finding services,
//! knowing whether a place is open now, reading rights, asking the office for help; and, for
//! the office's teams behind a PIN, busca ativa and the office console (requests, catalog,
//! reports, people, access log, accounts). Talks to the app only through
//! [`api`]. Its words are in `locales/` (pt-BR and es), compiled by `build.rs` into [`i18n`].

mod accounts;
pub mod api;
mod app;
mod catalog_editor;
mod common;
mod encounter;
mod home;
mod lang;
pub mod locale;
mod near_me;
mod needs;
mod office;
mod opportunities;
mod person;
mod person_manage;
mod pictogram;
mod plan;
mod queue;
mod reports;
mod requests;
mod rights;
pub mod route;
mod saved;
mod service_card;
mod service_page;
mod share;
mod sync_bar;
mod team;

// The `i18n` module leptos_i18n generates from `locales/*.json`: `Locale`, `use_i18n`, `t!`…
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
