#!/usr/bin/env bash
# Builds the two wasm UIs into ui/dist (what Tauri embeds): the citizen app (ui/, esv-ui, loaded
# first by index.html) and the team's and office's screens (ui-team/, esv-ui-team, loaded by
# team.html). cargo (one invocation for both, so what they share compiles once) → wasm-bindgen →
# wasm-opt, with no downloads (tools come from scripts/setup.sh). Prints each module's gzipped
# size and fails over either budget.
set -euo pipefail
cd "$(dirname "$0")/.."
out=ui/dist
target=${CARGO_TARGET_DIR:-target}
# module  crate  budget (KiB gzipped)
modules=("esv_ui 400" "esv_ui_team 600")
cargo build -p esv-ui -p esv-ui-team --target wasm32-unknown-unknown --profile wasm-release --quiet
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
for m in "${modules[@]}"; do
  set -- $m
  wasm-bindgen --target web --no-typescript --out-dir "$out.tmp" \
    "$target/wasm32-unknown-unknown/wasm-release/$1.wasm"
done
# Debian's wasm-opt is too old for this output; the pinned npm binaryen is used. `--converge`
# repeats the passes until the module stops shrinking (about 2% smaller, a minute longer). The
# two modules are optimised side by side.
pids=()
for m in "${modules[@]}"; do
  set -- $m
  tools/node_modules/binaryen/bin/wasm-opt -Oz --converge \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out.tmp/$1_bg.wasm" -o "$out.tmp/$1_bg.wasm" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
cp ui/index.html ui/main.js ui/style.css ui-team/team.html ui-team/team.js "$out.tmp/"
rm -rf "$out" && mv "$out.tmp" "$out"
# The budgets are enforced, not only printed: a cheap phone on a slow line downloads these, the
# citizen's first.
over=0
for m in "${modules[@]}"; do
  set -- $m
  raw=$(wc -c < "$out/$1_bg.wasm")
  gz=$(gzip -9 -c "$out/$1_bg.wasm" | wc -c)
  echo "build-ui: $out/$1_bg.wasm $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped (budget ≤ $2 KiB)"
  if [ "$gz" -gt $(($2 * 1024)) ]; then
    echo "build-ui: $1 is over its budget by $(((gz - $2 * 1024) / 1024 + 1)) KiB gzipped; make it smaller (see ARCHITECTURE.md, UI)" >&2
    over=1
  fi
done
exit $over
