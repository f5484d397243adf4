//! The workspace-hack: one set of features for every third-party crate in the native builds, so
//! `cargo test -p X`, `cargo build -p esv-app` and the workspace's tests share one build instead
//! of each compiling serde and tokio again with its own features. Managed by `cargo hakari`:
//! after changing a dependency, run `cargo hakari generate && cargo hakari manage-deps`.
