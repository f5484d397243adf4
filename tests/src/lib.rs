//! End-to-end test helpers: a tiny W3C WebDriver client and a harness that runs the real app
//! under Xvfb and WebKitWebDriver; headless Chromium with the UI served by a bridge to the real
//! store, and axe-core; a real sync server on a real port.

pub mod axe;
pub mod chrome;
pub mod decoders;
pub mod faulty_link;
pub mod harness;
pub mod postgres;
pub mod sqlcipher_pages;
pub mod sync_server;
pub mod ui_bridge;
pub mod webdriver;
