#!/bin/sh
# transports: tcp
# Bad or unreachable connection settings for the shared history.
# treadmilld -n refuses them with file:line and a reason: a conninfo file
# that is missing, readable by others, or owned by someone else; a server
# that refuses, or answers nothing within connect_timeout_s (named by
# host and port).  The password never shows.  At start-up the same
# settings do not keep the daemon from running: the belt is safe, the
# plan is the cautious one and says why, rows wait in the spool.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pglib.sh"
pg_start
PORT=1502
pg_conf tm-1
C=$T/treadmilld.conf
line=$(grep -n "^history = " "$C" | cut -d: -f1)

check_ok() {
	out=$("$BIN/treadmilld" -n -c "$C" 2>&1) || fail "good settings refused: $out"
	[ "$out" = "configuration OK" ] || fail "unexpected output: $out"
}
# check_bad TEXT: -n fails, with TEXT at the history line.
check_bad() {
	if "$BIN/treadmilld" -n -c "$C" >"$T/out.n" 2>&1; then
		fail "accepted: $1"
	fi
	grep -qF "$C:$line: $1" "$T/out.n" || fail "expected '$C:$line: $1', got: $(cat "$T/out.n")"
	grep -q "^treadmilld: 1 error in the configuration$" "$T/out.n" ||
	    fail "no error count: $(cat "$T/out.n")"
	cat "$T/out.n" >>"$T/all.out"
}

check_ok
chmod 0644 "$T/pg.conf"
check_bad "history.conninfo_file $T/pg.conf has mode 0644; it holds the database password, so only its owner may read it: it is refused unless its mode is 0600 or 0400 (chmod 600 $T/pg.conf)"
chmod 0400 "$T/pg.conf"
check_ok
chmod 0600 "$T/pg.conf"
chown nobody "$T/pg.conf"
check_bad "history.conninfo_file $T/pg.conf is owned by nobody (uid 65534), not by root (uid 0) that treadmilld runs as; it holds the database password, so it is refused (chown it)"
chown root "$T/pg.conf"
mv "$T/pg.conf" "$T/pg.conf.away"
check_bad "history.conninfo_file $T/pg.conf: No such file or directory"
mv "$T/pg.conf.away" "$T/pg.conf"

# A port nobody listens on: refused at once, named, no password.
dead=$(free_port)
(umask 077; echo "host=127.0.0.1 port=$dead user=gym dbname=gym password=$PG_SECRET" >"$T/pg.conf")
check_bad "history: PostgreSQL at 127.0.0.1:$dead unreachable: connection to server at \"127.0.0.1\", port $dead failed: Connection refused"
# A server that never answers: the timeout (connect_timeout_s = 2).
hang=$(free_port)
python3 -c "import socket, time
s = socket.socket(); s.bind(('127.0.0.1', $hang)); s.listen(8); time.sleep(120)" &
PIDS="$PIDS $!"
wait_for 5 "the silent server" python3 -c "import socket; socket.create_connection(('127.0.0.1', $hang), 1).close()"
(umask 077; echo "host=127.0.0.1 port=$hang user=gym dbname=gym password=$PG_SECRET" >"$T/pg.conf")
s0=$(date +%s.%N)
check_bad "history: PostgreSQL at 127.0.0.1:$hang unreachable: no answer within 2 s"
awk -v a="$s0" -v b="$(date +%s.%N)" 'BEGIN { exit !(b - a < 6) }' ||
    fail "-n took longer than the connect timeout allows"

# Start-up with the silent server: the daemon runs, the belt is safe.
start_sim
sed -i "s/port = 1502;/port = $PORT;/" "$C"
start_daemon
grep -q "127.0.0.1:$hang unreachable" "$T/daemon.log" || fail "start-up does not say the history is unreachable"
ctl plan maya >"$T/plan.out" || fail "plan refused"
grep -q "history unavailable (history: PostgreSQL at 127.0.0.1:$hang unreachable" "$T/plan.out" ||
    fail "plan does not say why: $(cat "$T/plan.out")"
grep -q "^today: easy" "$T/plan.out" || fail "not the cautious easy day"
start_running 4 maya
t0=$(sim_state t)
wait_for 15 "rows spooled" sh -c "[ \"\$('$BIN/treadctl' -s '$T/ctl.sock' -j status | sed 's/.*\"history_spooled\":\([0-9]*\).*/\1/')\" -ge 1 ]"
st_says() { ctl status >"$T/st.out" && grep -q "$1" "$T/st.out"; }
wait_for 15 "status naming the silent server" st_says \
    "^history: postgresql, 1 rows spooled; history: PostgreSQL at 127.0.0.1:$hang unreachable"
wait_writes 60
[ "$(writes_after "$t0" 0)" = 0 ] || fail "RUN=0 while the history hangs"
[ "$(status_field state)" = running ] || fail "the session stopped"
kill -0 "$DAEMON_PID" || fail "daemon died"
grep -q "$PG_SECRET" "$T/daemon.log" "$T/all.out" "$T/st.out" "$T/plan.out" &&
    fail "the password shows"
no_secret
pass
