#!/usr/bin/env bash
# Builds the server's Debian package with Debian's own tools (dpkg-deb, dpkg-shlibdeps): the
# binary, a hardened systemd unit running as its own user with its data in /var/lib/esv (0700),
# the settings in /etc/esv/esv-server.toml (a conffile: an upgrade keeps local edits), and the
# maintainer scripts in packaging/server/. Prints the .deb's path on its last line.
#   scripts/package-server.sh [--release] [--version VERSION]
# Without --release it packages the debug build (what CI installs: the test build, reused).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=debug
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile=release ;;
    --version) version=$2; shift ;;
    *) echo "package-server: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$profile" = release ]; then cargo build -p esv-server --release --quiet; else cargo build -p esv-server --quiet; fi
target=${CARGO_TARGET_DIR:-$PWD/target}
bin="$target/$profile/esv-server"
arch=$(dpkg --print-architecture)
out="$target/deb"
root="$out/esv-server_${version}_$arch"
rm -rf "$root" && mkdir -p "$root/DEBIAN"
install -D -m 0755 -s "$bin" "$root/usr/bin/esv-server"
install -D -m 0644 packaging/server/esv-server.service "$root/lib/systemd/system/esv-server.service"
install -D -m 0644 packaging/server/esv-server.toml "$root/etc/esv/esv-server.toml"
install -D -m 0644 README.md "$root/usr/share/doc/esv-server/README.md"
install -D -m 0644 ARCHITECTURE.md "$root/usr/share/doc/esv-server/ARCHITECTURE.md"
printf 'esv-server: Escritório Social Virtual\nLicense: AGPL-3.0-or-later (see /usr/share/common-licenses/AGPL-3 or https://www.gnu.org/licenses/agpl-3.0.html)\n' \
  > "$root/usr/share/doc/esv-server/copyright"
install -m 0755 packaging/server/postinst packaging/server/prerm packaging/server/postrm "$root/DEBIAN/"
echo /etc/esv/esv-server.toml > "$root/DEBIAN/conffiles"
# The shared libraries the binary links, as Debian packages with their minimum versions.
shlib=$(mktemp -d)
trap 'rm -rf "$shlib"' EXIT
mkdir "$shlib/debian"
printf 'Source: esv-server\n\nPackage: esv-server\nArchitecture: any\n' > "$shlib/debian/control"
depends=$(cd "$shlib" && dpkg-shlibdeps -O "$root/usr/bin/esv-server" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "package-server: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
cat > "$root/DEBIAN/control" <<CONTROL
Package: esv-server
Version: $version
Architecture: $arch
Maintainer: Escritório Social Virtual developers <esv-server@localhost>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: $depends, adduser
Section: net
Priority: optional
Description: Escritório Social Virtual: sync server
 Keeps the automerge changes that the Escritório Social Virtual app's devices push, per office,
 and hands them to every device allowed to read them. Runs as the esv-server user, with its
 database in /var/lib/esv; settings in /etc/esv/esv-server.toml.
CONTROL
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/" >/dev/null
echo "$out/esv-server_${version}_$arch.deb"
