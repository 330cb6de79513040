#!/bin/sh
# A private PostgreSQL cluster for the tests and the benchmark: initdb into
# a directory of its own, a server that listens only on a UNIX socket in
# that directory (no TCP port, so nothing else on the machine can reach it
# or clash with it), trust authentication for the one role "tread".
#
#   pg.sh start DIR      create the cluster if DIR has none, start it, print
#                        its libpq connection string (also in DIR/conninfo)
#   pg.sh stop DIR       stop it (fast shutdown); DIR stays
#   pg.sh remove DIR     stop it and delete DIR
#   pg.sh run CMD...     a fresh cluster for CMD, with TREAD_TEST_PG set to
#                        its connection string; removed afterwards, whatever
#                        CMD's exit status (which pg.sh returns)
#   pg.sh psql DIR ARG...  psql on the cluster's database "postgres"
#
# PostgreSQL refuses to run as root, and the tests run as root: the server
# then runs as nobody (setpriv), which owns DIR.  PG_FSYNC=on keeps the
# durable settings (the benchmark); by default the tests trade durability
# of the throw-away cluster for speed.
set -eu

die() { echo "pg.sh: $*" >&2; exit 1; }

# The newest server Debian installed (postgresql-NN).
pgbin() {
	_b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$_b" ] && [ -x "$_b/initdb" ] ||
	    die "no PostgreSQL server under /usr/lib/postgresql (run scripts/deps.sh)"
	echo "$_b"
}

# as_owner CMD...: run CMD as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}

start() {
	_d=$1
	[ -d "$_d" ] || mkdir -p "$_d"
	_d=$(cd "$_d" && pwd)
	BIN=$(pgbin)
	[ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$_d"
	if [ ! -f "$_d/data/PG_VERSION" ]; then
		(cd "$_d" && as_owner "$BIN/initdb" -D "$_d/data" -U tread \
		    --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
		    >"$_d/initdb.log" 2>&1) ||
		    { cat "$_d/initdb.log" >&2; die "initdb failed"; }
		as_owner mkdir -p "$_d/sock"
		chmod 0700 "$_d/sock"
	fi
	_fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_FSYNC:-off}" = on ] && _fast=""
	# shellcheck disable=SC2086
	(cd "$_d" && as_owner "$BIN/pg_ctl" -D "$_d/data" -l "$_d/server.log" \
	    -w -t 60 -o "-k $_d/sock -c listen_addresses= -c port=5432 $_fast" \
	    start >/dev/null 2>&1) ||
	    { tail -n 20 "$_d/server.log" >&2; die "pg_ctl start failed"; }
	echo "host=$_d/sock port=5432 user=tread dbname=postgres" >"$_d/conninfo"
	cat "$_d/conninfo"
}

stop() {
	_d=$(cd "$1" && pwd)
	BIN=$(pgbin)
	[ -f "$_d/data/postmaster.pid" ] || return 0
	(cd "$_d" && as_owner "$BIN/pg_ctl" -D "$_d/data" -m fast -w -t 60 \
	    stop >/dev/null 2>&1) || true
}

remove() {
	[ -d "$1" ] || return 0
	stop "$1"
	rm -rf "$1"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
start)	[ $# -eq 1 ] || die "usage: pg.sh start DIR"; start "$1" ;;
stop)	[ $# -eq 1 ] || die "usage: pg.sh stop DIR"; stop "$1" ;;
remove)	[ $# -eq 1 ] || die "usage: pg.sh remove DIR"; remove "$1" ;;
psql)	[ $# -ge 1 ] || die "usage: pg.sh psql DIR ARG..."
	_d=$(cd "$1" && pwd); shift
	exec "$(pgbin)/psql" -X -q -v ON_ERROR_STOP=1 "$(cat "$_d/conninfo")" "$@" ;;
run)	[ $# -ge 1 ] || die "usage: pg.sh run CMD..."
	# Not under TMPDIR's test directories: the owner (nobody) must be
	# able to reach it, and the socket path must stay short.
	D=$(mktemp -d /tmp/treadpg.XXXXXX)
	trap 'remove "$D"' EXIT
	trap 'exit 1' INT TERM HUP PIPE
	TREAD_TEST_PG=$(start "$D")
	export TREAD_TEST_PG
	rc=0
	"$@" || rc=$?
	exit "$rc" ;;
*)	die "usage: pg.sh start|stop|remove|psql DIR, or pg.sh run CMD..." ;;
esac
