#!/usr/bin/env bash
# End-to-end test of the real app: the Tauri window, driven by WebKitWebDriver under a private
# Xvfb display, over a fresh store. Builds what is missing (the UI, the app), then runs the
# ignored test tests/tests/e2e_app.rs. Needs what scripts/setup.sh installs (xvfb,
# webkit2gtk-driver, imagemagick). Screenshots and the app's log land in artifacts/e2e/.
# `--installed` (root) runs it against the app installed from its .deb instead (CI does).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$(date +%s)

for tool in Xvfb WebKitWebDriver import; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done

# The UI is embedded in the app at compile time, so it must exist before the app builds.
if ! [ -f ui/dist/index.html ] || ! ls ui/dist/*.wasm >/dev/null 2>&1; then
  echo "e2e: ui/dist is missing or has no .wasm: building the UI"
  bash scripts/build-ui.sh
fi
if [ "${1:-}" = --installed ]; then
  # The app as a person gets it: its .deb (scripts/package.sh app), installed with dpkg, run
  # from /usr/bin, and removed again afterwards.
  [ "$(id -u)" = 0 ] || { echo "e2e: --installed needs root (dpkg -i)" >&2; exit 1; }
  deb=$(bash scripts/package.sh app | tail -n 1)
  echo "e2e: $(basename "$deb"), $(( $(stat -c %s "$deb") / 1024 )) KiB; depends: $(dpkg-deb -f "$deb" Depends)"
  dpkg -i "$deb" >/dev/null
  trap 'dpkg --purge esv-app >/dev/null 2>&1 || true' EXIT
  [ -f /usr/share/applications/org.escritoriosocial.virtual.desktop ] || { echo "e2e: no menu entry" >&2; exit 1; }
  export ESV_APP=/usr/bin/esv-app
else
  # Cargo decides whether the app is up to date (and rebuilds it when ui/dist changed).
  cargo build -p esv-app
  export ESV_APP="$root/target/debug/esv-app"
fi
mkdir -p artifacts/e2e
status=0
# Selected from the workspace (not `-p esv-tests`), so the tests' build is reused as it is.
cargo nextest run --run-ignored only -E 'binary_id(esv-tests::e2e_app)' --no-capture || status=$?

echo
echo "e2e: screenshots and app log in $root/artifacts/e2e/:"
ls -1 artifacts/e2e/ 2>/dev/null | sed 's/^/  /'
echo "e2e: $( [ $status -eq 0 ] && echo passed || echo FAILED ) in $(( $(date +%s) - start ))s"
exit $status
