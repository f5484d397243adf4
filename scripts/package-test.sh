#!/usr/bin/env bash
# Installs the server's .deb on this machine (root) and checks what an office's IT team relies
# on: its own user, /var/lib/esv 0700, the settings 0640, the unit accepted by systemd, the
# installed binary serving and stopping cleanly on SIGTERM as that user, an upgrade that keeps
# the database and the local settings, and a purge that keeps the database. Leaves the machine
# as it found it, apart from the esv-server system user.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "package-test: needs root (dpkg -i)" >&2; exit 1; }
fail() { echo "package-test: $*" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# A previous run that stopped half-way is cleaned up; a real installation is never touched.
marker=/var/lib/esv/.package-test
if { dpkg-query -W esv-server >/dev/null 2>&1 || [ -e /var/lib/esv ]; } && [ ! -e "$marker" ]; then
  fail "esv-server is installed here (or /var/lib/esv exists): this test would remove it; run it on a CI machine"
fi
dpkg --purge esv-server >/dev/null 2>&1 || true
rm -rf /var/lib/esv /etc/esv

deb=$(bash scripts/package.sh server | tail -n 1)
echo "package-test: $(basename "$deb"), $(( $(stat -c %s "$deb") / 1024 )) KiB; depends: $(dpkg-deb -f "$deb" Depends)"
dpkg -i "$deb" >/dev/null
touch "$marker"
[ -x /usr/bin/esv-server ] || fail "/usr/bin/esv-server was not installed"
getent passwd esv-server >/dev/null || fail "no esv-server user"
[ "$(stat -c '%a %U' /var/lib/esv)" = "700 esv-server" ] || fail "/var/lib/esv is $(stat -c '%a %U' /var/lib/esv)"
[ "$(stat -c '%a %U %G' /etc/esv/esv-server.toml)" = "640 root esv-server" ] ||
  fail "/etc/esv/esv-server.toml is $(stat -c '%a %U %G' /etc/esv/esv-server.toml)"
# The unit as systemd reads it (this machine may have no running systemd to start it with).
systemd-analyze verify /lib/systemd/system/esv-server.service

# As the service runs it: its user, its umask, its settings file.
as_service() { runuser -u esv-server -- sh -c 'umask 077; exec "$@"' sh /usr/bin/esv-server --config /etc/esv/esv-server.toml "$@"; }
as_service office add es-teste "Escritório Social de teste" >/dev/null
[ "$(stat -c '%a %U' /var/lib/esv/esv-server.db)" = "600 esv-server" ] ||
  fail "the database is $(stat -c '%a %U' /var/lib/esv/esv-server.db)"

# Serves on a free port (a flag wins over the file), answers, and stops cleanly on SIGTERM.
log=$(mktemp)
coproc SERVER { as_service serve --listen 127.0.0.1:0 2>"$log"; }
read -r -t 30 line <&"${SERVER[0]}" || fail "the installed server did not start: $(cat "$log")"
url=${line##* }
curl -fsS "$url/v1/health" >/dev/null || fail "GET $url/v1/health failed"
pid=$(pgrep -u esv-server -f "esv-server --config /etc/esv/esv-server.toml serve")
kill -TERM "$pid"
wait "$SERVER_PID" || fail "the server did not exit 0 on SIGTERM: $(cat "$log")"
grep -q '"parado"\|parado' "$log" || fail "no 'parado' in the log: $(cat "$log")"
if [ -d /run/systemd/system ]; then
  systemctl start esv-server.service && systemctl is-active --quiet esv-server.service ||
    fail "systemctl start esv-server failed"
  systemctl stop esv-server.service
fi

# An upgrade keeps the data and a local edit of the settings (a conffile).
sed -i 's/^team-idle-days = 30/team-idle-days = 20/' /etc/esv/esv-server.toml
deb2=$(bash scripts/package.sh server --version "$version+upgrade1" | tail -n 1)
dpkg -i --force-confold "$deb2" >/dev/null
[ "$(dpkg-query -W -f='${Version}' esv-server)" = "$version+upgrade1" ] || fail "the upgrade did not take"
as_service office list | grep -q es-teste || fail "the office is gone after the upgrade"
grep -q '^team-idle-days = 20' /etc/esv/esv-server.toml || fail "the upgrade overwrote the settings"
[ "$(stat -c '%a' /var/lib/esv)" = 700 ] || fail "/var/lib/esv changed mode in the upgrade"

# A purge removes the program and keeps the people's records.
dpkg --purge esv-server >/dev/null 2>&1
[ ! -e /usr/bin/esv-server ] || fail "the binary is still there after purge"
[ -f /var/lib/esv/esv-server.db ] || fail "purge deleted the database"
rm -rf /var/lib/esv /etc/esv "$log"
echo "package-test: passed"
