#!/bin/sh
# transports: tcp
# A corrupt history file, and a read-only one: a clear error naming the
# file, the daemon keeps running, the belt stays under control, and the
# runner gets the cautious plan.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_sim
head -c 8192 /dev/urandom >"$T/history.db"
write_conf
start_daemon
grep -q "$T/history.db" "$T/daemon.log" || fail "error does not name the file"
ctl status | grep -q "^history: unavailable: .*history.db" || fail "status does not show the history error"
ctl plan maya >"$T/plan" || fail "plan refused without history"
grep -q "history unavailable" "$T/plan" || fail "plan does not say the history is unavailable"
grep -q "^today: easy" "$T/plan" || fail "plan without history is not the cautious easy day"
start_running 4 maya
sim estop on >/dev/null
wait_for 5 "stopped" status_is state stopped
kill -0 "$DAEMON_PID" || fail "daemon died"
stop_daemon

# Read-only: the daemon runs as an unprivileged user and the file is not
# writable for it.
rm -f "$T/history.db" "$T/history.db-wal" "$T/history.db-shm"
sqlite3 "$T/history.db" "create table x(a);" || fail "sqlite3 CLI"
chmod 0444 "$T/history.db"
chmod 0755 "$T"
chmod -R a+rX "$T/profiles"
chmod 0777 "$T"
DAEMON_WRAPPER="setpriv --reuid=nobody --regid=nogroup --clear-groups"
sim estop off >/dev/null
start_daemon
ctl status >"$T/st"
grep -q "^history: unavailable: .*readonly" "$T/st" || fail "read-only not reported: $(grep history "$T/st")"
ctl plan maya | grep -q "history unavailable" || fail "plan without history"
kill -0 "$DAEMON_PID" || fail "daemon died"
pass
