#!/usr/bin/env bash
# Installs what is missing, builds the UI and the app, and opens the app's window. With no
# display (a server, CI), it runs under xvfb-run. The store is the app's own data directory
# (~/.local/share/org.escritoriosocial.virtual/store.db), or $ESV_STORE.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-ui.sh
cargo build -p esv-app
export WEBKIT_DISABLE_DMABUF_RENDERER=1
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: running under xvfb-run (nothing will be visible)."
  exec xvfb-run -a -s "-screen 0 1280x1024x24" target/debug/esv-app
fi
exec target/debug/esv-app
