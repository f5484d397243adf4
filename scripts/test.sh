#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine with rustup: installs what is missing
# (scripts/setup.sh), builds the UI, runs the workspace tests, lints, and the end-to-end test
# of the real app under Xvfb, and the UI in headless Chromium (axe-core, 200% text, keystroke
# latency) over the real store. Screenshots land in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# CI builds once from scratch: incremental caches would only take disk (CI once ran out of it).
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
step() { echo; echo "== $* ($(( $(date +%s) - start ))s)"; }

step setup
bash scripts/setup.sh

step "build the UI (wasm)"
bash scripts/build-ui.sh

step "workspace tests, with the wall clock a year ahead"
# No test may depend on today's date: clocks are injected. The whole workspace suite runs with
# the machine's wall clock moved 366 days ahead (libfaketime), which fails any test that reads
# it where it should take an injected one. Only the test processes run under faketime (as
# cargo's target runner): cargo-nextest itself hangs with libfaketime preloaded.
FAKETIME_DONT_FAKE_MONOTONIC=1 CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="faketime -f +366d" \
  cargo nextest run --no-fail-fast
cargo test --doc --quiet
# The sync suite again on PostgreSQL (a temporary cluster the tests start themselves).
ESV_TEST_BACKEND=postgres cargo nextest run -p esv-tests --test sync --test erasure --test casework --test rollup --test audit --test merge --test accounts --test hostile --test front_door --no-fail-fast
# Generated catalogs (tests and benchmarks only; never in a user build).
cargo test -p esv-replica --features synthetic --lib --quiet synthetic
cargo nextest run -p esv-replica --features synthetic --test relevance --no-capture

step "UI unit tests (native) and lints"
cargo test -p esv-ui --lib --quiet
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy -p esv-replica --all-targets --features synthetic --quiet -- -D warnings
cargo clippy -p esv-ui --target wasm32-unknown-unknown --quiet -- -D warnings
cargo fmt --check

step "the UI in headless Chromium at 360x740: axe-core, 200% text, keystroke latency"
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "test: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
mkdir -p artifacts/ui
# One test at a time, so the latency figures are not shared with the other Chromium.
cargo test -p esv-tests --test ui_browser -- --ignored --test-threads=1 --nocapture

step "end-to-end: the real app in a real window"
bash scripts/e2e.sh

step "all tests passed"
