#!/bin/sh
# Install the Debian packages treadmilld needs to build, test and demo.
# Only what is missing is installed; safe to run repeatedly.
set -eu

PKGS="build-essential pkg-config libmodbus-dev libevent-dev libconfig-dev \
libsqlite3-dev libcmocka-dev libsystemd-dev socat mbpoll mandoc valgrind \
sqlite3 python3 libpq-dev postgresql libjansson-dev clang libclang-rt-14-dev \
systemd libmosquitto-dev mosquitto mosquitto-clients prometheus \
libcrypt-dev chromium chromium-driver python3-selenium"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi

echo "deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done" >&2
