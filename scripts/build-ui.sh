#!/usr/bin/env bash
# Builds the Leptos UI into ui/dist (what Tauri embeds): cargo → wasm-bindgen → wasm-opt, with
# no downloads (tools come from scripts/setup.sh). Prints the gzipped size of the wasm and fails
# over its budget.
set -euo pipefail
cd "$(dirname "$0")/.."
out=ui/dist
cargo build -p esv-ui --target wasm32-unknown-unknown --profile wasm-release --quiet
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" \
  target/wasm32-unknown-unknown/wasm-release/esv_ui.wasm
# Debian's wasm-opt is too old for this output; the pinned npm binaryen is used. `--converge`
# repeats the passes until the module stops shrinking (about 2% smaller, a minute longer).
tools/node_modules/binaryen/bin/wasm-opt -Oz --converge \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out.tmp/esv_ui_bg.wasm" -o "$out.tmp/esv_ui_bg.wasm"
cp ui/index.html ui/main.js ui/style.css "$out.tmp/"
rm -rf "$out" && mv "$out.tmp" "$out"
raw=$(wc -c < "$out/esv_ui_bg.wasm")
gz=$(gzip -9 -c "$out/esv_ui_bg.wasm" | wc -c)
budget_kib=600
echo "build-ui: $out/esv_ui_bg.wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped (budget ≤ $budget_kib KiB)"
# The budget is enforced, not only printed: a cheap phone on a slow line downloads this.
if [ "$gz" -gt $((budget_kib * 1024)) ]; then
  echo "build-ui: the UI is over its budget by $(((gz - budget_kib * 1024) / 1024 + 1)) KiB gzipped; make it smaller (see ARCHITECTURE.md, UI)" >&2
  exit 1
fi
