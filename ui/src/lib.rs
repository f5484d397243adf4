//! The citizen app (Leptos CSR, wasm32), the module `index.html` loads first: finding services,
//! knowing whether a place is open now, reading rights, opportunities, asking the office for
//! help — with no account. What it shares with the team's screens — the calls to the app
//! ([`api`]), the words, routes, the frame — is `esv_ui_kit`; the team's and office's screens
//! are another crate and module (`esv-ui-team`, `team.html`), never a dependency of this one: a
//! `#/equipe…` or `#/escritorio…` hash loads that page.

// Natively this crate is built only for its unit tests: its entry point is wasm32-only, so
// the screens look unused there (CI builds with `-D warnings`).
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod app;
mod home;
mod near_me;
mod needs;
mod opportunities;
mod pictogram;
mod requests;
mod rights;
mod saved;
mod service_card;
mod service_page;
mod share;
mod sync_bar;

// The kit's modules under the names the screens use (`crate::api`, `crate::i18n`…).
use esv_ui_kit::{api, common, i18n, locale, request_parts, route};

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    esv_ui_kit::frame::start(route::Page::Citizen, near_me::provide_near_me, app::screen);
}
