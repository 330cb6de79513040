#!/bin/sh
# transports: tcp
# The PostgreSQL history is a module of its own: a daemon whose history
# is SQLite never has libpq (nor the module) in its memory, and a missing
# or broken module is reported by treadmilld -n naming the file, at the
# line that names it, and by the daemon, which runs the belt without its
# history.  No server is needed: the module is checked first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
setup
ctl plan maya >/dev/null || fail "no plan on the SQLite history"
[ -r "/proc/$DAEMON_PID/maps" ] || fail "cannot read /proc/$DAEMON_PID/maps"
if grep -E 'libpq|history_pg\.so' "/proc/$DAEMON_PID/maps" >"$T/pqmaps"; then
	fail "a SQLite history daemon has libpq mapped: $(head -3 "$T/pqmaps")"
fi
stop_daemon

PGCI="host=/nonexistent dbname=gym"
pg_conf tm-1
C=$T/treadmilld.conf
line=$(grep -n "^history = " "$C" | cut -d: -f1)
check_n() {
	rc=0
	timeout 10 "$BIN/treadmilld" -n -c "$C" >"$T/out" 2>&1 || rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] ||
	    fail "treadmilld -n: exit $rc with $1: $(cat "$T/out")"
	grep -qF "$C:$line: PostgreSQL history module $2" "$T/out" ||
	    fail "treadmilld -n with $1: $(cat "$T/out")"
}
sed -i "s|module = \"[^\"]*\"|module = \"$T/none.so\"|" "$C"
check_n "no module" "$T/none.so: No such file or directory"
printf 'not a shared object\n' >"$T/broken.so"
sed -i "s|module = \"[^\"]*\"|module = \"$T/broken.so\"|" "$C"
check_n "a broken module" "$T/broken.so: $T/broken.so: "
chmod 666 "$T/broken.so"
check_n "a module others may write" "$T/broken.so is writable by group or others"
# The daemon runs without its history then, and says which file.
sed -i "s|module = \"[^\"]*\"|module = \"$T/none.so\"|" "$C"
start_daemon
grep -qF "PostgreSQL history module $T/none.so: No such file or directory; sessions will not be recorded" "$T/daemon.log" ||
    fail "no word of the missing module: $(tail -5 "$T/daemon.log")"
stop_daemon
# Our own module loads: what -n says next is about the server.
sed -i "s|module = \"[^\"]*\"|module = \"$BIN/history_pg.so\"|" "$C"
timeout 10 "$BIN/treadmilld" -n -c "$C" >"$T/out" 2>&1 || true
! grep -q "PostgreSQL history module" "$T/out" ||
    fail "the built module refused: $(cat "$T/out")"
grep -q "PostgreSQL" "$T/out" || fail "no word of the server: $(cat "$T/out")"
pass
