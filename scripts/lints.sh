#!/usr/bin/env bash
# The lints and the UI's native unit tests, by hand, in their own target folder (target/lint).
# scripts/test.sh does not call this: it lints during its one build (clippy-driver as the
# workspace's compiler), which checks the same crates with the same `-D warnings`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="$PWD/target/lint"
cargo clippy --all-targets --features esv-replica/synthetic --quiet -- -D warnings
# The three UI crates (the kit, the citizen app, the team's app) for the target they ship on.
cargo clippy -p esv-ui-kit -p esv-ui -p esv-ui-team --target wasm32-unknown-unknown --quiet -- -D warnings
cargo fmt --check
# The UI crates' unit tests, natively (their wasm build is scripts/build-ui.sh).
cargo test -p esv-ui-kit -p esv-ui -p esv-ui-team --lib --quiet
