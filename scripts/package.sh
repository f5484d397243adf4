#!/usr/bin/env bash
# Builds a Debian package with Debian's own tools (dpkg-deb, and dpkg-shlibdeps for the
# shared libraries the binary links, with their minimum versions). Prints the .deb's path on
# its last line.
#   scripts/package.sh server|app [--release] [--version VERSION]
# - server: the binary, a hardened systemd unit running as its own user with its data in
#   /var/lib/esv (0700), the settings in /etc/esv/esv-server.toml (a conffile: an upgrade keeps
#   local edits) and the maintainer scripts of packaging/server/.
# - app: the desktop app (its UI is embedded: build it first, scripts/build-ui.sh), its menu
#   entry and icons; speech-dispatcher and espeak-ng recommended for "Ouvir".
# Without --release it packages the debug build (what CI installs: the test build, reused).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-}
shift || true
profile=debug
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=release ;;
    --version) version=$2; shift ;;
    *) echo "package: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
case "$what" in
  server) package=esv-server crate=esv-server ;;
  app) package=esv-app crate=esv-app ;;
  *) echo "usage: scripts/package.sh server|app [--release] [--version VERSION]" >&2; exit 2 ;;
esac
if [ "$profile" = release ]; then cargo build -p "$crate" --release --quiet; else cargo build -p "$crate" --quiet; fi
target=${CARGO_TARGET_DIR:-$PWD/target}
arch=$(dpkg --print-architecture)
out="$target/deb"
root="$out/${package}_${version}_$arch"
doc="$root/usr/share/doc/$package"
rm -rf "$root" && mkdir -p "$root/DEBIAN"
install -D -m 0755 -s "$target/$profile/$package" "$root/usr/bin/$package"
install -D -m 0644 README.md "$doc/README.md"
printf '%s: Escritório Social Virtual\nLicense: AGPL-3.0-or-later (see /usr/share/common-licenses/AGPL-3 or https://www.gnu.org/licenses/agpl-3.0.html)\n' \
  "$package" | install -D -m 0644 /dev/stdin "$doc/copyright"
extra=""
case "$what" in
  server)
    install -D -m 0644 packaging/server/esv-server.service "$root/lib/systemd/system/esv-server.service"
    install -D -m 0644 packaging/server/esv-server.toml "$root/etc/esv/esv-server.toml"
    install -D -m 0644 ARCHITECTURE.md "$doc/ARCHITECTURE.md"
    install -m 0755 packaging/server/postinst packaging/server/prerm packaging/server/postrm "$root/DEBIAN/"
    echo /etc/esv/esv-server.toml > "$root/DEBIAN/conffiles"
    extra=", adduser"
    section=net
    summary="Escritório Social Virtual: sync server"
    description=" Keeps the automerge changes that the Escritório Social Virtual app's devices push, per
 office, and hands them to every device allowed to read them. Runs as the esv-server user,
 with its database in /var/lib/esv; settings in /etc/esv/esv-server.toml."
    ;;
  app)
    install -D -m 0644 packaging/app/esv-app.desktop "$root/usr/share/applications/org.escritoriosocial.virtual.desktop"
    for size in 32x32 128x128 256x256 512x512; do
      install -D -m 0644 "icons/$size.png" "$root/usr/share/icons/hicolor/$size/apps/esv-app.png"
    done
    section=misc
    summary="Escritório Social Virtual: services and rights for people leaving prison"
    description=" Finds services and opening hours near you, says whether a place is open now, explains
 rights in plain Portuguese and Spanish, and sends requests to the Escritório Social, offline
 first. Field teams record encounters and sync them to their office later."
    ;;
esac
# The shared libraries the binary links, as Debian packages with their minimum versions.
shlib=$(mktemp -d)
trap 'rm -rf "$shlib"' EXIT
mkdir "$shlib/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" > "$shlib/debian/control"
depends=$(cd "$shlib" && dpkg-shlibdeps -O "$root/usr/bin/$package" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package: dpkg-shlibdeps found no dependencies of $package" >&2; exit 1; }
{
  echo "Package: $package"
  echo "Version: $version"
  echo "Architecture: $arch"
  echo "Maintainer: Escritório Social Virtual developers <esv@localhost>"
  echo "Installed-Size: $(du -sk "$root" | cut -f1)"
  echo "Depends: $depends$extra"
  [ "$what" = app ] && echo "Recommends: speech-dispatcher, speech-dispatcher-espeak-ng, espeak-ng"
  echo "Section: $section"
  echo "Priority: optional"
  echo "Description: $summary"
  echo "$description"
} > "$root/DEBIAN/control"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/" >/dev/null
echo "$out/${package}_${version}_$arch.deb"
