//! The team's and office's screens (Leptos CSR, wasm32), a module of their own loaded by
//! `team.html`: busca ativa behind a PIN (sign-in, encounters, people, slips, plans) and the
//! office console (requests, catalog, reports, the gate's list, access log, accounts). What they share with the
//! citizen app — the calls to the app, the words, routes, the frame — is `esv_ui_kit`; the
//! citizen's screens (`esv-ui`) are not a dependency, and a hash of theirs loads `index.html`.

// Natively this crate is built only for its unit tests: its entry point is wasm32-only, so
// the screens look unused there (CI builds with `-D warnings`).
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod accounts;
mod app;
mod catalog_editor;
mod encounter;
mod office;
mod person;
mod person_manage;
mod person_rights;
mod plan;
mod queue;
mod releases;
mod reports;
mod team;
mod worklist;

// The kit's modules under the names the screens use (`crate::api`, `crate::i18n`…).
use esv_ui_kit::{api, common, i18n, locale, request_parts, route};

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    esv_ui_kit::frame::start(route::Page::Team, || {}, app::screen);
}
