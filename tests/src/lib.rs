//! End-to-end test helpers: a tiny W3C WebDriver client and a harness that runs the real app
//! under Xvfb and WebKitWebDriver.

pub mod harness;
pub mod webdriver;
