//! What both wasm UIs share (the citizen app in `ui/`, the team and office screens in
//! `ui-team/`): [`api`], the only module that calls the app; the words of both in `locales/`
//! (pt-BR and es), compiled by `build.rs` into [`i18n`]; [`route`], every screen as a URL hash
//! and the page that serves it; [`frame`], the top bar and the screen a hash names; and the
//! small pieces several screens use. It holds no screen of its own.

pub mod api;
pub mod common;
pub mod frame;
mod lang;
pub mod locale;
pub mod request_parts;
pub mod route;

// The `i18n` module leptos_i18n generates from `locales/*.json`: `Locale`, `use_i18n`, `t!`…
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
