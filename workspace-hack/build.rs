//! Present so that cargo also applies the workspace-hack's build-dependencies (see `lib.rs`).
fn main() {}
