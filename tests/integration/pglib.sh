# The shared history in the integration tests: a private PostgreSQL
# cluster (scripts/pg.sh: initdb into a temporary directory, a UNIX socket
# only, removed at exit), and treadmills -- each a simulator and a daemon
# in a directory of its own -- that share it.  Source after lib.sh.
#
#   pg_start / pg_stop     start (the first time: create) / stop the cluster
#   psql_q SQL             one query on it, unaligned, tuples only
#   start_treadmill X NAME a simulator and a daemon named NAME in slot X
#                          (a: $T itself, b: $T/b), then on X
#   on X                   point lib.sh's helpers (ctl, sim, status_field,
#                          writes_after...) at treadmill X
#
# The conninfo file carries a password (trust authentication ignores it)
# so that the tests can check it is never shown.

ROOT=$T
PGD=$(mktemp -d /tmp/treadpg.XXXXXX)
PG_SECRET=Sup3rS3cretPw

pg_cleanup() {
	T=$ROOT
	sh "$TOP/scripts/pg.sh" remove "$PGD" >/dev/null 2>&1 || true
	cleanup
}
# A signal exits, and the exit removes the cluster: a server left behind
# would outlive the test.
trap pg_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

pg_start() {
	PGCI=$(sh "$TOP/scripts/pg.sh" start "$PGD") ||
	    fail "cannot start the PostgreSQL cluster"
}
pg_stop() { sh "$TOP/scripts/pg.sh" stop "$PGD"; }
psql_q() { sh "$TOP/scripts/pg.sh" psql "$PGD" -At -c "$1"; }

# pg_conf NAME: this treadmill's configuration, on the shared database.
pg_conf() {
	write_conf
	(umask 077; printf '# the gym\n%s password=%s\n' "$PGCI" "$PG_SECRET" \
	    >"$T/pg.conf")
	sed -i -e "s|^daemon = .*|daemon = { name = \"$1\"; user = \"\"; };|" \
	    -e "s|^history = .*|history = { backend = \"postgresql\"; conninfo_file = \"$T/pg.conf\"; spool = \"$T/spool.db\"; connect_timeout_s = 2; module = \"$BIN/history_pg.so\"; };|" \
	    "$T/treadmilld.conf"
}

start_treadmill() {
	if [ "$1" = a ]; then T=$ROOT; else T=$ROOT/$1; mkdir -p "$T"; fi
	start_sim
	pg_conf "$2"
	start_daemon
	eval "T_$1=\$T PORT_$1=\$PORT SIM_$1=\$SIM_PID DAEMON_$1=\$DAEMON_PID"
}

on() { eval "T=\$T_$1 PORT=\$PORT_$1 SIM_PID=\$SIM_$1 DAEMON_PID=\$DAEMON_$1"; }

# No log or output of the test shows the password.
no_secret() {
	if grep -rl "$PG_SECRET" "$ROOT" --include='*.log' --include='*.out' \
	    --include='st*' --include='plan*' --include='err*' 2>/dev/null |
	    grep -q .; then
		fail "the database password shows in: $(grep -rl "$PG_SECRET" "$ROOT" --include='*.log' --include='*.out' --include='st*' --include='plan*' --include='err*')"
	fi
}
