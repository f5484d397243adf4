//! The Leptos user interface (client-side rendered, wasm32): screens for finding services,
//! knowing whether a place is open now, and reading rights. Talks to the app only through
//! [`api`].

pub mod api;
mod app;
mod common;
mod home;
mod pictogram;
mod rights;
pub mod route;
mod service_card;
mod service_page;
mod sync_bar;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
