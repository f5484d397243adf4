#!/usr/bin/env bash
# Runs every test on a fresh Debian 12 machine with rustup: installs what is missing
# (scripts/setup.sh), builds the UI, runs the workspace tests, lints, and the end-to-end test
# of the real app under Xvfb, and the UI in headless Chromium (axe-core, 200% text, keystroke
# latency) over the real store. Screenshots land in artifacts/.
#
# One build serves everything: the workspace-hack (workspace-hack/, cargo hakari) gives every
# package the same features, so the PostgreSQL run, the browser tests and the app of the e2e
# reuse the test build. The lints ride on that build: clippy-driver is the compiler of the
# workspace's own crates (what `cargo clippy` itself does), so linting costs no second build of
# the dependencies. Each step's time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# CI builds once from scratch: incremental caches would only take disk (CI once ran out of it).
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
times=()
current=""
step_start=$start
# Closes the step under way (its time goes to the table printed at the end) and opens the next.
step() {
  local now; now=$(date +%s)
  [ -z "$current" ] || times+=("$(printf '%6ss  %s' $((now - step_start)) "$current")")
  current="$*"; step_start=$now
  [ -z "$current" ] || { echo; echo "== $current ($((now - start))s)"; }
}
summary() {
  local status=$?
  [ -z "$current" ] || step ""
  echo
  echo "== time per step"
  printf '%s\n' "${times[@]}"
  printf '%6ss  %s\n' $(($(date +%s) - start)) "in all ($([ $status -eq 0 ] && echo passed || echo FAILED))"
}
trap summary EXIT

step setup
bash scripts/setup.sh
cargo fmt --check

# Clippy as the workspace's compiler for every build below (the UI's wasm, the tests, the
# benches, the e2e's app), denying warnings: `cargo clippy` does exactly this (clippy-driver
# compiles and lints; the dependencies are compiled by rustc, unlinted). Exported once, so
# every later cargo command sees the same compiler and reuses the build.
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver)
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

step "build the UI (wasm, linted)"
bash scripts/build-ui.sh

step "build the workspace, its tests and benches (once, linted)"
cargo nextest run --no-run
# The benches are compiled (and linted) too, not run: by cargo, since nextest would list them,
# and listing a benchmark without a test harness runs it.
cargo test --benches --no-run --quiet

step "workspace tests, with the wall clock a year ahead"
# No test may depend on today's date: clocks are injected. The whole workspace suite runs with
# the machine's wall clock moved 366 days ahead (libfaketime), which fails any test that reads
# it where it should take an injected one. Only the test processes run under faketime (as
# cargo's target runner): cargo-nextest itself hangs with libfaketime preloaded.
FAKETIME_DONT_FAKE_MONOTONIC=1 CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="faketime -f +366d" \
  cargo nextest run --no-fail-fast
cargo test --doc --quiet

step "the server's tests again on PostgreSQL"
# A temporary cluster the tests start themselves.
# Filtered from the workspace's own selection (not `-p esv-tests`), so cargo reuses its build.
pg_suites="sync erasure casework rollup audit merge accounts hostile front_door"
filter=$(printf 'binary_id(esv-tests::%s) | ' $pg_suites)
ESV_TEST_BACKEND=postgres cargo nextest run --no-fail-fast -E "${filter% | }"

step "generated catalogs: the synthetic data and the relevance table"
# Tests and benchmarks only; never in a user build. The benchmark that needs them is compiled
# (and linted) here, not run.
cargo test -p esv-replica --features synthetic --lib --quiet synthetic
cargo nextest run -p esv-replica --features synthetic --test relevance --no-capture
cargo test -p esv-replica --features synthetic --benches --no-run --quiet

step "the UI's unit tests (native, linted)"
cargo test -p esv-ui-kit -p esv-ui -p esv-ui-team --lib --quiet

step "the server's .deb: installed, served as its own user, upgraded, purged"
# Needs root (dpkg -i); packages the test build's binary (scripts/package.sh server).
bash scripts/package-test.sh

step "the UI in headless Chromium at 360x740: axe-core, 200% text, keystroke latency"
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "test: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
mkdir -p artifacts/ui
# One test at a time, so the latency figures are not shared with the other Chromium.
cargo nextest run --run-ignored only -E 'binary_id(esv-tests::ui_browser)' --test-threads 1 --no-capture

step "end-to-end: the real app, installed from its .deb, in a real window"
bash scripts/e2e.sh --installed

step ""
echo
echo "all tests passed"
