//! End-to-end test helpers: a tiny W3C WebDriver client and a harness that runs the real app
//! under Xvfb and WebKitWebDriver; a real sync server on a real port.

pub mod decoders;
pub mod faulty_link;
pub mod harness;
pub mod postgres;
pub mod sync_server;
pub mod webdriver;
