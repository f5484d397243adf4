#!/usr/bin/env bash
# Installs what building, running and testing the app needs on Debian 12 with rustup, and
# skips what is already there at the right version. Safe to run again (a second run takes seconds).
set -euo pipefail
cd "$(dirname "$0")/.."

# "Ouvir": libspeechd-dev and libclang-dev build the tts crate (bindgen); speech-dispatcher with
# espeak-ng speaks pt-BR and Spanish at run time; faketime runs the suite a year ahead; dpkg-dev,
# adduser and systemd build the server's .deb and check its unit (scripts/package.sh server).
need_apt=()
for pkg in build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev \
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev libsoup-3.0-dev \
  libjavascriptcoregtk-4.1-dev file xvfb xauth imagemagick webkit2gtk-driver \
  libspeechd-dev libclang-dev speech-dispatcher espeak-ng speech-dispatcher-espeak-ng \
  fonts-dejavu-core gzip postgresql openssl curl chromium chromium-driver \
  poppler-utils zbar-tools librsvg2-bin faketime dpkg-dev adduser systemd; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' \
  || rustup target add wasm32-unknown-unknown

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
want_wb=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want_wb" != "$have_wb" ]; then
  echo "setup: installing wasm-bindgen-cli $want_wb (have: ${have_wb:-none})"
  # Without --locked: its lockfile pins crates this registry mirror may not have.
  cargo install wasm-bindgen-cli --version "$want_wb" --quiet
fi

# wasm-opt from npm's binaryen (Debian's is too old and breaks the module).
BINARYEN_VERSION=132.0.0
if [ "$(cat tools/node_modules/binaryen/package.json 2>/dev/null | grep -o '"version": *"[^"]*"' | grep -o '[0-9.]*$' || true)" != "$BINARYEN_VERSION" ]; then
  echo "setup: installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p tools
  npm install --prefix tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi
# axe-core for the accessibility checks of the UI in headless Chromium (tests/tests/ui_browser.rs).
AXE_VERSION=4.14.1
if [ "$(node -p 'require("./tools/node_modules/axe-core/package.json").version' 2>/dev/null || true)" != "$AXE_VERSION" ]; then
  echo "setup: installing axe-core $AXE_VERSION from npm"
  mkdir -p tools
  npm install --prefix tools --no-audit --no-fund --silent --save-exact "axe-core@$AXE_VERSION"
fi
echo "setup: ok"
