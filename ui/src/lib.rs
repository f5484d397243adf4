//! The Leptos user interface.
